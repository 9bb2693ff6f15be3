"""The writing pass: resolve addresses, merge a batch per node and relationship, write it.

One batch of normalised rows becomes one managed transaction per statement: ``UNWIND`` +
``MERGE`` statements from ``cypher/write/``, nodes first (addresses before every other
label), then relationships, then the look-alike candidates of the batch's persons and the
source's ``after_write`` step. Every record carries its row's provenance. Loading the same
file again changes nothing; an interrupted load rerun completes it.

* :func:`prepare`: resolve the batch's addresses against the graph (by BAG id, then by
  postcode key, so a row carrying both links the two) and merge all rows about one node or
  relationship into one statement row (:class:`Merged`; a fact of one row, the most
  common, straight through :func:`single_row`), each statement made ready for
  the engine (``Store.ready_rows``). On the embedded engine (``Store.creates_in_bulk``)
  the rows about facts the graph does not hold are set apart and made ready for
  ``Store.create_ready`` (``Store.ready_new``: encoded for the engine's bulk insert, what
  the merge's ``ON CREATE`` makes at a fraction of the cost; a new fact of one record is
  handed over as that record, ``graph_service.store.rows.NewFact``, and encoded without
  a row); only the others go through the merge.
* :func:`commit`: write a prepared batch in three parts, the addresses, the other nodes
  and the relationships, each sent as one (``Store.write_together``): its new facts in
  one bulk insert (the ends' node ids read once per batch), then its merges.
* :func:`write`: both, for one batch (fixture graphs and tests use it).
* :class:`Pipeline`: the loader's writing pass. One writer thread commits batch ``k``
  while the caller prepares batch ``k + 1``; batch ``k + 1``'s addresses are resolved
  only once batch ``k``'s are in the graph (its other facts are prepared before that), so
  the graph comes out exactly as with :func:`write` per batch, and the engine works while
  Python prepares.
"""

from __future__ import annotations

import contextlib
import contextvars
import queue
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from graph_service.model import (
    LABELS,
    TEMPLATE_REL_TYPES,
    label_of_uid,
    load_run_stamp,
    node_statement,
    relationship_statement,
)
from graph_service.store import Counters, ReadyNew, ReadyWrite, Store
from graph_service.store.rows import NOT_SEEN_YET, NewFact, prov_props, prov_values, single_row

from . import names
from .checks import SourceSpec
from .records import AddrRef, Node, Prov, Record, Ref

__all__ = [
    "NODE_STATEMENT",
    "REL_STATEMENT",
    "LoadReport",
    "Merged",
    "single_row",
    "Prepared",
    "Pipeline",
    "resolve_addresses",
    "prepare",
    "commit",
    "write",
    "candidate_props",
    "write_match_candidates",
    "match_candidate_pairs",
]

Batch = list[tuple[Prov, list[Record]]]
Row = dict[str, Any]


#: The statement that merges each label's nodes and each type's relationships (expanded by
#: the Cypher registry from ``cypher/templates/``; names from the model).
NODE_STATEMENT = {label: node_statement(label) for label in LABELS}
REL_STATEMENT = {t: relationship_statement(t) for t in TEMPLATE_REL_TYPES}
_SAME_AS_STATEMENT = relationship_statement("POSSIBLE_SAME_AS")


@dataclass
class LoadReport:
    """What one load did, for the summary and the load-run record."""

    source: str
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_refused: int = 0
    nodes_created: Counter[str] = field(default_factory=Counter)
    nodes_merged: Counter[str] = field(default_factory=Counter)
    rels_created: Counter[str] = field(default_factory=Counter)
    rels_merged: Counter[str] = field(default_factory=Counter)
    candidates: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    reject_files: list[str] = field(default_factory=list)
    #: The load run (``LoadRun`` uid) that stamps every fact it writes (``prov_run``), and
    #: whether the files are a full extract (empty cells clear, unseen facts end).
    run: str | None = None
    full: bool = False
    ended_nodes: int = 0
    ended_relationships: int = 0

    @property
    def stamp(self) -> str | None:
        """How the facts this run writes name it (``prov_run "<source>|<stamp>"``)."""
        return load_run_stamp(self.run) if self.run else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "files": self.files,
            "rows_read": self.rows_read,
            "rows_refused": self.rows_refused,
            "nodes_created": dict(self.nodes_created),
            "nodes_merged": dict(self.nodes_merged),
            "relationships_created": dict(self.rels_created),
            "relationships_merged": dict(self.rels_merged),
            "match_candidates": self.candidates,
            "ignored_columns": self.ignored_columns,
            "reject_files": self.reject_files,
            "run": self.run,
            "full": self.full,
            "ended_nodes": self.ended_nodes,
            "ended_relationships": self.ended_relationships,
        }


def resolve_addresses(store: Store, refs: set[AddrRef]) -> dict[AddrRef, str]:
    bag_ids = sorted({r.bag_id for r in refs if r.bag_id})
    pc_keys = sorted({r.pc_key for r in refs if r.pc_key})
    by_bag = {
        row["bag_id"]: row["uid"]
        for row in store.read("read/addresses_by_bag_id", {"bag_ids": bag_ids})
    } if bag_ids else {}
    by_pc = {
        row["pc_key"]: row["uid"]
        for row in store.read("read/addresses_by_pc_key", {"pc_keys": pc_keys})
    } if pc_keys else {}
    out: dict[AddrRef, str] = {}
    # two passes so that, within one batch, a row with only one key meets a row with both
    for ref in sorted(refs, key=lambda r: (r.bag_id is None or r.pc_key is None)):
        uid = (by_bag.get(ref.bag_id) if ref.bag_id else None) or (
            by_pc.get(ref.pc_key) if ref.pc_key else None
        ) or ref.default_uid()
        out[ref] = uid
        if ref.bag_id:
            by_bag.setdefault(ref.bag_id, uid)
        if ref.pc_key:
            by_pc.setdefault(ref.pc_key, uid)
    return out


@dataclass
class Merged:
    """All rows of one batch about one node or relationship, merged before writing.

    Each uid (or relationship key) occurs once per statement, so the statement can compare
    against the stored last_seen safely: rows observed earlier only fill missing values.
    """

    props: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    source_records: list[str] = field(default_factory=list)
    grades: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    first_seen: str = NOT_SEEN_YET
    last_seen: str = ""
    per_source: dict[str, _SourceProv] = field(default_factory=dict)

    def add(self, props: Mapping[str, Any], prov: Prov) -> None:
        given = {k: v for k, v in props.items() if v is not None}
        self.last_seen = _take(self.props, self.last_seen, given, prov.seen)
        if prov.seen < self.first_seen:
            self.first_seen = prov.seen
        source = prov.source
        if source not in self.sources:
            self.sources.append(source)
        record = f"{source}:{prov.record}"
        if record not in self.source_records:
            self.source_records.append(record)
        if prov.grade not in self.grades:
            self.grades.append(prov.grade)
        if prov.purpose not in self.purposes:
            self.purposes.append(prov.purpose)
        part = self.per_source.get(source)
        if part is None:
            part = self.per_source[source] = _SourceProv()
        part.add(given, prov, () if len(given) == len(props)
                 else [k for k, v in props.items() if v is None])

    def row(self, run: str | None = None, full: bool = False, **keys: str) -> dict[str, Any]:
        """The statement row, its provenance lists complete (the merge templates compute
        nothing for a new fact); ``run`` stamps it (``prov_run``), ``full`` adds what the
        source's empty cells clear (``clear``, ``unset``: see ``cypher/templates/``)."""
        per = self.per_source
        extra: dict[str, Any] = {"prov_run": [f"{s}|{run}" for s in self.sources]} if run else {}
        if full:
            empty = sorted({(s, k) for s, p in per.items() for k in p.empty if k not in p.props})
            if empty:
                extra["clear"] = [f"{s}|{k}" for s, k in empty]
                extra["unset"] = [{k: None} for k in sorted({k for _, k in empty})]
        return {**keys, **extra, "props": self.props, "sources": self.sources,
                "source_records": self.source_records, "grades": self.grades,
                "purposes": self.purposes, "first_seen": self.first_seen,
                "last_seen": self.last_seen,
                "prov_seen": [f"{s}|{per[s].first_seen}|{per[s].last_seen}" for s in self.sources],
                "prov_grades": [f"{s}:{g}" for s, p in per.items() for g in p.grades],
                "prov_props": [v for s, p in per.items() for v in prov_props(s, p.props)],
                "prov_values": [v for s, p in per.items() for v in prov_values(s, p.props)]}


@dataclass
class _SourceProv:
    """One source's part of a :class:`Merged` (kept per source in the graph, so a read
    shows what the sources it may see say, and nothing of the others)."""

    props: dict[str, Any] = field(default_factory=dict)
    grades: list[str] = field(default_factory=list)
    first_seen: str = NOT_SEEN_YET
    last_seen: str = ""
    empty: set[str] = field(default_factory=set)  # properties a row left empty

    def add(self, given: Mapping[str, Any], prov: Prov, empty: Iterable[str] = ()) -> None:
        if empty:
            self.empty.update(empty)
        self.last_seen = _take(self.props, self.last_seen, given, prov.seen)
        if prov.seen < self.first_seen:
            self.first_seen = prov.seen
        if prov.grade not in self.grades:
            self.grades.append(prov.grade)


@dataclass
class Prepared:
    """One batch resolved and merged: the statement rows, in the order they are written.

    Per label (Address first) and per relationship type: the rows about facts the graph
    does not hold made ready for ``Store.create_ready`` (only on a store that
    ``creates_in_bulk``; None when there are none), and the merge of the others made
    ready (None when there are none)."""

    batch: Batch
    nodes: list[tuple[str, ReadyNew | None, ReadyWrite | None]]
    rels: list[tuple[str, ReadyNew | None, ReadyWrite | None]]
    persons: dict[str, dict[str, Any]]  # uid -> candidate properties (look-alikes)
    uids: frozenset[str] = frozenset()  # the batch's node uids


def _address_refs(records: Iterable[Record]) -> set[AddrRef]:
    refs: set[AddrRef] = set()
    for rec in records:
        if isinstance(rec, Node):
            if isinstance(rec.uid, AddrRef):
                refs.add(rec.uid)
        else:
            if isinstance(rec.start, AddrRef):
                refs.add(rec.start)
            if isinstance(rec.end, AddrRef):
                refs.add(rec.end)
    return refs


_Facts = Merged | tuple[Mapping[str, Any], Prov]


def _gather(acc: dict[Any, _Facts], key: Any, props: Mapping[str, Any], prov: Prov) -> None:
    """Add a record about the fact ``key``: kept as it is while it is the only one."""
    facts = acc.get(key)
    if facts is None:
        acc[key] = (props, prov)
    elif isinstance(facts, Merged):
        facts.add(props, prov)
    else:
        merged = acc[key] = Merged()
        merged.add(*facts)
        merged.add(props, prov)


def _row(facts: _Facts, run: str | None, full: bool, **keys: str) -> dict[str, Any]:
    if isinstance(facts, Merged):
        return facts.row(run, full, **keys)
    return single_row(*facts, run, full, **keys)


def _new(facts: _Facts, run: str | None, full: bool, **keys: str) -> Row:
    """The row of a fact new to the graph; one of a single record stays that record
    (:class:`NewFact`: the bulk insert encodes it without a row; a new fact has nothing
    for ``full`` to clear)."""
    if isinstance(facts, Merged):
        return facts.row(run, full, **keys)
    return NewFact(*facts, run, **keys)


def prepare(store: Store, batch: Batch, run: str | None = None, full: bool = False,
            unwritten: frozenset[str] = frozenset(),
            addresses_ready: Callable[[], None] | None = None) -> Prepared:
    """Resolve the batch's addresses (reads) and merge its rows per node and relationship
    into statements made ready for the engine (``Store.ready_rows``); ``run`` stamps every
    row, ``full`` (a full extract) lets empty cells clear values.

    On a store that ``creates_in_bulk`` the batch's nodes the graph does not hold are
    set apart and made ready for ``Store.create_ready``, with the relationships that have
    one of them at an end (such a relationship cannot be stored). ``unwritten``: the node
    uids of earlier batches that may still be on their way to the engine, counted as
    stored (the merge then meets them).

    In two parts: first the facts no address is part of (the nodes other than addresses,
    the relationships between them), which no address written meanwhile can change; then,
    after ``addresses_ready`` returns (the pipeline waits there for the batch before's
    addresses), the addresses and the relationships to them. Every record of one fact
    falls in one part (an address is known by its label, its reference or its uid's
    prefix), so each fact is still merged from all its records, in their order."""
    persons: dict[str, dict[str, Any]] = {}
    later: list[tuple[Prov, Record]] = []
    node_acc: dict[str, dict[str, _Facts]] = defaultdict(dict)
    rel_acc: dict[str, dict[tuple[str, str, str], _Facts]] = defaultdict(dict)
    for prov, recs in batch:
        for rec in recs:
            if isinstance(rec, Node):
                uid = rec.uid
                if rec.label == "Address" or isinstance(uid, AddrRef):
                    later.append((prov, rec))
                    continue
                _gather(node_acc[rec.label], uid, rec.props, prov)
                if rec.label == "Person" and rec.props.get("candidate_key"):
                    persons[uid] = candidate_props(rec.props)
                continue
            start, end = rec.start, rec.end
            if (isinstance(start, AddrRef) or isinstance(end, AddrRef)
                    or label_of_uid(start) == "Address" or label_of_uid(end) == "Address"):
                later.append((prov, rec))
            else:
                _gather(rel_acc[rec.type], (start, end, rec.key), rec.props, prov)
    uids = frozenset(uid for acc in node_acc.values() for uid in acc)
    nodes, rels, new = _made_ready(store, node_acc, rel_acc, uids, frozenset(), unwritten,
                                   run, full)
    if addresses_ready is not None:
        addresses_ready()
    if later:
        refs = _address_refs(rec for _, rec in later)
        resolved = resolve_addresses(store, refs) if refs else {}

        def uid_of(ref: Ref) -> str:
            return resolved[ref] if isinstance(ref, AddrRef) else ref

        node_acc, rel_acc = defaultdict(dict), defaultdict(dict)
        for prov, rec in later:
            if isinstance(rec, Node):
                _gather(node_acc[rec.label], uid_of(rec.uid), rec.props, prov)
            else:
                key = (uid_of(rec.start), uid_of(rec.end), rec.key)
                _gather(rel_acc[rec.type], key, rec.props, prov)
        more = frozenset(uid for acc in node_acc.values() for uid in acc)
        more_nodes, more_rels, _ = _made_ready(store, node_acc, rel_acc, more, new, unwritten,
                                               run, full)
        # addresses first: the next batch is resolved as soon as they are in the graph
        nodes = more_nodes + nodes
        rels += more_rels
        uids |= more
    return Prepared(batch, nodes, rels, persons, uids)


def _made_ready(store: Store, node_acc: dict[str, dict[str, _Facts]],
                rel_acc: dict[str, dict[tuple[str, str, str], _Facts]], uids: frozenset[str],
                new_before: frozenset[str], unwritten: frozenset[str], run: str | None,
                full: bool) -> tuple[list[tuple[str, ReadyNew | None, ReadyWrite | None]],
                                     list[tuple[str, ReadyNew | None, ReadyWrite | None]],
                                     frozenset[str]]:
    """The gathered facts (``uids``: their nodes') made ready per label and type (the new
    ones apart when the store ``creates_in_bulk``), and the uids of the new nodes among
    them and ``new_before``."""
    new = new_before
    asked = store.creates_in_bulk and bool(uids)  # which nodes are stored
    if asked:
        new = new | (uids - unwritten - store.stored(uids - unwritten))

    def ready(name: str, fresh: list[Row], merge: list[Row], stored: bool = False
              ) -> tuple[ReadyNew | None, ReadyWrite | None]:
        return (store.ready_new(name, fresh) if fresh else None,
                store.ready_rows(name, merge, stored=stored) if merge else None)

    nodes = []
    for label in sorted(node_acc, key=lambda label: label != "Address"):
        fresh: list[Row] = []
        merge: list[Row] = []
        for uid, m in node_acc[label].items():
            if uid in new:
                fresh.append(_new(m, run, full, uid=uid))
            else:
                merge.append(_row(m, run, full, uid=uid))
        # when asked, the others are stored: found so, or an earlier batch's, written first
        nodes.append((label, *ready(NODE_STATEMENT[label], fresh, merge, asked)))
    rels = []
    for rtype, by_key in rel_acc.items():
        fresh, merge = [], []
        for (s, e, k), m in by_key.items():
            if s in new or e in new:
                fresh.append(_new(m, run, full, start=s, end=e, key=k))
            else:
                merge.append(_row(m, run, full, start=s, end=e, key=k))
        rels.append((rtype, *ready(REL_STATEMENT[rtype], fresh, merge)))
    return nodes, rels, new


def commit(
    store: Store,
    prepared: Prepared,
    report: LoadReport,
    spec: SourceSpec | None = None,
    addresses_written: Callable[[], None] | None = None,
) -> None:
    """Write a prepared batch: its addresses, the other nodes, the relationships (each
    part's new facts and merges sent as one, ``Store.write_together``), the look-alikes,
    the source's own step.

    ``addresses_written`` is called once the batch's Address nodes are in the graph (so
    the next batch may be resolved).
    """
    addresses = [n for n in prepared.nodes if n[0] == "Address"]
    for part in (addresses, [n for n in prepared.nodes if n[0] != "Address"]):
        for label, c, rows in _written(store, part):
            report.nodes_created[label] += c.nodes_created
            report.nodes_merged[label] += rows
        if addresses_written is not None:
            addresses_written()
            addresses_written = None
    for rtype, c, rows in _written(store, prepared.rels):
        report.rels_created[rtype] += c.relationships_created
        report.rels_merged[rtype] += rows
    if prepared.persons:
        report.candidates += write_match_candidates(store, prepared.persons)
    if spec is not None and spec.after_write is not None:
        spec.after_write(store, prepared.batch)


def _written(store: Store, part: list[tuple[str, ReadyNew | None, ReadyWrite | None]]
             ) -> Iterator[tuple[str, Counters, int]]:
    """Write the new facts of ``part`` (per label or type) together, then the merges of
    the others (``Store.write_together``): what each write did, and over how many rows."""
    fresh = [(name, ready) for name, ready, _ in part if ready is not None]
    merges = [(name, merge) for name, _, merge in part if merge is not None]
    created, merged = store.write_together([ready for _, ready in fresh],
                                           [merge for _, merge in merges])
    for (name, ready), counters in zip(fresh, created, strict=True):
        yield name, counters, len(ready.rows)
    for (name, merge), counters in zip(merges, merged, strict=True):
        yield name, counters, len(merge.rows)


def write(
    store: Store,
    batch: Batch,
    report: LoadReport,
    spec: SourceSpec | None = None,
) -> None:
    """Resolve and write one batch of normalised rows (nodes first, then relationships)."""
    with store.creating():
        commit(store, prepare(store, batch), report, spec)


_CANDIDATE_PROPS = ("candidate_key", *names.MATCH_KEYS)
# read/person_match_candidates parameter per blocking-key property (see names.match_keys)
_BLOCK_PARAMS = {"mk_ym": "ym", "mk_yd": "yd", "mk_md": "md", "mk_swap": "swap",
                 "mk_birth": "birth"}


def candidate_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """What :func:`match_candidate_pairs` needs of a Person node's properties."""
    return {k: props.get(k) for k in _CANDIDATE_PROPS}


def write_match_candidates(store: Store, persons: Mapping[str, Mapping[str, Any]]) -> int:
    """Link look-alikes of these persons with POSSIBLE_SAME_AS (for review, never a merge)."""
    pairs = match_candidate_pairs(store, persons)
    if pairs:
        store.write_rows(_SAME_AS_STATEMENT, pairs)
    return len(pairs)


def match_candidate_pairs(
    store: Store, persons: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The look-alike pairs ``{start, end, score, reason}`` of these persons.

    ``persons`` maps a uid of the batch to its Person properties (``candidate_key`` and
    the ``mk_*`` blocking keys of :func:`loaders.names.match_keys`). One index-backed read
    returns only the persons sharing a blocking key with a batch person and someone else
    (an undated batch person: its whole candidate-key group; a batch person alone in
    every block is not returned and has no pairs); :func:`loaders.names.similarity`
    scores each pair within a shared block and a score in (0, 1) becomes a candidate.
    Pairs with persons of earlier loads are found the same way, so the result does not
    depend on file order, and loading again rewrites the same pairs.
    """
    params: dict[str, set[str]] = {p: set() for p in (*_BLOCK_PARAMS.values(), "nodate",
                                                      "groups")}
    for props in persons.values():
        for prop, param in _BLOCK_PARAMS.items():
            if props.get(prop):
                params[param].add(props[prop])
        if props.get("mk_nodate"):
            params["groups"].add(props["mk_nodate"])
        elif props.get("mk_ym"):  # dated: meets the undated persons of its name
            params["nodate"].add(props["candidate_key"])
    found = store.read("read/person_match_candidates",
                       {k: sorted(v) for k, v in params.items()})
    by_uid = {row["uid"]: row for row in found}
    blocks: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in found:
        for prop in names.MATCH_KEYS:
            if row.get(prop):
                blocks[(prop, row[prop])].append(row)
        if row.get("candidate_key"):
            blocks[("candidate_key", row["candidate_key"])].append(row)
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for uid in sorted(persons):
        me = by_uid.get(uid)
        if me is None:
            continue
        if me.get("mk_nodate"):
            mine = [("candidate_key", me["mk_nodate"])]
        else:
            mine = [(prop, me[prop]) for prop in _BLOCK_PARAMS if me.get(prop)]
            if me.get("candidate_key"):
                mine.append(("mk_nodate", me["candidate_key"]))
        for block in mine:
            for other in blocks.get(block, ()):
                if other["uid"] == uid:
                    continue
                a, b = sorted((uid, other["uid"]))
                if (a, b) in pairs:
                    continue
                score, reason = names.similarity(_parts(me), _parts(other))
                if score > 0:  # 1.0 only between two uids of one key: a listed person
                    pairs[(a, b)] = {"start": a, "end": b, "score": round(score, 2),
                                     "reason": reason}
    return list(pairs.values())


def _parts(p: Mapping[str, Any]) -> names.PersonParts:
    return names.PersonParts(
        p.get("voornamen"), p.get("voorvoegsel"), p.get("geslachtsnaam"), p.get("geboortedatum")
    )



class Pipeline:
    """The writing pass: one writer thread commits batches in order while the caller
    prepares the next one (``with Pipeline(...) as pipe: pipe.submit(batch)``).

    The engine works while the caller's thread resolves and merges the next batch and
    makes its statements ready (``Store.ready_rows``: on the embedded engine the parameters
    converted and rendered as text; ``Store.ready_new``: its new facts encoded for the
    bulk insert), so the writer thread only sends them: on two cores a load spends its
    time on the larger of the two instead of their sum. :meth:`submit` resolves a batch's
    addresses only after the previous batch's addresses are written (the writer signals it
    right after its addresses' part), so every batch sees the graph exactly as a load
    batch by batch would; the batch's other facts, which no address changes, it prepares
    before that wait (:func:`prepare`), while the writer may still write the two batches
    before (their node uids count as stored). At most one batch waits while one is
    written: memory stays bounded. An
    error of the writer stops the pass (no later batch is written) and is raised by the
    next :meth:`submit` or on leaving the block; an error of the caller drops the
    batches not yet written.
    """

    def __init__(self, store: Store, report: LoadReport, spec: SourceSpec | None = None,
                 progress: Callable[[int], None] | None = None) -> None:
        self.store = store
        self.report = report
        self.spec = spec
        self.progress = progress
        self._queue: queue.Queue[Prepared | None] = queue.Queue(maxsize=1)
        self._addresses = threading.Event()
        self._addresses.set()
        self._error: BaseException | None = None
        self._abort = False
        # the node uids of the last two batches
        self._unwritten: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
        # other loads wait until this one's facts are created (Store.creating)
        self._held = contextlib.ExitStack()
        self._held.enter_context(store.creating())
        # the writer runs in a copy of the caller's context (its access scope and settings)
        context = contextvars.copy_context()
        self._thread = threading.Thread(target=context.run, args=(self._run,),
                                        name="ondergraaf-writer", daemon=True)
        self._thread.start()

    def submit(self, batch: Batch) -> None:
        """Prepare ``batch``, its addresses once the previous batch's are in; queue it."""
        self._raise()
        # the two batches before may still be on their way: the one queued and the one
        # being written (it took that one from the queue)
        before, last = self._unwritten
        prepared = prepare(self.store, batch, self.report.stamp, self.report.full,
                           before | last, self._addresses_written)
        self._unwritten = (last, prepared.uids)
        self._addresses.clear()
        self._queue.put(prepared)

    def _addresses_written(self) -> None:
        self._addresses.wait()
        self._raise()

    def close(self) -> None:
        """Wait for every queued batch to be written; raise the writer's error if any."""
        self._queue.put(None)
        self._thread.join()
        self._held.close()
        self._raise()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is not None:
            self._abort = True  # the caller failed: write nothing more
            self._queue.put(None)
            self._thread.join()
            self._held.close()
            return
        self.close()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        # the event is set exactly once per batch (by commit, right after the batch's
        # addresses), never later: by then the caller may be waiting for the next batch's
        while (prepared := self._queue.get()) is not None:
            if self._error is not None or self._abort:
                self._addresses.set()  # drain: nothing after a failure is written
                continue
            try:
                commit(self.store, prepared, self.report, self.spec, self._addresses.set)
                if self.progress is not None:
                    self.progress(len(prepared.batch))
            except BaseException as exc:  # handed to the caller's thread
                self._error = exc
                self._addresses.set()


def _take(props: dict[str, Any], last_seen: str, given: Mapping[str, Any], seen: str) -> str:
    """Merge ``given`` (observed on ``seen``) into ``props``: a newer observation overrides,
    an older one only fills what is missing. Returns the new last-seen date."""
    if seen >= last_seen:
        props.update(given)
        return seen
    for k, v in given.items():
        props.setdefault(k, v)
    return last_seen
