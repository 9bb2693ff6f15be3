"""The pages in a real headless Chromium (Debian's ``/usr/bin/chromium``), on both engines.

The app runs on waitress on a free loopback port in a thread. Chromium starts with a fresh
profile and ``--host-resolver-rules`` that make every host but 127.0.0.1 unresolvable, and
every request a page makes is recorded: all of them must go to the app. Flows: search ->
entity page -> the vis network has nodes -> click a neighbour -> its page; the Bibob
screening page (and its print rendering); the path finder; the API docs page.

The browser logs in through the real login page and chooses its purpose on ``/doel``
(the RIEC liaison for the Bibob-toets of dossier WV-2026-00011, which sees every source),
with the cookies the demo uses on plain http (``INSECURE_COOKIES``). Every page runs under
the app's Content-Security-Policy (no inline script or style): a listener records every
violation, and there must be none, also from vis-network.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import waitress
from flask import Flask

from graph_service import queries
from graph_service.risk import screening
from graph_service.store import access
from graph_service.web.openapi import build_document
from tests.support import web_fixtures
from tests.support.web_fixtures import DOSSIER, PASSWORD, TODAY, Dataset, ensure_loaded, make_app

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
PARK = "park:VP-0001"
CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' +
                    e.lineNumber);
});
"""

dataset = web_fixtures.dataset


@dataclass
class Live:
    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def serve(app: Flask, threads: int = 4) -> Iterator[Live]:
    """``app`` on waitress on a free port of 127.0.0.1, for the length of the block."""
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield Live(f"http://127.0.0.1:{server.effective_port}")
    finally:
        server.close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def live(dataset: Dataset) -> Iterator[Live]:
    """The app on waitress (4 threads) on a free port of 127.0.0.1."""
    ensure_loaded(dataset)
    # plain http on loopback, as the demo
    with serve(make_app(dataset, INSECURE_COOKIES=True)) as running:
        yield running


@pytest.fixture(scope="module")
def context(live: Live) -> Iterator[Any]:
    """A Chromium context with a fresh profile that records every request."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="ondergraaf-chromium-")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900}, locale="nl-NL")
        ctx.on("request", lambda request: live.requests.append(request.url))
        ctx.add_init_script(CSP_WATCH)
        try:
            log_in(ctx, live)
            yield ctx
        finally:
            ctx.close()
            shutil.rmtree(profile, ignore_errors=True)


def log_in(ctx: Any, live: Live) -> None:
    """The real login page, then the purpose page; ends on the page asked for first."""
    pg = ctx.new_page()
    pg.set_default_timeout(20_000)
    response = pg.goto(live.base + "/indicatoren")
    assert urlsplit(pg.url).path == "/login"  # not logged in: sent to the login page
    assert "default-src 'self'" in response.headers["content-security-policy"]
    pg.get_by_label("Gebruikersnaam").fill("riec")
    pg.get_by_label("Wachtwoord").fill(PASSWORD)
    pg.get_by_role("button", name="Inloggen").click()
    pg.wait_for_url("**/doel?**")
    pg.get_by_label("Bibob-toets van een aanvraag").check()
    pg.get_by_label("Referentie").fill(DOSSIER)
    pg.get_by_role("button", name="Verder").click()
    pg.wait_for_url("**/indicatoren")
    header = pg.locator("header.site .session").inner_text()
    assert "Bibob-toets" in header and DOSSIER in header and "Uitloggen" in header
    cookie = next(c for c in ctx.cookies() if c["name"] == "ondergraaf")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert pg.evaluate("window.__csp") == []
    pg.close()


@pytest.fixture
def page(context: Any, live: Live) -> Iterator[Any]:
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.on("console", lambda m: live.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: live.errors.append(str(e)))
    start = len(live.requests)
    yield pg
    violations = pg.evaluate("window.__csp || []")
    pg.close()
    assert not violations, f"Content-Security-Policy violations: {violations}"
    made = live.requests[start:]
    assert made, "the page made no requests at all"
    foreign = [u for u in made if urlsplit(u).scheme not in ("data", "blob")
               and not u.startswith(live.base + "/")]
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not live.errors, live.errors
    live.errors.clear()


def wait_for_graph(page: Any) -> int:
    """Wait until vis-network has laid out the graph; the number of nodes it holds."""
    page.wait_for_selector("#graph canvas")
    # functions, not expressions: a string expression is eval'ed, which the CSP forbids
    page.wait_for_function("() => window.ondergraafNetwork && "
                           "document.getElementById('graph').dataset.ready === '1'")
    embedded = page.evaluate("JSON.parse(document.getElementById('graph-data').textContent)"
                             ".nodes.length")
    count: int = page.evaluate("window.ondergraafNetwork.body.data.nodes.length")
    assert count == embedded
    return count


#: focus a node, then where it is drawn on the page and which node is on top there
_FOCUS = """(id) => { const n = window.ondergraafNetwork;
                      document.getElementById('graph').scrollIntoView({block: 'center'});
                      n.focus(id, {scale: 1.2, animation: false});
                      const p = n.canvasToDOM(n.getPositions([id])[id]);
                      const box = document.getElementById('graph').getBoundingClientRect();
                      return {x: box.left + p.x, y: box.top + p.y, top: n.getNodeAt(p)}; }"""


def clickable_node(page: Any, kind: str) -> str:
    """A node of ``kind`` that no other node covers where it is drawn (in a dense
    neighbourhood two nodes may be drawn on the same spot, and a click selects the top)."""
    ids: list[str] = page.evaluate(
        "(k) => window.ondergraafGraph.nodes.get({filter: n => n.kind === k}).map(n => n.id)",
        kind)
    for node_id in ids:
        if page.evaluate(_FOCUS, node_id)["top"] == node_id:
            return node_id
    raise AssertionError(f"every {kind} node is covered by another one")


def click_node(page: Any, node_id: str, double: bool = False) -> None:
    """Click (or double-click) a node where vis-network drew it."""
    point = page.evaluate(_FOCUS, node_id)
    assert point["top"] == node_id, f"{node_id} is drawn under {point['top']}"
    if double:
        page.mouse.dblclick(point["x"], point["y"])
    else:
        page.mouse.click(point["x"], point["y"])


def test_search_entity_graph_click_through(page: Any, live: Live, dataset: Dataset) -> None:
    name = queries.get_entity(dataset.store, PARK)["name"]
    page.goto(live.base + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_label("Naam of kenmerk").fill(name)
    page.keyboard.press("Enter")
    page.wait_for_selector("ul.results")
    page.locator(f'ul.results a[href="/entiteit/{PARK}"]').click()
    page.wait_for_url(f"**/entiteit/{PARK}")
    assert page.locator("h1").inner_text() == name
    count = wait_for_graph(page)
    expected = queries.neighbourhood(dataset.store, PARK, depth=2, limit=100, per_node=12)
    assert count >= len(expected.nodes) > 1  # every node, plus "n meer" overflow nodes
    neighbour = clickable_node(page, "ParkUnit")
    click_node(page, neighbour)  # a click selects, the page stays
    page.wait_for_function("(id) => window.ondergraafNetwork.getSelectedNodes()[0] === id",
                           arg=neighbour)
    assert unquote(urlsplit(page.url).path) == f"/entiteit/{PARK}"
    click_node(page, neighbour, double=True)  # a double click opens the profile
    page.wait_for_url(f"**/entiteit/{neighbour}")
    assert unquote(urlsplit(page.url).path) == f"/entiteit/{neighbour}"
    assert wait_for_graph(page) > 1


def test_graph_tooltip_under_csp(page: Any, live: Live) -> None:
    """vis-network styles its canvas, buttons and tooltips by script (CSSOM), which
    ``style-src 'self'`` allows: hovering a node shows its tooltip, without a violation."""
    page.goto(f"{live.base}/vis/entities/{PARK}?depth=1")
    wait_for_graph(page)
    point = page.evaluate(
        """(id) => { const n = window.ondergraafNetwork;
                     const p = n.canvasToDOM(n.getPositions([id])[id]);
                     const box = document.getElementById('graph').getBoundingClientRect();
                     return {x: box.left + p.x, y: box.top + p.y}; }""", PARK)
    page.mouse.move(point["x"], point["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible")
    assert page.locator("div.vis-network div.vis-navigation").count() == 1
    assert page.evaluate("window.__csp") == []


def test_screening_page_and_print(page: Any, live: Live) -> None:
    page.goto(f"{live.base}/bibob/WV-2026-00011?peildatum={TODAY.isoformat()}")
    assert "WV-2026-00011" in page.locator("h1").inner_text()
    assert wait_for_graph(page) > 2
    assert page.locator('section[aria-labelledby="hits"] article.hit').count() >= 1
    page.emulate_media(media="print")
    assert page.locator("header.site").is_hidden()
    assert page.locator(".graph-block").is_hidden()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
    page.emulate_media(media="screen")


def test_path_finder(page: Any, live: Live) -> None:
    page.goto(live.base + "/paden")
    page.get_by_label("Van", exact=True).fill("unit:VP-0001/5")
    page.get_by_label("Naar", exact=True).fill("unit:VP-0001/6")
    page.get_by_label("Ten hoogste stappen").select_option("2")
    page.get_by_role("button", name="Zoek paden").click()
    page.wait_for_selector("#resultaat")
    assert page.locator("ol.path").count() >= 1
    assert wait_for_graph(page) >= 3
    ids = set(page.evaluate("window.ondergraafGraph.nodes.getIds()"))
    assert {"unit:VP-0001/5", PARK, "unit:VP-0001/6"} <= ids


def test_api_docs_page_tries_a_request(page: Any, live: Live) -> None:
    page.goto(live.base + "/api/docs")
    page.wait_for_selector("details.op")
    operations = [m for item in build_document()["paths"].values() for m in item
                  if m in ("get", "post", "put", "delete")]
    assert page.locator("details.op").count() == len(operations)
    op = page.locator("details#search")
    op.locator("summary").click()
    op.get_by_label("q", exact=True).fill("WV-2026-00011")
    op.get_by_role("button", name="Probeer").click()
    page.wait_for_function("() => document.querySelector('#search pre').textContent.length > 0")
    assert "dossier:WV-2026-00011" in op.locator("pre").inner_text()
    assert "→ 200" in op.locator(".status").inner_text()


def test_full_screen_graph_fills_the_window(page: Any, live: Live) -> None:
    page.goto(f"{live.base}/vis/entities/{PARK}?depth=2")
    wait_for_graph(page)
    assert page.locator("header.site").is_hidden() and page.locator("footer.site").is_hidden()
    box = page.evaluate("""() => { const r = document.querySelector('#graph canvas')
                                       .getBoundingClientRect();
                                   return {x: r.x, y: r.y, w: r.width, h: r.height,
                                           vw: window.innerWidth, vh: window.innerHeight,
                                           sy: document.documentElement.scrollHeight}; }""")
    assert box["x"] == 0 and box["y"] == 0
    assert box["w"] == box["vw"] and box["h"] == box["vh"]
    assert box["sy"] <= box["vh"]  # nothing runs off the window
    assert page.locator(".graph-panel #graph-legend li").count() >= 3  # the legend on top
    assert page.get_by_label("Persoon").count() + page.get_by_label("Parkeenheid").count() >= 1


def test_expand_more_in_place(page: Any, live: Live, dataset: Dataset) -> None:
    page.goto(f"{live.base}/vis/entities/{PARK}?depth=1")
    before = wait_for_graph(page)
    more = page.evaluate("window.ondergraafGraph.nodes.get({filter: n => n.kind === 'Overflow'})"
                         ".map(n => ({id: n.id, count: n.count, member: n.memberLabel}))")
    assert more, "the park should have more units than a graph shows at once"
    target = max(more, key=lambda m: m["count"])
    url = page.url
    click_node(page, target["id"], double=True)
    page.wait_for_function("() => document.getElementById('graph').dataset.expanded === '1'")
    after: int = page.evaluate("window.ondergraafNetwork.body.data.nodes.length")
    added = min(25, target["count"])
    assert after == before + added - (1 if added == target["count"] else 0)
    assert page.url == url  # in place, no page left
    units = page.evaluate("(m) => window.ondergraafGraph.nodes.get({filter: n => n.kind === m})"
                          ".length", target["member"])
    expected = queries.neighbourhood(dataset.store, PARK, depth=1, limit=1000, per_node=1000)
    assert units <= sum(1 for n in expected.nodes if target["member"] in n["_labels"])
    assert "toegevoegd" in page.locator("#graph-tools .graph-status").inner_text()


def test_screening_prints_to_a4_with_the_graph(page: Any, live: Live) -> None:
    page.goto(f"{live.base}/bibob/WV-2026-00011?peildatum={TODAY.isoformat()}")
    wait_for_graph(page)
    page.wait_for_function("() => (document.getElementById('graph-print').getAttribute('src')"
                           " || '').startsWith('data:image/png')")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 700, "height": 990})  # A4 less the page margins
    assert page.locator("#graph-print").is_visible()
    assert page.locator("#aandacht").is_visible()
    narrow = page.evaluate("""() => {
        const bad = [];
        for (const cell of document.querySelectorAll('main table td, main table th')) {
          if (!cell.offsetParent) continue;  // not printed
          const text = cell.innerText.trim();
          if (!text) continue;
          if (cell.scrollWidth > cell.clientWidth + 1) bad.push('overflows: ' + text);
          const words = text.split(/\\s+/).length;
          // the lines the cell's text takes: tops of its text fragments, a line apart
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          const tops = [];
          for (let t = walker.nextNode(); t; t = walker.nextNode()) {
            if (!t.textContent.trim() || !t.parentElement.offsetParent) continue;
            const range = document.createRange();
            range.selectNodeContents(t);
            for (const r of range.getClientRects()) if (r.width > 0) tops.push(r.top);
          }
          tops.sort((a, b) => a - b);
          let lines = tops.length ? 1 : 0;
          for (let i = 1; i < tops.length; i++) if (tops[i] - tops[i - 1] > 6) lines++;
          if (words >= 3 && lines >= words) bad.push('a word per line: ' + text);
        }
        return bad; }""")
    assert narrow == [], narrow
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert 1 <= pages <= 12, pages
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf  # the graph, as an image
    page.emulate_media(media="screen")


def test_export_parties_as_xlsx(page: Any, live: Live, dataset: Dataset) -> None:
    from openpyxl import load_workbook

    page.goto(f"{live.base}/bibob/WV-2026-00011?peildatum={TODAY.isoformat()}")
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel-bestand (partijen, netwerk, treffers)").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    rows = list(wb["Partijen"].iter_rows(values_only=True))
    assert rows[0][0] == "naam" and len(rows) > 1
    with access.scope(access.FULL):
        report = screening.screen(dataset.store, DOSSIER, TODAY)
    assert [r[-1] for r in rows[1:]] == [p.entity.uid for p in report.parties]


def choose_purpose(page: Any, live: Live, title: str, reference: str) -> None:
    """Choose another purpose on /doel, as the user does from the page header."""
    page.goto(live.base + "/doel")
    page.get_by_label(title).check()
    page.get_by_label("Referentie").fill(reference)
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/doel")


def test_a_trimmed_page_says_what_it_leaves_out(page: Any, live: Live) -> None:
    """The RIEC liaison in a RIEC case sees no Bibob data: the entity page, its graph and
    the hotspots say so in the notice (under the CSP); back in the Bibob-toets, which sees
    every source, the notice is gone."""
    choose_purpose(page, live, "RIEC-casus", "CASUS-2026-0007")
    try:
        page.goto(f"{live.base}/entiteit/{PARK}")
        notice = page.locator("#niet-zichtbaar")
        assert notice.is_visible()
        assert "Bibob-dossiers zijn voor uw rol en doel niet zichtbaar." in notice.inner_text()
        assert wait_for_graph(page) > 1
        page.goto(f"{live.base}/hotspots?soort=park")
        assert page.locator("#niet-zichtbaar").is_visible()
    finally:
        choose_purpose(page, live, "Bibob-toets van een aanvraag", DOSSIER)
    page.goto(f"{live.base}/entiteit/{PARK}")
    assert page.locator("#niet-zichtbaar").count() == 0
