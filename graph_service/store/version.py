"""The schema version of a data folder and of its graph, checked whenever a store opens.

Code and data must agree on the *schema*: the indexes and constraints, the properties the
queries expect, the way uids are made. Each release that changes it raises
:data:`SCHEMA_VERSION` and adds a step to ``graph_service.operations.upgrade``; ``ondergraaf
upgrade`` runs the steps a folder still needs. The version is kept in two places:

* the data folder: ``<data_dir>/schema-version.json`` (:data:`MARKER`), for what the folder
  holds (accounts and keys, the audit trail, and for the embedded engine the graph in
  ``falkordb/``);
* the graph itself, on both engines: one node ``(:OndergraafSchema {key: 'ondergraaf'})``
  with ``version`` (``cypher/write/schema_version_set.cypher``). A Neo4j database lives
  apart from the data folder and can meet another one (a new server, a restore), so it
  carries its own version; the node is not an entity, so counts, exports and queries never
  see it. ``ondergraaf reset`` removes it with everything else; the next open marks the
  empty graph again.

How a version is read (:func:`read_state`):

* the folder: its marker; without one, version 1 (:data:`FIRST_VERSION`, the layout from
  before versions were recorded) when it holds an embedded graph (``falkordb/aof``), else
  no version of its own (a new folder, or one with only accounts and the audit trail: it
  takes the graph's);
* the graph: its node; without one, nothing when it holds no facts (a new or emptied
  graph), else the folder's version, or 1 when the folder has none.

A new folder and a new graph are marked at the current version the first time a store
opens them (:func:`check`), and a folder when the embedded engine first creates its
``falkordb/`` in it (:func:`mark_new_folder`), whatever else it holds already.
:func:`check` refuses, with a Dutch message naming both versions and the command to run,
a folder or graph newer than the code, one that needs an upgrade, and a folder and graph
that disagree.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OndergraafError

if TYPE_CHECKING:
    from .base import Store

__all__ = [
    "FIRST_VERSION",
    "MARKER",
    "SCHEMA_VERSION",
    "SchemaVersionError",
    "VersionState",
    "check",
    "folder_version",
    "mark_new_folder",
    "product",
    "read_state",
    "write_folder_version",
    "write_graph_version",
]

#: The schema version of this code. Raise it together with a new step in
#: ``graph_service.operations.upgrade.MIGRATIONS`` (which must end here).
SCHEMA_VERSION = 4
#: Folders and graphs made before versions were recorded.
FIRST_VERSION = 1
#: The data folder's marker file.
MARKER = "schema-version.json"
UPGRADE_HINT = "ondergraaf upgrade"


class SchemaVersionError(OndergraafError):
    """The data folder or the graph has another schema version than this code (503 on the
    web: the service cannot answer until an operator acts)."""

    status_code = 503


def product() -> str:
    """``ondergraaf <version>`` of the installed package, for the markers."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"ondergraaf {version('ondergraaf')}"
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "ondergraaf (not installed)"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# -- the data folder ---------------------------------------------------------------------------
def _marker(data_dir: Path) -> Path:
    return Path(data_dir).expanduser() / MARKER


def read_folder_marker(data_dir: Path) -> int | None:
    """The version in the folder's marker file, or None when there is none."""
    path = _marker(data_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise SchemaVersionError(f"{path} is onleesbaar ({exc}); zet het terug uit een "
                                 "backup of vraag de beheerder") from exc
    value = data.get("schema_version") if isinstance(data, dict) else None
    if not isinstance(value, int) or isinstance(value, bool) or value < FIRST_VERSION:
        raise SchemaVersionError(f"{path} noemt geen geldige schemaversie: {value!r}")
    return value


def folder_version(data_dir: Path) -> int | None:
    """The folder's own version: its marker; 1 for an unmarked folder that holds an embedded
    graph (made before versions were recorded); None for a new folder or one without a graph
    of its own (it takes the graph's version)."""
    found = read_folder_marker(data_dir)
    if found is not None:
        return found
    if (Path(data_dir).expanduser() / "falkordb" / "aof").exists():
        return FIRST_VERSION
    return None


def write_folder_version(data_dir: Path, version: int) -> None:
    """Write the folder's marker (atomically: a new file renamed into place)."""
    folder = Path(data_dir).expanduser()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    body = json.dumps({"schema_version": version, "written_by": product(),
                       "updated_at": _now()}, indent=1) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".schema-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, folder / MARKER)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def mark_new_folder(data_dir: Path) -> None:
    """Mark a data folder at the current version when its embedded graph is about to be
    made (no ``falkordb/`` yet) and it has no marker yet."""
    folder = Path(data_dir).expanduser()
    if _marker(folder).exists() or (folder / "falkordb").exists():
        return
    write_folder_version(folder, SCHEMA_VERSION)


# -- the graph ---------------------------------------------------------------------------------
def _graph(store: Store) -> tuple[int | None, bool]:
    rows = store.read("read/schema_version")
    if not rows:  # the embedded engine before the graph's first write
        return None, False
    value = rows[0].get("version")
    return (int(value) if value is not None else None), bool(rows[0].get("has_data"))


def write_graph_version(store: Store, version: int) -> None:
    """Record ``version`` in the graph's schema node."""
    store.write("write/schema_version_set", {"version": version, "written_by": product(),
                                              "updated_at": _now()})


@dataclass(frozen=True)
class VersionState:
    """The versions of one data folder and its graph (None: no version of its own)."""

    folder: int | None
    graph: int | None
    folder_marked: bool  #: the folder has its marker file
    graph_marked: bool  #: the graph has its schema node

    @property
    def known(self) -> list[int]:
        return [v for v in (self.folder, self.graph) if v is not None]

    @property
    def version(self) -> int:
        """The version to upgrade from: the lower of the two, the current one for new."""
        return min(self.known, default=SCHEMA_VERSION)

    @property
    def newest(self) -> int:
        return max(self.known, default=SCHEMA_VERSION)

    def as_dict(self) -> dict[str, Any]:
        return {"code": SCHEMA_VERSION, "folder": self.folder, "graph": self.graph,
                "version": self.version}


def read_state(store: Store, data_dir: Path) -> VersionState:
    """The versions of ``data_dir`` and of the graph of ``store`` (see the module doc)."""
    marked = read_folder_marker(data_dir)
    folder = marked if marked is not None else folder_version(data_dir)
    graph, has_data = _graph(store)
    graph_marked = graph is not None
    if graph is None and has_data:
        graph = folder if folder is not None else FIRST_VERSION
    return VersionState(folder, graph, marked is not None, graph_marked)


def refusal(state: VersionState, data_dir: Path) -> str | None:
    """The Dutch message that refuses a command on this state, or None when it may run."""
    where = f"datamap {data_dir}"
    parts = []
    if state.folder is not None:
        parts.append(f"datamap versie {state.folder}")
    if state.graph is not None:
        parts.append(f"graaf versie {state.graph}")
    found = ", ".join(parts)
    if state.newest > SCHEMA_VERSION:
        return (f"de gegevens zijn nieuwer dan deze versie van ondergraaf ({found}; deze "
                f"software kent schemaversie {SCHEMA_VERSION}): gebruik de nieuwere versie van "
                f"ondergraaf waarmee de {where} is bijgewerkt")
    if state.version < SCHEMA_VERSION:
        return (f"de gegevens hebben een oudere schemaversie ({found}; deze software "
                f"verwacht versie {SCHEMA_VERSION}): maak eerst een backup (ondergraaf backup "
                f"MAP) en draai dan '{UPGRADE_HINT}' voor de {where}")
    return None


def check(store: Store, data_dir: Path, *, allow_older: bool = False) -> VersionState:
    """Refuse a folder or graph at another version than the code (:class:`SchemaVersionError`
    with :func:`refusal`'s message); mark a new folder or graph at the current version.

    ``allow_older``: an older version passes (``backup`` before an upgrade); a newer one
    never does. Returns the state as read.
    """
    state = read_state(store, data_dir)
    message = refusal(state, data_dir)
    if message is not None and not (allow_older and state.newest <= SCHEMA_VERSION):
        raise SchemaVersionError(message)
    if state.version == SCHEMA_VERSION == state.newest:
        if not state.folder_marked:
            write_folder_version(data_dir, SCHEMA_VERSION)
        if not state.graph_marked:
            write_graph_version(store, SCHEMA_VERSION)
    return state
