"""What the read queries share: the store's node and relationship shapes, argument checks
and the relationship-type filter.

Public for the other read modules (:mod:`graph_service.risk.screening` builds on them too);
callers outside the query and risk layers use :mod:`graph_service.queries`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..errors import InvalidParams
from ..model import REL_TYPES
from ..store import Store

__all__ = [
    "Row",
    "DEFAULT_REL_TYPES",
    "PROVENANCE_KEYS",
    "KINDS",
    "check_int",
    "check_date",
    "rel_types_param",
    "domain_labels",
    "label_of",
    "nodes_by_uid",
    "rel_from_row",
    "rel_key",
    "round_robin",
]

Row = dict[str, Any]

#: Relationship types walked when a caller names none: all but POSSIBLE_SAME_AS, which
#: links name-only look-alikes for review and is never an identity (ask for it by name).
DEFAULT_REL_TYPES: tuple[str, ...] = tuple(t for t in REL_TYPES if t != "POSSIBLE_SAME_AS")
PROVENANCE_KEYS: tuple[str, ...] = (
    "sources",
    "source_records",
    "first_seen",
    "last_seen",
    "grades",
    "purposes",
)
#: The short ``kind`` of an entity per label (search results, entity pages).
KINDS: dict[str, str] = {
    "Person": "person",
    "Organisation": "organisation",
    "Address": "address",
    "RuralObject": "object",
    "HolidayPark": "park",
    "ParkUnit": "unit",
    "BibobDossier": "dossier",
    "Signal": "signal",
}


def check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidParams(f"{name} must be a whole number from {low} to {high}, not {value!r}")
    return value


def check_date(name: str, value: object) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    raise InvalidParams(f"{name} must be a date or None, not {value!r}")


def rel_types_param(types: Iterable[str] | None) -> list[str]:
    """The relationship-type filter as a sorted list parameter.

    ``None`` or an empty list means :data:`DEFAULT_REL_TYPES`; any name not in
    :data:`graph_service.model.REL_TYPES` raises :class:`InvalidParams`.
    """
    if isinstance(types, str):
        raise InvalidParams("types must be a list of relationship types, not a string")
    chosen = set(types or ())
    unknown = sorted(chosen - set(REL_TYPES))
    if unknown:
        raise InvalidParams(f"unknown relationship types {unknown}; known: {list(REL_TYPES)}")
    return sorted(chosen) if chosen else sorted(DEFAULT_REL_TYPES)


def domain_labels(node: Row) -> list[str]:
    return [label for label in node.get("_labels", []) if label != "Entity"]


def label_of(node: Row) -> str:
    labels = domain_labels(node)
    return labels[0] if labels else "Entity"


def nodes_by_uid(store: Store, uids: Sequence[str]) -> dict[str, Row]:
    rows = store.read("read/entity_nodes", {"uids": list(uids)})
    return {row["node"]["uid"]: row["node"] for row in rows}


def rel_from_row(row: Row) -> Row:
    """A relationship row (type, start, end, props) in the store's relationship shape."""
    return {"_type": row["type"], "_start": row["start"], "_end": row["end"], **row["props"]}


def rel_key(rel: Row) -> tuple[str, str, str, str]:
    # (type, start, end, key) is the merge key of every relationship (docs/graph-model.md)
    return (rel["_type"], rel["_start"], rel["_end"], str(rel.get("key") or ""))


def round_robin(groups: Sequence[Sequence[Row]]) -> Iterator[Row]:
    """First item of every group, then every second item, ...: no group eats the budget."""
    longest = max((len(g) for g in groups), default=0)
    for i in range(longest):
        for g in groups:
            if i < len(g):
                yield g[i]
