"""Honest absence: a report that a scope trims says which kind of source it leaves out and
how to get it; a Bibob officer's screening never looks clean because RIEC signals are out of
sight. Tried as the officer would meet it: the report in Python, the web page, the API and
the command line, and the same dossier for a RIEC liaison (no notice there)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from graph_service.cli import risk as cli_risk
from graph_service.risk.indicators import get_indicator
from graph_service.risk.screening import screen
from graph_service.security.absence import absent_sources, notice_lines, purpose_of
from graph_service.security.policy import POLICY, resolve
from graph_service.store import Store, access
from tests.support import web_fixtures
from tests.support.cli import lend_store
from tests.support.fixture_graphs import AS_OF, build, scenario_bibob
from tests.support.web_fixtures import TODAY, Dataset, use_token

app = web_fixtures.app
client = web_fixtures.client
dataset = web_fixtures.dataset

CLEAN = ("Geen zichtbare signalen", "geen signalen", "Geen signalen", "RIEC-signalen 0")


@pytest.fixture
def data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             today_is: Callable[[dt.date], None]) -> Path:
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(tmp_path / "data"))
    today_is(AS_OF)
    return tmp_path / "data"


def scope_of(role: str, purpose: str, reference: str | None = None) -> access.Scope:
    return resolve([role], purpose, reference)


# -- what a scope leaves out --------------------------------------------------------------------
def test_every_policy_row_names_what_it_leaves_out(data_env: Path) -> None:
    for (role, purpose), grant in POLICY.items():
        if not grant.visible:
            continue  # beheer and audit read no graph data at all
        scope = scope_of(role, purpose, "R-1")
        assert purpose_of(scope) == purpose
        absent = absent_sources(scope)
        assert {a.purpose_class for a in absent} == {
            "open", "municipal", "bibob", "riec", "sanctions"} - grant.visible
        for a in absent:
            assert "niet zichtbaar" in a.notice and a.how and a.sources
    officer = absent_sources(scope_of("bibob_officer", "bibob_toets", "2025-001"))
    assert [a.purpose_class for a in officer] == ["riec"]
    assert officer[0].notice == "RIEC-signalen zijn voor uw rol en doel niet zichtbaar."
    assert "Vraag het RIEC om een RIEC-toets" in officer[0].how
    assert "art. 28 lid 2" in officer[0].how
    casus = absent_sources(scope_of("riec_liaison", "riec_casus", "C-1"))
    assert [a.purpose_class for a in casus] == ["bibob"] and "art. 28" in casus[0].how
    assert absent_sources(scope_of("riec_liaison", "bibob_toets", "2025-001")) == ()
    assert absent_sources(access.FULL) == () and absent_sources(None) == ()
    made = access.Scope(visible=frozenset({"open"}), label="test")  # no purpose: generic
    assert purpose_of(made) is None
    assert [a.purpose_class for a in absent_sources(made)] == [
        "bibob", "riec", "municipal", "sanctions"]


# -- the report in Python -----------------------------------------------------------------------
def test_the_officers_report_says_signals_are_not_visible(store: Store, data_env: Path) -> None:
    build(store, scenario_bibob)
    with access.scope(scope_of("riec_liaison", "bibob_toets", "2025-001")):
        liaison = screen(store, "2025-001", AS_OF)
    with access.scope(scope_of("bibob_officer", "bibob_toets", "2025-001")):
        officer = screen(store, "2025-001", AS_OF)
    # the same dossier: the liaison sees a signal and the hit that rests on it
    assert liaison.signals and "BIBOB_RELATED_SIGNAL" in {h.code for h in liaison.hits}
    assert liaison.absent_sources == () and "absent_sources" not in liaison.to_dict()
    assert liaison.summary()["signals"] == len(liaison.signals) > 0
    # the officer: nothing found is not "0 signals"
    assert officer.signals == () and not officer.signals_visible
    data = json.loads(json.dumps(officer.to_dict()))
    assert data["summary"]["signals"] is None and data["summary"]["location_signals"] is None
    (absent,) = data["absent_sources"]
    assert absent["class"] == "riec" and absent["sources"] == ["riec"]
    assert "RIEC-toets" in absent["how"]
    assert "BIBOB_RELATED_SIGNAL" in absent["indicators"]
    assert "STRAW_MAN" not in absent["indicators"]  # a KvK indicator was evaluated
    (line,) = notice_lines(officer.absent_dicts())
    assert line.startswith("Let op: RIEC-signalen zijn voor uw rol en doel niet zichtbaar.")


# -- the command line ---------------------------------------------------------------------------
def test_the_cli_screening_carries_the_notice(
        store: Store, data_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(store, scenario_bibob)

    lend_store(monkeypatch, store)
    runner = CliRunner()
    base = ["2025-001", "--as-of", "2025-06-01", "--purpose", "bibob_toets",
            "--reference", "2025-001"]
    out = runner.invoke(cli_risk.screen, base)
    assert out.exit_code == 0, out.output
    assert "RIEC-signalen zijn voor uw rol en doel niet zichtbaar" in out.output
    assert "Vraag het RIEC om een RIEC-toets" in out.output
    assert re.search(r"Signalen:\n  niet zichtbaar voor uw rol", out.output)
    out = runner.invoke(cli_risk.screen, [*base, "--json"])
    data = json.loads(out.output)
    assert data["summary"]["signals"] is None and data["absent_sources"][0]["class"] == "riec"
    out = runner.invoke(cli_risk.screen, [*base, "--role", "riec_liaison"])
    assert out.exit_code == 0, out.output
    assert "niet zichtbaar" not in out.output and "signal:S-3HOP" in out.output


def test_every_cli_read_says_what_it_leaves_out(
        store: Store, data_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only the screening: risk (an object: ``absent_sources`` in its JSON) and hits (a
    list: the notice on stderr, the JSON a list still), as text and JSON, for the officer;
    nothing for the liaison who sees every source."""
    build(store, scenario_bibob)

    lend_store(monkeypatch, store)
    runner = CliRunner()
    officer = ["--as-of", "2025-06-01", "--purpose", "bibob_toets", "--reference", "2025-001"]
    liaison = [*officer, "--role", "riec_liaison"]
    notice = "Let op: RIEC-signalen zijn voor uw rol en doel niet zichtbaar."

    out = runner.invoke(cli_risk.risk, ["person:q", *officer])
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith(notice) and "Vraag het RIEC om een RIEC-toets" in out.stdout
    assert "SIGNAL_NETWORK" in out.stdout.split("Niet beoordeeld:", 1)[1].split("\n")[0]
    data = json.loads(runner.invoke(cli_risk.risk, ["person:q", "--json", *officer]).stdout)
    (absent,) = data["absent_sources"]
    assert absent["class"] == "riec" and "BIBOB_RELATED_SIGNAL" in absent["indicators"]

    out = runner.invoke(cli_risk.hits, ["SIGNAL_NETWORK", "--json", *officer])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == [] and notice in out.stderr
    out = runner.invoke(cli_risk.hits, ["SIGNAL_NETWORK", *officer])
    assert notice in out.stdout and out.stderr == ""

    for args in (["person:q", *liaison], ["person:q", "--json", *liaison]):
        out = runner.invoke(cli_risk.risk, args)
        assert out.exit_code == 0 and "niet zichtbaar" not in out.output, out.output
    assert "absent_sources" not in json.loads(out.stdout)
    out = runner.invoke(cli_risk.hits, ["SIGNAL_NETWORK", "--json", *liaison])
    assert out.exit_code == 0 and out.stderr == "" and isinstance(json.loads(out.stdout), list)


# -- the web page and the API -------------------------------------------------------------------
def related_signal_dossier(data: Dataset) -> str:
    return sorted(data.planted_true("BIBOB_RELATED_SIGNAL", "dossier_id"))[0]


def test_screening_page_and_api_as_officer_and_as_liaison(
        client: FlaskClient, dataset: Dataset) -> None:
    dossier = related_signal_dossier(dataset)
    as_of = {"as_of": TODAY.isoformat()}
    use_token(client, dataset, "riec", "bibob_toets", dossier)
    liaison = client.get(f"/api/bibob/{dossier}/screening", query_string=as_of).get_json()
    assert liaison["summary"]["signals"] > 0 and "absent_sources" not in liaison
    assert "BIBOB_RELATED_SIGNAL" in liaison["summary"]["indicators"]
    page = client.get(f"/bibob/{dossier}", query_string={"peildatum": TODAY.isoformat()})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="niet-zichtbaar"' not in text
    assert "niet zichtbaar voor uw rol" not in text

    use_token(client, dataset, "bibob", "bibob_toets", dossier)
    response = client.get(f"/api/bibob/{dossier}/screening", query_string=as_of)
    assert response.status_code == 200
    officer = response.get_json()
    assert officer["summary"]["signals"] is None
    assert officer["summary"]["location_signals"] is None
    assert officer["signals"] == []
    assert "BIBOB_RELATED_SIGNAL" not in officer["summary"]["indicators"]
    (absent,) = officer["absent_sources"]
    assert absent["class"] == "riec" and "RIEC-toets" in absent["how"]
    assert "BIBOB_RELATED_SIGNAL" in absent["indicators"]

    page = client.get(f"/bibob/{dossier}", query_string={"peildatum": TODAY.isoformat()})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="niet-zichtbaar"' in text
    assert "RIEC-signalen zijn voor uw rol en doel niet zichtbaar." in text
    assert "Vraag het RIEC om een RIEC-toets van dit dossier" in text
    summary = text.split('id="samenvatting"', 1)[1].split("</table>", 1)[0]
    row = summary.split("RIEC-signalen op partijen en netwerk", 1)[1].split("</tr>", 1)[0]
    assert "niet zichtbaar voor uw rol en doel" in row and ">0<" not in row
    hits_section = text.split('id="hits"', 1)[1]
    title = get_indicator("BIBOB_RELATED_SIGNAL").title
    assert "Niet beoordeeld" in hits_section and html.escape(title) in hits_section
    for clean in CLEAN:
        assert clean not in text
