"""Markdown tables from benchmark result files: ``python -m bench.report FILE...``.

Several files (repeated runs) are merged: every figure is the median over the runs that
measured it for that engine and size, and the table says how many runs that was.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

__all__ = ["tables", "main"]

Entry = dict[str, Any]


def _get(entry: Entry, path: str) -> Any:
    value: Any = entry
    for part in path.split("."):
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return None
    return value


def _median(entries: Iterable[Entry], path: str) -> float | None:
    values = [v for e in entries if isinstance(v := _get(e, path), int | float)]
    return statistics.median(values) if values else None


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    if digits == 0:
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:,.{digits}f}".replace(",", " ")


def _group(files: Iterable[Path]) -> dict[tuple[str, int], list[Entry]]:
    groups: dict[tuple[str, int], list[Entry]] = defaultdict(list)
    for f in files:
        data = json.loads(Path(f).read_text(encoding="utf-8"))
        for entry in data.get("runs", []):
            groups[(entry["engine"], int(entry["size"]))].append(entry)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])))


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def tables(files: Iterable[Path]) -> str:
    groups = _group(files)
    out: list[str] = []

    def rows(fn: Callable[[str, int, list[Entry]], list[str] | None]) -> list[list[str]]:
        found = []
        for (engine, size), entries in groups.items():
            row = fn(engine, size, entries)
            if row is not None:
                found.append(row)
        return found

    def load_row(engine: str, size: int, es: list[Entry]) -> list[str] | None:
        done = [e for e in es if isinstance(e.get("load"), dict) and "rows" in e["load"]]
        if not done:
            return None
        return [engine, _fmt(size), str(len(done)), _fmt(_median(done, "load.rows")),
                _fmt(_median(done, "load.relationships")), _fmt(_median(done, "load.seconds"), 1),
                _fmt(_median(done, "load.rows_per_s")),
                _fmt(_median(done, "load.relationships_per_s")),
                _fmt(_median(done, "naive.rows_per_s"), 1),
                _fmt(_median(done, "speedup_vs_naive"), 1),
                _fmt(_median(done, "load.peak_rss_mib")),
                _fmt(_median(done, "load.server_peak_rss_mib")),
                _fmt(_median(done, "load.loadavg_before.0"), 1)]

    out.append("### Load\n\n" + _table(
        ["engine", "size", "runs", "rows", "relationships", "s", "rows/s", "rels/s",
         "naive rows/s", "x naive", "loader RSS MiB", "server RSS MiB", "load avg"],
        rows(load_row)))

    kinds = ("search", "neighbourhood", "paths", "risk", "indicator", "screening")

    def lat_row(engine: str, size: int, es: list[Entry]) -> list[str] | None:
        done = [e for e in es if isinstance(e.get("latency"), dict)
                and "neighbourhood" in e["latency"]]
        if not done:
            return None
        cells = [engine, _fmt(size), str(len(done))]
        for k in kinds:
            cells.append(" / ".join(_fmt(_median(done, f"latency.{k}.{p}"), 1)
                                    for p in ("p50", "p95", "p99")))
        cells.append(_fmt(_median(done, "latency.loadavg.0"), 1))
        return cells

    out.append("### Query latency, ms (p50 / p95 / p99)\n\n" + _table(
        ["engine", "size", "runs", *kinds, "load avg"], rows(lat_row)))

    def nx_row(engine: str, size: int, es: list[Entry]) -> list[str] | None:
        done = [e for e in es if isinstance(e.get("networkx"), dict) and "bfs_ms" in e["networkx"]]
        if not done:
            return None
        return [_fmt(size), _fmt(_median(done, "networkx.nodes")),
                _fmt(_median(done, "networkx.edges")), _fmt(_median(done, "networkx.build_s"), 1),
                " / ".join(_fmt(_median(done, f"networkx.ego_graph_ms.{p}"), 3)
                           for p in ("p50", "p95")),
                " / ".join(_fmt(_median(done, f"networkx.bfs_ms.{p}"), 3)
                           for p in ("p50", "p95"))]

    out.append("### networkx in memory, 2-hop neighbourhood\n\n" + _table(
        ["size", "nodes", "edges", "build s", "ego_graph p50 / p95 ms",
         "BFS p50 / p95 ms"], rows(nx_row)))

    def page_row(engine: str, size: int, es: list[Entry]) -> list[str] | None:
        done = [e for e in es if isinstance(e.get("page"), dict) and "render_ms" in e["page"]]
        if not done:
            return None
        return [engine, _fmt(size), str(done[0]["page"].get("uid")),
                _fmt(_median(done, "page.nodes")),
                _fmt(_median(done, "page.query_ms.p50"), 1),
                _fmt(_median(done, "page.render_ms.p50"), 1)]

    out.append("### Graph page (pyvis) of the biggest supernode\n\n" + _table(
        ["engine", "size", "node", "nodes shown", "query p50 ms", "render p50 ms"],
        rows(page_row)))

    def api_rows() -> list[list[str]]:
        found = []
        for (engine, size), es in groups.items():
            done = [e for e in es if isinstance(e.get("api"), dict) and "groups" in e["api"]]
            if not done:
                continue
            names = sorted({g for e in done for g in e["api"]["groups"]})
            for name in names:
                for level in ("1", "8", "32"):
                    base = f"api.groups.{name}.by_level.{level}"
                    if _median(done, f"{base}.rps") is None:
                        continue
                    found.append([engine, _fmt(size), name, level,
                                  _fmt(_median(done, f"{base}.rps")),
                                  _fmt(_median(done, f"{base}.p50_ms"), 1),
                                  _fmt(_median(done, f"{base}.p99_ms"), 1),
                                  _fmt(_median(done, f"{base}.errors"))])
        return found

    out.append("### API under load (waitress, 8 threads)\n\n" + _table(
        ["engine", "size", "endpoint", "clients", "req/s", "p50 ms", "p99 ms", "errors"],
        api_rows()))
    return "\n\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    files = [Path(a) for a in (argv if argv is not None else sys.argv[1:])]
    if not files:
        print("usage: python -m bench.report RESULT.json...", file=sys.stderr)
        return 2
    print(tables(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
