"""``ondergraaf demo`` and ``ondergraaf serve`` (the embedded engine, waitress stubbed)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph_service import access, cli_web
from graph_service.cli import cli
from graph_service.config import load_settings
from graph_service.store import open_store


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Calls of waitress.serve, which is not started."""
    import waitress

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: calls.append({"app": app, **kw}))
    return calls


def test_serve_uses_waitress_with_threads(served: list[dict[str, Any]], tmp_path: Path) -> None:
    env = {"ONDERGRAAF_DATA_DIR": str(tmp_path), "ONDERGRAAF_NEO4J_URI": ""}
    result = CliRunner().invoke(cli, ["serve", "--port", "8123", "--threads", "6"], env=env)
    assert result.exit_code == 0, result.output
    assert len(served) == 1
    assert served[0]["port"] == 8123 and served[0]["threads"] == 6
    assert served[0]["host"] == "127.0.0.1"
    assert "/openapi.json" in {str(r.rule) for r in served[0]["app"].url_map.iter_rules()}
    # serve leaves the access scope to the security layer: without one, reads fail closed
    assert "ONDERGRAAF_REQUEST_SCOPE" not in served[0]["app"].config


def test_demo_generates_for_today_loads_in_order_and_serves(
    served: list[dict[str, Any]], tmp_path: Path
) -> None:
    env = {"ONDERGRAAF_DATA_DIR": str(tmp_path), "ONDERGRAAF_NEO4J_URI": ""}
    result = CliRunner().invoke(cli, ["demo", "--size", "300", "--seed", "2", "--port", "8124"],
                                env=env)
    assert result.exit_code == 0, result.output
    loaded = [line.split()[0] for line in result.output.splitlines()
              if line.startswith("  ") and "rijen geladen" in line]
    assert loaded == list(cli_web.DEMO_ORDER)
    planted = json.loads((tmp_path / "demo-input" / "planted.json").read_text())
    assert planted["today"] == dt.date.today().isoformat()
    assert served and served[0]["port"] == 8124
    provider = served[0]["app"].config["ONDERGRAAF_REQUEST_SCOPE"]
    assert provider() == access.FULL  # demo data is synthetic: read with full access
    with open_store(load_settings(env=env)) as store:
        labels = {row["label"] for row in store.read("read/node_counts")}
    assert {"Person", "Organisation", "HolidayPark", "BibobDossier", "Signal"} <= labels
