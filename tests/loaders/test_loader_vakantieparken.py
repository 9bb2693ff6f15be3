"""The vakantieparken loader against the real engines (formats.md §3, graph-model.md)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from graph_service.store import Store
from loaders import names, vakantieparken
from loaders.base import LoadError, LoadReport, sync
from tests.support.dump import nodes as nodes_of
from tests.support.dump import relationships, snapshot
from tests.support.xlsx import csv_to_xlsx

FIX = Path(__file__).parent.resolve().parent / "fixtures" / "vakantieparken"
TODAY = dt.date(2024, 5, 1)

Nodes = dict[str, dict[str, Any]]
Rels = dict[tuple[str, str, str, str], dict[str, Any]]


def load(store: Store, name: str | Path, today: dt.date = TODAY, **kw: Any) -> LoadReport:
    path = name if isinstance(name, Path) else FIX / name
    return sync(store, vakantieparken.SPEC, [path], today=today, **kw)


def dump(store: Store) -> tuple[Nodes, Rels]:
    return nodes_of(store), relationships(store)


def label_of(node: dict[str, Any]) -> str:
    (label,) = [lb for lb in node["_labels"] if lb != "Entity"]
    return str(label)


def node_set(nodes: Nodes) -> set[tuple[str, str]]:
    return {(label_of(n), uid) for uid, n in nodes.items()}


def rel_set(rels: Rels) -> set[tuple[str, str, str]]:
    return {(s, t, e) for s, t, e, _ in rels}


def pid(vn: str, vv: str | None, gn: str, gd: str) -> str:
    return names.person_uid(names.person_key(vn, vv, gn, gd))


JAN = pid("Jan", "van der", "Berg", "1980-03-15")
AGNIESZKA = pid("Agnieszka", None, "Kowalska", "1992-08-30")
PIETER = pid("Pieter", None, "de Vries", "1955-07-01")
PARK_ADDR = "addr:7991AB12"
UNIT_ADDR = "addr:bag:1701030000000112"


# -- (a) exact graph ------------------------------------------------------------------------
def test_exact_nodes_and_relationships(store: Store) -> None:
    report = load(store, "parken.csv")
    nodes, rels = dump(store)
    assert node_set(nodes) == {
        ("HolidayPark", "park:VP-07"),
        ("HolidayPark", "park:VP-09"),
        ("Address", PARK_ADDR),
        ("Address", UNIT_ADDR),
        ("Address", "addr:8384EV5"),
        ("Organisation", "kvk:68750110"),
        ("Organisation", "kvk:69599084"),
        ("Organisation", "kvk:12345678"),
        ("ParkUnit", "unit:VP-07/112"),
        ("ParkUnit", "unit:VP-07/113"),
        ("ParkUnit", "unit:VP-09/A1"),
        ("Person", JAN),
        ("Person", AGNIESZKA),
        ("Person", PIETER),
    }
    assert rel_set(rels) == {
        ("park:VP-07", "LOCATED_AT", PARK_ADDR),
        ("park:VP-09", "LOCATED_AT", "addr:8384EV5"),
        ("kvk:68750110", "OPERATES", "park:VP-07"),
        ("kvk:68750110", "OPERATES", "park:VP-09"),
        ("unit:VP-07/112", "UNIT_OF", "park:VP-07"),
        ("unit:VP-07/113", "UNIT_OF", "park:VP-07"),
        ("unit:VP-09/A1", "UNIT_OF", "park:VP-09"),
        ("unit:VP-07/112", "LOCATED_AT", UNIT_ADDR),
        ("kvk:69599084", "OWNS", "unit:VP-07/112"),
        (PIETER, "OWNS", "unit:VP-07/113"),
        ("kvk:68750110", "OWNS", "unit:VP-09/A1"),
        (JAN, "OCCUPIES", "unit:VP-07/112"),
        (AGNIESZKA, "OCCUPIES", "unit:VP-07/112"),
        (JAN, "EMPLOYED_BY", "kvk:12345678"),
        (AGNIESZKA, "EMPLOYED_BY", "kvk:12345678"),
    }
    assert report.rows_read == 5 and report.rows_refused == 0
    assert report.nodes_created["ParkUnit"] == 3

    park = nodes["park:VP-07"]
    assert (park["park_id"], park["name"], park["permanente_bewoning_toegestaan"],
            park["vitaliteit"]) == ("VP-07", "Vakantiepark De Hulsebrink", False,
                                    "vergane_glorie")
    park9 = nodes["park:VP-09"]
    assert (park9["permanente_bewoning_toegestaan"], park9["vitaliteit"]) == (True, "vitaal")
    unit = nodes["unit:VP-07/112"]
    assert (unit["park_id"], unit["eenheid_id"], unit["eenheid_type"], unit["bag_id"],
            unit["name"]) == ("VP-07", "112", "chalet", "1701030000000112", "VP-07 / 112")
    assert nodes["unit:VP-07/113"]["eenheid_type"] == "stacaravan"
    assert "bag_id" not in nodes["unit:VP-07/113"]
    addr = nodes[PARK_ADDR]
    assert (addr["postcode"], addr["huisnummer"], addr["plaats"], addr["bag_id"]) == (
        "7991AB", 12, "Dwingeloo", "1701010000000712")
    # a unit address known only by its BAG id
    assert nodes[UNIT_ADDR]["bag_id"] == "1701030000000112"
    assert "postcode" not in nodes[UNIT_ADDR]
    # an owner organisation known only by KvK number: its name falls back to the uid
    owner = nodes["kvk:69599084"]
    assert (owner["kvk_nummer"], owner["name"], owner["land"]) == (
        "69599084", "kvk:69599084", "NL")
    jan = nodes[JAN]
    assert (jan["name"], jan["voorvoegsel"], jan["geslachtsnaam"], jan["geboortedatum"],
            jan["nationaliteit"]) == ("Jan van der Berg", "van der", "Berg", "1980-03-15", "NL")
    assert nodes[AGNIESZKA]["nationaliteit"] == "PL"
    pieter = nodes[PIETER]
    assert (pieter["voorvoegsel"], pieter["geslachtsnaam"], pieter["land"]) == (
        "de", "Vries", "DE")
    assert "nationaliteit" not in pieter
    occ = rels[(JAN, "OCCUPIES", "unit:VP-07/112", "")]
    assert (occ["brp"], occ["since"]) == (True, "2021-04-01")
    occ2 = rels[(AGNIESZKA, "OCCUPIES", "unit:VP-07/112", "")]
    assert occ2["brp"] is False and "since" not in occ2


# -- (b) provenance -------------------------------------------------------------------------
def test_provenance_on_nodes_and_relationships(store: Store) -> None:
    load(store, "parken.csv")
    nodes, rels = dump(store)
    for item in [*nodes.values(), *rels.values()]:
        assert item["sources"] == ["vakantieparken"]
        assert item["purposes"] == ["municipal"]
        assert item["grades"] == ["B2"]
        assert (item["first_seen"], item["last_seen"]) == ("2024-05-01", "2024-05-01")
    src = "vakantieparken:"
    assert set(nodes["park:VP-07"]["source_records"]) == {
        src + "VP-07", src + "VP-07/112", src + "VP-07/113"}
    assert nodes["unit:VP-07/112"]["source_records"] == [src + "VP-07/112"]
    assert set(nodes["kvk:68750110"]["source_records"]) == {src + "VP-07", src + "VP-09/A1"}
    assert rels[("kvk:68750110", "OPERATES", "park:VP-07", "")]["source_records"] == [
        src + "VP-07"]
    assert rels[(JAN, "OCCUPIES", "unit:VP-07/112", "")]["source_records"] == [
        src + "VP-07/112"]


# -- (c) idempotence ------------------------------------------------------------------------
def test_loading_twice_changes_nothing(store: Store) -> None:
    load(store, "parken.csv")
    before = snapshot(store)
    again = load(store, "parken.csv")
    assert snapshot(store) == before
    assert sum(again.nodes_created.values()) == 0
    assert sum(again.rels_created.values()) == 0


# -- (d) newer and older extracts -----------------------------------------------------------
def test_newer_extract_updates_older_does_not(store: Store) -> None:
    load(store, "parken.csv")
    nodes0, rels0 = dump(store)
    load(store, "parken_nieuw.csv", today=dt.date(2024, 10, 1))
    nodes, rels = dump(store)
    assert node_set(nodes) == node_set(nodes0)
    assert set(rels) == set(rels0)
    park = nodes["park:VP-07"]
    assert park["vitaliteit"] == "buffer_woningmarkt"
    assert park["permanente_bewoning_toegestaan"] is False  # empty cell does not erase
    assert (park["first_seen"], park["last_seen"]) == ("2024-05-01", "2024-09-01")
    assert park["grades"] == ["B2", "C3"]
    occ = rels[(JAN, "OCCUPIES", "unit:VP-07/112", "")]
    assert occ["brp"] is False and occ["since"] == "2021-04-01"
    assert (occ["first_seen"], occ["last_seen"]) == ("2024-05-01", "2024-09-01")
    # untouched facts keep their dates
    assert nodes["park:VP-09"]["last_seen"] == "2024-05-01"

    load(store, "parken_oud.csv", today=dt.date(2024, 10, 1))
    park = dump(store)[0]["park:VP-07"]
    assert park["vitaliteit"] == "buffer_woningmarkt"
    assert (park["first_seen"], park["last_seen"]) == ("2024-01-01", "2024-09-01")


# -- Excel export: cp1252, ';', other header case, DD-MM-YYYY --------------------------------
def test_excel_cp1252_semicolon(store: Store) -> None:
    assert "Ç".encode("cp1252") in (FIX / "parken_excel.csv").read_bytes()
    load(store, "parken_excel.csv")
    nodes, rels = dump(store)
    muller = pid("Jürgen", None, "Müller", "1960-02-03")
    celik = pid("Emre", None, "Çelik", "1988-11-12")
    assert node_set(nodes) == {
        ("HolidayPark", "park:VP-12"), ("Address", "addr:8381AB7"),
        ("ParkUnit", "unit:VP-12/C-3"), ("Person", muller), ("Person", celik),
    }
    assert rel_set(rels) == {
        ("park:VP-12", "LOCATED_AT", "addr:8381AB7"),
        ("unit:VP-12/C-3", "UNIT_OF", "park:VP-12"),
        (muller, "OWNS", "unit:VP-12/C-3"),
        (celik, "OCCUPIES", "unit:VP-12/C-3"),
    }
    park = nodes["park:VP-12"]
    assert (park["name"], park["vitaliteit"], park["permanente_bewoning_toegestaan"]) == (
        "Camping 't Vledderveen", "middensegment", False)
    assert (nodes[celik]["name"], nodes[celik]["geboortedatum"],
            nodes[celik]["nationaliteit"]) == ("Emre Çelik", "1988-11-12", "TR")
    assert (nodes[muller]["geslachtsnaam"], nodes[muller]["land"]) == ("Müller", "DE")
    occ = rels[(celik, "OCCUPIES", "unit:VP-12/C-3", "")]
    assert (occ["brp"], occ["since"]) == (True, "2023-09-01")


# -- (e) refused files ----------------------------------------------------------------------
def test_header_problems_refuse_the_file(store: Store) -> None:
    path = FIX / "fout_kop.csv"
    with pytest.raises(LoadError) as err:
        load(store, path)
    assert {(p.file, p.row, p.column) for p in err.value.problems} == {
        (str(path), 1, "Bewoner_BSN"),
        (str(path), 1, "park_naam"),
    }
    assert "BSN" in str(err.value)
    assert dump(store) == ({}, {})


def test_all_cell_problems_reported_and_nothing_written(store: Store) -> None:
    path = FIX / "fout_waarden.csv"
    with pytest.raises(LoadError) as err:
        load(store, path)
    found = {(p.row, p.column) for p in err.value.problems}
    assert found == {
        (3, "park_postcode"),           # first digit 0
        (4, "exploitant_kvk"),          # 7 digits
        (5, "park_bag_id"),             # object type 99
        (6, "inschrijfdatum"),          # 30 February
        (7, "vitaliteit"),              # not in the enumeration
        (8, "eenheid_type"),            # not in the enumeration
        (9, "bewoner_geslachtsnaam"),   # person without surname
        (10, "permanente_bewoning_toegestaan"),  # not a boolean
        (11, "eigenaar_kvk"),           # organisation without KvK number
        (12, "eenheid_id"),             # occupant on a park-only row
        (13, "eigenaar_type"),          # unknown party type
        (14, "park_id"),                # required value empty
        (15, "bewoner_nationaliteit"),  # not ISO alpha-2
        (16, "park_huisnummer"),        # postcode without huisnummer
        (17, "eenheid_bag_id"),         # two problems in one row ...
        (17, "bewoner_geboortedatum"),  # ... both reported
        (18, "werkgever_kvk"),          # employer without occupant
        (19, "eigenaar_kvk"),           # KvK number on a person
    }
    assert all(p.file == str(path) for p in err.value.problems)
    messages: dict[tuple[int, str], str] = {}
    for p in err.value.problems:
        messages[(p.row, p.column)] = messages.get((p.row, p.column), "") + p.message + "\n"
    assert "verwacht 8 cijfers" in messages[(4, "exploitant_kvk")]
    assert "bestaat niet" in messages[(6, "inschrijfdatum")]
    assert "burgemeestersprobleem" in messages[(7, "vitaliteit")]
    assert f"{path}:17:eenheid_bag_id:" in str(err.value)
    assert dump(store) == ({}, {})


def test_skip_invalid_loads_valid_rows_and_writes_rejects(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "gemengd.csv"
    shutil.copy(FIX / "gemengd.csv", path)
    report = load(store, path, skip_invalid=True)
    assert (report.rows_read, report.rows_refused) == (3, 1)
    reject = tmp_path / "gemengd.afgewezen.csv"
    assert report.reject_files == [str(reject)]
    with reject.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:4] == ["rij", "redenen", "park_id", "park_naam"]
    assert len(rows) == 2
    assert rows[1][0] == "3" and rows[1][1].startswith("eigenaar_kvk: ongeldig KvK-nummer")
    assert "6959908" in rows[1]
    nodes, rels = dump(store)
    assert node_set(nodes) == {
        ("HolidayPark", "park:VP-07"), ("HolidayPark", "park:VP-09"),
        ("ParkUnit", "unit:VP-07/112"), ("ParkUnit", "unit:VP-09/A1"), ("Person", JAN),
    }
    assert rel_set(rels) == {
        ("unit:VP-07/112", "UNIT_OF", "park:VP-07"),
        ("unit:VP-09/A1", "UNIT_OF", "park:VP-09"),
        (JAN, "OCCUPIES", "unit:VP-07/112"),
    }


# -- (g) name variants ----------------------------------------------------------------------
def test_name_variants_merge_and_namesakes_are_no_candidates(store: Store) -> None:
    report = load(store, "namen.csv")
    nodes, rels = dump(store)
    jan81 = pid("Jan", "van der", "Berg", "1981-07-20")
    muller = pid("Jürgen", None, "Müller", "1960-02-03")
    persons = {uid for label, uid in node_set(nodes) if label == "Person"}
    assert persons == {JAN, jan81, muller}
    assert rel_set(rels) == {
        *((f"unit:VP-20/{i}", "UNIT_OF", "park:VP-20") for i in range(1, 7)),
        (JAN, "OCCUPIES", "unit:VP-20/1"),
        (JAN, "OCCUPIES", "unit:VP-20/2"),   # "J." + "Berg, van der" + 15-03-1980
        (JAN, "OCCUPIES", "unit:VP-20/3"),   # "v.d. Berg"
        (muller, "OWNS", "unit:VP-20/4"),
        (muller, "OCCUPIES", "unit:VP-20/5"),  # "MULLER" without umlaut, DD-MM-YYYY
        (jan81, "OCCUPIES", "unit:VP-20/6"),
    }
    # same name, unrelated birth date (1980-03-15 / 1981-07-20): a namesake, no candidate
    assert report.candidates == 0
    assert not [k for k in rels if k[1] == "POSSIBLE_SAME_AS"]
    # the last row of the file wins for a value written differently ("J." then "Jan")
    assert (nodes[JAN]["voornamen"], nodes[JAN]["name"]) == ("Jan", "Jan van der Berg")
    assert nodes[JAN]["voorvoegsel"] == "van der"
    assert set(nodes[JAN]["source_records"]) == {
        "vakantieparken:VP-20/1", "vakantieparken:VP-20/2", "vakantieparken:VP-20/3"}
    # rows that spell one person differently still load idempotently
    before = snapshot(store)
    load(store, "namen.csv")
    assert snapshot(store) == before


# -- the first sheet of an .xlsx with the same header loads the same graph --------------------
def test_xlsx_loads_like_csv(store: Store, tmp_path: Path) -> None:
    load(store, "parken.csv")
    expected = snapshot(store)
    store.write("write/delete_all")
    xlsx = tmp_path / "parken.xlsx"
    csv_to_xlsx(FIX / "parken.csv", xlsx)
    load(store, xlsx)
    assert snapshot(store) == expected
