"""Commands for running the service for years: ``backup``, ``restore`` and ``upgrade``.

Run by the local operator on the server; both leave an audit record (a backup as
``export``, a restore as ``load``, each with ``what.name`` saying which). The backup key
comes from ``--key-file`` or ``ONDERGRAAF_BACKUP_KEY_FILE`` and is kept apart from the
backups (docs/operations.md, "Backup and restore"). ``upgrade`` brings the data folder and
its graph to this code's schema version (``graph_service.operations.upgrade``), one audit
record (``load``, ``what.name`` ``upgrade``) per step; ``check_data_folder`` (in
:mod:`.startup`) refuses every other command on a folder at another version
(docs/operations.md, "Upgrades").
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

import click

from .. import operations as ops
from ..config import load_settings
from ..errors import OndergraafError
from ..operations import upgrade as upgrades
from ..store import version as schema
from .common import echo_json, operator_audit

__all__ = ["COMMANDS", "backup", "restore", "upgrade"]

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _key_path(key_file: Path | None) -> Path:
    path = key_file or load_settings().backup_key_file
    if path is None:
        raise click.UsageError("geef de backupsleutel met --key-file of "
                               "ONDERGRAAF_BACKUP_KEY_FILE (nieuw: ondergraaf backup --new-key "
                               "BESTAND)")
    return path


def _total(counts: dict[str, Any], key: str) -> int:
    return sum(int(v) for v in counts.get(key, {}).values())


@click.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Backupsleutel (anders ONDERGRAAF_BACKUP_KEY_FILE).")
@click.option("--new-key", "new_key", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Maak een nieuwe backupsleutel in dit bestand (0600) en stop.")
@click.option("--prune", "prune_days", type=click.IntRange(1, None), default=None,
              help="Verwijder daarna backups naast DIRECTORY (met deze sleutel) die ouder "
                   "zijn dan zoveel dagen.")
@click.option("--neo4j-dump", "neo4j_dump",
              type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Neem deze 'neo4j-admin database dump' (onderhoudsvenster) versleuteld "
                   "mee.")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON (het manifest).")
def backup(directory: Path | None, key_file: Path | None, new_key: Path | None,
           prune_days: int | None, neo4j_dump: Path | None, as_json: bool) -> None:
    """Maak een versleutelde backup in de nieuwe map DIRECTORY: graaf, accounts en sleutels,
    logboek. Kan terwijl de dienst draait en er geladen wordt."""
    settings = load_settings()
    if new_key is not None:
        if directory is not None:
            raise click.UsageError("--new-key maakt alleen een sleutel; geef geen map")
        ops.check_key_location(new_key, None, settings.data_dir)
        ops.new_key_file(new_key)
        click.echo(f"nieuwe backupsleutel in {new_key} (0600); bewaar hem apart van de "
                   "backups, en een kopie op een tweede veilige plek: zonder sleutel is "
                   "geen backup terug te zetten")
        return
    if directory is None:
        raise click.UsageError("geef de map voor de backup (of --new-key BESTAND)")
    key_path = _key_path(key_file)
    ops.check_key_location(key_path, directory, settings.data_dir)
    key = ops.read_key_file(key_path)
    what: dict[str, Any] = {"name": "backup", "params": {"directory": str(directory)}}
    try:
        manifest = ops.backup(settings, directory, key, neo4j_dump=neo4j_dump)
    except Exception as exc:
        # the failure is recorded when the trail can take it (it may be what failed)
        with contextlib.suppress(OndergraafError):
            operator_audit("export", {**what, "error": str(exc)}, outcome="error")
        raise
    counts = manifest["counts"]
    operator_audit("export", {
        **what, "engine": manifest["engine"], "method": manifest["graph"]["method"],
        "created_at": manifest["created_at"], "files": len(manifest["files"]),
        "nodes": _total(counts, "nodes"), "relationships": _total(counts, "relationships"),
        "audit_head_seq": manifest["audit"]["head_seq"]})
    removed: list[Path] = []
    if prune_days is not None:
        removed = ops.prune(directory.expanduser().absolute().parent, key, prune_days,
                        keep=directory)
        if removed:
            operator_audit("delete", {"name": "backup prune", "params": {"days": prune_days},
                                      "removed": [str(p) for p in removed]})
    if as_json:
        echo_json({**manifest, "pruned": [str(p) for p in removed]})
        return
    click.echo(f"backup gemaakt in {manifest['path']} ({manifest['engine']}, "
               f"{manifest['graph']['method']}, moment {manifest['created_at']})")
    click.echo(f"  {_total(counts, 'nodes')} knopen, {_total(counts, 'relationships')} "
               f"relaties, {len(manifest['security_files'])} beveiligingsbestanden, "
               f"logboek tot seq {manifest['audit']['head_seq']}")
    for path in removed:
        click.echo(f"  oude backup verwijderd: {path}")


@click.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Backupsleutel (anders ONDERGRAAF_BACKUP_KEY_FILE).")
@click.option("--force", is_flag=True,
              help="Vervang een datamap die niet leeg is (het oude gaat opzij, naar "
                   "replaced-<tijd>/; een Neo4j-graaf wordt geleegd).")
@click.option("--no-retention", is_flag=True,
              help="Draai de bewaartermijnen niet direct na het terugzetten (alleen voor "
                   "een hersteloefening die niet in gebruik gaat).")
@click.option("--today", type=_DATE, default=None,
              help="Peildatum van de bewaartermijnen (YYYY-MM-DD; standaard vandaag).")
@click.option("--neo4j-dump-to", "dump_to", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Zet niets terug: pak alleen de Neo4j-dump uit (na controle "
                                 "van de hele backup) naar dit nieuwe bestand, voor "
                                 "'neo4j-admin database load'.")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def restore(directory: Path, key_file: Path | None, force: bool, no_retention: bool,
            today: dt.datetime | None, dump_to: Path | None, as_json: bool) -> None:
    """Zet de backup in DIRECTORY terug in de (lege) datamap; alles wordt eerst
    gecontroleerd: sleutel, manifest, bestanden, logboek."""
    settings = load_settings()
    key = ops.read_key_file(_key_path(key_file))
    if dump_to is not None:
        try:
            ops.extract_neo4j_dump(directory, key, dump_to)
        except ops.BackupError as exc:
            raise ops.BackupError(f"uitpakken geweigerd: {exc}") from exc
        operator_audit("export", {"name": "restore neo4j dump", "params": {
            "directory": str(directory), "to": str(dump_to)}})
        click.echo(f"Neo4j-dump uitgepakt naar {dump_to} (0600); laad hem met "
                   "'neo4j-admin database load' in de gestopte server")
        return
    try:
        report = ops.restore(settings, directory, key, force=force)
    except ops.BackupError as exc:
        raise ops.BackupError(f"herstel geweigerd: {exc}") from exc
    counts = report["counts"]
    operator_audit("load", {
        "name": "restore", "params": {"directory": str(directory), "force": force},
        "backup_created_at": report["created_at"], "method": report["method"],
        "replaced": report["replaced"], "replaced_to": report["replaced_to"],
        "nodes": _total(counts, "nodes"), "relationships": _total(counts, "relationships")})
    # a backup of an older schema version is brought to this one before it is used
    report["upgrade"] = (upgrades.upgrade(settings, on_step=_upgrade_step_audit).as_dict()
                         if report["schema_version"] < schema.SCHEMA_VERSION else None)
    report["retention"] = None if no_retention else ops.apply_retention(
        settings, today.date() if today else None)
    if as_json:
        echo_json(report)
        return
    click.echo(f"backup van {report['created_at']} teruggezet in {report['data_dir']} "
               f"({report['engine']}, {report['method']})")
    click.echo(f"  {_total(counts, 'nodes')} knopen, {_total(counts, 'relationships')} "
               f"relaties (gelijk aan het manifest), logboek intact: "
               f"{report['audit_records']} records")
    if report["upgrade"] is not None:
        click.echo(f"  schemaversie {report['schema_version']} van de backup bijgewerkt naar "
                   f"{report['upgrade']['after']} (ondergraaf upgrade)")
    if report["replaced"]:
        click.echo(f"  vervangen: {', '.join(report['replaced'])}"
                   + (f" (oud bewaard in {report['replaced_to']})"
                      if report["replaced_to"] else ""))
    if report["retention"] is None:
        click.echo("  let op: bewaartermijnen niet toegepast; draai 'ondergraaf retention "
                   "apply' voor deze data in gebruik gaat")
    else:
        removed = sum(sum(v.values()) for k, v in report["retention"].items()
                      if k.endswith("deleted"))
        click.echo(f"  bewaartermijnen toegepast: {removed} verlopen knopen/relaties "
                   "verwijderd")


def _upgrade_step_audit(record: dict[str, Any]) -> None:
    operator_audit("load", {"name": "upgrade", "params": {"from": record["from"],
                                                          "to": record["to"]},
                            "description": record["description"],
                            "changed": record["changed"], "seconds": record["seconds"]})


@click.command()
@click.option("--dry-run", is_flag=True,
              help="Toon alleen de versies en de stappen die een upgrade zou zetten.")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def upgrade(dry_run: bool, as_json: bool) -> None:
    """Breng de datamap en de graaf naar de schemaversie van deze software (idempotent:
    een tweede keer doet niets). Maak eerst een backup."""
    settings = load_settings()
    if dry_run:
        found = upgrades.status(settings)
        if as_json:
            echo_json(found)
            return
        click.echo(f"schemaversie: software {found['code']}, datamap {found['folder']}, "
                   f"graaf {found['graph']}")
        for step in found["pending"]:
            click.echo(f"  nog te doen: {step['from']} -> {step['to']}: {step['description']}")
        if not found["pending"] and found["refusal"] is None:
            click.echo("  niets te doen")
        elif found["refusal"] is not None and not found["pending"]:
            click.echo(f"  {found['refusal']}")
        return
    try:
        report = upgrades.upgrade(settings, on_step=_upgrade_step_audit)
    except upgrades.UpgradeError as exc:
        with contextlib.suppress(OndergraafError):
            operator_audit("load", {"name": "upgrade", "error": str(exc)}, outcome="error")
        raise
    if as_json:
        echo_json(report.as_dict())
        return
    before = report.before
    if not report.changed:
        click.echo(f"al op schemaversie {report.after} (datamap {before['folder']}, graaf "
                   f"{before['graph']}): niets te doen")
        return
    click.echo(f"bijgewerkt naar schemaversie {report.after} ({report.engine}, "
               f"{report.data_dir})")
    for step in report.steps:
        click.echo(f"  {step['from']} -> {step['to']}: {step['description']} "
                   f"({step['seconds']:.1f} s)")


COMMANDS = [backup, restore, upgrade]
