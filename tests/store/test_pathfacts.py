"""Paths returned as ``PATH_FACTS(paths)`` (``graph_service.store.pathfacts``): each fact
once in the engine's reply, and read back exactly as the same paths returned as values,
in every scope (provenance trimmed, persons pseudonymised), on both engines. The same for
``PATH_KEYS(paths)``, whose facts the store reads after the paths, once for all rows."""

from __future__ import annotations

from typing import Any

import pytest

from graph_service.errors import QueryFailed
from graph_service.store import Store, access, pathfacts
from graph_service.store.base import KEYED_TRIES
from graph_service.store.registry import build_registry, shipped_files

MAKE = """// description: A dossier, its party and the party's fellow functionaries (test only).
// mode: write
// params: none
CREATE (d:Entity:BibobDossier {uid: 'dossier:2025-0001', sources: ['bibob'],
        purposes: ['bibob'], aanvraagdatum: '2025-01-02'})
CREATE (a:Entity:Person {uid: 'person:k:000000000000000a', name: 'A. Jansen',
        sources: ['kvk', 'riec'], purposes: ['open', 'riec'],
        source_records: ['kvk:1', 'riec:S-1'], grades: ['A', 'B'],
        prov_seen: ['kvk|2024-01-01|2024-06-01', 'riec|2025-01-02|2025-01-02'],
        prov_grades: ['kvk:A', 'riec:B'], prov_props: ['kvk|name', 'riec|name'],
        prov_values: ['kvk|name|"Jansen, A."', 'riec|name|"A. Jansen"']})
CREATE (o:Entity:Organisation {uid: 'kvk:00000001', name: 'Voorbeeld B.V.',
        sources: ['kvk'], purposes: ['open']})
CREATE (b:Entity:Person {uid: 'person:k:000000000000000b', name: 'Bakker, B.',
        sources: ['kvk'], purposes: ['open']})
CREATE (c:Entity:Person {uid: 'person:k:000000000000000c', sources: ['kvk'],
        purposes: ['open']})
CREATE (a)-[:PARTY_TO {key: '', role: 'aanvrager', sources: ['bibob'],
        purposes: ['bibob']}]->(d)
CREATE (a)-[:FUNCTIONARY_OF {key: 'k1', role: 'bestuurder', sources: ['kvk'],
        purposes: ['open']}]->(o)
CREATE (b)-[:FUNCTIONARY_OF {key: 'k2', role: 'bestuurder', sources: ['kvk'],
        purposes: ['open']}]->(o)
CREATE (b)-[:FUNCTIONARY_OF {key: 'k4', role: 'gevolmachtigde', sources: ['kvk'],
        purposes: ['open']}]->(o)
CREATE (c)-[:FUNCTIONARY_OF {key: 'k3', role: 'bestuurder', sources: ['kvk'],
        purposes: ['open']}]->(o)
"""

_MATCH = """// mode: read
// params: visible: list, today: str
MATCH path = (d:BibobDossier)<-[:PARTY_TO]-(a:Person)-[:FUNCTIONARY_OF]->(o:Organisation)
             <-[f:FUNCTIONARY_OF]-(x:Person)
WHERE x <> a AND VISIBLE_PATH(path)
WITH d, path ORDER BY x.uid, f.key
WITH d, collect(path) AS paths
"""
AS_VALUES = ("// description: The paths as values (test only).\n" + _MATCH
             + "RETURN d.uid AS uid, paths\n")
AS_FACTS = ("// description: The paths as facts (test only).\n" + _MATCH
            + "RETURN d.uid AS uid, PATH_FACTS(paths)\n")
# one row per path: the rows share the dossier, the party and the organisation
_PER_PATH = _MATCH.replace(
    "WITH d, path ORDER BY x.uid, f.key\nWITH d, collect(path) AS paths\n",
    "WITH d, f, collect(path) AS paths\n")
PER_PATH_VALUES = ("// description: One row per path, as values (test only).\n" + _PER_PATH
                   + "RETURN d.uid AS uid, f.key AS key, paths ORDER BY key\n")
PER_PATH_KEYS = ("// description: One row per path, as keys (test only).\n" + _PER_PATH
                 + "RETURN d.uid AS uid, f.key AS key, PATH_KEYS(paths) ORDER BY key\n")
DROP = """// description: Remove one functionary relationship (test only).
// mode: write
// params: none
MATCH ()-[r:FUNCTIONARY_OF {key: 'k4'}]->()
DELETE r
"""

SCOPES = [
    access.FULL,
    # no riec: the party's provenance trimmed to kvk's; persons pseudonymised
    access.Scope(visible=frozenset({"open", "bibob"}), pseudonymise=True,
                 pseudonym_key=b"k" * 32, label="test/pseudonymised"),
]


@pytest.fixture
def paths_store(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setattr(store, "registry", build_registry({
        **shipped_files(), "write/test_paths_make.cypher": MAKE,
        "read/test_paths_values.cypher": AS_VALUES,
        "read/test_paths_facts.cypher": AS_FACTS,
        "read/test_paths_per_path_values.cypher": PER_PATH_VALUES,
        "read/test_paths_per_path_keys.cypher": PER_PATH_KEYS,
        "write/test_paths_drop.cypher": DROP}))
    store.write("write/test_paths_make")
    return store


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: s.label)
@pytest.mark.parametrize("as_values, as_facts", [
    ("read/test_paths_values", "read/test_paths_facts"),  # one row, three paths
    ("read/test_paths_per_path_values", "read/test_paths_per_path_keys"),  # a row a path
], ids=["PATH_FACTS", "PATH_KEYS"])
def test_paths_as_facts_read_back_as_the_paths_as_values(
        paths_store: Store, scope: access.Scope, as_values: str, as_facts: str) -> None:
    with access.scope(scope):
        values = paths_store.read(as_values)
        facts = paths_store.read(as_facts)
    assert sum(len(r["paths"]) for r in values) == 3
    assert facts == values
    # a fact on several paths (of one row or of several rows) is read once but is a dict
    # of its own on each path (as path values give them)
    first, second = [p for r in facts for p in r["paths"]][:2]
    assert first["nodes"][0] == second["nodes"][0]
    assert first["nodes"][0] is not second["nodes"][0]


def test_the_reply_holds_each_fact_once(paths_store: Store) -> None:
    stmt = paths_store.registry.get("read/test_paths_facts")
    assert "PATH_FACTS" not in stmt.text_for(paths_store.engine)
    params = paths_store._params(stmt, {"visible": sorted(access.FULL.visible),
                                        "today": access.today().isoformat()})
    [row] = paths_store._read(stmt, params)
    assert sorted(n["uid"] for n in row["path_nodes"]) == [
        "dossier:2025-0001", "kvk:00000001", "person:k:000000000000000a",
        "person:k:000000000000000b", "person:k:000000000000000c"]
    # four FUNCTIONARY_OF (two between the same two ends, told apart by key) and PARTY_TO
    assert sorted((rel["_type"], rel.get("key")) for _, rel, _ in row["path_rels"]) == [
        ("FUNCTIONARY_OF", "k1"), ("FUNCTIONARY_OF", "k2"), ("FUNCTIONARY_OF", "k3"),
        ("FUNCTIONARY_OF", "k4"), ("PARTY_TO", "")]
    assert [uids[-1] for uids, _ in row["path_keys"]] == [
        "person:k:000000000000000b", "person:k:000000000000000b",
        "person:k:000000000000000c"]
    assert [keys[-1][2] for _, keys in row["path_keys"]] == ["k2", "k4", "k3"]


def test_the_keyed_reply_holds_no_facts(paths_store: Store) -> None:
    stmt = paths_store.registry.get("read/test_paths_per_path_keys")
    params = paths_store._params(stmt, {"visible": sorted(access.FULL.visible),
                                        "today": access.today().isoformat()})
    rows = paths_store._read(stmt, params)
    assert [sorted(r) for r in rows] == [["key", "path_keys", "uid"]] * 3
    uids, rels = pathfacts.wanted(rows)
    assert len(uids) == 5  # the dossier, the organisation and three persons, each once
    assert sorted(k[2] for k in rels) == ["", "k1", "k2", "k3", "k4"]


def test_a_fact_gone_before_it_is_read_reads_the_paths_again(
        paths_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write between the paths and their facts: the read runs again and gives the paths
    as they are after it."""
    calls: list[int] = []
    read_facts = paths_store._path_facts

    def write_first(rows: list[dict[str, Any]], given: Any) -> Any:
        if pathfacts.keyed(rows):
            calls.append(len(rows))
            if len(calls) == 1:  # another writer, between the two reads
                paths_store.write("write/test_paths_drop")
        return read_facts(rows, given)

    monkeypatch.setattr(paths_store, "_path_facts", write_first)
    with access.scope(access.FULL):
        keyed = paths_store.read("read/test_paths_per_path_keys")
        values = paths_store.read("read/test_paths_per_path_values")
    assert calls == [3, 2]
    assert [r["key"] for r in keyed] == ["k2", "k3"]
    assert keyed == values


def test_facts_that_stay_missing_fail_the_read(paths_store: Store,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    stmt = paths_store.registry.get("read/test_paths_per_path_keys")
    rows = paths_store._read(stmt, paths_store._params(stmt, {
        "visible": sorted(access.FULL.visible), "today": access.today().isoformat()}))
    with pytest.raises(pathfacts.FactsChanged, match="dossier:2025-0001"):
        pathfacts.index_shared(rows, [], [])  # no fact found: each key names a missing one
    tries: list[int] = []

    def never_found(rows: list[dict[str, Any]], given: Any) -> Any:
        tries.append(len(rows))
        return pathfacts.index_shared(rows, [], [])

    monkeypatch.setattr(paths_store, "_path_facts", never_found)
    with access.scope(access.FULL), pytest.raises(QueryFailed, match="changed while"):
        paths_store.read("read/test_paths_per_path_keys")
    assert tries == [3] * KEYED_TRIES
