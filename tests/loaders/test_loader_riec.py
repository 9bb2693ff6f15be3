"""The RIEC signals loader (formats.md §5) against the real engines.

Hand-made fixtures under ``tests/fixtures/riec/``; the whole graph is read back with
``read/all_nodes`` and ``read/all_relationships`` and compared as exact sets.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from graph_service.store import Store
from loaders import names, riec
from loaders.base import LoadError, LoadReport, sync
from loaders.reader import open_table
from loaders.values import parse_date
from tests.support.dump import RUN_STAMP

FIX = Path(__file__).parent.resolve().parent / "fixtures" / "riec"
TODAY = dt.date(2025, 6, 30)

BERG = names.person_uid("berg|j|1980-05-12")
BERG_1981 = names.person_uid("berg|j|1981-01-01")
CELIK = names.person_uid("celik|m|1975-11-03")
S193, S194 = "signal:RIEC-2025-0193", "signal:RIEC-2025-0194"
ORG, ADDR = "kvk:01234567", "addr:7991AB12-A"
PARK, OBJ = "park:PARK-01", "object:SCH-0042"
PROVENANCE = {"sources", "source_records", "grades", "purposes", "first_seen", "last_seen"}

Nodes = dict[str, dict[str, Any]]
Rels = dict[tuple[str, str, str, str | None], dict[str, Any]]


# -- helpers --------------------------------------------------------------------------------
def load(store: Store, *files: str | Path, today: dt.date = TODAY,
         skip_invalid: bool = False) -> LoadReport:
    paths = [f if isinstance(f, Path) else FIX / f for f in files]
    return sync(store, riec.SPEC, paths, skip_invalid=skip_invalid, today=today)


def dump(store: Store) -> tuple[Nodes, Rels]:
    """The whole graph: nodes by uid, relationships by (start, type, end, key).

    Engine-specific keys (``_start``/``_end`` are not filled on FalkorDB) are dropped.
    """
    nodes = {
        row["uid"]: {k: v for k, v in row["node"].items() if k not in ("_labels", RUN_STAMP)}
        | {"labels": sorted(set(row["labels"]) - {"Entity"})}
        for row in store.read("read/all_nodes")
    }
    rels: Rels = {}
    for row in store.read("read/all_relationships"):
        props = {k: v for k, v in row["rel"].items()
                 if not k.startswith("_") and k != RUN_STAMP}
        ident = (row["start"], row["type"], row["end"], props.get("key"))
        assert ident not in rels, f"duplicate relationship {ident}"
        rels[ident] = props
    return nodes, rels


def node_set(nodes: Nodes) -> set[tuple[str, str]]:
    return {(uid, "/".join(n["labels"])) for uid, n in nodes.items()}


def rel_set(rels: Rels) -> set[tuple[str, str, str, str | None]]:
    return set(rels)


def own(props: dict[str, Any]) -> dict[str, Any]:
    """A record's properties without provenance, aggregated or per source (and without
    the merge key)."""
    return {k: v for k, v in props.items()
            if k not in PROVENANCE | {"key"} and not k.startswith("prov_")}


def prov(props: dict[str, Any]) -> dict[str, Any]:
    return {k: props.get(k) for k in sorted(PROVENANCE)}


def expected_prov(record: str, grade: str, seen: str) -> dict[str, Any]:
    return {
        "first_seen": seen, "last_seen": seen, "grades": [grade], "purposes": ["riec"],
        "source_records": [f"riec:{record}"], "sources": ["riec"],
    }


# -- (a) exact nodes and relationships ------------------------------------------------------
def test_exact_nodes_and_relationships(store: Store) -> None:
    report = load(store, "signals.csv")
    nodes, rels = dump(store)

    assert node_set(nodes) == {
        (S193, "Signal"), (S194, "Signal"), (BERG, "Person"), (ORG, "Organisation"),
        (ADDR, "Address"), (PARK, "HolidayPark"), (OBJ, "RuralObject"),
    }
    assert rel_set(rels) == {
        (S193, "CONCERNS", BERG, "subject"),
        (S193, "CONCERNS", ORG, "betrokkene"),
        (S193, "CONCERNS", ADDR, "locatie"),
        (S194, "CONCERNS", PARK, "subject"),  # empty rol -> subject
        (S194, "CONCERNS", OBJ, "locatie"),
    }
    assert own(nodes[S193]) == {
        "uid": S193, "labels": ["Signal"], "name": "RIEC-2025-0193 (politie, drugs)",
        "signaal_id": "RIEC-2025-0193", "ontvangstdatum": "2025-03-04", "partner": "politie",
        "thema": "drugs", "omschrijving": "Hennepgeur, ramen afgeplakt",
        "status": "in_behandeling", "casus_id": "CAS-2025-007", "bewaren_tot": "2030-03-04",
    }
    # the second row of 0194 has no omschrijving: it does not erase the first row's
    assert own(nodes[S194]) == {
        "uid": S194, "labels": ["Signal"], "name": "RIEC-2025-0194 (gemeente, vakantiepark)",
        "signaal_id": "RIEC-2025-0194", "ontvangstdatum": "2025-04-10", "partner": "gemeente",
        "thema": "vakantiepark", "omschrijving": "Veel wisselende bewoners",
        "status": "ontvangen",
    }
    person = own(nodes[BERG])
    assert {k: person[k] for k in ("voornamen", "voorvoegsel", "geslachtsnaam",
                                   "geboortedatum", "name", "name_key")} == {
        "voornamen": "Jan", "voorvoegsel": "van der", "geslachtsnaam": "Berg",
        "geboortedatum": "1980-05-12", "name": "Jan van der Berg",
        "name_key": "berg|j|1980-05-12",
    }
    assert own(nodes[ORG]) == {"uid": ORG, "labels": ["Organisation"], "kvk_nummer": "01234567",
                               "name": ORG}
    addr = own(nodes[ADDR])
    assert {k: addr.get(k) for k in ("postcode", "huisnummer", "toevoeging", "bag_id")} == {
        "postcode": "7991AB", "huisnummer": 12, "toevoeging": "A", "bag_id": "1701010000012345",
    }
    # stubs: only their identifier (details come from the schuren / vakantieparken files)
    assert own(nodes[OBJ]) == {"uid": OBJ, "labels": ["RuralObject"], "object_id": "SCH-0042",
                               "name": OBJ}
    assert own(nodes[PARK]) == {"uid": PARK, "labels": ["HolidayPark"], "park_id": "PARK-01",
                                "name": PARK}
    # role and retention on every CONCERNS
    assert own(rels[(S193, "CONCERNS", BERG, "subject")]) == {
        "role": "subject", "bewaren_tot": "2030-03-04"}
    assert own(rels[(S193, "CONCERNS", ADDR, "locatie")]) == {
        "role": "locatie", "bewaren_tot": "2030-03-04"}
    assert own(rels[(S194, "CONCERNS", PARK, "subject")]) == {"role": "subject"}

    assert report.rows_read == 5 and report.rows_refused == 0
    assert report.nodes_created == {"Signal": 2, "Person": 1, "Organisation": 1, "Address": 1,
                                    "HolidayPark": 1, "RuralObject": 1}
    assert report.rels_created == {"CONCERNS": 5}


def test_one_signal_three_entities_is_one_signal_with_three_concerns(store: Store) -> None:
    load(store, "signals.csv")
    nodes, rels = dump(store)
    assert [uid for uid in nodes if uid.startswith("signal:")] == [S193, S194]
    assert sorted((end, key) for (start, _, end, key) in rels if start == S193) == sorted(
        [(BERG, "subject"), (ORG, "betrokkene"), (ADDR, "locatie")])
    assert nodes[S193]["source_records"] == ["riec:RIEC-2025-0193"]


# -- (b) provenance ---------------------------------------------------------------------------
def test_provenance_and_grades_from_file(store: Store) -> None:
    load(store, "signals.csv")
    nodes, rels = dump(store)
    a2 = expected_prov("RIEC-2025-0193", "A2", "2025-06-01")  # graded A2, peildatum given
    x6 = expected_prov("RIEC-2025-0194", "X6", TODAY.isoformat())  # no grade, no peildatum
    for uid in (S193, BERG, ORG, ADDR):
        assert prov(nodes[uid]) == a2, uid
    for uid in (S194, PARK, OBJ):
        assert prov(nodes[uid]) == x6, uid
    for (start, _, _, _), props in rels.items():
        assert prov(props) == (a2 if start == S193 else x6)


def test_partial_grades_take_the_default_for_the_missing_half(store: Store) -> None:
    load(store, "grades.csv")
    nodes, rels = dump(store)
    assert {uid: n["grades"] for uid, n in nodes.items() if uid.startswith("signal:")} == {
        "signal:RIEC-2025-0220": ["B6"],  # B, info empty
        "signal:RIEC-2025-0221": ["X3"],  # x (lower case), 3
        "signal:RIEC-2025-0222": ["X4"],  # bron empty, 4
    }
    assert {end: r["grades"] for (_, _, end, _), r in rels.items()} == {
        "park:PARK-20": ["B6"], "park:PARK-21": ["X3"], "park:PARK-22": ["X4"]}


def test_two_signals_on_one_entity_collect_both_records_and_grades(store: Store) -> None:
    load(store, "signals.csv", "signals_excel_cp1252.csv")
    nodes, _ = dump(store)
    assert sorted(nodes[BERG]["source_records"]) == ["riec:RIEC-2025-0193", "riec:RIEC-2025-0201"]
    assert sorted(nodes[BERG]["grades"]) == ["A2", "B3"]


# -- file variants ------------------------------------------------------------------------------
def test_semicolon_bom_mixed_case_and_xlsx_give_the_same_graph(
    store: Store, tmp_path: Path
) -> None:
    load(store, "signals.csv")
    reference = dump(store)

    store.write("write/delete_all")
    load(store, "signals_semicolon.csv")
    assert dump(store) == reference

    xlsx = tmp_path / "signals.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    with (FIX / "signals.csv").open(encoding="utf-8", newline="") as fh:
        for i, values in enumerate(csv.reader(fh)):
            cells: list[Any] = list(values)
            if i:  # a real date cell, as Excel stores it
                cells[1] = dt.date.fromisoformat(parse_date(cells[1]))
            sheet.append(cells)
    book.save(xlsx)
    store.write("write/delete_all")
    load(store, xlsx)
    assert dump(store) == reference


def test_cp1252_excel_file(store: Store) -> None:
    table = open_table(FIX / "signals_excel_cp1252.csv")
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    load(store, "signals_excel_cp1252.csv")
    nodes, rels = dump(store)
    signal = nodes["signal:RIEC-2025-0201"]
    assert signal["omschrijving"] == "Contante aankopen café"
    assert signal["ontvangstdatum"] == "2025-05-02" and signal["bewaren_tot"] == "2027-05-02"
    assert signal["status"] == "casus" and signal["grades"] == ["B3"]
    assert nodes[CELIK]["geslachtsnaam"] == "Çelik"
    assert nodes[CELIK]["name_key"] == "celik|m|1975-11-03"
    assert rel_set(rels) == {
        ("signal:RIEC-2025-0201", "CONCERNS", CELIK, "subject"),
        ("signal:RIEC-2025-0201", "CONCERNS", BERG, "betrokkene"),  # "Berg, van der"
    }


# -- (c) idempotence, (d) newer extract -----------------------------------------------------------
def test_loading_twice_changes_nothing(store: Store) -> None:
    load(store, "signals.csv", "signals_excel_cp1252.csv", "persons_variants.csv")
    first = dump(store)
    again = load(store, "signals.csv", "signals_excel_cp1252.csv", "persons_variants.csv")
    assert dump(store) == first
    assert sum(again.nodes_created.values()) == 0
    assert sum(again.rels_created.values()) == 0


def test_newer_extract_updates_values_and_last_seen(store: Store) -> None:
    today = dt.date(2025, 9, 30)
    load(store, "signals.csv", today=today)
    before_nodes, before_rels = dump(store)
    load(store, "signals_update.csv", today=today)
    nodes, rels = dump(store)

    assert node_set(nodes) == node_set(before_nodes)
    assert rel_set(rels) == rel_set(before_rels)
    changed_nodes = {uid for uid in nodes if nodes[uid] != before_nodes[uid]}
    changed_rels = {key for key in rels if rels[key] != before_rels[key]}
    assert changed_nodes == {S193, BERG, ORG, ADDR}
    assert changed_rels == {key for key in rels if key[0] == S193}

    assert nodes[S193]["status"] == "afgesloten"
    assert nodes[S193]["bewaren_tot"] == "2031-03-04"
    assert (nodes[S193]["first_seen"], nodes[S193]["last_seen"]) == ("2025-06-01", "2025-09-01")
    for uid in (BERG, ORG, ADDR):
        assert own(nodes[uid]) == own(before_nodes[uid])
        assert (nodes[uid]["first_seen"], nodes[uid]["last_seen"]) == ("2025-06-01",
                                                                        "2025-09-01")
    for key in changed_rels:
        assert rels[key]["bewaren_tot"] == "2031-03-04"
        assert (rels[key]["first_seen"], rels[key]["last_seen"]) == ("2025-06-01", "2025-09-01")
        assert rels[key]["source_records"] == ["riec:RIEC-2025-0193"]


def test_newer_extract_updates_the_sources_own_provenance(store: Store) -> None:
    # the per-source provenance (docs/graph-model.md) follows the newer extract as the
    # merged values do: its dates widen, its own values are replaced, nothing is doubled
    today = dt.date(2025, 9, 30)
    load(store, "signals.csv", today=today)
    load(store, "signals_update.csv", today=today)
    nodes, rels = dump(store)
    signal = nodes[S193]
    assert signal["prov_seen"] == ["riec|2025-06-01|2025-09-01"]
    assert 'riec|status|"afgesloten"' in signal["prov_values"]
    assert 'riec|bewaren_tot|"2031-03-04"' in signal["prov_values"]
    keys = ["|".join(v.split("|", 2)[:2]) for v in signal["prov_values"]]
    assert len(keys) == len(set(keys)), "one own value per source and property"
    assert not any("in_behandeling" in v or "2030-03-04" in v for v in signal["prov_values"])
    concerns = rels[(S193, "CONCERNS", BERG, "subject")]
    assert concerns["prov_seen"] == ["riec|2025-06-01|2025-09-01"]
    assert 'riec|bewaren_tot|"2031-03-04"' in concerns["prov_values"]
    assert not any("2030-03-04" in v for v in concerns["prov_values"])


def test_older_extract_after_newer_keeps_the_newer_values(store: Store) -> None:
    today = dt.date(2025, 9, 30)
    load(store, "signals_update.csv", today=today)
    load(store, "signals.csv", today=today)
    nodes, rels = dump(store)
    assert nodes[S193]["status"] == "afgesloten"
    assert nodes[S193]["bewaren_tot"] == "2031-03-04"
    assert (nodes[S193]["first_seen"], nodes[S193]["last_seen"]) == ("2025-06-01", "2025-09-01")
    assert rels[(S193, "CONCERNS", BERG, "subject")]["bewaren_tot"] == "2031-03-04"
    assert nodes[S193]["prov_seen"] == ["riec|2025-06-01|2025-09-01"]
    assert 'riec|status|"afgesloten"' in nodes[S193]["prov_values"]
    assert not any("in_behandeling" in v for v in nodes[S193]["prov_values"])


# -- (e) bad files ------------------------------------------------------------------------------
BAD_ROWS = {
    (3, "kvk_nummer"),  # 7 digits (and so no valid KvK number for an organisatie)
    (4, "kvk_nummer"),  # organisatie without kvk_nummer
    (5, "geslachtsnaam"),  # persoon with an empty person group
    (6, "geslachtsnaam"),  # persoon with a first name and birth date, no surname
    (7, "postcode"),  # adres without postcode + huisnummer or bag_id
    (8, "huisnummer"),  # postcode without huisnummer
    (9, "postcode"),  # postcode starting with 0
    (10, "bag_id"), (10, "postcode"),  # unknown BAG object type; so no address at all
    (11, "object_id"),  # object without object_id
    (12, "park_id"),  # vakantiepark without park_id
    (13, "ontvangstdatum"),  # 31-02-2025
    (14, "bewaren_tot"),  # before ontvangstdatum
    (15, "partner"), (16, "thema"), (17, "status"), (18, "entiteit_type"), (19, "rol"),
    (20, "betrouwbaarheid_bron"), (20, "betrouwbaarheid_info"),  # G, 7
    (21, "signaal_id"),  # empty
    (22, "peildatum"),  # in the future
    (23, "geboortedatum"),  # month 13
}


def test_bad_file_reports_every_problem_and_writes_nothing(store: Store) -> None:
    path = FIX / "signals_bad.csv"
    with pytest.raises(LoadError) as info:
        load(store, path)
    problems = info.value.problems
    assert {p.file for p in problems} == {str(path)}
    assert {(p.row, p.column) for p in problems} == BAD_ROWS
    by_cell = {(p.row, p.column): p.message for p in problems}
    assert "ongeldige waarde voor partner 'interpol'" in by_cell[(15, "partner")]
    assert "bestaat niet" in by_cell[(13, "ontvangstdatum")]
    assert "ligt voor ontvangstdatum" in by_cell[(14, "bewaren_tot")]
    assert "organisatie" in by_cell[(4, "kvk_nummer")]
    assert str(problems[0]).startswith(f"{path}:3:kvk_nummer: ")
    assert dump(store) == ({}, {})


def test_bsn_column_and_missing_required_column_refuse_the_file(store: Store) -> None:
    path = FIX / "signals_bsn.csv"
    with pytest.raises(LoadError) as info:
        load(store, path)
    assert {(p.file, p.row, p.column) for p in info.value.problems} == {
        (str(path), 1, "BSN"), (str(path), 1, "thema")}
    assert dump(store) == ({}, {})


def test_a_bad_file_after_a_good_one_in_the_same_call_writes_nothing(store: Store) -> None:
    with pytest.raises(LoadError):
        load(store, "signals.csv", "signals_bad.csv")
    assert dump(store) == ({}, {})


# -- (f) skip_invalid ---------------------------------------------------------------------------
def test_skip_invalid_loads_valid_rows_and_writes_rejects(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "signals_bad.csv"
    shutil.copy(FIX / "signals_bad.csv", path)
    report = load(store, path, skip_invalid=True)

    assert report.rows_read == 23 and report.rows_refused == 21
    nodes, rels = dump(store)
    assert node_set(nodes) == {
        ("signal:RIEC-2025-0300", "Signal"), ("kvk:12345678", "Organisation"),
        ("signal:RIEC-2025-0301", "Signal"), ("park:PARK-02", "HolidayPark"),
    }
    assert rel_set(rels) == {
        ("signal:RIEC-2025-0300", "CONCERNS", "kvk:12345678", "subject"),
        ("signal:RIEC-2025-0301", "CONCERNS", "park:PARK-02", "subject"),
    }
    rejects = tmp_path / "signals_bad.afgewezen.csv"
    assert report.reject_files == [str(rejects)]
    with rejects.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["rij"]) for r in rows] == sorted({row for row, _ in BAD_ROWS})
    for r in rows:
        expected_cols = {col for row, col in BAD_ROWS if row == int(r["rij"])}
        assert all(r["redenen"].startswith(f"{c}: ") or f"; {c}: " in r["redenen"]
                   for c in expected_cols), r
    assert rows[0]["signaal_id"] == "RIEC-2025-0302" and rows[0]["kvk_nummer"] == "1234567"


# -- (g) persons: variants that merge and look-alikes that must not --------------------------------
def test_name_variants_merge_and_other_birth_date_is_no_candidate(store: Store) -> None:
    load(store, "signals.csv", "signals_excel_cp1252.csv", "persons_variants.csv")
    nodes, rels = dump(store)

    persons = {uid for uid, n in nodes.items() if n["labels"] == ["Person"]}
    assert persons == {BERG, CELIK, BERG_1981}
    # "van der" column, "Berg, van der", "v.d. Berg", DD-MM-YYYY: one person
    assert {start for (start, _, end, _) in rels if end == BERG} == {
        S193, "signal:RIEC-2025-0201", "signal:RIEC-2025-0210", "signal:RIEC-2025-0211"}
    # "Çelik" (cp1252) and "Celik" (UTF-8): one person
    assert {start for (start, _, end, _) in rels if end == CELIK} == {
        "signal:RIEC-2025-0201", "signal:RIEC-2025-0212"}
    assert {start for (start, t, end, _) in rels if end == BERG_1981 and t == "CONCERNS"} == {
        "signal:RIEC-2025-0213"}
    assert nodes[BERG]["voorvoegsel"] == "van der" and nodes[BERG]["geslachtsnaam"] == "Berg"

    # same name, unrelated birth date (1980-05-12 / 1981-01-01): two persons, and a
    # namesake is not proposed for review either
    assert [k for k in rels if k[1] == "POSSIBLE_SAME_AS"] == []


def test_persons_without_birth_date_never_merge_across_signals(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "zonder_geboortedatum.csv"
    path.write_text(
        "signaal_id,ontvangstdatum,partner,thema,entiteit_type,rol,voornamen,geslachtsnaam\n"
        "RIEC-2025-0500,2025-05-01,politie,drugs,persoon,subject,Kees,Jansen\n"
        "RIEC-2025-0500,2025-05-01,politie,drugs,persoon,betrokkene,Kees,Jansen\n"
        "RIEC-2025-0501,2025-05-02,politie,drugs,persoon,subject,Kees,Jansen\n",
        encoding="utf-8",
    )
    load(store, path)
    nodes, rels = dump(store)
    persons = sorted(uid for uid, n in nodes.items() if n["labels"] == ["Person"])
    assert len(persons) == 2  # one per signal; the two rows of 0500 are one mention
    concerns = {(s, e, k) for (s, t, e, k) in rels if t == "CONCERNS"}
    (p500,) = {e for (s, e, _) in concerns if s == "signal:RIEC-2025-0500"}
    (p501,) = {e for (s, e, _) in concerns if s == "signal:RIEC-2025-0501"}
    assert p500 != p501
    assert concerns == {("signal:RIEC-2025-0500", p500, "subject"),
                        ("signal:RIEC-2025-0500", p500, "betrokkene"),
                        ("signal:RIEC-2025-0501", p501, "subject")}
    same_as = [v for k, v in rels.items() if k[1] == "POSSIBLE_SAME_AS"]
    assert len(same_as) == 1 and same_as[0]["score"] == pytest.approx(0.65)
    assert "geboortedatum ontbreekt" in same_as[0]["reason"]
