"""Backup and restore (graph_service.operations, ``ondergraaf backup`` / ``restore``).

The drill runs on each engine: load, back up while a second load runs in another process,
restore into a fresh data folder, and find ``stats --json`` equal to the manifest's counts
(which lie between the graph before and after the second load) and the audit trail intact.
The refusals (a changed byte, a cut-off file, a missing file, another key, a changed
manifest, a broken audit chain, a target that is not empty) run on the embedded engine and
each leave the target folder as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph_service.cli import cli
from graph_service.config import load_settings
from graph_service.model import LABELS, REL_TYPES
from graph_service.operations import backup, crypto, new_key_file, prune, read_manifest
from graph_service.operations.backup import BackupError, _write_manifest
from graph_service.operations.graphdump import (
    export_graph,
    graph_counts,
    import_graph,
    json_lines,
    normalise_counts,
)
from graph_service.operations.restore import apply_retention, restore, verify_backup
from graph_service.security.audit import AuditTrail
from graph_service.store import Store, open_store
from graph_service.store.registry import load_registry
from loaders import spec_for
from loaders.base import sync
from tests.support import dump

ROOT = Path(__file__).parent.resolve().parent.parent
FIX = Path(__file__).parent.parent / "fixtures"


def _invoke(args: list[str], env: dict[str, str]) -> Any:
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    return result


def _stats(env: dict[str, str]) -> dict[str, Any]:
    out = _invoke(["stats", "--json"], env)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    data.pop("engine")
    return normalise_counts(data)


def _per(rows: list[dict[str, Any]], kind: str) -> dict[tuple[str, str], int]:
    return {(r["source"], r[kind]): r["count"] for r in rows}


def _between(before: dict[str, Any], middle: dict[str, Any], after: dict[str, Any]) -> None:
    """Every count of ``middle`` lies between ``before`` and ``after``."""
    for part, kind in (("nodes", None), ("relationships", None),
                       ("nodes_per_source", "label"), ("relationships_per_source", "type")):
        b, m, a = (
            (c[part] if kind is None else _per(c[part], kind)) for c in (before, middle, after))
        for name in set(b) | set(m) | set(a):
            assert b.get(name, 0) <= m.get(name, 0) <= a.get(name, 0), (part, name)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o700)
    path = folder / "backup.key"
    new_key_file(path)
    return path


@pytest.fixture
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    result = CliRunner().invoke(cli, ["generate", "--out", str(out), "--size", "2000"])
    assert result.exit_code == 0, result.output
    return out


def _engine_env(engine: str, request: pytest.FixtureRequest, data_dir: Path) -> dict[str, str]:
    env = {"ONDERGRAAF_DATA_DIR": str(data_dir), "ONDERGRAAF_NEO4J_URI": ""}
    if engine == "neo4j":
        request.getfixturevalue("store")  # the session's Neo4j graph, emptied
        env.update(request.getfixturevalue("neo4j_env"))
    return env


# -- the drill, on each engine -------------------------------------------------------------------
def test_backup_during_a_load_restores_the_snapshot_into_a_fresh_folder(
    engine: str, request: pytest.FixtureRequest, tmp_path: Path, key_file: Path,
    generated: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    src, dst, bdir = tmp_path / "src", tmp_path / "dst", tmp_path / "backups" / "b1"
    env = _engine_env(engine, request, src)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    # the running service: it owns the embedded engine, the commands attach to it
    service = open_store(load_settings())
    try:
        for source in ("vakantieparken", "schuren", "bibob"):
            out = _invoke(["load", source, str(generated / f"{source}.csv")], env)
            assert out.exit_code == 0, out.output
        assert _invoke(["users", "add", "beheerder", "--role", "admin", "--no-password"],
                       env).exit_code == 0
        before = _stats(env)
        # the second load, in another process, in small batches
        load = subprocess.Popen(
            [sys.executable, "-c", "from graph_service.cli import main; main()", "load", "kvk",
             str(generated / "kvk.csv"), "--batch-size", "10"],
            env={**os.environ, **env}, cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120
            while (normalise_counts(graph_counts(service)) == before and load.poll() is None
                   and time.monotonic() < deadline):
                time.sleep(0.05)
            out = _invoke(["backup", str(bdir), "--key-file", str(key_file), "--json"], env)
            assert out.exit_code == 0, out.output
            manifest = json.loads(out.output)
        finally:
            output = load.communicate(timeout=600)[0]
        assert load.returncode == 0, output.decode()
        after = _stats(env)
        at_snapshot = normalise_counts(manifest["counts"])
        _between(before, at_snapshot, after)
        assert at_snapshot != normalise_counts({"nodes": {}, "relationships": {}})
        if engine == "neo4j":
            service.write("write/delete_all")  # the graph is lost; the fresh folder is new
    finally:
        service.close()

    assert manifest["engine"] == engine
    assert manifest["graph"]["method"] == ("falkordb-rdb" if engine == "falkordb"
                                           else "logical-export")
    assert "users.sqlite" in manifest["security_files"]
    assert "sessions.sqlite" not in manifest["security_files"]
    assert not any(key_file.name in f["path"] for f in manifest["files"])
    assert read_manifest(bdir, crypto.read_key_file(key_file))["counts"] == manifest["counts"]

    target = {**env, "ONDERGRAAF_DATA_DIR": str(dst)}
    # a restore drill: the graph as the snapshot had it (retention would remove what has
    # expired since the generated dates; see test_restore_applies_retention_at_once)
    out = _invoke(["restore", str(bdir), "--key-file", str(key_file), "--no-retention",
                   "--json"], target)
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["replaced"] == [] and report["retention"] is None
    assert _stats(target) == at_snapshot
    print("overlap:", [sum(c["nodes"].values()) for c in (before, at_snapshot, after)])
    verified = _invoke(["audit", "verify"], target)
    assert verified.exit_code == 0 and "logboek intact" in verified.output
    trail = AuditTrail.open(load_settings(env=target))
    actions = [(r["action"], (r["what"] or {}).get("name")) for r in trail.read()]
    assert actions[-2:] == [("load", "restore"), ("audit_read", "audit verify")]
    # the accounts came back with the graph
    users = _invoke(["users", "list", "--json"], target)
    assert [u["username"] for u in json.loads(users.output)] == ["beheerder"]
    # and the backup itself is in the source's trail
    exported = list(AuditTrail.open(load_settings(env=env)).read(action="export"))
    assert exported[-1]["what"]["name"] == "backup" and exported[-1]["outcome"] == "ok"


# -- refusals (embedded engine) ---------------------------------------------------------------
@pytest.fixture
def made(tmp_path: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A small source folder with its backup."""
    src = tmp_path / "src"
    env = {"ONDERGRAAF_DATA_DIR": str(src), "ONDERGRAAF_NEO4J_URI": ""}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    for source, file in (("kvk", "kvk/kvk_small.csv"), ("riec", "riec/signals.csv")):
        assert _invoke(["load", source, str(FIX / file)], env).exit_code == 0
    bdir = tmp_path / "backup"
    out = _invoke(["backup", str(bdir), "--key-file", str(key_file)], env)
    assert out.exit_code == 0, out.output
    return {"src": src, "backup": bdir, "env": env, "key": crypto.read_key_file(key_file)}


def _refused(made: dict[str, Any], key_file: Path, tmp_path: Path, text: str) -> None:
    dst = tmp_path / "dst"
    target = {**made["env"], "ONDERGRAAF_DATA_DIR": str(dst)}
    out = CliRunner().invoke(cli, ["restore", str(made["backup"]), "--key-file", str(key_file)],
                             env=target)
    assert out.exit_code != 0
    assert isinstance(out.exception, BackupError), out.output
    assert "herstel geweigerd" in str(out.exception) and text in str(out.exception)
    assert not dst.exists()  # nothing written to the target


def test_a_changed_byte_is_refused(made: dict[str, Any], key_file: Path, tmp_path: Path) -> None:
    path = made["backup"] / "graph" / "graph.rdb.enc"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    _refused(made, key_file, tmp_path, "graph/graph.rdb.enc is gewijzigd")


def test_a_truncated_file_is_refused(made: dict[str, Any], key_file: Path,
                                     tmp_path: Path) -> None:
    path = made["backup"] / "audit" / "audit.jsonl.enc"
    path.write_bytes(path.read_bytes()[:-10])
    _refused(made, key_file, tmp_path, "audit/audit.jsonl.enc is ingekort")


def test_a_missing_file_is_refused(made: dict[str, Any], key_file: Path,
                                   tmp_path: Path) -> None:
    (made["backup"] / "security" / "audit.key.enc").unlink()
    _refused(made, key_file, tmp_path, "security/audit.key.enc ontbreekt")


def test_an_added_file_is_refused(made: dict[str, Any], key_file: Path,
                                  tmp_path: Path) -> None:
    (made["backup"] / "security" / "extra.enc").write_bytes(b"x")
    _refused(made, key_file, tmp_path, "niet in het manifest")


def test_another_key_is_refused(made: dict[str, Any], tmp_path: Path) -> None:
    other = tmp_path / "other.key"
    new_key_file(other)
    _refused(made, other, tmp_path, "andere backupsleutel")


def test_a_changed_manifest_is_refused(made: dict[str, Any], key_file: Path,
                                       tmp_path: Path) -> None:
    path = made["backup"] / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["counts"]["nodes"]["Person"] = 1_000_000
    path.write_text(json.dumps(manifest))
    _refused(made, key_file, tmp_path, "verzegeling klopt niet")


def test_a_broken_audit_chain_is_refused_even_when_the_files_were_resealed(
    made: dict[str, Any], key_file: Path, tmp_path: Path
) -> None:
    """Somebody with the backup key (not the audit key) edits a record and reseals the file
    and the manifest: the hashes match, the chain does not."""
    key, folder = made["key"], made["backup"]
    name = "audit/audit.jsonl.enc"
    plain = b"".join(crypto.decrypt_chunks(folder / name, key, name))
    lines = plain.splitlines(keepends=True)
    record = json.loads(lines[0])
    record["actor"] = "os:iemand-anders"
    lines[0] = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    edited = tmp_path / "audit.jsonl"
    edited.write_bytes(b"".join(lines))
    (folder / name).unlink()
    digest, size, _ = crypto.encrypt_file(edited, folder / name, key, name)
    manifest = json.loads((folder / "manifest.json").read_text())
    for entry in manifest["files"]:
        if entry["path"] == name:
            entry["sha256"], entry["bytes"] = digest, size
    manifest.pop("mac")
    (folder / "manifest.json").unlink()
    _write_manifest(folder, manifest, key)
    verify_backup(folder, key)  # hashes and seal are fine now
    _refused(made, key_file, tmp_path, "logboek in de backup is niet intact")


def test_a_broken_audit_trail_is_not_backed_up(made: dict[str, Any], key_file: Path,
                                               tmp_path: Path) -> None:
    log = made["src"] / "audit" / "audit.jsonl"
    lines = log.read_text().splitlines(keepends=True)
    lines[0] = lines[0].replace('"os:', '"os:x')
    log.write_text("".join(lines))
    out = CliRunner().invoke(cli, ["backup", str(tmp_path / "b2"), "--key-file",
                                   str(key_file)], env=made["env"])
    assert out.exit_code != 0 and "logboek is niet intact" in str(out.exception)
    assert not (tmp_path / "b2").exists()


def test_a_folder_that_is_not_empty_is_replaced_only_with_force(
    made: dict[str, Any], key_file: Path, tmp_path: Path
) -> None:
    target = {**made["env"], "ONDERGRAAF_DATA_DIR": str(made["src"])}
    args = ["restore", str(made["backup"]), "--key-file", str(key_file)]
    out = CliRunner().invoke(cli, args, env=target)
    assert out.exit_code != 0 and "niet leeg" in str(out.exception)
    before = _stats(target)
    assert _invoke(["reset", "--yes"], target).exit_code == 0
    # the engine of the folder still running (a service) refuses even --force
    from graph_service.store.embedded import EmbeddedServer

    server = EmbeddedServer(made["src"])
    server.start()
    try:
        out = CliRunner().invoke(cli, [*args, "--force"], env=target)
        assert out.exit_code != 0 and "draait nog" in str(out.exception)
    finally:
        server.stop()
    out = _invoke([*args, "--force", "--json"], target)
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["replaced"] == ["falkordb/", "security/", "audit/"]
    aside = Path(report["replaced_to"])
    assert aside.parent == made["src"] and (aside / "audit" / "audit.jsonl").exists()
    assert _stats(target) == before
    assert _invoke(["audit", "verify"], target).exit_code == 0


def test_restore_applies_retention_at_once(made: dict[str, Any], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    dst = tmp_path / "dst"
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(dst))
    settings = load_settings()
    report = restore(settings, made["backup"], made["key"])
    assert normalise_counts(report["counts"]) == normalise_counts(
        read_manifest(made["backup"], made["key"])["counts"])
    removed = apply_retention(settings, today=__import__("datetime").date(2100, 1, 1))
    assert sum(removed["nodes_deleted"].values()) > 0  # everything has expired by then
    assert _stats({"ONDERGRAAF_DATA_DIR": str(dst)})["nodes"] == {}
    (record,) = AuditTrail.open(settings).read(action="retention")
    assert record["outcome"] == "ok"


# -- the key ------------------------------------------------------------------------------------
def test_the_key_is_kept_apart(made: dict[str, Any], key_file: Path, tmp_path: Path) -> None:
    env = made["env"]
    out = CliRunner().invoke(cli, ["backup", "--new-key", str(key_file)], env=env)
    assert out.exit_code != 0 and "wordt nooit overschreven" in str(out.exception)
    inside = tmp_path / "b3" / "backup.key"
    inside.parent.mkdir()
    shutil.copy(key_file, inside)
    out = CliRunner().invoke(cli, ["backup", str(inside.parent), "--key-file", str(inside)],
                             env=env)
    assert out.exit_code != 0 and "in de backupmap" in str(out.exception)
    in_data = made["src"] / "backup.key"
    shutil.copy(key_file, in_data)
    out = CliRunner().invoke(cli, ["backup", str(tmp_path / "b4"), "--key-file", str(in_data)],
                             env=env)
    assert out.exit_code != 0 and "in de datamap" in str(out.exception)
    loose = tmp_path / "loose.key"
    shutil.copy(key_file, loose)
    loose.chmod(0o644)
    out = CliRunner().invoke(cli, ["backup", str(tmp_path / "b5"), "--key-file", str(loose)],
                             env=env)
    assert out.exit_code != 0 and "leesbaar voor groep" in str(out.exception)
    # from the environment, and nothing readable without it
    out = _invoke(["backup", str(tmp_path / "b6")],
                  {**env, "ONDERGRAAF_BACKUP_KEY_FILE": str(key_file)})
    assert out.exit_code == 0, out.output
    raw = b"".join(p.read_bytes() for p in (tmp_path / "b6").rglob("*.enc"))
    assert b"kvk" not in raw and b"REDIS" not in raw and b"seq" not in raw
    assert oct((tmp_path / "b6").stat().st_mode & 0o777) == "0o700"


def test_stream_encryption_detects_reordered_and_dropped_chunks(tmp_path: Path) -> None:
    key = os.urandom(32)
    plain = tmp_path / "plain"
    plain.write_bytes(os.urandom(crypto.CHUNK * 2 + 5))
    enc = tmp_path / "x.enc"
    crypto.encrypt_file(plain, enc, key, "graph/x.enc")
    assert b"".join(crypto.decrypt_chunks(enc, key, "graph/x.enc")) == plain.read_bytes()
    data = enc.read_bytes()
    header, size = crypto.HEADER_BYTES, crypto.CHUNK + 16
    chunks = [data[header + i * size: header + (i + 1) * size] for i in range(3)]
    for bad in (data[:header] + chunks[1] + chunks[0] + chunks[2],  # reordered
                data[:header] + chunks[0] + chunks[1],  # cut off at a chunk boundary
                data[:header] + chunks[0] + chunks[2]):  # one dropped
        enc.write_bytes(bad)
        with pytest.raises(crypto.DecryptionFailed):
            b"".join(crypto.decrypt_chunks(enc, key, "graph/x.enc"))
    enc.write_bytes(data)
    with pytest.raises(crypto.DecryptionFailed):  # another file's name
        b"".join(crypto.decrypt_chunks(enc, key, "graph/y.enc"))


def test_prune_removes_old_backups_made_with_the_key_only(
    made: dict[str, Any], key_file: Path, tmp_path: Path
) -> None:
    import datetime as dt

    parent = made["backup"].parent
    second = parent / "backup-2"
    assert _invoke(["backup", str(second), "--key-file", str(key_file)],
                   made["env"]).exit_code == 0
    foreign = parent / "not-a-backup"
    foreign.mkdir()
    (foreign / "manifest.json").write_text("{}")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
    removed = prune(parent, made["key"], 5, keep=second, now=later)
    assert removed == [made["backup"]]
    assert second.exists() and foreign.exists() and not made["backup"].exists()


def test_backup_refuses_a_folder_that_is_not_empty(made: dict[str, Any], key_file: Path) -> None:
    settings = load_settings(env=made["env"])
    with pytest.raises(BackupError, match="niet leeg"):
        backup(settings, made["backup"], made["key"])
    with pytest.raises(BackupError, match="datamap"):
        backup(settings, made["src"] / "b", made["key"])


# -- the logical export (Neo4j's backup), on each engine -------------------------------------
@pytest.fixture
def loaded(store: Store) -> Iterator[Store]:
    for source, file in (("kvk", "kvk/kvk_small.csv"), ("bibob", "bibob/dossiers.csv"),
                         ("riec", "riec/signals.csv"), ("schuren", "schuren/schuren.csv"),
                         ("vakantieparken", "vakantieparken/parken.csv")):
        sync(store, spec_for(source), [FIX / file])
    yield store


def test_logical_export_and_import_give_the_same_graph(loaded: Store) -> None:
    nodes, rels = bytearray(), bytearray()
    counts = export_graph(loaded, nodes.extend, rels.extend, page=7)
    assert normalise_counts(counts) == normalise_counts(graph_counts(loaded))
    before = dump.snapshot(loaded)
    loaded.write("write/delete_all")
    import_graph(loaded, json_lines([bytes(nodes[:100]), bytes(nodes[100:])]),
                 json_lines([bytes(rels)]), batch_size=5)
    assert dump.snapshot(loaded) == before
    assert normalise_counts(graph_counts(loaded)) == normalise_counts(counts)


def test_restore_statements_know_every_label_and_type() -> None:
    registry = load_registry()
    entities = registry.get("write/restore_entities").text
    relationships = registry.get("write/restore_relationships").text
    for label in LABELS:
        assert f"SET n:{label})" in entities
    for rel_type in REL_TYPES:
        assert f"CREATE (a)-[r:{rel_type}]->(b)" in relationships


# -- Neo4j's offline dump and load (the full-fidelity backup in a maintenance window) ---------
def _neo4j(*args: str) -> dict[str, str]:
    proc = subprocess.run([str(ROOT / "scripts" / "neo4j"), *args], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    env = {}
    for token in proc.stdout.split():
        key, _, value = token.partition("=")
        if key.startswith("ONDERGRAAF_"):
            env[key] = value
    return env


def _admin(home: Path, *args: str) -> None:
    """``neo4j-admin`` from the jars that scripts/neo4j caches (org.neo4j.cli.AdminTool)."""
    version = os.environ.get("ONDERGRAAF_NEO4J_VERSION", "5.26.30")
    cache = Path(os.environ.get("ONDERGRAAF_NEO4J_HOME")
                 or Path.home() / ".cache" / "ondergraaf" / f"neo4j-{version}")
    proc = subprocess.run(
        ["java", "-cp", f"{cache / 'lib'}/*", "org.neo4j.cli.AdminTool", *args],
        env={**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")},
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


def test_neo4j_dump_and_load_procedure(engine: str, tmp_path: Path, key_file: Path) -> None:
    """The documented offline procedure, scripted: stop, ``neo4j-admin database dump``,
    ``database load`` into a fresh server, start: the same graph. The dump travels
    encrypted in an ``ondergraaf backup --neo4j-dump`` and comes out whole."""
    if engine != "neo4j":
        pytest.skip("the offline dump and load is Neo4j's procedure")
    first, second, dumps = tmp_path / "n1", tmp_path / "n2", tmp_path / "dumps"
    env = _neo4j("start", "--dir", str(first))
    try:
        with open_store(load_settings(env={**env, "ONDERGRAAF_DATA_DIR": str(tmp_path)})) as s:
            s.setup_schema()
            sync(s, spec_for("kvk"), [FIX / "kvk" / "kvk_small.csv"])
            sync(s, spec_for("riec"), [FIX / "riec" / "signals.csv"])
            counts = normalise_counts(graph_counts(s))
            graph = dump.snapshot(s)
    finally:
        _neo4j("stop", "--dir", str(first))
    dumps.mkdir()
    _admin(first, "database", "dump", "neo4j", f"--to-path={dumps}")
    assert (dumps / "neo4j.dump").stat().st_size > 0
    (second / "conf").mkdir(parents=True)
    (second / "conf" / "neo4j.conf").write_text(f"server.directories.data={second}/data\n")
    _admin(second, "database", "load", "neo4j", f"--from-path={dumps}")
    env = _neo4j("start", "--dir", str(second))
    try:
        with open_store(load_settings(env={**env, "ONDERGRAAF_DATA_DIR": str(tmp_path)})) as s:
            assert normalise_counts(graph_counts(s)) == counts
            assert dump.snapshot(s) == graph
            assert s.indexes_ready()
        cli_env = {**env, "ONDERGRAAF_DATA_DIR": str(tmp_path / "data")}
        out = _invoke(["backup", str(tmp_path / "b"), "--key-file", str(key_file),
                       "--neo4j-dump", str(dumps / "neo4j.dump"), "--json"], cli_env)
        assert out.exit_code == 0, out.output
        assert normalise_counts(json.loads(out.output)["counts"]) == counts
    finally:
        _neo4j("stop", "--dir", str(second))
    out = _invoke(["restore", str(tmp_path / "b"), "--key-file", str(key_file),
                   "--neo4j-dump-to", str(tmp_path / "back.dump")], cli_env)
    assert out.exit_code == 0, out.output
    assert (tmp_path / "back.dump").read_bytes() == (dumps / "neo4j.dump").read_bytes()
    assert b"neo4j" not in (tmp_path / "b" / "graph" / "neo4j.dump.enc").read_bytes()[:4096]


def test_a_neo4j_dump_belongs_to_neo4j(made: dict[str, Any], key_file: Path,
                                       tmp_path: Path) -> None:
    fake = tmp_path / "neo4j.dump"
    fake.write_bytes(b"dump")
    out = CliRunner().invoke(cli, ["backup", str(tmp_path / "b7"), "--key-file", str(key_file),
                                   "--neo4j-dump", str(fake)], env=made["env"])
    assert out.exit_code != 0 and "hoort bij Neo4j" in str(out.exception)
    assert not (tmp_path / "b7").exists()
    out = CliRunner().invoke(cli, ["restore", str(made["backup"]), "--key-file",
                                   str(key_file), "--neo4j-dump-to", str(tmp_path / "x")],
                             env=made["env"])
    assert out.exit_code != 0 and "geen Neo4j-dump" in str(out.exception)
