"""The local operator: CLI commands run on the server, under a declared purpose, audited.

Whoever runs ``ondergraaf`` on the server already has the service's files, so the CLI has
no login; it records the OS user instead (``os:<user>``, with ``user@host`` and a
``sudo`` user as the client). A read command still declares a purpose, and gets the scope
of that purpose's own role from the policy table; without ``--purpose`` it runs as
``analyse``: open and municipal sources only, persons pseudonymised. Wider access has to
be asked for by name (``--purpose bibob_toets --reference 2025-0012``), and every command
leaves an audit record with what it returned.

``cli_access`` is the one helper the CLI's read commands use::

    with cli_access(purpose, reference) as audited:
        result = risk(store, uid, as_of)
        audited.returned(result.to_dict())
    print(...)
"""

from __future__ import annotations

import getpass
import os
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import click

from ..config import Settings, load_settings
from ..errors import AccessDenied
from ..store import access
from ..store.access import Scope
from .audit import Actor, AuditTrail, uids_in
from .policy import PURPOSES, check_reference, resolve

__all__ = [
    "DEFAULT_PURPOSE",
    "OPERATOR_ROLE",
    "CommandAudit",
    "cli_access",
    "command_what",
    "local_actor",
    "operator_scope",
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


def operator_scope(purpose: str = DEFAULT_PURPOSE, reference: str | None = None, *,
                   role: str | None = None, settings: Settings | None = None) -> Scope:
    """The scope of the local operator working for ``purpose``.

    The operator acts in the purpose's own role (:data:`OPERATOR_ROLE`), or in ``role``
    when one is named (``riec_liaison`` with ``bibob_toets`` is the RIEC support of a
    Bibob decision). Raises :class:`AccessDenied` like :func:`policy.resolve`.
    """
    check_reference(purpose, reference)  # an unknown purpose fails here, in Dutch
    return resolve([role or OPERATOR_ROLE[purpose]], purpose, reference, settings=settings)


@dataclass
class CommandAudit:
    """What a command under :func:`cli_access` may add to its audit record."""

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


@contextmanager
def cli_access(
    purpose: str | None = DEFAULT_PURPOSE,
    reference: str | None = None,
    *,
    role: str | None = None,
    action: str = "read",
    what: Mapping[str, Any] | None = None,
    settings: Settings | None = None,
    audit: AuditTrail | None = None,
) -> Iterator[CommandAudit]:
    """Run a CLI command's block under the operator's scope, and audit it.

    The audit trail is checked first (a trail that cannot take the record stops the
    command before it reads anything). A refused purpose is recorded (``denied``) and raises
    :class:`AccessDenied`. Otherwise the block runs under the scope, and one record
    (``action``, default ``read``) is written when it ends, with the uids the block passed
    to :meth:`CommandAudit.returned` and ``outcome`` ``ok`` or ``error``.
    """
    settings = settings or load_settings()
    trail = audit or AuditTrail.open(settings)
    trail.check_appendable()
    purpose = purpose or DEFAULT_PURPOSE
    described = dict(what) if what is not None else command_what()
    acting = role or OPERATOR_ROLE.get(purpose, "")
    base = local_actor()
    actor = Actor(base.name, (acting,) if acting else (), base.client)
    try:
        scope = operator_scope(purpose, reference, role=role, settings=settings)
        ref = check_reference(purpose, reference)
    except AccessDenied as exc:
        trail.record(actor, "denied", {**described, "reason": str(exc)},
                     purpose=purpose if purpose in PURPOSES else None,
                     reference=reference, outcome="denied")
        raise
    audited = CommandAudit(actor, scope, purpose, ref, described)
    outcome = "error"
    try:
        with access.scope(scope):
            yield audited
        outcome = "ok"
    finally:
        trail.record(actor, action, audited.what, purpose=purpose, reference=ref,
                     uids=audited.uids, outcome=outcome)
