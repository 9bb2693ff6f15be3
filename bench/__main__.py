"""``python -m bench``: load throughput, query latency, API load and memory on both engines.

Usage::

    python -m bench [--sizes 10000,100000,1000000] [--engines falkordb,neo4j] [--repeat 3]
                    [--out bench/results/<date>.json] [--skip api,networkx,...]

For every engine and size, in a fresh engine (embedded FalkorDB in a temporary data folder;
Neo4j by ``scripts/neo4j start --dir <tmp> --fresh`` with a 2 GB heap and 1 GB page cache,
stopped afterwards):

1. ``naive`` (first size of each engine only): the naive loader (:mod:`bench.load`) on the
   ``--naive-size`` data set (default the 10k set: 6,086 rows), then the graph is emptied;
2. ``load``: the real loaders on the data set of this size, in a child process (its peak
   RSS is the loader's), plus the engine server's peak RSS after the load;
   ``hits``: a full refresh of the stored indicator hits, as ``ondergraaf load`` does after
   a load (:mod:`graph_service.risk.stored`; ``--skip hits`` measures the reads live);
3. ``latency``: warm p50/p95/p99 of search, neighbourhood, paths, risk, indicator hits and
   screening (:mod:`bench.latency`) on seeded samples;
4. ``networkx``: the same 2-hop neighbourhoods in networkx in memory (first engine only;
   the graph is the same);
5. ``page``: pyvis page generation for the biggest supernode (:mod:`bench.pages`);
6. ``api``: ``ondergraaf serve`` under wrk at 1, 8 and 32 clients (embedded engine only).

Input files are generated once per size and seed under ``bench/data/``. The result JSON is
rewritten after every step, so an interrupted run keeps what it measured. Not a test: no
figure here is asserted anywhere; ``python -m bench.report`` turns result files into the
tables of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from graph_service.risk import stored
from graph_service.store import access

from .api import measure_api, url
from .common import BENCH, TODAY, Engine, loadavg, machine, peak_rss_kib, start_engine
from .data import dataset, row_counts
from .inmemory import measure_networkx
from .latency import KINDS, measure, sample
from .pages import measure_page

PHASES = ("naive", "load", "hits", "latency", "networkx", "page", "api")


def _csv_ints(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def _csv(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def _child_load(engine: Engine, mode: str, folder: Path, batch_size: int | None,
                no_candidates: bool = False) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    cmd = [sys.executable, "-m", "bench.load", "--mode", mode, "--input", str(folder),
           "--out", str(out)]
    if batch_size:
        cmd += ["--batch-size", str(batch_size)]
    if no_candidates:
        cmd.append("--no-candidates")
    env = {**os.environ, **engine.env, "PYTHONPATH": str(BENCH.parent)}
    try:
        subprocess.run(cmd, env=env, check=True)
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)
    result["server_peak_rss_mib"] = round((peak_rss_kib(engine.server_pid()) or 0) / 1024, 1)
    return result


def _api_groups(samples: Any) -> dict[str, list[str]]:
    roots = [u for trio in zip(samples.uids["Person"], samples.uids["Organisation"],
                               samples.uids["Address"], strict=False) for u in trio][:30]
    risky = samples.uids["Organisation"][:10] + samples.uids["Person"][:10]
    return {
        "healthz": ["/healthz"],
        "search": [url("/api/search", q=q) for q in samples.searches[:20]],
        "entity": [url(f"/api/entities/{u}") for u in roots],
        "neighbourhood": [url(f"/api/entities/{u}/neighbourhood", depth=2) for u in roots],
        "risk": [url(f"/api/entities/{u}/risk", as_of="2026-11-27") for u in risky],
    }


class Run:
    """The result file: machine facts, arguments and one entry per (engine, size)."""

    def __init__(self, path: Path, args: argparse.Namespace) -> None:
        self.path = path
        self.data: dict[str, Any] = {"machine": machine(), "args": vars(args) | {
            "out": str(args.out)}, "runs": []}

    def entry(self, engine: str, size: int) -> dict[str, Any]:
        e: dict[str, Any] = {"engine": engine, "size": size}
        self.data["runs"].append(e)
        return e

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.data, indent=2, default=str), encoding="utf-8")


def _step(entry: dict[str, Any], name: str, run: Run, fn: Any) -> Any:
    print(f"[{time.strftime('%H:%M:%S')}] {entry['engine']} {entry['size']}: {name} "
          f"(load {loadavg()[0]})", file=sys.stderr, flush=True)
    t = time.perf_counter()
    try:
        value = fn()
    except Exception as exc:  # a failed phase is recorded, the run goes on
        entry[name] = {"error": f"{type(exc).__name__}: {exc}",
                       "trace": traceback.format_exc()[-3000:]}
        print(f"  {name} failed: {exc}", file=sys.stderr, flush=True)
        run.save()
        return None
    if isinstance(value, dict):
        value.setdefault("wall_s", round(time.perf_counter() - t, 1))
        value.setdefault("loadavg", loadavg())
    entry[name] = value
    run.save()
    return value


def bench_engine(run: Run, engine_name: str, args: argparse.Namespace, first_engine: bool
                 ) -> None:
    for i, size in enumerate(args.sizes):
        bench_size(run, engine_name, size, args, first_engine, first_size=i == 0)


def bench_size(run: Run, engine_name: str, size: int, args: argparse.Namespace,
               first_engine: bool, first_size: bool) -> None:
    """Every phase for one engine and size, in a fresh engine."""
    folder = dataset(size, args.seed)
    entry = run.entry(engine_name, size)
    entry["input_rows"] = row_counts(folder)
    with start_engine(engine_name, fsync=args.fsync, heap=args.neo4j_heap,
                      pagecache=args.neo4j_pagecache) as engine:
        entry["engine_info"] = engine.info
        if first_size and "naive" not in args.skip and args.naive_size:
            naive_folder = dataset(args.naive_size, args.seed)

            def naive() -> dict[str, Any]:
                result = _child_load(engine, "naive", naive_folder, None)
                result["data_set_size"] = args.naive_size
                with engine.open() as store:
                    store.write("write/delete_all")
                return result

            _step(entry, "naive", run, naive)
        if "load" in args.skip:
            return
        loaded = _step(entry, "load", run, lambda: _child_load(
            engine, "real", folder, args.batch_size, size in args.no_candidates))
        if loaded is None:
            return
        if entry.get("naive", {}).get("rows_per_s"):
            entry["speedup_vs_naive"] = round(
                loaded["rows_per_s"] / entry["naive"]["rows_per_s"], 1)
        with engine.open(args.read_timeout) as store:
            samples = _step(entry, "sample", run, lambda: sample(store, args.seed))
            if samples is None:
                return
            entry["sample"] = {"searches": samples.searches, "supernodes": samples.supernodes}
            if "hits" not in args.skip:  # as `ondergraaf load` does: reads use stored hits
                _step(entry, "hits", run,
                      lambda: stored.refresh(store, as_of=TODAY).to_dict())
            if "latency" not in args.skip:
                _step(entry, "latency", run, lambda: measure(
                    store, samples, args.repeat, args.budget, args.kinds, args.seed))
            if first_engine and "networkx" not in args.skip:
                roots = [u for trio in zip(samples.uids["Person"], samples.uids["Organisation"],
                                           samples.uids["Address"], strict=False)
                         for u in trio][:45]
                _step(entry, "networkx", run,
                      lambda: measure_networkx(store, roots, args.repeat))
            if "page" not in args.skip and samples.supernodes:
                _step(entry, "page", run, lambda: measure_page(
                    store, samples.supernodes[0]["uid"], max(3, args.repeat)))
            if "api" not in args.skip and engine_name == "falkordb":
                _step(entry, "api", run, lambda: measure_api(
                    engine.env | args.api_env, _api_groups(samples), args.api_levels,
                    args.api_duration, args.api_headers))
        entry["server_peak_rss_mib"] = round((peak_rss_kib(engine.server_pid()) or 0) / 1024, 1)
        run.save()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    today = dt.date.today().isoformat()
    parser.add_argument("--sizes", type=_csv_ints, default=[10_000, 100_000])
    parser.add_argument("--engines", type=_csv, default=["falkordb", "neo4j"])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per query kind")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / f"{today}.json")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--naive-size", type=int, default=10_000,
                        help="data set the naive loader runs on (0: skip it)")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="real loader batch size (default ONDERGRAAF_BATCH_SIZE / 1000)")
    parser.add_argument("--no-candidates", type=_csv_ints, default=[],
                        help="sizes whose real load skips the look-alike step (labelled in "
                             "the results): it grows with the square of the name groups")
    parser.add_argument("--fsync", choices=("always", "everysec"), default="always",
                        help="embedded engine AOF fsync policy (the product default: always)")
    parser.add_argument("--neo4j-heap", default="2g")
    parser.add_argument("--neo4j-pagecache", default="1g")
    parser.add_argument("--budget", type=float, default=120.0,
                        help="seconds of timed calls per query kind before stopping early")
    parser.add_argument("--kinds", type=_csv, default=list(KINDS))
    parser.add_argument("--read-timeout", type=float, default=300.0,
                        help="seconds after which the engine cancels one read of the "
                             "latency phase (recorded as a failed call)")
    parser.add_argument("--skip", type=_csv, default=[], help=f"phases to skip: {PHASES}")
    parser.add_argument("--api-levels", type=_csv_ints, default=[1, 8, 32])
    parser.add_argument("--api-duration", type=int, default=15)
    parser.add_argument("--api-token", default=os.environ.get("ONDERGRAAF_BENCH_TOKEN", ""),
                        help="bearer token for the API, when it needs one")
    args = parser.parse_args(argv)
    logging.getLogger("neo4j").setLevel(logging.ERROR)  # no notification flood
    args.api_headers = {"Authorization": f"Bearer {args.api_token}"} if args.api_token else {}
    args.api_env = {"ONDERGRAAF_HIT_CACHE_SECONDS": "300"}
    unknown = set(args.skip) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases {sorted(unknown)}")
    run = Run(args.out, args)
    run.save()
    with access.scope(access.FULL):
        for k, engine_name in enumerate(args.engines):
            bench_engine(run, engine_name, args, first_engine=k == 0)
    run.data["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    run.save()
    print(f"results: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
