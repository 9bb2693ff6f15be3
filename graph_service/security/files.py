"""Owner-only folders, files and secret keys in the data folder.

Everything the security layer keeps on disk (the account database, the audit trail, the
keys) lives below ``<data_dir>`` in folders of mode 0700 and files of mode 0600: only the
service's own OS account may read them. A folder or file that is looser is tightened
when it is opened; a key file that is readable by others is refused, because the key may
already have leaked (the operator must replace it, see docs/security.md).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..config import PREFIX, Settings, env_value
from ..errors import ConfigError

__all__ = ["security_dir", "audit_dir", "secure_dir", "secure_file", "secret_key",
           "sqlite_transaction"]

DIR_MODE = 0o700
FILE_MODE = 0o600
MIN_KEY_CHARS = 16


def secure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) when missing; make it owner-only (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


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


def secret_key(env_name: str, path: Path, env: Mapping[str, str] | None = None) -> bytes:
    """A secret key from ``ONDERGRAAF_<env_name>``, a file named by ``..._FILE``, or ``path``.

    ``path`` is made when missing: 32 random bytes as hex, mode 0600 from creation on. A
    key file readable by group or others is refused with :class:`ConfigError`.
    """
    value = env_value(env_name, env)
    if value:
        if len(value) < MIN_KEY_CHARS:
            raise ConfigError(f"{PREFIX}{env_name} is te kort (minstens {MIN_KEY_CHARS} tekens)")
        return value.encode("utf-8")
    named = env_value(env_name + "_FILE", env)
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(f"{PREFIX}{env_name}_FILE: {path} bestaat niet")
    elif not path.exists():
        folder = secure_dir(path.parent)
        # write a complete key to a private temporary file, then link it into place: the
        # link fails when another process was first, so every process reads one key
        tmp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise ConfigError(
            f"{path}: sleutelbestand is leesbaar voor groep of anderen; vervang de "
            "sleutel en zet de rechten op 0600"
        )
    text = path.read_text(encoding="utf-8").strip()
    if len(text) < MIN_KEY_CHARS:
        raise ConfigError(f"{path}: sleutel is leeg of te kort (minstens {MIN_KEY_CHARS} tekens)")
    return text.encode("utf-8")


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
