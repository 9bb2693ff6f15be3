"""A Bibob-toets is about a dossier the graph holds, with a token as on ``/doel``: a token
client whose ``X-Ondergraaf-Reference`` names a dossier that does not exist is refused
(403, on the record as ``denied``) on every data route, not only on the screening; the
same client with a dossier the graph holds is answered (the form's refusal:
``tests/web/test_print_export.py``). A purpose whose reference is a
case number (RIEC-casus) needs no dossier."""

from __future__ import annotations

from flask import Flask

from graph_service import queries
from graph_service.model import dossier_uid
from graph_service.store import access
from tests.support import web_fixtures
from tests.support.web_fixtures import DOSSIER, Dataset, use_token

app = web_fixtures.app
dataset = web_fixtures.dataset

UNKNOWN = "WV-2099-99999"
ROUTES = ("/api/search?q=park", "/api/indicators", "/api/entities/park:VP-0001",
          f"/api/bibob/{UNKNOWN}/screening")


def test_a_token_with_an_unknown_dossier_is_refused(app: Flask, dataset: Dataset) -> None:
    with access.scope(access.FULL):
        assert queries.entity(dataset.store, dossier_uid(UNKNOWN)) is None
        assert queries.entity(dataset.store, dossier_uid(DOSSIER)) is not None
    trail = dataset.audit()
    for user in ("bibob", "riec"):
        client = use_token(app.test_client(), dataset, user, "bibob_toets", UNKNOWN)
        for url in ROUTES:
            response = client.get(url)
            assert response.status_code == 403, (user, url, response.get_data(as_text=True))
            body = response.get_json()
            assert body["code"] == "forbidden"
            assert f"dossier {UNKNOWN} is niet bekend in Ondergraaf" in body["error"]
            rec = list(trail.read())[-1]
            assert (rec["actor"], rec["action"], rec["outcome"]) == (user, "denied", "denied")
            assert "niet bekend" in rec["what"]["reason"]
        # the same client for a dossier the graph holds is answered
        use_token(client, dataset, user, "bibob_toets", DOSSIER)
        for url in ROUTES[:3]:
            assert client.get(url).status_code == 200, (user, url)


def test_a_case_number_needs_no_dossier(app: Flask, dataset: Dataset) -> None:
    client = use_token(app.test_client(), dataset, "riec", "riec_casus", "CASUS-2099-0001")
    assert client.get("/api/search?q=park").status_code == 200
