"""``ondergraaf serve`` and ``ondergraaf demo``: the web service on a production WSGI server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from .config import load_settings

__all__ = ["COMMANDS", "serve", "demo"]

DEMO_ORDER = ("kvk", "vakantieparken", "schuren", "bibob", "riec")


def _serve(host: str, port: int, threads: int, config: dict[str, Any] | None = None) -> None:
    import waitress

    from .app import create_app

    app = create_app(config)
    click.echo(f"Ondergraaf draait op http://{host}:{port}/  (stoppen: Ctrl+C)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="ondergraaf")


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
def demo(size: int, seed: int, host: str, port: int, threads: int, no_serve: bool) -> None:
    """Generate synthetic demo data (reference date today), load it, and serve it.

    The five files load in order kvk, vakantieparken, schuren, bibob, riec.
    """
    from loaders import spec_for
    from loaders.base import sync
    from loaders.generate import generate

    from . import access
    from .store import open_store

    settings = load_settings()
    out = settings.data_dir / "demo-input"
    today = dt.date.today()
    click.echo(f"demodata genereren in {out} (size={size}, seed={seed}, peildatum {today})")
    generate(Path(out), size, seed, today=today)
    store = open_store(settings)
    try:
        store.setup_schema()
        with access.scope(access.FULL):  # loading is a system task: it resolves all facts
            for source in DEMO_ORDER:
                report = sync(store, spec_for(source), [out / f"{source}.csv"], today=today)
                click.echo(f"  {source:15} {report.rows_read:>6} rijen geladen")
    finally:
        store.close()
    if not no_serve:
        click.echo("demo: elke aanvraag leest met volledige toegang (synthetische gegevens, "
                   "geen aanmelding)")
        _serve(host, port, threads, {"ONDERGRAAF_REQUEST_SCOPE": lambda: access.FULL})


COMMANDS = [serve, demo]
