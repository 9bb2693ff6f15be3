"""Monitoring: one JSON access-log line per request without personal data of the persons in
the graph, and ``/metrics`` for operators only (loopback, or the role admin)."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph_service.web.metrics import ACCESS_LOGGER, Metrics, render, user_pseudonym
from tests.support import web_fixtures
from tests.support.web_fixtures import Dataset, ensure_loaded, make_app, use_token

dataset = web_fixtures.dataset
REMOTE = {"REMOTE_ADDR": "203.0.113.9"}  # a documentation address: not loopback


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def access_lines() -> Iterator[list[str]]:
    logger = logging.getLogger(ACCESS_LOGGER)
    handler, level = _Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.fixture
def app(dataset: Dataset) -> Flask:
    ensure_loaded(dataset)
    return make_app(dataset)


def _person(client: FlaskClient, data: Dataset) -> tuple[str, str]:
    """A person's uid and name as the full view shows them."""
    rows = [r for r in data.store.read("read/all_nodes") if "Person" in r["labels"]]
    uid = rows[0]["uid"]
    body = client.get(f"/api/entities/{quote(uid, safe=':')}").get_json()
    return uid, body["name"]


def test_access_log_is_json_per_request_without_uids_names_or_queries(
    app: Flask, dataset: Dataset, access_lines: list[str]
) -> None:
    client = use_token(app.test_client(), dataset)
    uid, name = _person(client, dataset)
    access_lines.clear()
    path = quote(uid, safe=":")
    assert client.get(f"/api/entities/{path}").status_code == 200
    assert client.get(f"/api/entities/{path}/neighbourhood?depth=1").status_code == 200
    assert client.get("/api/search", query_string={"q": name}).status_code == 200
    assert client.get(f"/api/entities/{path}-onbekend").status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(f"/api/entities/{path}").status_code == 401
    assert anonymous.get(f"/niet/{path}").status_code == 404

    records = [json.loads(line) for line in access_lines]
    assert len(records) == 6
    assert [(r["method"], r["route"], r["status"]) for r in records] == [
        ("GET", "/api/entities/<path:uid>", 200),
        ("GET", "/api/entities/<path:uid>/neighbourhood", 200),
        ("GET", "/api/search", 200),
        ("GET", "/api/entities/<path:uid>", 404),
        ("GET", "/api/entities/<path:uid>", 401),
        ("GET", "<unmatched>", 404),
    ]
    for record in records:
        assert set(record) == {"time", "method", "route", "status", "duration_ms", "user",
                               "auth", "worker"}
        assert isinstance(record["duration_ms"], float | int) and record["duration_ms"] >= 0
        assert record["worker"] == os.getpid()
    pseudonym = user_pseudonym("riec", app.secret_key)
    assert [r["user"] for r in records] == [pseudonym] * 4 + [None, None]
    assert [r["auth"] for r in records] == ["token"] * 4 + ["", ""]
    text = "\n".join(access_lines)
    for secret in (uid, uid.split(":", 1)[1], name, quote(name), "riec", "q=", "depth"):
        assert secret not in text, secret


def _token(data: Dataset, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {web_fixtures.ensure_accounts(data)[user]}"}


def test_metrics_only_for_loopback_or_the_admin_role(app: Flask, dataset: Dataset) -> None:
    client = use_token(app.test_client(), dataset)
    uid, _ = _person(client, dataset)
    assert client.get(f"/api/entities/{quote(uid, safe=':')}").status_code == 200
    plain = app.test_client()

    local = plain.get("/metrics")  # a local Prometheus: no login
    assert local.status_code == 200
    body = local.get_data(as_text=True)
    assert local.mimetype == "text/plain"
    assert ('ondergraaf_http_requests_total{route="/api/entities/<path:uid>",method="GET",'
            'status="200"}') in body
    assert 'ondergraaf_http_request_duration_seconds_bucket{route="/api/entities/<path:uid>"' \
        in body
    assert f'ondergraaf_engine_up{{engine="{dataset.store.engine}"}} 1' in body
    if dataset.store.engine == "falkordb":  # how the embedded engine came up
        assert 'ondergraaf_engine_start_restarts{engine="falkordb"} 0' in body
    assert "ondergraaf_schema_version" in body
    assert uid not in body and uid.split(":", 1)[1] not in body

    # a remote caller: no login: to the login page; a non-admin 403; an admin 200
    anonymous = plain.get("/metrics", environ_base=REMOTE)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert plain.get("/metrics", environ_base=REMOTE, headers={
        "Authorization": "Bearer og_onzin"}).status_code == 401
    for user in ("analist", "riec", "auditor"):
        refused = plain.get("/metrics", environ_base=REMOTE, headers=_token(dataset, user))
        assert refused.status_code == 403, user
        assert "ondergraaf_http" not in refused.get_data(as_text=True)
    admin = plain.get("/metrics", environ_base=REMOTE, headers=_token(dataset, "beheer"))
    assert admin.status_code == 200
    assert "ondergraaf_http_requests_total" in admin.get_data(as_text=True)
    # through a proxy on the same machine: not loopback
    proxied = plain.get("/metrics", headers={"X-Forwarded-For": "198.51.100.4"})
    assert proxied.status_code == 302 and "ondergraaf_http" not in proxied.get_data(as_text=True)
    assert plain.get("/metrics", headers={"X-Forwarded-For": "198.51.100.4", **_token(
        dataset, "analist")}).status_code == 403


def _worker(folder: str) -> None:  # pragma: no cover - runs in a forked child
    metrics = Metrics(Path(folder))
    for _ in range(3):
        metrics.observe("/api/search", "GET", 200, 0.02)
    metrics.flush()


def test_metrics_of_all_workers_are_added_up(tmp_path: Path) -> None:
    mine = Metrics(tmp_path)
    mine.observe("/api/search", "GET", 200, 0.3)
    mine.observe("/api/search", "GET", 422, 0.001)
    child = multiprocessing.get_context("fork").Process(target=_worker, args=(str(tmp_path),))
    child.start()
    child.join(60)
    assert child.exitcode == 0
    series, workers = mine.merged()
    assert workers == 2
    ok = series["/api/search\tGET\t200"]
    assert ok[0] == 4 and ok[1] == pytest.approx(0.36)
    assert series["/api/search\tGET\t422"][0] == 1
    text = render(series, workers, {"engine": "falkordb", "ok": True})
    assert ('ondergraaf_http_requests_total{route="/api/search",method="GET",status="200"} 4'
            in text)
    # 3 requests of 0.02 s and one of 0.3 s: 3 within 25 ms, 4 within 0.5 s
    assert ('ondergraaf_http_request_duration_seconds_bucket{route="/api/search",method="GET",'
            'status="200",le="0.025"} 3') in text
    assert ('ondergraaf_http_request_duration_seconds_bucket{route="/api/search",method="GET",'
            'status="200",le="0.5"} 4') in text
    assert 'ondergraaf_workers{engine="falkordb"} 2' in text
