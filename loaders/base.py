"""The loader shape every source shares: parse -> validate -> normalise -> resolve -> write.

A source module (``loaders.kvk`` and friends) declares a :class:`SourceSpec`: its columns
with their parsers, the required ones, the person column groups, how to name a record, the
cross-field checks and ``normalise`` (a clean row -> graph records). This module does the
rest the same way for every source:

1. ``parse``: stream ``(row number, raw row)`` from a CSV or .xlsx file (``loaders.reader``).
2. ``validate``: the whole file first. Header problems (a BSN column, a required column
   missing) and cell problems are collected as ``FILE:ROW:COLUMN: message``, all of them.
   Every cell is first checked for what no value may hold (``values.cell_problem``: over
   10,000 characters, control characters; tabs and line breaks only in the free-text
   columns of :data:`FREE_TEXT_COLUMNS` and in ignored columns). A file that cannot be
   read as a table (encoding, binary, damaged workbook, over-long line) is refused with
   its row. A file with any problem writes nothing, unless ``skip_invalid`` is asked for:
   then the valid rows load and the refused rows go to a reject file with their reasons,
   written safe to open in a spreadsheet (:func:`spreadsheet_safe`).
3. ``normalise``: clean row -> :class:`Node` / :class:`Rel` records with stable uids.
4. ``resolve``: addresses are looked up in the graph by BAG id, then by postcode key, so a
   row carrying both links the two (per batch, so memory stays flat).
5. ``write``: one managed transaction per batch of rows, ``UNWIND`` + ``MERGE`` statements
   from ``cypher/write/``; every record carries its row's provenance. Loading the same
   file again changes nothing; an interrupted load rerun completes it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_service.errors import OndergraafError
from graph_service.model import LABELS, REL_TYPES, SOURCES
from graph_service.store import Store

from . import names, values
from .reader import EXTRA, Table, TableError, open_table

__all__ = [
    "AddrRef",
    "Node",
    "Rel",
    "Problem",
    "LoadError",
    "LoadReport",
    "SourceSpec",
    "Prov",
    "parse",
    "validate",
    "write",
    "sync",
    "person_node",
    "address_node",
    "organisation_ref",
    "PERSON_FIELDS",
    "FREE_TEXT_COLUMNS",
    "spreadsheet_safe",
]

Parser = Callable[[str], Any] | None
PERSON_FIELDS = ("voornamen", "voorvoegsel", "geslachtsnaam", "geboortedatum")
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


def _snake(name: str) -> str:
    out = "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
    return out.lstrip("_")


NODE_STATEMENT = {label: f"write/merge_{_snake(label)}" for label in LABELS}
REL_STATEMENT = {t: f"write/merge_{t.lower()}" for t in REL_TYPES if t != "POSSIBLE_SAME_AS"}


# -- records --------------------------------------------------------------------------------
@dataclass(frozen=True)
class AddrRef:
    """An address before resolution: its keys; the uid is decided against the graph."""

    bag_id: str | None
    pc_key: str | None
    foreign_uid: str | None = None

    def default_uid(self) -> str:
        if self.foreign_uid:
            return self.foreign_uid
        if self.pc_key:
            return f"addr:{self.pc_key}"
        return f"addr:bag:{self.bag_id}"


Ref = str | AddrRef


@dataclass
class Node:
    label: str
    uid: Ref
    props: dict[str, Any]


@dataclass
class Rel:
    type: str
    start: Ref
    end: Ref
    props: dict[str, Any] = field(default_factory=dict)
    key: str = ""


@dataclass(frozen=True)
class Prov:
    """The provenance every record of one row carries."""

    source: str
    record: str
    grade: str
    purpose: str
    seen: str


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


# -- the source description -------------------------------------------------------------
Check = Callable[[dict[str, Any], Callable[[str, str], None]], None]
Normalise = Callable[[dict[str, Any]], Iterable[Node | Rel]]


@dataclass(frozen=True)
class SourceSpec:
    """What a source module declares; everything else is shared."""

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


@dataclass
class LoadReport:
    """What one load did, for the summary and the load-run record."""

    source: str
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_refused: int = 0
    nodes_created: Counter[str] = field(default_factory=Counter)
    nodes_merged: Counter[str] = field(default_factory=Counter)
    rels_created: Counter[str] = field(default_factory=Counter)
    rels_merged: Counter[str] = field(default_factory=Counter)
    candidates: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    reject_files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "files": self.files,
            "rows_read": self.rows_read,
            "rows_refused": self.rows_refused,
            "nodes_created": dict(self.nodes_created),
            "nodes_merged": dict(self.nodes_merged),
            "relationships_created": dict(self.rels_created),
            "relationships_merged": dict(self.rels_merged),
            "match_candidates": self.candidates,
            "ignored_columns": self.ignored_columns,
            "reject_files": self.reject_files,
        }


# -- 1. parse -------------------------------------------------------------------------------
def parse(path: Path) -> Table:
    """Open a source file; ``Table.rows()`` streams its rows."""
    return open_table(path)


# -- 2. validate ----------------------------------------------------------------------------
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
    clean: dict[str, Any] = {}
    if EXTRA in raw:
        report("-", raw[EXTRA])
    failed = _unfit_cells(cols, raw, report)
    for col, parser in cols.items():
        text = raw.get(col, "")
        if col in failed:
            clean[col] = None
            continue
        if not text:
            clean[col] = None
            if col in spec.required:
                report(col, "verplicht veld is leeg")
            continue
        try:
            clean[col] = parser(text) if parser else text
        except values.ValueInvalid as exc:
            clean[col] = None
            failed.add(col)
            report(col, str(exc))

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
    given = [f for f in PERSON_FIELDS if row.get(prefix + f)]
    if given and not row.get(prefix + "geslachtsnaam"):
        report(prefix + "geslachtsnaam", "geslachtsnaam ontbreekt bij een persoon")


def _reporter(problems: list[Problem], name: str, number: int) -> Callable[[str, str], None]:
    def report(col: str, msg: str) -> None:
        problems.append(Problem(name, number, col, msg))

    return report


def validate(
    spec: SourceSpec, table: Table, today: dt.date
) -> Iterator[tuple[int, dict[str, Any], list[Problem]]]:
    """Yield ``(row number, clean row, problems)`` for every row of the table."""
    cols = spec.all_columns
    name = str(table.path)
    for number, raw in table.rows():
        problems: list[Problem] = []
        report = _reporter(problems, name, number)
        clean = clean_row(spec, cols, raw, report)
        for col in ("peildatum",):
            if clean.get(col) and clean[col] > today.isoformat():
                report(col, "peildatum ligt in de toekomst")
        yield number, clean, problems


# -- 3. normalise helpers (used by the source modules) ----------------------------------------
def _fold_key(*parts: object) -> str:
    text = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def person_node(row: Mapping[str, Any], prefix: str, record: str) -> Node | None:
    """The person in column group ``prefix``, or None when the group is empty.

    Persons resolve by folded surname + first initial + birth date; without a birth date
    a mention cannot be resolved and gets its own uid (per source record), so it never
    merges silently; the match-candidate step proposes look-alikes for review.
    """
    vn, vv, gn, gd = (row.get(prefix + f) for f in PERSON_FIELDS)
    if not gn:
        return None
    voorvoegsel, _ = names.split_surname(gn, vv)
    if gd:
        key = names.person_key(vn, vv, gn, gd)
        uid = names.person_uid(key)
    else:
        key = None
        uid = "person:" + _fold_key("unresolved", record, prefix, names.fold(gn), names.fold(vn))
    props = {
        "voornamen": vn,
        "voorvoegsel": voorvoegsel or None,
        "geslachtsnaam": names.surname_as_written(gn),
        "geboortedatum": gd,
        "name": names.display_name(vn, vv, gn),
        "name_key": key,
        "candidate_key": names.candidate_key(vn, vv, gn),
        **names.match_keys(vn, vv, gn, gd),  # mk_*: blocking keys for look-alike candidates
    }
    return Node("Person", uid, props)


def address_node(
    postcode: str | None,
    huisnummer: int | None,
    toevoeging: str | None = None,
    bag_id: str | None = None,
    straat: str | None = None,
    plaats: str | None = None,
    land: str | None = None,
) -> Node | None:
    """An address from its parts, or None when there is nothing to identify it by."""
    land = land or "NL"
    pc_key = None
    if postcode and huisnummer:
        pc_key = f"{postcode}{huisnummer}" + (f"-{toevoeging}" if toevoeging else "")
    if not pc_key and not bag_id:
        return None
    foreign = None
    if land != "NL":
        foreign = f"addr:{land}:" + _fold_key(land, postcode, huisnummer, toevoeging)
        pc_key = None
    ref = AddrRef(bag_id=bag_id, pc_key=pc_key, foreign_uid=foreign)
    label = " ".join(str(p) for p in (straat, huisnummer, toevoeging) if p) if straat else ""
    where = " ".join(str(p) for p in (postcode, plaats) if p)
    if not label:
        label = f"{postcode or ''} {huisnummer or ''}{toevoeging or ''}".strip()
        where = plaats or ""
    name = ", ".join(p for p in (label, where) if p) or f"BAG {bag_id}"
    props = {
        "pc_key": pc_key,
        "postcode": postcode,
        "huisnummer": huisnummer,
        "toevoeging": toevoeging,
        "straat": straat,
        "plaats": plaats,
        "bag_id": bag_id,
        "land": land,
        "name": name,
    }
    return Node("Address", ref, props)


def organisation_ref(
    kvk: str | None, name: str | None = None, land: str | None = None
) -> Node | None:
    """An organisation known by KvK number (or, abroad, by name + country)."""
    if kvk:
        return Node("Organisation", f"kvk:{kvk}", {"kvk_nummer": kvk, "name": name})
    if name:
        uid = "org:" + _fold_key(names.fold(name), land or "")
        return Node("Organisation", uid, {"name": name, "land": land})
    return None


# -- 4./5. resolve and write ------------------------------------------------------------------
def _resolve_addresses(store: Store, refs: set[AddrRef]) -> dict[AddrRef, str]:
    bag_ids = sorted({r.bag_id for r in refs if r.bag_id})
    pc_keys = sorted({r.pc_key for r in refs if r.pc_key})
    by_bag = {
        row["bag_id"]: row["uid"]
        for row in store.read("read/addresses_by_bag_id", {"bag_ids": bag_ids})
    } if bag_ids else {}
    by_pc = {
        row["pc_key"]: row["uid"]
        for row in store.read("read/addresses_by_pc_key", {"pc_keys": pc_keys})
    } if pc_keys else {}
    out: dict[AddrRef, str] = {}
    # two passes so that, within one batch, a row with only one key meets a row with both
    for ref in sorted(refs, key=lambda r: (r.bag_id is None or r.pc_key is None)):
        uid = (by_bag.get(ref.bag_id) if ref.bag_id else None) or (
            by_pc.get(ref.pc_key) if ref.pc_key else None
        ) or ref.default_uid()
        out[ref] = uid
        if ref.bag_id:
            by_bag.setdefault(ref.bag_id, uid)
        if ref.pc_key:
            by_pc.setdefault(ref.pc_key, uid)
    return out


@dataclass
class _Merged:
    """All rows of one batch about one node or relationship, merged before writing.

    Each uid (or relationship key) occurs once per statement, so the statement can compare
    against the stored last_seen safely: rows observed earlier only fill missing values.
    """

    props: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    source_records: list[str] = field(default_factory=list)
    grades: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    first_seen: str = "9999-12-31"
    last_seen: str = ""

    def add(self, props: Mapping[str, Any], prov: Prov) -> None:
        given = {k: v for k, v in props.items() if v is not None}
        if prov.seen >= self.last_seen:
            self.props.update(given)
            self.last_seen = prov.seen
        else:
            for k, v in given.items():
                self.props.setdefault(k, v)
        self.first_seen = min(self.first_seen, prov.seen)
        for values_, value in ((self.sources, prov.source),
                               (self.source_records, f"{prov.source}:{prov.record}"),
                               (self.grades, prov.grade), (self.purposes, prov.purpose)):
            if value not in values_:
                values_.append(value)

    def row(self, **keys: str) -> dict[str, Any]:
        return {**keys, "props": self.props, "sources": self.sources,
                "source_records": self.source_records, "grades": self.grades,
                "purposes": self.purposes, "first_seen": self.first_seen,
                "last_seen": self.last_seen}


def write(
    store: Store,
    batch: list[tuple[Prov, list[Node | Rel]]],
    report: LoadReport,
    spec: SourceSpec | None = None,
) -> None:
    """Resolve and write one batch of normalised rows (nodes first, then relationships)."""
    refs = {
        ref
        for _, recs in batch
        for rec in recs
        for ref in ((rec.uid,) if isinstance(rec, Node) else (rec.start, rec.end))
        if isinstance(ref, AddrRef)
    }
    resolved = _resolve_addresses(store, refs) if refs else {}

    def uid_of(ref: Ref) -> str:
        return resolved[ref] if isinstance(ref, AddrRef) else ref

    node_acc: dict[str, dict[str, _Merged]] = defaultdict(dict)
    rel_acc: dict[str, dict[tuple[str, str, str], _Merged]] = defaultdict(dict)
    persons: dict[str, dict[str, Any]] = {}
    for prov, recs in batch:
        for rec in recs:
            if isinstance(rec, Node):
                uid = uid_of(rec.uid)
                node_acc[rec.label].setdefault(uid, _Merged()).add(rec.props, prov)
                if rec.label == "Person" and rec.props.get("candidate_key"):
                    persons[uid] = candidate_props(rec.props)
            else:
                key = (uid_of(rec.start), uid_of(rec.end), rec.key)
                rel_acc[rec.type].setdefault(key, _Merged()).add(rec.props, prov)
    for label, merged in node_acc.items():
        rows = [m.row(uid=uid) for uid, m in merged.items()]
        c = store.write_rows(NODE_STATEMENT[label], rows, batch_size=len(rows))
        report.nodes_created[label] += c.nodes_created
        report.nodes_merged[label] += len(rows)
    for rtype, merged_rels in rel_acc.items():
        rows = [m.row(start=s, end=e, key=k) for (s, e, k), m in merged_rels.items()]
        c = store.write_rows(REL_STATEMENT[rtype], rows, batch_size=len(rows))
        report.rels_created[rtype] += c.relationships_created
        report.rels_merged[rtype] += len(rows)
    if persons:
        report.candidates += write_match_candidates(store, persons)
    if spec is not None and spec.after_write is not None:
        spec.after_write(store, batch)


_CANDIDATE_PROPS = ("candidate_key", *names.MATCH_KEYS)
# read/person_match_candidates parameter per blocking-key property (see names.match_keys)
_BLOCK_PARAMS = {"mk_ym": "ym", "mk_yd": "yd", "mk_md": "md", "mk_swap": "swap",
                 "mk_birth": "birth"}


def candidate_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """What :func:`match_candidate_pairs` needs of a Person node's properties."""
    return {k: props.get(k) for k in _CANDIDATE_PROPS}


def write_match_candidates(store: Store, persons: Mapping[str, Mapping[str, Any]]) -> int:
    """Link look-alikes of these persons with POSSIBLE_SAME_AS (for review, never a merge)."""
    pairs = match_candidate_pairs(store, persons)
    if pairs:
        store.write_rows("write/merge_possible_same_as", pairs)
    return len(pairs)


def match_candidate_pairs(
    store: Store, persons: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The look-alike pairs ``{start, end, score, reason}`` of these persons.

    ``persons`` maps a uid of the batch to its Person properties (``candidate_key`` and
    the ``mk_*`` blocking keys of :func:`loaders.names.match_keys`). One index-backed read
    returns only the persons sharing a blocking key with a batch person (an undated batch
    person: its whole candidate-key group); :func:`loaders.names.similarity` scores each
    pair within a shared block and a score in (0, 1) becomes a candidate. Pairs with
    persons of earlier loads are found the same way, so the result does not depend on
    file order, and loading again rewrites the same pairs.
    """
    params: dict[str, set[str]] = {p: set() for p in (*_BLOCK_PARAMS.values(), "nodate",
                                                      "groups")}
    for props in persons.values():
        for prop, param in _BLOCK_PARAMS.items():
            if props.get(prop):
                params[param].add(props[prop])
        if props.get("mk_nodate"):
            params["groups"].add(props["mk_nodate"])
        elif props.get("mk_ym"):  # dated: meets the undated persons of its name
            params["nodate"].add(props["candidate_key"])
    found = store.read("read/person_match_candidates",
                       {k: sorted(v) for k, v in params.items()})
    by_uid = {row["uid"]: row for row in found}
    blocks: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in found:
        for prop in names.MATCH_KEYS:
            if row.get(prop):
                blocks[(prop, row[prop])].append(row)
        if row.get("candidate_key"):
            blocks[("candidate_key", row["candidate_key"])].append(row)
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for uid in sorted(persons):
        me = by_uid.get(uid)
        if me is None:
            continue
        if me.get("mk_nodate"):
            mine = [("candidate_key", me["mk_nodate"])]
        else:
            mine = [(prop, me[prop]) for prop in _BLOCK_PARAMS if me.get(prop)]
            if me.get("candidate_key"):
                mine.append(("mk_nodate", me["candidate_key"]))
        for block in mine:
            for other in blocks.get(block, ()):
                if other["uid"] == uid:
                    continue
                a, b = sorted((uid, other["uid"]))
                if (a, b) in pairs:
                    continue
                score, reason = names.similarity(_parts(me), _parts(other))
                if 0 < score < 1:
                    pairs[(a, b)] = {"start": a, "end": b, "score": round(score, 2),
                                     "reason": reason}
    return list(pairs.values())


def _parts(p: Mapping[str, Any]) -> names.PersonParts:
    return names.PersonParts(
        p.get("voornamen"), p.get("voorvoegsel"), p.get("geslachtsnaam"), p.get("geboortedatum")
    )


# -- the whole load -------------------------------------------------------------------------
def _prov(spec: SourceSpec, row: dict[str, Any], today: dt.date) -> Prov:
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


# where a spreadsheet may start a cell (the start, or after a separator of any delimiter it
# might split on: comma, semicolon, tab, line break, quote) followed by a formula trigger
_FORMULA_START = re.compile(r"""(^|[,;\t\r\n"] *)(?=[=+\-@\t\r])""")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text, never runs it (OWASP CSV injection).

    A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a single
    quote in front (``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``). So does such a character
    after a comma, semicolon, tab, line break or quote inside the cell (``x;=cmd|...`` ->
    ``x;'=cmd|...``): a spreadsheet that splits lines on another delimiter than the file's
    would start a cell there. Control characters other than tab and line breaks become
    U+FFFD, so the reject file shows where they were.
    """
    return _FORMULA_START.sub(r"\1'", values.CONTROL_IN_TEXT.sub("\ufffd", cell))


def _write_rejects(path: Path, refused: dict[int, list[Problem]], table: Table) -> Path:
    out = path.with_name(path.stem + ".afgewezen.csv")
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["rij", "redenen", *map(spreadsheet_safe, table.header)])
        for number, raw in table.rows():
            if number in refused:
                reasons = "; ".join(f"{p.column}: {p.message}" for p in refused[number])
                w.writerow([number, spreadsheet_safe(reasons),
                            *(spreadsheet_safe(raw.get(c, "")) for c in table.columns)])
    return out


def _refused(exc: TableError) -> Problem:
    return Problem(exc.path, exc.row, exc.column, exc.reason)


def sync(
    store: Store,
    spec: SourceSpec,
    paths: Iterable[Path],
    *,
    skip_invalid: bool = False,
    today: dt.date | None = None,
    batch_size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> LoadReport:
    """Load files of one source: validate each whole file, then write it in batches.

    Raises :class:`LoadError` (and writes nothing of that file) when a file has problems,
    unless ``skip_invalid``; then valid rows load and refused rows go to
    ``<file>.afgewezen.csv``. Earlier files of the same call stay loaded.
    """
    today = today or dt.date.today()
    size = batch_size or store.batch_size
    report = LoadReport(spec.name)
    tables: list[tuple[Table, dict[int, list[Problem]]]] = []
    for path in paths:
        try:
            table = parse(Path(path))
        except TableError as exc:
            raise LoadError([_refused(exc)]) from exc
        problems = header_problems(spec, table)
        if problems:
            raise LoadError(problems)
        known = spec.all_columns
        report.ignored_columns += [h for h, c in zip(table.header, table.columns, strict=True)
                                   if c not in known]
        refused: dict[int, list[Problem]] = {}
        try:
            for number, _, row_problems in validate(spec, table, today):
                if row_problems:
                    refused[number] = row_problems
        except TableError as exc:  # unreadable from this row on: the whole file is refused
            raise LoadError([*(p for ps in refused.values() for p in ps), _refused(exc)]
                            ) from exc
        if refused and not skip_invalid:
            raise LoadError([p for ps in refused.values() for p in ps])
        tables.append((table, refused))
    for table, refused in tables:
        report.files.append(str(table.path))
        if refused:
            report.rows_refused += len(refused)
            report.reject_files.append(str(_write_rejects(table.path, refused, table)))
        batch: list[tuple[Prov, list[Node | Rel]]] = []
        for number, clean, row_problems in validate(spec, table, today):
            report.rows_read += 1
            if number in refused or row_problems:
                continue
            batch.append((_prov(spec, clean, today), list(spec.normalise(clean))))
            if len(batch) >= size:
                write(store, batch, report, spec)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            write(store, batch, report, spec)
            if progress:
                progress(len(batch))
    finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    store.write("write/record_load_run", {
        "uid": f"load:{spec.name}:{finished}",
        "source": spec.name,
        "files": report.files,
        "finished": finished,
        "rows_read": report.rows_read,
        "rows_refused": report.rows_refused,
        "nodes_created": sum(report.nodes_created.values()),
        "relationships_created": sum(report.rels_created.values()),
    })
    return report


# -- checks shared by the source modules ------------------------------------------------------
def enum_parser(allowed: tuple[str, ...], what: str) -> Callable[[str], str]:
    """A cell parser for one enumeration (case-insensitive, stored lower case)."""

    def parse_enum(text: str) -> str:
        return values.enum(text, allowed, what)

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


def party_node(row: Mapping[str, Any], type_col: str, kvk_col: str, prefix: str,
               record: str, name_col: str | None = None,
               land_col: str | None = None) -> Node | None:
    """The person or organisation a row names in one column group."""
    kind = row.get(type_col)
    if kind == "persoon":
        return person_node(row, prefix, record)
    if kind == "organisatie":
        return organisation_ref(
            row.get(kvk_col),
            row.get(name_col) if name_col else None,
            row.get(land_col) if land_col else None,
        )
    return None
