"""The store interface and what both engines share."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, fields
from itertools import islice
from typing import Any

from ..errors import AccessDenied, GraphUnavailable, InvalidParams, QueryFailed
from . import access, pathfacts
from .registry import Registry, Statement, load_registry
from .rows import NewFact

__all__ = ["Counters", "ReadyNew", "ReadyWrite", "Store", "to_param", "batched", "unbounded_reads"]

Row = dict[str, Any]
#: The write that counts writes to the facts (see :meth:`Store._count_write`).
GENERATION_STATEMENT = "write/hits_bump_generation"
#: Open (and renew) and close a run of writes (see :meth:`Store.bulk_writes`).
WRITES_OPEN_STATEMENT = "write/graph_writes_open"
WRITES_CLOSE_STATEMENT = "write/graph_writes_close"
#: How long an open run of writes holds off stored hits without being renewed (seconds);
#: it is renewed by its writes after a third of this, so only a run that died lets it end.
WRITES_LEASE_S = 600.0
#: A read of ``PATH_KEYS`` rows whose facts changed before they were read is run again,
#: up to this many times in all (:meth:`Store._path_facts`).
KEYED_TRIES = 3


@dataclass
class Counters:
    """What a write changed, summed over batches."""

    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    batches: int = 0
    rows: int = 0

    def add(self, other: Counters) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class ReadyWrite:
    """A write statement over rows made ready ahead of sending (:meth:`Store.ready_rows`):
    its parameters checked and, on an engine that takes them as text (the embedded one),
    converted and rendered. Sending it (:meth:`Store.write_ready`) then costs the engine's
    work and the round trip only, so a loader readies the next batch's statements in its
    own thread while the engine writes the current batch (``loaders.writer.Pipeline``).
    On Neo4j the driver encodes the parameters as it sends them, so they are converted
    then too: converted ahead, the load ran ~10% slower there (docs/benchmarks.md)."""

    stmt: Statement
    rows: list[Row]
    params: dict[str, Any]  # as given, checked against the statement's header
    rendered: Any = None  # the engine's own form of the converted ``params``, or None
    #: Every row's fact is one the graph holds (the caller asked :meth:`Store.stored`):
    #: an engine may send a node merge's rows through a cheaper update (the embedded one
    #: does, ``write/update_stored_nodes``); the graph comes out the same.
    stored: bool = False


@dataclass(frozen=True)
class ReadyNew:
    """Rows of a merge template about facts the graph does not hold, made ready for
    :meth:`Store.create_ready` ahead of sending (:meth:`Store.ready_new`): on the embedded
    engine encoded for its bulk insert (``encoded``; None: written through the merge)."""

    name: str
    rows: list[Row]
    encoded: Any = None


#: Values a parameter takes as they are (``bool`` and ``NoneType`` are exact types too).
_PLAIN = frozenset({str, int, bool, type(None)})
_STR = frozenset({str})


def to_param(value: Any) -> Any:
    """Turn a Python value into a parameter both engines accept.

    Dates and datetimes travel as ISO strings (the graph stores dates as ISO strings, which
    compare correctly as text on both engines; FalkorDB cannot take a date parameter).
    A list of plain values, or a map of text keys to plain values, is returned as it is
    (not copied): a load passes millions of them, so they are recognised by their types
    alone (``set.issuperset`` over the element types, no call per element).
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        if _STR.issuperset(map(type, value)):
            if _PLAIN.issuperset(map(type, value.values())):
                return value
            return {k: v if type(v) in _PLAIN
                    or (type(v) is list and _PLAIN.issuperset(map(type, v)))
                    else to_param(v) for k, v in value.items()}
        return {str(k): to_param(v) for k, v in value.items()}
    if kind is list:
        if _PLAIN.issuperset(map(type, value)):
            return value
        return [v if type(v) in _PLAIN else to_param(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_param(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_param(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN has no Cypher literal
        return None
    return value


def batched(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Row]]:
    it = iter(rows)
    while chunk := [dict(r) for r in islice(it, size)]:
        yield chunk


#: Set by :func:`unbounded_reads` for the reads made in its context.
_unbounded: ContextVar[bool] = ContextVar("ondergraaf_unbounded_reads", default=False)


@contextlib.contextmanager
def unbounded_reads() -> Iterator[None]:
    """Reads made inside run without the read timeout (``ONDERGRAAF_READ_TIMEOUT_SECONDS``),
    in this thread only: for a batch computation whose statement cannot be split into
    cheaper ones (the hit refresh's walks from the far end, ``graph_service.risk.reach``).
    The timeout is there for the reads a person waits for."""
    token = _unbounded.set(True)
    try:
        yield
    finally:
        _unbounded.reset(token)


class Store(ABC):
    """Run named statements from the Cypher registry on one graph engine."""

    engine: str
    #: The engine cancels a read after this many seconds (0: never); see :meth:`read_timeout`.
    read_timeout_s: float = 0.0

    def __init__(self, batch_size: int, registry: Registry | None = None) -> None:
        self.batch_size = batch_size
        self.registry = registry or load_registry()
        #: Counts the writes through this store: a value derived from the graph and kept
        #: (graph_service.risk.indicators) is recomputed after any write in this process.
        self.generation = 0
        #: The writes to ``GraphState.generation`` made through this store (one before and
        #: one after each write statement, or one per open and close of a run of writes).
        self.bumps = 0
        self._bulk_lock = threading.Lock()
        self._bulk_depth = 0
        self._bulk_token: str | None = None
        self._bulk_renewed = 0.0
        #: Set by the session that holds this store (``graph_service.security.session``):
        #: called with the statement's name and the current scope before every read, it
        #: raises ``AccessDenied`` for a read made outside that session's audited reads.
        self.read_guard: Callable[[str, access.Scope | None], None] | None = None

    # -- the interface -------------------------------------------------------------------
    def read_timeout(self) -> float:
        """The timeout of a read made now: ``read_timeout_s``, or 0 inside
        :func:`unbounded_reads`."""
        return 0.0 if _unbounded.get() else self.read_timeout_s

    def read(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a read statement; rows as dicts of plain Python values.

        A statement that declares ``visible`` runs only under an access scope
        (``graph_service.store.access``): the store passes the scope's purpose classes as
        ``$visible`` (and today's date as ``$today`` when declared and not given) and
        trims the returned provenance (and pseudonymises persons) to the scope. Under a
        pseudonymising scope, person tokens in ``params`` are turned back into their uids
        (``access.inward_params``) and person uids in the answer become tokens.
        """
        stmt = self._statement(name, "read", params)
        s = access.current()
        if self.read_guard is not None:
            self.read_guard(name, s)
        if params:  # a pseudonymised reader names persons by their tokens
            params = access.inward_params(dict(params), s)
        if "visible" not in stmt.params:
            rows = self._read(stmt, self._params(stmt, params))
            pathfacts.index(rows)
            pathfacts.assemble(rows)
            return rows
        if s is None:
            raise AccessDenied(f"{name}: no access scope (role and purpose) for this read")
        if not s.visible:
            raise AccessDenied(f"{name}: this role and purpose give no access to graph data")
        given = {**(params or {}), "visible": sorted(s.visible)}
        if "today" in stmt.params and given.get("today") is None:
            given["today"] = access.today()  # retention: nothing past bewaren_tot shows
        for attempt in range(1, KEYED_TRIES + 1):
            rows = self._read(stmt, self._params(stmt, given))
            try:
                shared = self._path_facts(rows, given)
                break
            except pathfacts.FactsChanged as exc:
                if attempt == KEYED_TRIES:
                    raise QueryFailed(f"{name}: {exc}") from exc
        pathfacts.index(rows)
        # each fact of PATH_FACTS once per row, of PATH_KEYS once for all rows
        access.filter_result(rows if shared is None else [rows, shared], s)
        pathfacts.assemble(rows, shared)
        return rows

    def _path_facts(self, rows: list[Row], given: Mapping[str, Any]
                    ) -> list[list[dict[str, Any]]] | None:
        """The facts ``PATH_KEYS`` rows name, each read once under the read's scope
        (:mod:`.pathfacts`); None for other rows. Raises ``pathfacts.FactsChanged`` when
        one is gone or no longer visible."""
        if not pathfacts.keyed(rows):
            return None
        uids, keys = pathfacts.wanted(rows)
        scope = {"visible": given["visible"], "today": given.get("today") or access.today()}
        found = []
        for name, values in (("read/path_fact_nodes", {"uids": uids}),
                             ("read/path_fact_relationships", {"keys": keys})):
            stmt = self._statement(name, "read", None)
            found.append(self._read(stmt, self._params(stmt, {**values, **scope})))
        return pathfacts.index_shared(rows, *found)

    def write(self, name: str, params: Mapping[str, Any] | None = None) -> Counters:
        """Run one write statement in one managed transaction."""
        stmt = self._statement(name, "write", params)
        self.generation += 1
        self._count_write(stmt)
        counters = self._write(stmt, self._params(stmt, params))
        self._count_write(stmt)
        return counters

    def write_rows(
        self,
        name: str,
        rows: Iterable[Mapping[str, Any]],
        params: Mapping[str, Any] | None = None,
        batch_size: int | None = None,
    ) -> Counters:
        """Run a write statement over ``rows`` (``UNWIND $rows``), one transaction a batch.

        Each batch commits on its own, so an interrupted load keeps what was acknowledged;
        statements are written as idempotent MERGEs so a rerun completes it.
        """
        stmt = self._rows_statement(name)
        total = Counters()
        self._count_write(stmt)
        for chunk in batched(rows, batch_size or self.batch_size):
            merged = dict(params or {})
            merged["rows"] = chunk
            self.generation += 1
            counters = self._write(stmt, self._params(stmt, merged))
            counters.batches, counters.rows = 1, len(chunk)
            total.add(counters)
        self._count_write(stmt)
        return total

    def ready_rows(self, name: str, rows: Iterable[Mapping[str, Any]],
                   params: Mapping[str, Any] | None = None,
                   stored: bool = False) -> ReadyWrite:
        """``rows`` (one batch) made ready for :meth:`write_ready`; no engine work.
        ``stored``: their facts are held by the graph (:attr:`ReadyWrite.stored`)."""
        stmt = self._rows_statement(name)
        listed = [r if type(r) is dict else dict(r) for r in rows]
        given = self._checked(stmt, {**(params or {}), "rows": listed})
        return ReadyWrite(stmt, listed, given, self._render(stmt, given), stored)

    def write_ready(self, ready: ReadyWrite) -> Counters:
        """Run a write made ready by :meth:`ready_rows`, as :meth:`write_rows` runs one
        batch (counted as one write statement)."""
        self._count_write(ready.stmt)
        self.generation += 1
        params = (ready.params if ready.rendered is not None
                  else self._params(ready.stmt, ready.params))
        counters = self._write(ready.stmt, params, ready.rendered)
        counters.batches, counters.rows = 1, len(ready.rows)
        self._count_write(ready.stmt)
        return counters

    #: Whether :meth:`create_ready` is much cheaper than the merge for facts the graph does
    #: not hold, so that a loader asks which of a batch's entities are stored
    #: (:meth:`stored`) and hands the others to it (the embedded engine's bulk insert).
    creates_in_bulk = False

    def stored(self, uids: Iterable[str]) -> set[str]:
        """Which of these entity uids the graph holds."""
        return {str(r["uid"]) for r in self.read("read/entity_ids", {"uids": sorted(set(uids))})}

    def create_new(self, name: str, rows: list[Row]) -> Counters:
        """Write rows of the merge template ``name`` (``cypher/templates/``) about facts the
        graph does not hold, each once, and whose ends are stored: what its ``ON CREATE``
        branch makes of them (:meth:`ready_new`, then :meth:`create_ready`)."""
        return self.create_ready([self.ready_new(name, rows)])[0]

    def ready_new(self, name: str, rows: list[Row]) -> ReadyNew:
        """``rows`` of the merge template ``name`` about new facts (see :meth:`create_new`)
        made ready for :meth:`create_ready`; no engine work. Here: as they are."""
        self._rows_statement(name)
        return ReadyNew(name, rows)

    def create_ready(self, readies: list[ReadyNew]) -> list[Counters]:
        """Create the new facts of each of ``readies`` (made by :meth:`ready_new`), whose
        ends are stored before the call; what each did. Here: through the merge; on the
        embedded engine (:attr:`creates_in_bulk`) all in one bulk insert. The caller makes
        sure no other writer creates the same facts meanwhile (:meth:`creating`). A
        :class:`~.rows.NewFact` is written as its row."""
        return [self.write_rows(r.name, [f.row() if isinstance(f, NewFact) else f
                                         for f in r.rows]) if r.rows else Counters()
                for r in readies]

    def write_together(self, new: list[ReadyNew], merges: list[ReadyWrite]
                       ) -> tuple[list[Counters], list[Counters]]:
        """Create the new facts of ``new`` (:meth:`create_ready`), then run the writes
        ``merges`` (:meth:`write_ready`, in order); what each did. On the embedded engine
        they are sent as one (see there). A write that fails raises; the writes sent
        before it stay written, as a load stopped between two statements leaves them."""
        return self.create_ready(new), [self.write_ready(m) for m in merges]

    @contextlib.contextmanager
    def creating(self) -> Iterator[None]:
        """Hold off other loads that create facts through :meth:`create_ready` on this graph
        until the block ends (between a load's look at what is stored and its creation
        of the rest, nobody else may create them). Here: nothing to hold off."""
        yield

    @contextlib.contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """A run of writes (a load) counted once at its start and once at its end.

        Outside a run every write statement counts itself in the graph twice (before and
        after, :meth:`_count_write`): an fsync'd statement each, two thirds of a load's
        statements. Inside, the run's start counts one write and marks the graph as being
        written (``write/graph_writes_open``: a lease on the engine's clock, renewed by
        the run's writes), its end counts one more and removes the mark
        (``write/graph_writes_close``). Stored hits read during the run are out of date
        (the generation moved at its start, and no refresh counts as published while the
        mark holds); a refresh made during the run never publishes, and one published
        before the run's end is out of date after it. A run that dies leaves its mark
        until the lease ends (:data:`WRITES_LEASE_S`), and the generation moved. Nested
        runs are one run. Every thread's writes through this store inside the block
        belong to the run.
        """
        if WRITES_OPEN_STATEMENT not in self.registry:
            yield
            return
        with self._bulk_lock:
            opened = self._bulk_depth == 0
            if opened:
                new_token = uuid.uuid4().hex
                self._open_writes(new_token)
                self._bulk_token = new_token
            self._bulk_depth += 1
        try:
            yield
        finally:
            with self._bulk_lock:
                self._bulk_depth -= 1
                token: str | None = self._bulk_token
                closing = self._bulk_depth == 0
                if closing:
                    self._bulk_token = None
            if closing and token is not None:
                failing = sys.exc_info()[0] is not None
                try:
                    self._bump(WRITES_CLOSE_STATEMENT, {"token": token})
                except Exception:
                    if not failing:  # else the run's own error goes up; the lease ends
                        raise

    def _open_writes(self, token: str) -> None:
        self._bump(WRITES_OPEN_STATEMENT,
                   {"token": token, "lease_ms": int(WRITES_LEASE_S * 1000)})
        self._bulk_renewed = time.monotonic()

    def _bump(self, name: str, params: dict[str, Any]) -> None:
        self._write(self.registry.get(name), params)
        self.bumps += 1

    def _count_write(self, stmt: Statement) -> None:
        """Count a write to the facts in the graph itself (``GraphState.generation``),
        before and after it, so stored indicator hits (graph_service.risk.stored) computed
        before it are never served after it, from any process; statements that only
        keep derived data say ``// generation: keep`` in their header. Inside
        :meth:`bulk_writes` the run counts for its statements (and its lease is renewed
        here when a third of it has passed)."""
        if stmt.meta.get("generation") == "keep" or GENERATION_STATEMENT not in self.registry:
            return
        token = self._bulk_token
        if token is None:
            self._bump(GENERATION_STATEMENT, {})
        elif time.monotonic() - self._bulk_renewed > WRITES_LEASE_S / 3:
            self._open_writes(token)

    def indexes_ready(self) -> bool:
        """Whether every index is built (queries plan on them, full-text search is whole)."""
        return not self._building_indexes()

    def _building_indexes(self) -> set[str]:
        """What names the indexes not built yet (on the embedded engine: their labels)."""
        return {r["label"] for r in self.read("read/index_states") if not r["ready"]}

    def wait_for_indexes(self, timeout: float, labels: frozenset[str] | None = None) -> bool:
        """Block until every index is built, or with ``labels`` until the indexes of those
        labels are; return whether every index is built. ``GraphUnavailable`` after
        ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while building := self._building_indexes():
            if labels is not None and not building & labels:
                return False
            if time.monotonic() > deadline:
                raise GraphUnavailable(f"indexes not built within {timeout:g} s")
            time.sleep(0.02)  # a look costs about a millisecond
        return True

    def setup_schema(self) -> None:
        """Create constraints and indexes (idempotent)."""
        for stmt in self.registry:
            if stmt.mode == "schema":
                for text in stmt.statements_for(self.engine):
                    self._schema(stmt, text)

    @abstractmethod
    def health(self) -> dict[str, Any]:
        """``{"engine", "ok", ...}``; never raises for an unreachable engine."""

    @abstractmethod
    def close(self) -> None:
        """Release connections (and for the embedded engine, its server)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- engine hooks --------------------------------------------------------------------
    @abstractmethod
    def _read(self, stmt: Statement, params: dict[str, Any]) -> list[Row]: ...

    @abstractmethod
    def _write(self, stmt: Statement, params: dict[str, Any],
               rendered: Any = None) -> Counters:
        """Run a write: ``params`` converted, or with ``rendered`` (:meth:`_render`, made
        ahead) the parameters as given, which the engine then need not read."""

    def _render(self, stmt: Statement, params: dict[str, Any]) -> Any:
        """The engine's own form of a write's checked ``params`` (converted first), made
        ahead of sending (:meth:`ready_rows`); None when the engine has none."""
        return None

    @abstractmethod
    def _schema(self, stmt: Statement, text: str) -> None: ...

    # -- helpers -------------------------------------------------------------------------
    def _rows_statement(self, name: str) -> Statement:
        stmt = self.registry.get(name)
        if stmt.mode != "write" or stmt.params.get("rows") != "rows":
            raise QueryFailed(f"{name}: not a write statement over $rows")
        return stmt

    def _statement(self, name: str, mode: str, params: Mapping[str, Any] | None) -> Statement:
        stmt = self.registry.get(name)
        if stmt.mode != mode:
            raise QueryFailed(f"{name} is a {stmt.mode} statement, not {mode}")
        if self.engine not in stmt.engines:
            raise QueryFailed(f"{name} runs only on {', '.join(stmt.engines)}")
        return stmt

    @staticmethod
    def _params(stmt: Statement, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """``params`` checked against the statement's header and converted (:func:`to_param`)."""
        return {k: to_param(v) for k, v in Store._checked(stmt, params).items()}

    @staticmethod
    def _checked(stmt: Statement, params: Mapping[str, Any] | None) -> dict[str, Any]:
        given = dict(params or {})
        missing = sorted(set(stmt.params) - set(given))
        extra = sorted(set(given) - set(stmt.params))
        if missing or extra:
            raise InvalidParams(f"{stmt.name}: missing parameters {missing}, unknown {extra}")
        return given
