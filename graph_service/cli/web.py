"""``ondergraaf serve`` and ``ondergraaf demo``: the web service on a production WSGI server.

Both serve the real thing: login, purpose per request, audit trail (``graph_service.web.
auth``). ``demo`` also makes (or resets) one account per role with a fresh password, printed
once, and sets ``ONDERGRAAF_INSECURE_COOKIES=1`` because it serves plain http on loopback.
"""

from __future__ import annotations

import atexit
import datetime as dt
import errno
import ipaddress
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ..config import Settings, load_settings

if TYPE_CHECKING:
    from ..store.embedded import EmbeddedServer

__all__ = ["COMMANDS", "serve", "demo", "DEMO_USERS", "demo_accounts", "gunicorn_options"]

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


def _port_in_use(host: str, port: int) -> bool:
    """Whether ``host:port`` cannot be bound (another process listens on it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.errno in (errno.EADDRINUSE, errno.EACCES)
    return False


def _busy(host: str, port: int) -> NoReturn:
    click.echo(f"fout: poort {port} op {host} is al in gebruik (draait ondergraaf al?); kies "
               "een andere poort met --port of stop het proces dat hem gebruikt", err=True)
    sys.exit(1)


def _access_log_to_stderr() -> None:
    """The JSON access log (``web.metrics``) as one line per request on stderr."""
    from ..web.metrics import ACCESS_LOGGER

    logger = logging.getLogger(ACCESS_LOGGER)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _open_engine(settings: Settings) -> EmbeddedServer | None:
    """Start the embedded engine in this process (it owns it; the workers attach to it) and
    check the schema version before anything is served; None on Neo4j."""
    from ..store import open_store

    server = None
    if settings.engine == "falkordb":
        from ..store.embedded import EmbeddedServer

        server = EmbeddedServer(settings.data_dir, settings.falkordb_fsync)
        server.start()
    try:
        open_store(settings).close()  # the version check, as every command does
    except BaseException:
        if server is not None:
            server.stop()
        raise
    return server


def _stop_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(0)  # waitress stops its loop; atexit stops the engine (compacted)


def _serve(host: str, port: int, threads: int, config: dict[str, Any] | None = None,
           workers: int | None = None, access_log: bool = True) -> None:
    """Serve until stopped: one waitress process (``workers`` None), or gunicorn with
    ``workers`` gthread workers of ``threads`` threads each (docs/operations.md).
    ``access_log``: the JSON access log on stderr (the demo leaves the terminal quiet)."""
    from ..web.app import create_app

    if _port_in_use(host, port):
        _busy(host, port)
    settings = load_settings()
    server = _open_engine(settings)
    try:
        if access_log:
            _access_log_to_stderr()
        if workers is not None:
            _gunicorn(host, port, workers, threads, dict(config or {}), settings, server,
                      access_log)
            return
        import waitress

        app = create_app(config)
        click.echo(f"Ondergraaf draait op http://{host}:{port}/  (stoppen: Ctrl+C)")
        _cookie_note(app.config.get("SESSION_COOKIE_SECURE"))
        before = signal.signal(signal.SIGTERM, _stop_on_sigterm)
        try:
            waitress.serve(app, host=host, port=port, threads=threads, ident="ondergraaf")
        except OSError as exc:  # taken between the check and the bind
            if exc.errno == errno.EADDRINUSE:
                _busy(host, port)
            raise
        finally:
            signal.signal(signal.SIGTERM, before)
    finally:
        if server is not None:  # compacted and stopped, as the owner does at exit
            server.stop()


def _cookie_note(secure: Any) -> None:
    if secure:
        click.echo("  sessiecookies zijn Secure: de browser stuurt ze alleen over HTTPS; zet een "
                   "TLS-proxy voor de dienst (ONDERGRAAF_PROXY_HOPS=1), of voor plain http op "
                   "loopback ONDERGRAAF_INSECURE_COOKIES=1")


def gunicorn_options(host: str, port: int, workers: int, threads: int,
                     settings: Settings) -> dict[str, Any]:
    """The shipped gunicorn configuration of ``serve --workers N`` (docs/operations.md)."""
    read_timeout = settings.read_timeout_s
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        # a worker silent for longer than the longest read (plus a margin) is restarted
        "timeout": int(read_timeout) + 30 if read_timeout else 3600,
        "graceful_timeout": 30,  # SIGTERM/SIGHUP: running requests get this long to finish
        "keepalive": 5,
        "backlog": 2048,
        "accesslog": None,  # the app writes its own JSON access log (web.metrics)
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "ondergraaf",
        "forwarded_allow_ips": "",  # X-Forwarded-*: only ONDERGRAAF_PROXY_HOPS (ProxyFix)
        "control_socket_disable": True,
        "preload_app": False,  # every worker builds its own app and store after the fork
    }


def _gunicorn(host: str, port: int, workers: int, threads: int, config: dict[str, Any],
              settings: Settings, server: EmbeddedServer | None, access_log: bool) -> None:
    from gunicorn.app.base import BaseApplication

    from ..web.app import create_app

    metrics_dir = Path(tempfile.mkdtemp(prefix="ondergraaf-metrics-"))
    atexit.register(shutil.rmtree, metrics_dir, True)
    options = gunicorn_options(host, port, workers, threads, settings)

    def post_fork(arbiter: Any, worker: Any) -> None:
        # the engine belongs to the master: a worker attaches to it and never stops it
        if server is not None:
            server.process = None
            atexit.unregister(server.stop)
        atexit.unregister(shutil.rmtree)

    def load() -> Any:
        if access_log:
            _access_log_to_stderr()
        app = create_app({**config, "METRICS_DIR": str(metrics_dir)})
        atexit.register(app.extensions["ondergraaf_metrics"].flush)
        return app

    class Service(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {**options, "post_fork": post_fork}.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return load()

    click.echo(f"Ondergraaf draait op http://{host}:{port}/ met {workers} werkprocessen "
               f"(gunicorn, gthread, {threads} threads elk); herladen: kill -HUP {os.getpid()}, "
               f"stoppen: kill -TERM {os.getpid()} of Ctrl+C")
    from ..config import env_value

    insecure = bool(config.get("INSECURE_COOKIES")) or env_value(
        "INSECURE_COOKIES").strip().lower() in ("1", "true", "yes", "ja", "on")
    _cookie_note(not insecure)
    Service().run()


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
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Threads per process.")
@click.option("--workers", default=None, type=click.IntRange(1, 64),
              help="Worker processes (gunicorn, gthread; SIGHUP reloads them gracefully, "
                   "SIGTERM stops). Without it: one waitress process.")
def serve(host: str, port: int, threads: int, workers: int | None) -> None:
    """Serve the web pages and JSON API (waitress, or gunicorn with --workers)."""
    _serve(host, port, threads, workers=workers)


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

    The five source files load in order kvk, vakantieparken, schuren, bibob, riec, then a
    synthetic outside list (ftm) naming some of their persons. Makes (or resets) one
    account per role and prints their passwords once; the service runs with
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
        _serve(host, port, threads, {"INSECURE_COOKIES": True}, access_log=False)


COMMANDS = [serve, demo]
