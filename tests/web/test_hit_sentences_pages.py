"""Hits on the pages and in the JSON: the sentence instead of a bare measure, the hit's grade,
at most three groups of similar paths with the count of the others."""

from __future__ import annotations

import html as htmllib

from flask.testing import FlaskClient

from graph_service import risk
from graph_service.risk.evidence import SHOWN_GROUPS
from graph_service.risk.indicators import list_indicators
from tests.support import web_fixtures
from tests.support.web_fixtures import HIT_ARTICLE, PEIL, TODAY, Dataset

app = web_fixtures.app
client = web_fixtures.client
dataset = web_fixtures.dataset


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url, query_string=PEIL)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_indicator_page_shows_sentences_not_a_bare_measure(
        client: FlaskClient, dataset: Dataset) -> None:
    expected = {h.uid: h.sentence for h in risk.hits(dataset.store, "STRAW_MAN", TODAY)}
    assert expected
    text = _page(client, "/indicatoren/STRAW_MAN")
    articles = {uid: body for code, uid, body in HIT_ARTICLE.findall(text)}
    assert set(articles) == set(expected)
    for uid, body in articles.items():
        assert htmllib.escape(expected[uid], quote=False) in body
        assert "drempel 5" in body
        assert body.count('<ol class="path">') <= SHOWN_GROUPS
    assert "maat:" not in text and "beste betrouwbaarheid" not in text


def test_entity_page_groups_similar_paths(client: FlaskClient, dataset: Dataset) -> None:
    """An entity whose hit has similar paths: one path per group, the others counted."""
    for ind in list_indicators(dataset.store.registry):
        if "BibobDossier" in ind.fires_on:  # a dossier's page is the screening
            continue
        found = next((h for h in risk.hits(dataset.store, ind.code, TODAY)
                      if any(g.similar for g in h.path_groups)), None)
        if found is not None:
            break
    assert found is not None, "no hit with similar paths in the generated data"
    text = _page(client, f"/entiteit/{found.uid}")
    body = next(b for code, uid, b in HIT_ARTICLE.findall(text)
                if code == found.code and uid == found.uid)
    shown = found.path_groups[:SHOWN_GROUPS]
    assert body.count('<ol class="path">') == len(shown)
    for group in shown:
        if group.similar:
            assert f"en {group.similar} vergelijkbare pad" in body
    rest = sum(len(g.paths) for g in found.path_groups[SHOWN_GROUPS:])
    assert (f"en {rest} andere pad" in body) == bool(rest)
    assert f">{found.grade}</span>" in body  # the hit's grade in its header


def test_screening_page_and_json_carry_the_sentence(client: FlaskClient) -> None:
    text = _page(client, "/bibob/WV-2026-00011")
    bodies = [b for code, _, b in HIT_ARTICLE.findall(text) if code == "BIBOB_PRIVATE_FINANCIER"]
    assert bodies and all("Onderhandse financiering van €" in b and "drempel € 50.000" in b
                          for b in bodies)
    response = client.get("/api/indicators/STRAW_MAN/hits", query_string={"as_of": TODAY})
    assert response.status_code == 200
    data = response.get_json()
    rows = data["hits"] if isinstance(data, dict) else data
    assert rows and all(r["sentence"].endswith("drempel 5.") for r in rows)
    assert all(str(r["measure"]) in r["sentence"] for r in rows)


def test_screening_export_carries_sentence_and_grade(client: FlaskClient) -> None:
    import csv
    import io
    response = client.get("/bibob/WV-2026-00011/export.csv",
                          query_string={**PEIL, "tabel": "treffers"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8")[1:]), delimiter=";"))
    head = rows[0]
    assert head[5] == "betrouwbaarheid" and head[7] == "uitleg"
    financier = [r for r in rows[1:] if r[6] == "BIBOB_PRIVATE_FINANCIER"]
    assert financier and all(r[7].startswith("Onderhandse financiering van €")
                             for r in financier)
    assert all(r[5] for r in rows[1:])  # every hit has its grade
