"""An officer's tasks in a real headless Chromium (the harness of ``test_browser.py``: the
app on waitress, the real login and purpose pages, every request to the app, no CSP
violation): screen a dossier financed by a bank and see no other applicant's parties
through the bank until asked; read a hit's sentence on the indicator page and on the
entity's page; open an entity's timeline from its profile and read its dated lines.

What is asserted is what the user sees (texts, links, counts); the expected values come
from the engine functions read with full access, which is what the RIEC liaison in a
Bibob-toets sees.
"""

from __future__ import annotations

import csv
import re
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from graph_service import risk
from graph_service.queries.timeline import entity_timeline
from graph_service.risk import screening
from graph_service.risk.indicators import get_indicator
from graph_service.store import access
from tests.support.web_fixtures import DOSSIER, TODAY, Dataset
from tests.web import test_browser as harness
from tests.web.test_browser import Live, choose_purpose

pytestmark = pytest.mark.browser

# the harness of test_browser.py: dataset, live server, logged-in context, checked page
dataset = harness.dataset
live = harness.live
context = harness.context
page = harness.page

DAY = TODAY.isoformat()
BIBOB_TOETS = "Bibob-toets van een aanvraag"
APPLICANTS = re.compile(r"waarvan (\d+) andere aanvrager")


def _bank_case(data: Dataset) -> tuple[str, dict[str, Any], set[str], set[str]]:
    """A dossier of the generated data whose financing bank (a party, so one step from the
    dossier) also finances other applicants: its id, the bank as the screening names it, the
    applicants of the bank's other dossiers and every party of those dossiers (less the
    bank and the dossier's own parties)."""
    with (data.data_dir / "bibob.csv").open(encoding="utf-8-sig", newline="") as f:
        ids = sorted({row["dossier_id"] for row in csv.DictReader(f)})
    with access.scope(access.FULL):
        reports = {did: screening.screen(data.store, did, TODAY).to_dict() for did in ids}
    for did, report in reports.items():
        bank = next((h for h in report["hubs"] if h["hop"] == 0 and h["other_applicants"]),
                    None)
        if bank is None:
            continue
        own = {p["uid"] for p in report["parties"]}
        applicants: set[str] = set()
        parties: set[str] = set()
        for other, rep in reports.items():
            theirs = {p["uid"]: p["role"] for p in rep["parties"]}
            if other == did or bank["uid"] not in theirs:
                continue
            applicants |= {u for u, role in theirs.items() if role == "aanvrager"}
            parties |= set(theirs)
        return did, bank, applicants - own, parties - own - {bank["uid"]}
    raise AssertionError("no dossier financed by a bank that finances other applicants")


def _linked(within: Any, selector: str) -> set[str]:
    """The uids of the entity pages linked inside ``selector`` (of a page or a locator)."""
    hrefs = within.locator(f'{selector} a[href^="/entiteit/"]').evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    return {unquote(urlsplit(h).path).removeprefix("/entiteit/") for h in hrefs}


def test_screening_stops_at_the_bank(page: Any, live: Live, dataset: Dataset) -> None:
    """The screening of a dossier financed by a bank names the bank with the other
    applicants behind it, and shows none of their parties, in the network table, the node
    list or anywhere else on the page; "Toch doorlopen" shows them."""
    did, bank, applicants, others = _bank_case(dataset)
    assert applicants and others
    choose_purpose(page, live, BIBOB_TOETS, did)
    try:
        page.goto(f"{live.base}/bibob/{did}?peildatum={DAY}")
        assert did in page.locator("h1").inner_text()
        notice = page.locator("#netwerk-knooppunten")
        assert "Niet doorgelopen" in notice.inner_text()
        line = notice.locator("li", has_text=bank["name"])
        assert line.count() == 1
        said = APPLICANTS.search(line.inner_text())
        assert said is not None, line.inner_text()
        assert int(said.group(1)) == len(applicants)  # the count the officer reads
        assert bank["uid"] in _linked(page, "#netwerk-knooppunten")
        page.locator("details.graph-list summary").click()  # the graph's node list
        stopped = _linked(page, "main")
        assert bank["uid"] in stopped  # a party of the dossier itself
        assert not stopped & others, sorted(stopped & others)
        graph_nodes = set(page.evaluate("window.ondergraafGraph.nodes.getIds()"))
        assert not graph_nodes & others, sorted(graph_nodes & others)

        notice.get_by_role("link", name="Toch doorlopen").click()
        page.wait_for_url("**hubs=door**")
        assert parse_qs(urlsplit(page.url).query)["hubs"] == ["door"]
        assert "zijn doorgelopen" in page.locator("#netwerk-knooppunten").inner_text()
        network = _linked(page, 'section[aria-labelledby="netwerk"] table')
        assert applicants <= network  # through the bank: the other applicants show
        assert len(network & others) >= len(applicants)
    finally:
        choose_purpose(page, live, BIBOB_TOETS, DOSSIER)


def test_read_a_hits_sentence(page: Any, live: Live, dataset: Dataset) -> None:
    """From the indicator overview to one indicator: every hit reads as its Dutch sentence;
    the entity of the first hit shows the same sentence on its own page."""
    code = "STRAW_MAN"
    title = get_indicator(code, dataset.store.registry).title
    with access.scope(access.FULL):
        expected = {h.uid: h.sentence for h in risk.hits(dataset.store, code, TODAY)}
    assert expected and all(expected.values())
    page.goto(f"{live.base}/indicatoren?peildatum={DAY}")
    page.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(f"**/indicatoren/{code}**")
    articles = page.locator("article.hit")
    assert articles.count() == len(expected)
    shown = {}
    for i in range(articles.count()):
        article = articles.nth(i)
        (uid,) = _linked(article, "h3")
        shown[uid] = article.locator("p.hit-sentence").inner_text()
    assert shown == expected
    assert all(s.endswith("drempel 5.") for s in shown.values())

    first = articles.first
    uid = next(iter(_linked(first, "h3")))
    first.locator("h3 a[href^='/entiteit/']").click()
    page.wait_for_url(f"**/entiteit/{uid}**")
    on_profile = page.locator(f'article.hit[id="hit-{code}-{uid}"] p.hit-sentence')
    assert on_profile.inner_text() == expected[uid]


def test_timeline_from_the_profile(page: Any, live: Live, dataset: Dataset) -> None:
    """The profile's "Tijdlijn" link opens the timeline on the same peildatum: one heading
    per year, one line per dated event with its date, what holds on the peildatum marked."""
    with access.scope(access.FULL):
        dossier = entity_timeline(dataset.store, f"dossier:{DOSSIER}", TODAY)
        uid = sorted(e["subject"] for e in dossier["events"]
                     if e["kind"] == "role" and e["subject"].startswith("kvk:"))[0]
        found = entity_timeline(dataset.store, uid, TODAY)
    events = found["events"]
    assert events
    page.goto(f"{live.base}/entiteit/{uid}?peildatum={DAY}")
    name = page.locator("h1").inner_text()
    page.get_by_role("link", name="Tijdlijn", exact=True).click()
    page.wait_for_url(f"**/tijdlijn/{uid}?peildatum={DAY}")
    assert page.locator("h1").inner_text() == f"Tijdlijn van {name}"
    years = page.locator("section.tl-year h2").all_inner_texts()
    assert years == sorted({e["date"][:4] for e in events})
    lines = page.locator("ol.timeline > li")
    assert lines.count() == len(events)
    dates = [d.split(" ")[0] for d in page.locator("ol.timeline .tl-date").all_inner_texts()]
    assert dates == [e["date"] for e in events]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates)
    active = sum(1 for e in events if e["status"] == "active")
    assert page.get_by_text("actief op peildatum", exact=True).count() == active
    later = sum(1 for e in events if e["status"] == "later")
    assert page.get_by_text("na peildatum", exact=True).count() == later
