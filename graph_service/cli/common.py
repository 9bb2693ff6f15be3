"""What the commands share: the store for one command, reads under a declared purpose, JSON
output, and the audit record of what the local operator did.

A read command goes through the same door as notebooks and scripts: a
:class:`graph_service.security.session.Session` of the OS user for the declared purpose,
which holds the command's store and writes one audit record for the command's read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from ..config import load_settings
from ..security import CommandAudit
from ..security.audit import AuditTrail
from ..security.operator import command_what, local_actor
from ..security.session import Session
from ..store import Store, open_store

__all__ = ["command_what", "echo_json", "operator_audit", "read_session", "store_session"]



@contextmanager
def store_session() -> Iterator[Store]:
    """Open the configured store for one command and always close it."""
    store = open_store()
    try:
        yield store
    finally:
        store.close()


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


def echo_json(data: Any) -> None:
    """``data`` as indented JSON (dates and other values as text)."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def operator_audit(action: str, what: dict[str, Any], outcome: str = "ok") -> None:
    """Loads and deletions by the local operator go into the audit trail."""
    AuditTrail.open(load_settings()).record(local_actor(), action, what, outcome=outcome)
