"""What the app factory and every blueprint share: the app's store, the one JSON error shape,
whether a request gets JSON or a page, and the request headers of a token client's purpose.

Every error of the API, ``/healthz`` and ``/openapi.json`` is :func:`error_body`; the pages
show the same message in a Dutch HTML page (:func:`error_response` picks by
:func:`wants_json`). A 5xx never shows internals: its message is one of
:data:`GENERIC_MESSAGES`.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any

from flask import current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from ..config import Settings
from ..store import Store, open_store

__all__ = [
    "GENERIC_MESSAGES",
    "JSON_PREFIXES",
    "PURPOSE_HEADER",
    "REFERENCE_HEADER",
    "error_body",
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
JSON_PREFIXES = ("/api/", "/healthz", "/openapi.json")

_lock = threading.Lock()


def get_store() -> Store:
    """The process's store, opened on first use and closed at exit."""
    app = current_app
    store: Store | None = app.extensions.get("ondergraaf_store")
    if store is None:
        with _lock:
            store = app.extensions.get("ondergraaf_store")
            if store is None:
                settings: Settings = app.config["ONDERGRAAF_SETTINGS"]
                store = open_store(settings)
                app.extensions["ondergraaf_store"] = store
                atexit.register(store.close)
    return store


def error_body(status: int, message: str) -> dict[str, Any]:
    """The one JSON error shape of the API: ``{"ok": false, "status", "error"}``."""
    return {"ok": False, "status": status, "error": message}


def wants_json() -> bool:
    """True for API requests (JSON errors); pages get an HTML error page."""
    path = request.path
    return path == "/api" or path.startswith(JSON_PREFIXES)


def error_response(status: int, message: str, headers: dict[str, str] | None = None
                   ) -> ResponseReturnValue:
    """The error in the one JSON shape for the API, else the Dutch error page."""
    if wants_json():
        return jsonify(error_body(status, message)), status, headers or {}
    html = render_template("error.html", status=status, message=message)
    return html, status, headers or {}
