"""Graph page generation: the capped neighbourhood of a supernode, through pyvis.

The same steps as ``graph_service.web.graphdata.entity_graph`` without Flask: the neighbourhood
query (depth 2, 100 nodes, 12 per node), :func:`graph_service.render.graphs.build_graph` with the
"n meer" overflow nodes, and :func:`graph_service.render.graphs.render` (pyvis network -> the
vis-network JSON the page embeds). Query time and page generation time are kept apart.
"""

from __future__ import annotations

import json
import time
from typing import Any

from graph_service import queries
from graph_service.render import graphs
from graph_service.store import Store, access

from .common import percentiles

__all__ = ["measure_page"]

GRAPH_LIMIT = 100
GRAPH_PER_NODE = 12


def measure_page(store: Store, uid: str, repeat: int = 5) -> dict[str, Any]:
    query_ms: list[float] = []
    render_ms: list[float] = []
    size: dict[str, int] = {}
    with access.scope(access.FULL):
        for i in range(repeat + 1):  # the first pass warms up (and imports pyvis)
            t0 = time.perf_counter()
            sub = queries.neighbourhood(store, uid, depth=2, limit=GRAPH_LIMIT,
                                        per_node=GRAPH_PER_NODE)
            t1 = time.perf_counter()
            g = graphs.build_graph(sub.nodes, sub.relationships)
            for row in sub.overflow:
                if row["via"] in g:
                    graphs.add_overflow(g, row["via"], row["label"], row["type"],
                                        int(row["count"]))
            data = graphs.render(g, focus=uid, url_for=lambda u: f"/entities/{u}",
                                 per_group=None)
            body = json.dumps(data)
            t2 = time.perf_counter()
            if i:
                query_ms.append((t1 - t0) * 1000)
                render_ms.append((t2 - t1) * 1000)
            size = {"nodes": len(data["nodes"]), "edges": len(data["edges"]),
                    "json_bytes": len(body)}
    return {"uid": uid, **size, "query_ms": percentiles(query_ms),
            "render_ms": percentiles(render_ms)}
