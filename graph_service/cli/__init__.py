"""The ``ondergraaf`` command line: load, inspect, query, serve and administer the graph.

One click group; the commands live by subject: :mod:`.graph` (schema, health, load, stats,
generate, reset, runs), :mod:`.risk` (hits, risk, screen, indicators, volg, meldingen),
:mod:`.web` (serve, demo), :mod:`.security` (users, audit, retention), :mod:`.operations`
(backup, restore, upgrade), :mod:`.review` (decisions on look-alike pairs) and
:mod:`.export` (the visible graph as FollowTheMoney entities) and :mod:`.engine` (the
embedded engine as a long-running server).
:mod:`.common` holds what they share: the store session, reads under a declared purpose,
JSON output and the operator's audit record; :mod:`.startup` what runs before a command
(the schema version of the data folder, the embedded engine started early).
The CLI is the one part of ``graph_service`` that uses ``loaders``.

Start-up time: a command imports only its own module (:data:`COMMAND_MODULES`; ``--help``
imports them all for their one-line help), and a command that opens the store has the
embedded server reading its snapshot meanwhile (:func:`.startup.start_engine_early`).
It ends without the interpreter's teardown, its exit handlers run (:func:`_exit`).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import sys
import threading
from typing import NoReturn

import click

from ..errors import OndergraafError
from . import startup

__all__ = ["COMMAND_MODULES", "main", "cli"]

#: Every command and the module (of this package) that defines it in its ``COMMANDS``.
COMMAND_MODULES = {
    **dict.fromkeys(("schema", "health", "load", "stats", "generate", "reset", "runs"),
                    "graph"),
    **dict.fromkeys(("hits", "risk", "screen", "indicators", "volg", "meldingen"), "risk"),
    "review": "review",
    "export": "export",
    **dict.fromkeys(("serve", "demo"), "web"),
    **dict.fromkeys(("users", "audit", "retention"), "security"),
    **dict.fromkeys(("backup", "restore", "upgrade"), "operations"),
    "engine": "engine",
}


class _LazyGroup(click.Group):
    """A group that imports a command's module only when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is None:
            return None
        commands = importlib.import_module(f"{__name__}.{module}").COMMANDS
        return next((c for c in commands if c.name == cmd_name), None)


@click.group(cls=_LazyGroup)
@click.version_option(package_name="ondergraaf")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Ondergraaf: a knowledge graph of municipal sources for spotting ondermijning."""
    startup.check_data_folder(ctx.invoked_subcommand)  # the schema version (upgrade)


def main() -> None:
    """Entry point of the ``ondergraaf`` console script."""
    try:
        startup.start_engine_early(sys.argv[1:])
        cli(standalone_mode=True)
    except OndergraafError as exc:
        click.echo(f"fout: {exc}", err=True)
        _exit(1)
    except SystemExit as exc:
        _exit(exc.code)
    _exit(0)


def _exit(code: int | str | None) -> NoReturn:
    """End the process as ``sys.exit(code)`` would, without the interpreter's teardown.

    A load leaves millions of objects behind (the name caches alone hold about 120 MB at
    100k entities), and the teardown frees them one by one after the command is done:
    0.13-0.2 s a command at 100k. So the exit handlers run here (``atexit``: the
    embedded server's stop, the web tier's flushes, logging's), the standard streams are
    flushed, and the process ends (``os._exit``). The commands close their own files in
    ``with`` blocks. While another thread that is not a daemon still runs, the process
    exits the usual way, which waits for it.
    """
    me = threading.current_thread()
    if any(not t.daemon for t in threading.enumerate() if t is not me):
        sys.exit(code)
    status = code if isinstance(code, int) else 0 if code is None else 1
    if code is not None and not isinstance(code, int):  # as sys.exit: printed, status 1
        print(code, file=sys.stderr)
    atexit._run_exitfuncs()  # noqa: SLF001 - what the teardown would run first
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to flush
            stream.flush()
    os._exit(status)
