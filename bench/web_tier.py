"""The web tier under load: one waitress process against gunicorn with N workers.

``python -m bench.web_tier DATA_DIR SIZE OUT.json [--configs waitress:8,gunicorn:1x8,...]
[--levels 1,8,32,128] [--duration 10] [--groups entity,neighbourhood,risk,search]``

Runs ``ondergraaf serve`` on a loaded data folder of the embedded engine (the engine is
started once by this process, so every configuration attaches to the same warm engine) in
each configuration in turn, and drives every endpoint group at every concurrency level with
:func:`bench.api.drive` (``wrk``, or :mod:`bench.loadgen`) with the token of a RIEC
liaison for a RIEC case (every source, persons by uid; only the sampled URLs that answer
200 are driven). Appends one ``web_tier`` entry to ``OUT.json`` with the machine, the
load (``uptime``) before and after each configuration and the figures; nothing is asserted.
A configuration is ``waitress:THREADS`` or ``gunicorn:WORKERSxTHREADS``.
``python -m bench.web_tier --report OUT.json ...`` prints the tables of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from graph_service.config import load_settings
from graph_service.store import access
from graph_service.store.falkordb_store import EmbeddedFalkorStore

from .__main__ import _api_groups
from .api import measure_api
from .common import bench_registry, machine
from .latency import sample


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def _cli(env: dict[str, str], *args: str) -> str:
    command = "from graph_service.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", command, *args], capture_output=True,
                          text=True, timeout=120, check=False,
                          env={**os.environ, **env})
    if done.returncode != 0:
        raise RuntimeError(f"ondergraaf {' '.join(args)}: {done.stderr[-500:]}")
    return done.stdout


def _token(env: dict[str, str]) -> dict[str, str]:
    """A RIEC liaison's token for a RIEC case: the purpose that sees persons by their uid
    (``analyse`` shows them pseudonymised, so a person's own uid answers 404 there)."""
    if "bench-riec" not in _cli(env, "users", "list"):
        _cli(env, "users", "add", "bench-riec", "--role", "riec_liaison", "--no-password")
    token = _cli(env, "users", "token", "bench-riec", "--name",
                 f"bench-{int(time.time())}").strip().splitlines()[0]
    return {"Authorization": f"Bearer {token}", "X-Ondergraaf-Purpose": "riec_casus",
            "X-Ondergraaf-Reference": "BENCH-2026-1"}


def _config(text: str) -> dict[str, Any]:
    server, _, shape = text.partition(":")
    if server == "waitress":
        return {"name": text, "workers": None, "threads": int(shape or 8)}
    if server == "gunicorn":
        workers, _, threads = shape.partition("x")
        return {"name": text, "workers": int(workers), "threads": int(threads or 8)}
    raise SystemExit(f"unknown configuration {text!r}")


def report(path: Path) -> str:
    """The web tier entries of a result file as Markdown tables (docs/benchmarks.md)."""
    data = json.loads(path.read_text())
    out = []
    for run in data["runs"]:
        entry = run.get("web_tier")
        if not entry:
            continue
        out.append(f"{entry['size']:,} entities, {entry['date']}\n")
        out.append("| server | endpoint | clients | req/s | p50 ms | p99 ms | errors |")
        out.append("|---|---|---|---|---|---|---|")
        for name, config in entry["configs"].items():
            for group, result in config["groups"].items():
                for level, r in result.get("by_level", {}).items():
                    out.append(f"| {name} | {group} | {level} | {r.get('rps', 0):.0f} | "
                               f"{r.get('p50_ms', float('nan')):.0f} | "
                               f"{r.get('p99_ms', float('nan')):.0f} | {r.get('errors')} |")
        out.append("")
        for name, config in entry["configs"].items():
            out.append(f"- {name}: {config['uptime_before']} / after: "
                       f"{config['uptime_after'].split('load average: ')[-1]}; server RSS "
                       f"{config.get('server_peak_rss_mib')} MiB")
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] == ["--report"]:
        for name in sys.argv[2:]:
            print(report(Path(name)))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.web_tier")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("size", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--configs", default="waitress:8,gunicorn:1x8,gunicorn:2x8,gunicorn:4x4")
    parser.add_argument("--levels", default="1,8,32,128")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--groups", default="entity,neighbourhood,risk,search")
    args = parser.parse_args(argv)
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(args.data_dir)})
    # the engine stays up (and warm) across the configurations: this process owns it
    owner = EmbeddedFalkorStore(settings, bench_registry())
    entry: dict[str, Any] = {"engine": "falkordb", "size": args.size,
                             "date": dt.date.today().isoformat(),
                             "data_dir": str(args.data_dir), "configs": {}}
    try:
        with access.scope(access.FULL):
            samples = sample(owner, 1)
        groups = {k: v for k, v in _api_groups(samples).items() if k in args.groups.split(",")}
        env = {"ONDERGRAAF_DATA_DIR": str(args.data_dir),
               "ONDERGRAAF_HIT_CACHE_SECONDS": "300"}
        levels = [int(x) for x in args.levels.split(",")]
        headers = _token(env)
        for text in args.configs.split(","):
            config = _config(text)
            before = _uptime()
            t0 = time.monotonic()
            result = measure_api(env, groups, levels, args.duration, headers,
                                 threads=config["threads"], workers=config["workers"])
            result.update(config, uptime_before=before, uptime_after=_uptime(),
                          seconds=round(time.monotonic() - t0, 1))
            entry["configs"][text] = result
            print(json.dumps({text: {g: {lv: (r.get("rps"), r.get("p99_ms"), r.get("errors"))
                                          for lv, r in v.get("by_level", {}).items()}
                                     for g, v in result["groups"].items()}}), flush=True)
    finally:
        owner.close()
    data: dict[str, Any] = (json.loads(args.out.read_text()) if args.out.exists()
                            else {"machine": machine(), "runs": []})
    data["runs"].append({"web_tier": entry})
    args.out.write_text(json.dumps(data, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
