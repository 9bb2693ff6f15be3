"""A list of hits builds only the paths it shows: the indicator page shows at most
:data:`LIST_PATHS` paths per hit, the true number of paths and a link to all of them on
the entity's profile, which shows them all; the API takes ``max_paths``."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from graph_service import risk
from graph_service.risk.indicators import list_indicators
from graph_service.web.hits import LIST_PATHS
from graph_service.web.pages import HITS_PER_PAGE
from tests.support import web_fixtures
from tests.support.web_fixtures import HIT_ARTICLE, PEIL, TODAY, Dataset

app = web_fixtures.app
client = web_fixtures.client
dataset = web_fixtures.dataset


def _article(client: FlaskClient, url: str, hit: risk.Hit, **args: object) -> str:
    response = client.get(url, query_string={**PEIL, **args})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return next(b for code, uid, b in HIT_ARTICLE.findall(response.get_data(as_text=True))
                if code == hit.code and uid == hit.uid)


def _accounted(body: str) -> int:
    """Paths an article shows or counts: shown, similar to a shown one, the others."""
    shown = body.count('<ol class="path">')
    similar = sum(int(n) for n in re.findall(r"en (\d+) vergelijkbare pad", body))
    rest = sum(int(n) for n in re.findall(r"en (\d+) andere pad", body))
    return shown + similar + rest


def _hit_with_many_paths(dataset: Dataset) -> tuple[risk.Hit, int]:
    """A hit with more paths than a list shows, and its place among its indicator's."""
    for ind in list_indicators(dataset.store.registry):
        if "BibobDossier" in ind.fires_on:  # a dossier's page is the screening
            continue
        found = risk.hits(dataset.store, ind.code, TODAY)
        for i, hit in enumerate(found):
            if len(hit.paths) > LIST_PATHS + 1:
                return hit, i
    raise AssertionError(f"no hit with more than {LIST_PATHS + 1} paths in the data")


def test_the_indicator_page_shows_few_paths_and_the_true_count(
        client: FlaskClient, dataset: Dataset) -> None:
    hit, place = _hit_with_many_paths(dataset)
    total = len(hit.paths)
    body = _article(client, f"/indicatoren/{hit.code}", hit,
                    vanaf=place // HITS_PER_PAGE * HITS_PER_PAGE)
    assert f"Uitleg: {total} paden in de graaf" in body
    assert 1 <= body.count('<ol class="path">') <= LIST_PATHS
    assert _accounted(body) == total
    assert f'#hit-{hit.code}-{hit.uid}">alle {total} paden' in body
    assert f"/entiteit/{hit.uid}" in body
    assert f">{hit.grade}</span>" in body  # the grade of all paths, not of the shown ones

    profile = _article(client, f"/entiteit/{hit.uid}", hit)
    assert f"Uitleg: {total} paden in de graaf" in profile
    assert _accounted(profile) == total
    assert "path-all" not in profile  # every path built there: nothing to link to


def test_the_api_takes_max_paths(client: FlaskClient, dataset: Dataset) -> None:
    hit, place = _hit_with_many_paths(dataset)
    url = f"/api/indicators/{hit.code}/hits"
    query = {"as_of": TODAY.isoformat(), "offset": place, "limit": 1}
    whole = client.get(url, query_string=query).get_json()["hits"][0]
    few = client.get(url, query_string={**query, "max_paths": 1}).get_json()["hits"][0]
    assert whole["uid"] == few["uid"] == hit.uid
    assert len(whole["paths"]) == whole["path_count"] == len(hit.paths)
    assert len(few["paths"]) == 1 and few["path_count"] == len(hit.paths)
    assert few["paths"][0] in whole["paths"]
    for field in ("grade", "best_grade", "weight", "onbevestigd"):
        assert few[field] == whole[field], field
    bad = client.get(url, query_string={**query, "max_paths": 26})
    assert bad.status_code == 422
