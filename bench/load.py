"""Load throughput: the real loaders against a naive one-MERGE-per-transaction loader.

Runs in a child process (``python -m bench.load``) so that its peak memory is the loader's
alone; the engine (embedded FalkorDB server or Neo4j) was started by the parent, and this
process attaches to it through the ``ONDERGRAAF_*`` variables the parent passes.

- ``real``: :func:`loaders.base.sync` for the five sources in load order, exactly as
  ``ondergraaf load`` runs them (validate the whole file, then batches of
  ``batch_size`` rows, one transaction per statement and batch, ``UNWIND`` + ``MERGE``).
- ``naive``: the same parsing, validation and normalisation, then per record (each node
  and each relationship of a row) ONE ``MERGE`` statement in its own auto-committed
  transaction (``bench/cypher/naive/``), addresses resolved per row, look-alike
  candidates read and written per person. This is how a first loader is usually written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graph_service.config import load_settings
from graph_service.store import Store, access
from graph_service.store.falkordb_store import EmbeddedFalkorStore
from graph_service.store.neo4j_store import Neo4jStore
from loaders import spec_for
from loaders.base import (
    NODE_STATEMENT,
    AddrRef,
    Node,
    Prov,
    Rel,
    SourceSpec,
    candidate_props,
    make_prov,
    match_candidate_pairs,
    parse,
    resolve_addresses,
    sync,
    validate,
)

from .common import SOURCE_ORDER, TODAY, bench_registry, loadavg, peak_rss_kib

__all__ = ["load_real", "load_naive", "main"]


def _naive_name(statement: str) -> str:
    return "naive/" + statement.split("/", 1)[1]


def _counts(store: Store) -> dict[str, int]:
    with access.scope(access.FULL):
        row = store.read("read/bench_counts")[0]
    return {"nodes": int(row["nodes"]), "relationships": int(row["relationships"])}


def load_real(store: Store, folder: Path, batch_size: int | None = None) -> dict[str, Any]:
    """Load the five files with the real loaders; per-source and total throughput."""
    store.setup_schema()
    per_source: dict[str, Any] = {}
    total_rows = 0
    started = time.perf_counter()
    for source in SOURCE_ORDER:
        t = time.perf_counter()
        report = sync(store, spec_for(source), [folder / f"{source}.csv"], today=TODAY,
                      batch_size=batch_size)
        elapsed = time.perf_counter() - t
        rels = sum(report.rels_created.values()) + report.candidates
        per_source[source] = {
            "rows": report.rows_read,
            "seconds": round(elapsed, 2),
            "rows_per_s": round(report.rows_read / elapsed),
            "nodes_created": sum(report.nodes_created.values()),
            "relationships_created": rels,
            "look_alike_pairs": report.candidates,
        }
        total_rows += report.rows_read
    elapsed = time.perf_counter() - started
    counts = _counts(store)
    return {
        "mode": "real",
        "batch_size": batch_size or store.batch_size,
        "rows": total_rows,
        "seconds": round(elapsed, 2),
        "rows_per_s": round(total_rows / elapsed),
        "relationships_per_s": round(counts["relationships"] / elapsed),
        "nodes_per_s": round(counts["nodes"] / elapsed),
        **counts,
        "per_source": per_source,
    }


def _record_params(props: Mapping[str, Any], prov: Prov) -> dict[str, Any]:
    return {"props": {k: v for k, v in props.items() if v is not None},
            "sources": [prov.source], "source_records": [f"{prov.source}:{prov.record}"],
            "grades": [prov.grade], "purposes": [prov.purpose], "seen": prov.seen}


def _naive_row(store: Store, spec: SourceSpec, prov: Prov, recs: list[Node | Rel]) -> None:
    refs = {ref for rec in recs
            for ref in ((rec.uid,) if isinstance(rec, Node) else (rec.start, rec.end))
            if isinstance(ref, AddrRef)}
    resolved = resolve_addresses(store, refs) if refs else {}

    def uid_of(ref: str | AddrRef) -> str:
        return resolved[ref] if isinstance(ref, AddrRef) else ref

    for rec in recs:
        if isinstance(rec, Node):
            uid = uid_of(rec.uid)
            store.write(_naive_name(NODE_STATEMENT[rec.label]),
                        {"uid": uid, **_record_params(rec.props, prov)})
            if rec.label == "Person" and rec.props.get("candidate_key"):
                for pair in match_candidate_pairs(store, {uid: candidate_props(rec.props)}):
                    store.write("naive/merge_possible_same_as", pair)
        else:
            store.write(f"naive/merge_{rec.type.lower()}",
                        {"start": uid_of(rec.start), "end": uid_of(rec.end), "key": rec.key,
                         **_record_params(rec.props, prov)})
    if spec.after_write is not None:
        spec.after_write(store, [(prov, recs)])


def load_naive(store: Store, folder: Path) -> dict[str, Any]:
    """Load the five files the naive way; same parsing and validation as the real one."""
    store.setup_schema()
    per_source: dict[str, Any] = {}
    total_rows = 0
    started = time.perf_counter()
    for source in SOURCE_ORDER:
        spec = spec_for(source)
        t = time.perf_counter()
        rows = 0
        table = parse(folder / f"{source}.csv")
        for _, clean, problems in validate(spec, table, TODAY):
            rows += 1
            if not problems:
                _naive_row(store, spec, make_prov(spec, clean, TODAY), list(spec.normalise(clean)))
        elapsed = time.perf_counter() - t
        per_source[source] = {"rows": rows, "seconds": round(elapsed, 2),
                              "rows_per_s": round(rows / elapsed)}
        total_rows += rows
    elapsed = time.perf_counter() - started
    counts = _counts(store)
    return {"mode": "naive", "rows": total_rows, "seconds": round(elapsed, 2),
            "rows_per_s": round(total_rows / elapsed),
            "relationships_per_s": round(counts["relationships"] / elapsed),
            "nodes_per_s": round(counts["nodes"] / elapsed), **counts,
            "per_source": per_source, "records": "one MERGE per node or relationship, "
            "each in its own transaction"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--mode", choices=("real", "naive"), required=True)
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--no-candidates", action="store_true",
                        help="skip the look-alike (POSSIBLE_SAME_AS) step of the real loader")
    args = parser.parse_args(argv)
    logging.getLogger("neo4j").setLevel(logging.ERROR)  # no notification flood
    if args.no_candidates:
        import loaders.writer

        def no_candidates(store: Store, persons: Mapping[str, Mapping[str, Any]]) -> int:
            return 0

        loaders.writer.write_match_candidates = no_candidates
    settings = load_settings()  # ONDERGRAAF_* from the parent: the running engine
    store: Store = (Neo4jStore(settings, bench_registry()) if settings.engine == "neo4j"
                    else EmbeddedFalkorStore(settings, bench_registry()))
    try:
        before = loadavg()
        if args.mode == "real":
            result = load_real(store, args.input, args.batch_size)
        else:
            result = load_naive(store, args.input)
    finally:
        store.close()
    result["look_alike_candidates"] = not args.no_candidates
    result["loadavg_before"] = before
    result["loadavg_after"] = loadavg()
    # VmHWM of this process image (ru_maxrss would carry the forking parent's peak over exec)
    result["peak_rss_mib"] = round((peak_rss_kib(os.getpid()) or 0) / 1024, 1)
    result["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
