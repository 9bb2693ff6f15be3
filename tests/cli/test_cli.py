"""The operator's CLI on the embedded engine: load, stats, reset, with an audit record each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph_service.cli import cli
from graph_service.config import load_settings
from graph_service.security.audit import AuditTrail

FIX = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ONDERGRAAF_NEO4J_URI", raising=False)
    return tmp_path


def test_load_stats_reset_and_their_audit_records(data_env: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["load", "kvk", str(FIX / "kvk" / "kvk_variants.csv"), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["rows_read"] == 6
    out = runner.invoke(cli, ["stats", "--json"])
    stats = json.loads(out.output)
    assert stats["nodes"] == {"Address": 3, "Organisation": 5, "Person": 4}
    assert [r["source"] for r in stats["last_loads"]] == ["kvk"]
    out = runner.invoke(cli, ["reset", "--yes"])
    # 12 entities + the load run + the graph's state node and the record of the hit
    # refresh after the load (no indicator fires on these 12 entities)
    assert out.exit_code == 0 and "15 knopen" in out.output
    trail = AuditTrail.open(load_settings())
    actions = [(r["action"], r["outcome"]) for r in trail.read()]
    assert actions == [("load", "ok"), ("delete", "ok")]
    assert trail.verify().ok


def test_a_bad_file_exits_non_zero_names_the_cell_and_writes_nothing(
    data_env: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "kvk.csv"
    bad.write_text("kvk_nummer,naam\n1234,Te Kort BV\n", encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(cli, ["load", "kvk", str(bad)])
    assert out.exit_code == 2
    assert f"{bad}:2:kvk_nummer: " in out.output
    stats = json.loads(runner.invoke(cli, ["stats", "--json"]).output)
    assert stats["nodes"] == {}
    (record,) = list(AuditTrail.open(load_settings()).read(action="load"))
    assert record["outcome"] == "refused"
