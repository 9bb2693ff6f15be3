"""Latency on an existing FalkorDB data folder (a run whose latency phase was stopped).

``python -m bench.salvage DATA_DIR SIZE OUT.json --kinds neighbourhood,risk [--max-gib 6]``
reopens the embedded graph (replaying its AOF), waits until every index is
``OPERATIONAL``, caps this process's address space at ``--max-gib`` (a query whose result
does not fit fails instead of taking the machine's memory), and appends a ``latency``
entry for ``SIZE`` to ``OUT.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

from graph_service.config import load_settings
from graph_service.store import access
from graph_service.store.falkordb_store import EmbeddedFalkorStore

from .__main__ import _api_groups
from .api import measure_api
from .common import bench_registry, loadavg, machine
from .latency import measure, sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.salvage")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("size", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--kinds", default="neighbourhood,paths,risk,search")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--budget", type=float, default=45.0)
    parser.add_argument("--read-timeout", type=float, default=60.0)
    parser.add_argument("--max-gib", type=float, default=6.0)
    parser.add_argument("--api", default="",
                        help="instead of latency: these API groups under wrk "
                             "(e.g. healthz,entity,neighbourhood,risk)")
    parser.add_argument("--api-duration", type=int, default=10)
    args = parser.parse_args(argv)
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(args.data_dir)},
                             read_timeout_s=args.read_timeout)
    t = time.perf_counter()
    store = EmbeddedFalkorStore(settings, bench_registry())  # waits for the indexes
    ready_s = round(time.perf_counter() - t, 1)
    limit = int(args.max_gib * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    entry: dict[str, Any] = {
        "engine": "falkordb", "size": args.size, "salvaged_from": str(args.data_dir),
        "indexes_ready_s": ready_s, "max_gib": args.max_gib}
    key = "api" if args.api else "latency"
    try:
        with access.scope(access.FULL):
            samples = sample(store, 1)
            if args.api:
                groups = {k: v for k, v in _api_groups(samples).items()
                          if k in args.api.split(",")}
                env = {"ONDERGRAAF_DATA_DIR": str(args.data_dir),
                       "ONDERGRAAF_HIT_CACHE_SECONDS": "300"}
                entry[key] = measure_api(env, groups, [1, 8, 32], args.api_duration)
            else:
                entry[key] = measure(store, samples, args.repeat, args.budget,
                                     args.kinds.split(","), 1)
    except MemoryError as exc:
        entry[key] = {"error": f"MemoryError: {exc}"}
    finally:
        store.close()
    entry[key]["loadavg"] = loadavg()
    data: dict[str, Any] = (json.loads(args.out.read_text()) if args.out.exists()
                            else {"machine": machine(), "runs": []})
    data["runs"].append(entry)
    args.out.write_text(json.dumps(data, indent=2, default=str))
    print(json.dumps(entry[key], indent=1, default=str)[:3000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
