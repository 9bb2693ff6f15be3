"""Failed credentials, counted per address and per credential, in this process.

The rules (docs/security.md, "Brute force"):

* **Only failures count.** A wrong password, an unknown or revoked token. A refused purpose or
  reference, a bad parameter or an unknown entity (403/404/422 for a caller who *is*
  authenticated) is not a credential failure and is never counted.
* **Per credential: a lock-out.** ``limit`` failures within ``window`` seconds for one account
  name refuse that name's password logins with 429 until the window has passed, the right
  password included: the protection of the account being guessed (on top of the account
  lockout in ``security.users``). A token that failed ``limit`` times is answered 401 at
  once, without being looked up (or recorded) again.
* **Per address: a slow-down for invalid credentials only.** After ``limit`` failures from
  one client address, every *further invalid* credential from there is slowed: a wrong
  password is a 429 (``Retry-After``) and password checks for that address run one at a
  time (a second one at the same moment is a 429 at once, without the argon2 work); a wrong
  token is answered 401 after ``slowdown`` seconds. The slow-down is bounded: at most
  ``max_slowed`` answers wait at the same time in this process (one per address), the rest
  are answered at once, so waiting answers can never occupy the server's threads. A *valid*
  token, a valid session and a right password from the same address are answered as always,
  without delay: behind a town hall's NAT or proxy one client with a stale token must not
  lock out its colleagues.
* **Bounded memory.** Each key keeps at most ``limit`` timestamps; at most ``max_keys``
  addresses and ``max_keys`` credentials are kept (the oldest are forgotten first).

State lives in this process: a restart forgets it (the account lockout, in the account
database, does not), and several worker processes each count for themselves.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from typing import TypeVar

__all__ = ["SlidingWindow", "CredentialLimiter", "Limited", "token_key", "user_key"]

T = TypeVar("T")


class SlidingWindow:
    """Failures per key within the last ``window`` seconds; at most ``max_keys`` keys kept."""

    def __init__(self, limit: int = 10, window: float = 300.0, *, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str, now: float) -> deque[float] | None:
        events = self._events.get(key)
        if events is None:
            return None
        while events and events[0] <= now - self.window:
            events.popleft()
        if not events:
            del self._events[key]
            return None
        return events

    def blocked(self, keys: Iterable[str]) -> float:
        """Seconds until the first of ``keys`` may try again; 0 when none is blocked."""
        now = self._clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                events = self._recent(key, now)
                if events is not None and len(events) >= self.limit:
                    wait = max(wait, events[-self.limit] + self.window - now)
        return wait

    def count(self, key: str) -> int:
        """Failures of ``key`` within the window."""
        with self._lock:
            events = self._recent(key, self._clock())
            return 0 if events is None else len(events)

    def over_limit(self) -> list[str]:
        """The keys blocked now, oldest first (for operators and tests)."""
        now = self._clock()
        with self._lock:
            return [key for key in list(self._events)
                    if (events := self._recent(key, now)) is not None
                    and len(events) >= self.limit]

    def fail(self, keys: Iterable[str]) -> bool:
        """Count one failure for each of ``keys``; True when one of them reached the limit
        with this failure (not when it was over it already)."""
        now = self._clock()
        reached = False
        with self._lock:
            for key in keys:
                events = self._recent(key, now)
                if events is None:
                    events = self._events[key] = deque(maxlen=self.limit)
                before = len(events)
                events.append(now)
                self._events.move_to_end(key)
                reached = reached or (before < self.limit <= len(events))
            while len(self._events) > self.max_keys:  # bound the memory: oldest keys go
                self._events.popitem(last=False)
        return reached

    def clear(self) -> None:
        with self._lock:
            self._events.clear()


class Limited(Exception):
    """A credential is refused by the limiter: ``kind`` says why, ``wait`` for how long.

    ``kind``: ``"credential"`` (this account name or token failed too often), ``"address"``
    (an invalid credential from an address over its limit) or ``"busy"`` (a password check
    from a limited address while another one from there runs).
    """

    def __init__(self, kind: str, wait: float) -> None:
        super().__init__(kind)
        self.kind = kind
        self.wait = max(wait, 1.0)


def user_key(username: str) -> str:
    """The limiter's key of an account name."""
    return f"user:{username}"


def token_key(token: str) -> str:
    """The limiter's key of a token: its hash (the token itself is never kept)."""
    return "token:" + hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:32]


class CredentialLimiter:
    """The rules of the module doc around one credential check (:meth:`attempt`)."""

    def __init__(self, limit: int = 10, window: float = 300.0, *, max_keys: int = 10_000,
                 slowdown: float = 1.0, max_slowed: int = 4,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.limit = limit
        self.window = window
        self.slowdown = slowdown
        self.addresses = SlidingWindow(limit, window, max_keys=max_keys, clock=clock)
        self.credentials = SlidingWindow(limit, window, max_keys=max_keys, clock=clock)
        self._sleep = sleep
        self._slots = threading.BoundedSemaphore(max(1, max_slowed))
        self._busy: set[str] = set()  # addresses with a serial check or a slowed answer
        self._slowed: set[str] = set()
        self._lock = threading.Lock()

    @contextmanager
    def _one_at_a_time(self, address: str, wait: float) -> Iterator[None]:
        with self._lock:
            if address in self._busy:
                raise Limited("busy", wait)
            self._busy.add(address)
        try:
            yield
        finally:
            with self._lock:
                self._busy.discard(address)

    def _slow_down(self, address: str) -> None:
        """Wait ``slowdown`` seconds before a refusal; bounded (see the module doc)."""
        if self.slowdown <= 0:
            return
        with self._lock:
            if address in self._slowed or not self._slots.acquire(blocking=False):
                return  # one waiting answer per address, ``max_slowed`` in all
            self._slowed.add(address)
        try:
            self._sleep(self.slowdown)
        finally:
            with self._lock:
                self._slowed.discard(address)
            self._slots.release()

    def attempt(self, address: str, credential: str, check: Callable[[], T], *,
                failure: type[BaseException], serial: bool = False,
                refuse: bool = True, locked_out: Callable[[], BaseException] | None = None,
                on_limit: Callable[[], None] | None = None) -> T:
        """Run ``check`` (which raises ``failure`` for a wrong credential) under the rules.

        Returns what ``check`` returns for a valid credential, whatever the address's count.
        A credential over its limit raises :class:`Limited` (``refuse``, password logins) or
        ``locked_out()`` after the slow-down, without running ``check`` (tokens: the same
        refusal as a wrong token, without a look-up). A failure from an address
        over its limit raises :class:`Limited` (``refuse``) or ``failure`` after the
        slow-down; any other failure is counted and re-raised. ``serial``: for a limited
        address, one check at a time (for checks that cost much, like argon2). ``on_limit``
        is called once when this failure brings the address or the credential to the limit.
        """
        wait = self.credentials.blocked([credential])
        if wait:
            self.addresses.fail([address])
            if refuse or locked_out is None:
                raise Limited("credential", wait)
            self._slow_down(address)
            raise locked_out()
        limited = self.addresses.blocked([address])
        guard = self._one_at_a_time(address, limited) if serial and limited else nullcontext()
        with guard:
            try:
                return check()
            except failure:
                reached = self.addresses.fail([address])
                reached = self.credentials.fail([credential]) or reached
                if reached and on_limit is not None:
                    on_limit()
                if limited:
                    if refuse:
                        raise Limited("address", self.addresses.blocked([address])) from None
                    self._slow_down(address)
                raise

    def clear(self) -> None:
        self.addresses.clear()
        self.credentials.clear()
