"""What the app factory and every blueprint share: the app's store, the one JSON error shape,
whether a request gets JSON or a page, and the request headers of a token client's purpose.

Every error of the API, ``/healthz`` and ``/openapi.json`` is :func:`error_body`:
``{"ok": false, "status", "code", "error"}``, where ``error`` is a Dutch message for people
and ``code`` a stable machine-readable name for integrators (:data:`ERROR_CODES`, listed in
docs/api.md). The pages show the same message in a Dutch HTML page (:func:`error_response`
picks by :func:`wants_json`). A 5xx never shows internals: its message is one of
:data:`GENERIC_MESSAGES`; the English defaults of werkzeug (an unknown route, a method not
allowed) are answered in Dutch too (:data:`HTTP_MESSAGES`).
"""

from __future__ import annotations

import atexit
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import default_exceptions

from ..config import Settings
from ..store import Store, open_store

__all__ = [
    "ERROR_CODES",
    "GENERIC_MESSAGES",
    "HTTP_MESSAGES",
    "JSON_PREFIXES",
    "PURPOSE_HEADER",
    "REFERENCE_HEADER",
    "app_extension",
    "dutch",
    "error_body",
    "error_code",
    "error_response",
    "get_store",
    "wants_json",
]

#: The purpose (doelbinding) and its reference, sent by a token client with each request.
PURPOSE_HEADER = "X-Ondergraaf-Purpose"
REFERENCE_HEADER = "X-Ondergraaf-Reference"

# Messages users see for statuses whose detail must not leave the server.
GENERIC_MESSAGES = {
    500: "interne fout",
    503: "de grafdatabase is niet bereikbaar; probeer het later opnieuw",
    504: "de vraag duurde te lang en is afgebroken; maak de vraag kleiner of probeer het "
         "later opnieuw",
}
#: Dutch messages for werkzeug's own (English) errors: unknown routes, wrong methods, ...
HTTP_MESSAGES = {
    400: "het verzoek is onjuist",
    404: "deze pagina of API-route bestaat niet",
    405: "deze HTTP-methode is hier niet toegestaan",
    406: "dit antwoordformaat is niet beschikbaar",
    413: "het verzoek is te groot",
    414: "het adres (URL) is te lang",
    415: "dit inhoudstype wordt niet ondersteund",
    431: "de headers van het verzoek zijn te groot",
}
#: The stable ``code`` of every API error, with what it means (docs/api.md lists them).
#: An error raised with an ``error_code`` attribute names its own; otherwise its status
#: decides (:func:`error_code`).
ERROR_CODES: dict[str, str] = {
    "bad_request": "400: the request is malformed",
    "missing_parameter": "400: a required parameter is missing",
    "unauthenticated": "401: no token and no session; log in or send a bearer token",
    "invalid_token": "401: the bearer token is unknown, revoked or of a disabled account",
    "invalid_request": "401: the Authorization header is not 'Bearer <token>'",
    "purpose_required": "403: no purpose declared (X-Ondergraaf-Purpose, or /doel)",
    "forbidden": "403: the role may not work for this purpose or reference, or the purpose "
                 "does not cover this request",
    "case_purpose_required": "403: alerts and watches belong to a case: the purpose must be "
                             "riec_casus or bibob_toets, with its reference",
    "not_found": "404: no such entity, dossier, indicator or route",
    "method_not_allowed": "405: the route exists, the method does not",
    "payload_too_large": "413: the request body is too large",
    "invalid_parameter": "422: a parameter is malformed or out of range",
    "same_entity": "422: 'from' and 'to' of a path search are the same entity",
    "ambiguous_name": "409: a name fits several entities; the answer lists the candidates "
                      "with their identity line, ask again with the uid of one",
    "too_many_attempts": "429: too many failed credentials for this account, token or "
                         "address; see Retry-After",
    "internal_error": "500: unexpected error; the detail is only in the server log",
    "audit_unavailable": "503: the audit trail cannot be written; nothing is handed out",
    "unavailable": "503: the graph engine cannot be reached",
    "timeout": "504: the engine cancelled a read that ran too long",
}
_CODE_OF_STATUS = {
    400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 413: "payload_too_large", 422: "invalid_parameter",
    429: "too_many_attempts", 500: "internal_error", 503: "unavailable", 504: "timeout",
}
JSON_PREFIXES = ("/api/", "/healthz", "/openapi.json")

_lock = threading.RLock()  # one extension's maker may ask for another (the store)
T = TypeVar("T")


def app_extension(key: str, make: Callable[[], T]) -> T:
    """The current app's extension ``key``: made by ``make`` on first use, once per
    process however many threads ask at the same time."""
    app = current_app
    found = app.extensions.get(key)
    if found is None:
        with _lock:
            found = app.extensions.get(key)
            if found is None:
                found = app.extensions[key] = make()
    return cast(T, found)


def get_store() -> Store:
    """The process's store, opened on first use and closed at exit."""
    def make() -> Store:
        settings: Settings = current_app.config["ONDERGRAAF_SETTINGS"]
        store = open_store(settings)
        atexit.register(store.close)
        return store

    return app_extension("ondergraaf_store", make)


def error_code(status: int, exc: BaseException | None = None) -> str:
    """The stable code of an error: the exception's own ``error_code`` (when it belongs to
    ``status``), else the status's. Without ``exc``: the exception being handled (error
    handlers run inside its ``except``)."""
    if exc is None:
        exc = sys.exc_info()[1]
    own = getattr(exc, "error_code", None)
    if isinstance(own, str) and own in ERROR_CODES and ERROR_CODES[own][:3] == str(status):
        return own
    return _CODE_OF_STATUS.get(status, "bad_request" if status < 500 else "internal_error")


def error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    """The one JSON error shape of the API: ``{"ok": false, "status", "code", "error"}``."""
    return {"ok": False, "status": status, "code": code or error_code(status),
            "error": message}


def dutch(status: int, message: str) -> str:
    """``message``, or its Dutch version when it is one of werkzeug's English defaults."""
    default = default_exceptions.get(status)
    if default is not None and message in (default.description, default.name):
        return HTTP_MESSAGES.get(status, message)
    return message


def wants_json() -> bool:
    """True for API requests (JSON errors); pages get an HTML error page."""
    path = request.path
    return path == "/api" or path.startswith(JSON_PREFIXES)


def error_response(status: int, message: str, headers: dict[str, str] | None = None
                   ) -> ResponseReturnValue:
    """The error in the one JSON shape for the API, else the Dutch error page."""
    message = dutch(status, message)
    if wants_json():
        return jsonify(error_body(status, message)), status, headers or {}
    html = render_template("error.html", status=status, message=message)
    return html, status, headers or {}
