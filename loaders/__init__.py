"""Loaders: one module per source, all with the same shape (see ``loaders.base``)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from graph_service.model import SOURCES

if TYPE_CHECKING:
    from .base import SourceSpec

__all__ = ["SOURCE_MODULES", "spec_for"]

#: The loader module of every source of the model (``graph_service.model.SOURCES``): source
#: ``x`` is loaded by ``loaders.x``. Load order matters only for display names
#: (``graph_service.model.LOAD_ORDER``: the KvK extract names organisations that other
#: sources know by number alone).
SOURCE_MODULES: dict[str, str] = {name: f"{__name__}.{name}" for name in SOURCES}


def spec_for(source: str) -> SourceSpec:
    """The :class:`SourceSpec` of a source name (``kvk``, ``bibob``, ...)."""
    try:
        module = import_module(SOURCE_MODULES[source])
    except KeyError:
        raise KeyError(f"unknown source {source!r}; known: {', '.join(SOURCE_MODULES)}") from None
    spec: SourceSpec = module.SPEC
    return spec
