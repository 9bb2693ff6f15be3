"""``ondergraaf backup``: the graph, the security folder and the audit trail, encrypted.

A backup is one folder::

    manifest.json                 what is in it (authenticated, readable without the key)
    graph/graph.rdb.enc           embedded engine: the engine's own snapshot (RDB)
    graph/nodes.jsonl.enc         Neo4j: the logical export (graphdump), nodes and load runs
    graph/relationships.jsonl.enc        ... and relationships
    graph/neo4j.dump.enc          Neo4j, optional: an offline neo4j-admin dump
    security/<file>.enc           accounts (SQLite, copied with SQLite's backup API), keys
    audit/audit.jsonl.enc         the audit trail, and its sealed head
    audit/audit.head.enc

**The graph, at one moment while the service runs.** The embedded engine forks and writes
the data as it was at the fork (``BGSAVE``, see graph_service.store.embedded): writers are
not paused, and the snapshot holds whole write statements only. Its counts are not read
from the live graph (which moves on while loads run) but from the snapshot itself: it is
loaded into a scratch engine of its own (the same start as a restore), counted with the
statements of ``ondergraaf stats``, and only then encrypted, so every backup has been
started once before it is written. Neo4j Community has no online snapshot: see
:mod:`.graphdump` for what its logical export gives while loads run.

**The security folder** (``<data_dir>/security``): every file but the web sessions
(``sessions.sqlite``: a restore logs everybody out). SQLite databases are copied with
SQLite's own backup API, a consistent copy while the service writes.

**The audit trail**: ``audit.jsonl`` and ``audit.head`` copied together under the trail's
own lock (no append in between), then verified with the audit key: a backup of a broken
trail is refused (run ``ondergraaf audit verify``).

Every file is encrypted (:mod:`.crypto`) into the backup folder; the manifest lists each
with its SHA-256 and is authenticated with the backup key. The manifest is written last:
a folder without one is an incomplete backup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hmac
import json
import os
import secrets
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..config import Settings, env_value, secret_key
from ..errors import OndergraafError
from ..security.audit import AuditTrail
from ..store import Store, open_store
from ..store import version as schema
from . import crypto
from .graphdump import export_graph, graph_counts

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "BackupError",
    "audit_key",
    "backup",
    "check_key_location",
    "prune",
    "read_manifest",
]

FORMAT = "ondergraaf-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
GRAPH_RDB = "graph/graph.rdb.enc"
GRAPH_NODES = "graph/nodes.jsonl.enc"
GRAPH_RELS = "graph/relationships.jsonl.enc"
NEO4J_DUMP = "graph/neo4j.dump.enc"
AUDIT_LOG = "audit/audit.jsonl.enc"
AUDIT_HEAD = "audit/audit.head.enc"
#: Files of the security folder that are not backed up: web sessions (a restore logs
#: everybody out), SQLite's side files (the backup API copy is whole without them).
SKIPPED_SECURITY = ("sessions.sqlite",)
_SQLITE_SIDE = ("-wal", "-shm", "-journal")
#: A unix socket path may not be longer than this (the scratch engine's socket).
_SOCKET_PATH_MAX = 100


class BackupError(OndergraafError):
    """A backup cannot be made, or a backup is refused for a restore (Dutch message)."""


def product_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ondergraaf")
    except PackageNotFoundError:
        return "onbekend"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.expanduser().resolve(), folder.expanduser().resolve()
    return path == folder or folder in path.parents


def check_key_location(key_file: Path, backup_dir: Path | None, data_dir: Path) -> None:
    """The backup key is kept apart: never in the backup folder nor in the data folder."""
    if backup_dir is not None and _inside(key_file, backup_dir):
        raise BackupError(f"de backupsleutel {key_file} staat in de backupmap; bewaar de "
                          "sleutel apart van de backups")
    if _inside(key_file, data_dir):
        raise BackupError(f"de backupsleutel {key_file} staat in de datamap; bewaar de "
                          "sleutel apart van de data en de backups")


def audit_key(security: Path) -> bytes | None:
    """The audit key as the service finds it (``ONDERGRAAF_AUDIT_KEY[_FILE]`` or
    ``<security>/audit.key``), or None when there is none; never makes a key."""
    if env_value("AUDIT_KEY") or env_value("AUDIT_KEY_FILE") or (security / "audit.key").exists():
        return secret_key("AUDIT_KEY", security / "audit.key")
    return None


# -- the manifest -----------------------------------------------------------------------------
def _canonical(manifest: dict[str, Any]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "mac"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _write_manifest(folder: Path, manifest: dict[str, Any], key: bytes) -> None:
    manifest = {**manifest, "mac": crypto.manifest_mac(key, _canonical(manifest))}
    tmp = folder / f".{MANIFEST}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2, ensure_ascii=False, sort_keys=True)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / MANIFEST)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_manifest(folder: Path, key: bytes) -> dict[str, Any]:
    """The manifest of the backup in ``folder``, authenticated with ``key``.

    Refused (:class:`BackupError`) when it is missing, unreadable, of another format, made
    with another key, or changed.
    """
    path = folder / MANIFEST
    if not folder.is_dir():
        raise BackupError(f"{folder} is geen map")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder}: geen {MANIFEST}; dit is geen (volledige) backup") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} is onleesbaar: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is geen manifest van een Ondergraaf-backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path}: backupformaat {manifest.get('format_version')!r} wordt "
                          f"niet ondersteund (deze versie leest formaat {FORMAT_VERSION})")
    if manifest.get("key_id") != crypto.key_id(key):
        raise BackupError("deze backup is met een andere backupsleutel gemaakt "
                          f"(sleutel-id {manifest.get('key_id')}, gegeven {crypto.key_id(key)})")
    mac = manifest.get("mac")
    if not isinstance(mac, str) or not hmac.compare_digest(
            mac, crypto.manifest_mac(key, _canonical(manifest))):
        raise BackupError(f"{path} is gewijzigd: de verzegeling klopt niet")
    return manifest


# -- scratch space ----------------------------------------------------------------------------
@contextmanager
def scratch_dir(data_dir: Path, prefix: str) -> Iterator[Path]:
    """A private folder (0700) for plaintext copies, removed afterwards.

    Inside the data folder (same disk, same protection) unless a socket path there would be
    too long for the scratch engine; then in the system's temporary folder.
    """
    import tempfile

    token = secrets.token_hex(3)
    base = data_dir.expanduser().resolve()
    folder = base / f".{prefix}-{token}"
    if len(str(folder / "engine" / "falkordb" / "falkordb.sock")) > _SOCKET_PATH_MAX:
        folder = Path(tempfile.mkdtemp(prefix=f"og-{prefix}-"))
    else:
        base.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700)
    os.chmod(folder, 0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def rdb_folder(data_dir: Path, rdb: Path) -> Path:
    """Lay out ``data_dir/falkordb`` so that the engine starts from the snapshot ``rdb``.

    The snapshot becomes the base of the append-only file (``aof/appendonly.aof.1.base.rdb``
    and a manifest naming it): with ``appendonly yes`` and no append-only file, redis 8.2
    does not load an RDB beside it but starts empty (checked), so the snapshot has to be
    the base. The engine adds its write log at the first start.
    """
    aof = data_dir / "falkordb" / "aof"
    aof.mkdir(parents=True, mode=0o700)
    os.chmod(data_dir / "falkordb", 0o700)
    base = aof / "appendonly.aof.1.base.rdb"
    os.replace(rdb, base)
    (aof / "appendonly.aof.manifest").write_text(
        "file appendonly.aof.1.base.rdb seq 1 type b\n", encoding="ascii")
    return base


def snapshot_counts(settings: Settings, scratch: Path) -> dict[str, Any]:
    """Start a scratch engine on the folder ``scratch`` (laid out by :func:`rdb_folder`),
    count its graph as ``stats`` does, stop it."""
    from ..store.falkordb_store import EmbeddedFalkorStore

    store = EmbeddedFalkorStore(replace(settings, data_dir=scratch, falkordb_fsync="everysec"))
    try:
        return graph_counts(store)
    finally:
        store.close()


# -- the parts --------------------------------------------------------------------------------
class _Writer:
    """Encrypts files into the backup folder and lists them for the manifest."""

    def __init__(self, folder: Path, key: bytes) -> None:
        self.folder, self.key = folder, key
        self.files: list[dict[str, Any]] = []

    def _target(self, name: str) -> Path:
        target = self.folder / name
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        return target

    def add_file(self, name: str, kind: str, src: Path) -> None:
        digest, size, plain = crypto.encrypt_file(src, self._target(name), self.key, name)
        self.files.append({"path": name, "kind": kind, "sha256": digest, "bytes": size,
                           "plain_bytes": plain})

    @contextmanager
    def stream(self, name: str, kind: str) -> Iterator[crypto.EncryptingWriter]:
        writer = crypto.EncryptingWriter(self._target(name), self.key, name)
        try:
            yield writer
        except BaseException:
            writer.abort()
            raise
        digest = writer.close()
        self.files.append({"path": name, "kind": kind, "sha256": digest, "bytes": writer.size,
                           "plain_bytes": writer.plain_size})


def _backup_graph(settings: Settings, out: _Writer, scratch: Path) -> dict[str, Any]:
    """The graph into the backup; returns the manifest's ``graph`` part with its counts."""
    if settings.engine == "falkordb":
        from ..store.falkordb_store import EmbeddedFalkorStore

        rdb = scratch / "graph.rdb"
        with contextlib.closing(EmbeddedFalkorStore(settings)) as live:
            version = _schema_version(live, settings)
            taken = live.snapshot(rdb)
        engine_dir = scratch / "engine"
        base = rdb_folder(engine_dir, rdb)
        counts = snapshot_counts(settings, engine_dir)
        out.add_file(GRAPH_RDB, "graph-rdb", base)
        return {"method": "falkordb-rdb", "snapshot_at": _iso(taken), "counts": counts,
                "consistency": "point in time (engine snapshot)", "schema_version": version}
    store = open_store(settings, check_schema=False)
    try:
        version = _schema_version(store, settings)
        started = _now()
        with out.stream(GRAPH_NODES, "graph-nodes") as nodes, \
                out.stream(GRAPH_RELS, "graph-relationships") as rels:
            counts = export_graph(store, nodes.write, rels.write)
        return {"method": "logical-export", "snapshot_at": started, "finished_at": _now(),
                "counts": counts, "schema_version": version,
                "consistency": "read committed, pages in uid order (see docs/operations.md)"}
    finally:
        store.close()


def _schema_version(store: Store, settings: Settings) -> int:
    """The schema version the backup is of (an older one is fine: back up, then upgrade;
    a newer one than this code is refused)."""
    state = schema.read_state(store, settings.data_dir)
    if state.newest > schema.SCHEMA_VERSION:
        raise schema.SchemaVersionError(schema.refusal(state, settings.data_dir) or "")
    return state.version


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="milliseconds")


def _backup_security(settings: Settings, out: _Writer, scratch: Path) -> list[str]:
    folder = settings.data_dir / "security"
    if not folder.is_dir():
        return []
    copies = scratch / "security"
    copies.mkdir(mode=0o700)
    names = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if (name.startswith(".") or name in SKIPPED_SECURITY or name.endswith(_SQLITE_SIDE)
                or not stat.S_ISREG(path.lstat().st_mode)):
            continue
        copy = copies / name
        if name.endswith(".sqlite"):
            with contextlib.closing(sqlite3.connect(path, timeout=30)) as src, \
                    contextlib.closing(sqlite3.connect(copy)) as dst:
                src.backup(dst)
            os.chmod(copy, 0o600)
        else:
            shutil.copyfile(path, copy)
        out.add_file(f"security/{name}.enc", "security", copy)
        names.append(name)
    return names


def _backup_audit(settings: Settings, out: _Writer, scratch: Path) -> dict[str, Any]:
    folder = settings.data_dir / "audit"
    log, head = folder / "audit.jsonl", folder / "audit.head"
    copies = scratch / "audit"
    copies.mkdir(mode=0o700)
    log_copy, head_copy = copies / "audit.jsonl", copies / "audit.head"
    if log.exists():
        with open(folder / "audit.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_SH)  # appends take it exclusively: none in between
            if head.exists():
                shutil.copyfile(head, head_copy)
            shutil.copyfile(log, log_copy)
    else:
        log_copy.touch(mode=0o600)
    key = audit_key(settings.data_dir / "security")
    if key is None:
        if log_copy.stat().st_size:
            raise BackupError("het logboek heeft records maar er is geen auditsleutel; zonder "
                              "sleutel is de keten niet te controleren")
        result_records, seq, digest = 0, 0, None
    else:
        result = AuditTrail(log_copy, key).verify()
        if not result.ok:
            raise BackupError(f"het logboek is niet intact ({result.message()}); draai "
                              "'ondergraaf audit verify' en herstel het eerst")
        result_records = result.records
        head_data = json.loads(head_copy.read_text()) if head_copy.exists() else {}
        seq, digest = head_data.get("seq", 0), head_data.get("hash")
    out.add_file(AUDIT_LOG, "audit", log_copy)
    if head_copy.exists():
        out.add_file(AUDIT_HEAD, "audit", head_copy)
    return {"records": result_records, "head_seq": seq, "head_hash": digest}


def _prepare_target(folder: Path, data_dir: Path) -> bool:
    """Create the backup folder (0700); it must be new or empty. Returns: created it."""
    if _inside(folder, data_dir) or _inside(data_dir, folder):
        raise BackupError(f"de backupmap {folder} mag niet in de datamap {data_dir} liggen "
                          "(of andersom)")
    if folder.exists():
        if not folder.is_dir() or any(folder.iterdir()):
            raise BackupError(f"{folder} bestaat al en is niet leeg; kies een nieuwe map per "
                              "backup")
        os.chmod(folder, 0o700)
        return False
    folder.mkdir(parents=True, mode=0o700)
    return True


def backup(settings: Settings, folder: Path, key: bytes,
           neo4j_dump: Path | None = None) -> dict[str, Any]:
    """Make a backup of the configured data folder (and engine) in the new ``folder``.

    ``neo4j_dump``: a ``neo4j-admin database dump`` made in the same maintenance window
    (docs/operations.md), encrypted into the backup beside the logical export, so the
    full-fidelity copy is encrypted at rest too. Returns the manifest. On any failure the
    backup folder is removed again (or emptied when it existed) and :class:`BackupError`
    (or the engine's error) is raised.
    """
    folder = folder.expanduser().absolute()
    created = _prepare_target(folder, settings.data_dir)
    out = _Writer(folder, key)
    try:
        with scratch_dir(settings.data_dir, "backup") as scratch:
            graph = _backup_graph(settings, out, scratch)
            if neo4j_dump is not None:
                if settings.engine != "neo4j":
                    raise BackupError("--neo4j-dump hoort bij Neo4j; de ingebouwde "
                                      "graafdatabase maakt zelf een momentopname")
                if not neo4j_dump.is_file():
                    raise BackupError(f"{neo4j_dump} is geen bestand")
                out.add_file(NEO4J_DUMP, "neo4j-dump", neo4j_dump)
                graph["neo4j_dump"] = {
                    "file": neo4j_dump.name,
                    "modified_at": _iso(neo4j_dump.stat().st_mtime)}
            security = _backup_security(settings, out, scratch)
            audit = _backup_audit(settings, out, scratch)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "product_version": product_version(),
            "engine": settings.engine,
            "graph_name": settings.graph_name,
            "schema_version": graph.pop("schema_version"),
            "created_at": graph["snapshot_at"],
            "finished_at": _now(),
            "graph": {k: v for k, v in graph.items() if k != "counts"},
            "counts": graph["counts"],
            "security_files": security,
            "audit": audit,
            "files": out.files,
            "key_id": crypto.key_id(key),
        }
        _write_manifest(folder, manifest, key)
    except BaseException:
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            for child in folder.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    return {**manifest, "path": str(folder)}


def prune(parent: Path, key: bytes, days: int, keep: Path | None = None,
          now: dt.datetime | None = None) -> list[Path]:
    """Remove the backups in ``parent`` made more than ``days`` days ago.

    Only folders whose manifest authenticates with ``key`` count as backups: nothing else
    in ``parent`` is ever touched, nor ``keep`` (the backup just made).
    """
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(days=days)
    removed = []
    for child in sorted(parent.iterdir()):
        if not child.is_dir() or (keep is not None and child.resolve() == keep.resolve()):
            continue
        try:
            manifest = read_manifest(child, key)
            created = dt.datetime.fromisoformat(str(manifest["created_at"]))
        except (BackupError, KeyError, ValueError):
            continue
        if created.tzinfo is None:
            created = created.replace(tzinfo=dt.UTC)
        if created < cutoff:
            shutil.rmtree(child)
            removed.append(child)
    return removed
