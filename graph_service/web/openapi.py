"""The OpenAPI 3.1 document of the JSON API (``/openapi.json``) and its docs page.

Hand-written as data: every operation with its parameters, the response schemas and the
one error schema. The document is the contract: every rule the API enforces on a parameter
(lengths, patterns, formats, ranges, enums; cross-field rules in the description with their
422) and every status an operation can answer (with the ``WWW-Authenticate`` and
``Retry-After`` headers) is stated here. ``tests/web/test_api.py`` validates the document with
``openapi-spec-validator``; ``tests/web/test_schemathesis.py`` runs schemathesis with all its
checks against it and finds nothing.
``/api/docs`` is a small page of the app's own (``templates/api_docs.html`` +
``static/apidocs.js``) that lists the operations and tries GET requests; nothing is
loaded from another host.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue

from .. import queries
from ..model import LABELS, PURPOSE_CLASSES, REL_TYPES, SOURCES
from ..security.policy import PURPOSES
from .http import ERROR_CODES, PURPOSE_HEADER, REFERENCE_HEADER
from .notices import ABSENT_SOURCE, ABSENT_SOURCES, declare_absent
from .openapi_timeline import timeline_path, timeline_schemas
from .params import CONTROL_CHARACTERS, MAX_TEXT, MAX_UID, MIN_SEARCH
from .route_access import public

__all__ = ["bp", "build_document", "OPENAPI_VERSION"]

OPENAPI_VERSION = "3.1.0"

bp = Blueprint("openapi", __name__)

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
NUM: Schema = {"type": "number"}
BOOL: Schema = {"type": "boolean"}
NSTR: Schema = {"type": ["string", "null"]}
NNUM: Schema = {"type": ["number", "null"]}
STRS: Schema = _array(STR)
DATE: Schema = {"type": "string", "format": "date"}
NDATE: Schema = {"type": ["string", "null"]}


def _object(props: Schema, required: list[str] | None = None, extra: bool = True) -> Schema:
    out: Schema = {"type": "object", "properties": props}
    out["required"] = list(props) if required is None else required
    if not extra:
        out["additionalProperties"] = False
    return out


PROVENANCE: Schema = {
    "sources": {**_array({"type": "string", "enum": list(SOURCES)}),
                "description": "distinct source names"},
    "source_records": {**STRS, "description": "distinct '<source>:<record id>'"},
    "first_seen": {**NSTR, "description": "earliest observation (ISO date)"},
    "last_seen": {**NSTR, "description": "latest observation (ISO date)"},
    "grades": {**STRS, "description": "Admiralty grades, e.g. A1, B2, X6"},
    "purposes": {**_array({"type": "string", "enum": list(PURPOSE_CLASSES)}),
                 "description": "distinct purpose classes of the sources"},
}
NULLABLE_PROVENANCE: Schema = {
    k: ({**v, "type": ["array", "null"]} if v.get("type") == "array" else v)
    for k, v in PROVENANCE.items()
}
ENTITY_REF: Schema = {
    "uid": STR,
    "label": {"type": "string", "enum": list(LABELS)},
    "name": NSTR,
    "geboortedatum": {**NSTR, "description": "persons only"},
}
ENTITY_REF_REQUIRED = ["uid", "label", "name"]


def _schemas() -> dict[str, Schema]:
    hit_props: Schema = {
        **ENTITY_REF,
        "code": STR,
        "title": STR,
        "severity": {"type": "integer", "minimum": 1, "maximum": 5},
        "measure": {"description": "the indicator's measure (a count, an amount, ...)"},
        "paths": _array(_ref("EvidencePath")),
        "evidence": _array(_ref("Evidence")),
        "onbevestigd": {**BOOL, "description": "all evidence ungraded (X6/F6)"},
        "best_grade": {**NSTR, "description": "the best grade of any single fact; the "
                                              "weight follows it (docs/risk.md, Grades)"},
        "weight": NUM, "path_count": {**INT, "description": "paths it has (`paths`: max_paths)"},
        "grade": {**NSTR, "description": "the hit's grade: that of its best-supported "
                                         "path, a path being as reliable as its weakest "
                                         "fact (docs/risk.md, Grades)"},
        "sentence": {**STR, "description": "the hit in one Dutch sentence (uitleg): its "
                                           "measure with unit, the thresholds in force and "
                                           "the facts that decide it"},
        "path_groups": {**_array(_object({
            "paths": {**_array(INT), "description": "indexes into paths, the "
                                                    "best-graded first"},
            "similar": {**INT, "description": "paths of the group beside the first"},
            "grade": {**STR, "description": "grade of the group's first path"},
        })), "description": "the paths in groups of similar paths: same node labels, "
                            "relationship types and directions, same first and last node"},
    }
    hit_required = [*ENTITY_REF_REQUIRED, "code", "title", "severity", "paths", "evidence",
                    "onbevestigd", "best_grade", "weight", "grade", "sentence",
                    "path_groups", "path_count"]
    signal_finding = _object({
        "signal": _ref("PathNode"),
        "subject": _ref("EntityRef"),
        "role": NSTR,
        "hops": INT,
        "onbevestigd": BOOL,
        "paths": _array(_ref("EvidencePath")),
    })
    return {
        "Error": {
            **_object({
                "ok": {"const": False},
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "code": {"type": "string", "enum": list(ERROR_CODES),
                         "description": "stable machine-readable reason (docs/api.md): "
                                        + "; ".join(f"{k} ({v})"
                                                    for k, v in ERROR_CODES.items())},
                "error": {**STR, "description": "message for people, in Dutch; may change "
                                                "between releases (use `code`)"},
            }, extra=False),
            "description": "The one error shape of every API error.",
        },
        "Health": {
            **_object({"ok": BOOL, "engine": STR}, required=["ok"]),
            "description": "Public: only `ok`. The engine's details (engine, socket, start, "
                           "...) only for a caller on the machine itself (loopback, not "
                           "through a proxy) or an account with the role admin.",
        },
        "StoreNode": {
            **_object({"_labels": STRS, "uid": STR, "name": NSTR}, required=["_labels", "uid"]),
            "description": "A node as the store returns it: labels, uid, name, every "
                           "property and the provenance properties.",
        },
        "StoreRelationship": {
            **_object({"_type": {"type": "string", "enum": list(REL_TYPES)},
                       "_start": STR, "_end": STR}),
            "description": "A relationship: type, start and end uid, properties, provenance.",
        },
        "SearchResult": _object({
            "uid": STR, "name": NSTR, "labels": STRS, "kind": STR,
            "match": {"type": "string", "enum": ["id", "prefix", "substring"]},
            **IDENTITY,
        }),
        "Candidate": {
            **_object({"uid": STR, "name": NSTR, "label": STR, "kind": NSTR, **IDENTITY}),
            "description": "One entity a name may stand for, with its identity line.",
        },
        "AmbiguousName": {
            **_object({
                "ok": {"const": False},
                "status": {"const": 409},
                "code": {"const": "ambiguous_name"},
                "error": {**STR, "description": "message for people, in Dutch"},
                "parameter": {"type": "string", "enum": ["from", "to"],
                              "description": "the parameter whose name fits several"},
                "candidates": _array(_ref("Candidate")),
            }, extra=False),
            "description": "A name fits several entities: nothing was chosen. Ask again "
                           "with the uid of one of the candidates.",
        },
        "SearchResponse": _object({
            "query": STR, "count": INT, "results": _array(_ref("SearchResult")),
        }),
        "Entity": _object({
            "uid": STR,
            "name": NSTR,
            "labels": STRS,
            "kind": STR,
            "properties": {"type": "object"},
            "provenance": _object(NULLABLE_PROVENANCE),
            "relationship_counts": {"type": "object", "additionalProperties": INT},
        }),
        "Overflow": _object({"via": STR, "label": STR, "type": STR, "count": INT,
                             "total": INT}),
        "Neighbourhood": _object({
            "depth": {"type": "integer", "minimum": 1, "maximum": 3},
            "as_of": NDATE,
            "types": STRS,
            "root": STR,
            "nodes": _array(_ref("StoreNode")),
            "relationships": _array(_ref("StoreRelationship")),
            "overflow": _array(_ref("Overflow")),
            "truncated": BOOL,
            "hubs": {**_array(_object({
                "uid": STR, "behind": INT,
                "by": _array(_object({"label": STR, "type": STR, "count": INT})),
            })), "description": "hubs reached and not walked through, with the visible "
                                "neighbours behind each (per label and type)"},
        }),
        "Path": _object({
            "length": INT,
            "nodes": _array(_ref("StoreNode")),
            "relationships": _array(_ref("StoreRelationship")),
        }),
        "PathsResponse": _object({
            "from": STR, "to": STR, "max_hops": INT, "as_of": NDATE, "count": INT,
            "paths": _array(_ref("Path")),
        }),
        "EntityRef": _object(ENTITY_REF, required=ENTITY_REF_REQUIRED),
        "PathNode": _object({"uid": STR, "label": STR, "name": NSTR,
                             "properties": {"type": "object"}, **PROVENANCE}),
        "PathRelationship": _object({"type": STR, "start": STR, "end": STR, "key": STR,
                                     "properties": {"type": "object"}, **PROVENANCE}),
        "EvidencePath": {
            **_object({"nodes": _array(_ref("PathNode")),
                       "relationships": _array(_ref("PathRelationship"))}),
            "description": "relationships[i] joins nodes[i] and nodes[i + 1]",
        },
        "Evidence": _object({
            "kind": {"type": "string", "enum": ["node", "relationship"]},
            "uid": NSTR, "label": NSTR, "name": NSTR,
            "start": NSTR, "type": NSTR, "key": NSTR, "end": NSTR,
            **PROVENANCE,
            "grade": {**STR, "description": "the fact's grade: the best it carries, X6 "
                                            "when none"},
        }, required=["kind", *PROVENANCE, "grade"]),
        "Hit": {
            **_object(hit_props, required=hit_required),
            "description": "One indicator firing on one entity, with paths and evidence.",
        },
        "Contribution": _object({**hit_props, "contribution": NUM},
                                required=[*hit_required, "contribution"]),
        "RiskScore": _object({
            **ENTITY_REF,
            "as_of": DATE,
            "score": NUM,
            "formula": STR,
            "grade_weights": {"type": "object", "additionalProperties": NUM},
            "hits": _array(_ref("Contribution")),
        }, required=[*ENTITY_REF_REQUIRED, "as_of", "score", "formula", "grade_weights",
                     "hits"]),
        "Indicator": _object({
            "code": STR,
            "title": STR,
            "rationale": STR,
            "users": STRS,
            "severity": {"type": "integer", "minimum": 1, "maximum": 5},
            "fires_on": _array({"type": "string", "enum": list(LABELS)}),
            "thresholds": {"type": "object", "additionalProperties": NUM},
            "legal_basis": NSTR,
            "description": STR,
        }),
        "IndicatorList": _object({"count": INT, "indicators": _array(_ref("Indicator"))}),
        "HitsPage": _object({
            "indicator": _ref("Indicator"),
            "as_of": DATE,
            "total": {"type": ["integer", "null"],
                      "description": "number of hits, when this page shows the last of them; "
                                     "null when more follow (truncated)"},
            "truncated": {**BOOL, "description": "more hits follow after this page"},
            "offset": INT,
            "limit": INT,
            "next_offset": {"type": ["integer", "null"],
                            "description": "offset of the next page, null on the last"},
            "hits": _array(_ref("Hit")),
        }, required=["indicator", "as_of", "total", "truncated", "offset", "limit", "hits"]),
        "Party": _object({
            **ENTITY_REF, "role": NSTR, "party_ref": NSTR, "relative_to": NSTR,
            "share_pct": NNUM, "amount": NNUM,
            "antecedenten_opgegeven": {"type": ["boolean", "null"]}, **PROVENANCE,
        }, required=[*ENTITY_REF_REQUIRED, "role", *PROVENANCE]),
        "DeclaredRelation": _object({
            "start": _ref("EntityRef"), "type": STR, "role": NSTR, "end": _ref("EntityRef"),
            "amount": NNUM, "share_pct": NNUM,
            "kvk_confirmed": {"type": ["boolean", "null"]}, **PROVENANCE,
        }),
        "UndeclaredRelation": _object({
            "officer": _ref("EntityRef"), "organisation": _ref("EntityRef"), "type": STR,
            "role": NSTR, "valid_from": NSTR, "valid_to": NSTR, "officer_is_party": BOOL,
            "reason": {"type": "string",
                       "enum": ["functionaris_geen_partij", "relatie_niet_opgegeven"]},
            "path": _ref("EvidencePath"),
        }),
        "NetworkEntity": _object({**ENTITY_REF, "hops": INT, "hub": BOOL,
                                  "paths": _array(_ref("EvidencePath"))},
                                 required=[*ENTITY_REF_REQUIRED, "hops", "paths"]),
        "SignalFinding": signal_finding,
        "NetworkOverflow": _object({
            "hop": INT, "via": _ref("EntityRef"), "hidden": INT, "total": INT,
        }, required=["hop", "via", "hidden", "total"]),
        "Screening": _object({
            "dossier": _object({"uid": STR, "dossier_id": NSTR}, required=["uid"]),
            "locations": _array(_ref("PathNode")),
            "as_of": DATE,
            "summary": _object({
                "parties": INT, "declared_relations": INT, "undeclared_relations": INT,
                "network": INT, "network_truncated": BOOL, "network_hidden": INT, "hubs": INT,
                "signals": {"type": ["integer", "null"],
                            "description": "null when the role and purpose do not see RIEC "
                                           "signals (see absent_sources), never 0 then"},
                "location_signals": {"type": ["integer", "null"]},
                "hits": INT, "indicators": STRS,
            }),
            "parties": _array(_ref("Party")),
            "declared_relations": _array(_ref("DeclaredRelation")),
            "undeclared_relations": _array(_ref("UndeclaredRelation")),
            "network": _array(_ref("NetworkEntity")),
            "network_limits": _object({"max_entities": INT, "per_node": INT, "hops": INT,
                                       "max_paths": INT}),
            "network_overflow": {**_array(_ref("NetworkOverflow")),
                                 "description": "where the network was cut: per entity "
                                                "(via) the neighbours on hop `hop` not shown"},
            "hubs": {**_array(_object({
                **ENTITY_REF, "hop": INT, "behind": INT, "other_applicants": INT})),
                "description": "hubs the network walk stopped at (a party on hop 0 or a "
                               "network entity): visible art. 3 lid 4 neighbours behind "
                               "each not in the report, and of those the parties of "
                               "another dossier"},
            "signals": _array(_ref("SignalFinding")),
            "location_signals": _array(_ref("SignalFinding")),
            "hits": _array(_ref("Hit")),
            "absent_sources": ABSENT_SOURCES,
        }),
        "Hotspot": _object({
            "rank": {"type": "integer", "minimum": 1},
            "uid": STR,
            "name": NSTR,
            "kind": {"type": "string", "enum": ["address", "park", "object"]},
            "score": NUM,
            "counts": _object({"organisations": INT, "persons": INT, "signals": {
                "type": ["integer", "null"],
                "description": "null when the role and purpose do not see RIEC signals (see "
                               "absent_sources), never 0 then"}}),
            "units": {**INT, "description": "parks only"},
            "indicators": {**STRS, "description": "codes of indicator hits on the place"},
        }, required=["rank", "uid", "name", "kind", "score", "counts", "indicators"]),
        "AbsentSource": ABSENT_SOURCE,
        **_watch_schemas(),
        **timeline_schemas(),
        "Hotspots": _object({
            "kind": {"type": "string", "enum": ["address", "park", "object"]},
            "as_of": DATE,
            "weights": {"type": "object", "additionalProperties": NUM},
            "count": INT,
            "hotspots": _array(_ref("Hotspot")),
        }),
    }


#: The identity line of an entity (render.identity): what tells it apart from others of
#: the same name (a person's birth year and place, an address's town, ...).
IDENTITY: Schema = {
    "identity": {**NSTR, "description": "identity line without the name, in Dutch (a "
                                        "person: birth year and place; none under "
                                        "pseudonymisation), or null"},
    "identity_line": {**STR, "description": "the name with its identity line"},
}


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS: dict[str, str] = {
    "400": "BadRequest",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "NotFound",
    "409": "Ambiguous",
    "422": "Unprocessable",
    "429": "TooManyRequests",
    "500": "ServerError",
    "503": "Unavailable",
    "504": "Timeout",
}


def _responses(ok: Schema, description: str, *errors: str) -> Schema:
    """200 and the errors of an operation: ``errors`` (400, 404, 422 as they apply) and
    what every API call can answer: 401, 403 (purpose), 429, 500, 503 (engine or audit
    trail), 504 (a read cancelled)."""
    out: Schema = {"200": _json(ok, description)}
    for code in sorted({*errors, "401", "403", "429", "500", "503", "504"}):
        out[code] = {"$ref": f"#/components/responses/{ERRORS[code]}"}
    return out


def _error_response(description: str, codes: list[str],
                    headers: Schema | None = None) -> Schema:
    out = _json(_ref("Error"), f"{description}; `code`: {', '.join(codes)}")
    if headers:
        out["headers"] = headers
    return out


def _param(name: str, where: str, schema: Schema, description: str,
           required: bool = False, **extra: Any) -> Schema:
    return {"name": name, "in": where, "required": required or where == "path",
            "description": description, "schema": schema, **extra}


#: text without control characters (U+0000-U+001F, U+007F), as the app checks every path
#: value and text parameter
NO_CONTROL = f"^[^{CONTROL_CHARACTERS}]+$"
#: a uid in a query parameter: no control characters and not only white space
QUERY_UID = f"^[^{CONTROL_CHARACTERS}]*[^\\s{CONTROL_CHARACTERS}][^{CONTROL_CHARACTERS}]*$"
#: the search text: 2-200 characters once trimmed, white space around it allowed
SEARCH_TEXT = (f"^[^\\S{CONTROL_CHARACTERS}]*[^\\s{CONTROL_CHARACTERS}]"
               f"[^{CONTROL_CHARACTERS}]{{0,{MAX_TEXT - 2}}}[^\\s{CONTROL_CHARACTERS}]"
               f"[^\\S{CONTROL_CHARACTERS}]*$")
PATH_TEXT: Schema = {"type": "string", "minLength": 1, "maxLength": MAX_UID,
                     "pattern": NO_CONTROL}
UID_PARAM = _param("uid", "path", PATH_TEXT,
                   f"entity uid, e.g. kvk:12345678 or unit:VP-07/112 (':' and '/' as is); at "
                   f"most {MAX_UID} characters, no control characters (422)",
                   example="park:VP-0001")
DATE_PARAM: Schema = {**DATE, "minLength": 10, "maxLength": 10,
                      "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
AS_OF = _param("as_of", "query", DATE_PARAM,
               "evaluation date (ISO YYYY-MM-DD); leave the parameter out for today (an "
               "empty `as_of=` is malformed: 422)")
AS_OF_FILTER = _param("as_of", "query", DATE_PARAM,
                      "only relationships valid on this date (ISO YYYY-MM-DD); leave the "
                      "parameter out for any period (an empty `as_of=` is malformed: 422)")
TYPES = _param("types", "query", _array({"type": "string", "enum": list(REL_TYPES)}),
               "relationship types to walk (repeat or comma-separate; no empty item: 422); "
               "default all but POSSIBLE_SAME_AS", style="form", explode=True)


PURPOSE_PARAM = _param(
    PURPOSE_HEADER, "header", {"type": "string", "enum": list(PURPOSES)},
    "the purpose of this request (doelbinding); required with a bearer token, ignored with "
    "a session (which uses the purpose chosen on /doel)")
REFERENCE_PARAM = _param(
    REFERENCE_HEADER, "header",
    {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$"},
    "the dossier number (bibob_toets) or case number (riec_casus) the purpose is for; "
    "a screening of dossier X needs bibob_toets with reference X",
    example="WV-2026-00011")
ACCESS_PARAMS = [PURPOSE_PARAM, REFERENCE_PARAM]


def _int(name: str, lo: int, hi: int, default: int, description: str) -> Schema:
    return _param(name, "query", {"type": "integer", "minimum": lo, "maximum": hi,
                                  "default": default}, description)


CASE_ONLY = ("Only for the purposes riec_casus and bibob_toets: the case is the purpose's "
             "reference (X-Ondergraaf-Reference, or the one chosen on /doel); another "
             "purpose gets 403 with code `case_purpose_required`. From a session, a POST or "
             "DELETE carries the session's `csrf_token` as a form field (400 without it); a "
             "bearer token needs none.")


def _watch_schemas() -> dict[str, Schema]:
    """Alerts and watches (graph_service.risk.watch; web.alerts)."""
    case = {"purpose": {"type": "string", "enum": ["riec_casus", "bibob_toets"]},
            "reference": STR}
    return {
        "Alert": {
            **_object({
                "uid": STR, "purpose": STR, "reference": STR,
                "followed": {**STR, "description": "uid of the followed entity"},
                "kind": {"type": "string", "enum": ["hit_new", "hit_ended", "signal_new",
                                                    "role_new", "role_ended",
                                                    "address_new"]},
                "about": {**STRS, "description": "hit: code, uid; signal: signal uid, "
                                                 "entity uid; role: person, role, "
                                                 "organisation; address: entity, address"},
                "created": STR, "run": NSTR, "read": BOOL,
            }),
            "description": "One change near a followed entity after a load; only alerts "
                           "whose facts the caller's role and purpose may see.",
        },
        "Alerts": _object({**case, "unread_only": BOOL, "count": INT,
                           "alerts": _array(_ref("Alert"))}),
        "AlertsRead": _object({**case, "marked": INT, "alerts": _array(_ref("Alert"))}),
        "Watch": _object({"uid": STR, "depth": {"type": "integer", "minimum": 0,
                                                "maximum": 3},
                          "created": STR, "by": STR}),
        "Watches": _object({**case, "count": INT, "watches": _array(_ref("Watch"))}),
        "WatchChange": _object({"uid": STR, **case, "followed": BOOL,
                                "depth": {"type": "integer", "minimum": 0, "maximum": 3},
                                "created": STR, "by": STR},
                               required=["uid", "purpose", "reference", "followed"]),
    }


def _watch_paths() -> dict[str, Any]:
    """The operations of web.alerts."""
    return {
        "/api/alerts": {"get": {
            "operationId": "alerts", "tags": ["volgen"],
            "summary": "Alerts on the entities the case follows, newest first",
            "description": CASE_ONLY,
            "parameters": [_param("nieuw", "query", {"type": "string", "enum": ["0", "1"],
                                                     "default": "0"},
                                  "1: only the unread alerts")],
            "responses": _responses(_ref("Alerts"), "the alerts the caller may see", "422"),
        }},
        "/api/alerts/read": {"post": {
            "operationId": "markAlertsRead", "tags": ["volgen"],
            "summary": "Mark the case's unread alerts the caller sees as read",
            "description": CASE_ONLY,
            "responses": _responses(_ref("AlertsRead"), "the alerts marked read", "400"),
        }},
        "/api/watches": {"get": {
            "operationId": "watches", "tags": ["volgen"],
            "summary": "The entities the case follows",
            "description": CASE_ONLY,
            "responses": _responses(_ref("Watches"), "followed entities by uid"),
        }},
        "/api/watches/{uid}": {
            "post": {
                "operationId": "follow", "tags": ["volgen"],
                "summary": "Follow an entity for the case, up to `depth` steps around it",
                "description": "The neighbourhood as it is now is the starting point: "
                              "alerts come from the next loads. Following again changes "
                              "the depth. An entity the caller does not see is a 404. "
                              + CASE_ONLY,
                "parameters": [UID_PARAM, _int("depth", 0, 3, 2,
                                               "steps around the entity to follow")],
                "responses": _responses(_ref("WatchChange"), "followed", "400", "404",
                                        "422"),
            },
            "delete": {
                "operationId": "unfollow", "tags": ["volgen"],
                "summary": "Stop following an entity; its alerts go with it",
                "description": "404 when the case does not follow it. " + CASE_ONLY,
                "parameters": [UID_PARAM],
                "responses": _responses(_ref("WatchChange"), "no longer followed", "400",
                                        "404", "422"),
            },
        },
    }


def build_document() -> dict[str, Any]:
    """The OpenAPI document as a dict (served as ``/openapi.json``)."""
    paths: dict[str, Any] = {
        "/healthz": {"get": {
            "operationId": "health", "tags": ["dienst"],
            "summary": "Health of the service and its graph engine",
            "security": [],
            "responses": {
                "200": _json(_ref("Health"), "the engine answers"),
                "503": _json(_ref("Health"), "the engine does not answer"),
            },
        }},
        "/api/search": {"get": {
            "operationId": "search", "tags": ["entiteiten"],
            "summary": "Search entities by name or identifier",
            "description": "Identifiers: uid, KvK number, postcode (+ huisnummer), BAG id, "
                           "dossier, signal, casus, object and park ids. Exact identifier "
                           "matches first, then name prefixes, then substrings.",
            "parameters": [
                _param("q", "query", {"type": "string", "minLength": MIN_SEARCH,
                                      "pattern": SEARCH_TEXT},
                       f"search text: {MIN_SEARCH}-{MAX_TEXT} characters once the white "
                       "space around it is trimmed, no control characters (422); empty or "
                       "only white space counts as missing (400)", required=True,
                       example="park"),
                _int("limit", 1, queries.MAX_SEARCH_LIMIT, 20, "at most this many results"),
            ],
            "responses": _responses(_ref("SearchResponse"), "matches, best first",
                                    "400", "422"),
        }},
        "/api/entities/{uid}": {"get": {
            "operationId": "entity", "tags": ["entiteiten"],
            "summary": "One entity: properties, provenance, relationship counts",
            "parameters": [UID_PARAM],
            "responses": _responses(_ref("Entity"), "the entity", "404", "422"),
        }},
        "/api/entities/{uid}/neighbourhood": {"get": {
            "operationId": "neighbourhood", "tags": ["netwerk"],
            "summary": "Entities within 1-3 hops, size-capped with overflow counts",
            "parameters": [
                UID_PARAM,
                _int("depth", 1, 3, 1, "hops from the entity"),
                TYPES,
                AS_OF_FILTER,
                _int("limit", 1, queries.MAX_NODE_LIMIT, queries.DEFAULT_NODE_LIMIT,
                     "at most this many nodes (root included)"),
                _int("per_node", 1, queries.MAX_NODE_LIMIT, queries.DEFAULT_PER_NODE,
                     "at most this many neighbours per node and level"),
                _param("hubs", "query", {"type": "string", "enum": ["stop", "door"],
                                         "default": "stop"},
                       "stop: banks, insurers, public bodies and other hubs of "
                       "model/hubs.yaml are end points, not walked through (docs/queries.md, "
                       "Hubs); door: walk through them"),
            ],
            "responses": _responses(_ref("Neighbourhood"), "the subgraph", "404", "422"),
        }},
        "/api/paths": {"get": {
            "operationId": "paths", "tags": ["netwerk"],
            "summary": "Shortest paths between two entities",
            "parameters": [
                _param("from", "query", {"type": "string", "minLength": 1,
                                         "maxLength": MAX_UID, "pattern": QUERY_UID},
                       f"start uid, as sent, or a name: at most {MAX_UID} characters, no "
                       "control characters (422); must differ from `to` (422, same_entity)",
                       required=True, example="park:VP-0001"),
                _param("to", "query", {"type": "string", "minLength": 1,
                                       "maxLength": MAX_UID, "pattern": QUERY_UID},
                       f"end uid, as sent, or a name: at most {MAX_UID} characters, no "
                       "control characters (422); must differ from `from` (422, same_entity)",
                       required=True, example="unit:VP-0001/5"),
                _int("max_hops", 1, queries.MAX_HOPS, 4, "at most this many relationships"),
                TYPES,
                AS_OF_FILTER,
                _param("all", "query", {"type": "string", "enum": ["true", "false"],
                                        "default": "false"},
                       "all shortest paths (up to limit) instead of one"),
                _int("limit", 1, queries.MAX_PATH_LIMIT, queries.DEFAULT_PATH_LIMIT,
                     "at most this many paths when all=true"),
                _param("hubs", "query", {"type": "string", "enum": ["stop", "door"],
                                         "default": "stop"},
                       "stop: banks, insurers, public bodies and other hubs of "
                       "model/hubs.yaml are end points, not walked through (docs/queries.md, "
                       "Hubs); door: walk through them"),
            ],
            "description": "`from` and `to` must be two different entities: the same uid "
                           "twice is a 422 with code `same_entity`. Each is a uid or a name: "
                           "a name that fits one entity stands for it; a name that fits "
                           "several is never chosen for you: 409 with code `ambiguous_name` "
                           "and the candidates with their identity line (ask again with "
                           "the uid of one). An unknown uid or name is a 404.",
            "responses": _responses(_ref("PathsResponse"), "paths, empty when none",
                                    "400", "404", "409", "422"),
        }},
        "/api/entities/{uid}/risk": {"get": {
            "operationId": "risk", "tags": ["risico"],
            "summary": "Risk score of one entity, decomposed into its indicator hits",
            "parameters": [UID_PARAM, AS_OF],
            "responses": _responses(_ref("RiskScore"), "score and hits", "404", "422"),
        }},
        "/api/indicators": {"get": {
            "operationId": "indicators", "tags": ["risico"],
            "summary": "Every indicator: code, title, rationale, severity, thresholds",
            "responses": _responses(_ref("IndicatorList"), "the indicator set"),
        }},
        "/api/indicators/{code}/hits": {"get": {
            "operationId": "indicatorHits", "tags": ["risico"],
            "summary": "All hits of one indicator, with paths and evidence, a page at a time",
            "description": "Hits by uid; at most `limit` per request (the page is cut in "
                           "the query). `truncated` says more follow (`next_offset`).",
            "parameters": [
                _param("code", "path", PATH_TEXT,
                       "indicator code, e.g. STRAW_MAN (unknown: 404)", example="STRAW_MAN"),
                AS_OF, _int("max_paths", 0, 25, 25, "paths per hit, shortest first (path_count)"),
                _int("limit", 1, 1000, 100, "hits per page"),
                _int("offset", 0, 10_000_000, 0, "hits to skip"),
            ],
            "responses": _responses(_ref("HitsPage"), "one page of hits", "404", "422"),
        }},
        "/api/bibob/{dossier_id}/screening": {"get": {
            "operationId": "bibobScreening", "tags": ["bibob"],
            "summary": "Bibob screening report of one dossier",
            "description": "Parties, declared and undeclared relations, the art. 3 lid 4 "
                           "network (up to 3 hops, at most 250 entities and 50 per entity "
                           "and hop, closest first; `network_overflow` says where it was "
                           "cut), visible RIEC signals and indicator hits.",
            "parameters": [
                _param("dossier_id", "path", PATH_TEXT,
                       "dossier id (2025-0012) or uid (dossier:2025-0012); at most "
                       f"{MAX_UID} characters, no control characters (422)"),
                AS_OF,
                _param("hubs", "query", {"type": "string", "enum": ["stop", "door"],
                                         "default": "stop"},
                       "stop: banks, insurers, public bodies and other hubs of "
                       "model/hubs.yaml are end points, not walked through (docs/queries.md, "
                       "Hubs); door: walk through them"),
            ],
            "responses": _responses(_ref("Screening"), "the report", "404", "422"),
        }},
        "/api/hotspots": {"get": {
            "operationId": "hotspots", "tags": ["netwerk"],
            "summary": "Addresses, holiday parks or rural objects ranked by concentration",
            "parameters": [
                _param("kind", "query", {"type": "string", "enum": ["address", "park", "object"],
                                         "default": "address"}, "kind of place"),
                AS_OF,
                _int("limit", 1, queries.MAX_HOTSPOT_LIMIT, 25, "at most this many places"),
            ],
            "responses": _responses(_ref("Hotspots"), "places, best first", "422"),
        }},
    }
    paths.update(_watch_paths())
    paths["/api/entities/{uid}/timeline"] = timeline_path(
        [UID_PARAM, AS_OF], _responses(_ref("Timeline"), "the timeline", "404", "422"))
    for route, item in paths.items():
        if route.startswith("/api/"):
            for op in item.values():
                op["parameters"] = [*op.get("parameters", []), *ACCESS_PARAMS]
    schemas = _schemas()
    declare_absent(paths, schemas)  # every 2xx JSON answer may carry absent_sources
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Ondergraaf API",
            "version": "1.0.0",
            "description": "Knowledge graph of municipal sources for spotting ondermijning "
                           "(RIEC / Wet Bibob): entities with provenance, networks, paths, "
                           "explainable indicator hits, risk scores and Bibob screening. "
                           "Every error is {\"ok\": false, \"status\", \"code\", "
                           "\"error\"}: `error` is a Dutch message for people, `code` a "
                           "stable name for programs (see the Error schema). "
                           "Every call is authenticated (a bearer token from 'ondergraaf "
                           "users token', or the session of the web pages), declares its "
                           f"purpose ({PURPOSE_HEADER}, with {REFERENCE_HEADER} where the "
                           "purpose needs a dossier or case number), sees what the user's "
                           "role may see for that purpose, and is recorded in the audit "
                           "trail with the uids it returned.",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "entiteiten", "description": "search and entity facts"},
            {"name": "netwerk", "description": "neighbourhoods, paths, hotspots"},
            {"name": "risico", "description": "indicators, hits, risk scores"},
            {"name": "bibob", "description": "Bibob screening"},
            {"name": "volgen", "description": "watchlists and alerts of a case or dossier"},
            {"name": "dienst", "description": "service health"},
        ],
        "paths": paths,
        "security": [{"bearer": []}, {"sessie": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "an API token (og_...) from 'ondergraaf users "
                                          "token USER --name N'; send the purpose headers "
                                          "with it"},
                "sessie": {"type": "apiKey", "in": "cookie", "name": "__Host-ondergraaf",
                           "description": "the session of the web pages (/login, then the "
                                          "purpose on /doel); the cookie is 'ondergraaf' "
                                          "when ONDERGRAAF_INSECURE_COOKIES=1"},
            },
            "schemas": schemas,
            "responses": {
                "BadRequest": _error_response("a required parameter is missing (or empty)",
                                              ["missing_parameter", "bad_request"]),
                "Unauthorized": _error_response(
                    "no token or session, a malformed Authorization header, or a wrong token",
                    ["unauthenticated", "invalid_request", "invalid_token"],
                    {"WWW-Authenticate": {
                        "description": "RFC 6750 challenge: Bearer realm=\"ondergraaf\", with "
                                       "error=\"invalid_token\" for a wrong token and "
                                       "error=\"invalid_request\" for a malformed header",
                        "required": True, "schema": {"type": "string", "pattern": "^Bearer "},
                    }}),
                "Forbidden": _error_response(
                    "the role may not work for this purpose, the purpose or reference is "
                    "missing or malformed, or the purpose does not cover this request (never "
                    "counted as a failed credential)",
                    ["purpose_required", "forbidden", "case_purpose_required"]),
                "TooManyRequests": _error_response(
                    "too many failed credentials: this token or account name, or (for an "
                    "invalid credential only) this address; a valid token or session is never "
                    "refused for others' failures", ["too_many_attempts"],
                    {"Retry-After": {"description": "seconds until a new attempt may pass",
                                     "required": True,
                                     "schema": {"type": "string", "pattern": "^[0-9]+$"}}}),
                "NotFound": _error_response("no such entity, dossier or indicator",
                                            ["not_found"]),
                "Ambiguous": _json(_ref("AmbiguousName"),
                                   "a name fits several entities; `code`: ambiguous_name"),
                "Unprocessable": _error_response(
                    "a parameter is malformed or out of range, or a cross-field rule is broken",
                    ["invalid_parameter", "same_entity"]),
                "ServerError": _error_response("unexpected error (details only in the log)",
                                               ["internal_error"]),
                "Unavailable": _error_response(
                    "the graph engine cannot be reached, or the audit trail cannot be written",
                    ["unavailable", "audit_unavailable"]),
                "Timeout": _error_response("the engine cancelled a read that ran too long",
                                           ["timeout"]),
            },
        },
    }


@bp.get("/openapi.json")
@public
def document() -> ResponseReturnValue:
    return jsonify(build_document())


@bp.get("/api/docs")
@public
def docs() -> ResponseReturnValue:
    return render_template("api_docs.html")
