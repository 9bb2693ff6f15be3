"""The shared Neo4j test server's graph, reset between tests that open their own stores."""

from __future__ import annotations

from graph_service.config import Settings
from graph_service.store import open_store, version


def reset_graph(settings: Settings) -> None:
    """Empty the graph of ``settings`` and mark it at the code's schema version, as a new
    graph is made (whatever another test left on the shared server)."""
    store = open_store(settings, check_schema=False)
    try:
        store.write("write/delete_all")
        version.write_graph_version(store, version.SCHEMA_VERSION)
    finally:
        store.close()
