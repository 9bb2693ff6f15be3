"""Loading as a user does it: the five ``ondergraaf load`` commands, each its own process.

``python -m bench.userload [--sizes 10000,100000] [--engines falkordb,neo4j] [--out FILE]``;
``python -m bench.userload --report FILE...`` prints the tables of docs/benchmarks.md.

Per engine and size, in a fresh engine (embedded: a new data folder that every command
starts its own server in, as the README's commands do; Neo4j: ``scripts/neo4j start --dir
<tmp> --fresh``):

1. ``cli``: for each source in the README's order, ``ondergraaf health`` (its wall time is
   the start-up a command pays in this data folder; the embedded engine also reports how
   its server came up) and then ``ondergraaf load SOURCE FILE --json`` (wall time with
   start-up, peak RSS of the command's own process, polled from ``/proc``); then
   ``ondergraaf stats --json``.
2. ``ceiling``: in a fresh engine, in this process, the loader's own statements on the
   same rows: each file checked and its batches prepared (address resolution, merged
   rows, the merges' parameter text: ``Store.ready_rows``) untimed, then only the store's
   writes timed (``Store._write``: the engine's work and the round trip, and the parameter
   text of the other writes; one batch at a time, no pipeline). Rows over the
   summed write time is the engine's batched ``UNWIND ... MERGE`` rate for these
   statements: what a loader without any Python work could reach.
3. ``naive``: the naive loader (:mod:`bench.load`, one MERGE per record and transaction)
   on the ``--naive-size`` data set (default 10k) in a fresh engine: it only slows down as
   the graph grows, so its rate there is an upper bound on its rate at the larger sizes.

The load average is recorded with every step. The JSON result is rewritten after every
step, so a long (1M) run in the background keeps what it measured. Not a test: nothing here
is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from graph_service.config import load_settings
from graph_service.store import Store, access
from graph_service.store.falkordb_store import EmbeddedFalkorStore
from loaders import spec_for
from loaders.base import LoadReport, check_file
from loaders.writer import commit, prepare

from .common import BENCH, ROOT, SOURCE_ORDER, TODAY, bench_registry, loadavg, machine
from .data import dataset, row_counts

__all__ = ["main", "cli_run", "ceiling", "write_file"]


def _csv(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def _vm_hwm_kib(pid: int) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def _command(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run ``ondergraaf ARGS``: wall seconds, exit code, stdout, peak RSS of its process."""
    exe = Path(sys.executable).with_name("ondergraaf")
    # files, not pipes: a command may write more than a pipe holds (driver notices)
    with tempfile.TemporaryFile("w+") as out_fh, tempfile.TemporaryFile("w+") as err_fh:
        started = time.perf_counter()
        proc = subprocess.Popen([str(exe), *args], env=env, stdout=out_fh, stderr=err_fh,
                                text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _vm_hwm_kib(proc.pid) or 0)
            time.sleep(0.1)
        wall = time.perf_counter() - started
        out_fh.seek(0)
        err_fh.seek(0)
        out, err = out_fh.read(), err_fh.read()
    if proc.returncode != 0:
        raise RuntimeError(f"ondergraaf {' '.join(args)} failed ({proc.returncode}):\n"
                           f"{err[-3000:]}")
    return {"wall_s": round(wall, 2), "peak_rss_mib": round(peak / 1024, 1), "stdout": out}


@contextlib.contextmanager
def _fresh(engine: str, neo4j_heap: str, neo4j_pagecache: str
           ) -> Iterator[tuple[dict[str, str], Path, dict[str, Any]]]:
    """A fresh engine: the environment a command needs, its data folder, engine facts."""
    with tempfile.TemporaryDirectory(prefix=f"ondergraaf-userload-{engine}-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ONDERGRAAF_")}
        env |= {"ONDERGRAAF_DATA_DIR": str(data), "ONDERGRAAF_FALKORDB_FSYNC": "always"}
        if engine == "falkordb":
            yield env, data, {"fsync": "always"}
            return
        from .common import _neo4j

        neo = _neo4j(Path(tmp) / "neo4j", neo4j_heap, neo4j_pagecache)
        try:
            yield env | neo.env, data, neo.info
        finally:
            neo.stop()


def cli_run(engine: str, folder: Path, args: argparse.Namespace, save: Any,
            result: dict[str, Any]) -> dict[str, Any]:
    """The five load commands and stats, as separate processes, in a fresh engine; each
    command goes into ``result`` (saved by ``save``) as soon as it is done."""
    result["commands"] = []
    with _fresh(engine, args.neo4j_heap, args.neo4j_pagecache) as (env, _, info):
        result["engine_info"] = info
        rows_total = 0
        load_s = 0.0
        for source in SOURCE_ORDER:
            health = _command(["health"], env)
            facts = json.loads(health.pop("stdout"))
            load = _command(["load", source, str(folder / f"{source}.csv"), "--json"], env)
            summary = json.loads(load.pop("stdout"))
            rows = int(summary["rows_read"])
            rows_total += rows
            load_s += load["wall_s"]
            step = {
                "command": f"load {source}", "rows": rows, **load,
                "startup_s": health["wall_s"],
                "server_start_s": (facts.get("startup") or {}).get("seconds"),
                "replayed_bytes": (facts.get("startup") or {}).get("replayed_bytes"),
                "rows_per_s": round(rows / load["wall_s"]),
                "rows_per_s_after_startup": round(
                    rows / max(0.01, load["wall_s"] - health["wall_s"])),
                # the loading alone: without the start-up and the hit refresh after it
                "rows_per_s_loading": round(rows / max(0.01, load["wall_s"] - health["wall_s"]
                                            - ((summary.get("hits_refresh") or {})
                                               .get("seconds") or 0))),
                "look_alike_pairs": summary.get("match_candidates"),
                "hits_refresh_s": (summary.get("hits_refresh") or {}).get("seconds"),
                # per indicator: seconds, and "alle" or how many entities were recomputed
                "hits_refresh_timings": (summary.get("hits_refresh") or {}).get("timings"),
                "hits_refresh_recomputed": (summary.get("hits_refresh") or {}).get("recomputed"),
                "loadavg": loadavg(),
            }
            result["commands"].append(step)
            print(f"  {engine} load {source}: {rows} rows, {load['wall_s']} s "
                  f"(start-up {health['wall_s']} s), {step['rows_per_s']} rows/s, "
                  f"load {step['loadavg'][0]}", file=sys.stderr, flush=True)
            save()
        stats = _command(["stats", "--json"], env)
        counts = json.loads(stats.pop("stdout"))
        result["stats"] = {**stats, "nodes": sum(counts["nodes"].values()),
                           "relationships": sum(counts["relationships"].values()),
                           "loadavg": loadavg()}
        result["rows"] = rows_total
        result["load_s"] = round(load_s, 2)
        result["rows_per_s"] = round(rows_total / load_s)
        result["peak_rss_mib"] = max(c["peak_rss_mib"] for c in result["commands"])
    return result


def _open(engine: str, env: dict[str, str]) -> Store:
    settings = load_settings(env={k: v for k, v in env.items() if k.startswith("ONDERGRAAF_")})
    if engine == "neo4j":
        from graph_service.store.neo4j_store import Neo4jStore

        return Neo4jStore(settings, bench_registry())
    return EmbeddedFalkorStore(settings, bench_registry())


def write_file(store: Store, folder: Path, source: str, run: str | None = None) -> int:
    """Check, prepare and write ``source``'s generated file into ``store`` as the loader
    does, in this process (no hit refresh, no load record); the rows read."""
    spec = spec_for(source)
    report = LoadReport(source)
    checked = check_file(spec, folder / f"{source}.csv", TODAY, store.batch_size, False,
                         report)
    try:
        for batch in checked.spill.batches():
            commit(store, prepare(store, batch, run=run), report, spec)
    finally:
        checked.spill.close()
    return checked.rows


def ceiling(engine: str, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The loader's statements on the same rows, prepared untimed, only the writes timed:
    every write statement (``Store._write``) and every batch part the store sends as one
    (``Store.write_together``: on the embedded engine a bulk insert of the new facts and
    the merges in one pipeline), each timed once (a write inside a timed one is not timed
    again)."""
    with _fresh(engine, args.neo4j_heap, args.neo4j_pagecache) as (env, _, _info), \
            access.scope(access.FULL):
        store = _open(engine, env)
        try:
            store.setup_schema()
            spent = [0.0]
            writes = [0]
            depth = [0]
            engine_write = store._write
            engine_together = store.write_together
            sends_together = type(store).write_together is not Store.write_together

            def timed(run: Callable[[], Any]) -> Any:
                t = time.perf_counter()
                depth[0] += 1
                try:
                    return run()
                finally:
                    depth[0] -= 1
                    if depth[0] == 0:
                        spent[0] += time.perf_counter() - t

            def timed_write(stmt: Any, params: dict[str, Any], rendered: Any = None) -> Any:
                writes[0] += 1
                return timed(partial(engine_write, stmt, params, rendered))

            def timed_together(new: list[Any], merges: list[Any]) -> Any:
                if sends_together:  # one bulk insert (when any is encoded) and the merges
                    writes[0] += any(r.encoded is not None for r in new) + len(merges)
                return timed(partial(engine_together, new, merges))

            store._write = timed_write  # type: ignore[method-assign]
            store.write_together = timed_together  # type: ignore[method-assign]
            per_source: dict[str, Any] = {}
            rows_total = 0
            started = time.perf_counter()
            for source in SOURCE_ORDER:
                before, n_before = spent[0], writes[0]
                rows = write_file(store, folder, source)
                rows_total += rows
                s = spent[0] - before
                per_source[source] = {"rows": rows, "write_s": round(s, 2),
                                      "statements": writes[0] - n_before,
                                      "rows_per_s": round(rows / max(s, 1e-9))}
            return {"rows": rows_total, "write_s": round(spent[0], 2),
                    "statements": writes[0],
                    "rows_per_s": round(rows_total / spent[0]),
                    "wall_s": round(time.perf_counter() - started, 1),
                    "per_source": per_source, "loadavg": loadavg()}
        finally:
            store.close()


def naive(engine: str, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The naive loader (bench.load) in a child process, in a fresh engine."""
    with _fresh(engine, args.neo4j_heap, args.neo4j_pagecache) as (env, data, _info):
        out = data.parent / "naive.json"
        cmd = [sys.executable, "-m", "bench.load", "--mode", "naive", "--input", str(folder),
               "--out", str(out)]
        owner = None
        if engine == "falkordb":  # one server for the child process to attach to
            owner = _open(engine, env)
        try:
            subprocess.run(cmd, env=env | {"PYTHONPATH": str(BENCH.parent)}, check=True)
        finally:
            if owner is not None:
                owner.close()
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        result.pop("per_source", None)
        return result


def _n(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def report(paths: list[Path]) -> str:
    """Markdown tables of result files (``python -m bench.userload --report FILE...``)."""
    runs = [r for p in paths for r in json.loads(p.read_text(encoding="utf-8"))["runs"]]
    naive_rate = {r["engine"]: r["naive"]["rows_per_s"] for r in runs
                  if isinstance(r.get("naive"), dict) and r["naive"].get("rows_per_s")}
    lines = ["| engine | size | command | rows | start-up s | hit refresh s | s | rows/s "
             "(command) | rows/s (loading) | peak RSS MiB | load avg |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    totals = ["| engine | size | rows | s (5 loads) | rows/s (commands) | rows/s (loading) "
              "| stats s | ceiling rows/s | loading / ceiling | naive rows/s | x naive "
              "(loading) | peak RSS MiB |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        cli = r.get("cli") or {}
        commands = cli.get("commands") or []
        for c in commands:
            lines.append(f"| {r['engine']} | {r['size']:,} | {c['command']} | {c['rows']:,} | "
                         f"{c['startup_s']:.1f} | {c.get('hits_refresh_s') or 0:.1f} | "
                         f"{c['wall_s']:.1f} | {_n(c['rows_per_s'])} | "
                         f"{_n(c['rows_per_s_loading'])} | {c['peak_rss_mib']:.0f} | "
                         f"{c['loadavg'][0]:.1f} |")
        if len(commands) < len(SOURCE_ORDER):
            continue
        rows = sum(c["rows"] for c in commands)
        wall = sum(c["wall_s"] for c in commands)
        loading = sum(c["wall_s"] - c["startup_s"] - (c.get("hits_refresh_s") or 0)
                      for c in commands)
        ceiling_rate = (r.get("ceiling") or {}).get("rows_per_s")
        naive = naive_rate.get(r["engine"])
        stats = (cli.get("stats") or {}).get("wall_s")
        totals.append(
            f"| {r['engine']} | {r['size']:,} | {rows:,} | {wall:.0f} | {_n(rows / wall)} | "
            f"{_n(rows / loading)} | {stats if stats is not None else '–'} | "
            f"{_n(ceiling_rate)} | "
            f"{f'{rows / loading / ceiling_rate:.0%}' if ceiling_rate else '–'} | "
            f"{_n(naive)} | {f'{rows / loading / naive:.1f}' if naive else '–'} | "
            f"{max(c['peak_rss_mib'] for c in commands):.0f} |")
    return "\n".join(totals) + "\n\n" + "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["--report"]:
        print(report([Path(p) for p in argv[1:]]), end="")
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.userload",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=lambda t: [int(x) for x in _csv(t)],
                        default=[10_000, 100_000])
    parser.add_argument("--engines", type=_csv, default=["falkordb", "neo4j"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--naive-size", type=int, default=10_000,
                        help="data set of the naive loader (0: skip it)")
    parser.add_argument("--skip", type=_csv, default=[], help="steps: cli, ceiling, naive")
    parser.add_argument("--neo4j-heap", default="2g")
    parser.add_argument("--neo4j-pagecache", default="1g")
    parser.add_argument("--out", type=Path, default=BENCH / "results" /
                        f"{dt.date.today().isoformat()}-userload.json")
    args = parser.parse_args(argv)
    data: dict[str, Any] = {"kind": "userload", "machine": machine(),
                            "args": {k: str(v) for k, v in vars(args).items()}, "runs": []}

    def save() -> None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(data, indent=2), encoding="utf-8")

    save()
    for engine in args.engines:
        for size in args.sizes:
            folder = dataset(size, args.seed)
            entry: dict[str, Any] = {"engine": engine, "size": size,
                                     "input_rows": row_counts(folder)}
            data["runs"].append(entry)
            steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
                ("cli", partial(cli_run, engine, folder, args, save,
                                entry.setdefault("cli", {}))),
                ("ceiling", partial(ceiling, engine, folder, args))]
            if args.naive_size:
                steps.append(("naive", partial(naive, engine,
                                               dataset(args.naive_size, args.seed), args)))
            for name, step in steps:
                if name in args.skip:
                    continue
                if name == "naive" and any(r.get("naive") for r in data["runs"]
                                           if r["engine"] == engine):
                    continue  # once per engine: the rate at the naive size
                print(f"[{time.strftime('%H:%M:%S')}] {engine} {size}: {name} "
                      f"(load {loadavg()[0]})", file=sys.stderr, flush=True)
                try:
                    entry[name] = step()
                except Exception as exc:  # recorded; the run goes on
                    entry[name] = {"error": f"{type(exc).__name__}: {exc}"[:3000]}
                save()
            cli = entry.get("cli", {})
            if cli.get("rows_per_s") and entry.get("ceiling", {}).get("rows_per_s"):
                entry["share_of_ceiling"] = round(cli["rows_per_s"]
                                                  / entry["ceiling"]["rows_per_s"], 2)
            save()
    data["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    data["git"] = machine()["git"]
    save()
    print(f"results: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
