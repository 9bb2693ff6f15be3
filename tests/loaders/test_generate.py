"""The synthetic data generator: contract shapes, identifiers, links, determinism, planted hits.

The column lists and enumerations below are copied from docs/formats.md on purpose (not
imported from the generator), so a drift on either side fails here.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from loaders.synthetic import generate
from loaders.synthetic.cli import main

SIZE = 2000
SEED = 11
TODAY = date(2026, 11, 27)
FILES = ("kvk", "bibob", "vakantieparken", "schuren", "riec")
Data = dict[str, list[dict[str, str]]]


def _p(prefix: str) -> list[str]:
    return [f"{prefix}{c}" for c in ("voornamen", "voorvoegsel", "geslachtsnaam", "geboortedatum")]


CONTRACT: dict[str, list[str]] = {
    "kvk": [
        "kvk_nummer", "naam", "rechtsvorm", "rsin", "sbi_code", "datum_aanvang", "datum_einde",
        "status", "adres_straat", "adres_huisnummer", "adres_toevoeging", "adres_postcode",
        "adres_plaats", "adres_bag_id", "functionaris_type", "functionaris_kvk",
        *_p("functionaris_"), "functie", "aandeel_pct", "functie_van", "functie_tot",
    ],
    "bibob": [
        "dossier_id", "gemeentecode", "aanvraagdatum", "vergunning_type", "activiteit",
        "locatie_postcode", "locatie_huisnummer", "locatie_toevoeging", "locatie_bag_id",
        "partij_ref", "rol", "ten_aanzien_van", "partij_type", "kvk_nummer", "naam", *_p(""),
        "adres_postcode", "adres_huisnummer", "adres_toevoeging", "land", "aandeel_pct", "bedrag",
        "antecedenten_opgegeven", "advies", "besluit", "besluit_datum",
    ],
    "vakantieparken": [
        "park_id", "park_naam", "park_postcode", "park_huisnummer", "park_plaats", "park_bag_id",
        "exploitant_kvk", "permanente_bewoning_toegestaan", "vitaliteit", "eenheid_id",
        "eenheid_type", "eenheid_bag_id", "eigenaar_type", "eigenaar_kvk", *_p("eigenaar_"),
        "eigenaar_land", *_p("bewoner_"), "bewoner_nationaliteit", "brp_ingeschreven",
        "inschrijfdatum", "werkgever_kvk",
    ],
    "schuren": [
        "object_id", "objecttype", "postcode", "huisnummer", "toevoeging", "plaats", "bag_id",
        "kadastraal_perceel", "oppervlakte_m2", "leegstaand_sinds", "eigenaar_type",
        "eigenaar_kvk", *_p("eigenaar_"), "eigenaar_agrarisch_actief", "huurder_type",
        "huurder_kvk", *_p("huurder_"), "huur_pm", "betaalwijze", "huur_start", "huur_eind",
        "opgegeven_gebruik", "laatste_controle", "bevinding",
    ],
    "riec": [
        "signaal_id", "ontvangstdatum", "partner", "thema", "omschrijving", "status", "casus_id",
        "entiteit_type", "rol", "kvk_nummer", *_p(""), "postcode", "huisnummer", "toevoeging",
        "bag_id", "object_id", "park_id", "betrouwbaarheid_bron", "betrouwbaarheid_info",
        "bewaren_tot",
    ],
}
OPTIONAL = {"peildatum", "bron", "betrouwbaarheid_bron", "betrouwbaarheid_info"}

ENUMS: dict[str, dict[str, set[str]]] = {
    "kvk": {
        "rechtsvorm": {"eenmanszaak", "vof", "bv", "nv", "stichting", "vereniging", "cooperatie",
                       "buitenlands"},
        "status": {"", "actief", "opgeheven", "failliet"},
        "functionaris_type": {"", "persoon", "organisatie"},
        "functie": {"", "bestuurder", "aandeelhouder", "enig_aandeelhouder", "commissaris",
                    "gevolmachtigde", "vennoot"},
    },
    "bibob": {
        "vergunning_type": {"alcoholwet", "exploitatie", "omgevingsvergunning", "vastgoed",
                            "subsidie", "aanbesteding", "overig"},
        "rol": {"aanvrager", "bestuurder", "aandeelhouder", "uiteindelijk_belanghebbende",
                "vermogensverschaffer", "verhuurder", "zakelijke_relatie", "gemachtigde"},
        "partij_type": {"persoon", "organisatie"},
        "advies": {"", "geen_gevaar", "mindere_mate", "ernstig_gevaar", "lopend"},
        "besluit": {"", "verleend", "verleend_met_voorschriften", "geweigerd", "ingetrokken",
                    "buiten_behandeling", "lopend"},
    },
    "vakantieparken": {
        "vitaliteit": {"", "vitaal", "middensegment", "vergane_glorie", "buffer_woningmarkt",
                       "onbekend"},
        "eenheid_type": {"", "chalet", "stacaravan", "bungalow", "kampeerplaats", "overig"},
        "eigenaar_type": {"", "persoon", "organisatie"},
    },
    "schuren": {
        "objecttype": {"", "schuur", "loods", "stal", "kas", "container", "overig"},
        "eigenaar_type": {"", "persoon", "organisatie"},
        "eigenaar_agrarisch_actief": {"", "ja", "nee", "stoppend"},
        "huurder_type": {"", "persoon", "organisatie"},
        "betaalwijze": {"", "bank", "contant", "onbekend"},
        "bevinding": {"", "geen", "hennep", "synthetisch_lab", "opslag_gestolen_goed", "dumping",
                      "overig"},
    },
    "riec": {
        "partner": {"gemeente", "politie", "belastingdienst", "nla", "uwv", "om", "fiod", "kmar",
                    "ind", "mma", "overig"},
        "thema": {"drugs", "witwassen", "mensenhandel", "arbeidsuitbuiting", "vastgoed",
                  "vakantiepark", "buitengebied", "horeca", "overig"},
        "status": {"", "ontvangen", "in_behandeling", "casus", "afgesloten"},
        "entiteit_type": {"persoon", "organisatie", "adres", "object", "vakantiepark"},
        "rol": {"", "subject", "locatie", "betrokkene"},
    },
}
BOOLEAN = {"", "ja", "nee", "j", "n", "true", "false", "1", "0"}
BOOLEAN_COLS = {
    "bibob": ["antecedenten_opgegeven"],
    "vakantieparken": ["permanente_bewoning_toegestaan", "brp_ingeschreven"],
}
KVK_COLS = {
    "kvk": ["kvk_nummer", "functionaris_kvk"],
    "bibob": ["kvk_nummer"],
    "vakantieparken": ["exploitant_kvk", "eigenaar_kvk", "werkgever_kvk"],
    "schuren": ["eigenaar_kvk", "huurder_kvk"],
    "riec": ["kvk_nummer"],
}
POSTCODE_COLS = {
    "kvk": ["adres_postcode"],
    "bibob": ["locatie_postcode", "adres_postcode"],
    "vakantieparken": ["park_postcode"],
    "schuren": ["postcode"],
    "riec": ["postcode"],
}
BAG_COLS = {
    "kvk": ["adres_bag_id"],
    "bibob": ["locatie_bag_id"],
    "vakantieparken": ["park_bag_id", "eenheid_bag_id"],
    "schuren": ["bag_id"],
    "riec": ["bag_id"],
}
DATE_COLS = {
    "kvk": ["datum_aanvang", "datum_einde", "functionaris_geboortedatum", "functie_van",
            "functie_tot", "peildatum"],
    "bibob": ["aanvraagdatum", "geboortedatum", "besluit_datum", "peildatum"],
    "vakantieparken": ["eigenaar_geboortedatum", "bewoner_geboortedatum", "inschrijfdatum",
                       "peildatum"],
    "schuren": ["leegstaand_sinds", "eigenaar_geboortedatum", "huurder_geboortedatum",
                "huur_start", "huur_eind", "laatste_controle", "peildatum"],
    "riec": ["ontvangstdatum", "geboortedatum", "bewaren_tot"],
}
# the indicator codes of docs/indicators.md
INDICATORS = (
    "STRAW_MAN", "MASS_REGISTRATION", "PHOENIX_PATTERN", "BIBOB_RELATED_SIGNAL",
    "BIBOB_UNDECLARED_OFFICER", "BIBOB_PRIVATE_FINANCIER", "SHED_SUSPICIOUS_LEASE",
    "SHED_TENANT_SIGNAL", "SHED_VULNERABLE_OWNER", "PARK_OVERCROWDING", "PARK_EMPLOYER_HOUSING",
    "PARK_OWNER_CONCENTRATION", "COMPANY_ON_PARK", "MULTI_PARTNER_SIGNALS", "SIGNAL_NETWORK",
)
POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DMY = re.compile(r"^\d{2}-\d{2}-\d{4}$")
BAG = re.compile(r"(1701|0119|1731)(01|02|03|10|20)\d{10}")
PERCEEL = re.compile(r"^[A-Z]{3}\d{2} [A-Z]{1,2} \d+$")


# -- helpers ------------------------------------------------------------------------------------
def read(folder: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def parse_date(text: str) -> date:
    if ISO.match(text):
        return date.fromisoformat(text)
    assert DMY.match(text), text
    d, m, y = text.split("-")
    return date(int(y), int(m), int(d))


def parse_amount(text: str) -> float:
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return float(text)


def elfproef(number: str) -> bool:
    digits = [int(c) for c in number]
    if len(digits) != 9:
        return False
    return (sum(d * w for d, w in zip(digits, range(9, 1, -1))) - digits[8]) % 11 == 0


_VV = sorted(("van der", "van den", "van de", "van 't", "van het", "in 't", "in het", "van", "de",
              "der", "den", "ter", "ten", "'t", "het"), key=len, reverse=True)


def person_key(vn: str, vv: str, gn: str, gd: str) -> tuple[str, str, date]:
    """The formats.md matching rule: folded geslachtsnaam, first initial, birth date."""

    def fold(s: str) -> str:
        nfkd = unicodedata.normalize("NFKD", s)
        return "".join(c for c in nfkd if not unicodedata.combining(c)).lower().strip()

    gn = fold(gn)
    if "," in gn:
        gn = gn.split(",", 1)[0].strip()
    for v in _VV:
        if gn.startswith(v + " "):
            gn = gn[len(v) + 1:]
            break
    return gn, fold(vn)[:1], parse_date(gd)


def key_of(d: dict[str, Any], prefix: str = "") -> tuple[str, str, date]:
    return person_key(d[prefix + "voornamen"], d[prefix + "voorvoegsel"],
                      d[prefix + "geslachtsnaam"], d[prefix + "geboortedatum"])


def is_active(row: dict[str, str]) -> bool:
    end = row["datum_einde"]
    return row["status"] in ("", "actief") and (not end or parse_date(end) > TODAY)


# -- fixtures -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gen")
    generate(folder, SIZE, SEED)
    return folder


@pytest.fixture(scope="module")
def data(out: Path) -> dict[str, list[dict[str, str]]]:
    return {name: read(out, name)[1] for name in FILES}


@pytest.fixture(scope="module")
def planted(out: Path) -> dict[str, Any]:
    with open(out / "planted.json", encoding="utf-8") as fh:
        result: dict[str, Any] = json.load(fh)
    return result


# -- shape ----------------------------------------------------------------------------------------
def test_files_have_contract_headers(out: Path) -> None:
    for name in FILES:
        header, rows = read(out, name)
        n = len(CONTRACT[name])
        assert header[:n] == CONTRACT[name], name
        assert set(header[n:]) <= OPTIONAL, (name, header[n:])
        assert rows, name


def test_returned_counts_match_files(tmp_path: Path) -> None:
    counts = generate(tmp_path, 500, 3)
    assert set(counts) == set(FILES)
    for name in FILES:
        assert counts[name] == len(read(tmp_path, name)[1])


def test_same_seed_gives_identical_bytes(tmp_path: Path, out: Path) -> None:
    generate(tmp_path, SIZE, SEED)
    for name in (*FILES, "planted"):
        ext = "json" if name == "planted" else "csv"
        assert (tmp_path / f"{name}.{ext}").read_bytes() == (out / f"{name}.{ext}").read_bytes()
    other = tmp_path / "other"
    generate(other, SIZE, SEED + 1)
    assert (other / "kvk.csv").read_bytes() != (out / "kvk.csv").read_bytes()


def test_no_bsn_anywhere(out: Path) -> None:
    for name in FILES:
        header, _ = read(out, name)
        assert not [c for c in header if "bsn" in c or "burgerservice" in c], name


def test_size_is_roughly_the_number_of_entities(planted: dict[str, Any]) -> None:
    total = sum(planted["entities"].values())
    assert 0.8 * SIZE <= total <= 1.2 * SIZE, planted["entities"]


def test_tiny_size_still_plants_everything(tmp_path: Path) -> None:
    generate(tmp_path, 100, 5)
    with open(tmp_path / "planted.json", encoding="utf-8") as fh:
        ind = json.load(fh)["indicators"]
    assert all(len(ind[c]["true"]) >= 2 and ind[c]["near_miss"] for c in INDICATORS)


def test_main_command_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--out", str(tmp_path), "--size", "300", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "kvk.csv" in result.output
    assert all((tmp_path / f"{n}.csv").exists() for n in FILES)


def test_command_line_refuses_a_size_below_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--out", str(tmp_path), "--size", "0"])
    assert result.exit_code == 2
    assert not (tmp_path / "kvk.csv").exists()


def test_python_m_writes_what_generate_writes(tmp_path: Path) -> None:
    """``python -m loaders.synthetic`` with ``--today`` gives the bytes of ``generate()``."""
    root = Path(__file__).parent.resolve().parent.parent
    cmd = [sys.executable, "-m", "loaders.synthetic", "--out", str(tmp_path / "cli"),
           "--size", "300", "--seed", "2", "--today", "2025-03-14"]
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("kvk.csv\t")
    generate(tmp_path / "api", 300, 2, today=date(2025, 3, 14))
    for name in (*[f"{n}.csv" for n in FILES], "planted.json"):
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "api" / name).read_bytes()


# -- values ---------------------------------------------------------------------------------------
def test_enumerations_and_booleans(data: Data) -> None:
    for name, cols in ENUMS.items():
        for col, allowed in cols.items():
            seen = {r[col] for r in data[name]}
            assert seen <= allowed, (name, col, seen - allowed)
    for name, bool_cols in BOOLEAN_COLS.items():
        for col in bool_cols:
            assert {r[col] for r in data[name]} <= BOOLEAN, (name, col)


def test_kvk_numbers_are_synthetic(data: Data) -> None:
    n = 0
    for name, cols in KVK_COLS.items():
        for row in data[name]:
            for col in cols:
                if row[col]:
                    assert re.fullmatch(r"9\d{7}", row[col]), (name, col, row[col])
                    n += 1
    assert n > 100


def test_postcodes_valid(data: Data) -> None:
    seen_space = False
    for name, cols in POSTCODE_COLS.items():
        for row in data[name]:
            for col in cols:
                pc = row[col]
                if not pc:
                    continue
                seen_space |= " " in pc
                pc = pc.replace(" ", "")
                assert POSTCODE.match(pc), (name, col, pc)
                assert pc[4:] not in ("SA", "SD", "SS"), pc
                assert 7900 <= int(pc[:4]) <= 9499, pc  # Zuidwest- and Midden-Drenthe
    assert seen_space


def test_rsin_elfproef(data: Data) -> None:
    rsins = [r["rsin"] for r in data["kvk"] if r["rsin"]]
    assert rsins
    assert all(elfproef(x) for x in rsins), [x for x in rsins if not elfproef(x)][:5]
    forms = {r["rechtsvorm"] for r in data["kvk"] if r["rsin"]}
    assert forms <= {"bv", "nv", "stichting", "vereniging", "cooperatie"}


def test_bag_ids_and_percelen(data: Data) -> None:
    n = 0
    for name, cols in BAG_COLS.items():
        for row in data[name]:
            for col in cols:
                if row[col]:
                    assert BAG.fullmatch(row[col]), row[col]
                    n += 1
    assert n > 50
    types = {r["eenheid_bag_id"][4:6] for r in data["vakantieparken"] if r["eenheid_bag_id"]}
    assert "03" in types  # standplaatsen
    assert {r["bag_id"][4:6] for r in data["schuren"] if r["bag_id"]} == {"10"}  # panden
    assert all(PERCEEL.match(r["kadastraal_perceel"]) for r in data["schuren"])
    # rows with only postcode + huisnummer exist next to rows with both keys
    kvk = data["kvk"]
    assert any(r["adres_bag_id"] for r in kvk) and any(not r["adres_bag_id"] for r in kvk)


def test_dates_and_amounts_parse_in_both_formats(data: Data) -> None:
    formats = set()
    for name, cols in DATE_COLS.items():
        for row in data[name]:
            for col in cols:
                if row[col]:
                    d = parse_date(row[col])
                    formats.add("iso" if ISO.match(row[col]) else "dmy")
                    if col.endswith("geboortedatum"):
                        assert date(1940, 1, 1) <= d <= date(2005, 12, 31), row[col]
    assert formats == {"iso", "dmy"}
    amounts = [r["huur_pm"] for r in data["schuren"] if r["huur_pm"]]
    amounts += [r["bedrag"] for r in data["bibob"] if r["bedrag"]]
    assert all(parse_amount(a) > 0 for a in amounts)
    assert any("," in a for a in amounts) and any("," not in a for a in amounts)


def test_diacritics_and_migrant_nationalities(data: Data) -> None:
    parks = data["vakantieparken"]
    assert {"PL", "RO", "BG"} <= {r["bewoner_nationaliteit"] for r in parks}
    names = {r["bewoner_geslachtsnaam"] for r in parks} | {
        r["functionaris_geslachtsnaam"] for r in data["kvk"]}
    assert any(not n.isascii() for n in names)
    vvs = {r["functionaris_voorvoegsel"] for r in data["kvk"]}
    assert {"van der", "de"} <= vvs


# -- links ----------------------------------------------------------------------------------------
def test_referential_integrity(data: Data) -> None:
    known = {r["kvk_nummer"] for r in data["kvk"]}
    for name, cols in KVK_COLS.items():
        for row in data[name]:
            for col in cols:
                assert not row[col] or row[col] in known, (name, col, row[col])
    sheds = {r["object_id"] for r in data["schuren"]}
    parks = {r["park_id"] for r in data["vakantieparken"]}
    for row in data["riec"]:
        assert not row["object_id"] or row["object_id"] in sheds
        assert not row["park_id"] or row["park_id"] in parks
    # a functionaris / eigenaar / huurder of type organisatie always names a KvK number
    for row in data["kvk"]:
        assert (row["functionaris_type"] == "organisatie") == bool(row["functionaris_kvk"])
    # ten_aanzien_van points at a party of the same dossier
    refs = defaultdict(set)
    for row in data["bibob"]:
        refs[row["dossier_id"]].add(row["partij_ref"])
    for row in data["bibob"]:
        assert not row["ten_aanzien_van"] or row["ten_aanzien_van"] in refs[row["dossier_id"]]


def test_address_keys_are_consistent(data: Data) -> None:
    """Across all files one BAG id is one postcode+huisnummer+toevoeging, and vice versa."""
    cols = (
        ("kvk", "adres_bag_id", "adres_postcode", "adres_huisnummer", "adres_toevoeging"),
        ("bibob", "locatie_bag_id", "locatie_postcode", "locatie_huisnummer", "locatie_toevoeging"),
        ("vakantieparken", "park_bag_id", "park_postcode", "park_huisnummer", ""),
        ("schuren", "bag_id", "postcode", "huisnummer", "toevoeging"),
        ("riec", "bag_id", "postcode", "huisnummer", "toevoeging"),
    )
    by_bag: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    by_addr: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for name, bag_col, pc_col, hn_col, toev_col in cols:
        for row in data[name]:
            if row[bag_col] and row[pc_col]:
                key = (row[pc_col].replace(" ", ""), row[hn_col], row[toev_col] if toev_col else "")
                by_bag[row[bag_col]].add(key)
                by_addr[key].add(row[bag_col])
    assert len(by_bag) > 50
    assert all(len(v) == 1 for v in by_bag.values())
    assert all(len(v) == 1 for v in by_addr.values())


# -- planted patterns -------------------------------------------------------------------------
def test_planted_lists_every_indicator(planted: dict[str, Any]) -> None:
    doc = Path(__file__).parent.resolve().parents[2] / "shared" / "docs" / "indicators.md"
    codes = set(INDICATORS)
    if doc.exists():  # the shared docs sit beside the repository
        table = re.findall(r"^\| ([A-Z_]{4,}) \|", doc.read_text(encoding="utf-8"), re.M)
        assert set(table) == codes
    ind = planted["indicators"]
    assert set(ind) == codes
    for code in INDICATORS:
        assert len(ind[code]["true"]) >= 2, code
        assert len(ind[code]["near_miss"]) >= 1, code
        assert len(ind[code]["true"]) <= 50 and len(ind[code]["near_miss"]) <= 50


def test_planted_keys_exist(planted: dict[str, Any], data: Data) -> None:
    dossiers = {r["dossier_id"] for r in data["bibob"]}
    sheds = {r["object_id"] for r in data["schuren"]}
    units = {(r["park_id"], r["eenheid_id"]) for r in data["vakantieparken"]}
    kvk = {r["kvk_nummer"] for r in data["kvk"]}
    for code in INDICATORS:
        for key in planted["indicators"][code]["true"] + planted["indicators"][code]["near_miss"]:
            entity = key["entity"]
            if entity == "dossier":
                assert key["dossier_id"] in dossiers
            elif entity == "object":
                assert key["object_id"] in sheds
            elif entity == "eenheid":
                assert (key["park_id"], key["eenheid_id"]) in units
            elif entity == "organisatie":
                assert key["kvk_nummer"] in kvk


def _check(planted: dict[str, Any], code: str, hits: set[Any], key: Any) -> None:
    entry = planted["indicators"][code]
    for k in entry["true"]:
        assert key(k) in hits, (code, "true hit missing", k)
    for k in entry["near_miss"]:
        assert key(k) not in hits, (code, "near miss fires", k)


def test_planted_straw_man_resolves_name_variants(
    planted: dict[str, Any], data: Data
) -> None:
    orgs: dict[tuple[str, str, date], set[str]] = defaultdict(set)
    spellings: dict[tuple[str, str, date], set[tuple[str, ...]]] = defaultdict(set)
    for r in data["kvk"]:
        if r["functionaris_type"] != "persoon":
            continue
        k = key_of(r, "functionaris_")
        spellings[k].add(tuple(r[c] for c in _p("functionaris_")))
        ended = r["functie_tot"] and parse_date(r["functie_tot"]) <= TODAY
        if r["functie"] in ("bestuurder", "aandeelhouder", "enig_aandeelhouder", "vennoot") \
                and not ended and is_active(r):
            orgs[k].add(r["kvk_nummer"])
    hits = {k for k, v in orgs.items() if len(v) >= 5}
    _check(planted, "STRAW_MAN", hits, key_of)
    first = planted["indicators"]["STRAW_MAN"]["true"][0]
    assert len(spellings[key_of(first)]) >= 4  # the same person, written differently


def test_planted_mass_registration(planted: dict[str, Any], data: Data) -> None:
    at: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in data["kvk"]:
        if is_active(r):
            pc = r["adres_postcode"].replace(" ", "")
            at[(pc, r["adres_huisnummer"], r["adres_toevoeging"])].add(r["kvk_nummer"])
    hits = {a for a, v in at.items() if len(v) >= 10}
    _check(planted, "MASS_REGISTRATION", hits,
           lambda k: (k["postcode"], str(k["huisnummer"]), k["toevoeging"]))


def test_planted_park_patterns(planted: dict[str, Any], data: Data) -> None:
    brp: dict[tuple[str, str], int] = defaultdict(int)
    owned: dict[tuple[Any, str], set[str]] = defaultdict(set)
    for r in data["vakantieparken"]:
        if not r["eenheid_id"]:
            continue
        unit = (r["park_id"], r["eenheid_id"])
        brp[unit] += r["brp_ingeschreven"] == "ja"
        owner = r["eigenaar_kvk"] if r["eigenaar_type"] == "organisatie" else key_of(r, "eigenaar_")
        owned[(owner, r["park_id"])].add(r["eenheid_id"])
    _check(planted, "PARK_OVERCROWDING", {u for u, n in brp.items() if n >= 5},
           lambda k: (k["park_id"], k["eenheid_id"]))
    concentrated = {o for o, units in owned.items() if len(units) >= 5}

    def owner_key(k: dict[str, Any]) -> Any:
        who = k["kvk_nummer"] if k["entity"] == "organisatie" else key_of(k)
        return (who, k.get("park_id"))

    any_park = {(o, None) for o, _ in concentrated}
    _check(planted, "PARK_OWNER_CONCENTRATION", concentrated | any_park, owner_key)


def test_planted_private_financier(planted: dict[str, Any], data: Data) -> None:
    sbi = {r["kvk_nummer"]: r["sbi_code"] for r in data["kvk"]}
    hits = {
        r["dossier_id"] for r in data["bibob"]
        if r["rol"] == "vermogensverschaffer" and parse_amount(r["bedrag"]) >= 50_000
        and (r["partij_type"] == "persoon" or not sbi[r["kvk_nummer"]].startswith("64"))
    }
    _check(planted, "BIBOB_PRIVATE_FINANCIER", hits, lambda k: k["dossier_id"])


def test_planted_multi_partner(planted: dict[str, Any], data: Data) -> None:
    signals: dict[Any, list[tuple[str, date]]] = defaultdict(list)
    for r in data["riec"]:
        if r["rol"] != "subject" or parse_date(r["bewaren_tot"]) <= TODAY:
            continue
        e = r["entiteit_type"]
        who: Any = r["object_id"] or r["park_id"] or r["kvk_nummer"]
        if e == "persoon":
            who = key_of(r)
        elif e == "adres":
            who = (r["postcode"].replace(" ", ""), r["huisnummer"], r["toevoeging"])
        signals[(e, who)].append((r["partner"], parse_date(r["ontvangstdatum"])))
    hits = {
        k for k, lst in signals.items()
        if any(a[0] != b[0] and abs((a[1] - b[1]).days) <= 365 for a in lst for b in lst)
    }

    def key(k: dict[str, Any]) -> Any:
        e = k["entity"]
        if e == "organisatie":
            return (e, k["kvk_nummer"])
        if e == "persoon":
            return (e, key_of(k))
        if e == "adres":
            return (e, (k["postcode"], str(k["huisnummer"]), k["toevoeging"]))
        return (e, k["park_id"])

    _check(planted, "MULTI_PARTNER_SIGNALS", hits, key)
