"""The only code that talks to a graph engine: one small interface, two engines.

``open_store(settings)`` gives a :class:`Neo4jStore` when ``ONDERGRAAF_NEO4J_URI`` is set
and an :class:`EmbeddedFalkorStore` (FalkorDB in a redis-server that we start on a unix
socket inside the data folder) otherwise. It checks the schema version of the data folder
and the graph (:mod:`.version`) before it hands the store out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..config import Settings, load_settings

if TYPE_CHECKING:
    from .base import Counters, ReadyNew, ReadyWrite, Store

__all__ = ["Counters", "ReadyNew", "ReadyWrite", "Store", "open_store"]


def __getattr__(name: str) -> Any:
    """``Counters``, ``ReadyNew``, ``ReadyWrite`` and ``Store`` are imported on first use:
    the CLI starts the embedded server (``store.embedded``) before it imports the model
    and the Cypher registry."""
    if name in ("Counters", "ReadyNew", "ReadyWrite", "Store"):
        from . import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_store(settings: Settings | None = None, *, check_schema: bool = True,
               allow_older: bool = False) -> Store:
    """Open the store the settings ask for; the caller closes it.

    The schema version of the data folder and the graph must be this code's
    (:func:`.version.check`: a new folder or graph is marked at it; ``allow_older`` lets an
    older one pass, for ``backup``); ``check_schema=False`` skips the check, for the
    commands that read or set the version themselves (``upgrade``, ``restore``).
    """
    settings = settings or load_settings()
    store: Store
    if settings.engine == "neo4j":
        from .neo4j_store import Neo4jStore

        store = Neo4jStore(settings)
    else:
        from .falkordb_store import EmbeddedFalkorStore

        store = EmbeddedFalkorStore(settings)
    if check_schema:
        from . import version

        try:
            version.check(store, settings.data_dir, allow_older=allow_older)
        except BaseException:
            store.close()
            raise
    return store
