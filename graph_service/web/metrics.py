"""What an operator sees of the running service: a JSON access log and ``/metrics``.

**Access log.** One JSON object per request on the logger ``ondergraaf.access`` (``serve``
writes it to stderr): ``time`` (UTC), ``method``, ``route`` (the route *template*, e.g.
``/api/entities/<path:uid>``, never the URL: no uid, name or search text, no query
string), ``status``, ``duration_ms``, ``user`` (a keyed pseudonym of the account,
``u-`` and 10 hex characters: HMAC-SHA256 under the app's secret key, stable across
workers and restarts; the account name itself is in the audit trail, which is where who
did what belongs), ``auth`` (``token``/``sessie``/empty) and ``worker`` (the process id).
No client address: behind a proxy it is a town hall's, and the audit trail records it.

**Metrics.** ``GET /metrics`` in Prometheus' text format: requests per route template,
method and status (``ondergraaf_http_requests_total``), their latency as a histogram
(``ondergraaf_http_request_duration_seconds``), the engine's health (up, indexes ready,
how it started, the write log's size) and the schema version. Readable from loopback
without login (a local Prometheus or node agent), otherwise only by an account with the
role ``admin`` (session or bearer token: ``/metrics`` is declared ``login_only``,
``web.route_access``); a request that came through a proxy (``X-Forwarded-For``, ``Forwarded`` or
``X-Real-IP``) never counts as loopback.

With several worker processes (``ondergraaf serve --workers N``) every worker writes its
counters to a file in ``METRICS_DIR`` (made by ``serve``; once a second when they changed,
and at exit) and ``/metrics`` adds up all of them, so a scrape sees the whole service whichever
worker answers (at most a second behind). Counters of a worker that was replaced stay in
the sum, so the totals never go down while the service runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request
from flask.typing import ResponseReturnValue

from ..errors import OndergraafError
from ..store import version as schema
from . import auth
from .http import get_store
from .route_access import login_only

__all__ = ["ACCESS_LOGGER", "BUCKETS", "Metrics", "init_app", "loopback_caller", "render",
           "route_of", "user_pseudonym"]

ACCESS_LOGGER = "ondergraaf.access"
#: Latency buckets in seconds (the read timeout is 120 s by default).
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0)
FLUSH_SECONDS = 1.0
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
UNMATCHED = "<unmatched>"

access_log = logging.getLogger(ACCESS_LOGGER)


def route_of() -> str:
    """The running request's route template (never the URL)."""
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED


def user_pseudonym(username: str, key: bytes | str | None) -> str | None:
    """A stable pseudonym of an account name under ``key`` (the app's secret key)."""
    if not key:
        return None
    raw = key.encode() if isinstance(key, str) else key
    return "u-" + hmac.new(raw, username.encode(), hashlib.sha256).hexdigest()[:10]


class Metrics:
    """Request counts and latency histograms of this process (and, with a shared folder,
    of every worker of the service)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder else None
        self.pid = os.getpid()
        self._lock = threading.Lock()
        #: (route, method, status) -> [count, sum of seconds, count per bucket...]
        self._series: dict[tuple[str, str, str], list[float]] = {}
        self._dirty = False
        self._flusher_pid = 0

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        key = (route, method, str(status))
        with self._lock:
            row = self._series.get(key)
            if row is None:
                row = self._series[key] = [0.0] * (2 + len(BUCKETS))
            row[0] += 1
            row[1] += seconds
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    row[2 + i] += 1
            self._dirty = True
        if self.folder is not None and self._flusher_pid != os.getpid():
            self._start_flusher()

    def _start_flusher(self) -> None:
        """A daemon thread of this process that writes its counters once a second when
        they changed (so an idle worker's last requests are in the totals too)."""
        with self._lock:
            if self._flusher_pid == os.getpid():
                return
            self._flusher_pid = os.getpid()

        def loop() -> None:
            while True:
                time.sleep(FLUSH_SECONDS)
                if self._dirty:
                    self.flush()

        threading.Thread(target=loop, name="ondergraaf-metrics", daemon=True).start()

    def snapshot(self) -> dict[str, list[float]]:
        with self._lock:
            return {"\t".join(k): list(v) for k, v in self._series.items()}

    def flush(self) -> None:
        """Write this worker's counters to the shared folder (a new file renamed over)."""
        if self.folder is None:
            return
        self._dirty = False
        pid = os.getpid()  # a forked copy writes its own file
        target = self.folder / f"worker-{pid}.json"
        tmp = self.folder / f".worker-{pid}.{threading.get_ident()}.tmp"
        with contextlib.suppress(OSError):
            tmp.write_text(json.dumps({"pid": pid, "series": self.snapshot()}),
                           encoding="utf-8")
            os.replace(tmp, target)

    def merged(self) -> tuple[dict[str, list[float]], int]:
        """Every worker's counters added up, and how many workers wrote them."""
        if self.folder is None:
            return self.snapshot(), 1
        self.flush()
        total: dict[str, list[float]] = {}
        workers = 0
        for path in sorted(self.folder.glob("worker-*.json")):
            try:
                series = json.loads(path.read_text(encoding="utf-8"))["series"]
            except (OSError, ValueError, KeyError):
                continue
            workers += 1
            for key, row in series.items():
                have = total.setdefault(key, [0.0] * len(row))
                for i, value in enumerate(row):
                    have[i] += value
        return total, workers


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def render(series: dict[str, list[float]], workers: int, health: dict[str, Any]) -> str:
    """The Prometheus text exposition of ``series`` and the engine's ``health``."""
    out = [
        "# HELP ondergraaf_http_requests_total Requests answered, per route template, "
        "method and status.",
        "# TYPE ondergraaf_http_requests_total counter",
    ]
    rows = sorted((tuple(k.split("\t")), v) for k, v in series.items())
    for (route, method, status), row in rows:
        out.append(f'ondergraaf_http_requests_total{{route="{_label(route)}",'
                   f'method="{method}",status="{status}"}} {_num(row[0])}')
    out += ["# HELP ondergraaf_http_request_duration_seconds Time from the request to its "
            "response, per route template, method and status.",
            "# TYPE ondergraaf_http_request_duration_seconds histogram"]
    for (route, method, status), row in rows:
        labels = f'route="{_label(route)}",method="{method}",status="{status}"'
        for i, bound in enumerate(BUCKETS):
            out.append(f'ondergraaf_http_request_duration_seconds_bucket{{{labels},'
                       f'le="{bound:g}"}} {_num(row[2 + i])}')
        out.append(f'ondergraaf_http_request_duration_seconds_bucket{{{labels},le="+Inf"}} '
                   f"{_num(row[0])}")
        out.append(f"ondergraaf_http_request_duration_seconds_sum{{{labels}}} {row[1]:.6f}")
        out.append(f"ondergraaf_http_request_duration_seconds_count{{{labels}}} "
                   f"{_num(row[0])}")
    engine = _label(str(health.get("engine", "")))
    startup = health.get("startup") or {}
    gauges: list[tuple[str, str, Any]] = [
        ("ondergraaf_engine_up", "The graph engine answers (1) or not (0).",
         1 if health.get("ok") else 0),
        ("ondergraaf_engine_indexes_ready", "Every index is built (1) or not (0).",
         1 if health.get("indexes_ready") else 0),
        ("ondergraaf_engine_startup_seconds", "How long the answering worker's engine took "
         "to come up (embedded engine).", startup.get("seconds")),
        ("ondergraaf_engine_started_by_worker", "The answering worker started the embedded "
         "engine (1) or attached to it (0).",
         None if not startup else int(bool(startup.get("started")))),
        ("ondergraaf_engine_replayed_bytes", "Write log replayed at the embedded engine's "
         "start (above 0: the last owner did not stop cleanly).",
         startup.get("replayed_bytes")),
        ("ondergraaf_engine_start_restarts", "Embedded engines killed and started again "
         "because they hung while starting (above 0: see docs/operations.md).",
         startup.get("restarts")),
        ("ondergraaf_engine_log_bytes", "Size of the embedded engine's write log since its "
         "last compaction.", health.get("log_bytes")),
        ("ondergraaf_schema_version", "The schema version of this code (ondergraaf upgrade).",
         schema.SCHEMA_VERSION),
        ("ondergraaf_workers", "Worker processes whose counters are in these totals.",
         workers),
    ]
    for name, text, value in gauges:
        if value is None:
            continue
        out += [f"# HELP {name} {text}", f"# TYPE {name} gauge",
                f'{name}{{engine="{engine}"}} {_num(float(value))}']
    return "\n".join(out) + "\n"


def _metrics() -> Metrics:
    found: Metrics = current_app.extensions["ondergraaf_metrics"]
    return found


def _engine_health() -> dict[str, Any]:
    try:
        return get_store().health()
    except OndergraafError as exc:  # the store cannot even be opened
        return {"ok": False, "error": type(exc).__name__}


def loopback_caller(environ: dict[str, Any]) -> bool:
    """The request comes straight from this machine: a loopback peer address and no sign
    of a proxy in between (a local proxy would make every remote caller look local)."""
    if any(k in environ for k in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")):
        return False
    try:
        return ipaddress.ip_address(environ.get("REMOTE_ADDR") or "").is_loopback
    except ValueError:
        return False


def _body() -> str:
    series, workers = _metrics().merged()
    return render(series, workers, _engine_health())


def metrics_text(app: Flask) -> str:
    """The whole ``/metrics`` answer of ``app``."""
    with app.app_context():
        return _body()


def metrics_view() -> ResponseReturnValue:
    """``GET /metrics`` for a remote caller, logged in (``login_only``: no purpose):
    only the role ``admin``. A loopback caller is answered by :class:`_Timer` before the
    login is asked."""
    found = auth.current() if current_app.extensions.get("ondergraaf_security") else None
    identity = found.identity if found else None
    if identity is None or "admin" not in identity.roles:
        return Response("de metrieken zijn alleen voor de rol beheerder (admin), of op de "
                        "server zelf\n", 403, mimetype="text/plain")
    return _text_response(_body())


def _text_response(body: str) -> Response:
    return Response(body, headers={"Cache-Control": "no-store"},
                    content_type=CONTENT_TYPE)


def _started(environ: dict[str, Any]) -> None:
    environ.setdefault("ondergraaf.started", time.perf_counter())


def _after(response: Response) -> Response:
    started = request.environ.get("ondergraaf.started")
    seconds = time.perf_counter() - started if started else 0.0
    route = route_of()
    _metrics().observe(route, request.method, response.status_code, seconds)
    if access_log.isEnabledFor(logging.INFO):
        found = auth.current() if current_app.extensions.get("ondergraaf_security") else None
        identity = found.identity if found else None
        access_log.info(json.dumps({
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "method": request.method,
            "route": route,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 2),
            "user": user_pseudonym(identity.username, current_app.secret_key)
            if identity else None,
            "auth": found.method if found else "",
            "worker": os.getpid(),
        }, ensure_ascii=False))
    return response


class _Timer:
    """WSGI middleware: the time a request arrived, before authentication runs; and
    ``GET /metrics`` from loopback, answered without a login."""

    def __init__(self, app: Flask, wsgi_app: Any) -> None:
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        _started(environ)
        if (environ.get("PATH_INFO") == "/metrics" and environ.get("REQUEST_METHOD") == "GET"
                and loopback_caller(environ)):
            body = metrics_text(self.app).encode()
            start_response("200 OK", [("Content-Type", CONTENT_TYPE),
                                      ("Content-Length", str(len(body))),
                                      ("Cache-Control", "no-store"),
                                      ("X-Content-Type-Options", "nosniff")])
            return [body]
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> Metrics:
    """Access log, request metrics and ``/metrics`` for ``app``; ``METRICS_DIR`` in the
    app's config shares the counters between the workers of one service."""
    metrics = Metrics(app.config.get("METRICS_DIR"))
    app.extensions["ondergraaf_metrics"] = metrics
    app.wsgi_app = _Timer(app, app.wsgi_app)  # type: ignore[method-assign]
    app.after_request(_after)
    app.add_url_rule("/metrics", "metrics", login_only(metrics_view), methods=["GET"])
    return metrics
