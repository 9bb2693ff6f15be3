"""Tests for loaders.values: good and bad cell values for every parser."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from loaders import values as v
from loaders.values import ValueInvalid


def _elf_sum(s: str) -> int:
    """Independent elfproef computation for the RSIN tests."""
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(d) * w for d, w in zip(s, weights))


# --------------------------------------------------------------------------- missing


@pytest.mark.parametrize(
    "parse",
    [v.parse_date, v.parse_bool, v.parse_amount, v.parse_pct, v.kvk_nummer, v.rsin,
     v.postcode, v.huisnummer, v.toevoeging, v.bag_id, v.gemeentecode,
     v.kadastraal_perceel, v.sbi_code, v.country, v.grade_source, v.grade_info],
)
@pytest.mark.parametrize("missing", [None, "", "   "])
def test_missing_is_invalid(parse: Callable[[str | None], object], missing: str | None) -> None:
    with pytest.raises(ValueInvalid, match="ontbreekt"):
        parse(missing)


def test_optional_and_is_missing() -> None:
    assert v.optional(v.postcode, None) is None
    assert v.optional(v.postcode, "  ") is None
    assert v.optional(v.postcode, "1234 ab") == "1234AB"
    assert v.is_missing(None) and v.is_missing(" ") and not v.is_missing("x")


def test_value_invalid_is_value_error() -> None:
    assert issubclass(ValueInvalid, ValueError)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023-01-05", "2023-01-05"),
        ("05-01-2023", "2023-01-05"),
        ("5-1-2023", "2023-01-05"),
        ("29-02-2024", "2024-02-29"),
        ("2024-02-29", "2024-02-29"),
        ("1880-01-01", "1880-01-01"),
        ("31-12-2100", "2100-12-31"),
        ("2023-01-05 00:00:00", "2023-01-05"),
        ("2023-01-05T10:30", "2023-01-05"),
    ],
)
def test_parse_date_ok(raw: str, expected: str) -> None:
    assert v.parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["29-02-2023", "2023-02-30", "2023-13-01", "31-04-2023", "1879-12-31", "2101-01-01",
     "05/01/2023", "2023/01/05", "20230105", "5 januari 2023", "23-1-5", "gisteren"],
)
def test_parse_date_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="ongeldige datum"):
        v.parse_date(raw)


# --------------------------------------------------------------------------- booleans


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("ja", True), ("JA", True), ("j", True), ("True", True), ("1", True),
     ("nee", False), ("Nee", False), ("N", False), ("false", False), ("0", False)],
)
def test_parse_bool_ok(raw: str, expected: bool) -> None:
    assert v.parse_bool(raw) is expected


@pytest.mark.parametrize("raw", ["jawel", "yes", "2", "onbekend", "x"])
def test_parse_bool_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid):
        v.parse_bool(raw)


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.50", 1234.5),
        ("1.234,50", 1234.5),
        ("1234,50", 1234.5),
        ("1.234", 1234.0),
        ("12.345.678", 12345678.0),
        ("12.345.678,9", 12345678.9),
        ("1234.5", 1234.5),
        ("12.5", 12.5),
        ("1234.567", 1234.567),
        ("1,234", 1.234),
        ("0", 0.0),
        ("850", 850.0),
        ("€ 1.234,50", 1234.5),
        ("€1234.50", 1234.5),
        ("EUR 950", 950.0),
        ("eur 950,00", 950.0),
        ("1 234,50", 1234.5),
        ("1.250,-", 1250.0),
        ("1.234,50 €", 1234.5),
    ],
)
def test_parse_amount_ok(raw: str, expected: float) -> None:
    assert v.parse_amount(raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    "raw",
    ["-5", "€ -1.234,50", "1,234.50", "12.34.56", "1.2345,00", "abc", "1..2", ",50",
     "1.234.", "€", "nan", "inf", "1e5"],
)
def test_parse_amount_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="bedrag"):
        v.parse_amount(raw)


# --------------------------------------------------------------------------- ints / pct


@pytest.mark.parametrize(
    ("raw", "lo", "hi", "expected"),
    [("5", 0, 10, 5), ("0", 0, 10, 0), ("10", 0, 10, 10), ("-3", -5, 5, -3), ("007", 0, 10, 7)],
)
def test_parse_int_ok(raw: str, lo: int, hi: int, expected: int) -> None:
    assert v.parse_int(raw, lo, hi) == expected


@pytest.mark.parametrize(
    ("raw", "lo", "hi"),
    [("11", 0, 10), ("-1", 0, 10), ("5.5", 0, 10), ("abc", 0, 10), ("1 000", 0, 5000),
     ("٣", 0, 10)],
)
def test_parse_int_bad(raw: str, lo: int, hi: int) -> None:
    with pytest.raises(ValueInvalid):
        v.parse_int(raw, lo, hi)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0", 0.0), ("100", 100.0), ("50", 50.0), ("33,3", 33.3), ("33.3", 33.3), ("25%", 25.0),
     ("12,5 %", 12.5)],
)
def test_parse_pct_ok(raw: str, expected: float) -> None:
    assert v.parse_pct(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["100,1", "101", "-1", "abc", "1.000,5", "%"])
def test_parse_pct_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="percentage"):
        v.parse_pct(raw)


# --------------------------------------------------------------------------- KvK / RSIN


@pytest.mark.parametrize("raw", ["69599084", "68750110", "01234567", "00000001"])
def test_kvk_ok(raw: str) -> None:
    assert v.kvk_nummer(raw) == raw


@pytest.mark.parametrize(
    "raw", ["1234", "1234567", "123456789", "6959908A", "6959 9084", "١٢٣٤٥٦٧٨"]
)
def test_kvk_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="ongeldig KvK-nummer"):
        v.kvk_nummer(raw)


def test_kvk_message() -> None:
    with pytest.raises(ValueInvalid) as info:
        v.kvk_nummer("1234")
    assert str(info.value) == (
        "ongeldig KvK-nummer '1234': verwacht 8 cijfers (voorloopnul weggevallen?)"
    )


def test_elfproef_reference_values() -> None:
    # Computed, not guessed: 111222333 -> 66 = 6 x 11; 123456789 -> 147 = 13 x 11 + 4.
    assert _elf_sum("111222333") == 66
    assert _elf_sum("123456789") == 147


@pytest.mark.parametrize("raw", ["111222333", "999999990", "002000003"])
def test_rsin_ok(raw: str) -> None:
    assert _elf_sum(raw) % 11 == 0
    assert v.rsin(raw) == raw
    assert v.rsin_valid(raw)


@pytest.mark.parametrize(
    "raw", ["123456789", "111222334", "000000000", "11122233", "1112223330", "11122233X"]
)
def test_rsin_bad(raw: str) -> None:
    assert not v.rsin_valid(raw)
    with pytest.raises(ValueInvalid, match="ongeldig RSIN"):
        v.rsin(raw)


def test_rsin_valid_none() -> None:
    assert not v.rsin_valid(None)


@pytest.mark.parametrize("prefix", ["11122233", "12345678", "00200000", "80000000", "99999999"])
def test_make_rsin(prefix: str) -> None:
    made = v.make_rsin(prefix)
    if made is None:
        # Only impossible when the check digit would have to be 10.
        assert _elf_sum(prefix + "0") % 11 == 10
    else:
        assert made.startswith(prefix) and len(made) == 9
        assert v.rsin_valid(made)


def test_make_rsin_impossible_and_bad_input() -> None:
    prefixes = (f"{i:08d}" for i in range(1, 1000))
    impossible = next(p for p in prefixes if _elf_sum(p + "0") % 11 == 10)
    assert v.make_rsin(impossible) is None
    assert v.make_rsin("00000000") is None  # would be all zeros
    assert v.make_rsin("1234567") is None
    assert v.make_rsin("1234567X") is None
    assert v.make_rsin("11122233") == "111222333"


# --------------------------------------------------------------------------- address


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1234AB", "1234AB"), ("1234 ab", "1234AB"), ("8384 EV", "8384EV"), ("7991aa", "7991AA"),
     ("9999ZZ", "9999ZZ")],
)
def test_postcode_ok(raw: str, expected: str) -> None:
    assert v.postcode(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["0123AB", "1234SA", "1234 sd", "1234SS", "1234  AB", "123AB", "12345AB", "1234A", "1234ABC",
     "AB1234", "1234-AB", "1234ÄB"],
)
def test_postcode_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="ongeldige postcode"):
        v.postcode(raw)


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("12", 12), ("99999", 99999), ("007", 7)])
def test_huisnummer_ok(raw: str, expected: int) -> None:
    assert v.huisnummer(raw) == expected


@pytest.mark.parametrize("raw", ["0", "100000", "-1", "12a", "12.5", "een"])
def test_huisnummer_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="huisnummer"):
        v.huisnummer(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("A", "A"), ("a", "A"), ("bis", "BIS"), ("2", "2"), ("-A", "A"), ("123456", "123456"),
     ("1h", "1H")],
)
def test_toevoeging_ok(raw: str, expected: str) -> None:
    assert v.toevoeging(raw) == expected


@pytest.mark.parametrize("raw", ["1234567", "A B", "a/b", "-", "é", "A-1"])
def test_toevoeging_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="toevoeging"):
        v.toevoeging(raw)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("1701010000123456", "verblijfsobject"),
        ("0119020000000001", "ligplaats"),
        ("1731030000000042", "standplaats"),
        ("1701100000654321", "pand"),
        ("1701200000000007", "nummeraanduiding"),
        ("1701300000000099", "openbare_ruimte"),
    ],
)
def test_bag_id_ok(raw: str, kind: str) -> None:
    assert v.bag_id(raw) == raw
    assert v.bag_object_type(raw) == kind


@pytest.mark.parametrize(
    "raw",
    ["170101000012345", "17010100001234567", "1701040000123456", "1701990000123456",
     "17010100001234AB", "119010000123456"],
)
def test_bag_id_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="ongeldig BAG-id"):
        v.bag_id(raw)
    with pytest.raises(ValueInvalid):
        v.bag_object_type(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("GM1701", "GM1701"), ("gm0119", "GM0119"), ("Gm1731", "GM1731"), ("1701", "GM1701")],
)
def test_gemeentecode_ok(raw: str, expected: str) -> None:
    assert v.gemeentecode(raw) == expected


@pytest.mark.parametrize("raw", ["GM170", "GM17011", "WK170101", "GM 1701", "119", "Westerveld"])
def test_gemeentecode_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="gemeentecode"):
        v.gemeentecode(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("DVR00 K 1234", "DVR00 K 1234"),
        ("dvr00 k 1234", "DVR00 K 1234"),
        ("DVR00  K   1234", "DVR00 K 1234"),
        ("DVR00K1234", "DVR00 K 1234"),
        ("DVR00-K-01234", "DVR00 K 1234"),
        ("SBG01 AB 5", "SBG01 AB 5"),
        ("DVR00 K 1234 A2", "DVR00 K 1234 A2"),
        ("DVR00 K 1234 A 0002", "DVR00 K 1234 A2"),
        ("DVR00 K 99999", "DVR00 K 99999"),
    ],
)
def test_kadastraal_perceel_ok(raw: str, expected: str) -> None:
    assert v.kadastraal_perceel(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["DVR0 K 1234", "DV00 K 1234", "DVR00 1234", "DVR00 KKK 1234", "DVR00 K 123456", "DVR00 K 0",
     "DVR00 K 1234 B2", "DVR00 K 1234 A0", "DVR00 K 1234 A12345", "Diever K 1234"],
)
def test_kadastraal_perceel_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="kadastraal perceel"):
        v.kadastraal_perceel(raw)


# --------------------------------------------------------------------------- codes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0111", "0111"), ("5530", "5530"), ("64191", "64191"), ("01", "01"), ("56.10", "5610")],
)
def test_sbi_code_ok(raw: str, expected: str) -> None:
    assert v.sbi_code(raw) == expected


@pytest.mark.parametrize("raw", ["1", "123456", "55a0", "horeca"])
def test_sbi_code_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="SBI-code"):
        v.sbi_code(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("NL", "NL"), ("nl", "NL"), ("De", "DE"), ("pl", "PL")]
)
def test_country_ok(raw: str, expected: str) -> None:
    assert v.country(raw) == expected


@pytest.mark.parametrize("raw", ["N", "NLD", "N1", "Nederland", "ÑL"])
def test_country_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="landcode"):
        v.country(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("A", "A"), ("f", "F"), ("X", "X"), ("x", "X"), ("c", "C")]
)
def test_grade_source_ok(raw: str, expected: str) -> None:
    assert v.grade_source(raw) == expected


@pytest.mark.parametrize("raw", ["G", "1", "AB", "Y"])
def test_grade_source_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="betrouwbaarheid bron"):
        v.grade_source(raw)


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("6", 6), ("3", 3)])
def test_grade_info_ok(raw: str, expected: int) -> None:
    assert v.grade_info(raw) == expected


@pytest.mark.parametrize("raw", ["0", "7", "A", "X", "1.0"])
def test_grade_info_bad(raw: str) -> None:
    with pytest.raises(ValueInvalid, match="betrouwbaarheid informatie"):
        v.grade_info(raw)


# --------------------------------------------------------------------------- enum

STATUS = ("actief", "opgeheven", "failliet")
VITALITEIT = {"vitaal", "middensegment", "vergane_glorie", "buffer_woningmarkt", "onbekend"}


@pytest.mark.parametrize(
    ("raw", "allowed", "expected"),
    [
        ("actief", STATUS, "actief"),
        ("FAILLIET", STATUS, "failliet"),
        ("Vergane Glorie", VITALITEIT, "vergane_glorie"),
        ("buffer-woningmarkt", VITALITEIT, "buffer_woningmarkt"),
        ("vitaal", VITALITEIT, "vitaal"),
        ("BV", ("BV", "NV"), "bv"),
    ],
)
def test_enum_ok(raw: str, allowed: set[str] | tuple[str, ...], expected: str) -> None:
    assert v.enum(raw, allowed, "status") == expected


def test_enum_bad_lists_allowed() -> None:
    with pytest.raises(ValueInvalid) as info:
        v.enum("slapend", STATUS, "status")
    message = str(info.value)
    assert "status" in message and "'slapend'" in message
    assert "actief, failliet, opgeheven" in message


def test_enum_missing() -> None:
    with pytest.raises(ValueInvalid, match="status ontbreekt"):
        v.enum("", STATUS, "status")
