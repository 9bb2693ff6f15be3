"""A small bounded HTTP load generator (used when ``wrk`` is not installed).

``python -m bench.loadgen --base http://127.0.0.1:PORT --concurrency 8 --duration 15 PATH...``
runs ``concurrency`` threads with one keep-alive connection each, walking the paths in
turn, for ``duration`` seconds (at most 60), against a loopback address only, and prints
``{"rps", "requests", "p50_ms", "p90_ms", "p99_ms", "errors"}`` as JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse

from .common import percentiles

__all__ = ["main"]

MAX_DURATION_S = 60


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadgen")
    parser.add_argument("--base", required=True)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--headers", default="{}")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    target = urllib.parse.urlsplit(args.base)
    if target.hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("only a loopback address may be the target")
    headers = json.loads(args.headers)
    duration = min(args.duration, MAX_DURATION_S)
    deadline = time.monotonic() + duration
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port,
                                          timeout=30)
        i = offset
        mine: list[float] = []
        bad = 0
        while time.monotonic() < deadline:
            path = args.paths[i % len(args.paths)]
            i += 1
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status >= 400:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(target.hostname or "127.0.0.1",
                                                  target.port, timeout=30)
            mine.append((time.perf_counter() - t) * 1000)
        conn.close()
        with lock:
            times.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.concurrency)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    stats = percentiles(times)
    print(json.dumps({"tool": "bench.loadgen", "rps": round(len(times) / elapsed, 1),
                      "requests": len(times), "p50_ms": stats.get("p50"),
                      "p90_ms": None, "p99_ms": stats.get("p99"), "errors": errors[0]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
