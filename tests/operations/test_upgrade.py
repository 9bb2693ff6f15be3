"""Schema versions and ``ondergraaf upgrade`` on both engines: a folder made by the previous
schema version is refused by every command until it is upgraded, the upgrade is recorded
and idempotent, a folder newer than the code is refused, and the step interface renames
node identifiers (the kind of step a change of uid scheme needs)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from graph_service.cli import cli
from graph_service.config import Settings, load_settings
from graph_service.model import SOURCES, rekey_legacy_person, uids
from graph_service.operations import new_key_file
from graph_service.operations import upgrade as upgrades
from graph_service.security.audit import AuditTrail
from graph_service.store import access, open_store, rows
from graph_service.store import version as schema
from graph_service.store.access import Scope
from loaders import names, spec_for, writer
from loaders.base import LoadReport, Node, Prov, sync, write
from loaders.synthetic import generate
from tests.support import dump
from tests.support.graphs import reset_graph

FIX = Path(__file__).parent.parent / "fixtures"
KVK = FIX / "kvk" / "kvk_variants.csv"
PREVIOUS = schema.SCHEMA_VERSION - 1


@pytest.fixture
def env(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A data folder (and on Neo4j the test server's graph, emptied) for this test."""
    values = {"ONDERGRAAF_DATA_DIR": str(tmp_path / "data"), "ONDERGRAAF_NEO4J_URI": ""}
    if engine == "neo4j":
        values.update(request.getfixturevalue("neo4j_env"))
        # whatever a test before left on the shared server (the store tests' graphs have
        # no version node: a graph with data and none reads as version 1)
        reset_graph(load_settings(env=values))
    yield values
    # leave the shared Neo4j graph empty and at the code's version for the tests after this
    if engine == "neo4j":
        reset_graph(load_settings(env=values))


def _invoke(args: list[str], env: dict[str, str]) -> Result:
    return CliRunner().invoke(cli, args, env=env)


def _settings(env: dict[str, str]) -> Settings:
    return load_settings(env=env)


def _previous_version_folder(env: dict[str, str], version: int = PREVIOUS) -> dict[str, Any]:
    """A folder with a graph, made by the code and then marked as schema ``version`` (by
    default the previous one) made it (``make_previous_version``); returns its stats."""
    out = _invoke(["load", "kvk", str(KVK)], env)
    assert out.exit_code == 0, out.output
    stats: dict[str, Any] = json.loads(_invoke(["stats", "--json"], env).output)
    assert stats["nodes"] == {"Address": 3, "Organisation": 5, "Person": 4}
    upgrades.make_previous_version(_settings(env), version)
    return stats


def _refused(result: Result) -> str:
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, schema.SchemaVersionError), result.output
    return str(result.exception)


def _upgrade_records(env: dict[str, str]) -> list[dict[str, Any]]:
    trail = AuditTrail.open(_settings(env))
    assert trail.verify().ok
    return [r for r in trail.read(action="load") if r["what"].get("name") == "upgrade"]


def test_the_steps_run_one_version_at_a_time_up_to_the_code() -> None:
    upgrades.check_chain(upgrades.MIGRATIONS)
    assert upgrades.MIGRATIONS[-1].target == schema.SCHEMA_VERSION
    after = schema.SCHEMA_VERSION + 1  # a step that skips one version is a gap
    gap = upgrades.Migration(after, after + 1, "x", lambda ctx: {})
    with pytest.raises(upgrades.UpgradeError):
        upgrades.check_chain((*upgrades.MIGRATIONS, gap), after + 1)


def test_a_new_folder_is_made_at_the_current_version(env: dict[str, str]) -> None:
    out = _invoke(["load", "kvk", str(KVK)], env)
    assert out.exit_code == 0, out.output
    data_dir = Path(env["ONDERGRAAF_DATA_DIR"])
    marker = json.loads((data_dir / schema.MARKER).read_text())
    assert marker["schema_version"] == schema.SCHEMA_VERSION
    with open_store(_settings(env)) as store:
        state = schema.read_state(store, data_dir)
    assert (state.folder, state.graph, state.graph_marked) == (
        schema.SCHEMA_VERSION, schema.SCHEMA_VERSION, True)
    # emptying the graph keeps its version, as it keeps its indexes
    assert _invoke(["reset", "--yes"], env).exit_code == 0
    with open_store(_settings(env)) as store:
        assert schema.read_state(store, data_dir).graph_marked


def test_previous_version_is_refused_then_upgraded_once(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import waitress

    before = _previous_version_folder(env)
    data_dir = Path(env["ONDERGRAAF_DATA_DIR"])
    settings = _settings(env)

    # refused: every command that opens the store, the web service, the store itself
    message = _refused(_invoke(["stats"], env))
    assert f"versie {PREVIOUS}" in message and f"versie {schema.SCHEMA_VERSION}" in message
    assert "ondergraaf upgrade" in message and str(data_dir) in message
    _refused(_invoke(["load", "kvk", str(KVK)], env))
    served: list[Any] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: served.append(kw))
    _refused(_invoke(["serve", "--port", "8125"], env))
    assert served == []
    with pytest.raises(schema.SchemaVersionError):
        open_store(settings)
    # a backup comes before the upgrade: it runs on the older folder
    key = data_dir.parent / "backup.key"
    new_key_file(key)
    out = _invoke(["backup", str(data_dir.parent / "backup"), "--key-file", str(key),
                   "--json"], env)
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["schema_version"] == PREVIOUS
    status = json.loads(_invoke(["upgrade", "--dry-run", "--json"], env).output)
    assert status["version"] == PREVIOUS
    assert [s["to"] for s in status["pending"]] == list(
        range(PREVIOUS + 1, schema.SCHEMA_VERSION + 1))

    out = _invoke(["upgrade"], env)
    assert out.exit_code == 0, out.output
    assert f"bijgewerkt naar schemaversie {schema.SCHEMA_VERSION}" in out.output
    (record,) = _upgrade_records(env)
    assert record["what"]["params"] == {"from": PREVIOUS, "to": schema.SCHEMA_VERSION}
    assert record["outcome"] == "ok"
    with open_store(settings) as store:
        state = schema.read_state(store, data_dir)
    assert (state.folder, state.graph) == (schema.SCHEMA_VERSION, schema.SCHEMA_VERSION)
    after = json.loads(_invoke(["stats", "--json"], env).output)
    assert after["nodes"] == before["nodes"]
    assert after["relationships"] == before["relationships"]

    # a second run changes nothing and records no step
    marker = (data_dir / schema.MARKER).read_text()
    out = _invoke(["upgrade"], env)
    assert out.exit_code == 0 and "niets te doen" in out.output
    assert len(_upgrade_records(env)) == 1
    assert (data_dir / schema.MARKER).read_text() == marker


def test_an_older_backup_is_upgraded_by_restore(
    env: dict[str, str], tmp_path: Path
) -> None:
    _previous_version_folder(env)
    key = tmp_path / "backup.key"
    new_key_file(key)
    out = _invoke(["backup", str(tmp_path / "backup"), "--key-file", str(key)], env)
    assert out.exit_code == 0, out.output
    target = {**env, "ONDERGRAAF_DATA_DIR": str(tmp_path / "restored")}
    out = _invoke(["restore", str(tmp_path / "backup"), "--key-file", str(key), "--force",
                   "--no-retention", "--json"], target)
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["schema_version"] == PREVIOUS
    assert report["upgrade"]["after"] == schema.SCHEMA_VERSION
    assert _invoke(["stats"], target).exit_code == 0


def test_newer_than_the_code_is_refused_and_not_downgraded(env: dict[str, str]) -> None:
    assert _invoke(["load", "kvk", str(KVK)], env).exit_code == 0
    settings = _settings(env)
    newer = schema.SCHEMA_VERSION + 1
    with open_store(settings) as store:
        schema.write_graph_version(store, newer)
    schema.write_folder_version(settings.data_dir, newer)
    message = _refused(_invoke(["stats"], env))
    assert "nieuwer" in message and f"versie {schema.SCHEMA_VERSION}" in message
    _refused(_invoke(["users", "list"], env))  # the folder alone is enough to refuse
    out = _invoke(["upgrade"], env)
    assert out.exit_code != 0 and isinstance(out.exception, upgrades.UpgradeError)
    assert "nieuwer" in str(out.exception)
    with open_store(settings, check_schema=False) as store:
        assert schema.read_state(store, settings.data_dir).graph == newer
    # only the graph newer (a database upgraded from another server): refused too
    schema.write_folder_version(settings.data_dir, schema.SCHEMA_VERSION)
    assert "nieuwer" in _refused(_invoke(["stats"], env))


def _with_keyed_person_uids(ctx: upgrades.MigrationContext) -> dict[str, Any]:
    """A step of the kind a change of uid scheme needs: person uids get a new form."""
    pairs = [(uid, "person:x:" + uid.removeprefix("person:"))
             for uid in list(ctx.uids("Person")) if not uid.startswith("person:x:")]
    return {"renamed": ctx.rename_nodes(pairs, batch_size=3)}


def test_a_step_that_renames_node_identifiers(env: dict[str, str]) -> None:
    assert _invoke(["load", "kvk", str(KVK)], env).exit_code == 0
    settings = _settings(env)
    with open_store(settings) as store:
        people = sorted(r["uid"] for r in store.read("read/all_nodes")
                        if "Person" in r["labels"])
        edges = len(store.read("read/all_relationships"))
    assert len(people) == 4
    step = upgrades.Migration(schema.SCHEMA_VERSION, schema.SCHEMA_VERSION + 1,
                              "persoon-uids met sleutel", _with_keyed_person_uids)
    target = schema.SCHEMA_VERSION + 1
    report = upgrades.upgrade(settings, migrations=(*upgrades.MIGRATIONS, step),
                              target=target)
    assert [s["changed"] for s in report.steps] == [{"renamed": 4}]
    again = upgrades.upgrade(settings, migrations=(*upgrades.MIGRATIONS, step), target=target)
    assert again.steps == []
    with open_store(settings, check_schema=False) as store:
        renamed = sorted(r["uid"] for r in store.read("read/all_nodes")
                         if "Person" in r["labels"])
        assert renamed == sorted("person:x:" + u.removeprefix("person:") for u in people)
        assert len(store.read("read/all_relationships")) == edges  # relationships kept
        ctx = upgrades.MigrationContext(store, settings)
        assert _with_keyed_person_uids(ctx) == {"renamed": 0}  # resumable: nothing left
        # a rename onto a uid another node has is refused before anything is written
        org = next(r["uid"] for r in store.read("read/all_nodes")
                   if "Organisation" in r["labels"])
        with pytest.raises(upgrades.UpgradeError):
            ctx.rename_nodes([(renamed[0], org)])
        assert renamed[0] in {r["uid"] for r in store.read("read/all_nodes")}
    # the code (still at SCHEMA_VERSION) refuses the folder the longer chain made
    assert "nieuwer" in _refused(_invoke(["stats"], env))


# -- 2 -> 3: keyed person uids --------------------------------------------------------------
LEGACY = re.compile(r"person:[0-9a-f]{16}(?![0-9a-f])")


def _all_text(store: Any) -> str:
    """Every property of every node, entities and bookkeeping, as one text."""
    nodes = [r["node"] for r in store.read("read/all_nodes")]
    after, extra = -1, []
    while rows := store.read("read/migrate_person_refs", {"after": after, "limit": 100}):
        extra += [r["props"] for r in rows]
        after = rows[-1]["id"]
    return json.dumps([nodes, extra], default=str)


def _persons(store: Any) -> list[str]:
    return sorted(r["uid"] for r in store.read("read/all_nodes") if "Person" in r["labels"])


def test_a_folder_with_unkeyed_person_uids_is_upgraded_and_reloads_unchanged(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a folder as schema version 2 made it: person uids unkeyed, a watch, an alert and a
    # stored hit that name a person by that uid
    with monkeypatch.context() as legacy:
        legacy.setattr(uids, "_keyed", lambda text: text)  # the builders of version 2
        assert names.person_uid("jansen|j|1970-05-05") == "person:" + hashlib.sha1(
            b"jansen|j|1970-05-05").hexdigest()[:16]
        before = _previous_version_folder(env, 2)
    settings = _settings(env)
    with open_store(settings, check_schema=False) as store:
        old = _persons(store)
        assert len(old) == 4 and all(LEGACY.fullmatch(u) for u in old)
        edges = sorted((r["type"], r["start"], r["end"])
                       for r in store.read("read/all_relationships"))
        who = old[0]
        store.write_rows("write/watch_merge", [{
            "uid": f"watch:riec_casus:C-1:{who}", "purpose": "riec_casus", "reference": "C-1",
            "subject": who, "depth": 1, "created": "2026-01-01T00:00:00+00:00", "by": "riec",
            "snapshot": json.dumps([[["address_new", who, "addr:7991AB12"], ["x/y"]]])}])
        store.write_rows("write/alert_create", [{
            "uid": "alert:1", "watch": f"watch:riec_casus:C-1:{who}", "purpose": "riec_casus",
            "reference": "C-1", "followed": who, "kind": "address_new", "about": [who],
            "scopes": ["x/y"], "purposes": ["open"], "created": "2026-01-01", "run": "r"}])
        store.write_rows("write/hits_create", [{
            "code": "X", "subject": who, "scope": "x/y", "bucket": 0, "purposes": ["open"],
            "classes": ["open"], "measure": 1, "grade": "B", "paths": json.dumps([[who]]),
            "run": "r"}])
        assert LEGACY.search(_all_text(store))

    out = _invoke(["upgrade", "--json"], env)
    assert out.exit_code == 0, out.output
    with open_store(settings) as store:
        new = _persons(store)
        assert new == sorted(rekey_legacy_person(u) for u in old)
        assert all(u.startswith("person:k:") for u in new)
        assert not LEGACY.search(_all_text(store))  # no unkeyed uid left anywhere
        keyed = rekey_legacy_person(who)
        assert keyed in _all_text(store)
        rename = {u: rekey_legacy_person(u) for u in old}

        def renamed(t: str, a: str, b: str) -> tuple[str, str, str]:
            a, b = rename.get(a, a), rename.get(b, b)
            # look-alike pairs point from the lower uid to the higher, as the loader writes
            return (t, min(a, b), max(a, b)) if t == "POSSIBLE_SAME_AS" else (t, a, b)

        assert sorted((r["type"], r["start"], r["end"])
                      for r in store.read("read/all_relationships")) == sorted(
            renamed(*e) for e in edges)
        assert any(t == "POSSIBLE_SAME_AS" for t, _, _ in edges)
    # the loaders make the same uids: a reload of the same file changes nothing
    out = _invoke(["load", "kvk", str(KVK)], env)
    assert out.exit_code == 0, out.output
    after = json.loads(_invoke(["stats", "--json"], env).output)
    assert after["nodes"] == before["nodes"]
    assert after["relationships"] == before["relationships"]
    with open_store(settings) as store:
        assert _persons(store) == new
    # and a second upgrade has nothing to do
    out = _invoke(["upgrade"], env)
    assert out.exit_code == 0 and "niets te doen" in out.output


# -- 3 -> 4: prov_props without what prov_values names ----------------------------------------
TODAY = dt.date(2026, 11, 27)
#: Scopes that cannot see a source the graph holds (tests/security/test_non_interference.py)
HIDING = (Scope(visible=frozenset({"open", "municipal", "bibob"}), label="without riec"),
          Scope(visible=frozenset({"open", "municipal", "riec"}), label="without bibob"))


def _named_twice(source: str, given: Any) -> list[str]:
    """``prov_props`` as schema version 3 wrote it: every property the source gives."""
    return [f"{source}|{k}" for k in given]


def _supplied(fact: dict[str, Any]) -> set[str]:
    """What each source supplied: both lists' properties (docs/graph-model.md)."""
    return {*fact.get("prov_props", []),
            *("|".join(v.split("|", 2)[:2]) for v in fact.get("prov_values", []))}


def _named_by_values(fact: dict[str, Any]) -> list[str]:
    values = fact.get("prov_values", [])
    return [x for x in fact.get("prov_props", []) if any(v.startswith(x + "|") for v in values)]


def _prov(source: str, seen: str) -> Prov:
    return Prov(source, "R-1", SOURCES[source].default_grade, SOURCES[source].purpose_class,
                seen)


def _load_generated(settings: Settings, files: Path) -> None:
    """The generated files, and a person KvK and a later RIEC signal name differently, RIEC
    alone with a voorvoegsel (what a scope without RIEC must not see)."""
    with open_store(settings) as store, access.scope(access.FULL):
        store.write("write/delete_all")
        for source in ("kvk", "vakantieparken", "schuren", "bibob", "riec"):
            sync(store, spec_for(source), [files / f"{source}.csv"], today=TODAY)
        write(store, [
            (_prov("kvk", "2026-01-01"), [Node("Person", SHARED, {"name": "A. Bos"})]),
            (_prov("riec", "2026-06-01"), [Node("Person", SHARED, {
                "name": "Anna van Bos", "voorvoegsel": "van"})])], LoadReport("fixture"))


SHARED = "person:k:0000000000000001"


def _shown(store: Any) -> dict[str, Any]:
    """Every node and relationship as the access filter gives it to each hiding scope."""
    facts = [r["node"] for r in store.read("read/all_nodes")]
    facts += [r["rel"] for r in store.read("read/all_relationships")]
    return {s.label: access.filter_result(copy.deepcopy(facts), s) for s in HIDING}


def test_provenance_named_twice_is_compacted_and_reads_the_same(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    files = tmp_path / "files"
    generate(files, 300, 5, today=TODAY)
    settings = _settings(env)
    # a graph as schema version 3 wrote it: prov_props names every supplied property
    with monkeypatch.context() as legacy:
        legacy.setattr(rows, "prov_props", _named_twice)
        legacy.setattr(writer, "prov_props", _named_twice)
        _load_generated(settings, files)
    upgrades.make_previous_version(settings, 3)
    with open_store(settings, check_schema=False) as store, access.scope(access.FULL):
        nodes, rels = dump.nodes(store), dump.relationships(store)
        shown = _shown(store)
    old = [*nodes.values(), *rels.values()]
    assert sum(bool(_named_by_values(f)) for f in old) > len(old) / 2
    (person,) = [f for f in shown["without riec"] if f.get("uid") == SHARED]
    assert person["name"] == "A. Bos" and "voorvoegsel" not in person

    out = _invoke(["upgrade", "--json"], env)
    assert out.exit_code == 0, out.output
    (record,) = _upgrade_records(env)
    assert record["what"]["params"] == {"from": 3, "to": 4}
    with open_store(settings) as store, access.scope(access.FULL):
        new_nodes, new_rels = dump.nodes(store), dump.relationships(store)
        assert _shown(store) == shown  # what every scope reads is the same
    # only prov_props changed: what prov_values names left it, what each source
    # supplied stayed
    for before, after in ((nodes, new_nodes), (rels, new_rels)):
        assert before.keys() == after.keys()
        for key, fact in before.items():
            upgraded = after[key]
            assert not _named_by_values(upgraded)
            assert _supplied(upgraded) == _supplied(fact)
            if "prov_props" in fact:  # not on derived relationships
                assert upgraded["prov_props"] == [x for x in fact["prov_props"]
                                                  if x not in _named_by_values(fact)]
            assert {k: v for k, v in upgraded.items() if k != "prov_props"} == (
                {k: v for k, v in fact.items() if k != "prov_props"})
    assert _invoke(["upgrade"], env).output.strip().endswith("niets te doen")
    # it is the graph the loaders now write from the same files
    _load_generated(settings, files)
    with open_store(settings) as store, access.scope(access.FULL):
        assert (dump.nodes(store), dump.relationships(store)) == (new_nodes, new_rels)
