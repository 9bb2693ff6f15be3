"""The neighbourhood of an entity (size-capped, with what the cap left out) and hotspots:
places ranked by how much gathers there."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from ..errors import InvalidParams, NotFound
from ..model.hubs import Hubs, hubs_arg
from ..store import Store
from .common import (
    Row,
    check_date,
    check_int,
    label_of,
    nodes_by_uid,
    rel_from_row,
    rel_key,
    rel_types_param,
    round_robin,
)

__all__ = [
    "MAX_DEPTH",
    "DEFAULT_NODE_LIMIT",
    "MAX_NODE_LIMIT",
    "DEFAULT_PER_NODE",
    "HotspotKind",
    "HOTSPOT_STATEMENTS",
    "HOTSPOT_WEIGHTS",
    "MAX_HOTSPOT_LIMIT",
    "Subgraph",
    "neighbourhood",
    "hotspots",
]

MAX_DEPTH = 3
DEFAULT_NODE_LIMIT = 150
MAX_NODE_LIMIT = 1000
DEFAULT_PER_NODE = 50

HotspotKind = Literal["address", "park", "object"]
HOTSPOT_STATEMENTS: dict[str, str] = {
    "address": "read/hotspots_address",
    "park": "read/hotspots_park",
    "object": "read/hotspots_object",
}
#: score = sum of weight x count; a signal weighs more than a registration because it is an
#: observation by a partner, not an administrative fact.
HOTSPOT_WEIGHTS: dict[str, int] = {"organisations": 1, "persons": 1, "signals": 5}
MAX_HOTSPOT_LIMIT = 500


@dataclass
class Subgraph:
    """Nodes and relationships around one entity, with what the size cap left out.

    ``nodes`` carry ``_depth`` (hops from the root); ``overflow`` lists, per node where the
    expansion was cut, the hidden neighbours per (label, relationship type):
    ``{"via", "label", "type", "count", "total"}`` (``count`` hidden of ``total``).
    ``hubs`` lists the hubs the expansion stopped at (end points, not walked through; the
    root is always expanded), with how many visible neighbours lie behind each:
    ``{"uid", "behind", "by": [{"label", "type", "count"}]}``; their nodes carry
    ``_hub: True``.
    """

    root: str
    nodes: list[Row]
    relationships: list[Row]
    overflow: list[Row] = field(default_factory=list)
    hubs: list[Row] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return bool(self.overflow)

    def to_dict(self) -> Row:
        return {
            "root": self.root,
            "nodes": self.nodes,
            "relationships": self.relationships,
            "overflow": self.overflow,
            "truncated": self.truncated,
            "hubs": self.hubs,
        }


def neighbourhood(
    store: Store,
    uid: str,
    depth: int = 1,
    types: Iterable[str] | None = None,
    as_of: dt.date | None = None,
    limit: int = DEFAULT_NODE_LIMIT,
    per_node: int = DEFAULT_PER_NODE,
    hubs: Hubs | str | bool | None = None,
) -> Subgraph:
    """The entities within ``depth`` hops of ``uid``, in either direction, size-capped.

    The expansion runs level by level (one bounded query per level): every node of a level
    contributes at most ``per_node`` neighbours (by relationship type, then uid), taken in
    turn across the level's nodes until ``limit`` nodes are in the result. Where neighbours
    were left out, a count query fills :attr:`Subgraph.overflow`, so an address with 400
    registered companies shows ``per_node`` of them and ``{"via": <address uid>, "label":
    "Organisation", "type": "REGISTERED_AT", "count": 350, ...}``.

    Parameters
    ----------
    store:
        The graph store.
    uid:
        The root entity.
    depth:
        Hops from the root, 1 to 3.
    types:
        Relationship types to walk (see :func:`rel_types_param`); default all but
        POSSIBLE_SAME_AS.
    as_of:
        Only relationships valid on this date (``valid_from``/``valid_to``; relationships
        without a period always count). None: every relationship, whatever its period.
    limit:
        At most this many nodes, the root included (1 to 1000).
    per_node:
        At most this many neighbours fetched per node and level (1 to 1000).
    hubs:
        The hubs not walked through (:func:`graph_service.model.hubs.hubs_arg`): default
        the shipped list, ``"door"`` walks through them. A hub other than the root is an
        end point, listed in :attr:`Subgraph.hubs` with what lies behind it.

    Raises
    ------
    NotFound
        No entity has this uid.
    InvalidParams
        A parameter is out of range or names an unknown relationship type.
    """
    check_int("depth", depth, 1, MAX_DEPTH)
    check_int("limit", limit, 1, MAX_NODE_LIMIT)
    check_int("per_node", per_node, 1, MAX_NODE_LIMIT)
    as_of = check_date("as_of", as_of)
    rel_types = rel_types_param(types)
    stop = hubs_arg(hubs)
    root = nodes_by_uid(store, [uid]).get(uid)
    if root is None:
        raise NotFound(f"no entity with uid {uid!r}")

    nodes: dict[str, Row] = {uid: {**root, "_depth": 0}}
    rels: dict[tuple[str, str, str, str], Row] = {}
    cut: set[str] = set()
    stopped: set[str] = set()  # hubs reached: end points, not expanded
    frontier = [uid]
    for level in range(1, depth + 1):
        if not frontier:
            break
        budget = limit - len(nodes)
        if budget <= 0:
            cut.update(frontier)  # not expanded at all: everything beyond them is hidden
            break
        cap = min(per_node, budget)
        rows = store.read(
            "read/neighbourhood_step",
            {"uids": frontier, "open": [uid], "types": rel_types, "as_of": as_of,
             "per_node": cap, **stop.params()},
        )
        by_via: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            by_via[row["via"]].append(row)
        groups = []
        for via in frontier:
            group = sorted(by_via.get(via, []), key=lambda r: (r["type"], r["node"]["uid"]))
            if len(group) >= cap:
                cut.add(via)  # the cap may have hidden some: the count query will tell
            groups.append(group)
        next_frontier: list[str] = []
        for row in round_robin(groups):
            other = row["node"]["uid"]
            if other not in nodes:
                if len(nodes) >= limit:
                    cut.add(row["via"])
                    continue
                nodes[other] = {**row["node"], "_depth": level}
                if row.get("hub"):
                    nodes[other]["_hub"] = True
                    stopped.add(other)
                else:
                    next_frontier.append(other)
            rel = rel_from_row(row)
            rels.setdefault(rel_key(rel), rel)
        frontier = next_frontier

    overflow = _overflow(store, cut, nodes, rels.values(), rel_types, as_of)
    behind = _behind_hubs(store, stopped, nodes, rels.values(), rel_types, as_of)
    return Subgraph(
        root=uid,
        nodes=sorted(nodes.values(), key=lambda n: (n["_depth"], n["uid"])),
        relationships=[rels[k] for k in sorted(rels)],
        overflow=overflow,
        hubs=behind,
    )


def _behind_hubs(
    store: Store,
    stopped: set[str],
    nodes: dict[str, Row],
    rels: Iterable[Row],
    rel_types: list[str],
    as_of: dt.date | None,
) -> list[Row]:
    """Per hub the expansion stopped at: its visible neighbours not in the result."""
    if not stopped:
        return []
    hidden = _overflow(store, stopped, nodes, rels, rel_types, as_of)
    out: dict[str, Row] = {h: {"uid": h, "behind": 0, "by": []} for h in sorted(stopped)}
    for o in hidden:
        out[o["via"]]["behind"] += o["count"]
        out[o["via"]]["by"].append({"label": o["label"], "type": o["type"], "count": o["count"]})
    return list(out.values())


def _overflow(
    store: Store,
    cut: set[str],
    nodes: dict[str, Row],
    rels: Iterable[Row],
    rel_types: list[str],
    as_of: dt.date | None,
) -> list[Row]:
    """Hidden neighbours per (via, label, type): total from the graph minus those shown."""
    if not cut:
        return []
    shown: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for rel in rels:
        for via, other in ((rel["_start"], rel["_end"]), (rel["_end"], rel["_start"])):
            if via in cut:
                shown[(via, label_of(nodes[other]), rel["_type"])].add(other)
    totals = store.read(
        "read/neighbourhood_counts",
        {"uids": sorted(cut), "types": rel_types, "as_of": as_of},
    )
    out = []
    for row in totals:
        key = (row["via"], row["label"] or "Entity", row["type"])
        hidden = row["count"] - len(shown.get(key, ()))
        if hidden > 0:
            out.append(
                {"via": key[0], "label": key[1], "type": key[2], "count": hidden,
                 "total": row["count"]}
            )
    out.sort(key=lambda o: (-o["count"], o["via"], o["label"], o["type"]))
    return out


def hotspots(
    store: Store,
    kind: HotspotKind,
    as_of: dt.date | None = None,
    limit: int = 25,
) -> list[Row]:
    """Addresses, holiday parks or rural objects ranked by concentration on ``as_of``.

    ``score = 1 x organisations + 1 x persons + 5 x signals`` (:data:`HOTSPOT_WEIGHTS`):

    - organisations: active on ``as_of`` (not ended, status not opgeheven/failliet, as in
      the indicators) and registered at the place's address(es) with a REGISTERED_AT valid
      on ``as_of``; for a rural object also its tenants (RENTS valid on ``as_of``);
    - persons: registered or residing at the address(es) (REGISTERED_AT / RESIDES_AT), BRP
      registrations on park units (OCCUPIES brp = true, since on or before ``as_of``) and
      for a rural object its tenants;
    - signals: RIEC signals received on or before ``as_of`` and not past ``bewaren_tot``
      that concern the place, its units or addresses, or one of those organisations or
      persons.

    A park's addresses are its own and its units'. Places scoring 0 are left out.
    Indicator hits are not part of the score; the web layer may add them from the risk
    engine.

    Returns
    -------
    list of dict
        ``{"rank", "uid", "name", "kind", "score", "counts": {"organisations", "persons",
        "signals"}}``, for parks also ``"units"``; best first, ties by uid.
    """
    if kind not in HOTSPOT_STATEMENTS:
        raise InvalidParams(f"kind must be one of {sorted(HOTSPOT_STATEMENTS)}, not {kind!r}")
    check_int("limit", limit, 1, MAX_HOTSPOT_LIMIT)
    as_of = check_date("as_of", as_of) or dt.date.today()
    rows = store.read(
        HOTSPOT_STATEMENTS[kind],
        {
            "as_of": as_of,
            "limit": limit,
            "w_org": HOTSPOT_WEIGHTS["organisations"],
            "w_person": HOTSPOT_WEIGHTS["persons"],
            "w_signal": HOTSPOT_WEIGHTS["signals"],
        },
    )
    out = []
    for rank, row in enumerate(rows, start=1):
        item: Row = {
            "rank": rank,
            "uid": row["uid"],
            "name": row["name"],
            "kind": kind,
            "score": row["score"],
            "counts": {k: row[k] for k in ("organisations", "persons", "signals")},
        }
        if kind == "park":
            item["units"] = row["units"]
        out.append(item)
    return out
