"""``ondergraaf engine``: one long-running embedded server that the commands attach to."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from graph_service.config import load_settings
from graph_service.store import open_store
from graph_service.store.embedded import EmbeddedServer
from tests.store.test_store import _server_pids

ONDERGRAAF = str(Path(sys.executable).with_name("ondergraaf"))


def _cli(data_dir: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONDERGRAAF_")}
    env["ONDERGRAAF_DATA_DIR"] = str(data_dir)
    done = subprocess.run([ONDERGRAAF, *args], env=env, capture_output=True, text=True,
                          timeout=600)
    if ok:
        assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_commands_attach_to_the_engine_and_it_keeps_what_they_wrote(tmp_path: Path) -> None:
    data, files = tmp_path / "data", tmp_path / "in"
    _cli(data, "generate", "--out", str(files), "--size", "300", "--seed", "2")
    assert _cli(data, "engine", "status", ok=False).returncode == 1
    started = json.loads(_cli(data, "engine", "start", "--json").stdout)
    try:
        assert started["running"] and started["started"]
        pid = started["pid"]
        assert _server_pids(str(data.resolve())) == [pid]  # outlived the command
        health = json.loads(_cli(data, "health").stdout)
        assert health["startup"]["started"] is False  # attached, not started
        _cli(data, "load", "kvk", str(files / "kvk.csv"))
        assert _server_pids(str(data.resolve())) == [pid]  # the load left it running
        assert EmbeddedServer(data).incremental_bytes() == 0  # and compacted the folder
        counts = json.loads(_cli(data, "stats", "--json").stdout)["nodes"]
        assert counts["Organisation"] > 0
        status = json.loads(_cli(data, "engine", "status", "--json").stdout)
        assert status == {"running": True, "pid": pid, "detached": True, "log_bytes": 0}
        again = json.loads(_cli(data, "engine", "start", "--json").stdout)
        assert again["pid"] == pid and again["started"] is False
    finally:
        stop = _cli(data, "engine", "stop")
    assert "gestopt" in stop.stdout
    assert _server_pids(str(data.resolve())) == []
    assert "geen engine" in _cli(data, "engine", "stop").stdout
    # a command on its own again: its own server, from the snapshot, with the same graph
    health = json.loads(_cli(data, "health").stdout)
    assert health["startup"]["started"] is True and health["startup"]["replayed_bytes"] == 0
    assert json.loads(_cli(data, "stats", "--json").stdout)["nodes"] == counts


def test_engine_stop_leaves_a_server_another_process_owns(tmp_path: Path) -> None:
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    store = open_store(settings)
    try:
        (pid,) = _server_pids(str(tmp_path.resolve()))
        status = json.loads(_cli(tmp_path, "engine", "status", "--json").stdout)
        assert status["running"] and status["pid"] == pid and not status["detached"]
        refused = _cli(tmp_path, "engine", "stop", ok=False)
        assert refused.returncode == 1 and "niet gestopt" in refused.stderr
        assert _server_pids(str(tmp_path.resolve())) == [pid]
        assert store.health()["ok"] is True
    finally:
        store.close()
    assert _server_pids(str(tmp_path.resolve())) == []
