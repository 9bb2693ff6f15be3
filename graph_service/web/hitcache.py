"""Indicator hits reused for a short while: the indicator pages and graph highlighting.

Running an indicator over the whole graph is the expensive step of an indicator page, and
graphs mark every node that is the subject of a hit. Hits are computed per (indicator,
evaluation date) and kept for ``ONDERGRAAF_HIT_CACHE_SECONDS`` (default 300; 0 = never
reuse). Loads run in another process, so a page may show hits up to that long after a load.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable

from flask import current_app

from .. import access, risk
from ..indicators import list_indicators
from ..risk import Hit
from ..store import Store

__all__ = ["HitCache", "hit_cache"]

ScopeKey = tuple[frozenset[str], bool, bytes] | None
CacheKey = tuple[int, ScopeKey, str, dt.date]


def _scope_key(s: access.Scope | None) -> ScopeKey:
    """What decides the hits a scope gets: its visible classes and its pseudonyms (not the
    label, which names the user's roles and reference)."""
    return None if s is None else (s.visible, s.pseudonymise, s.pseudonym_key)


class HitCache:
    """Hits per (store, access scope, indicator code, as_of), kept for ``ttl`` seconds.

    The scope is part of the key: what one scope may see never answers another. Scopes
    that see the same (two dossier references of the Bibob-toets) share their hits.
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._entries: dict[CacheKey, tuple[float, list[Hit]]] = {}

    def hits(self, store: Store, code: str, as_of: dt.date) -> list[Hit]:
        """All hits of one indicator (raises ``NotFound`` for an unknown code)."""
        key = (id(store), _scope_key(access.current()), code.upper(), as_of)
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and now - entry[0] < self.ttl:
                return entry[1]
        found = risk.hits(store, code, as_of)
        if self.ttl > 0:
            with self._lock:
                self._entries[key] = (time.monotonic(), found)
        return found

    def codes_by_uid(
        self, store: Store, as_of: dt.date, labels: Iterable[str] | None = None
    ) -> dict[str, list[str]]:
        """``uid -> indicator codes`` over every indicator that fires on one of ``labels``."""
        wanted = None if labels is None else set(labels)
        out: dict[str, list[str]] = {}
        for indicator in list_indicators(store.registry):
            if wanted is not None and not wanted.intersection(indicator.fires_on):
                continue
            for hit in self.hits(store, indicator.code, as_of):
                out.setdefault(hit.uid, []).append(indicator.code)
        return out

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def hit_cache() -> HitCache:
    """The app's hit cache (created on first use)."""
    app = current_app
    cache: HitCache | None = app.extensions.get("ondergraaf_hits")
    if cache is None:
        cache = HitCache(float(app.config.get("HIT_CACHE_SECONDS", 300)))
        app.extensions.setdefault("ondergraaf_hits", cache)
        cache = app.extensions["ondergraaf_hits"]
    return cache
