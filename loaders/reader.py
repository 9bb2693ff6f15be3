"""Read a source table (CSV or the first sheet of an .xlsx) as a stream of rows.

CSV: UTF-8 (with or without BOM) or Windows-1252 as Excel writes it; `,`, `;` or tab as
delimiter, sniffed from the header line. Column names are folded to lower case and
stripped; values are stripped strings ("" = empty). Row numbers are those a spreadsheet
shows: the header is row 1, the first record row 2. Nothing is held in memory beyond one
row.

A file that cannot be read as such a table raises :class:`TableError` with the row (and
where it helps, the column, byte offset or encoding) in Dutch, never a traceback:

* Encodings other than UTF-8 and Windows-1252 are refused by name: UTF-16 and UTF-32 (by
  their BOM or, without one, by the pattern of NUL bytes) and EBCDIC. Bytes that are
  neither UTF-8 nor Windows-1252 are refused with their byte offset and line.
* Binary files are refused by what they are: a program (ELF, Windows), a zip archive (an
  Excel workbook saved as .csv), PDF, an old .xls, gzip, images; otherwise by their share
  of control bytes. A single stray control character is not a binary file: the loader
  refuses it per cell (``loaders.values.cell_problem``).
* An .xlsx that is no zip (a CSV renamed .xlsx), a truncated or damaged workbook.
* Limits: a physical line holds at most :data:`MAX_LINE_CHARS` characters, a header at
  most :data:`MAX_COLUMNS` columns. Excel writes empty columns after the last one: up to
  :data:`MAX_TRAILING_EMPTY` empty names at the end of the header are dropped, more are
  refused; a CSV row may have up to that many empty cells beyond the header, a row with
  more (or with a value beyond the header) is marked with :data:`EXTRA` so the loader
  refuses it. A cell longer than the csv module's field limit is refused here with its
  column; the 10,000-character cell limit itself is checked per cell by the loader.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .values import MAX_CELL_CHARS

__all__ = [
    "Table",
    "open_table",
    "detect_encoding",
    "TableError",
    "EXTRA",
    "MAX_LINE_CHARS",
    "MAX_COLUMNS",
    "MAX_TRAILING_EMPTY",
]

_CHUNK = 1 << 16
_HEAD = 1 << 16  # bytes inspected for BOMs, magic numbers and NUL patterns

MAX_LINE_CHARS = 1_000_000
MAX_COLUMNS = 1_000
MAX_TRAILING_EMPTY = 50
#: The csv module's field limit while a table is read (its own default). The limit is one
#: setting for the whole process and libraries change it (followthemoney raises it to 30
#: MiB when imported), so the reader sets it before each file.
FIELD_LIMIT = 131_072

EXTRA = "\x00extra"
"""Key of a row dict whose value says why the row has cells beyond the header."""


class TableError(ValueError):
    """The file cannot be read as a table (at all, or from ``row`` on); Dutch ``reason``."""

    def __init__(self, path: Path | str, row: int, column: str, reason: str) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.reason = reason
        super().__init__(f"{path}:{row}:{column}: {reason}")


class _LineTooLong(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@dataclass(frozen=True)
class Table:
    """A readable table: its header (as written and folded) and a row iterator factory."""

    path: Path
    header: list[str]  # as written in the file, stripped
    columns: list[str]  # folded: lower case, stripped
    encoding: str
    delimiter: str

    @property
    def is_csv(self) -> bool:
        return self.path.suffix.lower() != ".xlsx"

    def rows(self, keep: Callable[[int], bool] | None = None
             ) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield ``(row_number, {folded column: stripped value})``; re-readable.

        A row with cells beyond the header also has the key :data:`EXTRA`. Raises
        :class:`TableError` for the first row that cannot be read. ``keep`` (CSV only):
        only the rows whose number it accepts are yielded; the others are read past
        (as records, not turned into rows), so the file is still read up to where it
        cannot be read.
        """
        if not self.is_csv:
            if keep is not None:
                raise ValueError("rows(keep=...) reads CSV files only")
            yield from _xlsx_rows(self.path, self.columns)
            return
        yield from self._csv_rows(keep)

    def _csv_rows(self, keep: Callable[[int], bool] | None = None
                  ) -> Iterator[tuple[int, dict[str, str]]]:
        number, record_start = 1, 1
        csv.field_size_limit(FIELD_LIMIT)
        with self.path.open(encoding=self.encoding, newline="") as fh:
            reader = csv.reader(_lines(fh), delimiter=self.delimiter)
            try:
                next(reader, None)
                record_start = reader.line_num + 1
                for number, values in enumerate(reader, start=2):
                    record_start = reader.line_num + 1  # where the next record begins
                    if keep is not None and not keep(number):
                        continue
                    row = self._record(values)
                    if row is not None:
                        yield number, row
            except _LineTooLong as exc:
                raise TableError(self.path, number + 1, "-",
                                 f"regel {exc.line} is langer dan {_n(MAX_LINE_CHARS)} "
                                 "tekens") from None
            except csv.Error as exc:
                if not str(exc).startswith("field larger than field limit"):
                    raise TableError(self.path, number + 1, "-",
                                     "rij is geen geldige CSV") from None
                column = self._overlong_column(record_start, reader.line_num)
                raise TableError(self.path, number + 1, column,
                                 f"waarde is langer dan {_n(FIELD_LIMIT)} "
                                 f"tekens; maximaal {_n(MAX_CELL_CHARS)}") from None
            except UnicodeDecodeError:  # the file changed after its encoding was checked
                raise TableError(self.path, number + 1, "-",
                                 f"bestand is niet meer te lezen als {self.encoding}; "
                                 "is het tijdens het laden gewijzigd?") from None

    def _record(self, values: list[str]) -> dict[str, str] | None:
        """One CSV record as a row dict; None for an empty record."""
        width = len(self.columns)
        extra = None
        if len(values) > width:
            if len(values) - width > MAX_TRAILING_EMPTY:
                extra = (f"rij heeft {_n(len(values))} cellen en de kopregel {width} "
                         f"kolommen; maximaal {MAX_TRAILING_EMPTY} lege cellen extra")
            elif any(v.strip() for v in values[width:]):
                extra = "meer waarden dan kolommen in de kopregel"
            values = values[:width]
        cells = [v.strip() for v in values]
        if extra is None and not any(cells):
            return None
        cells += [""] * (width - len(cells))
        row = dict(zip(self.columns, cells, strict=True))
        if extra is not None:
            row[EXTRA] = extra
        return row

    def _overlong_column(self, first_line: int, last_line: int) -> str:
        """The column of the first over-long value in physical lines first..last."""
        with self.path.open(encoding=self.encoding, newline="") as fh:
            text = "".join(itertools.islice(_lines(fh), first_line - 1, last_line))
        index = _long_field_index(text, self.delimiter)
        return (self.columns[index] or "-") if index < len(self.columns) else "-"


def _lines(fh: IO[str]) -> Iterator[str]:
    """The physical lines of ``fh``, none longer than :data:`MAX_LINE_CHARS`."""
    for number in itertools.count(1):
        line = fh.readline(MAX_LINE_CHARS + 2)
        if not line:
            return
        if len(line) > MAX_LINE_CHARS and len(line.rstrip("\r\n")) > MAX_LINE_CHARS:
            raise _LineTooLong(number)
        yield line


def _long_field_index(text: str, delimiter: str) -> int:
    """Index of the first field in CSV ``text`` longer than :data:`MAX_CELL_CHARS`."""
    index = length = 0
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            index, length = index + 1, 0
        else:
            length += 1
            if length > MAX_CELL_CHARS:
                break
    return index


# -- what a file is -----------------------------------------------------------------------
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 LE"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "UTF-32 BE"),
    (codecs.BOM_UTF16_LE, "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "UTF-16 BE"),
)
_ZIP = "een zip-archief (een Excel-werkmap? Geef die de extensie .xlsx)"
_MAGIC = (
    (b"\x7fELF", "een programma (ELF)"),
    (b"MZ\x90\x00", "een Windows-programma"),
    (b"PK\x03\x04", _ZIP),
    (b"PK\x05\x06", _ZIP),
    (b"%PDF-", "een PDF-document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "een oud Office-bestand (.xls); sla het op als "
     ".xlsx of CSV"),
    (b"\x1f\x8b", "een gzip-archief"),
    (b"\x89PNG", "een afbeelding (PNG)"),
    (b"\xff\xd8\xff", "een afbeelding (JPEG)"),
)
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_EBCDIC_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                          " ;,.:_-/'\"\n\r\t\x85")
_ASK = "lever het aan als CSV in UTF-8 of Windows-1252 (Excel: CSV UTF-8)"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _line_in_file(path: Path, offset: int) -> int:
    """The line (1-based) holding byte ``offset`` of ``path``."""
    lines = 1
    with path.open("rb") as fh:
        while offset > 0 and (chunk := fh.read(min(_CHUNK, offset))):
            lines += chunk.count(b"\n")
            offset -= len(chunk)
    return lines


def _wide_encoding(head: bytes) -> str | None:
    """UTF-16/32 without a BOM, recognised by where its NUL bytes fall."""
    usable = len(head) - len(head) % 4
    if usable < 8 or head.count(0) < len(head) // 4:
        return None
    share = [head[k:usable:4].count(0) / (usable // 4) for k in range(4)]
    if min(share[1:]) > 0.9 and share[0] < 0.5:
        return "UTF-32 LE"
    if min(share[:3]) > 0.9 and share[3] < 0.5:
        return "UTF-32 BE"
    if min(share[1], share[3]) > 0.7 and max(share[0], share[2]) < 0.3:
        return "UTF-16 LE"
    if min(share[0], share[2]) > 0.7 and max(share[1], share[3]) < 0.3:
        return "UTF-16 BE"
    return None


def _looks_ebcdic(head: bytes) -> bool:
    """Mostly high bytes that read as plain text in EBCDIC (code page 500)."""
    sample = head[:4096]
    if not sample or sum(b >= 0x80 for b in sample) < len(sample) * 0.3:
        return False
    text = sample.decode("cp500")
    return sum(c in _EBCDIC_PLAIN for c in text) > len(text) * 0.9


def _not_text(head: bytes) -> str | None:
    """Why the first bytes of a file show it is not a UTF-8/Windows-1252 table, or None."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return f"bestand is gecodeerd als {name}; {_ASK}"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"geen tabel maar {what}"
    wide = _wide_encoding(head)
    if wide:
        return f"bestand is gecodeerd als {wide} (zonder BOM); {_ASK}"
    if _looks_ebcdic(head):
        return f"bestand is gecodeerd als EBCDIC (mainframe-export); {_ASK}"
    controls = sum(1 for _ in _CONTROL_BYTES.finditer(head))
    if controls > max(16, len(head) // 100):
        first = _CONTROL_BYTES.search(head)
        assert first is not None
        return (f"geen tekstbestand: {controls} stuurtekens in de eerste {_n(len(head))} "
                f"bytes, het eerste op byte {first.start()} (regel "
                f"{_line_of(head, first.start())}); binair bestand?")
    return None


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` when the whole file decodes as UTF-8, else ``cp1252`` (streamed).

    Raises :class:`TableError` naming the encoding (UTF-16/32, EBCDIC) or what the file
    is (binary), or the byte offset and line of the first byte that is neither.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    undefined: tuple[int, int] | None = None  # offset and value of the first byte that
    offset = 0  # Windows-1252 leaves undefined
    with path.open("rb") as fh:
        chunk = fh.read(_HEAD)
        reason = _not_text(chunk)
        if reason:
            raise TableError(path, 1, "-", reason)
        while chunk:
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            if undefined is None:
                found = [at for byte in _CP1252_UNDEFINED if (at := chunk.find(byte)) >= 0]
                if found:
                    undefined = (offset + min(found), chunk[min(found)])
            if not utf8 and undefined is not None:
                break
            offset += len(chunk)
            chunk = fh.read(_CHUNK)
    if utf8:
        try:
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
    if undefined is not None:
        at, byte = undefined
        line = _line_in_file(path, at)
        raise TableError(path, line, "-", f"byte {at} (0x{byte:02X}) op regel {line} is geen "
                         f"UTF-8 en geen Windows-1252: onbekende codering of binair bestand; "
                         f"{_ASK}")
    return "cp1252"


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _fold(name: str) -> str:
    return name.strip().lower()


def _bounded_header(path: Path, header: list[str]) -> list[str]:
    """The header without Excel's empty trailing names; refused when there are too many."""
    named = len(header)
    while named and not header[named - 1]:
        named -= 1
    if len(header) - named > MAX_TRAILING_EMPTY:
        raise TableError(path, 1, "-", f"kopregel eindigt op {_n(len(header) - named)} lege "
                         f"kolomnamen; maximaal {MAX_TRAILING_EMPTY}")
    if named > MAX_COLUMNS:
        raise TableError(path, 1, "-", f"kopregel heeft {_n(named)} kolommen; maximaal "
                         f"{_n(MAX_COLUMNS)}")
    if not named:
        raise TableError(path, 1, "-", "geen kopregel (header) gevonden")
    return header[:named]


def open_table(path: Path) -> Table:
    """Open ``path`` and read its header; raise :class:`TableError` if it is no table."""
    path = Path(path)
    if not path.is_file():
        raise TableError(path, 1, "-", "bestand niet gevonden")
    try:
        if path.suffix.lower() == ".xlsx":
            header = _bounded_header(path, _xlsx_header(path))
            return Table(path, header, [_fold(h) for h in header], "xlsx", "")
        encoding = detect_encoding(path)
        with path.open(encoding=encoding, newline="") as fh:
            first = next(_lines(fh), "")
    except _LineTooLong:
        raise TableError(path, 1, "-", f"kopregel is langer dan {_n(MAX_LINE_CHARS)} "
                         "tekens") from None
    except OSError as exc:
        raise TableError(path, 1, "-", f"bestand kan niet worden gelezen "
                         f"({exc.strerror or exc})") from None
    if not first.strip():
        raise TableError(path, 1, "-", "geen kopregel (header) gevonden")
    delimiter = _sniff_delimiter(first)
    try:
        written = next(csv.reader([first], delimiter=delimiter))
    except csv.Error:
        raise TableError(path, 1, "-", "kopregel is geen geldige CSV") from None
    header = _bounded_header(path, [h.strip() for h in written])
    return Table(path, header, [_fold(h) for h in header], encoding, delimiter)


# -- xlsx ---------------------------------------------------------------------------------
def _xlsx_errors() -> tuple[type[BaseException], ...]:
    """What openpyxl raises on a damaged workbook (its XML, zip and part lookups)."""
    from openpyxl.utils.exceptions import InvalidFileException

    return (InvalidFileException, zipfile.BadZipFile, zlib.error, KeyError, IndexError,
            ValueError, TypeError, AttributeError, EOFError, OSError, SyntaxError)


def _not_a_workbook(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(_HEAD)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "Excel-werkmap is beschadigd of onvolledig (afgebroken download of kopie?)"
    reason = _not_text(head)
    if reason:
        return f"geen Excel-werkmap (.xlsx): {reason}"
    return ("geen Excel-werkmap (.xlsx) maar een tekstbestand; is het een CSV-bestand? "
            "Geef het dan de extensie .csv")


def _open_workbook(path: Path) -> Any:
    import openpyxl

    if not zipfile.is_zipfile(path):
        raise TableError(path, 1, "-", _not_a_workbook(path))
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _xlsx_errors():
        raise TableError(path, 1, "-", "geen leesbare Excel-werkmap (.xlsx): beschadigd, "
                         "onvolledig of geen werkmap") from None
    if not wb.worksheets:
        wb.close()
        raise TableError(path, 1, "-", "Excel-werkmap heeft geen werkblad")
    return wb


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


def _damaged(path: Path, row: int) -> TableError:
    return TableError(path, row, "-", "Excel-werkmap is beschadigd of onvolledig vanaf deze "
                      "rij")


def _xlsx_header(path: Path) -> list[str]:
    """The first row's names; empty cells keep their place (only trailing ones go later)."""
    wb = _open_workbook(path)
    try:
        for values in wb.worksheets[0].iter_rows(min_row=1, max_row=1, values_only=True):
            return [_cell(v) for v in values]
    except _xlsx_errors():
        raise _damaged(path, 1) from None
    finally:
        wb.close()
    raise TableError(path, 1, "-", "geen kopregel (header) gevonden")


def _xlsx_rows(path: Path, columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    width = len(columns)
    wb = _open_workbook(path)
    number = 1
    try:
        rows = wb.worksheets[0].iter_rows(min_row=2, values_only=True)
        for number, values in enumerate(rows, start=2):
            cells = [_cell(v) for v in values]
            extra = any(cells[width:])  # empty cells beyond the header are formatting
            del cells[width:]
            if not extra and not any(cells):
                continue
            cells += [""] * (width - len(cells))
            row = dict(zip(columns, cells, strict=True))
            if extra:
                row[EXTRA] = "meer waarden dan kolommen in de kopregel"
            yield number, row
    except _xlsx_errors():
        raise _damaged(path, number + 1) from None
    finally:
        wb.close()
