"""The ``ondergraaf`` command line: load, inspect, query, serve and administer the graph.

One click group; the commands live by subject: :mod:`.graph` (schema, health, load, stats,
generate, reset), :mod:`.risk` (hits, risk, screen, indicators), :mod:`.web` (serve, demo),
:mod:`.security` (users, audit, retention), :mod:`.operations` (backup, restore) and
:mod:`.review` (decisions on look-alike pairs) and :mod:`.export` (the visible graph as
FollowTheMoney entities).
:mod:`.common` holds what they share: the store session, reads under a declared purpose,
JSON output and the operator's audit record.
The CLI is the one part of ``graph_service`` that uses ``loaders``.
"""

from __future__ import annotations

import sys

import click

from ..errors import OndergraafError
from . import export, graph, operations, review, risk, security, web

__all__ = ["main", "cli"]


@click.group()
@click.version_option(package_name="ondergraaf")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Ondergraaf: a knowledge graph of municipal sources for spotting ondermijning."""
    operations.check_data_folder(ctx.invoked_subcommand)  # the schema version (upgrade)


for _module in (graph, risk, review, export, web, security, operations):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Entry point of the ``ondergraaf`` console script."""
    try:
        cli(standalone_mode=True)
    except OndergraafError as exc:
        click.echo(f"fout: {exc}", err=True)
        sys.exit(1)
