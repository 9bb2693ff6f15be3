"""Read a source table (CSV or the first sheet of an .xlsx) as a stream of rows.

CSV: UTF-8 (with or without BOM) or Windows-1252 as Excel writes it; `,`, `;` or tab as
delimiter, sniffed from the header line. Column names are folded to lower case and
stripped; values are stripped strings ("" = empty). Row numbers are those a spreadsheet
shows: the header is row 1, the first record row 2. Nothing is held in memory beyond one
row.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Table", "open_table", "detect_encoding", "TableError"]

_CHUNK = 1 << 16


class TableError(ValueError):
    """The file cannot be read as a table at all (no header, not a CSV/xlsx)."""


@dataclass(frozen=True)
class Table:
    """A readable table: its header (as written and folded) and a row iterator factory."""

    path: Path
    header: list[str]  # as written in the file, stripped
    columns: list[str]  # folded: lower case, stripped
    encoding: str
    delimiter: str

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield ``(row_number, {folded column: stripped value})``; re-readable."""
        if self.path.suffix.lower() == ".xlsx":
            yield from _xlsx_rows(self.path, self.columns)
            return
        with self.path.open(encoding=self.encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=self.delimiter)
            next(reader, None)
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                cells = [v.strip() for v in values]
                cells += [""] * (len(self.columns) - len(cells))
                row = dict(zip(self.columns, cells, strict=False))
                if len(values) > len(self.columns) and any(cells[len(self.columns):]):
                    row["\x00extra"] = "|".join(cells[len(self.columns):])
                yield number, row


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` when the whole file decodes as UTF-8, else ``cp1252`` (streamed)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        try:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _fold(name: str) -> str:
    return name.strip().lower()


def open_table(path: Path) -> Table:
    """Open ``path`` and read its header; raise :class:`TableError` if it has none."""
    path = Path(path)
    if not path.is_file():
        raise TableError(f"{path}: bestand niet gevonden")
    if path.suffix.lower() == ".xlsx":
        header = _xlsx_header(path)
        return Table(path, header, [_fold(h) for h in header], "xlsx", "")
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        first = fh.readline()
    if not first.strip():
        raise TableError(f"{path}:1: geen kopregel (header) gevonden")
    delimiter = _sniff_delimiter(first)
    header = [h.strip() for h in next(csv.reader([first], delimiter=delimiter))]
    return Table(path, header, [_fold(h) for h in header], encoding, delimiter)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_header(path: Path) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        for values in ws.iter_rows(min_row=1, max_row=1, values_only=True):
            return [_cell(v) for v in values if v is not None]
    finally:
        wb.close()
    raise TableError(f"{path}:1: geen kopregel (header) gevonden")


def _xlsx_rows(path: Path, columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            cells = [_cell(v) for v in values]
            if not any(cells):
                continue
            cells += [""] * (len(columns) - len(cells))
            yield number, dict(zip(columns, cells, strict=False))
    finally:
        wb.close()
