"""The web layer: the app factory, JSON API, OpenAPI document and docs page, Dutch pages,
graph views.

Thin by design: each view parses and validates its parameters (:mod:`.params`), calls
``graph_service.queries`` / ``graph_service.risk`` (and ``graph_service.risk.screening``) and
renders JSON or a Jinja template (``templates/``, with CSS and JavaScript in ``static/``).

* :mod:`.app`: :func:`create_app`, the error handlers and the hardening headers;
* :mod:`.http`: what the factory and every blueprint share (the store, the one JSON error
  shape, JSON or page, the purpose headers);
* blueprints, none importing another: :mod:`.api`, :mod:`.openapi`, :mod:`.pages`,
  :mod:`.vis`, :mod:`.vendor` (vis-network served from the installed pyvis package) and
  the login pages of :mod:`.auth`;
* what the blueprints share beside :mod:`.http`: :mod:`.params` (request parameters),
  :mod:`.graphdata` (the graph JSON the views and pages embed), :mod:`.hits` (indicator
  hits: a page of them, capped counts, hits of shown entities);
* around them: :mod:`.auth` (login, sessions, tokens, the purpose and scope of each
  request, CSRF), :mod:`.sessions` (the server registry of logins), :mod:`.ratelimit`
  (failed logins) and :mod:`.auditing` (one audit record per response of a data route).
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
