"""What a notebook prints for its reader, in Dutch: who reads under which purpose, and the
summary of a Bibob screening as a table (no field names, no indicator codes).

>>> rows = summary_table({"parties": 3, "signals": None, "indicators": [],
...                       "network_truncated": False})
>>> [r["aantal"] for r in rows]
[3, False, 'niet zichtbaar voor uw rol en doel', 'geen']
>>> rows.headers, Table._cell(False)
(('onderdeel', 'aantal'), 'nee')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import risk
from ..security.absence import WHAT
from ..security.policy import PURPOSES, ROLE_TITLES
from ..security.session import Session
from .networks import Table, table

__all__ = ["SUMMARY_NAMES", "session_line", "summary_table"]

#: The parts of a screening's summary (``ScreeningReport.summary()``) as the report names them.
SUMMARY_NAMES: Mapping[str, str] = {
    "parties": "partijen",
    "declared_relations": "opgegeven relaties",
    "undeclared_relations": "niet-opgegeven KvK-relaties",
    "network": "netwerk (art. 3 lid 4, tot 3 stappen)",
    "network_truncated": "netwerk ingekort",
    "network_hidden": "niet getoond in het netwerk",
    "hubs": "knooppunten niet doorgelopen (banken, overheden)",
    "signals": "RIEC-signalen op partijen en netwerk",
    "location_signals": "RIEC-signalen op de locatie",
    "hits": "indicatortreffers",
    "indicators": "indicatoren",
}
_NOT_VISIBLE = "niet zichtbaar voor uw rol en doel"


def session_line(session: Session) -> str:
    """Who reads, as what, for which purpose, and what the purpose lets them see."""
    roles = ", ".join(ROLE_TITLES.get(r, r) for r in session.actor.roles) or "geen rol"
    purpose = PURPOSES[session.purpose].title if session.purpose in PURPOSES else "onbekend"
    reference = f" {session.reference}" if session.reference else ""
    scope = session.scope
    seen = ", ".join(WHAT.get(c, c) for c in sorted(scope.visible)) or "niets"
    masked = "; personen gepseudonimiseerd" if scope.pseudonymise else ""
    closed = " (gesloten)" if session.closed else ""
    return (f"Sessie van {session.actor.name} als {roles}, doel {purpose}{reference}"
            f"{closed}; zichtbaar: {seen}{masked}")


def summary_table(summary: Mapping[str, Any]) -> Table:
    """A screening's summary as rows of (onderdeel, aantal), in the report's words."""
    titles = {i.code: i.title for i in risk.list_indicators()}
    rows = []
    for key, name in SUMMARY_NAMES.items():
        if key not in summary:
            continue
        value = summary[key]
        if value is None:
            value = _NOT_VISIBLE
        elif key == "indicators":
            value = "; ".join(titles.get(c, c) for c in value) or "geen"
        rows.append({"onderdeel": name, "aantal": value})
    return table(rows)
