"""The in-process lower bound: the same 2-hop neighbourhood in plain networkx, in memory.

The whole graph (every relationship but look-alike candidates) is read once into an
undirected ``networkx.MultiGraph``; then, for the same sampled roots as the database
benchmark, the time of ``nx.ego_graph(G, root, radius=2)`` and of a bare breadth-first
search to depth 2 (``single_source_shortest_path_length``). No size cap, no properties, no
validity filter, no network hop, no serialisation: what remains is Python walking
adjacency dicts, the floor under any engine called from Python.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import networkx as nx

from graph_service.store import Store, access

from .common import percentiles

__all__ = ["measure_networkx"]


def measure_networkx(store: Store, roots: Sequence[str], repeat: int = 3) -> dict[str, Any]:
    t = time.perf_counter()
    with access.scope(access.FULL):
        rows = store.read("read/bench_edges")
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    g: nx.MultiGraph[str] = nx.MultiGraph()
    g.add_edges_from((r["a"], r["b"], r["type"]) for r in rows)
    build_s = time.perf_counter() - t
    del rows
    ego: list[float] = []
    bfs: list[float] = []
    sizes: list[int] = []
    present = [r for r in roots if r in g]
    for i in range(repeat + 1):  # the first pass warms up
        for root in present:
            t0 = time.perf_counter()
            sub = nx.ego_graph(g, root, radius=2)
            t1 = time.perf_counter()
            reach = nx.single_source_shortest_path_length(g, root, cutoff=2)
            t2 = time.perf_counter()
            if i:
                ego.append((t1 - t0) * 1000)
                bfs.append((t2 - t1) * 1000)
                sizes.append(len(reach))
            del sub
    return {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "read_s": round(read_s, 2),
        "build_s": round(build_s, 2),
        "ego_graph_ms": percentiles(ego),
        "bfs_ms": percentiles(bfs),
        "reached_median": sorted(sizes)[len(sizes) // 2] if sizes else 0,
        "reached_max": max(sizes, default=0),
    }
