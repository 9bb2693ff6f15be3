"""The graph JSON of an entity's neighbourhood, a Bibob screening and paths between two
entities: query results -> :func:`graph_service.render.graphs.render`, with the entities an
indicator fires on highlighted. The graph views (:mod:`.vis`) and the pages
(:mod:`.pages`) both embed it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
from flask import url_for

from .. import queries
from ..model import LABELS
from ..render import graphs
from ..risk import screening
from ..risk.evidence import EntityRef, EvidencePath
from ..store import Store
from .hits import codes_of
from .identity import identify_graph

__all__ = [
    "entity_graph",
    "screening_graph",
    "paths_graph",
    "GRAPH_LIMIT",
    "GRAPH_PER_NODE",
]

GRAPH_LIMIT = 100
GRAPH_PER_NODE = 12


def _entity_url(uid: str) -> str:
    return url_for("pages.entity", uid=uid)


def _hits_for(store: Store, g: nx.MultiDiGraph, as_of: dt.date) -> dict[str, list[str]]:
    shown = [EntityRef(uid, data["label"], data["props"].get("name"))
             for uid, data in g.nodes(data=True) if data.get("label") in LABELS]
    return codes_of(store, shown, as_of)


def entity_graph(
    store: Store,
    uid: str,
    *,
    depth: int = 2,
    types: Iterable[str] | None = None,
    as_of: dt.date | None = None,
    hits_as_of: dt.date | None = None,
    hubs: str | None = None,
) -> dict[str, Any]:
    """The neighbourhood of ``uid`` as graph JSON, capped with "n meer" overflow nodes.

    Hubs (banks, public bodies: ``hubs="door"`` walks through them) are end points with a
    "n meer" node per kind of neighbour behind them.

    ``as_of`` filters relationships by validity (None: any period); nodes with indicator
    hits on ``hits_as_of`` (default ``as_of``, else today) are highlighted.
    """
    sub = queries.neighbourhood(store, uid, depth=depth, types=types, as_of=as_of,
                                limit=GRAPH_LIMIT, per_node=GRAPH_PER_NODE, hubs=hubs)
    g = graphs.build_graph(sub.nodes, sub.relationships)
    for row in sub.overflow:
        if row["via"] in g:
            graphs.add_overflow(g, row["via"], row["label"], row["type"], int(row["count"]))
    for hub in sub.hubs:
        for row in hub["by"]:
            if hub["uid"] in g:
                graphs.add_overflow(g, hub["uid"], row["label"], row["type"], int(row["count"]))
    hits = _hits_for(store, g, hits_as_of or as_of or dt.date.today())
    identify_graph(store, g)
    return graphs.render(g, focus=uid, hits=hits, url_for=_entity_url, per_group=None)


def _evidence_paths(paths: Iterable[EvidencePath]) -> list[dict[str, Any]]:
    return [p.to_store_shape() for p in paths]


def _entity_node(store: Store, uid: str, fallback: Mapping[str, Any]) -> dict[str, Any]:
    """A node in the store's shape (with provenance) for ``uid``; ``fallback`` if gone."""
    found = queries.entity(store, uid)
    if found is None:
        return dict(fallback)
    return {"_labels": found["labels"], "uid": uid, "name": found["name"],
            **found["properties"], **(found["provenance"] or {})}


def screening_graph(store: Store, report: screening.ScreeningReport) -> dict[str, Any]:
    """The dossier, its parties, their art. 3 lid 4 network, signals and hit paths."""
    paths: list[EvidencePath] = [r.path for r in report.declared_relations]
    paths += [r.path for r in report.undeclared_relations]
    for n in report.network:
        paths += n.paths
    for s in (*report.signals, *report.location_signals):
        paths += s.paths
    for h in report.hits:
        paths += h.paths
    g = graphs.graph_from_paths(_evidence_paths(paths))
    d: Mapping[str, Any] = report.dossier
    nodes: list[dict[str, Any]] = [{"_labels": ["BibobDossier"], **d}]
    nodes += [n.to_store_shape() for n in report.locations]
    rels: list[dict[str, Any]] = [
        {"_type": "LOCATED_AT", "_start": report.uid, "_end": n.uid} for n in report.locations
    ]
    for p in report.parties:
        ref = {"_labels": [p.entity.label], "uid": p.entity.uid, "name": p.entity.name}
        nodes.append(_entity_node(store, p.entity.uid, ref) if p.entity.uid not in g else ref)
        rels.append({"_type": "PARTY_TO", "_start": p.entity.uid, "_end": report.uid,
                     "role": p.role, "key": p.party_ref, **p.provenance.to_dict()})
    graphs.graph_from_paths([{"nodes": nodes, "relationships": rels}], g)
    hits: dict[str, list[str]] = {}
    for h in report.hits:
        hits.setdefault(h.uid, []).append(h.code)
    identify_graph(store, g)
    return graphs.render(g, focus=report.uid, hits=hits, url_for=_entity_url, per_group=15)


def paths_graph(store: Store, found: Iterable[queries.Path], as_of: dt.date) -> dict[str, Any]:
    """Paths between two entities as graph JSON (no capping: paths are short)."""
    g = identify_graph(store, graphs.graph_from_paths([p.to_dict() for p in found]))
    return graphs.render(g, hits=_hits_for(store, g, as_of), url_for=_entity_url,
                         per_group=None)
