"""A small thread-safe cache whose entries expire: values computed from the graph that may
be reused for a while (derived indicator parameters, the indicator overview's counts)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["TtlCache"]

V = TypeVar("V")


class TtlCache(Generic[V]):
    """``key -> value`` kept ``ttl`` seconds (0: never reuse); expired entries are dropped
    whenever a new value is stored."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[float, V]] = {}

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The value kept for ``key``, or ``compute()`` (stored for next time)."""
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and now - entry[0] < self.ttl:
                return entry[1]
        value = compute()
        if self.ttl > 0:
            with self._lock:
                for old in [k for k, (t, _) in self._entries.items() if now - t >= self.ttl]:
                    del self._entries[old]
                self._entries[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
