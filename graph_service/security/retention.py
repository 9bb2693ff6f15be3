"""Retention: what is past its keeping period goes, source by source, fact by fact.

Every node and relationship carries the sources and source records that asserted it
(docs/graph-model.md, "Provenance"). Retention works on that provenance:

* **riec**, per record: a signal is expired when ``bewaren_tot`` < today; a signal without
  ``bewaren_tot`` is kept ``years`` after its ``ontvangstdatum``. Its record
  ``riec:<signaal_id>`` expires with it, on every fact that carries it.
* **bibob**, per record: a dossier is expired ``years`` after it was last seen in a Bibob
  extract (``last_seen``); every record ``bibob:<dossier_id>/...`` expires with it.
* **kvk**, **vakantieparken**, **schuren**, per fact: the source expires on a fact last seen
  more than ``years`` ago (``last_seen`` is per fact, not per source: a fact another source
  still confirms is kept longer, never shorter).
* **unseen**: a node that full extracts left unseen by every source of it
  (``unseen_since``, ``loaders.runs``) loses all its sources on or after that day, and goes.

A fact that loses all its sources is deleted (a node with every relationship it still
has); a fact that keeps another source keeps its properties and loses only the expired
sources, records and purpose classes. Expired signals and dossiers go in any case, last,
so an interrupted run is completed by the next one.

Watchlists and alerts (``Watch`` and ``Alert`` nodes, graph_service.risk.watch) follow the
retention of their case (:data:`WATCH_SOURCES`): a watch of a Bibob dossier goes with its
alerts when the dossier expires, a watch of a RIEC case when every signal of the case
(``casus_id``) has expired; a watch whose dossier or case is not (or no longer) in the
graph goes once it is older than the period of its source. An alert goes once it is older
than that period, whatever its watch. The periods are configurable
proposals, not law (docs/security.md, "Retention"): ``ONDERGRAAF_RETENTION`` names a JSON
file such as ``{"bibob": {"years": 2}, "kvk": {"years": 7}}``; a source it leaves out keeps
its default.

:func:`plan` only reads; :func:`apply` deletes what the plan found (each write checks that
the fact's source records are still what the plan saw) and writes an audit record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import env_value
from ..errors import ConfigError
from ..model import SOURCES
from ..store import Counters, Store
from .audit import Actor, AuditTrail

__all__ = [
    "DEFAULT_YEARS",
    "RECORD_SOURCES",
    "RetentionPolicy",
    "RetentionPlan",
    "NodeChange",
    "RelChange",
    "WATCH_SOURCES",
    "plan",
    "apply",
]

#: Keeping period per source in years, from the model file (``retention`` of every source;
#: riec: only for signals without bewaren_tot, counted from ontvangstdatum).
DEFAULT_YEARS: dict[str, int] = {name: s.retention_years for name, s in SOURCES.items()}
#: Sources whose retention goes per record (the signal, the dossier), not per fact.
RECORD_SOURCES: tuple[str, ...] = tuple(
    name for name, s in SOURCES.items() if s.retention == "record")
ANCHOR_LABELS = ("Signal", "BibobDossier")  # deleted last: they decide their records' expiry
#: The purposes whose reference can follow entities, and the source whose retention their
#: watches and alerts follow (the dossier's for bibob_toets, the case's signals for
#: riec_casus).
WATCH_SOURCES: dict[str, str] = {"bibob_toets": "bibob", "riec_casus": "riec"}


@dataclass(frozen=True)
class RetentionPolicy:
    """Keeping periods in years per source."""

    years: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_YEARS))

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None) -> RetentionPolicy:
        """Defaults, overridden by the JSON that ``ONDERGRAAF_RETENTION`` names (or holds)."""
        spec = env_value("RETENTION", env).strip()
        if not spec:
            return cls()
        try:
            text = spec if spec.startswith("{") else Path(spec).expanduser().read_text(
                encoding="utf-8")
            data = json.loads(text)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"ONDERGRAAF_RETENTION: {exc}") from exc
        return cls.from_mapping(data)

    @classmethod
    def from_mapping(cls, data: object) -> RetentionPolicy:
        """``{"<source>": {"years": N}}`` (or ``{"<source>": N}``) over the defaults."""
        if not isinstance(data, dict):
            raise ConfigError("ONDERGRAAF_RETENTION: verwacht een JSON-object per bron")
        years = dict(DEFAULT_YEARS)
        for source, value in data.items():
            if source not in SOURCES:
                raise ConfigError(f"ONDERGRAAF_RETENTION: onbekende bron {source!r}")
            n = value.get("years") if isinstance(value, dict) else value
            if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 100:
                raise ConfigError(
                    f"ONDERGRAAF_RETENTION: {source}.years moet een heel getal 1-100 zijn")
            years[source] = n
        return cls(years)

    def cutoff(self, source: str, today: dt.date) -> dt.date:
        """The date before which ``source`` is expired (``years`` before ``today``)."""
        n = self.years[source]
        try:
            return today.replace(year=today.year - n)
        except ValueError:  # 29 February
            return today.replace(year=today.year - n, day=28)


@dataclass(frozen=True)
class NodeChange:
    """An entity node to delete or to prune, with the provenance it keeps."""

    uid: str
    label: str
    before: tuple[str, ...]
    sources: tuple[str, ...] = ()
    source_records: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()

    def row(self) -> dict[str, Any]:
        return {"uid": self.uid, "before": list(self.before), "sources": list(self.sources),
                "source_records": list(self.source_records), "purposes": list(self.purposes)}


@dataclass(frozen=True)
class RelChange:
    """A relationship to delete or to prune, keyed by start, type, end and key."""

    start: str
    type: str
    end: str
    key: str
    before: tuple[str, ...]
    sources: tuple[str, ...] = ()
    source_records: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()

    @property
    def ident(self) -> tuple[str, str, str, str]:
        return (self.start, self.type, self.end, self.key)

    def row(self) -> dict[str, Any]:
        return {"start": self.start, "type": self.type, "end": self.end, "key": self.key,
                "before": list(self.before), "sources": list(self.sources),
                "source_records": list(self.source_records), "purposes": list(self.purposes)}


@dataclass
class RetentionPlan:
    """What retention removes on ``today``; after :func:`apply`, also what it did."""

    today: dt.date
    policy: RetentionPolicy
    expired_signals: list[str] = field(default_factory=list)
    expired_dossiers: list[str] = field(default_factory=list)
    delete_nodes: list[NodeChange] = field(default_factory=list)
    prune_nodes: list[NodeChange] = field(default_factory=list)
    delete_relationships: list[RelChange] = field(default_factory=list)
    prune_relationships: list[RelChange] = field(default_factory=list)
    expired_watches: list[str] = field(default_factory=list)  # with their alerts
    expired_alerts: list[str] = field(default_factory=list)  # older than their period
    applied: bool = False
    counters: Counters | None = None

    @property
    def empty(self) -> bool:
        return not (self.delete_nodes or self.prune_nodes or self.delete_relationships
                    or self.prune_relationships or self.expired_watches
                    or self.expired_alerts)

    def deleted_uids(self) -> list[str]:
        return [n.uid for n in self.delete_nodes]

    def pruned_uids(self) -> list[str]:
        return [n.uid for n in self.prune_nodes]

    def counts(self) -> dict[str, dict[str, int]]:
        """Per label (nodes) and per type (relationships), deleted and pruned."""
        return {
            "nodes_deleted": dict(sorted(Counter(n.label for n in self.delete_nodes).items())),
            "nodes_pruned": dict(sorted(Counter(n.label for n in self.prune_nodes).items())),
            "relationships_deleted": dict(sorted(
                Counter(r.type for r in self.delete_relationships).items())),
            "relationships_pruned": dict(sorted(
                Counter(r.type for r in self.prune_relationships).items())),
        }

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "today": self.today.isoformat(),
            "applied": self.applied,
            "years": dict(self.policy.years),
            "cutoffs": {s: self.policy.cutoff(s, self.today).isoformat()
                        for s in self.policy.years},
            "expired_signals": self.expired_signals,
            "expired_dossiers": self.expired_dossiers,
            "expired_watches": self.expired_watches,
            "expired_alerts": len(self.expired_alerts),
            **self.counts(),
            "deleted_uids": self.deleted_uids(),
            "pruned_uids": self.pruned_uids(),
        }
        if self.counters is not None:
            out["counters"] = self.counters.as_dict()
        return out


def _criteria(store: Store, today: dt.date, policy: RetentionPolicy,
              result: RetentionPlan) -> tuple[dict[str, Any], dict[str, NodeChange]]:
    """The parameters of read/retention_nodes and read/retention_relationships, and the
    expired signals and dossiers (to delete in any case) by uid."""
    signals = store.read("read/retention_expired_signals", {
        "today": today, "default_cutoff": policy.cutoff("riec", today)})
    dossiers = store.read("read/retention_expired_dossiers", {
        "cutoff": policy.cutoff("bibob", today)})
    result.expired_signals = [s["uid"] for s in signals]
    result.expired_dossiers = [d["uid"] for d in dossiers]
    records = {f"riec:{s['signaal_id']}" for s in signals if s["signaal_id"]}
    records |= {r for s in signals for r in s["source_records"] if r.startswith("riec:")}
    anchors = {s["uid"]: NodeChange(s["uid"], "Signal", _t(s["source_records"]))
               for s in signals}
    anchors.update({d["uid"]: NodeChange(d["uid"], "BibobDossier", _t(d["source_records"]))
                    for d in dossiers})
    return {
        "expired_records": sorted(records),
        "expired_prefixes": sorted(f"bibob:{d['dossier_id']}/" for d in dossiers
                                   if d["dossier_id"]),
        "aged": [{"source": s, "cutoff": policy.cutoff(s, today).isoformat()}
                 for s in sorted(policy.years) if s not in RECORD_SOURCES],
        "record_sources": list(RECORD_SOURCES),
        "purpose_of": [{"source": s.name, "purpose": s.purpose_class}
                       for s in SOURCES.values()],
    }, anchors


def _watches(store: Store, today: dt.date, policy: RetentionPolicy,
             result: RetentionPlan) -> None:
    """The watches whose case's retention ended and the alerts past their period
    (:data:`WATCH_SOURCES`; the module doc), into ``result``."""
    cutoffs = {p: policy.cutoff(s, today).isoformat() for p, s in WATCH_SOURCES.items()}
    watches = [w for w in store.read("read/retention_watches") if w["purpose"] in cutoffs]
    refs = {p: sorted({str(w["reference"]) for w in watches if w["purpose"] == p})
            for p in WATCH_SOURCES}
    anchors: dict[tuple[str, str], set[str]] = {}
    if watches:
        for row in store.read("read/retention_case_anchors", {
                "dossiers": refs["bibob_toets"], "cases": refs["riec_casus"]}):
            anchors.setdefault((row["purpose"], str(row["reference"])), set()).add(row["uid"])
    expired = set(result.expired_dossiers) | set(result.expired_signals)
    for w in watches:
        found = anchors.get((w["purpose"], str(w["reference"])), set())
        if (found and found <= expired) or (
                not found and str(w["created"] or "") < cutoffs[w["purpose"]]):
            result.expired_watches.append(w["uid"])
    going = set(result.expired_watches)
    result.expired_alerts = [a["uid"] for a in store.read("read/retention_old_alerts", {
        "cutoffs": [{"purpose": p, "cutoff": c} for p, c in sorted(cutoffs.items())]})
        if a["watch"] not in going]


def _t(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (value or []))


def plan(store: Store, today: dt.date | None = None,
         policy: RetentionPolicy | None = None) -> RetentionPlan:
    """What retention would remove on ``today`` (default: the real today); reads only."""
    today = today or dt.date.today()
    policy = policy or RetentionPolicy.load()
    result = RetentionPlan(today, policy)
    params, anchors = _criteria(store, today, policy, result)

    delete: dict[str, NodeChange] = {}
    # a node a full extract left unseen by every source goes (loaders.runs)
    for row in store.read("read/retention_nodes",
                          {**params, "unseen_before": today.isoformat()}):
        change = NodeChange(row["uid"], row["label"] or "", _t(row["before"]),
                            _t(row["sources"]), _t(row["source_records"]),
                            _t(row["purposes"]))
        if not change.sources or change.uid in anchors:
            delete[change.uid] = NodeChange(change.uid, change.label, change.before)
        else:
            result.prune_nodes.append(change)
    for uid, anchor in anchors.items():  # an expired signal or dossier goes in any case
        delete.setdefault(uid, anchor)
    result.delete_nodes = sorted(delete.values(),
                                 key=lambda n: (n.label in ANCHOR_LABELS, n.uid))

    doomed = [n.uid for n in result.delete_nodes]
    rel_delete: dict[tuple[str, str, str, str], RelChange] = {}
    rel_prune: dict[tuple[str, str, str, str], RelChange] = {}
    for row in store.read("read/retention_relationships", params):
        rel = RelChange(row["start"], row["type"], row["end"], row["key"],
                        _t(row["before"]), _t(row["sources"]), _t(row["source_records"]),
                        _t(row["purposes"]))
        if rel.sources:
            rel_prune[rel.ident] = rel
        else:
            rel_delete[rel.ident] = RelChange(*rel.ident, rel.before)
    if doomed:
        for row in store.read("read/retention_attached", {"uids": doomed}):
            ident = (row["start"], row["type"], row["end"], row["key"])
            rel_prune.pop(ident, None)
            rel_delete.setdefault(ident, RelChange(*ident, _t(row["before"])))
    result.delete_relationships = sorted(rel_delete.values(), key=lambda r: r.ident)
    result.prune_relationships = sorted(rel_prune.values(), key=lambda r: r.ident)
    _watches(store, today, policy, result)
    return result


def apply(
    store: Store,
    today: dt.date | None = None,
    policy: RetentionPolicy | None = None,
    *,
    audit: AuditTrail | None = None,
    actor: Actor | None = None,
) -> RetentionPlan:
    """Remove what :func:`plan` finds, and write an audit record (action ``retention``).

    Order: relationships, then nodes other than signals and dossiers, then provenance
    pruning, then the expired signals and dossiers themselves: a run that stops halfway
    leaves the anchors in place, so the next run finds the rest. ``audit`` defaults to the
    service's audit trail; it is checked before anything is deleted.
    """
    audit = audit or AuditTrail.open()
    audit.check_appendable()
    actor = actor or Actor("systeem", ("admin",))
    result = plan(store, today, policy)
    counters = Counters()
    outcome = "error"
    try:
        if result.expired_watches:  # first: a case's alerts go before the facts they name
            counters.add(store.write_rows("write/retention_delete_watches",
                                          [{"uid": u} for u in result.expired_watches]))
        if result.expired_alerts:
            counters.add(store.write_rows("write/retention_delete_alerts",
                                          [{"uid": u} for u in result.expired_alerts]))
        if result.delete_relationships:
            counters.add(store.write_rows("write/retention_delete_relationships",
                                          [r.row() for r in result.delete_relationships]))
        others = [n for n in result.delete_nodes if n.label not in ANCHOR_LABELS]
        anchors = [n for n in result.delete_nodes if n.label in ANCHOR_LABELS]
        if others:
            counters.add(store.write_rows("write/retention_delete_nodes",
                                          [n.row() for n in others]))
        if result.prune_relationships:
            counters.add(store.write_rows("write/retention_prune_relationships",
                                          [r.row() for r in result.prune_relationships]))
        if result.prune_nodes:
            counters.add(store.write_rows("write/retention_prune_nodes",
                                          [n.row() for n in result.prune_nodes]))
            persons = [{"uid": n.uid} for n in result.prune_nodes if n.label == "Person"]
            if persons:  # derived from the persons' purposes: derive again
                counters.add(store.write_rows("write/retention_refresh_pairs", persons))
        if anchors:
            counters.add(store.write_rows("write/retention_delete_nodes",
                                          [n.row() for n in anchors]))
        if result.deleted_uids():  # the changes waiting for a hit refresh name them too
            store.write("write/hits_pending_set", {"keep": False, "base": 0, "to": 0,
                                                   "touched": [], "removed": []})
        result.applied, result.counters = True, counters
        outcome = "ok"
    finally:
        audit.record(
            actor, "retention",
            {"name": "retention apply", "params": {"today": result.today.isoformat()},
             "years": dict(result.policy.years), **result.counts(),
             "relationships": [list(r.ident) for r in result.delete_relationships],
             "watches_deleted": result.expired_watches,
             "alerts_deleted": len(result.expired_alerts),
             "counters": counters.as_dict()},
            purpose="beheer", uids=result.deleted_uids() + result.pruned_uids(),
            outcome=outcome)
    return result
