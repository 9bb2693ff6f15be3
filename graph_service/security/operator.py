"""The local operator: who runs a CLI command on the server, and for which purpose.

Whoever runs ``ondergraaf`` on the server already has the service's files, so the CLI has
no login; it records the OS user instead (``os:<user>``, with ``user@host`` and a
``sudo`` user as the client). A read command still declares a purpose, and gets the scope
of that purpose's own role from the policy table (:data:`OPERATOR_ROLE`); without
``--purpose`` it runs as ``analyse``: open and municipal sources only, persons
pseudonymised. Wider access has to be asked for by name (``--purpose bibob_toets
--reference 2025-0012``), and every command leaves an audit record with what it returned.

The reads themselves go through the one door, :class:`graph_service.security.session.
Session` (the CLI's ``read_session`` in ``graph_service/cli/common.py`` opens one); this
module holds only what that door and the CLI's own records need: the actor
(:func:`local_actor`), the role per purpose, the record of a block (:class:`CommandAudit`)
and the running command's description (:func:`command_what`).
"""

from __future__ import annotations

import getpass
import os
import socket
from dataclasses import dataclass, field
from typing import Any

import click

from ..store.access import Scope
from .audit import Actor, uids_in

__all__ = [
    "DEFAULT_PURPOSE",
    "OPERATOR_ROLE",
    "CommandAudit",
    "command_what",
    "local_actor",
]

DEFAULT_PURPOSE = "analyse"
# the role whose row of the policy table the operator gets for each purpose
OPERATOR_ROLE: dict[str, str] = {
    "bibob_toets": "bibob_officer",
    "riec_casus": "riec_liaison",
    "analyse": "analyst",
    "beheer": "admin",
    "audit": "auditor",
}
_SECRET_PARAMS = ("password", "token", "secret", "key")


def local_actor(roles: tuple[str, ...] = ("operator",)) -> Actor:
    """The OS user running this process, as an audit actor."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        user = f"uid{os.getuid()}"
    sudo = os.environ.get("SUDO_USER", "")
    client = f"{user}@{socket.gethostname()}"
    if sudo and sudo != user:
        client += f" (sudo door {sudo})"
    return Actor(f"os:{user}", roles, client)


@dataclass
class CommandAudit:
    """What a block read under a session (:meth:`Session.reading`) adds to its audit
    record: the entity uids it returned."""

    actor: Actor
    scope: Scope
    purpose: str
    reference: str | None
    what: dict[str, Any]
    uids: list[str] = field(default_factory=list)

    def returned(self, value: Any) -> None:
        """Note the entity uids in a result (nested dicts and lists) as returned."""
        for uid in uids_in(value):
            if uid not in self.uids:
                self.uids.append(uid)


def command_what() -> dict[str, Any]:
    """The running click command and its parameters (never secrets), for its audit record."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return {"name": "ondergraaf", "params": {}}
    params = {k: v for k, v in ctx.params.items()
              if not any(s in k.lower() for s in _SECRET_PARAMS)}
    return {"name": ctx.command_path, "params": params}
