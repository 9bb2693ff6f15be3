"""What the loader's merge statements cost the engine, per fact, and what leaner writes would.

``python -m bench.merges [--size 100000] [--seed 1] [--engine falkordb|neo4j] [--out FILE]``.

1. **capture**: the five generated files are checked, prepared and written in the README's
   order into a fresh engine, as the loader does (``bench.userload.write_file``), but
   with the bulk insert of new facts off (``Store.creates_in_bulk``), so every row goes
   through a merge statement; the rows of every merge statement (``write/merge_*``) are
   kept, in order.
2. **replay**, each variant in a fresh engine (``--engine``, the embedded one by default),
   only the merge statements timed. On Neo4j the statements run once untimed first and
   the graph is emptied (``write/bench_delete_entities``): a cold server's first pass
   took 2.5 times a warm one's.

   - ``as-written``: the registry's merge statements. Each batch is split first (untimed,
     ``read/bench_facts_stored`` / ``read/bench_relationships_stored``) into the facts the
     graph does not hold yet and those it holds, and the two parts are timed apart: what
     a new fact costs and what a fact merged again costs.
   - ``facts``: each fact written once, the first time it is met, with its own properties
     only (``bench/merge_variants/``: MERGE on uid or on (start, end, key), ON CREATE
     SET): what the graph itself costs, without provenance.
   - ``facts+lists``: the same with every provenance list of the row set as given.
   - ``facts+text``: the same with the provenance as one JSON text per fact.
   - ``per-source``: every row merged with what is stored, as ``as-written`` (and split
     the same way into new and stored facts), but with the provenance kept per source in
     plain properties (``<source>_first``, ``_last``, ``_grades``, ``_run``, the source's
     own values as ``<source>__<property>``) instead of the ``prov_*`` lists: what a write
     model without list scans would cost (``bench/merge_variants/*_persource.cypher``).

   The three ``facts`` variants merge nothing that is stored already (a later row about a
   stored fact finds it and sets nothing): a lower bound for a write model that keeps its
   per-source bookkeeping out of the per-row statement. The statements of every variant
   but ``as-written`` are the files of ``bench/merge_variants/``, one per kind, with the
   label or type from the model's lists (and, for ``per-source``, the batch's source) put
   in as the registry does for ``cypher/templates/``; they never ship.

The load average is recorded with every step. Not a test: nothing here is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from graph_service.store import Store
from graph_service.store.falkordb_store import EmbeddedFalkorStore, params_header
from graph_service.store.neo4j_store import Neo4jStore
from loaders.writer import NODE_STATEMENT, REL_STATEMENT

from .common import BENCH, SOURCE_ORDER, fresh_store, loadavg, machine
from .data import dataset, row_counts
from .userload import write_file

__all__ = ["main", "capture", "replay"]

VARIANTS = BENCH / "merge_variants"
#: what a row carries besides the fact itself (the templates' provenance fields)
PROVENANCE = ("sources", "source_records", "grades", "purposes", "first_seen", "last_seen",
              "prov_seen", "prov_grades", "prov_props", "prov_values", "prov_run")
# the loader's merge statements, by name: the label or relationship type each merges
_NODE_MERGES = {name: label for label, name in NODE_STATEMENT.items()}
_REL_MERGES = {name: rel_type for rel_type, name in REL_STATEMENT.items()}

Captured = list[tuple[str, str, list[dict[str, Any]]]]  # (source, statement, rows)


def capture(folder: Path) -> Captured:
    """The rows of every merge statement of the five loads, in the order they ran."""
    kept: Captured = []
    with fresh_store("falkordb", indexes=False) as store:
        # every row through the merge statements, as without the bulk insert of new facts
        # (Store.create_new), so that the replay splits them into new and stored itself
        store.creates_in_bulk = False
        engine_write = store._write
        current = [""]

        def keeping(stmt: Any, params: dict[str, Any], rendered: Any = None) -> Any:
            if stmt.name in _NODE_MERGES or stmt.name in _REL_MERGES:
                kept.append((current[0], stmt.name, list(params["rows"])))
            return engine_write(stmt, params, rendered)

        store._write = keeping  # type: ignore[method-assign]
        engine_together = store.write_together

        def together(new: Any, merges: Any) -> Any:  # the loader's writer sends these
            for merge in merges:
                if merge.stmt.name in _NODE_MERGES or merge.stmt.name in _REL_MERGES:
                    kept.append((current[0], merge.stmt.name, list(merge.rows)))
            return engine_together(new, merges)

        store.write_together = together  # type: ignore[method-assign]
        for source in SOURCE_ORDER:
            current[0] = source
            write_file(store, folder, source, run=f"bench-{source}")
    return kept


def _variant_text(kind: str, name: str, source: str = "") -> str:
    """The variant statement for the merge ``name``: its file, with the model's label or
    relationship type (and the batch's source) put in."""
    if name in _NODE_MERGES:
        text = (VARIANTS / f"node_{kind}.cypher").read_text(encoding="utf-8")
        text = text.replace("{{label}}", _NODE_MERGES[name])
    else:
        text = (VARIANTS / f"relationship_{kind}.cypher").read_text(encoding="utf-8")
        text = text.replace("{{type}}", _REL_MERGES[name])
    return text.replace("{{source}}", source)


def _key(row: dict[str, Any]) -> tuple[str, ...]:
    return (row["uid"],) if "uid" in row else (row["start"], row["end"], row.get("key") or "")


def _as_variant(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    fact = {k: v for k, v in row.items() if k not in PROVENANCE}
    given = {k: row[k] for k in PROVENANCE if row.get(k) is not None}
    if kind == "lists":
        fact["prov"] = given
    elif kind == "text":
        fact["prov"] = json.dumps(given, sort_keys=True)
    return fact


def _per_source(source: str, row: dict[str, Any]) -> dict[str, Any]:
    """A loader row as the ``per-source`` variant takes it (one source per row: a load's)."""
    assert row["sources"] == [source], row["sources"]
    first, last = row["prov_seen"][0].split("|")[1:]
    own = {}
    for entry in row["prov_values"]:
        _, prop, value = entry.split("|", 2)
        own[f"{source}__{prop}"] = json.loads(value)
    return {**{k: row[k] for k in ("uid", "start", "end", "key") if k in row},
            "props": row["props"], "own": own, "first": first, "last": last,
            "grades": [g.split(":", 1)[1] for g in row["prov_grades"]],
            "records": row["source_records"], "purposes": row["purposes"],
            "run": row["prov_run"][0].split("|", 1)[1]}


def _stored(store: Store, name: str, rows: list[dict[str, Any]]) -> set[tuple[str, ...]]:
    """The keys of ``rows`` whose fact the graph holds (untimed)."""
    if name in _NODE_MERGES:
        got = store.read("read/bench_facts_stored", {"uids": [r["uid"] for r in rows]})
        return {(r["uid"],) for r in got}
    got = store.read("read/bench_relationships_stored", {
        "type": _REL_MERGES[name],
        "rows": [{"start": r["start"], "end": r["end"], "key": r.get("key") or ""}
                 for r in rows]})
    return {(r["start"], r["end"], r["key"]) for r in got}


def _raw_write(store: Store, text: str, params: dict[str, Any]) -> None:
    """A variant statement, as the store sends a write: on the embedded engine with its
    parameter header, on Neo4j in one managed transaction."""
    if isinstance(store, Neo4jStore):
        with store.driver.session(database=store.database) as session:
            session.execute_write(lambda tx: tx.run(text, params).consume())
        return
    assert isinstance(store, EmbeddedFalkorStore)
    store.graph.query(params_header(params) + text, None)


def replay(captured: Captured, variant: str, engine_name: str = "falkordb"
           ) -> dict[str, Any]:
    """Run the captured merges as ``variant`` in a fresh engine; engine time per part."""
    spent: dict[str, float] = {}
    rows_of: dict[str, int] = {}
    by_source: dict[str, float] = {}
    with fresh_store(engine_name) as store:
        if engine_name == "neo4j":  # warm the server up on the same statements
            _run(store, captured, variant, lambda source, part, run, n: run())
            while store.write("write/bench_delete_entities",
                              {"limit": 10_000}).nodes_deleted:
                pass

        def timed(source: str, part: str, run: Callable[[], Any], n: int) -> None:
            began = time.perf_counter()
            run()
            took = time.perf_counter() - began
            spent[part] = spent.get(part, 0.0) + took
            rows_of[part] = rows_of.get(part, 0) + n
            by_source[source] = by_source.get(source, 0.0) + took

        _run(store, captured, variant, timed)
    parts = {part: {"rows": rows_of[part], "s": round(spent[part], 2),
                    "us_per_row": round(spent[part] / rows_of[part] * 1e6)}
             for part in sorted(spent)}
    return {"variant": variant, "engine": engine_name, "s": round(sum(spent.values()), 2),
            "parts": parts, "by_source": {k: round(v, 2) for k, v in by_source.items()},
            "loadavg": loadavg()}


Timer = Callable[[str, str, Callable[[], Any], int], None]


def _run(store: Store, captured: Captured, variant: str, timed: Timer) -> None:
    """The captured merges as ``variant``, each statement through ``timed``."""
    for source, name, rows in captured:
        fact = "node" if name in _NODE_MERGES else "relationship"
        if variant in ("as-written", "per-source"):
            stmt = store.registry.get(name)
            stored = _stored(store, name, rows)
            for part, chosen in (("new", [r for r in rows if _key(r) not in stored]),
                                 ("stored", [r for r in rows if _key(r) in stored])):
                if not chosen:
                    continue
                if variant == "as-written":  # the statement alone, as bench.userload's ceiling
                    given = store._params(stmt, {"rows": chosen})
                    run: Callable[[], Any] = partial(store._write, stmt, given)
                else:
                    run = partial(_raw_write, store, _variant_text("persource", name, source),
                                  {"rows": [_per_source(source, r) for r in chosen]})
                timed(source, f"{fact} {part}", run, len(chosen))
            continue
        kind = variant.split("+")[1] if "+" in variant else "facts"
        text = _variant_text(kind, name)
        params = {"rows": [_as_variant(kind, r) for r in rows]}
        timed(source, fact, partial(_raw_write, store, text, params), len(rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.merges",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--variants",
                        default="as-written,facts,facts+lists,facts+text,per-source")
    parser.add_argument("--engine", choices=("falkordb", "neo4j"), default="falkordb",
                        help="where the replays run (the capture runs on the embedded one)")
    parser.add_argument("--out", type=Path, default=BENCH / "results" /
                        f"{dt.date.today().isoformat()}-merges.json")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    folder = dataset(args.size, args.seed)
    began = time.perf_counter()
    captured = capture(folder)
    data: dict[str, Any] = {
        "kind": "merges", "machine": machine(), "size": args.size, "seed": args.seed,
        "input_rows": row_counts(folder), "statements": len(captured),
        "statement_rows": sum(len(rows) for _, _, rows in captured),
        "capture_s": round(time.perf_counter() - began, 1), "replays": []}
    for variant in args.variants.split(","):
        result = replay(captured, variant, args.engine)
        data["replays"].append(result)
        print(f"{variant}: {result['s']} s "
              + ", ".join(f"{p} {v['rows']} rows {v['us_per_row']} us/row"
                          for p, v in result["parts"].items())
              + f" (load {result['loadavg'][0]})", flush=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
