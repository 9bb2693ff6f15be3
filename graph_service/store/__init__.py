"""The only code that talks to a graph engine: one small interface, two engines.

``open_store(settings)`` gives a :class:`Neo4jStore` when ``ONDERGRAAF_NEO4J_URI`` is set
and an :class:`EmbeddedFalkorStore` (FalkorDB in a redis-server that we start on a unix
socket inside the data folder) otherwise.
"""

from __future__ import annotations

from ..config import Settings, load_settings
from .base import Counters, Store

__all__ = ["Counters", "Store", "open_store"]


def open_store(settings: Settings | None = None) -> Store:
    """Open the store the settings ask for; the caller closes it."""
    settings = settings or load_settings()
    if settings.engine == "neo4j":
        from .neo4j_store import Neo4jStore

        return Neo4jStore(settings)
    from .falkordb_store import EmbeddedFalkorStore

    return EmbeddedFalkorStore(settings)
