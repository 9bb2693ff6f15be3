"""Dutch web pages: search, entity profile, Bibob screening, indicators, hotspots, paths.

Server-rendered Jinja (``graph_service/web/templates``), CSS and the little JavaScript there
is in ``graph_service/web/static``. Query parameters are Dutch (``peildatum``, ``soort``,
``van``, ``naar``); validation is the API's (:mod:`.params`), so a bad date is a 422 page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from flask import Blueprint, g, make_response, render_template, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from werkzeug.utils import secure_filename

from .. import queries, risk
from ..errors import InvalidParams, NotFound
from ..model import REL_TYPES
from ..queries.timeline import DEFAULT_TIMELINE_LIMIT, entity_timeline
from ..render import export, graphs, terms
from ..risk import screening
from ..risk.evidence import EntityRef, EvidencePath
from ..risk.indicators import get_indicator, list_indicators
from ..store import Store
from . import params
from .auditing import note_returned
from .graphdata import entity_graph, paths_graph, screening_graph
from .hits import LIST_PATHS, codes_of, hit_counts, hits_page
from .http import get_store
from .identity import annotate, annotate_tree, candidate_rows, identity_of
from .notices import sees
from .route_access import context_access, dossier_access, entity_access, scoped
from .timeline_view import describe, timeline_years

__all__ = ["bp", "HOTSPOT_SOORTEN"]

bp = Blueprint("pages", __name__)

HOTSPOT_SOORTEN: dict[str, queries.HotspotKind] = {
    "park": "park", "object": "object", "adres": "address",
}
HOTSPOT_TITLES = {"park": "Vakantieparken", "object": "Schuren en loodsen", "adres": "Adressen"}
HITS_PER_PAGE = 50
#: Relationship properties that only link rows of a source (a party's reference in its
#: dossier), not shown on pages
PAGE_HIDDEN_PROPS = frozenset({*graphs.HIDDEN_PROPS, "party_ref", "relative_to"})
FACTS_LIMIT = 300


def _indicator_title(code: str) -> str:
    """An indicator's Dutch title for its code (the code when unknown)."""
    try:
        return get_indicator(code, get_store().registry).title
    except NotFound:
        return str(code).replace("_", " ").lower()


@bp.record_once
def _template_globals(state: BlueprintSetupState) -> None:
    """Dutch names of labels, relationship types, properties and values (:mod:`terms`),
    visible in templates and macros."""
    env = state.app.jinja_env
    env.globals.update(label_names=graphs.LABEL_NAMES, rel_names=graphs.REL_NAMES,
                       prop_names=graphs.PROP_NAMES, hidden_props=graphs.HIDDEN_PROPS,
                       page_hidden_props=PAGE_HIDDEN_PROPS,
                       indicator_title=_indicator_title, identiteit=identity_of)
    env.filters["indicatornaam"] = _indicator_title
    env.filters.update(veld=terms.prop_name, gemeente=terms.municipality,
                       bron=terms.source_name, doelgroep=terms.audience,
                       drempel=lambda item: terms.threshold_text(*item),
                       waarde=lambda value, key=None: terms.value_text(key, value))


@bp.app_template_filter("getal")
def getal(value: Any) -> str:
    """A number the Dutch way: whole numbers as is, others with two decimals and a comma."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if isinstance(value, int) or value.is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _peildatum() -> dt.date:
    return params.date_arg("peildatum") or dt.date.today()


@bp.get("/")
@scoped(text=("q",))
def search() -> ResponseReturnValue:
    q = params.optional_text_arg("q")
    results: list[dict[str, Any]] = []
    error = None
    if q is not None:
        try:
            results = queries.search(get_store(), q, limit=50)
            annotate(get_store(), results)
        except InvalidParams:
            error = (f"Zoektekst van {queries.MIN_SEARCH_LENGTH} tot "
                     f"{queries.MAX_SEARCH_LENGTH} tekens, alstublieft.")
    return render_template("search.html", q=q or "", results=results, error=error,
                           declared_dossier=_declared_dossier())


def _declared_dossier() -> str | None:
    """The dossier number of the running request's Bibob-toets, if that is its purpose."""
    auth = g.get("og_auth")
    if auth is None or getattr(auth, "purpose", None) != "bibob_toets":
        return None
    reference = getattr(auth, "reference", None)
    return str(reference) if reference else None


def _facts(store: Store, uid: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Relationships of ``uid`` with the entity at the other end, grouped by type."""
    sub = queries.neighbourhood(store, uid, depth=1, limit=FACTS_LIMIT, per_node=FACTS_LIMIT,
                                types=list(REL_TYPES))
    others = {n["uid"]: n for n in sub.nodes}
    rows = []
    for rel in sub.relationships:
        outgoing = rel["_start"] == uid
        other = others.get(rel["_end"] if outgoing else rel["_start"])
        if other is None:
            continue
        rows.append({
            "type": rel["_type"],
            "outgoing": outgoing,
            "other": {"uid": other["uid"], "name": other.get("name"),
                      "label": graphs.primary_label(other),
                      "geboortedatum": other.get("geboortedatum")},
            "properties": {k: v for k, v in rel.items()
                           if not k.startswith("_") and k not in queries.PROVENANCE_KEYS
                           and k not in PAGE_HIDDEN_PROPS and v is not None},
            "provenance": {k: rel.get(k) for k in queries.PROVENANCE_KEYS},
        })
    rows.sort(key=lambda r: (r["type"], str(r["other"]["name"] or ""), r["other"]["uid"]))
    by_uid = {n["uid"]: n for n in sub.nodes}
    for row in rows:  # the identity line needs the neighbour's properties
        row["other"]["properties"] = by_uid.get(row["other"]["uid"], {})
    annotate(store, [row["other"] for row in rows])
    return rows, sub.overflow


@bp.get("/entiteit/<path:uid>")
@entity_access("uid")
def entity(uid: str) -> ResponseReturnValue:
    store = get_store()
    as_of = _peildatum()
    with terms.dutch_not_found():
        info = queries.get_entity(store, uid)
    annotate(store, [info])
    facts, overflow = _facts(store, uid)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in facts:
        grouped[row["type"]].append(row)
    score = risk.risk(store, uid, as_of)
    graph = entity_graph(store, uid, depth=2, hits_as_of=as_of)
    dossier_id = info["properties"].get("dossier_id") if "BibobDossier" in info["labels"] \
        else None
    return render_template(
        "entity.html", e=info, label=info["labels"][0] if info["labels"] else "Entity",
        grouped=dict(grouped), overflow=overflow,
        score=annotate_tree(store, score.to_dict()), graph=graph,
        as_of=as_of, dossier_id=dossier_id,
    )


@bp.get("/tijdlijn/<path:uid>")
@entity_access("uid")
def timeline(uid: str) -> ResponseReturnValue:
    """Roles, registrations, tenancies, ownerships, occupancies, signals and dossiers on one
    time axis; what holds on the peildatum is marked, what starts after it greyed out."""
    store = get_store()
    as_of = _peildatum()
    with terms.dutch_not_found():
        found = entity_timeline(store, uid, as_of)
    annotate(store, [e["other"] for e in (*found["events"], *found["undated"]) if e["other"]])
    dossier_id = uid.split(":", 1)[1] if found["label"] == "BibobDossier" else None
    return render_template("tijdlijn.html", t=found, years=timeline_years(found),
                           undated=[describe(e) for e in found["undated"]], as_of=as_of,
                           dossier_id=dossier_id, limit=DEFAULT_TIMELINE_LIMIT)


@bp.get("/bibob/<path:dossier_id>")
@dossier_access("dossier_id")
def bibob(dossier_id: str) -> ResponseReturnValue:
    as_of = _peildatum()
    hubs = params.choice_arg("hubs", params.HUB_CHOICES, "stop")
    report = screening.screen(get_store(), dossier_id, as_of, hubs=hubs)
    return render_template(
        "bibob.html", r=annotate_tree(get_store(), report.to_dict()),
        graph=screening_graph(get_store(), report), as_of=as_of, hubs=hubs,
        generated=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
    )


EXPORT_TYPES = {"csv": "text/csv; charset=utf-8",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.get("/bibob/<path:dossier_id>/export.<any(csv, xlsx):fmt>")
@dossier_access("dossier_id")
def bibob_export(dossier_id: str, fmt: str) -> ResponseReturnValue:
    """The parties, network and hits of a screening as CSV (one table, ``tabel``) or XLSX
    (every table, or the one ``tabel`` names); read, checked and audited as the screening."""
    tabel = params.choice_arg("tabel", ("alle", *export.TABLES),
                              "alle" if fmt == "xlsx" else "partijen")
    if fmt == "csv" and tabel == "alle":
        raise InvalidParams("een CSV-bestand bevat één tabel: kies partijen, netwerk of "
                            "treffers")
    as_of = _peildatum()
    hubs = params.choice_arg("hubs", params.HUB_CHOICES, "stop")
    report = annotate_tree(get_store(),
                           screening.screen(get_store(), dossier_id, as_of, hubs=hubs).to_dict())
    titles = {i.code: i.title for i in list_indicators(get_store().registry)}
    tables = export.screening_tables(report, titles)
    note_returned(report)
    name = f"screening-{secure_filename(dossier_id)}-{as_of.isoformat()}"
    if fmt == "csv":
        body = export.to_csv(tables[tabel])
        name += f"-{tabel}"
    elif tabel != "alle":
        body = export.to_xlsx([tables[tabel]], title=f"Bibob-screening {dossier_id}")
        name += f"-{tabel}"
    else:
        body = export.to_xlsx(tables.values(), title=f"Bibob-screening {dossier_id}")
    response = make_response(body)
    response.headers["Content-Type"] = EXPORT_TYPES[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/indicatoren")
@scoped()
def indicators() -> ResponseReturnValue:
    store = get_store()
    as_of = _peildatum()
    counts = hit_counts()
    rows = []
    for i in list_indicators(store.registry):
        n, capped = counts.count(store, i.code, as_of)
        rows.append({**i.to_dict(), "hits": n, "capped": capped})
    return render_template("indicators.html", indicators=rows, as_of=as_of)


@bp.get("/indicatoren/<code>")
@scoped(text=("code",))
def indicator(code: str) -> ResponseReturnValue:
    store = get_store()
    ind = get_indicator(code, store.registry)
    as_of = _peildatum()
    offset = params.int_arg("vanaf", 0, 0, 10_000_000)
    found, more = hits_page(store, ind, as_of, offset, HITS_PER_PAGE, LIST_PATHS)
    page = annotate_tree(store, [h.to_dict() for h in found])
    return render_template("indicator.html", i=ind.to_dict(), hits=page, more=more,
                           offset=offset, per_page=HITS_PER_PAGE, as_of=as_of)


@bp.get("/hotspots")
@scoped()
def hotspots() -> ResponseReturnValue:
    soort = params.choice_arg("soort", tuple(HOTSPOT_SOORTEN), "park")
    as_of = _peildatum()
    store = get_store()
    kind = HOTSPOT_SOORTEN[soort]
    rows = queries.hotspots(store, kind, as_of=as_of, limit=50)
    label = {"address": "Address", "park": "HolidayPark", "object": "RuralObject"}[kind]
    for row in rows:  # the identity line: an address's street and town, a park's place
        row["label"] = label
    annotate(store, rows)
    codes = codes_of(store, [EntityRef(r["uid"], label, r.get("name")) for r in rows], as_of)
    for row in rows:
        row["indicators"] = sorted(codes.get(row["uid"], []))
        if not sees("riec"):  # a count the role cannot see is no 0
            row["counts"]["signals"] = None
    return render_template("hotspots.html", rows=rows, soort=soort, titles=HOTSPOT_TITLES,
                           as_of=as_of, weights=queries.HOTSPOT_WEIGHTS)


def _resolve(store: Store, text: str
             ) -> tuple[dict[str, Any] | None, list[dict[str, Any]], str | None]:
    """The entity a uid or a name stands for, or the candidates to choose from when the
    name fits several (never a silent choice), with a note for the page."""
    try:
        found = queries.resolve(store, text)
    except InvalidParams:
        found = queries.Resolution(text)
    if found.entity is not None:
        best = found.entity
        annotate(store, [best])
        if best["uid"] == text:
            return best, [], None
        return best, [], f"“{text}” opgevat als {identity_of(best).line}."
    if not found.candidates:
        return None, [], f"Geen entiteit gevonden voor “{text}”."
    return None, candidate_rows(store, found.candidates), None


@bp.get("/paden")
@context_access("van", "naar")
def paths() -> ResponseReturnValue:
    van = params.optional_text_arg("van")
    naar = params.optional_text_arg("naar")
    max_hops = params.int_arg("max", 4, 1, queries.MAX_HOPS)
    notes: list[str] = []
    found: list[dict[str, Any]] = []
    graph: dict[str, Any] | None = None
    ends: dict[str, Any] = {}
    searched = van is not None and naar is not None
    choices: dict[str, list[dict[str, Any]]] = {}
    chosen: dict[str, str] = {}
    if van is not None and naar is not None:
        store = get_store()
        start, choices["van"], note_a = _resolve(store, van)
        end, choices["naar"], note_b = _resolve(store, naar)
        notes += [n for n in (note_a, note_b) if n]
        chosen = {"van": start["uid"] if start else van, "naar": end["uid"] if end else naar}
        if start is not None and end is not None:
            ends = {k: {"uid": e["uid"], "name": e["name"],
                        "label": e["labels"][0] if e["labels"] else "Entity",
                        "properties": e["properties"],
                        "identity": e.get("identity"),
                        "identity_name": e.get("identity_name")}
                    for k, e in (("van", start), ("naar", end))}
            if start["uid"] == end["uid"]:
                notes.append("Begin en eind zijn dezelfde entiteit.")
            else:
                result = queries.paths(store, start["uid"], end["uid"], max_hops=max_hops,
                                       all_shortest=True, limit=10)
                found = annotate_tree(store, [EvidencePath.of(p.to_dict()).to_dict()
                                              for p in result])
                graph = paths_graph(store, result, dt.date.today()) if result else None
    vis_url = (url_for("vis.paths", **{"from": ends["van"]["uid"], "to": ends["naar"]["uid"],
                                       "max_hops": max_hops})
               if found else None)
    return render_template("paths.html", van=van or "", naar=naar or "", max_hops=max_hops,
                           max_allowed=queries.MAX_HOPS, notes=notes, paths=found, ends=ends,
                           searched=searched, vis_url=vis_url, graph=graph,
                           choices={k: v for k, v in choices.items() if v}, chosen=chosen)
