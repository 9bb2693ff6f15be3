"""What a command does before its own work: the data folder's schema version, and the
embedded engine started early.

Kept apart from the command modules and light to import: :func:`start_engine_early` runs
before any command module is imported (``graph_service.cli.main``), so that the embedded
server reads its snapshot (about a second at 100k entities) while Python imports and
prepares the command, instead of after.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..config import load_settings
from ..store import version as schema
from ..store.embedded import EmbeddedServer

__all__ = ["OLDER_ALLOWED", "STORE_COMMANDS", "UNCHECKED", "check_data_folder",
           "command_of", "engine_start_bytes", "start_engine_early"]

#: Commands that read or set the schema version themselves (or touch no data folder).
UNCHECKED = frozenset({"upgrade", "restore", "generate"})
#: Commands that may run on an older folder: a backup comes before an upgrade.
OLDER_ALLOWED = frozenset({"backup"})
#: Commands that open the store whenever they run (the embedded engine is started early
#: for them). Not here: commands that never open it (``generate``, ``indicators``,
#: ``users``, ``audit``, ``serve``, ``demo``) and those that handle the engine themselves
#: (``backup``, ``restore``, ``upgrade``).
STORE_COMMANDS = frozenset({"schema", "health", "load", "stats", "reset", "runs", "hits",
                            "risk", "screen", "volg", "meldingen", "review", "export",
                            "retention"})


def check_data_folder(command: str | None) -> None:
    """Refuse ``command`` on a data folder at another schema version than this code.

    Checks the folder's own version (its marker; an unmarked folder with an embedded graph
    is version 1). The graph's version is checked when a store opens
    (``graph_service.store.open_store``), so a command that touches neither (``users``,
    ``audit``) on a Neo4j folder without a marker is not held up by the graph's version.
    """
    if command is None or command in UNCHECKED or "--help" in sys.argv[1:]:
        return  # (the group runs this before a subcommand reads its --help)
    data_dir = load_settings().data_dir
    found = schema.folder_version(data_dir)
    if found is None:
        return
    state = schema.VersionState(found, None, True, False)
    message = schema.refusal(state, data_dir)
    if message is not None and not (command in OLDER_ALLOWED and found < schema.SCHEMA_VERSION):
        raise schema.SchemaVersionError(message)


def command_of(args: Sequence[str]) -> str | None:
    """The command named by the arguments after ``ondergraaf`` (the group itself has only
    options without values: ``--help``, ``--version``)."""
    return next((a for a in args if not a.startswith("-")), None)


def start_engine_early(args: Sequence[str]) -> None:
    """Spawn the embedded server now when the command will open the store.

    After the folder's schema check (a refused folder starts nothing); not for ``--help``
    or ``--version``, nor on Neo4j. The store of the command takes the server over
    (``EmbeddedServer.start_early``); when it never does, the server stops at exit.
    """
    command = command_of(args)
    if command not in STORE_COMMANDS or "--help" in args or "--version" in args:
        return
    settings = load_settings()
    if settings.engine != "falkordb":
        return
    check_data_folder(command)
    server = EmbeddedServer(settings.data_dir, settings.falkordb_fsync)
    server.start_early()
    if server.owned:  # spawned, not attached to a running one
        _STARTING.append(server)


#: The embedded server this command spawned early, while it starts.
_STARTING: list[EmbeddedServer] = []


def engine_start_bytes() -> int:
    """What the embedded server this command spawned reads at its start (its snapshot
    and write log; it builds its indexes after): 0 when the command attached to a
    running one or started none. ``ondergraaf load`` checks its files meanwhile and
    takes a second core for that only when the check takes longer
    (``loaders.chunks.workers_for``)."""
    return sum(server.start_bytes() for server in _STARTING)
