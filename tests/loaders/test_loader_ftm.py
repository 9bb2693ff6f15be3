"""The FtM loader (docs/ftm.md): outside list entities as the sixth source, against the
real engines. The list file is written here; nothing is downloaded."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from graph_service.model import SOURCES, listed_organisation_uid, listed_person_uid
from graph_service.store import Store
from loaders import ftm, names, schuren, spec_for
from loaders.base import LoadError, LoadReport, sync
from tests.support.dump import nodes as nodes_of
from tests.support.dump import relationships

SCHUREN = Path(__file__).parent.resolve().parent / "fixtures" / "schuren" / "schuren.csv"
TODAY = dt.date(2024, 5, 1)

MULDER = names.person_uid(names.person_key("Hendrik", None, "Mulder", "1958-11-02"))
BAKKER = names.person_uid(names.person_key("Kees", None, "Bakker", "1990-01-01"))

ENTITIES: list[dict[str, Any]] = [
    # the same name and birth date as the owner of SCH-0042: a strong look-alike
    {"id": "os-mulder", "schema": "Person",
     "properties": {"name": ["Hendrik Mulder"], "birthDate": ["1958-11-02"],
                    "nationality": ["nl"], "topics": ["sanction"],
                    "program": ["EU 2024/123"]}},
    # a birth date one day off from the tenant of SCH-0042: a weaker look-alike
    {"id": "os-bakker", "schema": "Person",
     "properties": {"firstName": ["Kees"], "lastName": ["Bakker"],
                    "name": ["Kees Bakker"], "birthDate": ["1990-01-02"],
                    "topics": ["role.pep"]}},
    # no one of the registers
    {"id": "os-nobody", "schema": "Person",
     "properties": {"name": ["Ivan van der Zee"], "birthDate": ["1971"]}},
    # the tenant of SCH-0042 by its KvK number
    {"id": "os-holding", "schema": "Company",
     "properties": {"name": ["Holding X"], "registrationNumber": ["12345678"],
                    "jurisdiction": ["nl"], "topics": ["sanction"]}},
    # validated, not written
    {"id": "os-sanction-1", "schema": "Sanction",
     "properties": {"entity": ["os-mulder"], "program": ["EU 2024/123"]}},
]


def write_list(path: Path, entities: list[Any], extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(e) for e in entities] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load(store: Store, path: Path, **kw: Any) -> LoadReport:
    return sync(store, ftm.SPEC, [path], today=TODAY, **kw)


def same_as(store: Store) -> dict[tuple[str, str], float]:
    return {(s, e): r["score"] for (s, t, e, _), r in relationships(store).items()
            if t == "POSSIBLE_SAME_AS"}


def facts(store: Store) -> tuple[Any, Any]:
    """The graph without the run stamps (each load is a run of its own)."""
    def plain(d: dict[str, Any]) -> str:
        return json.dumps({k: v for k, v in d.items() if k != "prov_run"}, sort_keys=True)
    return ({u: plain(n) for u, n in nodes_of(store).items()},
            {k: plain(r) for k, r in relationships(store).items()})


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def test_the_source_is_in_the_model_with_its_loader() -> None:
    assert SOURCES["ftm"].purpose_class == "sanctions"
    assert spec_for("ftm") is ftm.SPEC


def test_list_entities_become_nodes_of_their_own(store: Store, tmp_path: Path) -> None:
    report = load(store, write_list(tmp_path / "lijst.ftm.json", ENTITIES))
    nodes = nodes_of(store)
    listed = {listed_person_uid("os-mulder"), listed_person_uid("os-bakker"),
              listed_person_uid("os-nobody"), listed_organisation_uid("os-holding")}
    assert set(nodes) == listed
    mulder = nodes[listed_person_uid("os-mulder")]
    assert mulder["name"] == "Hendrik Mulder" and mulder["geboortedatum"] == "1958-11-02"
    assert mulder["list_topics"] == "sanction" and mulder["list_programs"] == "EU 2024/123"
    assert mulder["purposes"] == ["sanctions"] and mulder["sources"] == ["ftm"]
    assert mulder["source_records"] == ["ftm:os-mulder"]
    assert "name_key" not in mulder  # never the identity key of a register's person
    zee = nodes[listed_person_uid("os-nobody")]
    assert (zee["voornamen"], zee["voorvoegsel"], zee["geslachtsnaam"]) == (
        "Ivan", "van der", "Zee")
    assert zee.get("geboortedatum") is None  # a year alone is no birth date
    holding = nodes[listed_organisation_uid("os-holding")]
    assert holding["registration_number"] == "12345678" and holding["land"] == "NL"
    assert report.rows_read == 5 and report.ignored_columns == ["5:Sanction"]


def test_look_alikes_are_proposed_never_merged(store: Store, tmp_path: Path) -> None:
    sync(store, schuren.SPEC, [SCHUREN], today=TODAY)
    before = set(nodes_of(store))
    load(store, write_list(tmp_path / "lijst.ftm.json", ENTITIES))
    after = nodes_of(store)
    assert before <= set(after)  # the registers' nodes are untouched ...
    assert after[MULDER]["sources"] == ["schuren"]  # ... and carry nothing of the list
    assert same_as(store) == {
        pair(MULDER, listed_person_uid("os-mulder")): 1.0,
        pair(BAKKER, listed_person_uid("os-bakker")): 0.85,
        pair("kvk:12345678", listed_organisation_uid("os-holding")): 1.0,
    }


def test_candidates_do_not_depend_on_the_order_of_loads(store: Store, tmp_path: Path) -> None:
    load(store, write_list(tmp_path / "lijst.ftm.json", ENTITIES))
    sync(store, schuren.SPEC, [SCHUREN], today=TODAY)
    pairs = same_as(store)
    assert pairs[pair(MULDER, listed_person_uid("os-mulder"))] == 1.0
    assert pairs[pair(BAKKER, listed_person_uid("os-bakker"))] == 0.85
    # an organisation meets the register's only when the list comes after it
    assert pair("kvk:12345678", listed_organisation_uid("os-holding")) not in pairs
    load(store, tmp_path / "lijst.ftm.json")
    assert same_as(store)[pair("kvk:12345678", listed_organisation_uid("os-holding"))] == 1.0


def test_loading_again_changes_nothing(store: Store, tmp_path: Path) -> None:
    sync(store, schuren.SPEC, [SCHUREN], today=TODAY)
    path = write_list(tmp_path / "lijst.ftm.json", ENTITIES)
    load(store, path)
    first = facts(store)
    load(store, path)
    assert facts(store) == first


def test_problems_are_located_by_line_and_property_and_nothing_is_written(
        store: Store, tmp_path: Path) -> None:
    bad = [
        ENTITIES[0],
        {"id": "x1", "schema": "Persoon", "properties": {"name": ["A"]}},
        {"id": "x2", "schema": "Person", "properties": {"name": ["A"], "kleur": ["rood"]}},
        {"id": "x3", "schema": "Person", "properties": {"name": ["A"],
                                                        "birthDate": ["gisteren"]}},
        {"id": "x4", "schema": "Person", "properties": {"birthDate": ["1970-01-01"]}},
        {"id": "os-mulder", "schema": "Person", "properties": {"name": ["B"]}},
        {"schema": "Company", "properties": {"name": ["C"]}},
        {"id": "x5", "schema": "Ownership", "properties": {"owner": ["x2"]}},
        {"id": "x6", "schema": "Person", "properties": {"name": "A"}},
    ]
    path = write_list(tmp_path / "fout.ftm.json", bad, ("{niet json",))
    with pytest.raises(LoadError) as err:
        load(store, path)
    assert [str(p).removeprefix(f"{path}:").split(": ")[0] for p in err.value.problems] == [
        "2:schema", "3:kleur", "4:birthDate", "5:name", "6:id", "7:id", "8:asset",
        "9:name", "10:-"]
    assert nodes_of(store) == {}


def test_skip_invalid_loads_the_fit_entities(store: Store, tmp_path: Path) -> None:
    path = write_list(tmp_path / "deels.ftm.json", ENTITIES[:1], ("[1, 2]",))
    report = load(store, path, skip_invalid=True)
    assert set(nodes_of(store)) == {listed_person_uid("os-mulder")}
    assert report.rows_refused == 1
    assert Path(report.reject_files[0]).read_text(encoding="utf-8").splitlines()[1].startswith(
        "2,")


def test_a_full_list_ends_the_entries_it_no_longer_holds(store: Store, tmp_path: Path) -> None:
    path = write_list(tmp_path / "lijst.ftm.json", ENTITIES)
    load(store, path, full=True)
    assert "unseen_since" not in nodes_of(store)[listed_person_uid("os-bakker")]
    write_list(path, [e for e in ENTITIES if e["id"] != "os-bakker"])
    report = load(store, path, full=True)
    nodes = nodes_of(store)
    assert report.ended_nodes == 1
    assert nodes[listed_person_uid("os-bakker")]["unseen_since"] == TODAY.isoformat()
    assert "unseen_since" not in nodes[listed_person_uid("os-mulder")]


def test_the_command_line_loads_a_list_and_refuses_a_bad_one(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from graph_service.cli import cli
    from tests.support.cli import lend_store

    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(tmp_path / "data"))
    lend_store(monkeypatch, store)
    bad = write_list(tmp_path / "fout.ftm.json", [
        {"id": "x", "schema": "Person", "properties": {"name": ["A"], "birthDate": ["ooit"]}}])
    out = CliRunner().invoke(cli, ["load", "ftm", str(bad), "--no-hits"])
    assert out.exit_code == 2
    assert f"{bad}:1:birthDate: ongeldige waarde 'ooit'" in out.output
    assert nodes_of(store) == {}
    good = write_list(tmp_path / "lijst.ftm.json", ENTITIES)
    out = CliRunner().invoke(cli, ["load", "ftm", str(good), "--json", "--no-hits"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.output)
    assert summary["source"] == "ftm" and summary["rows_read"] == 5
    assert summary["nodes_created"] == {"Person": 3, "Organisation": 1}
