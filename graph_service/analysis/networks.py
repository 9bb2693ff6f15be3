"""The analysis API: subgraphs from the store as networkx graphs, network measures, pictures.

For analyst notebooks and scripts. Everything reads through the package (queries, risk
engine, Bibob screening), so the access scope of the caller applies: a function that takes
the store reads through a session (``session.read(entities_graph, uids)``, see
:class:`graph_service.security.session.Session`). Nothing here builds Cypher.

Graphs are :class:`networkx.MultiDiGraph` keyed by uid, built by the shared rendering module
:mod:`graph_service.render.graphs` so the same graph can be drawn exactly like on the web pages.

Node attributes
    ``label`` (model label, e.g. ``Person``), ``name``, ``props`` (every property,
    provenance included), ``provenance`` (``sources``, ``source_records``, ``first_seen``,
    ``last_seen``, ``grades``, ``purposes``), ``hits`` (indicator codes on the node).
Edge attributes
    ``type`` (relationship type), ``key`` (the relationship's merge key, ``""`` when it has
    none), ``props`` (every property, provenance included), ``provenance``. The networkx
    edge key is the rendering module's own and not meant to be read.
Graph attributes
    ``roots`` (the uids a pull started from), ``overflow`` (neighbours left out by the size
    cap, rows as in :func:`graph_service.queries.neighbourhood`), ``hits`` (uid -> codes).

Network measures work on the undirected simple projection (:func:`simple_projection`):
one edge per connected pair whatever the number, type or direction of relationships.

Examples
--------
>>> g = to_networkx(
...     [{"_labels": ["Entity", "Person"], "uid": "person:1", "name": "A", "sources": ["kvk"]},
...      {"_labels": ["Entity", "Organisation"], "uid": "kvk:9", "name": "B"}],
...     [{"_type": "FUNCTIONARY_OF", "_start": "person:1", "_end": "kvk:9",
...       "key": "bestuurder|2020-01-01", "role": "bestuurder", "grades": ["A1"]}])
>>> g.nodes["person:1"]["label"], g.nodes["person:1"]["provenance"]["sources"]
('Person', ['kvk'])
>>> [(u, v, d["type"], d["key"]) for u, v, d in g.edges(data=True)]
[('person:1', 'kvk:9', 'FUNCTIONARY_OF', 'bestuurder|2020-01-01')]
>>> degree_centrality(g)
{'kvk:9': 1.0, 'person:1': 1.0}
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import json
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import networkx as nx

from .. import config, queries, risk
from ..model import uid_from_text
from ..model.hubs import Hubs, hubs_arg
from ..render import graphs, terms
from ..risk import screening
from ..risk.evidence import EvidencePath
from ..store import Store

__all__ = [
    "COMMUNITY_SEED",
    "PARK_REL_TYPES",
    "Broker",
    "Table",
    "betweenness_centrality",
    "bridge_table",
    "bridges",
    "brokers",
    "centrality_table",
    "communities",
    "community_index",
    "community_table",
    "connected_components",
    "degree_centrality",
    "dossier_graph",
    "entities_graph",
    "evidence_path_dict",
    "hits_graph",
    "indicator_graph",
    "mark_hits",
    "output_dir",
    "park_graph",
    "park_uid",
    "render_data",
    "screening_graph",
    "signal_subjects",
    "simple_projection",
    "table",
    "to_networkx",
    "write_html",
]

Row = Mapping[str, Any]

#: Seed of the community detection: the same graph gives the same communities.
COMMUNITY_SEED = 42
#: What a holiday park's picture follows: units, owners, occupants and their employers,
#: the operator, addresses, signals, and the KvK functions that tie owners to employers.
PARK_REL_TYPES: tuple[str, ...] = (
    "UNIT_OF", "OWNS", "OCCUPIES", "EMPLOYED_BY", "OPERATES", "LOCATED_AT", "CONCERNS",
    "FUNCTIONARY_OF",
)
_PROVENANCE = queries.PROVENANCE_KEYS
# A qualitative palette (Okabe-Ito + Tableau) for community colouring; it repeats after 12.
_COMMUNITY_COLOURS = (
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
    "#8c564b", "#bcbd22", "#17becf", "#7f7f7f", "#aec7e8",
)


def output_dir(name: str) -> Path:
    """``$ONDERGRAAF_NOTEBOOK_OUTPUT/name`` (default ``./output/name``), created."""
    base = Path(config.env_value("NOTEBOOK_OUTPUT") or "output")
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# -- store -> networkx ----------------------------------------------------------------------
def _enrich(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Add ``name``/``provenance`` to nodes and ``key``/``provenance`` to edges."""
    for _, data in g.nodes(data=True):
        props: Row = data.get("props") or {}
        data.setdefault("name", props.get("name"))
        data.setdefault("hits", [])
        data["provenance"] = {k: props.get(k) for k in _PROVENANCE}
    for _, _, data in g.edges(data=True):
        props = data.get("props") or {}
        data["key"] = str(props.get("key") or "")
        data["provenance"] = {k: props.get(k) for k in _PROVENANCE}
    g.graph.setdefault("roots", [])
    g.graph.setdefault("overflow", [])
    g.graph.setdefault("hits", {})
    return g


def to_networkx(
    nodes: Iterable[Row], relationships: Iterable[Row], g: nx.MultiDiGraph | None = None
) -> nx.MultiDiGraph:
    """Nodes and relationships in the store's shapes as (or added to) a MultiDiGraph.

    Nodes are ``{"_labels", "uid", **props}``, relationships ``{"_type", "_start",
    "_end", **props}``; a relationship whose ends are not among the nodes (nor already in
    ``g``) is dropped. A node or relationship already in ``g`` is kept as it is.
    """
    path = {"nodes": list(nodes), "relationships": list(relationships)}
    return _enrich(graphs.graph_from_paths([path], g))


def evidence_path_dict(path: EvidencePath) -> dict[str, Any]:
    """An evidence path back in the store's path shape (what :func:`to_networkx` takes)."""
    return path.to_store_shape()


def _from_paths(paths: Iterable[EvidencePath], g: nx.MultiDiGraph | None) -> nx.MultiDiGraph:
    return _enrich(graphs.graph_from_paths([evidence_path_dict(p) for p in paths], g))


def mark_hits(g: nx.MultiDiGraph, found: Iterable[risk.Hit]) -> nx.MultiDiGraph:
    """Record the indicator codes of ``found`` on the nodes of ``g`` (no paths added)."""
    by_uid: dict[str, list[str]] = g.graph["hits"]
    for hit in found:
        codes = by_uid.setdefault(hit.uid, [])
        if hit.code not in codes:
            codes.append(hit.code)
    graphs.mark_hits(g, by_uid)
    return g


def entities_graph(
    store: Store,
    uids: Iterable[str],
    *,
    depth: int = 2,
    types: Iterable[str] | None = None,
    as_of: dt.date | None = None,
    limit: int = 300,
    per_node: int = 50,
    g: nx.MultiDiGraph | None = None,
) -> nx.MultiDiGraph:
    """The merged neighbourhoods of several entities (:func:`queries.neighbourhood`).

    ``depth``, ``types``, ``as_of``, ``limit`` and ``per_node`` apply to each root; what
    the caps left out is listed in ``g.graph["overflow"]``. Raises
    :class:`~graph_service.errors.NotFound` for an unknown uid.
    """
    g = _enrich(nx.MultiDiGraph() if g is None else g)
    chosen = list(types) if types is not None else None
    for uid in dict.fromkeys(uids):
        sub = queries.neighbourhood(store, uid, depth=depth, types=chosen, as_of=as_of,
                                    limit=limit, per_node=per_node)
        to_networkx(sub.nodes, sub.relationships, g)
        g.graph["roots"].append(uid)
        g.graph["overflow"].extend(sub.overflow)
    return g


def hits_graph(found: Iterable[risk.Hit], g: nx.MultiDiGraph | None = None) -> nx.MultiDiGraph:
    """The evidence paths of indicator hits as one graph, hit entities marked."""
    found = list(found)
    g = _from_paths([p for hit in found for p in hit.paths], g)
    for hit in found:
        if hit.uid not in g:  # a hit without paths still shows its entity
            to_networkx([{"_labels": [hit.label], "uid": hit.uid, "name": hit.name}], [], g)
        if hit.uid not in g.graph["roots"]:
            g.graph["roots"].append(hit.uid)
    mark_hits(g, found)
    return g


def indicator_graph(
    store: Store,
    code: str,
    *,
    as_of: dt.date | None = None,
    thresholds: Mapping[str, Any] | None = None,
) -> nx.MultiDiGraph:
    """All hits of one indicator (:func:`graph_service.risk.hits`) with their evidence."""
    return hits_graph(risk.hits(store, code, as_of=as_of, thresholds=thresholds))


def park_uid(park: str) -> str:
    """``VP-07`` or ``park:VP-07`` -> ``park:VP-07``."""
    return uid_from_text("holiday_park", park)


def park_graph(
    store: Store,
    park: str,
    *,
    depth: int = 3,
    types: Iterable[str] | None = PARK_REL_TYPES,
    as_of: dt.date | None = None,
    limit: int = queries.MAX_NODE_LIMIT,
    per_node: int = queries.MAX_NODE_LIMIT,
) -> nx.MultiDiGraph:
    """A holiday park with its units, owners, occupants, employers, operator and signals.

    The neighbourhood of ``park:<id>`` (depth 2-3) over :data:`PARK_REL_TYPES`: depth 2
    reaches owners and occupants, depth 3 their employers and the KvK functions of owners.
    Check ``g.graph["overflow"]`` on a very large park.
    """
    return entities_graph(store, [park_uid(park)], depth=depth, types=types, as_of=as_of,
                          limit=limit, per_node=per_node)


def screening_graph(store: Store, report: screening.ScreeningReport) -> nx.MultiDiGraph:
    """A Bibob dossier's network: parties, premises and every path of the screening report.

    The dossier with its parties (PARTY_TO) and premises (LOCATED_AT) comes from the store
    with full provenance; added are the declared and undeclared relations, the art. 3 lid
    4 network, the signals and the paths of every indicator hit in the report.
    """
    sub = queries.neighbourhood(store, report.uid, depth=1, types=["PARTY_TO", "LOCATED_AT"],
                                limit=queries.MAX_NODE_LIMIT, per_node=queries.MAX_NODE_LIMIT)
    g = to_networkx(sub.nodes, sub.relationships)
    g.graph["roots"].append(report.uid)
    paths: list[EvidencePath] = [r.path for r in report.declared_relations]
    paths += [r.path for r in report.undeclared_relations]
    for n in report.network:
        paths += n.paths
    for s in (*report.signals, *report.location_signals):
        paths += s.paths
    _from_paths(paths, g)
    return hits_graph(report.hits, g)


def dossier_graph(
    store: Store,
    dossier_id: str,
    *,
    as_of: dt.date | None = None,
) -> nx.MultiDiGraph:
    """:func:`screening_graph` of :func:`graph_service.risk.screening.screen` (report kept in
    ``g.graph["report"]``)."""
    report = screening.screen(store, dossier_id, as_of=as_of)
    g = screening_graph(store, report)
    g.graph["report"] = report
    return g


# -- measures -------------------------------------------------------------------------------
def simple_projection(g: nx.Graph) -> nx.Graph:
    """The undirected simple graph of ``g``: one edge per connected pair, no self-loops.

    Node attributes are kept; an edge carries ``types`` (sorted relationship types between
    the pair) and ``weight`` (how many relationships). Overflow nodes of a rendered graph
    are left out. Nodes and edges are added in sorted order, so results that depend on
    order (Louvain with a seed) are reproducible.
    """
    if not g.is_directed() and not g.is_multigraph():
        return g
    out = nx.Graph()
    keep = sorted(n for n, d in g.nodes(data=True) if d.get("label") != "Overflow")
    out.add_nodes_from((n, g.nodes[n]) for n in keep)
    pairs: dict[tuple[str, str], list[str]] = {}
    for u, v, data in g.edges(data=True):
        if u == v or u not in out or v not in out:
            continue
        a, b = sorted((u, v))
        pairs.setdefault((a, b), []).append(str(data.get("type", "")))
    for (a, b), types in sorted(pairs.items()):
        out.add_edge(a, b, types=sorted(set(types)), weight=len(types))
    return out


def degree_centrality(g: nx.Graph) -> dict[str, float]:
    """Degree centrality on the simple projection (neighbours / (n - 1)), by uid."""
    values = nx.degree_centrality(simple_projection(g))
    return {str(k): float(v) for k, v in sorted(values.items())}


def betweenness_centrality(
    g: nx.Graph, normalized: bool = True, hubs: Hubs | str | bool | None = None
) -> dict[str, float]:
    """Betweenness centrality on the simple projection (exact, unweighted), by uid.

    The share of shortest paths between other pairs that pass through a node: high for
    brokers that connect otherwise separate parts of the network. Hubs (``hubs``, see
    :func:`graph_service.model.hubs.hubs_arg`; default the shipped list, ``"door"`` walks
    through them) are not walked through: each is cut into one leaf per neighbour, so no
    shortest path passes it, and counted pairs are those between the other nodes; a hub
    scores 0.
    """
    h = simple_projection(g)
    stop = hubs_arg(hubs)
    hub_nodes = sorted(n for n, d in h.nodes(data=True)
                       if stop.matches(str(n), d.get("props") or {}))
    if not hub_nodes:
        values = nx.betweenness_centrality(h, normalized=normalized)
        return {str(k): float(v) for k, v in sorted(values.items())}
    split = nx.Graph(h)
    for hub in hub_nodes:
        for i, v in enumerate(sorted(h.neighbors(hub))):
            split.add_edge(("hub", hub, i), v)
        split.remove_node(hub)
    others = [n for n in h.nodes if n not in set(hub_nodes)]
    raw = nx.betweenness_centrality_subset(split, others, others, normalized=False)
    n = h.number_of_nodes()
    scale = 2.0 / ((n - 1) * (n - 2)) if normalized and n > 2 else 1.0
    out = {str(k): float(raw[k]) * scale for k in others}
    out.update({str(k): 0.0 for k in hub_nodes})
    return dict(sorted(out.items()))


def _ordered(groups: Iterable[Iterable[str]]) -> list[frozenset[str]]:
    """Largest first, ties by smallest uid: a stable numbering for tables and colours."""
    sets = [frozenset(str(n) for n in c) for c in groups]
    return sorted((c for c in sets if c), key=lambda c: (-len(c), min(c)))


def communities(
    g: nx.Graph,
    method: Literal["louvain", "label_propagation"] = "louvain",
    *,
    seed: int = COMMUNITY_SEED,
    resolution: float = 1.0,
) -> list[frozenset[str]]:
    """Communities of the simple projection, largest first (index = community number).

    ``louvain`` maximises modularity (:func:`networkx.community.louvain_communities` with a
    fixed seed); ``label_propagation`` is the faster asynchronous variant, also seeded.
    Isolated nodes form communities of their own.
    """
    h = simple_projection(g)
    if h.number_of_nodes() == 0:
        return []
    if method == "louvain":
        found = nx.community.louvain_communities(h, resolution=resolution, seed=seed)
    elif method == "label_propagation":
        found = nx.community.asyn_lpa_communities(h, seed=seed)
    else:
        raise ValueError(f"unknown community method {method!r}")
    return _ordered(cast(Iterable[Iterable[str]], found))


def community_index(groups: Sequence[Iterable[str]]) -> dict[str, int]:
    """uid -> community number (the position in ``groups``)."""
    return {uid: i for i, group in enumerate(groups) for uid in group}


def connected_components(g: nx.Graph) -> list[frozenset[str]]:
    """Connected components of the simple projection, largest first."""
    return _ordered(cast(Iterable[Iterable[str]], nx.connected_components(simple_projection(g))))


def bridges(g: nx.Graph, *, leaves: bool = False) -> list[tuple[str, str]]:
    """Edges of the simple projection whose removal splits a component, as sorted pairs.

    An edge to a node without other neighbours (a leaf) always splits it off, which says
    nothing about the network; such edges are left out unless ``leaves``. A pair joined by
    several relationships counts as one edge: the pair still hangs on those two alone.
    """
    h = simple_projection(g)
    found = []
    for u, v in nx.bridges(h):
        if leaves or (h.degree(u) > 1 and h.degree(v) > 1):
            a, b = sorted((str(u), str(v)))
            found.append((a, b))
    return sorted(found)


@dataclass(frozen=True)
class Broker:
    """A node whose neighbours lie in more than one community, with its centralities."""

    uid: str
    label: str
    name: str | None
    betweenness: float
    degree: int
    community: int
    linked_communities: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "uid": self.uid, "label": self.label, "name": self.name,
            "betweenness": self.betweenness, "degree": self.degree,
            "community": self.community, "linked_communities": list(self.linked_communities),
        }


def brokers(
    g: nx.Graph,
    groups: Sequence[Iterable[str]] | None = None,
    *,
    top: int | None = 10,
    min_betweenness: float = 0.0,
) -> list[Broker]:
    """Nodes that connect different communities, highest betweenness first.

    A broker has a neighbour in at least one community other than its own (communities
    from :func:`communities` unless given) and betweenness above ``min_betweenness``.
    ``linked_communities`` are the communities of the node and its neighbours, sorted.
    """
    h = simple_projection(g)
    groups = communities(h) if groups is None else groups
    index = community_index(groups)
    between = betweenness_centrality(h)
    out = []
    for uid in h.nodes:
        own = index.get(uid)
        if own is None:
            continue
        linked = {index[v] for v in h.neighbors(uid) if v in index} | {own}
        if len(linked) < 2 or between[uid] <= min_betweenness:
            continue
        data = h.nodes[uid]
        out.append(Broker(uid, str(data.get("label", "")), data.get("name"), between[uid],
                          int(h.degree(uid)), own, tuple(sorted(linked))))
    out.sort(key=lambda b: (-b.betweenness, b.uid))
    return out if top is None else out[:top]


def centrality_table(
    g: nx.Graph,
    groups: Sequence[Iterable[str]] | None = None,
    *,
    top: int | None = 20,
    hubs: Hubs | str | bool | None = None,
) -> Table:
    """Per node: label, name, degree, degree centrality, betweenness, community, hits.

    Sorted by betweenness, then degree (highest first), then uid. Betweenness does not
    walk through hubs (:func:`betweenness_centrality`; ``hubs="door"`` does).
    """
    h = simple_projection(g)
    groups = communities(h) if groups is None else groups
    index = community_index(groups)
    between = betweenness_centrality(h, hubs=hubs)
    degree = degree_centrality(h)
    rows = [
        {
            "uid": uid,
            "label": h.nodes[uid].get("label"),
            "name": h.nodes[uid].get("name"),
            "degree": int(h.degree(uid)),
            "degree_centrality": round(degree[uid], 4),
            "betweenness": round(between[uid], 4),
            "community": index.get(uid),
            "hits": ", ".join(h.nodes[uid].get("hits") or ()),
        }
        for uid in h.nodes
    ]
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], r["uid"]))
    return table(rows if top is None else rows[:top])


def _kind(label: str) -> str:
    return graphs.LABEL_NAMES.get(label, label)


def _kind_plural(label: str) -> str:
    style = graphs.STYLES.get(label)
    return style.plural if style is not None else label


def community_table(g: nx.Graph, groups: Sequence[Iterable[str]] | None = None) -> Table:
    """Per community: size, members per label, members with indicator hits, central member.

    The central member is the one with the most neighbours inside the community.
    """
    h = simple_projection(g)
    groups = communities(h) if groups is None else groups
    rows = []
    for number, group in enumerate(groups):
        members = sorted(group)
        inner = h.subgraph(members)
        labels: dict[str, int] = {}
        for uid in members:
            label = str(h.nodes[uid].get("label", ""))
            labels[label] = labels.get(label, 0) + 1
        centre = max(members, key=lambda u: (inner.degree(u), u)) if members else None
        rows.append({
            "community": number,
            "size": len(members),
            "labels": ", ".join(f"{v} {_kind_plural(k) if v != 1 else _kind(k)}"
                                for k, v in sorted(labels.items())),
            "with_hits": [h.nodes[u].get("name") or u for u in members
                          if h.nodes[u].get("hits")],
            "centre": h.nodes[centre].get("name") if centre else None,
            "centre_uid": centre,
        })
    return table(rows)


def bridge_table(g: nx.Graph, *, leaves: bool = False) -> Table:
    """:func:`bridges` with the names of both ends and the relationship types between them."""
    h = simple_projection(g)
    rows = [
        {"a": a, "a_name": h.nodes[a].get("name"), "types": h.edges[a, b]["types"],
         "b": b, "b_name": h.nodes[b].get("name")}
        for a, b in bridges(h, leaves=leaves)
    ]
    return table(rows)


def signal_subjects(g: nx.MultiDiGraph) -> list[str]:
    """The entities in ``g`` that a RIEC signal concerns as subject (CONCERNS role subject)."""
    found = set()
    for _, v, data in g.edges(data=True):
        role = (data.get("props") or {}).get("role") or "subject"
        if data.get("type") == "CONCERNS" and role == "subject":
            found.add(str(v))
    return sorted(found)


# -- tables ---------------------------------------------------------------------------------
#: Columns whose values are model labels, relationship types, indicator codes, sources,
#: or stored words: shown in Dutch (the rows keep the values as stored, for code).
_LABEL_COLUMNS = frozenset({"label", "soort", "tenant_label"})
_TYPE_COLUMNS = frozenset({"type", "types", "relatie", "relaties"})
_CODE_COLUMNS = frozenset({"hits", "code", "indicator", "indicators", "treffers"})
_SOURCE_COLUMNS = frozenset({"sources", "bronnen"})


def _indicator_titles() -> dict[str, str]:
    return {i.code: i.title for i in risk.list_indicators()}


def _shown(column: str, value: Any) -> Any:
    """A cell's value as a reader sees it: Dutch names instead of labels, relationship
    types, indicator codes and source names; stored words without underscores."""
    if isinstance(value, list | tuple | set | frozenset):
        return [_shown(column, v) for v in value]
    if not isinstance(value, str) or not value:
        return value
    if column in _CODE_COLUMNS:
        titles = _indicator_titles()
        return ", ".join(titles.get(code, code) for code in value.split(", "))
    if column in _LABEL_COLUMNS:
        return graphs.LABEL_NAMES.get(value, value)
    if column in _TYPE_COLUMNS:
        return graphs.REL_NAMES.get(value, value.lower().replace("_", " "))
    if column in _SOURCE_COLUMNS:
        return terms.source_name(value)
    return terms.value_text(column, value) if "_" in value and " " not in value else value


@dataclass(frozen=True, repr=False)
class Table:
    """Rows of plain values for a notebook: prints as text, shows as HTML in Jupyter.

    What it shows is Dutch: the headers (:mod:`graph_service.render.terms`), and in the
    cells kinds of entity, relationship types, indicators and sources by their Dutch
    names (:func:`_shown`); the rows keep the stored values for code that reads them.
    """

    rows: tuple[Mapping[str, Any], ...]
    columns: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        return iter(self.rows)

    def __getitem__(self, i: int) -> Mapping[str, Any]:
        return self.rows[i]

    @property
    def headers(self) -> tuple[str, ...]:
        """The column headers as shown: Dutch words (:mod:`graph_service.render.terms`)."""
        return tuple(terms.column_name(c) for c in self.columns)

    def column(self, name: str) -> list[Any]:
        """The values of one column, in row order."""
        return [row.get(name) for row in self.rows]

    @staticmethod
    def _cell(value: Any, column: str = "") -> str:
        value = _shown(column, value)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "ja" if value else "nee"
        if isinstance(value, float):
            return f"{value:.3f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
        if isinstance(value, list | tuple | set | frozenset):
            return ", ".join(str(v) for v in value)
        return str(value)

    def __str__(self) -> str:
        cells = [[self._cell(r.get(c), c) for c in self.columns] for r in self.rows]
        widths = [max([len(c), *(len(row[i]) for row in cells)])
                  for i, c in enumerate(self.headers)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(self.headers, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True))
                  for row in cells]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(self._cell(r.get(c), c))}</td>"
                             for c in self.columns) + "</tr>"
            for r in self.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __repr__(self) -> str:
        return str(self)


def table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> Table:
    """A :class:`Table`; columns default to the keys of the rows in first-seen order."""
    materialised = tuple(dict(r) for r in rows)
    if columns is None:
        columns = list(dict.fromkeys(k for r in materialised for k in r))
    return Table(materialised, tuple(columns))


# -- pictures -------------------------------------------------------------------------------
def render_data(
    g: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    community: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The vis-network JSON of ``g`` as the web pages draw it (:func:`graphs.render`).

    The one adapter between this module and the shared rendering module: the graph is
    copied (rendering marks and adds nodes), the overflow rows of ``g.graph`` become the
    web pages' "n meer" nodes, and with ``community`` (uid -> number) each node's fill
    colour shows its community while shape and border keep the label's style.
    """
    h = g.copy()
    for row in g.graph.get("overflow") or ():
        if row["via"] in h:
            graphs.add_overflow(h, row["via"], row["label"], row["type"], int(row["count"]))
    data = graphs.render(h, focus=focus, hits=g.graph.get("hits") or None, per_group=None)
    if community is not None:
        for node in data["nodes"]:
            number = community.get(str(node["id"]))
            if number is None:
                continue
            colour = _COMMUNITY_COLOURS[number % len(_COMMUNITY_COLOURS)]
            node["color"] = {**node.get("color", {}), "background": colour}
            node["title"] = f"{node.get('title', '')}\ngemeenschap: {number}"
            node["community"] = number
        data["communities"] = sorted(set(community.values()))
        # the fill is the community's: the legend names every community colour
        data["legend"] = [{**row, "background": "#ffffff"} for row in data.get("legend", ())] + [
            {"label": f"community:{n}", "name": f"gemeenschap {n}", "shape": "dot",
             "background": _COMMUNITY_COLOURS[n % len(_COMMUNITY_COLOURS)], "border": "#555555"}
            for n in data["communities"]]
    return data


def _vis_dir() -> Path:
    """vis-network inside the installed pyvis package (located without importing pyvis)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "lib" / "vis-9.1.2"


_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="lib/vis-network.css">
<script src="lib/vis-network.min.js"></script>
<style>body{{font-family:sans-serif;margin:1rem}}#graph{{height:80vh;border:1px solid #ccc}}
.legend span{{display:inline-block;width:.9em;height:.9em;border:2px solid;margin:0 .3em}}
</style></head><body><h1>{title}</h1><p>{note}</p><div id="graph"></div>
<p class="legend">{legend}</p>
<script type="application/json" id="graph-data">{data}</script>
<script>{script}</script></body></html>
"""

# Labels as the web pages draw them (graph_service/web/static/graph.js): a label smaller
# than READABLE px on screen is not drawn; when zoomed out, only the most connected nodes
# (the focus and hits first) keep theirs, at a readable size; the rest show on hover.
_SCRIPT = """
var d = JSON.parse(document.getElementById("graph-data").textContent);
var READABLE = 11, MANY_EDGES = 30;
var BASE = ((d.options.nodes || {}).font || {}).size || 13;
d.nodes.forEach(function (n) { n.fullLabel = n.label; });
d.edges.forEach(function (e, i) {
  e.fullLabel = e.label;
  if (e.id === undefined) { e.id = "e" + i; }
});
var nodes = new vis.DataSet(d.nodes), edges = new vis.DataSet(d.edges);
var network = new vis.Network(document.getElementById("graph"),
  {nodes: nodes, edges: edges}, d.options);
var hovered = null, lastScale = null;
function importance(n) {
  return (n.id === d.focus ? 1000 : 0) + ((n.hits || []).length ? 100 : 0) +
    network.getConnectedEdges(n.id).length;
}
function relabel() {
  var scale = network.getScale(), onScreen = BASE * scale, all = nodes.get();
  lastScale = scale;
  var budget = all.length, size = BASE;
  if (onScreen < READABLE) {
    size = READABLE / scale;
    budget = Math.max(8, Math.floor(all.length * Math.pow(onScreen / READABLE, 2)));
  }
  var keep = {};
  all.slice().sort(function (a, b) { return importance(b) - importance(a); })
    .slice(0, budget).forEach(function (n) { keep[n.id] = true; });
  nodes.update(all.map(function (n) {
    var on = keep[n.id] || n.id === hovered;
    return {id: n.id, label: on ? n.fullLabel : " ", shownLabel: !!on, font: {size: size}};
  }));
  var edgeLabels = edges.length <= MANY_EDGES && onScreen >= READABLE;
  edges.update(edges.get().map(function (e) {
    var on = edgeLabels || e.from === hovered || e.to === hovered;
    return {id: e.id, label: on ? e.fullLabel : " "};
  }));
}
network.on("afterDrawing", function () {  // zoom, fit, first drawing: the scale changed
  if (network.getScale() !== lastScale) { relabel(); }
});
network.on("hoverNode", function (p) { hovered = p.node; relabel(); });
network.on("blurNode", function () { hovered = null; relabel(); });
window.ondergraafNetwork = network;
"""


def write_html(
    g: nx.MultiDiGraph,
    path: Path | str,
    *,
    title: str = "Netwerk",
    note: str = "",
    focus: str | None = None,
    community: Mapping[str, int] | None = None,
) -> Path:
    """Write ``g`` as a standalone HTML page (vis-network beside it in ``lib/``).

    Styling, tooltips and provenance come from :func:`render_data`; the page loads
    vis-network from a ``lib`` folder next to the file (copied once from the installed
    pyvis package), so nothing is fetched from another host and a notebook keeps only the
    file name, not megabytes of inline script.
    """
    path = Path(path)
    lib = path.parent / "lib"
    lib.mkdir(parents=True, exist_ok=True)
    for name in ("vis-network.min.js", "vis-network.css"):
        if not (lib / name).exists():
            shutil.copyfile(_vis_dir() / name, lib / name)
    data = render_data(g, focus=focus, community=community)
    legend = " ".join(
        f'<span style="background:{html.escape(row["background"])};'
        f'border-color:{html.escape(row["border"])}"></span>{html.escape(row["name"])}'
        for row in data.get("legend", ())
    )
    payload = json.dumps(data, ensure_ascii=False, default=str).replace("<", "\\u003c")
    path.write_text(
        _PAGE.format(title=html.escape(title), note=html.escape(note), legend=legend,
                     data=payload, script=_SCRIPT),
        encoding="utf-8",
    )
    return path
