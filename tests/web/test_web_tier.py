"""The production web tier on the embedded engine: ``ondergraaf serve --workers N`` runs
gunicorn workers that attach to one engine owned by the master, reloads them on SIGHUP,
stops cleanly on SIGTERM (the engine compacted and stopped), and a busy port is one Dutch
line and a non-zero exit, no traceback. Real processes on loopback; every wait is bounded."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph_service.cli import cli
from graph_service.cli.web import gunicorn_options
from graph_service.config import load_settings
from graph_service.store import open_store
from graph_service.store.embedded import EmbeddedServer

FIX = Path(__file__).parent.parent / "fixtures"
COMMAND = "from graph_service.cli import main; main()"
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:  # noqa: S310 - loopback
            return int(resp.status), resp.read().decode()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode()


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


def _workers(master: int, engine_pid: int | None) -> set[int]:
    return _children(master) - ({engine_pid} if engine_pid else set())


def _engine_pid(data_dir: Path) -> int | None:
    pidfile = data_dir / "falkordb" / "server.pid"
    with contextlib.suppress(OSError, ValueError):
        pid = int(pidfile.read_text().strip())
        os.kill(pid, 0)
        return pid
    return None


def _wait(predicate: object, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = {"ONDERGRAAF_DATA_DIR": str(tmp_path / "data"), "ONDERGRAAF_NEO4J_URI": ""}
    out = CliRunner().invoke(cli, ["load", "kvk", str(FIX / "kvk" / "kvk_variants.csv")],
                             env=values)
    assert out.exit_code == 0, out.output
    return values


@pytest.fixture
def service(env: dict[str, str], tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-c", COMMAND, "serve", "--port", str(port), "--workers", "2",
         "--threads", "2"], env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
        text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        ready = _wait(lambda: proc.poll() is not None or _healthy(base), 120)
        assert ready and proc.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
        log.close()
        pid = _engine_pid(Path(env["ONDERGRAAF_DATA_DIR"]))
        if pid:
            os.kill(pid, signal.SIGKILL)


def _healthz_count(base: str) -> int:
    status, metrics = _get(base + "/metrics")  # loopback: no login
    assert status == 200
    line = next(x for x in metrics.splitlines() if x.startswith(
        'ondergraaf_http_requests_total{route="/healthz"'))
    return int(line.rsplit(" ", 1)[1])


def _healthy(base: str) -> bool:
    with contextlib.suppress(OSError):
        return _get(base + "/healthz")[0] == 200
    return False


def test_the_shipped_gunicorn_configuration() -> None:
    options = gunicorn_options("127.0.0.1", 8000, 4, 8, load_settings(env={}))
    assert options["worker_class"] == "gthread"
    assert (options["workers"], options["threads"]) == (4, 8)
    assert options["bind"] == ["127.0.0.1:8000"]
    assert options["timeout"] > 120  # longer than the longest read (the read timeout)
    assert options["forwarded_allow_ips"] == ""  # only ONDERGRAAF_PROXY_HOPS is trusted
    assert options["preload_app"] is False  # one app and one store per worker
    assert gunicorn_options("::1", 8000, 1, 1, load_settings(env={}))["bind"] == ["[::1]:8000"]


def test_workers_share_one_engine_reload_on_hup_and_stop_on_term(
    service: tuple[subprocess.Popen[str], str], env: dict[str, str], tmp_path: Path
) -> None:
    proc, base = service
    data_dir = Path(env["ONDERGRAAF_DATA_DIR"])
    engine = _engine_pid(data_dir)
    assert engine is not None and engine in _children(proc.pid)  # the master owns it
    assert _wait(lambda: len(_workers(proc.pid, engine)) == 2)
    first = _workers(proc.pid, engine)
    for _ in range(20):
        status, body = _get(base + "/healthz")
        assert status == 200
        assert json.loads(body)["startup"]["started"] is False  # a worker attached
    # every worker's requests, added up (each worker writes its counters once a second)
    assert _wait(lambda: _healthz_count(base) >= 20, 10)

    proc.send_signal(signal.SIGHUP)  # graceful reload: new workers, same engine
    assert _wait(lambda: len(_workers(proc.pid, engine)) == 2
                 and not (_workers(proc.pid, engine) & first))
    assert _get(base + "/healthz")[0] == 200
    assert _engine_pid(data_dir) == engine

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) == 0
    assert _wait(lambda: _engine_pid(data_dir) is None, 30)  # the engine stopped with it
    log = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in log
    lines = [json.loads(x) for x in log.splitlines() if x.startswith('{"time"')]
    assert len({r["worker"] for r in lines}) >= 1 and all(r["route"] for r in lines)
    # stopped cleanly: the next start replays no write log
    with open_store(load_settings(env=env)) as store:
        assert store.health()["startup"]["replayed_bytes"] == 0


@pytest.mark.parametrize("workers", [[], ["--workers", "2"]])
def test_a_busy_port_is_one_dutch_line_and_a_non_zero_exit(
    env: dict[str, str], workers: list[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-c", COMMAND, "serve", "--port", str(port), *workers],
            env={**os.environ, **env}, capture_output=True, text=True, timeout=120,
            check=False)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"fout: poort {port} op 127.0.0.1 is al in gebruik (draait ondergraaf al?); kies een "
        "andere poort met --port of stop het proces dat hem gebruikt"]
    assert "Traceback" not in done.stdout + done.stderr
    assert not EmbeddedServer(Path(env["ONDERGRAAF_DATA_DIR"])).running()
