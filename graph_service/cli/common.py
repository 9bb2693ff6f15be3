"""What the commands share: the store for one command, reads under a declared purpose, JSON
output, and the audit record of what the local operator did."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from ..config import load_settings
from ..security import CommandAudit, cli_access
from ..security.audit import AuditTrail
from ..security.operator import local_actor
from ..store import Store, open_store

__all__ = ["echo_json", "operator_audit", "read_session", "store_session"]


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
    """The configured store, read under the declared purpose (audited) until the block ends
    (see :func:`graph_service.security.cli_access`)."""
    with store_session() as store, cli_access(purpose, reference, role=role) as audited:
        yield store, audited


def echo_json(data: Any) -> None:
    """``data`` as indented JSON (dates and other values as text)."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def operator_audit(action: str, what: dict[str, Any], outcome: str = "ok") -> None:
    """Loads and deletions by the local operator go into the audit trail."""
    AuditTrail.open(load_settings()).record(local_actor(), action, what, outcome=outcome)
