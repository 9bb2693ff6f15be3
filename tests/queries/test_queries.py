"""graph_service.queries on both engines, against small hand-made graphs.

The graphs are written with ``loaders.base.write`` (the loaders' own write path), so every
node and relationship carries real provenance. Builders live here, not in a shared module.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import networkx as nx
import pytest

from graph_service import queries
from graph_service.errors import InvalidParams, NotFound
from graph_service.queries import Path
from graph_service.store import Store
from loaders.base import LoadReport, Node, Prov, Rel, write

KVK = Prov("kvk", "test", "A1", "open", "2024-01-01")
RIEC = Prov("riec", "test", "X6", "riec", "2024-01-01")
PARKS = Prov("vakantieparken", "test", "B2", "municipal", "2024-01-01")


# -- builders --------------------------------------------------------------------------------
def load(store: Store, records: list[Node | Rel], prov: Prov = KVK) -> None:
    write(store, [(prov, records)], LoadReport(prov.source))


def org(uid: str, name: str | None = None, **props: Any) -> Node:
    kvk = uid.removeprefix("kvk:")
    return Node("Organisation", uid, {"kvk_nummer": kvk, "name": name or f"Org {kvk}", **props})


def person(uid: str, name: str | None = None) -> Node:
    return Node("Person", uid, {"name": name or uid})


def address(uid: str, name: str | None = None, **props: Any) -> Node:
    return Node("Address", uid, {"name": name or uid, **props})


def signal(uid: str, received: str = "2024-01-01", **props: Any) -> Node:
    sid = uid.removeprefix("signal:")
    return Node("Signal", uid, {"signaal_id": sid, "name": f"Signaal {sid}",
                                "ontvangstdatum": received, **props})


def fn(start: str, end: str, role: str = "bestuurder", **props: Any) -> Rel:
    return Rel("FUNCTIONARY_OF", start, end, {"role": role, **props}, key=role)


def reg(start: str, end: str, **props: Any) -> Rel:
    return Rel("REGISTERED_AT", start, end, props)


def concerns(sig: str, target: str) -> Rel:
    return Rel("CONCERNS", sig, target, {"role": "subject"}, key="subject")


def uids(items: list[dict[str, Any]]) -> set[str]:
    return {i["uid"] for i in items}


def rel_set(rels: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(r["_type"], r["_start"], r["_end"]) for r in rels}


# -- entity ---------------------------------------------------------------------------------
def test_entity_properties_provenance_and_counts(store: Store) -> None:
    load(store, [org("kvk:10000001", "Brink BV", rechtsvorm="bv"), address("addr:7991AB1"),
                 person("person:p1"), reg("kvk:10000001", "addr:7991AB1"),
                 fn("person:p1", "kvk:10000001"), fn("person:p1", "kvk:10000001", "aandeelhouder")])
    got = queries.entity(store, "kvk:10000001")
    assert got is not None
    assert got["uid"] == "kvk:10000001"
    assert got["name"] == "Brink BV"
    assert got["labels"] == ["Organisation"]
    assert got["kind"] == "organisation"
    assert got["properties"] == {"kvk_nummer": "10000001", "rechtsvorm": "bv"}
    assert got["provenance"] == {
        "sources": ["kvk"], "source_records": ["kvk:test"], "first_seen": "2024-01-01",
        "last_seen": "2024-01-01", "grades": ["A1"], "purposes": ["open"],
    }
    assert got["relationship_counts"] == {"FUNCTIONARY_OF": 2, "REGISTERED_AT": 1}


def test_entity_missing(store: Store) -> None:
    assert queries.entity(store, "kvk:99999999") is None
    with pytest.raises(NotFound):
        queries.get_entity(store, "kvk:99999999")


# -- neighbourhood --------------------------------------------------------------------------
def small_graph(store: Store) -> None:
    """p1 -> o1 -> a1 <- o2 <- p2 (signal s1 on p2); o3 registered from 2023, o4 until 2020;
    p1 and p3 look alike (POSSIBLE_SAME_AS)."""
    load(store, [
        person("person:p1", "Jan de Vries"), person("person:p2"), person("person:p3"),
        org("kvk:10000001"), org("kvk:10000002"), org("kvk:10000003"), org("kvk:10000004"),
        address("addr:7991AB1"),
        fn("person:p1", "kvk:10000001"), fn("person:p2", "kvk:10000002"),
        reg("kvk:10000001", "addr:7991AB1"), reg("kvk:10000002", "addr:7991AB1"),
        reg("kvk:10000003", "addr:7991AB1", valid_from="2023-01-01"),
        reg("kvk:10000004", "addr:7991AB1", valid_from="2015-01-01", valid_to="2020-12-31"),
    ])
    load(store, [signal("signal:S1"), concerns("signal:S1", "person:p2")], RIEC)
    store.write_rows("write/merge_possible_same_as",
                     [{"start": "person:p1", "end": "person:p3", "score": 0.8, "reason": "naam"}])


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        (1, {"person:p1", "kvk:10000001"}),
        (2, {"person:p1", "kvk:10000001", "addr:7991AB1"}),
        (3, {"person:p1", "kvk:10000001", "addr:7991AB1", "kvk:10000002", "kvk:10000003",
             "kvk:10000004"}),
    ],
)
def test_neighbourhood_depth(store: Store, depth: int, expected: set[str]) -> None:
    small_graph(store)
    sub = queries.neighbourhood(store, "person:p1", depth=depth)
    assert uids(sub.nodes) == expected
    assert sub.overflow == []
    assert {n["uid"]: n["_depth"] for n in sub.nodes}["kvk:10000001"] == 1


def test_neighbourhood_relationships_and_provenance(store: Store) -> None:
    small_graph(store)
    sub = queries.neighbourhood(store, "person:p1", depth=2)
    assert rel_set(sub.relationships) == {
        ("FUNCTIONARY_OF", "person:p1", "kvk:10000001"),
        ("REGISTERED_AT", "kvk:10000001", "addr:7991AB1"),
    }
    for rel in sub.relationships:
        assert rel["sources"] == ["kvk"] and rel["source_records"] == ["kvk:test"]
    root = sub.nodes[0]
    assert (root["uid"], root["_depth"], root["grades"]) == ("person:p1", 0, ["A1"])
    d = sub.to_dict()
    assert d["root"] == "person:p1" and d["truncated"] is False
    assert len(d["nodes"]) == 3 and len(d["relationships"]) == 2


def test_neighbourhood_possible_same_as_only_when_asked(store: Store) -> None:
    small_graph(store)
    default = queries.neighbourhood(store, "person:p1", depth=1)
    asked = queries.neighbourhood(
        store, "person:p1", depth=1, types=["POSSIBLE_SAME_AS", "FUNCTIONARY_OF"]
    )
    assert "person:p3" not in uids(default.nodes)
    assert uids(asked.nodes) == {"person:p1", "kvk:10000001", "person:p3"}


def test_neighbourhood_type_filter(store: Store) -> None:
    small_graph(store)
    only_fn = queries.neighbourhood(store, "person:p1", depth=3, types=["FUNCTIONARY_OF"])
    assert uids(only_fn.nodes) == {"person:p1", "kvk:10000001"}
    only_reg = queries.neighbourhood(store, "kvk:10000002", depth=2, types=["REGISTERED_AT"])
    assert uids(only_reg.nodes) == {"kvk:10000002", "addr:7991AB1", "kvk:10000001",
                                    "kvk:10000003", "kvk:10000004"}
    with_signal = queries.neighbourhood(store, "kvk:10000002", depth=2)
    assert {"person:p2", "signal:S1"} <= uids(with_signal.nodes)
    with pytest.raises(InvalidParams):
        queries.neighbourhood(store, "person:p1", types=["KNOWS"])


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # o3 registers only from 2023, o4 ended in 2020
        (dt.date(2022, 6, 1), {"kvk:10000002"}),
        (dt.date(2024, 6, 1), {"kvk:10000002", "kvk:10000003"}),
        (dt.date(2018, 6, 1), {"kvk:10000002", "kvk:10000004"}),
    ],
)
def test_neighbourhood_as_of(store: Store, as_of: dt.date, expected: set[str]) -> None:
    small_graph(store)
    sub = queries.neighbourhood(store, "person:p1", depth=3, as_of=as_of)
    assert uids(sub.nodes) == {"person:p1", "kvk:10000001", "addr:7991AB1"} | expected


def test_neighbourhood_missing_and_bad_params(store: Store) -> None:
    small_graph(store)
    with pytest.raises(NotFound):
        queries.neighbourhood(store, "person:nobody")
    for bad in ({"depth": 0}, {"depth": 4}, {"limit": 0}, {"per_node": 0}, {"as_of": "2024"}):
        with pytest.raises(InvalidParams):
            queries.neighbourhood(store, "person:p1", **bad)


SUPER = "addr:8381AA1"
SUPER_ORGS = [f"kvk:2{i:07d}" for i in range(300)]


def supernode_graph(store: Store) -> None:
    """One address with 300 registered organisations, a signal on it, and a person who is
    functionaris of the first organisation."""
    records: list[Node | Rel] = [address(SUPER), person("person:boss")]
    records += [org(u) for u in SUPER_ORGS]
    records += [reg(u, SUPER) for u in SUPER_ORGS]
    records.append(fn("person:boss", SUPER_ORGS[0]))
    load(store, records)
    load(store, [signal("signal:S9"), concerns("signal:S9", SUPER)], RIEC)


def test_neighbourhood_supernode_per_node_cap(store: Store) -> None:
    supernode_graph(store)
    sub = queries.neighbourhood(store, SUPER, depth=1, per_node=50)
    # the first 50 neighbours by (type, uid): the signal (CONCERNS) and 49 organisations
    assert uids(sub.nodes) == {SUPER, "signal:S9", *SUPER_ORGS[:49]}
    assert len(sub.relationships) == 50
    assert sub.overflow == [{"via": SUPER, "label": "Organisation", "type": "REGISTERED_AT",
                             "count": 251, "total": 300}]
    assert sub.truncated and sub.to_dict()["truncated"] is True


def test_neighbourhood_supernode_node_limit(store: Store) -> None:
    supernode_graph(store)
    sub = queries.neighbourhood(store, SUPER, depth=2, limit=150, per_node=1000)
    assert len(sub.nodes) == 150
    assert uids(sub.nodes) == {SUPER, "signal:S9", *SUPER_ORGS[:148]}
    # the budget ran out at level 1, so level 2 (the organisations) was not expanded: the
    # boss behind the first organisation is hidden and counted
    assert sub.overflow[0] == {"via": SUPER, "label": "Organisation", "type": "REGISTERED_AT",
                               "count": 152, "total": 300}
    assert {(o["via"], o["label"], o["type"], o["count"]) for o in sub.overflow[1:]} == {
        (SUPER_ORGS[0], "Person", "FUNCTIONARY_OF", 1)
    }


def test_neighbourhood_supernode_behind_a_person(store: Store) -> None:
    supernode_graph(store)
    sub = queries.neighbourhood(store, "person:boss", depth=3)
    assert uids(sub.nodes) == {"person:boss", SUPER, "signal:S9", *SUPER_ORGS[:49]}
    assert {n["uid"]: n["_depth"] for n in sub.nodes}[SUPER] == 2
    assert sub.overflow == [{"via": SUPER, "label": "Organisation", "type": "REGISTERED_AT",
                             "count": 251, "total": 300}]


# -- paths ----------------------------------------------------------------------------------
def path_graph(store: Store, parallel: bool = False) -> None:
    """A square pA-oB-aD-oC-pA (a cycle, two equally short ways to aD), aD <- oE <- pF, and
    a shortcut pA -EMPLOYED_BY-> oG -FUNCTIONARY_OF (until 2020)-> oH <-EMPLOYED_BY- pF."""
    records: list[Node | Rel] = [
        person("person:A"), person("person:F"),
        org("kvk:30000002"), org("kvk:30000003"), org("kvk:30000005"),
        org("kvk:30000007"), org("kvk:30000008"), address("addr:9999ZZ4"),
        fn("person:A", "kvk:30000002"), fn("person:A", "kvk:30000003"),
        reg("kvk:30000002", "addr:9999ZZ4"), reg("kvk:30000003", "addr:9999ZZ4"),
        reg("kvk:30000005", "addr:9999ZZ4"), fn("person:F", "kvk:30000005"),
        Rel("EMPLOYED_BY", "person:A", "kvk:30000007"),
        fn("kvk:30000007", "kvk:30000008", "aandeelhouder", valid_to="2020-12-31"),
        Rel("EMPLOYED_BY", "person:F", "kvk:30000008"),
    ]
    if parallel:
        records.append(fn("person:A", "kvk:30000002", "aandeelhouder"))
    load(store, records)


def steps(path: Path) -> list[tuple[str, str, str, str]]:
    return [(r["_type"], r["_start"], r["_end"], str(r.get("key") or ""))
            for r in path.relationships]


def check_order(path: Path) -> None:
    for i, rel in enumerate(path.relationships):
        assert {rel["_start"], rel["_end"]} == {path.uids[i], path.uids[i + 1]}


NO_EMPLOYER = ["FUNCTIONARY_OF", "REGISTERED_AT"]
VIA_B = ["person:A", "kvk:30000002", "addr:9999ZZ4", "kvk:30000005", "person:F"]
VIA_C = ["person:A", "kvk:30000003", "addr:9999ZZ4", "kvk:30000005", "person:F"]
SHORTCUT = ["person:A", "kvk:30000007", "kvk:30000008", "person:F"]


@pytest.mark.parametrize("search", [queries.paths, queries.breadth_first_paths])
def test_paths_two_equally_short(store: Store, search: Any) -> None:
    path_graph(store)
    found = search(store, "person:A", "person:F", types=NO_EMPLOYER, all_shortest=True)
    assert [p.uids for p in found] == [VIA_B, VIA_C]
    # relationship order follows the node sequence; walked backwards where needed
    assert steps(found[0]) == [
        ("FUNCTIONARY_OF", "person:A", "kvk:30000002", "bestuurder"),
        ("REGISTERED_AT", "kvk:30000002", "addr:9999ZZ4", ""),
        ("REGISTERED_AT", "kvk:30000005", "addr:9999ZZ4", ""),
        ("FUNCTIONARY_OF", "person:F", "kvk:30000005", "bestuurder"),
    ]
    for p in found:
        check_order(p)
        assert p.length == 4 and p.relationships[0]["sources"] == ["kvk"]
    one = search(store, "person:A", "person:F", types=NO_EMPLOYER)
    assert len(one) == 1 and one[0].uids in (VIA_B, VIA_C)
    assert one[0].to_dict()["length"] == 4


@pytest.mark.parametrize("search", [queries.paths, queries.breadth_first_paths])
def test_paths_parallel_relationships_are_separate_paths(store: Store, search: Any) -> None:
    path_graph(store, parallel=True)
    found = search(store, "person:A", "person:F", types=NO_EMPLOYER, all_shortest=True)
    assert sorted((p.uids, steps(p)[0][3]) for p in found) == [
        (VIA_B, "aandeelhouder"), (VIA_B, "bestuurder"), (VIA_C, "bestuurder")
    ]


@pytest.mark.parametrize("search", [queries.paths, queries.breadth_first_paths])
def test_paths_shortcut_types_as_of_and_hops(store: Store, search: Any) -> None:
    path_graph(store)
    # all types: the three-hop shortcut over the employers
    assert [p.uids for p in search(store, "person:A", "person:F", all_shortest=True)] == [
        SHORTCUT
    ]
    # the shareholding between the employers ended in 2020
    late = search(store, "person:A", "person:F", all_shortest=True, as_of=dt.date(2024, 1, 1))
    assert [p.uids for p in late] == [VIA_B, VIA_C]
    early = search(store, "person:A", "person:F", all_shortest=True, as_of=dt.date(2019, 1, 1))
    assert [p.uids for p in early] == [SHORTCUT]
    assert search(store, "person:A", "person:F", max_hops=3, types=NO_EMPLOYER) == []
    assert len(search(store, "person:A", "person:F", max_hops=4, types=NO_EMPLOYER)) == 1
    assert search(store, "person:A", "person:F", types=["OWNS"]) == []
    # inside the cycle: the two ways round the square are both shortest
    around = search(store, "kvk:30000002", "kvk:30000003", types=NO_EMPLOYER, all_shortest=True)
    assert [p.uids for p in around] == [
        ["kvk:30000002", "addr:9999ZZ4", "kvk:30000003"],
        ["kvk:30000002", "person:A", "kvk:30000003"],
    ]


def test_paths_errors(store: Store) -> None:
    path_graph(store)
    with pytest.raises(NotFound):
        queries.paths(store, "person:A", "person:nobody")
    with pytest.raises(InvalidParams):
        queries.paths(store, "person:A", "person:A")
    with pytest.raises(InvalidParams):
        queries.paths(store, "person:A", "person:F", max_hops=7)
    with pytest.raises(InvalidParams):
        queries.paths(store, "person:A", "person:F", types=["NOPE"])


def random_graph(store: Store, seed: int = 3) -> nx.MultiGraph:
    """50 nodes with random FUNCTIONARY_OF (some parallel, some ended) and REGISTERED_AT."""
    rnd = random.Random(seed)
    people = [f"person:r{i:02d}" for i in range(20)]
    orgs = [f"kvk:4{i:07d}" for i in range(22)]
    addrs = [f"addr:1{i:03d}AA1" for i in range(8)]
    records: list[Node | Rel] = [person(u) for u in people]
    records += [org(u) for u in orgs]
    records += [address(u) for u in addrs]
    g = nx.MultiGraph()
    g.add_nodes_from(people + orgs + addrs)
    for o in orgs:
        a = rnd.choice(addrs)
        records.append(reg(o, a))
        g.add_edge(o, a, key=("REGISTERED_AT", o, a, ""))
    seen: set[tuple[str, str, str]] = set()
    for _ in range(40):
        p, o = rnd.choice(people + orgs[:5]), rnd.choice(orgs)
        role = rnd.choice(["bestuurder", "aandeelhouder"])
        ended = rnd.random() < 0.2
        if p == o or (p, o, role) in seen:
            continue
        seen.add((p, o, role))
        records.append(fn(p, o, role, **({"valid_to": "2020-12-31"} if ended else {})))
        if not ended:
            g.add_edge(p, o, key=("FUNCTIONARY_OF", p, o, role))
    load(store, records)
    return g


def expected_paths(g: nx.MultiGraph, a: str, b: str, max_hops: int) -> set[tuple[Any, ...]]:
    if not nx.has_path(g, a, b) or nx.shortest_path_length(g, a, b) > max_hops:
        return set()
    out: set[tuple[Any, ...]] = set()
    for seq in nx.all_shortest_paths(g, a, b):
        options: list[list[Any]] = [[]]
        for x, y in zip(seq, seq[1:], strict=False):
            options = [[*done, k] for done in options for k in g[x][y]]
        out |= {(tuple(seq), tuple(sorted(o))) for o in options}
    return out


def found_paths(found: list[Path]) -> set[tuple[Any, ...]]:
    return {(tuple(p.uids), tuple(sorted(steps(p)))) for p in found}


def test_paths_match_networkx_on_a_random_graph(store: Store) -> None:
    """Both engines (and on Neo4j both algorithms) give exactly networkx's shortest paths."""
    g = random_graph(store)
    rnd = random.Random(11)
    nodes = sorted(g.nodes)
    pairs = [tuple(rnd.sample(nodes, 2)) for _ in range(15)]
    asked = dict(types=NO_EMPLOYER, all_shortest=True, as_of=dt.date(2024, 1, 1), limit=100)
    wanted = [expected_paths(g, a, b, 6) for a, b in pairs]
    # the sample holds unconnected pairs, several shortest paths, and paths of 5-6 hops
    assert {len(w) for w in wanted} >= {0, 1, 3}
    assert max(len(next(iter(w))[0]) for w in wanted if w) == 7
    for (a, b), want in zip(pairs, wanted, strict=True):
        assert len(want) < 100  # under the limit, so both engines must give all of them
        native = queries.paths(store, a, b, **asked)  # type: ignore[arg-type]
        bfs = queries.breadth_first_paths(store, a, b, **asked)  # type: ignore[arg-type]
        assert found_paths(native) == want, (a, b)
        assert found_paths(bfs) == want, (a, b)
        for p in native + bfs:
            check_order(p)


# -- hotspots -------------------------------------------------------------------------------
AS_OF = dt.date(2024, 6, 1)


def hotspot_graph(store: Store) -> None:
    load(store, [
        # address X: 3 active organisations, one ended, one moved away, one resident
        address("addr:7991AA1"), address("addr:7991AA2"), address("addr:7991AA3"),
        address("addr:7991AA4"),
        org("kvk:50000001"), org("kvk:50000002"), org("kvk:50000003"),
        org("kvk:50000004", status="opgeheven"),
        org("kvk:50000005"), org("kvk:50000006", datum_einde="2023-01-01", status="opgeheven"),
        reg("kvk:50000001", "addr:7991AA1"), reg("kvk:50000002", "addr:7991AA1"),
        reg("kvk:50000003", "addr:7991AA1"), reg("kvk:50000004", "addr:7991AA1"),
        reg("kvk:50000005", "addr:7991AA1", valid_to="2022-12-31"),
        reg("kvk:50000006", "addr:7991AA1"),
        person("person:x1"), Rel("RESIDES_AT", "person:x1", "addr:7991AA1"),
        # address Y: 2 organisations, one with a signal; Z: one organisation; W: nothing
        org("kvk:50000011"), org("kvk:50000012"), org("kvk:50000021"),
        reg("kvk:50000011", "addr:7991AA2"), reg("kvk:50000012", "addr:7991AA2"),
        reg("kvk:50000021", "addr:7991AA3"),
        # object R1 rented by an organisation, R2 by a person (and formerly another), R3 idle
        Node("RuralObject", "object:R1", {"object_id": "R1", "name": "Schuur R1"}),
        Node("RuralObject", "object:R2", {"object_id": "R2", "name": "Schuur R2"}),
        Node("RuralObject", "object:R3", {"object_id": "R3", "name": "Schuur R3"}),
        org("kvk:50000031"), person("person:t1"), person("person:t2"),
        Rel("RENTS", "kvk:50000031", "object:R1", {"valid_from": "2023-01-01"}, key="2023-01-01"),
        Rel("RENTS", "person:t1", "object:R2", {"valid_from": "2024-01-01"}, key="2024-01-01"),
        Rel("RENTS", "person:t2", "object:R2", {"valid_from": "2019-01-01",
                                                "valid_to": "2021-01-01"}, key="2019-01-01"),
    ])
    load(store, [
        # park P1: two units; three BRP registrations on U1 (located at its own address),
        # one not in the BRP, one registered after as_of; an organisation on the main address
        Node("HolidayPark", "park:P1", {"park_id": "P1", "name": "Park P1"}),
        Node("HolidayPark", "park:P2", {"park_id": "P2", "name": "Park P2"}),
        Node("ParkUnit", "unit:P1/1", {"name": "P1/1"}), Node("ParkUnit", "unit:P1/2",
                                                              {"name": "P1/2"}),
        Node("ParkUnit", "unit:P2/1", {"name": "P2/1"}),
        address("addr:8384EV1"), address("addr:8384EV2"), org("kvk:50000041"),
        Rel("UNIT_OF", "unit:P1/1", "park:P1"), Rel("UNIT_OF", "unit:P1/2", "park:P1"),
        Rel("UNIT_OF", "unit:P2/1", "park:P2"),
        Rel("LOCATED_AT", "park:P1", "addr:8384EV1"), Rel("LOCATED_AT", "unit:P1/1",
                                                           "addr:8384EV2"),
        reg("kvk:50000041", "addr:8384EV1"),
        *[person(f"person:o{i}") for i in range(6)],
        *[Rel("OCCUPIES", f"person:o{i}", "unit:P1/1", {"brp": True, "since": "2022-01-01"})
          for i in range(3)],
        Rel("OCCUPIES", "person:o3", "unit:P1/2", {"brp": False}),
        Rel("OCCUPIES", "person:o4", "unit:P1/2", {"brp": True, "since": "2024-09-01"}),
        Rel("OCCUPIES", "person:o5", "unit:P2/1", {"brp": True}),
    ], PARKS)
    load(store, [
        signal("signal:X1"), concerns("signal:X1", "addr:7991AA1"),
        signal("signal:X2", bewaren_tot="2024-01-01"), concerns("signal:X2", "addr:7991AA1"),
        signal("signal:X3", received="2024-07-01"), concerns("signal:X3", "addr:7991AA1"),
        signal("signal:Y1"), concerns("signal:Y1", "kvk:50000011"),
        signal("signal:O1"), concerns("signal:O1", "person:o0"),
        signal("signal:R1"), concerns("signal:R1", "object:R1"),
    ], RIEC)


def ranking(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["rank"], r["uid"], r["score"], r["counts"]["organisations"],
             r["counts"]["persons"], r["counts"]["signals"]) for r in rows]


def test_hotspots_addresses(store: Store) -> None:
    hotspot_graph(store)
    assert ranking(queries.hotspots(store, "address", AS_OF)) == [
        (1, "addr:7991AA1", 9, 3, 1, 1),
        (2, "addr:8384EV2", 8, 0, 3, 1),  # the unit's own address: 3 BRP, o0's signal
        (3, "addr:7991AA2", 7, 2, 0, 1),
        (4, "addr:7991AA3", 1, 1, 0, 0),
        (5, "addr:8384EV1", 1, 1, 0, 0),
    ]
    top = queries.hotspots(store, "address", AS_OF, limit=2)
    assert [r["uid"] for r in top] == ["addr:7991AA1", "addr:8384EV2"]
    assert top[0]["kind"] == "address" and top[0]["name"] == "addr:7991AA1"


def test_hotspots_as_of_changes_counts(store: Store) -> None:
    hotspot_graph(store)
    # in 2022 kvk:50000005 and kvk:50000006 were still there; no signal had arrived yet
    # (all signals arrive 2024-01-01 or later), o0-o2 registered 2022-01-01
    rows = queries.hotspots(store, "address", dt.date(2022, 6, 1))
    assert ranking(rows)[:2] == [(1, "addr:7991AA1", 6, 5, 1, 0),
                                 (2, "addr:8384EV2", 3, 0, 3, 0)]


def test_hotspots_parks_and_objects(store: Store) -> None:
    hotspot_graph(store)
    parks = queries.hotspots(store, "park", AS_OF)
    assert ranking(parks) == [(1, "park:P1", 9, 1, 3, 1), (2, "park:P2", 1, 0, 1, 0)]
    assert [p["units"] for p in parks] == [2, 1]
    objects = queries.hotspots(store, "object", AS_OF)
    assert ranking(objects) == [(1, "object:R1", 6, 1, 0, 1), (2, "object:R2", 1, 0, 1, 0)]


def test_hotspots_bad_kind(store: Store) -> None:
    with pytest.raises(InvalidParams):
        queries.hotspots(store, "shed", AS_OF)  # type: ignore[arg-type]


# -- search ---------------------------------------------------------------------------------
def search_graph(store: Store) -> None:
    load(store, [
        org("kvk:12345678", "Bouwbedrijf De Brink BV"), org("kvk:12340000", "Brinkman Holding"),
        person("person:jb", "Jan Brink"),
        address("addr:7991AB12", "Brink 12, 7991AB Dwingeloo", postcode="7991AB",
                huisnummer=12, pc_key="7991AB12"),
        address("addr:7991AB14", "Brink 14, 7991AB Dwingeloo", postcode="7991AB",
                huisnummer=14, pc_key="7991AB14"),
        Node("BibobDossier", "dossier:2024-0012",
             {"dossier_id": "2024-0012", "name": "Bibob 2024-0012 horeca De Brink"}),
        Node("RuralObject", "object:SCH-0042", {"object_id": "SCH-0042",
                                                "name": "Schuur Oude Willem"}),
        Node("HolidayPark", "park:VP-07", {"park_id": "VP-07",
                                           "name": "Vakantiepark Het Brinkveld"}),
    ])
    load(store, [signal("signal:RIEC-2025-0193")], RIEC)


def hits(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(r["uid"], r["match"]) for r in rows]


def test_search_names_ranked(store: Store) -> None:
    search_graph(store)
    assert hits(queries.search(store, "Brink")) == [
        ("kvk:12340000", "prefix"),  # "Brinkman Holding": prefix, shorter name first
        ("addr:7991AB12", "prefix"),
        ("addr:7991AB14", "prefix"),
        ("person:jb", "substring"),
        ("kvk:12345678", "substring"),
        ("park:VP-07", "substring"),
        ("dossier:2024-0012", "substring"),
    ]
    assert hits(queries.search(store, "brink", limit=2)) == [
        ("kvk:12340000", "prefix"), ("addr:7991AB12", "prefix")
    ]
    row = queries.search(store, "jan  BRINK")[0]
    assert row == {"uid": "person:jb", "name": "Jan Brink", "labels": ["Person"],
                   "kind": "person", "match": "prefix"}


def test_search_identifiers(store: Store) -> None:
    search_graph(store)
    assert hits(queries.search(store, "12345678")) == [("kvk:12345678", "id")]
    assert hits(queries.search(store, "1234")) == [
        ("kvk:12340000", "prefix"), ("kvk:12345678", "prefix")
    ]
    assert hits(queries.search(store, "7991 ab")) == [
        ("addr:7991AB12", "id"), ("addr:7991AB14", "id")
    ]
    assert hits(queries.search(store, "7991AB 12")) == [("addr:7991AB12", "id")]
    assert hits(queries.search(store, "2024-0012")) == [("dossier:2024-0012", "id")]
    assert hits(queries.search(store, "riec-2025-0193")) == [("signal:RIEC-2025-0193", "id")]
    assert hits(queries.search(store, "SCH-0042")) == [("object:SCH-0042", "id")]
    assert hits(queries.search(store, "vp-07")) == [("park:VP-07", "id")]
    assert hits(queries.search(store, "kvk:12345678")) == [("kvk:12345678", "id")]
    assert [r["kind"] for r in queries.search(store, "vp-07")] == ["park"]
    assert queries.search(store, "zzz") == []


def test_search_bad_input(store: Store) -> None:
    for bad in ("", " x ", "a" * 201):
        with pytest.raises(InvalidParams):
            queries.search(store, bad)
    with pytest.raises(InvalidParams):
        queries.search(store, "brink", limit=0)
