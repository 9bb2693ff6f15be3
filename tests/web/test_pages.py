"""The Dutch pages and graph views on both engines: content, accessibility basics, graph
data, no external URL anywhere, no inline script, errors as Dutch HTML pages."""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from graph_service import risk
from graph_service.risk.indicators import list_indicators
from graph_service.web import hits
from graph_service.web.vendor import VIS_FILES, vis_dir
from tests.support import web_fixtures
from tests.support.web_fixtures import PEIL, TODAY, Dataset

EXTERNAL = re.compile(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
INLINE = re.compile(r"<[a-z][^>]*\s(?:style|on[a-z]+)=", re.IGNORECASE)

# the shared fixtures of the web tests (one dataset per engine and module)
app = web_fixtures.app
client = web_fixtures.client
dataset = web_fixtures.dataset


def page(client: FlaskClient, url: str, status: int = 200, **query: Any) -> str:
    response = client.get(url, query_string=query)
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert '<html lang="nl">' in text and "<h1" in text and '<main id="inhoud"' in text
    assert not EXTERNAL.search(text), EXTERNAL.search(text)
    for attrs in SCRIPT.findall(text):  # only static files and JSON data blocks
        assert 'src="/' in attrs or 'type="application/json"' in attrs, attrs
    assert not INLINE.search(text), INLINE.search(text)  # ready for a strict CSP
    return text


def graph_data(text: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>',
                      text, re.S)
    assert match, "page has no graph data"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_search_page(client: FlaskClient) -> None:
    text = page(client, "/")
    assert '<label for="q">' in text
    text = page(client, "/", q="WV-2026-00011")
    assert 'href="/entiteit/dossier:WV-2026-00011"' in text
    text = page(client, "/", q="x")
    assert 'role="alert"' in text


def test_entity_page_with_risk_and_graph(client: FlaskClient, dataset: Dataset) -> None:
    uid = sorted(h.uid for h in risk.hits(dataset.store, "STRAW_MAN", TODAY))[0]
    text = page(client, f"/entiteit/{uid}", **PEIL)
    assert "STRAW_MAN" in text and "Risicoscore" in text
    assert "/vendor/vis-network/9.1.2/vis-network.min.js" in text
    data = graph_data(text)
    ids = {n["id"] for n in data["nodes"]}
    assert uid in ids and data["focus"] == uid
    focus = next(n for n in data["nodes"] if n["id"] == uid)
    assert "STRAW_MAN" in focus["hits"] and focus["color"]["border"] == "#c00000"
    assert focus["url"] == f"/entiteit/{uid}"
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    assert {row["label"] for row in data["legend"]} >= {"Person", "Organisation", "Signal"}
    # facts carry their source and grade
    assert "kvk" in text and re.search(r'class="grade grade-A"', text)


def test_entity_page_of_unit_with_slash(client: FlaskClient) -> None:
    text = page(client, "/entiteit/unit:VP-0001/5", **PEIL)
    assert "PARK_OVERCROWDING" in text
    assert 'href="/entiteit/park:VP-0001"' in text


def test_bibob_page_is_printable(client: FlaskClient) -> None:
    text = page(client, "/bibob/WV-2026-00011", **PEIL)
    for section in ("partijen", "opgegeven", "niet-opgegeven", "netwerk", "signalen", "hits",
                    "verantwoording"):
        assert f'id="{section}"' in text
    assert "BIBOB_PRIVATE_FINANCIER" in text
    assert 'href="/static/print.css" media="print"' in text and "data-print" in text
    data = graph_data(text)
    assert data["focus"] == "dossier:WV-2026-00011"
    assert "dossier:WV-2026-00011" in {n["id"] for n in data["nodes"]}


def test_indicator_pages(client: FlaskClient, dataset: Dataset) -> None:
    text = page(client, "/indicatoren", **PEIL)
    assert text.count('href="/indicatoren/') == 16  # the contract's 15 and SANCTIONS_MATCH
    expected = {h.uid for h in risk.hits(dataset.store, "SHED_SUSPICIOUS_LEASE", TODAY)}
    text = page(client, "/indicatoren/SHED_SUSPICIOUS_LEASE", **PEIL)
    shown = set(re.findall(r'id="hit-SHED_SUSPICIOUS_LEASE-([^"]+)"', text))
    assert shown == expected
    page(client, "/indicatoren/NOPE", status=404)


def _overview_counts(text: str) -> dict[str, str]:
    rows = re.findall(r'<span class="code">([A-Z_]+)</span>.*?<td class="num">([^<]*)</td>\s*</tr>',
                      text, re.S)
    return dict(rows)


def test_indicator_overview_counts_are_capped(
    client: FlaskClient, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = {i.code: len(risk.hits(dataset.store, i.code, TODAY))
             for i in list_indicators(dataset.store.registry)}
    assert sum(1 for n in whole.values() if n > 1) >= 3  # the cap below bites somewhere
    with client.application.app_context():
        hits.hit_counts().clear()
    assert _overview_counts(page(client, "/indicatoren", **PEIL)) == {
        code: str(n) for code, n in whole.items()}
    monkeypatch.setattr(hits, "COUNT_CAP", 1)
    with client.application.app_context():
        hits.hit_counts().clear()
    assert _overview_counts(page(client, "/indicatoren", **PEIL)) == {
        code: ("meer dan 1" if n > 1 else str(n)) for code, n in whole.items()}


@pytest.mark.parametrize(("soort", "prefix"), [
    ("park", "/entiteit/park:"), ("object", "/entiteit/object:"), ("adres", "/entiteit/addr:"),
])
def test_hotspot_pages(client: FlaskClient, soort: str, prefix: str) -> None:
    text = page(client, "/hotspots", soort=soort, **PEIL)
    assert f'href="{prefix}' in text


def test_paths_page(client: FlaskClient) -> None:
    text = page(client, "/paden")
    assert '<label for="van">' in text and '<label for="naar">' in text
    text = page(client, "/paden", van="unit:VP-0001/5", naar="unit:VP-0001/6", max="2")
    assert "1 kortste pad " in htmllib.unescape(text) or "kortste paden" in text
    assert 'href="/entiteit/park:VP-0001"' in text
    assert graph_data(text)["nodes"]
    text = page(client, "/paden", van="niets-gevonden-xyz", naar="unit:VP-0001/6")
    assert "Geen entiteit gevonden" in text


def test_vis_pages(client: FlaskClient) -> None:
    data = graph_data(page(client, "/vis/entities/park:VP-0001", depth="1"))
    assert data["focus"] == "park:VP-0001" and len(data["nodes"]) > 5
    data = graph_data(page(client, "/vis/bibob/WV-2026-00011"))
    assert data["nodes"]
    data = graph_data(page(client, "/vis/paths", **{"from": "unit:VP-0001/5",
                                                    "to": "unit:VP-0001/6", "max_hops": "2"}))
    assert {"unit:VP-0001/5", "park:VP-0001", "unit:VP-0001/6"} <= {n["id"] for n in data["nodes"]}
    page(client, "/vis/entities/park:VP-0001", status=422, depth="4")


def test_page_errors_are_dutch_html(client: FlaskClient) -> None:
    text = page(client, "/entiteit/park:NOPE", status=404)
    assert "Niet gevonden" in text
    text = page(client, "/bibob/WV-2026-00011", status=422, peildatum="31-12-2026")
    assert "Ongeldige invoer" in text
    page(client, "/hotspots", status=422, soort="kasteel")


def test_vis_network_served_once_from_pyvis(client: FlaskClient) -> None:
    for name in VIS_FILES:
        response = client.get(f"/vendor/vis-network/9.1.2/{name}")
        assert response.status_code == 200
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert response.data == (Path(vis_dir()) / name).read_bytes()
    assert client.get("/vendor/vis-network/9.1.2/../network.py").status_code == 404
    assert client.get("/vendor/vis-network/9.1.2/utils.js").status_code == 404


def test_static_files_have_no_external_urls(client: FlaskClient) -> None:
    for name in ("style.css", "print.css", "graph.js", "site.js", "apidocs.js"):
        text = client.get(f"/static/{name}").get_data(as_text=True)
        assert text and not EXTERNAL.search(text), name
