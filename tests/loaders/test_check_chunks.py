"""The checking pass over two processes gives exactly what one process gives.

``loaders.chunks`` splits a file's rows into chunks: with two processes this one checks
the even chunks and a forked helper the odd ones. Every fixture and a generated set are
checked both ways, with chunks of a few rows so that every file has many: the rows read,
the refused rows with their problems (or the problems of a refused file, in order) and
every normalised row of the spill must be equal. No store is needed: the check pass
writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from graph_service.model import LOAD_ORDER
from graph_service.store.embedded import REPLAY_COST_RATIO, EmbeddedServer
from loaders import chunks, spec_for
from loaders.base import LoadError, LoadReport, SourceSpec, check_file, parse
from loaders.checks import validate
from loaders.synthetic import generate
from tests.support.processes import ended

FIX = Path(__file__).parent.parent / "fixtures"
TODAY = dt.date(2026, 11, 27)
FIXTURES = [(source, path) for source in LOAD_ORDER
            for path in sorted((FIX / source).glob("*.csv"))]


def _checked(spec: SourceSpec, path: Path, workers: int, skip_invalid: bool) -> Any:
    """What the check pass makes of ``path``: the problems of a refused file, or the rows
    read, the refused rows and every spilled row (in batches of 4)."""
    try:
        done = check_file(spec, path, TODAY, 4, skip_invalid, LoadReport(spec.name),
                          workers=workers)
    except LoadError as exc:
        return [str(p) for p in exc.problems]
    try:
        return done.rows, done.refused, [list(batch) for batch in done.spill.batches()]
    finally:
        done.spill.close()


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Chunks of 3 rows; the parts this process checked, as (part, parts)."""
    monkeypatch.setattr(chunks, "CHUNK_ROWS", 3)
    calls: list[tuple[int, int]] = []
    own = chunks._chunks

    def recorded(*args: Any) -> Any:
        calls.append(args[-2:])
        return own(*args)

    monkeypatch.setattr(chunks, "_chunks", recorded)
    return calls


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_every_fixture_checks_the_same_in_two_processes(
    small_chunks: list[tuple[int, int]], skip_invalid: bool
) -> None:
    assert len(FIXTURES) >= 30
    outcomes = []
    for source, path in FIXTURES:
        spec = spec_for(source)
        one = _checked(spec, path, 1, skip_invalid)
        two = _checked(spec, path, 2, skip_invalid)
        assert two == one, path.name
        outcomes.append(one)
    # this process checked the even chunks only: the odd ones came from the helper
    assert (0, 2) in small_chunks and (1, 2) not in small_chunks
    refused_whole = [o for o in outcomes if isinstance(o, list)]
    assert refused_whole and all(refused_whole)
    assert any(isinstance(o, tuple) and o[1] for o in outcomes) == skip_invalid
    assert any(isinstance(o, tuple) and o[0] > 6 and o[2] for o in outcomes)


def test_generated_files_check_the_same_in_two_processes(
    small_chunks: list[tuple[int, int]], tmp_path: Path
) -> None:
    generate(tmp_path, 600, 11, today=TODAY)
    for source in LOAD_ORDER:
        if source == "ftm":  # an outside list is not generated (nor a table)
            continue
        spec = spec_for(source)
        one = _checked(spec, tmp_path / f"{source}.csv", 1, False)
        two = _checked(spec, tmp_path / f"{source}.csv", 2, False)
        assert two == one, source
        rows, refused, batches = one
        assert rows > 20 and not refused and sum(map(len, batches)) == rows


def _with_bad_rows(tmp_path: Path, tail: bytes = b"") -> Path:
    """The KvK variants fixture with a bad KvK number in every fifth row, then ``tail``."""
    lines = (FIX / "kvk" / "kvk_variants.csv").read_bytes().splitlines()
    header = lines[0].decode().split(",")
    out = [lines[0]]
    for i, line in enumerate(lines[1:] * 4):
        row = line.decode().split(",")
        if i % 5 == 1:
            row[header.index("kvk_nummer")] = "123"
        out.append(",".join(row).encode())
    path = tmp_path / "kvk.csv"
    path.write_bytes(b"\n".join(out) + b"\n" + tail)
    return path


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_refused_rows_keep_their_order_and_problems_in_two_processes(
    small_chunks: list[tuple[int, int]], tmp_path: Path, skip_invalid: bool
) -> None:
    path = _with_bad_rows(tmp_path)
    one = _checked(spec_for("kvk"), path, 1, skip_invalid)
    assert _checked(spec_for("kvk"), path, 2, skip_invalid) == one
    if skip_invalid:
        rows, refused, _ = one
        assert len(refused) >= 4 and rows > len(refused)
    else:
        assert len(one) >= 4 and all(":kvk_nummer:" in p for p in one)


def test_an_unreadable_row_comes_after_the_problems_before_it_in_two_processes(
    small_chunks: list[tuple[int, int]], tmp_path: Path
) -> None:
    """Both processes read the whole file, so both stop at the unreadable row; the
    problems of every row before it (from both) come first."""
    path = _with_bad_rows(tmp_path, b'"' + b"x" * 200_000 + b"\n")
    one = _checked(spec_for("kvk"), path, 1, True)
    assert _checked(spec_for("kvk"), path, 2, True) == one
    assert len(one) >= 5 and "langer dan" in one[-1]
    assert sorted(int(p.split(":")[1]) for p in one) == [int(p.split(":")[1]) for p in one]


def test_a_failing_helper_fails_the_check_and_leaves_no_process(
    small_chunks: list[tuple[int, int]]
) -> None:
    """A row the helper cannot normalise (here: one the test makes fail) is an error of
    the check, raised in this process; the helper is gone after it."""
    spec = spec_for("kvk")
    path = FIX / "kvk" / "kvk_variants.csv"
    # a row of the second chunk (the helper's), with a KvK number no other row has
    rows = [(n, clean) for n, clean, _ in validate(spec, parse(path), TODAY)]
    numbers = [clean["kvk_nummer"] for _, clean in rows]
    target = next(clean["kvk_nummer"] for n, clean in rows
                  if (n - 2) // 3 == 1 and numbers.count(clean["kvk_nummer"]) == 1)

    def normalise(clean: dict[str, Any]) -> Any:
        if clean["kvk_nummer"] == target:
            raise ValueError("normalise failed on purpose")
        return spec.normalise(clean)

    failing = dataclasses.replace(spec, normalise=normalise)
    with pytest.raises(RuntimeError, match="normalise failed on purpose"):
        _checked(failing, path, 2, False)
    assert multiprocessing.active_children() == []


def test_two_processes_only_for_a_large_csv_file_with_a_core_to_spare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = FIX / "kvk" / "kvk_variants.csv"
    size = path.stat().st_size
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    # as in a command; earlier tests may have left threads in this process (see below)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert chunks.workers_for(parse(path)) == 1  # below MIN_BYTES
    monkeypatch.setattr(chunks, "MIN_BYTES", size)
    assert chunks.workers_for(parse(path)) == 2
    # the engine's start reads more meanwhile than the check takes: it keeps its core
    assert chunks.workers_for(parse(path), busy_bytes=size * chunks.CHECK_TO_START) == 2
    assert chunks.workers_for(parse(path), busy_bytes=size * chunks.CHECK_TO_START + 1) == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0})
    assert chunks.workers_for(parse(path)) == 1  # one core
    monkeypatch.undo()  # the process' real threads, with one more of this test's
    monkeypatch.setattr(chunks, "MIN_BYTES", size)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert chunks.workers_for(parse(path)) == 1  # a fork copies only this thread
    finally:
        stop.set()
        other.join()
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["kvk_nummer", "naam"])
    book.active.append(["12345678", "Een"])
    xlsx = tmp_path / "kvk.xlsx"
    book.save(xlsx)
    monkeypatch.setattr(chunks, "MIN_BYTES", 1)
    assert chunks.workers_for(parse(xlsx)) == 1  # a workbook is read by one process


def test_an_engine_start_counts_its_snapshot_and_its_write_log(tmp_path: Path) -> None:
    """What the engine reads at its start, in bytes of snapshot (the write log's replay
    re-runs every write); ``ondergraaf load`` weighs its check against it."""
    server = EmbeddedServer(tmp_path)
    aof = server.dir / "aof"
    aof.mkdir(parents=True)
    (aof / "appendonly.aof.3.base.rdb").write_bytes(b"b" * 1000)
    (aof / "appendonly.aof.3.incr.aof").write_bytes(b"i" * 10)
    (aof / "appendonly.aof.manifest").write_text(
        "file appendonly.aof.3.base.rdb seq 3 type b\n"
        "file appendonly.aof.3.incr.aof seq 3 type i\n", encoding="utf-8")
    assert server.start_bytes() == 1000 + REPLAY_COST_RATIO * 10


_KILLED_PARENT = """
import datetime as dt, multiprocessing, sys, time
from pathlib import Path
from loaders import chunks, spec_for
from loaders.base import parse
chunks.CHUNK_ROWS = 2
rows = chunks.checked_chunks(spec_for("kvk"), parse(Path(sys.argv[1])), dt.date(2026, 11, 27),
                             keep_going=False, workers=2)
next(rows)
print(multiprocessing.active_children()[0].pid, flush=True)
time.sleep(120)  # the helper's rows wait in the pipe
"""


def test_the_helper_ends_when_the_check_is_killed(tmp_path: Path) -> None:
    """``kill -9`` of a command during its check: its helper, waiting to send rows that
    nobody reads any more, ends instead of waiting for ever (it holds no end of the pipe
    but its own)."""
    generate(tmp_path, 600, 11, today=TODAY)
    parent = subprocess.Popen([sys.executable, "-c", _KILLED_PARENT, str(tmp_path / "kvk.csv")],
                              stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).parent.parent.parent)
    helper = None
    try:
        assert parent.stdout is not None
        helper = int(parent.stdout.readline())
        time.sleep(0.5)
        assert not ended(helper)  # blocked on the full pipe
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while not ended(helper) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ended(helper)
    finally:
        parent.kill()
        parent.wait()
        if helper is not None and not ended(helper):
            os.kill(helper, signal.SIGKILL)
