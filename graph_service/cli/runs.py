"""``ondergraaf runs``: the load runs (``LoadRun``, written by every ``ondergraaf load``).

``runs`` lists the most recent runs (source, full or partial extract, when, by whom,
rows, new/changed/ended facts); ``runs show RUN`` shows one with its files (and their
SHA-256) and, per indicator, the hits the refresh after the load found new, ended and
changed (the ``HitRun`` it links to, as ``ondergraaf hits runs`` and the page
/ladingen read them). Counts only, no entity: the runs are bookkeeping of the graph.
"""

from __future__ import annotations

import json
from typing import Any

import click

from .common import echo_json, operator_audit, store_session

__all__ = ["runs"]


def _facts(run: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {kind: {"new": int(run.get(f"{kind}_created") or 0),
                   "changed": int(run.get(f"{kind}_changed") or 0),
                   "ended": int(run.get(f"{kind}_ended") or 0)}
            for kind in ("nodes", "relationships")}


def _line(run: dict[str, Any]) -> str:
    kind = "volledig" if run.get("full") else "gedeeltelijk"
    f = _facts(run)
    new = f["nodes"]["new"] + f["relationships"]["new"]
    changed = f["nodes"]["changed"] + f["relationships"]["changed"]
    ended = f["nodes"]["ended"] + f["relationships"]["ended"]
    return (f"{run['uid']}  {run.get('source') or '?':14} {kind:12} "
            f"{(run.get('finished') or '')[:19].replace('T', ' ')}  "
            f"door {run.get('by') or '?'}  {run.get('rows_read') or 0} rijen  "
            f"nieuw {new}  bijgewerkt {changed}  beëindigd {ended}")


@click.group(invoke_without_command=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def runs(ctx: click.Context, limit: int, as_json: bool) -> None:
    """De ladingen: bron, volledig of gedeeltelijk, wanneer, door wie, en hoeveel feiten
    nieuw, bijgewerkt en beëindigd zijn (runs show RUN voor één lading)."""
    if ctx.invoked_subcommand is not None:
        return
    with store_session() as store:
        found = store.read("read/load_runs", {"limit": limit, "uid": None})
    operator_audit("read", {"name": "runs", "limit": limit})
    if as_json:
        echo_json([{**r, "facts": _facts(r)} for r in found])
        return
    if not found:
        click.echo("nog geen lading")
    for run in found:
        click.echo(_line(run))


@runs.command("show")
@click.argument("run")
@click.option("--json", "as_json", is_flag=True)
def show(run: str, as_json: bool) -> None:
    """Eén lading: bestanden, aantallen feiten en per indicator de treffers nieuw,
    vervallen en gewijzigd bij de berekening na de lading."""
    with store_session() as store:
        found = store.read("read/load_runs", {"limit": 1, "uid": run})
        if not found:
            raise click.ClickException(f"geen lading {run!r} (zie ondergraaf runs)")
        data = found[0]
        hit_run = (store.read("read/hits_run", {"uid": data["hit_run"]})
                   if data.get("hit_run") else [])
    operator_audit("read", {"name": "runs show", "run": run})
    counts = json.loads(hit_run[0]["counts"] or "{}") if hit_run else {}
    out = {**data, "facts": _facts(data), "hits": counts.get("hits") or {},
           "hit_changes": counts.get("changes") or {}}
    if as_json:
        echo_json(out)
        return
    click.echo(_line(data))
    click.echo(f"  begonnen {(data.get('started') or '')[:19].replace('T', ' ')}")
    for path, digest in zip(data.get("files") or [], data.get("file_hashes") or [],
                            strict=False):
        click.echo(f"  bestand {path}  sha256 {digest}")
    for kind, title in (("nodes", "knopen"), ("relationships", "relaties")):
        f = out["facts"][kind]
        click.echo(f"  {title:9} nieuw {f['new']:>7}  bijgewerkt {f['changed']:>7}  "
                   f"beëindigd {f['ended']:>7}")
    if not hit_run:
        click.echo("  treffers: niet berekend na deze lading")
        return
    click.echo(f"  treffers na de lading (berekening {data['hit_run']}):")
    for code in sorted(set(out["hits"]) | set(out["hit_changes"])):
        c = out["hit_changes"].get(code, {})
        click.echo(f"    {code:28} {out['hits'].get(code, 0):>6} treffer(s)  "
                   f"nieuw {c.get('new', 0)}  vervallen {c.get('ended', 0)}  "
                   f"gewijzigd {c.get('changed', 0)}")
