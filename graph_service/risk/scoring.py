"""Indicator hits with their explanation, and risk scores that decompose into hits.

A :class:`Hit` names the entity an indicator fired on, the indicator, the evidence paths
through the graph and every distinct fact on them with its provenance. A hit is
``onbevestigd`` (unconfirmed) when all its facts are ungraded (X6 or F6).

Risk score of an entity = the sum over its hits of ``severity x grade weight``. The grade
weight comes from the BEST source-reliability letter among the hit's evidence (the
contract, docs/indicators.md)::

    A 1.0   B 0.8   C 0.6   D 0.4   E 0.3   F 0.2   X (not graded) 0.2

A hit without any grade counts as X. The score is never shown without its hits: every
:class:`RiskScore` lists each hit with its contribution, and the contributions sum to the
score.

Examples
--------
>>> from graph_service.store import open_store
>>> with open_store() as store:                               # doctest: +SKIP
...     for hit in hits(store, "STRAW_MAN"):
...         print(hit.uid, hit.measure, hit.weight)
...     print(risk(store, "person:0a1b2c3d4e5f6a7b").to_dict()["score"])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import NotFound
from ..store import Store
from . import sentences, stored
from .evidence import (
    EntityRef,
    Evidence,
    EvidencePath,
    PathGroup,
    best_grade,
    evidence_of,
    fetch_entities,
    group_paths,
    hit_grade,
    raw_path_key,
    raw_summary,
)
from .indicators import (
    ALL_HITS,
    MAX_PATHS,
    Indicator,
    get_indicator,
    indicator_params,
    list_indicators,
    resolve_thresholds,
)

__all__ = [
    "GRADE_WEIGHTS",
    "ANCHOR_BATCH",
    "Contribution",
    "Hit",
    "Indicator",
    "RiskScore",
    "grade_weight",
    "hits",
    "hits_on_entities",
    "hits_on_entity",
    "hits_on_groups",
    "list_indicators",
    "risk",
]

GRADE_WEIGHTS: Mapping[str, float] = {
    "A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.3, "F": 0.2, "X": 0.2,
}
ThresholdsByCode = Mapping[str, Mapping[str, Any]]
# At most this many entities per run of an indicator on given entities (``$uids``): each
# run starts from its entities by the uid index (one range seek per uid), so a Bibob
# screening (its parties plus up to 250 network entities) costs one run per indicator,
# not one per entity; a whole-graph run of a network indicator takes seconds to minutes
# (BIBOB_RELATED_SIGNAL: 87 s at 100k; docs/benchmarks.md) and is never used for it.
ANCHOR_BATCH = 500
#: Indicators whose sentence reads only a shortest path (:mod:`.sentences`): a hit built
#: with its first few paths (shortest first) says the same. The sentence of any other
#: indicator with deciding facts reads all its paths, built for it when a list cuts them.
_SENTENCE_FROM_SHORTEST = frozenset({"BIBOB_RELATED_SIGNAL"})


def _told_by_shown(code: str) -> bool:
    """Whether a hit's sentence needs only the paths a page shows (not all of them)."""
    return code not in sentences.FACTS or code in _SENTENCE_FROM_SHORTEST


def grade_weight(grade: str | None) -> float:
    """Weight of a grade by its reliability letter; no grade counts as X."""
    letter = (grade or "X")[:1].upper()
    return GRADE_WEIGHTS.get(letter, GRADE_WEIGHTS["X"])


@dataclass(frozen=True)
class Hit:
    """One indicator firing on one entity, with the paths and facts that explain it."""

    entity: EntityRef
    code: str
    title: str
    severity: int
    measure: Any
    paths: tuple[EvidencePath, ...]
    evidence: tuple[Evidence, ...]
    onbevestigd: bool
    best_grade: str | None
    weight: float
    #: The hit's grade: of its best-supported path, a path as good as its weakest fact
    #: (shown with the hit; the weight follows ``best_grade``, docs/risk.md "Grades").
    grade: str | None = None
    #: The hit in one Dutch sentence: measure, unit, threshold, deciding facts.
    sentence: str = ""
    #: The paths in groups of similar paths (:func:`.evidence.group_paths`).
    path_groups: tuple[PathGroup, ...] = ()
    #: How many evidence paths the hit has; more than ``len(paths)`` when only the first
    #: few were built (``max_paths``, a list page). Grades and ``onbevestigd`` are of all.
    path_count: int = 0

    @property
    def uid(self) -> str:
        return self.entity.uid

    @property
    def label(self) -> str:
        return self.entity.label

    @property
    def name(self) -> str | None:
        return self.entity.name

    @classmethod
    def build(cls, indicator: Indicator, entity: EntityRef, row: Mapping[str, Any],
              values: Mapping[str, Any] | None = None, max_paths: int = MAX_PATHS) -> Hit:
        """A hit from one indicator result row ``{uid, paths, measure}``; ``values`` are
        the run's thresholds and derived values (for the sentence).

        Only the first ``max_paths`` paths (by length, then node uids) are kept, with
        their facts and groups; ``path_count``, the grades, ``onbevestigd`` and the
        sentence are of all the row's paths (a list page shows a few paths of each hit)."""
        memo: dict[int, Any] = {}  # a fact on several paths is built once
        raw = list(row.get("paths") or ())
        summary = row.get("summary")  # a stored hit read with its first paths only
        cut = len(raw) > max_paths or summary is not None
        shown = sorted(raw, key=raw_path_key)[:max(max_paths, 0)] if cut else raw
        paths = sorted((EvidencePath.of(p, memo) for p in shown), key=lambda p: p.sort_key)
        facts = evidence_of(paths)
        told = paths
        if summary is not None:
            best, grade = summary["best_grade"], summary["grade"]
            ungraded = summary["onbevestigd"]
        elif cut:
            best, grade, ungraded = raw_summary(raw)
            if not _told_by_shown(indicator.code):
                told = sorted((EvidencePath.of(p, memo) for p in raw),
                              key=lambda p: p.sort_key)
        else:
            best = best_grade(g for f in facts for g in f.provenance.grades)
            grade = hit_grade(paths)
            ungraded = all(f.provenance.ungraded for f in facts)
        return cls(
            entity=entity,
            code=indicator.code,
            title=indicator.title,
            severity=indicator.severity,
            measure=row.get("measure"),
            paths=tuple(paths),
            evidence=tuple(facts),
            onbevestigd=ungraded,
            best_grade=best,
            weight=grade_weight(best),
            grade=grade,
            sentence=sentences.sentence(indicator.code, indicator.sentence, row.get("measure"),
                                        told, values or {}),
            path_groups=tuple(group_paths(paths)),
            path_count=summary["path_count"] if summary is not None else len(raw),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.entity.to_dict(),
            "code": self.code,
            "title": self.title,
            "severity": self.severity,
            "measure": self.measure,
            "paths": [p.to_dict() for p in self.paths],
            "evidence": [e.to_dict() for e in self.evidence],
            "onbevestigd": self.onbevestigd,
            "best_grade": self.best_grade,
            "weight": self.weight,
            "grade": self.grade,
            "sentence": self.sentence,
            "path_groups": [g.to_dict() for g in self.path_groups],
            "path_count": self.path_count,
        }


@dataclass(frozen=True)
class Contribution:
    """A hit and what it adds to the score: ``severity x weight``."""

    hit: Hit
    contribution: float

    def to_dict(self) -> dict[str, Any]:
        return {**self.hit.to_dict(), "contribution": self.contribution}


@dataclass(frozen=True)
class RiskScore:
    """The risk score of one entity and the hits it is made of."""

    entity: EntityRef
    as_of: dt.date
    score: float
    hits: tuple[Contribution, ...]
    #: Whether the hits are the stored ones of a refresh or computed live, and why.
    source: stored.Source = stored.Source(False)

    @property
    def uid(self) -> str:
        return self.entity.uid

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.entity.to_dict(),
            "as_of": self.as_of.isoformat(),
            "score": self.score,
            "formula": ("som over de hits van ernst x gewicht; het gewicht volgt de beste "
                        "betrouwbaarheid van één feit in het bewijs"),
            "grade_weights": dict(GRADE_WEIGHTS),
            "hits": [c.to_dict() for c in self.hits],
            "hits_source": self.source.to_dict(),
        }


def _run(
    store: Store,
    indicator: Indicator,
    params: Mapping[str, Any],
    known: Mapping[str, EntityRef] | None = None,
    max_paths: int = MAX_PATHS,
) -> list[Hit]:
    """Run one indicator with its parameters (:func:`indicator_params`); ``known`` are
    the entities already fetched (the ``$uids`` it ran on), the others are fetched;
    ``max_paths`` as in :meth:`Hit.build`."""
    rows = store.read(indicator.statement, params)
    if known is None:
        known = fetch_entities(store, [r["uid"] for r in rows])
    return _built(indicator, rows, known, params, max_paths)


def _built(indicator: Indicator, rows: Sequence[Mapping[str, Any]],
           known: Mapping[str, EntityRef], params: Mapping[str, Any],
           max_paths: int = MAX_PATHS) -> list[Hit]:
    values = {k: params.get(k) for k in (*indicator.thresholds, *indicator.derived)}
    return [
        Hit.build(indicator, known.get(r["uid"]) or EntityRef(r["uid"], "Entity", None), r,
                  values, max_paths)
        for r in rows
    ]


def hits(
    store: Store,
    code: str,
    as_of: dt.date | None = None,
    uid: str | None = None,
    thresholds: Mapping[str, Any] | None = None,
    offset: int = 0,
    limit: int | None = None,
    max_paths: int = MAX_PATHS,
) -> list[Hit]:
    """The hits of one indicator on ``as_of`` (default today), by entity uid.

    Parameters
    ----------
    store : the graph.
    code : indicator code, e.g. ``"STRAW_MAN"`` (case-insensitive).
    as_of : evaluation date.
    uid : only the hit on this entity (at most one).
    thresholds : overrides for this indicator, e.g. ``{"min_orgs": 6}``, on top of the
        defaults and the ``ONDERGRAAF_THRESHOLDS`` file.
    offset, limit : a page of the hits by uid, cut in the engine (``limit`` None: all).
    max_paths : evidence paths built per hit (:meth:`Hit.build`; a list page asks for a
        few, ``path_count`` and the grades stay those of all up to :data:`MAX_PATHS`).
        Stored and live hits are both read with all their paths and cut here alike.

    Stored hits (:mod:`.stored`) answer when they are current for ``as_of`` and the
    scope; threshold overrides and every other case run the indicator live.

    Raises
    ------
    NotFound : unknown indicator code.
    InvalidParams : unknown threshold name or a value that is not a number.
    """
    indicator = get_indicator(code, store.registry)
    day = as_of or dt.date.today()
    if thresholds:
        resolve_thresholds(indicator, thresholds)  # a bad override fails as before
    if stored.source_for(store, day, bool(thresholds), [indicator.code]).stored:
        end = None if limit is None else offset + limit
        if uid is None:
            rows = stored.stored_page(store, indicator.code, offset,
                                      ALL_HITS if limit is None else limit,
                                      max_paths if _told_by_shown(indicator.code)
                                      else MAX_PATHS)
        else:
            rows = stored.stored_rows(store, [indicator.code], [uid])[indicator.code]
            rows = rows[offset:end]
        return _built(indicator, rows, fetch_entities(store, [r["uid"] for r in rows]),
                      indicator_params(store, indicator, day), max_paths)
    params = indicator_params(store, indicator, day,
                              None if uid is None else [uid], thresholds, skip_hits=offset,
                              max_hits=ALL_HITS if limit is None else limit)
    return _run(store, indicator, params, max_paths=max_paths)


def hits_on_entity(
    store: Store,
    uid: str,
    as_of: dt.date | None = None,
    thresholds: ThresholdsByCode | None = None,
) -> list[Hit]:
    """The hits of every indicator that fires on this entity's label.

    ``thresholds`` maps indicator codes to overrides (``{"STRAW_MAN": {"min_orgs": 6}}``).
    Raises :class:`NotFound` when no entity has ``uid``.
    """
    entity = fetch_entities(store, [uid]).get(uid)
    if entity is None:
        raise NotFound(f"geen entiteit met uid {uid!r}")
    return _entity_hits(store, entity, as_of or dt.date.today(), thresholds)


def _entity_hits(
    store: Store, entity: EntityRef, as_of: dt.date, thresholds: ThresholdsByCode | None
) -> list[Hit]:
    return hits_on_entities(store, [entity], as_of, thresholds)


def hits_on_entities(
    store: Store,
    entities: Sequence[EntityRef],
    as_of: dt.date | None = None,
    thresholds: ThresholdsByCode | None = None,
    max_paths: int = MAX_PATHS,
) -> list[Hit]:
    """The hits of every applicable indicator on each of ``entities``, by indicator code.

    An indicator runs on up to :data:`ANCHOR_BATCH` entities at a time, each reached by the
    uid index; its parameters (thresholds, derived values) are computed once. Each hit
    keeps up to ``max_paths`` evidence paths.
    """
    return _hits_and_source(store, entities, as_of or dt.date.today(), thresholds,
                            max_paths)[0]


def _hits_and_source(
    store: Store,
    entities: Sequence[EntityRef],
    as_of: dt.date,
    thresholds: ThresholdsByCode | None,
    max_paths: int = MAX_PATHS,
) -> tuple[list[Hit], stored.Source]:
    indicators = list_indicators(store.registry)
    overridden = any(bool(v) for v in (thresholds or {}).values())
    source = stored.source_for(store, as_of, overridden, [i.code for i in indicators])
    if source.stored:
        for code, values in (thresholds or {}).items():  # empty overrides: still checked
            resolve_thresholds(get_indicator(code, store.registry), values)
        rows = stored.stored_rows(store, [i.code for i in indicators],
                                  [e.uid for e in entities], max_paths)
        out: list[Hit] = []
        for indicator in indicators:
            wanted = {e.uid: e for e in entities if e.label in indicator.fires_on}
            found_rows = [r for r in rows[indicator.code] if r["uid"] in wanted]
            out += _built(indicator, found_rows, wanted,
                          indicator_params(store, indicator, as_of) if found_rows else {})
        return out, source
    found: list[Hit] = []
    for indicator in indicators:
        wanted = {e.uid: e for e in entities if e.label in indicator.fires_on}
        if not wanted:
            continue
        overrides = (thresholds or {}).get(indicator.code)
        params = indicator_params(store, indicator, as_of, None, overrides, max_paths)
        uids = sorted(wanted)
        for start in range(0, len(uids), ANCHOR_BATCH):
            chunk = uids[start:start + ANCHOR_BATCH]
            found += _run(store, indicator, {**params, "uids": chunk}, wanted)
    return found, source


def hits_on_groups(
    store: Store,
    groups: Sequence[tuple[Sequence[EntityRef], int]],
    as_of: dt.date,
    thresholds: ThresholdsByCode | None = None,
) -> list[Hit]:
    """:func:`hits_on_entities` of each group of ``(entities, max_paths)`` in turn, the
    hits of one group after the other's. Stored hits are read for all groups at once
    (one check of their state, one read per :data:`stored.REFRESH_BATCH` entities); live
    runs go group by group."""
    indicators = list_indicators(store.registry)
    overridden = any(bool(v) for v in (thresholds or {}).values())
    if not stored.source_for(store, as_of, overridden, [i.code for i in indicators]).stored:
        return [h for entities, max_paths in groups
                for h in hits_on_entities(store, entities, as_of, thresholds, max_paths)]
    for code, values in (thresholds or {}).items():  # empty overrides: still checked
        resolve_thresholds(get_indicator(code, store.registry), values)
    rows = stored.stored_rows(store, [i.code for i in indicators],
                              [e.uid for entities, _ in groups for e in entities],
                              max((m for _, m in groups), default=MAX_PATHS))
    params: dict[str, dict[str, Any]] = {}
    out: list[Hit] = []
    for entities, max_paths in groups:
        for indicator in indicators:
            wanted = {e.uid: e for e in entities if e.label in indicator.fires_on}
            found_rows = [{**r, "paths": r["paths"][:max_paths]}
                          for r in rows[indicator.code] if r["uid"] in wanted]
            if found_rows and indicator.code not in params:
                params[indicator.code] = indicator_params(store, indicator, as_of)
            out += _built(indicator, found_rows, wanted, params.get(indicator.code, {}))
    return out


def risk(
    store: Store,
    uid: str,
    as_of: dt.date | None = None,
    thresholds: ThresholdsByCode | None = None,
) -> RiskScore:
    """The risk score of one entity: its hits, each weighted by its best grade.

    Contributions are ``severity x weight`` rounded to 4 decimals, the score is their sum
    (also rounded to 4 decimals); hits are listed by contribution, largest first.
    """
    as_of = as_of or dt.date.today()
    entity = fetch_entities(store, [uid]).get(uid)
    if entity is None:
        raise NotFound(f"geen entiteit met uid {uid!r}")
    found, source = _hits_and_source(store, [entity], as_of, thresholds)
    contributions = [Contribution(h, round(h.severity * h.weight, 4)) for h in found]
    contributions.sort(key=lambda c: (-c.contribution, c.hit.code))
    score = round(sum(c.contribution for c in contributions), 4)
    return RiskScore(entity, as_of, score, tuple(contributions), source)
