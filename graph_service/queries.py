"""Read queries for the web layer, the CLI and notebooks: entity, neighbourhood, paths,
hotspots and search.

Every function takes a :class:`~graph_service.store.Store` and runs named statements from
``cypher/read/``; nothing here builds Cypher. Relationship types a caller names are checked
against :data:`graph_service.model.REL_TYPES` and travel as a list parameter. Bad arguments
raise :class:`~graph_service.errors.InvalidParams`, a missing entity
:class:`~graph_service.errors.NotFound`. ``docs/queries.md`` describes the shapes returned.

Everything runs under the caller's access scope (:mod:`graph_service.store.access`): the store
passes ``$visible`` and ``$today`` to the statements, which see only visible facts not past
their ``bewaren_tot``; an entity the scope cannot see is :class:`NotFound` here.

Nodes and relationships come back in the store's shapes: a node is
``{"_labels": [...], "uid": ..., "name": ..., **properties}`` and a relationship
``{"_type", "_start", "_end", **properties}`` with start and end as uids; both carry their
provenance properties (``sources``, ``source_records``, ``first_seen``, ``last_seen``,
``grades``, ``purposes``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import InvalidParams, NotFound, QueryFailed
from .model import REL_TYPES
from .pathsearch import ShortestDag, node_sequences, shortest_dag
from .store import Store, access

__all__ = [
    "DEFAULT_REL_TYPES",
    "PROVENANCE_KEYS",
    "KINDS",
    "MAX_DEPTH",
    "DEFAULT_NODE_LIMIT",
    "MAX_NODE_LIMIT",
    "DEFAULT_PER_NODE",
    "MAX_HOPS",
    "DEFAULT_PATH_LIMIT",
    "MAX_PATH_LIMIT",
    "HOTSPOT_WEIGHTS",
    "MAX_HOTSPOT_LIMIT",
    "MIN_SEARCH_LENGTH",
    "MAX_SEARCH_LENGTH",
    "MAX_SEARCH_LIMIT",
    "Subgraph",
    "Path",
    "entity",
    "get_entity",
    "neighbourhood",
    "paths",
    "breadth_first_paths",
    "hotspots",
    "search",
    "fulltext_terms",
    "fulltext_query",
    "MAX_SEARCH_TERMS",
    "rel_types_param",
]

Row = dict[str, Any]

#: Relationship types walked when a caller names none: all but POSSIBLE_SAME_AS, which
#: links name-only look-alikes for review and is never an identity (ask for it by name).
DEFAULT_REL_TYPES: tuple[str, ...] = tuple(t for t in REL_TYPES if t != "POSSIBLE_SAME_AS")
PROVENANCE_KEYS: tuple[str, ...] = (
    "sources",
    "source_records",
    "first_seen",
    "last_seen",
    "grades",
    "purposes",
)
#: The short ``kind`` of an entity per label (search results, entity pages).
KINDS: dict[str, str] = {
    "Person": "person",
    "Organisation": "organisation",
    "Address": "address",
    "RuralObject": "object",
    "HolidayPark": "park",
    "ParkUnit": "unit",
    "BibobDossier": "dossier",
    "Signal": "signal",
}

MAX_DEPTH = 3
DEFAULT_NODE_LIMIT = 150
MAX_NODE_LIMIT = 1000
DEFAULT_PER_NODE = 50
#: The hop bound of the Neo4j path statements (a literal there); callers may ask for fewer.
MAX_HOPS = 6
DEFAULT_PATH_LIMIT = 25
MAX_PATH_LIMIT = 100

HotspotKind = Literal["address", "park", "object"]
HOTSPOT_STATEMENTS: dict[str, str] = {
    "address": "read/hotspots_address",
    "park": "read/hotspots_park",
    "object": "read/hotspots_object",
}
#: score = sum of weight x count; a signal weighs more than a registration because it is an
#: observation by a partner, not an administrative fact.
HOTSPOT_WEIGHTS: dict[str, int] = {"organisations": 1, "persons": 1, "signals": 5}
MAX_HOTSPOT_LIMIT = 500

MIN_SEARCH_LENGTH = 2
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_LIMIT = 100
_MATCH = ("id", "prefix", "substring")


# -- shared helpers -------------------------------------------------------------------------
def _check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidParams(f"{name} must be a whole number from {low} to {high}, not {value!r}")
    return value


def _check_date(name: str, value: object) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    raise InvalidParams(f"{name} must be a date or None, not {value!r}")


def rel_types_param(types: Iterable[str] | None) -> list[str]:
    """The relationship-type filter as a sorted list parameter.

    ``None`` or an empty list means :data:`DEFAULT_REL_TYPES`; any name not in
    :data:`graph_service.model.REL_TYPES` raises :class:`InvalidParams`.
    """
    if isinstance(types, str):
        raise InvalidParams("types must be a list of relationship types, not a string")
    chosen = set(types or ())
    unknown = sorted(chosen - set(REL_TYPES))
    if unknown:
        raise InvalidParams(f"unknown relationship types {unknown}; known: {list(REL_TYPES)}")
    return sorted(chosen) if chosen else sorted(DEFAULT_REL_TYPES)


def _domain_labels(node: Row) -> list[str]:
    return [label for label in node.get("_labels", []) if label != "Entity"]


def _label(node: Row) -> str:
    labels = _domain_labels(node)
    return labels[0] if labels else "Entity"


def _nodes(store: Store, uids: Sequence[str]) -> dict[str, Row]:
    rows = store.read("read/entity_nodes", {"uids": list(uids)})
    return {row["node"]["uid"]: row["node"] for row in rows}


def _rel(row: Row) -> Row:
    """A relationship row (type, start, end, props) in the store's relationship shape."""
    return {"_type": row["type"], "_start": row["start"], "_end": row["end"], **row["props"]}


def _rel_key(rel: Row) -> tuple[str, str, str, str]:
    # (type, start, end, key) is the merge key of every relationship (docs/graph-model.md)
    return (rel["_type"], rel["_start"], rel["_end"], str(rel.get("key") or ""))


# -- entity ---------------------------------------------------------------------------------
def entity(store: Store, uid: str) -> Row | None:
    """One entity with its properties, provenance and relationship counts, or None.

    Parameters
    ----------
    store:
        The graph store.
    uid:
        The entity's uid, e.g. ``kvk:12345678``.

    Returns
    -------
    dict or None
        ``{"uid", "name", "labels", "kind", "properties", "provenance",
        "relationship_counts"}``: ``labels`` without ``Entity``; ``properties`` all
        properties but uid, name and provenance; ``provenance`` the six provenance
        properties; ``relationship_counts`` ``{type: count}`` over all relationships in
        either direction, whatever their validity. None when no entity has this uid
        (:func:`get_entity` raises instead).
    """
    node = _nodes(store, [uid]).get(uid)
    if node is None:
        return None
    labels = _domain_labels(node)
    skip = {"_labels", "uid", "name", *PROVENANCE_KEYS}
    counts = store.read("read/entity_relationship_counts", {"uid": uid})
    return {
        "uid": uid,
        "name": node.get("name"),
        "labels": labels,
        "kind": KINDS.get(labels[0], "entity") if labels else "entity",
        "properties": {k: v for k, v in sorted(node.items()) if k not in skip},
        "provenance": {k: node.get(k) for k in PROVENANCE_KEYS},
        "relationship_counts": {row["type"]: row["count"] for row in counts},
    }


def get_entity(store: Store, uid: str) -> Row:
    """Like :func:`entity`, but raises :class:`NotFound` for an unknown uid."""
    found = entity(store, uid)
    if found is None:
        raise NotFound(f"no entity with uid {uid!r}")
    return found


# -- neighbourhood --------------------------------------------------------------------------
@dataclass
class Subgraph:
    """Nodes and relationships around one entity, with what the size cap left out.

    ``nodes`` carry ``_depth`` (hops from the root); ``overflow`` lists, per node where the
    expansion was cut, the hidden neighbours per (label, relationship type):
    ``{"via", "label", "type", "count", "total"}`` (``count`` hidden of ``total``).
    """

    root: str
    nodes: list[Row]
    relationships: list[Row]
    overflow: list[Row] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return bool(self.overflow)

    def to_dict(self) -> Row:
        return {
            "root": self.root,
            "nodes": self.nodes,
            "relationships": self.relationships,
            "overflow": self.overflow,
            "truncated": self.truncated,
        }


def _round_robin(groups: Sequence[Sequence[Row]]) -> Iterator[Row]:
    """First item of every group, then every second item, ...: no group eats the budget."""
    longest = max((len(g) for g in groups), default=0)
    for i in range(longest):
        for g in groups:
            if i < len(g):
                yield g[i]


def neighbourhood(
    store: Store,
    uid: str,
    depth: int = 1,
    types: Iterable[str] | None = None,
    as_of: dt.date | None = None,
    limit: int = DEFAULT_NODE_LIMIT,
    per_node: int = DEFAULT_PER_NODE,
) -> Subgraph:
    """The entities within ``depth`` hops of ``uid``, in either direction, size-capped.

    The expansion runs level by level (one bounded query per level): every node of a level
    contributes at most ``per_node`` neighbours (by relationship type, then uid), taken in
    turn across the level's nodes until ``limit`` nodes are in the result. Where neighbours
    were left out, a count query fills :attr:`Subgraph.overflow`, so an address with 400
    registered companies shows ``per_node`` of them and ``{"via": <address uid>, "label":
    "Organisation", "type": "REGISTERED_AT", "count": 350, ...}``.

    Parameters
    ----------
    store:
        The graph store.
    uid:
        The root entity.
    depth:
        Hops from the root, 1 to 3.
    types:
        Relationship types to walk (see :func:`rel_types_param`); default all but
        POSSIBLE_SAME_AS.
    as_of:
        Only relationships valid on this date (``valid_from``/``valid_to``; relationships
        without a period always count). None: every relationship, whatever its period.
    limit:
        At most this many nodes, the root included (1 to 1000).
    per_node:
        At most this many neighbours fetched per node and level (1 to 1000).

    Raises
    ------
    NotFound
        No entity has this uid.
    InvalidParams
        A parameter is out of range or names an unknown relationship type.
    """
    _check_int("depth", depth, 1, MAX_DEPTH)
    _check_int("limit", limit, 1, MAX_NODE_LIMIT)
    _check_int("per_node", per_node, 1, MAX_NODE_LIMIT)
    as_of = _check_date("as_of", as_of)
    rel_types = rel_types_param(types)
    root = _nodes(store, [uid]).get(uid)
    if root is None:
        raise NotFound(f"no entity with uid {uid!r}")

    nodes: dict[str, Row] = {uid: {**root, "_depth": 0}}
    rels: dict[tuple[str, str, str, str], Row] = {}
    cut: set[str] = set()
    frontier = [uid]
    for level in range(1, depth + 1):
        if not frontier:
            break
        budget = limit - len(nodes)
        if budget <= 0:
            cut.update(frontier)  # not expanded at all: everything beyond them is hidden
            break
        cap = min(per_node, budget)
        rows = store.read(
            "read/neighbourhood_step",
            {"uids": frontier, "types": rel_types, "as_of": as_of, "per_node": cap},
        )
        by_via: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            by_via[row["via"]].append(row)
        groups = []
        for via in frontier:
            group = sorted(by_via.get(via, []), key=lambda r: (r["type"], r["node"]["uid"]))
            if len(group) >= cap:
                cut.add(via)  # the cap may have hidden some: the count query will tell
            groups.append(group)
        next_frontier: list[str] = []
        for row in _round_robin(groups):
            other = row["node"]["uid"]
            if other not in nodes:
                if len(nodes) >= limit:
                    cut.add(row["via"])
                    continue
                nodes[other] = {**row["node"], "_depth": level}
                next_frontier.append(other)
            rel = _rel(row)
            rels.setdefault(_rel_key(rel), rel)
        frontier = next_frontier

    overflow = _overflow(store, cut, nodes, rels.values(), rel_types, as_of)
    return Subgraph(
        root=uid,
        nodes=sorted(nodes.values(), key=lambda n: (n["_depth"], n["uid"])),
        relationships=[rels[k] for k in sorted(rels)],
        overflow=overflow,
    )


def _overflow(
    store: Store,
    cut: set[str],
    nodes: dict[str, Row],
    rels: Iterable[Row],
    rel_types: list[str],
    as_of: dt.date | None,
) -> list[Row]:
    """Hidden neighbours per (via, label, type): total from the graph minus those shown."""
    if not cut:
        return []
    shown: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for rel in rels:
        for via, other in ((rel["_start"], rel["_end"]), (rel["_end"], rel["_start"])):
            if via in cut:
                shown[(via, _label(nodes[other]), rel["_type"])].add(other)
    totals = store.read(
        "read/neighbourhood_counts",
        {"uids": sorted(cut), "types": rel_types, "as_of": as_of},
    )
    out = []
    for row in totals:
        key = (row["via"], row["label"] or "Entity", row["type"])
        hidden = row["count"] - len(shown.get(key, ()))
        if hidden > 0:
            out.append(
                {"via": key[0], "label": key[1], "type": key[2], "count": hidden,
                 "total": row["count"]}
            )
    out.sort(key=lambda o: (-o["count"], o["via"], o["label"], o["type"]))
    return out


# -- paths ----------------------------------------------------------------------------------
@dataclass
class Path:
    """One path: ``nodes[i]`` and ``nodes[i + 1]`` are joined by ``relationships[i]``.

    A relationship keeps its real direction in ``_start``/``_end``; a path may walk it
    backwards.
    """

    nodes: list[Row]
    relationships: list[Row]

    @property
    def length(self) -> int:
        return len(self.relationships)

    @property
    def uids(self) -> list[str]:
        return [n["uid"] for n in self.nodes]

    def sort_key(self) -> tuple[tuple[str, ...], tuple[tuple[str, str, str, str], ...]]:
        return (tuple(self.uids), tuple(_rel_key(r) for r in self.relationships))

    def to_dict(self) -> Row:
        return {"length": self.length, "nodes": self.nodes, "relationships": self.relationships}


def _in_order(nodes: list[Row], rels: list[Row]) -> Path:
    """A path whose relationships follow its node sequence; reorder them if they do not.

    FalkorDB has been seen to list the relationships of an undirected variable-length path
    in reverse inside Cypher; the check costs nothing and makes the order a guarantee.
    """
    uids = [n["uid"] for n in nodes]
    if len(rels) != len(uids) - 1:
        raise QueryFailed(f"path with {len(uids)} nodes and {len(rels)} relationships")
    remaining = list(rels)
    ordered = []
    for a, b in zip(uids, uids[1:], strict=False):
        i = next((i for i, r in enumerate(remaining) if {r["_start"], r["_end"]} == {a, b}), -1)
        if i < 0:
            raise QueryFailed(f"path has no relationship between {a} and {b}")
        ordered.append(remaining.pop(i))
    return Path(nodes=nodes, relationships=ordered)


def _check_path_args(
    store: Store,
    from_uid: str,
    to_uid: str,
    max_hops: int,
    limit: int,
    as_of: dt.date | None,
) -> None:
    _check_int("max_hops", max_hops, 1, MAX_HOPS)
    _check_int("limit", limit, 1, MAX_PATH_LIMIT)
    _check_date("as_of", as_of)
    if from_uid == to_uid:
        raise InvalidParams("from_uid and to_uid are the same entity")
    found = _nodes(store, [from_uid, to_uid])
    missing = [u for u in (from_uid, to_uid) if u not in found]
    if missing:
        raise NotFound(f"no entity with uid {missing[0]!r}")


def paths(
    store: Store,
    from_uid: str,
    to_uid: str,
    max_hops: int = MAX_HOPS,
    types: Iterable[str] | None = None,
    all_shortest: bool = False,
    as_of: dt.date | None = None,
    limit: int = DEFAULT_PATH_LIMIT,
) -> list[Path]:
    """Shortest undirected paths between two entities.

    On Neo4j this runs ``shortestPath``/``allShortestPaths``; on FalkorDB, which has no
    undirected shortest path, :func:`breadth_first_paths`. Both give the same path sets
    (``tests/test_queries.py`` proves it); with more than ``limit`` shortest paths, which
    ``limit`` of them come back differs per engine.

    Parameters
    ----------
    store:
        The graph store.
    from_uid, to_uid:
        The two entities (different).
    max_hops:
        At most this many relationships, 1 to 6.
    types:
        Relationship types to walk (see :func:`rel_types_param`).
    all_shortest:
        All shortest paths (up to ``limit``) instead of one.
    as_of:
        Walk only relationships valid on this date; None: any period.
    limit:
        At most this many paths (1 to 100); ignored unless ``all_shortest``.

    Returns
    -------
    list of Path
        Sorted by node uids; empty when no path of at most ``max_hops`` exists.

    Raises
    ------
    NotFound
        One of the entities does not exist.
    InvalidParams
        A parameter is out of range, names an unknown type, or both uids are the same.
    """
    _check_path_args(store, from_uid, to_uid, max_hops, limit, as_of)
    rel_types = rel_types_param(types)
    wanted = limit if all_shortest else 1
    if store.engine != "neo4j":
        return _breadth_first(store, from_uid, to_uid, max_hops, rel_types, as_of, wanted)
    params: Row = {"from_uid": from_uid, "to_uid": to_uid, "types": rel_types, "as_of": as_of}
    if all_shortest:
        rows = store.read("read/paths_all_shortest", {**params, "limit": limit})
    else:
        rows = store.read("read/paths_shortest", params)
    found = [
        _in_order(row["path"]["nodes"], row["path"]["relationships"])
        for row in rows
        if len(row["path"]["relationships"]) <= max_hops
    ]
    return sorted(found, key=Path.sort_key)


def breadth_first_paths(
    store: Store,
    from_uid: str,
    to_uid: str,
    max_hops: int = MAX_HOPS,
    types: Iterable[str] | None = None,
    all_shortest: bool = False,
    as_of: dt.date | None = None,
    limit: int = DEFAULT_PATH_LIMIT,
) -> list[Path]:
    """:func:`paths` by the engine-neutral search, on any engine (FalkorDB's way).

    A bidirectional breadth-first search (:mod:`graph_service.pathsearch`), one
    ``read/paths_expand`` query per level, then ``read/paths_links`` for the relationships
    along the node sequences found (parallel relationships give separate paths, as in
    Neo4j) and ``read/entity_nodes`` for the nodes. With one path asked for, it is the
    first in uid order.
    """
    _check_path_args(store, from_uid, to_uid, max_hops, limit, as_of)
    rel_types = rel_types_param(types)
    wanted = limit if all_shortest else 1
    return _breadth_first(store, from_uid, to_uid, max_hops, rel_types, as_of, wanted)


def _breadth_first(
    store: Store,
    from_uid: str,
    to_uid: str,
    max_hops: int,
    rel_types: list[str],
    as_of: dt.date | None,
    wanted: int,
) -> list[Path]:
    def expand(frontier: list[str]) -> list[tuple[str, str]]:
        rows = store.read(
            "read/paths_expand", {"uids": frontier, "types": rel_types, "as_of": as_of}
        )
        return [(row["via"], row["other"]) for row in rows]

    dag: ShortestDag | None = shortest_dag(expand, from_uid, to_uid, max_hops)
    if dag is None:
        return []
    sequences = node_sequences(dag, wanted)
    pairs = sorted({(a, b) for seq in sequences for a, b in zip(seq, seq[1:], strict=False)})
    links: dict[tuple[str, str], list[Row]] = defaultdict(list)
    rows = store.read(
        "read/paths_links",
        {"pairs": [{"a": a, "b": b} for a, b in pairs], "types": rel_types, "as_of": as_of},
    )
    for row in rows:
        links[(row["a"], row["b"])].append(_rel(row))
    nodes = _nodes(store, sorted({u for seq in sequences for u in seq}))
    found: list[Path] = []
    for seq in sequences:
        steps: list[list[Row]] = [[]]
        for a, b in zip(seq, seq[1:], strict=False):
            options = sorted(links.get((a, b), []), key=_rel_key)
            steps = [[*done, rel] for done in steps for rel in options]
        if all(u in nodes for u in seq):  # a node deleted meanwhile drops its paths
            found.extend(Path([nodes[u] for u in seq], rels) for rels in steps)
    return sorted(found, key=Path.sort_key)[:wanted]


# -- hotspots -------------------------------------------------------------------------------
def hotspots(
    store: Store,
    kind: HotspotKind,
    as_of: dt.date | None = None,
    limit: int = 25,
) -> list[Row]:
    """Addresses, holiday parks or rural objects ranked by concentration on ``as_of``.

    ``score = 1 x organisations + 1 x persons + 5 x signals`` (:data:`HOTSPOT_WEIGHTS`):

    - organisations: active on ``as_of`` (not ended, status not opgeheven/failliet, as in
      the indicators) and registered at the place's address(es) with a REGISTERED_AT valid
      on ``as_of``; for a rural object also its tenants (RENTS valid on ``as_of``);
    - persons: registered or residing at the address(es) (REGISTERED_AT / RESIDES_AT), BRP
      registrations on park units (OCCUPIES brp = true, since on or before ``as_of``) and
      for a rural object its tenants;
    - signals: RIEC signals received on or before ``as_of`` and not past ``bewaren_tot``
      that concern the place, its units or addresses, or one of those organisations or
      persons.

    A park's addresses are its own and its units'. Places scoring 0 are left out.
    Indicator hits are not part of the score; the web layer may add them from the risk
    engine.

    Returns
    -------
    list of dict
        ``{"rank", "uid", "name", "kind", "score", "counts": {"organisations", "persons",
        "signals"}}``, for parks also ``"units"``; best first, ties by uid.
    """
    if kind not in HOTSPOT_STATEMENTS:
        raise InvalidParams(f"kind must be one of {sorted(HOTSPOT_STATEMENTS)}, not {kind!r}")
    _check_int("limit", limit, 1, MAX_HOTSPOT_LIMIT)
    as_of = _check_date("as_of", as_of) or dt.date.today()
    rows = store.read(
        HOTSPOT_STATEMENTS[kind],
        {
            "as_of": as_of,
            "limit": limit,
            "w_org": HOTSPOT_WEIGHTS["organisations"],
            "w_person": HOTSPOT_WEIGHTS["persons"],
            "w_signal": HOTSPOT_WEIGHTS["signals"],
        },
    )
    out = []
    for rank, row in enumerate(rows, start=1):
        item: Row = {
            "rank": rank,
            "uid": row["uid"],
            "name": row["name"],
            "kind": kind,
            "score": row["score"],
            "counts": {k: row[k] for k in ("organisations", "persons", "signals")},
        }
        if kind == "park":
            item["units"] = row["units"]
        out.append(item)
    return out


# -- search ---------------------------------------------------------------------------------
def search(store: Store, q: str, limit: int = 20) -> list[Row]:
    """Entities by name or identifier, exact identifier matches first.

    Identifiers: uid, KvK number, postcode (``7991AB`` or ``7991 ab``: every address with
    that postcode), postcode key (``7991AB12``, also written ``7991 AB 12``), BAG id,
    dossier, signal, casus, object and park ids. Case does not matter for identifiers
    stored in one case (all of the loaders' own: KvK, postcodes, BAG ids, uids); a free
    identifier stored in mixed case (``Park-Zon``) is found when typed as stored, or all
    lower- or upper-case only if stored so. Spaces inside an identifier do not matter.

    Names are matched by word through a full-text index (``schema/fulltext``): every word
    of the text must start a word of the name (``jan de v`` finds "Jan de Vries"), in any
    order. A word is a run of letters and digits; punctuation separates words and never
    reaches the full-text query language (see :func:`fulltext_terms`). Letters with
    diacritics must be typed with them (``café``); a word typed with them also matches the
    plain spelling (``café`` finds "Cafe" too).

    Returns
    -------
    list of dict
        ``{"uid", "name", "labels", "kind", "match"}`` with ``match`` ``"id"`` (an
        identifier equals the text), ``"prefix"`` (the name or an identifier starts with
        it) or ``"substring"`` (every word of the text starts a word of the name; a text
        inside a word, "rink" in "Brink", no longer matches); in that order, then shorter
        names first, then by name and uid. A pseudonymised reader (``analyse``) finds a
        person only by an exact identifier.

    Raises
    ------
    InvalidParams
        The text is shorter than 2 or longer than 200 characters, or ``limit`` is not 1-100.
    """
    if not isinstance(q, str):
        raise InvalidParams("q must be text")
    words = q.split()
    text = " ".join(words).lower()
    if not MIN_SEARCH_LENGTH <= len(text) <= MAX_SEARCH_LENGTH:
        raise InvalidParams(
            f"search text must be {MIN_SEARCH_LENGTH} to {MAX_SEARCH_LENGTH} characters"
        )
    _check_int("limit", limit, 1, MAX_SEARCH_LIMIT)
    scope = access.current()
    # a pseudonymised reader may not find a person by real name (re-identification)
    persons = not (scope is not None and scope.pseudonymise)
    rows = store.read("read/search_ids", {
        "ranges": _identifier_ranges(words), "q_id": text.replace(" ", ""),
        "persons": persons, "limit": limit,
    })
    terms = fulltext_terms(text)
    if terms:
        rows += store.read("read/search", {
            "ft": fulltext_query(terms, store.engine), "q": text, "persons": persons,
            "limit": limit,
        })
    best: dict[str, Row] = {}
    for row in rows:  # a node found both ways keeps its best rank
        seen = best.get(row["uid"])
        if seen is None or row["rank"] < seen["rank"]:
            best[row["uid"]] = row
    ordered = sorted(best.values(), key=lambda r: (
        r["rank"], len(r["name_lc"]), r["name_lc"], r["uid"]))
    out = []
    for row in ordered[:limit]:
        labels = [label for label in row["labels"] if label != "Entity"]
        out.append(
            {
                "uid": row["uid"],
                "name": row["name"],
                "labels": labels,
                "kind": KINDS.get(labels[0], "entity") if labels else "entity",
                "match": _MATCH[row["rank"]],
            }
        )
    return out


#: At most this many words of a search text go into the full-text query.
MAX_SEARCH_TERMS = 16
_NOT_WORD = re.compile(r"[\W_]+")


def fulltext_terms(text: str) -> list[tuple[str, ...]]:
    """The words of a search text as safe full-text terms, each with its spellings.

    Injection defence: the text is NFKC-normalised and case-folded, then cut at every
    character that is not a letter or digit (``str.isalnum``); only those runs survive, so
    no operator, quote, wildcard, escape, field name or control character of Lucene or
    RediSearch can reach the full-text query, which travels as a parameter anyway. A word
    with diacritics also gets its folded spelling (``café`` -> ``cafe``).
    """
    norm = unicodedata.normalize("NFKC", text).casefold()
    terms: list[tuple[str, ...]] = []
    for word in _NOT_WORD.split(norm):
        if not word or not word.isalnum():
            continue
        plain = "".join(c for c in unicodedata.normalize("NFKD", word)
                        if not unicodedata.combining(c))
        spellings = (word, plain) if plain != word and plain.isalnum() else (word,)
        if spellings not in terms:
            terms.append(spellings)
    return terms[:MAX_SEARCH_TERMS]


def fulltext_query(terms: Sequence[Sequence[str]], engine: str) -> str:
    """Every term a prefix, all terms required: ``a* b*`` (RediSearch) or ``a* AND b*``
    (Lucene); a term with several spellings becomes ``(x*|y*)`` / ``(x* OR y*)``."""
    sep, alt = (" AND ", " OR ") if engine == "neo4j" else (" ", "|")
    parts = []
    for spellings in terms:
        prefixes = [f"{s}*" for s in spellings]
        parts.append(prefixes[0] if len(prefixes) == 1 else f"({alt.join(prefixes)})")
    return sep.join(parts)


def _identifier_ranges(words: Sequence[str]) -> list[list[str]]:
    """Index range seeks ``[from, to)`` for the spellings an identifier may be stored in.

    The text without spaces (and, if it had any, with single spaces) as typed, lower- and
    upper-cased; for a uid (``kind:rest``) also the kind lower-case with each later part
    lower- or upper-case (``addr:7991AB12``, ``addr:NL:ab12cd``).
    """
    forms: list[str] = []
    for base in dict.fromkeys(["".join(words), " ".join(words)]):
        forms += [base, base.lower(), base.upper()]
        head, colon, rest = base.partition(":")
        if colon and rest:
            parts = rest.split(":")[:4]
            for mask in range(2 ** len(parts)):
                cased = [p.upper() if mask >> i & 1 else p.lower() for i, p in enumerate(parts)]
                forms.append(head.lower() + ":" + ":".join(cased))
    # [f, f with its last character raised by one) holds exactly the strings starting with
    # f; FalkorDB's range index misses strings below a non-ASCII bound such as f + U+FFFF
    return [[f, f[:-1] + chr(ord(f[-1]) + 1)] for f in dict.fromkeys(forms) if f]
