"""The rows a load gives the merge templates (``cypher/templates/``) about one fact.

A row holds the fact's key (``uid``; for a relationship ``start``, ``end`` and ``key``),
its properties (``props``) and its provenance lists complete: the templates compute
nothing for a new fact, they set what the row says. ``loaders.writer`` builds the rows:
:func:`single_row` for a fact one record of a batch is about (most facts), its ``Merged``
for a fact of several records.

A fact of one record that the graph does not hold yet stays a :class:`NewFact` (its
record, not its row) until it is written: the embedded engine encodes it for its bulk
insert straight from the record (``bulk_insert``), and any other writer, or a value the
bulk insert cannot carry, takes :meth:`NewFact.row`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

from graph_service.model import MATCHING_PROPERTIES

__all__ = ["NOT_SEEN_YET", "NewFact", "Provenance", "encode_value", "prov_props", "prov_values",
           "single_row", "source_record"]

#: The matching keys, for the two tests per property of every row (a tuple's is twice as slow)
_MATCHING = frozenset(MATCHING_PROPERTIES)

#: The first-seen date of a fact no record has been added to yet: later than any record's.
NOT_SEEN_YET = "9999-12-31"

#: ``json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))`` with
#: its encoder made once (``dumps`` with options builds one per call)
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def encode_value(value: Any) -> str:
    """A property value as stored in ``prov_values`` (JSON; read back by the store's
    access filter)."""
    return _ENCODE(value)


class Provenance(Protocol):
    """What a record says of where it comes from (``loaders.records.Prov``)."""

    @property
    def source(self) -> str: ...
    @property
    def record(self) -> str: ...
    @property
    def grade(self) -> str: ...
    @property
    def purpose(self) -> str: ...
    @property
    def seen(self) -> str: ...


def single_row(props: Mapping[str, Any], prov: Provenance, run: str | None = None, /,
               full: bool = False, **keys: str) -> dict[str, Any]:
    """The row of a fact one record of a batch is about: what ``loaders.writer.Merged``
    gives after one ``add`` (``Merged.row``), without building it. Most facts of a batch
    have one record, and the accumulator is a good part of a load's Python time. ``run``
    stamps the row (``prov_run``); ``full`` (a full extract) lets its empty cells clear."""
    given = {k: v for k, v in props.items() if v is not None}
    source, seen, grade = prov.source, prov.seen, prov.grade
    first = min(seen, NOT_SEEN_YET)
    extra: dict[str, Any] = {"prov_run": [f"{source}|{run}"]} if run else {}
    if full and len(given) < len(props):
        empty = sorted(k for k, v in props.items() if v is None)
        extra["clear"] = [f"{source}|{k}" for k in empty]
        extra["unset"] = [{k: None} for k in empty]
    return {**keys, **extra, "props": given, "sources": [source],
            "source_records": [source_record(prov)], "grades": [grade],
            "purposes": [prov.purpose], "first_seen": first, "last_seen": seen,
            "prov_seen": [f"{source}|{first}|{seen}"], "prov_grades": [f"{source}:{grade}"],
            "prov_props": prov_props(source, given),
            "prov_values": prov_values(source, given)}


def source_record(prov: Provenance) -> str:
    """The record as listed in ``source_records``."""
    return f"{prov.source}:{prov.record}"


def prov_values(source: str, given: Mapping[str, Any]) -> list[str]:
    """What ``source`` says of each property it gives, as listed in ``prov_values`` (the
    matching keys left out: they are derived, never shown)."""
    return [f"{source}|{k}|{encode_value(v)}" for k, v in given.items()
            if k not in _MATCHING]


def prov_props(source: str, given: Mapping[str, Any]) -> list[str]:
    """The properties ``source`` gives that :func:`prov_values` leaves out (the matching
    keys), as listed in ``prov_props``: what a source supplied is both lists' properties
    (docs/graph-model.md, "Provenance per source")."""
    return [f"{source}|{k}" for k in given if k in _MATCHING]


class NewFact(dict[str, str]):
    """A fact one record is about that the graph does not hold: as a mapping, its key
    (``uid``, or ``start``, ``end`` and ``key``), so that whoever looks at the rows of a
    write by their keys (the hit refresh's recorder) sees it as a row; beside that the
    record's properties as given (its empty cells left out), provenance and load run.
    :meth:`row` is its statement row (:func:`single_row`)."""

    __slots__ = ("given", "prov", "run")

    def __init__(self, props: Mapping[str, Any], prov: Provenance, run: str | None, /,
                 **keys: str) -> None:
        super().__init__(keys)
        self.given = {k: v for k, v in props.items() if v is not None}
        self.prov = prov
        self.run = run

    def row(self) -> dict[str, Any]:
        """The statement row (a new fact: nothing to clear)."""
        return single_row(self.given, self.prov, self.run, False, **self)
