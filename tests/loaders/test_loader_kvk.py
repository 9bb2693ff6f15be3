"""The KvK loader on both engines: exact graph, name variants, provenance, bad files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from graph_service.store import Store
from loaders import names
from loaders.base import LoadError, sync
from loaders.kvk import SPEC
from tests.support.dump import nodes, relationships, snapshot

FIX = Path(__file__).parent.parent / "fixtures" / "kvk"
TODAY = dt.date(2026, 11, 27)
HEADER = (FIX / "kvk_variants.csv").read_text(encoding="utf-8").splitlines()[0]


def pid(first: str, surname: str, born: str, vv: str = "") -> str:
    return names.person_uid(names.person_key(first, vv, surname, born))


HART = pid("Pieter", "Hart", "1965-07-12", "'t")
CELIK = pid("Mehmet", "Celik", "1980-01-02")
JANSEN_70 = pid("Jan", "Jansen", "1970-05-05")
JANSEN_72 = pid("Jan", "Jansen", "1972-05-05")


@pytest.mark.parametrize("fixture", ["kvk_variants.csv", "kvk_excel_cp1252.csv"])
def test_exact_graph_with_name_variants(store: Store, fixture: str) -> None:
    report = sync(store, SPEC, [FIX / fixture], today=TODAY)
    assert report.rows_read == 6 and report.rows_refused == 0
    got = nodes(store)
    kinds = {u: next(x for x in n["_labels"] if x != "Entity") for u, n in got.items()}
    assert {u: k for u, k in kinds.items() if k != "Organisation"} == {
        HART: "Person", CELIK: "Person", JANSEN_70: "Person", JANSEN_72: "Person",
        "addr:7941AB3": "Address", "addr:7942KL8-B": "Address", "addr:9411AA1": "Address",
    }
    assert {u for u in got if u.startswith("kvk:")} == {f"kvk:9000001{i}" for i in range(1, 6)}
    assert got[CELIK]["name"] in ("Mehmet Çelik", "M. Celik")
    assert got["addr:7941AB3"]["bag_id"] == "0119010000000003"
    assert got["kvk:90000014"]["status"] == "opgeheven"
    rels = relationships(store)
    assert {(s, t, e) for s, t, e, _ in rels} == {
        ("kvk:90000011", "REGISTERED_AT", "addr:7941AB3"),
        ("kvk:90000012", "REGISTERED_AT", "addr:7941AB3"),
        ("kvk:90000013", "REGISTERED_AT", "addr:7942KL8-B"),
        ("kvk:90000014", "REGISTERED_AT", "addr:7942KL8-B"),
        ("kvk:90000015", "REGISTERED_AT", "addr:9411AA1"),
        (HART, "FUNCTIONARY_OF", "kvk:90000011"),
        (HART, "FUNCTIONARY_OF", "kvk:90000012"),
        (CELIK, "FUNCTIONARY_OF", "kvk:90000013"),
        (CELIK, "FUNCTIONARY_OF", "kvk:90000014"),
        (JANSEN_70, "FUNCTIONARY_OF", "kvk:90000015"),
        (JANSEN_72, "FUNCTIONARY_OF", "kvk:90000015"),
        (min(JANSEN_70, JANSEN_72), "POSSIBLE_SAME_AS", max(JANSEN_70, JANSEN_72)),
    }
    ended = rels[(CELIK, "FUNCTIONARY_OF", "kvk:90000014", "bestuurder|2021-01-01")]
    assert (ended["role"], ended["valid_from"], ended["valid_to"]) == (
        "bestuurder", "2021-01-01", "2023-06-30")
    assert ended["sources"] == ["kvk"] and ended["grades"] == ["A1"]
    assert ended["source_records"] == ["kvk:90000014"] and ended["purposes"] == ["open"]
    assert ended["first_seen"] == ended["last_seen"] == "2025-06-01"
    candidate = rels[(min(JANSEN_70, JANSEN_72), "POSSIBLE_SAME_AS", max(JANSEN_70, JANSEN_72), "")]
    assert 0 < candidate["score"] < 1 and candidate["reason"]


def test_loading_twice_changes_nothing(store: Store) -> None:
    sync(store, SPEC, [FIX / "kvk_variants.csv"], today=TODAY)
    before = snapshot(store)
    report = sync(store, SPEC, [FIX / "kvk_variants.csv"], today=TODAY)
    assert snapshot(store) == before
    assert sum(report.nodes_created.values()) == sum(report.rels_created.values()) == 0


def test_newer_extract_updates_instead_of_duplicating(store: Store, tmp_path: Path) -> None:
    sync(store, SPEC, [FIX / "kvk_variants.csv"], today=TODAY)
    newer = (FIX / "kvk_variants.csv").read_text(encoding="utf-8")
    newer = newer.replace("2025-06-01", "2026-01-15").replace(
        "90000013,Transport Celik,eenmanszaak,,4941,2020-01-01,,actief",
        "90000013,Transport Celik,eenmanszaak,,4941,2020-01-01,2025-12-31,failliet")
    (tmp_path / "kvk.csv").write_text(newer, encoding="utf-8")
    before_nodes, before_rels = nodes(store), relationships(store)
    sync(store, SPEC, [tmp_path / "kvk.csv"], today=TODAY)
    after_nodes, after_rels = nodes(store), relationships(store)
    assert after_nodes.keys() == before_nodes.keys() and after_rels.keys() == before_rels.keys()
    org = after_nodes["kvk:90000013"]
    assert (org["status"], org["datum_einde"]) == ("failliet", "2025-12-31")
    assert (org["first_seen"], org["last_seen"]) == ("2025-06-01", "2026-01-15")
    # the older extract loaded afterwards does not roll the newer facts back
    sync(store, SPEC, [FIX / "kvk_variants.csv"], today=TODAY)
    assert nodes(store)["kvk:90000013"]["status"] == "failliet"



def test_merging_facts_again_leaves_no_marker(store: Store, tmp_path: Path) -> None:
    """A merge marks the facts it finds stored (merge_pending) and clears the mark in the
    same statement, also when the row is older than the fact (the branch that restores
    the stored properties)."""
    sync(store, SPEC, [FIX / "kvk_variants.csv"], today=TODAY)
    newer = (FIX / "kvk_variants.csv").read_text(encoding="utf-8").replace(
        "2025-06-01", "2026-01-15")
    (tmp_path / "kvk.csv").write_text(newer, encoding="utf-8")
    sync(store, SPEC, [tmp_path / "kvk.csv"], today=TODAY)
    sync(store, SPEC, [FIX / "kvk_variants.csv"], today=TODAY)  # older than what is stored
    facts = [*nodes(store).values(), *relationships(store).values()]
    assert len(facts) > 20
    assert [f for f in facts if "merge_pending" in f] == []

BAD = {
    "bsn": (HEADER + ",bsn\n" + "90000011,A,bv,,,,,,,,,,,,,,,,,,,,,,,111222333\n",
            [(1, "bsn")]),
    "missing_required_column": (HEADER.replace("naam,", "") + "\n", [(1, "naam")]),
    "bad_identifiers": (
        HEADER + "\n"
        "9000001,A,bv,123456789,,,,,,3,,7941AB,,12,,,,,,,,,,,\n"
        "90000011,B,bv,,,,,,,3,,0941SA,,,,,,,,,,,,,\n",
        [(2, "kvk_nummer"), (2, "rsin"), (2, "adres_bag_id"), (3, "adres_postcode")],
    ),
    "impossible_dates": (
        HEADER + "\n90000011,A,bv,,,2023-02-30,,,,,,,,,,,,,,,,,,,\n"
        "90000012,B,bv,,,2020-01-01,2019-01-01,,,,,,,,,,,,,,,,,,\n",
        [(2, "datum_aanvang"), (3, "datum_einde")],
    ),
    "unknown_enumeration": (
        HEADER + "\n90000011,A,plc,,,,,slapend,,,,,,,persoon,,Jan,,Berg,1970-01-01,baas,,,,\n",
        [(2, "rechtsvorm"), (2, "status"), (2, "functie")],
    ),
    "person_without_surname": (
        HEADER + "\n90000011,A,bv,,,,,,,,,,,,persoon,,Jan,,,1970-01-01,bestuurder,,,,\n",
        [(2, "functionaris_geslachtsnaam")],
    ),
    "empty_required_value": (HEADER + "\n,A,bv,,,,,,,,,,,,,,,,,,,,,,\n", [(2, "kvk_nummer")]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_file_names_every_problem_and_writes_nothing(
    store: Store, tmp_path: Path, case: str
) -> None:
    text, expected = BAD[case]
    path = tmp_path / f"{case}.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as err:
        sync(store, SPEC, [FIX / "kvk_variants.csv", path], today=TODAY)
    found = {(p.row, p.column) for p in err.value.problems}
    assert set(expected) <= found, err.value.problems
    for p in err.value.problems:
        assert str(p).startswith(f"{path}:{p.row}:{p.column}: ")
    assert nodes(store) == {}  # not even the good file before it was written


def test_skip_invalid_loads_valid_rows_and_writes_rejects(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    good = (FIX / "kvk_variants.csv").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*good[:3], "9000001,Kapot,bv" + "," * 22, *good[3:]]) + "\n",
                    encoding="utf-8")
    report = sync(store, SPEC, [path], skip_invalid=True, today=TODAY)
    assert (report.rows_read, report.rows_refused) == (7, 1)
    assert "kvk:9000001" not in nodes(store) and "kvk:90000015" in nodes(store)
    rejects = (tmp_path / "mixed.afgewezen.csv").read_text(encoding="utf-8").splitlines()
    assert len(rejects) == 2 and rejects[1].startswith("4,kvk_nummer:")


def test_xlsx_first_sheet_loads_like_the_csv(store: Store, tmp_path: Path) -> None:
    import csv

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    with (FIX / "kvk_variants.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    wb.save(tmp_path / "kvk.xlsx")
    sync(store, SPEC, [tmp_path / "kvk.xlsx"], today=TODAY)
    from_xlsx = snapshot(store)
    store.write("write/delete_all")
    sync(store, SPEC, [FIX / "kvk_variants.csv"], today=TODAY)
    assert snapshot(store) == from_xlsx


def test_interrupted_load_reruns_to_the_same_graph(store: Store, tmp_path: Path) -> None:
    src = tmp_path / "kvk.csv"
    shutil.copy(FIX / "kvk_variants.csv", src)
    sync(store, SPEC, [src], today=TODAY, batch_size=2)
    complete = snapshot(store)
    store.write("write/delete_all")

    class Killed(Exception):
        pass

    def die_after_first_batch(done: int) -> None:
        raise Killed

    with pytest.raises(Killed):
        sync(store, SPEC, [src], today=TODAY, batch_size=2, progress=die_after_first_batch)
    assert 0 < len(nodes(store)) < len(complete[0])
    sync(store, SPEC, [src], today=TODAY, batch_size=2)
    assert snapshot(store) == complete


def test_embedded_engine_restart_between_batches_loses_nothing(tmp_path: Path) -> None:
    from graph_service.config import load_settings
    from graph_service.store import open_store

    embedded = open_store(load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)}))
    try:
        sync(embedded, SPEC, [FIX / "kvk_variants.csv"], today=TODAY, batch_size=2)
        complete = snapshot(embedded)
        embedded.write("write/delete_all")
        sync(embedded, SPEC, [FIX / "kvk_variants.csv"], today=TODAY, batch_size=2,
             progress=lambda done: embedded.restart())  # type: ignore[attr-defined]
        assert snapshot(embedded) == complete
    finally:
        embedded.close()
