"""Owner-only folders, files and secret keys in the data folder.

Everything the security layer keeps on disk (the account database, the audit trail, the
keys) lives below ``<data_dir>`` in folders of mode 0700 and files of mode 0600: only the
service's own OS account may read them. A folder or file that is looser is tightened
when it is opened. The keys themselves are read and made by
:func:`graph_service.config.secret_key` (a key file readable by others is refused, because
the key may already have leaked: the operator must replace it, see docs/security.md).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

from ..config import FILE_MODE, Settings, secure_dir

__all__ = ["security_dir", "audit_dir", "secure_file", "sqlite_transaction"]



def secure_file(path: Path) -> Path:
    """Create ``path`` empty when missing, owner-only (0600) from the first byte on."""
    secure_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, FILE_MODE)
    os.close(fd)
    if stat.S_IMODE(path.stat().st_mode) != FILE_MODE:
        path.chmod(FILE_MODE)
    return path


def security_dir(settings: Settings) -> Path:
    """``<data_dir>/security`` (0700): accounts and keys."""
    return secure_dir(settings.data_dir / "security")


def audit_dir(settings: Settings) -> Path:
    """``<data_dir>/audit`` (0700): the audit trail."""
    return secure_dir(settings.data_dir / "audit")




@contextlib.contextmanager
def sqlite_transaction(path: Path, *, write: bool = True) -> Iterator[sqlite3.Connection]:
    """One connection and one transaction on a security database (the accounts, the web
    sessions), committed on success, else rolled back. Rows are ``sqlite3.Row``; foreign
    keys are enforced.

    A writing transaction takes the write lock up front (``BEGIN IMMEDIATE``), so a
    read-then-update such as the failed-login counter cannot lose an update; reads run
    beside it (WAL).
    """
    with contextlib.closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as db:
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
