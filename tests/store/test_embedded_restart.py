"""The embedded engine starts from a snapshot, whatever its history, and never loses a write.

Every CLI command is its own process that starts (or attaches to) the FalkorDB server of
the data folder. These tests run the commands as a user does, as separate processes, and
check how the last start came up (``ondergraaf health``: ``startup.replayed_bytes``), and
they kill the server with SIGKILL during writes and during a compaction.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_service.config import load_settings
from graph_service.errors import GraphUnavailable
from graph_service.store import embedded, open_store
from graph_service.store.embedded import EmbeddedServer
from tests.store.test_store import _server_pids, person_rows
from tests.support.processes import ended

ONDERGRAAF = str(Path(sys.executable).with_name("ondergraaf"))
SOURCES = ("kvk", "bibob", "vakantieparken", "schuren", "riec")  # the README's order


def _cli(data_dir: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONDERGRAAF_")}
    env["ONDERGRAAF_DATA_DIR"] = str(data_dir)
    done = subprocess.run([ONDERGRAAF, *args], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _last_start_lines(data_dir: Path) -> list[str]:
    """The server log of the last start: from its last 'Server initialized' on."""
    lines = (data_dir / "falkordb" / "server.log").read_text().splitlines()
    starts = [i for i, line in enumerate(lines) if "Server initialized" in line]
    return lines[starts[-1]:]


def test_five_cli_loads_leave_a_folder_that_starts_from_a_snapshot(tmp_path: Path) -> None:
    data, files = tmp_path / "data", tmp_path / "in"
    _cli(data, "generate", "--out", str(files), "--size", "600", "--seed", "3")
    for source in SOURCES:
        _cli(data, "load", source, str(files / f"{source}.csv"))
    server = EmbeddedServer(data)
    assert server.incremental_bytes() == 0  # every load left a snapshot, no write log
    health = json.loads(_cli(data, "health"))
    assert health["startup"]["started"] is True
    assert health["startup"]["replayed_bytes"] == 0
    log = _last_start_lines(data)
    assert any("DB loaded from base file" in line for line in log), log
    assert not any("DB loaded from incr file" in line for line in log), log
    # and the snapshot is the whole graph: the counts equal those of a fresh folder
    # loaded in one process
    stats = json.loads(_cli(data, "stats", "--json"))
    assert stats["nodes"]["Signal"] > 0 and stats["nodes"]["BibobDossier"] > 0
    assert sum(stats["nodes"].values()) > 600


def test_a_start_after_a_crash_replays_the_log_once_then_compacts(tmp_path: Path) -> None:
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    store = open_store(settings)
    store.write_rows("write/merge_person", person_rows(3000), batch_size=500)
    (pid,) = _server_pids(str(tmp_path.resolve()))
    os.kill(pid, signal.SIGKILL)  # no clean shutdown: nothing was compacted
    store.server.process.wait()  # type: ignore[attr-defined]
    store.server.process = None  # type: ignore[attr-defined]
    store.close()
    logged = EmbeddedServer(tmp_path).incremental_bytes()
    assert EmbeddedServer(tmp_path).worth_compacting()

    reopened = open_store(settings)  # replays the log (the crash left no snapshot) ...
    try:
        assert reopened.health()["startup"]["replayed_bytes"] == logged
        assert reopened.read("read/node_counts") == [{"label": "Person", "count": 3000}]
    finally:
        reopened.close()  # ... and leaves a snapshot behind, although it wrote nothing
    assert EmbeddedServer(tmp_path).incremental_bytes() == 0
    again = open_store(settings)
    try:
        assert again.health()["startup"]["replayed_bytes"] == 0
        assert again.read("read/node_counts") == [{"label": "Person", "count": 3000}]
    finally:
        again.close()


def test_a_start_that_replays_a_log_builds_the_indexes_first(tmp_path: Path) -> None:
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    store = open_store(settings)
    store.setup_schema()
    store.write_rows("write/merge_person", person_rows(3000), batch_size=500)
    store.close()  # compacted: a snapshot of the graph and its index definitions
    store = open_store(settings)
    store.write_rows("write/merge_person", person_rows(3000, seen="2025-02-01"),
                     batch_size=500)
    (pid,) = _server_pids(str(tmp_path.resolve()))
    os.kill(pid, signal.SIGKILL)  # the second writes are in the log only
    store.server.process.wait()  # type: ignore[attr-defined]
    store.server.process = None  # type: ignore[attr-defined]
    store.close()

    reopened = open_store(settings)
    try:
        log = _last_start_lines(tmp_path)
        built = [i for i, line in enumerate(log) if "Constructing indexes" in line]
        replayed = [i for i, line in enumerate(log) if "DB loaded from incr file" in line]
        assert built and replayed and built[0] < replayed[0], log  # the replay found them
        assert reopened.read("read/node_counts") == [{"label": "Person", "count": 3000}]
    finally:
        reopened.close()
    again = open_store(settings)  # a snapshot only: the indexes are built after the start
    try:
        assert not any("Constructing indexes" in line for line in _last_start_lines(tmp_path))
        assert again.read("read/node_counts") == [{"label": "Person", "count": 3000}]
    finally:
        again.close()


def test_kill_during_a_compaction_loses_no_acknowledged_write(tmp_path: Path) -> None:
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    store = open_store(settings)
    store.write_rows("write/merge_person", person_rows(5_000), batch_size=1_000)
    client = store.server._client()  # type: ignore[attr-defined]
    client.config_set("rdb-key-save-delay", 3_000_000)  # the rewrite takes >= 3 s per key
    assert store.server.compact(wait=False)  # type: ignore[attr-defined]
    assert client.info("persistence")["aof_rewrite_in_progress"] == 1
    # writes acknowledged while the rewrite runs go to the new log, not only the new base
    extra = [dict(r, uid=f"person:x{i}") for i, r in enumerate(person_rows(50))]
    store.write_rows("write/merge_person", extra, batch_size=10)
    (pid,) = _server_pids(str(tmp_path.resolve()))
    os.kill(pid, signal.SIGKILL)  # mid-rewrite: the new manifest was never renamed in
    store.server.process.wait()  # type: ignore[attr-defined]
    store.server.process = None  # type: ignore[attr-defined]
    store.close()
    _wait_for_no_rewrite_child(tmp_path)

    reopened = open_store(settings)
    try:
        assert reopened.read("read/node_counts") == [{"label": "Person", "count": 5_050}]
    finally:
        reopened.close()
    final = open_store(settings)
    try:
        assert final.health()["startup"]["replayed_bytes"] == 0
        assert final.read("read/node_counts") == [{"label": "Person", "count": 5_050}]
    finally:
        final.close()
    assert _server_pids(str(tmp_path.resolve())) == []


def _wait_for_no_rewrite_child(data_dir: Path) -> None:
    """A rewrite child may outlive its killed parent for a moment; let it go."""
    needle = str((data_dir / "falkordb").resolve())
    for _ in range(100):
        out = subprocess.run(["pgrep", "-f", "redis-aof-rewrite|redis-rewriteaof"],
                             capture_output=True, text=True).stdout.split()
        alive = [p for p in out if _cwd_of(p) == needle]
        if not alive:
            return
        time.sleep(0.1)


def _cwd_of(pid: str) -> str:
    try:
        return os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return ""


def test_a_guest_that_writes_leaves_a_snapshot_too(tmp_path: Path) -> None:
    """A CLI load next to a running service (the service owns the server)."""
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    owner = open_store(settings)
    try:
        guest = open_store(settings)
        assert not guest.server.owned  # type: ignore[attr-defined]
        guest.write_rows("write/merge_person", person_rows(3000), batch_size=500)
        assert guest.server.worth_compacting()  # type: ignore[attr-defined]
        guest.close()
        assert owner.server.incremental_bytes() == 0  # type: ignore[attr-defined]
        assert owner.health()["ok"]
    finally:
        owner.close()


def test_a_store_that_wrote_long_compacts_a_small_log_too(tmp_path: Path) -> None:
    """A log's size does not say what replaying it costs (one short statement can do much
    work), so a store that spent long in writes leaves a snapshot whatever the log's size;
    a guest that wrote a little (next to a running service) leaves a small log to the size
    rule while the server runs."""
    from graph_service.store.falkordb_store import COMPACT_AFTER_WRITE_S

    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    store = open_store(settings)
    store.write_rows("write/merge_person", person_rows(3000), batch_size=500)
    store.close()  # a large snapshot, an empty log
    owner = open_store(settings)
    try:
        for wrote_long in (False, True):
            guest = open_store(settings)
            server = guest.server  # type: ignore[attr-defined]
            assert not server.owned
            guest.write_rows("write/merge_person", person_rows(2), batch_size=500)
            assert server.incremental_bytes() > 0 and not server.worth_compacting()
            if wrote_long:  # as after a derivation that ran for seconds
                guest.write_seconds = COMPACT_AFTER_WRITE_S  # type: ignore[attr-defined]
            guest.close()
            left = EmbeddedServer(tmp_path).incremental_bytes()
            assert (left == 0) if wrote_long else (left > 0)
    finally:
        owner.close()


def test_the_owner_compacts_any_log_at_its_stop_so_the_next_start_answers_first(
    tmp_path: Path
) -> None:
    """A start with a log to replay builds every index before it answers (at 1M entities
    17 s instead of 4 after a one-row load), so the owner's stop leaves no log at all:
    not the small one of its own short write, nor a guest's kept by the size rule."""
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    store = open_store(settings)
    store.setup_schema()
    store.write_rows("write/merge_person", person_rows(3000), batch_size=500)
    store.close()  # a large snapshot, an empty log
    for by_guest in (False, True):
        owner = open_store(settings)
        writer = open_store(settings) if by_guest else owner
        writer.write_rows("write/merge_person", [dict(r, uid=f"person:{by_guest}{i}")
                                                 for i, r in enumerate(person_rows(2))],
                          batch_size=500)
        server = writer.server  # type: ignore[attr-defined]
        assert server.incremental_bytes() > 0 and not server.worth_compacting()
        if by_guest:
            writer.close()
            assert EmbeddedServer(tmp_path).incremental_bytes() > 0  # the size rule
        owner.close()
        assert EmbeddedServer(tmp_path).incremental_bytes() == 0
        again = open_store(settings)
        try:
            assert again.health()["startup"]["replayed_bytes"] == 0
            # a snapshot only: the indexes are built after the start, not before it
            assert not any("Constructing indexes" in line
                           for line in _last_start_lines(tmp_path))
            count = 3004 if by_guest else 3002
            assert again.read("read/node_counts") == [{"label": "Person", "count": count}]
        finally:
            again.close()


def _settings_of(server: EmbeddedServer) -> tuple[Any, Callable[[str], str]]:
    """A client of ``server`` (to close) and a reader of its settings (``CONFIG GET``)."""
    import redis

    client = redis.Redis(unix_socket_path=str(server.socket))
    return client, lambda name: str(client.config_get(name)[name])


def test_a_load_pauses_the_automatic_rewrites_and_compacts_once_at_its_end(tmp_path: Path) -> None:
    """Inside a run of writes redis does not rewrite the whole graph each time the log
    outgrows it by half; after it (also after a failed one) it does again, and the
    store's close leaves a snapshot."""
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    store = open_store(settings)
    server = store.server  # type: ignore[attr-defined]
    client, setting = _settings_of(server)

    def percentage() -> str:
        return setting("auto-aof-rewrite-percentage")

    try:
        assert percentage() == "50"
        with store.bulk_writes():
            with store.bulk_writes():  # a nested run is the same run
                assert percentage() == "0"
            assert percentage() == "0"
            store.write_rows("write/merge_person", person_rows(500), batch_size=100)
        assert percentage() == "50"
        try:
            with store.bulk_writes():
                raise RuntimeError("the load fails")
        except RuntimeError:
            pass
        assert percentage() == "50"
    finally:
        client.close()
        store.close()
    assert EmbeddedServer(tmp_path).incremental_bytes() == 0


def test_a_compaction_ticks_faster_only_while_it_waits_and_the_owner_shuts_down_by_command(
        tmp_path: Path) -> None:
    """redis notices its rewrite child's end on a timer tick: a compaction that waits
    raises the tick rate for the wait and sets it back after. The owner stops the server
    with SHUTDOWN (not SIGTERM, which waits for a tick): the log is flushed, and the next
    start has every write without a replay."""
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    store = open_store(settings)
    server = store.server  # type: ignore[attr-defined]
    client, setting = _settings_of(server)

    def hz() -> int:
        return int(setting("hz"))

    during: list[int] = []
    waits = server._wait_for_fork

    def watched_wait(*args: Any) -> bool:
        during.append(hz())
        return bool(waits(*args))

    try:
        assert hz() == embedded.IDLE_HZ
        store.write_rows("write/merge_person", person_rows(300), batch_size=100)
        server._wait_for_fork = watched_wait
        assert server.compact(wait=True, force=True)
        assert during and during[-1] == embedded.REWRITE_HZ
        assert hz() == embedded.IDLE_HZ
        store.write_rows("write/merge_person", person_rows(400), batch_size=100)
    finally:
        client.close()
        store.close()
    log = _last_start_lines(tmp_path)
    assert any("User requested shutdown" in line for line in log), log[-5:]
    assert not any("Received SIGTERM" in line for line in log), log[-5:]
    with open_store(settings) as again:
        assert again.health()["startup"]["replayed_bytes"] == 0
        assert len(again.read("read/entity_ids",
                              {"uids": [r["uid"] for r in person_rows(400)]})) == 400


class _Freezing(EmbeddedServer):
    """A server whose first ``frozen`` spawns stop dead at once (SIGSTOP), as a server
    that deadlocks while it loads: alive, silent, using no processor and reading nothing."""

    def __init__(self, data_dir: Path, frozen: int) -> None:
        super().__init__(data_dir)
        self.frozen = frozen
        self.spawned: list[int] = []

    def _spawn(self, detached: bool = False) -> None:
        super()._spawn(detached)
        assert self.process is not None
        self.spawned.append(self.process.pid)
        if len(self.spawned) <= self.frozen:
            os.kill(self.process.pid, signal.SIGSTOP)


def test_a_server_that_hangs_while_starting_is_killed_and_started_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "STALL_SECONDS", 1.0)
    store = open_store(load_settings({"ONDERGRAAF_DATA_DIR": str(tmp_path)}))
    store.write_rows("write/merge_person", person_rows(3))
    store.close()
    server = _Freezing(tmp_path, frozen=1)
    try:
        server.start(timeout=60)
        assert server.start_info is not None and server.start_info.restarts == 1
        first, second = server.spawned
        assert ended(first)  # killed
        assert server.process is not None and server.process.pid == second
        client = server._client()
        try:  # the second server loaded the whole folder
            rows = client.execute_command("GRAPH.QUERY", "ondergraaf",
                                          "MATCH (p:Person) RETURN count(p)")
            assert rows[1][0][0] == 3
        finally:
            client.close()
    finally:
        server.stop()


def test_an_engine_started_for_the_commands_is_started_again_when_it_hangs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "STALL_SECONDS", 1.0)
    server = _Freezing(tmp_path, frozen=1)
    info = server.start_detached(timeout=60)
    try:
        assert info.started is True and info.restarts == 1
        # the second server is the one left running for the commands (ondergraaf engine)
        assert server.detached_pid() == server.spawned[1]
    finally:
        assert server.stop_detached() is True
    assert server.server_pid() is None


def test_a_server_that_keeps_hanging_fails_the_start_with_its_reason(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "STALL_SECONDS", 1.0)
    server = _Freezing(tmp_path, frozen=embedded.STALL_RESTARTS + 1)
    began = time.monotonic()
    with pytest.raises(GraphUnavailable, match="hung while starting"):
        server.start(timeout=60)
    assert time.monotonic() - began < 30  # the stall is seen, not the start timeout
    assert len(server.spawned) == embedded.STALL_RESTARTS + 1
    assert server.process is None
    for pid in server.spawned:  # none is left behind, stopped or not
        assert ended(pid)


@pytest.fixture
def watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An embedded store holding 200 persons, whose hangs are seen after 1 s."""
    monkeypatch.setattr(embedded, "STALL_SECONDS", 1.0)
    store = open_store(load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)}))
    try:
        store.write_rows("write/merge_person", person_rows(200), batch_size=100)
        yield store
    finally:
        store.close()


def _stalled_fork(store: Any) -> Any:
    """The store's server client, set so that the next child it forks (a log rewrite, a
    snapshot) sleeps 60 s per key: alive, silent, no processor, nothing read or written,
    as a child that inherited a lock held at the fork (FalkorDB/FalkorDB#1454)."""
    client = store.server._client()
    client.config_set("rdb-key-save-delay", 60_000_000)
    return client


def _first_child(server: EmbeddedServer) -> int:
    for _ in range(500):
        child = embedded._fork_child(server.server_pid())
        if child is not None:
            return child
        time.sleep(0.01)
    raise AssertionError("the server forked no child")


def test_a_log_rewrite_that_hangs_is_killed_and_run_again(watched: Any, tmp_path: Path) -> None:
    client = _stalled_fork(watched)
    outcome: list[bool] = []
    compacting = threading.Thread(target=lambda: outcome.append(
        watched.server.compact(wait=True, force=True)))
    compacting.start()
    hung = _first_child(watched.server)
    client.config_set("rdb-key-save-delay", 0)  # the next child runs at once
    compacting.join(60)
    assert outcome == [True]
    assert not Path(f"/proc/{hung}").exists()  # killed (and reaped by the server)
    assert watched.server.incremental_bytes() == 0
    assert client.info("persistence")["aof_last_bgrewrite_status"] == "ok"
    client.close()
    watched.close()
    reopened = open_store(load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)}))
    try:
        assert reopened.health()["startup"]["replayed_bytes"] == 0
        assert reopened.read("read/node_counts") == [{"label": "Person", "count": 200}]
    finally:
        reopened.close()


def test_a_log_rewrite_that_keeps_hanging_fails_and_loses_nothing(watched: Any) -> None:
    client = _stalled_fork(watched)
    began = time.monotonic()
    with pytest.raises(GraphUnavailable, match="rewrite hung 3 times"):
        watched.server.compact(wait=True, force=True)
    assert time.monotonic() - began < 30  # seen as hanging, not waited out
    assert embedded._fork_child(watched.server.server_pid()) is None
    assert watched.read("read/node_counts") == [{"label": "Person", "count": 200}]
    client.config_set("rdb-key-save-delay", 0)  # the server forks again once the cause is gone
    assert watched.server.compact(wait=True, force=True)
    assert watched.server.incremental_bytes() == 0
    client.close()


def test_a_snapshot_that_hangs_is_stopped_with_its_reason(watched: Any, tmp_path: Path) -> None:
    watched.server.compact(wait=True, force=True)
    client = _stalled_fork(watched)
    dest = tmp_path / "snapshot.rdb"
    with pytest.raises(GraphUnavailable, match="snapshot hung"):
        watched.server.snapshot(dest, timeout=60)
    assert not dest.exists()
    assert embedded._fork_child(watched.server.server_pid()) is None
    client.config_set("rdb-key-save-delay", 0)
    watched.server.snapshot(dest, timeout=60)
    assert dest.stat().st_size > 0
    client.close()
