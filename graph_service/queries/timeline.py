"""The timeline of one entity or one Bibob dossier: its dated facts on one time axis.

Roles (``FUNCTIONARY_OF``), address registrations (``REGISTERED_AT``), tenancies of sheds
(``RENTS``), ownerships (``OWNS``) and occupancies (``OCCUPIES``) of park units and sheds,
RIEC signals (``CONCERNS``, dated by the signal's ``ontvangstdatum``) and Bibob dossiers
(``PARTY_TO``, dated by the dossier's ``aanvraagdatum`` and ``besluit_datum``), read by
one statement (``cypher/read/timeline_entity.cypher``) under the caller's scope: a fact the
scope cannot see is not on the timeline.

Each event carries a ``status`` against the reference date ``as_of``:

* ``active``: a period that holds on ``as_of`` (started on or before it, not ended before);
* ``ended``: a period that ended before ``as_of``;
* ``past``: a dated moment (a signal, an application, a decision) on or before ``as_of``;
* ``later``: anything that starts after ``as_of`` (pages grey it out, nothing is hidden).

An ownership has no date of its own: it is dated by its provenance ``first_seen`` (the
first delivery that showed it) and says so in ``dated_by``. A fact without any date is in
``undated``. A dossier's timeline holds the dossier's own dates and the events of each of
its parties (``subject`` names whose event it is).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import NotFound
from ..model import dossier_uid
from ..model.hubs import Hubs, hubs_arg, is_hub
from ..store import Store
from .common import Row, check_date, check_int, domain_labels, label_of, nodes_by_uid

__all__ = ["DEFAULT_TIMELINE_LIMIT", "MAX_TIMELINE_LIMIT", "EVENT_KINDS", "entity_timeline",
           "dossier_timeline"]

DEFAULT_TIMELINE_LIMIT = 500
MAX_TIMELINE_LIMIT = 2000
#: The relationship types on a timeline and the kind of event each gives.
EVENT_KINDS: dict[str, str] = {
    "FUNCTIONARY_OF": "role",
    "REGISTERED_AT": "registration",
    "RENTS": "tenancy",
    "OWNS": "ownership",
    "OCCUPIES": "occupancy",
    "CONCERNS": "signal",
    "PARTY_TO": "dossier",
}


def _iso(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def _status(start: str | None, end: str | None, as_of: str, period: bool) -> str:
    if start is not None and start > as_of:
        return "later"
    if not period:
        return "past"
    if end is not None and end < as_of:
        return "ended"
    return "active"


def _other(node: Row) -> Row:
    return {"uid": node["uid"], "label": label_of(node), "name": node.get("name"),
            "properties": {k: v for k, v in node.items() if not k.startswith("_")}}


def _events(subject: str, rel: Row, other: Row, as_of: str) -> list[Row]:
    """The events one relationship of ``subject`` gives (none for an undated kind)."""
    rtype = rel["_type"]
    kind = EVENT_KINDS.get(rtype)
    if kind is None:
        return []
    base = {"subject": subject, "kind": kind, "type": rtype,
            "outgoing": rel["_start"] == subject, "role": rel.get("role"),
            "other": _other(other), "sources": rel.get("sources") or []}
    out: list[Row] = []
    if rtype in ("FUNCTIONARY_OF", "REGISTERED_AT", "RENTS"):
        start, end = _iso(rel.get("valid_from")), _iso(rel.get("valid_to"))
        out.append({**base, "date": start, "end": end, "dated_by": "valid_from",
                    "period": True})
    elif rtype == "OCCUPIES":
        out.append({**base, "date": _iso(rel.get("since")), "end": None, "dated_by": "since",
                    "period": True})
    elif rtype == "OWNS":
        out.append({**base, "date": _iso(rel.get("first_seen")), "end": None,
                    "dated_by": "first_seen", "period": True})
    elif rtype == "CONCERNS":
        signal = other if "Signal" in other.get("_labels", []) else None
        date = _iso(signal.get("ontvangstdatum")) if signal else None
        out.append({**base, "date": date, "end": None, "dated_by": "ontvangstdatum",
                    "period": False})
    elif rtype == "PARTY_TO":
        out.append({**base, "date": _iso(other.get("aanvraagdatum")), "end": None,
                    "dated_by": "aanvraagdatum", "period": False})
        decided = _iso(other.get("besluit_datum"))
        if decided:
            out.append({**base, "kind": "decision", "date": decided, "end": None,
                        "dated_by": "besluit_datum", "period": False,
                        "decision": other.get("besluit")})
    for event in out:
        event["status"] = _status(event["date"], event["end"], as_of, event["period"])
    return out


def _own_events(node: Row, as_of: str) -> list[Row]:
    """The entity's own dates: an organisation's start and end, a signal's receipt, a
    dossier's application and decision."""
    label = label_of(node)
    dates: list[tuple[str, str, str | None]] = []
    if label == "Organisation":
        dates = [("founded", "datum_aanvang", None), ("dissolved", "datum_einde", None)]
    elif label == "Signal":
        dates = [("signal", "ontvangstdatum", None)]
    elif label == "BibobDossier":
        dates = [("dossier", "aanvraagdatum", None), ("decision", "besluit_datum", "besluit")]
    out = []
    for kind, key, extra in dates:
        date = _iso(node.get(key))
        if date is None:
            continue
        event: Row = {"subject": node["uid"], "kind": kind, "type": None, "outgoing": None,
                      "role": None, "other": None, "sources": node.get("sources") or [],
                      "date": date, "end": None, "dated_by": key, "period": False,
                      "status": _status(date, None, as_of, False)}
        if extra:
            event["decision"] = node.get(extra)
        out.append(event)
    return out


def _sort_key(event: Row) -> tuple[str, str, str, str]:
    other = event["other"] or {}
    return (event["date"] or "", event["kind"], str(event.get("role") or ""),
            str(other.get("uid") or ""))


def _read(store: Store, uids: list[str], as_of: str, limit: int
          ) -> tuple[list[Row], bool]:
    rows = store.read("read/timeline_entity", {"uids": uids, "limit": limit + 1})
    truncated = len(rows) > limit
    events: list[Row] = []
    for row in rows[:limit]:
        subject, path = row["subject"], row["p"]
        rel = path["relationships"][0]
        others = [n for n in path["nodes"] if n["uid"] != subject]
        if not others:
            continue
        events.extend(_events(subject, rel, others[0], as_of))
    return events, truncated


def _answer(node: Row, events: list[Row], as_of: str, truncated: bool,
            parties: list[Row] | None = None) -> Row:
    dated = sorted((e for e in events if e["date"]), key=_sort_key)
    undated = sorted((e for e in events if not e["date"]), key=_sort_key)
    labels = domain_labels(node)
    return {"uid": node["uid"], "name": node.get("name"),
            "label": labels[0] if labels else "Entity", "as_of": as_of,
            "events": dated, "undated": undated, "truncated": truncated,
            "years": sorted({e["date"][:4] for e in dated}), "parties": parties or []}


def entity_timeline(store: Store, uid: str, as_of: dt.date | None = None,
                    limit: int = DEFAULT_TIMELINE_LIMIT, hubs: Hubs | str | None = None) -> Row:
    """The timeline of one entity: its own dates and the dated facts of its relationships.

    A Bibob dossier's uid gives :func:`dossier_timeline`. Returns ``{uid, name, label,
    as_of, events, undated, truncated, years, parties}``; ``events`` sorted by ``date``, each
    ``{subject, kind, type, outgoing, role, other: {uid, label, name, properties}, sources,
    date, end, dated_by, period, status}`` (``decision`` on a decision). ``truncated``
    when the entity has more than ``limit`` relationships (only the first are read);
    ``parties`` (``uid, label, name``) only on a dossier's timeline, whose events include
    those of every party that is not a hub (``hubs``, as :func:`graph_service.model.hubs.
    hubs_arg`: default the shipped list).
    Raises :class:`NotFound` for an entity the scope cannot see.
    """
    check_date("as_of", as_of)
    check_int("limit", limit, 1, MAX_TIMELINE_LIMIT)
    day = (as_of or dt.date.today()).isoformat()
    chosen = hubs_arg(hubs)
    node = nodes_by_uid(store, [uid]).get(uid)
    if node is None:
        raise NotFound(f"no entity with uid {uid!r}")
    events, truncated = _read(store, [uid], day, limit)
    if label_of(node) == "BibobDossier":
        parties = {e["other"]["uid"]: {k: e["other"][k] for k in ("uid", "label", "name")}
                   for e in events if e["type"] == "PARTY_TO"}
        # a hub party (a bank as financier, say) is named, but its other dossiers and
        # relationships are not this dossier's: its events are not walked into
        walked = sorted({e["other"]["uid"] for e in events if e["type"] == "PARTY_TO"
                         and not is_hub(e["other"]["uid"], e["other"]["properties"], chosen)})
        events = [e for e in events if e["type"] != "PARTY_TO"]
        for e in _own_events(node, day):
            events.append(e)
        if walked:
            more, cut = _read(store, walked, day, limit)
            truncated = truncated or cut
            # a party's own application to this dossier is the dossier's own event
            events.extend(e for e in more
                          if not (e["type"] == "PARTY_TO" and e["other"]["uid"] == uid))
        return _answer(node, events, day, truncated,
                       sorted(parties.values(), key=lambda p: p["uid"]))
    events.extend(_own_events(node, day))
    return _answer(node, events, day, truncated)


def dossier_timeline(store: Store, dossier_id: str, as_of: dt.date | None = None,
                     limit: int = DEFAULT_TIMELINE_LIMIT, hubs: Hubs | str | None = None
                     ) -> Row:
    """The timeline of a Bibob dossier by its number: the dossier's application and
    decision, and the events of each of its parties but hubs (see :func:`entity_timeline`)."""
    return entity_timeline(store, dossier_uid(dossier_id), as_of, limit, hubs)
