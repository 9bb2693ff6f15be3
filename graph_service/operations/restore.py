"""``ondergraaf restore``: a backup back into an empty data folder, checked at every step.

Before anything is written to the target:

1. the manifest must authenticate with the backup key (another key is named as such);
2. every file it lists must be there, with its size and SHA-256, and nothing else;
3. the target must be empty: no data folder, or an empty one (and on Neo4j an empty
   graph), unless ``force``.

Then every file is decrypted (each chunk authenticated) into a private staging folder
inside the target, and the restored audit trail must verify with the audit key and end on
the head the manifest recorded. Only then is anything put in place: ``security/``,
``audit/`` and, for the embedded engine, ``falkordb/`` with the snapshot as the base of its
append-only file. A refused restore leaves the target as it was (a data folder it had to
create is removed again).

With ``force`` a target that is not empty is replaced: its ``falkordb/``, ``security/``
and ``audit/`` are moved aside to ``<data_dir>/replaced-<time>/`` (never deleted: the old
audit trail is evidence), and a Neo4j graph is emptied. The embedded engine must not be
running on the target (stop the service first).

The graph is then started (or, for a logical export, written back through the store) and
counted: the counts must equal the manifest's. Then retention runs at once
(:func:`apply_retention`; ``ondergraaf restore`` does it unless ``--no-retention``): a
backup is older than the data it was made from, and what has expired since may not come
back (docs/operations.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from ..config import Settings
from ..security.audit import Actor, AuditTrail
from ..store import Store, open_store
from ..store import version as schema
from . import crypto
from .backup import (
    AUDIT_LOG,
    GRAPH_NODES,
    GRAPH_RDB,
    GRAPH_RELS,
    MANIFEST,
    NEO4J_DUMP,
    BackupError,
    audit_key,
    rdb_folder,
    read_manifest,
)
from .graphdump import graph_counts, import_graph, json_lines, normalise_counts

__all__ = ["PLACED", "apply_retention", "extract_neo4j_dump", "restore", "verify_backup"]

#: What a restore puts in the data folder (and, with ``force``, moves aside first).
PLACED = ("falkordb", "security", "audit")
_TOP = ("graph", "security", "audit")


def _safe_name(name: object) -> str:
    if not isinstance(name, str):
        raise BackupError("het manifest noemt een bestand zonder naam")
    path = PurePosixPath(name)
    if (path.is_absolute() or ".." in path.parts or len(path.parts) != 2
            or path.parts[0] not in _TOP or not name.endswith(".enc")):
        raise BackupError(f"het manifest noemt een onverwacht bestand: {name!r}")
    return name


def verify_backup(folder: Path, key: bytes) -> dict[str, Any]:
    """Check a backup without writing anything: its manifest (authenticated with ``key``)
    and every file it lists (there, whole, unchanged, nothing more). Returns the manifest;
    raises :class:`BackupError` with what is wrong."""
    folder = folder.expanduser().absolute()
    manifest = read_manifest(folder, key)
    files = manifest.get("files")
    if not isinstance(files, list):
        raise BackupError("het manifest heeft geen bestandenlijst")
    listed = {_safe_name(f.get("path")): f for f in files if isinstance(f, dict)}
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*")
               if p.is_file() or p.is_symlink()} - {MANIFEST}
    missing = sorted(set(listed) - present)
    if missing:
        raise BackupError(f"de backup is onvolledig: {', '.join(missing)} ontbreekt")
    extra = sorted(present - set(listed))
    if extra:
        raise BackupError(f"de backup bevat bestanden die niet in het manifest staan: "
                          f"{', '.join(extra)}")
    for name, entry in sorted(listed.items()):
        path = folder / name
        if path.is_symlink():
            raise BackupError(f"{name} is een symbolische koppeling; geweigerd")
        size = path.stat().st_size
        if size != entry.get("bytes"):
            raise BackupError(f"{name} is ingekort of aangevuld: {size} bytes, het manifest "
                              f"zegt {entry.get('bytes')}")
        if crypto.sha256_file(path) != entry.get("sha256"):
            raise BackupError(f"{name} is gewijzigd of beschadigd: de SHA-256 klopt niet met "
                              "het manifest")
    method = manifest.get("graph", {}).get("method")
    needed = {"falkordb-rdb": [GRAPH_RDB], "logical-export": [GRAPH_NODES, GRAPH_RELS]}
    if method not in needed:
        raise BackupError(f"onbekende backupmethode {method!r}")
    for name in needed[method] + [AUDIT_LOG]:
        if name not in listed:
            raise BackupError(f"de backup is onvolledig: {name} ontbreekt in het manifest")
    return manifest


def _contents(data_dir: Path) -> list[str]:
    if not data_dir.exists():
        return []
    if not data_dir.is_dir():
        raise BackupError(f"{data_dir} is geen map")
    return sorted(p.name for p in data_dir.iterdir())


def _graph_size(store: Store) -> int:
    counts = graph_counts(store)
    return int(sum(counts["nodes"].values())) + len(counts["last_loads"])


@contextlib.contextmanager
def _staging(data_dir: Path) -> Iterator[Path]:
    """A private folder inside the target; on failure the target is left as it was."""
    created = not data_dir.exists()
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = data_dir / f".restore-{secrets.token_hex(3)}"
    folder.mkdir(mode=0o700)
    try:
        yield folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                data_dir.rmdir()
        raise
    shutil.rmtree(folder, ignore_errors=True)


def _decrypt_all(folder: Path, manifest: dict[str, Any], key: bytes, staging: Path) -> None:
    for entry in manifest["files"]:
        name = entry["path"]
        if name == NEO4J_DUMP:
            continue  # only on request: extract_neo4j_dump
        top, file = name.split("/", 1)
        target = staging / top / file[: -len(".enc")]
        target.parent.mkdir(exist_ok=True, mode=0o700)
        try:
            crypto.decrypt_file(folder / name, target, key, name)
        except crypto.DecryptionFailed as exc:
            raise BackupError(str(exc)) from exc


def _check_audit(staging: Path, manifest: dict[str, Any]) -> int:
    """The restored trail must verify and end where the manifest says; returns records."""
    expected = manifest.get("audit") or {}
    log = staging / "audit" / "audit.jsonl"
    key = audit_key(staging / "security")
    if key is None:
        if log.stat().st_size:
            raise BackupError("het logboek in de backup is niet te controleren: geen "
                              "auditsleutel (niet in de backup en niet ingesteld)")
        return 0
    result = AuditTrail(log, key).verify()
    if not result.ok:
        raise BackupError(f"het logboek in de backup is niet intact: {result.message()}")
    head_file = staging / "audit" / "audit.head"
    head = json.loads(head_file.read_text(encoding="utf-8")) if head_file.exists() else {}
    if (result.records != expected.get("records")
            or head.get("seq", 0) != expected.get("head_seq")
            or head.get("hash") != expected.get("head_hash")):
        raise BackupError("het logboek in de backup eindigt niet op het verzegelde einde dat "
                          "het manifest noemt")
    return result.records


def restore(
    settings: Settings,
    folder: Path,
    key: bytes,
    *,
    force: bool = False,
) -> dict[str, Any]:
    """Restore the backup in ``folder`` into the configured data folder (and engine).

    Returns a report: what was restored and counted, what was replaced (with ``force``).
    Retention is not part of it: run :func:`apply_retention` right after (the CLI does,
    after it has recorded the restore). Raises :class:`BackupError` when the backup or the target is
    refused; the target is then left as it was.
    """
    folder = folder.expanduser().absolute()
    data_dir = settings.data_dir.expanduser().absolute()
    manifest = verify_backup(folder, key)
    method = manifest["graph"]["method"]
    if method == "falkordb-rdb":
        if settings.engine != "falkordb":
            raise BackupError("deze backup is een momentopname van de ingebouwde graafdatabase "
                              "en kan niet in Neo4j worden teruggezet")
        if manifest.get("graph_name") != settings.graph_name:
            raise BackupError(f"de backup bevat graaf {manifest.get('graph_name')!r}, "
                              f"ingesteld is {settings.graph_name!r}")
    present = _contents(data_dir)
    store: Store | None = None
    try:
        replaced_graph = 0
        if settings.engine == "neo4j":
            store = open_store(settings, check_schema=False)
            replaced_graph = _graph_size(store)
        if (present or replaced_graph) and not force:
            what = ", ".join(present) if present else f"{replaced_graph} knopen in Neo4j"
            raise BackupError(f"het doel is niet leeg ({data_dir}: {what}); herstel alleen in "
                              "een lege datamap, of geef --force om te vervangen")
        if force and settings.engine == "falkordb":
            from ..store.embedded import EmbeddedServer

            if EmbeddedServer(data_dir).running():
                raise BackupError("de ingebouwde graafdatabase draait nog op deze datamap; "
                                  "stop eerst de dienst (en andere opdrachten)")
        with _staging(data_dir) as staging:
            _decrypt_all(folder, manifest, key, staging)
            records = _check_audit(staging, manifest)
            if method == "falkordb-rdb":
                rdb_folder(staging, staging / "graph" / "graph.rdb")
            replaced, aside = _put_in_place(data_dir, staging, force)
            # the backup's schema version (backups from before versions: 1); an older one
            # is upgraded by the command after the counts are checked
            version = int(manifest.get("schema_version") or schema.FIRST_VERSION)
            schema.write_folder_version(data_dir, version)
            if store is None:
                store = open_store(settings, check_schema=False)
            if method == "logical-export":
                if replaced_graph:
                    store.write("write/delete_all")
                store.setup_schema()
                import_graph(store, json_lines(_read(staging / "graph" / "nodes.jsonl")),
                             json_lines(_read(staging / "graph" / "relationships.jsonl")),
                             settings.batch_size)
        counts = graph_counts(store)
        if normalise_counts(counts) != normalise_counts(manifest["counts"]):
            raise BackupError("de graaf is teruggezet, maar de tellingen wijken af van het "
                              "manifest; gebruik deze datamap niet en meld dit")
        schema.write_graph_version(store, version)
    finally:
        if store is not None:
            store.close()
    return {
        "backup": str(folder),
        "created_at": manifest["created_at"],
        "engine": settings.engine,
        "method": method,
        "data_dir": str(data_dir),
        "counts": counts,
        "schema_version": version,
        "audit_records": records,
        "security_files": manifest.get("security_files", []),
        "replaced": replaced + ([f"graaf in Neo4j ({replaced_graph} knopen)"]
                                if replaced_graph else []),
        "replaced_to": str(aside) if aside else None,
    }


def extract_neo4j_dump(folder: Path, key: bytes, dest: Path) -> dict[str, Any]:
    """Decrypt the Neo4j dump of a backup (after checking the whole backup) into the new
    file ``dest`` (0600), for ``neo4j-admin database load``. Returns the manifest."""
    folder = folder.expanduser().absolute()
    manifest = verify_backup(folder, key)
    if NEO4J_DUMP not in {f["path"] for f in manifest["files"]}:
        raise BackupError("deze backup bevat geen Neo4j-dump")
    if dest.exists():
        raise BackupError(f"{dest} bestaat al; kies een nieuw bestand")
    try:
        crypto.decrypt_file(folder / NEO4J_DUMP, dest, key, NEO4J_DUMP)
    except crypto.DecryptionFailed as exc:
        dest.unlink(missing_ok=True)
        raise BackupError(str(exc)) from exc
    return manifest


def apply_retention(settings: Settings, today: dt.date | None = None,
                    actor: Actor | None = None) -> dict[str, dict[str, int]]:
    """Run retention on the restored graph at once (audited as every retention run);
    returns what it removed per kind and label or type."""
    from ..security.operator import local_actor
    from ..security.retention import apply

    with contextlib.closing(open_store(settings)) as store:
        result = apply(store, today, audit=AuditTrail.open(settings),
                       actor=actor or local_actor(("admin",)))
    return result.counts()


def _read(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while block := fh.read(crypto.CHUNK):
            yield block


def _put_in_place(data_dir: Path, staging: Path, force: bool) -> tuple[list[str], Path | None]:
    """Move the staged folders into the data folder; with ``force`` what they replace goes
    aside first. Returns the names replaced and where they went."""
    replaced: list[str] = []
    aside: Path | None = None
    if force:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        for name in PLACED:
            if (data_dir / name).exists():
                if aside is None:
                    aside = data_dir / f"replaced-{stamp}"
                    aside.mkdir(mode=0o700)
                os.replace(data_dir / name, aside / name)
                replaced.append(f"{name}/")
    for name in PLACED:
        if (staging / name).exists():
            os.replace(staging / name, data_dir / name)
    os.chmod(data_dir, 0o700)
    return replaced, aside
