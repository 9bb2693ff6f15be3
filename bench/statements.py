"""Where the engine's time goes in the writing pass, statement by statement.

``python -m bench.statements [--size 100000] [--seed 1] [--engine falkordb|neo4j] [--out FILE]``.

The five generated files are checked and written in the README's order into a fresh
engine, in this process, as the loader writes them (``bench.userload.write_file``: each
batch prepared, then committed; no pipeline, no hit refresh), and every read and write
the store sends is timed by statement name (``Store._read``, ``Store._write``: the
engine's work and the round trip): ``engine_s`` and ``statements``. ``wall_s`` is the whole
pass, the loader's own Python between the statements included. Use it to see what a
change of the writing pass does to the engine: the reads a change adds count as much as
the writes it saves.

The load average is recorded. Not a test: nothing here is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from .common import BENCH, SOURCE_ORDER, fresh_store, loadavg, machine
from .data import dataset, row_counts
from .userload import write_file

__all__ = ["main", "measure"]


def measure(folder: Path, engine_name: str) -> dict[str, Any]:
    """The engine's time per statement name while the five files of ``folder`` are
    written into a fresh ``engine_name``."""
    spent: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    by_source: dict[str, float] = {}
    with fresh_store(engine_name) as store:
        def timing(send: Any) -> Any:
            def timed(stmt: Any, *args: Any) -> Any:
                began = time.perf_counter()
                try:
                    return send(stmt, *args)
                finally:
                    spent[stmt.name] += time.perf_counter() - began
                    calls[stmt.name] += 1
            return timed

        store._read = timing(store._read)  # type: ignore[method-assign]
        store._write = timing(store._write)  # type: ignore[method-assign]
        began = time.perf_counter()
        for source in SOURCE_ORDER:
            start = time.perf_counter()
            write_file(store, folder, source, run=f"bench-{source}")
            by_source[source] = round(time.perf_counter() - start, 2)
        wall = time.perf_counter() - began
    statements = {name: {"s": round(s, 2), "calls": calls[name]}
                  for name, s in sorted(spent.items(), key=lambda kv: -kv[1])}
    return {"engine": engine_name, "wall_s": round(wall, 1),
            "engine_s": round(sum(spent.values()), 2),
            "reads_s": round(sum(s for n, s in spent.items() if n.startswith("read/")), 2),
            "writes_s": round(sum(s for n, s in spent.items() if not n.startswith("read/")), 2),
            "by_source_s": by_source, "statements": statements, "loadavg": loadavg()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.statements",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engine", choices=("falkordb", "neo4j"), default="falkordb")
    parser.add_argument("--out", type=Path, default=BENCH / "results" /
                        f"{dt.date.today().isoformat()}-statements.json")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    folder = dataset(args.size, args.seed)
    result = measure(folder, args.engine)
    data = {"kind": "statements", "machine": machine(), "size": args.size,
            "seed": args.seed, "input_rows": row_counts(folder), **result}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=2), encoding="utf-8")
    print(f"{args.engine} {args.size}: {result['wall_s']} s in all, engine "
          f"{result['engine_s']} s (writes {result['writes_s']}, reads {result['reads_s']})")
    for name, got in list(result["statements"].items())[:12]:
        print(f"  {name}: {got['s']} s, {got['calls']} calls")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
