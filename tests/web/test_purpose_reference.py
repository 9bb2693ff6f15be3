"""A session's Bibob reference is checked on every request, not only when chosen.

A session declares a Bibob toets of a dossier on ``/doel`` (refused when the graph does not
hold the dossier). When the dossier leaves the graph afterwards (its retention ended), the
next request of that session does not go on under the old reference: it is refused and on
the record, the purpose is dropped, and the purpose page says why in Dutch and asks again.
A token that names the removed dossier is refused (403).
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from graph_service.store import Store, access
from tests.support.fixture_graphs import GraphBuilder
from tests.support.web_fixtures import Dataset, login, make_app, use_token
from tests.web.test_dutch_crawl import problems, visible

KEPT, GONE = "WV-2026-00801", "WV-2026-00802"


def _build(store: Store) -> None:
    store.write("write/delete_all")
    g = GraphBuilder(store)
    for number in (KEPT, GONE):
        g.dossier(f"dossier:{number}", gemeentecode="GM1701", name=f"Bibob {number}")
    g.write()


@pytest.fixture
def graph(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    with access.scope(access.FULL):
        _build(session_store)
        counts = session_store.read("read/node_counts")
    return Dataset(session_store, {}, tmp_path_factory.mktemp("reference"), counts)


def _remove(store: Store, number: str) -> None:
    """What the retention run does to a dossier past its term."""
    uid = f"dossier:{number}"
    with access.scope(access.FULL):
        (row,) = [r for r in store.read("read/all_nodes") if r["uid"] == uid]
    before = row["node"].get("source_records") or []
    store.write("write/retention_delete_nodes", {"rows": [{"uid": uid, "before": before}]})
    with access.scope(access.FULL):
        assert uid not in {r["uid"] for r in store.read("read/all_nodes")}


def test_a_removed_dossier_ends_the_sessions_purpose(graph: Dataset) -> None:
    app = make_app(graph)
    kept = login(app.test_client(), "bibob", "bibob_toets", KEPT)
    client: FlaskClient = login(app.test_client(), "bibob", "bibob_toets", GONE)
    assert client.get("/").status_code == 200
    assert client.get(f"/bibob/{GONE}").status_code == 200
    _remove(graph.store, GONE)
    trail = graph.audit()
    response = client.get(f"/bibob/{GONE}")
    assert response.status_code == 302 and "/doel" in response.headers["Location"]
    record = list(trail.read())[-1]
    assert record["outcome"] == "denied" and GONE in record["what"]["reason"]
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    text = " ".join(visible(html).text)
    assert f"Dossier {GONE} staat niet meer in Ondergraaf" in text
    assert "bewaartermijn" in text and problems(text) == []
    # the purpose is gone: the next page asks again, without the message a second time
    again = client.get("/")
    assert again.status_code == 302 and "/doel" in again.headers["Location"]
    assert "staat niet meer" not in client.get("/doel").get_data(as_text=True)
    # another session, whose dossier is still there, goes on
    assert kept.get("/").status_code == 200
    # a token naming the removed dossier is refused
    token = use_token(app.test_client(), graph, "bibob", "bibob_toets", GONE)
    assert token.get("/api/search", query_string={"q": "Bibob"}).status_code == 403
