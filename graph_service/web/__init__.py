"""The web layer: JSON API, OpenAPI document and docs page, Dutch pages, graph views.

Thin by design: each view parses and validates its parameters (:mod:`.params`), calls
``graph_service.queries`` / ``graph_service.risk`` / ``graph_service.screening`` and renders
JSON or a Jinja template. Modules: :mod:`.api`, :mod:`.openapi`, :mod:`.pages`, :mod:`.vis`,
:mod:`.vendor` (vis-network served from the installed pyvis package).
"""

from __future__ import annotations

__all__ = ["api", "openapi", "pages", "params", "vendor", "vis"]
