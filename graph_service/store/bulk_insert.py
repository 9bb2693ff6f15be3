"""Facts new to the graph, created through FalkorDB's own bulk insert (``GRAPH.BULK``).

A load's merge templates (``cypher/templates/``) create a fact the graph does not hold in
their ``ON CREATE`` branch: the row's properties, then its provenance lists as given. The
embedded engine parses each statement's parameters from text, and that parse, not the
merge, is most of what a new fact costs there: about 56 µs a node and 35 µs a
relationship at 100k through the template, against 22 µs and 5 µs through the bulk
insert in the same load, its indexes kept (docs/benchmarks.md, "New facts through the
engine's bulk insert"). So :class:`~.falkordb_store.EmbeddedFalkorStore` writes rows it
knows to be new as binary records instead, with exactly the properties the ``ON CREATE``
branch sets (:func:`node_properties`, :func:`relationship_properties`); a test compares
the graphs (tests/store/test_bulk_insert.py). A new fact of one record
(:class:`~.rows.NewFact`, most of a first load) is encoded from its record without a
row: the facts that give the same properties share a blob, and the provenance they share
(source, grade, purpose, date, run) is encoded once (:func:`node_blobs`,
:class:`EdgeBlobs`; KvK's new facts at 100k: 3.0-3.4 -> 2.0-2.5 s of processor time from
the spilled batch to the blobs). A loader encodes a batch while the engine writes the one
before (``Store.ready_new``); a relationship's two node ids go in front of its encoded
values only when it is sent (:meth:`EdgeBlobs.blobs`).

``GRAPH.BULK <graph> <nodes> <edges> <node blobs> <edge blobs> blob...`` without
``BEGIN`` adds to a graph that exists, updating its indexes as a ``CREATE`` does. A blob
is one label set (or one relationship type) with a header of property names, then one
record per entity: for a node its values, for an edge the two node ids and its values.
A value is one type byte and its payload (FalkorDB ``src/bulk_insert/bulk_insert.c``);
a null value leaves the property out. The engine checks little of a blob (and drops the
whole graph when it cannot read the two counts of blobs, which are always sent as
numbers here), so this module refuses anything it cannot encode exactly: a label, type
or property name that is not a plain identifier (the labels and types come from the
model's allow-list through the expanded template), a text holding a NUL, a number out of
range or not finite, a list holding a null, a value of another type. The store then
writes those rows through the merge, which stores such values its own way.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .rows import NewFact, prov_values, source_record

__all__ = ["EdgeBlobs", "node_blob", "node_blobs", "node_properties",
           "relationship_properties"]

_NULL, _BOOL, _DOUBLE, _STRING, _LONG, _ARRAY = (bytes([t]) for t in range(6))
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_LONG_PACK = struct.Struct("<q").pack
_DOUBLE_PACK = struct.Struct("<d").pack
_IDS_PACK = struct.Struct("<QQ").pack
_COUNT_PACK = struct.Struct("<I").pack

#: The provenance a merge template's ON CREATE branch copies from the row as it is
#: (``prov_values`` defaults to an empty list there; ``prov_run`` is left out without a run).
_GIVEN = ("sources", "source_records", "grades", "purposes", "first_seen", "last_seen",
          "prov_seen", "prov_grades", "prov_props")


def node_properties(row: Mapping[str, Any]) -> dict[str, Any]:
    """What ``MERGE ... ON CREATE`` of ``cypher/templates/merge_node.cypher`` sets on a new
    node from a complete row (``loaders.writer.Merged.row``): the row's properties, then
    its provenance."""
    return _created({"uid": row["uid"]}, row)


def relationship_properties(row: Mapping[str, Any]) -> dict[str, Any]:
    """As :func:`node_properties`, for ``merge_relationship.cypher`` (its ``key`` first)."""
    return _created({"key": row["key"]}, row)


def _created(first: dict[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    missing = [k for k in _GIVEN if row.get(k) is None]
    if missing:
        raise ValueError(f"a new fact's row lacks {', '.join(missing)}")
    out = {**first, **row["props"]}
    for k in _GIVEN:
        out[k] = row[k]
    out["prov_values"] = row.get("prov_values") or []
    if row.get("prov_run") is not None:
        out["prov_run"] = row["prov_run"]
    return out


def node_blobs(labels: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> list[bytes]:
    """The blobs of new nodes with the labels ``labels``, from the rows of their merge:
    statement rows in one blob (:func:`node_properties`), each set of :class:`NewFact`
    with the same given properties in one of its own (:func:`_facts_blob`)."""
    plain = [node_properties(r) for r in rows if not isinstance(r, NewFact)]
    blobs = [node_blob(labels, plain)] if plain else []
    name = ":".join(labels)
    for (shape, run), facts in _shapes(rows).items():
        blobs.append(_facts_blob(name, "uid", shape, run, facts))
    return blobs


class EdgeBlobs:
    """The blobs of new relationships of type ``rel_type`` from the rows of their merge,
    encoded before their ends' node ids are known: a blob per set of given properties
    (as :func:`node_blobs`), each edge's values encoded ahead; :meth:`blobs` puts the ids
    in front of them. So a loader encodes a batch's new relationships while the engine
    still writes the batch before, and only looks up the ids once the ends are stored."""

    def __init__(self, rel_type: str, rows: Sequence[Mapping[str, Any]]) -> None:
        #: per blob its header and per edge (start uid, end uid, encoded values)
        self.parts: list[tuple[bytes, list[tuple[str, str, bytes]]]] = []
        plain = [r for r in rows if not isinstance(r, NewFact)]
        if plain:
            props = [relationship_properties(r) for r in plain]
            keys = _keys(props)
            value = _Values().encode
            self.parts.append((_header(rel_type, keys), [
                (r["start"], r["end"], b"".join([value(p.get(k)) for k in keys]))
                for r, p in zip(plain, props, strict=True)]))
        for (shape, run), facts in _shapes(rows).items():
            header, bodies = _facts_parts(rel_type, "key", shape, run, facts)
            self.parts.append((header, [(f["start"], f["end"], body)
                                        for f, body in zip(facts, bodies, strict=True)]))

    def ends(self) -> set[str]:
        """The uids of the relationships' ends."""
        return {uid for _, edges in self.parts for s, e, _ in edges for uid in (s, e)}

    def blobs(self, ids: Mapping[str, Sequence[int]]) -> tuple[list[bytes], int]:
        """The blobs with the node ids ``ids`` gives for each end (one edge per pair of
        ids; an end without ids leaves its edges out) and the number of edges in them."""
        blobs, count = [], 0
        for header, edges in self.parts:
            parts = [header]
            for start, end, body in edges:
                for a in ids.get(start, ()):
                    for b in ids.get(end, ()):
                        parts.append(_IDS_PACK(a, b))
                        parts.append(body)
                        count += 1
            if len(parts) > 1:
                blobs.append(b"".join(parts))
        return blobs, count


def _shapes(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[tuple[str, ...], bool],
                                                     list[NewFact]]:
    """The new facts among ``rows`` by the properties they give and whether they carry a
    run: the facts of one blob."""
    out: dict[tuple[tuple[str, ...], bool], list[NewFact]] = {}
    for r in rows:
        if isinstance(r, NewFact):
            out.setdefault((tuple(r.given), bool(r.run)), []).append(r)
    return out


#: The provenance a new fact's record decides alone, in a blob of new facts: the same for
#: every fact of one source, grade, purpose, date and run (with the given properties)
_SHARED = ("sources", "grades", "purposes", "first_seen", "last_seen", "prov_seen",
           "prov_grades", "prov_props")


def _facts_blob(name: str, key: str, shape: tuple[str, ...], run: bool,
                facts: Sequence[NewFact]) -> bytes:
    """One blob of new nodes that give the properties ``shape`` (``key``: ``uid``), from
    :func:`_facts_parts`."""
    header, bodies = _facts_parts(name, key, shape, run, facts)
    return header + b"".join(bodies)


def _facts_parts(name: str, key: str, shape: tuple[str, ...], run: bool,
                 facts: Sequence[NewFact]) -> tuple[bytes, list[bytes]]:
    """The header of a blob of new facts that give the properties ``shape`` (``key``:
    ``uid`` or a relationship's ``key``) and each fact's encoded values. What
    :func:`node_properties` makes of each one's row, without the row: the provenance the
    facts share is encoded once (from the first fact's row), the record and the values
    it gives per fact."""
    shared = (*_SHARED, "prov_run") if run else _SHARED
    keys = [key, *shape, "source_records", "prov_values", *shared]
    value = _Values().encode
    encoded: dict[tuple[Any, ...], bytes] = {}
    bodies = []
    for fact in facts:
        prov, given = fact.prov, fact.given
        common = (prov.source, prov.grade, prov.purpose, prov.seen, fact.run)
        done = encoded.get(common)
        if done is None:
            row = fact.row()
            done = encoded[common] = b"".join([value(row[k]) for k in shared])
        bodies.append(b"".join([value(fact[key]), *[value(given[k]) for k in shape],
                                _text_list((source_record(prov),)),
                                _text_list(prov_values(prov.source, given)), done]))
    return _header(name, keys), bodies


def node_blob(labels: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> bytes:
    """One node blob: ``rows`` (property maps) with the labels ``labels``."""
    keys = _keys(rows)
    value = _Values().encode
    parts = [_header(":".join(labels), keys)]
    for row in rows:
        get = row.get
        parts.extend([value(get(k)) for k in keys])
    return b"".join(parts)


def _keys(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    return list(keys)


def _header(name: str, keys: Sequence[str]) -> bytes:
    if not all(_NAME.match(part) for part in name.split(":")):
        raise ValueError(f"label or type {name!r}: not a plain identifier")
    for k in keys:
        if not _NAME.match(k):
            raise ValueError(f"property name {k!r}: not a plain identifier")
    return b"".join([name.encode(), b"\0", _COUNT_PACK(len(keys)),
                     *(k.encode() + b"\0" for k in keys)])


class _Values:
    """Encodes values for one blob, each distinct text and list of texts once (a load's
    rows repeat their sources, grades, dates and provenance keys)."""

    def __init__(self) -> None:
        self.texts: dict[str, bytes] = {}
        self.lists: dict[tuple[str, ...], bytes] = {}

    def encode(self, value: Any) -> bytes:
        kind = type(value)
        if kind is str:
            done = self.texts.get(value)
            if done is None:
                done = self.texts[value] = _value(value)
            return done
        if (kind is list or kind is tuple) and _TEXT.issuperset(map(type, value)):
            key = tuple(value)
            done = self.lists.get(key)
            if done is None:
                done = self.lists[key] = _text_list(key)
            return done
        return _value(value)


_TEXT = frozenset({str})


def _text_list(items: Sequence[str]) -> bytes:
    """A list of texts: the items as one text, a type byte before each, a NUL after each."""
    joined = "\3" + "\0\3".join(items) + "\0" if items else ""
    if joined.count("\0") != len(items):
        raise ValueError("a text value holds a NUL character")
    return _ARRAY + _LONG_PACK(len(items)) + joined.encode()


def _value(value: Any) -> bytes:
    kind = type(value)
    if kind is str:
        if "\0" in value:
            raise ValueError("a text value holds a NUL character")
        encoded: bytes = value.encode()
        return _STRING + encoded + b"\0"
    if value is None:
        return _NULL
    if kind is bool:
        return _BOOL + (b"\1" if value else b"\0")
    if kind is int:
        if not -(2**63) <= value < 2**63:
            raise ValueError(f"whole number {value} out of the engine's range")
        return _LONG + _LONG_PACK(value)
    if kind is float:
        if not math.isfinite(value):  # the merge's text form has no such number
            raise ValueError(f"number {value} is not finite")
        return _DOUBLE + _DOUBLE_PACK(value)
    if kind is list or kind is tuple:
        if any(v is None for v in value):
            raise ValueError("a list holds a null value")
        return b"".join([_ARRAY, _LONG_PACK(len(value)), *(_value(v) for v in value)])
    raise ValueError(f"a value of type {kind.__name__} cannot be stored as a property")
