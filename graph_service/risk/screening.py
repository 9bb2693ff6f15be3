"""Bibob screening: one structured report on a dossier that an officer can attach to a file.

The report holds the dossier (type, activity, premises, advies and besluit), every party
with its role, the relations the applicant declared, the relations the graph found that
were not declared, everyone linked to a party through Wet Bibob art. 3 lid 4 relations
(KvK functie, declared Bibob relation, financing; up to 3 hops, with the paths), the RIEC
signals on all of them and on the premises, and the indicator hits on the dossier, the
parties and their network.

Scope decisions:

* Only what the access scope can see is screened (every statement filters on it): a
  dossier it cannot see is :class:`NotFound`, and parties, relations, network, signals and
  hits are those of visible facts.
* What the scope leaves out is said, never hidden behind a zero: the report carries the
  kinds of source the role and purpose do not see and how to get them
  (:attr:`ScreeningReport.absent_sources`, ``absent_sources`` in JSON, see
  :mod:`graph_service.security.absence`) with the indicators that rest on them (not
  evaluated); when RIEC signals are out of sight the summary's signal counts are ``None``
  ("niet zichtbaar voor uw rol"), not 0. A Bibob officer is told to ask the RIEC for a
  RIEC-toets.
* Signals are those visible on ``as_of``: received on or before it and not past their
  ``bewaren_tot``; any concerns role is listed (with the role).
* A gemachtigde (representative) is listed as a party, but is not a relation in the sense
  of art. 3 lid 4: the network is not followed from a gemachtigde or through a declared
  gemachtigde relation (the same rule as indicator BIBOB_RELATED_SIGNAL).
* Undeclared relations: an active KvK functionaris (FUNCTIONARY_OF valid on ``as_of``) of
  a party organisation who is not a party (``functionaris_geen_partij``), or who is a
  party but whose relation to that organisation the dossier does not declare
  (``relatie_niet_opgegeven``).

The network is found breadth first, one bounded query per hop
(``read/screening_network_step``, the approach of :func:`graph_service.queries.neighbourhood`)
instead of enumerating every path, and it is capped so that no report grows without bound:

* at most :data:`MAX_NETWORK` (250) network entities per report, and at most
  :data:`NETWORK_PER_NODE` (50) new neighbours fetched per entity and hop;
* what is cut: entities closer to the dossier always go first (hop 1 before hop 2 before
  hop 3: a hop is complete before the next starts, as far as the budget reaches); within a
  hop the entities of the hop take turns (first neighbour of each, then the second of
  each, ...; each entity's neighbours by uid), so one hub does not take the whole budget;
* :attr:`ScreeningReport.network_overflow` says per hop and per entity how many of its
  neighbours were not shown (``hidden`` of ``total``), so the officer sees that and where
  the report is incomplete. Nothing behind an entity that is not shown is followed, and
  signals and indicator hits are those on the entities shown (a hit on a network entity
  with up to :data:`NETWORK_HIT_PATHS` evidence paths). ``hidden`` counts per entity:
  a neighbour left out there may still be shown through another entity of the same hop;
* per entity: the fewest hops from a party and up to ``MAX_PATHS`` shortest paths from the
  dossier (first by :attr:`EvidencePath.sort_key`), rebuilt from the breadth-first parents
  with the relationships' real direction. An entity's paths run through the entities
  shown; a shortest path through an entity that is not shown is not listed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import NotFound
from ..model import dossier_uid
from ..model.hubs import Hubs, hubs_arg
from ..queries.common import rel_from_row, round_robin
from ..security.absence import Absent, absent_sources
from ..store import Store, access
from .evidence import EntityRef, EvidencePath, PathNode, PathRelationship, Provenance, primary_label
from .indicators import MAX_PATHS, list_indicators
from .scoring import Hit, ThresholdsByCode, hits_on_groups

__all__ = [
    "MAX_NETWORK",
    "NETWORK_HOPS",
    "NETWORK_PER_NODE",
    "DeclaredRelation",
    "HubEnd",
    "NetworkEntity",
    "NetworkOverflow",
    "Party",
    "ScreeningReport",
    "SignalFinding",
    "UndeclaredRelation",
    "screen",
]

KVK_ROLES = frozenset({"bestuurder", "aandeelhouder", "enig_aandeelhouder", "commissaris",
                       "gevolmachtigde", "vennoot", "uiteindelijk_belanghebbende"})
#: Hops of the art. 3 lid 4 network from a party.
NETWORK_HOPS = 3
#: At most this many network entities per report: what an officer can still read in a
#: printed report, and a bound on the reply (each entity carries up to MAX_PATHS paths and
#: its indicator hits are computed per entity).
MAX_NETWORK = 250
#: At most this many new neighbours fetched per entity and hop (the neighbourhood's
#: default): an accountant or a holding with hundreds of functies does not flood a hop.
NETWORK_PER_NODE = 50
#: Evidence paths per indicator hit on a network entity (the dossier and its parties keep
#: MAX_PATHS): the paths are most of a report's cost (at 100k, 250 network entities
#: around a hub: 1.6 s with 25 paths per hit, 0.5 s with 3), and the entity's own page
#: lists all its evidence.
NETWORK_HIT_PATHS = 3
#: What in an indicator's statement shows that it rests on a purpose class (a label or a
#: relationship type only that class's sources write): with the class out of sight the
#: indicator cannot fire, so the report names it as not evaluated.
RESTS_ON: dict[str, re.Pattern[str]] = {
    "riec": re.compile(r":Signal\b|\bCONCERNS\b"),
    "bibob": re.compile(r":BibobDossier\b|\b(?:PARTY_TO|BIBOB_RELATION|FINANCES)\b"),
}
_DOSSIER_FIELDS = ("dossier_id", "gemeentecode", "aanvraagdatum", "vergunning_type",
                   "activiteit", "advies", "besluit", "besluit_datum")


def _ref(node: Mapping[str, Any]) -> EntityRef:
    return EntityRef(str(node.get("uid")), primary_label(node.get("_labels") or ()),
                     node.get("name"), node.get("geboortedatum"))


@dataclass(frozen=True)
class Party:
    """A party of the dossier as the application declares it."""

    entity: EntityRef
    role: str | None
    party_ref: str | None
    relative_to: str | None
    share_pct: float | None
    amount: float | None
    antecedenten_opgegeven: bool | None
    provenance: Provenance

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.entity.to_dict(),
            "role": self.role,
            "party_ref": self.party_ref,
            "relative_to": self.relative_to,
            "share_pct": self.share_pct,
            "amount": self.amount,
            "antecedenten_opgegeven": self.antecedenten_opgegeven,
            **self.provenance.to_dict(),
        }


@dataclass(frozen=True)
class DeclaredRelation:
    """A relation the dossier declares (BIBOB_RELATION or FINANCES between parties).

    ``kvk_confirmed``: for a relation to an organisation, whether the KvK shows the same
    pair as functionaris and organisation on ``as_of`` (None when not applicable).
    """

    start: EntityRef
    type: str
    role: str | None
    end: EntityRef
    amount: float | None
    share_pct: float | None
    kvk_confirmed: bool | None
    path: EvidencePath

    def to_dict(self) -> dict[str, Any]:
        rel = self.path.relationships[0]
        return {
            "start": self.start.to_dict(),
            "type": self.type,
            "role": self.role,
            "end": self.end.to_dict(),
            "amount": self.amount,
            "share_pct": self.share_pct,
            "kvk_confirmed": self.kvk_confirmed,
            **rel.provenance.to_dict(),
        }


@dataclass(frozen=True)
class UndeclaredRelation:
    """A KvK functie on a party organisation that the dossier does not declare."""

    officer: EntityRef
    organisation: EntityRef
    role: str | None
    valid_from: str | None
    valid_to: str | None
    officer_is_party: bool
    reason: str
    path: EvidencePath

    def to_dict(self) -> dict[str, Any]:
        return {
            "officer": self.officer.to_dict(),
            "organisation": self.organisation.to_dict(),
            "type": "FUNCTIONARY_OF",
            "role": self.role,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "officer_is_party": self.officer_is_party,
            "reason": self.reason,
            "path": self.path.to_dict(),
        }


@dataclass(frozen=True)
class NetworkEntity:
    """Someone linked to a party by art. 3 lid 4 relations, with the linking paths."""

    entity: EntityRef
    hops: int
    paths: tuple[EvidencePath, ...]
    #: a hub (docs/queries.md, "Hubs"): an end point, its neighbours not followed
    hub: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {**self.entity.to_dict(), "hops": self.hops, "hub": self.hub,
                "paths": [p.to_dict() for p in self.paths]}


@dataclass(frozen=True)
class HubEnd:
    """A hub the network walk stopped at (a party on hop 0 or a network entity): how many
    visible art. 3 lid 4 neighbours lie behind it that the report does not hold
    (``behind``), and how many of those are a party of another Bibob dossier
    (``other_applicants``: "bank: 41 andere aanvragers")."""

    entity: EntityRef
    hop: int
    behind: int
    other_applicants: int

    def to_dict(self) -> dict[str, Any]:
        return {**self.entity.to_dict(), "hop": self.hop, "behind": self.behind,
                "other_applicants": self.other_applicants}


@dataclass(frozen=True)
class NetworkOverflow:
    """Where the network was cut: ``hidden`` of the ``total`` neighbours of ``via`` on
    hop ``hop`` (``via`` itself is on hop ``hop - 1``; 0 is a party) are not shown."""

    hop: int
    via: EntityRef
    hidden: int
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {"hop": self.hop, "via": self.via.to_dict(), "hidden": self.hidden,
                "total": self.total}


@dataclass(frozen=True)
class SignalFinding:
    """A visible RIEC signal on a party, its network or the premises."""

    signal: PathNode
    subject: EntityRef
    role: str | None
    hops: int
    paths: tuple[EvidencePath, ...]

    @property
    def onbevestigd(self) -> bool:
        return self.signal.provenance.ungraded

    def to_dict(self) -> dict[str, Any]:
        return {
            "signal": self.signal.to_dict(),
            "subject": self.subject.to_dict(),
            "role": self.role,
            "hops": self.hops,
            "onbevestigd": self.onbevestigd,
            "paths": [p.to_dict() for p in self.paths],
        }


@dataclass(frozen=True)
class ScreeningReport:
    """Everything the graph knows that matters for one Bibob dossier, on one date."""

    dossier: Mapping[str, Any]
    locations: tuple[PathNode, ...]
    as_of: dt.date
    parties: tuple[Party, ...]
    declared_relations: tuple[DeclaredRelation, ...]
    undeclared_relations: tuple[UndeclaredRelation, ...]
    network: tuple[NetworkEntity, ...]
    signals: tuple[SignalFinding, ...]
    location_signals: tuple[SignalFinding, ...]
    hits: tuple[Hit, ...]
    network_overflow: tuple[NetworkOverflow, ...] = ()
    #: the kinds of source the scope leaves out (empty: it sees every source)
    absent_sources: tuple[Absent, ...] = ()
    #: per purpose class left out, the indicators resting on it (not evaluated)
    not_evaluated: Mapping[str, tuple[str, ...]] | None = None
    #: the hubs the network walk stopped at, with what lies behind them
    hubs: tuple[HubEnd, ...] = ()

    @property
    def uid(self) -> str:
        return str(self.dossier["uid"])

    @property
    def network_truncated(self) -> bool:
        """True when the network was cut (:data:`MAX_NETWORK`, :data:`NETWORK_PER_NODE`)."""
        return bool(self.network_overflow)

    def network_hidden(self) -> dict[int, int]:
        """Per hop, the neighbours not shown (summed over the entities they hang from)."""
        out: dict[int, int] = {}
        for o in self.network_overflow:
            out[o.hop] = out.get(o.hop, 0) + o.hidden
        return dict(sorted(out.items()))

    @property
    def signals_visible(self) -> bool:
        """False when the scope does not see RIEC signals: then none is no finding."""
        return all(a.purpose_class != "riec" for a in self.absent_sources)

    def absent_dicts(self) -> list[dict[str, Any]]:
        """``absent_sources`` as JSON, each with the indicators it leaves unevaluated."""
        not_evaluated = self.not_evaluated or {}
        return [{**a.to_dict(), "indicators": list(not_evaluated.get(a.purpose_class, ()))}
                for a in self.absent_sources]

    def summary(self) -> dict[str, Any]:
        signals_visible = self.signals_visible
        return {
            "parties": len(self.parties),
            "declared_relations": len(self.declared_relations),
            "undeclared_relations": len(self.undeclared_relations),
            "network": len(self.network),
            "network_truncated": self.network_truncated,
            "network_hidden": sum(o.hidden for o in self.network_overflow),
            "hubs": len(self.hubs),
            "signals": len(self.signals) if signals_visible else None,
            "location_signals": len(self.location_signals) if signals_visible else None,
            "hits": len(self.hits),
            "indicators": sorted({h.code for h in self.hits}),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "dossier": dict(self.dossier),
            "locations": [n.to_dict() for n in self.locations],
            "as_of": self.as_of.isoformat(),
            "summary": self.summary(),
            "parties": [p.to_dict() for p in self.parties],
            "declared_relations": [r.to_dict() for r in self.declared_relations],
            "undeclared_relations": [r.to_dict() for r in self.undeclared_relations],
            "network": [n.to_dict() for n in self.network],
            "network_limits": {"max_entities": MAX_NETWORK, "per_node": NETWORK_PER_NODE,
                               "hops": NETWORK_HOPS, "max_paths": MAX_PATHS},
            "network_overflow": [o.to_dict() for o in self.network_overflow],
            "hubs": [h.to_dict() for h in self.hubs],
            "signals": [s.to_dict() for s in self.signals],
            "location_signals": [s.to_dict() for s in self.location_signals],
            "hits": [h.to_dict() for h in self.hits],
            **({"absent_sources": self.absent_dicts()} if self.absent_sources else {}),
        }


# -- building the report ------------------------------------------------------------------------
Row = dict[str, Any]


def _dossier(store: Store, uid: str) -> tuple[dict[str, Any], tuple[PathNode, ...], PathNode]:
    rows = store.read("read/screening_dossier", {"uid": uid})
    if not rows:
        raise NotFound(f"geen Bibob-dossier {uid!r}")
    node = rows[0]["dossier"]
    info: dict[str, Any] = {"uid": node["uid"], "name": node.get("name")}
    info.update({k: node.get(k) for k in _DOSSIER_FIELDS})
    info.update(Provenance.of(node).to_dict())
    locations = tuple(sorted((PathNode.of(a) for a in rows[0]["locations"] or ()),
                             key=lambda n: n.uid))
    return info, locations, PathNode.of(node)


def _parties(store: Store, uid: str) -> tuple[tuple[Party, ...], list[Row]]:
    """The parties, and the rows ``{party, party_to}`` they came from."""
    out = []
    rows = store.read("read/screening_parties", {"uid": uid})
    for row in rows:
        rel = row["party_to"]
        out.append(Party(
            entity=_ref(row["party"]),
            role=rel.get("role"),
            party_ref=rel.get("party_ref"),
            relative_to=rel.get("relative_to"),
            share_pct=rel.get("share_pct"),
            amount=rel.get("amount"),
            antecedenten_opgegeven=rel.get("antecedenten_opgegeven"),
            provenance=Provenance.of(rel),
        ))
    return tuple(out), rows


def _valid_on(rel: Mapping[str, Any], as_of: dt.date) -> bool:
    day = as_of.isoformat()
    start, end = rel.get("valid_from"), rel.get("valid_to")
    return (start is None or str(start) <= day) and (end is None or str(end) >= day)


def _extend(path: EvidencePath, rel: Row, node: PathNode) -> EvidencePath:
    """``path`` one step further: over ``rel`` (store shape, real direction) to ``node``."""
    return EvidencePath(path.nodes + (node,), path.relationships + (PathRelationship.of(rel),))


def _best(paths: list[EvidencePath], max_paths: int) -> list[EvidencePath]:
    return sorted(paths, key=lambda p: p.sort_key)[:max_paths]


@dataclass
class _Network:
    """The breadth-first walk: hops and paths of every entity reached (parties on hop 0)."""

    hops: dict[str, int]
    paths: dict[str, list[EvidencePath]]
    nodes: dict[str, Row]
    overflow: list[tuple[int, str, int, int]]  # (hop, via, hidden, total)
    hubs: list[tuple[int, str, int, int]]  # (hop, hub, behind, other applicants)


def _network(
    store: Store,
    dossier: PathNode,
    party_rows: Sequence[Row],
    as_of: dt.date,
    max_paths: int = MAX_PATHS,
    limit: int = MAX_NETWORK,
    per_node: int = NETWORK_PER_NODE,
    stop: Hubs | None = None,
) -> _Network:
    """Walk the art. 3 lid 4 relations from the parties, one hop per query (module doc).

    The walk starts from every party whose PARTY_TO is not a gemachtigde and is valid on
    ``as_of`` (path: dossier <- PARTY_TO - party). Each hop asks, for the entities of the
    previous hop, their neighbours not reached yet (at most ``per_node`` each, with the
    count of all); they join in turns until ``limit`` non-party entities are reached. A
    party that is not a start (a gemachtigde) is walked through but is no network entity
    and takes no place in the budget. A hub in ``stop`` (default the shipped list) is not
    walked through, unless it is an aanvrager: it is an end point, and a count says what
    lies behind it (``read/screening_hub_counts``).
    """
    stop = hubs_arg(stop)
    opened = sorted({str(r["party"]["uid"]) for r in party_rows
                     if r["party_to"].get("role") == "aanvrager"})
    hub_uids: dict[str, int] = {}  # hub -> its hop
    if not stop.empty:
        for row in party_rows:
            party = row["party"]
            if stop.matches(str(party["uid"]), party) and str(party["uid"]) not in opened:
                hub_uids.setdefault(str(party["uid"]), 0)
    party_uids = {str(r["party"]["uid"]) for r in party_rows}
    paths: dict[str, list[EvidencePath]] = {}
    nodes: dict[str, Row] = {}
    for row in party_rows:
        pt = row["party_to"]
        if pt.get("role") == "gemachtigde" or not _valid_on(pt, as_of):
            continue
        party = row["party"]
        # start and end by uid: a relationship returned without its nodes may lack them
        pt = {**pt, "_type": "PARTY_TO", "_start": party["uid"], "_end": dossier.uid}
        start = EvidencePath((dossier, PathNode.of(party)), (PathRelationship.of(pt),))
        paths.setdefault(str(party["uid"]), []).append(start)
        nodes[str(party["uid"])] = party
    paths = {u: _best(ps, max_paths) for u, ps in paths.items()}
    hops = dict.fromkeys(paths, 0)

    def join_twins(level: Sequence[str], hop: int) -> None:
        """Records confirmed to be the same as one of ``level`` (SAME_AS, a confirmed
        group: graph_service.risk.judgements) join on the same hop: one person, no step."""
        for row in store.read("read/review_twins", {"uids": sorted(level)}):
            uid = str(row["node"]["uid"])
            if uid in hops:
                continue
            node = PathNode.of(row["node"])
            rel = rel_from_row(row["rel"])
            nodes[uid], hops[uid] = row["node"], hop
            paths[uid] = _best([_extend(p, rel, node) for p in paths[str(row["uid"])]],
                               max_paths)

    join_twins(sorted(hops), 0)
    overflow: list[tuple[int, str, int, int]] = []
    cut: set[str] = set()  # entities of earlier hops with neighbours not shown
    shown = 0
    frontier = sorted(u for u in hops if u not in hub_uids)
    for hop in range(1, NETWORK_HOPS + 1):
        if not frontier:
            break
        budget = limit - shown
        rows = store.read("read/screening_network_step", {
            "uids": frontier, "open": opened, "seen": sorted(hops), "cut": sorted(cut),
            "as_of": as_of, "per_node": per_node if budget > 0 else 1, **stop.params()})
        totals: dict[str, int] = {}
        groups: dict[str, list[Row]] = {}
        for row in rows:
            totals[row["via"]] = int(row["total"])
            groups.setdefault(row["via"], []).append(row)
        if budget <= 0:  # no room left: only say how much lies behind the last hop
            overflow += [(hop, via, totals[via], totals[via]) for via in frontier
                         if totals.get(via)]
            break
        taken: dict[str, list[tuple[str, Row]]] = {}  # reached on this hop -> parents
        shown_via: dict[str, int] = {}
        ordered = [sorted(groups.get(via, []), key=lambda r: str(r["node"]["uid"]))
                   for via in frontier]
        for row in round_robin(ordered):
            uid, via = str(row["node"]["uid"]), row["via"]
            if uid not in taken:
                if uid not in party_uids:
                    if shown >= limit:
                        continue  # the budget is spent: not shown
                    shown += 1
                taken[uid] = []
                nodes[uid] = row["node"]
                if row.get("hub") and uid not in opened:
                    hub_uids.setdefault(uid, hop)
            shown_via[via] = shown_via.get(via, 0) + 1
            taken[uid] += [(via, rel_from_row(r)) for r in row["rels"]]
        for via in frontier:
            hidden = totals.get(via, 0) - shown_via.get(via, 0)
            if hidden > 0:
                overflow.append((hop, via, hidden, totals[via]))
                cut.add(via)
        for uid, parents in taken.items():
            node = PathNode.of(nodes[uid])
            hops[uid] = hop
            paths[uid] = _best([_extend(p, rel, node) for via, rel in parents
                                for p in paths[via]], max_paths)
        before = set(hops)
        join_twins(sorted(taken), hop)
        frontier = sorted(u for u in (*taken, *(set(hops) - before)) if u not in hub_uids)
    return _Network(hops, paths, nodes, overflow,
                    _behind_hubs(store, hub_uids, hops, as_of, dossier.uid))


def _behind_hubs(store: Store, hub_uids: Mapping[str, int], hops: Mapping[str, int],
                 as_of: dt.date, dossier: str) -> list[tuple[int, str, int, int]]:
    """Per hub reached: (hop, uid, neighbours behind it not in the report, of those the
    parties of another dossier)."""
    if not hub_uids:
        return []
    rows = store.read("read/screening_hub_counts", {
        "uids": sorted(hub_uids), "seen": sorted(hops), "as_of": as_of,
        "dossier": dossier})
    counts = {r["via"]: (int(r["behind"]), int(r["applicants"])) for r in rows}
    return sorted((hop, u, *counts.get(u, (0, 0))) for u, hop in hub_uids.items())


def _relations(
    store: Store, uid: str, as_of: dt.date
) -> tuple[tuple[DeclaredRelation, ...], tuple[UndeclaredRelation, ...]]:
    officers = store.read("read/screening_officers", {"uid": uid, "as_of": as_of})
    kvk_pairs = set()
    undeclared = []
    for row in officers:
        path = EvidencePath.of(row["path"])
        org, officer = path.nodes[0], path.nodes[1]
        rel = path.relationships[0]
        kvk_pairs.add((officer.uid, org.uid))
        if row["declared"]:
            continue
        undeclared.append(UndeclaredRelation(
            officer=EntityRef(officer.uid, officer.label, officer.name,
                              officer.properties.get("geboortedatum")),
            organisation=EntityRef(org.uid, org.label, org.name),
            role=rel.properties.get("role"),
            valid_from=rel.properties.get("valid_from"),
            valid_to=rel.properties.get("valid_to"),
            officer_is_party=bool(row["officer_is_party"]),
            reason="relatie_niet_opgegeven" if row["officer_is_party"]
            else "functionaris_geen_partij",
            path=path,
        ))
    declared = []
    for row in store.read("read/screening_declared", {"uid": uid}):
        path = EvidencePath.of(row["path"])
        a, b = path.nodes
        rel = path.relationships[0]
        role = rel.properties.get("role")
        confirmed = None
        if rel.type == "BIBOB_RELATION" and b.label == "Organisation" and role in KVK_ROLES:
            confirmed = (a.uid, b.uid) in kvk_pairs
        declared.append(DeclaredRelation(
            start=EntityRef(a.uid, a.label, a.name, a.properties.get("geboortedatum")),
            type=rel.type,
            role=role if rel.type != "FINANCES" else "vermogensverschaffer",
            end=EntityRef(b.uid, b.label, b.name, b.properties.get("geboortedatum")),
            amount=rel.properties.get("amount"),
            share_pct=rel.properties.get("share_pct"),
            kvk_confirmed=confirmed,
            path=path,
        ))
    return tuple(declared), tuple(undeclared)


def _signals(store: Store, net: _Network, as_of: dt.date, refs: Mapping[str, EntityRef],
             max_paths: int = MAX_PATHS) -> tuple[SignalFinding, ...]:
    """Signals on the parties (hop 0) and the network entities reached, with their paths
    (the entity's paths one step further, to the signal)."""
    out = []
    rows = store.read("read/screening_signals", {"uids": sorted(net.hops), "as_of": as_of})
    for row in rows:
        uid = row["subject"]
        if uid not in net.hops or uid not in refs:
            continue
        signal = PathNode.of(row["signal"])
        rel = rel_from_row(row["rel"])
        paths = tuple(_best([_extend(p, rel, signal) for p in net.paths[uid]], max_paths))
        out.append(SignalFinding(signal, refs[uid], row.get("role"), net.hops[uid], paths))
    out.sort(key=lambda f: (f.hops, f.signal.uid, f.subject.uid, f.role is None, f.role or "",
                            f.paths[0].sort_key if f.paths else ()))
    return tuple(out)


def _location_signals(store: Store, uid: str, as_of: dt.date,
                      refs: Mapping[str, EntityRef]) -> tuple[SignalFinding, ...]:
    out = []
    for row in store.read("read/screening_location_signals", {"uid": uid, "as_of": as_of}):
        paths = tuple(sorted((EvidencePath.of(v) for v in row["paths"]),
                             key=lambda p: p.sort_key))
        signal = next(n for n in paths[0].nodes if n.uid == row["signal"])
        subject = refs.get(row["subject"]) or next(
            EntityRef(n.uid, n.label, n.name, n.properties.get("geboortedatum"))
            for n in paths[0].nodes if n.uid == row["subject"])
        out.append(SignalFinding(signal, subject, row.get("role"), int(row["hops"]), paths))
    return tuple(out)


def _not_evaluated(store: Store, absent: Sequence[Absent]) -> dict[str, tuple[str, ...]]:
    """Per purpose class left out, the codes of the indicators that rest on it."""
    out: dict[str, tuple[str, ...]] = {}
    for a in absent:
        pattern = RESTS_ON.get(a.purpose_class)
        if pattern is not None:
            out[a.purpose_class] = tuple(
                i.code for i in list_indicators(store.registry)
                if pattern.search(store.registry.get(i.statement).text))
    return out


def screen(
    store: Store,
    dossier_id: str,
    as_of: dt.date | None = None,
    thresholds: ThresholdsByCode | None = None,
    hubs: Hubs | str | bool | None = None,
) -> ScreeningReport:
    """Screen one Bibob dossier on ``as_of`` (default today).

    Parameters
    ----------
    store : the graph.
    dossier_id : ``2025-0012`` or its uid ``dossier:2025-0012``.
    as_of : evaluation date for validity, activity and signal retention.
    thresholds : indicator threshold overrides by code (see :func:`graph_service.risk.risk`).
    hubs : the hubs the network walk does not pass (:func:`graph_service.model.hubs.hubs_arg`;
        default the shipped list, ``"door"`` walks through them).

    Raises
    ------
    NotFound : no such dossier.
    """
    as_of = as_of or dt.date.today()
    uid = dossier_uid(dossier_id)
    dossier, locations, dossier_node = _dossier(store, uid)
    parties, party_rows = _parties(store, uid)
    declared, undeclared = _relations(store, uid, as_of)
    net = _network(store, dossier_node, party_rows, as_of, stop=hubs_arg(hubs))
    refs = {p.entity.uid: p.entity for p in parties}
    party_uids = set(refs)
    for u, node in net.nodes.items():
        refs.setdefault(u, _ref(node))
    hub_set = {u for _, u, _, _ in net.hubs}
    network = tuple(sorted((NetworkEntity(refs[u], h, tuple(net.paths[u]), u in hub_set)
                            for u, h in net.hops.items() if u not in party_uids),
                           key=lambda n: (n.hops, n.entity.uid)))
    overflow = tuple(NetworkOverflow(hop, refs[via], hidden, total)
                     for hop, via, hidden, total in net.overflow)
    signals = _signals(store, net, as_of, refs)
    location_signals = _location_signals(store, uid, as_of, refs)
    # the dossier's, the parties' and the network's hits in one go (stored hits: one
    # read of their state and one of the hits)
    dossier_ref = EntityRef(dossier_node.uid, dossier_node.label, dossier_node.name)
    found: list[Hit] = hits_on_groups(store, [
        ([dossier_ref], MAX_PATHS),
        ([p.entity for p in parties], MAX_PATHS),
        ([n.entity for n in network if n.entity.uid not in party_uids], NETWORK_HIT_PATHS),
    ], as_of, thresholds)
    absent = absent_sources(access.current())
    return ScreeningReport(
        dossier=dossier,
        locations=locations,
        as_of=as_of,
        parties=parties,
        declared_relations=declared,
        undeclared_relations=undeclared,
        network=network,
        signals=signals,
        location_signals=location_signals,
        hits=tuple(found),
        network_overflow=overflow,
        absent_sources=absent,
        not_evaluated=_not_evaluated(store, absent),
        hubs=tuple(HubEnd(refs[u], hop, behind, applicants)
                   for hop, u, behind, applicants in net.hubs),
    )
