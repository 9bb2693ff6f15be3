"""The review page of look-alike pairs (graph_service.web.review) on the generated dataset:
the list and a pair's page for any purpose, the decision form only for the roles that may
decide, a confirmation that the profile then shows as "bevestigd dezelfde als", its
reversal, and the audit records with both persons' uids."""

from __future__ import annotations

import re

from flask import Flask

from graph_service.risk import judgements, stored
from graph_service.store import access
from tests.support import web_fixtures
from tests.support.web_fixtures import DOSSIER, Dataset, csrf_of, login, use_token

app = web_fixtures.app
client = web_fixtures.client
dataset = web_fixtures.dataset

PAIR_LINK = re.compile(r'href="/beoordelen/([^/"]+)/([^/"]+)"')


def _first_pair(html: str) -> tuple[str, str]:
    match = PAIR_LINK.search(html)
    assert match, html[html.find("<main"):][:2000]
    return match.group(1), match.group(2)


def _propose(data: Dataset, first: int) -> tuple[str, str]:
    """Two KvK persons of the dataset (from the ``first`` by uid) proposed as a look-alike
    pair, as the loader writes one (the generated data has no pair of its own)."""
    persons = sorted(r["uid"] for r in data.store.read("read/all_nodes")
                     if "Person" in r["labels"] and r["node"].get("sources") == ["kvk"])
    a, b = persons[first], persons[first + 1]
    data.store.write_rows("write/merge_possible_same_as", [
        {"start": a, "end": b, "score": 0.8, "reason": "zelfde naam, geboortedatum bijna "
                                                         "gelijk / same name, near birth date"}])
    return a, b


def _same_as(data: Dataset, a: str) -> list[str]:
    with access.scope(access.FULL):
        return [t["node"]["uid"] for t in judgements.twins(data.store, [a]).get(a, [])]


def test_an_officer_confirms_and_reverses_a_pair(app: Flask, dataset: Dataset) -> None:
    proposed = _propose(dataset, 0)
    officer = login(app.test_client(), "bibob", "bibob_toets", DOSSIER)
    listing = officer.get("/beoordelen")
    html = listing.get_data(as_text=True)
    assert listing.status_code == 200
    assert "Mogelijke dubbelen" in html and 'href="/beoordelen"' in html  # in the menu
    a, b = _first_pair(html)
    assert (a, b) == proposed
    page = officer.get(f"/beoordelen/{a}/{b}").get_data(as_text=True)
    assert "Zijn dit dezelfde persoon?" in page and "Nog geen oordeel." in page
    assert 'name="oordeel" value="positive"' in page

    refused = officer.post(f"/beoordelen/{a}/{b}", data={"oordeel": "positive"})  # no CSRF
    assert refused.status_code == 400 and _same_as(dataset, a) == []
    bad = officer.post(f"/beoordelen/{a}/{b}",
                       data={"oordeel": "misschien", "csrf_token": csrf_of(page)})
    assert bad.status_code == 422 and _same_as(dataset, a) == []

    done = officer.post(f"/beoordelen/{a}/{b}", data={
        "oordeel": "positive", "reden": "zelfde adres", "csrf_token": csrf_of(page)})
    assert done.status_code == 200 and "Uw oordeel is vastgelegd" in done.get_data(as_text=True)
    assert _same_as(dataset, a) == [b]
    record = [r for r in dataset.audit().read()
              if str(r["what"].get("name", "")).startswith("POST /beoordelen")][-1]
    assert record["outcome"] == "ok" and set(record["uids"]) == {a, b}
    assert record["action"] == "judgement"
    assert record["what"]["judgement"][0]["verdict"] == "positive"
    page = officer.get(f"/beoordelen/{a}/{b}").get_data(as_text=True)
    assert "Huidig oordeel: bevestigd" in page and "zelfde adres" in page
    profile = officer.get(f"/entiteit/{a}").get_data(as_text=True)
    assert "bevestigd dezelfde als" in profile and f'href="/entiteit/{b}"' in profile
    assert (a, b) not in set(PAIR_LINK.findall(officer.get("/beoordelen").get_data(as_text=True)))

    officer.post(f"/beoordelen/{a}/{b}", data={
        "oordeel": "negative", "reden": "toch niet", "csrf_token": csrf_of(page)})
    assert _same_as(dataset, a) == []
    page = officer.get(f"/beoordelen/{a}/{b}").get_data(as_text=True)
    assert "Huidig oordeel: afgewezen" in page and page.count("vervangen") >= 1


def test_an_analyst_sees_the_list_but_may_not_decide(app: Flask, dataset: Dataset) -> None:
    _propose(dataset, 2)  # the pair of the test above is decided: never proposed again
    analyst = use_token(app.test_client(), dataset, "analist", "analyse", None)
    html = analyst.get("/beoordelen").get_data(as_text=True)
    assert "Beoordelen mag een Bibob-medewerker" in html
    assert 'name="oordeel"' not in html
    officer = login(app.test_client(), "bibob", "bibob_toets", DOSSIER)
    a, b = _first_pair(officer.get("/beoordelen").get_data(as_text=True))
    refused = analyst.post(f"/beoordelen/{a}/{b}", data={"oordeel": "positive"})
    assert refused.status_code == 403
    assert "mag alleen een Bibob-medewerker" in refused.get_data(as_text=True)
    assert _same_as(dataset, a) == []


def test_a_decision_answers_at_once_and_the_hits_follow_in_the_background(
        app: Flask, dataset: Dataset) -> None:
    from graph_service.web.refresher import HitRefresher

    a, b = _propose(dataset, 4)
    run = stored.refresh(dataset.store)  # the hits current before the decision
    officer = login(app.test_client(), "bibob", "bibob_toets", DOSSIER)
    page = officer.get(f"/beoordelen/{a}/{b}").get_data(as_text=True)
    done = officer.post(f"/beoordelen/{a}/{b}", data={
        "oordeel": "positive", "reden": "zelfde adres", "csrf_token": csrf_of(page)})
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "worden op de achtergrond bijgewerkt" in html
    refresher: HitRefresher = app.extensions["ondergraaf_hit_refresher"]
    assert refresher.wait(300)
    assert refresher.last is not None and refresher.last.run != run.run
    assert refresher.last.kind == "incremental" and refresher.last.published
    assert 0 < refresher.last.touched <= 4  # the pair (and the records grouped with it)
    assert stored.read_state(dataset.store).current
