"""Every shipped statement runs on every engine (against a small graph, dummy parameters),
and names the indexes its plan on the embedded engine uses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from graph_service.errors import QueryFailed
from graph_service.store import Store
from graph_service.store.registry import INDEXES_NOT_NEEDED, load_registry
from loaders import spec_for
from loaders.base import sync

DUMMY: dict[str, Any] = {
    "str": "x", "int": 1, "float": 1.0, "bool": False, "date": "2024-01-01",
    "list": [], "map": {}, "rows": [],
}
STATEMENTS = load_registry()


def _params(stmt: Any) -> dict[str, Any]:
    return {name: DUMMY[typ] for name, typ in stmt.params.items()}


@pytest.fixture
def small_graph(store: Store) -> Store:
    fixtures = Path(__file__).parent.parent / "fixtures"
    sync(store, spec_for("kvk"), [fixtures / "kvk" / "kvk_small.csv"])
    return store


@pytest.mark.parametrize("name", [s.name for s in STATEMENTS if s.mode == "read"])
def test_read_statement_runs(small_graph: Store, name: str) -> None:
    stmt = STATEMENTS.get(name)
    if small_graph.engine not in stmt.engines:
        # "// engines: neo4j": the caller takes another way on this engine; the store
        # refuses to run it here
        with pytest.raises(QueryFailed, match="runs only on"):
            small_graph.read(name, _params(stmt))
        return
    rows = small_graph.read(name, _params(stmt))
    assert isinstance(rows, list)


@pytest.mark.parametrize("name", [s.name for s in STATEMENTS if s.mode == "write"])
def test_write_statement_runs(small_graph: Store, name: str) -> None:
    stmt = STATEMENTS.get(name)
    params = _params(stmt)
    if small_graph.engine not in stmt.engines:
        # "// engines: falkordb" (the update of stored nodes, which calls the embedded
        # engine's own function): the store refuses to run it here
        with pytest.raises(QueryFailed, match="runs only on"):
            small_graph.write(name, params)
        return
    # an empty $rows still makes the engine parse and plan the statement
    small_graph.write(name, params)


def test_schema_setup_is_idempotent(store: Store) -> None:
    store.setup_schema()
    store.setup_schema()
    assert store.health()["ok"]


# -- the indexes a statement waits for on the embedded engine (tests/conftest.py: embedded) ---
def _plan_labels(store: Any, stmt: Any) -> tuple[set[str], set[str]]:
    """The labels whose range indexes the engine's plan of ``stmt`` scans, and those
    whose full-text index it queries."""
    text = stmt.text_for("falkordb")
    plan = str(store.graph.explain(text, _params(stmt)))
    scanned = set(re.findall(r"Index Scan \| \(\w*:(\w+)", plan))
    fulltext = (set(re.findall(r"db\.idx\.fulltext\.queryNodes\(\s*'(\w+)'", text))
                if "ProcedureCall" in plan else set())
    return scanned, fulltext


@pytest.mark.parametrize("name", [s.name for s in STATEMENTS
                                  if s.mode == "read" and "falkordb" in s.engines])
def test_read_names_the_indexes_its_plan_uses(embedded: Store, name: str) -> None:
    """After a start the embedded engine builds its indexes label by label; a read runs
    once those of the labels its header names are built (``// indexes: Entity``,
    EmbeddedFalkorStore._await_indexes). Named too few, it would plan label scans on a
    big label; too many, it would wait for nothing. ``not needed`` (a whole-graph count,
    the one GraphState node) may scan labels, but never skip a full-text index, which
    would answer a search with the nodes indexed so far."""
    stmt = STATEMENTS.get(name)
    scanned, fulltext = _plan_labels(embedded, stmt)
    named = stmt.meta.get("indexes")
    assert named is not None, f"{name}: header lacks '// indexes: ...' ({scanned | fulltext})"
    if named == INDEXES_NOT_NEEDED:
        assert not fulltext, f"{name} queries the full-text index of {fulltext}"
    else:
        assert stmt.index_labels == scanned | fulltext
