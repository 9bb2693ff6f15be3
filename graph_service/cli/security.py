"""CLI commands of the security layer: ``users``, ``audit`` and ``retention``.

``graph_service.cli`` adds :data:`COMMANDS` to the ``ondergraaf`` group. They are run by
the local operator on the server (the OS user is recorded in the audit trail as
``os:<user>``): account management and retention act as ``admin`` for ``beheer``, the audit
commands as ``auditor`` for ``audit``. Every one of them leaves an audit record.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from ..config import load_settings, secret_key
from ..security.audit import Actor, AuditTrail
from ..security.files import security_dir
from ..security.operator import local_actor
from ..security.policy import ROLES
from ..security.users import MIN_PASSWORD_LENGTH, LocalAccounts, UserInfo
from .common import echo_json, store_session

__all__ = ["COMMANDS", "users", "audit", "retention"]

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _trail() -> AuditTrail:
    return AuditTrail.open(load_settings())


def _accounts() -> LocalAccounts:
    settings = load_settings()
    return LocalAccounts.open(settings, audit=AuditTrail.open(settings))


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise click.UsageError("--password-stdin: geen wachtwoord op standaardinvoer")
        return line.rstrip("\r\n")
    value: str = click.prompt(f"wachtwoord (minstens {MIN_PASSWORD_LENGTH} tekens)",
                              hide_input=True, confirmation_prompt="nogmaals",
                              err=True)
    return value


# -- users --------------------------------------------------------------------------------------
@click.group()
def users() -> None:
    """Lokale accounts: aanmaken, rollen, uitschakelen, API-tokens."""


@users.command("add")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES),
              help="Rol; herhaal voor meer rollen.")
@click.option("--name", "display_name", default="", help="Weergavenaam.")
@click.option("--password-stdin", is_flag=True, help="Lees het wachtwoord van stdin.")
@click.option("--no-password", is_flag=True,
              help="Zonder wachtwoord: het account werkt alleen met API-tokens.")
def users_add(username: str, roles: tuple[str, ...], display_name: str, password_stdin: bool,
              no_password: bool) -> None:
    """Maak account USERNAME met een of meer rollen."""
    if no_password and password_stdin:
        raise click.UsageError("--no-password en --password-stdin sluiten elkaar uit")
    accounts = _accounts()
    password = None if no_password else _read_password(password_stdin)
    user = accounts.create_user(username, roles, display_name=display_name, password=password,
                                actor=local_actor(("admin",)))
    click.echo(f"gebruiker {user.username} aangemaakt met rol(len) {', '.join(user.roles)}")


def _user_dict(u: UserInfo) -> dict[str, Any]:
    return {
        "username": u.username, "display_name": u.display_name, "roles": list(u.roles),
        "disabled": u.disabled, "locked": u.locked(), "failed_logins": u.failed_logins,
        "has_password": u.has_password,
        "tokens": [{"name": t.name, "created": t.created, "last_used": t.last_used,
                    "revoked": t.revoked} for t in u.tokens],
    }


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def users_list(as_json: bool) -> None:
    """Alle accounts met rollen, status en tokens (nooit wachtwoorden of tokens zelf)."""
    rows = [_user_dict(u) for u in _accounts().list_users()]
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        status = "uit" if r["disabled"] else "geblokkeerd" if r["locked"] else "actief"
        active = sum(1 for t in r["tokens"] if not t["revoked"])
        click.echo(f"{r['username']:20} {status:12} {','.join(r['roles']):35} "
                   f"tokens {active}  {r['display_name']}")


@users.command("role")
@click.argument("username")
@click.option("--add", "add", multiple=True, type=click.Choice(ROLES))
@click.option("--remove", "remove", multiple=True, type=click.Choice(ROLES))
def users_role(username: str, add: tuple[str, ...], remove: tuple[str, ...]) -> None:
    """Geef USERNAME rollen erbij (--add) of neem ze af (--remove)."""
    if not add and not remove:
        raise click.UsageError("geef --add ROL of --remove ROL")
    accounts, actor = _accounts(), local_actor(("admin",))
    for role in add:
        accounts.add_role(username, role, actor=actor)
    for role in remove:
        accounts.remove_role(username, role, actor=actor)
    click.echo(f"{username}: rollen nu {', '.join(accounts.get(username).roles)}")


@users.command("disable")
@click.argument("username")
def users_disable(username: str) -> None:
    """Schakel USERNAME uit: geen aanmelding, geen token werkt meer."""
    _accounts().set_disabled(username, True, actor=local_actor(("admin",)))
    click.echo(f"{username} uitgeschakeld")


@users.command("enable")
@click.argument("username")
def users_enable(username: str) -> None:
    """Schakel USERNAME weer in (heft ook een blokkade na foute wachtwoorden op)."""
    _accounts().set_disabled(username, False, actor=local_actor(("admin",)))
    click.echo(f"{username} ingeschakeld")


@users.command("password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Lees het wachtwoord van stdin.")
def users_password(username: str, password_stdin: bool) -> None:
    """Zet een nieuw wachtwoord voor USERNAME."""
    accounts = _accounts()
    accounts.get(username)  # an unknown user fails before the prompt
    accounts.set_password(username, _read_password(password_stdin),
                          actor=local_actor(("admin",)))
    click.echo(f"wachtwoord van {username} gewijzigd")


@users.command("token")
@click.argument("username")
@click.option("--name", "name", required=True, help="Naam van het token, bv. 'koppeling-bi'.")
@click.option("--rotate", is_flag=True, help="Trek het geldige token met deze naam in en "
                                              "maak een nieuw.")
def users_token(username: str, name: str, rotate: bool) -> None:
    """Maak een API-token voor USERNAME; het token wordt één keer getoond."""
    accounts, actor = _accounts(), local_actor(("admin",))
    token = (accounts.rotate_token(username, name, actor=actor) if rotate
             else accounts.issue_token(username, name, actor=actor))
    click.echo(token)
    click.echo("bewaar dit token nu: het wordt niet opnieuw getoond", err=True)


@users.command("revoke-token")
@click.argument("username")
@click.option("--name", "name", required=True)
def users_revoke_token(username: str, name: str) -> None:
    """Trek het token NAME van USERNAME in."""
    _accounts().revoke_token(username, name, actor=local_actor(("admin",)))
    click.echo(f"token {name} van {username} ingetrokken")


# -- audit ----------------------------------------------------------------------------------------
@click.group()
def audit() -> None:
    """Het auditlogboek: controleren, tonen, exporteren."""


def _audit_actor() -> Actor:
    return local_actor(("auditor",))


@audit.command("verify")
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Controleer een export in plaats van het logboek zelf.")
def audit_verify(file: Path | None) -> None:
    """Controleer de keten van het logboek (exit 1 bij een breuk, met het seq-nummer)."""
    settings = load_settings()
    if file is not None:
        key = secret_key("AUDIT_KEY", security_dir(settings) / "audit.key")
        result = AuditTrail(file, key, head=False).verify()
    else:
        result = AuditTrail.open(settings).verify()
    click.echo(result.message(), err=not result.ok)
    try:
        AuditTrail.open(settings).record(
            _audit_actor(), "audit_read",
            {"name": "audit verify", "params": {"file": str(file) if file else None},
             "result": result.message()},
            purpose="audit", outcome="ok" if result.ok else "broken")
    except Exception as exc:  # noqa: BLE001 - a broken log must still give its verdict
        click.echo(f"let op: controle niet vastgelegd: {exc}", err=True)
    if not result.ok:
        sys.exit(1)


@audit.command("show")
@click.option("--since", type=_DATE, default=None, help="Vanaf datum (YYYY-MM-DD, UTC).")
@click.option("--until", type=_DATE, default=None, help="Tot datum (niet inbegrepen).")
@click.option("--actor", default=None, help="Alleen deze gebruiker (os:<naam> voor de CLI).")
@click.option("--action", default=None, help="Alleen deze actie, bv. read of login_failed.")
@click.option("--uid", default=None, help="Alleen records die deze entiteit teruggaven.")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON-regels.")
def audit_show(since: dt.datetime | None, until: dt.datetime | None, actor: str | None,
               action: str | None, uid: str | None, as_json: bool) -> None:
    """Toon records van het logboek, oudste eerst."""
    trail = _trail()
    trail.check_appendable()
    records = list(trail.read(since=since, until=until, actor=actor, action=action, uid=uid))
    trail.record(_audit_actor(), "audit_read", {"name": "audit show", "params": {
        "since": since, "until": until, "actor": actor, "action": action, "uid": uid}},
        purpose="audit")
    for r in records:
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
            continue
        what = r.get("what")
        name = what.get("name") if isinstance(what, dict) else what
        ref = f":{r['reference']}" if r.get("reference") else ""
        click.echo(f"{r['seq']:>7} {r['ts']} {r['actor']:18} {r['action']:13} "
                   f"{(r.get('purpose') or '-')}{ref:14} {r.get('outcome', ''):7} {name} "
                   f"[{len(r.get('uids') or [])} uids] {r.get('client', '')}")


@audit.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def audit_export(file: Path) -> None:
    """Kopieer het logboek naar FILE (0600; controleerbaar met 'audit verify --file')."""
    trail = _trail()
    trail.check_appendable()
    count = trail.export(file)
    trail.record(_audit_actor(), "export", {"name": "audit export", "params": {
        "file": str(file)}, "records": count}, purpose="audit")
    click.echo(f"{count} records geëxporteerd naar {file}")


# -- retention -----------------------------------------------------------------------------------
@click.group()
def retention() -> None:
    """Bewaartermijnen: wat verlopen is laten zien (plan) of verwijderen (apply)."""


def _print_plan(data: dict[str, Any]) -> None:
    click.echo(f"peildatum {data['today']} ({'uitgevoerd' if data['applied'] else 'plan'})")
    for source, years in data["years"].items():
        click.echo(f"  {source:15} {years:>2} jaar  (verlopen voor {data['cutoffs'][source]})")
    click.echo(f"verlopen signalen: {len(data['expired_signals'])}, "
               f"verlopen Bibob-dossiers: {len(data['expired_dossiers'])}")
    click.echo(f"volglijsten verlopen (met hun meldingen): {len(data['expired_watches'])}, "
               f"meldingen verlopen: {data['expired_alerts']}")
    for title, key in (("knopen verwijderd", "nodes_deleted"),
                       ("knopen bron(nen) afgehaald", "nodes_pruned"),
                       ("relaties verwijderd", "relationships_deleted"),
                       ("relaties bron(nen) afgehaald", "relationships_pruned")):
        counts = data[key]
        total = sum(counts.values())
        detail = ", ".join(f"{k} {v}" for k, v in counts.items())
        click.echo(f"{title}: {total}" + (f" ({detail})" if detail else ""))


@retention.command("plan")
@click.option("--today", type=_DATE, default=None, help="Peildatum (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON, met de uids.")
def retention_plan(today: dt.datetime | None, as_json: bool) -> None:
    """Laat zien wat een retentierun zou verwijderen; verwijdert niets."""
    from ..security.retention import plan

    trail = _trail()
    with store_session() as store:
        result = plan(store, today.date() if today else None)
    data = result.as_dict()
    trail.record(local_actor(("admin",)), "retention_plan", {
        "name": "retention plan", "params": {"today": data["today"]},
        **result.counts()}, purpose="beheer",
        uids=result.deleted_uids() + result.pruned_uids())
    if as_json:
        echo_json(data)
    else:
        _print_plan(data)


@retention.command("apply")
@click.option("--today", type=_DATE, default=None, help="Peildatum (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON, met de uids.")
def retention_apply(today: dt.datetime | None, as_json: bool) -> None:
    """Verwijder wat volgens de bewaartermijnen verlopen is (en leg het vast)."""
    from ..security.retention import apply

    trail = _trail()
    with store_session() as store:
        result = apply(store, today.date() if today else None, audit=trail,
                       actor=local_actor(("admin",)))
    data = result.as_dict()
    if as_json:
        echo_json(data)
    else:
        _print_plan(data)


COMMANDS = [users, audit, retention]
