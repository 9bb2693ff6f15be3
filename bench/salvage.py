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

from graph_service import access
from graph_service.config import load_settings

from .common import _TimedFalkorStore, bench_registry, loadavg, machine
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
    args = parser.parse_args(argv)
    store = _TimedFalkorStore(load_settings(env={"ONDERGRAAF_DATA_DIR": str(args.data_dir)}),
                              bench_registry())
    store.read_timeout_s = args.read_timeout
    t = time.perf_counter()
    while any(r[7] != "OPERATIONAL" for r in store.graph.query("CALL db.indexes()").result_set):
        time.sleep(1)
    ready_s = round(time.perf_counter() - t, 1)
    limit = int(args.max_gib * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    entry = {"engine": "falkordb", "size": args.size, "salvaged_from": str(args.data_dir),
             "indexes_ready_s": ready_s, "max_gib": args.max_gib}
    try:
        with access.scope(access.FULL):
            samples = sample(store, 1)
            entry["latency"] = measure(store, samples, args.repeat, args.budget,
                                       args.kinds.split(","), 1)
    except MemoryError as exc:
        entry["latency"] = {"error": f"MemoryError: {exc}"}
    finally:
        store.close()
    entry["latency"]["loadavg"] = loadavg()
    data = json.loads(args.out.read_text()) if args.out.exists() else {"machine": machine(),
                                                                       "runs": []}
    data["runs"].append(entry)
    args.out.write_text(json.dumps(data, indent=2, default=str))
    print(json.dumps(entry["latency"], indent=1, default=str)[:3000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
