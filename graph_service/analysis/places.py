"""Holiday parks and rural sheds as tables, computed from their graphs (for notebooks).

The graphs come from :mod:`graph_service.analysis` (so the caller's access scope applies);
the tables here only count what is in them. The rules follow the indicators of
``docs/indicators.md`` so a table and a hit agree:

* a BRP registration is an OCCUPIES with ``brp`` true and ``since`` on or before ``as_of``
  (PARK_OVERCROWDING); an occupant is any OCCUPIES with ``since`` on or before ``as_of``;
* a relationship counts when it is valid on ``as_of`` (``valid_from``/``valid_to``);
* an agricultural tenant is an organisation whose SBI code starts with ``01``; a natural
  person never is (SHED_SUSPICIOUS_LEASE).

The median rent per m2 that SHED_SUSPICIOUS_LEASE compares with is not recomputed here:
:func:`median_rent_m2` asks the risk engine for the value the indicator uses.

Examples
--------
>>> from graph_service.analysis import to_networkx
>>> g = to_networkx(
...     [{"_labels": ["HolidayPark"], "uid": "park:1", "name": "P"},
...      {"_labels": ["ParkUnit"], "uid": "unit:1/1", "name": "1"},
...      {"_labels": ["Person"], "uid": "person:a", "name": "A"}],
...     [{"_type": "UNIT_OF", "_start": "unit:1/1", "_end": "park:1"},
...      {"_type": "OCCUPIES", "_start": "person:a", "_end": "unit:1/1", "brp": True}])
>>> [(r["unit"], r["brp"], r["occupants"]) for r in unit_occupancy(g)]
[('unit:1/1', 1, 1)]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from .. import queries
from ..model import display_name
from ..risk.indicators import derived_value
from ..store import Store
from .networks import Table, entities_graph, park_graph, table

__all__ = [
    "SHED_REL_TYPES",
    "employer_housing",
    "is_agricultural",
    "median_rent_m2",
    "owner_concentration",
    "park_graphs",
    "park_summaries",
    "park_summary",
    "shed_tenancies",
    "sheds_graph",
    "unit_occupancy",
]

Row = Mapping[str, Any]
#: What a shed's picture follows: tenants, owner, address and signals.
SHED_REL_TYPES: tuple[str, ...] = ("RENTS", "OWNS", "LOCATED_AT", "CONCERNS")


def _iso(as_of: dt.date | None) -> str:
    return (as_of or dt.date.today()).isoformat()


def _valid(props: Row, day: str) -> bool:
    start, end = props.get("valid_from"), props.get("valid_to")
    return (start is None or str(start) <= day) and (end is None or str(end) >= day)


def _since(props: Row, day: str) -> bool:
    since = props.get("since")
    return since is None or str(since) <= day


def _label(g: nx.MultiDiGraph, uid: str) -> str:
    return str(g.nodes[uid].get("label", ""))


def _name(g: nx.MultiDiGraph, uid: str) -> str:
    return display_name(_label(g, uid), g.nodes[uid], uid)


def _edges(g: nx.MultiDiGraph, rtype: str) -> Iterable[tuple[str, str, Row]]:
    for u, v, data in g.edges(data=True):
        if data.get("type") == rtype:
            yield str(u), str(v), data.get("props") or {}


def _park_of(g: nx.MultiDiGraph) -> dict[str, str]:
    return {u: v for u, v, _ in _edges(g, "UNIT_OF")}


# -- holiday parks --------------------------------------------------------------------------
def park_graphs(
    store: Store, *, as_of: dt.date | None = None, limit: int = 100, depth: int = 3
) -> dict[str, nx.MultiDiGraph]:
    """The graph (:func:`~graph_service.analysis.park_graph`) of every park with activity.

    Parks are those :func:`graph_service.queries.hotspots` ranks (any registered
    organisation or person, BRP registration or signal on ``as_of``), best first.
    """
    ranked = queries.hotspots(store, "park", as_of=as_of, limit=limit)
    return {row["uid"]: park_graph(store, row["uid"], depth=depth, as_of=as_of)
            for row in ranked}


def unit_occupancy(g: nx.MultiDiGraph, as_of: dt.date | None = None) -> Table:
    """Per park unit: its park, BRP registrations, occupants, owners and indicator hits.

    Sorted by BRP registrations (most first), then unit uid.
    """
    day = _iso(as_of)
    park_of = _park_of(g)
    brp: dict[str, set[str]] = defaultdict(set)
    occupants: dict[str, set[str]] = defaultdict(set)
    owners: dict[str, set[str]] = defaultdict(set)
    for person, unit, props in _edges(g, "OCCUPIES"):
        if _since(props, day) and _valid(props, day):
            occupants[unit].add(person)
            if props.get("brp") is True:
                brp[unit].add(person)
    for owner, thing, _ in _edges(g, "OWNS"):
        owners[thing].add(owner)
    units = [uid for uid, data in g.nodes(data=True) if data.get("label") == "ParkUnit"]
    rows = [
        {
            "unit": uid,
            "name": _name(g, uid),
            "park": park_of.get(uid),
            "brp": len(brp[uid]),
            "occupants": len(occupants[uid]),
            "owners": sorted(_name(g, o) for o in owners[uid]),
            "hits": list(g.nodes[uid].get("hits") or ()),
        }
        for uid in units
    ]
    rows.sort(key=lambda r: (-r["brp"], r["unit"]))
    return table(rows)


def owner_concentration(g: nx.MultiDiGraph) -> Table:
    """Per owner and park: units owned and their share of the park's units in ``g``.

    Sorted by units (most first), then owner uid.
    """
    park_of = _park_of(g)
    per_park: dict[str, int] = defaultdict(int)
    for park in park_of.values():
        per_park[park] += 1
    owned: dict[tuple[str, str], set[str]] = defaultdict(set)
    for owner, unit, _ in _edges(g, "OWNS"):
        if unit in park_of:
            owned[(owner, park_of[unit])].add(unit)
    rows: list[dict[str, Any]] = [
        {
            "owner": owner,
            "name": _name(g, owner),
            "label": _label(g, owner),
            "park": park,
            "units": len(units),
            "share": round(len(units) / per_park[park], 3),
            "hits": list(g.nodes[owner].get("hits") or ()),
        }
        for (owner, park), units in owned.items()
    ]
    rows.sort(key=lambda r: (-r["units"], r["owner"], r["park"]))
    return table(rows)


def employer_housing(g: nx.MultiDiGraph, as_of: dt.date | None = None) -> Table:
    """Per employer and park: how many of its employees occupy units there.

    ``linked_to_owner``: the employer owns one of those units, or is linked to an owner
    of one by a KvK function (FUNCTIONARY_OF, either direction, valid on ``as_of``): the
    dependency PARK_EMPLOYER_HOUSING looks for. Sorted by occupants (most first).
    """
    day = _iso(as_of)
    park_of = _park_of(g)
    employers: dict[str, set[str]] = defaultdict(set)
    for person, org, props in _edges(g, "EMPLOYED_BY"):
        if _valid(props, day):
            employers[person].add(org)
    owners: dict[str, set[str]] = defaultdict(set)
    for owner, unit, props in _edges(g, "OWNS"):
        if _valid(props, day):
            owners[unit].add(owner)
    linked: dict[str, set[str]] = defaultdict(set)
    for a, b, props in _edges(g, "FUNCTIONARY_OF"):
        if _valid(props, day):
            linked[a].add(b)
            linked[b].add(a)
    housed: dict[tuple[str, str], set[str]] = defaultdict(set)
    units: dict[tuple[str, str], set[str]] = defaultdict(set)
    for person, unit, props in _edges(g, "OCCUPIES"):
        if unit not in park_of or not (_since(props, day) and _valid(props, day)):
            continue
        for org in employers.get(person, ()):
            housed[(org, park_of[unit])].add(person)
            units[(org, park_of[unit])].add(unit)
    rows: list[dict[str, Any]] = []
    for (org, park), people in housed.items():
        unit_owners = {o for u in units[(org, park)] for o in owners.get(u, ())}
        rows.append({
            "employer": org,
            "name": _name(g, org),
            "park": park,
            "occupants": len(people),
            "units": len(units[(org, park)]),
            "linked_to_owner": org in unit_owners or bool(linked.get(org, set()) & unit_owners),
        })
    rows.sort(key=lambda r: (-r["occupants"], r["employer"], r["park"]))
    return table(rows)


def park_summary(g: nx.MultiDiGraph, park: str, as_of: dt.date | None = None) -> dict[str, Any]:
    """One row about a park: units, BRP registrations, owners, employers, hits nearby."""
    occupancy = [r for r in unit_occupancy(g, as_of) if r["park"] == park]
    owners = [r for r in owner_concentration(g) if r["park"] == park]
    employers = [r for r in employer_housing(g, as_of) if r["park"] == park]
    data = g.nodes[park]
    props: Row = data.get("props") or {}
    return {
        "park": park,
        "name": data.get("name"),
        "wonen_toegestaan": props.get("permanente_bewoning_toegestaan"),
        "units": len(occupancy),
        "brp": sum(r["brp"] for r in occupancy),
        "max_brp_unit": max((r["brp"] for r in occupancy), default=0),
        "owners": len(owners),
        "top_owner_units": max((r["units"] for r in owners), default=0),
        "employers": len(employers),
        "employees_housed": sum(r["occupants"] for r in employers),
        "hits": sum(len(d.get("hits") or ()) for _, d in g.nodes(data=True)),
    }


def park_summaries(graphs: Mapping[str, nx.MultiDiGraph], as_of: dt.date | None = None) -> Table:
    """:func:`park_summary` of every park in ``graphs`` (park uid -> graph), in that order."""
    return table(park_summary(g, park, as_of) for park, g in graphs.items())


# -- rural sheds ----------------------------------------------------------------------------
def is_agricultural(g: nx.MultiDiGraph, uid: str) -> bool:
    """An organisation with an SBI code starting with ``01``; never a natural person."""
    props: Row = g.nodes[uid].get("props") or {}
    return _label(g, uid) == "Organisation" and str(props.get("sbi_code") or "").startswith("01")


def sheds_graph(
    store: Store, *, as_of: dt.date | None = None, limit: int = 500
) -> nx.MultiDiGraph:
    """Every shed with tenants, owner, address and signals (one hop, :data:`SHED_REL_TYPES`).

    Sheds are the rural objects :func:`graph_service.queries.hotspots` ranks on ``as_of``
    (a tenant, a registration at the address or a signal), at most ``limit``.
    """
    ranked = queries.hotspots(store, "object", as_of=as_of, limit=limit)
    return entities_graph(store, [row["uid"] for row in ranked], depth=1, types=SHED_REL_TYPES,
                          limit=queries.MAX_NODE_LIMIT, per_node=queries.MAX_NODE_LIMIT)


def shed_tenancies(g: nx.MultiDiGraph, as_of: dt.date | None = None) -> Table:
    """One row per tenancy (RENTS) of a shed in ``g``: object, place, tenant, rent, payment.

    ``rent_m2`` is the monthly rent per m2 (None without rent or floor area), ``current``
    whether the tenancy is valid on ``as_of``, ``agrarisch`` whether the tenant is
    agricultural, ``hits`` the indicator codes on the object.
    """
    day = _iso(as_of)
    place: dict[str, str] = {}
    for thing, addr, _ in _edges(g, "LOCATED_AT"):
        props: Row = g.nodes[addr].get("props") or {}
        place[thing] = str(props.get("plaats") or "")
    rows: list[dict[str, Any]] = []
    for tenant, obj, rel in _edges(g, "RENTS"):
        o: Row = g.nodes[obj].get("props") or {}
        t: Row = g.nodes[tenant].get("props") or {}
        area, rent = o.get("oppervlakte_m2"), rel.get("rent_pm")
        rent_m2 = round(float(rent) / float(area), 3) if rent is not None and area else None
        rows.append({
            "object": obj,
            "plaats": place.get(obj),
            "objecttype": o.get("objecttype"),
            "oppervlakte_m2": area,
            "eigenaar_agrarisch_actief": o.get("eigenaar_agrarisch_actief"),
            "tenant": tenant,
            "tenant_name": _name(g, tenant),
            "tenant_label": _label(g, tenant),
            "sbi_code": t.get("sbi_code"),
            "agrarisch": is_agricultural(g, tenant),
            "rent_pm": rent,
            "rent_m2": rent_m2,
            "payment": rel.get("payment"),
            "declared_use": rel.get("declared_use"),
            "valid_from": rel.get("valid_from"),
            "valid_to": rel.get("valid_to"),
            "current": _valid(rel, day),
            "hits": list(g.nodes[obj].get("hits") or ()),
        })
    rows.sort(key=lambda r: (r["object"], str(r["valid_from"] or ""), r["tenant"]))
    return table(rows)


def median_rent_m2(store: Store, as_of: dt.date | None = None) -> float | None:
    """The SHED_SUSPICIOUS_LEASE baseline on ``as_of`` (default today): the median rent per
    m2 of the tenancies valid then that the caller's scope sees, as the risk engine computes
    it for the indicator (``read/risk_shed_rents``); None without such a tenancy.
    """
    value = derived_value(store, "median_rent_m2", as_of or dt.date.today())
    return None if value is None else float(value)
