"""What a write changed, and the hit refresh after it: now, or left for later.

:class:`ChangeRecorder` passes a load's (or a decision's) writes to the store and
remembers the entities whose facts they changed. After the writes, either

* :func:`refresh_after_load` refreshes the stored hits at once (``ondergraaf load``), or
* :func:`defer` leaves the changes in the graph for a later refresh (``ondergraaf load
  --no-hits``, a decision on a look-alike pair in the web service), and
  :func:`refresh_waiting` (``ondergraaf hits refresh``, the web service's background
  refresh) takes them up.

Deferred refresh. The changes wait on the graph's state node (``write/hits_pending_set``):
the generation of the stored hits they build on (``pending_base``), the generation the
graph had after the last deferring writer (``pending_to``) and the entities changed in
between. They hold only while nothing else wrote: a writer that defers while the stored
hits are current, or while changes wait and the graph is still at ``pending_to``, adds
its entities; any other write (one that does not defer, a second writer in between)
leaves the generation elsewhere, and the next refresh is a full one. A refresh published
in between takes up what waited; a writer that read the changes before it keeps them on
the newer hits (a superset of what changed since those).
So a refresh over what waits is incremental exactly when a refresh after each of those
writes would have been: the same recorded entities, the same generation check
(:func:`.stored.refresh`). At most :data:`PENDING_MAX` entities wait; past that the next
refresh is a full one (an incremental one would recompute most indicators whole anyway,
:data:`.stored.MAX_INCREMENTAL`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .. import model
from ..store import Store
from ..store.base import Counters, ReadyNew, ReadyWrite
from ..store.registry import Statement
from .stored import REFRESH_BATCH, HitState, RunReport, read_state, refresh

__all__ = ["PENDING_MAX", "STAMPS", "ChangeRecorder", "Changes", "defer", "refresh_after_load",
           "refresh_over", "refresh_waiting", "waiting"]

#: At most this many changed entities wait for a deferred refresh.
PENDING_MAX = 100_000


@dataclass(frozen=True)
class Changes:
    """What a refresh may recompute around: the entities changed since the stored hits of
    generation ``base``, and the relationships (start, type, end) removed since."""

    base: int
    touched: frozenset[str]
    removed: frozenset[tuple[str, str, str]]

#: Properties a merge rewrites on every delivery of a fact (the provenance stamps of being
#: seen again: docs/graph-model.md, "Provenance per source" and "Load runs and ended
#: facts"). No indicator, screening or visibility check reads them, so a fact whose only
#: news is one of them is not changed for the hit refresh. ``prov_seen`` counts with its
#: first dates only (the per-source ``first_seen``); sources, grades, purposes, the per-
#: source grades, properties and values, ``first_seen``, ``bewaren_tot`` and what ends a
#: fact (``prov_gone``, ``unseen_since``, ``ended_on``, ``valid_to``) all count.
STAMPS = frozenset({"last_seen", "prov_seen", "prov_run", "source_records"})

_NODE_MERGES = {model.node_statement(label): label for label in model.LABELS}
_REL_MERGES = {model.relationship_statement(t): t for t in model.TEMPLATE_REL_TYPES}


def _content(labels: Iterable[str], props: Mapping[str, Any]) -> str:
    """What of a stored fact counts as its content (all but :data:`STAMPS`), as text: of
    ``prov_seen`` the first dates, and the order of the sources by their last (which
    source's value a scope that sees two of them is shown: ``access``)."""
    kept = {k: v for k, v in props.items() if k not in STAMPS}
    seen = [str(e).split("|") for e in props.get("prov_seen") or ()]
    kept["prov_seen"] = sorted("|".join(e[:2]) for e in seen)
    kept["prov_order"] = [e[0] for e in sorted(seen, key=lambda e: (
        e[-1], model.LOAD_ORDER.index(e[0]) if e[0] in model.LOAD_ORDER else -1))]
    return json.dumps([sorted(labels), kept], sort_keys=True, default=str)


class ChangeRecorder(Store):
    """A store that passes everything to ``inner`` and remembers the entities whose facts
    the writes changed (:attr:`touched`). A merge of the loaders (``write/merge_*``, from
    ``cypher/templates/``) is compared: its batch's facts are read before the write and,
    those that existed, after it (``read/changes_*``); an entity counts when its node is
    new or more than its :data:`STAMPS` changed, and both ends of a relationship that is
    new or changed so. Rows of other statements count whole (the ``uid``, ``start`` and
    ``end`` of every row: the ends of a full extract, a decision on a pair), and so do the
    ``dossiers`` of a derivation. A write it cannot attribute (no rows, no dossiers; other
    than the load record) makes :attr:`complete` false: the refresh after it is a full
    one. When the refresh after it will be a full one anyway (no stored hits to build
    on before the load, :func:`waiting`), nothing is compared."""

    HARMLESS = frozenset({"write/record_load_run"})

    def __init__(self, inner: Store) -> None:
        super().__init__(inner.batch_size, inner.registry)
        self.inner = inner
        self.engine = inner.engine
        self.touched: set[str] = set()
        #: relationships (start, type, end) the writes removed (told by the writer:
        #: :func:`graph_service.risk.judgements` when it takes a SAME_AS away)
        self.removed: set[tuple[str, str, str]] = set()
        self.complete = True
        self.state_before = read_state(inner)
        #: the stored hits the writes build on and the changes waiting on them already
        self.waited = waiting(inner, self.state_before)
        self.compare = self.waited is not None
        self.counted = 0  # generation bumps made through this recorder
        self.rows_merged = 0  # rows of merges compared
        self.rows_changed = 0  # of them, those with a new or changed fact

    def changed(self) -> Changes | None:
        """What a refresh after these writes recomputes around: what they changed and
        what waited before them; None when that refresh must be a full one."""
        if not self.complete or self.waited is None:
            return None
        return Changes(self.waited.base, frozenset(self.touched | self.waited.touched),
                       frozenset(self.removed | self.waited.removed))

    @contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """The inner store's run of writes (its start and end counted here)."""
        start = self.inner.bumps
        with self.inner.bulk_writes():
            self.counted += self.inner.bumps - start
            try:
                yield
            finally:
                start = self.inner.bumps
        self.counted += self.inner.bumps - start

    def read(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return self.inner.read(name, params)

    def write(self, name: str, params: Mapping[str, Any] | None = None) -> Counters:
        given = params or {}
        if isinstance(given.get("dossiers"), list):
            self.touched.update(str(u) for u in given["dossiers"])
        elif name not in self.HARMLESS:
            self.complete = False
        start = self.inner.bumps
        try:
            return self.inner.write(name, params)
        finally:
            self.counted += self.inner.bumps - start

    def write_rows(self, name: str, rows: Iterable[Mapping[str, Any]],
                   params: Mapping[str, Any] | None = None,
                   batch_size: int | None = None) -> Counters:
        listed = [dict(r) for r in rows]
        return self._recorded(name, listed, lambda: self.inner.write_rows(
            name, listed, params, batch_size))

    def ready_rows(self, name: str, rows: Iterable[Mapping[str, Any]],
                   params: Mapping[str, Any] | None = None,
                   stored: bool = False) -> ReadyWrite:
        """The inner store's write made ready, and for a compared merge its facts as they
        are now (read in the caller's thread, beside the engine's work on earlier writes:
        see :class:`_ReadBefore`)."""
        ready = self.inner.ready_rows(name, rows, params, stored)
        if not self._compared(name):
            return ready
        return _ReadBefore(ready.stmt, ready.rows, ready.params, ready.rendered,
                           ready.stored, self._facts(name, ready.rows))

    def write_ready(self, ready: ReadyWrite) -> Counters:
        before = ready.before if isinstance(ready, _ReadBefore) else None
        return self._recorded(ready.stmt.name, ready.rows,
                              lambda: self.inner.write_ready(ready), before)

    @property
    def creates_in_bulk(self) -> bool:  # type: ignore[override]
        return self.inner.creates_in_bulk

    def ready_new(self, name: str, rows: list[dict[str, Any]]) -> ReadyNew:
        return self.inner.ready_new(name, rows)

    def create_ready(self, readies: list[ReadyNew]) -> list[Counters]:
        return self.write_together(readies, [])[0]

    def write_together(self, new: list[ReadyNew], merges: list[ReadyWrite]
                       ) -> tuple[list[Counters], list[Counters]]:
        """The inner store's writes together: the entities of each new fact count, the
        merges are compared as :meth:`write_ready` compares one."""
        for ready in new:  # new to the graph: nothing to read before
            self._after(ready.name, ready.rows, self._before(ready.name, ready.rows, {}))
        before = [self._before(m.stmt.name, m.rows, m.before if isinstance(m, _ReadBefore)
                               else None) for m in merges]
        start = self.inner.bumps
        try:
            done = self.inner.write_together(new, merges)
        finally:
            self.counted += self.inner.bumps - start
        for m, facts in zip(merges, before, strict=True):
            self._after(m.stmt.name, m.rows, facts)
        return done

    @contextmanager
    def creating(self) -> Iterator[None]:
        with self.inner.creating():
            yield

    def _compared(self, name: str) -> bool:
        return self.compare and (name in _NODE_MERGES or name in _REL_MERGES)

    def _recorded(self, name: str, rows: Sequence[Mapping[str, Any]],
                  send: Callable[[], Counters],
                  before: Mapping[tuple[str, ...], str] | None = None) -> Counters:
        """``send`` the write of ``rows`` by ``name`` and record what it changed
        (``before``: the facts read ahead, else read here)."""
        facts = self._before(name, rows, before)
        start = self.inner.bumps
        try:
            counters = send()
        finally:
            self.counted += self.inner.bumps - start
        self._after(name, rows, facts)
        return counters

    def _before(self, name: str, rows: Sequence[Mapping[str, Any]],
                before: Mapping[tuple[str, ...], str] | None
                ) -> Mapping[tuple[str, ...], str] | None:
        """Before the write of ``rows`` by ``name``: a compared merge's facts (``before``
        when read ahead, else read now); the other rows' entities count whole."""
        if not self._compared(name):
            self._touch(rows)
            return None
        return self._facts(name, rows) if before is None else before

    def _after(self, name: str, rows: Sequence[Mapping[str, Any]],
               before: Mapping[tuple[str, ...], str] | None) -> None:
        """After the write: a compared merge's facts that it created or changed count."""
        if self._compared(name):
            self._compare(name, rows, before or {})

    def _touch(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """The entities of ``rows`` count whole (their ``uid``, ``start`` and ``end``)."""
        for row in rows:
            for key in ("uid", "start", "end"):
                if isinstance(row.get(key), str):
                    self.touched.add(row[key])

    @staticmethod
    def _key(row: Mapping[str, Any]) -> tuple[str, ...]:
        if "uid" in row:
            return (str(row["uid"]),)
        return (str(row["start"]), str(row["end"]), str(row.get("key")))

    def _facts(self, name: str, rows: Sequence[Mapping[str, Any]]) -> dict[tuple[str, ...], str]:
        """The content (:func:`_content`) of the stored facts the merge ``name`` keys by
        ``rows``, by key; a fact not stored is absent."""
        found: dict[tuple[str, ...], list[str]] = {}
        for start in range(0, len(rows), REFRESH_BATCH):
            chunk = rows[start:start + REFRESH_BATCH]
            if name in _NODE_MERGES:
                got = self.inner.read("read/changes_nodes",
                                      {"uids": [str(r["uid"]) for r in chunk]})
                for r in got:
                    found.setdefault((str(r["uid"]),), []).append(
                        _content(r["labels"] or (), r["props"] or {}))
            else:
                got = self.inner.read("read/changes_relationships", {
                    "type": _REL_MERGES[name],
                    "rows": [{"start": r["start"], "end": r["end"], "key": r.get("key")}
                             for r in chunk]})
                for r in got:
                    found.setdefault((str(r["start"]), str(r["end"]), str(r["key"])),
                                     []).append(_content((), r["props"] or {}))
        return {k: "\n".join(sorted(v)) for k, v in found.items()}

    def _compare(self, name: str, rows: Sequence[Mapping[str, Any]],
                 before: Mapping[tuple[str, ...], str]) -> None:
        """Touch the entities of ``rows`` whose facts the merge created or changed."""
        old = [r for r in rows if self._key(r) in before]
        after = self._facts(name, old) if old else {}
        self.rows_merged += len(rows)
        for row in rows:
            key = self._key(row)
            if key in before and after.get(key) == before[key]:
                continue
            self.rows_changed += 1
            self.touched.update(key if len(key) == 1 else key[:2])

    def health(self) -> dict[str, Any]:
        return self.inner.health()

    def close(self) -> None:  # the inner store belongs to whoever opened it
        pass

    def _read(self, stmt: Statement, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.inner.read(stmt.name, params)

    def _write(self, stmt: Statement, params: dict[str, Any],
               rendered: Any = None) -> Counters:
        return self.inner.write(stmt.name, params)

    def _schema(self, stmt: Statement, text: str) -> None:
        self.inner.setup_schema()


@dataclass(frozen=True)
class _ReadBefore(ReadyWrite):
    """A merge made ready with its facts read then (``before``), possibly before earlier
    writes of the same load reached the engine. The entities it touches are the same as
    with a read right before the merge: a fact whose content any write of the load
    changes is touched by the first such write, whose earlier read still finds the
    content the load started from (or no fact) and whose read after the merge finds the
    change; and a read that finds an older content than the one just before the merge
    finds it only because an earlier write changed the fact, which touched it already."""

    before: Mapping[tuple[str, ...], str] = field(default_factory=dict)


def waiting(store: Store, state: HitState) -> Changes | None:
    """What a refresh of the graph in ``state`` may build on: the stored hits and the
    changes since (none when they are current), or None when only a full refresh will do
    (no hits published, or a write nobody left changes for)."""
    if state.run is None or state.hits_generation is None:
        return None
    if state.current:
        return Changes(state.generation, frozenset(), frozenset())
    if state.pending_base != state.hits_generation or state.pending_to != state.generation:
        return None
    rows = store.read("read/hits_pending")
    if not rows or (rows[0]["base"], rows[0]["to"]) != (state.pending_base, state.pending_to):
        return None  # a writer came between the two reads
    removed = (str(r).split("|") for r in rows[0]["removed"])
    return Changes(state.hits_generation, frozenset(str(u) for u in rows[0]["touched"]),
                   frozenset((a, t, b) for a, t, b in removed))


def refresh_over(store: Store, changes: Changes | None, expected_generation: int,
                 as_of: dt.date | None = None) -> RunReport:
    """:func:`.stored.refresh` around ``changes`` (None: whole), published only when the
    graph is still at ``expected_generation``."""
    if changes is None:
        return refresh(store, None, as_of, expected_generation=expected_generation)
    return refresh(store, set(changes.touched), as_of,
                   expected_generation=expected_generation, removed=changes.removed)


def refresh_after_load(recorder: ChangeRecorder, as_of: dt.date | None = None) -> RunReport:
    """The refresh after a load through ``recorder``: incremental around what it wrote and
    what waited before it (:func:`waiting`) when only it wrote since, else full."""
    before = recorder.state_before
    return refresh_over(recorder.inner, recorder.changed(),
                        before.generation + recorder.counted, as_of)


def defer(recorder: ChangeRecorder) -> bool:
    """Leave what the writes through ``recorder`` changed for a later refresh (module
    doc); False when the next refresh must be a full one."""
    changes = recorder.changed()
    kept = changes if changes is not None and len(changes.touched) <= PENDING_MAX else None
    recorder.inner.write("write/hits_pending_set", {
        "keep": kept is not None, "base": kept.base if kept else 0,
        "to": recorder.state_before.generation + recorder.counted,
        "touched": sorted(kept.touched) if kept else [],
        "removed": sorted("|".join(r) for r in kept.removed) if kept else []})
    return kept is not None


def refresh_waiting(store: Store, as_of: dt.date | None = None) -> RunReport:
    """Refresh the stored hits over the changes that wait (:func:`defer`): incremental
    when they hold (nothing but deferring writers wrote since the stored hits; nothing
    to recompute when the hits are current), else full."""
    state = read_state(store)
    return refresh_over(store, waiting(store, state), state.generation, as_of)
