"""The checking pass of one table, in chunks of rows, in this process or over two.

``loaders.base.check_file`` reads, validates and normalises a whole file before anything
is written. A row's problems and records depend on that row alone, so the work splits by
rows: :func:`checked_chunks` yields the file's rows in chunks of :data:`CHUNK_ROWS`
(numbered by row number, so a chunk is the same whoever reads it), each with its row
count, its refused rows and the packed records of its fit rows (``loaders.records.pack``).

With two processes this one checks the even chunks and a helper forked from it the odd
ones. Each reads the whole file (a record it does not keep is read past, not turned into
a row: ``Table.rows(keep=...)``), so both meet an unreadable row at the same place; the
helper sends its chunks through a pipe, and this process puts them back in file order.
The result is the same as with one process: the same chunks, the same problems in the
same order, the same records. The helper is started by ``fork`` (it has the imports, the
source's description and the identity key of the load already), checks nothing but rows
and leaves by ``os._exit`` (none of this process' exit handlers run twice). At most one
chunk waits in the pipe, so memory stays flat in the file size.

A second process pays when it has a core to itself: :func:`workers_for` gives two for a
CSV file of :data:`MIN_BYTES` or more, on a machine with two cores or more, in a process
without other threads (a fork copies only the calling thread), and only when the check
outlasts what the embedded engine does meanwhile. ``ondergraaf load`` checks its files
while the engine it started loads its snapshot and builds its indexes on another core;
when that start takes longer than the check, a helper would take the engine's core and
the command would wait longer, not less (``busy_bytes``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from heapq import merge
from multiprocessing.connection import Connection
from typing import Any

from .checks import Problem, SourceSpec, make_prov, validate
from .reader import Table, TableError
from .records import Packed, pack

__all__ = ["CHUNK_ROWS", "MIN_BYTES", "CHECK_TO_START", "Chunk", "checked_chunks",
           "workers_for"]

#: Rows per chunk (by row number).
CHUNK_ROWS = 500

#: A CSV file this large or larger is checked by two processes (where :func:`workers_for`
#: allows it): about 5,000 rows, 2 s of checking on one core; below that the fork and the
#: second reading of the file take much of what the helper saves.
MIN_BYTES = 2 << 20

#: While the check runs, the embedded engine's start reads about this many bytes of its
#: snapshot and write log, and builds its indexes, per byte of CSV that the check reads
#: (measured 2026-12-07 on one core each: the KvK file at 100k checked at 2.8 MB/s, the
#: start from the 100k snapshot at 17 MB/s; docs/benchmarks.md).
CHECK_TO_START = 6


@dataclass
class Chunk:
    """The rows of one chunk: how many, the refused ones (with their problems, in row
    order) and the packed records of the others. The last chunk of a file that cannot be
    read to its end holds the problem that stops it (``error``); ``index`` then sorts
    after every chunk."""

    index: int
    rows: int = 0
    refused: list[tuple[int, list[Problem]]] = field(default_factory=list)
    packed: list[Packed] = field(default_factory=list)
    error: Problem | None = None


_LAST = 1 << 62  # the index of the chunk holding a file's error: after all others


def workers_for(table: Table, busy_bytes: int = 0) -> int:
    """How many processes check ``table``: 2 or 1 (module docstring). ``busy_bytes``:
    what the embedded engine reads and indexes meanwhile (0: nothing)."""
    if not table.is_csv:
        return 1
    size = table.path.stat().st_size
    if size < MIN_BYTES or size * CHECK_TO_START < busy_bytes:
        return 1
    if len(os.sched_getaffinity(0)) < 2 or threading.active_count() > 1:
        return 1
    return 2


def checked_chunks(spec: SourceSpec, table: Table, today: dt.date, *, keep_going: bool,
                   workers: int = 1) -> Iterator[Chunk]:
    """The checked chunks of ``table`` in file order (module docstring).

    ``keep_going``: fit rows after a refused one are still normalised (a load with
    ``skip_invalid``); otherwise a process stops normalising at its first refused row,
    since the file will not be written. Only non-empty chunks are yielded."""
    if workers <= 1:
        yield from _chunks(spec, table, today, keep_going, 0, 1)
        return
    context = multiprocessing.get_context("fork")
    theirs, ours = context.Pipe(duplex=False)
    helper = context.Process(target=_helper, name="ondergraaf-check",
                             args=(ours, theirs, spec, table, today, keep_going),
                             daemon=True)
    helper.start()
    ours.close()
    try:
        yield from merge(_chunks(spec, table, today, keep_going, 0, 2), _received(theirs),
                         key=lambda chunk: chunk.index)
    finally:
        theirs.close()
        if helper.is_alive():
            helper.terminate()
        helper.join()


def _chunks(spec: SourceSpec, table: Table, today: dt.date, keep_going: bool, part: int,
            parts: int) -> Iterator[Chunk]:
    """The chunks ``part`` of ``parts`` (chunk ``i`` belongs to part ``i % parts``)."""
    size = CHUNK_ROWS

    def mine(number: int) -> bool:
        return (number - 2) // size % parts == part

    chunk = Chunk(-1)
    refused = False
    try:
        for number, clean, problems in validate(spec, table, today,
                                                mine if parts > 1 else None):
            index = (number - 2) // size
            if index != chunk.index:
                if chunk.rows:
                    yield chunk
                chunk = Chunk(index)
            chunk.rows += 1
            if problems:
                chunk.refused.append((number, problems))
                refused = True
            elif keep_going or not refused:
                chunk.packed.append(pack(make_prov(spec, clean, today),
                                         list(spec.normalise(clean))))
    except TableError as exc:
        if chunk.rows:
            yield chunk
        yield Chunk(_LAST, error=Problem(exc.path, exc.row, exc.column, exc.reason))
        return
    if chunk.rows:
        yield chunk


def _helper(conn: Connection, parents: Connection, spec: SourceSpec, table: Table,
            today: dt.date, keep_going: bool) -> None:  # pragma: no cover - in the helper
    # the pipe's other end, inherited by the fork: closed, so that when the parent dies
    # (even by kill -9) the next send fails and the helper ends instead of waiting
    parents.close()
    code = 0
    try:
        for chunk in _chunks(spec, table, today, keep_going, 1, 2):
            if chunk.error is None:
                conn.send(chunk)
        conn.send(None)  # done (the file's error, if any, comes from the other part)
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        code = 1
        with contextlib.suppress(BaseException):  # else the parent sees the pipe end
            conn.send(_Failed(f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()
        os._exit(code)


@dataclass
class _Failed:
    reason: str


def _received(conn: Connection) -> Iterator[Chunk]:
    while True:
        try:
            item: Any = conn.recv()
        except EOFError:
            raise RuntimeError("the check's helper process ended without its rows") from None
        if item is None:
            return
        if isinstance(item, _Failed):
            raise RuntimeError(f"the check's helper process failed: {item.reason}")
        yield item
