"""Honest absence of every trimmed answer, with the indicators the scope cannot evaluate.

:func:`graph_service.security.absence.absent_sources` names the kinds of source a scope
leaves out. An answer about hits or risk must also not read as clean where an indicator
rests on such a source: an indicator that matches RIEC signals cannot fire for a role that
does not see them, so "no hits" is no finding there. :func:`absent_dicts` gives the
``absent_sources`` block of any answer (web pages, the API, the command line): per purpose
class left out its notice, how to get it, and ``indicators``, the codes of the indicators
that rest on it (not evaluated). The Bibob screening report carries the same block
(:meth:`graph_service.risk.screening.ScreeningReport.absent_dicts`).
"""

from __future__ import annotations

from typing import Any

from ..security.absence import absent_sources
from ..store.access import Scope
from ..store.registry import Registry
from .indicators import list_indicators
from .screening import RESTS_ON

__all__ = ["absent_dicts", "resting_on"]


def resting_on(registry: Registry, purpose_class: str) -> tuple[str, ...]:
    """The codes of the indicators whose statement reads facts of ``purpose_class``."""
    pattern = RESTS_ON.get(purpose_class)
    if pattern is None:
        return ()
    return tuple(i.code for i in list_indicators(registry)
                 if pattern.search(registry.get(i.statement).text))


def absent_dicts(registry: Registry, scope: Scope | None) -> list[dict[str, Any]]:
    """The ``absent_sources`` block of an answer read under ``scope`` (empty: it sees
    every source), each item with the indicators resting on it."""
    return [{**a.to_dict(), "indicators": list(resting_on(registry, a.purpose_class))}
            for a in absent_sources(scope)]
