"""Facts new to the graph go through the embedded engine's bulk insert and come out exactly
as the merge templates make them (graph_service.store.bulk_insert).

Each load here runs twice on a real embedded engine in a folder of its own: once as
shipped (new facts through ``GRAPH.BULK``) and once with ``creates_in_bulk`` switched off
(every row through the merge templates). The whole graphs, every property and every
provenance list, and the load reports must be equal.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import threading
from pathlib import Path
from typing import Any

import pytest

from graph_service.config import load_settings
from graph_service.errors import QueryFailed
from graph_service.model import LOAD_ORDER, node_statement, relationship_statement
from graph_service.store import Store, open_store
from graph_service.store.bulk_insert import EdgeBlobs, node_blob, node_blobs
from graph_service.store.rows import NewFact
from loaders.records import Prov
from loaders.synthetic import generate
from tests.store.test_store import _server_pids
from tests.support.dump import loaded_graph, nodes, relationships

FIX = Path(__file__).parent.parent / "fixtures"
TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated-800")
    generate(out, 800, 5, today=TODAY)
    return out


def _load(store: Any, files: list[tuple[str, Path]], batch_size: int, bulk: bool,
          twice: bool = False) -> tuple[Any, list[Any], int]:
    """Load the files into an empty graph; the graph, the reports and the rows written
    in bulk."""
    store.creates_in_bulk = bulk
    before = store.bulk_rows
    try:
        graph, outcomes = loaded_graph(
            store, [(source, [path], TODAY, False) for source, path in files]
            * (2 if twice else 1), batch_size)
    finally:
        del store.creates_in_bulk  # the class's own setting again
    assert graph[0] and all(n["prov_run"] for n in graph[0].values())
    return graph, outcomes, store.bulk_rows - before


@pytest.mark.parametrize("batch_size", [1, 37, 1000])
def test_generated_sources_in_bulk_make_the_graph_the_merges_make(
    embedded: Any, generated: Path, batch_size: int
) -> None:
    files = [(s, generated / f"{s}.csv") for s in LOAD_ORDER if s != "ftm"]
    graph, outcomes, in_bulk = _load(embedded, files, batch_size, bulk=True)
    expected, expected_outcomes, merged_in_bulk = _load(embedded, files, batch_size,
                                                        bulk=False)
    assert merged_in_bulk == 0
    assert in_bulk > 1000  # most facts of a first load are new
    assert outcomes == expected_outcomes
    assert graph == expected
    assert len(graph[0]) > 700 and len(graph[1]) > 700


def test_every_fixture_in_bulk_makes_the_graph_the_merges_make(embedded: Any,
                                                                tmp_path: Path) -> None:
    """The hand-made fixtures (odd values, refused rows and files), each loaded twice:
    the second time every fact is stored, so nothing goes through the bulk insert."""
    files = []
    for source in LOAD_ORDER:  # copied: the refused rows are listed beside each file
        for path in sorted((FIX / source).glob("*.csv")):
            (tmp_path / source).mkdir(exist_ok=True)
            files.append((source, Path(shutil.copy(path, tmp_path / source / path.name))))
    assert len(files) >= 30
    graph, outcomes, in_bulk = _load(embedded, files, 4, bulk=True, twice=True)
    expected, expected_outcomes, _ = _load(embedded, files, 4, bulk=False, twice=True)
    assert in_bulk > 0
    assert outcomes == expected_outcomes
    assert graph == expected
    assert any(isinstance(o, list) for o in outcomes)  # some fixtures are refused whole


ODD = {
    "text": 'quote " backslash \\ and ümlaut ✓',
    "empty": "",
    "whole": -(2**62),
    "zero": 0,
    "fraction": 1.25,
    "yes": True,
    "no": False,
    "texts": ["a", "", "b|c"],
    "none_yet": [],
    "numbers": [1, 2, 3],
    "mixed": [1, "a", 2.5, True],
    "nested": [[1, 2], ["x"]],
}


def _row(uid: str, props: dict[str, Any]) -> dict[str, Any]:
    return {"uid": uid, "props": props, "sources": ["kvk"], "source_records": ["kvk:1"],
            "grades": ["A1"], "purposes": ["open"], "first_seen": "2026-01-01",
            "last_seen": "2026-01-02", "prov_seen": ["kvk|2026-01-01|2026-01-02"],
            "prov_grades": ["kvk:A1"], "prov_props": [f"kvk|{k}" for k in props],
            "prov_values": []}


def _rel_row(start: str, end: str, key: str, props: dict[str, Any]) -> dict[str, Any]:
    """A relationship's complete row, as :func:`_row` for a node."""
    row = {**_row("", props), "start": start, "end": end, "key": key}
    del row["uid"]
    return row


def test_every_kind_of_value_comes_back_as_the_merge_stores_it(embedded: Any) -> None:
    store = embedded
    store.write("write/delete_all")
    name = node_statement("Person")
    before = store.bulk_rows
    store.create_new(name, [_row("person:bulk", ODD)])
    assert store.bulk_rows == before + 1
    store.write_rows(name, [_row("person:merge", ODD)])
    got = nodes(store)
    bulk, merge = got["person:bulk"], got["person:merge"]
    own = ("uid", "name")  # the name shown defaults to the uid
    assert {k: v for k, v in bulk.items() if k not in own} == {
        k: v for k, v in merge.items() if k not in own}
    assert bulk["mixed"] == [1, "a", 2.5, True] and bulk["none_yet"] == []
    assert bulk["prov_values"] == [] and "prov_run" not in bulk


def test_relationships_in_bulk_join_new_and_stored_nodes(embedded: Any) -> None:
    store = embedded
    store.write("write/delete_all")
    store.write_rows(node_statement("Person"), [_row("person:stored", {"name": "A"})])
    store.create_new(node_statement("Organisation"), [_row("org:new", {"name": "B"})])
    rel = _rel_row("person:stored", "org:new", "k1", {"functie": "bestuurder"})
    c = store.create_new(relationship_statement("FUNCTIONARY_OF"), [rel])
    assert c.relationships_created == 1
    got = relationships(store)
    props = got[("person:stored", "FUNCTIONARY_OF", "org:new", "k1")]
    assert props["functie"] == "bestuurder" and props["key"] == "k1"
    assert props["prov_seen"] == ["kvk|2026-01-01|2026-01-02"]


def test_a_value_the_bulk_insert_cannot_carry_goes_through_the_merge(embedded: Any) -> None:
    store = embedded
    store.write("write/delete_all")
    before = store.bulk_rows
    c = store.create_new(node_statement("Person"), [_row("person:odd", {"big": 2**63})])
    assert store.bulk_rows == before  # refused by the encoder, written by the template
    assert c.nodes_created == 1
    assert nodes(store)["person:odd"]["big"] == 2**63 - 1  # as the merge stores it


PROV = Prov("kvk", "12", "A1", "open", "2026-01-02")


def test_a_new_fact_of_one_record_comes_back_as_its_row_through_the_merge(embedded: Any
                                                                          ) -> None:
    """A NewFact is encoded from its record, in a blob per set of given properties (here
    three, beside a statement row in a blob of its own); the nodes and relationships come
    back as the merge stores the facts' rows."""
    store = embedded
    store.write("write/delete_all")
    run = "loadrun:kvk:1"
    facts = [NewFact({**ODD, "empty_cell": None}, PROV, run, uid="person:f1"),
             NewFact({"name": "B", "texts": ["x"]}, PROV, run, uid="person:f2"),
             NewFact({"name": "C"}, PROV, None, uid="person:f3")]
    name = node_statement("Person")
    before = store.bulk_rows
    c = store.create_new(name, [*facts, _row("person:row", {"name": "D"})])
    assert c.nodes_created == 4 and store.bulk_rows == before + 4
    rel = relationship_statement("FUNCTIONARY_OF")
    store.create_new(rel, [NewFact({"functie": "bestuurder"}, PROV, run, start="person:f1",
                                   end="person:f2", key="k1")])
    in_bulk = (nodes(store, runs=True), relationships(store, runs=True))
    store.write("write/delete_all")
    store.write_rows(name, [*(f.row() for f in facts), _row("person:row", {"name": "D"})])
    store.write_rows(rel, [NewFact({"functie": "bestuurder"}, PROV, run, start="person:f1",
                                   end="person:f2", key="k1").row()])
    assert in_bulk == (nodes(store, runs=True), relationships(store, runs=True))
    assert "empty_cell" not in in_bulk[0]["person:f1"]
    assert in_bulk[0]["person:f2"]["source_records"] == ["kvk:12"]
    # a value the bulk insert cannot carry: the statement goes through the merge
    before = store.bulk_rows
    c = store.create_new(name, [NewFact({"big": 2**63}, PROV, run, uid="person:odd")])
    assert c.nodes_created == 1 and store.bulk_rows == before
    assert nodes(store)["person:odd"]["big"] == 2**63 - 1  # as the merge stores it


def _calls(store: Any) -> dict[str, int]:
    """How often the server ran each command so far (``INFO commandstats``)."""
    stats = store.graph.execute_command("INFO", "commandstats")
    return {name.removeprefix("cmdstat_"): int(v["calls"]) for name, v in stats.items()}


def test_new_facts_of_several_statements_go_in_one_bulk_insert(embedded: Any) -> None:
    """``create_ready`` sends the new facts of several statements made ready beforehand
    as one ``GRAPH.BULK``; the relationships' ends are looked up once for all their
    types; a statement the bulk insert cannot carry goes through the merge beside them.
    The graph comes out as the merge makes it."""
    store = embedded
    store.write("write/delete_all")
    run = "loadrun:kvk:1"
    person, org = node_statement("Person"), node_statement("Organisation")
    works, owns = relationship_statement("FUNCTIONARY_OF"), relationship_statement("OWNS")
    people = [NewFact({"name": f"P{i}"}, PROV, run, uid=f"person:p{i}") for i in range(3)]
    orgs = [_row("org:o1", {"name": "O1"}), _row("org:o2", {"name": "O2"})]
    odd = [_row("person:odd", {"big": 2**63})]
    edges = [[NewFact({"functie": "bestuurder"}, PROV, run, start=f"person:p{i}",
                      end="org:o1", key="") for i in range(3)],
             [NewFact({}, PROV, run, start="org:o2", end="person:p0", key="k")]]
    before, bulk_rows = _calls(store), store.bulk_rows
    made = store.create_ready([store.ready_new(person, people), store.ready_new(org, orgs),
                               store.ready_new(person, odd)])
    after = _calls(store)
    assert [c.nodes_created for c in made] == [3, 2, 1]
    assert after["graph.BULK"] == before.get("graph.BULK", 0) + 1
    assert store.bulk_rows == bulk_rows + 5  # the odd one through the merge
    made = store.create_ready([store.ready_new(works, edges[0]),
                               store.ready_new(owns, edges[1])])
    assert [c.relationships_created for c in made] == [3, 1]
    again = _calls(store)
    assert again["graph.BULK"] == after["graph.BULK"] + 1
    assert again["graph.RO_QUERY"] == after["graph.RO_QUERY"] + 1  # the ends, once
    in_bulk = (nodes(store, runs=True), relationships(store, runs=True))
    store.write("write/delete_all")
    store.write_rows(person, [*(f.row() for f in people), *odd])
    store.write_rows(org, orgs)
    store.write_rows(works, [f.row() for f in edges[0]])
    store.write_rows(owns, [f.row() for f in edges[1]])
    assert in_bulk == (nodes(store, runs=True), relationships(store, runs=True))
    assert len(in_bulk[1]) == 4


def test_writes_sent_together_answer_each_and_a_failure_names_its_statement(
    embedded: Any
) -> None:
    """``write_together`` sends a bulk insert and merges as one pipeline: each write's
    counters come back in order; a merge the engine refuses raises with its statement's
    name after the pipeline, and the writes before it are in the graph."""
    store = embedded
    store.write("write/delete_all")
    person, org = node_statement("Person"), node_statement("Organisation")
    created, merged = store.write_together(
        [store.ready_new(person, [NewFact({"name": "N"}, PROV, None, uid="person:n")])],
        [store.ready_rows(person, [_row("person:m", {"name": "M"})]),
         store.ready_rows(org, [_row("org:m1", {"name": "O"}), _row("org:m2", {})])])
    assert [c.nodes_created for c in created] == [1]
    assert [(c.nodes_created, c.rows, c.batches) for c in merged] == [(1, 1, 1), (2, 2, 1)]
    with pytest.raises(QueryFailed, match="write/merge_organisation"):
        store.write_together(
            [store.ready_new(person, [NewFact({"name": "K"}, PROV, None, uid="person:k")])],
            [store.ready_rows(person, [_row("person:l", {"name": "L"})]),
             store.ready_rows(org, [_row("org:bad", {"x": {"a": 1}})])])
    assert {"person:n", "person:m", "org:m1", "org:m2", "person:k", "person:l"} <= set(
        nodes(store))
    assert "org:bad" not in nodes(store)


@pytest.mark.parametrize("bad", [{"bad key": 1}, {"x": {"a": 1}}, {"x": "nul\0"},
                                 {"x": 2**63}, {"x": ["a", None]}, {"x": float("nan")},
                                 {"x": ["nul\0"]}])
def test_the_encoder_refuses_what_it_cannot_write_exactly(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        node_blob(("Entity", "Person"), [bad])
    with pytest.raises(ValueError):
        EdgeBlobs("OWNS", [_rel_row("a", "b", "", bad)])
    with pytest.raises(ValueError):
        node_blob(("Entity", "Per son"), [{"x": 1}])
    with pytest.raises(ValueError):
        node_blobs(("Entity", "Person"), [NewFact(bad, PROV, None, uid="person:x")])
    with pytest.raises(ValueError):
        EdgeBlobs("OWNS", [NewFact(bad, PROV, None, start="a", end="b", key="")])


def test_a_second_load_waits_until_the_first_has_created_its_facts(
    embedded: Any, tmp_path: Path
) -> None:
    """Between a load's look at what is stored and its bulk insert nobody else may create
    the same facts: loads on one data folder, in any process, take turns."""
    other: Store = open_store(load_settings(env={"ONDERGRAAF_DATA_DIR": str(
        embedded.settings.data_dir)}))
    entered = threading.Event()

    def second() -> None:
        with other.creating():
            entered.set()

    try:
        with embedded.creating():
            waiting = threading.Thread(target=second)
            waiting.start()
            assert not entered.wait(0.5)  # held off while the first creates
        assert entered.wait(30)
        waiting.join(30)
    finally:
        other.close()


def test_facts_created_in_bulk_survive_a_crash_and_are_found_through_the_indexes(
    tmp_path: Path
) -> None:
    """A bulk insert is logged in the append-only file like any write: killed without a
    clean shutdown, the server replays it at the next start, indexes and all."""
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    store = open_store(settings)
    store.setup_schema()
    people = [_row(f"person:crash-{i}", {"name": f"Jansen {i}"}) for i in range(500)]
    store.create_new(node_statement("Person"), people)
    store.create_new(node_statement("Organisation"), [_row("org:crash", {"name": "Bv"})])
    rels = [_rel_row(f"person:crash-{i}", "org:crash", "", {}) for i in range(500)]
    store.create_new(relationship_statement("FUNCTIONARY_OF"), rels)
    assert store.bulk_rows == 1001
    before = (nodes(store), relationships(store))
    (pid,) = _server_pids(str(tmp_path.resolve()))
    os.kill(pid, signal.SIGKILL)  # no clean shutdown: only the append-only file survives
    store.server.process.wait()
    store.server.process = None
    store.close()
    reopened = open_store(settings)
    try:
        assert reopened.health()["startup"]["replayed_bytes"] > 0
        assert (nodes(reopened), relationships(reopened)) == before
        found = reopened.read("read/entity_ids", {"uids": ["person:crash-7"]})
        assert len(found) == 1
        plan = reopened.graph.explain("MATCH (n:Entity {uid: 'person:crash-7'}) RETURN n")
        assert "Index Scan" in str(plan)
    finally:
        reopened.close()
