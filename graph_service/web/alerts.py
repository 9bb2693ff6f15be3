"""Watchlists and alerts on the web: the JSON API, the page "Meldingen", the follow button,
and the page of the hit refreshes after each load ("Ladingen").

A RIEC case (``riec_casus``) or a Bibob dossier (``bibob_toets``) follows entities
(:mod:`graph_service.risk.watch`); the case is the request's purpose and reference, so
every route here works on the alerts and watches of exactly that case. Another purpose is
refused (403, code ``case_purpose_required``). Reads and changes are data routes: they
run under the request's scope, and :mod:`.auditing` records every answer with the uids
it handed out. POSTs from a session carry the CSRF token (:mod:`.auth`); a token client
sends none.

API (``/api``): ``GET /api/alerts`` (``nieuw=1``: unread only), ``POST /api/alerts/read``
(marks the unread alerts the caller sees), ``GET /api/watches``, ``POST /api/watches/{uid}``
(``depth`` 0-3) and ``DELETE /api/watches/{uid}``. Pages: ``/meldingen``,
``POST /meldingen/gelezen``, ``POST /volgen/{uid}`` (form field ``diepte``),
``POST /niet-meer-volgen/{uid}``, and ``/ladingen`` for administrators and analysts:
the refreshes of the stored hits after the loads, per indicator the hits new, ended and
changed (counts only, as ``ondergraaf hits runs`` and ``hits diff``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from .. import queries
from ..errors import AccessDenied, NotFound
from ..queries.common import PROVENANCE_KEYS, label_of, nodes_by_uid
from ..risk import stored, watch
from ..risk.indicators import list_indicators
from ..security import policy
from ..store import Store
from . import params
from .auditing import note_returned
from .http import get_store
from .route_access import entity_access, login_only, scoped

__all__ = ["bp", "CasePurposeRequired", "KIND_TITLES", "RUN_ROLES"]

bp = Blueprint("alerts", __name__)

#: Dutch names of the kinds of alerts (graph_service.risk.watch)
KIND_TITLES = {
    "hit_new": "nieuwe treffer", "hit_ended": "treffer vervallen",
    "signal_new": "nieuw signaal", "role_new": "nieuwe functie",
    "role_ended": "functie beëindigd", "address_new": "nieuw adres",
}
#: roles that see the page of the hit refreshes (counts only, no entity)
RUN_ROLES = frozenset({"admin", "analyst"})
RUNS_SHOWN = 15


class CasePurposeRequired(AccessDenied):
    """Alerts and watches belong to a case: a purpose other than riec_casus and
    bibob_toets is refused (403, code ``case_purpose_required``)."""

    error_code = "case_purpose_required"


def _state() -> Any:
    """What the security layer knows about the running request (``web.auth.RequestAuth``,
    read from ``g`` because blueprints do not import each other; None when missing)."""
    return g.get("og_auth")


def _followable() -> tuple[str, str] | None:
    """The running request's purpose and reference, when its purpose can follow."""
    state = _state()
    if state is None or state.purpose not in watch.FOLLOW_PURPOSES or not state.reference:
        return None
    return str(state.purpose), str(state.reference)


def _case() -> tuple[str, str]:
    """The running request's case: its purpose and reference, when it can follow."""
    case = _followable()
    if case is None:
        titles = " of ".join(policy.PURPOSES[p].title for p in watch.FOLLOW_PURPOSES)
        raise CasePurposeRequired(
            "volgen en meldingen horen bij een casus of dossier: kies het doel "
            f"{titles}, met het casus- of dossiernummer als referentie")
    return case


def _username() -> str:
    state = _state()
    return state.identity.username if state is not None and state.identity else ""


def _roles() -> frozenset[str]:
    state = _state()
    return state.identity.roles if state is not None and state.identity else frozenset()


def _visible_entity(store: Store, uid: str) -> dict[str, Any]:
    """The entity as the caller's scope sees it; 404 when it sees none (also for an
    entity that exists outside the scope: following tells nothing about it)."""
    found = queries.entity(store, uid)
    if found is None:
        raise NotFound(f"geen entiteit met uid {uid!r}")
    return found


def _note_entities(found: list[watch.Alert]) -> None:
    """The entities the alerts name go into the audit record (an alert's own uid is no
    entity; ``followed`` and the uids in ``about`` are)."""
    note_returned([{"uid": u} for a in found
                   for u in (a.followed, *(x for x in a.about if ":" in x))])


def _watches(store: Store, purpose: str, reference: str) -> list[dict[str, Any]]:
    return [{"uid": w["uid"], "depth": w["depth"], "created": w["created"], "by": w["by"]}
            for w in watch.followed(store, purpose, reference)]


# -- API ----------------------------------------------------------------------------------------
@bp.get("/api/alerts")
@scoped()
def api_alerts() -> ResponseReturnValue:
    unread = params.choice_arg("nieuw", ("0", "1"), "0", strict=True) == "1"
    purpose, reference = _case()
    found = watch.alerts(get_store(), purpose, reference, unread_only=unread)
    _note_entities(found)
    return jsonify({"purpose": purpose, "reference": reference, "unread_only": unread,
                    "count": len(found), "alerts": [a.to_dict() for a in found]})


@bp.post("/api/alerts/read")
@scoped()
def api_alerts_read() -> ResponseReturnValue:
    purpose, reference = _case()
    marked = watch.alerts(get_store(), purpose, reference, unread_only=True, mark_read=True)
    _note_entities(marked)
    return jsonify({"purpose": purpose, "reference": reference, "marked": len(marked),
                    "alerts": [{**a.to_dict(), "read": True} for a in marked]})


@bp.get("/api/watches")
@scoped()
def api_watches() -> ResponseReturnValue:
    purpose, reference = _case()
    found = _watches(get_store(), purpose, reference)
    return jsonify({"purpose": purpose, "reference": reference, "count": len(found),
                    "watches": found})


@bp.route("/api/watches/<path:uid>", methods=["POST", "DELETE"])
@entity_access("uid")
def api_watch(uid: str) -> ResponseReturnValue:
    store = get_store()
    purpose, reference = _case()
    if request.method == "DELETE":
        if not watch.unfollow(store, uid, purpose, reference):
            raise NotFound(f"{uid!r} wordt niet gevolgd voor {reference}")
        return jsonify({"uid": uid, "purpose": purpose, "reference": reference,
                        "followed": False})
    depth = params.int_arg("depth", 2, 0, watch.MAX_DEPTH, strict=True)
    _visible_entity(store, uid)
    made = watch.follow(store, uid, purpose, reference, depth, by=_username())
    return jsonify({"uid": uid, "purpose": purpose, "reference": reference,
                    "followed": True, "depth": made["depth"], "created": made["created"],
                    "by": made["by"]})


# -- pages --------------------------------------------------------------------------------------
def _names(store: Store, uids: set[str]) -> dict[str, dict[str, Any]]:
    """Name, label and properties of each uid the caller's scope sees (others are left
    out), in one read."""
    skip = {"_labels", "uid", "name", *PROVENANCE_KEYS}
    return {uid: {"uid": uid, "name": node.get("name"), "label": label_of(node),
                  "properties": {k: v for k, v in sorted(node.items()) if k not in skip}}
            for uid, node in nodes_by_uid(store, sorted(uids)).items()}


def _alert_row(alert: watch.Alert, titles: dict[str, str]) -> dict[str, Any]:
    """An alert for the page: its kind in Dutch, the entities it names, an indicator's
    title and a role (the ``about`` of each kind, graph_service.risk.watch)."""
    about = list(alert.about)
    row: dict[str, Any] = {**alert.to_dict(), "title": KIND_TITLES.get(alert.kind, "melding"),
                           "entities": [], "indicator": None, "role": None}
    if alert.kind.startswith("hit_") and len(about) >= 2:
        row["indicator"] = titles.get(about[0], about[0].replace("_", " ").lower())
        row["entities"] = about[1:]
    elif alert.kind.startswith("role_") and len(about) >= 3:
        row["role"] = about[1].replace("_", " ")
        row["entities"] = [about[0], about[2]]
    else:
        row["entities"] = about
    return row


@bp.get("/meldingen")
@scoped()
def page() -> ResponseReturnValue:
    unread = params.choice_arg("nieuw", ("0", "1"), "0") == "1"
    purpose, reference = _case()
    store = get_store()
    found = watch.alerts(store, purpose, reference, unread_only=unread)
    titles = {i.code: i.title for i in list_indicators(store.registry)}
    rows = [_alert_row(a, titles) for a in found]
    followed = _watches(store, purpose, reference)
    names = _names(store, {w["uid"] for w in followed}
                   | {u for r in rows for u in r["entities"]})
    by_followed: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_followed[row["followed"]].append(row)
    groups = [{"watch": w, "entity": names.get(w["uid"]),
               "alerts": by_followed.pop(w["uid"], [])} for w in followed]
    return render_template(
        "meldingen.html", groups=groups, names=names, unread_only=unread,
        total=len(rows), new=sum(1 for r in rows if not r["read"]),
        case_title=policy.PURPOSES[purpose].title, reference=reference)


@bp.post("/meldingen/gelezen")
@scoped()
def page_mark_read() -> ResponseReturnValue:
    purpose, reference = _case()
    watch.alerts(get_store(), purpose, reference, unread_only=True, mark_read=True)
    return redirect(url_for("alerts.page"))


@bp.post("/volgen/<path:uid>")
@entity_access("uid")
def page_follow(uid: str) -> ResponseReturnValue:
    depth = params.int_arg("diepte", 2, 0, watch.MAX_DEPTH, form=True)
    purpose, reference = _case()
    store = get_store()
    _visible_entity(store, uid)
    watch.follow(store, uid, purpose, reference, depth, by=_username())
    return redirect(url_for("pages.entity", uid=uid) + "#volgen")


@bp.post("/niet-meer-volgen/<path:uid>")
@entity_access("uid")
def page_unfollow(uid: str) -> ResponseReturnValue:
    purpose, reference = _case()
    watch.unfollow(get_store(), uid, purpose, reference)
    return redirect(url_for("pages.entity", uid=uid) + "#volgen")


def _follow_state(uid: str) -> dict[str, Any] | None:
    """For the profile's follow button: None when the request's purpose cannot follow,
    else whether ``uid`` is followed for the case, and at which depth."""
    case = _followable()
    if case is None:
        return None
    purpose, reference = case
    found = {w["uid"]: w for w in watch.followed(get_store(), purpose, reference)}
    current = found.get(uid)
    return {"followed": current is not None,
            "depth": int(current["depth"]) if current is not None else 2,
            "max_depth": watch.MAX_DEPTH, "reference": reference}


@bp.app_context_processor
def _navigation() -> dict[str, Any]:
    """What the header and the profile need: the Meldingen link for roles that may work
    for a case, the Ladingen link for administrators and analysts, the follow state."""
    roles = _roles()
    return {
        "nav_meldingen": any(policy.allowed(roles, p) for p in watch.FOLLOW_PURPOSES),
        "nav_ladingen": bool(roles & RUN_ROLES),
        "volg_status": _follow_state,
    }


# -- the hit refreshes after the loads ----------------------------------------------------------
def _run_rows(store: Store) -> list[dict[str, Any]]:
    state = stored.read_state(store)
    rows = []
    for run in store.read("read/hits_runs", {"limit": RUNS_SHOWN}):
        counts = json.loads(run["counts"] or "{}")
        hits = counts.get("hits") or {}
        changes = counts.get("changes") or {}
        rows.append({
            "uid": run["uid"], "kind": run["kind"], "status": run["status"],
            "started": run["started"], "as_of": run["as_of"], "seconds": run["seconds"],
            "current": run["uid"] == state.run and state.current,
            "hits": hits, "total": sum(hits.values()), "changes": changes,
            "new": sum(c.get("new", 0) for c in changes.values()),
            "ended": sum(c.get("ended", 0) for c in changes.values()),
            "changed": sum(c.get("changed", 0) for c in changes.values()),
        })
    return rows


@bp.get("/ladingen")
@login_only
def runs() -> ResponseReturnValue:
    """The refreshes of the stored hits (one after every load): per indicator the hits
    and how many are new, ended and changed; two chosen runs compared (``van``,
    ``naar``). Counts only, no entity: for administrators and analysts, whatever their
    purpose; audited like a data route."""
    state = _state()
    if state is not None:
        state.audited = True  # a read of the graph: on the record like any other
    if not _roles() & RUN_ROLES:
        raise AccessDenied("de ladingen en hun treffers zijn er voor beheerders en analisten")
    store = get_store()
    found = _run_rows(store)
    chosen = params.optional_text_arg("run", max_len=params.MAX_UID)
    first = params.optional_text_arg("van", max_len=params.MAX_UID)
    second = params.optional_text_arg("naar", max_len=params.MAX_UID)
    selected = next((r for r in found if r["uid"] == chosen), None) if chosen else (
        found[0] if found else None)
    if chosen and selected is None:
        raise NotFound(f"geen berekening {chosen!r} bij de laatste {RUNS_SHOWN}")
    compared = None
    if first and second:
        compared = {"van": first, "naar": second,
                    "changes": stored.diff_runs(store, first, second)}
    titles = {i.code: i.title for i in list_indicators(store.registry)}
    return render_template("ladingen.html", runs=found, selected=selected,
                           compared=compared, titles=titles,
                           loads=store.read("read/last_loads"))
