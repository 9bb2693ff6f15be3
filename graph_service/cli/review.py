"""CLI commands for look-alike pairs: ``ondergraaf review`` (list, show, confirm, reject,
unsure, split).

The loaders propose pairs of person records that may be one person
(``POSSIBLE_SAME_AS``); here an officer decides (:mod:`graph_service.risk.judgements`).
``list`` and ``show`` read under the declared purpose like any read command; ``confirm``,
``reject``, ``unsure`` and ``split`` need a role and purpose that may decide
(:data:`graph_service.security.policy.JUDGES`: a Bibob officer for a dossier, a RIEC
liaison for a dossier or a case; docs/security.md). Every command leaves one audit record
(action ``judgement`` for a decision) with the uids of both persons. After a decision
that changed which records are one person the stored hits are refreshed around them.
Messages are Dutch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from ..errors import AccessDenied
from ..risk import judgements
from ..security.operator import CommandAudit, command_what
from ..security.session import Session
from .common import echo_json, purpose_options, read_session, store_session

__all__ = ["COMMANDS", "review"]


def _options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")(fn)
    return purpose_options(fn)


def _name(node: dict[str, Any]) -> str:
    born = f", geb. {node['geboortedatum']}" if node.get("geboortedatum") else ""
    return f"{node.get('name') or node.get('uid')} ({node.get('uid')}{born})"


def _sources(node: dict[str, Any]) -> str:
    return ", ".join(str(s) for s in node.get("source_records") or node.get("sources") or [])


@click.group()
def review() -> None:
    """Mogelijke dubbelen beoordelen: twee persoonsrecords die dezelfde persoon kunnen zijn
    bevestigen, afwijzen of als onzeker markeren (met reden, in het logboek)."""


@review.command("list")
@click.option("--vanaf", "offset", default=0, show_default=True, type=click.IntRange(0),
              help="Sla zoveel paren over.")
@click.option("--aantal", "limit", default=judgements.PAGE, show_default=True,
              type=click.IntRange(1, 500), help="Toon zoveel paren.")
@_options
def list_pairs(offset: int, limit: int, as_json: bool, purpose: str | None,
               reference: str | None, role: str | None) -> None:
    """De mogelijke dubbelen die op een oordeel wachten, hoogste score eerst."""
    with read_session(purpose, reference, role) as (store, audited):
        found = judgements.pending(store, offset, limit)
        audited.returned([{"uid": u} for v in found for u in (v.left["uid"], v.right["uid"])])
    if as_json:
        echo_json([v.to_dict() for v in found])
        return
    click.echo(f"{len(found)} mogelijke dubbel(en)")
    for v in found:
        cur = v.current
        state = f"  [{cur.title}]" if cur else ""
        click.echo(f"  {v.score}  {_name(v.left)}  ~  {_name(v.right)}  ({v.reason}){state}")


@review.command("show")
@click.argument("uid_a")
@click.argument("uid_b")
@_options
def show(uid_a: str, uid_b: str, as_json: bool, purpose: str | None, reference: str | None,
         role: str | None) -> None:
    """Toon het paar UID_A en UID_B: beide records met hun bronnen en alle oordelen."""
    with read_session(purpose, reference, role) as (store, audited):
        view = judgements.show(store, uid_a, uid_b)
        audited.returned([{"uid": view.left["uid"]}, {"uid": view.right["uid"]}])
    if as_json:
        echo_json(view.to_dict())
        return
    for side in (view.left, view.right):
        click.echo(f"{_name(side)}\n  bronnen: {_sources(side)}")
    if view.score is not None:
        click.echo(f"voorgesteld als mogelijke dubbel: score {view.score} ({view.reason})")
    if not view.history:
        click.echo("nog geen oordeel")
    for j in view.history:
        now = "" if j.current else "  (vervangen)"
        click.echo(f"  {j.at} {j.title} door {j.user}: {j.reason or '-'}{now}")


class _Deciding:
    """What one decision command holds: its session and audit record, and the decision
    made (refreshed after the session closed)."""

    def __init__(self, session: Session, audited: CommandAudit) -> None:
        self.session = session
        self.audited = audited
        self.decision: judgements.Decision | None = None

    def made(self, decision: judgements.Decision) -> None:
        """Note the decision in the audit record: both persons' uids, the verdict, the
        judgement uids and the reason."""
        self.decision = decision
        self.audited.returned([{"uid": u} for j in decision.judgements
                               for u in (j.left, j.right)])
        self.audited.what["judgement"] = [
            {"id": j.uid, "pair": [j.left, j.right], "verdict": j.verdict, "reason": j.reason}
            for j in decision.judgements]


@contextmanager
def _deciding(purpose: str | None, reference: str | None,
              role: str | None) -> Iterator[_Deciding]:
    """A session for one decision, audited as ``judgement``; refused unless its role and
    purpose may decide. After the session, the stored hits are refreshed around what the
    decision regrouped."""
    what = command_what()
    with store_session() as store:
        session = Session.open(purpose, reference, role=role, store=store, what=what)
        try:
            with session.reading(what, action="judgement") as audited:
                if not judgements.may_judge(session.actor.roles, session.purpose):
                    raise AccessDenied(
                        "beoordelen van mogelijke dubbelen mag alleen een Bibob-medewerker "
                        "bij een Bibob-toets of een RIEC-contactpersoon bij een Bibob-toets "
                        "of RIEC-casus (met dossier- of casusnummer)")
                holder = _Deciding(session, audited)
                yield holder
        finally:
            session.close()
        if holder.decision is not None:
            judgements.refresh_after(holder.decision)


def _report(decision: judgements.Decision | None, as_json: bool) -> None:
    if decision is None:
        return
    if as_json:
        echo_json(decision.to_dict())
        return
    for j in decision.judgements:
        click.echo(f"{j.left} ~ {j.right}: {j.title} ({j.at})")
    if len(decision.group) > 1:
        click.echo(f"dezelfde persoon: {', '.join(decision.group)}")
    if decision.refreshed:
        click.echo("treffers bijgewerkt")


def _decide(verdict: str) -> Callable[..., None]:
    def command(uid_a: str, uid_b: str, reason: str, as_json: bool, purpose: str | None,
                reference: str | None, role: str | None) -> None:
        with _deciding(purpose, reference, role) as d:
            d.made(judgements.judge(
                d.session.store, uid_a, uid_b, verdict, user=d.session.actor.name,
                reason=reason, roles=d.session.actor.roles, purpose=d.session.purpose,
                reference=d.session.reference))
        _report(d.decision, as_json)
    return command


_HELP = {
    "positive": "Bevestig dat UID_A en UID_B dezelfde persoon zijn: zoekvragen, indicatoren "
                "en de Bibob-screening behandelen ze dan als een persoon.",
    "negative": "Wijs af: UID_A en UID_B zijn verschillende personen; het paar wordt niet "
                "meer voorgesteld, ook niet na een nieuwe lading.",
    "unsure": "Markeer het paar als onzeker: het blijft op de lijst staan.",
}

for _verb, _verdict in (("confirm", "positive"), ("reject", "negative"),
                        ("unsure", "unsure")):
    _cmd = _decide(_verdict)
    _cmd.__doc__ = _HELP[_verdict]
    review.command(_verb, help=_HELP[_verdict])(
        click.argument("uid_a")(click.argument("uid_b")(
            click.option("--reden", "reason", default="", help="Waarom (in het logboek).")(
                _options(_cmd)))))


@review.command("split")
@click.argument("uid")
@click.option("--reden", "reason", default="", help="Waarom (in het logboek).")
@_options
def split(uid: str, reason: str, as_json: bool, purpose: str | None, reference: str | None,
          role: str | None) -> None:
    """Haal UID uit zijn groep: elke bevestiging van een paar met UID wordt een afwijzing
    (de andere bevestigingen van de groep blijven staan)."""
    with _deciding(purpose, reference, role) as d:
        d.made(judgements.split(
            d.session.store, uid, user=d.session.actor.name, reason=reason,
            roles=d.session.actor.roles, purpose=d.session.purpose,
            reference=d.session.reference))
    _report(d.decision, as_json)


COMMANDS = [review]
