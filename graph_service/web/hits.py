"""Indicator hits for the pages and the API: one page of an indicator's hits, capped counts
for the overview, the hits of shown entities.

:func:`hits_page` cuts the whole-graph hits of one indicator in the indicator's Cypher
(SKIP/LIMIT after its ORDER BY uid), for ``/api/indicators/<code>/hits`` and the indicator
page alike.

The overview (``/indicatoren``) shows per indicator how many entities it fires on. When
the stored hits are current (:mod:`graph_service.risk.stored`) that is one count of the
stored hits under the caller's scope, read per request. Otherwise it is a whole-graph run
per indicator, the expensive kind; that count is capped at :data:`COUNT_CAP` (the run asks
the engine for one more hit than that, so Python never holds more) and kept per (access
scope, indicator, evaluation date) for ``ONDERGRAAF_HIT_CACHE_SECONDS`` (default 300; 0 =
never reuse).

Pages and the API read a page of the stored hits the same way (:func:`hits_page`, through
:func:`graph_service.risk.hits`), and graphs and hotspot lists the stored hits of the
entities they show. A list of hits builds only the few evidence paths it shows of each hit
(``max_paths``, :data:`LIST_PATHS` on the indicator page); the count of all paths, the
grades and "onbevestigd" stay those of all, and the entity's profile shows every path.

Graphs, hotspot lists and profiles mark the entities they show that an indicator fires
on: :func:`codes_of` runs the applicable indicators on exactly those entities (each found
by the uid index), never over the whole graph.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import current_app

from .. import risk
from ..risk import stored
from ..risk.evidence import EntityRef
from ..risk.indicators import MAX_PATHS, Indicator
from ..store import Store, access
from ..ttlcache import TtlCache

__all__ = ["COUNT_CAP", "LIST_PATHS", "HitCounts", "codes_of", "hit_counts", "hits_page"]

#: The overview counts up to this many hits per indicator and shows "meer dan" beyond it.
COUNT_CAP = 1000
#: Evidence paths built per hit on a list of hits (the indicator page shows the first path
#: of up to three groups of similar paths; a hit's profile shows them all).
LIST_PATHS = 3

ScopeKey = tuple[frozenset[str], bool, bytes] | None


def _scope_key(s: access.Scope | None) -> ScopeKey:
    """What decides the hits a scope gets: its visible classes and its pseudonyms (not the
    label, which names the user's roles and reference)."""
    return None if s is None else (s.visible, s.pseudonymise, s.pseudonym_key)


class HitCounts:
    """Capped hit counts per (store, access scope, indicator code, as_of), kept ``ttl`` s.

    The scope is part of the key: what one scope may see never answers another.
    """

    def __init__(self, ttl: float) -> None:
        self._cache: TtlCache[int] = TtlCache(ttl)
        self._stored: TtlCache[dict[str, int]] = TtlCache(max(ttl, 60.0))

    def count(self, store: Store, code: str, as_of: dt.date) -> tuple[int, bool]:
        """``(hits, capped)``: at most :data:`COUNT_CAP`, ``capped`` when more exist."""
        source = stored.source_for(store, as_of, codes=[code.upper()])
        if source.stored:  # the counts of one published run never change: kept per run
            counts = self._stored.get((id(store), _scope_key(access.current()), source.run),
                                      lambda: stored.stored_counts(store))
            found = counts.get(code.upper(), 0)
            return min(found, COUNT_CAP), found > COUNT_CAP
        key = (id(store), _scope_key(access.current()), code.upper(), as_of)
        found = self._cache.get(
            key, lambda: len(risk.hits(store, code, as_of, limit=COUNT_CAP + 1,
                                       max_paths=0)))
        return min(found, COUNT_CAP), found > COUNT_CAP

    def clear(self) -> None:
        self._cache.clear()
        self._stored.clear()


def hit_counts() -> HitCounts:
    """The app's hit counts (created on first use)."""
    app = current_app
    cache: HitCounts | None = app.extensions.get("ondergraaf_hits")
    if cache is None:
        cache = HitCounts(float(app.config.get("HIT_CACHE_SECONDS", 300)))
        app.extensions.setdefault("ondergraaf_hits", cache)
        cache = app.extensions["ondergraaf_hits"]
    return cache


def codes_of(
    store: Store, entities: Iterable[EntityRef], as_of: dt.date
) -> dict[str, list[str]]:
    """``uid -> indicator codes`` that fire on these entities (only those with a hit)."""
    out: dict[str, list[str]] = {}
    for hit in risk.hits_on_entities(store, list(entities), as_of):
        out.setdefault(hit.uid, []).append(hit.code)
    return out


def hits_page(
    store: Store, indicator: Indicator, as_of: dt.date, offset: int, limit: int,
    max_paths: int = MAX_PATHS,
) -> tuple[list[risk.Hit], bool]:
    """Hits ``offset`` to ``offset + limit`` of one indicator (by uid) and whether more
    follow: the statement returns at most ``limit + 1`` rows. Each hit is built with up
    to ``max_paths`` of its paths (``path_count`` says how many it has)."""
    found = risk.hits(store, indicator.code, as_of, offset=offset, limit=limit + 1,
                      max_paths=max_paths)
    return found[:limit], len(found) > limit
