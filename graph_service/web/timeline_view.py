"""The timeline page's words: each event of :mod:`graph_service.queries.timeline` as a
Dutch line (relationship names from the model, values from :mod:`..render.terms`), grouped
by year for the year ruler of ``templates/tijdlijn.html``."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from ..render import graphs, terms

__all__ = ["timeline_years", "describe"]

#: An incoming relationship read from its end (the organisation of a role, the address of
#: a registration, ...).
INCOMING: dict[str, str] = {
    "FUNCTIONARY_OF": "heeft als functionaris",
    "REGISTERED_AT": "adres van inschrijving van",
    "RENTS": "verhuurd aan",
    "OWNS": "in eigendom van",
    "OCCUPIES": "bewoond door",
    "CONCERNS": "RIEC-signaal ontvangen",
    "PARTY_TO": "Bibob-aanvraag met als partij",
}
#: The entity's own dates.
OWN: dict[str, str] = {
    "founded": "datum aanvang (KvK)",
    "dissolved": "datum einde (KvK)",
    "signal": "RIEC-signaal ontvangen",
    "dossier": "Bibob-aanvraag ingediend",
    "decision": "besluit op de Bibob-aanvraag",
}
STATUS: dict[str, str] = {
    "active": "actief op peildatum",
    "ended": "beëindigd",
    "past": "",
    "later": "na peildatum",
}


def describe(event: dict[str, Any]) -> dict[str, Any]:
    """``event`` with ``text``, ``status_text`` and ``note`` in Dutch."""
    rtype = event["type"]
    if rtype is None:
        text = OWN.get(event["kind"], event["kind"])
    elif event["kind"] == "decision":
        text = "besluit op Bibob-aanvraag"
    elif event["outgoing"]:
        text = graphs.REL_NAMES.get(rtype, rtype.lower().replace("_", " "))
    else:
        text = INCOMING.get(rtype, graphs.REL_NAMES.get(rtype, rtype.lower()))
    if event.get("role"):
        text += f" ({terms.value_text('role', event['role'])})"
    note = ""
    if event.get("decision"):
        note = f"besluit: {terms.value_text('besluit', event['decision'])}"
    elif event["dated_by"] == "first_seen":
        note = "datum: eerste levering waarin dit voorkomt"
    return {**event, "text": text, "status_text": STATUS.get(event["status"], ""),
            "note": note}


def timeline_years(found: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The dated events in Dutch, per year (the timeline is sorted by date); every event
    of a party on a dossier's timeline carries the party's name as ``subject_name``."""
    names = {p["uid"]: p.get("name") or p["uid"] for p in found.get("parties", [])}
    rows = []
    for event in found["events"]:
        row = describe(event)
        row["subject_name"] = names.get(event["subject"], event["subject"])
        rows.append(row)
    return [(year, list(group)) for year, group in groupby(rows, key=lambda r: r["date"][:4])]
