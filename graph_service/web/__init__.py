"""The web layer: JSON API, OpenAPI document and docs page, Dutch pages, graph views.

Thin by design: each view parses and validates its parameters (:mod:`.params`), calls
``graph_service.queries`` / ``graph_service.risk`` (and ``graph_service.risk.screening``) and
renders JSON or a Jinja template. Modules: :mod:`.api`, :mod:`.openapi`, :mod:`.pages`,
:mod:`.vis`, :mod:`.vendor` (vis-network served from the installed pyvis package). Around them:
:mod:`.auth` (login, sessions, tokens, the purpose and scope of each request, CSRF),
:mod:`.sessions` (the server registry of logins), :mod:`.ratelimit` (failed logins) and
:mod:`.auditing` (one audit record per response of a data route).
"""

from __future__ import annotations

__all__ = ["api", "auditing", "auth", "openapi", "pages", "params", "ratelimit", "sessions",
           "vendor", "vis"]
