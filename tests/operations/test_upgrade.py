"""Schema versions and ``ondergraaf upgrade`` on both engines: a folder made by the previous
schema version is refused by every command until it is upgraded, the upgrade is recorded
and idempotent, a folder newer than the code is refused, and the step interface renames
node identifiers (the kind of step a change of uid scheme needs)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from graph_service.cli import cli
from graph_service.config import Settings, load_settings
from graph_service.operations import new_key_file
from graph_service.operations import upgrade as upgrades
from graph_service.security.audit import AuditTrail
from graph_service.store import open_store
from graph_service.store import version as schema
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
    yield values
    # leave the shared Neo4j graph empty and at the code's version for the tests after this
    if engine == "neo4j":
        reset_graph(load_settings(env=values))


def _invoke(args: list[str], env: dict[str, str]) -> Result:
    return CliRunner().invoke(cli, args, env=env)


def _settings(env: dict[str, str]) -> Settings:
    return load_settings(env=env)


def _previous_version_folder(env: dict[str, str]) -> dict[str, Any]:
    """A folder with a graph, made by the code and then marked as the previous schema
    version made it (``make_previous_version``); returns its stats."""
    out = _invoke(["load", "kvk", str(KVK)], env)
    assert out.exit_code == 0, out.output
    stats = json.loads(_invoke(["stats", "--json"], env).output)
    assert stats["nodes"] == {"Address": 3, "Organisation": 5, "Person": 4}
    upgrades.make_previous_version(_settings(env), PREVIOUS)
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
    gap = upgrades.Migration(3, 4, "x", lambda ctx: {})
    with pytest.raises(upgrades.UpgradeError):
        upgrades.check_chain((*upgrades.MIGRATIONS, gap), 4)


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
    pairs = [(uid, "person:k:" + uid.removeprefix("person:"))
             for uid in list(ctx.uids("Person")) if not uid.startswith("person:k:")]
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
        assert renamed == sorted("person:k:" + u.removeprefix("person:") for u in people)
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
