"""``ondergraaf serve`` and ``ondergraaf demo``: the web service on a production WSGI server.

Both serve the real thing: login, purpose per request, audit trail (``graph_service.web.
auth``). ``demo`` also makes (or resets) one account per role with a fresh password, printed
once, and sets ``ONDERGRAAF_INSECURE_COOKIES=1`` because it serves plain http on loopback.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import secrets
from pathlib import Path
from typing import Any

import click

from ..config import Settings, load_settings

__all__ = ["COMMANDS", "serve", "demo", "DEMO_USERS", "demo_accounts"]

#: user name, role, display name, what to choose on /doel
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("bibob", "bibob_officer", "Bibob-medewerker (demo)",
     "Bibob-toets met een dossiernummer"),
    ("riec", "riec_liaison", "RIEC-contactpersoon (demo)",
     "RIEC-casus met een casusnummer, of Bibob-toets met een dossiernummer"),
    ("analist", "analyst", "Analist (demo)",
     "analyse (personen gepseudonimiseerd), of RIEC-casus"),
    ("auditor", "auditor", "Auditor (demo)", "audit: geen graafgegevens; 'ondergraaf audit'"),
    ("beheer", "admin", "Beheerder (demo)", "beheer: geen graafgegevens; 'ondergraaf users'"),
)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _serve(host: str, port: int, threads: int, config: dict[str, Any] | None = None) -> None:
    import waitress

    from ..web.app import create_app

    app = create_app(config)
    click.echo(f"Ondergraaf draait op http://{host}:{port}/  (stoppen: Ctrl+C)")
    if app.config.get("SESSION_COOKIE_SECURE"):
        click.echo("  sessiecookies zijn Secure: de browser stuurt ze alleen over HTTPS; zet een "
                   "TLS-proxy voor de dienst (ONDERGRAAF_PROXY_HOPS=1), of voor plain http op "
                   "loopback ONDERGRAAF_INSECURE_COOKIES=1")
    waitress.serve(app, host=host, port=port, threads=threads, ident="ondergraaf")


def demo_accounts(settings: Settings, password: str | None = None) -> list[tuple[str, str]]:
    """Make or reset the :data:`DEMO_USERS`; returns (user name, password) pairs.

    Idempotent: an existing account gets its role back, is enabled (which also lifts a
    lockout) and gets the new password. Each run makes a random password per account,
    unless ``password`` is given. The changes are in the audit trail as the OS user.
    """
    from ..security.audit import AuditTrail
    from ..security.operator import local_actor
    from ..security.users import LocalAccounts

    accounts = LocalAccounts.open(settings, audit=AuditTrail.open(settings))
    actor = local_actor(("admin",))
    known = {u.username for u in accounts.list_users()}
    out = []
    for name, role, title, _ in DEMO_USERS:
        secret = password or secrets.token_urlsafe(12)
        if name in known:
            accounts.add_role(name, role, actor=actor)
            accounts.set_disabled(name, False, actor=actor)
            accounts.set_password(name, secret, actor=actor)
        else:
            accounts.create_user(name, [role], display_name=title, password=secret, actor=actor)
        out.append((name, secret))
    return out


def _example_dossier(folder: Path) -> str | None:
    try:
        planted = json.loads((folder / "planted.json").read_text(encoding="utf-8"))
        return str(planted["indicators"]["BIBOB_PRIVATE_FINANCIER"]["true"][0]["dossier_id"])
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, threads: int) -> None:
    """Serve the web pages and JSON API (waitress, several threads)."""
    _serve(host, port, threads)


@click.command()
@click.option("--size", default=2000, show_default=True, type=click.IntRange(100, 200_000))
@click.option("--seed", default=7, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@click.option("--no-serve", is_flag=True, help="Generate and load only.")
@click.option("--demo-password", default=None, metavar="WACHTWOORD",
              help="One fixed password for every demo account (at least 12 characters); "
                   "default: a random password per account, printed once.")
def demo(size: int, seed: int, host: str, port: int, threads: int, no_serve: bool,
         demo_password: str | None) -> None:
    """Generate synthetic demo data (reference date today), load it, and serve it.

    The five files load in order kvk, vakantieparken, schuren, bibob, riec. Makes (or
    resets) one account per role and prints their passwords once; the service runs with
    the real login, purposes and audit trail.
    """
    from ..security.users import MIN_PASSWORD_LENGTH

    if demo_password is not None and len(demo_password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"minstens {MIN_PASSWORD_LENGTH} tekens",
                                 param_hint="--demo-password")
    from loaders.demo import load_demo

    from ..store import open_store

    settings = load_settings()
    out = settings.data_dir / "demo-input"
    today = dt.date.today()
    click.echo(f"demodata genereren in {out} (size={size}, seed={seed}, peildatum {today})")
    store = open_store(settings)
    try:
        load_demo(store, Path(out), size, seed, today=today,
                  progress=lambda source, rows: click.echo(
                      f"  {source:15} {rows:>6} rijen geladen"))
    finally:
        store.close()
    made = demo_accounts(settings, demo_password)
    dossier = _example_dossier(out) or "<dossiernummer>"
    click.echo("")
    click.echo("demo-accounts (het wachtwoord staat alleen hier; de volgende 'ondergraaf demo' "
               "maakt nieuwe):" if demo_password is None else "demo-accounts:")
    for (name, secret), (_, role, _, choose) in zip(made, DEMO_USERS, strict=True):
        click.echo(f"  {name:8} {role:14} wachtwoord {secret:18} doel: {choose}")
    click.echo(f"Inloggen: open http://{host}:{port}/login, log in en kies een doel, bijvoorbeeld "
               f"'bibob' met Bibob-toets van dossier {dossier}.")
    click.echo(f"API: ondergraaf users token bibob --name demo, dan curl -H 'Authorization: "
               f"Bearer og_...' -H 'X-Ondergraaf-Purpose: bibob_toets' -H "
               f"'X-Ondergraaf-Reference: {dossier}' http://{host}:{port}/api/bibob/{dossier}"
               "/screening")
    if not no_serve:
        click.echo("Let op: de demo zet ONDERGRAAF_INSECURE_COOKIES=1 (sessiecookie zonder "
                   "Secure), omdat hij gewoon http serveert op loopback. Gebruik 'ondergraaf "
                   "serve' achter TLS voor echte gegevens.")
        if not _loopback(host):
            click.echo(f"WAARSCHUWING: {host} is geen loopback-adres: wachtwoorden en "
                       "sessiecookies gaan onversleuteld over het netwerk.")
        _serve(host, port, threads, {"INSECURE_COOKIES": True})


COMMANDS = [serve, demo]
