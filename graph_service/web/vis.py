"""Interactive graphs (pyvis -> vis-network) of an entity, a Bibob screening and paths.

The builders here turn query results into the JSON of :func:`graph_service.render.graphs.render`;
the entity and Bibob pages embed the same data. Pages use the project's own template and
the vis-network files the app serves itself (``graph_service.web.vendor``); nothing loads
from another host.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue

from .. import queries
from ..app import get_store
from ..model import LABELS
from ..render import graphs
from ..risk import screening
from ..risk.evidence import EntityRef, EvidencePath
from ..store import Store
from . import params
from .hitcache import codes_of

__all__ = [
    "bp",
    "entity_graph",
    "screening_graph",
    "paths_graph",
    "GRAPH_LIMIT",
    "GRAPH_PER_NODE",
]

bp = Blueprint("vis", __name__, url_prefix="/vis")

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
) -> dict[str, Any]:
    """The neighbourhood of ``uid`` as graph JSON, capped with "n meer" overflow nodes.

    ``as_of`` filters relationships by validity (None: any period); nodes with indicator
    hits on ``hits_as_of`` (default ``as_of``, else today) are highlighted.
    """
    sub = queries.neighbourhood(store, uid, depth=depth, types=types, as_of=as_of,
                                limit=GRAPH_LIMIT, per_node=GRAPH_PER_NODE)
    g = graphs.build_graph(sub.nodes, sub.relationships)
    for row in sub.overflow:
        if row["via"] in g:
            graphs.add_overflow(g, row["via"], row["label"], row["type"], int(row["count"]))
    hits = _hits_for(store, g, hits_as_of or as_of or dt.date.today())
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
    return graphs.render(g, focus=report.uid, hits=hits, url_for=_entity_url, per_group=15)


def paths_graph(store: Store, found: Iterable[queries.Path], as_of: dt.date) -> dict[str, Any]:
    """Paths between two entities as graph JSON (no capping: paths are short)."""
    g = graphs.graph_from_paths([p.to_dict() for p in found])
    return graphs.render(g, hits=_hits_for(store, g, as_of), url_for=_entity_url,
                         per_group=None)


@bp.get("/entities/<path:uid>")
def entity(uid: str) -> ResponseReturnValue:
    depth = params.int_arg("depth", 2, 1, 3)
    types = params.rel_types_arg("types")
    as_of = params.date_arg("as_of")
    store = get_store()
    info = queries.get_entity(store, uid)
    data = entity_graph(store, uid, depth=depth, types=types, as_of=as_of)
    return render_template("vis.html", data=data, title=f"Netwerk van {info['name'] or uid}",
                           entity=info, depth=depth, kind="entity")


@bp.get("/bibob/<path:dossier_id>")
def bibob(dossier_id: str) -> ResponseReturnValue:
    as_of = params.date_arg("as_of") or dt.date.today()
    report = screening.screen(get_store(), dossier_id, as_of)
    data = screening_graph(get_store(), report)
    return render_template("vis.html", data=data, kind="bibob", report=report,
                           title=f"Netwerk van Bibob-dossier {report.dossier.get('dossier_id')}")


@bp.get("/paths")
def paths() -> ResponseReturnValue:
    from_uid = params.text_arg("from")
    to_uid = params.text_arg("to")
    max_hops = params.int_arg("max_hops", 4, 1, queries.MAX_HOPS)
    as_of = params.date_arg("as_of")
    store = get_store()
    found = queries.paths(store, from_uid, to_uid, max_hops=max_hops, all_shortest=True,
                          as_of=as_of, limit=10)
    data = paths_graph(store, found, as_of or dt.date.today())
    return render_template("vis.html", data=data, kind="paths", count=len(found),
                           title=f"Paden tussen {from_uid} en {to_uid}",
                           from_uid=from_uid, to_uid=to_uid, max_hops=max_hops)
