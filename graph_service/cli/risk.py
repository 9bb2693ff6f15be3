"""CLI commands of the risk engine: ``hits``, ``risk``, ``screen`` and ``indicators``.

``hits CODE`` lists an indicator's hits; ``hits refresh`` computes and stores the hits of
every indicator (:mod:`graph_service.risk.stored`; a load does it by itself): around the
changes that wait for it (:mod:`graph_service.risk.recorder`), or with ``--volledig`` or
when none hold whole; ``hits runs`` lists the last refreshes and ``hits diff RUN1 RUN2``
counts per indicator the hits new, ended and changed between two of them.

``graph_service.cli`` adds :data:`COMMANDS` to the ``ondergraaf`` group. Each command opens
the configured store under the purpose the operator declares (``--purpose``, default
``analyse``; see :func:`.common.read_session`, which opens a
:class:`graph_service.security.session.Session`),
writes an audit record with the entity uids it returned, closes the store when done, and
prints a Dutch summary, or with ``--json`` the ``to_dict()`` shape of its result.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import click

from ..risk import GRADE_WEIGHTS, Hit, stored, watch
from ..risk import hits as find_hits
from ..risk import risk as risk_score
from ..risk.evidence import EntityRef, EvidencePath
from ..risk.indicators import list_indicators
from ..risk.recorder import refresh_waiting
from ..risk.screening import MAX_NETWORK, NETWORK_PER_NODE, ScreeningReport, SignalFinding
from ..risk.screening import screen as screen_dossier
from .common import echo_json, operator_audit, purpose_options, read_session, store_session

__all__ = ["COMMANDS", "hits", "indicators", "meldingen", "risk", "screen", "volg"]

SHOWN_PATHS = 3


def _as_of_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d", "%d-%m-%Y"]),
        default=None, help="Peildatum (YYYY-MM-DD); standaard vandaag.",
    )(fn)


def _json_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")(fn)


def _date(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


# -- human-readable output ------------------------------------------------------------------
def _who(entity: EntityRef) -> str:
    born = f", geb. {entity.geboortedatum}" if entity.geboortedatum else ""
    return f"{entity.name or entity.uid} ({entity.uid}{born})"


def _path_text(path: EvidencePath) -> str:
    parts = [path.nodes[0].name or path.nodes[0].uid]
    for prev, rel, node in zip(path.nodes, path.relationships, path.nodes[1:], strict=False):
        role = rel.properties.get("role")
        label = f"{rel.type} {role}" if role else rel.type
        parts.append(f"-[{label}]->" if rel.start == prev.uid else f"<-[{label}]-")
        parts.append(node.name or node.uid)
    return " ".join(parts)


def _paths_lines(paths: tuple[EvidencePath, ...], indent: str) -> list[str]:
    lines = [f"{indent}pad: {_path_text(p)}" for p in paths[:SHOWN_PATHS]]
    if len(paths) > SHOWN_PATHS:
        lines.append(f"{indent}... en nog {len(paths) - SHOWN_PATHS} pad(en)")
    return lines


def _hit_lines(hit: Hit, indent: str = "  ") -> list[str]:
    flag = "  [onbevestigd]" if hit.onbevestigd else ""
    head = (f"{indent}- {_who(hit.entity)}: {hit.sentence} Ernst {hit.severity}, "
            f"betrouwbaarheid {hit.grade or 'geen'}, gewicht {hit.weight}{flag}")
    return [head, *_paths_lines(hit.paths, indent + "    ")]


def _signal_lines(found: SignalFinding) -> list[str]:
    s = found.signal.properties
    flag = "  [onbevestigd]" if found.onbevestigd else ""
    head = (f"  - {found.signal.uid}: {s.get('partner')}, {s.get('thema')}, ontvangen "
            f"{s.get('ontvangstdatum')}, bewaren tot {s.get('bewaren_tot') or '-'}; "
            f"{found.role} {_who(found.subject)}, {found.hops} stap(pen) van een partij{flag}")
    return [head, *_paths_lines(found.paths, "      ")]


def _report_lines(report: ScreeningReport) -> list[str]:
    d = report.dossier
    lines = [
        f"Bibob-screening {d['uid']} ({d.get('name') or ''}), peildatum {report.as_of}",
        f"  vergunning: {d.get('vergunning_type')}; activiteit: {d.get('activiteit')}; "
        f"aanvraag: {d.get('aanvraagdatum')}",
        f"  advies: {d.get('advies') or '-'}; besluit: {d.get('besluit') or '-'}",
        "  locatie: " + (", ".join(n.name or n.uid for n in report.locations) or "-"),
        "", "Partijen:",
    ]
    lines += [f"  - {p.party_ref} {p.role}: {_who(p.entity)}"
              + (f", bedrag {p.amount}" if p.amount is not None else "")
              for p in report.parties]
    lines += ["", "Opgegeven relaties (in het dossier):"]
    for r in report.declared_relations:
        kvk = {True: "bevestigd door KvK", False: "NIET in KvK", None: ""}[r.kvk_confirmed]
        lines.append(f"  - {_who(r.start)} {r.role} van {_who(r.end)}"
                     + (f", {r.amount} euro" if r.amount is not None else "")
                     + (f" ({kvk})" if kvk else ""))
    lines += ["", "Niet opgegeven relaties (gevonden in de graaf):"]
    for u in report.undeclared_relations:
        why = ("functionaris is geen partij" if u.reason == "functionaris_geen_partij"
               else "relatie niet opgegeven")
        lines.append(f"  - {_who(u.officer)} {u.role} van {_who(u.organisation)} "
                     f"sinds {u.valid_from or '?'}: {why}")
    lines += ["", "Netwerk (Wet Bibob art. 3 lid 4, tot 3 stappen):"]
    for n in report.network:
        lines.append(f"  - {_who(n.entity)}: {n.hops} stap(pen)")
        lines += _paths_lines(n.paths[:1], "      ")
    if report.network_truncated:
        per_hop = ", ".join(f"{count} op {hop} stap(pen)"
                            for hop, count in report.network_hidden().items())
        lines.append(f"  Netwerk ingekort (ten hoogste {MAX_NETWORK} entiteiten, "
                     f"{NETWORK_PER_NODE} per entiteit en stap): niet getoond {per_hop}; "
                     "signalen en indicatoren alleen op de getoonde entiteiten.")
        for o in report.network_overflow:
            lines.append(f"    - {o.hidden} van {o.total} op {o.hop} stap(pen) "
                         f"via {_who(o.via)}")
    if report.hubs:
        lines.append("  Niet doorgelopen (knooppunten zoals banken en overheden; --hubs door "
                     "loopt er wel door):")
        for h in report.hubs:
            lines.append(f"    - {_who(h.entity)}: nog {h.behind} verbonden entiteit(en), "
                         f"waarvan {h.other_applicants} andere aanvrager(s)")
    hidden = [] if report.signals_visible else ["  niet zichtbaar voor uw rol en doel"]
    lines += ["", "Signalen:", *hidden]
    for found in report.signals:
        lines += _signal_lines(found)
    lines += ["", "Signalen op de locatie:", *hidden]
    for found in report.location_signals:
        lines += _signal_lines(found)
    lines += ["", "Indicatoren:"]
    for hit in report.hits:
        lines.append(f"  {hit.code} - {hit.title}")
        lines += _hit_lines(hit, "    ")
    return lines


# -- commands -----------------------------------------------------------------------------------
def _parse_thresholds(items: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise click.BadParameter(f"{item!r}: verwacht NAAM=WAARDE", param_hint="--drempel")
        out[name.strip()] = value.strip()
    return out


class _HitsGroup(click.Group):
    """``hits CODE ...`` runs the hidden ``toon`` command; ``hits refresh`` and ``hits
    runs`` are commands of their own."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] != "--help":
            args = ["toon", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_HitsGroup)
def hits() -> None:
    """Treffers van een indicator (hits CODE), of de opgeslagen treffers bijwerken
    (hits refresh) en de laatste berekeningen tonen (hits runs)."""


def refresh_lines(report: stored.RunReport) -> list[str]:
    """A refresh in Dutch, for ``hits refresh`` and after a load."""
    kind = "volledig" if report.kind == "full" else "alleen rond de wijzigingen"
    state = ("opgeslagen" if report.published else
             "NIET in gebruik genomen: de graaf is intussen gewijzigd (opnieuw nodig)")
    lines = [f"treffers berekend ({kind}) in {report.seconds:.1f} s: {state}"]
    for code, n in sorted(report.hits.items()):
        again = report.recomputed.get(code)
        where = "alle entiteiten" if again == "alle" else f"{again} entiteit(en) opnieuw"
        lines.append(f"  {code:26} {n:>7} treffer(s)  ({where})")
    if report.changes:
        lines.append("sinds de vorige berekening:")
        lines += _change_lines(report.changes)
    return lines


def _change_lines(found: dict[str, dict[str, int]]) -> list[str]:
    return [f"  {code:26} nieuw {c['new']:>6}  vervallen {c['ended']:>6}  "
            f"gewijzigd {c['changed']:>6}" for code, c in found.items()] or [
        "  geen verschil"]


@hits.command("diff")
@click.argument("first")
@click.argument("second")
@_json_option
def diff(first: str, second: str, as_json: bool) -> None:
    """Per indicator: treffers nieuw, vervallen en gewijzigd van berekening FIRST naar
    SECOND (uids uit ondergraaf hits runs; alleen aantallen)."""
    with store_session() as store:
        found = stored.diff_runs(store, first, second)
    operator_audit("read", {"name": "hits diff", "first": first, "second": second})
    if as_json:
        echo_json(found)
        return
    click.echo(f"van {first} naar {second}:")
    click.echo("\n".join(_change_lines(found)))


@hits.command("refresh")
@click.option("--volledig", "full", is_flag=True,
              help="Alles opnieuw berekenen, ook wat sinds de vorige berekening niet "
                   "veranderde.")
@_json_option
def refresh(full: bool, as_json: bool) -> None:
    """Werk de opgeslagen treffers bij: rond wat sinds de vorige berekening veranderde
    (laden met --no-hits, een oordeel over dubbelen), anders alles opnieuw."""
    with store_session() as store:
        report = stored.refresh(store) if full else refresh_waiting(store)
    operator_audit("load", {"command": "hits refresh", "run": report.run,
                            "kind": report.kind, "published": report.published})
    if as_json:
        echo_json(report.to_dict())
        return
    click.echo("\n".join(refresh_lines(report)))


@hits.command("runs")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@_json_option
def runs(limit: int, as_json: bool) -> None:
    """De laatste berekeningen van de opgeslagen treffers."""
    with store_session() as store:
        found = store.read("read/hits_runs", {"limit": limit})
        state = stored.read_state(store)
    for run in found:
        run["counts"] = json.loads(run["counts"] or "{}")
        run["current"] = run["uid"] == state.run and state.current
    if as_json:
        echo_json(found)
        return
    for run in found:
        hits_total = sum((run["counts"].get("hits") or {}).values())
        flag = "  [actueel]" if run["current"] else ""
        click.echo(f"{run['uid']}  {run['kind']:11} {run['status']:10} peildatum "
                   f"{run['as_of']}  {hits_total} treffer(s)  {run['seconds'] or 0:.1f} s"
                   f"{flag}")


@hits.command("toon", hidden=True)
@click.argument("code")
@click.option("--uid", default=None, help="Alleen de treffer op deze entiteit.")
@click.option("--drempel", "-t", "thresholds", multiple=True, metavar="NAAM=WAARDE",
              help="Drempel voor deze keer aanpassen, bv. -t min_orgs=6.")
@_as_of_option
@_json_option
@purpose_options
def show(code: str, uid: str | None, thresholds: tuple[str, ...],
         as_of: dt.datetime | None, as_json: bool, purpose: str | None,
         reference: str | None, role: str | None) -> None:
    """Alle treffers van indicator CODE (bv. STRAW_MAN)."""
    day = _date(as_of)
    with read_session(purpose, reference, role) as (store, audited):
        found = find_hits(store, code, day, uid, _parse_thresholds(thresholds))
        audited.returned([h.to_dict() for h in found])
    if as_json:
        echo_json([h.to_dict() for h in found])
        return
    title = f"{found[0].code} - {found[0].title}" if found else code.upper()
    click.echo(f"{title}, peildatum {day}: {len(found)} treffer(s)")
    for hit in found:
        click.echo("\n".join(_hit_lines(hit)))


@click.command()
@click.argument("uid")
@_as_of_option
@_json_option
@purpose_options
def risk(uid: str, as_of: dt.datetime | None, as_json: bool, purpose: str | None,
         reference: str | None, role: str | None) -> None:
    """Risicoscore van entiteit UID, opgebouwd uit de treffers."""
    day = _date(as_of)
    with read_session(purpose, reference, role) as (store, audited):
        score = risk_score(store, uid, day)
        audited.returned(score.to_dict())
    if as_json:
        echo_json(score.to_dict())
        return
    click.echo(f"Risicoscore {_who(score.entity)} op {day}: {score.score}")
    for c in score.hits:
        click.echo(f"  {c.contribution:>6} = ernst {c.hit.severity} x gewicht {c.hit.weight}"
                   f"  {c.hit.code} - {c.hit.title}")
        click.echo(f"           {c.hit.sentence} Betrouwbaarheid {c.hit.grade or 'geen'}.")
        click.echo("\n".join(_paths_lines(c.hit.paths, "           ")))
    weights = ", ".join(f"{k}={v}" for k, v in GRADE_WEIGHTS.items())
    click.echo(f"Score = som van ernst x gewicht; gewicht naar de beste betrouwbaarheid "
               f"van het bewijs ({weights}).")


@click.command()
@click.argument("dossier_id")
@_as_of_option
@click.option("--hubs", "hubs", type=click.Choice(["stop", "door"]), default="stop",
              show_default=True,
              help="Knooppunten (banken, verzekeraars, overheden: model/hubs.yaml) als "
                   "eindpunt tonen (stop) of er doorheen lopen (door).")
@_json_option
@purpose_options
def screen(dossier_id: str, as_of: dt.datetime | None, hubs: str, as_json: bool,
           purpose: str | None, reference: str | None, role: str | None) -> None:
    """Bibob-screening van dossier DOSSIER_ID: partijen, relaties, netwerk, signalen."""
    with read_session(purpose, reference, role) as (store, audited):
        report = screen_dossier(store, dossier_id, _date(as_of),
                                hubs="door" if hubs == "door" else None)
        audited.returned(report.to_dict())
    if as_json:
        echo_json(report.to_dict())
        return
    click.echo("\n".join(_report_lines(report)))


@click.command()
@_json_option
def indicators(as_json: bool) -> None:
    """Alle indicatoren met ernst, doelgroep en drempels."""
    found = list_indicators()
    if as_json:
        echo_json([i.to_dict() for i in found])
        return
    for ind in found:
        limits = ", ".join(f"{k}={v}" for k, v in ind.thresholds.items()) or "geen"
        click.echo(f"{ind.code} (ernst {ind.severity}, op {', '.join(ind.fires_on)}): "
                   f"{ind.title}")
        click.echo(f"    voor: {', '.join(ind.users)}; drempels: {limits}"
                   + (f"; grondslag: {ind.legal_basis}" if ind.legal_basis else ""))
        click.echo(f"    {ind.rationale}")


def _case(purpose: str | None, reference: str | None) -> tuple[str, str]:
    if purpose not in watch.FOLLOW_PURPOSES or not reference:
        raise click.UsageError("geef --doel riec_casus of bibob_toets en --referentie "
                               "(casus- of dossiernummer)")
    return purpose, reference


@click.command()
@click.argument("uid")
@click.option("--diepte", "depth", default=2, show_default=True, type=click.IntRange(0, 3),
              help="Ook wat zoveel stappen van de entiteit ligt.")
@click.option("--stop", is_flag=True, help="Niet meer volgen (de meldingen vervallen).")
@_json_option
@purpose_options
def volg(uid: str, depth: int, stop: bool, as_json: bool, purpose: str | None,
         reference: str | None, role: str | None) -> None:
    """Volg entiteit UID voor een casus of dossier: na elke lading meldingen over wat er
    in de buurt veranderde (ondergraaf meldingen)."""
    purpose, reference = _case(purpose, reference)
    with read_session(purpose, reference, role) as (store, audited):
        if stop:
            done = watch.unfollow(store, uid, purpose, reference)
            audited.returned({"uid": uid, "unfollowed": done})
            click.echo(f"{uid} wordt niet meer gevolgd" if done else f"{uid} werd niet gevolgd")
            return
        found = watch.follow(store, uid, purpose, reference, depth, by=role or "")
        audited.returned({"uid": uid, "depth": depth})
    if as_json:
        echo_json(found)
        return
    click.echo(f"{uid} wordt gevolgd voor {purpose} {reference} (diepte {depth})")


@click.command()
@click.option("--nieuw", "unread", is_flag=True, help="Alleen ongelezen meldingen.")
@click.option("--gelezen", "mark_read", is_flag=True, help="Markeer de getoonde als gelezen.")
@_json_option
@purpose_options
def meldingen(unread: bool, mark_read: bool, as_json: bool, purpose: str | None,
              reference: str | None, role: str | None) -> None:
    """Meldingen over de entiteiten die een casus of dossier volgt, voor zover uw rol en
    doel de feiten erachter mogen zien."""
    purpose, reference = _case(purpose, reference)
    with read_session(purpose, reference, role) as (store, audited):
        found = watch.alerts(store, purpose, reference, unread, mark_read)
        audited.returned([a.to_dict() for a in found])
    if as_json:
        echo_json([a.to_dict() for a in found])
        return
    kinds = {"hit_new": "nieuwe treffer", "hit_ended": "treffer vervallen",
             "signal_new": "nieuw signaal", "role_new": "nieuwe functie",
             "role_ended": "functie beëindigd", "address_new": "nieuw adres"}
    click.echo(f"{len(found)} melding(en) voor {purpose} {reference}")
    for a in found:
        flag = "" if a.read else "  [nieuw]"
        click.echo(f"  {a.created} {kinds.get(a.kind, a.kind)}: {' '.join(a.about)} "
                   f"(gevolgd: {a.followed}){flag}")


COMMANDS = [hits, risk, screen, indicators, volg, meldingen]
