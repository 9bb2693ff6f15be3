"""One door for reading the graph outside the web: a session under a declared purpose.

The web app resolves a logged-in user's scope per request and audits every answer. A
command on the server, a notebook or any other Python use reads through a
:class:`Session`, with the same rules:

* **Who.** The OS user running the process (``os:<user>``, as the CLI records it), acting
  in the purpose's own role (:data:`.operator.OPERATOR_ROLE`) or in a ``role`` named for
  it (``riec_liaison`` with ``bibob_toets``: the RIEC supporting a Bibob decision); or a
  named ``account`` of the service, which logs in with its password or API token and brings
  its own roles.
* **For what.** A declared purpose and its reference (``bibob_toets`` needs the dossier
  number, ``riec_casus`` the case number; without a purpose: ``analyse``, persons
  pseudonymised). :func:`.policy.resolve` gives the scope; a pair it refuses is refused
  here too, and recorded (``denied``).
* **One audit record per read.** :meth:`Session.read` runs one function of the query, risk
  or analysis API under the scope and writes one record (the function, its parameters, the
  entity uids it returned, ``ok`` or ``error``). :meth:`Session.reading` does the same for
  a block (what the CLI's commands use).
* **Enforced in the store.** A session holds its store: while it is open the store answers
  no read outside the session's audited reads, and none under another scope (a scope made
  by hand, ``access.FULL``, a nested ``access.scope``), see ``Store.read_guard``. A session
  cannot be made around the policy: :class:`Session` has no public constructor.

In a notebook::

    session = Session.open("bibob_toets", "2025-0012", role="riec_liaison")
    report = session.read(screening.screen, "2025-0012", as_of=AS_OF)
    session.close()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from ..config import Settings, load_settings
from ..errors import AccessDenied
from ..store import Store, access, open_store
from ..store.access import Scope
from .absence import Absent, absent_sources
from .audit import Actor, AuditTrail
from .operator import DEFAULT_PURPOSE, OPERATOR_ROLE, CommandAudit, local_actor
from .policy import PURPOSES, check_reference, resolve
from .users import LocalAccounts

__all__ = ["Session"]

T = TypeVar("T")

#: The session whose audited read is running in this context (thread, task, request).
_reading: ContextVar[Session | None] = ContextVar("ondergraaf_session_read", default=None)
#: The constructor's key: only :meth:`Session.open` makes a session.
_KEY = object()
_MAX_ITEMS = 20  # list items and mapping entries kept when a call's parameters are described
_MAX_TEXT = 200


def _describe(value: Any, depth: int = 0) -> Any:
    """A call's parameter as the audit record keeps it: small, JSON, no whole objects."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value if len(value) <= _MAX_TEXT else value[:_MAX_TEXT] + "…"
    if isinstance(value, dt.date):
        return value.isoformat()
    uid = getattr(value, "uid", None)
    if isinstance(uid, str):
        return uid
    if depth < 2 and isinstance(value, Mapping) and len(value) <= _MAX_ITEMS:
        return {str(k): _describe(v, depth + 1) for k, v in value.items()}
    if depth < 2 and isinstance(value, list | tuple | set | frozenset) \
            and len(value) <= _MAX_ITEMS:
        return [_describe(v, depth + 1) for v in value]
    size = len(value) if hasattr(value, "__len__") else None
    return {"type": type(value).__name__, **({"count": size} if size is not None else {})}


def _returned(value: Any, depth: int = 0) -> Any:
    """A function's result in the dict-and-list shape whose ``uid`` keys the audit collects:
    ``to_dict()`` of results, and the nodes of a networkx graph (their ids are uids)."""
    if depth > 4:
        return None
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return value.to_dict()
    if hasattr(value, "nodes") and hasattr(value, "edges") and callable(value.nodes):
        return [{"uid": n} for n in value.nodes if isinstance(n, str)]
    if isinstance(value, Mapping):
        return {str(k): _returned(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_returned(v, depth + 1) for v in value]
    return value if isinstance(value, str | int | float | bool) or value is None else None


def _name(fn: Callable[..., Any]) -> str:
    module = getattr(fn, "__module__", "") or ""
    return f"{module}.{getattr(fn, '__qualname__', repr(fn))}".lstrip(".")


class Session:
    """Reads of one actor for one declared purpose, under its scope, each one audited.

    Open one with :meth:`open`; read with :meth:`read` (a function of the query, risk or
    analysis API, given the store first) or :meth:`reading` (a block); close it with
    :meth:`close` or use it as a context manager.
    """

    def __init__(self, key: object, *, store: Store, owns_store: bool, scope: Scope,
                 actor: Actor, purpose: str, reference: str | None,
                 trail: AuditTrail) -> None:
        if key is not _KEY:
            raise TypeError("open a session with Session.open(purpose, reference, ...): "
                            "its scope comes from the policy, never from the caller")
        self._store = store
        self._owns_store = owns_store
        self._scope = scope
        self._actor = actor
        self._purpose = purpose
        self._reference = reference
        self._trail = trail
        self._closed = False

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        purpose: str | None = None,
        reference: str | None = None,
        *,
        role: str | None = None,
        account: str | None = None,
        password: str | None = None,
        token: str | None = None,
        store: Store | None = None,
        settings: Settings | None = None,
        audit: AuditTrail | None = None,
        what: Mapping[str, Any] | None = None,
    ) -> Session:
        """A session of the OS user (or of ``account``) for ``purpose`` and ``reference``.

        Parameters
        ----------
        purpose, reference : the declared purpose (default ``analyse``) and its dossier or
            case number, checked as the web and the CLI check them.
        role : the role to act in: for the OS user, instead of the purpose's own role (as
            ``ondergraaf ... --role``); for an account, one of its roles.
        account, password, token : log in as this account of the service (with its
            password or one of its API tokens) and act in its roles.
        store : the store to read (the session holds it until closed, and closes it only
            when it opened it itself); default the configured store.
        settings, audit : configuration and audit trail (default: the configured ones).
        what : what to record when the purpose is refused (default: this call).

        Raises
        ------
        AccessDenied : an unknown purpose, a missing or malformed reference, roles that may
            not work for the purpose, or a store that another open session holds.
        AuthenticationFailed : a wrong password or token for ``account``.
        AuditError : the audit trail cannot take records (nothing is read then).
        """
        settings = settings or load_settings()
        trail = audit or AuditTrail.open(settings)
        trail.check_appendable()
        purpose = purpose or DEFAULT_PURPOSE
        described = dict(what) if what is not None else {
            "name": "session", "params": {"purpose": purpose, "reference": reference,
                                          "role": role, "account": account}}
        base = local_actor()
        if account is not None:
            users = LocalAccounts.open(settings, audit=trail)
            if token is not None:
                identity = users.authenticate_token(token, base.client)
            else:
                identity = users.authenticate_password(account, password or "", base.client)
            held = tuple(sorted(identity.roles))
            acting = (role,) if role is not None else held
            actor = Actor(identity.username, acting, f"{base.client} (python)")
        else:
            acting = tuple(r for r in (role or OPERATOR_ROLE.get(purpose, ""),) if r)
            actor = Actor(base.name, acting, base.client)
        try:
            if account is not None and identity.username != account:
                raise AccessDenied(f"het token hoort niet bij account {account}")
            if account is not None and role is not None and role not in held:
                raise AccessDenied(f"account {identity.username} heeft de rol {role} niet")
            ref = check_reference(purpose, reference)  # an unknown purpose fails here
            scope = resolve(acting, purpose, ref, settings=settings)
        except AccessDenied as exc:
            trail.record(actor, "denied", {**described, "reason": str(exc)},
                         purpose=purpose if purpose in PURPOSES else None,
                         reference=reference, outcome="denied")
            raise
        owns = store is None
        target = store if store is not None else open_store(settings)
        session = cls(_KEY, store=target, owns_store=owns, scope=scope, actor=actor,
                      purpose=purpose, reference=ref, trail=trail)
        held_by = getattr(target.read_guard, "__self__", None)
        if isinstance(held_by, Session) and not held_by.closed:
            if owns:
                target.close()
            raise AccessDenied("deze graaf hoort al bij een open sessie; sluit die eerst")
        target.read_guard = session._guard
        return session

    # -- what it is ------------------------------------------------------------------------------
    @property
    def scope(self) -> Scope:
        return self._scope

    @property
    def purpose(self) -> str:
        return self._purpose

    @property
    def reference(self) -> str | None:
        return self._reference

    @property
    def actor(self) -> Actor:
        return self._actor

    @property
    def store(self) -> Store:
        """The store this session holds; it reads only inside :meth:`read`/:meth:`reading`."""
        return self._store

    @property
    def closed(self) -> bool:
        return self._closed

    def absent_sources(self) -> tuple[Absent, ...]:
        """The kinds of source this session does not see, and how to get them."""
        return absent_sources(self._scope)

    def __repr__(self) -> str:
        ref = f" {self._reference}" if self._reference else ""
        state = ", gesloten" if self._closed else ""
        return (f"<Session {self._actor.name} als {'+'.join(self._actor.roles) or '-'}, "
                f"doel {self._purpose}{ref}, ziet {', '.join(sorted(self._scope.visible))}"
                f"{state}>")

    # -- reading ---------------------------------------------------------------------------------
    def _guard(self, name: str, current: Scope | None) -> None:
        """The store's read guard while this session holds it."""
        if self._closed:
            raise AccessDenied(f"{name}: de sessie is gesloten; open een nieuwe sessie")
        if _reading.get() is not self:
            raise AccessDenied(f"{name}: deze graaf leest alleen via de sessie "
                               "(session.read(...)), met een record in het logboek")
        if current is not self._scope:
            raise AccessDenied(f"{name}: binnen de sessie geldt alleen de toegang van haar "
                               f"doel ({self._scope.label})")

    @contextmanager
    def reading(self, what: Mapping[str, Any], action: str = "read") -> Iterator[CommandAudit]:
        """Run a block under the session's scope and write one audit record when it ends.

        The trail is checked first (one that cannot take the record stops the block before
        it reads anything). The record has ``what``, the uids passed to
        :meth:`CommandAudit.returned`, and ``outcome`` ``ok`` or ``error``.
        """
        if self._closed:
            raise AccessDenied("de sessie is gesloten; open een nieuwe sessie")
        self._trail.check_appendable()
        audited = CommandAudit(self._actor, self._scope, self._purpose, self._reference,
                               dict(what))
        outcome = "error"
        token = _reading.set(self)
        try:
            with access.scope(self._scope):
                yield audited
            outcome = "ok"
        finally:
            _reading.reset(token)
            self._trail.record(self._actor, action, audited.what, purpose=self._purpose,
                               reference=self._reference, uids=audited.uids,
                               outcome=outcome)

    def read(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(store, *args, **kwargs)`` under the session's scope, with one audit record.

        ``fn`` is a reading function of the package that takes the store first
        (``risk.hits``, ``screening.screen``, ``analysis.entities_graph``, ...).
        """
        params = {**{str(i): _describe(a) for i, a in enumerate(args)},
                  **{k: _describe(v) for k, v in kwargs.items()}}
        with self.reading({"name": _name(fn), "params": params}) as audited:
            result = fn(self._store, *args, **kwargs)
            audited.returned(_returned(result))
        return result

    # -- closing ---------------------------------------------------------------------------------
    def close(self) -> None:
        """End the session: it reads no more; the store is closed when the session opened it."""
        if self._closed:
            return
        self._closed = True
        if getattr(self._store.read_guard, "__self__", None) is self:
            self._store.read_guard = None
        if self._owns_store:
            self._store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
