"""An in-process sliding-window limiter for failed logins, per client IP and per user name.

On top of the account lockout (``security.users``: 5 wrong passwords lock an account for
15 minutes), the web login refuses more attempts once ``limit`` failures fell within the
last ``window`` seconds for the client IP or for the user name (HTTP 429). The lockout
protects one known account; the limiter also covers unknown user names, password spraying
from one address, and saves the argon2 work of hopeless attempts.

Only failures count, so many colleagues behind one NAT address who log in correctly do not
lock each other out. State lives in this process: a restart forgets it (the lockout, in the
account database, does not), and several processes each count for themselves.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable

__all__ = ["SlidingWindow"]


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

    def fail(self, keys: Iterable[str]) -> bool:
        """Count one failure for each of ``keys``; True when one of them is now blocked."""
        now = self._clock()
        reached = False
        with self._lock:
            for key in keys:
                events = self._recent(key, now)
                if events is None:
                    events = self._events[key] = deque(maxlen=self.limit)
                events.append(now)
                self._events.move_to_end(key)
                reached = reached or len(events) >= self.limit
            while len(self._events) > self.max_keys:  # bound the memory: oldest keys go
                self._events.popitem(last=False)
        return reached

    def clear(self) -> None:
        with self._lock:
            self._events.clear()
