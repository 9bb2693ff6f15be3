"""What the commands share: the store for one command, reads under a declared purpose, JSON
output, and the audit record of what the local operator did.

A read command goes through the same door as notebooks and scripts: a
:class:`graph_service.security.session.Session` of the OS user for the declared purpose,
which holds the command's store and writes one audit record for the command's read.

Honest absence: when the purpose leaves a kind of source out, :func:`read_session` says so
once for every read command (``docs/security.md``, "Honest absence"): as text, the notice
lines ("Let op: RIEC-signalen zijn voor uw rol en doel niet zichtbaar. ...") before the
command's own output; with ``--json``, :func:`echo_json` adds ``absent_sources`` to an
object, and writes the notice lines to stderr beside a list (whose shape stays a list).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from ..config import load_settings
from ..risk.absence import absent_dicts
from ..security import CommandAudit
from ..security.absence import notice_lines
from ..security.audit import AuditTrail
from ..security.operator import command_what, local_actor
from ..security.session import Session
from ..store import Store, open_store

__all__ = ["ABSENT_KEY", "command_what", "echo_json", "operator_audit", "purpose_options",
           "read_session", "store_session"]

#: what a read command's scope left out: the ``absent_sources`` of its JSON, and the key
#: under which :func:`read_session` keeps it in the command's context
ABSENT_KEY = "absent_sources"


@contextmanager
def store_session() -> Iterator[Store]:
    """Open the configured store for one command and always close it."""
    store = open_store()
    try:
        yield store
    finally:
        store.close()


def purpose_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options of a purpose-bound read (:func:`read_session`): ``--purpose``,
    ``--reference`` and ``--role``."""
    fn = click.option("--role", default=None,
                      help="Rol waarin u werkt, als die afwijkt van de rol bij het doel "
                           "(bv. riec_liaison bij bibob_toets).")(fn)
    fn = click.option("--reference", "--referentie", "reference", default=None,
                      help="Dossier- of casusnummer dat bij het doel hoort.")(fn)
    return click.option("--purpose", "--doel", "purpose", default=None,
                        help="Doel (doelbinding): bibob_toets, riec_casus, analyse "
                             "(standaard: analyse, personen gepseudonimiseerd).")(fn)


@contextmanager
def read_session(purpose: str | None, reference: str | None,
                 role: str | None) -> Iterator[tuple[Store, CommandAudit]]:
    """The configured store, read under the declared purpose until the block ends: one
    :class:`Session` of the OS user, one audit record for the command (``denied`` when the
    purpose is refused, before anything is read)."""
    what = command_what()
    with store_session() as store:
        session = Session.open(purpose, reference, role=role, store=store, what=what)
        try:
            with session.reading(what) as audited:
                yield store, audited
        finally:
            session.close()
        absent = absent_dicts(store.registry, session.scope)
    _tell_absent(absent)


def _tell_absent(absent: list[dict[str, Any]]) -> None:
    """Keep what the read left out for :func:`echo_json`; as text, say it now."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[ABSENT_KEY] = absent
    if absent and not (ctx is not None and ctx.params.get("as_json")):
        click.echo("\n".join(notice_lines(absent)))


def echo_json(data: Any) -> None:
    """``data`` as indented JSON (dates and other values as text); after a read that left
    kinds of source out (:func:`read_session`), an object gets ``absent_sources`` and a
    list the notice lines on stderr."""
    ctx = click.get_current_context(silent=True)
    absent = ctx.meta.get(ABSENT_KEY) if ctx is not None else None
    if absent and isinstance(data, dict) and ABSENT_KEY not in data:
        data = {**data, ABSENT_KEY: absent}
    elif absent and isinstance(data, list):
        click.echo("\n".join(notice_lines(absent)), err=True)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def operator_audit(action: str, what: dict[str, Any], outcome: str = "ok") -> None:
    """Loads and deletions by the local operator go into the audit trail."""
    AuditTrail.open(load_settings()).record(local_actor(), action, what, outcome=outcome)
