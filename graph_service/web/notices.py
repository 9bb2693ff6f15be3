"""Honest absence on every answer of a data route, said once for the whole app.

A scope trims what a role may not see for its purpose (``docs/security.md``, "Honest
absence"); an answer that it trimmed must say so, or an empty list reads as a finding
("geen signalen" for a Bibob officer who cannot see RIEC signals). :func:`init_app`
installs, for every route declared ``scoped``, ``entity_access``, ``dossier_access`` or
``context_access`` (:mod:`.route_access`), under a scope that leaves a kind of source out:

* the template value ``scope_absent`` (:func:`current_absent`): ``base.html`` renders it
  with the one macro of ``templates/_absent.html`` at the top of every page, and pages use
  it to say "niet zichtbaar" where they would otherwise show 0 or "geen";
* an ``after_request`` hook that adds ``absent_sources`` to every 2xx JSON object such a
  route answers (unless the answer carries its own, as the screening report does).

Each item names the purpose class, its sources, a Dutch notice, how to get it for this
purpose, and the indicators that rest on it (not evaluated):
:func:`graph_service.risk.absence.absent_dicts`. A scope that sees every source gets
neither; public and login-only routes have no scope and get neither.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request

from ..model import PURPOSE_CLASSES, SOURCES
from ..risk.absence import absent_dicts
from ..store import access
from .http import get_store
from .route_access import declared

__all__ = ["ABSENT_KEY", "ABSENT_SOURCE", "ABSENT_SOURCES", "current_absent", "declare_absent",
           "init_app", "sees"]

#: the key of the block in JSON answers (as in the screening report)
ABSENT_KEY = "absent_sources"
_MARK = json.dumps(ABSENT_KEY).encode()


def _data_route() -> bool:
    found = declared(current_app.view_functions.get(request.endpoint or ""))
    return found is not None and found.needs_purpose


def current_absent() -> list[dict[str, Any]]:
    """What the running request's scope leaves out, on a data route (empty otherwise)."""
    if not has_request_context() or not _data_route():
        return []
    scope = access.current()
    if scope is None:
        return []
    cached: tuple[Any, list[dict[str, Any]]] | None = g.get("og_absent")
    if cached is None or cached[0] is not scope:
        cached = (scope, absent_dicts(get_store().registry, scope))
        g.og_absent = cached
    return cached[1]


def sees(purpose_class: str) -> bool:
    """False when the running request's scope leaves ``purpose_class`` out (then a count
    of its facts is no finding and is shown as not visible, never as 0)."""
    return all(a["class"] != purpose_class for a in current_absent())


def _with_absent(body: bytes, absent: list[dict[str, Any]]) -> bytes | None:
    """``body`` (a JSON object) with the block added as its last key; None when it is no
    object or already has the key at its top level."""
    text = body.strip()
    if not (text.startswith(b"{") and text.endswith(b"}")):
        return None
    if _MARK in text:  # rare (the screening): decide on the parsed answer
        parsed = json.loads(text)
        if not isinstance(parsed, dict) or ABSENT_KEY in parsed:
            return None
    block = _MARK + b":" + current_app.json.dumps(absent).encode()
    inner = text[1:-1].strip()
    return b"{" + inner + (b"," if inner else b"") + block + b"}"


def _add_to_json(response: Response) -> Response:
    if not 200 <= response.status_code < 300 or not response.is_json \
            or response.is_streamed:
        return response
    absent = current_absent()
    if not absent:
        return response
    body = _with_absent(response.get_data(), absent)
    if body is not None:
        response.set_data(body)
    return response


def _context() -> dict[str, Any]:
    return {"scope_absent": current_absent()}


def init_app(app: Flask) -> None:
    """Install the page value and the JSON hook on ``app``."""
    app.context_processor(_context)
    app.after_request(_add_to_json)


# -- the contract (graph_service.web.openapi) -------------------------------------------------
_TEXT = {"type": "string"}
#: the OpenAPI schema of one item of the block (component ``AbsentSource``)
ABSENT_SOURCE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "class": {"type": "string", "enum": list(PURPOSE_CLASSES)},
        "sources": {"type": "array", "items": {"type": "string", "enum": list(SOURCES)}},
        "what": {**_TEXT, "description": "the kind of source, in Dutch"},
        "notice": {**_TEXT, "description": "Dutch notice: not visible for this role and "
                                           "purpose"},
        "how": {**_TEXT, "description": "how to get it for this purpose, in Dutch"},
        "indicators": {"type": "array", "items": _TEXT,
                       "description": "codes of the indicators that rest on it: not "
                                      "evaluated"},
    },
    "required": ["class", "sources", "what", "notice", "how", "indicators"],
    "additionalProperties": False,
    "description": "One kind of source the scope leaves out (docs/security.md, Honest "
                   "absence).",
}
#: the block as a property of an answer
ABSENT_SOURCES: dict[str, Any] = {
    "type": "array",
    "items": {"$ref": "#/components/schemas/AbsentSource"},
    "description": "present only when the role and purpose leave kinds of source out: per "
                   "purpose class a Dutch notice, how to get it, and the indicators resting "
                   "on it (not evaluated); an empty list or 0 in the answer is then no "
                   "finding about what is left out",
}


def declare_absent(paths: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Declare ``absent_sources`` on every 2xx JSON answer of the API routes in ``paths``
    (the schemas they name in ``schemas``, or their own inline object schema)."""
    for route, item in paths.items():
        if not route.startswith("/api/"):
            continue
        for op in item.values():
            for status, response in op.get("responses", {}).items():
                if not (isinstance(response, dict) and status.startswith("2")):
                    continue
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if not isinstance(schema, dict):
                    continue
                ref = schema.get("$ref", "")
                target = schemas.get(ref.rsplit("/", 1)[-1]) if ref else schema
                if isinstance(target, dict) and target.get("type") == "object":
                    target.setdefault("properties", {}).setdefault(ABSENT_KEY, ABSENT_SOURCES)
