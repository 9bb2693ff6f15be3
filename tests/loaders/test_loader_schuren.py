"""The schuren loader against the real engines (formats.md §4, graph-model.md)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from graph_service.store import Store
from loaders import names, schuren
from loaders.base import LoadError, LoadReport, sync
from loaders.values import ValueInvalid
from tests.support.dump import nodes as nodes_of
from tests.support.dump import relationships, snapshot
from tests.support.xlsx import csv_to_xlsx

FIX = Path(__file__).parent.resolve().parent / "fixtures" / "schuren"
TODAY = dt.date(2024, 5, 1)

Nodes = dict[str, dict[str, Any]]
Rels = dict[tuple[str, str, str, str], dict[str, Any]]


def load(store: Store, name: str | Path, today: dt.date = TODAY, **kw: Any) -> LoadReport:
    path = name if isinstance(name, Path) else FIX / name
    return sync(store, schuren.SPEC, [path], today=today, **kw)


def dump(store: Store) -> tuple[Nodes, Rels]:
    return nodes_of(store), relationships(store)


def label_of(node: dict[str, Any]) -> str:
    (label,) = [lb for lb in node["_labels"] if lb != "Entity"]
    return str(label)


def node_set(nodes: Nodes) -> set[tuple[str, str]]:
    return {(label_of(n), uid) for uid, n in nodes.items()}


def pid(vn: str, vv: str | None, gn: str, gd: str) -> str:
    return names.person_uid(names.person_key(vn, vv, gn, gd))


MULDER = pid("Hendrik", None, "Mulder", "1958-11-02")
BAKKER = pid("Kees", None, "Bakker", "1990-01-01")
S42, S43, S44 = "object:SCH-0042", "object:SCH-0043", "object:SCH-0044"
TENANT = "kvk:12345678"


def valid_on(rel: dict[str, Any], day: str) -> bool:
    return (rel.get("valid_from") is None or rel["valid_from"] <= day) and (
        rel.get("valid_to") is None or rel["valid_to"] >= day)


# -- (a) exact graph ------------------------------------------------------------------------
def test_exact_nodes_and_relationships(store: Store) -> None:
    report = load(store, "schuren.csv")
    nodes, rels = dump(store)
    assert node_set(nodes) == {
        ("RuralObject", S42), ("RuralObject", S43), ("RuralObject", S44),
        ("Address", "addr:7991PB3"), ("Address", "addr:8385AC14-BIS"),
        ("Person", MULDER), ("Person", BAKKER),
        ("Organisation", TENANT), ("Organisation", "kvk:69599084"),
    }
    assert set(rels) == {
        (S42, "LOCATED_AT", "addr:7991PB3", ""),
        (S44, "LOCATED_AT", "addr:8385AC14-BIS", ""),
        (MULDER, "OWNS", S42, ""),
        (MULDER, "OWNS", S44, ""),          # "H. Mulder", 02-11-1958: the same person
        ("kvk:69599084", "OWNS", S43, ""),
        (TENANT, "RENTS", S42, "2023-06-01"),
        (BAKKER, "RENTS", S42, "2021-01-01"),
        (TENANT, "RENTS", S44, ""),          # a tenancy without start date
    }
    assert (report.rows_read, report.rows_refused) == (4, 0)

    shed = nodes[S42]
    assert {k: shed[k] for k in ("object_id", "objecttype", "kadastraal_perceel",
                                 "oppervlakte_m2", "leegstaand_sinds",
                                 "eigenaar_agrarisch_actief", "laatste_controle",
                                 "bevinding", "name")} == {
        "object_id": "SCH-0042", "objecttype": "schuur", "kadastraal_perceel": "DWL00 K 1234",
        "oppervlakte_m2": 450, "leegstaand_sinds": "2022-01-01",
        "eigenaar_agrarisch_actief": "stoppend", "laatste_controle": "2024-02-10",
        "bevinding": "geen", "name": "schuur SCH-0042, Dwingeloo",
    }
    # perceel normalised, "1.250" read as thousands, no address: name without plaats
    loods = nodes[S43]
    assert (loods["kadastraal_perceel"], loods["oppervlakte_m2"], loods["name"],
            loods["eigenaar_agrarisch_actief"], loods["bevinding"]) == (
        "DWL00 L 87", 1250, "loods SCH-0043", "nee", "dumping")
    assert nodes[S44]["oppervlakte_m2"] == 37.5
    addr = nodes["addr:8385AC14-BIS"]
    assert (addr["postcode"], addr["huisnummer"], addr["toevoeging"], addr["plaats"]) == (
        "8385AC", 14, "BIS", "Vledder")
    assert nodes["addr:7991PB3"]["bag_id"] == "1701100000004242"
    # an owner organisation known only by KvK number: its name falls back to the uid
    assert nodes["kvk:69599084"]["name"] == "kvk:69599084"
    assert nodes[TENANT]["name"] == TENANT

    rent = rels[(TENANT, "RENTS", S42, "2023-06-01")]
    assert {k: rent.get(k) for k in ("rent_pm", "payment", "declared_use", "valid_from",
                                     "valid_to")} == {
        "rent_pm": 2500.0, "payment": "contant", "declared_use": "opslag caravans",
        "valid_from": "2023-06-01", "valid_to": None,
    }
    old = rels[(BAKKER, "RENTS", S42, "2021-01-01")]
    assert (old["rent_pm"], old["payment"], old["valid_from"], old["valid_to"],
            old["declared_use"]) == (400.0, "bank", "2021-01-01", "2022-12-31", "opslag hooi")
    assert not valid_on(old, "2024-01-01") and valid_on(rent, "2024-01-01")
    open_rent = rels[(TENANT, "RENTS", S44, "")]
    assert (open_rent["rent_pm"], open_rent["payment"]) == (1500.0, "onbekend")
    assert "valid_from" not in open_rent


# -- (b) provenance -------------------------------------------------------------------------
def test_provenance_on_nodes_and_relationships(store: Store) -> None:
    load(store, "schuren.csv")
    nodes, rels = dump(store)
    for item in [*nodes.values(), *rels.values()]:
        assert item["sources"] == ["schuren"]
        assert item["purposes"] == ["municipal"]
        assert item["grades"] == ["B2"]
        assert (item["first_seen"], item["last_seen"]) == ("2024-05-01", "2024-05-01")
    assert nodes[S42]["source_records"] == ["schuren:SCH-0042"]
    assert set(nodes[MULDER]["source_records"]) == {"schuren:SCH-0042", "schuren:SCH-0044"}
    assert set(nodes[TENANT]["source_records"]) == {"schuren:SCH-0042", "schuren:SCH-0044"}
    assert rels[(TENANT, "RENTS", S44, "")]["source_records"] == ["schuren:SCH-0044"]


# -- (c) idempotence ------------------------------------------------------------------------
def test_loading_twice_changes_nothing(store: Store) -> None:
    load(store, "schuren.csv")
    before = snapshot(store)
    again = load(store, "schuren.csv")
    assert snapshot(store) == before
    assert sum(again.nodes_created.values()) == 0
    assert sum(again.rels_created.values()) == 0


# -- (d) newer and older extracts -----------------------------------------------------------
def test_newer_extract_updates_and_adds_a_tenancy(store: Store) -> None:
    load(store, "schuren.csv")
    nodes0, rels0 = dump(store)
    load(store, "schuren_nieuw.csv", today=dt.date(2024, 10, 1))
    nodes, rels = dump(store)
    assert node_set(nodes) == node_set(nodes0)
    # one new tenancy (same tenant and shed, other start date); nothing else new
    assert set(rels) - set(rels0) == {(TENANT, "RENTS", S42, "2024-07-01")}
    shed = nodes[S42]
    assert (shed["bevinding"], shed["laatste_controle"]) == ("hennep", "2024-08-15")
    assert (shed["name"], shed["oppervlakte_m2"]) == ("schuur SCH-0042, Dwingeloo", 450)
    assert (shed["first_seen"], shed["last_seen"]) == ("2024-05-01", "2024-09-01")
    ended = rels[(TENANT, "RENTS", S42, "2023-06-01")]
    assert (ended["valid_to"], ended["rent_pm"], ended["declared_use"]) == (
        "2024-06-30", 2500.0, "opslag caravans")
    assert (ended["first_seen"], ended["last_seen"]) == ("2024-05-01", "2024-09-01")
    new = rels[(TENANT, "RENTS", S42, "2024-07-01")]
    assert (new["rent_pm"], new["valid_from"], new["first_seen"]) == (
        3000.0, "2024-07-01", "2024-09-01")
    current = [k for k, r in rels.items() if k[1] == "RENTS" and k[2] == S42
               and valid_on(r, "2024-08-01")]
    assert current == [(TENANT, "RENTS", S42, "2024-07-01")]
    assert nodes[S43]["last_seen"] == "2024-05-01"

    load(store, "schuren_oud.csv", today=dt.date(2024, 10, 1))
    shed = dump(store)[0][S42]
    assert (shed["bevinding"], shed["laatste_controle"]) == ("hennep", "2024-08-15")
    assert (shed["first_seen"], shed["last_seen"]) == ("2023-01-01", "2024-09-01")


# -- Excel export: cp1252, ';', other header case, Dutch dates and amounts -------------------
def test_excel_cp1252_semicolon(store: Store) -> None:
    assert "Ç".encode("cp1252") in (FIX / "schuren_excel.csv").read_bytes()
    load(store, "schuren_excel.csv")
    nodes, rels = dump(store)
    muller = pid("Jürgen", None, "Müller", "1966-05-14")
    celik = pid("Emre", None, "Çelik", "1988-11-12")
    assert node_set(nodes) == {
        ("RuralObject", "object:SCH-0050"), ("Address", "addr:7963AA8"),
        ("Person", muller), ("Person", celik),
    }
    assert set(rels) == {
        ("object:SCH-0050", "LOCATED_AT", "addr:7963AA8", ""),
        (muller, "OWNS", "object:SCH-0050", ""),
        (celik, "RENTS", "object:SCH-0050", "2024-03-01"),
    }
    stal = nodes["object:SCH-0050"]
    assert (stal["name"], stal["objecttype"], stal["eigenaar_agrarisch_actief"],
            stal["kadastraal_perceel"]) == ("stal SCH-0050, Ruinen", "stal", "stoppend",
                                            "RNN00 B 77")
    assert (nodes[celik]["name"], nodes[muller]["geslachtsnaam"]) == ("Emre Çelik", "Müller")
    rent = rels[(celik, "RENTS", "object:SCH-0050", "2024-03-01")]
    assert (rent["rent_pm"], rent["payment"], rent["valid_from"], rent["declared_use"]) == (
        1800.0, "contant", "2024-03-01", "opslag wijn")


# -- (e) refused files ----------------------------------------------------------------------
def test_header_problems_refuse_the_file(store: Store) -> None:
    path = FIX / "fout_kop.csv"
    with pytest.raises(LoadError) as err:
        load(store, path)
    assert {(p.file, p.row, p.column) for p in err.value.problems} == {
        (str(path), 1, "BSN eigenaar"),
        (str(path), 1, "object_id"),
    }
    assert dump(store) == ({}, {})


def test_all_cell_problems_reported_and_nothing_written(store: Store) -> None:
    path = FIX / "fout_waarden.csv"
    with pytest.raises(LoadError) as err:
        load(store, path)
    found = {(p.row, p.column) for p in err.value.problems}
    assert found == {
        (3, "objecttype"),                  # unknown enumeration value
        (4, "eigenaar_agrarisch_actief"),   # only ja/nee/stoppend
        (5, "betaalwijze"),
        (6, "bevinding"),
        (7, "kadastraal_perceel"),          # not <AAA00> <sectie> <nummer>
        (8, "postcode"),                    # SS is not issued
        (9, "bag_id"),                      # 15 digits
        (10, "huur_pm"),                    # negative amount
        (11, "huur_eind"),                  # before huur_start
        (12, "leegstaand_sinds"),           # month 13
        (13, "eigenaar_geslachtsnaam"),     # person without surname
        (14, "huurder_type"),               # unknown party type
        (15, "huur_pm"),                    # tenancy without tenant ...
        (15, "betaalwijze"),                # ... every column named
        (16, "oppervlakte_m2"),
        (17, "object_id"),                  # required value empty
        (18, "eigenaar_kvk"),               # 7 digits
        (19, "huurder_type"),               # KvK number without party type
        (20, "huisnummer"),                 # 0 ...
        (20, "toevoeging"),                 # ... and a space: both reported
    }
    messages: dict[tuple[int, str], str] = {}
    for p in err.value.problems:
        messages[(p.row, p.column)] = messages.get((p.row, p.column), "") + p.message + "\n"
    assert "ligt voor huur_start" in messages[(11, "huur_eind")]
    assert "SS" in messages[(8, "postcode")]
    assert "voorloopnul" in messages[(18, "eigenaar_kvk")]
    assert f"{path}:15:betaalwijze:" in str(err.value)
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
    assert rows[0][:3] == ["rij", "redenen", "object_id"]
    assert [r[0] for r in rows[1:]] == ["3"]
    assert rows[1][1].startswith("bevinding: ongeldige waarde voor bevinding 'wiet'")
    assert rows[1][2] == "SCH-0043"
    nodes, rels = dump(store)
    assert node_set(nodes) == {
        ("RuralObject", S42), ("RuralObject", S44), ("Address", "addr:7991PB3"),
        ("Person", MULDER), ("Organisation", "kvk:69599084"),
    }
    assert set(rels) == {
        (S42, "LOCATED_AT", "addr:7991PB3", ""),
        (MULDER, "OWNS", S42, ""),
        ("kvk:69599084", "OWNS", S44, ""),
    }


# -- (g) name variants ----------------------------------------------------------------------
def test_name_variants_merge_and_namesakes_are_no_candidates(store: Store) -> None:
    report = load(store, "namen.csv")
    nodes, rels = dump(store)
    jan = pid("Jan", "van der", "Berg", "1980-03-15")
    jan75 = pid("Jan", "van der", "Berg", "1975-10-01")
    muller = pid("Jürgen", None, "Müller", "1966-05-14")
    assert {uid for label, uid in node_set(nodes) if label == "Person"} == {jan, jan75, muller}
    assert set(rels) == {
        (jan, "RENTS", "object:SCH-0101", "2022-01-01"),
        (jan, "RENTS", "object:SCH-0102", ""),       # "J." + "Berg, van der" + 15-03-1980
        (jan, "OWNS", "object:SCH-0103", ""),        # "V.D. Berg"
        (muller, "OWNS", "object:SCH-0104", ""),     # "Jurgen Muller" = "Jürgen Müller"
        (muller, "RENTS", "object:SCH-0104", ""),
        (jan75, "RENTS", "object:SCH-0105", ""),     # same name, other birth date
    }
    # 1980-03-15 / 1975-10-01: a namesake, not a look-alike: no POSSIBLE_SAME_AS
    assert report.candidates == 0
    assert nodes[jan]["voornamen"] == "Jan"  # the last row wins over "J."
    before = snapshot(store)
    load(store, "namen.csv")
    assert snapshot(store) == before
    assert nodes[jan75]["voorvoegsel"] == "van der"
    assert nodes[jan75]["geslachtsnaam"] == "Berg"


# -- the area parser --------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("450", 450), ("1.250", 1250), ("37,5", 37.5), ("1250.75", 1250.75), ("1.250,5", 1250.5),
])
def test_oppervlakte(text: str, expected: float) -> None:
    assert schuren.oppervlakte(text) == expected


@pytest.mark.parametrize("text", ["0", "-5", "groot", "12 m2x"])
def test_oppervlakte_refused(text: str) -> None:
    with pytest.raises(ValueInvalid, match="oppervlakte"):
        schuren.oppervlakte(text)


# -- the first sheet of an .xlsx with the same header loads the same graph --------------------
def test_xlsx_loads_like_csv(store: Store, tmp_path: Path) -> None:
    load(store, "schuren.csv")
    expected = snapshot(store)
    store.write("write/delete_all")
    xlsx = tmp_path / "schuren.xlsx"
    csv_to_xlsx(FIX / "schuren.csv", xlsx)
    load(store, xlsx)
    assert snapshot(store) == expected
