"""The risk engine: indicators, their hits with evidence, risk scores and Bibob screening.

Modules: :mod:`.indicators` (the indicator definitions in ``cypher/indicators/``, their
thresholds and parameters), :mod:`.evidence` (evidence paths, facts and their provenance,
entity references), :mod:`.scoring` (hits and risk scores; its names are also here) and
:mod:`.screening` (the Bibob screening of a dossier).
"""

from __future__ import annotations

from .scoring import (
    GRADE_WEIGHTS,
    Contribution,
    Hit,
    Indicator,
    RiskScore,
    grade_weight,
    hits,
    hits_on_entities,
    hits_on_entity,
    list_indicators,
    risk,
)

__all__ = [
    "GRADE_WEIGHTS",
    "Contribution",
    "Hit",
    "Indicator",
    "RiskScore",
    "grade_weight",
    "hits",
    "hits_on_entities",
    "hits_on_entity",
    "list_indicators",
    "risk",
]
