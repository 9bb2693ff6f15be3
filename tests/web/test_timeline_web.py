"""The timeline over the API and as a page (the generated dataset): the API hands out what
the query gives under the same scope, every event is marked against the reference date,
the page is Dutch and marks what holds on the peildatum, the profile and the screening
link to it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from graph_service.queries.timeline import entity_timeline
from graph_service.store import access
from tests.support import web_fixtures
from tests.support.web_fixtures import DOSSIER, TODAY, Dataset, login
from tests.web.test_dutch_crawl import problems, visible

app = web_fixtures.app
client = web_fixtures.client
dataset = web_fixtures.dataset

DAY = TODAY.isoformat()


def _get(client: FlaskClient, url: str, **query: str) -> dict[str, Any]:
    response = client.get(url, query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    body: dict[str, Any] = response.get_json()
    return body


def _party_with_roles(client: FlaskClient) -> str:
    """A party of the dossier whose timeline holds a role (from the dossier's timeline)."""
    found = _get(client, f"/api/entities/dossier:{DOSSIER}/timeline", as_of=DAY)
    roles = [e["subject"] for e in found["events"]
             if e["kind"] == "role" and e["subject"].startswith("kvk:")]
    assert roles, "the dossier's parties hold no KvK role"
    return str(sorted(roles)[0])


def _status(event: dict[str, Any], as_of: str) -> str:
    if event["date"] > as_of:
        return "later"
    if not event["period"]:
        return "past"
    return "ended" if event["end"] is not None and event["end"] < as_of else "active"


def test_dossier_timeline_over_the_api(client: FlaskClient) -> None:
    found = _get(client, f"/api/entities/dossier:{DOSSIER}/timeline", as_of=DAY)
    assert found["uid"] == f"dossier:{DOSSIER}" and found["label"] == "BibobDossier"
    kinds = {(e["subject"], e["kind"]) for e in found["events"]}
    assert (f"dossier:{DOSSIER}", "dossier") in kinds
    assert found["parties"] and {p["uid"] for p in found["parties"]} >= {
        s for s, _ in kinds if s != f"dossier:{DOSSIER}"}
    dates = [e["date"] for e in found["events"]]
    assert dates == sorted(dates)


def test_entity_timeline_is_the_query_under_the_same_scope(client: FlaskClient,
                                                            dataset: Dataset) -> None:
    uid = _party_with_roles(client)
    as_of = "2022-01-01"
    body = _get(client, f"/api/entities/{uid}/timeline", as_of=as_of)
    with access.scope(access.FULL):
        direct = entity_timeline(dataset.store, uid, dt.date(2022, 1, 1))
    for event in (*direct["events"], *direct["undated"]):
        if event["other"] is not None:
            event["other"].pop("properties")
    assert body["events"] == direct["events"] and body["undated"] == direct["undated"]
    assert body["as_of"] == as_of and body["events"]
    assert all(e["status"] == _status(e, as_of) for e in body["events"])
    # every event lies after a date long before the dataset
    early = _get(client, f"/api/entities/{uid}/timeline", as_of="1900-01-01")
    assert {e["status"] for e in early["events"]} == {"later"}


def test_timeline_errors(client: FlaskClient) -> None:
    assert client.get("/api/entities/kvk:00000000/timeline").status_code == 404
    bad = client.get(f"/api/entities/dossier:{DOSSIER}/timeline", query_string={"as_of": ""})
    assert bad.status_code == 422 and bad.get_json()["code"] == "invalid_parameter"


def test_timeline_page_is_dutch_and_marks_the_peildatum(app: Flask, client: FlaskClient) -> None:
    uid = _party_with_roles(client)
    api = _get(client, f"/api/entities/{uid}/timeline", as_of=DAY)
    page_client = login(app.test_client(), "bibob", "bibob_toets", DOSSIER)
    response = page_client.get(f"/tijdlijn/{uid}", query_string={"peildatum": DAY})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert problems(" ".join(visible(html).text)) == []
    assert "Tijdlijn van" in html
    years = re.findall(r'<h2 id="jaar-(\d{4})">', html)
    assert years == api["years"]
    active = sum(1 for e in api["events"] if e["status"] == "active")
    assert html.count('<li class="tl-active">') == active
    assert html.count("actief op peildatum") == active
    later = sum(1 for e in api["events"] if e["status"] == "later")
    assert html.count('<li class="tl-later">') == later


def test_profile_and_screening_link_to_the_timeline(app: Flask) -> None:
    page_client = login(app.test_client(), "bibob", "bibob_toets", DOSSIER)
    screening = page_client.get(f"/bibob/{DOSSIER}", query_string={"peildatum": DAY})
    assert f'href="/tijdlijn/dossier:{DOSSIER}?peildatum={DAY}"' in \
        screening.get_data(as_text=True)
    profile = page_client.get(f"/entiteit/dossier:{DOSSIER}")
    assert f'href="/tijdlijn/dossier:{DOSSIER}?peildatum=' in profile.get_data(as_text=True)
    timeline = page_client.get(f"/tijdlijn/dossier:{DOSSIER}", query_string={"peildatum": DAY})
    assert timeline.status_code == 200
    assert "Bibob-aanvraag ingediend" in timeline.get_data(as_text=True)
