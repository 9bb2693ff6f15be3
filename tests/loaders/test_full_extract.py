"""Full and partial extracts on both engines: what a full extract no longer contains ends
(relationships get an end date and stop counting for the indicators, nodes no source
sees any more are marked and go with retention), an empty cell of a full extract clears
the source's value, a partial extract adds and updates only, and every load is a run."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph_service.cli import cli
from graph_service.config import load_settings
from graph_service.model import load_run_stamp
from graph_service.risk import hits
from graph_service.security import retention
from graph_service.security.audit import AuditTrail
from graph_service.store import Store
from loaders import names, spec_for
from loaders.base import LoadError, sync
from tests.support.cli import lend_store
from tests.support.dump import nodes, relationships
from tests.support.files import write_csv

DAY1 = dt.date(2026, 10, 1)
DAY2 = dt.date(2026, 11, 1)
DAY3 = dt.date(2026, 11, 15)

KVK_COLUMNS = ["kvk_nummer", "naam", "rechtsvorm", "rsin", "sbi_code", "datum_aanvang",
               "datum_einde", "status", "adres_straat", "adres_huisnummer",
               "adres_toevoeging", "adres_postcode", "adres_plaats", "adres_bag_id",
               "functionaris_type", "functionaris_kvk", "functionaris_voornamen",
               "functionaris_voorvoegsel", "functionaris_geslachtsnaam",
               "functionaris_geboortedatum", "functie", "aandeel_pct", "functie_van",
               "functie_tot"]
BIBOB_COLUMNS = ["dossier_id", "gemeentecode", "aanvraagdatum", "vergunning_type",
                 "activiteit", "partij_ref", "rol", "ten_aanzien_van", "partij_type",
                 "kvk_nummer", "naam", "voornamen", "voorvoegsel", "geslachtsnaam",
                 "geboortedatum"]

BOS = names.person_uid(names.person_key("Karel", "", "Bos", "1970-03-04"))
DIJK = names.person_uid(names.person_key("Anna", "van", "Dijk", "1982-11-20"))


def _org(kvk: str, naam: str, sbi: str = "5610") -> dict[str, str]:
    return {"kvk_nummer": kvk, "naam": naam, "rechtsvorm": "bv", "sbi_code": sbi,
            "datum_aanvang": "2020-01-01", "status": "actief", "adres_straat": "Kerkweg",
            "adres_huisnummer": "1", "adres_postcode": "7991AB", "adres_plaats": "Dwingeloo"}


def _bos(kvk: str, naam: str) -> dict[str, str]:
    return {**_org(kvk, naam), "functionaris_type": "persoon",
            "functionaris_voornamen": "Karel", "functionaris_geslachtsnaam": "Bos",
            "functionaris_geboortedatum": "1970-03-04", "functie": "bestuurder",
            "functie_van": "2020-01-01"}


def _dijk(kvk: str, naam: str) -> dict[str, str]:
    return {**_org(kvk, naam), "functionaris_type": "persoon",
            "functionaris_voornamen": "Anna", "functionaris_voorvoegsel": "van",
            "functionaris_geslachtsnaam": "Dijk", "functionaris_geboortedatum": "1982-11-20",
            "functie": "bestuurder", "functie_van": "2021-01-01"}


#: Bos directs two organisations, Van Dijk one of them; the second extract no longer
#: holds Bos (he stepped down), and has no SBI code for the second organisation.
KVK_BEFORE = [_bos("60000001", "Brink Horeca B.V."), _bos("60000002", "Bos Beheer B.V."),
              _dijk("60000001", "Brink Horeca B.V.")]
KVK_AFTER = [_dijk("60000001", "Brink Horeca B.V."),
             {**_org("60000002", "Bos Beheer B.V."), "sbi_code": ""}]
#: A dossier whose applicant is Brink Horeca; only Van Dijk is declared.
BIBOB = [{"dossier_id": "2026-0101", "gemeentecode": "GM1701", "aanvraagdatum": "2026-09-01",
          "vergunning_type": "alcoholwet", "activiteit": "horeca", "partij_ref": "P1",
          "rol": "aanvrager", "partij_type": "organisatie", "kvk_nummer": "60000001",
          "naam": "Brink Horeca B.V."},
         {"dossier_id": "2026-0101", "gemeentecode": "GM1701", "aanvraagdatum": "2026-09-01",
          "vergunning_type": "alcoholwet", "activiteit": "horeca", "partij_ref": "P2",
          "rol": "bestuurder", "ten_aanzien_van": "P1", "partij_type": "persoon",
          "voornamen": "Anna", "voorvoegsel": "van", "geslachtsnaam": "Dijk",
          "geboortedatum": "1982-11-20"}]
BOS_ROLES = {(BOS, "FUNCTIONARY_OF", "kvk:60000001"), (BOS, "FUNCTIONARY_OF", "kvk:60000002")}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    bad = [*KVK_AFTER, {**_org("60000003", "Kapot B.V."), "kvk_nummer": "123"}]
    return {"before": write_csv(tmp_path / "kvk_before.csv", KVK_BEFORE, KVK_COLUMNS),
            "after": write_csv(tmp_path / "kvk_after.csv", KVK_AFTER, KVK_COLUMNS),
            "bad": write_csv(tmp_path / "kvk_bad.csv", bad, KVK_COLUMNS),
            "bibob": write_csv(tmp_path / "bibob.csv", BIBOB, BIBOB_COLUMNS)}


def _load(store: Store, path: Path, day: dt.date, full: bool, source: str = "kvk") -> Any:
    return sync(store, spec_for(source), [path], today=day, full=full, by="test")


def _fires(store: Store, day: dt.date) -> tuple[set[str], set[str]]:
    straw = {h.uid for h in hits(store, "STRAW_MAN", day, thresholds={"min_orgs": 2})}
    undeclared = {h.uid for h in hits(store, "BIBOB_UNDECLARED_OFFICER", day)}
    return straw, undeclared


def _rels(store: Store) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(s, t, e): props for (s, t, e, _), props in relationships(store).items()}


def _without_runs(store: Store) -> tuple[Any, Any]:
    """The graph, without the stamps of the run that last saw each fact."""
    def strip(d: dict[str, Any]) -> str:
        return json.dumps({k: v for k, v in d.items() if k != "prov_run"}, sort_keys=True,
                          default=str)
    return ({u: strip(n) for u, n in nodes(store).items()},
            {"|".join(k): strip(v) for k, v in relationships(store).items()})


def test_a_director_gone_from_the_next_full_extract_stops_counting(
    store: Store, files: dict[str, Path]
) -> None:
    _load(store, files["before"], DAY1, full=True)
    _load(store, files["bibob"], DAY1, full=False, source="bibob")
    assert _fires(store, DAY2) == ({BOS}, {"dossier:2026-0101"})

    report = _load(store, files["after"], DAY2, full=True)
    assert report.ended_relationships == 2  # Bos's two roles
    assert report.ended_nodes == 1  # Bos himself: no source sees him any more
    assert _fires(store, DAY2) == (set(), set())
    rels = _rels(store)
    for key in BOS_ROLES:
        assert rels[key]["ended_on"] == DAY2.isoformat()
        assert rels[key]["valid_to"] == (DAY2 - dt.timedelta(days=1)).isoformat()
        assert rels[key]["prov_gone"] == [f"kvk|{DAY2.isoformat()}"]
    # what the extract still holds is not ended
    assert "ended_on" not in rels[(DIJK, "FUNCTIONARY_OF", "kvk:60000001")]
    got = nodes(store)
    assert got[BOS]["unseen_since"] == DAY2.isoformat()
    assert "unseen_since" not in got[DIJK]  # still in the extract
    assert "unseen_since" not in got["kvk:60000002"]
    # before the end, the roles counted: the history stays readable
    assert _fires(store, DAY1) == ({BOS}, {"dossier:2026-0101"})


def test_a_fact_seen_again_is_active_again(store: Store, files: dict[str, Path]) -> None:
    _load(store, files["before"], DAY1, full=True)
    _load(store, files["bibob"], DAY1, full=False, source="bibob")
    _load(store, files["after"], DAY2, full=True)
    _load(store, files["before"], DAY3, full=True)
    assert _fires(store, DAY3) == ({BOS}, {"dossier:2026-0101"})
    rels = _rels(store)
    for key in BOS_ROLES:
        assert not {"ended_on", "valid_to", "prov_gone"} & set(rels[key])
    assert "unseen_since" not in nodes(store)[BOS]


def test_a_partial_extract_ends_nothing(store: Store, files: dict[str, Path]) -> None:
    _load(store, files["before"], DAY1, full=True)
    _load(store, files["bibob"], DAY1, full=False, source="bibob")
    report = _load(store, files["after"], DAY2, full=False)
    assert (report.ended_nodes, report.ended_relationships) == (0, 0)
    assert _fires(store, DAY2) == ({BOS}, {"dossier:2026-0101"})
    for props in relationships(store).values():
        assert not {"ended_on", "prov_gone"} & set(props)
    for node in nodes(store).values():
        assert not {"unseen_since", "prov_gone"} & set(node)
    # and an empty cell of a partial extract keeps the value (empty = unknown)
    assert nodes(store)["kvk:60000002"]["sbi_code"] == "5610"


def test_an_empty_cell_in_a_full_extract_clears_the_value(
    store: Store, files: dict[str, Path]
) -> None:
    _load(store, files["before"], DAY1, full=True)
    org = nodes(store)["kvk:60000002"]
    # what KvK supplied: its value in prov_values (prov_props holds only matching keys)
    assert org["sbi_code"] == "5610" and 'kvk|sbi_code|"5610"' in org["prov_values"]
    assert org["prov_props"] == []
    _load(store, files["after"], DAY2, full=True)
    org = nodes(store)["kvk:60000002"]
    assert "sbi_code" not in org
    assert not [v for v in org["prov_values"] if v.startswith("kvk|sbi_code|")]
    assert org["name"] == "Bos Beheer B.V."  # what the cells hold stays


def test_an_empty_cell_clears_only_what_no_other_source_supplies(
    store: Store, files: dict[str, Path], tmp_path: Path
) -> None:
    # KvK and Bibob both give Van Dijk's voorvoegsel; the next full KvK extract leaves the
    # cell empty (the same person: the voorvoegsel is not part of the identity key)
    _load(store, files["before"], DAY1, full=True)
    _load(store, files["bibob"], DAY1, full=False, source="bibob")
    without = [{**r, "functionaris_voorvoegsel": ""} if r.get("functionaris_voorvoegsel")
               else r for r in KVK_BEFORE]
    _load(store, write_csv(tmp_path / "kvk_without.csv", without, KVK_COLUMNS), DAY2,
          full=True)
    dijk = nodes(store)[DIJK]
    assert dijk["voorvoegsel"] == "van"  # Bibob still says so
    assert 'bibob|voorvoegsel|"van"' in dijk["prov_values"]
    assert not [v for v in dijk["prov_values"] if v.startswith("kvk|voorvoegsel|")]
    assert 'kvk|geslachtsnaam|"Dijk"' in dijk["prov_values"]


def test_the_same_full_file_twice_changes_nothing(
    store: Store, files: dict[str, Path]
) -> None:
    _load(store, files["before"], DAY1, full=True)
    first = _load(store, files["after"], DAY2, full=True)
    before = _without_runs(store)
    second = _load(store, files["after"], DAY2, full=True)
    assert _without_runs(store) == before
    assert (first.ended_relationships, second.ended_relationships) == (2, 0)
    assert (first.ended_nodes, second.ended_nodes) == (1, 0)
    assert first.run != second.run
    # every fact of the file carries the last run that saw it
    stamp = f"kvk|{second.stamp}"
    assert second.stamp == load_run_stamp(second.run) and len(stamp) == 14
    assert all(stamp in n["prov_run"] for u, n in nodes(store, runs=True).items() if u != BOS)


def test_a_refused_file_ends_nothing(store: Store, files: dict[str, Path]) -> None:
    _load(store, files["before"], DAY1, full=True)
    before = _without_runs(store)
    with pytest.raises(LoadError):
        _load(store, files["bad"], DAY2, full=True)
    assert _without_runs(store) == before
    assert _fires(store, DAY2)[0] == {BOS}
    with pytest.raises(ValueError):  # a full extract loads whole or not at all
        sync(store, spec_for("kvk"), [files["bad"]], today=DAY2, full=True,
             skip_invalid=True)


def test_a_municipality_s_full_bibob_extract_ends_only_its_own_dossiers(
    store: Store, tmp_path: Path
) -> None:
    other = [{**r, "dossier_id": "2026-0202", "gemeentecode": "GM0119"} for r in BIBOB]
    both = write_csv(tmp_path / "both.csv", [*BIBOB, *other], BIBOB_COLUMNS)
    only_other = write_csv(tmp_path / "meppel.csv", other[:1], BIBOB_COLUMNS)
    _load(store, both, DAY1, full=True, source="bibob")
    report = _load(store, only_other, DAY2, full=True, source="bibob")
    rels = relationships(store)
    ended = {(s, t, e, k) for (s, t, e, k), p in rels.items() if "ended_on" in p}
    # Meppel's extract no longer names Van Dijk in its dossier; Westerveld's dossier
    # (GM1701) is not Meppel's to end
    assert {x for x in ended if x[1] == "PARTY_TO"} == {
        (DIJK, "PARTY_TO", "dossier:2026-0202", x[3]) for x in rels
        if x[:3] == (DIJK, "PARTY_TO", "dossier:2026-0202")}
    assert report.ended_relationships == 1
    # the Bibob relation derived from her party follows it, in Meppel's dossier only
    derived = {k: p for k, p in rels.items() if k[1] == "BIBOB_RELATION" and k[0] == DIJK}
    assert {k[3].split("|")[0]: "ended_on" in p for k, p in derived.items()} == {
        "2026-0202": True, "2026-0101": False}
    assert "unseen_since" not in nodes(store)[DIJK]  # still in Westerveld's dossier
    # seen again in the next full extract of Meppel: active again, derived relation too
    _load(store, both, DAY3, full=True, source="bibob")
    assert not [p for p in relationships(store).values() if "ended_on" in p]


def test_retention_removes_the_nodes_no_source_sees(
    store: Store, files: dict[str, Path], today_is: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(tmp_path / "data"))
    _load(store, files["before"], DAY1, full=True)
    _load(store, files["after"], DAY2, full=True)
    today_is(DAY2)
    found = retention.plan(store, DAY2)
    assert found.deleted_uids() == [BOS]
    retention.apply(store, DAY2, audit=AuditTrail.open(load_settings()))
    got = nodes(store)
    assert BOS not in got and DIJK in got and "kvk:60000002" in got
    assert not [k for k in _rels(store) if k[0] == BOS]


def test_runs_are_recorded_and_listed(
    store: Store, files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(tmp_path / "data"))
    lend_store(monkeypatch, store)
    runner = CliRunner()
    out = runner.invoke(cli, ["load", "kvk", str(files["before"]), "--json", "--no-hits"])
    assert out.exit_code == 0, out.output
    out = runner.invoke(cli, ["load", "kvk", str(files["after"]), "--volledig", "--json"])
    assert out.exit_code == 0, out.output
    loaded = json.loads(out.output)
    assert loaded["full"] and loaded["ended_relationships"] == 2
    out = runner.invoke(cli, ["runs", "--json"])
    assert out.exit_code == 0, out.output
    listed = json.loads(out.output)
    assert [(r["source"], r["full"]) for r in listed] == [("kvk", True), ("kvk", False)]
    last = listed[0]
    assert last["uid"] == loaded["run"] and last["by"].startswith("os:")
    assert last["rows_read"] == 2 and len(last["file_hashes"][0]) == 64
    assert last["facts"]["relationships"]["ended"] == 2
    assert last["facts"]["nodes"]["ended"] == 1
    assert listed[1]["facts"]["relationships"]["ended"] == 0
    assert listed[1]["facts"]["nodes"]["new"] == 5  # 2 organisations, 2 persons, 1 address
    out = runner.invoke(cli, ["runs", "show", last["uid"], "--json"])
    assert out.exit_code == 0, out.output
    shown = json.loads(out.output)
    assert shown["hit_run"] and shown["facts"] == last["facts"]
    out = runner.invoke(cli, ["runs", "show", last["uid"]])
    assert "volledig" in out.output and "beëindigd       2" in out.output
    out = runner.invoke(cli, ["runs", "show", "load:kvk:nooit"])
    assert out.exit_code != 0 and "geen lading" in out.output
    out = runner.invoke(cli, ["load", "kvk", str(files["after"]), "--volledig",
                              "--skip-invalid"])
    assert out.exit_code == 2 and "gaan niet samen" in out.output
