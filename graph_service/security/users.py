"""Who someone is: local accounts behind a small :class:`IdentityProvider` protocol.

:class:`LocalAccounts` keeps accounts in SQLite at ``<data_dir>/security/users.sqlite``
(folder 0700, file 0600): user name, display name, roles, an argon2id password hash, a
disabled flag, a failed-login counter with a lockout time, and API tokens. A token is 32
random bytes (URL-safe text) shown once; only its SHA-256 is stored, with a name, when it
was made and last used, and when it was revoked.

A municipality that runs an OpenID Connect provider replaces :class:`LocalAccounts` by an
implementation of the same protocol that maps token claims to roles and keeps no
passwords (docs/security.md, "Identity provider").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..config import Settings, load_settings
from ..errors import InvalidParams, NotFound, OndergraafError
from .audit import Actor, AuditTrail
from .files import secure_file, security_dir, sqlite_transaction
from .policy import ROLES

__all__ = [
    "AuthenticationFailed",
    "Identity",
    "IdentityProvider",
    "LocalAccounts",
    "TokenInfo",
    "UserInfo",
    "MIN_PASSWORD_LENGTH",
    "TOKEN_PREFIX",
]

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
TOKEN_PREFIX = "og_"  # noqa: S105 - a marker, not a secret
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)  # how exactly a token's last use is kept
_USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-@")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username        TEXT PRIMARY KEY,
    display_name    TEXT NOT NULL,
    password_hash   TEXT,
    disabled        INTEGER NOT NULL DEFAULT 0,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created         TEXT NOT NULL,
    password_set    TEXT
);
CREATE TABLE IF NOT EXISTS user_roles (
    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    role     TEXT NOT NULL,
    PRIMARY KEY (username, role)
);
CREATE TABLE IF NOT EXISTS tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    username    TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created     TEXT NOT NULL,
    last_used   TEXT,
    revoked     TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS tokens_active_name
    ON tokens(username, name) WHERE revoked IS NULL;
"""


class AuthenticationFailed(OndergraafError):
    """Wrong user name, password or token, or the account is disabled or locked."""

    status_code = 401


@dataclass(frozen=True)
class Identity:
    """An authenticated user: what the policy needs to decide a scope."""

    username: str
    display_name: str
    roles: frozenset[str]
    method: str  # "password", "token", or e.g. "oidc"


@dataclass(frozen=True)
class TokenInfo:
    """An API token as listed (never the token itself)."""

    name: str
    created: str
    last_used: str | None
    revoked: str | None


@dataclass(frozen=True)
class UserInfo:
    """An account as listed for an administrator (never the password hash)."""

    username: str
    display_name: str
    roles: tuple[str, ...]
    disabled: bool
    failed_logins: int
    locked_until: str | None
    has_password: bool
    tokens: tuple[TokenInfo, ...] = field(default=())

    def locked(self, now: dt.datetime | None = None) -> bool:
        now = now or _now()
        return self.locked_until is not None and dt.datetime.fromisoformat(
            self.locked_until) > now


@runtime_checkable
class IdentityProvider(Protocol):
    """Where identities come from: local accounts today, the municipality's OIDC later."""

    def authenticate_password(self, username: str, password: str,
                              client: str = "") -> Identity:
        """The identity of a user who logs in with a password (raises on failure)."""
        ...

    def authenticate_token(self, token: str, client: str = "") -> Identity:
        """The identity behind a bearer token (raises :class:`AuthenticationFailed`)."""
        ...

    def lookup(self, username: str) -> Identity | None:
        """The current identity of ``username`` (roles may have changed), or None."""
        ...


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(moment: dt.datetime | None = None) -> str:
    return (moment or _now()).isoformat(timespec="seconds")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_username(username: str) -> str:
    name = username.strip().lower()
    if not name or len(name) > 64 or not set(name) <= _USERNAME_CHARS:
        raise InvalidParams(
            "gebruikersnaam: 1 tot 64 tekens uit a-z, 0-9 en . _ - @")
    return name


def _check_roles(roles: Iterable[str]) -> list[str]:
    chosen = sorted(set(roles))
    unknown = [r for r in chosen if r not in ROLES]
    if unknown:
        raise InvalidParams(f"onbekende rol(len) {unknown}; kies uit {', '.join(ROLES)}")
    return chosen


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidParams(f"wachtwoord te kort: minstens {MIN_PASSWORD_LENGTH} tekens")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidParams(f"wachtwoord te lang: hoogstens {MAX_PASSWORD_LENGTH} tekens")
    return password


class LocalAccounts:
    """Accounts in a local SQLite database; the default :class:`IdentityProvider`.

    Every change to an account and every failed login is written to the audit trail when
    one is given. Connections are opened per call, so one instance serves many threads.
    """

    def __init__(
        self,
        path: Path,
        *,
        audit: AuditTrail | None = None,
        hasher: PasswordHasher | None = None,
        max_failures: int = MAX_FAILURES,
        lockout: dt.timedelta = LOCKOUT,
    ) -> None:
        self.path = Path(path)
        self.audit = audit
        self.hasher = hasher or PasswordHasher()  # argon2id, RFC 9106 low-memory profile
        self.max_failures = max_failures
        self.lockout = lockout
        secure_file(self.path)
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.execute("PRAGMA journal_mode = WAL")  # -wal/-shm get the database's mode
            db.executescript(_SCHEMA)  # idempotent; executescript commits by itself
        self._dummy_hash: str | None = None

    @property
    def _dummy(self) -> str:
        """A hash to verify against when there is no usable one: same work, same time."""
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    @classmethod
    def open(cls, settings: Settings | None = None, *, audit: AuditTrail | None = None,
             env: Mapping[str, str] | None = None) -> LocalAccounts:
        """The service's accounts: ``<data_dir>/security/users.sqlite``."""
        settings = settings or load_settings(env)
        return cls(security_dir(settings) / "users.sqlite", audit=audit)

    # -- plumbing ----------------------------------------------------------------------------
    def _db(self, write: bool = True) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite_transaction(self.path, write=write)

    def _audit(self, actor: Actor | None, action: str, what: Mapping[str, object],
               *, outcome: str = "ok", username: str | None = None) -> None:
        if self.audit is None:
            return
        who = actor or Actor(username or "systeem")
        self.audit.record(who, action, dict(what), purpose="beheer" if action == "admin"
                          else None, outcome=outcome)

    def _row(self, db: sqlite3.Connection, username: str) -> sqlite3.Row:
        row: sqlite3.Row | None = db.execute(
            "SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        if row is None:
            raise NotFound(f"gebruiker {username!r} bestaat niet")
        return row

    @staticmethod
    def _roles(db: sqlite3.Connection, username: str) -> frozenset[str]:
        return frozenset(r[0] for r in db.execute(
            "SELECT role FROM user_roles WHERE username = ?", (username,)))

    def _identity(self, db: sqlite3.Connection, row: sqlite3.Row, method: str) -> Identity:
        return Identity(row["username"], row["display_name"],
                        self._roles(db, row["username"]), method)

    # -- accounts ----------------------------------------------------------------------------
    def create_user(self, username: str, roles: Iterable[str], *, display_name: str = "",
                    password: str | None = None, actor: Actor | None = None) -> UserInfo:
        """Create an account (without a password it can only use API tokens)."""
        name = _check_username(username)
        chosen = _check_roles(roles)
        if not chosen:
            raise InvalidParams("een gebruiker heeft minstens één rol")
        digest = self.hasher.hash(_check_password(password)) if password is not None else None
        with self._db() as db:
            if db.execute("SELECT 1 FROM users WHERE username = ?", (name,)).fetchone():
                raise InvalidParams(f"gebruiker {name!r} bestaat al")
            now = _stamp()
            db.execute(
                "INSERT INTO users (username, display_name, password_hash, created, "
                "password_set) VALUES (?, ?, ?, ?, ?)",
                (name, display_name.strip() or name, digest, now, now if digest else None))
            db.executemany("INSERT INTO user_roles (username, role) VALUES (?, ?)",
                           [(name, r) for r in chosen])
        self._audit(actor, "admin", {"name": "users add", "params": {
            "username": name, "roles": chosen, "password": digest is not None}})
        return self.get(name)

    def get(self, username: str) -> UserInfo:
        """One account as listed (raises :class:`NotFound`)."""
        name = _check_username(username)
        with self._db(write=False) as db:
            row = self._row(db, name)
            tokens = tuple(
                TokenInfo(t["name"], t["created"], t["last_used"], t["revoked"])
                for t in db.execute(
                    "SELECT name, created, last_used, revoked FROM tokens "
                    "WHERE username = ? ORDER BY id", (name,)))
            return UserInfo(
                username=row["username"], display_name=row["display_name"],
                roles=tuple(sorted(self._roles(db, name))), disabled=bool(row["disabled"]),
                failed_logins=row["failed_logins"], locked_until=row["locked_until"],
                has_password=row["password_hash"] is not None, tokens=tokens)

    def list_users(self) -> list[UserInfo]:
        """Every account, by user name."""
        with self._db(write=False) as db:
            names = [r[0] for r in db.execute("SELECT username FROM users ORDER BY username")]
        return [self.get(n) for n in names]

    def lookup(self, username: str) -> Identity | None:
        """The identity of an enabled account, or None."""
        try:
            name = _check_username(username)
        except InvalidParams:
            return None
        with self._db(write=False) as db:
            row = db.execute("SELECT * FROM users WHERE username = ?", (name,)).fetchone()
            if row is None or row["disabled"]:
                return None
            return self._identity(db, row, "lookup")

    def set_password(self, username: str, password: str, *, actor: Actor | None = None) -> None:
        """Set a new password; clears the failed-login counter and the lockout."""
        name = _check_username(username)
        digest = self.hasher.hash(_check_password(password))
        with self._db() as db:
            self._row(db, name)
            db.execute(
                "UPDATE users SET password_hash = ?, password_set = ?, failed_logins = 0, "
                "locked_until = NULL WHERE username = ?", (digest, _stamp(), name))
        self._audit(actor, "admin", {"name": "users password", "params": {"username": name}})

    def add_role(self, username: str, role: str, *, actor: Actor | None = None) -> None:
        name = _check_username(username)
        (checked,) = _check_roles([role])
        with self._db() as db:
            self._row(db, name)
            db.execute("INSERT OR IGNORE INTO user_roles (username, role) VALUES (?, ?)",
                       (name, checked))
        self._audit(actor, "admin", {"name": "users role", "params": {
            "username": name, "add": checked}})

    def remove_role(self, username: str, role: str, *, actor: Actor | None = None) -> None:
        name = _check_username(username)
        (checked,) = _check_roles([role])
        with self._db() as db:
            self._row(db, name)
            held = self._roles(db, name)
            if held == {checked}:
                raise InvalidParams(
                    f"{checked} is de laatste rol van {name}; schakel het account liever uit")
            db.execute("DELETE FROM user_roles WHERE username = ? AND role = ?",
                       (name, checked))
        self._audit(actor, "admin", {"name": "users role", "params": {
            "username": name, "remove": checked}})

    def set_disabled(self, username: str, disabled: bool, *, actor: Actor | None = None) -> None:
        """Disable (no login, no token works) or enable an account; enabling also unlocks."""
        name = _check_username(username)
        with self._db() as db:
            self._row(db, name)
            if disabled:
                db.execute("UPDATE users SET disabled = 1 WHERE username = ?", (name,))
            else:
                db.execute("UPDATE users SET disabled = 0, failed_logins = 0, "
                           "locked_until = NULL WHERE username = ?", (name,))
        self._audit(actor, "admin", {"name": "users disable" if disabled else "users enable",
                                     "params": {"username": name}})

    # -- passwords ---------------------------------------------------------------------------
    def verify_password(self, username: str, password: str, client: str = "") -> Identity:
        """The identity when the password is right; raises :class:`AuthenticationFailed`.

        Always does one argon2 verification (against a dummy hash for an unknown,
        disabled, locked or password-less account), so the time taken does not tell which
        case it was. ``MAX_FAILURES`` wrong passwords in a row lock the account for
        ``LOCKOUT``; a right password resets the counter. A hash made with older argon2
        parameters is replaced on a successful login.
        """
        try:
            name = _check_username(username)
        except InvalidParams:
            name = ""
        now = _now()
        identity: Identity | None = None
        with self._db() as db:
            row = db.execute("SELECT * FROM users WHERE username = ?", (name,)).fetchone()
            locked = bool(row is not None and row["locked_until"]
                          and dt.datetime.fromisoformat(row["locked_until"]) > now)
            usable = row is not None and not row["disabled"] and not locked \
                and row["password_hash"] is not None
            stored = row["password_hash"] if usable and row is not None else self._dummy
            try:
                self.hasher.verify(stored, password)
                good = usable
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                good = False
            if row is not None and good:
                if self.hasher.check_needs_rehash(stored):
                    db.execute("UPDATE users SET password_hash = ? WHERE username = ?",
                               (self.hasher.hash(password), name))
                db.execute("UPDATE users SET failed_logins = 0, locked_until = NULL "
                           "WHERE username = ?", (name,))
                identity = self._identity(db, row, "password")
            elif row is not None and usable:
                failures = row["failed_logins"] + 1
                until = _stamp(now + self.lockout) if failures >= self.max_failures else None
                db.execute("UPDATE users SET failed_logins = ?, locked_until = ? "
                           "WHERE username = ?",
                           (0 if until else failures, until, name))
        if identity is not None:
            self._audit(Actor(name, tuple(sorted(identity.roles)), client), "login",
                        {"name": "login", "params": {"method": "password"}})
            return identity
        reason = ("onbekende gebruiker" if row is None else "account uitgeschakeld"
                  if row["disabled"] else "account tijdelijk geblokkeerd" if locked
                  else "geen wachtwoord" if row["password_hash"] is None
                  else "onjuist wachtwoord")
        self._audit(Actor(name or "onbekend", (), client), "login_failed",
                    {"name": "login", "params": {"method": "password", "reason": reason}},
                    outcome="denied")
        # one message for every case: the caller learns nothing about which it was
        raise AuthenticationFailed("onjuiste gebruikersnaam of wachtwoord, of account geblokkeerd")

    def authenticate_password(self, username: str, password: str,
                              client: str = "") -> Identity:
        """:meth:`verify_password` under the :class:`IdentityProvider` name."""
        return self.verify_password(username, password, client)

    # -- tokens ------------------------------------------------------------------------------
    @staticmethod
    def _token_name(name: str) -> str:
        label = name.strip()
        if not label or len(label) > 64:
            raise InvalidParams("tokennaam: 1 tot 64 tekens")
        return label

    def _new_token(self, db: sqlite3.Connection, user: str, label: str) -> str:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        db.execute("INSERT INTO tokens (username, name, token_hash, created) "
                   "VALUES (?, ?, ?, ?)", (user, label, _token_hash(token), _stamp()))
        return token

    def issue_token(self, username: str, name: str, *, actor: Actor | None = None) -> str:
        """A new API token for ``username``; the only time the token itself is seen."""
        user, label = _check_username(username), self._token_name(name)
        with self._db() as db:
            self._row(db, user)
            if db.execute("SELECT 1 FROM tokens WHERE username = ? AND name = ? "
                          "AND revoked IS NULL", (user, label)).fetchone():
                raise InvalidParams(
                    f"{user} heeft al een geldig token {label!r}; gebruik --rotate")
            token = self._new_token(db, user, label)
        self._audit(actor, "admin", {"name": "users token", "params": {
            "username": user, "token": label}})
        return token

    def rotate_token(self, username: str, name: str, *, actor: Actor | None = None) -> str:
        """Revoke the valid token ``name`` (if any) and issue a new one, in one transaction."""
        user, label = _check_username(username), self._token_name(name)
        with self._db() as db:
            self._row(db, user)
            db.execute("UPDATE tokens SET revoked = ? WHERE username = ? AND name = ? "
                       "AND revoked IS NULL", (_stamp(), user, label))
            token = self._new_token(db, user, label)
        self._audit(actor, "admin", {"name": "users token", "params": {
            "username": user, "token": label, "rotate": True}})
        return token

    def revoke_token(self, username: str, name: str, *, actor: Actor | None = None) -> None:
        """Revoke the valid token ``name`` of ``username`` (raises :class:`NotFound`)."""
        user, label = _check_username(username), self._token_name(name)
        with self._db() as db:
            cur = db.execute("UPDATE tokens SET revoked = ? WHERE username = ? AND name = ? "
                             "AND revoked IS NULL", (_stamp(), user, label))
            if cur.rowcount == 0:
                raise NotFound(f"{user} heeft geen geldig token {label!r}")
        self._audit(actor, "admin", {"name": "users revoke-token", "params": {
            "username": user, "token": label}})

    def authenticate_token(self, token: str, client: str = "") -> Identity:
        """The identity behind a valid token of an enabled account; notes its last use.

        The token is looked up by its SHA-256: a token has 256 bits of randomness, so the
        lookup time reveals nothing useful and no stored value can be replayed.
        """
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            self._audit(Actor("onbekend", (), client), "login_failed",
                        {"name": "token", "params": {"reason": "geen token"}},
                        outcome="denied")
            raise AuthenticationFailed("ongeldig token")
        with self._db(write=False) as db:
            hit = db.execute(
                "SELECT t.id, t.last_used, u.* FROM tokens t "
                "JOIN users u ON u.username = t.username "
                "WHERE t.token_hash = ? AND t.revoked IS NULL", (_token_hash(token),)
            ).fetchone()
            identity = (self._identity(db, hit, "token")
                        if hit is not None and not hit["disabled"] else None)
        if hit is not None and identity is not None:
            now = _now()
            if hit["last_used"] is None or dt.datetime.fromisoformat(
                    hit["last_used"]) < now - TOKEN_USE_RESOLUTION:
                with self._db() as db:  # at most one write a minute per token
                    db.execute("UPDATE tokens SET last_used = ? WHERE id = ?",
                               (_stamp(now), hit["id"]))
            return identity
        self._audit(Actor(hit["username"] if hit is not None else "onbekend", (), client),
                    "login_failed", {"name": "token", "params": {
                        "reason": "account uitgeschakeld" if hit is not None
                        else "onbekend of ingetrokken token"}}, outcome="denied")
        raise AuthenticationFailed("ongeldig token")
