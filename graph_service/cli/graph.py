"""Commands on the graph itself: ``schema``, ``health``, ``load``, ``stats``, ``generate``,
``reset`` and ``runs`` (the load runs, :mod:`.runs`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ..config import load_settings
from ..model import SOURCES
from ..risk.recorder import ChangeRecorder, defer
from ..risk.watch import after_load
from ..security.operator import local_actor
from .common import echo_json, operator_audit, store_session
from .risk import refresh_lines
from .runs import runs
from .startup import engine_start_bytes

__all__ = ["COMMANDS", "schema", "health", "load", "stats", "generate", "reset", "runs"]


@click.command()
def schema() -> None:
    """Create the constraints and indexes (idempotent)."""
    with store_session() as store:
        store.setup_schema()
        click.echo(f"schema ready on {store.engine}")


@click.command()
def health() -> None:
    """Check that the graph engine answers (exit 1 when it does not)."""
    with store_session() as store:
        info = store.health()
    echo_json(info)
    if not info["ok"]:
        sys.exit(1)


@click.command()
@click.argument("source", type=click.Choice(list(SOURCES)))
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False,
                                                                  path_type=Path))
@click.option("--skip-invalid", is_flag=True,
              help="Load the valid rows; write refused rows to <file>.afgewezen.csv.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=None)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--no-hits", is_flag=True,
              help="Do not refresh the stored indicator hits after the load: leave its "
                   "changes for a later refresh (ondergraaf hits refresh or the next load "
                   "without --no-hits; until then hits are computed per request).")
@click.option("--volledig", "full", is_flag=True,
              help="FILES are a full extract of SOURCE (of its municipalities, for bibob): "
                   "an empty cell clears the source's value, and what the source said "
                   "before but FILES no longer contain ends. Without it a load adds and "
                   "updates only.")
def load(source: str, files: tuple[Path, ...], skip_invalid: bool, batch_size: int | None,
         as_json: bool, no_hits: bool, full: bool) -> None:
    """Load FILES of SOURCE (csv or xlsx, formats.md; ftm: FtM JSON lines, docs/ftm.md)."""
    from loaders import spec_for
    from loaders.base import LoadError, check, fewer_collections, write_checked

    if full and skip_invalid:
        raise click.UsageError("--volledig en --skip-invalid gaan niet samen: een volledig "
                               "bestand wordt helemaal geladen of helemaal niet")
    spec = spec_for(source)
    try:
        # the files are checked before the store opens: meanwhile the embedded engine
        # (spawned as the command began) loads its graph and builds its indexes
        checked = check(spec, files, batch_size=batch_size or load_settings().batch_size,
                        skip_invalid=skip_invalid, full=full,
                        busy_bytes=engine_start_bytes())
    except LoadError as exc:
        operator_audit("load", {"source": source, "files": [str(f) for f in files],
                        "problems": len(exc.problems)}, outcome="refused")
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"geweigerd: {len(exc.problems)} probleem/problemen; er is niets "
                   "geschreven", err=True)
        sys.exit(2)
    # the load and the hit refresh after it: few garbage collections (see loaders.base)
    with checked, store_session() as store, fewer_collections():
        store.setup_schema()
        recorder = ChangeRecorder(store)  # what the load wrote, for the hit refresh
        with _progress(files) as update:
            report = write_checked(recorder, checked, progress=update,
                                   by=local_actor().name)
        refreshed, alerts = None, 0
        if no_hits:
            defer(recorder)
        else:
            refreshed, alerts = after_load(recorder)
        if refreshed is not None and refreshed.run and report.run:
            store.write("write/load_run_hits", {"uid": report.run, "hit_run": refreshed.run})
    summary = report.as_dict()
    operator_audit("load", {"source": source, "files": summary["files"],
                    "rows_read": summary["rows_read"], "rows_refused": summary["rows_refused"],
                    "run": report.run, "full": full,
                    "ended": report.ended_nodes + report.ended_relationships})
    if refreshed is not None:
        summary["hits_refresh"] = {**refreshed.to_dict(), "alerts": alerts}
    if as_json:
        echo_json(summary)
        return
    _print_report(summary)
    if refreshed is not None:
        click.echo("\n".join(refresh_lines(refreshed)))
        click.echo(f"meldingen voor gevolgde entiteiten: {alerts}")


@contextmanager
def _progress(files: tuple[Path, ...]) -> Iterator[Any]:
    """A progress bar on a terminal (by rows, estimated from file size); silent otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    total = sum(max(1, f.stat().st_size // 200) for f in files)
    with click.progressbar(length=total, label="laden", file=sys.stderr) as bar:
        yield bar.update


def _print_report(r: dict[str, Any]) -> None:
    click.echo(f"bron {r['source']}: {r['rows_read']} rijen gelezen, "
               f"{r['rows_refused']} geweigerd")
    for title, created, merged in (
        ("knopen", r["nodes_created"], r["nodes_merged"]),
        ("relaties", r["relationships_created"], r["relationships_merged"]),
    ):
        for name in sorted(merged):
            click.echo(f"  {title:8} {name:18} nieuw {created.get(name, 0):>7}  "
                       f"bijgewerkt {merged[name] - created.get(name, 0):>7}")
    if r.get("full"):
        click.echo(f"  volledig bestand: beëindigd {r['ended_relationships']} relatie(s), "
                   f"{r['ended_nodes']} knoop/knopen niet meer gezien")
    if r.get("run"):
        click.echo(f"  lading: {r['run']} (ondergraaf runs show)")
    if r["match_candidates"]:
        click.echo(f"  mogelijke dubbele personen (ter beoordeling): {r['match_candidates']}")
    if r["ignored_columns"]:
        click.echo(f"  genegeerde kolommen: {', '.join(r['ignored_columns'])}")
    for f in r["reject_files"]:
        click.echo(f"  afgewezen rijen: {f}")


@click.command()
@click.option("--json", "as_json", is_flag=True)
def stats(as_json: bool) -> None:
    """What the graph holds: counts per label, type and source, and the last loads."""
    from ..operations.graphdump import graph_counts

    with store_session() as store:
        data: dict[str, Any] = {"engine": store.engine, **graph_counts(store)}
    if as_json:
        echo_json(data)
        return
    click.echo(f"engine: {data['engine']}")
    click.echo("knopen per label:")
    for k, v in data["nodes"].items():
        click.echo(f"  {k:18} {v:>9}")
    click.echo("relaties per type:")
    for k, v in data["relationships"].items():
        click.echo(f"  {k:18} {v:>9}")
    click.echo("per bron:")
    for row in data["nodes_per_source"]:
        click.echo(f"  {row['source']:15} {row['label']:18} {row['count']:>9}")
    click.echo("laatste lading per bron:")
    for row in data["last_loads"]:
        click.echo(f"  {row['source']:15} {row['finished']}  {row['rows_read']} rijen")


@click.command()
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--size", default=2000, show_default=True, type=click.IntRange(100, 10_000_000))
@click.option("--seed", default=1, show_default=True, type=int)
def generate(out: Path, size: int, seed: int) -> None:
    """Write the five source files with synthetic, linked data for Zuidwest-Drenthe."""
    from loaders.synthetic import generate as run

    counts = run(out, size, seed)
    for name, n in counts.items():
        click.echo(f"{name:20} {n:>9} rijen")


@click.command()
@click.option("--yes", is_flag=True, help="Confirm: delete everything in the graph.")
def reset(yes: bool) -> None:
    """Delete every node and relationship of the configured graph."""
    if not yes:
        raise click.UsageError("pass --yes to delete the whole graph")
    with store_session() as store:
        c = store.write("write/delete_all")
    operator_audit("delete", {"command": "reset", "nodes_deleted": c.nodes_deleted,
                      "relationships_deleted": c.relationships_deleted})
    click.echo(f"verwijderd: {c.nodes_deleted} knopen, {c.relationships_deleted} relaties")


COMMANDS = [schema, health, load, stats, generate, reset, runs]
