"""Shortest paths between two entities, on either engine."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import InvalidParams, NotFound, QueryFailed
from ..model.hubs import Hubs, hubs_arg
from ..store import Store
from .common import Row, check_date, check_int, nodes_by_uid, rel_from_row, rel_key, rel_types_param
from .pathsearch import ShortestDag, node_sequences, shortest_dag

__all__ = [
    "MAX_HOPS",
    "DEFAULT_PATH_LIMIT",
    "MAX_PATH_LIMIT",
    "Path",
    "paths",
    "breadth_first_paths",
]

#: The hop bound of the Neo4j path statements (a literal there); callers may ask for fewer.
MAX_HOPS = 6
DEFAULT_PATH_LIMIT = 25
MAX_PATH_LIMIT = 100


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
        return (tuple(self.uids), tuple(rel_key(r) for r in self.relationships))

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
    check_int("max_hops", max_hops, 1, MAX_HOPS)
    check_int("limit", limit, 1, MAX_PATH_LIMIT)
    check_date("as_of", as_of)
    if from_uid == to_uid:
        raise InvalidParams("from_uid and to_uid are the same entity")
    found = nodes_by_uid(store, [from_uid, to_uid])
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
    hubs: Hubs | str | bool | None = None,
) -> list[Path]:
    """Shortest undirected paths between two entities.

    On Neo4j this runs ``shortestPath``/``allShortestPaths``; on FalkorDB, which has no
    undirected shortest path, :func:`breadth_first_paths`. Both give the same path sets
    (``tests/queries/test_queries.py`` proves it); with more than ``limit`` shortest paths, which
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
    hubs:
        The hubs no path runs through (:func:`graph_service.model.hubs.hubs_arg`): default
        the shipped list, ``"door"`` lets paths run through them. Either end may be a hub.

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
    stop = hubs_arg(hubs)
    if store.engine != "neo4j":
        return _breadth_first(store, from_uid, to_uid, max_hops, rel_types, as_of, wanted, stop)
    params: Row = {"from_uid": from_uid, "to_uid": to_uid, "types": rel_types, "as_of": as_of,
                   **stop.params()}
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
    hubs: Hubs | str | bool | None = None,
) -> list[Path]:
    """:func:`paths` by the engine-neutral search, on any engine (FalkorDB's way).

    A bidirectional breadth-first search (:mod:`graph_service.queries.pathsearch`), one
    ``read/paths_expand`` query per level, then ``read/paths_links`` for the relationships
    along the node sequences found (parallel relationships give separate paths, as in
    Neo4j) and ``read/entity_nodes`` for the nodes. With one path asked for, it is the
    first in uid order.
    """
    _check_path_args(store, from_uid, to_uid, max_hops, limit, as_of)
    rel_types = rel_types_param(types)
    wanted = limit if all_shortest else 1
    return _breadth_first(store, from_uid, to_uid, max_hops, rel_types, as_of, wanted,
                          hubs_arg(hubs))


def _breadth_first(
    store: Store,
    from_uid: str,
    to_uid: str,
    max_hops: int,
    rel_types: list[str],
    as_of: dt.date | None,
    wanted: int,
    stop: Hubs,
) -> list[Path]:
    def expand(frontier: list[str]) -> list[tuple[str, str]]:
        rows = store.read(
            "read/paths_expand",
            {"uids": frontier, "ends": [from_uid, to_uid], "types": rel_types, "as_of": as_of,
             **stop.params()},
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
        links[(row["a"], row["b"])].append(rel_from_row(row))
    nodes = nodes_by_uid(store, sorted({u for seq in sequences for u in seq}))
    found: list[Path] = []
    for seq in sequences:
        steps: list[list[Row]] = [[]]
        for a, b in zip(seq, seq[1:], strict=False):
            options = sorted(links.get((a, b), []), key=rel_key)
            steps = [[*done, rel] for done in steps for rel in options]
        if all(u in nodes for u in seq):  # a node deleted meanwhile drops its paths
            found.extend(Path([nodes[u] for u in seq], rels) for rels in steps)
    return sorted(found, key=Path.sort_key)[:wanted]
