"""The Flask application factory: one store per process, blueprints, one JSON error shape.

``create_app`` builds the app from ``ONDERGRAAF_*`` settings (or a ``test_config``) and
registers the blueprints of ``graph_service.web``: the JSON API under ``/api`` with its
OpenAPI document, the Dutch web pages, the graph views under ``/vis`` and the vendored
vis-network files. Every error of the API, ``/healthz`` and ``/openapi.json`` is one JSON
shape, :func:`.http.error_body`; the pages show the same message in a Dutch HTML page. A 5xx
never shows internals: the detail goes to the log. Every request is authenticated and runs for a
declared purpose (``web.auth``: login, sessions, tokens, ``/doel``), every read of a data
route is audited (``web.auditing``), and every response carries the hardening headers
(:func:`security_headers`); see ``docs/security.md`` section 7.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from ..config import load_settings
from ..errors import GraphUnavailable, InvalidParams, OndergraafError, QueryTimeout
from ..store import access
from . import (
    alerts,
    api,
    auditing,
    auth,
    health,
    metrics,
    notices,
    openapi,
    pages,
    review,
    vendor,
    vis,
)
from .http import GENERIC_MESSAGES, error_response, get_store
from .route_access import public

__all__ = ["create_app", "ScopeProvider", "OndergraafFlask", "CONTENT_SECURITY_POLICY",
           "security_headers"]

#: ``ONDERGRAAF_REQUEST_SCOPE``: called at the start of every request; the access scope
#: (``graph_service.store.access``) the request's reads run under, or None (no scope:
#: statements that declare ``$visible`` are refused, 403). The security layer provides it.
ScopeProvider = Callable[[], "access.Scope | None"]

log = logging.getLogger(__name__)

MAX_PATH_VALUE = 500  # characters of one path parameter


class OndergraafFlask(Flask):
    """Flask that runs each request under the access scope ``ONDERGRAAF_REQUEST_SCOPE`` gives.

    The scope wraps the whole dispatch (before-request hooks, view, error handlers) as one
    ``with`` block, so it can never outlive the request or leak into another. No provider,
    or a provider that answers None: no scope, and reads of facts are refused (403). The
    provider is :func:`graph_service.web.auth.request_scope` unless ``create_app`` is given
    another one.
    """

    def full_dispatch_request(self) -> Response:
        provider: ScopeProvider | None = self.config.get("ONDERGRAAF_REQUEST_SCOPE")
        try:
            chosen = provider() if provider is not None else None
        except Exception as exc:  # e.g. authentication failed: the one error shape
            return self.finalize_request(self.handle_user_exception(exc))
        if chosen is None:  # no scope, also when the caller had one (a test, an embedding)
            with access.no_scope():
                return super().full_dispatch_request()
        with access.scope(chosen):
            return super().full_dispatch_request()


def _register_errors(app: Flask) -> None:
    @app.errorhandler(OndergraafError)
    def handle_own(exc: OndergraafError) -> ResponseReturnValue:
        status = exc.status_code
        if status >= 500:
            if isinstance(exc, GraphUnavailable | QueryTimeout):
                log.warning("%s %s: %s", request.method, request.path, exc)
            else:
                log.error("%s %s failed", request.method, request.path, exc_info=exc)
            return error_response(status, GENERIC_MESSAGES.get(status, GENERIC_MESSAGES[500]))
        return error_response(status, str(exc))

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500
        headers = {}
        if status == 405 and exc.get_response().headers.get("Allow"):
            headers["Allow"] = exc.get_response().headers["Allow"]
        if status >= 500:
            return error_response(status, GENERIC_MESSAGES.get(status, GENERIC_MESSAGES[500]))
        return error_response(status, exc.description or exc.name, headers)

    @app.errorhandler(Exception)
    def handle_other(exc: Exception) -> ResponseReturnValue:
        log.error("%s %s failed", request.method, request.path, exc_info=exc)
        return error_response(500, GENERIC_MESSAGES[500])


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app from ``ONDERGRAAF_*`` settings, or from ``test_config``.

    ``test_config`` may hand in a store (``ONDERGRAAF_STORE``, used by the tests and the
    demo) and settings (``ONDERGRAAF_SETTINGS``); otherwise the store opens on first use.
    Every request is authenticated and runs under the scope of its user's roles and
    declared purpose (:mod:`graph_service.web.auth`); every read of a data route is
    audited (:mod:`graph_service.web.auditing`); every response gets the hardening headers
    (:func:`security_headers`). Only a ``test_config`` can replace the authentication:
    ``ONDERGRAAF_REQUEST_SCOPE`` (a :data:`ScopeProvider`, or None for no scope) then gives
    the scope of each request, without login or audit (tests of the scope hook itself).
    ``HIT_CACHE_SECONDS`` (env ``ONDERGRAAF_HIT_CACHE_SECONDS``; default 300, 0 = off) is
    how long indicator hits are reused for highlighting graphs and the indicator pages.
    """
    app = OndergraafFlask(__name__)
    app.url_map.merge_slashes = False  # "a//b" is not found, not a redirect in HTML
    app.config.from_mapping(
        HIT_CACHE_SECONDS=300,
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    app.config.from_prefixed_env("ONDERGRAAF")
    if test_config:
        app.config.update(test_config)
    if "ONDERGRAAF_SETTINGS" not in app.config:
        app.config["ONDERGRAAF_SETTINGS"] = load_settings()
    if "ONDERGRAAF_STORE" in app.config:  # a store handed in (tests, the demo command)
        app.extensions["ondergraaf_store"] = app.config["ONDERGRAAF_STORE"]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    app.after_request(security_headers)  # registered first: runs last, on every response
    if "ONDERGRAAF_REQUEST_SCOPE" not in (test_config or {}):  # login, purpose, audit
        auth.init_app(app)
        auditing.init_app(app)
    metrics.init_app(app)  # JSON access log, request metrics, /metrics
    notices.init_app(app)  # what the scope leaves out, on every page and JSON answer
    app.register_blueprint(api.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(vis.bp)
    app.register_blueprint(vendor.bp)
    app.register_blueprint(alerts.bp)
    app.register_blueprint(review.bp)
    _register_errors(app)

    @app.url_value_preprocessor
    def check_path_values(endpoint: str | None, values: dict[str, Any] | None) -> None:
        """Path parameters (uids, codes, dossier ids) are short text without control
        characters; the query parameters are checked by ``web.params``. (A NUL cannot even
        reach FalkorDB: it ends the query text there.)"""
        for name, value in (values or {}).items():
            if isinstance(value, str) and (len(value) > MAX_PATH_VALUE or any(
                    ord(c) < 32 or ord(c) == 127 for c in value)):
                raise InvalidParams(f"padparameter {name!r} is langer dan {MAX_PATH_VALUE} "
                                    "tekens of bevat stuurtekens")

    @app.get("/healthz")
    @public
    def healthz() -> ResponseReturnValue:
        return health.health_response(get_store())

    return app


#: no inline script or style, nothing from another host, no framing, forms only to us
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
#: files that hold no personal data and may be cached (they set their own Cache-Control)
CACHEABLE_ENDPOINTS = frozenset({"static", "vendor.vis_file"})


def security_headers(response: Response) -> Response:
    """Hardening headers on every response; ``no-store`` on all but static assets."""
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    if request.endpoint not in CACHEABLE_ENDPOINTS or response.status_code >= 400:
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return response
