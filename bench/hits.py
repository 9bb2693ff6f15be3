"""Stored indicator hits on a loaded data folder: refresh times and the reads they serve.

``python -m bench.hits DATA_DIR SIZE OUT.json [--input FOLDER] [--fraction 0.01]``
``python -m bench.hits NEO4J_DIR SIZE OUT.json --neo4j --load --input FOLDER``
``python -m bench.hits DATA_DIR SIZE OUT.json --load --only-load --input FOLDER``

On an embedded FalkorDB data folder (or the Neo4j of ``ONDERGRAAF_NEO4J_URI``) that holds
a loaded data set of ``SIZE``; with ``--neo4j``, on a Neo4j server that this command starts
in ``NEO4J_DIR`` (``scripts/neo4j start --dir``; ``--neo4j-heap``/``--neo4j-pagecache`` as
in ``python -m bench``) and stops at the end unless ``--keep``. With ``--load`` the data
set of ``--input`` is first loaded into an empty engine (a fresh Neo4j, or a new data
folder) by the real loaders in a child process (``load``: rows/s and seconds, recorded as
it finishes); without it the engine must already hold the data set. ``--only-load``
stops after the load, so that the steps below can run later on the same data folder
(from a snapshot of another commit; each run names its own).

1. ``full``: a full refresh of the stored hits (:func:`graph_service.risk.stored.refresh`,
   evaluation date :data:`bench.common.TODAY`), with seconds per indicator;
2. ``stored``: warm p50/p95/p99 of ``risk``, ``screening`` and ``indicator`` (the first
   page of every indicator) as :mod:`bench.latency` measures them, answered from the
   stored hits;
3. ``update``: ``--fraction`` of the rows of every source file of ``--input`` (sampled
   with a fixed seed: half delivered again as they are, a quarter with a changed value, a
   quarter new rows on existing subjects; ``_update_rows``) loaded through
   :class:`~graph_service.risk.ChangeRecorder` (what changed beyond the provenance
   stamps counts), then ``incremental``: the refresh after that load;
4. ``live`` (unless ``--skip-live``): the same latencies with the stored hits out of date
   (one write), i.e. every indicator run per request as before.

Appends one entry to ``OUT.json`` (rewritten after every step). Not a test: no figure is
asserted anywhere.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from graph_service.config import load_settings
from graph_service.risk import stored
from graph_service.risk.recorder import ChangeRecorder, refresh_after_load
from graph_service.store import Store, access
from graph_service.store.falkordb_store import EmbeddedFalkorStore
from graph_service.store.neo4j_store import Neo4jStore
from loaders import spec_for
from loaders.base import sync
from loaders.values import parse_date

from .common import (
    BENCH,
    SOURCE_ORDER,
    TODAY,
    Engine,
    _falkordb,
    _neo4j,
    bench_registry,
    loadavg,
    machine,
)
from .latency import measure, sample

KINDS = ["risk", "screening", "indicator"]


def _open(data_dir: Path, read_timeout: float) -> Store:
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(data_dir)},
                             read_timeout_s=read_timeout)
    if settings.engine == "neo4j":
        return Neo4jStore(settings, bench_registry())
    return EmbeddedFalkorStore(settings, bench_registry())


def _engine(args: argparse.Namespace) -> Engine:
    """The engine of ``--neo4j``/``--load``: started here, stopped by the caller."""
    if args.neo4j:
        args.data_dir.parent.mkdir(parents=True, exist_ok=True)
        return _neo4j(args.data_dir, args.neo4j_heap, args.neo4j_pagecache,
                      fresh=args.load)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    return _falkordb(args.data_dir, "always")


def _load(engine: Engine, folder: Path) -> dict[str, Any]:
    """The real loaders on ``folder`` in a child process (as ``python -m bench`` does)."""
    fd, name = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    out = Path(name)
    cmd = [sys.executable, "-m", "bench.load", "--mode", "real", "--input", str(folder),
           "--out", str(out)]
    env = {**os.environ, **engine.env, "PYTHONPATH": str(BENCH.parent)}
    t = time.perf_counter()
    try:
        subprocess.run(cmd, env=env, check=True)
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)
    result["wall_s"] = round(time.perf_counter() - t, 1)
    result["loadavg"] = loadavg()
    return result


#: The update's changed value per source: a column of the row's own facts, not of its
#: identity (a role's end date, a signal's date, free text, an area).
_CHANGED = {"kvk": "functie_tot", "riec": "ontvangstdatum", "bibob": "activiteit",
            "schuren": "oppervlakte_m2", "vakantieparken": "eenheid_type"}
#: The update's new rows per source: a sampled row with these columns taken from another
#: row (a new functionary, resident, tenant or party of an existing subject), or with a
#: new id (a new signal on an existing subject).
_NEW_FROM = {"kvk": ("functionaris_", "functie", "aandeel_pct"),
             "vakantieparken": ("bewoner_", "brp_ingeschreven", "inschrijfdatum",
                                "werkgever_kvk"),
             "schuren": ("huurder_", "huur_", "betaalwijze"),
             "bibob": ("partij_type", "kvk_nummer", "naam", "voornamen", "voorvoegsel",
                       "geslachtsnaam", "geboortedatum", "adres_", "land")}
#: ... from another row that has the same value in this column (the same kind of party).
_NEW_LIKE = {"kvk": "functionaris_type", "vakantieparken": "eenheid_type",
             "schuren": "huurder_type", "bibob": "partij_type"}
_NEW_ID = {"riec": "signaal_id", "bibob": "partij_ref"}


def _update_rows(src: Path, dest: Path, fraction: float, seed: int) -> dict[str, int]:
    """A realistic update of ``fraction`` of the rows of ``src`` (sampled with ``seed``):
    half delivered again as they are, a quarter with a changed value (:data:`_CHANGED`),
    a quarter new rows on existing subjects (:data:`_NEW_FROM`, :data:`_NEW_ID`)."""
    with src.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    source = src.stem
    rnd = random.Random(seed)
    chosen = sorted(rnd.sample(range(len(rows)), max(4, int(len(rows) * fraction))))
    column = _CHANGED[source]
    seen = sorted({r[column] for r in rows if r[column]})
    out: list[dict[str, str]] = []
    counts = {"same": 0, "changed": 0, "new": 0}
    for n, i in enumerate(chosen):
        row = dict(rows[i])
        kind = ("same", "same", "changed", "new")[n % 4]
        if kind == "changed":
            old = row[column]
            if column in ("functie_tot", "ontvangstdatum"):
                base = old or row.get("peildatum") or str(TODAY)
                try:  # the files mix ISO and Dutch (D-M-YYYY) dates, as sources do
                    day = dt.date.fromisoformat(parse_date(base))
                except ValueError:
                    day = TODAY
                row[column] = (day - dt.timedelta(days=1)).isoformat()
            else:
                row[column] = rnd.choice([v for v in seen if v != old] or [f"{old} (gewijzigd)"])
        elif kind == "new":
            like = _NEW_LIKE.get(source)
            others = [r for r in rows[i % 97::97] if like is None or r[like] == row[like]]
            other = rnd.choice(others or [row])
            for name in row:
                if name.startswith(_NEW_FROM.get(source, ("-",))):
                    row[name] = other[name]
            if source in _NEW_ID:
                row[_NEW_ID[source]] = f"{row[_NEW_ID[source]]}-U{n}"
        counts[kind] += 1
        out.append(row)
    with dest.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(out)
    return counts


def _save(out: Path, entry: dict[str, Any], first: bool) -> None:
    data: dict[str, Any] = (json.loads(out.read_text()) if out.exists()
                            else {"machine": machine(), "runs": []})
    if first:
        data["runs"].append(entry)
    else:
        data["runs"][-1] = entry
    out.write_text(json.dumps(data, indent=2, default=str))


def _ms(lat: dict[str, Any] | None, kind: str) -> str:
    row = (lat or {}).get(kind) or {}
    if not row.get("n"):
        return "–"
    return f"{row['p50']:,.1f} / {row['p95']:,.1f} / {row['p99']:,.1f}"


def _slowest(lat: dict[str, Any] | None) -> str:
    each = (lat or {}).get("indicator_each") or {}
    slow = sorted(each.items(), key=lambda kv: -(kv[1].get("ms") or 0))[:2]
    return ", ".join(f"{code} {v.get('ms', 0):,.0f}" for code, v in slow) or "–"


def report(paths: list[Path]) -> str:
    """The issue 13 table of result files (``python -m bench.hits --report FILE...``):
    entries of this command and of ``python -m bench`` with its ``hits`` phase."""
    head = ("| engine | size | code | load s (rows/s) | full refresh s (x load) | "
            "incremental s (% of full) | risk ms p50/p95/p99 | screening ms p50/p95/p99 | "
            "indicator first page ms p50/p95/p99 | slowest pages ms | load avg |")
    lines = [head, "|" + "---|" * 11]
    loads: dict[str, dict[str, Any]] = {}  # per data folder: its load, for the ratio of a
    for path in paths:                      # refresh run later on the same data (--only-load)
        data = json.loads(path.read_text(encoding="utf-8"))
        for r in data["runs"]:
            full = r.get("full") or r.get("hits") or {}
            lat = r.get("stored") or r.get("latency")
            load = r.get("load") or {}
            inc = r.get("incremental") or {}
            if load:
                loads[str(r.get("data_dir"))] = load
            if not (full or load or inc):
                continue
            earlier = loads.get(str(r.get("data_dir")), {}) if not load else {}
            load_s = load.get("seconds")
            full_s = full.get("seconds")
            ratio = (f" ({full_s / load_s:.1f}x)" if full_s and load_s else
                     f" ({full_s / earlier['seconds']:.1f}x the load above)"
                     if full_s and earlier.get("seconds") else "")
            share = f" ({inc['seconds'] / full_s:.0%})" if inc.get("seconds") and full_s \
                else ""
            avgs = [x["loadavg"][0] for x in (load, full, lat or {}, inc) if x.get("loadavg")]
            load_text = f"{load_s:,.0f} ({load.get('rows_per_s', 0):,})" if load_s else "–"
            full_text = f"{full_s:,.0f}{ratio}" if full_s else "–"
            inc_text = f"{inc['seconds']:,.0f}{share}" if inc.get("seconds") else "–"
            if inc.get("kind") == "full":  # the refresh after the update fell back to full
                inc_text += " (ran full)"
            avg_text = f"{min(avgs):.1f}–{max(avgs):.1f}" if avgs else "–"
            code = r.get("git") or data["machine"].get("git", "?")
            lines.append(
                f"| {r.get('engine')} | {r['size']:,} | {code} | {load_text} | {full_text} | "
                f"{inc_text} | {_ms(lat, 'risk')} | {_ms(lat, 'screening')} | "
                f"{_ms(lat, 'indicator')} | {_slowest(lat)} | {avg_text} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["--report"]:
        print(report([Path(p) for p in argv[1:]]), end="")
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.hits")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("size", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--input", type=Path, default=None,
                        help="the data set's source files (for the update step)")
    parser.add_argument("--fraction", type=float, default=0.01)
    parser.add_argument("--update-seed", type=int, default=1,
                        help="the sample of the update step (another seed: another 1%% on a "
                             "data folder an update already changed)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--budget", type=float, default=45.0)
    parser.add_argument("--read-timeout", type=float, default=120.0)
    parser.add_argument("--skip-live", action="store_true")
    parser.add_argument("--steps", type=lambda t: [x.strip() for x in t.split(",") if x.strip()],
                        default=["full", "stored", "update"],
                        help="of full, stored, update (with the incremental refresh after "
                             "it): e.g. full,stored now and update later on the same data "
                             "(the published hits must still be current)")
    parser.add_argument("--neo4j", action="store_true",
                        help="start a Neo4j server in DATA_DIR for the run")
    parser.add_argument("--load", action="store_true",
                        help="load --input into an empty engine first")
    parser.add_argument("--only-load", action="store_true",
                        help="stop after --load (the refresh and reads later, without "
                             "--load, e.g. on a snapshot of a newer commit)")
    parser.add_argument("--keep", action="store_true",
                        help="leave the --neo4j server running at the end")
    parser.add_argument("--neo4j-heap", default="2g")
    parser.add_argument("--neo4j-pagecache", default="1g")
    args = parser.parse_args(argv)
    if args.load and args.input is None:
        parser.error("--load needs --input")
    if args.only_load and not args.load:
        parser.error("--only-load needs --load")
    if not set(args.steps) <= {"full", "stored", "update"}:
        parser.error("--steps: full, stored, update")
    if args.input is not None:
        args.input = args.input.resolve()
    logging.getLogger("neo4j").setLevel(logging.ERROR)  # no notification flood
    engine = _engine(args) if args.neo4j or args.load else None
    entry: dict[str, Any] = {"engine": engine.name if engine else None, "size": args.size,
                             "data_dir": str(args.data_dir), "kind": "hits",
                             "git": machine()["git"], "steps": args.steps}
    if engine is not None:
        entry["engine_info"] = engine.info
    _save(args.out, entry, True)
    try:
        if args.load and engine is not None and args.input is not None:
            print(f"[{time.strftime('%H:%M:%S')}] load {args.input}", file=sys.stderr,
                  flush=True)
            entry["load"] = _load(engine, args.input)
            _save(args.out, entry, False)
            if args.only_load:
                if not args.keep:
                    engine.stop()
                print(json.dumps(entry, indent=1, default=str)[:4000])
                return 0
        store = (engine.open(args.read_timeout) if engine is not None
                 else _open(args.data_dir, args.read_timeout))
        entry["engine"] = store.engine
    except BaseException:
        if engine is not None and not args.keep:
            engine.stop()
        raise
    try:
        if "full" in args.steps:
            print(f"[{time.strftime('%H:%M:%S')}] full refresh", file=sys.stderr, flush=True)
            entry["full"] = {**stored.refresh(store, as_of=TODAY).to_dict(),
                             "loadavg": loadavg()}
            _save(args.out, entry, False)
        with access.scope(access.FULL):
            samples = sample(store, 1)
        if "stored" in args.steps:
            print(f"[{time.strftime('%H:%M:%S')}] reads", file=sys.stderr, flush=True)
            with access.scope(access.FULL):
                entry["stored"] = measure(store, samples, args.repeat, args.budget, KINDS, 1)
            entry["stored"]["loadavg"] = loadavg()
            _save(args.out, entry, False)
        if args.input is not None and "update" in args.steps:
            print(f"[{time.strftime('%H:%M:%S')}] update", file=sys.stderr, flush=True)
            recorder = ChangeRecorder(store)
            rows = 0
            kinds: dict[str, int] = {}
            t = time.perf_counter()
            with tempfile.TemporaryDirectory() as tmp:
                for source in SOURCE_ORDER:
                    part = Path(tmp) / f"{source}.csv"
                    made = _update_rows(args.input / f"{source}.csv", part, args.fraction,
                                        args.update_seed)
                    rows += sum(made.values())
                    kinds = {k: kinds.get(k, 0) + v for k, v in made.items()}
                    sync(recorder, spec_for(source), [part], today=TODAY)
            entry["update"] = {"rows": rows, "kinds": kinds,
                               "seconds": round(time.perf_counter() - t, 2),
                               "touched": len(recorder.touched),
                               "rows_changed": recorder.rows_changed}
            entry["incremental"] = {**refresh_after_load(recorder, TODAY).to_dict(),
                                    "loadavg": loadavg()}
            _save(args.out, entry, False)
        if not args.skip_live:
            store.write("write/hits_state_init")  # a write: the stored hits are out of date
            store.write("write/record_load_run", {
                "uid": "load:bench:live", "stamp": "live", "source": "bench", "files": [],
                "file_hashes": [], "started": "", "finished": "", "by": "", "full": False,
                "rows_read": 0, "rows_refused": 0, "nodes_created": 0,
                "relationships_created": 0, "nodes_changed": 0, "relationships_changed": 0,
                "nodes_ended": 0, "relationships_ended": 0})
            with access.scope(access.FULL):
                entry["live"] = measure(store, samples, args.repeat, args.budget, KINDS, 1)
                entry["live"]["loadavg"] = loadavg()
            _save(args.out, entry, False)
    finally:
        store.close()
        if engine is not None and not args.keep:
            engine.stop()
    print(json.dumps(entry, indent=1, default=str)[:4000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
