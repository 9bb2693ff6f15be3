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
* Signals are those visible on ``as_of``: received on or before it and not past their
  ``bewaren_tot``; any concerns role is listed (with the role).
* A gemachtigde (representative) is listed as a party, but is not a relation in the sense
  of art. 3 lid 4: the network is not followed from a gemachtigde or through a declared
  gemachtigde relation (the same rule as indicator BIBOB_RELATED_SIGNAL).
* Undeclared relations: an active KvK functionaris (FUNCTIONARY_OF valid on ``as_of``) of
  a party organisation who is not a party (``functionaris_geen_partij``), or who is a
  party but whose relation to that organisation the dossier does not declare
  (``relatie_niet_opgegeven``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import NotFound
from .evidence import EntityRef, EvidencePath, PathNode, Provenance, fetch_entities, primary_label
from .indicators import MAX_PATHS
from .risk import Hit, ThresholdsByCode, hits_on_entities, hits_on_entity
from .store import Store

__all__ = [
    "DeclaredRelation",
    "NetworkEntity",
    "Party",
    "ScreeningReport",
    "SignalFinding",
    "UndeclaredRelation",
    "dossier_uid",
    "screen",
]

KVK_ROLES = frozenset({"bestuurder", "aandeelhouder", "enig_aandeelhouder", "commissaris",
                       "gevolmachtigde", "vennoot", "uiteindelijk_belanghebbende"})
_DOSSIER_FIELDS = ("dossier_id", "gemeentecode", "aanvraagdatum", "vergunning_type",
                   "activiteit", "advies", "besluit", "besluit_datum")


def dossier_uid(dossier_id: str) -> str:
    """``2025-0012`` or ``dossier:2025-0012`` -> ``dossier:2025-0012``."""
    text = dossier_id.strip()
    return text if text.startswith("dossier:") else f"dossier:{text}"


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

    def to_dict(self) -> dict[str, Any]:
        return {**self.entity.to_dict(), "hops": self.hops,
                "paths": [p.to_dict() for p in self.paths]}


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

    @property
    def uid(self) -> str:
        return str(self.dossier["uid"])

    def summary(self) -> dict[str, Any]:
        return {
            "parties": len(self.parties),
            "declared_relations": len(self.declared_relations),
            "undeclared_relations": len(self.undeclared_relations),
            "network": len(self.network),
            "signals": len(self.signals),
            "location_signals": len(self.location_signals),
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
            "signals": [s.to_dict() for s in self.signals],
            "location_signals": [s.to_dict() for s in self.location_signals],
            "hits": [h.to_dict() for h in self.hits],
        }


# -- building the report ------------------------------------------------------------------------
def _dossier(store: Store, uid: str) -> tuple[dict[str, Any], tuple[PathNode, ...]]:
    rows = store.read("read/screening_dossier", {"uid": uid})
    if not rows:
        raise NotFound(f"geen Bibob-dossier {uid!r}")
    node = rows[0]["dossier"]
    info: dict[str, Any] = {"uid": node["uid"], "name": node.get("name")}
    info.update({k: node.get(k) for k in _DOSSIER_FIELDS})
    info.update(Provenance.of(node).to_dict())
    locations = tuple(sorted((PathNode.of(a) for a in rows[0]["locations"] or ()),
                             key=lambda n: n.uid))
    return info, locations


def _parties(store: Store, uid: str) -> tuple[Party, ...]:
    out = []
    for row in store.read("read/screening_parties", {"uid": uid}):
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
    return tuple(out)


def _paths(values: Sequence[Mapping[str, Any]]) -> tuple[EvidencePath, ...]:
    return tuple(sorted((EvidencePath.of(v) for v in values), key=lambda p: p.sort_key))


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


def _signals(store: Store, statement: str, params: Mapping[str, Any],
             refs: Mapping[str, EntityRef]) -> tuple[SignalFinding, ...]:
    out = []
    for row in store.read(statement, params):
        paths = _paths(row["paths"])
        signal = next(n for n in paths[0].nodes if n.uid == row["signal"])
        subject = refs.get(row["subject"]) or next(
            EntityRef(n.uid, n.label, n.name, n.properties.get("geboortedatum"))
            for n in paths[0].nodes if n.uid == row["subject"])
        out.append(SignalFinding(signal, subject, row.get("role"), int(row["hops"]), paths))
    return tuple(out)


def screen(
    store: Store,
    dossier_id: str,
    as_of: dt.date | None = None,
    thresholds: ThresholdsByCode | None = None,
) -> ScreeningReport:
    """Screen one Bibob dossier on ``as_of`` (default today).

    Parameters
    ----------
    store : the graph.
    dossier_id : ``2025-0012`` or its uid ``dossier:2025-0012``.
    as_of : evaluation date for validity, activity and signal retention.
    thresholds : indicator threshold overrides by code (see :func:`graph_service.risk.risk`).

    Raises
    ------
    NotFound : no such dossier.
    """
    as_of = as_of or dt.date.today()
    uid = dossier_uid(dossier_id)
    dossier, locations = _dossier(store, uid)
    parties = _parties(store, uid)
    declared, undeclared = _relations(store, uid, as_of)
    params = {"uid": uid, "as_of": as_of, "max_paths": MAX_PATHS}
    network_rows = store.read("read/screening_network", params)
    refs = {p.entity.uid: p.entity for p in parties}
    refs.update(fetch_entities(store, [r["uid"] for r in network_rows]))
    network = tuple(NetworkEntity(refs[r["uid"]], int(r["hops"]), _paths(r["paths"]))
                    for r in network_rows if r["uid"] in refs)
    signals = _signals(store, "read/screening_signals", params, refs)
    location_signals = _signals(store, "read/screening_location_signals",
                                {"uid": uid, "as_of": as_of}, refs)
    found: list[Hit] = list(hits_on_entity(store, uid, as_of, thresholds))
    others = {e.uid: e for e in [*(p.entity for p in parties), *(n.entity for n in network)]}
    found += hits_on_entities(store, list(others.values()), as_of, thresholds)
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
    )
