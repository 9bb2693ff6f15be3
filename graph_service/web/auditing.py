"""One audit record for every response of a data route, written before the response leaves.

Kept in one place: :func:`init_app` installs

* a JSON provider that notes what every ``jsonify`` of a data route hands out, and a
  ``template_rendered`` listener that notes what every page's template was given (the
  uids in nested dicts, lists and ``to_dict()`` objects, :func:`~graph_service.security.
  audit.uids_in`; graph nodes carry their uid too);
* an ``after_request`` hook that, for every request :mod:`.auth` marked as audited (a data
  route with a known user: every API, page and graph route), appends one record:
  actor, roles, purpose, reference, action ``read`` (``denied`` when the policy refused),
  what (method, path, endpoint, query and path parameters, status, session or token),
  the uids returned (only for a 2xx answer, or a 409 with the candidates of an
  ambiguous name), the client IP and the outcome ``ok``,
  ``denied`` or ``error``.

Fail closed: when the record cannot be written the response is replaced by a 503 and no
data leaves. Requests without a known user (no or a bad login) are not recorded here: the
account layer records bad tokens and passwords (``login_failed``), and a request without
any credentials got nothing.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, g, has_request_context, jsonify, render_template, request
from flask import template_rendered as template_rendered_signal
from flask.json.provider import DefaultJSONProvider
from jinja2 import Template
from werkzeug.sansio.response import Response as SansioResponse

from ..security.audit import Actor, AuditError, uids_in
from . import auth
from .http import GENERIC_MESSAGES, error_body, wants_json

__all__ = ["init_app", "note_returned", "MAX_PARAM_CHARS"]

log = logging.getLogger(__name__)

MAX_PARAM_CHARS = 300  # a parameter longer than this is cut in the record
_SKIP_CONTEXT = frozenset({"g", "request", "session", "config", "url_for", "get_flashed_messages",
                           "csrf_token", "user", "role_titles"})
_SYNTHETIC = ("overflow:",)  # graph nodes that stand for hidden neighbours, not entities


def _plain(value: Any) -> Any:
    """``value`` with objects that have ``to_dict()`` (or are dataclasses) made into dicts."""
    if isinstance(value, Mapping | list | tuple | str | int | float | bool) or value is None:
        return value
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return None


def note_returned(value: Any) -> None:
    """Note the uids in ``value`` as handed out by the running (audited) request."""
    if not has_request_context():
        return
    state = auth.current()
    if not state.audited:
        return
    for uid in uids_in(_plain(value)):
        if not uid.startswith(_SYNTHETIC):
            state.uids.setdefault(uid, None)


class AuditingJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider that notes the uids of every JSON response of a data route."""

    def response(self, *args: Any, **kwargs: Any) -> SansioResponse:
        note_returned(args[0] if len(args) == 1 else (list(args) or kwargs))
        return super().response(*args, **kwargs)


def _on_render(sender: Flask, template: Template, context: dict[str, Any],
               **extra: Any) -> None:
    note_returned([_plain(v) for k, v in context.items() if k not in _SKIP_CONTEXT])


def _cut(value: str) -> str:
    return value if len(value) <= MAX_PARAM_CHARS else value[:MAX_PARAM_CHARS] + "…"


def _what(response: Response, state: auth.RequestAuth) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key in request.args:
        values = [_cut(v) for v in request.args.getlist(key)]
        params[_cut(key)] = values[0] if len(values) == 1 else values
    for key, value in (request.view_args or {}).items():
        params[key] = _cut(str(value))
    what: dict[str, Any] = {
        "name": f"{request.method} {_cut(request.path)}",
        "endpoint": request.endpoint,
        "params": params,
        "status": response.status_code,
        "auth": state.method,
    }
    if state.raw_purpose is not None:
        what["purpose_asked"] = state.raw_purpose
    if state.denied is not None:
        what["reason"] = state.denied
    if g.get("og_decision") is not None:  # what a decision route decided (web.review)
        what["judgement"] = g.og_decision
    return what


def _unavailable() -> Response:
    message = GENERIC_MESSAGES[503].replace("de grafdatabase", "het logboek")
    if wants_json():
        response = jsonify(error_body(503, message))
    else:
        response = Response(render_template("error.html", status=503, message=message),
                            mimetype="text/html")
    response.status_code = 503
    return response


def _audit(response: Response) -> Response:
    state: auth.RequestAuth | None = g.get("og_auth")
    if state is None or not state.audited or state.identity is None:
        return response
    status = response.status_code
    if status == 403 or state.denied is not None:  # also a refusal sent back to /doel
        action, outcome = "denied", "denied"
    else:  # a route that changes the graph may name its action (web.review: judgement)
        action, outcome = g.get("og_action", "read"), "ok" if status < 400 else "error"
    # a 409 (a name that fits several entities) hands out its candidates: recorded too
    uids = list(state.uids) if 200 <= status < 300 or status == 409 else []
    identity = state.identity
    try:
        auth.security().audit.record(
            Actor(identity.username, tuple(sorted(identity.roles)), auth.client_ip()),
            action, _what(response, state), purpose=state.purpose,
            reference=state.reference, uids=uids, outcome=outcome)
    except (AuditError, OSError):
        log.exception("audit record failed: %s %s not answered", request.method,
                      request.path)
        return _unavailable()
    return response


def init_app(app: Flask) -> None:
    """Audit every data route of ``app`` (call after :func:`.auth.init_app`)."""
    app.json = AuditingJSONProvider(app)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    template_rendered_signal.connect(_on_render, app, weak=False)
    app.after_request(_audit)
