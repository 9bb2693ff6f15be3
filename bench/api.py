"""The API under concurrent load: ``ondergraaf serve`` (waitress, or gunicorn workers) driven
from another process.

The server runs as a subprocess on a free port of 127.0.0.1 against the loaded graph (it
attaches to the benchmark's engine through the ``ONDERGRAAF_*`` variables). The load comes
from ``wrk`` (Debian package ``wrk``) with a Lua script that walks a fixed list of URLs, or,
without wrk, from :mod:`bench.loadgen` (a bounded Python generator in its own process). Each
endpoint group runs ``duration_s`` seconds at every concurrency level; only loopback is ever
a target, and every run stops by itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .common import loadavg, peak_rss_kib

__all__ = ["serve", "drive", "measure_api"]

LUA = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, headers: dict[str, str], timeout: float = 60.0) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - loopback
            return int(resp.status), resp.read()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read()


@contextlib.contextmanager
def serve(env: dict[str, str], threads: int = 8, workers: int | None = None
          ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``ondergraaf serve`` on a free loopback port (``workers``: gunicorn with that many
    worker processes, else one waitress process); yields (base URL, process)."""
    port = _free_port()
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in the finally below
        prefix="ondergraaf-serve-", suffix=".log", delete=False)
    command = "from graph_service.cli import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--host", "127.0.0.1", "--port", str(port),
         "--threads", str(threads), *(["--workers", str(workers)] if workers else [])],
        env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                tail = Path(log.name).read_text()[-2000:]
                raise RuntimeError(f"ondergraaf serve exited: {tail}")
            with contextlib.suppress(OSError):
                status, _ = _get(base + "/healthz", {}, timeout=5)
                if status == 200:
                    break
            time.sleep(0.3)
        else:
            raise RuntimeError("ondergraaf serve did not answer /healthz within 120 s")
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        os.unlink(log.name)


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not m:
        return float("nan")
    return float(m.group(1)) * _UNITS[m.group(2)]


def _wrk(base: str, paths: Sequence[str], conns: int, duration_s: int,
         headers: dict[str, str]) -> dict[str, Any]:
    quoted = ", ".join(json.dumps(p) for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(LUA % quoted)
        script = fh.name
    try:
        cmd = ["wrk", "-t", str(min(2, conns)), "-c", str(conns), "-d", f"{duration_s}s",
               "--timeout", "30s", "--latency", "-s", script]
        for k, v in headers.items():
            cmd += ["-H", f"{k}: {v}"]
        out = subprocess.run(cmd + [base + paths[0]], capture_output=True, text=True,
                             timeout=duration_s + 60, check=False).stdout
    finally:
        os.unlink(script)
    result: dict[str, Any] = {"tool": "wrk"}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result["rps"] = round(float(m.group(1)), 1)
    if m := re.search(r"(\d+) requests in", out):
        result["requests"] = int(m.group(1))
    for pct in ("50", "90", "99"):
        if m := re.search(rf"^\s+{pct}%\s+(\S+)", out, re.MULTILINE):
            result[f"p{pct}_ms"] = round(_ms(m.group(1)), 2)
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                      out):
        errors += sum(int(x) for x in m.groups())
    result["errors"] = errors
    return result


def _loadgen(base: str, paths: Sequence[str], conns: int, duration_s: int,
             headers: dict[str, str]) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.loadgen", "--base", base, "--concurrency", str(conns),
           "--duration", str(duration_s), "--headers", json.dumps(headers), *paths]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration_s + 120,
                         check=True).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def drive(base: str, paths: Sequence[str], conns: int, duration_s: int,
          headers: dict[str, str]) -> dict[str, Any]:
    """Requests/s, p50/p90/p99 and errors of ``conns`` clients for ``duration_s``."""
    if shutil.which("wrk"):
        return _wrk(base, paths, conns, duration_s, headers)
    return _loadgen(base, paths, conns, duration_s, headers)


def _cli(env: dict[str, str], *args: str) -> str:
    command = "from graph_service.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", command, *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ondergraaf {' '.join(args)}: {done.stderr[-500:]}")
    return done.stdout


def provision_token(env: dict[str, str], purpose: str = "analyse") -> dict[str, str]:
    """An API token for a benchmark analyst (``ondergraaf users``), as request headers.

    The analyst reads under ``analyse`` (pseudonymised), the purpose an API client without
    a case or dossier uses; the headers carry it with every request.
    """
    _cli(env, "users", "add", "bench", "--role", "analyst", "--no-password")
    token = _cli(env, "users", "token", "bench", "--name", "bench").strip().splitlines()[0]
    return {"Authorization": f"Bearer {token}", "X-Ondergraaf-Purpose": purpose}


def measure_api(env: dict[str, str], groups: dict[str, list[str]], levels: Sequence[int],
                duration_s: int, headers: dict[str, str] | None = None, *,
                threads: int = 8, workers: int | None = None) -> dict[str, Any]:
    """Every endpoint group at every concurrency level; plus the server's peak memory.

    Without ``headers``, a service that answers 401 gets a token from
    :func:`provision_token` (in the engine's data folder) and is asked again.
    """
    headers = dict(headers or {})
    out: dict[str, Any] = {"levels": list(levels), "duration_s": duration_s, "groups": {}}
    with serve(env, threads, workers) as (base, proc):
        probe = next((p[0] for n, p in groups.items() if n != "healthz"), None)
        if probe and not headers and _get(base + probe, headers)[0] == 401:
            headers = provision_token(env)
            out["auth"] = "token of a benchmark analyst, purpose analyse"
        for name, paths in groups.items():
            # warm every URL once; only those that answer 200 are driven (a sampled entity
            # the token's purpose cannot see answers 404, which is no error of the server)
            answers = [(path, *_get(base + path, headers)) for path in paths]
            good = [path for path, status, _ in answers if status == 200]
            if not good:
                _, status, body = answers[0]
                out["groups"][name] = {"skipped": f"HTTP {status}: {body[:200]!r}"}
                continue
            paths = good
            out["groups"][name] = {"urls": len(paths),
                                   "urls_dropped": len(answers) - len(good), "by_level": {}}
            for conns in levels:
                res = drive(base, paths, conns, duration_s, headers)
                res["loadavg"] = loadavg()
                out["groups"][name]["by_level"][str(conns)] = res
        out["server_peak_rss_mib"] = round(sum(
            peak_rss_kib(pid) or 0 for pid in _tree(proc.pid)) / 1024, 1)
    return out


def _tree(pid: int) -> list[int]:
    """``pid`` and its worker processes (not the engine: it is measured apart)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [pid]
    with contextlib.suppress(OSError):
        for child in children.read_text().split():
            if "redis" not in Path(f"/proc/{child}/comm").read_text():
                found.append(int(child))
    return found


def url(path: str, **query: object) -> str:
    """``path`` with its uid segment and query string quoted."""
    q = urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
    return urllib.parse.quote(path, safe="/:") + (f"?{q}" if q else "")
