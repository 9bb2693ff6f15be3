"""FalkorDB's compact reply decoded straight into plain values.

The client (``falkordb.QueryResult``) turns a reply into ``Node``, ``Edge`` and ``Path``
objects, one function call per value, and the store used to turn those into dicts: two
passes over every value. An indicator that returns paths (``BIBOB_RELATED_SIGNAL``: 25
paths of up to 7 facts per dossier, each fact with a few dozen properties) spent more time
in those passes than the engine spent finding the paths. :meth:`Decoder.rows` does both
in one pass over the reply and gives the shapes ``convert`` gives for the Neo4j driver's
values (``tests/store/test_falkor_reply.py`` compares it with the client's objects on
every value type).

The reply names labels, relationship types and property keys by number; the numbers are
looked up in the client's own schema cache (``falkordb.GraphSchema``), which is refreshed
when a number is new to it, as the client does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from falkordb.graph_schema import GraphSchema
from falkordb.query_result import parse_scalar

__all__ = ["Decoder"]

# the compact reply's value types (falkordb.query_result.ResultSetScalarTypes)
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY = 1, 2, 3, 4, 5, 6
_EDGE, _NODE, _PATH, _MAP, _POINT, _VECTOR = 7, 8, 9, 10, 11, 12
_DATETIME, _DATE, _TIME, _DURATION = 13, 14, 15, 16


class Decoder:
    """Decodes the rows of one graph's compact replies (one per store)."""

    def __init__(self, schema: GraphSchema) -> None:
        self.schema = schema
        self._scalar: dict[int, Callable[[Any], Any]] = {
            _NULL: lambda v: None,
            _STRING: lambda v: v if type(v) is str else (
                v.decode() if isinstance(v, bytes) else str(v)),
            _INTEGER: int,
            _BOOLEAN: lambda v: (v.decode() if isinstance(v, bytes) else v) == "true",
            _DOUBLE: float,
            _ARRAY: self._array,
            _EDGE: lambda v: self._edge(v, {}),
            _NODE: self._node,
            _PATH: self._path,
            _MAP: self._map,
            _POINT: lambda v: {"latitude": float(v[0]), "longitude": float(v[1])},
            _VECTOR: lambda v: [float(x) for x in v],
            _DATETIME: lambda v: dt.datetime.fromtimestamp(v, tz=dt.UTC),
            _DATE: lambda v: dt.datetime.fromtimestamp(v, tz=dt.UTC).date(),
            _TIME: lambda v: dt.datetime.fromtimestamp(v, tz=dt.UTC).time(),
            _DURATION: lambda v: parse_scalar([_DURATION, v], None),  # the client's value
        }

    def rows(self, reply: list[Any]) -> tuple[list[str], list[list[Any]]]:
        """The column names and the decoded rows of a reply with a result set."""
        keys = [h[1] for h in reply[0]]
        value = self.value
        return keys, [[value(cell) for cell in row] for row in reply[1]]

    def value(self, cell: list[Any]) -> Any:
        kind, raw = cell[0], cell[1]
        if kind == _STRING and type(raw) is str:
            return raw
        if kind == _INTEGER:
            return int(raw)
        if kind == _NULL:
            return None
        return self._scalar[int(kind)](raw)

    def _array(self, raw: list[Any]) -> list[Any]:
        out = []
        for cell in raw:  # mostly text (sources, records, purposes): no call for those
            kind, item = cell[0], cell[1]
            out.append(item if kind == _STRING and type(item) is str else self.value(cell))
        return out

    # -- names by number --------------------------------------------------------------

    def _props(self, props: list[Any], out: dict[str, Any]) -> None:
        names = self.schema.properties
        value = self.value
        for prop in props:
            idx = prop[0]
            if idx >= len(names):
                self.schema.refresh_properties()  # a key new to this client
                names = self.schema.properties
            kind, raw = prop[1], prop[2]
            if kind == _STRING and type(raw) is str:
                out[names[idx]] = raw
            elif kind == _INTEGER:
                out[names[idx]] = int(raw)
            else:
                out[names[idx]] = value(prop[1:])

    # -- entities ---------------------------------------------------------------------

    def _node(self, raw: list[Any]) -> dict[str, Any]:
        labels = self.schema.labels
        if any(i >= len(labels) for i in raw[1]):
            self.schema.refresh_labels()
            labels = self.schema.labels
        out: dict[str, Any] = {"_labels": sorted([labels[i] for i in raw[1]])}
        self._props(raw[2], out)
        if out.get("name") is None and "uid" in out:
            out["name"] = out["uid"]  # known only by its key so far (as convert._node)
        return out

    def _edge(self, raw: list[Any], uids: dict[int, Any]) -> dict[str, Any]:
        types = self.schema.relationships
        if raw[1] >= len(types):
            self.schema.refresh_relations()
            types = self.schema.relationships
        out: dict[str, Any] = {"_type": types[raw[1]], "_start": uids.get(int(raw[2])),
                               "_end": uids.get(int(raw[3]))}
        self._props(raw[4], out)
        return out

    def _path(self, raw: list[Any]) -> dict[str, Any]:
        nodes = []
        uids: dict[int, Any] = {}
        for cell in raw[0][1]:
            node = self._node(cell[1])
            uids[int(cell[1][0])] = node.get("uid")
            nodes.append(node)
        return {"nodes": nodes,
                "relationships": [self._edge(cell[1], uids) for cell in raw[1][1]]}

    def _map(self, raw: list[Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for i in range(0, len(raw), 2):
            key = raw[i]
            out[key if type(key) is str else self._scalar[_STRING](key)] = self.value(raw[i + 1])
        return out
