"""The Flask application: one store per process, blueprints, one JSON error shape."""

from __future__ import annotations

import atexit
import threading
from typing import Any

from flask import Flask, current_app, jsonify
from werkzeug.exceptions import HTTPException

from .config import Settings, load_settings
from .errors import OndergraafError
from .store import Store, open_store

__all__ = ["create_app", "get_store"]

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
    """The one JSON error shape of the API."""
    return {"ok": False, "status": status, "error": message}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app from ``ONDERGRAAF_*`` settings, or from ``test_config``."""
    app = Flask(__name__)
    app.config.from_mapping(JSON_SORT_KEYS=False)
    app.config.from_prefixed_env("ONDERGRAAF")
    if test_config:
        app.config.update(test_config)
    if "ONDERGRAAF_SETTINGS" not in app.config:
        app.config["ONDERGRAAF_SETTINGS"] = load_settings()
    if "ONDERGRAAF_STORE" in app.config:  # a store handed in (tests, the demo command)
        app.extensions["ondergraaf_store"] = app.config["ONDERGRAAF_STORE"]

    @app.get("/healthz")
    def healthz() -> Any:
        info = get_store().health()
        return jsonify(info), (200 if info["ok"] else 503)

    @app.errorhandler(OndergraafError)
    def handle_own(exc: OndergraafError) -> Any:
        status = exc.status_code if exc.status_code != 500 else 500
        message = str(exc) if status < 500 else "interne fout"
        return jsonify(error_body(status, message)), status

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException) -> Any:
        status = exc.code or 500
        return jsonify(error_body(status, exc.description or exc.name)), status

    return app
