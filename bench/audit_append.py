"""The audit trail's append rate: N threads (in P processes) appending to one trail.

``python -m bench.audit_append [--threads 1,8,32] [--processes 1] [--duration 5]
[--dir DIR]``

Each process opens the service's trail of a fresh data folder (``AuditTrail.open``, as a
worker of ``ondergraaf serve`` does) and its threads append web-like ``read`` records
for ``duration`` seconds; every append returns only when its record is on disk, as a
request waits for it. Prints, per thread count, the records per second of all processes
together, the median and p99 time of one append, and checks that the chain verifies
with exactly as many records as were acknowledged. Nothing else is asserted.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from graph_service.config import load_settings
from graph_service.security.audit import AuditTrail


def _env(data_dir: Path) -> dict[str, str]:
    return {"ONDERGRAAF_DATA_DIR": str(data_dir)}


def _run(data_dir: Path, threads: int, duration: float, start: float,
         out: mp.Queue) -> None:  # type: ignore[type-arg]
    trail = AuditTrail.open(load_settings(env=_env(data_dir)), env=_env(data_dir))
    times: list[float] = []
    guard = threading.Lock()

    def worker(n: int) -> None:
        mine: list[float] = []
        i = 0
        while time.time() < start:
            time.sleep(0.001)
        while time.time() < start + duration:
            t0 = time.perf_counter()
            trail.append(actor=f"bench{n}", roles=["riec_liaison"], purpose="riec_casus",
                         reference="BENCH-1", action="read",
                         what={"name": "GET /api/entities/<uid>/neighbourhood",
                               "params": {"depth": 1, "i": i}},
                         uids=[f"kvk:{n:04d}{i:06d}", "person:abc", "address:def"],
                         client="127.0.0.1")
            mine.append(time.perf_counter() - t0)
            i += 1
        with guard:
            times.extend(mine)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out.put(times)


def measure(threads: int, processes: int, duration: float, base: Path) -> dict[str, object]:
    data_dir = Path(tempfile.mkdtemp(prefix="audit-bench-", dir=base))
    AuditTrail.open(load_settings(env=_env(data_dir)), env=_env(data_dir))  # key, folders
    ctx = mp.get_context("fork")
    out: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    start = time.time() + 1.0
    per_process = max(1, threads // processes)
    procs = [ctx.Process(target=_run, args=(data_dir, per_process, duration, start, out))
             for _ in range(processes)]
    for p in procs:
        p.start()
    times: list[float] = []
    for _ in procs:
        times.extend(out.get())
    for p in procs:
        p.join()
    trail = AuditTrail.open(load_settings(env=_env(data_dir)), env=_env(data_dir))
    result = trail.verify()
    times.sort()
    row: dict[str, object] = {"threads": per_process * processes, "processes": processes,
           "records": len(times), "records_per_s": round(len(times) / duration, 1),
           "p50_ms": round(statistics.median(times) * 1000, 2) if times else None,
           "p99_ms": round(times[int(len(times) * 0.99)] * 1000, 2) if times else None,
           "verified": result.ok and result.records == len(times)}
    shutil.rmtree(data_dir)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.audit_append")
    parser.add_argument("--threads", default="1,8,32")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()),
                        help="where the trial data folders go (the disk measured)")
    args = parser.parse_args(argv)
    uptime = subprocess.run(["uptime"], capture_output=True, text=True,
                            check=False).stdout.strip()
    print(json.dumps({"uptime": uptime}), flush=True)
    for n in (int(x) for x in args.threads.split(",")):
        print(json.dumps(measure(n, args.processes, args.duration, args.dir)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
