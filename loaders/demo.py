"""Synthetic demo data in the graph: generate the five source files and an outside list,
then load them in order.

One way to do it for the ``ondergraaf demo`` command and the analyst notebooks:
:func:`load_demo` generates the files (:mod:`loaders.synthetic`, the list of
:mod:`loaders.synthetic.lists`) and loads them in
:data:`DEMO_ORDER`; :func:`ensure_demo_graph` does that only for an empty embedded graph. A
configured Neo4j (``ONDERGRAAF_NEO4J_URI``) is someone's real graph: it is never filled with
synthetic data, and neither is a graph that holds anything.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from graph_service.config import env_value
from graph_service.model import LOAD_ORDER
from graph_service.store import Store, access

from . import spec_for
from .base import sync

__all__ = [
    "DEMO_ORDER",
    "DEMO_SEED",
    "DEMO_SIZE",
    "DemoLoad",
    "demo_size",
    "ensure_demo_graph",
    "graph_is_empty",
    "load_demo",
]

#: Load order of the demo sources, the model's: KvK first, it names the organisations the
#: other sources know by number alone.
DEMO_ORDER: tuple[str, ...] = LOAD_ORDER
DEMO_SIZE = 2000
DEMO_SEED = 7


@dataclass(frozen=True)
class DemoLoad:
    """What :func:`ensure_demo_graph` did: ``loaded`` False when the graph was left as is."""

    loaded: bool
    engine: str
    reason: str
    size: int = 0
    seed: int = 0
    today: dt.date | None = None
    rows: Mapping[str, int] = field(default_factory=dict)


def demo_size(default: int = DEMO_SIZE) -> int:
    """Demo size from ``ONDERGRAAF_DEMO_SIZE`` (tests run notebooks small), else ``default``."""
    text = env_value("DEMO_SIZE").strip()
    return int(text) if text else default


def graph_is_empty(store: Store) -> bool:
    """True when the graph holds no entity at all (whatever the caller's scope may see)."""
    # read/node_counts is an internal statement (counts only, no facts): it runs before
    # any analyst scope is chosen.
    return not any(row["count"] for row in store.read("read/node_counts"))


def load_demo(
    store: Store,
    folder: Path,
    size: int = DEMO_SIZE,
    seed: int = DEMO_SEED,
    *,
    today: dt.date | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Generate the five source files into ``folder`` and load them into ``store``.

    Parameters
    ----------
    store : the graph; its schema is set up first.
    folder : where the source files (and ``planted.json``) go.
    size, seed : passed to the generator (about ``size`` entities; same seed, same data).
    today : the generator's and loader's reference date (default: today), so that "active"
        and the retention of signals match the date the data is looked at.
    progress : called with (source, rows read) after each source is loaded.

    Returns
    -------
    dict
        Rows read per source, in :data:`DEMO_ORDER`.
    """
    from loaders.synthetic import generate
    from loaders.synthetic.lists import LIST_FILE, write_outside_list

    today = today or dt.date.today()
    generate(folder, size, seed, today=today)
    write_outside_list(folder)  # an outside list (source ftm) naming some of them
    store.setup_schema()
    rows: dict[str, int] = {}
    with access.scope(access.FULL):  # loading is a system task: it resolves all facts
        for source in DEMO_ORDER:
            path = folder / (LIST_FILE if source == "ftm" else f"{source}.csv")
            report = sync(store, spec_for(source), [path], today=today, by="demo")
            rows[source] = report.rows_read
            if progress is not None:
                progress(source, report.rows_read)
    return rows


def ensure_demo_graph(
    store: Store,
    size: int = DEMO_SIZE,
    seed: int = DEMO_SEED,
    *,
    today: dt.date | None = None,
    workdir: Path | None = None,
) -> DemoLoad:
    """Fill an empty embedded graph with freshly generated synthetic demo data.

    :func:`load_demo`, but only when the store is the embedded engine and its graph is
    empty; otherwise the graph is left as it is.

    Parameters
    ----------
    store : the graph.
    size, seed : passed to the generator (about ``size`` entities; same seed, same data).
    today : the generator's and loader's reference date (default: today), so that "active"
        and the retention of signals match the date the notebooks evaluate on.
    workdir : where the source files go; default a temporary folder removed afterwards.
    """
    if store.engine != "falkordb":
        return DemoLoad(False, store.engine, "not the embedded engine: the graph is used as is")
    if not graph_is_empty(store):
        return DemoLoad(False, store.engine, "the graph already holds data")
    today = today or dt.date.today()
    with _folder(workdir) as folder:
        rows = load_demo(store, folder, size, seed, today=today)
    return DemoLoad(True, store.engine, "generated and loaded", size, seed, today, rows)


@contextmanager
def _folder(workdir: Path | None) -> Iterator[Path]:
    if workdir is not None:
        workdir.mkdir(parents=True, exist_ok=True)
        yield workdir
        return
    with tempfile.TemporaryDirectory(prefix="ondergraaf-demo-") as tmp:
        yield Path(tmp)
