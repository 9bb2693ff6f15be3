"""Honest absence on every trimmed read of the web: each page and API answer under a role
and purpose that leave a kind of source out says which kind and how to get it, and never
shows "0 signalen" or "geen treffers" where the role cannot see what would be counted.

Tried as the users meet it: a Bibob officer (``bibob_toets``, no RIEC signals) on the
entity that carries RIEC signals, a RIEC liaison in a RIEC case (no Bibob data), and the
RIEC liaison supporting the Bibob toets, who sees every source and gets no notice."""

from __future__ import annotations

import html
from typing import Any

import jsonschema
import pytest
from flask.testing import FlaskClient

from graph_service.risk.indicators import get_indicator
from graph_service.web.openapi import build_document
from tests.support import web_fixtures
from tests.support.web_fixtures import DOSSIER, TODAY, Dataset, use_token

app = web_fixtures.app
client = web_fixtures.client
dataset = web_fixtures.dataset

DAY = TODAY.isoformat()
NOTICE = 'id="niet-zichtbaar"'
RIEC_NOTICE = "RIEC-signalen zijn voor uw rol en doel niet zichtbaar."
BIBOB_NOTICE = "Bibob-dossiers zijn voor uw rol en doel niet zichtbaar."
#: what a page must never say when the role cannot see what would be counted
CLEAN = ("Geen zichtbare signalen", "geen signalen", "Geen signalen", "0 signalen",
         "RIEC-signalen 0", "Geen indicatoren slaan aan op deze entiteit",
         "Geen treffers.", "0 treffers")
OFFICER = ("bibob", "bibob_toets", DOSSIER)
CASE = ("riec", "riec_casus", "CASUS-2026-0007")


def as_user(client: FlaskClient, dataset: Dataset, who: tuple[str, str, str]) -> FlaskClient:
    return use_token(client, dataset, *who)


@pytest.fixture
def signalled(client: FlaskClient) -> str:
    """An organisation with RIEC signals (a true hit of MULTI_PARTNER_SIGNALS), found by
    the user who sees every source."""
    body = client.get("/api/indicators/MULTI_PARTNER_SIGNALS/hits",
                      query_string={"as_of": DAY, "limit": 1000}).get_json()
    orgs = [h["uid"] for h in body["hits"] if h["label"] == "Organisation"]
    assert orgs, "the dataset plants organisations with signals of several partners"
    return str(orgs[0])


def text_of(client: FlaskClient, url: str, **query: Any) -> str:
    response = client.get(url, query_string=query or None)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def json_of(client: FlaskClient, url: str, **query: Any) -> dict[str, Any]:
    response = client.get(url, query_string=query or None)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    body: dict[str, Any] = response.get_json()
    return body


# -- the entity with RIEC signals ------------------------------------------------------------
def test_the_officer_reads_an_entity_with_signals_and_is_told_so(
        client: FlaskClient, dataset: Dataset, signalled: str) -> None:
    # the user who sees everything: the signals, the hit, no notice
    full = json_of(client, f"/api/entities/{signalled}")
    assert full["relationship_counts"].get("CONCERNS", 0) >= 2
    assert "absent_sources" not in full
    risk = json_of(client, f"/api/entities/{signalled}/risk", as_of=DAY)
    assert "MULTI_PARTNER_SIGNALS" in {h["code"] for h in risk["hits"]}
    assert "absent_sources" not in risk
    page = text_of(client, f"/entiteit/{signalled}", peildatum=DAY)
    assert NOTICE not in page and "niet zichtbaar voor uw rol" not in page

    as_user(client, dataset, OFFICER)
    entity = json_of(client, f"/api/entities/{signalled}")
    assert "CONCERNS" not in entity["relationship_counts"]
    (absent,) = entity["absent_sources"]
    assert absent["class"] == "riec" and absent["sources"] == ["riec"]
    assert absent["notice"] == RIEC_NOTICE and "Vraag het RIEC om een RIEC-toets" in absent["how"]
    assert {"MULTI_PARTNER_SIGNALS", "SIGNAL_NETWORK"} <= set(absent["indicators"])
    assert "STRAW_MAN" not in absent["indicators"]  # evaluated: it rests on KvK facts
    risk = json_of(client, f"/api/entities/{signalled}/risk", as_of=DAY)
    assert "MULTI_PARTNER_SIGNALS" not in {h["code"] for h in risk["hits"]}
    assert risk["absent_sources"] == entity["absent_sources"]

    page = text_of(client, f"/entiteit/{signalled}", peildatum=DAY)
    assert page.count(NOTICE) == 1
    assert RIEC_NOTICE in page and "Vraag het RIEC om een RIEC-toets" in page
    assert html.escape(get_indicator("MULTI_PARTNER_SIGNALS").title) in page.split(NOTICE)[1]
    for clean in CLEAN:
        assert clean not in page, clean


# -- every trimmed read -----------------------------------------------------------------------
API = ["/api/search?q=park", "/api/entities/{uid}", "/api/entities/{uid}/neighbourhood",
       "/api/entities/{uid}/risk", "/api/paths?from={uid}&to=park:VP-0001&max_hops=6",
       "/api/indicators", "/api/indicators/SIGNAL_NETWORK/hits", "/api/hotspots?kind=park"]
PAGES = ["/?q=park", "/entiteit/{uid}", "/paden?van={uid}&naar=park:VP-0001&max=6",
         "/indicatoren", "/indicatoren/SIGNAL_NETWORK", "/hotspots?soort=park",
         "/vis/entities/{uid}", "/vis/paths?from={uid}&to=park:VP-0001&max_hops=6"]


@pytest.mark.parametrize("url", API)
def test_every_api_answer_says_what_it_leaves_out(
        client: FlaskClient, dataset: Dataset, signalled: str, url: str) -> None:
    target = url.format(uid=signalled)
    assert "absent_sources" not in json_of(client, target)  # the liaison sees every source
    as_user(client, dataset, OFFICER)
    assert [a["class"] for a in json_of(client, target)["absent_sources"]] == ["riec"]
    as_user(client, dataset, CASE)
    (bibob,) = json_of(client, target)["absent_sources"]
    assert bibob["class"] == "bibob" and bibob["notice"] == BIBOB_NOTICE
    assert "art. 28" in bibob["how"] and "BIBOB_RELATED_SIGNAL" in bibob["indicators"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_says_what_it_leaves_out(
        client: FlaskClient, dataset: Dataset, signalled: str, url: str) -> None:
    target = url.format(uid=signalled)
    assert NOTICE not in text_of(client, target)
    as_user(client, dataset, OFFICER)
    page = text_of(client, target)
    assert page.count(NOTICE) == 1 and RIEC_NOTICE in page and BIBOB_NOTICE not in page
    for clean in CLEAN:
        assert clean not in page, clean
    as_user(client, dataset, CASE)
    page = text_of(client, target)
    assert page.count(NOTICE) == 1 and BIBOB_NOTICE in page and RIEC_NOTICE not in page


def test_routes_without_data_carry_no_notice(client: FlaskClient, dataset: Dataset) -> None:
    as_user(client, dataset, OFFICER)
    assert "absent_sources" not in json_of(client, "/openapi.json")
    assert "absent_sources" not in json_of(client, "/healthz")
    missing = client.get("/api/entities/kvk:00000000")
    assert missing.status_code == 404 and "absent_sources" not in missing.get_json()


# -- counts the role cannot see are never 0 ----------------------------------------------------
def test_hotspot_signals_are_not_visible_rather_than_zero(
        client: FlaskClient, dataset: Dataset) -> None:
    full = json_of(client, "/api/hotspots", kind="park", as_of=DAY)["hotspots"]
    assert all(isinstance(h["counts"]["signals"], int) for h in full)
    as_user(client, dataset, OFFICER)
    officer = json_of(client, "/api/hotspots", kind="park", as_of=DAY)["hotspots"]
    assert officer and all(h["counts"]["signals"] is None for h in officer)
    page = text_of(client, "/hotspots", soort="park", peildatum=DAY)
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows.count("niet zichtbaar voor uw rol en doel") == len(officer)


def test_an_indicator_resting_on_hidden_facts_is_not_evaluated(
        client: FlaskClient, dataset: Dataset) -> None:
    full = text_of(client, "/indicatoren/SIGNAL_NETWORK", peildatum=DAY)
    assert "Niet beoordeeld" not in full and " treffer" in full
    as_user(client, dataset, OFFICER)
    page = text_of(client, "/indicatoren/SIGNAL_NETWORK", peildatum=DAY)
    assert "Niet beoordeeld op" in page and "Geen treffers in wat u mag zien." in page
    listing = text_of(client, "/indicatoren", peildatum=DAY)
    row = listing.split("SIGNAL_NETWORK", 1)[1].split("</tr>", 1)[0]
    assert "niet beoordeeld" in row
    straw = listing.split("STRAW_MAN", 1)[1].split("</tr>", 1)[0]
    assert "niet beoordeeld" not in straw  # KvK facts: evaluated


# -- the contract -------------------------------------------------------------------------------
def test_the_block_is_declared_in_the_openapi_document(
        client: FlaskClient, dataset: Dataset, signalled: str) -> None:
    doc = build_document()
    schemas = doc["components"]["schemas"]
    declared = 0
    for route, item in doc["paths"].items():
        if not route.startswith("/api/"):
            continue
        for op in item.values():
            ok = op["responses"]["200"]["content"]["application/json"]["schema"]
            target = schemas[ok["$ref"].rsplit("/", 1)[-1]]
            assert "absent_sources" in target["properties"], route
            declared += 1
    assert declared >= len(API)
    as_user(client, dataset, OFFICER)
    item_schema = schemas["AbsentSource"]
    for absent in json_of(client, f"/api/entities/{signalled}")["absent_sources"]:
        jsonschema.validate(absent, item_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**absent, "class": "geheim"}, item_schema)
