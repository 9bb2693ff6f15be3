"""Watchlists and alerts on the web (graph_service.web.alerts): the API, the page
"Meldingen", the follow button on the profile, the page of the hit refreshes ("Ladingen"),
with the real login, purposes, CSRF and audit trail.

Alerts are made the way ``update_after_load`` stores them (``write/alert_create``, with the
access scopes that see the facts they rest on); the loads that make them are tested in
``tests/risk/test_watch.py``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask

from graph_service.risk import stored, watch
from graph_service.security.audit import AuditTrail
from graph_service.store import Store
from tests.support import web_fixtures
from tests.support.web_fixtures import (
    DOSSIER,
    Dataset,
    csrf_of,
    ensure_loaded,
    login,
    make_app,
    use_token,
)
from tests.web import test_browser
from tests.web.test_dutch_crawl import problems, visible

dataset = web_fixtures.dataset
live, context, page = test_browser.live, test_browser.context, test_browser.page

CASE = "CAS-WEB-001"
PARK = "park:VP-0001"
U1 = "unit:VP-0001/5"
SIGNAL_SCOPES = [stored.scope_key(v) for v in stored.SCOPES if "riec" in v]
ALL_SCOPES = [stored.scope_key(v) for v in stored.SCOPES]


@pytest.fixture
def app(dataset: Dataset) -> Iterator[Flask]:
    ensure_loaded(dataset)
    yield make_app(dataset)
    for w in dataset.store.read("read/retention_watches"):  # leave no watch behind
        dataset.store.write("write/watch_delete", {"uid": w["uid"]})


def _alert(store: Store, purpose: str, reference: str, followed: str, kind: str,
           about: list[str], scopes: list[str]) -> str:
    uid = f"alert:{uuid.uuid4().hex}"
    store.write_rows("write/alert_create", [{
        "uid": uid, "watch": f"watch:{purpose}:{reference}:{followed}", "purpose": purpose,
        "reference": reference, "followed": followed, "kind": kind, "about": about,
        "scopes": scopes, "purposes": sorted({c for k in scopes for c in k.split(",") if c}),
        "created": "2026-11-28T06:00:00.000000+00:00", "run": "hits:test"}])
    return uid


def _signal(store: Store) -> str:
    rows = store.read("read/all_nodes")
    return str(sorted(r["uid"] for r in rows if "Signal" in r["labels"])[0])


def _last(trail: AuditTrail) -> dict[str, Any]:
    return list(trail.read())[-1]


def test_follow_read_and_unfollow_through_the_api(app: Flask, dataset: Dataset) -> None:
    client = use_token(app.test_client(), dataset, "riec", "riec_casus", CASE)
    assert client.get("/api/watches").get_json()["watches"] == []
    made = client.post(f"/api/watches/{PARK}", query_string={"depth": "1"})
    assert made.status_code == 200, made.get_data(as_text=True)
    expected = {"uid": PARK, "purpose": "riec_casus", "reference": CASE, "followed": True,
                "depth": 1, "by": "riec"}
    assert {k: made.get_json()[k] for k in expected} == expected
    (listed,) = client.get("/api/watches").get_json()["watches"]
    assert (listed["uid"], listed["depth"], listed["by"]) == (PARK, 1, "riec")

    signal = _signal(dataset.store)
    first = _alert(dataset.store, "riec_casus", CASE, PARK, "signal_new", [signal, U1],
                   SIGNAL_SCOPES)
    second = _alert(dataset.store, "riec_casus", CASE, PARK, "address_new", [U1, PARK],
                    ALL_SCOPES)
    body = client.get("/api/alerts").get_json()
    assert body["count"] == 2 and {a["uid"] for a in body["alerts"]} == {first, second}
    assert all(not a["read"] and a["followed"] == PARK for a in body["alerts"])
    trail = dataset.audit()
    record = _last(trail)
    assert (record["purpose"], record["reference"], record["what"]["endpoint"]) == (
        "riec_casus", CASE, "alerts.api_alerts")
    assert {PARK, U1, signal} <= set(record["uids"])  # the entities the alerts name

    assert client.get("/api/alerts", query_string={"nieuw": "1"}).get_json()["count"] == 2
    marked = client.post("/api/alerts/read").get_json()
    assert marked["marked"] == 2
    assert client.get("/api/alerts", query_string={"nieuw": "1"}).get_json()["count"] == 0
    assert all(a["read"] for a in client.get("/api/alerts").get_json()["alerts"])
    assert client.post("/api/alerts/read").get_json()["marked"] == 0

    gone = client.delete(f"/api/watches/{PARK}")
    assert gone.status_code == 200 and gone.get_json()["followed"] is False
    assert _last(trail)["what"]["name"] == f"DELETE /api/watches/{PARK}"
    assert client.get("/api/alerts").get_json()["count"] == 0  # its alerts went with it
    again = client.delete(f"/api/watches/{PARK}")
    assert again.status_code == 404 and again.get_json()["code"] == "not_found"


def test_a_signal_alert_is_not_shown_to_a_role_that_may_not_see_signals(
        app: Flask, dataset: Dataset) -> None:
    liaison = use_token(app.test_client(), dataset)  # riec_liaison, bibob_toets, DOSSIER
    assert liaison.post(f"/api/watches/{PARK}").status_code == 200
    signal = _signal(dataset.store)
    _alert(dataset.store, "bibob_toets", DOSSIER, PARK, "signal_new", [signal, U1],
           SIGNAL_SCOPES)
    address = _alert(dataset.store, "bibob_toets", DOSSIER, PARK, "address_new", [U1, PARK],
                     ALL_SCOPES)
    assert liaison.get("/api/alerts").get_json()["count"] == 2
    officer = use_token(app.test_client(), dataset, "bibob", "bibob_toets", DOSSIER)
    seen = officer.get("/api/alerts").get_json()["alerts"]
    assert [a["uid"] for a in seen] == [address]
    page = login(app.test_client(), "bibob", "bibob_toets", DOSSIER).get("/meldingen")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "nieuw adres" in html and "nieuw signaal" not in html
    officer.post("/api/alerts/read")  # marks only what the officer sees
    unread = liaison.get("/api/alerts", query_string={"nieuw": "1"}).get_json()["alerts"]
    assert [a["kind"] for a in unread] == ["signal_new"]


@pytest.mark.parametrize(("user", "purpose", "reference"), [
    ("analist", "analyse", None), ("riec", "bibob_toets", None)])
def test_other_purposes_get_a_clear_refusal(app: Flask, dataset: Dataset, user: str,
                                            purpose: str, reference: str | None) -> None:
    client = use_token(app.test_client(), dataset, user, purpose, reference)
    for method, url in (("GET", "/api/alerts"), ("GET", "/api/watches"),
                        ("POST", "/api/alerts/read"), ("POST", f"/api/watches/{PARK}"),
                        ("DELETE", f"/api/watches/{PARK}")):
        response = client.open(url, method=method)
        body = response.get_json()
        if reference is None and purpose == "bibob_toets":  # no dossier: refused earlier
            assert response.status_code == 403 and body["code"] == "forbidden"
            continue
        assert response.status_code == 403, (url, body)
        assert body["code"] == "case_purpose_required"
        assert "RIEC-casus" in body["error"] and "Bibob-toets" in body["error"]
    assert dataset.store.read("read/retention_watches") == []


def test_follow_checks_depth_and_what_the_scope_sees(app: Flask, dataset: Dataset) -> None:
    officer = use_token(app.test_client(), dataset, "bibob", "bibob_toets", DOSSIER)
    assert officer.post(f"/api/watches/{PARK}", query_string={"depth": "4"}
                        ).get_json()["code"] == "invalid_parameter"
    assert officer.post("/api/watches/park:GEEN").status_code == 404
    signal = _signal(dataset.store)  # exists, but signals are not the officer's to see
    hidden = officer.post(f"/api/watches/{quote(signal)}")
    assert hidden.status_code == 404 and hidden.get_json()["code"] == "not_found"
    other = officer.post("/api/watches/dossier:WV-2026-00001")  # another dossier
    assert other.status_code == 403
    assert dataset.store.read("read/retention_watches") == []


def test_the_follow_button_and_the_meldingen_page(app: Flask, dataset: Dataset) -> None:
    client = login(app.test_client(), "riec", "riec_casus", CASE)
    response = client.get(f"/entiteit/{PARK}")
    profile = response.get_data(as_text=True)
    assert response.status_code == 200, profile[profile.find("<main"):][:2000]
    assert 'action="/volgen/' in profile and "Niet meer volgen" not in profile
    assert re.search(r'<a href="/meldingen"[^>]*>Meldingen</a>', profile)
    refused = client.post(f"/volgen/{PARK}", data={"diepte": "1"})  # no CSRF token
    assert refused.status_code == 400
    api_refused = client.post(f"/api/watches/{PARK}")  # the session's API: CSRF too
    assert api_refused.status_code == 400
    assert dataset.store.read("read/retention_watches") == []
    done = client.post(f"/volgen/{PARK}", data={"diepte": "1", "csrf_token": csrf_of(profile)})
    assert done.status_code == 302 and done.headers["Location"].endswith("#volgen")
    (w,) = dataset.store.read("read/retention_watches")
    assert (w["purpose"], w["reference"]) == ("riec_casus", CASE)
    assert watch.followed(dataset.store, "riec_casus", CASE)[0]["depth"] == 1
    profile = client.get(f"/entiteit/{PARK}").get_data(as_text=True)
    assert "Niet meer volgen" in profile and "tot 1 stap ver" in profile

    _alert(dataset.store, "riec_casus", CASE, PARK, "address_new", [U1, PARK], ALL_SCOPES)
    _alert(dataset.store, "riec_casus", CASE, PARK, "hit_new", ["STRAW_MAN", U1], ALL_SCOPES)
    _alert(dataset.store, "riec_casus", CASE, PARK, "role_ended",
           [U1, "raad_van_commissarissen", PARK], ALL_SCOPES)
    trail = dataset.audit()
    reads: list[str] = []  # the store's read hook: which statements the page runs
    dataset.store.read_guard = lambda name, scope: reads.append(name)
    try:
        page = client.get("/meldingen")
    finally:
        dataset.store.read_guard = None
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # the names of the followed and named entities (PARK, U1) come from one statement
    assert reads.count("read/entity_nodes") == 1, reads
    assert f'href="/entiteit/{PARK}"' in html and f'href="/entiteit/{U1}"' in html
    assert "nieuw adres" in html and "<strong>3</strong> nieuw" in html
    assert "functie beëindigd" in html and "raad van commissarissen" in html
    assert "nieuwe treffer</strong>: Katvanger: functionaris van" in html
    assert problems(" ".join(visible(html).text)) == []  # Dutch, no codes or field names
    record = _last(trail)
    assert record["what"]["endpoint"] == "alerts.page" and record["reference"] == CASE
    assert {PARK, U1} <= set(record["uids"])
    read = client.post("/meldingen/gelezen", data={"csrf_token": csrf_of(html)})
    assert read.status_code == 302
    html = client.get("/meldingen", query_string={"nieuw": "1"}).get_data(as_text=True)
    assert "<strong>0</strong> nieuw" in html and "nieuw adres" not in html

    client.post(f"/niet-meer-volgen/{PARK}", data={"csrf_token": csrf_of(html)})
    assert dataset.store.read("read/retention_watches") == []
    assert "Niet meer volgen" not in client.get(f"/entiteit/{PARK}").get_data(as_text=True)


def test_no_button_and_no_meldingen_where_the_purpose_cannot_follow(
        app: Flask, dataset: Dataset) -> None:
    analyst = login(app.test_client(), "analist", "analyse")
    profile = analyst.get(f"/entiteit/{PARK}").get_data(as_text=True)
    assert 'action="/volgen/' not in profile
    assert 'href="/meldingen"' in profile  # the analyst may work for a RIEC case
    page = analyst.get("/meldingen")
    assert page.status_code == 403 and "RIEC-casus" in page.get_data(as_text=True)
    auditor = login(app.test_client(), "auditor", "audit")
    refused = auditor.get("/").get_data(as_text=True)
    assert 'href="/meldingen"' not in refused and 'href="/ladingen"' not in refused


def test_the_page_of_the_hit_refreshes(app: Flask, dataset: Dataset) -> None:
    store = dataset.store
    first = stored.refresh(store)
    second = stored.refresh(store)
    assert first.published and second.published
    analyst = login(app.test_client(), "analist", "analyse")
    overview = analyst.get("/indicatoren").get_data(as_text=True)
    assert 'href="/ladingen"' in overview
    html = analyst.get("/ladingen").get_data(as_text=True)
    assert "Berekeningen van de treffers" in html
    table = html.split('id="verschil-tabel"', 1)[1].split("</table>", 1)[0]
    shown = dict(re.findall(r'<span class="code">(\w+)</span></td><td class="num">([\d.]+)<',
                            table))
    assert {k: int(v.replace(".", "")) for k, v in shown.items()} == second.hits
    assert problems(" ".join(visible(html).text)) == []

    admin = login(app.test_client(), "beheer", "beheer")
    trail = dataset.audit()
    response = admin.get("/ladingen", query_string={"van": first.run, "naar": second.run})
    assert response.status_code == 200
    compared = response.get_data(as_text=True).split('id="vergelijk-tabel"', 1)[1]
    assert stored.diff_runs(store, first.run, second.run) == {}
    assert "Geen verschil." in compared.split("</table>", 1)[0]
    record = _last(trail)
    assert (record["actor"], record["what"]["endpoint"], record["outcome"]) == (
        "beheer", "alerts.runs", "ok")
    assert admin.get("/ladingen", query_string={"run": "hits:geen"}).status_code == 404
    officer = login(app.test_client(), "bibob", "bibob_toets", DOSSIER)
    assert officer.get("/ladingen").status_code == 403
    assert _last(trail)["action"] == "denied"


@pytest.mark.browser
def test_follow_with_the_button_and_see_it_on_meldingen(dataset: Dataset, page: Any,
                                                        live: Any) -> None:
    """Headless Chromium (tests/web/test_browser.py: real login as the RIEC liaison for
    the Bibob-toets of the dossier, no other host, no CSP violation): follow an entity with
    the button and find it on the page Meldingen."""
    try:
        page.goto(f"{live.base}/entiteit/{PARK}")
        page.get_by_label("Ook wat zoveel stappen verder ligt").select_option("1")
        page.get_by_role("button", name="Volgen", exact=True).click()
        page.wait_for_selector("text=Niet meer volgen")
        assert "tot 1 stap ver" in page.locator("#volgen").inner_text()
        page.get_by_role("link", name="Meldingen", exact=True).click()
        page.wait_for_url("**/meldingen")
        heading = page.locator("section.volg-groep h2 a")
        assert heading.get_attribute("href") == f"/entiteit/{PARK}"
        assert "Gevolgd tot 1 stap" in page.locator("section.volg-groep").inner_text()
        (w,) = watch.followed(dataset.store, "bibob_toets", DOSSIER)
        assert (w["uid"], w["depth"], w["by"]) == (PARK, 1, "riec")
    finally:
        for w in dataset.store.read("read/retention_watches"):
            dataset.store.write("write/watch_delete", {"uid": w["uid"]})
