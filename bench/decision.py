"""What a decision on a look-alike pair costs the web request: the hit refresh inside it,
or beside it.

``python -m bench.decision DATA_DIR OUT.json [--pairs 4]`` (embedded engine, a data folder
that holds a loaded data set; ``ONDERGRAAF_NEO4J_URI`` for Neo4j).

The first ``--pairs`` look-alike pairs waiting for a decision are confirmed (``positive``)
one by one, as ``POST /beoordelen/<a>/<b>`` does it (:func:`.judgements.judge`, under the
system's full scope), the two ways alternating, each from current stored hits (refreshed
untimed before it when they are not):

* ``inline``: the refresh inside the request, as before the web service deferred it
  (:func:`.judgements.refresh_after`): the answer waits for it.
* ``deferred``: the changes left for later (:func:`.judgements.defer_refresh`) and the answer given;
  then the web process's thread (:class:`graph_service.web.refresher.HitRefresher`)
  refreshes, timed apart.

Per decision: the seconds of the decision's writes, of the refresh and of the answer
(the writes and what the request waits for after them), the refresh's kind and the
entities it recomputed, and whether the stored hits were current after it.
Not a test: nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from bench.common import loadavg, machine


def _decide(store: Any, a: str, b: str, way: str) -> dict[str, Any]:
    from graph_service.risk import judgements, stored
    from graph_service.risk.recorder import refresh_after_load
    from graph_service.store import access
    from graph_service.web.refresher import HitRefresher

    t0 = time.perf_counter()
    with access.scope(access.FULL):
        decision = judgements.judge(store, a, b, "positive", user="bench",
                                    reason="bench.decision", roles=["bibob"],
                                    purpose="bibob_toets", reference="BENCH")
    wrote = time.perf_counter() - t0
    if not decision.regrouped or decision.recorder is None:
        raise RuntimeError(f"the decision on {a}, {b} changed no group")
    t1 = time.perf_counter()
    if way == "inline":  # judgements.refresh_after, keeping its report
        report = refresh_after_load(decision.recorder)
        refresh = answer = time.perf_counter() - t1
    else:
        if not judgements.defer_refresh(decision):
            raise RuntimeError("the decision's changes were not kept for the refresh")
        answer = time.perf_counter() - t1
        refresher = HitRefresher(store)
        t2 = time.perf_counter()
        refresher.wake()
        refresher.wait(24 * 3600)
        refresh = time.perf_counter() - t2
        if refresher.last is None:
            raise RuntimeError("the background refresh made no run")
        report = refresher.last
    state = stored.read_state(store)
    return {"pair": [a, b], "way": way, "writes_s": round(wrote, 3),
            "refresh_s": round(refresh, 3), "answer_s": round(wrote + answer, 3),
            "kind": report.kind, "recomputed": sum(
                n for n in report.recomputed.values() if isinstance(n, int)),
            "hits_current_after": state.current, "loadavg": loadavg()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.decision")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pairs", type=int, default=4)
    args = parser.parse_args(argv)

    import os

    os.environ["ONDERGRAAF_DATA_DIR"] = str(args.data_dir)
    from graph_service.config import load_settings
    from graph_service.risk import judgements, stored
    from graph_service.risk.recorder import refresh_waiting
    from graph_service.store import access, open_store

    store = open_store(load_settings())
    entry: dict[str, Any] = {"kind": "decision", "machine": machine(),
                             "data_dir": str(args.data_dir), "decisions": []}
    try:
        with access.scope(access.FULL):
            pairs = [(p.left["uid"], p.right["uid"])
                     for p in judgements.pending(store, 0, args.pairs)]
        for i, (a, b) in enumerate(pairs):
            if not stored.read_state(store).current:
                refresh_waiting(store)
            found = _decide(store, a, b, "inline" if i % 2 == 0 else "deferred")
            print(json.dumps(found), flush=True)
            entry["decisions"].append(found)
            args.out.write_text(json.dumps(entry, indent=1) + "\n", encoding="utf-8")
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
