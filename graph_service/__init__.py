"""Ondergraaf: the graph service (store, queries, risk engine, Flask app, security)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app"]


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The Flask application factory (see ``graph_service.web.app``)."""
    from .web.app import create_app as factory

    return factory(test_config)
