"""Stored XSS: a name loaded from a source file is markup, and every page shows it as text.

The attack: a KvK row whose trade name and officer's name carry script, an event handler
and a ``</script>`` that would end the JSON block a graph page embeds. The pages that show
names (search, entity, path finder, full-screen graph) must escape it: no tag of the
payload reaches the page as markup, the graph data still parses and holds the name as it
was loaded, and no inline handler appears (the CSP forbids inline script anyway)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from graph_service.config import load_settings
from graph_service.store import Store, access
from graph_service.web.app import create_app
from tests.support.fixture_graphs import AS_OF, GraphBuilder, build, kvk

PAYLOAD = '</script><script>alert(1)</script><img src=x onerror=alert(2)>"\'&'
ORG = kvk(666)
GRAPH = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.S)


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def hostile(g: GraphBuilder) -> None:
    g.org(ORG, name=f"Bakkerij {PAYLOAD}")
    g.person("person:hostile", name=f"Jan {PAYLOAD}")
    g.functionary("person:hostile", ORG)
    g.address("addr:hostile", name="Hoofdstraat 1")
    g.registered(ORG, "addr:hostile")


@pytest.fixture
def client(store: Store, tmp_path: Path,
           today_is: Callable[[dt.date], None]) -> FlaskClient:
    today_is(AS_OF)
    build(store, hostile)
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path / "data")})
    app = create_app(test_config={"ONDERGRAAF_STORE": store, "ONDERGRAAF_SETTINGS": settings,
                                  "TESTING": True,
                                  "ONDERGRAAF_REQUEST_SCOPE": lambda: access.FULL})
    return app.test_client()


@pytest.mark.parametrize("url", [
    "/?q=Bakkerij", f"/entiteit/{ORG}", "/entiteit/person:hostile",
    f"/paden?van={ORG}&naar=addr:hostile", f"/vis/entities/{ORG}",
])
def test_a_loaded_name_is_shown_as_text_on_every_page(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    text = response.get_data(as_text=True)
    assert "Bakkerij" in text or "Jan" in text  # the name is there ...
    for markup in ("<script>alert", "<img src=x"):  # ... never as markup
        assert markup not in text, (url, markup)
    tags = Tags()
    tags.feed(text)
    assert not [t for t in tags.found if t[0] == "img" and ("src", "x") in t[1]]
    assert not [a for _, attrs in tags.found for a, _ in attrs if a.startswith("on")]
    for tag, attrs in tags.found:  # only the app's own scripts and JSON data blocks
        if tag == "script":
            assert dict(attrs).get("src", "").startswith("/") \
                or dict(attrs).get("type") == "application/json", attrs
    assert "&lt;script&gt;alert(1)" in text or "\\u003cscript\\u003ealert(1)" in text
    for block in GRAPH.findall(text):  # the JSON block is not ended by the name
        names = json.dumps(json.loads(block), ensure_ascii=False)
        assert PAYLOAD.replace('"', '\\"') in names


def test_the_api_returns_the_name_as_loaded(client: FlaskClient) -> None:
    body = client.get(f"/api/entities/{ORG}").get_json()
    assert body["name"] == f"Bakkerij {PAYLOAD}"  # JSON is data: the page escapes, not the API
