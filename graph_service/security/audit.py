"""The audit trail: every look-up, export, load, deletion and login, append-only and sealed.

One JSON object a line in ``<data_dir>/audit/audit.jsonl`` (folder 0700, file 0600)::

    {"seq": 41, "ts": "2025-06-01T09:12:03.123+00:00", "actor": "j.jansen",
     "roles": ["bibob_officer"], "purpose": "bibob_toets", "reference": "2025-0012",
     "action": "read", "what": {"name": "GET /api/entity/kvk:12345678", "params": {}},
     "uids": ["kvk:12345678", "person:..."], "client": "10.1.2.3", "outcome": "ok",
     "prev": "<hash of record 40>", "hash": "<HMAC-SHA256 of this record without hash>"}

The hash is an HMAC with a key only the service holds (``ONDERGRAAF_AUDIT_KEY`` or
``<data_dir>/security/audit.key``), over the canonical JSON of the record without
``hash``; ``prev`` chains each record to the one before. :meth:`AuditTrail.verify`
recomputes the chain and names the first record that is edited, missing, moved or
inserted. Beside the log, ``audit.head`` holds the sealed sequence number and hash of the
last record, so cutting records off the end is detected too.

**The anchor.** Log and head sit side by side: emptying ``audit.jsonl`` and deleting
``audit.head`` together would look like a trail that never had a record ("intact: 0
records"). So the service's trail (:meth:`AuditTrail.open`) keeps a third seal elsewhere in
the data folder, ``<data_dir>/security/audit.anchor``: the sequence number and hash of the
last record, sealed with the audit key under its own label (the head's seal cannot be
copied into it), written after every group of appends. The anchor may lag the log (a crash
between the writes, see below) but never lead it: a log that ends before the anchor's
record, or whose record at the anchor's number is another one, is broken, and so is a log
with records whose anchor is gone. A data folder from before the anchor gets one at its
first open, from its sealed head (or at 0 for a trail without records). Deleting the log,
the head *and* the anchor leaves a folder that cannot be told from a new one; backups and
the operator's copy of ``ondergraaf audit verify`` cover that (docs/security.md).

**Appends commit in groups.** The appenders of one process that wait at the same moment
hand their records to one of them, the committer (no thread of its own: the first to find
nobody committing, then the next in line), which takes the exclusive ``flock`` on
``audit.lock`` (serialising processes as before), reads the log's end, seals the records in
order, writes them with one ``write`` and one ``fsync`` of the log, then replaces the head
and the anchor once, for the group's last record. Only then does any of their
:meth:`AuditTrail.append` calls return: a caller that writes the record before it hands data
out never hands out data unrecorded. An error anywhere in a group fails every append of
the group. Across processes a group is what one process had waiting at its lock.

**Crashes.** The order is log (fsynced), head, anchor. Head and anchor are each written to
a temporary file that is fsynced and renamed over the old one; the folder is not fsynced
after the rename. So after a crash or a power cut at any point:

- the log holds every acknowledged record (its ``fsync`` returned before any acknowledgement)
  and possibly a last group nobody was told of (written, not yet sealed by head or anchor);
- the head and the anchor each hold a whole sealed earlier or current value (a rename lost
  to a power cut leaves the previous one): they lag the log, never lead it;
- a lagging head or anchor is accepted by :meth:`verify` and the next append (the record at
  its number must still be the sealed one), and the next group seals the log's real end.
  Nothing needs repair. Only a torn last line (a power cut inside the log's write, before
  its ``fsync`` returned, so of a group nobody was told of) stops appends; that is repaired
  by hand as below.

A log whose last line cannot be read refuses further appends (fail closed): run
``ondergraaf audit verify`` and see docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import FILE_MODE, Settings, load_settings, secret_key, secure_dir
from ..errors import OndergraafError
from .files import audit_dir, secure_file, security_dir

__all__ = [
    "ACTIONS",
    "ANCHOR_FILE",
    "GENESIS",
    "Actor",
    "AuditError",
    "AuditTrail",
    "VerifyResult",
    "uids_in",
]

GENESIS = "0" * 64
ANCHOR_FILE = "audit.anchor"  # in <data_dir>/security, beside the audit key
ACTIONS: tuple[str, ...] = (
    "read",  # a look-up that returned graph data (page, API call, CLI command)
    "export",  # data taken out: a download, a report, an audit export
    "load",  # a source file loaded into the graph
    "delete",  # data deleted by hand (reset)
    "retention",  # data deleted by the retention run
    "retention_plan",  # what the retention run would delete, looked at
    "login",
    "login_failed",
    "logout",
    "admin",  # an account changed: created, roles, disabled, password, tokens
    "audit_read",  # the audit trail read or verified
    "denied",  # a request refused by the policy
    "judgement",  # a decision on a look-alike pair (graph_service.risk.judgements)
)

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


class _Pending:
    """One record waiting for its group: the body, then the sealed record or the error."""

    __slots__ = ("body", "done", "error", "lead", "record")

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.record: dict[str, Any] | None = None
        self.error: BaseException | None = None
        self.done = False  # written and fsynced (record set), or failed (error set)
        self.lead = False  # handed the committer's turn by the one before


class _Group:
    """The records of one process waiting to be written to one log, and whose turn it is
    to write them (the committer: one of the waiting appenders, never a thread of its own).
    """

    def __init__(self) -> None:
        self.cond = threading.Condition(threading.Lock())
        self.queue: list[_Pending] = []
        self.committing = False


_groups: dict[tuple[Path, bytes, bool, Path | None], _Group] = {}


def _forget_after_fork() -> None:
    """A forked worker starts with no waiting records and no held locks of its parent."""
    global _locks_guard
    _locks_guard = threading.Lock()
    _locks.clear()
    _groups.clear()


os.register_at_fork(after_in_child=_forget_after_fork)


class AuditError(OndergraafError):
    """The audit trail cannot be written or read; nothing that needs it may go on."""

    status_code = 503
    error_code = "audit_unavailable"


@dataclass(frozen=True)
class Actor:
    """Who acts: a user name (or OS user for the local operator), roles and client."""

    name: str
    roles: tuple[str, ...] = ()
    client: str = ""


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of :meth:`AuditTrail.verify`."""

    ok: bool
    records: int
    broken_seq: int | None = None
    line: int | None = None
    reason: str = ""

    def message(self) -> str:
        if self.ok:
            return f"logboek intact: {self.records} records"
        where = f" (regel {self.line})" if self.line else ""
        return f"logboek GEBROKEN bij seq {self.broken_seq}{where}: {self.reason}"


def uids_in(value: Any) -> list[str]:
    """Every ``uid`` string in a nested result of dicts and lists, distinct, in order.

    What a command or request returned, for the ``uids`` of its audit record.
    """
    seen: dict[str, None] = {}
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            uid = item.get("uid")
            if isinstance(uid, str):
                seen.setdefault(uid, None)
            stack.extend(reversed([v for v in item.values() if isinstance(v, Mapping | list)]))
        elif isinstance(item, list | tuple):
            stack.extend(reversed([v for v in item if isinstance(v, Mapping | list | tuple)]))
    return list(seen)


def _canonical(record: Mapping[str, Any]) -> bytes:
    body = {k: v for k, v in record.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _as_datetime(value: dt.date | dt.datetime | str) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class AuditTrail:
    """An append-only, HMAC-chained audit log in one JSON-lines file."""

    def __init__(self, path: Path, key: bytes, *, head: bool = True,
                 anchor: Path | None = None) -> None:
        """``head=False`` for a copy (an export): it has no ``.head`` to check against.
        ``anchor``: the file of the sealed anchor (the service's trail; a copy has none)."""
        if not key:
            raise AuditError("het logboek heeft een sleutel nodig")
        self.use_head = head
        self.path = Path(path)
        self.head_path = self.path.with_name(self.path.stem + ".head")
        self.lock_path = self.path.with_name(self.path.stem + ".lock")
        self.anchor_path = Path(anchor) if anchor is not None and head else None
        self._key = key
        self._ready = False

    @classmethod
    def open(cls, settings: Settings | None = None,
             env: Mapping[str, str] | None = None) -> AuditTrail:
        """The service's audit trail: ``<data_dir>/audit/audit.jsonl`` with its key."""
        settings = settings or load_settings(env)
        folder = security_dir(settings)
        key = secret_key("AUDIT_KEY", folder / "audit.key", env)
        trail = cls(audit_dir(settings) / "audit.jsonl", key, anchor=folder / ANCHOR_FILE)
        trail.check_writable()
        return trail

    # -- writing -----------------------------------------------------------------------------
    def check_writable(self) -> None:
        """Make sure the files exist with owner-only modes and can be locked (fail early)."""
        try:
            secure_dir(self.path.parent)
            secure_file(self.path)
            secure_file(self.lock_path)
            fresh = self.path.stat().st_size == 0
            if self.anchor_path is not None and not self.anchor_path.exists():
                with self._locked(exclusive=True):
                    self._adopt_anchor(fresh)
        except OSError as exc:
            raise AuditError(f"logboek niet schrijfbaar: {exc}") from exc
        self._ready = True

    def _adopt_anchor(self, fresh: bool) -> None:
        """The first anchor of a trail: at 0 for one without records, else from its sealed
        head (a folder from before the anchor). A trail with records and no sealed head
        gets none: :meth:`verify` names what is wrong."""
        if self.anchor_path is None or self.anchor_path.exists():
            return
        head = self._read_head()
        fresh = fresh and self.path.stat().st_size == 0  # (again, under the lock)
        if fresh and head is None:
            self._write_anchor(0, GENESIS)
        elif head is not None and self._sealed(head, self._head_mac):
            self._write_anchor(int(head["seq"]), str(head["hash"]))

    def check_appendable(self) -> None:
        """Raise :class:`AuditError` now if the next :meth:`append` would fail.

        For callers that print or send data before they can write their record (a CLI
        command): they check first, so a damaged log stops them before any data is out.
        """
        if not self._ready:
            self.check_writable()
        try:
            with self._locked(exclusive=False):
                seq, digest = self._last()
                self._check_head(seq, digest)
                self._check_anchor(seq, digest)
        except OSError as exc:
            raise AuditError(f"logboek niet schrijfbaar: {exc}") from exc

    def _mac(self, record: Mapping[str, Any]) -> str:
        return hmac.new(self._key, _canonical(record), hashlib.sha256).hexdigest()

    def _head_mac(self, seq: int, digest: str) -> str:
        return hmac.new(self._key, f"head:{seq}:{digest}".encode(), hashlib.sha256).hexdigest()

    def _anchor_mac(self, seq: int, digest: str) -> str:
        return hmac.new(self._key, f"anchor:{seq}:{digest}".encode(),
                        hashlib.sha256).hexdigest()

    @staticmethod
    def _sealed(seal: Mapping[str, Any], mac: Any) -> bool:
        """Whether a head or anchor (``{"seq", "hash", "mac"}``) carries a valid seal."""
        seq, digest, given = seal.get("seq"), seal.get("hash"), seal.get("mac")
        return (isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0
                and isinstance(digest, str) and isinstance(given, str)
                and hmac.compare_digest(given, mac(seq, digest)))

    def _read_anchor(self) -> dict[str, Any] | None:
        if self.anchor_path is None:
            return None
        try:
            found = json.loads(self.anchor_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except ValueError:
            return {"seq": None, "hash": None, "mac": None}
        return found if isinstance(found, dict) else {"seq": None, "hash": None, "mac": None}

    def _write_anchor(self, seq: int, digest: str) -> None:
        """Replace the anchor atomically (fsynced; it may lag the head after a crash)."""
        if self.anchor_path is None:
            return
        secure_dir(self.anchor_path.parent)
        _replace_sealed(self.anchor_path, seq, digest, self._anchor_mac(seq, digest))

    def _check_anchor(self, seq: int, digest: str) -> None:
        """Refuse to append when the log ends before the anchored record (or the anchor is
        gone or touched): an append would seal a new chain over the cut."""
        if self.anchor_path is None:
            return
        anchor = self._read_anchor()
        if anchor is None:
            if seq == 0:
                return
            raise AuditError("audit.anchor ontbreekt terwijl het logboek records heeft; "
                             "draai 'ondergraaf audit verify' (zie docs/security.md)")
        a_seq = anchor.get("seq")
        if not self._sealed(anchor, self._anchor_mac) or not isinstance(a_seq, int) \
                or a_seq > seq or (a_seq == seq and anchor.get("hash") != digest):
            raise AuditError("het logboek is ingekort of vervangen, of audit.anchor is "
                             "gewijzigd; draai 'ondergraaf audit verify' (zie "
                             "docs/security.md)")

    @contextmanager
    def _locked(self, exclusive: bool) -> Iterator[None]:
        with _locks_guard:
            tlock = _locks.setdefault(self.lock_path.resolve(), threading.Lock())
        with tlock if exclusive else nullcontext():
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
                yield
            finally:
                os.close(fd)  # closing releases the flock

    def _last(self) -> tuple[int, str]:
        """``(seq, hash)`` of the last record, ``(0, GENESIS)`` for an empty log."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return 0, GENESIS
        if size == 0:
            return 0, GENESIS
        with self.path.open("rb") as fh:
            chunk = 4096
            pos, tail = size, b""
            while pos > 0:
                step = min(chunk, pos)
                pos -= step
                fh.seek(pos)
                tail = fh.read(step) + tail
                if tail.rstrip(b"\n").count(b"\n") >= 1 or pos == 0:
                    break
                chunk *= 2
        if not tail.endswith(b"\n"):
            raise AuditError(
                "de laatste regel van het logboek is onvolledig; draai 'ondergraaf audit "
                "verify' en herstel het logboek voor er verder gewerkt wordt")
        last_line = tail.rstrip(b"\n").rsplit(b"\n", 1)[-1]
        try:
            last = json.loads(last_line)
            return int(last["seq"]), str(last["hash"])
        except (ValueError, KeyError, TypeError) as exc:
            raise AuditError(
                "de laatste regel van het logboek is onleesbaar; draai 'ondergraaf audit "
                "verify' en herstel het logboek voor er verder gewerkt wordt") from exc

    def _check_head(self, seq: int, digest: str) -> None:
        """Refuse to append after records were cut off the end (or the head was touched).

        An append would otherwise seal a new last record and hide the cut for good. The
        head may lag one record behind the log (a crash between the two writes).
        """
        if not self.use_head:
            return
        head = self._read_head()
        if head is None:
            if seq == 0:
                return
            raise AuditError("audit.head ontbreekt terwijl het logboek records heeft; "
                             "draai 'ondergraaf audit verify' (zie docs/security.md)")
        h_seq, h_hash, h_mac = head.get("seq"), head.get("hash"), head.get("mac")
        sealed = (isinstance(h_seq, int) and isinstance(h_hash, str) and isinstance(h_mac, str)
                  and hmac.compare_digest(h_mac, self._head_mac(h_seq, h_hash)))
        if not sealed or not isinstance(h_seq, int) or h_seq > seq or (
                h_seq == seq and h_hash != digest):
            raise AuditError("het logboek is ingekort of audit.head is gewijzigd; draai "
                             "'ondergraaf audit verify' (zie docs/security.md)")

    def _write_head(self, seq: int, digest: str) -> None:
        """Replace the head atomically: its content fsynced before the rename, so the name
        holds the old head or the new one, whole. The rename itself is not fsynced: one
        lost in a power cut leaves the previous sealed head, a lag the checks accept."""
        _replace_sealed(self.head_path, seq, digest, self._head_mac(seq, digest))

    def append(
        self,
        *,
        actor: str,
        action: str,
        what: str | Mapping[str, Any],
        roles: Iterable[str] = (),
        purpose: str | None = None,
        reference: str | None = None,
        uids: Iterable[str] = (),
        client: str = "",
        outcome: str = "ok",
    ) -> dict[str, Any]:
        """Seal and append one record; returns it (with ``seq`` and ``hash``).

        Raises :class:`AuditError` when the record cannot be written: the caller must then
        not hand out what it was about to hand out.
        """
        if action not in ACTIONS:
            raise AuditError(f"onbekende actie {action!r} voor het logboek")
        if not self._ready:
            self.check_writable()
        body: dict[str, Any] = {
            "actor": actor,
            "roles": sorted(set(roles)),
            "purpose": purpose,
            "reference": reference,
            "action": action,
            "what": what,
            "uids": list(dict.fromkeys(uids)),
            "client": client,
            "outcome": outcome,
        }
        # what the file will hold, exactly: the seal covers the parsed form
        pending = _Pending(json.loads(json.dumps(body, ensure_ascii=False, default=str)))
        group = self._group()
        with group.cond:
            group.queue.append(pending)
            while not pending.done and group.committing and not pending.lead:
                group.cond.wait()
            if not pending.done:  # this thread commits everything waiting now
                group.committing = True
                batch, group.queue = group.queue, []
        if not pending.done:
            try:
                self._commit(batch)
            except BaseException as exc:
                for waiting in batch:
                    waiting.error = exc
                if not isinstance(exc, AuditError | OSError):
                    raise
            finally:
                with group.cond:
                    for waiting in batch:
                        waiting.done = True
                    if group.queue:  # the next in line commits what came in meanwhile
                        group.queue[0].lead = True
                    else:
                        group.committing = False
                    group.cond.notify_all()
        if pending.record is None:
            error = pending.error
            if isinstance(error, AuditError):
                raise AuditError(str(error)) from error
            raise AuditError(f"logboek niet schrijfbaar: {error}") from error
        return pending.record

    def _group(self) -> _Group:
        key = (self.lock_path.resolve(), self._key, self.use_head, self.anchor_path)
        with _locks_guard:
            return _groups.setdefault(key, _Group())

    def _commit(self, batch: list[_Pending]) -> None:
        """Seal and write the records of one group: one lock, one write and one ``fsync`` of
        the log, then the head and the anchor once, for the group's last record.

        The records are handed back only when all of it succeeded; on any error every
        appender of the group gets it (as one append did before): the log may then hold
        records nobody was told of, never the other way round.
        """
        with self._locked(exclusive=True):
            seq, prev = self._last()
            self._check_head(seq, prev)
            self._check_anchor(seq, prev)
            records: list[dict[str, Any]] = []
            lines: list[str] = []
            for waiting in batch:
                seq += 1
                record: dict[str, Any] = {"seq": seq, "ts": _now(), **waiting.body,
                                          "prev": prev}
                record["hash"] = prev = self._mac(record)
                records.append(record)
                lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            data = ("\n".join(lines) + "\n").encode()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
            try:
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            if self.use_head:
                self._write_head(seq, prev)
            self._write_anchor(seq, prev)
        for waiting, record in zip(batch, records, strict=True):
            waiting.record = record

    def record(self, actor: Actor, action: str, what: str | Mapping[str, Any], *,
               purpose: str | None = None, reference: str | None = None,
               uids: Iterable[str] = (), outcome: str = "ok") -> dict[str, Any]:
        """:meth:`append` for an :class:`Actor`."""
        return self.append(actor=actor.name, roles=actor.roles, client=actor.client,
                           action=action, what=what, purpose=purpose, reference=reference,
                           uids=uids, outcome=outcome)

    # -- reading -----------------------------------------------------------------------------
    def _snapshot(self) -> tuple[int, dict[str, Any] | None]:
        """The log's size and its head, taken together under a shared lock."""
        size, head, _ = self._snapshot_all()
        return size, head

    def _snapshot_all(self) -> tuple[int, dict[str, Any] | None, dict[str, Any] | None]:
        """The log's size, its head and its anchor, taken together under a shared lock."""
        if not self.path.exists():
            return 0, self._read_head(), self._read_anchor()
        with self._locked(exclusive=False):
            return self.path.stat().st_size, self._read_head(), self._read_anchor()

    def _lines(self, size: int) -> Iterator[bytes]:
        """The log's lines within its first ``size`` bytes, streamed (keeps the newline)."""
        if size == 0:
            return
        with self.path.open("rb") as fh:
            left = size
            while left > 0:
                raw = fh.readline(left)
                if not raw:
                    return
                left -= len(raw)
                yield raw

    def _read_head(self) -> dict[str, Any] | None:
        try:
            head: dict[str, Any] = json.loads(self.head_path.read_text(encoding="utf-8"))
            return head
        except FileNotFoundError:
            return None
        except ValueError:
            return {"seq": None, "hash": None, "mac": None}

    def _check(self, raw: bytes, expected: int,
               prev: str) -> tuple[dict[str, Any] | None, str]:
        """The record on one line when it is the one expected, else None and why not."""
        if not raw.endswith(b"\n"):
            return None, "laatste regel onvolledig"
        try:
            rec = json.loads(raw)
        except ValueError:
            return None, "regel is geen geldige JSON"
        if not isinstance(rec, dict) or not isinstance(rec.get("hash"), str):
            return None, "regel is geen logrecord"
        if rec.get("seq") != expected:
            return None, (f"volgnummer {rec.get('seq')} waar {expected} hoort "
                          "(record ontbreekt, verplaatst of ingevoegd)")
        if rec.get("prev") != prev:
            return None, "keten verbroken: prev wijst niet naar het vorige record"
        if not hmac.compare_digest(rec["hash"], self._mac(rec)):
            return None, "zegel klopt niet: record is gewijzigd"
        return rec, ""

    def verify(self) -> VerifyResult:
        """Recompute the chain; report the first record that is not as it was written."""
        size, head, anchor = self._snapshot_all()
        prev, expected, count = GENESIS, 1, 0
        head_seq = head.get("seq") if head else None
        anchor_seq = anchor.get("seq") if anchor else None
        head_hash: str | None = None
        anchor_hash: str | None = GENESIS if anchor_seq == 0 else None
        for number, raw in enumerate(self._lines(size), start=1):
            rec, reason = self._check(raw, expected, prev)
            if rec is None:
                return VerifyResult(False, count, expected, number, reason)
            prev, expected, count = rec["hash"], expected + 1, count + 1
            if rec["seq"] == head_seq:
                head_hash = rec["hash"]
            if rec["seq"] == anchor_seq:
                anchor_hash = rec["hash"]
        if self.use_head and head is None and count > 0:
            return VerifyResult(False, count, count, None,
                                "audit.head ontbreekt: het einde van het logboek is niet "
                                "te controleren")
        if self.use_head and head is not None:
            seq, digest, mac = head.get("seq"), head.get("hash"), head.get("mac")
            if not (isinstance(seq, int) and isinstance(digest, str) and isinstance(mac, str)
                    and hmac.compare_digest(mac, self._head_mac(seq, digest))):
                return VerifyResult(False, count, count + 1, None,
                                    "audit.head is gewijzigd of onleesbaar")
            if seq > count:
                return VerifyResult(False, count, count + 1, None,
                                    f"records {count + 1} t/m {seq} ontbreken aan het eind")
            if head_hash != digest:
                return VerifyResult(False, count, seq, seq,
                                    "record verschilt van het verzegelde laatste record")
        return self._verify_anchor(anchor, count, anchor_hash, head is not None)

    def _verify_anchor(self, anchor: dict[str, Any] | None, count: int,
                       anchored: str | None, has_head: bool) -> VerifyResult:
        """The log against the anchor (see the module doc); intact when there is none to
        check (a copy)."""
        if self.anchor_path is None:
            return VerifyResult(True, count)
        if anchor is None:
            if count > 0 or has_head:
                return VerifyResult(False, count, count, None,
                                    f"audit.anchor ontbreekt in {self.anchor_path.parent}: "
                                    "het begin en einde van het logboek zijn niet te "
                                    "controleren")
            return VerifyResult(True, count)
        if not self._sealed(anchor, self._anchor_mac):
            return VerifyResult(False, count, count + 1, None,
                                "audit.anchor is gewijzigd of onleesbaar")
        seq = int(anchor["seq"])
        if seq > count:
            return VerifyResult(False, count, count + 1, None,
                                f"het anker noemt {seq} records, het logboek heeft er "
                                f"{count}: records {count + 1} t/m {seq} ontbreken (logboek "
                                "en audit.head samen geleegd of vervangen?)")
        if anchored != anchor["hash"]:
            return VerifyResult(False, count, seq, seq,
                                "record verschilt van het verankerde record (logboek "
                                "vervangen?)")
        return VerifyResult(True, count)

    def read(
        self,
        *,
        since: dt.date | dt.datetime | str | None = None,
        until: dt.date | dt.datetime | str | None = None,
        actor: str | None = None,
        action: str | None = None,
        purpose: str | None = None,
        reference: str | None = None,
        uid: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The records matching every filter given, oldest first.

        ``since`` is inclusive, ``until`` exclusive. Lines that cannot be parsed are
        skipped here; :meth:`verify` reports them.
        """
        lo = _as_datetime(since) if since is not None else None
        hi = _as_datetime(until) if until is not None else None
        size, _ = self._snapshot()
        for raw in self._lines(size):
            try:
                rec = json.loads(raw)
                ts = dt.datetime.fromisoformat(rec["ts"])
            except (ValueError, KeyError, TypeError):
                continue
            if lo is not None and ts < lo:
                continue
            if hi is not None and ts >= hi:
                continue
            if actor is not None and rec.get("actor") != actor:
                continue
            if action is not None and rec.get("action") != action:
                continue
            if purpose is not None and rec.get("purpose") != purpose:
                continue
            if reference is not None and rec.get("reference") != reference:
                continue
            if uid is not None and uid not in (rec.get("uids") or []):
                continue
            yield rec

    def export(self, path: Path) -> int:
        """Copy the log as it is (verifiable with the same key) to ``path`` (mode 0600).

        Refuses to overwrite an existing file. Returns the number of records copied.
        """
        size, _ = self._snapshot()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            raise AuditError(f"{path} bestaat al; kies een nieuw bestand") from None
        count = 0
        try:
            for raw in self._lines(size):
                if raw.endswith(b"\n"):
                    _write_all(fd, raw)
                    count += 1
            os.fsync(fd)
        finally:
            os.close(fd)
        return count


def _replace_sealed(path: Path, seq: int, digest: str, mac: str) -> None:
    """Replace a sealed ``{seq, hash, mac}`` file (the head, the anchor) atomically: the
    content fsynced before the rename, so the name holds the old file or the new one, whole."""
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    data = json.dumps({"seq": seq, "hash": digest, "mac": mac})
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        _write_all(fd, data.encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
