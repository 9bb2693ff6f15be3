"""The JSON API under ``/api``: search, entities, neighbourhoods, paths, risk, indicators,
Bibob screening and hotspots. ``graph_service.web.openapi`` documents every route.

Uids contain ``:`` and ``/`` (``unit:VP-07/112``), so entity routes use the ``path``
converter; ``.../neighbourhood`` and ``.../risk`` are separate rules whose static suffix
wins over the bare entity rule. Every error is the one JSON shape of ``http.error_body``,
in Dutch with a stable ``code`` (docs/api.md). Parameters are read exactly
(``params``, ``strict=True``) so that ``/openapi.json`` states every rule the API enforces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from .. import queries, risk
from ..errors import InvalidParams, NotFound
from ..queries.timeline import entity_timeline
from ..risk import screening
from ..risk.evidence import EntityRef
from ..risk.indicators import MAX_PATHS, get_indicator, list_indicators
from . import params
from .hits import codes_of, hits_page
from .http import error_body, get_store
from .identity import ambiguity_message, annotate, candidate_rows
from .notices import sees
from .route_access import context_access, dossier_access, entity_access, scoped

__all__ = ["bp", "MAX_DEPTH", "MAX_HOPS", "HOTSPOT_KINDS", "DEFAULT_HITS_PAGE", "MAX_HITS_PAGE",
           "MAX_OFFSET", "as_of_arg", "in_dutch"]

bp = Blueprint("api", __name__, url_prefix="/api")

MAX_DEPTH = 3
MAX_HOPS = queries.MAX_HOPS
HOTSPOT_KINDS: dict[str, queries.HotspotKind] = {
    "address": "address", "park": "park", "object": "object",
}
#: Hits per request of the whole-graph hits of one indicator: the default and the most a
#: caller may ask for. The page is cut in the indicator's Cypher (SKIP/LIMIT after its
#: ORDER BY uid), so Python never holds more than ``limit + 1`` hits.
DEFAULT_HITS_PAGE = 100
MAX_HITS_PAGE = 1000
MAX_OFFSET = 10_000_000
_NO_ENTITY = "no entity with uid "  # the query layer's (English, for developers) not-found


def as_of_arg() -> dt.date:
    """``as_of`` (ISO date), default today when left out; an empty ``as_of=`` is a 422."""
    return params.date_arg("as_of", strict=True) or dt.date.today()


@contextmanager
def in_dutch() -> Iterator[None]:
    """The query layer tells developers in English that a uid is unknown; the API tells its
    users in Dutch (the same 404)."""
    try:
        yield
    except NotFound as exc:
        text = str(exc)
        if text.startswith(_NO_ENTITY):
            raise NotFound(f"geen entiteit met uid {text[len(_NO_ENTITY):]}") from None
        raise


@bp.get("/search")
@scoped(text=("q",))
def search() -> ResponseReturnValue:
    q = params.search_text_arg("q")
    limit = params.int_arg("limit", 20, 1, queries.MAX_SEARCH_LIMIT, strict=True)
    results = queries.search(get_store(), q, limit=limit)
    annotate(get_store(), results)
    for row in results:
        row.pop("identity_name", None)
    return jsonify({"query": q, "count": len(results), "results": results})


@bp.get("/entities/<path:uid>")
@entity_access("uid")
def entity(uid: str) -> ResponseReturnValue:
    with in_dutch():
        return jsonify(queries.get_entity(get_store(), uid))


@bp.get("/entities/<path:uid>/neighbourhood")
@entity_access("uid")
def neighbourhood(uid: str) -> ResponseReturnValue:
    depth = params.int_arg("depth", 1, 1, MAX_DEPTH, strict=True)
    types = params.rel_types_arg("types", strict=True)
    as_of = params.date_arg("as_of", strict=True)
    limit = params.int_arg("limit", queries.DEFAULT_NODE_LIMIT, 1, queries.MAX_NODE_LIMIT,
                           strict=True)
    per_node = params.int_arg("per_node", queries.DEFAULT_PER_NODE, 1, queries.MAX_NODE_LIMIT,
                              strict=True)
    hubs = params.choice_arg("hubs", params.HUB_CHOICES, "stop", strict=True)
    with in_dutch():
        sub = queries.neighbourhood(get_store(), uid, depth=depth, types=types, as_of=as_of,
                                    limit=limit, per_node=per_node, hubs=hubs)
    body: dict[str, Any] = {
        "depth": depth,
        "as_of": as_of.isoformat() if as_of else None,
        "types": types or list(queries.DEFAULT_REL_TYPES),
        **sub.to_dict(),
    }
    return jsonify(body)


@bp.get("/paths")
@context_access("from", "to")
def paths() -> ResponseReturnValue:
    from_uid = params.uid_arg("from")
    to_uid = params.uid_arg("to")
    max_hops = params.int_arg("max_hops", 4, 1, MAX_HOPS, strict=True)
    types = params.rel_types_arg("types", strict=True)
    as_of = params.date_arg("as_of", strict=True)
    all_shortest = params.choice_arg("all", ("true", "false"), "false", strict=True) == "true"
    limit = params.int_arg("limit", queries.DEFAULT_PATH_LIMIT, 1, queries.MAX_PATH_LIMIT,
                           strict=True)
    hubs = params.choice_arg("hubs", params.HUB_CHOICES, "stop", strict=True)
    store = get_store()
    for name, text in (("from", from_uid), ("to", to_uid)):
        resolved = _resolve_end(text)
        if isinstance(resolved, str):
            if name == "from":
                from_uid = resolved
            else:
                to_uid = resolved
            continue
        candidates = candidate_rows(store, resolved)
        for row in candidates:
            row.pop("identity_name", None)
        body = error_body(409, ambiguity_message(text, len(candidates)), "ambiguous_name")
        return jsonify({**body, "parameter": name, "candidates": candidates}), 409
    if from_uid == to_uid:
        raise params.SameEntity("'from' en 'to' zijn dezelfde entiteit; een pad loopt tussen "
                                "twee verschillende entiteiten")
    with in_dutch():
        found = queries.paths(get_store(), from_uid, to_uid, max_hops=max_hops, types=types,
                              all_shortest=all_shortest, as_of=as_of, limit=limit,
                              hubs=hubs)
    return jsonify({
        "from": from_uid,
        "to": to_uid,
        "max_hops": max_hops,
        "as_of": as_of.isoformat() if as_of else None,
        "count": len(found),
        "paths": [p.to_dict() for p in found],
    })


def _resolve_end(text: str) -> str | list[dict[str, Any]]:
    """The uid ``from``/``to`` stands for (a uid as sent, or a name that fits exactly one
    entity), or the candidates when a name fits several; an unknown uid or a name that
    fits nothing stays as sent (the path search answers 404)."""
    try:
        found = queries.resolve(get_store(), text)
    except InvalidParams:  # not a search text (one character): taken as a uid
        return text
    if found.entity is not None:
        return str(found.entity["uid"])
    return found.candidates if found.ambiguous else text


@bp.get("/entities/<path:uid>/risk")
@entity_access("uid")
def entity_risk(uid: str) -> ResponseReturnValue:
    as_of = as_of_arg()
    with in_dutch():
        return jsonify(risk.risk(get_store(), uid, as_of).to_dict())


@bp.get("/entities/<path:uid>/timeline")
@entity_access("uid")
def entity_timeline_route(uid: str) -> ResponseReturnValue:
    """The entity's dated facts on one time axis, each marked against ``as_of``."""
    as_of = as_of_arg()
    with in_dutch():
        found = entity_timeline(get_store(), uid, as_of)
    for event in (*found["events"], *found["undated"]):
        if event["other"] is not None:
            event["other"].pop("properties", None)
    return jsonify(found)


@bp.get("/indicators")
@scoped()
def indicators() -> ResponseReturnValue:
    found = [i.to_dict() for i in list_indicators(get_store().registry)]
    return jsonify({"count": len(found), "indicators": found})


@bp.get("/indicators/<code>/hits")
@scoped(text=("code",))
def indicator_hits(code: str) -> ResponseReturnValue:
    store = get_store()
    indicator = get_indicator(code, store.registry)
    as_of = as_of_arg()
    limit = params.int_arg("limit", DEFAULT_HITS_PAGE, 1, MAX_HITS_PAGE, strict=True)
    offset = params.int_arg("offset", 0, 0, MAX_OFFSET, strict=True)
    max_paths = params.int_arg("max_paths", MAX_PATHS, 0, MAX_PATHS, strict=True)
    page, truncated = hits_page(store, indicator, as_of, offset, limit, max_paths)
    return jsonify({
        "indicator": indicator.to_dict(),
        "as_of": as_of.isoformat(),
        "total": None if truncated else offset + len(page),
        "truncated": truncated,
        "offset": offset,
        "limit": limit,
        "next_offset": offset + limit if truncated else None,
        "hits": [h.to_dict() for h in page],
    })


@bp.get("/bibob/<path:dossier_id>/screening")
@dossier_access("dossier_id")
def bibob_screening(dossier_id: str) -> ResponseReturnValue:
    as_of = as_of_arg()
    hubs = params.choice_arg("hubs", params.HUB_CHOICES, "stop", strict=True)
    with in_dutch():
        report = screening.screen(get_store(), dossier_id, as_of, hubs=hubs)
    return jsonify(report.to_dict())


LABEL_OF_KIND = {"address": "Address", "park": "HolidayPark", "object": "RuralObject"}


@bp.get("/hotspots")
@scoped()
def hotspots() -> ResponseReturnValue:
    kind = HOTSPOT_KINDS[params.choice_arg("kind", tuple(HOTSPOT_KINDS), "address",
                                           strict=True)]
    as_of = as_of_arg()
    limit = params.int_arg("limit", 25, 1, queries.MAX_HOTSPOT_LIMIT, strict=True)
    store = get_store()
    rows = queries.hotspots(store, kind, as_of=as_of, limit=limit)
    label = LABEL_OF_KIND[kind]
    codes = codes_of(store, [EntityRef(r["uid"], label, r.get("name")) for r in rows], as_of)
    for row in rows:
        row["indicators"] = sorted(codes.get(row["uid"], []))
        if not sees("riec"):  # a count the role cannot see is no 0
            row["counts"]["signals"] = None
    return jsonify({
        "kind": kind,
        "as_of": as_of.isoformat(),
        "weights": dict(queries.HOTSPOT_WEIGHTS),
        "count": len(rows),
        "hotspots": rows,
    })
