"""The review of look-alike pairs on the web: the page "Mogelijke dubbelen" and a pair's
page with its decision form (:mod:`graph_service.risk.judgements`).

``GET /beoordelen`` lists the pairs waiting for a decision that the request's scope sees
(``vanaf`` pages them); ``GET /beoordelen/<a>/<b>`` shows both person records side by side
with their sources and every decision on the pair; ``POST /beoordelen/<a>/<b>`` (form
fields ``oordeel``: ``positive``, ``negative`` or ``unsure``, and ``reden``) records a
decision. Reading is a data route like any other; deciding is for the role and purpose
pairs of :data:`graph_service.security.policy.JUDGES` only (403, code
``judgement_not_allowed``, otherwise; docs/security.md). The persons are read as context
(``context_access``): the scope filters them and a pair the scope does not see in full is
404. :mod:`.auditing` records every answer with the uids of both persons; a decision is
recorded with the action ``judgement`` and what it decided (what: ``judgement``), and
answers with the pair's page. After a decision that changed which
records are one person the stored hits are refreshed around them beside the request
(:mod:`.refresher`); the page says so.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template
from flask.typing import ResponseReturnValue

from ..errors import AccessDenied
from ..risk import judgements
from . import params
from .auditing import note_returned
from .http import get_store
from .refresher import hit_refresher
from .route_access import context_access, scoped

__all__ = ["bp", "JudgementNotAllowed"]

bp = Blueprint("review", __name__)

#: what the page shows of a person's record beside name and uid (in this order)
SHOWN = ("geboortedatum", "voornamen", "voorvoegsel", "geslachtsnaam", "land")


class JudgementNotAllowed(AccessDenied):
    """The request's role and purpose may not decide on look-alike pairs (403)."""

    error_code = "judgement_not_allowed"


def _state() -> Any:
    """The running request's auth state (``web.auth.RequestAuth`` on ``g``)."""
    return g.get("og_auth")


def _may_judge() -> bool:
    state = _state()
    if state is None or state.identity is None:
        return False
    return judgements.may_judge(state.identity.roles, state.purpose)


def _note(view: judgements.PairView) -> None:
    note_returned([{"uid": view.left["uid"]}, {"uid": view.right["uid"]}])


def _person(node: dict[str, Any]) -> dict[str, Any]:
    return {"uid": node.get("uid"), "name": node.get("name"),
            "fields": [(k, node[k]) for k in SHOWN if node.get(k) not in (None, "")],
            "sources": list(node.get("sources") or []),
            "records": list(node.get("source_records") or []),
            "grades": list(node.get("grades") or [])}


@bp.app_context_processor
def _navigation() -> dict[str, Any]:
    return {"nav_beoordelen": _may_judge()}


@bp.get("/beoordelen")
@scoped()
def pairs() -> ResponseReturnValue:
    offset = params.int_arg("vanaf", 0, 0, 1_000_000)
    found = judgements.pending(get_store(), offset, judgements.PAGE)
    for view in found:
        _note(view)
    rows = [{"left": _person(v.left), "right": _person(v.right), "score": v.score,
             "reason": v.reason, "current": v.current} for v in found]
    return render_template("beoordelen.html", rows=rows, offset=offset,
                           page=judgements.PAGE, may_judge=_may_judge())


@bp.get("/beoordelen/<a>/<b>")
@context_access("a", "b")
def pair(a: str, b: str) -> ResponseReturnValue:
    view = judgements.show(get_store(), a, b)
    _note(view)
    return render_template("beoordelen_paar.html", view=view, left=_person(view.left),
                           right=_person(view.right), may_judge=_may_judge(),
                           titles=judgements.VERDICT_TITLES)


@bp.post("/beoordelen/<a>/<b>")
@context_access("a", "b", text=("reden", "oordeel"))
def decide(a: str, b: str) -> ResponseReturnValue:
    if not _may_judge():
        raise JudgementNotAllowed(
            "beoordelen van mogelijke dubbelen mag alleen een Bibob-medewerker bij een "
            "Bibob-toets of een RIEC-contactpersoon bij een Bibob-toets of RIEC-casus")
    verdict = params.choice_arg("oordeel", judgements.VERDICTS, form=True)
    reason = params.optional_text_arg("reden", max_len=1000, form=True) or ""
    state = _state()
    store = get_store()
    decision = judgements.judge(
        store, a, b, verdict, user=state.identity.username, reason=reason,
        roles=sorted(state.identity.roles), purpose=state.purpose,
        reference=state.reference)
    g.og_action = "judgement"
    g.og_decision = [{"id": j.uid, "pair": [j.left, j.right], "verdict": j.verdict,
                      "reason": j.reason} for j in decision.judgements]
    refreshing = judgements.defer_refresh(decision)
    if refreshing:
        hit_refresher().wake()
    view = judgements.show(store, a, b)
    _note(view)
    return render_template("beoordelen_paar.html", view=view, left=_person(view.left),
                           right=_person(view.right), may_judge=True,
                           titles=judgements.VERDICT_TITLES, decided=decision,
                           refreshing=refreshing)
