"""Read queries for the web layer, the CLI and notebooks: entity, neighbourhood, paths,
hotspots and search.

Modules: :mod:`.entities` (one entity, search), :mod:`.network` (neighbourhood, hotspots),
:mod:`.connections` (shortest paths) with :mod:`.pathsearch` (the engine-neutral
bidirectional search), and :mod:`.common` (shapes and checks they share). Callers use the
names here.

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

from .common import DEFAULT_REL_TYPES, KINDS, PROVENANCE_KEYS, rel_types_param
from .connections import (
    DEFAULT_PATH_LIMIT,
    MAX_HOPS,
    MAX_PATH_LIMIT,
    Path,
    breadth_first_paths,
    paths,
)
from .entities import (
    MAX_SEARCH_LENGTH,
    MAX_SEARCH_LIMIT,
    MAX_SEARCH_TERMS,
    MIN_SEARCH_LENGTH,
    entity,
    fulltext_query,
    fulltext_terms,
    get_entity,
    search,
)
from .identity import MAX_CANDIDATES, Resolution, identity_context, resolve
from .network import (
    DEFAULT_NODE_LIMIT,
    DEFAULT_PER_NODE,
    HOTSPOT_WEIGHTS,
    MAX_DEPTH,
    MAX_HOTSPOT_LIMIT,
    MAX_NODE_LIMIT,
    HotspotKind,
    Subgraph,
    hotspots,
    neighbourhood,
)

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
    "HotspotKind",
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
    "MAX_CANDIDATES",
    "Resolution",
    "identity_context",
    "resolve",
]

