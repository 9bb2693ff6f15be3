"""Every read of personal data through the web leaves one audit record, on both engines.

Each API, page and graph route is called and the last record of the trail checked: actor,
roles, purpose, reference, action, what (method, path, endpoint, parameters, status,
session or token), the uids the answer held, the client IP and the outcome. Refusals are
recorded as ``denied``; logins, failed logins and logouts too; a request without any
credentials is not (nothing was handed out, nobody to name). A trail that cannot take the
record stops the answer (503, no data). The web records are part of the one sealed chain:
``verify()`` still holds after them; that an edited record is caught is shown for every
kind of tampering in ``tests/security/test_security_audit.py::test_tampering_is_detected``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph_service.security.audit import AuditTrail, uids_in
from tests.support import web_fixtures
from tests.support.web_fixtures import (
    DOSSIER,
    TODAY,
    Dataset,
    ensure_loaded,
    login,
    make_app,
    use_token,
)

dataset = web_fixtures.dataset

DAY = TODAY.isoformat()
PARK = "park:VP-0001"
U1, U2 = "unit:VP-0001/5", "unit:VP-0001/6"

API = [
    ("api.search", "/api/search", {"q": "park", "limit": "5"}),
    ("api.entity", f"/api/entities/{PARK}", {}),
    ("api.neighbourhood", f"/api/entities/{PARK}/neighbourhood", {"depth": "1"}),
    ("api.paths", "/api/paths", {"from": U1, "to": U2, "max_hops": "2"}),
    ("api.entity_risk", f"/api/entities/{U1}/risk", {"as_of": DAY}),
    ("api.entity_timeline_route", f"/api/entities/{U1}/timeline", {"as_of": DAY}),
    ("api.indicators", "/api/indicators", {}),
    ("api.indicator_hits", "/api/indicators/STRAW_MAN/hits", {"as_of": DAY, "limit": "3"}),
    ("api.bibob_screening", f"/api/bibob/{DOSSIER}/screening", {"as_of": DAY}),
    ("api.hotspots", "/api/hotspots", {"kind": "park", "as_of": DAY, "limit": "5"}),
    ("alerts.api_alerts", "/api/alerts", {"nieuw": "1"}),
    ("alerts.api_watches", "/api/watches", {}),
]
PAGES = [
    ("pages.search", "/", {"q": "park"}, None),
    ("pages.entity", f"/entiteit/{PARK}", {"peildatum": DAY}, PARK),
    ("pages.timeline", f"/tijdlijn/{PARK}", {"peildatum": DAY}, PARK),
    ("pages.bibob", f"/bibob/{DOSSIER}", {"peildatum": DAY}, f"dossier:{DOSSIER}"),
    ("pages.indicators", "/indicatoren", {"peildatum": DAY}, None),
    ("pages.indicator", "/indicatoren/STRAW_MAN", {"peildatum": DAY}, None),
    ("pages.hotspots", "/hotspots", {"soort": "park", "peildatum": DAY}, None),
    ("alerts.page", "/meldingen", {"nieuw": "1"}, None),
    ("pages.paths", "/paden", {"van": U1, "naar": U2, "max": "2"}, PARK),
    ("vis.entity", f"/vis/entities/{PARK}", {"depth": "1"}, PARK),
    ("vis.bibob", f"/vis/bibob/{DOSSIER}", {"as_of": DAY}, f"dossier:{DOSSIER}"),
    ("vis.paths", "/vis/paths", {"from": U1, "to": U2, "max_hops": "2"}, PARK),
]
GRAPH = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.S)
HREF = re.compile(r'href="/entiteit/([^"?#]+)"')


@pytest.fixture
def app(dataset: Dataset) -> Flask:
    ensure_loaded(dataset)
    return make_app(dataset)


@pytest.fixture
def trail(dataset: Dataset) -> AuditTrail:
    return dataset.audit()


def last(trail: AuditTrail, n: int = 1) -> list[dict[str, Any]]:
    return list(trail.read())[-n:]


def count(trail: AuditTrail) -> int:
    return sum(1 for _ in trail.read())


@pytest.mark.parametrize(("endpoint", "path", "query"), API, ids=[a[0] for a in API])
def test_every_api_read_is_recorded(app: Flask, dataset: Dataset, trail: AuditTrail,
                                    endpoint: str, path: str, query: dict[str, str]) -> None:
    client = use_token(app.test_client(), dataset)  # riec_liaison, bibob_toets, DOSSIER
    response = client.get(path, query_string=query,
                          environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 200
    (rec,) = last(trail)
    assert rec["actor"] == "riec" and rec["roles"] == ["riec_liaison"]
    assert rec["purpose"] == "bibob_toets" and rec["reference"] == DOSSIER
    assert rec["action"] == "read" and rec["outcome"] == "ok"
    assert rec["client"] == "10.1.2.3"
    what = rec["what"]
    assert what["name"] == f"GET {path}" and what["endpoint"] == endpoint
    assert what["status"] == 200 and what["auth"] == "token"
    assert {k: v for k, v in what["params"].items() if k in query} == query
    assert rec["uids"] == uids_in(response.get_json())  # exactly what was handed out
    if endpoint not in ("api.indicators", "api.hotspots", "alerts.api_alerts",
                        "alerts.api_watches"):  # no entity in the answer (nothing followed)
        assert rec["uids"]
    assert "og_" not in json.dumps(rec)  # the token never enters the trail


@pytest.mark.parametrize(("endpoint", "path", "query", "uid"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_read_is_recorded(app: Flask, trail: AuditTrail, endpoint: str, path: str,
                                     query: dict[str, str], uid: str | None) -> None:
    client = login(app.test_client(), "bibob", "bibob_toets", DOSSIER)
    response = client.get(path, query_string=query)
    assert response.status_code == 200
    (rec,) = last(trail)
    assert rec["actor"] == "bibob" and rec["roles"] == ["bibob_officer"]
    assert (rec["purpose"], rec["reference"], rec["action"], rec["outcome"]) == (
        "bibob_toets", DOSSIER, "read", "ok")
    assert rec["what"]["endpoint"] == endpoint and rec["what"]["auth"] == "sessie"
    assert rec["client"] == "127.0.0.1"
    html = response.get_data(as_text=True)
    shown = {u for u in HREF.findall(html)}
    for data in GRAPH.findall(html):
        shown |= {n["uid"] for n in json.loads(data)["nodes"] if n["kind"] != "Overflow"}
    from urllib.parse import unquote

    shown = {unquote(u) for u in shown}
    assert shown <= set(rec["uids"])  # every entity the page links or draws
    if uid is not None:
        assert uid in rec["uids"]
    if endpoint not in ("pages.indicators", "alerts.page"):  # nothing followed: no entity
        assert rec["uids"]


def test_refusals_errors_and_logins_are_recorded(app: Flask, dataset: Dataset,
                                                 trail: AuditTrail) -> None:
    client = app.test_client()
    # no credentials at all: nothing handed out, nothing recorded
    before = count(trail)
    assert client.get("/api/search?q=park").status_code == 401
    assert client.get("/entiteit/park:VP-0001").status_code == 302
    assert count(trail) == before
    # a bad token: recorded by the account layer
    client.get("/api/search?q=park", headers={"Authorization": "Bearer og_wrong"})
    (rec,) = last(trail)
    assert (rec["action"], rec["outcome"]) == ("login_failed", "denied")
    # a role that may not work for the purpose
    use_token(client, dataset, "analist", "bibob_toets", DOSSIER)
    assert client.get("/api/search?q=park").status_code == 403
    (rec,) = last(trail)
    assert (rec["actor"], rec["action"], rec["outcome"]) == ("analist", "denied", "denied")
    assert rec["purpose"] == "bibob_toets" and rec["uids"] == []
    assert "mag u niet werken" in rec["what"]["reason"]
    # an unknown purpose is kept in what, not as the purpose
    use_token(client, dataset, "analist", "stiekem", None)
    client.get("/api/search?q=park")
    (rec,) = last(trail)
    assert rec["purpose"] is None and rec["what"]["purpose_asked"] == "stiekem"
    # a screening of another dossier than the reference
    use_token(client, dataset, "bibob", "bibob_toets", DOSSIER)
    client.get("/api/bibob/WV-2026-00001/screening")
    (rec,) = last(trail)
    assert rec["action"] == "denied" and "doelbinding" in rec["what"]["reason"]
    # a look-up that finds nothing is on the record too (who looked for whom)
    client.get("/api/entities/person:0000000000000000")
    (rec,) = last(trail)
    assert (rec["action"], rec["outcome"], rec["what"]["status"]) == ("read", "error", 404)
    assert rec["what"]["params"]["uid"] == "person:0000000000000000"
    # login, failed login, logout; a refused purpose on /doel
    session = app.test_client()
    login(session, "analist", password="fout-wachtwoord-1234", expect=401)
    (rec,) = last(trail)
    assert (rec["actor"], rec["action"], rec["outcome"]) == ("analist", "login_failed", "denied")
    assert rec["what"]["params"]["reason"] == "onjuist wachtwoord"
    login(session, "analist")
    (rec,) = last(trail)
    assert (rec["actor"], rec["action"], rec["roles"]) == ("analist", "login", ["analyst"])
    web_fixtures.choose(session, "bibob_toets", DOSSIER, status=403)
    (rec,) = last(trail)
    assert rec["action"] == "denied" and rec["what"]["name"] == "POST /doel"
    token = web_fixtures.csrf_of(session.get("/doel").get_data(as_text=True))
    session.post("/logout", data={"csrf_token": token})
    (rec,) = last(trail)
    assert (rec["actor"], rec["action"], rec["outcome"]) == ("analist", "logout", "ok")
    assert trail.verify().ok  # one sealed chain with the CLI's records


def test_forwarded_for_is_trusted_only_when_configured(dataset: Dataset,
                                                       trail: AuditTrail) -> None:
    spoof = {"X-Forwarded-For": "203.0.113.9"}
    for hops, client_ip in ((0, "127.0.0.1"), (1, "203.0.113.9")):
        app = make_app(dataset, PROXY_HOPS=hops)
        client = use_token(app.test_client(), dataset)
        assert client.get("/api/indicators", headers=spoof).status_code == 200
        (rec,) = last(trail)
        assert rec["client"] == client_ip


def test_no_record_no_data(app: Flask, dataset: Dataset, trail: AuditTrail) -> None:
    """A trail that cannot take the record stops the answer: 503, nothing handed out."""
    client = use_token(app.test_client(), dataset)
    with trail.path.open("ab") as fh:  # a torn last line: the trail refuses appends
        fh.write(b'{"seq": ')
    try:
        response = client.get(f"/api/entities/{PARK}")
        assert response.status_code == 503
        assert response.get_json()["ok"] is False and PARK not in response.get_data(as_text=True)
        page = client.get(f"/entiteit/{PARK}")
        assert page.status_code == 503 and "park" not in page.get_data(as_text=True).lower()
    finally:
        data = trail.path.read_bytes()
        trail.path.write_bytes(data[: data.rindex(b"\n") + 1])
    assert client.get(f"/api/entities/{PARK}").status_code == 200
    assert trail.verify().ok


def test_session_client_sends_no_purpose_headers(app: Flask, trail: AuditTrail) -> None:
    """A session uses the purpose chosen on /doel; purpose headers do not change it."""
    client: FlaskClient = login(app.test_client(), "analist", "analyse")
    response = client.get("/api/search?q=park", headers={
        "X-Ondergraaf-Purpose": "riec_casus", "X-Ondergraaf-Reference": "C-1"})
    assert response.status_code == 200
    (rec,) = last(trail)
    assert (rec["purpose"], rec["reference"], rec["what"]["auth"]) == ("analyse", None, "sessie")
