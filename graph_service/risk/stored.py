"""Indicator hits as data: computed once per load, stored in the graph, read per request.

Every indicator runs after a load (``ondergraaf load`` calls
:func:`.recorder.refresh_after_load`) and on ``ondergraaf hits refresh``; its hits are
stored as ``Hit`` nodes, one per (indicator, subject, access scope)::

    (:Hit {code, subject, scope, bucket, purposes, classes, measure, grade, paths, run})

``scope``     the purpose classes the hit was computed under, sorted, each followed by a
              comma (``"bibob,municipal,open,"``); ``bucket`` is ``"<code>|<scope>"``
``purposes``  the same classes as a list (the access filter's usual form)
``classes``   the purpose classes of the facts its evidence rests on (for explanation)
``measure``   the indicator's measure
``grade``     the best grade among its evidence (on the stored paths)
``paths``     up to ``MAX_PATHS`` evidence paths as JSON, in the indicator's own path order
              and as the engine returned them under that scope (provenance trimmed)
``run``       the ``HitRun`` that produced it

Visibility. An indicator sees only visible facts, so its hits (and their measures and
paths) depend on the scope. The refresh therefore runs every indicator once per scope
the policy can give (:data:`SCOPES`: the unions of the grants of the roles that may work
for one purpose) and a read takes the hits computed for exactly the caller's classes
(``read/hits_*`` test ``h.scope`` against ``$visible``): reading stored hits under any of
these scopes gives what running the indicator under it gives, paths and measure included
(``tests/risk/test_hits_store.py`` compares both for every indicator and purpose). A hit is
thus visible to a scope only when every fact its evidence rests on is. Persons are
pseudonymised on read, as any read is. A scope outside :data:`SCOPES` is computed live.

Freshness. The graph counts its writes (``GraphState.generation``, bumped by the store
before and after every write statement, or at the start and end of a load's run of writes,
which marks the graph as being written meanwhile; from any process;
``graph_service.store.base``). A refresh reads the generation before it starts and is
published only when it is unchanged at the end and no run of writes is open
(``write/hits_publish``). Stored hits are served only while the published
generation is the current one, for the evaluation date and retention day they were
computed on, with the thresholds configured then and for the indicators that exist: in
every other case the caller gets the indicator run live, and :class:`Source` says why
(``wordt herberekend``: a write happened since, or a new day began). Threshold overrides
per call and other evaluation dates are always computed live.

Incremental refresh. A load remembers the entities whose facts it changed beyond their
provenance stamps (:mod:`.recorder`). When the stored hits were current before the load
(or changes left for later wait on them) and nothing else wrote meanwhile, an indicator
is recomputed only on the entities it fires on within its reach (:data:`REACH`: the
relationship types its pattern follows and the number of steps) of a changed entity, and
for an indicator that needs a signal only along paths a signal reaches (:mod:`.reach`),
and for one that counts only those its count allows (:data:`.reach.MAY_FIRE`);
an indicator with a derived value (the median rent) whose value changed, or with too
many entities to recompute, is refreshed whole.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import itertools
import json
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..errors import NotFound, QueryTimeout
from ..security.policy import POLICY
from ..store import Store, access
from .evidence import best_grade
from .hitpaths import pack_paths, stored_row
from .indicators import (
    MAX_PATHS,
    Indicator,
    configured_thresholds,
    derived_value,
    indicator_params,
    list_indicators,
    resolve_thresholds,
)
from .reach import (
    FROM_FAR,
    FROM_FAR_AT,
    LIST_ENTITY,
    MAY_FIRE,
    MONOTONE,
    NEEDS,
    REACH,
    TooFar,
    Walk,
    from_far_end,
    may_fire,
    reached_from,
    within_reach,
)

__all__ = [
    "REACH",
    "SCOPES",
    "HitState",
    "RunReport",
    "Source",
    "changes",
    "diff_runs",
    "read_state",
    "refresh",
    "scope_key",
    "source_for",
    "stored_counts",
    "stored_page",
    "stored_rows",
]

#: Anchors per indicator run in a refresh (each found by the uid index).
REFRESH_BATCH = 500
#: Rows per write of stored hits.
WRITE_BATCH = 500
#: A refresh holds the hits it computed back until every indicator is computed, up to
#: this many characters of their (compressed) paths (:class:`_Held`; at 100k entities
#: 2,354 hits, 18 MB with the rest of their rows).
HOLD_CHARS = 64_000_000
#: Records of this many refreshes are kept (``ondergraaf hits runs`` and ``hits diff``).
KEEP_RUNS = 30
#: An incremental refresh recomputes an indicator whole when more of its entities than
#: this are within reach of the changes (a hub touched), or more than half of them.
MAX_INCREMENTAL = 20_000
#: A walk of the refresh (:class:`.reach.Walk`) gives up past this many entities.
WALK_BOUND = 20 * MAX_INCREMENTAL
#: Indicators a refresh computes at the same time, each in its own thread with its own
#: reads and writes: the engines answer reads on several threads, so one indicator's
#: Python (decoding, evidence paths, hit rows) runs beside another's engine work. The
#: indicators share nothing but the entities and neighbours read once per refresh
#: (:class:`_Entities`, :class:`.reach.Walk`), and each writes only its own code's hits.
REFRESH_WORKERS = 2


def _policy_scopes() -> tuple[frozenset[str], ...]:
    """Every set of purpose classes a user can get: per purpose, the union of the grants
    of any non-empty set of roles that may work for it (empty sets see nothing)."""
    by_purpose: dict[str, list[frozenset[str]]] = {}
    for (_, purpose), grant in POLICY.items():
        by_purpose.setdefault(purpose, []).append(grant.visible)
    found: set[frozenset[str]] = set()
    for grants in by_purpose.values():
        unions: set[frozenset[str]] = set()
        for g in grants:
            unions |= {g} | {g | u for u in unions}
        found |= unions
    found.add(access.FULL.visible)
    return tuple(sorted((s for s in found if s), key=lambda s: (-len(s), sorted(s))))


#: The access scopes hits are stored for (the system's full scope among them).
SCOPES: tuple[frozenset[str], ...] = _policy_scopes()


def scope_key(visible: Iterable[str]) -> str:
    """``{"open", "bibob"}`` -> ``"bibob,open,"`` (as ``read/hits_*`` build it from
    ``$visible``)."""
    return "".join(f"{c}," for c in sorted(visible))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _thresholds_text(store: Store) -> str:
    return json.dumps(configured_thresholds(registry=store.registry), sort_keys=True)


# -- the state: which refresh is current ---------------------------------------------------------
@dataclass(frozen=True)
class HitState:
    """The graph's write count and the refresh published last (``read/hits_state``)."""

    generation: int
    hits_generation: int | None = None
    run: str | None = None
    as_of: str | None = None
    today: str | None = None
    thresholds: str | None = None
    codes: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    derived: Mapping[str, Any] = field(default_factory=dict)
    finished: str | None = None
    #: changes left for a later refresh (:mod:`.recorder`): from the hits of generation
    #: ``pending_base`` to the graph of generation ``pending_to``
    pending_base: int | None = None
    pending_to: int | None = None

    @property
    def current(self) -> bool:
        """A refresh is published and nothing was written since it started."""
        return self.run is not None and self.hits_generation == self.generation


def read_state(store: Store) -> HitState:
    """The state of the stored hits (a graph without one: generation 0, nothing stored)."""
    rows = store.read("read/hits_state")
    if not rows:
        return HitState(0)
    r = rows[0]
    return HitState(
        generation=int(r["generation"] or 0),
        hits_generation=r.get("hits_generation"),
        run=r.get("run"),
        as_of=r.get("as_of"),
        today=r.get("today"),
        thresholds=r.get("thresholds"),
        codes=tuple(r.get("codes") or ()),
        scopes=tuple(r.get("scopes") or ()),
        derived=json.loads(r["derived"]) if r.get("derived") else {},
        finished=r.get("finished"),
        pending_base=r.get("pending_base"),
        pending_to=r.get("pending_to"),
    )


@dataclass(frozen=True)
class Source:
    """Where a caller's hits come from: the stored run, or a live run and why."""

    stored: bool
    run: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"stored": self.stored, "run": self.run, "reason": self.reason}


LIVE_OVERRIDE = "drempels voor deze vraag aangepast: live berekend"
LIVE_RECOMPUTING = "wordt herberekend: live berekend"
LIVE_NOT_COMPUTED = "nog niet vooraf berekend: live berekend"
LIVE_DATE = "andere peildatum dan de vooraf berekende: live berekend"
LIVE_SCOPE = "voor dit doel niet vooraf berekend: live berekend"


def source_for(store: Store, as_of: dt.date, overrides: bool = False,
               codes: Iterable[str] = ()) -> Source:
    """Whether stored hits answer a question on ``as_of`` under the current scope."""
    if overrides:
        return Source(False, reason=LIVE_OVERRIDE)
    scope = access.current()
    if scope is None:
        return Source(False, reason=LIVE_SCOPE)
    state = read_state(store)
    if state.run is None:
        return Source(False, reason=LIVE_NOT_COMPUTED)
    if state.as_of != as_of.isoformat():
        if state.current and state.as_of == state.today and as_of != access.today():
            return Source(False, state.run, LIVE_DATE)
        return Source(False, state.run, LIVE_RECOMPUTING)
    if (not state.current or state.today != access.today().isoformat()
            or state.thresholds != _thresholds_text(store)
            or not set(codes) <= set(state.codes)):
        return Source(False, state.run, LIVE_RECOMPUTING)
    if scope_key(scope.visible) not in state.scopes:
        return Source(False, state.run, LIVE_SCOPE)
    return Source(True, state.run)


# -- reading stored hits --------------------------------------------------------------------------
def stored_rows(store: Store, codes: Sequence[str], uids: Sequence[str],
                max_paths: int = MAX_PATHS) -> dict[str, list[dict[str, Any]]]:
    """Stored hit rows ``{uid, measure, paths}`` per code on ``uids``, by uid, as the
    indicators' own runs return them (call :func:`source_for` first)."""
    scope = access.current()
    assert scope is not None
    out: dict[str, list[dict[str, Any]]] = {c: [] for c in codes}
    if not codes or not uids:
        return out
    ordered = sorted(set(uids))
    for start in range(0, len(ordered), REFRESH_BATCH):
        chunk = ordered[start:start + REFRESH_BATCH]
        for raw in store.read("read/hits_on_subjects", {"uids": chunk, "codes": list(codes)}):
            out[raw["code"]].append(stored_row(raw, max_paths, scope))
    for rows in out.values():
        rows.sort(key=lambda r: r["uid"])
    return out


def stored_page(store: Store, code: str, offset: int, limit: int,
                max_paths: int = MAX_PATHS) -> list[dict[str, Any]]:
    """Stored hit rows of one indicator, ``offset`` to ``offset + limit`` by uid. A hit
    with more than ``max_paths`` paths comes with only its first ``max_paths`` paths ready
    for the scope and a ``summary`` of all of them (``hitpaths.stored_row``; a list page)."""
    scope = access.current()
    assert scope is not None
    rows = store.read("read/hits_page", {"bucket": f"{code}|{scope_key(scope.visible)}",
                                         "skip": offset, "limit": limit})
    return [stored_row(r, max_paths, scope, head=True) for r in rows]


def stored_counts(store: Store) -> dict[str, int]:
    """How many stored hits each indicator has under the current scope."""
    scope = access.current()
    assert scope is not None
    rows = store.read("read/hits_counts", {"scope": scope_key(scope.visible)})
    return {r["code"]: int(r["hits"]) for r in rows}


# -- the refresh ---------------------------------------------------------------------------
@dataclass
class RunReport:
    """What one refresh did."""

    run: str
    kind: str  # "full" or "incremental"
    published: bool
    seconds: float
    hits: dict[str, int] = field(default_factory=dict)  # per code, in the full scope
    recomputed: dict[str, int | str] = field(default_factory=dict)  # entities, or "alle"
    touched: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per code
    #: per code, hits new, ended and changed since the run published before (full scope)
    changes: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"run": self.run, "kind": self.kind, "published": self.published,
                "seconds": round(self.seconds, 3), "hits": self.hits,
                "recomputed": self.recomputed, "touched": self.touched,
                "timings": {k: round(v, 3) for k, v in self.timings.items()},
                "changes": self.changes}


@contextmanager
def _computing(visible: frozenset[str]) -> Iterator[None]:
    with access.scope(access.Scope(visible=visible, label="hits/refresh")):
        yield


@dataclass(frozen=True)
class _Fact:
    """What decides whether a scope sees an entity (as the access filter decides it)."""

    purposes: frozenset[str]
    bewaren_tot: str | None

    def seen_by(self, visible: frozenset[str], today: str) -> bool:
        return bool(self.purposes & visible) and (
            self.bewaren_tot is None or str(self.bewaren_tot) >= today)


def _fact(row: Mapping[str, Any]) -> _Fact:
    return _Fact(frozenset(str(p) for p in row.get("purposes") or ()), row.get("bewaren_tot"))


class _Entities:
    """The entities of each label (and the list entities, :data:`.reach.LIST_ENTITY`), and
    the facts of single entities, each read once per refresh (``read/hits_anchors``,
    ``read/hits_list_entities``, ``read/hits_labels``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.by_label: dict[str, dict[str, _Fact]] = {}
        self._facts: dict[str, _Fact] = {}

    def facts(self, uids: Iterable[str]) -> dict[str, _Fact]:
        """The facts of those of ``uids`` that exist."""
        wanted = sorted(set(uids))
        missing = [u for u in wanted if u not in self._facts]
        for start in range(0, len(missing), REFRESH_BATCH):
            for r in self.store.read("read/hits_labels",
                                     {"uids": missing[start:start + REFRESH_BATCH]}):
                self._facts[r["uid"]] = _fact(r)
        return {u: self._facts[u] for u in wanted if u in self._facts}

    def of(self, label: str) -> dict[str, _Fact]:
        if label not in self.by_label:
            rows = (self.store.read("read/hits_list_entities") if label == LIST_ENTITY
                    else self.store.read("read/hits_anchors", {"label": label}))
            # the uids come in one list per pair of purposes and bewaren_tot
            self.by_label[label] = {uid: fact for r in rows for fact in (_fact(r),)
                                    for uid in r["uids"]}
        return self.by_label[label]

    def anchors(self, indicator: Indicator) -> dict[str, _Fact]:
        found: dict[str, _Fact] = {}
        for label in indicator.fires_on:
            found.update(self.of(label))
        return found

    def any_seen(self, label: str, visible: frozenset[str], today: str) -> bool:
        return any(f.seen_by(visible, today) for f in self.of(label).values())


def _classes(paths: Sequence[Mapping[str, Any]]) -> tuple[list[str], str | None]:
    classes: set[str] = set()
    grades: list[str] = []
    for path in paths:
        for item in (*path.get("nodes", ()), *path.get("relationships", ())):
            classes.update(str(c) for c in item.get("purposes") or ())
            grades += [str(g) for g in item.get("grades") or ()]
    return sorted(classes), best_grade(grades)


def _compute(store: Store, indicator: Indicator, anchors: Mapping[str, _Fact],
             as_of: dt.date, run: str, entities: _Entities) -> Iterator[dict[str, Any]]:
    """The hit rows to store for ``anchors`` in every scope of :data:`SCOPES`. An anchor
    runs only in the scopes that see it (the indicator tests it itself: a scope that
    does not see the entity gets no hit on it). For a :data:`MONOTONE` indicator a
    scope runs only on the anchors that every wider scope, computed before it (widest
    first), found a hit on."""
    today = access.today().isoformat()
    found: dict[frozenset[str], set[str]] = {}
    for visible in SCOPES:
        key = scope_key(visible)
        need = NEEDS.get(indicator.code)
        if need is not None and not entities.any_seen(need, visible, today):
            continue
        seen = sorted(u for u, f in anchors.items() if f.seen_by(visible, today))
        if indicator.code in MONOTONE:
            for wider, hit in found.items():
                if visible < wider:
                    seen = [u for u in seen if u in hit]
        found[visible] = set()
        if not seen:
            continue
        with _computing(visible):
            params = indicator_params(store, indicator, as_of, None, None, MAX_PATHS)
            for batch in _runs(store, indicator, params, seen):
                for r in batch:
                    found[visible].add(r["uid"])
                    paths = r.get("paths") or []
                    classes, grade = _classes(paths)
                    yield {
                        "code": indicator.code, "subject": r["uid"], "scope": key,
                        "bucket": f"{indicator.code}|{key}", "purposes": sorted(visible),
                        "classes": classes, "measure": r.get("measure"), "grade": grade,
                        "paths": pack_paths(paths),
                        "run": run,
                    }


def _from_far(indicator: Indicator, entities: int) -> bool:
    """Whether ``indicator`` is computed from the far end on this many entities
    (:data:`FROM_FAR`, :data:`FROM_FAR_AT`)."""
    return indicator.code in FROM_FAR and entities >= FROM_FAR_AT


def _runs(store: Store, indicator: Indicator, params: Mapping[str, Any],
          seen: list[str]) -> Iterator[list[dict[str, Any]]]:
    """The indicator's rows on ``seen`` (the current scope's), a batch at a time: by its
    own statement, or for many entities of an indicator in :data:`.reach.FROM_FAR` from
    the far end (:func:`.reach.from_far_end`)."""
    if _from_far(indicator, len(seen)):
        yield from from_far_end(store, indicator.code, params, seen)
        return

    def run(chunk: list[str]) -> list[dict[str, Any]]:
        return store.read(indicator.statement, {**params, "uids": chunk})

    for start in range(0, len(seen), REFRESH_BATCH):
        yield _run_chunk(run, seen[start:start + REFRESH_BATCH])


def _run_chunk(run: Callable[[list[str]], list[dict[str, Any]]],
               chunk: list[str]) -> list[dict[str, Any]]:
    """``run`` on ``chunk``; a run the engine cancels (the read timeout) is split in halves
    and run again, down to one entity (which then fails)."""
    try:
        return run(chunk)
    except QueryTimeout:
        if len(chunk) == 1:
            raise
        half = len(chunk) // 2
        return _run_chunk(run, chunk[:half]) + _run_chunk(run, chunk[half:])


def _derived(store: Store, indicator: Indicator, as_of: dt.date) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for visible in SCOPES:
        with _computing(visible):
            for name in indicator.derived:
                values[f"{name}|{scope_key(visible)}"] = derived_value(store, name, as_of)
    return values


def _within_reach(indicator: Indicator, touched: set[str], limit: int, walk: Walk,
                  entities: _Entities) -> dict[str, _Fact] | None:
    """The entities ``indicator`` fires on whose hits a change of ``touched`` can change
    (:func:`.reach.within_reach`; for a :data:`NEEDS` indicator only on paths from a
    node of its label); None when more than ``limit`` (then it is refreshed whole)."""
    if not touched:
        return {}
    need = NEEDS.get(indicator.code)
    try:
        found = within_reach(walk, indicator.code, indicator.fires_on, touched,
                             None if need is None else entities.of(need))
    except TooFar:
        return None
    if len(found) > limit:
        return None
    return entities.facts(found)


def _thresholds(store: Store, indicator: Indicator) -> dict[str, Any]:
    """The thresholds a refresh runs ``indicator`` with (the configured ones)."""
    return resolve_thresholds(indicator, configured_thresholds(
        registry=store.registry).get(indicator.code))


def _candidates(store: Store, indicator: Indicator, entities: _Entities, walk: Walk
                ) -> dict[str, _Fact]:
    """The entities a full refresh runs ``indicator`` on: those it may fire on by its
    count (:data:`.reach.MAY_FIRE`); or, when it cannot fire without a node of a
    :data:`NEEDS` label, those its reach leads to from one (the others have no hit in any
    scope), unless it finds them itself from the far end (:data:`FROM_FAR`); else every
    one it fires on."""
    anchors = entities.anchors(indicator)
    if indicator.code in MAY_FIRE:
        found = may_fire(store, indicator.code, _thresholds(store, indicator))
        return {u: f for u, f in anchors.items() if u in found}
    need = NEEDS.get(indicator.code)
    if need is None or _from_far(indicator, len(anchors)):
        return anchors
    try:
        near = reached_from(walk, indicator.code, indicator.fires_on, entities.of(need))
    except TooFar:
        return anchors
    return {u: f for u, f in anchors.items() if u in near}


def _delete_code(store: Store, code: str) -> None:
    while store.write("write/hits_delete_code",
                      {"code": code, "limit": 10_000}).nodes_deleted:
        pass


def _delete_subjects(store: Store, code: str, subjects: Sequence[str]) -> None:
    for start in range(0, len(subjects), WRITE_BATCH):
        store.write_rows("write/hits_delete_subjects", [
            {"code": code, "subject": u} for u in subjects[start:start + WRITE_BATCH]],
            batch_size=WRITE_BATCH)


def _store_rows(store: Store, rows: Iterable[dict[str, Any]]) -> None:
    """Write hit rows as they are computed, a batch at a time."""
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= WRITE_BATCH:
            store.write_rows("write/hits_create", batch, batch_size=WRITE_BATCH)
            batch = []
    if batch:
        store.write_rows("write/hits_create", batch, batch_size=WRITE_BATCH)


def _record(store: Store, report: RunReport, status: str, started: str, state: HitState,
            as_of: dt.date, thresholds: str, codes: list[str], derived: Mapping[str, Any],
            keys: Sequence[Sequence[Any]] = ()) -> None:
    store.write("write/hits_record_run", {
        "uid": report.run, "kind": report.kind, "status": status, "started": started,
        "finished": _now() if status != "running" else "", "generation": state.generation,
        "as_of": as_of.isoformat(), "today": access.today().isoformat(),
        "thresholds": thresholds, "codes": codes, "scopes": [scope_key(s) for s in SCOPES],
        "derived": json.dumps(derived, sort_keys=True, default=str),
        "counts": json.dumps({"hits": report.hits, "recomputed": report.recomputed,
                              "changes": report.changes}, sort_keys=True),
        "keys": json.dumps(list(keys), default=str), "touched": report.touched,
        "seconds": round(report.seconds, 3)})


def refresh(store: Store, touched: Iterable[str] | None = None,
            as_of: dt.date | None = None, expected_generation: int | None = None,
            removed: Iterable[tuple[str, str, str]] = ()) -> RunReport:
    """Compute and store the hits of every indicator in every scope of :data:`SCOPES`.

    Incremental when ``touched`` (the entities a load wrote; ``removed``: the
    relationships the writes took away, :class:`.reach.Walk`) is given, the published hits
    were current for the same date, thresholds and indicators just before those writes,
    and the graph's generation is ``expected_generation`` (nothing else wrote since);
    otherwise full. The run is published only when no write happened during it.
    """
    t0 = time.perf_counter()
    started = _now()
    as_of = as_of or access.today()
    store.write("write/hits_state_init")
    state = read_state(store)
    indicators = list_indicators(store.registry)
    codes = [i.code for i in indicators]
    thresholds = _thresholds_text(store)
    incremental = (
        touched is not None and state.run is not None
        and state.hits_generation is not None
        and expected_generation is not None and state.generation == expected_generation
        and state.as_of == as_of.isoformat() and state.today == access.today().isoformat()
        and state.thresholds == thresholds and list(state.codes) == codes
        and list(state.scopes) == [scope_key(s) for s in SCOPES])
    changed = set(touched or ())
    report = RunReport(run=f"hits:{started}", kind="incremental" if incremental else "full",
                       published=False, seconds=0.0, touched=len(changed))
    derived: dict[str, Any] = {}
    entities = _Entities(store)
    walk = Walk(store, WALK_BOUND, removed)
    held = _Held(store, HOLD_CHARS)
    _record(store, report, "running", started, state, as_of, thresholds, codes, derived)
    if not incremental:
        while store.write("write/hits_delete_stale",
                          {"codes": codes, "limit": 10_000}).nodes_deleted:
            pass

    def one(indicator: Indicator) -> _CodeRun:
        t_code = time.perf_counter()
        values = _derived(store, indicator, as_of)
        anchors: dict[str, _Fact] | None = None
        if incremental and all(state.derived.get(k) == v for k, v in values.items()):
            anchors = _within_reach(indicator, changed, MAX_INCREMENTAL, walk, entities)
        if anchors is None:
            candidates = _candidates(store, indicator, entities, walk)
            rows = _compute(store, indicator, candidates, as_of, report.run, entities)
            clear = functools.partial(_delete_code, store, indicator.code)
            recomputed: str | int = "alle"
        else:
            clear = functools.partial(_delete_subjects, store, indicator.code, sorted(anchors))
            recomputed = len(anchors)
            # every entity in reach loses its hits; those its count allows get them anew
            if indicator.code in MAY_FIRE and anchors:
                found = may_fire(store, indicator.code, _thresholds(store, indicator),
                                 list(anchors))
                anchors = {u: f for u, f in anchors.items() if u in found}
            rows = _compute(store, indicator, anchors, as_of, report.run, entities)
        write = held.hold(clear, rows)
        return _CodeRun(values, recomputed, time.perf_counter() - t_code, write)

    for indicator, done in zip(indicators, _each(one, indicators), strict=True):
        derived.update(done.derived)
        report.recomputed[indicator.code] = done.recomputed
        report.timings[indicator.code] = done.seconds
        if done.write is not None:
            done.write()
    with _computing(access.FULL.visible):
        keys = [(r["code"], r["uid"], r.get("measure")) for r in store.read(
            "read/hits_keys", {"scope": scope_key(access.FULL.visible)})]
    report.hits = {c: sum(1 for k in keys if k[0] == c) for c in codes}
    before = _run_keys(store, state.run) if state.run is not None else None
    report.changes = changes(before, keys) if before is not None else {}
    report.seconds = time.perf_counter() - t0
    published = store.write("write/hits_publish", {"run": report.run,
                                                   "generation": state.generation})
    report.published = published.properties_set > 0
    report.seconds = time.perf_counter() - t0
    _record(store, report, "published" if report.published else "superseded", started,
            state, as_of, thresholds, codes, derived, keys)
    store.write("write/hits_prune_runs", {"keep": KEEP_RUNS})
    return report


@dataclass(frozen=True)
class _CodeRun:
    """What the refresh of one indicator gives back: its derived values, what it
    recomputed (``"alle"`` or the number of entities) and how long it took."""

    derived: dict[str, Any]
    recomputed: str | int
    seconds: float
    #: the writes of its hits still to do (:class:`_Held`), or None when done
    write: Callable[[], None] | None = None


class _Held:
    """The hit writes of a refresh, held until every indicator is computed while their
    paths come to at most ``limit`` characters. On the embedded engine a write waits
    until the reads under way have ended, and an indicator's write waited so for the
    other worker's walks from the far end (seconds each): at 100k entities the writes of
    the hits took 4.7 s of a 13.3 s refresh, 0.34 s when nothing else ran. Past the limit
    an indicator writes its hits as they are computed."""

    def __init__(self, store: Store, limit: int) -> None:
        self.store = store
        self.limit = limit
        self.chars = 0
        self._lock = threading.Lock()

    def hold(self, clear: Callable[[], None], rows: Iterator[dict[str, Any]]
             ) -> Callable[[], None] | None:
        """Compute ``rows``; their writes (``clear`` the hits they replace, then store
        them) as a function to call later, or done here (None) once the held rows pass
        the limit."""
        kept: list[dict[str, Any]] = []
        for row in rows:
            kept.append(row)
            with self._lock:
                self.chars += len(row["paths"])
                over = self.chars > self.limit
                if over:
                    self.chars -= sum(len(r["paths"]) for r in kept)
            if over:
                clear()
                _store_rows(self.store, itertools.chain(kept, rows))
                return None

        def write() -> None:
            clear()
            _store_rows(self.store, kept)
        return write


def _each(run: Callable[[Indicator], _CodeRun],
          indicators: Sequence[Indicator]) -> list[_CodeRun]:
    """``run`` on every indicator, :data:`REFRESH_WORKERS` at a time, each in a copy of
    the caller's context (its access scope and settings); the results in the order of
    ``indicators``. The first failure is raised once the indicators under way have
    ended; those not yet begun are not begun. The workers are daemon threads: when the
    caller is interrupted (Ctrl-C) it raises at once, and the command's process ends
    without waiting for the indicators under way (their reads end with the engine)."""
    contexts = [contextvars.copy_context() for _ in indicators]
    results: list[_CodeRun | None] = [None] * len(indicators)
    failures: list[BaseException] = []
    stop = threading.Event()  # a failure or an interrupt: begin no more
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for i in range(len(indicators)):
        todo.put(i)

    def work() -> None:
        while not stop.is_set():
            try:
                i = todo.get_nowait()
            except queue.Empty:
                return
            try:
                results[i] = contexts[i].run(run, indicators[i])
            except BaseException as exc:  # raised in the caller's thread
                failures.append(exc)
                stop.set()
                return

    workers = [threading.Thread(target=work, name=f"ondergraaf-hits-{n}", daemon=True)
               for n in range(min(REFRESH_WORKERS, len(indicators)))]
    for worker in workers:
        worker.start()
    try:
        for worker in workers:
            worker.join()
    except BaseException:
        stop.set()
        raise
    if failures:
        raise failures[0]
    return [r for r in results if r is not None]


Key = tuple[str, str, Any]


def _run_keys(store: Store, run: str) -> list[Key] | None:
    rows = store.read("read/hits_run", {"uid": run})
    if not rows or not rows[0].get("keys"):
        return None
    return [(str(c), str(u), m) for c, u, m in json.loads(rows[0]["keys"])]


def changes(before: Sequence[Sequence[Any]], after: Sequence[Sequence[Any]]
            ) -> dict[str, dict[str, int]]:
    """Per indicator: hits ``new``, ``ended`` and with a ``changed`` measure from one
    run's hits (full scope) to another's; indicators without any change are left out."""
    old = {(c, u): m for c, u, m in before}
    new = {(c, u): m for c, u, m in after}
    out: dict[str, dict[str, int]] = {}
    for key in old.keys() | new.keys():
        kind = ("new" if key not in old else "ended" if key not in new
                else "changed" if old[key] != new[key] else None)
        if kind is not None:
            counts = out.setdefault(key[0], {"new": 0, "ended": 0, "changed": 0})
            counts[kind] += 1
    return dict(sorted(out.items()))


def diff_runs(store: Store, first: str, second: str) -> dict[str, dict[str, int]]:
    """:func:`changes` from run ``first`` to run ``second`` (counts only: no entity is
    named, so an administrator may see it). Raises :class:`NotFound` for an unknown run."""
    found = []
    for run in (first, second):
        keys = _run_keys(store, run)
        if keys is None:
            raise NotFound(f"geen afgeronde berekening {run!r} (zie ondergraaf hits runs)")
        found.append(keys)
    return changes(found[0], found[1])
