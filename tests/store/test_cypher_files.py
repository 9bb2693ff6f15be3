"""Every shipped statement runs on every engine (against a small graph, dummy parameters)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph_service.errors import QueryFailed
from graph_service.store import Store
from graph_service.store.registry import load_registry
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
