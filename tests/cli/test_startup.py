"""What a command costs before its own work: only its own module, and on the embedded
engine a server that reads its snapshot while Python prepares the command."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

from graph_service.cli import COMMAND_MODULES, startup
from graph_service.config import load_settings
from graph_service.store import open_store, version
from graph_service.store.embedded import EmbeddedServer
from tests.store.test_store import _server_pids

#: What only some commands use: the web layer and its libraries, the graph rendering, the
#: FtM export, Excel reading, the loaders and the Neo4j driver.
HEAVY = ("flask", "jinja2", "werkzeug", "waitress", "gunicorn", "pyvis", "networkx",
         "followthemoney", "openpyxl", "neo4j", "loaders", "graph_service.web",
         "graph_service.render.graphs", "graph_service.render.ftm")

#: Runs ``ondergraaf ARGS`` as the console script does, then prints (as the last line, from
#: an exit handler: the console script ends with ``os._exit`` after running them) the
#: modules of HEAVY that the command imported.
PROBE = """
import atexit, json, sys
heavy = tuple(sys.argv[1].split(","))
sys.argv = ["ondergraaf", *sys.argv[2:]]
atexit.register(lambda: print(json.dumps({"heavy": sorted(
    m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))})))
from graph_service.cli import main
main()
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONDERGRAAF_")}
    env["ONDERGRAAF_DATA_DIR"] = str(data_dir)
    return env


def _run(data_dir: Path, *args: str) -> tuple[dict[str, object], str]:
    done = subprocess.run([sys.executable, "-c", PROBE, ",".join(HEAVY), *args],
                          env=_env(data_dir), capture_output=True, text=True, timeout=300)
    lines = done.stdout.strip().splitlines()
    assert lines, done.stderr[-2000:]
    return {**json.loads(lines[-1]), "code": done.returncode}, done.stdout + done.stderr


def test_every_command_is_named_with_its_module() -> None:
    found = {}
    for module in sorted(set(COMMAND_MODULES.values())):
        for command in importlib.import_module(f"graph_service.cli.{module}").COMMANDS:
            found[command.name] = module
    assert found == COMMAND_MODULES
    assert set(COMMAND_MODULES) >= startup.STORE_COMMANDS


def test_commands_without_the_web_do_not_import_it(tmp_path: Path) -> None:
    for args in (["health"], ["stats", "--json"], ["indicators"], ["users", "list"]):
        result, output = _run(tmp_path, *args)
        assert result["code"] == 0, output
        assert result["heavy"] == [], args
    result, output = _run(tmp_path, "stats", "--help")  # the help of one command
    assert result["code"] == 0 and "--json" in output
    assert result["heavy"] == []
    result, output = _run(tmp_path, "--help")  # every command's help: all modules
    assert result["code"] == 0 and all(f"  {name} " in output for name in COMMAND_MODULES)
    assert _server_pids(str(tmp_path.resolve())) == []


def test_the_early_server_is_taken_over_by_the_store(tmp_path: Path) -> None:
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    early = EmbeddedServer(settings.data_dir, settings.falkordb_fsync)
    early.start_early()
    assert early.process is not None
    spawned = early.process.pid
    store = open_store(settings)
    try:
        server = store.server  # type: ignore[attr-defined]
        assert server.process is not None and server.process.pid == spawned
        assert early.process is None  # handed over: closing the store stops it
        assert server.start_info.started is True
        assert store.health()["ok"] is True
    finally:
        store.close()
    assert _server_pids(str(tmp_path.resolve())) == []
    early.stop()  # nothing left to stop


def test_an_early_server_nobody_takes_over_stops_at_exit(tmp_path: Path) -> None:
    env = _env(tmp_path)
    code = ("from graph_service.cli import startup\n"
            "from graph_service.store.embedded import _EARLY\n"
            "startup.start_engine_early(['health'])\n"
            "(server,) = _EARLY.values()\n"
            "print(server.process.pid)\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    pid = int(done.stdout.strip())
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(
        f"/proc/{pid}/status").read_text().lower()
    assert _server_pids(str(tmp_path.resolve())) == []


def test_a_refused_folder_starts_no_server(tmp_path: Path) -> None:
    version.write_folder_version(tmp_path, version.SCHEMA_VERSION + 1)
    result, output = _run(tmp_path, "health")
    assert result["code"] == 1 and "nieuwer" in output
    assert not (tmp_path / "falkordb").exists()


def test_no_early_start_for_help_version_or_other_commands(tmp_path: Path) -> None:
    for args in (["health", "--help"], ["--version"], ["generate", "--help"], ["users"]):
        _run(tmp_path, *args)
        assert not (tmp_path / "falkordb").exists(), args


#: Ends the way the console script ends: a handler registered with atexit, output on both
#: streams, then ``_exit`` with the code given as the first argument ("text" for a text).
EXIT = """
import atexit, sys, threading, time
from pathlib import Path
from graph_service.cli import _exit
code, mark = sys.argv[1], sys.argv[2]
atexit.register(print, "handler ran")
print("out", end="")
print("err", end="", file=sys.stderr)
if mark:  # a thread that is no daemon: the process waits for it
    threading.Thread(target=lambda: (time.sleep(0.5), Path(mark).write_text("done"))).start()
_exit("weigering" if code == "text" else int(code))
"""


def test_the_console_script_ends_with_its_exit_handlers_and_its_output(tmp_path: Path) -> None:
    """``_exit`` skips the interpreter's teardown, nothing else: the exit handlers run, both
    streams are flushed into a pipe, the code is the process's status (a text: printed, 1),
    and a thread that is no daemon is waited for."""
    def run(code: str, mark: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", EXIT, code, mark], capture_output=True,
                              text=True, timeout=60)

    done = run("3")
    assert (done.returncode, done.stdout, done.stderr) == (3, "outhandler ran\n", "err")
    done = run("text")
    assert (done.returncode, done.stdout, done.stderr) == (1, "outhandler ran\n",
                                                           "errweigering\n")
    mark = tmp_path / "mark"
    done = run("0", str(mark))
    assert done.returncode == 0 and mark.read_text() == "done"
    assert done.stdout == "outhandler ran\n"


def test_a_refused_load_exits_2_and_stops_the_engine_it_never_used(tmp_path: Path) -> None:
    bad = Path(__file__).parent.parent / "fixtures" / "bibob" / "bad_values.csv"
    done = subprocess.run([sys.executable, "-c", "from graph_service.cli import main; main()",
                           "load", "bibob", str(bad)], env=_env(tmp_path), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.rstrip().endswith("er is niets geschreven")
    assert _server_pids(str(tmp_path.resolve())) == []
