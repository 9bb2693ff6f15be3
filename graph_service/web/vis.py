"""Interactive graphs (pyvis -> vis-network) of an entity, a Bibob screening and paths.

The graph JSON comes from :mod:`.graphdata`, which the entity and Bibob pages embed too.
Pages use the project's own template and the vis-network files the app serves itself
(``graph_service.web.vendor``); nothing loads from another host. The ends of ``/vis/paths``
are uids or names, as on the path finder: a name that fits several entities sends the
reader to the path finder's choice (``/paden``) instead of choosing one.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from .. import queries
from ..errors import InvalidParams
from ..render import terms
from ..risk import screening
from ..store import Store
from . import params
from .graphdata import entity_graph, paths_graph, screening_graph
from .http import get_store
from .identity import annotate
from .route_access import context_access, dossier_access, entity_access

__all__ = ["bp"]

bp = Blueprint("vis", __name__, url_prefix="/vis")

@bp.get("/entities/<path:uid>")
@entity_access("uid")
def entity(uid: str) -> ResponseReturnValue:
    depth = params.int_arg("depth", 2, 1, 3)
    types = params.rel_types_arg("types")
    as_of = params.date_arg("as_of")
    hubs = params.choice_arg("hubs", params.HUB_CHOICES, "stop")
    store = get_store()
    with terms.dutch_not_found():
        info = queries.get_entity(store, uid)
    data = entity_graph(store, uid, depth=depth, types=types, as_of=as_of, hubs=hubs)
    return render_template("vis.html", data=data, title=f"Netwerk van {info['name'] or uid}",
                           entity=info, depth=depth, kind="entity")


@bp.get("/bibob/<path:dossier_id>")
@dossier_access("dossier_id")
def bibob(dossier_id: str) -> ResponseReturnValue:
    as_of = params.date_arg("as_of") or dt.date.today()
    hubs = params.choice_arg("hubs", params.HUB_CHOICES, "stop")
    report = screening.screen(get_store(), dossier_id, as_of, hubs=hubs)
    data = screening_graph(get_store(), report)
    return render_template("vis.html", data=data, kind="bibob", report=report,
                           title=f"Netwerk van Bibob-dossier {report.dossier.get('dossier_id')}")


@bp.get("/paths")
@context_access("from", "to")
def paths() -> ResponseReturnValue:
    from_uid = params.text_arg("from")
    to_uid = params.text_arg("to")
    max_hops = params.int_arg("max_hops", 4, 1, queries.MAX_HOPS)
    as_of = params.date_arg("as_of")
    hubs = params.choice_arg("hubs", params.HUB_CHOICES, "stop")
    store = get_store()
    ends = [_end(store, text) for text in (from_uid, to_uid)]
    if None in ends:  # a name that fits several entities: the path finder asks which one
        return redirect(url_for("pages.paths", van=from_uid, naar=to_uid, max=max_hops))
    from_uid, to_uid = (str(e) for e in ends)
    with terms.dutch_not_found():
        found = queries.paths(store, from_uid, to_uid, max_hops=max_hops, all_shortest=True,
                              as_of=as_of, limit=10, hubs=hubs)
        named = [queries.get_entity(store, u) for u in (from_uid, to_uid)]
    rows = [{"uid": e["uid"], "name": e["name"], "labels": e["labels"]} for e in named]
    annotate(store, rows)
    data = paths_graph(store, found, as_of or dt.date.today())
    return render_template("vis.html", data=data, kind="paths", count=len(found),
                           title=f"Paden tussen {rows[0]['identity_line']} en "
                                 f"{rows[1]['identity_line']}",
                           from_uid=from_uid, to_uid=to_uid, max_hops=max_hops)


def _end(store: Store, text: str) -> str | None:
    """The uid a path end stands for: a uid as sent, or a name that fits one entity; None
    when the name fits several (never a silent choice). A name that fits nothing stays as
    sent, and the path search answers that it does not know it."""
    try:
        found = queries.resolve(store, text)
    except InvalidParams:  # not a search text (one character): taken as a uid
        return text
    if found.entity is not None:
        return str(found.entity["uid"])
    return None if found.ambiguous else text
