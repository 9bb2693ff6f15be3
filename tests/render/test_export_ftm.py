"""``ondergraaf export ftm`` (docs/ftm.md, "Export") against the real engines: every
entity valid for the followthemoney library, the mapping of the model, the read audited
and pseudonymised under analyse, and a list loaded from the export's own kind of file."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from followthemoney import model as ftm_model

from graph_service.cli import cli
from graph_service.config import load_settings
from graph_service.render.ftm import entity_id, to_entities
from graph_service.security.audit import AuditTrail
from graph_service.store import Store
from tests.support.cli import lend_store
from tests.support.fixture_graphs import AS_OF, GraphBuilder, kvk, scenario_sanctions

REAL_NAME = "Pieter"


@pytest.fixture
def data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             today_is: Callable[[dt.date], None]) -> Path:
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(tmp_path / "data"))
    today_is(AS_OF)
    return tmp_path / "data"


def _graph(store: Store) -> None:
    """A dossier whose applicant is a company with a director at an address, owning a
    shed rented by a person; and the sanctions scenario (a list entry like the director)."""
    g = GraphBuilder(store)
    scenario_sanctions(g)
    g.dossier("dossier:2025-0099", aanvraagdatum="2025-03-01")
    g.org(kvk(7), name="Smit Bouw B.V.", kvk_nummer="00000007", rechtsvorm="bv")
    g.party(kvk(7), "dossier:2025-0099", "aanvrager", "P1")
    g.functionary("person:sanctioned", kvk(7), "bestuurder", valid_from="2020-01-01")
    g.rel("FUNCTIONARY_OF", "person:pep", kvk(7), key="aandeelhouder|2015-01-01",
          role="aandeelhouder", valid_from="2015-01-01", aandeel_pct=60)
    addr = g.address("addr:7991PB3", postcode="7991PB", huisnummer=3, plaats="Dwingeloo",
                     straat="Brink", land="NL", name="Brink 3, 7991PB Dwingeloo")
    g.registered(kvk(7), addr)
    g.shed("object:SCH-1", kadastraal_perceel="DWL00 K 1234")
    g.owns(kvk(7), "object:SCH-1")
    g.rents("person:namesake", "object:SCH-1", valid_from="2024-01-01")
    g.write()


def validate(entities: list[dict[str, Any]]) -> None:
    """Every entity as the library reads it: known concrete schema, known properties,
    values of their type, required properties, references to exported entities, and a
    round trip that changes nothing."""
    ids = {e["id"] for e in entities}
    assert len(ids) == len(entities)
    for e in entities:
        schema = ftm_model.get(e["schema"])
        assert schema is not None and not schema.abstract, e
        for name, values in e["properties"].items():
            prop = schema.get(name)
            assert prop is not None, (e["schema"], name)
            for value in values:
                assert prop.type.clean(value, proxy=None) == value, (e["schema"], name, value)
                if prop.type.name == "entity":
                    assert value in ids, (e["schema"], name)
        for name in schema.required:
            assert e["properties"].get(name), (e["schema"], name)
        read = ftm_model.get_proxy(e, cleaned=False).to_dict()
        assert {k: read[k] for k in ("id", "schema", "properties")} == e
        again = ftm_model.get_proxy(read).to_dict()  # cleaned by the library: unchanged
        assert {k: again[k] for k in ("id", "schema", "properties")} == e


def export(args: list[str], out: Path) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["export", "ftm", "--uit", str(out), *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def by_schema(entities: list[dict[str, Any]]) -> Counter[str]:
    return Counter(e["schema"] for e in entities)


def test_a_dossier_exports_as_valid_ftm_entities(
        store: Store, data_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _graph(store)
    lend_store(monkeypatch, store)
    found = export(["--doel", "bibob_toets", "--referentie", "2025-0099", "--diepte", "3"],
                   tmp_path / "dossier.ftm.json")
    validate(found)
    assert by_schema(found) == Counter({
        "Project": 1, "Company": 1, "ProjectParticipant": 1, "Person": 3, "Directorship": 1,
        "Ownership": 2, "Address": 1, "RealEstate": 1, "UnknownLink": 1})
    entity = {e["id"]: e for e in found}
    company = entity[entity_id(kvk(7))]["properties"]
    assert company["registrationNumber"] == ["00000007"] and company["jurisdiction"] == ["nl"]
    assert company["addressEntity"] == [entity_id("addr:7991PB3")]
    assert company["publisher"] == ["KvK"]
    director = entity[entity_id("person:sanctioned")]["properties"]
    assert director["birthDate"] == ["1970-03-03"] and director["firstName"] == [REAL_NAME]
    (share,) = [e["properties"] for e in found if e["schema"] == "Ownership"
                and e["properties"]["owner"] == [entity_id("person:pep")]]
    assert share["asset"] == [entity_id(kvk(7))] and share["percentage"] == ["60"]
    (lease,) = [e["properties"] for e in found if e["schema"] == "UnknownLink"]
    assert lease["subject"] == [entity_id("person:namesake")] and lease["role"] == ["huurt"]
    assert lease["startDate"] == ["2024-01-01"]
    # the read is audited with every uid it returned
    (record,) = [r for r in AuditTrail.open(load_settings()).read() if r["action"] == "read"]
    assert record["purpose"] == "bibob_toets" and record["reference"] == "2025-0099"
    assert set(record["uids"]) >= {"dossier:2025-0099", kvk(7), "person:sanctioned"}


def test_pairs_are_not_walked_and_a_list_entry_keeps_its_schema(
        store: Store, data_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _graph(store)
    lend_store(monkeypatch, store)
    found = export(["--doel", "bibob_toets", "--referentie", "2025-0099",
                    "--uid", kvk(901), "--diepte", "1"], tmp_path / "org.ftm.json")
    validate(found)
    assert {e["id"] for e in found} == {entity_id(kvk(901))}  # pairs are not walked
    nodes = [{"uid": "org:listed-smit-bv", "_labels": ["Organisation", "Entity"],
              "name": "Smit Holding B.V.", "ftm_schema": "Company", "list_topics": "sanction",
              "registration_number": "00000901", "sources": ["ftm"]}]
    (listed,) = to_entities(nodes, [])
    validate([listed])
    assert listed["schema"] == "Company" and listed["properties"]["topics"] == ["sanction"]


def test_under_analyse_persons_are_pseudonymised_and_lists_left_out(
        store: Store, data_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _graph(store)
    lend_store(monkeypatch, store)
    found = export(["--uid", kvk(7)], tmp_path / "analyse.ftm.json")
    validate(found)
    text = json.dumps(found)
    persons = [e["properties"] for e in found if e["schema"] == "Person"]
    assert len(persons) == 3
    assert all(p["name"][0].startswith("Persoon ") for p in persons)
    assert REAL_NAME not in text and "1970-03-03" not in text
    assert entity_id("person:sanctioned") not in text  # ids are of the pseudonyms
    assert "Project" not in by_schema(found)  # Bibob is not in the analyst's scope
    (record,) = [r for r in AuditTrail.open(load_settings()).read() if r["action"] == "read"]
    assert record["purpose"] == "analyse"


def test_an_export_loads_back_as_a_list(store: Store, data_env: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The export is FtM a list can be made of: loaded as source ftm it gives list
    entries of its own beside the registers' entities, proposed as look-alikes."""
    from loaders import ftm as ftm_loader
    from loaders.base import sync

    _graph(store)
    lend_store(monkeypatch, store)
    path = tmp_path / "lijst.ftm.json"
    exported = export(["--doel", "bibob_toets", "--referentie", "2025-0099"], path)
    report = sync(store, ftm_loader.SPEC, [path], today=AS_OF)
    assert report.rows_read == len(exported) and report.rows_refused == 0
    made = sum(report.nodes_created.values())
    assert made == sum(1 for e in exported if e["schema"] in ("Person", "Company"))


def test_a_case_exports_what_it_follows(store: Store, data_env: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from graph_service.risk.watch import follow

    _graph(store)
    follow(store, kvk(7), "riec_casus", "C-77", depth=1)
    follow(store, "object:SCH-1", "riec_casus", "C-77", depth=0)
    follow(store, "addr:7991PB3", "riec_casus", "ANDERE-CASUS", depth=3)
    lend_store(monkeypatch, store)
    found = export(["--doel", "riec_casus", "--referentie", "C-77", "--casus"],
                   tmp_path / "casus.ftm.json")
    validate(found)
    assert by_schema(found) == Counter({
        "Company": 1, "Person": 2, "Directorship": 1, "Ownership": 2, "Address": 1,
        "RealEstate": 1})  # kvk 7 and one step (no dossier: Bibob is not in the case's scope)
    result = CliRunner().invoke(cli, ["export", "ftm", "--casus"])
    assert result.exit_code != 0 and "riec_casus" in result.output

