"""Engine-neutral shortest paths: bidirectional breadth-first search over a neighbour function.

FalkorDB has no undirected ``shortestPath`` (and ``algo.SPpaths`` cannot filter on
relationship validity), so :mod:`graph_service.queries` finds shortest paths there with this
search. The graph is only seen through ``expand(frontier) -> [(via, other), ...]``, one
query per level, so the search never holds more than the levels it has visited.

Semantics match Neo4j's ``allShortestPaths`` on an undirected pattern: every node sequence
of minimal length; parallel relationships between two nodes make separate paths, which the
caller adds when it fetches the relationships of the sequences found here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

__all__ = ["Expand", "ShortestDag", "shortest_dag", "node_sequences"]

Expand = Callable[[list[str]], Iterable[tuple[str, str]]]


@dataclass
class _Side:
    """One direction of the search: distances and predecessors from its start node."""

    start: str
    dist: dict[str, int] = field(default_factory=dict)
    pred: dict[str, set[str]] = field(default_factory=dict)
    frontier: list[str] = field(default_factory=list)
    depth: int = 0

    def __post_init__(self) -> None:
        self.dist[self.start] = 0
        self.frontier = [self.start]

    def step(self, expand: Expand) -> list[str]:
        """Expand one level; return the nodes first reached at the new level, sorted."""
        level = self.depth + 1
        new: set[str] = set()
        for via, other in expand(self.frontier):
            seen = self.dist.get(other)
            if seen is None:
                self.dist[other] = level
                self.pred[other] = {via}
                new.add(other)
            elif seen == level:
                self.pred[other].add(via)
        self.depth = level
        self.frontier = sorted(new)
        return self.frontier


@dataclass(frozen=True)
class ShortestDag:
    """All shortest paths between two nodes, as predecessor sets on both halves.

    ``length`` is the number of relationships; ``meet`` the nodes where the two halves join.
    """

    source: str
    target: str
    length: int
    meet: tuple[str, ...]
    pred_source: dict[str, set[str]]
    pred_target: dict[str, set[str]]


def shortest_dag(expand: Expand, source: str, target: str, max_hops: int) -> ShortestDag | None:
    """Search from both ends, one level at a time, always expanding the smaller frontier.

    Returns None when no path of at most ``max_hops`` relationships exists. The first level
    at which the two searches touch gives the shortest length; every node reached there that
    the other side has seen lies on a shortest path (a shorter path would have made the
    searches touch a level earlier).
    """
    if source == target:
        raise ValueError("source and target are the same node")
    s, t = _Side(source), _Side(target)
    while s.frontier and t.frontier and s.depth + t.depth < max_hops:
        side, other = (s, t) if len(s.frontier) <= len(t.frontier) else (t, s)
        reached = side.step(expand)
        touching = [v for v in reached if v in other.dist]
        if touching:
            length = min(side.depth + other.dist[v] for v in touching)
            meet = tuple(v for v in touching if side.depth + other.dist[v] == length)
            return ShortestDag(source, target, length, meet, s.pred, t.pred)
    return None


def _walk_back(pred: dict[str, set[str]], node: str, end: str) -> Iterator[list[str]]:
    """Node sequences from ``node`` back to ``end`` following predecessors, sorted."""
    if node == end:
        yield [node]
        return
    for p in sorted(pred[node]):
        for rest in _walk_back(pred, p, end):
            yield [node, *rest]


def node_sequences(dag: ShortestDag, limit: int) -> list[list[str]]:
    """At most ``limit`` shortest node sequences from source to target, in a fixed order."""
    out: list[list[str]] = []
    for m in dag.meet:
        for head in _walk_back(dag.pred_source, m, dag.source):
            for tail in _walk_back(dag.pred_target, m, dag.target):
                out.append([*reversed(head), *tail[1:]])
                if len(out) >= limit:
                    return out
    return out
