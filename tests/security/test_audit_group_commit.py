"""The audit trail commits in groups: concurrent appenders of one process share one write
and one fsync of the log, the head and the anchor are written once per group, and a crash
between those writes loses no acknowledged record and leaves a trail that verifies.

The crash is a real one: a child process appends from several threads and is killed
(SIGKILL) by itself right after the log of a group is fsynced and before the head (or the
anchor) of that group is written. Every record it acknowledged (``append`` returned) must
be in the log, sealed as returned; the head (or anchor) lags behind the log, which
``verify`` accepts and the next append repairs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from graph_service.config import load_settings
from graph_service.security.audit import ANCHOR_FILE, AuditError, AuditTrail

ROOT = Path(__file__).parent.resolve().parent.parent


def _env(tmp_path: Path) -> dict[str, str]:
    return {"ONDERGRAAF_DATA_DIR": str(tmp_path / "data")}


def _open(tmp_path: Path) -> AuditTrail:
    return AuditTrail.open(load_settings(env=_env(tmp_path)), env=_env(tmp_path))


def _append(trail: AuditTrail, who: str, i: int) -> dict[str, Any]:
    return trail.append(actor=who, roles=["riec_liaison"], purpose="riec_casus",
                        reference="2026-7", action="read",
                        what={"name": "GET /api/entities/<uid>", "params": {"i": i}},
                        uids=[f"kvk:{i}", f"person:{who}"], client="10.0.0.1")


def test_many_threads_on_one_trail_make_one_exact_chain(tmp_path: Path) -> None:
    trail = _open(tmp_path)  # one instance shared by every thread, as a web worker has
    threads, each = 16, 40
    returned: dict[str, list[dict[str, Any]]] = {}
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        mine = returned.setdefault(f"t{n}", [])
        try:
            for i in range(each):
                mine.append(_append(trail, f"t{n}", i))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    result = trail.verify()
    assert result.ok, result.message()
    assert result.records == threads * each
    on_disk = list(trail.read())
    assert [r["seq"] for r in on_disk] == list(range(1, threads * each + 1))
    by_seq = {r["seq"]: r for r in on_disk}
    for who, records in returned.items():
        assert len(records) == each
        assert all(by_seq[r["seq"]] == r for r in records)  # returned as sealed on disk
        assert [r["what"]["params"]["i"] for r in records] == list(range(each))
        assert [r["seq"] for r in records] == sorted(r["seq"] for r in records)
        assert all(r["actor"] == who for r in records)
    timestamps = [r["ts"] for r in on_disk]
    assert timestamps == sorted(timestamps)
    head = json.loads(trail.head_path.read_text(encoding="utf-8"))
    anchor = json.loads((tmp_path / "data" / "security" / ANCHOR_FILE).read_text())
    assert head["seq"] == anchor["seq"] == threads * each
    assert head["hash"] == anchor["hash"] == on_disk[-1]["hash"]


def test_records_waiting_during_a_write_go_out_together(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the first group is written, the other appenders queue; the next committer
    writes all of them at once (one write, one fsync, one head and anchor)."""
    trail = _open(tmp_path)
    waiting = 7
    batches: list[list[str]] = []
    commit = AuditTrail._commit  # noqa: SLF001 - observed, not replaced

    def observed(self: AuditTrail, batch: list[Any]) -> None:
        if not batches:  # the first group: hold it until every other appender waits
            group = self._group()  # noqa: SLF001
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with group.cond:
                    if len(group.queue) == waiting:
                        break
                time.sleep(0.005)
        batches.append([p.body["actor"] for p in batch])
        commit(self, batch)

    monkeypatch.setattr(AuditTrail, "_commit", observed)
    heads: list[int] = []
    write_head = AuditTrail._write_head  # noqa: SLF001

    def counted(self: AuditTrail, seq: int, digest: str) -> None:
        heads.append(seq)
        write_head(self, seq, digest)

    monkeypatch.setattr(AuditTrail, "_write_head", counted)
    first = threading.Thread(target=_append, args=(trail, "first", 0))
    first.start()
    while not batches and first.is_alive():
        time.sleep(0.001)
        group = trail._group()  # noqa: SLF001
        with group.cond:
            if group.committing:
                break
    rest = [threading.Thread(target=_append, args=(trail, f"w{n}", n)) for n in range(waiting)]
    for t in rest:
        t.start()
    for t in [first, *rest]:
        t.join()
    assert batches[0] == ["first"]
    assert len(batches) == 2 and sorted(batches[1]) == sorted(f"w{n}" for n in range(waiting))
    assert heads == [1, 1 + waiting]  # the head written once per group
    assert trail.verify().ok and trail.verify().records == 1 + waiting


def test_a_damaged_log_refuses_every_appender_of_the_group(tmp_path: Path) -> None:
    trail = _open(tmp_path)
    _append(trail, "a", 0)
    with trail.path.open("a") as fh:
        fh.write('{"seq": 2, "ts"')
    before = trail.path.read_bytes()
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            _append(trail, f"w{n}", n)
        except AuditError as exc:
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert len(errors) == 8 and all("onvolledig" in str(e) for e in errors)
    assert trail.path.read_bytes() == before  # nothing written after the damage


CRASHER = """
import os, signal, sys, threading
from graph_service.config import load_settings
from graph_service.security.audit import AuditTrail
env = {"ONDERGRAAF_DATA_DIR": sys.argv[1]}
point, after = sys.argv[2], int(sys.argv[3])
trail = AuditTrail.open(load_settings(env=env), env=env)
real = getattr(AuditTrail, point)
calls = []
def crash(self, seq, digest):
    calls.append(seq)
    if len(calls) > after:  # the log of this group is fsynced; its head/anchor are not
        os.kill(os.getpid(), signal.SIGKILL)
    real(self, seq, digest)
setattr(AuditTrail, point, crash)
out = threading.Lock()
def worker(n):
    for i in range(200):
        rec = trail.append(actor=f"t{n}", action="read", what={"name": "x", "params": {"i": i}})
        with out:
            sys.stdout.write(f"{rec['seq']} {rec['hash']}\\n")
            sys.stdout.flush()
pool = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
for t in pool: t.start()
for t in pool: t.join()
"""


@pytest.mark.parametrize("point", ["_write_head", "_write_anchor"])
def test_a_crash_after_the_log_and_before_head_or_anchor(tmp_path: Path, point: str) -> None:
    trail = _open(tmp_path)  # key, folders and the first anchor
    done = subprocess.run([sys.executable, "-c", CRASHER, str(tmp_path / "data"), point, "5"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == -9, done.stderr  # killed, not finished
    acked = [line.split() for line in done.stdout.splitlines()]
    assert acked, "the groups before the crash were acknowledged"
    trail = _open(tmp_path)
    result = trail.verify()
    assert result.ok, result.message()
    on_disk = {r["seq"]: r["hash"] for r in trail.read()}
    for seq, digest in acked:  # no acknowledged record lost, each as it was sealed
        assert on_disk[int(seq)] == digest
    head = json.loads(trail.head_path.read_text(encoding="utf-8"))
    anchor = json.loads((tmp_path / "data" / "security" / ANCHOR_FILE).read_text())
    lagging = head if point == "_write_head" else anchor
    assert lagging["seq"] < result.records  # the crashed group is in the log, unsealed
    assert max(int(seq) for seq, _ in acked) <= lagging["seq"]  # none of it acknowledged
    # the next append seals the log's real end again
    record = _append(trail, "na-de-crash", 0)
    assert record["seq"] == result.records + 1
    head = json.loads(trail.head_path.read_text(encoding="utf-8"))
    anchor = json.loads((tmp_path / "data" / "security" / ANCHOR_FILE).read_text())
    assert head["seq"] == anchor["seq"] == record["seq"]
    assert trail.verify().ok and trail.verify().records == result.records + 1
