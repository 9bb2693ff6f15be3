"""The server side of a web session: which logins are still valid.

The session itself is Flask's signed cookie (``HttpOnly``, ``SameSite=Strict``, ``Secure``):
it carries a random session id, the user name, the CSRF token and the chosen purpose. A
signed cookie alone cannot be taken back, so every login is also registered here, in
``<data_dir>/security/sessions.sqlite`` (0600): the SHA-256 of the session id, the user,
the time of login and of the last request. A request counts as logged in only while its
session id is registered, younger than :data:`MAX_AGE` (8 hours) and used within
:data:`IDLE` (30 minutes). Logging out deletes the row, so a copied cookie stops working
at once; the rows of expired sessions are deleted as new logins come in.

Only the hash of the session id is stored (like API tokens): a copy of the database gives
nobody a usable session. The last use is written at most once a minute per session.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, closing
from pathlib import Path

from ..security.files import secure_file, sqlite_transaction

__all__ = ["SessionRegistry", "MAX_AGE", "IDLE"]

MAX_AGE = 8 * 3600.0  # seconds a login lasts at most
IDLE = 30 * 60.0  # seconds without a request after which a login ends
TOUCH_EVERY = 60.0  # how exactly the last use is kept

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    sid_hash  TEXT PRIMARY KEY,
    username  TEXT NOT NULL,
    created   REAL NOT NULL,
    last_seen REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(username);
"""


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


class SessionRegistry:
    """Registered logins in SQLite; one instance serves many threads (a connection a call)."""

    def __init__(self, path: Path, *, max_age: float = MAX_AGE, idle: float = IDLE,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.max_age = max_age
        self.idle = idle
        self.clock = clock
        secure_file(self.path)
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(_SCHEMA)

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite_transaction(self.path)

    def create(self, username: str) -> str:
        """Register a new login of ``username``; returns its session id (256 random bits)."""
        sid = secrets.token_urlsafe(32)
        now = self.clock()
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE created < ? OR last_seen < ?",
                       (now - self.max_age, now - self.idle))
            db.execute("INSERT INTO sessions (sid_hash, username, created, last_seen) "
                       "VALUES (?, ?, ?, ?)", (_hash(sid), username, now, now))
        return sid

    def check(self, sid: str, username: str) -> bool:
        """True while the login ``sid`` of ``username`` is registered and not expired.

        Notes the use (at most once a minute); deletes the row of an expired login.
        """
        if not sid or len(sid) > 100:
            return False
        key = _hash(sid)
        now = self.clock()
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            row = db.execute("SELECT username, created, last_seen FROM sessions "
                             "WHERE sid_hash = ?", (key,)).fetchone()
        if row is None or row[0] != username:
            return False
        created, last_seen = float(row[1]), float(row[2])
        if created < now - self.max_age or last_seen < now - self.idle:
            self.drop(sid)
            return False
        if now - last_seen >= TOUCH_EVERY:
            with self._db() as db:
                db.execute("UPDATE sessions SET last_seen = ? WHERE sid_hash = ?", (now, key))
        return True

    def drop(self, sid: str) -> None:
        """End the login ``sid`` (logout)."""
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE sid_hash = ?", (_hash(sid),))

    def drop_user(self, username: str) -> int:
        """End every login of ``username``; how many there were."""
        with self._db() as db:
            return db.execute("DELETE FROM sessions WHERE username = ?", (username,)).rowcount

    def count(self) -> int:
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            return int(db.execute("SELECT count(*) FROM sessions").fetchone()[0])
