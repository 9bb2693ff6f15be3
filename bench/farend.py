"""What computing an indicator from the far end costs, per size of a run.

``python -m bench.farend DATA_DIR OUT.json [--pairs 250000,0] [--code SIGNAL_NETWORK]``
(embedded engine, a data folder that holds a loaded data set; ``ONDERGRAAF_NEO4J_URI`` for
Neo4j; ``--code`` one of :data:`graph_service.risk.reach.FROM_FAR`, by default
``BIBOB_RELATED_SIGNAL``).

For each value of ``--pairs`` (:data:`graph_service.risk.reach.FAR_PAIRS`; 0: every
entity in one run) the indicator's rows are computed under the system's full scope as a
full refresh computes them (:func:`graph_service.risk.reach.from_far_end` on every entity
it fires on, evaluation date :data:`bench.common.TODAY`): the seconds of each run (the
first includes the candidates read; for an indicator of
:data:`graph_service.risk.reach.SHORT_FIRST` the runs of its short paths come first, each
with the rows it settled, then those of the whole walk), the entities (``anchors``) and
rows, and the peak memory of the embedded server (VmHWM, from its start: a later figure
includes the earlier ones' peak, so run one value per command to compare memory). Not a
test: nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from bench.common import TODAY, loadavg, machine, peak_rss_kib


def measure(store: Any, pairs: int, code: str = "BIBOB_RELATED_SIGNAL") -> dict[str, Any]:
    from graph_service.risk import indicators, reach, stored
    from graph_service.store import access

    indicator = next(i for i in indicators.list_indicators(store.registry) if i.code == code)
    reach.FAR_PAIRS = pairs or 10**12
    out: dict[str, Any] = {"code": code, "pairs": pairs, "loadavg_before": loadavg(),
                           "runs": []}
    with stored._computing(access.FULL.visible):
        params = indicators.indicator_params(store, indicator, TODAY, None, None,
                                             indicators.MAX_PATHS)
        anchors = sorted(stored._Entities(store).anchors(indicator))
        t0 = last = time.perf_counter()
        for rows in reach.from_far_end(store, code, params, anchors):
            now = time.perf_counter()
            out["runs"].append({"rows": len(rows), "seconds": round(now - last, 1)})
            last = now
    out.update(anchors=len(anchors), rows=sum(r["rows"] for r in out["runs"]),
               seconds=round(time.perf_counter() - t0, 1), loadavg_after=loadavg())
    server = getattr(store, "server", None)
    out["server_peak_rss_kib"] = peak_rss_kib(server.server_pid()) if server else None
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.farend", description=__doc__)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pairs", default="250000",
                        type=lambda t: [int(x) for x in t.split(",") if x.strip()])
    parser.add_argument("--code", default="BIBOB_RELATED_SIGNAL")
    args = parser.parse_args(argv)

    from graph_service.config import load_settings
    from graph_service.store import open_store

    store = open_store(load_settings(data_dir=args.data_dir))
    try:
        store.wait_for_indexes(600)
        result = {"kind": "farend", "machine": machine(), "data_dir": str(args.data_dir),
                  "measurements": []}
        for pairs in args.pairs:
            result["measurements"].append(measure(store, pairs, args.code))
            args.out.write_text(json.dumps(result, indent=1))
            print(json.dumps(result["measurements"][-1]), flush=True)
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
