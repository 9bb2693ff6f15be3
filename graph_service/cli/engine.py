"""``ondergraaf engine start|stop|status``: the embedded engine as a long-running server.

Without it every command starts the embedded FalkorDB server of the data folder itself and
stops it when done, which costs the time the server takes to read its snapshot (about a
second at 100k entities, ten times that at 1M). With ``engine start`` one server keeps
running and every command attaches to it, so a command costs only its own work. How data
is kept does not change (the same append-only file, ``ONDERGRAAF_FALKORDB_FSYNC``); a
command that wrote still compacts the folder when it ends.
"""

from __future__ import annotations

import click

from ..config import load_settings
from ..errors import GraphUnavailable, OndergraafError
from ..store.embedded import EmbeddedServer
from .common import echo_json

__all__ = ["COMMANDS", "engine"]


def _server() -> EmbeddedServer:
    settings = load_settings()
    if settings.engine != "falkordb":
        raise OndergraafError("ondergraaf engine is alleen voor de ingebouwde engine; "
                              "een Neo4j-server start en stopt u zelf")
    return EmbeddedServer(settings.data_dir, settings.falkordb_fsync)


@click.group()
def engine() -> None:
    """De ingebouwde graafengine laten doordraaien, zodat elke opdracht direct start."""


@engine.command("start")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def engine_start(as_json: bool) -> None:
    """Start de engine op de achtergrond; opdrachten gebruiken hem tot engine stop."""
    server = _server()
    info = server.start_detached()
    data = {"running": True, "started": info.started, "pid": server.server_pid(),
            "seconds": round(info.seconds, 3), "socket": str(server.socket)}
    if as_json:
        echo_json(data)
    elif info.started:
        click.echo(f"engine gestart (pid {data['pid']}, klaar in {info.seconds:.1f} s)")
    else:
        click.echo(f"engine draaide al (pid {data['pid']})")


@engine.command("stop")
def engine_stop() -> None:
    """Stop de engine die engine start startte (eerst gecomprimeerd en weggeschreven)."""
    server = _server()
    try:
        stopped = server.stop_detached()
    except GraphUnavailable as exc:
        raise OndergraafError(f"engine niet gestopt: {exc}; hij stopt met het proces "
                              "dat hem startte (bv. ondergraaf serve)") from exc
    click.echo("engine gestopt" if stopped else "er draaide geen engine")


@engine.command("status")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def engine_status(as_json: bool) -> None:
    """Draait de engine, en wie startte hem (exit 1 als er geen draait)."""
    server = _server()
    running = server.running()
    pid = server.server_pid() if running else None
    data = {"running": running, "pid": pid,
            "detached": running and pid is not None and pid == server.detached_pid(),
            "log_bytes": server.incremental_bytes()}
    if as_json:
        echo_json(data)
    elif not running:
        click.echo("er draait geen engine; elke opdracht start en stopt er zelf een")
    elif data["detached"]:
        click.echo(f"engine draait (pid {pid}, gestart met ondergraaf engine start)")
    else:
        click.echo(f"engine draait (pid {pid}), van een lopend proces (bv. ondergraaf serve)")
    if not running:
        raise SystemExit(1)


COMMANDS = [engine]
