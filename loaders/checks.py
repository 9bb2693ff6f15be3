"""The validating pass: a source's columns, every cell and row checked, the problems located.

A source module (``loaders.kvk`` and friends) declares a :class:`SourceSpec`: its columns
with their parsers, the required ones, the person column groups, how to name a record, the
cross-field checks and ``normalise``. This module checks a table against it:

* :func:`header_problems`: problems that refuse the whole file (a BSN column, a required
  column missing, a column twice, a column name that is no text).
* :func:`validate`: every row, ``(row number, clean row, problems)``. Every cell is first
  checked for what no value may hold (``values.cell_problem``: over 10,000 characters,
  control characters; tabs and line breaks only in the free-text columns of
  :data:`FREE_TEXT_COLUMNS` and in ignored columns), then parsed by its column's parser,
  then the person groups and the source's cross-field checks run.

Problems are :class:`Problem` (``FILE:ROW:COLUMN: message``, Dutch); a refused file raises
:class:`LoadError` with all of them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph_service.errors import OndergraafError
from graph_service.model import SOURCES

from . import values
from .reader import EXTRA, Table
from .records import Node, Prov, Rel, person_columns

if TYPE_CHECKING:
    from graph_service.store import Store

__all__ = [
    "Parser",
    "PROVENANCE_COLUMNS",
    "FREE_TEXT_COLUMNS",
    "Problem",
    "LoadError",
    "SourceSpec",
    "header_problems",
    "clean_row",
    "person_check",
    "validate",
    "make_prov",
    "enum_parser",
    "check_period",
    "check_address",
    "check_party",
]

Parser = Callable[[str], Any] | None
PROVENANCE_COLUMNS: dict[str, Parser] = {
    "peildatum": values.parse_date,
    "bron": None,
    "betrouwbaarheid_bron": values.grade_source,
    "betrouwbaarheid_info": values.grade_info,
}
_BSN_NAMES = ("bsn", "burgerservicenummer", "sofinummer")
# Descriptions typed by people, where a tab or a line break inside a quoted value is
# legitimate. Every other known column (identifiers, codes, dates, names, addresses) holds
# one line; no column holds NUL or another control character (values.cell_problem).
FREE_TEXT_COLUMNS = frozenset({"activiteit", "omschrijving", "opgegeven_gebruik"})


# -- problems -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


class LoadError(OndergraafError):
    """A file was refused; ``problems`` lists every reason as FILE:ROW:COLUMN."""

    status_code = 422

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:200])
        more = f"\n... en nog {len(problems) - 200} problemen" if len(problems) > 200 else ""
        super().__init__(f"{len(problems)} probleem/problemen gevonden:\n{shown}{more}")


# -- the source description ------------------------------------------------------------------
Check = Callable[[dict[str, Any], Callable[[str, str], None]], None]
Normalise = Callable[[dict[str, Any]], Iterable[Node | Rel]]


@dataclass(frozen=True)
class SourceSpec:
    """What a source module declares; everything else is shared. ``normalise`` and
    ``check`` depend on their row alone (a large file is checked in chunks by two
    processes, ``loaders.chunks``)."""

    name: str
    columns: Mapping[str, Parser]
    required: tuple[str, ...]
    person_prefixes: tuple[str, ...]
    record_id: Callable[[dict[str, Any]], str]
    normalise: Normalise
    check: Check | None = None
    # runs after each batch is written, with that batch's rows (e.g. relations between
    # parties of one dossier that only exist once all its rows are in the graph)
    after_write: Callable[[Store, list[tuple[Prov, list[Node | Rel]]]], None] | None = None
    # a source that is no table checks its files itself (loaders.ftm: JSON lines), with
    # the arguments and result of loaders.base.check_file after ``spec``; None: the shared
    # table reader
    check_file: Callable[..., Any] | None = None

    @property
    def all_columns(self) -> dict[str, Parser]:
        cols: dict[str, Parser] = dict(PROVENANCE_COLUMNS)
        for prefix in self.person_prefixes:
            cols[f"{prefix}voornamen"] = None
            cols[f"{prefix}voorvoegsel"] = None
            cols[f"{prefix}geslachtsnaam"] = None
            cols[f"{prefix}geboortedatum"] = values.parse_date
        cols.update(self.columns)
        return cols


# -- the rows ---------------------------------------------------------------------------------
def header_problems(spec: SourceSpec, table: Table) -> list[Problem]:
    """Problems that refuse the whole file: a BSN column, required columns missing."""
    name = str(table.path)
    out: list[Problem] = []
    for i, (written, col) in enumerate(zip(table.header, table.columns, strict=True), 1):
        bad = values.cell_problem(written)
        if bad:
            out.append(Problem(name, 1, f"kolom {i}", f"kolomnaam: {bad}"))
        elif any(b in col for b in _BSN_NAMES):
            out.append(Problem(name, 1, written, "bestand bevat een BSN-kolom; BSN wordt "
                               "niet verwerkt (UAVG art. 46): verwijder de kolom"))
    counts = Counter(table.columns)
    for col, n in counts.items():
        if n > 1 and col:
            out.append(Problem(name, 1, col, f"kolom komt {n} keer voor"))
    for col in spec.required:
        if col not in counts:
            out.append(Problem(name, 1, col, "verplichte kolom ontbreekt"))
    return out


def clean_row(
    spec: SourceSpec, cols: Mapping[str, Parser], raw: Mapping[str, str],
    report: Callable[[str, str], None],
) -> dict[str, Any]:
    """Parse every known cell; report problems by column; unknown columns are ignored."""
    return _clean(spec, _plan(spec, cols, None), cols, raw, report)


# -- how validate walks a row -------------------------------------------------------------------
#: Values a parser keeps per file (:func:`validate`): a file repeats its dates, codes and
#: numbers; a full memo starts over, so memory stays flat in the file size.
MEMO_SIZE = 1 << 13
_MEMO_TYPES = frozenset({str, int, float, bool})


#: A source's columns as :func:`_cells` walks them, worked out once per file: name, parser,
#: required, the parser's memo (None: no memo).
_Plan = list[tuple[str, Parser, bool, dict[str, Any] | None]]


def _plan(spec: SourceSpec, cols: Mapping[str, Parser],
          memos: dict[Any, dict[str, Any]] | None) -> _Plan:
    """The columns of ``cols`` in order, each with what :func:`_cells` needs for it.

    ``memos``: one memo per parser (shared by the columns of one parser), for the duration
    of one :func:`validate` (None: no memo); parsers are pure functions of the cell text
    (``values``), so a memoised value is what the parser would give again. Only immutable
    values are kept (:data:`_MEMO_TYPES`); a cell the parser refuses is never memoised: it
    raises (and is reported) every time.
    """
    required = set(spec.required)
    plan: _Plan = []
    for col, parser in cols.items():
        memo = None
        if parser and memos is not None:
            try:
                memo = memos.setdefault(parser, {})
            except TypeError:  # an unhashable callable: not memoised
                memo = None
        plan.append((col, parser, col in required, memo))
    return plan


def _cells(plan: _Plan, raw: Mapping[str, str], failed: set[str],
           report: Callable[[str, str], None]) -> dict[str, Any]:
    """Every cell parsed (None: empty or refused), problems reported in column order;
    ``failed`` gains the refused cells."""
    clean: dict[str, Any] = {}
    get = raw.get
    for col, parser, required, memo in plan:
        text = get(col, "")
        if not text or (failed and col in failed):
            clean[col] = None
            if not text and required and col not in failed:
                report(col, "verplicht veld is leeg")
            continue
        if not parser:
            clean[col] = text
            continue
        if memo is not None:
            value = memo.get(text)  # never None: None is not memoised
            if value is not None:
                clean[col] = value
                continue
        try:
            value = parser(text)
        except values.ValueInvalid as exc:
            clean[col] = None
            failed.add(col)
            report(col, str(exc))
            continue
        clean[col] = value
        if memo is not None and type(value) in _MEMO_TYPES:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[text] = value
    return clean


def _clean(
    spec: SourceSpec, plan: _Plan, cols: Mapping[str, Parser], raw: Mapping[str, str],
    report: Callable[[str, str], None],
) -> dict[str, Any]:
    if EXTRA in raw:
        report("-", raw[EXTRA])
    failed = _unfit_cells(cols, raw, report)
    clean = _cells(plan, raw, failed, report)

    def cross_field(col: str, msg: str) -> None:
        # one problem per cell: a cell that failed to parse (checks see it as empty) or that
        # a check already named is not reported again
        if col not in failed:
            failed.add(col)
            report(col, msg)

    for prefix in spec.person_prefixes:
        person_check(clean, prefix, cross_field)
    if spec.check:
        spec.check(clean, cross_field)
    return clean


def _unfit_cells(
    cols: Mapping[str, Parser], raw: Mapping[str, str], report: Callable[[str, str], None]
) -> set[str]:
    """Report cells that no parser may see (too long, control characters); their columns.

    The whole row is looked at once: every refused character is non-printable, so a row
    that is printable and short enough has no such cell; only other rows (a line break in
    a description, a no-break space) are looked at cell by cell.
    """
    joined = "".join(raw.values())
    if len(joined) <= values.MAX_CELL_CHARS and joined.isprintable():
        return set()
    unfit: set[str] = set()
    for col, text in raw.items():
        if col == EXTRA or not text:
            continue
        problem = values.cell_problem(text, free_text=col in FREE_TEXT_COLUMNS
                                      or col not in cols)
        if problem:
            unfit.add(col)
            report(col or "-", problem)
    return unfit


def person_check(row: Mapping[str, Any], prefix: str, report: Callable[[str, str], None]) -> None:
    columns = person_columns(prefix)
    surname = columns[2]
    if not row.get(surname) and any(row.get(c) for c in columns):
        report(surname, "geslachtsnaam ontbreekt bij een persoon")


def _reporter(problems: list[Problem], name: str, number: int) -> Callable[[str, str], None]:
    def report(col: str, msg: str) -> None:
        problems.append(Problem(name, number, col, msg))

    return report


def validate(
    spec: SourceSpec, table: Table, today: dt.date, keep: Callable[[int], bool] | None = None
) -> Iterator[tuple[int, dict[str, Any], list[Problem]]]:
    """Yield ``(row number, clean row, problems)`` for every row of the table (with
    ``keep``: for the rows whose number it accepts, ``Table.rows``)."""
    cols = spec.all_columns
    plan = _plan(spec, cols, {})
    name = str(table.path)
    today_iso = today.isoformat()
    for number, raw in table.rows(keep):
        problems: list[Problem] = []
        report = _reporter(problems, name, number)
        clean = _clean(spec, plan, cols, raw, report)
        for col in ("peildatum",):
            if clean.get(col) and clean[col] > today_iso:
                report(col, "peildatum ligt in de toekomst")
        yield number, clean, problems


def make_prov(spec: SourceSpec, row: dict[str, Any], today: dt.date) -> Prov:
    """The provenance of a clean row: source, record id, grade, purpose class, date seen."""
    src = SOURCES[spec.name]
    bron = row.get("betrouwbaarheid_bron") or src.default_grade[0]
    info = row.get("betrouwbaarheid_info") or int(src.default_grade[1])
    return Prov(
        source=spec.name,
        record=spec.record_id(row),
        grade=f"{bron}{info}",
        purpose=src.purpose_class,
        seen=row.get("peildatum") or today.isoformat(),
    )


# -- checks shared by the source modules ------------------------------------------------------
def enum_parser(allowed: tuple[str, ...], what: str) -> Callable[[str], str]:
    """A cell parser for one enumeration (case-insensitive, stored lower case)."""

    # the usual cell is one of the values as written: one look-up (values.enum does the
    # rest, and words the error)
    exact = {a.lower(): a.lower() for a in allowed if " ".join(a.lower().split()) == a.lower()}

    def parse_enum(text: str) -> str:
        hit = exact.get(text.strip().lower())
        return hit if hit is not None else values.enum(text, allowed, what)

    return parse_enum


def check_period(
    row: Mapping[str, Any], report: Callable[[str, str], None], start: str, end: str
) -> None:
    """``end`` may not lie before ``start``."""
    if row.get(start) and row.get(end) and row[end] < row[start]:
        report(end, f"{end} ({row[end]}) ligt voor {start} ({row[start]})")


def check_address(
    row: Mapping[str, Any], report: Callable[[str, str], None], postcode: str, huisnummer: str
) -> None:
    """Postcode and huisnummer come together or not at all."""
    if bool(row.get(postcode)) != bool(row.get(huisnummer)):
        missing = huisnummer if row.get(postcode) else postcode
        report(missing, "postcode en huisnummer horen samen; een van beide ontbreekt")


def check_party(
    row: Mapping[str, Any],
    report: Callable[[str, str], None],
    type_col: str,
    kvk_col: str,
    prefix: str,
    name_col: str | None = None,
) -> None:
    """A party of type persoon needs a surname; of type organisatie a KvK number (or name)."""
    kind = row.get(type_col)
    if kind == "persoon" and not row.get(prefix + "geslachtsnaam"):
        report(prefix + "geslachtsnaam", "persoon zonder geslachtsnaam")
    if kind == "organisatie" and not row.get(kvk_col) and not (name_col and row.get(name_col)):
        report(kvk_col, "organisatie zonder KvK-nummer")
    if not kind and (row.get(kvk_col) or row.get(prefix + "geslachtsnaam")):
        report(type_col, "type ontbreekt (persoon of organisatie)")
