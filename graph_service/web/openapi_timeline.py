"""The OpenAPI entry of ``GET /api/entities/{uid}/timeline`` and its schemas, merged into
the document by :mod:`.openapi` (kept apart to keep that file short)."""

from __future__ import annotations

from typing import Any

from ..queries.timeline import EVENT_KINDS

__all__ = ["timeline_schemas", "timeline_path"]

Schema = dict[str, Any]

_NSTR: Schema = {"type": ["string", "null"]}
_KINDS = sorted({*EVENT_KINDS.values(), "decision", "founded", "dissolved"})
_STATUS = ["active", "ended", "past", "later"]


def timeline_schemas() -> dict[str, Schema]:
    """``Timeline`` and ``TimelineEvent``."""
    other: Schema = {
        "type": ["object", "null"],
        "description": "the entity at the other end (null for the entity's own dates)",
        "properties": {"uid": {"type": "string"}, "label": {"type": "string"},
                       "name": _NSTR},
        "required": ["uid", "label", "name"],
    }
    event: Schema = {
        "type": "object",
        "properties": {
            "subject": {"type": "string", "description": "uid whose event it is (a party "
                                                         "on a dossier's timeline)"},
            "kind": {"type": "string", "enum": _KINDS},
            "type": {**_NSTR, "description": "relationship type; null for own dates"},
            "outgoing": {"type": ["boolean", "null"]},
            "role": _NSTR,
            "other": other,
            "sources": {"type": "array", "items": {"type": "string"}},
            "date": {**_NSTR, "description": "start or moment (YYYY-MM-DD); null in "
                                             "`undated`"},
            "end": {**_NSTR, "description": "end of a period (valid_to), if any"},
            "dated_by": {"type": "string", "description": "the property the date comes "
                         "from (valid_from, since, ontvangstdatum, aanvraagdatum, "
                         "besluit_datum, datum_aanvang, datum_einde; first_seen: an "
                         "ownership, dated by its first delivery)"},
            "period": {"type": "boolean"},
            "status": {"type": "string", "enum": _STATUS,
                       "description": "against `as_of`: active (a period holding on it), "
                                      "ended (before it), past (a moment on or before "
                                      "it), later (starts after it)"},
            "decision": _NSTR,
        },
        "required": ["subject", "kind", "type", "outgoing", "role", "other", "sources",
                     "date", "end", "dated_by", "period", "status"],
    }
    return {
        "TimelineEvent": event,
        "Timeline": {
            "type": "object",
            "properties": {
                "uid": {"type": "string"}, "name": _NSTR, "label": {"type": "string"},
                "as_of": {"type": "string", "format": "date"},
                "events": {"type": "array",
                           "items": {"$ref": "#/components/schemas/TimelineEvent"},
                           "description": "dated events, by date"},
                "undated": {"type": "array",
                            "items": {"$ref": "#/components/schemas/TimelineEvent"},
                            "description": "facts of a timeline kind without a date"},
                "truncated": {"type": "boolean",
                              "description": "more relationships than were read"},
                "years": {"type": "array", "items": {"type": "string"}},
                "parties": {"type": "array", "items": other,
                            "description": "a dossier's parties (empty for an entity)"},
            },
            "required": ["uid", "name", "label", "as_of", "events", "undated",
                         "truncated", "years", "parties"],
        },
    }


def timeline_path(parameters: list[Schema], responses: Schema) -> Schema:
    """The path item of the timeline route."""
    return {"get": {
        "operationId": "timeline", "tags": ["entiteiten"],
        "summary": "The entity's dated facts on one time axis",
        "description": "Roles, address registrations, tenancies, ownerships, occupancies, "
                       "RIEC signals and Bibob dossiers of the entity (for a dossier: its "
                       "own dates and its parties' events), each marked against `as_of`; "
                       "only what the request's scope may see.",
        "parameters": parameters,
        "responses": responses,
    }}
