"""Hubs over the API (docs/queries.md, "Hubs"): the planted bank that finances a dossier is
an end point of the screening's network walk by default, walked through with hubs=door."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.support import web_fixtures
from tests.support.web_fixtures import TODAY, Dataset, use_token

app = web_fixtures.app
client = web_fixtures.client
dataset = web_fixtures.dataset

BANK_NOTE = "bank (SBI 6419) finances 250000"


def _bank_dossier(data: Dataset) -> str:
    cases = data.planted["indicators"]["BIBOB_PRIVATE_FINANCIER"]["near_miss"]
    return next(str(c["dossier_id"]) for c in cases if c.get("note") == BANK_NOTE)


def _get(client: FlaskClient, url: str, **query: str) -> dict[str, Any]:
    response = client.get(url, query_string={"as_of": TODAY.isoformat(), **query})
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def test_screening_stops_at_the_bank_unless_asked(client: FlaskClient, dataset: Dataset) -> None:
    did = _bank_dossier(dataset)
    use_token(client, dataset, "riec", "bibob_toets", did)
    url = f"/api/bibob/{did}/screening"
    stopped = _get(client, url)
    banks = [h for h in stopped["hubs"] if h["hop"] == 0]
    assert len(banks) == 1 and banks[0]["behind"] >= 0
    assert stopped["summary"]["hubs"] == len(stopped["hubs"])
    bank = banks[0]["uid"]
    assert bank in {p["uid"] for p in stopped["parties"]}
    # walked through: no hub stops the walk, and nothing found before is lost
    through = _get(client, url, hubs="door")
    assert through["hubs"] == [] and through["summary"]["hubs"] == 0
    assert {n["uid"] for n in stopped["network"]} <= {n["uid"] for n in through["network"]}
    # the bank's own neighbourhood still opens (a hub as root is expanded)
    hood = _get(client, f"/api/entities/{bank}/neighbourhood")
    assert len(hood["nodes"]) > 1


def test_a_bad_hubs_value_is_refused(client: FlaskClient, dataset: Dataset) -> None:
    did = _bank_dossier(dataset)
    use_token(client, dataset, "riec", "bibob_toets", did)
    for url, query in ((f"/api/bibob/{did}/screening", {}),
                       ("/api/paths", {"from": f"dossier:{did}", "to": "kvk:00000001"}),
                       (f"/api/entities/dossier:{did}/neighbourhood", {})):
        response = client.get(url, query_string={**query, "hubs": "dicht"})
        assert response.status_code == 422, (url, response.get_data(as_text=True))


def test_the_screening_page_names_the_bank_and_what_lies_behind(
        client: FlaskClient, dataset: Dataset) -> None:
    did = _bank_dossier(dataset)
    use_token(client, dataset, "riec", "bibob_toets", did)
    body = _get(client, f"/api/bibob/{did}/screening")
    bank = next(h for h in body["hubs"] if h["hop"] == 0)
    page = client.get(f"/bibob/{did}", query_string={"peildatum": TODAY.isoformat()})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="netwerk-knooppunten"' in html
    assert "Niet doorgelopen" in html and "Toch doorlopen" in html
    plural = "s" if bank["other_applicants"] != 1 else ""
    assert f"waarvan {bank['other_applicants']} andere aanvrager{plural}" in html
    through = client.get(f"/bibob/{did}", query_string={"peildatum": TODAY.isoformat(),
                                                         "hubs": "door"})
    assert "Knooppunten (banken, verzekeraars, overheden) zijn doorgelopen" in through.get_data(
        as_text=True)
