"""Parameters as the engines get them: ``to_param`` keeps plain values as they are, and the
embedded store's own parameter text is the client's, character for character."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from falkordb.graph import Graph

from graph_service.errors import QueryFailed
from graph_service.store import Store
from graph_service.store.base import to_param
from graph_service.store.falkordb_store import params_header

HOSTILE = ['', 'a"b', 'back\\slash', '\\"', 'line\nbreak\ttab', "it's", '`tick`',
           'ĳsselmeer ÿ €', '","', '["x"]', '\\', '"']
#: text the header must escape alike but the engine need not store (NUL ends a C string)
NUL = ['nul\0byte', '\0', 'a"\0b']


def client_header(params: dict[str, Any]) -> str:
    return str(Graph._build_params_header(Graph.__new__(Graph), params or None))


@pytest.mark.parametrize("params", [
    {},
    {"uid": "person:1", "limit": 10, "flag": True, "none": None, "score": 1.5},
    {"texts": HOSTILE, "one": [HOSTILE[1]], "empty": [], "mixed": ["a", 1, None, ["b"]]},
    {"nul": NUL, "each": [[t] for t in NUL], "with": [*HOSTILE, *NUL]},
    {"rows": [{"uid": f"u{i}", "props": {"naam": t, "n": i, "x": None},
               "sources": ["kvk", t], "src_first": {"kvk": "2024-01-01"}}
              for i, t in enumerate(HOSTILE)]},
    {"nan": float("nan"), "tuple": ("a", "b"), "nested": {"k": {"l": [1, 2.5, False]}}},
])
def test_params_header_is_the_clients_text(params: dict[str, Any]) -> None:
    assert params_header(params) == client_header(params)


def test_params_header_refuses_a_key_the_engine_cannot_read() -> None:
    with pytest.raises(QueryFailed):
        params_header({"rows": [{"a`b": 1}]})
    with pytest.raises(QueryFailed):
        params_header({"": 1})


def test_to_param_keeps_plain_values_and_converts_the_rest() -> None:
    plain = {"uid": "x", "sources": ["kvk", "bibob"], "props": {"naam": "A", "n": 1}}
    out = to_param(plain)
    assert out == plain  # nothing to convert: the plain lists and maps are not copied
    assert out["sources"] is plain["sources"] and out["props"] is plain["props"]
    assert to_param(plain["props"]) is plain["props"]
    mixed = {"d": dt.date(2024, 2, 29), "rows": [{"at": dt.datetime(2024, 1, 1, 12, 0)},
                                                  {"n": float("nan"), 3: ("a",)}]}
    assert to_param(mixed) == {"d": "2024-02-29", "rows": [{"at": "2024-01-01T12:00:00"},
                                                           {"n": None, "3": ["a"]}]}
    assert to_param([True, 1, None, {2}]) == [True, 1, None, [2]]


def test_hostile_text_comes_back_as_written(store: Store) -> None:
    rows = [{"uid": f"person:{i:02d}", "props": {"name": t, "tags": HOSTILE},
             "sources": ["kvk"], "source_records": [f"kvk:{t}"], "grades": ["A1"],
             "purposes": ["open"], "first_seen": "2025-01-01", "last_seen": "2025-01-01"}
            for i, t in enumerate(HOSTILE)]
    store.write_rows("write/merge_person", rows)
    nodes = {r["node"]["uid"]: r["node"] for r in store.read("read/all_nodes")}
    for i, t in enumerate(HOSTILE):
        node = nodes[f"person:{i:02d}"]
        assert node["name"] == t and node["tags"] == HOSTILE
        assert node["source_records"] == [f"kvk:{t}"]
