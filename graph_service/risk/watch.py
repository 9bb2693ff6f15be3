"""Watchlists and alerts: a case follows entities, and each load says what changed near them.

A RIEC case (purpose ``riec_casus``) or a Bibob dossier (``bibob_toets``) follows an
entity (:func:`follow`; ``ondergraaf volg``) with a depth: the entity and everything within
that many steps of it. After every load (:func:`update_after_load`, called by ``ondergraaf
load`` after the hit refresh) the neighbourhood of every followed entity is read again and
compared with what was there after the previous load; each difference is an alert:

``hit_new`` / ``hit_ended``       an indicator fires, or no longer fires, on an entity
``signal_new``                    a RIEC signal concerns an entity
``role_new`` / ``role_ended``     a KvK functie (FUNCTIONARY_OF) starts, or ends (valid_to)
``address_new``                   an entity is registered at, or resides at, an address

An alert keeps the access scopes (:data:`graph_service.risk.stored.SCOPES`) that see the
facts it rests on: for a hit, the scopes whose stored hits hold it; for a fact, the scopes
that see the fact and both its ends. A reader gets only the alerts whose scopes hold its
own purpose classes (:func:`alerts`), decided when it reads, so a role that may not see
signals never sees a signal alert. Reading is audited by the caller (the CLI's audited
session; on the web, the audit of every data route: graph_service.web.alerts). Watches and
alerts expire with their case (graph_service.security.retention, WATCH_SOURCES). The graph
stores ``Watch`` nodes (one per purpose, reference and entity, with the last snapshot as
JSON) and ``Alert`` nodes.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidParams, NotFound
from ..store import Store, access
from . import stored
from .recorder import ChangeRecorder, refresh_after_load

__all__ = ["FOLLOW_PURPOSES", "Alert", "alerts", "follow", "unfollow", "update_after_load"]

#: The purposes whose reference (case or dossier number) can follow entities.
FOLLOW_PURPOSES = ("riec_casus", "bibob_toets")
MAX_DEPTH = 3
#: At most this many entities in one followed neighbourhood (a hub is cut, by uid).
MAX_NEIGHBOURHOOD = 2_000
FACT_TYPES = ("CONCERNS", "FUNCTIONARY_OF", "REGISTERED_AT", "RESIDES_AT")

Item = tuple[str, ...]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _watch_uid(purpose: str, reference: str, uid: str) -> str:
    return f"watch:{purpose}:{reference}:{uid}"


def follow(store: Store, uid: str, purpose: str, reference: str, depth: int = 2,
           by: str = "") -> dict[str, Any]:
    """Follow entity ``uid`` for ``purpose`` and ``reference`` up to ``depth`` steps; the
    current neighbourhood is the starting point (no alerts for what is there already)."""
    if purpose not in FOLLOW_PURPOSES:
        raise InvalidParams(f"volgen kan voor {' of '.join(FOLLOW_PURPOSES)}, niet {purpose!r}")
    if not 0 <= depth <= MAX_DEPTH:
        raise InvalidParams(f"diepte ligt tussen 0 en {MAX_DEPTH}")
    if not store.read("read/hits_labels", {"uids": [uid]}):
        raise NotFound(f"geen entiteit met uid {uid!r}")
    snapshot = _snapshot(store, uid, depth)
    row = {"uid": _watch_uid(purpose, reference, uid), "purpose": purpose,
           "reference": reference, "subject": uid, "depth": depth, "created": _now(),
           "by": by, "snapshot": json.dumps(sorted(snapshot.items()))}
    store.write_rows("write/watch_merge", [row])
    return {k: v for k, v in row.items() if k != "snapshot"}


def unfollow(store: Store, uid: str, purpose: str, reference: str) -> bool:
    """Stop following; its alerts go with it. False when it was not followed."""
    return store.write("write/watch_delete", {
        "uid": _watch_uid(purpose, reference, uid)}).nodes_deleted > 0


def _neighbourhood(store: Store, uid: str, depth: int) -> list[str]:
    seen = {uid}
    frontier = [uid]
    for _ in range(depth):
        found = {r["uid"] for r in store.read("read/watch_neighbours", {"uids": frontier})}
        frontier = sorted(found - seen)[:max(0, MAX_NEIGHBOURHOOD - len(seen))]
        seen |= set(frontier)
        if not frontier:
            break
    return sorted(seen)


def _scopes_seeing(*facts: Mapping[str, Any]) -> list[str]:
    today = access.today().isoformat()
    out = []
    for visible in stored.SCOPES:
        if all(stored._fact(f).seen_by(visible, today) for f in facts):
            out.append(stored.scope_key(visible))
    return out


def _snapshot(store: Store, uid: str, depth: int) -> dict[Item, list[str]]:
    """Every item near ``uid`` with the scopes that see it."""
    uids = _neighbourhood(store, uid, depth)
    items: dict[Item, list[str]] = {}
    as_of = access.today().isoformat()
    for r in store.read("read/watch_facts", {"uids": uids, "types": list(FACT_TYPES)}):
        node = {"purposes": r["purposes"], "bewaren_tot": r["bewaren_tot"]}
        rel = {"purposes": r["rel_purposes"], "bewaren_tot": r["rel_bewaren_tot"]}
        other = {"purposes": r["other_purposes"], "bewaren_tot": r["other_bewaren_tot"]}
        seen = _scopes_seeing(node, rel, other)
        if r["type"] == "CONCERNS" and r["end"] == r["uid"]:
            items[("signal_new", r["start"], r["uid"])] = seen
        elif r["type"] == "FUNCTIONARY_OF":
            current = r.get("valid_to") is None or str(r["valid_to"]) >= as_of
            if current:
                items[("role", r["start"], str(r.get("role") or ""), r["end"])] = seen
        elif r["type"] in ("REGISTERED_AT", "RESIDES_AT") and r["start"] == r["uid"]:
            items[("address_new", r["uid"], r["end"])] = seen
    keys = {stored.scope_key(v) for v in stored.SCOPES}
    for chunk in range(0, len(uids), stored.REFRESH_BATCH):
        for h in store.read("read/watch_hits", {"uids": uids[chunk:chunk + stored.REFRESH_BATCH]}):
            if h["scope"] in keys:
                items.setdefault(("hit", h["code"], h["uid"]), []).append(h["scope"])
    for seen in items.values():
        seen.sort()
    return items


@dataclass(frozen=True)
class Alert:
    """One change near a followed entity."""

    uid: str
    purpose: str
    reference: str
    followed: str
    kind: str
    about: tuple[str, ...]
    created: str
    run: str | None
    read: bool

    def to_dict(self) -> dict[str, Any]:
        return {"uid": self.uid, "purpose": self.purpose, "reference": self.reference,
                "followed": self.followed, "kind": self.kind, "about": list(self.about),
                "created": self.created, "run": self.run, "read": self.read}


def _alerts_from(before: Mapping[Item, list[str]], after: Mapping[Item, list[str]]
                 ) -> list[tuple[str, Item, list[str]]]:
    out: list[tuple[str, Item, list[str]]] = []
    for item in sorted(after.keys() - before.keys()):
        kind = {"hit": "hit_new", "role": "role_new"}.get(item[0], item[0])
        out.append((kind, item[1:], after[item]))
    for item in sorted(before.keys() - after.keys()):
        if item[0] in ("hit", "role"):  # signals and addresses do not end in a load
            out.append((f"{item[0]}_ended", item[1:], before[item]))
    return out


def update_after_load(store: Store, run: str | None = None) -> int:
    """Compare every followed neighbourhood with its last snapshot, store one alert per
    difference and the new snapshot; the number of alerts made."""
    made = 0
    current = stored.read_state(store).current
    for w in store.read("read/watch_all"):
        before = {tuple(k): v for k, v in json.loads(w["snapshot"] or "[]")}
        after = _snapshot(store, w["subject"], int(w["depth"]))
        if not current:  # stored hits out of date: no hit alerts until they are current
            after = {k: v for k, v in after.items() if k[0] != "hit"}
            after.update({k: v for k, v in before.items() if k[0] == "hit"})
        rows = [{"uid": f"alert:{uuid.uuid4().hex}", "watch": w["uid"],
                 "purpose": w["purpose"], "reference": w["reference"],
                 "followed": w["subject"], "kind": kind, "about": list(about),
                 "scopes": seen, "purposes": sorted({c for k in seen for c in k.split(",")
                                                     if c}),
                 "created": _now(), "run": run or ""}
                for kind, about, seen in _alerts_from(before, after)]
        if rows:
            store.write_rows("write/alert_create", rows)
            made += len(rows)
        store.write_rows("write/watch_merge", [{
            "uid": w["uid"], "purpose": w["purpose"], "reference": w["reference"],
            "subject": w["subject"], "depth": w["depth"], "created": w["created"],
            "by": w["by"], "snapshot": json.dumps(sorted(after.items()))}])
    return made


def alerts(store: Store, purpose: str, reference: str, unread_only: bool = False,
           mark_read: bool = False) -> list[Alert]:
    """The alerts of the entities ``reference`` follows for ``purpose`` that the current
    scope may see (decided now, from the scopes each alert keeps), newest first;
    ``mark_read`` marks them read."""
    scope = access.current()
    if scope is None:
        return []
    rows = store.read("read/alerts", {"purpose": purpose, "reference": reference})
    found = [Alert(r["uid"], r["purpose"], r["reference"], r["followed"], r["kind"],
                   tuple(r["about"] or ()), r["created"], r["run"] or None,
                   bool(r["read"])) for r in rows]
    if unread_only:
        found = [a for a in found if not a.read]
    if mark_read and found:
        store.write_rows("write/alert_read", [{"uid": a.uid} for a in found])
    return found


def followed(store: Store, purpose: str, reference: str) -> list[dict[str, Any]]:
    """The entities ``reference`` follows for ``purpose``."""
    return store.read("read/watch_list", {"purpose": purpose, "reference": reference})



def after_load(recorder: ChangeRecorder) -> tuple[stored.RunReport, int]:
    """What ``ondergraaf load`` does after a successful load: refresh the stored hits
    (:func:`graph_service.risk.recorder.refresh_after_load`), then the alerts."""
    report = refresh_after_load(recorder)
    return report, update_after_load(recorder.inner, report.run)
