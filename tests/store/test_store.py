"""The store contract, the same on both engines: batches, idempotent MERGE, plain values."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from graph_service.config import load_settings
from graph_service.errors import ConfigError, InvalidParams, QueryFailed, QueryTimeout
from graph_service.queries import search
from graph_service.store import Store, access, open_store
from graph_service.store.base import to_param, unbounded_reads
from graph_service.store.registry import (
    RegistryError,
    build_registry,
    parse_statement_file,
    shipped_files,
)
from tests.support.processes import ended


def person_rows(n: int, seen: str = "2025-01-01", **props: object) -> list[dict[str, object]]:
    return [
        {
            "uid": f"person:{i:05d}",
            "props": {"name": f"Persoon {i}", **props},
            "sources": ["kvk"],
            "source_records": [f"kvk:{i}"],
            "grades": ["A1"],
            "purposes": ["open"],
            "first_seen": seen,
            "last_seen": seen,
        }
        for i in range(n)
    ]


def test_write_rows_runs_in_batches_and_merge_is_idempotent(store: Store) -> None:
    first = store.write_rows("write/merge_person", person_rows(2500), batch_size=1000)
    assert (first.batches, first.rows, first.nodes_created) == (3, 2500, 2500)
    again = store.write_rows("write/merge_person", person_rows(2500), batch_size=1000)
    assert again.nodes_created == 0
    counts = {r["label"]: r["count"] for r in store.read("read/node_counts")}
    assert counts == {"Person": 2500}


def test_a_write_made_ready_ahead_writes_what_write_rows_writes(store: Store) -> None:
    rows = person_rows(3, tags=["a", 'b"c', "d\\e"], note='tekst met "aanhalingstekens"')
    ready = store.ready_rows("write/merge_person", rows)
    assert store.read("read/node_counts") == []  # made ready: nothing sent yet
    first = store.write_ready(ready)
    assert (first.batches, first.rows, first.nodes_created) == (1, 3, 3)
    assert store.write_ready(store.ready_rows("write/merge_person", rows)).nodes_created == 0
    written_ahead = store.read("read/all_nodes")
    store.write("write/delete_all")
    store.write_rows("write/merge_person", rows)
    assert store.read("read/all_nodes") == written_ahead
    with pytest.raises(QueryFailed):
        store.ready_rows("write/delete_all", [])
    with pytest.raises(InvalidParams):
        store.ready_rows("write/merge_person", rows, {"extra": 1})


def test_results_are_plain_python_values(store: Store) -> None:
    store.write_rows("write/merge_person", person_rows(2, flag=True, score=1.5, tags=["a", "b"]))
    store.write_rows("write/merge_functionary_of", [{
        "start": "person:00000", "end": "person:00001", "key": "bestuurder|",
        "props": {"role": "bestuurder", "valid_from": dt.date(2020, 1, 31)},
        "sources": ["kvk"], "source_records": ["kvk:1"], "grades": ["A1"], "purposes": ["open"],
        "first_seen": "2025-01-01", "last_seen": "2025-01-01",
    }])
    nodes = store.read("read/all_nodes")
    node = nodes[0]["node"]
    assert node["_labels"] == ["Entity", "Person"]
    assert node["flag"] is True and node["score"] == 1.5 and node["tags"] == ["a", "b"]
    assert node["sources"] == ["kvk"] and node["grades"] == ["A1"]
    assert node["first_seen"] == node["last_seen"] == "2025-01-01"
    (path,) = store.read("read/entity_facts", {"uid": "person:00001", "limit": 10})
    p = path["p"]
    assert [n["uid"] for n in p["nodes"]] == ["person:00001", "person:00000"]
    (rel,) = p["relationships"]
    assert rel["_type"] == "FUNCTIONARY_OF"
    assert (rel["_start"], rel["_end"]) == ("person:00000", "person:00001")
    assert rel["valid_from"] == "2020-01-31"  # dates travel and are stored as ISO strings


def test_relationship_counts_per_type_leave_out_a_type_with_none_left(store: Store) -> None:
    """On the embedded engine the counts come from the engine's own count per type
    (``relationship_counts.falkordb.cypher``); they must be what counting every
    relationship gives, also after deletes, and leave out a type with none left."""
    store.write_rows("write/merge_person", person_rows(3))

    def rel(start: int, end: int, role: str) -> dict[str, object]:
        return {"start": f"person:{start:05d}", "end": f"person:{end:05d}",
                "key": f"{role}|", "props": {"role": role}, "sources": ["kvk"],
                "source_records": [f"kvk:{start}{end}"], "grades": ["A1"],
                "purposes": ["open"], "first_seen": "2025-01-01", "last_seen": "2025-01-01"}

    store.write_rows("write/merge_functionary_of", [rel(0, 1, "bestuurder"),
                                                    rel(2, 1, "bestuurder")])
    store.write_rows("write/merge_employed_by", [rel(0, 2, "medewerker")])
    counts = {r["type"]: r["count"] for r in store.read("read/relationship_counts")}
    assert counts == {"EMPLOYED_BY": 1, "FUNCTIONARY_OF": 2}
    store.write_rows("write/retention_delete_relationships", [
        {"start": "person:00000", "type": "EMPLOYED_BY", "end": "person:00002",
         "key": "medewerker|", "before": ["kvk:02"]},
        {"start": "person:00002", "type": "FUNCTIONARY_OF", "end": "person:00001",
         "key": "bestuurder|", "before": ["kvk:21"]}])
    assert store.read("read/relationship_counts") == [{"type": "FUNCTIONARY_OF", "count": 1}]


@pytest.mark.parametrize("text", [
    'O\'Brien "quoted" \\ backslash', "new\nline\ttab", "Çelik Kovačević €", "' OR 1=1 //",
    "\") MATCH (n) DETACH DELETE n //", "$uid {uid: 'x'}",
])
def test_strings_round_trip_unchanged(store: Store, text: str) -> None:
    store.write_rows("write/merge_person", [{**person_rows(1)[0], "props": {"name": text}}])
    (row,) = store.read("read/all_nodes")
    assert row["node"]["name"] == text
    assert store.read("read/node_counts") == [{"label": "Person", "count": 1}]


def test_provenance_grows_without_duplicates_and_keeps_newest_values(store: Store) -> None:
    store.write_rows("write/merge_person", person_rows(1, seen="2025-03-01", status="new"))
    older_fills = person_rows(1, seen="2024-01-01", status="old", nationaliteit="NL")
    older = older_fills
    older[0].update(sources=["bibob"], source_records=["bibob:D1/P1"], grades=["B2"],
                    purposes=["bibob"])
    store.write_rows("write/merge_person", older)
    store.write_rows("write/merge_person", older)
    (row,) = store.read("read/all_nodes")
    n = row["node"]
    assert n["status"] == "new"  # an older observation does not overwrite a newer one
    assert n["nationaliteit"] == "NL"  # but it fills what was missing
    assert n["sources"] == ["kvk", "bibob"]
    assert n["source_records"] == ["kvk:0", "bibob:D1/P1"]
    assert n["grades"] == ["A1", "B2"] and n["purposes"] == ["open", "bibob"]
    assert (n["first_seen"], n["last_seen"]) == ("2024-01-01", "2025-03-01")


def test_parameters_are_checked_against_the_header(store: Store) -> None:
    with pytest.raises(InvalidParams):
        store.read("read/entity_facts", {"uid": "x"})
    with pytest.raises(InvalidParams):
        store.read("read/entity_facts", {"uid": "x", "limit": 1, "extra": 2})
    with pytest.raises(QueryFailed):
        store.write("read/node_counts")
    with pytest.raises(QueryFailed):
        store.write_rows("write/delete_all", [])


def test_to_param_turns_dates_into_iso_strings() -> None:
    assert to_param({"d": dt.date(2024, 2, 29), "l": (dt.date(2024, 1, 1),)}) == {
        "d": "2024-02-29", "l": ["2024-01-01"]}


def test_health_reports_the_engine(store: Store, engine: str) -> None:
    info = store.health()
    assert info["ok"] is True and info["engine"] == engine and info["indexes_ready"] is True


@pytest.fixture
def restarted(tmp_path) -> Iterator[Store]:
    """An embedded store with 30,000 persons, just restarted: the engine has loaded the
    snapshot and builds the indexes in the background."""
    store = open_store(load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)}))
    try:
        store.setup_schema()
        store.write_rows("write/merge_person", person_rows(30_000), batch_size=10_000)
        assert store.indexes_ready()
        store.restart()  # compacted at close: the start loads a snapshot, then the indexes
        yield store
    finally:
        store.close()


def test_embedded_store_answers_before_its_indexes_are_built(restarted: Store) -> None:
    log = (restarted.server.dir / "server.log").read_text()
    start = log[log.rindex("Redis is starting"):]
    assert "Done decoding graph" in start  # the graph came from the snapshot ...
    assert "Constructing indexes" not in start  # ... and the load itself built no index
    # a statement that uses no index runs at once; one that needs them waits for them
    assert {r["label"]: r["count"] for r in restarted.read("read/node_counts")} == {
        "Person": 30_000}
    with access.scope(access.FULL):
        found = search(restarted, "persoon 29999")  # full-text: a partial index misses it
    assert [r["uid"] for r in found] == ["person:29999"]
    assert "Entity" in _built(restarted)  # the full-text index is Entity's


def _built(store: Store) -> set[str]:
    """The labels whose indexes are all built."""
    states = store.read("read/index_states")
    return {r["label"] for r in states} - {r["label"] for r in states if not r["ready"]}


def test_a_statement_waits_for_the_indexes_of_the_labels_it_names(restarted: Store) -> None:
    assert restarted.registry.get("read/entity_ids").index_labels == {"Entity"}
    rows = restarted.read("read/entity_ids", {"uids": ["person:00001", "person:29999"]})
    assert sorted(r["uid"] for r in rows) == ["person:00001", "person:29999"]
    assert "Entity" in _built(restarted)  # the read returned only once it was built


def test_a_write_waits_for_every_index(restarted: Store) -> None:
    assert restarted.registry.get("write/merge_person").index_labels is None
    restarted.write_rows("write/merge_person", person_rows(1, seen="2025-03-01"))
    assert restarted.indexes_ready()  # the write ran only once all were built


def test_embedded_setup_schema_creates_only_the_indexes_the_graph_lacks(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)}))
    try:
        created: list[str] = []
        schema = store._schema
        monkeypatch.setattr(store, "_schema", lambda stmt, text: (created.append(text),
                                                                   schema(stmt, text)))
        store.setup_schema()
        texts = [t for s in store.registry if s.mode == "schema"
                 for t in s.statements_for(store.engine) if not t.startswith("DROP ")]
        assert sorted(created) == sorted(texts)  # an empty graph: every index (none retired)
        fields = {(r["label"], f) for r in store.read("read/index_fields")
                  for f in r["types"]}
        assert {("Entity", "name"), ("Entity", "uid"), ("Person", "mk_ym")} <= fields
        created.clear()
        store.setup_schema()
        assert created == []  # every index is there: nothing to wait for
    finally:
        store.close()


#: The look-up index on persons' birth dates that releases before schema/retired.cypher made
_PREVIOUS_INDEX = {
    "schema/previous.cypher": "// description: x\n// mode: schema\n// params: none\n"
                              "CREATE INDEX FOR (n:Person) ON (n.geboortedatum);\n",
    "schema/previous.neo4j.cypher": "// description: x\n// mode: schema\n// params: none\n"
                                    "CREATE INDEX person_birth IF NOT EXISTS "
                                    "FOR (n:Person) ON (n.geboortedatum);\n",
}


def _indexes(store: Store) -> set[str]:
    """The indexes as ``Label.property`` (FalkorDB), or by name (Neo4j)."""
    if store.engine == "neo4j":
        return {r["label"] for r in store.read("read/index_states")}
    return {f"{r['label']}.{field}" for r in store.read("read/index_fields")
            for field in r["types"]}


def test_setup_schema_drops_the_indexes_a_release_retired(store: Store) -> None:
    old = build_registry(_PREVIOUS_INDEX).get("schema/previous")
    for text in old.statements_for(store.engine):
        store._schema(old, text)  # a graph an earlier release set up
    store.setup_schema()
    retired = "person_birth" if store.engine == "neo4j" else "Person.geboortedatum"
    assert retired not in _indexes(store)
    store.setup_schema()  # nothing left to drop: no error
    assert retired not in _indexes(store)
    assert ("person_mk_ym" if store.engine == "neo4j" else "Person.mk_ym") in _indexes(store)


def test_registry_knows_which_statements_need_no_index() -> None:
    registry = build_registry(shipped_files())
    free = {s.name for s in registry if not s.needs_indexes}
    assert "read/index_states" in free and "read/node_counts" in free
    assert registry.get("read/entity_facts").needs_indexes
    assert registry.get("read/index_states").index_labels is None
    header = "// description: x\n// mode: read\n// access: internal\n// indexes: {}\n"
    named = parse_statement_file("read/x", header.format("Entity, Address")
                                 + "// params: none\nRETURN 1")
    assert named.needs_indexes and named.index_labels == {"Entity", "Address"}
    for wrong in ("Entity,Address", "Entity and Address", ""):
        with pytest.raises(RegistryError, match="indexes must be"):
            parse_statement_file("read/x", header.format(wrong) + "// params: none\nRETURN 1")
    with pytest.raises(RegistryError, match="indexes is for read statements"):
        parse_statement_file("write/x", "// description: x\n// mode: write\n"
                             "// indexes: Entity\n// params: none\nCREATE (:X)")


# -- the embedded engine's server lifecycle --------------------------------------------------
def _server_pids(data_dir: str) -> list[int]:
    """The embedded server of a data folder, if one is alive (from its pid file)."""
    pidfile = os.path.join(data_dir, "falkordb", "server.pid")
    if not os.path.exists(pidfile):
        return []
    with open(pidfile) as fh:
        pid = int(fh.read().strip())
    return [] if ended(pid) else [pid]


def test_embedded_engine_keeps_acknowledged_writes_across_a_crash(tmp_path) -> None:
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    store = open_store(settings)
    store.write_rows("write/merge_person", person_rows(300), batch_size=100)
    (pid,) = _server_pids(str(tmp_path.resolve()))
    os.kill(pid, signal.SIGKILL)  # no clean shutdown: only the append-only file survives
    store.server.process.wait()  # type: ignore[attr-defined]
    store.server.process = None  # type: ignore[attr-defined]
    store.close()
    reopened = open_store(settings)
    try:
        assert reopened.read("read/node_counts") == [{"label": "Person", "count": 300}]
    finally:
        reopened.close()
    assert _server_pids(str(tmp_path.resolve())) == []


def test_embedded_engine_leaves_no_server_behind(tmp_path) -> None:
    script = (
        "from graph_service.config import load_settings\n"
        "from graph_service.store import open_store\n"
        f"s = open_store(load_settings(env={{'ONDERGRAAF_DATA_DIR': {str(tmp_path)!r}}}))\n"
        "import os; os.kill(os.getpid(), 9)\n"  # the owner dies without closing
    )
    subprocess.run(["python", "-c", script], check=False)
    for _ in range(50):
        if not _server_pids(str(tmp_path.resolve())):
            break
        subprocess.run(["sleep", "0.1"])
    assert _server_pids(str(tmp_path.resolve())) == []


def test_second_process_attaches_to_the_running_server(tmp_path) -> None:
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    owner = open_store(settings)
    try:
        owner.write_rows("write/merge_person", person_rows(3))
        guest = open_store(settings)
        assert not guest.server.owned  # type: ignore[attr-defined]
        assert len(guest.read("read/all_nodes")) == 3
        guest.close()
        assert owner.health()["ok"]  # closing a guest leaves the owner's server running
    finally:
        owner.close()


SLOW_READ = """// description: A read that runs for seconds (the read-timeout test).
// mode: read
// access: internal
// params: n: int
UNWIND range(1, $n) AS i
WITH i WHERE i % 7 = 3
RETURN count(i) AS c
"""


NOT_YET_READ = """// description: A read of a label and a property no write ever made (a new graph).
// mode: read
// access: internal
// params: none
OPTIONAL MATCH (n:NotYetInThisGraph)
RETURN n.not_yet_set AS value
"""


def test_a_read_of_what_the_graph_does_not_hold_yet_puts_nothing_on_stderr(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A new graph lacks labels and properties the statements name (no parks loaded yet,
    no hit refresh run yet). Neo4j notes each as "does not exist"; the driver would log
    every note to stderr, a dozen lines per command. The store does not ask for them."""
    files = {**shipped_files(), "read/not_yet.cypher": NOT_YET_READ}
    monkeypatch.setattr(store, "registry", build_registry(files))
    caplog.set_level(logging.DEBUG, logger="neo4j.notifications")
    assert store.read("read/not_yet") == [{"value": None}]
    assert [r.getMessage() for r in caplog.records
            if r.name.startswith("neo4j.notifications")] == []


def test_reads_are_cancelled_after_the_read_timeout(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = {**shipped_files(), "read/slow_count.cypher": SLOW_READ}
    monkeypatch.setattr(store, "registry", build_registry(slow))
    assert store.read("read/slow_count", {"n": 1000}) == [{"c": 143}]
    monkeypatch.setattr(store, "read_timeout_s", 0.2)
    with pytest.raises(QueryTimeout, match=r"read/slow_count: cancelled after 0.2 s"):
        store.read("read/slow_count", {"n": 200_000_000})
    assert store.read("read/slow_count", {"n": 1000}) == [{"c": 143}]  # the store still works


def test_reads_inside_unbounded_reads_run_without_the_timeout(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = {**shipped_files(), "read/slow_count.cypher": SLOW_READ}
    monkeypatch.setattr(store, "registry", build_registry(slow))
    monkeypatch.setattr(store, "read_timeout_s", 0.2)
    # a read that surely outlasts the timeout: FalkorDB cancels it at once, Neo4j only when
    # its transaction monitor next looks (every 2 s). A warm Neo4j counted the 42M this
    # test used before in 0.76 s, done before any look; 280M take it about 6 s.
    n = {"n": 7 * (40_000_000 if store.engine == "neo4j" else 1_500_000)}
    with pytest.raises(QueryTimeout):
        store.read("read/slow_count", n)
    with unbounded_reads():
        assert store.read("read/slow_count", n) == [{"c": n["n"] // 7}]
        # in this thread only: a read another thread makes meanwhile keeps the timeout
        with ThreadPoolExecutor(1) as pool, pytest.raises(QueryTimeout):
            pool.submit(store.read, "read/slow_count", n).result()
    with pytest.raises(QueryTimeout):
        store.read("read/slow_count", n)


def test_read_timeout_comes_from_the_environment() -> None:
    assert load_settings(env={}).read_timeout_s == 120.0
    assert load_settings(env={"ONDERGRAAF_READ_TIMEOUT_SECONDS": "0"}).read_timeout_s == 0.0
    with pytest.raises(ConfigError, match="READ_TIMEOUT"):
        load_settings(env={"ONDERGRAAF_READ_TIMEOUT_SECONDS": "soon"})
    with pytest.raises(ConfigError, match="READ_TIMEOUT"):
        load_settings(env={"ONDERGRAAF_READ_TIMEOUT_SECONDS": "-1"})
