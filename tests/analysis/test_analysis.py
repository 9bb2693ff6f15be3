"""The analysis API: network measures on hand-made graphs with known answers, and the
store -> networkx conversion on fixture graphs (exact node and edge sets, provenance)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graph_service import analysis
from graph_service.analysis import networks, places
from graph_service.store import Store
from loaders import demo
from tests.support.fixture_graphs import (
    AS_OF,
    GraphBuilder,
    build,
    kvk,
    scenario_bibob,
    scenario_park_employers,
    scenario_shed_leases,
    scenario_straw_men,
)

A = ["person:a1", "person:a2", "person:a3"]
B = ["person:b1", "person:b2", "person:b3"]
X = "kvk:00000099"  # the broker between the two triangles


def _graph(edges: list[tuple[str, str]], extra: list[str] = (), rtype: str = "FUNCTIONARY_OF"):
    """A MultiDiGraph in the store's shapes: persons, organisations (kvk:) and FUNCTIONARY_OF."""
    uids = sorted({u for e in edges for u in e} | set(extra))
    nodes = [{"_labels": ["Entity", "Organisation" if u.startswith("kvk:") else "Person"],
              "uid": u, "name": u.split(":")[1], "sources": ["kvk"], "grades": ["A1"]}
             for u in uids]
    rels = [{"_type": rtype, "_start": a, "_end": b, "key": f"bestuurder|{i}",
             "sources": ["kvk"], "source_records": [f"kvk:{i}"], "grades": ["A1"]}
            for i, (a, b) in enumerate(edges)]
    return analysis.to_networkx(nodes, rels)


def _triangles():
    edges = [(A[0], A[1]), (A[1], A[2]), (A[2], A[0]), (B[0], B[1]), (B[1], B[2]),
             (B[2], B[0]), (A[0], X), (X, B[0])]
    return _graph(edges)


# -- measures on hand-made graphs ---------------------------------------------------------------
def test_broker_has_the_highest_betweenness() -> None:
    between = analysis.betweenness_centrality(_triangles())
    # X lies on the shortest paths of all 3 x 3 pairs across; a1 and b1 on 2 x 4 pairs each;
    # normalised by the 15 pairs of the other six nodes
    assert between == pytest.approx({X: 9 / 15, A[0]: 8 / 15, B[0]: 8 / 15, A[1]: 0.0,
                                     A[2]: 0.0, B[1]: 0.0, B[2]: 0.0})
    assert max(between, key=between.__getitem__) == X


def test_degree_centrality() -> None:
    degree = analysis.degree_centrality(_triangles())
    assert degree == pytest.approx({X: 2 / 6, A[0]: 3 / 6, B[0]: 3 / 6, A[1]: 2 / 6,
                                    A[2]: 2 / 6, B[1]: 2 / 6, B[2]: 2 / 6})


def test_bridges_are_the_broker_edges() -> None:
    g = _triangles()
    assert analysis.bridges(g) == [(X, A[0]), (X, B[0])]  # sorted pairs: "kvk:" < "person:"
    leaf = _graph([(A[0], A[1]), (A[1], A[2]), (A[2], A[0]), (A[1], "person:leaf")])
    assert analysis.bridges(leaf) == []
    assert analysis.bridges(leaf, leaves=True) == [(A[1], "person:leaf")]


def test_louvain_finds_the_two_triangles() -> None:
    groups = analysis.communities(_triangles())
    assert len(groups) == 2
    assert {frozenset(g - {X}) for g in groups} == {frozenset(A), frozenset(B)}
    assert analysis.communities(_triangles()) == groups  # fixed seed: the same answer


def test_label_propagation_partitions_every_node() -> None:
    groups = analysis.communities(_triangles(), "label_propagation")
    assert sorted(u for g in groups for u in g) == sorted([*A, *B, X])
    with pytest.raises(ValueError):
        analysis.communities(_triangles(), "nonsense")  # type: ignore[arg-type]


def test_brokers_connect_communities() -> None:
    g = _triangles()
    groups = analysis.communities(g)
    index = analysis.community_index(groups)
    found = analysis.brokers(g, groups)
    # X joins one triangle's community; the node across the other edge links back to it
    across = B[0] if index[X] == index[A[0]] else A[0]
    assert [b.uid for b in found] == [X, across]
    assert found[0].linked_communities == (0, 1)
    assert found[0].degree == 2
    assert found[0].label == "Organisation"
    assert analysis.brokers(g, groups, min_betweenness=0.55) == found[:1]


def test_components_largest_first() -> None:
    g = _graph([(A[0], A[1]), (A[1], A[2]), (B[0], B[1])], extra=["person:alone"])
    assert analysis.connected_components(g) == [frozenset(A), frozenset(B[:2]),
                                                frozenset({"person:alone"})]


def test_simple_projection_merges_parallel_relationships() -> None:
    nodes = [{"_labels": ["Person"], "uid": u, "name": u} for u in ("person:p", "person:q")]
    rels = [
        {"_type": "FUNCTIONARY_OF", "_start": "person:p", "_end": "person:q", "key": "x"},
        {"_type": "FINANCES", "_start": "person:q", "_end": "person:p", "key": "d1"},
        {"_type": "FINANCES", "_start": "person:q", "_end": "person:p", "key": "d2"},
        {"_type": "FINANCES", "_start": "person:p", "_end": "person:p", "key": "self"},
    ]
    g = analysis.to_networkx(nodes, rels)
    assert g.number_of_edges() == 4
    h = analysis.simple_projection(g)
    assert list(h.edges(data=True)) == [
        ("person:p", "person:q", {"types": ["FINANCES", "FUNCTIONARY_OF"], "weight": 3})]
    assert h.nodes["person:p"]["label"] == "Person"


def test_tables() -> None:
    g = _triangles()
    rows = analysis.centrality_table(g, top=2)
    assert [r["uid"] for r in rows] == [X, A[0]]  # a1 before b1: same scores, uid order
    assert rows[0]["betweenness"] == 0.6
    assert rows[0]["degree"] == 2
    communities = analysis.community_table(g)
    assert sorted(r["size"] for r in communities) == [3, 4]
    assert analysis.bridge_table(g).column("types") == [["FUNCTIONARY_OF"]] * 2
    assert analysis.bridge_table(g).headers[0] == "van"  # Dutch headers, no "a" and "b"
    t = analysis.table([{"x": "<b>", "y": 0.5, "c": True}, {"x": None, "y": 2.0, "c": False}])
    assert t.columns == ("x", "y", "c")
    assert str(t).splitlines() == ["x    y    c  ", "---  ---  ---", "<b>  0.5  ja ",
                                   "     2    nee"]
    assert "<td>&lt;b&gt;</td>" in t._repr_html_()


def test_to_networkx_keeps_labels_and_provenance() -> None:
    g = _triangles()
    node = g.nodes[A[0]]
    assert (node["label"], node["name"]) == ("Person", "a1")
    assert node["provenance"]["sources"] == ["kvk"]
    assert node["provenance"]["grades"] == ["A1"]
    assert node["props"]["uid"] == A[0]
    (data,) = [d for u, v, d in g.edges(data=True) if (u, v) == (A[0], X)]
    assert (data["type"], data["key"]) == ("FUNCTIONARY_OF", "bestuurder|6")
    assert data["provenance"]["source_records"] == ["kvk:6"]
    assert data["props"]["key"] == "bestuurder|6"


def test_write_html_uses_the_shared_styling(tmp_path: Path) -> None:
    g = _triangles()
    groups = analysis.communities(g)
    page = analysis.write_html(g, tmp_path / "out" / "net.html", title="T <1>", focus=X,
                               community=analysis.community_index(groups))
    text = page.read_text(encoding="utf-8")
    assert (tmp_path / "out" / "lib" / "vis-network.min.js").is_file()
    assert "https://" not in text and "T &lt;1&gt;" in text
    data = json.loads(re.search(r'id="graph-data">(.*?)</script>', text, re.S)[1])
    assert {n["id"] for n in data["nodes"]} == {*A, *B, X}
    assert len(data["edges"]) == 8
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id[X]["shape"] == "square"  # organisations look as on the web pages
    assert by_id[A[0]]["community"] == by_id[A[1]]["community"]
    assert by_id[A[0]]["color"]["background"] != by_id[B[0]]["color"]["background"]
    assert "gemeenschap" in by_id[A[0]]["title"]
    assert "bronnen: KvK" in by_id[A[0]]["title"]  # provenance in the tooltip, as users name it


def test_no_scope_helper_beside_the_session() -> None:
    """Notebooks read through a session (tests/security/test_session.py); the analysis API offers no
    way to set a scope of its own."""
    assert not hasattr(analysis, "use_scope") and not hasattr(networks, "use_scope")
    assert [n for n in analysis.__all__ if "scope" in n.lower()] == []


def test_output_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONDERGRAAF_NOTEBOOK_OUTPUT", str(tmp_path))
    assert analysis.output_dir("x") == tmp_path / "x"
    assert (tmp_path / "x").is_dir()


# -- store -> networkx on fixture graphs ---------------------------------------------------------
def _edges(g) -> set[tuple[str, str, str]]:
    return {(u, d["type"], v) for u, v, d in g.edges(data=True)}


def test_entities_graph_exact(store: Store) -> None:
    b = GraphBuilder(store)
    b.person("person:p")
    b.person("person:q")
    b.org(kvk(1))
    b.org(kvk(2))
    b.address("addr:1000AA1")
    b.functionary("person:p", kvk(1))
    b.functionary("person:q", kvk(1), "aandeelhouder")
    b.registered(kvk(1), "addr:1000AA1")
    b.registered(kvk(2), "addr:1000AA1")
    b.signal("signal:S", "person:q")
    b.write()

    g = analysis.entities_graph(store, ["person:p"], depth=2)
    assert set(g) == {"person:p", kvk(1), "person:q", "addr:1000AA1"}
    assert _edges(g) == {("person:p", "FUNCTIONARY_OF", kvk(1)),
                         ("person:q", "FUNCTIONARY_OF", kvk(1)),
                         (kvk(1), "REGISTERED_AT", "addr:1000AA1")}
    p = g.nodes["person:p"]
    assert p["label"] == "Person"
    assert p["provenance"]["sources"] == ["kvk"]
    assert p["provenance"]["grades"] == ["A1"]
    assert p["provenance"]["purposes"] == ["open"]
    assert p["props"]["geboortedatum"] == "1980-01-01"
    (rel,) = [d for u, v, d in g.edges(data=True) if u == "person:p"]
    assert rel["key"] == "bestuurder|2015-01-01"
    assert rel["props"]["role"] == "bestuurder"
    assert rel["provenance"]["sources"] == ["kvk"]
    assert len(rel["provenance"]["source_records"]) == 1
    assert g.graph["roots"] == ["person:p"]

    merged = analysis.entities_graph(store, ["person:p", "signal:S"], depth=1)
    assert set(merged) == {"person:p", kvk(1), "signal:S", "person:q"}
    assert _edges(merged) == {("person:p", "FUNCTIONARY_OF", kvk(1)),
                              ("signal:S", "CONCERNS", "person:q")}
    assert merged.nodes["signal:S"]["provenance"]["sources"] == ["riec"]
    assert analysis.signal_subjects(merged) == ["person:q"]


def test_entities_graph_records_overflow(store: Store) -> None:
    b = GraphBuilder(store)
    b.address("addr:1000AA1")
    for n in range(1, 5):
        b.org(kvk(n))
        b.registered(kvk(n), "addr:1000AA1")
    b.write()
    g = analysis.entities_graph(store, ["addr:1000AA1"], depth=1, per_node=2)
    assert set(g) == {"addr:1000AA1", kvk(1), kvk(2)}
    assert [(o["via"], o["count"]) for o in g.graph["overflow"]] == [("addr:1000AA1", 2)]
    data = analysis.render_data(g)  # the web pages' "2 meer" node
    assert {n["id"] for n in data["nodes"]} == {
        "addr:1000AA1", kvk(1), kvk(2), "overflow:addr:1000AA1|REGISTERED_AT|Organisation"}


def test_indicator_graph_exact(store: Store) -> None:
    build(store, scenario_straw_men)
    g = analysis.indicator_graph(store, "STRAW_MAN", as_of=AS_OF)
    assert set(g) == {"person:straw", *(kvk(n) for n in range(1, 6))}
    assert _edges(g) == {("person:straw", "FUNCTIONARY_OF", kvk(n)) for n in range(1, 6)}
    assert g.graph["hits"] == {"person:straw": ["STRAW_MAN"]}
    assert g.nodes["person:straw"]["hits"] == ["STRAW_MAN"]
    assert g.nodes[kvk(1)]["hits"] == []
    assert all(d["provenance"]["grades"] == ["A1"] for _, _, d in g.edges(data=True))


def test_park_graph_and_tables(store: Store) -> None:
    build(store, scenario_park_employers)
    g = analysis.park_graph(store, "VP-1", as_of=AS_OF)
    units = {f"unit:VP-1/{u}" for u in (1, 2, 3)}
    workers = {f"person:w{i}" for i in range(1, 7)}
    assert set(g) == {"park:VP-1", *units, kvk(1), kvk(2), kvk(3), "person:owner2", *workers}
    assert ("person:owner2", "FUNCTIONARY_OF", kvk(2)) in _edges(g)
    assert g.graph["overflow"] == []

    occupancy = places.unit_occupancy(g, AS_OF)
    assert [(r["unit"], r["park"], r["brp"], r["occupants"]) for r in occupancy] == [
        ("unit:VP-1/1", "park:VP-1", 2, 2), ("unit:VP-1/2", "park:VP-1", 2, 2),
        ("unit:VP-1/3", "park:VP-1", 2, 2)]
    assert [r["owners"] for r in occupancy] == [["00000001"], ["owner2"], ["00000003"]]
    owners = places.owner_concentration(g)
    assert [(r["owner"], r["units"], r["share"]) for r in owners] == [
        (kvk(1), 1, 0.333), (kvk(3), 1, 0.333), ("person:owner2", 1, 0.333)]
    housing = places.employer_housing(g, AS_OF)
    assert [(r["employer"], r["occupants"], r["units"], r["linked_to_owner"])
            for r in housing] == [(kvk(1), 3, 2, True), (kvk(2), 2, 1, True),
                                  (kvk(3), 1, 1, True)]
    summary = places.park_summary(g, "park:VP-1", AS_OF)
    assert (summary["units"], summary["brp"], summary["max_brp_unit"], summary["owners"],
            summary["employers"], summary["employees_housed"]) == (3, 6, 2, 3, 3, 6)


def test_dossier_graph_exact(store: Store) -> None:
    build(store, scenario_bibob)
    g = analysis.dossier_graph(store, "2025-001", as_of=AS_OF)
    assert set(g) == {
        "dossier:2025-001", kvk(1), "person:p1", "person:fin",  # dossier and parties
        "person:p2",  # undeclared KvK bestuurder
        kvk(2), "person:q", kvk(3),  # the art. 3 lid 4 network within 3 hops
        "signal:S-3HOP",  # the signal on q
        "person:z", "signal:S-4HOP",  # evidence of SIGNAL_NETWORK on kvk 3 (q and z)
    }
    assert {("person:p1", "PARTY_TO", "dossier:2025-001"),
            ("person:p1", "BIBOB_RELATION", kvk(1)), ("person:fin", "FINANCES", kvk(1)),
            ("person:p2", "FUNCTIONARY_OF", kvk(1)), ("person:q", "FUNCTIONARY_OF", kvk(2)),
            ("signal:S-3HOP", "CONCERNS", "person:q")} <= _edges(g)
    assert sorted(g.graph["hits"]["dossier:2025-001"]) == [
        "BIBOB_PRIVATE_FINANCIER", "BIBOB_RELATED_SIGNAL", "BIBOB_UNDECLARED_OFFICER"]
    assert g.graph["hits"][kvk(3)] == ["SIGNAL_NETWORK"]
    assert g.graph["report"].uid == "dossier:2025-001"
    party = [d for u, v, d in g.edges(data=True) if d["type"] == "PARTY_TO"]
    assert {d["provenance"]["sources"][0] for d in party} == {"bibob"}


def test_sheds_and_tenancies(store: Store) -> None:
    build(store, scenario_shed_leases)
    g = places.sheds_graph(store, as_of=AS_OF)
    sheds = {"object:B1", "object:B2", "object:B3", "object:S1", "object:S2", "object:S3",
             "object:S4"}  # S5's tenancy ended before AS_OF: no activity, not listed
    assert {u for u, d in g.nodes(data=True) if d["label"] == "RuralObject"} == sheds
    rows = places.shed_tenancies(g, AS_OF)
    assert [(r["object"], r["tenant"], r["agrarisch"], r["rent_m2"], r["payment"])
            for r in rows] == [
        ("object:B1", kvk(1), True, 5.0, "bank"), ("object:B2", kvk(1), True, 5.0, "bank"),
        ("object:B3", kvk(1), True, 5.0, "bank"), ("object:S1", "person:t", False, 10.0, "bank"),
        ("object:S2", kvk(1), True, 5.0, "contant"), ("object:S3", kvk(2), False, 5.0, "contant"),
        ("object:S4", kvk(2), False, 9.9, "bank")]
    assert all(r["current"] for r in rows)
    assert places.median_rent_m2(store, AS_OF) == 5.0  # the risk engine's, not recomputed


def test_ensure_demo_graph(store: Store, tmp_path: Path) -> None:
    assert demo.graph_is_empty(store)
    first = demo.ensure_demo_graph(store, size=100, seed=1, workdir=tmp_path)
    if store.engine != "falkordb":  # a configured Neo4j is never filled with demo data
        assert not first.loaded
        assert demo.graph_is_empty(store)
        return
    assert first.loaded
    assert list(first.rows) == list(demo.DEMO_ORDER)
    assert all(n > 0 for n in first.rows.values())
    files = {p.name for p in tmp_path.glob("*.csv")} | {p.name for p in tmp_path.glob("*.jsonl")}
    assert files == {"ftm.jsonl" if s == "ftm" else f"{s}.csv" for s in demo.DEMO_ORDER}
    assert not demo.graph_is_empty(store)
    runs = store.read("read/load_runs", {"limit": 10, "uid": None})
    assert sorted(r["source"] for r in runs) == sorted(demo.DEMO_ORDER)
    assert {r["by"] for r in runs} == {"demo"}  # who loaded, on the Ladingen page
    again = demo.ensure_demo_graph(store, size=100, seed=1)
    assert (again.loaded, again.reason) == (False, "the graph already holds data")
