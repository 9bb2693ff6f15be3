"""The Bibob loader on both engines: exact graph, derived party relations, provenance,
idempotence, newer extracts, bad files, skip_invalid and name variants."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest

from graph_service.store import Store
from loaders import names
from loaders.base import LoadError, sync
from loaders.bibob import SPEC
from tests.support.dump import nodes, relationships

FIX = Path(__file__).parent.parent / "fixtures" / "bibob"
TODAY = dt.date(2024, 7, 1)


def pid(first: str, surname: str, born: str, vv: str = "") -> str:
    return names.person_uid(names.person_key(first, vv, surname, born))


def sha16(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


JAN = pid("Jan", "Berg", "1970-03-15", "van der")
JAN_82 = pid("Jan", "Berg", "1982-11-02", "van der")
PIET = pid("Piet", "Vries", "1960-01-01", "de")
MEHMET = pid("Mehmet", "Celik", "1985-07-20")
JURGEN = pid("Jürgen", "Müller", "1975-05-05")
HANS = pid("Hans", "Schmidt", "1965-09-09")
BRINK = "kvk:12345678"
HOLDING = "kvk:87654321"
ALPEN = "org:" + sha16("alpen finanz gmbh|DE")  # no KvK number: folded name + land
ALPEN_ADDR = "addr:DE:" + sha16("DE|80331|5|")
D12, D31 = "dossier:2024-0012", "dossier:2024-0031"
PROVENANCE = ("sources", "source_records", "grades", "purposes", "first_seen", "last_seen")


def kinds(store: Store) -> dict[str, str]:
    return {u: next(x for x in n["_labels"] if x != "Entity") for u, n in nodes(store).items()}


def edges(store: Store) -> set[tuple[str, str, str, str]]:
    return set(relationships(store))


def canon(store: Store) -> tuple[Any, Any]:
    """The whole graph with list properties sorted (row order may differ between loads)."""

    def props(p: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(sorted((k, tuple(sorted(v)) if isinstance(v, list) else v)
                            for k, v in p.items()))

    return (
        sorted((u, props(n)) for u, n in nodes(store).items()),
        sorted((k, props(r)) for k, r in relationships(store).items()),
    )


MAIN_NODES = {
    D12: "BibobDossier", D31: "BibobDossier",
    BRINK: "Organisation", HOLDING: "Organisation", ALPEN: "Organisation",
    JAN: "Person", PIET: "Person", MEHMET: "Person",
    "addr:7991AB12-A": "Address", "addr:7991AC3": "Address", "addr:8381AA1": "Address",
    "addr:7941AB10": "Address", ALPEN_ADDR: "Address",
}
MAIN_EDGES = {
    (D12, "LOCATED_AT", "addr:7991AB12-A", ""),
    (BRINK, "REGISTERED_AT", "addr:7991AB12-A", ""),
    (HOLDING, "REGISTERED_AT", "addr:8381AA1", ""),
    (ALPEN, "REGISTERED_AT", ALPEN_ADDR, ""),
    (JAN, "RESIDES_AT", "addr:7991AC3", ""),
    (MEHMET, "RESIDES_AT", "addr:7941AB10", ""),
    (BRINK, "PARTY_TO", D12, "P1|aanvrager|"),
    (JAN, "PARTY_TO", D12, "P2|bestuurder|P1"),
    (JAN, "PARTY_TO", D12, "P2|aandeelhouder|P3"),
    (HOLDING, "PARTY_TO", D12, "P3|aandeelhouder|P1"),
    (ALPEN, "PARTY_TO", D12, "P4|vermogensverschaffer|"),
    (PIET, "PARTY_TO", D12, "P5|verhuurder|"),
    (MEHMET, "PARTY_TO", D31, "P1|aanvrager|"),
    (JAN, "PARTY_TO", D31, "P2|gemachtigde|"),
    # derived: ten_aanzien_van, or the aanvrager when empty
    (JAN, "BIBOB_RELATION", BRINK, "2024-0012|bestuurder|P2"),
    (JAN, "BIBOB_RELATION", HOLDING, "2024-0012|aandeelhouder|P2"),
    (HOLDING, "BIBOB_RELATION", BRINK, "2024-0012|aandeelhouder|P3"),
    (PIET, "BIBOB_RELATION", BRINK, "2024-0012|verhuurder|P5"),
    (JAN, "BIBOB_RELATION", MEHMET, "2024-0031|gemachtigde|P2"),
    (ALPEN, "FINANCES", BRINK, "2024-0012|P4"),
}


# -- (a) the exact graph -----------------------------------------------------------------------
@pytest.mark.parametrize("fixture", ["dossiers.csv", "dossiers_comma.csv"])
def test_exact_graph(store: Store, fixture: str) -> None:
    report = sync(store, SPEC, [FIX / fixture], today=TODAY)
    assert report.rows_read == 8 and report.rows_refused == 0
    assert kinds(store) == MAIN_NODES
    assert edges(store) == MAIN_EDGES
    got = nodes(store)
    d12 = got[D12]
    assert {k: d12[k] for k in ("dossier_id", "gemeentecode", "aanvraagdatum", "vergunning_type",
                                "activiteit", "advies", "besluit", "name")} == {
        "dossier_id": "2024-0012", "gemeentecode": "GM1701", "aanvraagdatum": "2024-02-01",
        "vergunning_type": "alcoholwet", "activiteit": "horeca De Brink", "advies": "lopend",
        "besluit": "lopend", "name": "Bibob 2024-0012: horeca De Brink"}
    d31 = got[D31]
    assert (d31["name"], d31["besluit"], d31["besluit_datum"], d31["gemeentecode"]) == (
        "Bibob 2024-0031: exploitatie", "verleend", "2024-04-02", "GM0119")
    assert "activiteit" not in d31
    premises = got["addr:7991AB12-A"]
    assert (premises["postcode"], premises["huisnummer"], premises["toevoeging"],
            premises["bag_id"]) == ("7991AB", 12, "A", "1701010000012345")
    assert (got[JAN]["geslachtsnaam"], got[JAN]["voorvoegsel"], got[JAN]["geboortedatum"]) == (
        "Berg", "van der", "1970-03-15")
    assert got[MEHMET]["name"] == "Mehmet Çelik"
    assert (got[ALPEN]["name"], got[ALPEN]["land"]) == ("Alpen Finanz GmbH", "DE")
    assert (got[ALPEN_ADDR]["postcode"], got[ALPEN_ADDR]["land"]) == ("80331", "DE")
    assert got[BRINK]["kvk_nummer"] == "12345678"

    rels = relationships(store)
    aanvrager = rels[(BRINK, "PARTY_TO", D12, "P1|aanvrager|")]
    assert (aanvrager["role"], aanvrager["party_ref"]) == ("aanvrager", "P1")
    assert "relative_to" not in aanvrager
    bestuurder = rels[(JAN, "PARTY_TO", D12, "P2|bestuurder|P1")]
    assert (bestuurder["relative_to"], bestuurder["antecedenten_opgegeven"]) == ("P1", False)
    share = rels[(HOLDING, "PARTY_TO", D12, "P3|aandeelhouder|P1")]
    assert (share["share_pct"], share["antecedenten_opgegeven"]) == (100.0, True)
    assert rels[(PIET, "PARTY_TO", D12, "P5|verhuurder|")]["amount"] == 1250.5
    assert rels[(ALPEN, "PARTY_TO", D12, "P4|vermogensverschaffer|")]["amount"] == 250000.0
    jan_share = rels[(JAN, "BIBOB_RELATION", HOLDING, "2024-0012|aandeelhouder|P2")]
    assert (jan_share["role"], jan_share["dossier_id"], jan_share["share_pct"]) == (
        "aandeelhouder", "2024-0012", 60.0)
    gemachtigde = rels[(JAN, "BIBOB_RELATION", MEHMET, "2024-0031|gemachtigde|P2")]
    assert (gemachtigde["role"], gemachtigde["dossier_id"]) == ("gemachtigde", "2024-0031")
    assert "share_pct" not in gemachtigde
    loan = rels[(ALPEN, "FINANCES", BRINK, "2024-0012|P4")]
    assert (loan["amount"], loan["dossier_id"]) == (250000.0, "2024-0012")


def test_semicolon_and_comma_exports_give_the_same_graph(store: Store) -> None:
    """Upper-case/padded headers, BOM, DD-MM-YYYY, j/n, 1250.5 vs 1.250,50: no difference."""
    sync(store, SPEC, [FIX / "dossiers.csv"], today=TODAY)
    semicolon = canon(store)
    store.write("write/delete_all")
    sync(store, SPEC, [FIX / "dossiers_comma.csv"], today=TODAY)
    assert canon(store) == semicolon


def test_excel_cp1252_export(store: Store) -> None:
    report = sync(store, SPEC, [FIX / "dossiers_excel_cp1252.csv"], today=TODAY)
    assert report.rows_read == 3 and report.rows_refused == 0
    d45 = "dossier:2024-0045"
    vastgoed = "kvk:11223344"
    jurgen_addr = "addr:DE:" + sha16("DE|10115|1|")
    assert kinds(store) == {
        d45: "BibobDossier", vastgoed: "Organisation", JURGEN: "Person", MEHMET: "Person",
        "addr:9411AB5": "Address", jurgen_addr: "Address",
    }
    assert edges(store) == {
        (d45, "LOCATED_AT", "addr:9411AB5", ""),
        (vastgoed, "REGISTERED_AT", "addr:9411AB5", ""),
        (JURGEN, "RESIDES_AT", jurgen_addr, ""),
        (vastgoed, "PARTY_TO", d45, "P1|aanvrager|"),
        (JURGEN, "PARTY_TO", d45, "P2|uiteindelijk_belanghebbende|P1"),
        (MEHMET, "PARTY_TO", d45, "P3|zakelijke_relatie|"),
        (JURGEN, "BIBOB_RELATION", vastgoed, "2024-0045|uiteindelijk_belanghebbende|P2"),
        (MEHMET, "BIBOB_RELATION", vastgoed, "2024-0045|zakelijke_relatie|P3"),
    }
    got = nodes(store)
    assert (got[JURGEN]["name"], got[JURGEN]["geslachtsnaam"], got[JURGEN]["land"]) == (
        "Jürgen Müller", "Müller", "DE")
    assert got[vastgoed]["name"] == "Müller Vastgoed B.V."
    assert got[MEHMET]["geslachtsnaam"] == "Çelik"
    ubo = relationships(store)[
        (JURGEN, "BIBOB_RELATION", vastgoed, "2024-0045|uiteindelijk_belanghebbende|P2")]
    assert ubo["share_pct"] == 75.5
    # no peildatum column: the load date
    assert got[d45]["first_seen"] == got[d45]["last_seen"] == TODAY.isoformat()
    assert ubo["first_seen"] == ubo["last_seen"] == TODAY.isoformat()
    # the same Mehmet Çelik as in the other export: one person, both records
    sync(store, SPEC, [FIX / "dossiers.csv"], today=TODAY)
    assert sorted(nodes(store)[MEHMET]["source_records"]) == [
        "bibob:2024-0031/P1", "bibob:2024-0045/P3"]
    assert nodes(store)[MEHMET]["first_seen"] == "2024-03-01"


# -- (b) provenance ----------------------------------------------------------------------------
def test_provenance_on_nodes_and_relationships(store: Store) -> None:
    sync(store, SPEC, [FIX / "dossiers.csv"], today=TODAY)
    got = nodes(store)
    d12 = got[D12]
    assert d12["sources"] == ["bibob"] and d12["purposes"] == ["bibob"]
    assert sorted(d12["source_records"]) == [f"bibob:2024-0012/P{i}" for i in range(1, 6)]
    assert sorted(d12["grades"]) == ["B2", "C3"]  # P5's row is graded C3 in the file
    assert d12["first_seen"] == d12["last_seen"] == "2024-03-01"
    assert sorted(got[JAN]["source_records"]) == ["bibob:2024-0012/P2", "bibob:2024-0031/P2"]
    assert got[JAN]["grades"] == ["B2"]
    assert got[PIET]["grades"] == ["C3"] and got[PIET]["source_records"] == ["bibob:2024-0012/P5"]
    assert got[ALPEN]["source_records"] == ["bibob:2024-0012/P4"]

    rels = relationships(store)
    # asserted by every row of the dossier (several rows of one batch)
    located = rels[(D12, "LOCATED_AT", "addr:7991AB12-A", "")]
    assert sorted(located["source_records"]) == [f"bibob:2024-0012/P{i}" for i in range(1, 6)]
    assert sorted(located["grades"]) == ["B2", "C3"]
    assert located["first_seen"] == located["last_seen"] == "2024-03-01"
    verhuurder = rels[(PIET, "PARTY_TO", D12, "P5|verhuurder|")]
    assert {k: verhuurder[k] for k in PROVENANCE} == {
        "sources": ["bibob"], "source_records": ["bibob:2024-0012/P5"], "grades": ["C3"],
        "purposes": ["bibob"], "first_seen": "2024-03-01", "last_seen": "2024-03-01"}
    # a derived relation carries exactly the provenance of the declaring party's PARTY_TO
    for start, rtype, end, key in MAIN_EDGES:
        if rtype not in ("BIBOB_RELATION", "FINANCES"):
            continue
        if rtype == "FINANCES":
            dossier_id, ref = key.split("|")
            rol = "vermogensverschaffer"
        else:
            dossier_id, rol, ref = key.split("|")
        (declared,) = [r for (s, t, e, k), r in rels.items()
                       if (s, t, e) == (start, "PARTY_TO", f"dossier:{dossier_id}")
                       and k.startswith(f"{ref}|{rol}|")]
        derived = rels[(start, rtype, end, key)]
        assert {k: derived[k] for k in PROVENANCE} == {k: declared[k] for k in PROVENANCE}
    assert rels[(PIET, "BIBOB_RELATION", BRINK, "2024-0012|verhuurder|P5")]["grades"] == ["C3"]


# -- (c) idempotence, batches and row order ----------------------------------------------------
def test_loading_twice_changes_nothing(store: Store) -> None:
    sync(store, SPEC, [FIX / "dossiers.csv"], today=TODAY)
    before = canon(store)
    report = sync(store, SPEC, [FIX / "dossiers.csv"], today=dt.date(2024, 8, 1))
    assert canon(store) == before
    assert sum(report.nodes_created.values()) == sum(report.rels_created.values()) == 0


def test_batch_size_does_not_matter(store: Store) -> None:
    sync(store, SPEC, [FIX / "dossiers.csv"], today=TODAY)
    whole = canon(store)
    store.write("write/delete_all")
    sync(store, SPEC, [FIX / "dossiers.csv"], today=TODAY, batch_size=1)
    assert canon(store) == whole


def test_rows_of_one_dossier_in_separate_files(store: Store, tmp_path: Path) -> None:
    """Relations appear once the party they point to arrives, whatever the order."""
    with (FIX / "dossiers.csv").open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh, delimiter=";"))
    ref, rol = header.index("partij_ref"), header.index("rol")
    is_p1 = [r for r in rows if r[ref] == "P1"]
    first, second = tmp_path / "deel1.csv", tmp_path / "deel2.csv"
    for path, part in ((first, [r for r in rows if r not in is_p1]), (second, is_p1)):
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter=";").writerows([header, *part])
    sync(store, SPEC, [first], today=TODAY)
    assert {e for e in edges(store) if e[1] in ("BIBOB_RELATION", "FINANCES")} == {
        (JAN, "BIBOB_RELATION", HOLDING, "2024-0012|aandeelhouder|P2")}
    assert all(r[rol] != "aanvrager" for r in rows if r not in is_p1)
    sync(store, SPEC, [second], today=TODAY)
    assert edges(store) == MAIN_EDGES
    split = canon(store)
    store.write("write/delete_all")
    sync(store, SPEC, [FIX / "dossiers.csv"], today=TODAY)
    assert canon(store) == split


def test_several_applicants_and_no_self_relation(store: Store) -> None:
    sync(store, SPEC, [FIX / "two_applicants.csv"], today=TODAY)
    d = "dossier:2024-0200"
    assert {e for e in edges(store) if e[1] in ("BIBOB_RELATION", "FINANCES")} == {
        # Piet is aanvrager (P2) and bestuurder with no ten_aanzien_van: only to the other
        (PIET, "BIBOB_RELATION", BRINK, "2024-0200|bestuurder|P2"),
        (JAN, "FINANCES", BRINK, "2024-0200|P3"),
        (JAN, "FINANCES", PIET, "2024-0200|P3"),
        (HOLDING, "BIBOB_RELATION", BRINK, "2024-0200|gemachtigde|P4"),
        (HOLDING, "BIBOB_RELATION", PIET, "2024-0200|gemachtigde|P4"),
    }
    rels = relationships(store)
    assert rels[(JAN, "FINANCES", PIET, "2024-0200|P3")]["amount"] == 50000.0
    assert {k for s, t, e, k in rels if t == "PARTY_TO" and e == d} == {
        "P1|aanvrager|", "P2|aanvrager|", "P2|bestuurder|", "P3|vermogensverschaffer|",
        "P4|gemachtigde|"}


# -- (d) a newer extract -----------------------------------------------------------------------
def test_newer_extract_updates_instead_of_duplicating(store: Store) -> None:
    sync(store, SPEC, [FIX / "dossiers.csv"], today=TODAY)
    before_nodes, before_rels = kinds(store), edges(store)
    sync(store, SPEC, [FIX / "dossiers_update.csv"], today=TODAY)
    assert kinds(store) == before_nodes and edges(store) == before_rels
    got, rels = nodes(store), relationships(store)
    d12 = got[D12]
    assert (d12["advies"], d12["besluit"], d12["besluit_datum"]) == (
        "ernstig_gevaar", "geweigerd", "2024-05-20")
    assert (d12["first_seen"], d12["last_seen"]) == ("2024-03-01", "2024-06-01")
    assert d12["name"] == "Bibob 2024-0012: horeca De Brink"
    assert sorted(d12["source_records"]) == [f"bibob:2024-0012/P{i}" for i in range(1, 6)]
    share = rels[(HOLDING, "BIBOB_RELATION", BRINK, "2024-0012|aandeelhouder|P3")]
    assert (share["share_pct"], share["first_seen"], share["last_seen"]) == (
        80.0, "2024-03-01", "2024-06-01")
    loan = rels[(ALPEN, "FINANCES", BRINK, "2024-0012|P4")]
    assert (loan["amount"], loan["first_seen"], loan["last_seen"]) == (
        300000.0, "2024-03-01", "2024-06-01")
    untouched = rels[(JAN, "BIBOB_RELATION", BRINK, "2024-0012|bestuurder|P2")]
    assert untouched["last_seen"] == "2024-03-01"
    # an older extract loaded afterwards does not turn values back
    sync(store, SPEC, [FIX / "dossiers.csv"], today=TODAY)
    assert nodes(store)[D12]["advies"] == "ernstig_gevaar"
    again = relationships(store)
    assert again[(HOLDING, "BIBOB_RELATION", BRINK, "2024-0012|aandeelhouder|P3")][
        "share_pct"] == 80.0
    assert again[(ALPEN, "FINANCES", BRINK, "2024-0012|P4")]["last_seen"] == "2024-06-01"


# -- (e) bad files -----------------------------------------------------------------------------
BAD_VALUES = {
    (3, "kvk_nummer"),
    (4, "adres_postcode"), (4, "locatie_huisnummer"),
    (5, "aanvraagdatum"),
    (6, "vergunning_type"), (6, "rol"),
    (7, "partij_type"),
    (8, "geslachtsnaam"),
    (9, "gemeentecode"), (9, "ten_aanzien_van"),
    (10, "aandeel_pct"), (10, "bedrag"),
    (11, "antecedenten_opgegeven"), (11, "advies"), (11, "besluit"),
    (12, "besluit_datum"), (12, "ten_aanzien_van"),
    (13, "dossier_id"), (13, "partij_ref"),
    (14, "geboortedatum"), (14, "locatie_bag_id"),
    (15, "kvk_nummer"),
    (16, "geslachtsnaam"),
    (17, "adres_huisnummer"),
    (19, "peildatum"),
}


def test_bad_values_all_reported_and_nothing_written(store: Store) -> None:
    path = FIX / "bad_values.csv"
    with pytest.raises(LoadError) as err:
        sync(store, SPEC, [path], today=TODAY)
    problems = err.value.problems
    assert {(p.row, p.column) for p in problems} == BAD_VALUES
    assert len(problems) == len(BAD_VALUES)  # one problem per cell
    assert all(p.file == str(path) for p in problems)
    text = {str(p) for p in problems}
    assert f"{path}:3:kvk_nummer: ongeldig KvK-nummer '1234567': verwacht 8 cijfers " \
           "(voorloopnul weggevallen?)" in text
    assert f"{path}:5:aanvraagdatum: ongeldige datum '31-02-2024': bestaat niet" in text
    assert any(t.startswith(f"{path}:6:rol: ongeldige waarde voor rol 'eigenaar'") for t in text)
    assert any(t.startswith(f"{path}:8:geslachtsnaam: ") and "geslachtsnaam" in t.split(": ", 1)[1]
               for t in text)
    assert any(t.startswith(f"{path}:9:ten_aanzien_van: ongeldige partij-referentie 'P 2'")
               for t in text)
    assert nodes(store) == {} and relationships(store) == {}


@pytest.mark.parametrize(("fixture", "expected"), [
    ("bad_bsn.csv", {(1, "BSN")}),
    ("bad_missing_columns.csv", {(1, "rol"), (1, "partij_type")}),
])
def test_bad_header_refuses_file(store: Store, fixture: str, expected: set[tuple[int, str]]
                                 ) -> None:
    with pytest.raises(LoadError) as err:
        sync(store, SPEC, [FIX / fixture], today=TODAY)
    assert {(p.row, p.column) for p in err.value.problems} == expected
    assert all(p.file == str(FIX / fixture) for p in err.value.problems)
    assert nodes(store) == {}


def test_bad_file_after_good_file_in_one_call_writes_nothing(store: Store) -> None:
    with pytest.raises(LoadError):
        sync(store, SPEC, [FIX / "dossiers.csv", FIX / "bad_values.csv"], today=TODAY)
    assert nodes(store) == {}


# -- (f) skip_invalid --------------------------------------------------------------------------
def test_skip_invalid_loads_valid_rows_and_writes_rejects(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bad_values.csv"
    shutil.copy(FIX / "bad_values.csv", path)
    report = sync(store, SPEC, [path], skip_invalid=True, today=TODAY)
    refused_rows = sorted({row for row, _ in BAD_VALUES})
    assert report.rows_read == 18 and report.rows_refused == len(refused_rows) == 16
    rejects = tmp_path / "bad_values.afgewezen.csv"
    assert report.reject_files == [str(rejects)]
    with rejects.open(encoding="utf-8", newline="") as fh:
        header, *lines = list(csv.reader(fh))
    assert header[:3] == ["rij", "redenen", "dossier_id"]
    assert [int(line[0]) for line in lines] == refused_rows
    reasons = {int(line[0]): line[1] for line in lines}
    assert "kvk_nummer: ongeldig KvK-nummer '1234567'" in reasons[3]
    assert "advies:" in reasons[11] and "besluit:" in reasons[11]
    hans_addr = "addr:DE:" + sha16("DE|D-80331|7|")
    d99 = "dossier:2024-0099"
    assert kinds(store) == {
        d99: "BibobDossier", BRINK: "Organisation", HANS: "Person",
        "addr:7991AB12": "Address", hans_addr: "Address"}
    assert edges(store) == {
        (BRINK, "REGISTERED_AT", "addr:7991AB12", ""),
        (HANS, "RESIDES_AT", hans_addr, ""),
        (BRINK, "PARTY_TO", d99, "P1|aanvrager|"),
        (HANS, "PARTY_TO", d99, "P2|bestuurder|P1"),
        (HANS, "BIBOB_RELATION", BRINK, "2024-0099|bestuurder|P2"),
    }
    assert sorted(nodes(store)[d99]["source_records"]) == [
        "bibob:2024-0099/P1", "bibob:2024-0099/P2"]


# -- (g) name variants -------------------------------------------------------------------------
def test_name_variants_merge_and_namesakes_are_no_candidates(store: Store) -> None:
    report = sync(store, SPEC, [FIX / "name_variants.csv"], today=TODAY)
    assert report.rows_read == 7
    assert {u for u, k in kinds(store).items() if k == "Person"} == {JAN, MEHMET, JAN_82}
    applicant = {e: s for s, t, e, _ in edges(store) if t == "PARTY_TO"}
    assert applicant == {
        "dossier:2024-0101": JAN,  # "van der Berg" in the geslachtsnaam column
        "dossier:2024-0102": JAN,  # "Berg, van der" and 15-03-1970
        "dossier:2024-0103": JAN,  # "v.d. Berg"
        "dossier:2024-0104": JAN,  # "V.D." in the voorvoegsel column, upper case
        "dossier:2024-0105": MEHMET,  # Celik
        "dossier:2024-0106": MEHMET,  # Çelik, 20-07-1985
        "dossier:2024-0107": JAN_82,  # same name, other birth date: another person
    }
    got = nodes(store)
    assert sorted(got[JAN]["source_records"]) == [f"bibob:2024-010{i}/P1" for i in range(1, 5)]
    assert got[JAN]["voorvoegsel"] == "van der"
    # same name, unrelated birth date (1970-03-15 / 1982-11-02): a namesake, no candidate
    assert [e for e in edges(store) if e[1] == "POSSIBLE_SAME_AS"] == []
    assert report.candidates == 0
