"""The embedded store decodes FalkorDB's reply itself (``graph_service.store.falkor_reply``):
every value type must come out exactly as the client's objects converted to the store's
shapes (nodes, relationships with their ends by uid, paths, maps, lists, dates)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import falkordb
import pytest

from graph_service.config import load_settings
from graph_service.errors import QueryFailed
from graph_service.store.falkordb_store import EmbeddedFalkorStore, params_header
from graph_service.store.registry import build_registry, shipped_files

MAKE = """// description: A small graph with every kind of property value (test only).
// mode: write
// params: extra: str
CREATE (p:Person {uid: 'person:1', naam: 'Één "A"', n: 3, f: 1.5, b: true, l: ['x', 'y'],
                  nums: [1, 2.5, false], d: date('2024-02-29')})
CREATE (o:Organisation {uid: 'organisation:1', name: 'B.V.', kvk: '12345678'})
CREATE (q:Person {uid: 'person:2'})
CREATE (p)-[:FUNCTIONARY_OF {key: 'k1', role: 'bestuurder', valid_from: '2020-01-01'}]->(o)
CREATE (q)-[:FUNCTIONARY_OF {key: 'k2', role: $extra}]->(o)
"""

EVERY_TYPE = """// description: Every value type the engine returns (test only).
// mode: read
// access: internal
// params: none
MATCH path = (p:Person {uid: 'person:1'})-[r:FUNCTIONARY_OF]->(o)
      <-[:FUNCTIONARY_OF]-(q:Person {uid: 'person:2'})
RETURN p, r, o, q, path, [path, path] AS paths, null AS nothing, 7 AS int, 2.25 AS float,
       false AS flag, 'tekst' AS text, ['a', 1, null, [true]] AS list,
       {a: 1, b: {c: [p.uid, o.name]}, d: p} AS map, date('2024-02-29') AS day,
       localdatetime('2024-02-29T12:30:00') AS moment, duration({days: 3}) AS span,
       point({latitude: 52.7, longitude: 6.2}) AS place, vecf32([1.0, 2.5]) AS vector,
       p.naam AS unicode, r.key AS missing_start
"""

FIRST = """// description: One organisation, the first node of the graph (test only).
// mode: write
// params: none
CREATE (:Organisation {uid: 'organisation:0'})
"""

ORGANISATIONS = """// description: Every organisation (test only).
// mode: read
// access: internal
// params: none
MATCH (o:Organisation) RETURN o ORDER BY o.uid
"""

FAILS = """// description: A read the engine refuses while running it (test only).
// mode: read
// access: internal
// params: none
UNWIND [1, 0] AS x RETURN 1 / x AS bad
"""


@pytest.fixture
def falkor(tmp_path: Path) -> Iterator[EmbeddedFalkorStore]:
    store = EmbeddedFalkorStore(load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)}))
    store.registry = build_registry({**shipped_files(), "write/test_make.cypher": MAKE,
                                     "read/test_every_type.cypher": EVERY_TYPE,
                                     "read/test_fails.cypher": FAILS,
                                     "write/test_first.cypher": FIRST,
                                     "read/test_organisations.cypher": ORGANISATIONS})
    yield store
    store.close()


def _node(node: falkordb.Node) -> dict[str, Any]:
    out: dict[str, Any] = {"_labels": sorted(node.labels or []),
                           **{k: _plain(v) for k, v in node.properties.items()}}
    if out.get("name") is None and "uid" in out:
        out["name"] = out["uid"]
    return out


def _edge(edge: falkordb.Edge, uids: dict[int, Any]) -> dict[str, Any]:
    return {"_type": edge.relation, "_start": uids.get(edge.src_node),
            "_end": uids.get(edge.dest_node),
            **{k: _plain(v) for k, v in edge.properties.items()}}


def _plain(value: Any) -> Any:
    """The client's objects in the store's shapes (docs: ``graph_service.store.convert``),
    as the embedded store converted them before it decoded replies itself."""
    if isinstance(value, falkordb.Node):
        return _node(value)
    if isinstance(value, falkordb.Edge):
        return _edge(value, {})
    if isinstance(value, falkordb.Path):
        uids = {n.id: n.properties.get("uid") for n in value.nodes()}
        return {"nodes": [_node(n) for n in value.nodes()],
                "relationships": [_edge(e, uids) for e in value.edges()]}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _through_client(store: EmbeddedFalkorStore, name: str) -> list[dict[str, Any]]:
    stmt = store.registry.get(name)
    result = store.graph.ro_query(params_header({}) + stmt.text_for(store.engine))
    keys = [h[1] for h in result.header]
    return [{k: _plain(v) for k, v in zip(keys, rec, strict=True)} for rec in result.result_set]


def test_every_value_type_decodes_as_the_client_does(falkor: EmbeddedFalkorStore) -> None:
    assert falkor.read("read/test_every_type") == []  # the graph does not exist yet
    falkor.write("write/test_make", {"extra": "aandeelhouder"})
    rows = falkor.read("read/test_every_type")
    assert rows == _through_client(falkor, "read/test_every_type")
    row = rows[0]
    assert row["p"]["_labels"] == ["Person"] and row["p"]["naam"] == 'Één "A"'
    assert row["q"]["name"] == "person:2"  # a node known only by its uid
    assert row["path"]["relationships"][1]["_start"] == "person:2"
    assert row["r"]["_start"] is None  # a relationship outside a path: no ends by uid
    assert row["map"]["d"]["uid"] == "person:1" and row["int"] == 7 and row["flag"] is False


def test_names_new_to_the_decoder_are_looked_up(falkor: EmbeddedFalkorStore) -> None:
    falkor.write("write/test_first")
    assert falkor.read("read/test_organisations") == [
        {"o": {"_labels": ["Organisation"], "uid": "organisation:0", "name": "organisation:0"}}]
    # labels, types and property keys the decoder has not seen yet
    falkor.write("write/test_make", {"extra": "x"})
    assert falkor.read("read/test_every_type") == _through_client(falkor, "read/test_every_type")
    assert [r["o"].get("kvk") for r in falkor.read("read/test_organisations")] == [
        None, "12345678"]


def test_an_engine_error_while_reading_is_a_query_failure(falkor: EmbeddedFalkorStore) -> None:
    falkor.write("write/test_make", {"extra": "x"})
    with pytest.raises(QueryFailed, match="read/test_fails"):
        falkor.read("read/test_fails")
