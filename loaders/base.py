"""The loader shape every source shares: parse -> validate -> normalise -> resolve -> write.

A source module (``loaders.kvk`` and friends) declares a :class:`SourceSpec`: its columns
with their parsers, the required ones, the person column groups, how to name a record, the
cross-field checks and ``normalise`` (a clean row -> graph records). :func:`sync` does the
rest the same way for every source, in two passes over each file:

1. **Check** (one pass per file, before anything is written): ``parse`` streams
   ``(row number, raw row)`` from a CSV or .xlsx file (``loaders.reader``); ``validate``
   (``loaders.checks``) collects header problems (a BSN column, a required column
   missing) and cell problems as ``FILE:ROW:COLUMN: message``, all of them; every cell is
   first checked for what no value may hold (over 10,000 characters, control characters;
   tabs and line breaks only in the free-text columns of :data:`FREE_TEXT_COLUMNS`). A
   file that cannot be read as a table (encoding, binary, damaged workbook, over-long
   line) is refused with its row. Each fit row is normalised at once (clean row ->
   :class:`Node` / :class:`Rel` records with stable uids, ``loaders.records``) into a
   spill of compact batches (``loaders.spill``: in memory when small, else an unnamed
   temporary file), so memory stays flat in the file size. A large CSV file is checked
   in chunks by two processes where a second core is free for it (``loaders.chunks``),
   with the same result.
2. **Write** (only when every file of the call is fit): the spilled batches go through
   the writer (``loaders.writer``): addresses resolved against the graph by BAG id, then
   by postcode key, so a row carrying both links the two; one managed transaction per
   statement and batch, ``UNWIND`` + ``MERGE`` from ``cypher/write/``; every record
   carries its row's provenance. One writer thread writes batch ``k`` while the next is
   prepared. The whole writing pass is one run of writes for the stored hits
   (``Store.bulk_writes``: counted at its start and end, not around every statement).
   Loading the same file again changes nothing; an interrupted load rerun completes it.

A file with any problem writes nothing, unless ``skip_invalid`` is asked for: then the
valid rows load and the refused rows go to a reject file with their reasons, written safe
to open in a spreadsheet (:func:`spreadsheet_safe`).

The two passes are also callable apart (:func:`check`, then :func:`write_checked`):
``ondergraaf load`` checks its files before it opens the store, while the embedded engine
starts, and a refused file never waits for the engine.

This module keeps the names the source modules, the command line and the tests use; the
parts live in ``loaders.records``, ``loaders.checks``, ``loaders.chunks``,
``loaders.spill`` and ``loaders.writer``.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graph_service.cells import spreadsheet_safe
from graph_service.model import load_run_uid, one_identity_key
from graph_service.store import Store

from . import runs
from .checks import (
    FREE_TEXT_COLUMNS,
    PROVENANCE_COLUMNS,
    LoadError,
    Problem,
    SourceSpec,
    check_address,
    check_party,
    check_period,
    clean_row,
    enum_parser,
    header_problems,
    make_prov,
    person_check,
    validate,
)
from .chunks import checked_chunks, workers_for
from .reader import Table, TableError, open_table
from .records import (
    PERSON_FIELDS,
    AddrRef,
    Node,
    Prov,
    Rel,
    address_node,
    organisation_ref,
    party_node,
    person_node,
)
from .spill import Spill
from .writer import (
    NODE_STATEMENT,
    REL_STATEMENT,
    LoadReport,
    Pipeline,
    candidate_props,
    match_candidate_pairs,
    resolve_addresses,
    write,
    write_match_candidates,
)

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
    "party_node",
    "PERSON_FIELDS",
    "PROVENANCE_COLUMNS",
    "FREE_TEXT_COLUMNS",
    "NODE_STATEMENT",
    "REL_STATEMENT",
    "spreadsheet_safe",
    "CheckedFile",
    "CheckedLoad",
    "check",
    "check_file",
    "write_checked",
    "header_problems",
    "clean_row",
    "person_check",
    "make_prov",
    "enum_parser",
    "check_period",
    "check_address",
    "check_party",
    "candidate_props",
    "match_candidate_pairs",
    "resolve_addresses",
    "write_match_candidates",
    "fewer_collections",
]

#: The collector's thresholds during a load (generation 0 after this many allocations).
LOAD_GC_THRESHOLD = (100_000, 50, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector seldom for the duration of the block.

    A load allocates millions of short-lived dicts, lists and records, all freed by
    reference counting; with the default thresholds (a collection every 700 allocations)
    the collector still walks the live objects again and again: 5.7 of 14.5 s of Python
    CPU for KvK at 100k. Nothing a load builds holds a reference cycle, so collecting
    every 100,000 allocations frees the same memory. The old thresholds come back after
    the block (nested blocks restore in turn).
    """
    old = gc.get_threshold()
    gc.set_threshold(*LOAD_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def parse(path: Path) -> Table:
    """Open a source file; ``Table.rows()`` streams its rows."""
    return open_table(path)


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


@dataclass
class CheckedFile:
    """One file after the checking pass: its rows, refused rows and spilled batches, and
    how to list the refused rows beside it (``<file>.afgewezen.csv``)."""

    path: Path
    rows: int
    refused: dict[int, list[Problem]]
    spill: Spill
    write_rejects: Callable[[], Path]


def check_file(spec: SourceSpec, path: Path, today: dt.date, batch_size: int,
               skip_invalid: bool, report: LoadReport, busy_bytes: int = 0,
               workers: int | None = None) -> CheckedFile:
    """Read, validate and normalise one whole file; raise :class:`LoadError` if refused.

    A large CSV file is checked by two processes (``loaders.chunks``; ``busy_bytes``:
    what the embedded engine loads meanwhile, ``workers`` decides instead)."""
    try:
        table = parse(path)
    except TableError as exc:
        raise LoadError([_refused(exc)]) from exc
    problems = header_problems(spec, table)
    if problems:
        raise LoadError(problems)
    known = spec.all_columns
    report.ignored_columns += [h for h, c in zip(table.header, table.columns, strict=True)
                               if c not in known]
    refused: dict[int, list[Problem]] = {}
    rows = 0
    spill = Spill(batch_size)
    if workers is None:
        workers = workers_for(table, busy_bytes)
    try:
        with one_identity_key():  # person uids: the key looked up once, not per row
            for chunk in checked_chunks(spec, table, today, keep_going=skip_invalid,
                                        workers=workers):
                if chunk.error is not None:  # unreadable from this row on: refused whole
                    raise LoadError([*(p for ps in refused.values() for p in ps),
                                     chunk.error])
                rows += chunk.rows
                refused.update(chunk.refused)
                if skip_invalid or not refused:  # a refused file needs no more records
                    spill.add_packed(chunk.packed)
    except BaseException:
        spill.close()
        raise
    if refused and not skip_invalid:
        spill.close()
        raise LoadError([p for ps in refused.values() for p in ps])
    return CheckedFile(path, rows, refused, spill,
                       lambda: _write_rejects(path, refused, table))


@dataclass
class CheckedLoad:
    """The files of one load after the checking pass (:func:`check`), waiting for
    :func:`write_checked`: its report so far, its run's start and reference date. Close it
    (or leave its ``with`` block) when it will not be written, to drop its spills."""

    spec: SourceSpec
    files: list[CheckedFile]
    report: LoadReport
    started: str
    today: dt.date

    def close(self) -> None:
        for done in self.files:
            done.spill.close()

    def __enter__(self) -> CheckedLoad:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check(
    spec: SourceSpec,
    paths: Iterable[Path],
    *,
    batch_size: int,
    skip_invalid: bool = False,
    today: dt.date | None = None,
    full: bool = False,
    busy_bytes: int = 0,
) -> CheckedLoad:
    """The checking pass of a load (see :func:`sync`), which needs no store: a command
    checks its files while the engine starts (``busy_bytes``: what the engine reads and
    indexes meanwhile, ``loaders.chunks.workers_for``). Raises :class:`LoadError` when a
    file has problems (unless ``skip_invalid``)."""
    def check_table(path: Path, today: dt.date, batch_size: int, skip_invalid: bool,
                    report: LoadReport) -> CheckedFile:
        return check_file(spec, path, today, batch_size, skip_invalid, report, busy_bytes)

    # a source that is no table checks its own files (loaders.ftm: JSON lines)
    check_one: Callable[..., CheckedFile] = spec.check_file or check_table
    if full and skip_invalid:
        raise ValueError("a full extract loads whole or not at all (no skip_invalid)")
    today = today or dt.date.today()
    started = runs.started_now()
    report = LoadReport(spec.name, run=load_run_uid(spec.name, started), full=full)
    load = CheckedLoad(spec, [], report, started, today)
    with fewer_collections():  # millions of short-lived objects, no cycles
        try:
            for path in paths:
                load.files.append(check_one(Path(path), today, batch_size, skip_invalid,
                                            report))
        except BaseException:
            load.close()
            raise
    return load


def write_checked(
    store: Store,
    load: CheckedLoad,
    *,
    progress: Callable[[int], None] | None = None,
    by: str | None = None,
) -> LoadReport:
    """The writing pass of a checked load (see :func:`sync`); closes ``load``."""
    report = load.report
    # the stored hits count the load as one write (Store.bulk_writes)
    with fewer_collections(), load, store.bulk_writes():
        for done in load.files:
            report.files.append(str(done.path))
            report.rows_read += done.rows
            if done.refused:
                report.rows_refused += len(done.refused)
                report.reject_files.append(str(done.write_rejects()))
            with Pipeline(store, report, load.spec, progress) as pipeline:
                for batch in done.spill.batches():
                    pipeline.submit(batch)
            done.spill.close()
        runs.end_unseen(store, report, load.today)
        runs.record(store, report, load.started,
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), by)
    return report


def sync(
    store: Store,
    spec: SourceSpec,
    paths: Iterable[Path],
    *,
    skip_invalid: bool = False,
    today: dt.date | None = None,
    batch_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    full: bool = False,
    by: str | None = None,
) -> LoadReport:
    """Load files of one source: check every file whole, then write them in batches.

    Every load is a run (``loaders.runs``): its facts are stamped with it and it is
    recorded (``by``: who loaded). ``full``: the files are a full extract of the source
    (of its municipalities, for a per-municipality source): empty cells clear the
    source's values and facts of the source the files no longer contain end; not with
    ``skip_invalid`` (a refused row would end its facts).

    Raises :class:`LoadError` (and writes nothing) when a file has problems, unless
    ``skip_invalid``; then valid rows load and refused rows go to
    ``<file>.afgewezen.csv``. Each file is read, validated and normalised once; its
    normalised rows wait in a spill (``loaders.spill``) until every file is known fit.
    :func:`check` and :func:`write_checked` are the two passes apart.
    """
    load = check(spec, paths, batch_size=batch_size or store.batch_size,
                 skip_invalid=skip_invalid, today=today, full=full)
    return write_checked(store, load, progress=progress, by=by)
