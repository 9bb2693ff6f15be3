"""``ondergraaf export``: what a scope may see, in a format another tool reads.

``export ftm`` writes the visible graph of a dossier, a RIEC case or the neighbourhood of
an entity as FollowTheMoney entities in JSON lines (docs/ftm.md, "Export"), for Aleph or
an RIEC partner's tool. The read runs in a session under the declared purpose
(:func:`.common.read_session`): audited with the uids it returned, and pseudonymised under
``analyse`` like every other read.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from ..model import dossier_uid
from ..queries.network import MAX_NODE_LIMIT, neighbourhood
from ..risk.watch import followed
from ..store import Store
from .common import purpose_options, read_session

__all__ = ["COMMANDS", "export", "export_ftm", "scope_graph"]


def scope_graph(store: Store, roots: Iterable[tuple[str, int]],
                limit: int = MAX_NODE_LIMIT) -> tuple[list[dict[str, Any]],
                                                      list[dict[str, Any]]]:
    """The nodes and relationships within ``depth`` of each ``(uid, depth)`` root, as the
    current scope sees them (one neighbourhood read per root, merged; depth 0: the root
    alone)."""
    nodes: dict[str, dict[str, Any]] = {}
    rels: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for uid, depth in roots:
        sub = neighbourhood(store, uid, depth=max(depth, 1), limit=limit if depth else 1)
        for node in sub.nodes:
            nodes.setdefault(str(node["uid"]), node)
        for rel in sub.relationships:
            rels.setdefault((rel["_type"], rel["_start"], rel["_end"],
                             str(rel.get("key") or "")), rel)
    return list(nodes.values()), list(rels.values())


@click.group()
def export() -> None:
    """Exporteer wat het doel mag zien naar een formaat voor andere systemen."""


@export.command("ftm")
@click.option("--uid", default=None, help="De omgeving van deze entiteit exporteren.")
@click.option("--dossier", "dossier", default=None,
              help="Een Bibob-dossier met zijn omgeving (standaard het dossier van het "
                   "doel bibob_toets).")
@click.option("--casus", "casus", is_flag=True,
              help="Wat de RIEC-casus van het doel (riec_casus) volgt, met de diepte van "
                   "elke gevolgde entiteit.")
@click.option("--diepte", "depth", type=click.IntRange(1, 3), default=2, show_default=True,
              help="Stappen rond de entiteit of het dossier.")
@click.option("--uit", "--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Schrijf naar dit bestand (standaard: standaarduitvoer).")
@purpose_options
def export_ftm(uid: str | None, dossier: str | None, casus: bool, depth: int,
               out: Path | None, purpose: str | None, reference: str | None,
               role: str | None) -> None:
    """De zichtbare graaf als FollowTheMoney-entiteiten (JSON-regels)."""
    if sum(bool(x) for x in (uid, dossier, casus)) > 1:
        raise click.UsageError("kies één van --uid, --dossier en --casus")
    if casus and (purpose != "riec_casus" or not reference):
        raise click.UsageError("--casus hoort bij het doel riec_casus met een casusnummer")
    number = dossier or (reference if purpose == "bibob_toets" else None)
    if not (uid or casus or number):
        raise click.UsageError("geef --uid, --dossier of --casus")
    with read_session(purpose, reference, role) as (store, audited):
        if casus:
            roots = [(str(w["uid"]), int(w["depth"] or 0))
                     for w in followed(store, "riec_casus", str(reference))]
        else:
            roots = [(uid, depth) if uid else (dossier_uid(str(number)), depth)]
        nodes, rels = scope_graph(store, roots)
        audited.returned([{"uid": n["uid"]} for n in nodes])
    # followthemoney takes about a second to import: only this command pays for it
    from ..render.ftm import to_entities, to_jsonl

    text = to_jsonl(to_entities(nodes, rels))
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"{text.count(chr(10))} FtM-entiteiten geschreven naar {out}", err=True)


COMMANDS = [export]
