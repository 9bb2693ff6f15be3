"""Subgraphs and paths -> networkx -> pyvis -> the nodes/edges/options JSON of a vis network.

One rendering module for the web pages and the notebooks. Input is what the store returns:
nodes as ``{"_labels": [...], "uid": ..., **props}`` and relationships as
``{"_type", "_start", "_end", **props}`` (a path is ``{"nodes": [...], "relationships":
[...]}``). The steps can be used one by one::

    g = graph_from_paths(paths)           # or build_graph(nodes, relationships)
    mark_hits(g, {"person:ab12": ["STRAW_MAN"]})
    g = cap_neighbourhood(g, focus="person:ab12", per_group=12)
    net = to_pyvis(g, focus="person:ab12")
    data = network_data(net)              # {"nodes", "edges", "options"}: JSON for vis.Network

In a notebook ``to_pyvis(g)`` gives a :class:`pyvis.network.Network` to ``show()``; the web
pages embed :func:`network_data` in their own template and load vis-network from the app,
never from a CDN.

Tooltips are plain text (vis-network shows a string title as text, so source values can
never inject markup); they carry the provenance of every node and relationship: sources,
source records, first/last seen and reliability grades.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..model import LABELS, MATCHING_PROPERTIES, MODEL, display_name
from ..store.registry import load_registry
from . import terms
from .identity import Identity, identify

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = [
    "LabelStyle",
    "STYLES",
    "OVERFLOW_STYLE",
    "REL_NAMES",
    "PROP_NAMES",
    "HIDDEN_PROPS",
    "LABEL_NAMES",
    "legend",
    "primary_label",
    "build_graph",
    "graph_from_paths",
    "mark_hits",
    "cap_neighbourhood",
    "add_overflow",
    "node_tooltip",
    "edge_tooltip",
    "edge_label",
    "indicator_title",
    "to_pyvis",
    "network_data",
    "render",
]

Props = Mapping[str, Any]
UrlFor = Callable[[str], str]

HIT_BORDER = "#c00000"


@dataclass(frozen=True)
class LabelStyle:
    """How one node label looks: Dutch name (singular, plural), vis shape and colours."""

    name: str
    plural: str
    shape: str
    background: str
    border: str


#: Per label, from the model file (``style`` of every label in ``graph_service/model``).
STYLES: dict[str, LabelStyle] = {
    label.name: LabelStyle(label.style.name, label.style.plural, label.style.shape,
                           label.style.background, label.style.border)
    for label in MODEL.labels.values() if label.style is not None
}
OVERFLOW_STYLE = LabelStyle("Meer", "meer", "box", "#f2f2f2", "#6b6b6b")
UNKNOWN_STYLE = LabelStyle("Entiteit", "entiteiten", "dot", "#e0e0e0", "#555555")

LABEL_NAMES: dict[str, str] = {label: style.name for label, style in STYLES.items()}

#: Dutch name per relationship type, from the model file.
REL_NAMES: dict[str, str] = {t.name: t.title for t in MODEL.relationship_types.values()}

#: Dutch names of relationship and node properties that pages show (:mod:`.terms`).
PROP_NAMES: Mapping[str, str] = terms.PROP_NAMES
# Properties only for matching (entity resolution) and relationship keys; not shown to users.
HIDDEN_PROPS = frozenset({"key", *MATCHING_PROPERTIES})

# Properties shown in a node tooltip, per label, before the provenance lines.
_NODE_FACTS: dict[str, tuple[str, ...]] = {
    "Person": ("geboortedatum", "nationaliteit", "land"),
    "Organisation": ("kvk_nummer", "rechtsvorm", "sbi_code", "status", "datum_aanvang",
                     "datum_einde"),
    "Address": ("straat", "huisnummer", "toevoeging", "postcode", "plaats", "bag_id"),
    "RuralObject": ("objecttype", "oppervlakte_m2", "leegstaand_sinds",
                    "eigenaar_agrarisch_actief", "bevinding"),
    "HolidayPark": ("permanente_bewoning_toegestaan", "vitaliteit"),
    "ParkUnit": ("eenheid_type", "bag_id"),
    "BibobDossier": ("gemeentecode", "aanvraagdatum", "vergunning_type", "activiteit",
                     "advies", "besluit"),
    "Signal": ("ontvangstdatum", "partner", "thema", "status", "bewaren_tot"),
}
_REL_FACTS: tuple[str, ...] = (
    "role", "share_pct", "amount", "rent_pm", "payment", "declared_use", "brp", "since",
    "dossier_id", "score", "reason", "valid_from", "valid_to",
)
_PROVENANCE: tuple[tuple[str, str], ...] = (
    ("sources", "bronnen"),
    ("source_records", "records"),
    ("first_seen", "eerst gezien"),
    ("last_seen", "laatst gezien"),
    ("grades", "betrouwbaarheid"),
)


def legend() -> list[dict[str, str]]:
    """The legend of node kinds: ``label``, Dutch ``name``, ``shape``, colours.

    Examples
    --------
    >>> [row["name"] for row in legend()][:2]
    ['Persoon', 'Organisatie']
    """
    rows = [
        {"label": label, "name": s.name, "shape": s.shape, "background": s.background,
         "border": s.border}
        for label, s in STYLES.items()
    ]
    rows.append({"label": "Overflow", "name": "n meer (ingeklapt)", "shape": "box",
                 "background": OVERFLOW_STYLE.background, "border": OVERFLOW_STYLE.border})
    return rows


def primary_label(node: Props) -> str:
    """The node's model label (first of :data:`graph_service.model.LABELS` it carries).

    Examples
    --------
    >>> primary_label({"_labels": ["Entity", "Person"]})
    'Person'
    """
    labels = node.get("_labels") or ()
    for label in LABELS:
        if label in labels:
            return label
    return next((lab for lab in labels if lab != "Entity"), "Entity")


def _props(item: Props) -> dict[str, Any]:
    return {k: v for k, v in item.items() if not k.startswith("_")}


def _add_node(g: nx.MultiDiGraph, node: Props) -> None:
    uid = str(node["uid"])
    if uid not in g:
        g.add_node(uid, label=primary_label(node), props=_props(node), hits=[])


def _add_rel(g: nx.MultiDiGraph, rel: Props) -> None:
    start, end, rtype = str(rel["_start"]), str(rel["_end"]), str(rel["_type"])
    props = _props(rel)
    key = f"{rtype}|{props.get('key') or props.get('role') or ''}|{props.get('dossier_id') or ''}"
    if start in g and end in g and not g.has_edge(start, end, key=key):
        g.add_edge(start, end, key=key, type=rtype, props=props)


def build_graph(nodes: Iterable[Props], relationships: Iterable[Props]) -> nx.MultiDiGraph:
    """A directed multigraph keyed by uid; relationships between unknown nodes are dropped.

    Node attributes: ``label`` (model label), ``props`` (properties incl. provenance),
    ``hits`` (indicator codes, see :func:`mark_hits`). Edge attributes: ``type``, ``props``.

    Examples
    --------
    >>> g = build_graph(
    ...     [{"_labels": ["Entity", "Person"], "uid": "person:1", "name": "A"},
    ...      {"_labels": ["Entity", "Organisation"], "uid": "kvk:9", "name": "B"}],
    ...     [{"_type": "FUNCTIONARY_OF", "_start": "person:1", "_end": "kvk:9",
    ...       "role": "bestuurder"}])
    >>> sorted(g.nodes), g.number_of_edges()
    (['kvk:9', 'person:1'], 1)
    """
    g = nx.MultiDiGraph()
    for node in nodes:
        _add_node(g, node)
    for rel in relationships:
        _add_rel(g, rel)
    return g


def graph_from_paths(paths: Iterable[Props], g: nx.MultiDiGraph | None = None) -> nx.MultiDiGraph:
    """Add every node and relationship of ``paths`` to ``g`` (a new graph when omitted)."""
    g = nx.MultiDiGraph() if g is None else g
    for path in paths:
        for node in path.get("nodes") or ():
            _add_node(g, node)
        for rel in path.get("relationships") or ():
            _add_rel(g, rel)
    return g


def mark_hits(g: nx.MultiDiGraph, hits: Mapping[str, Sequence[str]]) -> nx.MultiDiGraph:
    """Record indicator codes on nodes (``uid -> codes``); unknown uids are ignored."""
    for uid, codes in hits.items():
        if uid in g:
            known: list[str] = g.nodes[uid]["hits"]
            known.extend(c for c in codes if c not in known)
    return g


def _name(g: nx.MultiDiGraph, uid: str) -> str:
    return display_name(g.nodes[uid].get("label", ""), g.nodes[uid]["props"], uid)


def cap_neighbourhood(
    g: nx.MultiDiGraph, focus: str, per_group: int = 12, max_nodes: int = 250
) -> nx.MultiDiGraph:
    """Keep at most ``per_group`` neighbours per (node, relationship type, label) group.

    Walks breadth-first from ``focus``; the neighbours of a node are grouped by relationship
    type and neighbour label, nodes with indicator hits first, then by name. What does not
    fit (or goes past ``max_nodes``) is folded into one overflow node "n meer ..." per group,
    linked to the node whose group overflowed. A node that another kept node reaches is kept
    and not counted as overflow. Nodes not reachable from ``focus`` are kept as they are.

    Examples
    --------
    >>> nodes = [{"_labels": ["HolidayPark"], "uid": "park:1", "name": "P"}] + [
    ...     {"_labels": ["ParkUnit"], "uid": f"unit:1/{i}", "name": str(i)} for i in range(5)]
    >>> rels = [{"_type": "UNIT_OF", "_start": f"unit:1/{i}", "_end": "park:1"}
    ...         for i in range(5)]
    >>> capped = cap_neighbourhood(build_graph(nodes, rels), "park:1", per_group=2)
    >>> sorted(capped.nodes)
    ['overflow:park:1|UNIT_OF|ParkUnit', 'park:1', 'unit:1/0', 'unit:1/1']
    >>> capped.nodes['overflow:park:1|UNIT_OF|ParkUnit']['count']
    3
    """
    if focus not in g:
        return g
    kept: set[str] = {focus}
    dropped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    queue = [focus]
    while queue:
        nxt: list[str] = []
        for u in queue:
            groups: dict[tuple[str, str], set[str]] = defaultdict(set)
            for _, v, data in g.out_edges(u, data=True):
                groups[(data["type"], g.nodes[v]["label"])].add(v)
            for v, _, data in g.in_edges(u, data=True):
                groups[(data["type"], g.nodes[v]["label"])].add(v)
            for (rtype, label), members in sorted(groups.items()):
                fresh = sorted(
                    (v for v in members if v not in kept),
                    key=lambda v: (not g.nodes[v]["hits"], _name(g, v), v),
                )
                for i, v in enumerate(fresh):
                    if i < per_group and len(kept) < max_nodes:
                        kept.add(v)
                        nxt.append(v)
                    else:
                        dropped[(u, rtype, label)].append(v)
        queue = nxt
    unreachable = set(g) - set(nx.node_connected_component(g.to_undirected(as_view=True), focus))
    out: nx.MultiDiGraph = g.subgraph(kept | unreachable).copy()
    for (parent, rtype, label), hidden in sorted(dropped.items()):
        rest = sorted(set(hidden) - kept)
        if rest and parent in out:
            add_overflow(out, parent, label, rtype, len(rest))
    return out


def add_overflow(g: nx.MultiDiGraph, via: str, label: str, rel_type: str, count: int) -> str:
    """Add one "n meer ..." node for ``count`` hidden ``label`` neighbours of ``via``.

    Used by :func:`cap_neighbourhood` and for the ``overflow`` rows of
    :func:`graph_service.queries.neighbourhood` (``{"via", "label", "type", "count"}``).
    Returns the overflow node's id.
    """
    oid = f"overflow:{via}|{rel_type}|{label}"
    style = STYLES.get(label, UNKNOWN_STYLE)
    g.add_node(oid, label="Overflow", props={"name": f"{count} meer {style.plural}"},
               hits=[], count=count, parent=via, rel_type=rel_type, member_label=label)
    g.add_edge(via, oid, key=rel_type, type=rel_type, props={}, overflow=True)
    return oid


@lru_cache(maxsize=1)
def _indicator_titles() -> dict[str, str]:
    registry = load_registry()
    return {name.removeprefix("indicators/").upper(): registry.get(name).meta.get("title", "")
            for name in registry.names("indicators/")}


def indicator_title(code: Any) -> str:
    """An indicator's Dutch title by its code (the ``title`` in the header of its Cypher
    file), for a tooltip; an unknown code as it is."""
    return _indicator_titles().get(str(code).upper()) or str(code)


def node_tooltip(label: str, props: Props, hits: Sequence[str] = (),
                 who: Identity | None = None) -> str:
    """Plain-text tooltip: kind, name and identity line (:mod:`.identity`), key facts,
    provenance, indicator titles."""
    style = STYLES.get(label, UNKNOWN_STYLE)
    who = who or identify(label, {**props, "name": display_name(
        label, props, str(props.get("uid", "")))})
    lines = [f"{style.name}: {who.line}",
             f"kenmerk: {props.get('uid', '')}"]
    for key in _NODE_FACTS.get(label, ()):
        if props.get(key) not in (None, "", []):
            lines.append(f"{terms.prop_name(key)}: {terms.value_text(key, props[key])}")
    lines.extend(_provenance_lines(props))
    if hits:
        lines.append(f"indicatoren: {'; '.join(indicator_title(c) for c in hits)}")
    return "\n".join(lines)


def _provenance_lines(props: Props) -> list[str]:
    lines = []
    for key, name in _PROVENANCE:
        value = props.get(key)
        if value not in (None, "", []):
            if key == "sources" and isinstance(value, list):  # as users name them: KvK
                value = [terms.source_name(v) for v in value]
            if key == "source_records" and isinstance(value, list) and len(value) > 5:
                value = [*value[:5], f"... (+{len(value) - 5})"]
            lines.append(f"{name}: {terms.value_text(None, value)}")
    return lines


def edge_label(rtype: str, props: Props) -> str:
    """Short Dutch edge label: the role when there is one, else the relationship name.

    Examples
    --------
    >>> edge_label("FUNCTIONARY_OF", {"role": "bestuurder"})
    'bestuurder'
    >>> edge_label("OWNS", {})
    'eigenaar van'
    """
    role = props.get("role")
    if role:
        return str(role).replace("_", " ")
    return REL_NAMES.get(rtype, rtype.lower())


def edge_tooltip(rtype: str, props: Props) -> str:
    """Plain-text tooltip of a relationship: type, its facts, provenance."""
    lines = [REL_NAMES.get(rtype, rtype.lower().replace("_", " "))]
    for key in _REL_FACTS:
        if props.get(key) not in (None, "", []):
            lines.append(f"{terms.prop_name(key)}: {terms.value_text(key, props[key])}")
    lines.extend(_provenance_lines(props))
    return "\n".join(lines)


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def default_options() -> dict[str, Any]:
    """vis-network options shared by every graph: physics, hover tooltips, keyboard."""
    return {
        "autoResize": True,
        "nodes": {"font": {"size": 13, "color": "#1a1a1a", "face": "sans-serif"},
                  "borderWidth": 2},
        "edges": {"font": {"size": 10, "color": "#333333", "align": "middle",
                           "strokeWidth": 3, "strokeColor": "#ffffff", "face": "sans-serif"},
                  "color": {"color": "#8a8a8a", "highlight": "#1a1a1a"},
                  "smooth": {"enabled": True, "type": "dynamic"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -45, "springLength": 80,
                                         "avoidOverlap": 0.4},
                    "stabilization": {"enabled": True, "iterations": 250, "fit": True}},
        "interaction": {"hover": True, "keyboard": {"enabled": True, "bindToWindow": False},
                        "navigationButtons": True, "tooltipDelay": 150, "multiselect": False},
    }


def to_pyvis(
    g: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    url_for: UrlFor | None = None,
    height: str = "600px",
) -> Network:
    """A pyvis network with the project's shapes, colours, labels, tooltips and links.

    Hit nodes get a red, thicker border and a larger size; the ``focus`` node is larger
    still. ``url_for(uid)`` gives the page a click on a node opens (stored as the node's
    ``url``); overflow nodes link to their parent's page.
    """
    from pyvis.network import Network  # imported here: pyvis pulls in IPython (slow)

    net = Network(height=height, width="100%", directed=True, cdn_resources="local")
    net.options = default_options()
    for uid, data in g.nodes(data=True):
        label: str = data["label"]
        props: Props = data["props"]
        hits: list[str] = list(data.get("hits") or ())
        if label == "Overflow":
            style = OVERFLOW_STYLE
            title = (f"{props['name']} ({REL_NAMES.get(data['rel_type'], data['rel_type'])})"
                     " niet getoond; dubbelklik om ze hier toe te voegen")
            link_uid = str(data["parent"])
        else:
            style = STYLES.get(label, UNKNOWN_STYLE)
            who = data.get("identity") or identify(label, {**props, "name": display_name(
                label, props, uid)})
            title = node_tooltip(label, props, hits, who)
            link_uid = uid
        size = 16 + (10 if hits else 0) + (8 if uid == focus else 0)
        options: dict[str, Any] = {
            "title": title,
            "size": size,
            "borderWidth": 5 if hits else 2,
            "color": {
                "background": style.background,
                "border": HIT_BORDER if hits else style.border,
                "highlight": {"background": style.background,
                              "border": HIT_BORDER if hits else "#1a1a1a"},
                "hover": {"background": style.background,
                          "border": HIT_BORDER if hits else "#1a1a1a"},
            },
            "kind": label,
            "uid": uid,
            "hits": hits,
        }
        if url_for is not None:
            options["url"] = url_for(link_uid)
        if label != "Overflow":
            options["line"] = who.line  # name and identity line, for the node list
        if label == "Overflow":
            options["shapeProperties"] = {"borderDashes": [4, 3]}
            options["count"] = data["count"]
            # what the page needs to fetch the hidden neighbours in place
            options["parent"] = str(data["parent"])
            options["relType"] = str(data["rel_type"])
            options["memberLabel"] = str(data["member_label"])
            options["memberPlural"] = STYLES.get(str(data["member_label"]),
                                                 UNKNOWN_STYLE).plural
        elif data.get("hub") or props.get("hub"):
            options["hub"] = True
        if uid == focus:
            options["font"] = {"size": 15, "bold": True}
        text = _short(props["name"]) if label == "Overflow" else _short(who.name) + (
            f"\n{_short(who.detail, 32)}" if who.detail else "")
        net.add_node(uid, label=text, shape=style.shape, **options)
    for start, end, data in g.edges(data=True):
        rtype: str = data["type"]
        props = data["props"]
        if data.get("overflow"):
            net.add_edge(start, end, title=REL_NAMES.get(rtype, rtype), dashes=True,
                         arrows={"to": {"enabled": False}})
            continue
        dates = {name: str(props[k]) for k, name in (("valid_from", "validFrom"),
                                                     ("valid_to", "validTo")) if props.get(k)}
        net.add_edge(start, end, label=_short(edge_label(rtype, props), 22),
                     title=edge_tooltip(rtype, props), relType=rtype, **dates)
    return net


def network_data(net: Network) -> dict[str, Any]:
    """The ``{"nodes", "edges", "options"}`` JSON a ``vis.Network`` is built from."""
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return {"nodes": list(nodes), "edges": list(edges), "options": json.loads(options)}


def render(
    g: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    hits: Mapping[str, Sequence[str]] | None = None,
    url_for: UrlFor | None = None,
    per_group: int | None = 12,
    max_nodes: int = 250,
) -> dict[str, Any]:
    """Mark hits, cap around ``focus`` (when given), and return :func:`network_data`."""
    if hits:
        mark_hits(g, hits)
    if focus is not None and per_group is not None:
        g = cap_neighbourhood(g, focus, per_group=per_group, max_nodes=max_nodes)
    data = network_data(to_pyvis(g, focus=focus, url_for=url_for))
    data["legend"] = legend()
    data["focus"] = focus
    return data
