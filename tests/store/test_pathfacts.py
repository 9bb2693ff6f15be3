"""Paths returned as ``PATH_FACTS(paths)`` (``graph_service.store.pathfacts``): each fact
once in the engine's reply, and read back exactly as the same paths returned as values,
in every scope (provenance trimmed, persons pseudonymised), on both engines."""

from __future__ import annotations

import pytest

from graph_service.store import Store, access
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
        "read/test_paths_facts.cypher": AS_FACTS}))
    store.write("write/test_paths_make")
    return store


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: s.label)
def test_paths_as_facts_read_back_as_the_paths_as_values(paths_store: Store,
                                                         scope: access.Scope) -> None:
    with access.scope(scope):
        values = paths_store.read("read/test_paths_values")
        facts = paths_store.read("read/test_paths_facts")
    assert len(values) == 1 and len(values[0]["paths"]) == 3
    assert facts == values
    # a fact on several paths is a dict of its own on each (as path values give them)
    first, second = facts[0]["paths"][:2]
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
