"""The audit trail: concurrent appends stay one chain; every kind of tampering is found."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph_service.cli import cli
from graph_service.config import load_settings
from graph_service.security.audit import GENESIS, AuditError, AuditTrail, uids_in

KEY = b"test-audit-key-0123456789abcdef"
ROOT = Path(__file__).parent.resolve().parent.parent

APPENDER = """
import sys
from pathlib import Path
from graph_service.security.audit import AuditTrail
trail = AuditTrail(Path(sys.argv[1]), sys.argv[2].encode())
for i in range(int(sys.argv[3])):
    trail.append(actor=sys.argv[4], action="read", what={"name": "probe", "params": {"i": i}},
                 uids=[f"kvk:{i}"], client="proc")
"""


def _trail(tmp_path: Path) -> AuditTrail:
    return AuditTrail(tmp_path / "audit" / "audit.jsonl", KEY)


def _fill(trail: AuditTrail, n: int = 6) -> None:
    for i in range(n):
        trail.append(actor=f"user{i % 2}", roles=["analyst"], purpose="analyse",
                     action="read", what={"name": "GET /api/entity", "params": {"i": i}},
                     uids=[f"kvk:{i}", "person:x"], client="127.0.0.1")


def _lines(trail: AuditTrail) -> list[str]:
    return trail.path.read_text(encoding="utf-8").splitlines(keepends=True)


def _write(trail: AuditTrail, lines: list[str]) -> None:
    trail.path.write_text("".join(lines), encoding="utf-8")


def test_record_shape_chain_and_modes(tmp_path: Path) -> None:
    trail = _trail(tmp_path)
    first = trail.append(actor="ann", roles=["bibob_officer"], purpose="bibob_toets",
                         reference="2025-1", action="read",
                         what={"name": "GET /api/screen/2025-1", "params": {"as_of": None}},
                         uids=["dossier:2025-1", "kvk:1", "kvk:1"], client="10.1.2.3")
    second = trail.append(actor="ann", action="login", what="login")
    assert set(first) == {"seq", "ts", "actor", "roles", "purpose", "reference", "action",
                          "what", "uids", "client", "outcome", "prev", "hash"}
    assert first["seq"] == 1 and first["prev"] == GENESIS
    assert first["uids"] == ["dossier:2025-1", "kvk:1"]
    assert first["ts"].endswith("+00:00")
    assert second["seq"] == 2 and second["prev"] == first["hash"]
    on_disk = [json.loads(x) for x in _lines(trail)]
    assert on_disk == [first, second]
    assert stat.S_IMODE(trail.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(trail.path.parent.stat().st_mode) == 0o700
    assert trail.verify().ok and trail.verify().records == 2
    with pytest.raises(AuditError, match="onbekende actie"):
        trail.append(actor="ann", action="peek", what="x")


def test_open_makes_key_and_folders(tmp_path: Path) -> None:
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path / "d")})
    trail = AuditTrail.open(settings, env={"ONDERGRAAF_DATA_DIR": str(tmp_path / "d")})
    assert trail.path == tmp_path / "d" / "audit" / "audit.jsonl"
    key = tmp_path / "d" / "security" / "audit.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    trail.append(actor="a", action="read", what="x")
    # another key cannot verify the chain
    assert not AuditTrail(trail.path, b"another key of enough length").verify().ok


def test_concurrent_threads_and_processes_make_one_chain(tmp_path: Path) -> None:
    trail = _trail(tmp_path)
    trail.check_writable()
    procs = [
        subprocess.Popen([sys.executable, "-c", APPENDER, str(trail.path), KEY.decode(), "40",
                          f"proc{n}"], cwd=ROOT)
        for n in range(2)
    ]

    def worker(n: int) -> None:
        own = AuditTrail(trail.path, KEY)  # each thread its own instance, as requests do
        for i in range(25):
            own.append(actor=f"thread{n}", action="read", what={"name": "t", "params": {"i": i}})

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for p in procs:
        assert p.wait(timeout=120) == 0
    result = trail.verify()
    assert result.ok, result.message()
    records = list(trail.read())
    assert [r["seq"] for r in records] == list(range(1, 2 * 40 + 4 * 25 + 1))
    actors = {r["actor"] for r in records}
    assert actors == {"proc0", "proc1", "thread0", "thread1", "thread2", "thread3"}


def _edit(lines: list[str]) -> list[str]:
    rec = json.loads(lines[2])
    rec["actor"] = "someone-else"
    return [*lines[:2], json.dumps(rec) + "\n", *lines[3:]]


def _edit_uids(lines: list[str]) -> list[str]:
    return [*lines[:2], lines[2].replace('"person:x"', '"person:y"'), *lines[3:]]


def _delete(lines: list[str]) -> list[str]:
    return [*lines[:2], *lines[3:]]


def _swap(lines: list[str]) -> list[str]:
    return [*lines[:2], lines[3], lines[2], *lines[4:]]


def _insert_copy(lines: list[str]) -> list[str]:
    return [*lines[:3], lines[2], *lines[3:]]


def _insert_forged(lines: list[str]) -> list[str]:
    rec = json.loads(lines[2])
    forged = {**rec, "seq": 4, "prev": rec["hash"], "actor": "ghost"}
    renumbered = []
    for line in lines[3:]:
        r = json.loads(line)
        r["seq"] += 1
        renumbered.append(json.dumps(r) + "\n")
    return [*lines[:3], json.dumps(forged) + "\n", *renumbered]


def _garbage(lines: list[str]) -> list[str]:
    return [*lines[:2], "{not json\n", *lines[3:]]


def _truncate(lines: list[str]) -> list[str]:
    return lines[:-1]


TAMPERING = {
    "edit a field": (_edit, 3),
    "edit a returned uid": (_edit_uids, 3),
    "delete a line": (_delete, 3),
    "swap two lines": (_swap, 3),
    "insert a copied line": (_insert_copy, 4),
    "insert a forged line": (_insert_forged, 4),
    "garble a line": (_garbage, 3),
    "cut off the last line": (_truncate, 6),
}


@pytest.mark.parametrize("how", list(TAMPERING))
def test_tampering_is_detected(tmp_path: Path, how: str) -> None:
    trail = _trail(tmp_path)
    _fill(trail, 6)
    assert trail.verify().ok
    change, broken_seq = TAMPERING[how]
    _write(trail, change(_lines(trail)))
    result = trail.verify()
    assert not result.ok
    assert result.broken_seq == broken_seq, result.message()
    assert f"seq {broken_seq}" in result.message()


def test_no_append_after_the_tail_was_cut(tmp_path: Path) -> None:
    trail = _trail(tmp_path)
    _fill(trail, 3)
    _write(trail, _lines(trail)[:-1])
    with pytest.raises(AuditError, match="ingekort"):
        trail.append(actor="a", action="read", what="x")
    assert not trail.verify().ok  # and so the cut stays visible
    trail.head_path.unlink()  # removing the head as well does not help
    assert not trail.verify().ok
    with pytest.raises(AuditError, match="audit.head ontbreekt"):
        trail.append(actor="a", action="read", what="x")


def test_head_lagging_one_record_is_a_crash_not_tampering(tmp_path: Path) -> None:
    trail = _trail(tmp_path)
    _fill(trail, 2)
    head = trail.head_path.read_text()
    trail.append(actor="a", action="read", what="x")
    trail.head_path.write_text(head)  # as if the process died between the two writes
    assert trail.verify().ok
    trail.append(actor="a", action="read", what="y")
    assert trail.verify().ok and trail.verify().records == 4


def test_incomplete_last_line_stops_appends(tmp_path: Path) -> None:
    trail = _trail(tmp_path)
    _fill(trail, 2)
    with trail.path.open("a") as fh:
        fh.write('{"seq": 3, "ts"')
    with pytest.raises(AuditError, match="onvolledig"):
        trail.append(actor="a", action="read", what="x")
    result = trail.verify()
    assert not result.ok and result.broken_seq == 3


def test_read_filters_and_export(tmp_path: Path) -> None:
    trail = _trail(tmp_path)
    _fill(trail, 6)
    trail.append(actor="user0", action="login_failed", what="login", outcome="denied")
    assert len(list(trail.read(actor="user0"))) == 4
    assert [r["seq"] for r in trail.read(action="login_failed")] == [7]
    assert [r["seq"] for r in trail.read(uid="kvk:2")] == [3]
    assert len(list(trail.read(purpose="analyse", actor="user1"))) == 3
    assert len(list(trail.read(since="2000-01-01"))) == 7
    assert list(trail.read(since="2999-01-01")) == []
    assert list(trail.read(until="2000-01-01")) == []
    out = tmp_path / "export.jsonl"
    assert trail.export(out) == 7
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes() == trail.path.read_bytes()
    assert AuditTrail(out, KEY, head=False).verify().ok
    with pytest.raises(AuditError, match="bestaat al"):
        trail.export(out)


def test_uids_in() -> None:
    value = {"entity": {"uid": "kvk:1", "name": "x"},
             "hits": [{"paths": [{"nodes": [{"uid": "person:2"}, {"uid": "kvk:1"}]}]}],
             "uid": "dossier:9", "other": ("addr:1",)}
    assert uids_in(value) == ["dossier:9", "kvk:1", "person:2"]


# -- the CLI ------------------------------------------------------------------------------------


@pytest.fixture
def cli_trail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AuditTrail:
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ONDERGRAAF_AUDIT_KEY", raising=False)
    trail = AuditTrail.open(load_settings())
    _fill(trail, 6)
    return trail


def test_cli_verify_ok_then_broken(cli_trail: AuditTrail) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["audit", "verify"])
    assert ok.exit_code == 0 and "intact: 6 records" in ok.output
    # the verification itself is recorded (record 7)
    lines = _lines(cli_trail)
    assert json.loads(lines[-1])["action"] == "audit_read"
    for change, seq in ((_edit, 3), (_swap, 3), (_delete, 3)):
        _write(cli_trail, change(lines))
        broken = runner.invoke(cli, ["audit", "verify"])
        assert broken.exit_code == 1, broken.output
        assert f"GEBROKEN bij seq {seq}" in broken.output
    _write(cli_trail, lines[:-1])  # the tail cut: verify names the missing record
    broken = runner.invoke(cli, ["audit", "verify"])
    assert broken.exit_code == 1 and "GEBROKEN bij seq 7" in broken.output


def test_cli_show_and_export(cli_trail: AuditTrail, tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(cli, ["audit", "show", "--actor", "user1", "--json"])
    assert shown.exit_code == 0, shown.output
    rows = [json.loads(x) for x in shown.output.splitlines()]
    assert [r["seq"] for r in rows] == [2, 4, 6]
    text = runner.invoke(cli, ["audit", "show", "--since", "2000-01-01"])
    assert text.exit_code == 0 and "GET /api/entity" in text.output
    out = tmp_path / "copy.jsonl"
    exported = runner.invoke(cli, ["audit", "export", str(out)])
    assert exported.exit_code == 0 and "geëxporteerd" in exported.output
    checked = runner.invoke(cli, ["audit", "verify", "--file", str(out)])
    assert checked.exit_code == 0, checked.output
    audit_reads = [r for r in cli_trail.read() if r["actor"].startswith("os:")]
    assert [r["action"] for r in audit_reads] == ["audit_read", "audit_read", "export",
                                                  "audit_read"]
    assert all(r["purpose"] == "audit" and r["roles"] == ["auditor"] for r in audit_reads)
    assert cli_trail.verify().ok
