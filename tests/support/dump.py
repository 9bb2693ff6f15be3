"""Read a whole graph back as comparable plain data (for exact-set assertions)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from graph_service.store import Store
from loaders import spec_for
from loaders.base import LoadError, sync


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    return value


#: The stamp of the load run that last saw a fact (``prov_run``, loaders.runs): every load
#: is a run of its own, so it differs between two loads of the same file by design. Left
#: out unless ``runs=True``.
RUN_STAMP = "prov_run"


def nodes(store: Store, runs: bool = False) -> dict[str, dict[str, Any]]:
    """``{uid: properties with _labels}`` of every entity node."""
    return {r["uid"]: {k: v for k, v in r["node"].items() if runs or k != RUN_STAMP}
            for r in store.read("read/all_nodes")}


def relationships(store: Store, runs: bool = False
                  ) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    """``{(start, type, end, key): properties}`` of every relationship."""
    out = {}
    for r in store.read("read/all_relationships"):
        key = (r["start"], r["type"], r["end"], r["rel"].get("key", ""))
        assert key not in out, f"duplicate relationship {key}"
        out[key] = {k: v for k, v in r["rel"].items()
                    if not k.startswith("_") and (runs or k != RUN_STAMP)}
    return out


def snapshot(store: Store) -> tuple[Any, Any]:
    """Everything, frozen: equal snapshots mean an unchanged graph."""
    return _freeze(nodes(store)), _freeze({"|".join(k): v for k, v in relationships(store).items()})


#: One load: the source, its files, the day it is observed, whether it is a full extract.
Load = tuple[str, list[Path], dt.date, bool]


def loaded_graph(store: Store, loads: list[Load], batch_size: int | None = None
                 ) -> tuple[tuple[dict[str, Any], dict[Any, Any]], list[Any]]:
    """Load into an emptied graph, in order (refused rows set aside, except in a full
    extract); the graph (:func:`nodes`, :func:`relationships`, each ``prov_run`` stamp's
    run numbered in load order, so two stores that made the same loads compare equal)
    and what each load reported (its problems when it was refused)."""
    store.write("write/delete_all")
    outcomes: list[Any] = []
    runs: dict[str, str] = {}
    for source, paths, day, full in loads:
        try:
            report = sync(store, spec_for(source), paths, today=day, full=full,
                          skip_invalid=not full, batch_size=batch_size)
        except LoadError as exc:
            outcomes.append([str(p) for p in exc.problems])
            continue
        out = report.as_dict()
        runs[str(report.stamp)] = f"run-{len(runs)}"
        del out["run"], out["files"], out["reject_files"]
        outcomes.append(out)

    def numbered(stamps: list[str]) -> list[str]:
        return [f"{s}|{runs[r]}" for s, r in (x.split("|", 1) for x in stamps)]

    return ({uid: {**n, RUN_STAMP: numbered(n.get(RUN_STAMP, []))}
             for uid, n in nodes(store, runs=True).items()},
            {key: {**r, RUN_STAMP: numbered(r.get(RUN_STAMP, []))}
             for key, r in relationships(store, runs=True).items()}), outcomes
