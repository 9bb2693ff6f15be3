"""The authorisation matrix, on both engines: who may read what, for which purpose.

* Every role x purpose x route (the JSON API with a token and the purpose headers; the
  pages and graph views with a session through ``/login`` and ``/doel``): 401 (API) or a
  redirect to ``/login`` (pages) without login, 403 for a role that may not work for the
  purpose (pages: refused on ``/doel``), 403 for purposes that see no graph data
  (``beheer``, ``audit``) and for a Bibob screening outside ``bibob_toets``, 200 otherwise.
  Every answer is also scanned for what its scope may not see.
* Bibob-only facts (a person known only from a Bibob dossier, a FINANCES relationship, the
  dossier itself, addresses only a dossier mentions) never reach an analyst or a RIEC
  liaison outside ``bibob_toets``: not in search, entities, neighbourhoods, paths, risk,
  indicator hits and their evidence, screening, pages or graphs. The same requests under
  ``bibob_toets`` do show them (so the check is not vacuous).
* Analysts under ``analyse`` see no real person name anywhere (every person name of the
  fixture is looked for in every answer), and do see pseudonyms.
* Doelbinding within Bibob: the screening and profile of dossier X need reference X.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from graph_service import risk
from graph_service.security.policy import POLICY, PURPOSES, pseudonym_key
from graph_service.security.users import LocalAccounts
from graph_service.store import access
from tests.support import web_fixtures
from tests.support.web_fixtures import (
    DOSSIER,
    TODAY,
    Dataset,
    choose,
    ensure_loaded,
    login,
    make_app,
    use_token,
)

dataset = web_fixtures.dataset

ROLE_USER = {"bibob_officer": "bibob", "riec_liaison": "riec", "analyst": "analist",
             "admin": "beheer", "auditor": "auditor"}
REFERENCE: dict[str, str | None] = {"bibob_toets": DOSSIER, "riec_casus": "CASUS-2026-0007",
                                    "analyse": None, "beheer": None, "audit": None}
PAIRS = [(role, purpose) for role in ROLE_USER for purpose in PURPOSES]
OTHER_DOSSIER = "WV-2026-00001"
PARK = "park:VP-0001"
U1, U2 = "unit:VP-0001/5", "unit:VP-0001/6"
DAY = TODAY.isoformat()


@dataclass(frozen=True)
class Route:
    url: str
    api: bool
    screening: bool = False

    def __str__(self) -> str:
        return self.url


API_ROUTES = [
    Route("/api/search?q=park", True),
    Route(f"/api/entities/{PARK}", True),
    Route(f"/api/entities/{PARK}/neighbourhood?depth=2", True),
    Route(f"/api/paths?from={U1}&to={U2}&max_hops=2", True),
    Route(f"/api/entities/{PARK}/risk?as_of={DAY}", True),
    Route("/api/indicators", True),
    Route(f"/api/indicators/STRAW_MAN/hits?as_of={DAY}", True),
    Route(f"/api/bibob/{DOSSIER}/screening?as_of={DAY}", True, screening=True),
    Route(f"/api/hotspots?kind=park&as_of={DAY}", True),
]
PAGE_ROUTES = [
    Route("/", False),
    Route("/?q=park", False),
    Route(f"/entiteit/{PARK}?peildatum={DAY}", False),
    Route(f"/bibob/{DOSSIER}?peildatum={DAY}", False, screening=True),
    Route(f"/indicatoren?peildatum={DAY}", False),
    Route(f"/indicatoren/STRAW_MAN?peildatum={DAY}", False),
    Route(f"/hotspots?soort=park&peildatum={DAY}", False),
    Route(f"/paden?van={U1}&naar={U2}&max=2", False),
    Route(f"/vis/entities/{PARK}?depth=1", False),
    Route(f"/vis/bibob/{DOSSIER}?as_of={DAY}", False, screening=True),
    Route(f"/vis/paths?from={U1}&to={U2}&max_hops=2", False),
]


def expected(role: str, purpose: str, route: Route) -> int:
    grant = POLICY.get((role, purpose))
    if grant is None or not grant.visible:
        return 403
    if route.screening and purpose != "bibob_toets":
        return 403
    return 200


# -- what must stay hidden ----------------------------------------------------------------------
@dataclass
class Facts:
    """Facts of the fixture, read with full access."""

    bibob_only: dict[str, str]  # uid -> name of nodes known only from Bibob dossiers
    bibob_only_names: set[str]  # their names that are in no other node's name
    financier: str  # a person known only from the dossier DOSSIER, who FINANCES ...
    financed: str  # ... this organisation
    person_names: set[str]  # every person's full name
    straw_man: str  # a person with a STRAW_MAN hit (open data: visible to analysts)


@pytest.fixture(scope="module")
def facts(dataset: Dataset) -> Facts:
    ensure_loaded(dataset)
    with access.scope(access.FULL):
        nodes = dataset.store.read("read/all_nodes")
        rels = dataset.store.read("read/all_relationships")
        straw = sorted(h.uid for h in risk.hits(dataset.store, "STRAW_MAN", TODAY))
    only = {n["uid"]: str(n["node"].get("name") or "") for n in nodes
            if n["node"].get("purposes") == ["bibob"]}
    fin = [r for r in rels if r["type"] == "FINANCES" and r["start"].startswith("person:")
           and r["rel"].get("dossier_id") == DOSSIER and r["start"] in only]
    assert fin, "the fixture has a private financier known only from the dossier"
    names = {str(n["node"]["name"]) for n in nodes if "Person" in n["labels"]
             and n["node"].get("name")}
    assert len(names) > 100 and straw
    elsewhere = {str(n["node"].get("name")) for n in nodes if n["uid"] not in only}
    unique = {name for name in only.values()  # no namesake, no part of another name
              if name and not any(name in other for other in elsewhere)}
    assert only[fin[0]["start"]] in unique
    return Facts(only, unique, fin[0]["start"], fin[0]["end"], names, straw[0])


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _text(response: TestResponse) -> str:
    """The answer as text, without the echo of what was asked (a search shows its query)."""
    text = htmllib.unescape(response.get_data(as_text=True))
    asked = [v for values in response.request.args.listvalues() for v in values]
    parts = response.request.path.split("/")
    asked += ["/".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)
              if ":" in "/".join(parts[i:j])]  # a uid in the path: a 404 names it
    for value in sorted(asked, key=len, reverse=True):
        text = text.replace(value, "")
    return text


GRAPH = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.S)


def assert_no_bibob(response: TestResponse, facts: Facts) -> None:
    """Nothing in the answer comes from a Bibob dossier."""
    text = _text(response)
    found = re.search("(?:" + "|".join(map(re.escape, facts.bibob_only)) + r")(?![\w/.-])",
                      text)
    assert found is None, found.group(0) if found else None
    found = re.search(r"(?<!\w)(?:" + "|".join(map(re.escape, facts.bibob_only_names))
                      + r")(?!\w)", text)
    assert found is None, found.group(0) if found else None
    assert "dossier:" not in text and "bibob:" not in text
    data: list[Any] = []
    if response.mimetype == "application/json":
        body = response.get_json()
        if isinstance(body, dict):  # the notice of what is left out names sources, no facts
            body = {k: v for k, v in body.items() if k != "absent_sources"}
        data.append(body)
    else:
        assert "financiert" not in text  # the Dutch name of FINANCES
        data += [json.loads(m) for m in GRAPH.findall(response.get_data(as_text=True))]
    for item in _walk(data):
        for key in ("_type", "type", "relType"):
            assert item.get(key) != "FINANCES", item
        for key in ("sources", "purposes"):
            assert "bibob" not in (item.get(key) or []), item
        assert not [r for r in item.get("source_records") or [] if str(r).startswith("bibob:")]


def assert_no_names(response: TestResponse, facts: Facts) -> None:
    """No real person name in the answer (persons are pseudonymised)."""
    text = _text(response)
    shown = [name for name in facts.person_names if name in text]
    assert not shown, shown[:5]


def check_scope(role: str, purpose: str, response: TestResponse, facts: Facts) -> None:
    grant = POLICY[(role, purpose)]
    if "bibob" not in grant.visible:
        assert_no_bibob(response, facts)
    if grant.pseudonymise:
        assert_no_names(response, facts)


def assert_error(response: TestResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:400]
    assert response.mimetype == "application/json"
    body: dict[str, Any] = response.get_json()
    assert set(body) == {"ok", "status", "code", "error"} and body["status"] == status
    return body


# -- fixtures -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mapp(dataset: Dataset) -> Flask:
    """One app for the module (the store is the dataset's)."""
    return make_app(dataset)


@pytest.fixture(autouse=True)
def _loaded(dataset: Dataset) -> None:
    ensure_loaded(dataset)


@pytest.fixture(scope="module")
def sessions(mapp: Flask) -> Iterator[Callable[[str], FlaskClient]]:
    """A logged-in session client per user (one login each, through ``/login``)."""
    made: dict[str, FlaskClient] = {}

    def get(user: str) -> FlaskClient:
        if user not in made:
            made[user] = login(mapp.test_client(), user)
        return made[user]

    yield get


def token_client(mapp: Flask, data: Dataset, role: str, purpose: str | None) -> FlaskClient:
    return use_token(mapp.test_client(), data, ROLE_USER[role], purpose,
                     REFERENCE.get(purpose or ""))


# -- the matrix ---------------------------------------------------------------------------------
@pytest.mark.parametrize("route", [*API_ROUTES, *PAGE_ROUTES], ids=str)
def test_without_login(mapp: Flask, route: Route) -> None:
    response = mapp.test_client().get(route.url)
    if route.api:
        assert_error(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    else:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?volgende=")


@pytest.mark.parametrize("route", API_ROUTES, ids=str)
@pytest.mark.parametrize(("role", "purpose"), PAIRS)
def test_api_matrix(mapp: Flask, dataset: Dataset, facts: Facts, role: str, purpose: str,
                    route: Route) -> None:
    response = token_client(mapp, dataset, role, purpose).get(route.url)
    want = expected(role, purpose, route)
    if want == 403:
        body = assert_error(response, 403)
        assert "Traceback" not in body["error"]
        return
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    check_scope(role, purpose, response, facts)


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=str)
@pytest.mark.parametrize(("role", "purpose"), PAIRS)
def test_page_matrix(sessions: Callable[[str], FlaskClient], facts: Facts, role: str,
                     purpose: str, route: Route) -> None:
    client = sessions(ROLE_USER[role])
    allowed = (role, purpose) in POLICY
    text = choose(client, purpose, REFERENCE[purpose], status=302 if allowed else 403)
    response = client.get(route.url)
    if not allowed:  # refused on /doel, in Dutch; no purpose: every page asks for one
        assert "mag u niet werken voor het doel" in htmllib.unescape(text)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/doel?volgende=")
        return
    want = expected(role, purpose, route)
    assert response.status_code == want, response.get_data(as_text=True)[:400]
    assert response.mimetype == "text/html"
    page = htmllib.unescape(response.get_data(as_text=True))
    assert PURPOSES[purpose].title in page  # the header shows the purpose
    if want == 403:
        assert "Geen toegang" in page and 'href="/doel' in page
        return
    check_scope(role, purpose, response, facts)


def test_api_without_purpose_header(mapp: Flask, dataset: Dataset) -> None:
    client = token_client(mapp, dataset, "analyst", None)
    body = assert_error(client.get("/api/search?q=park"), 403)
    assert "X-Ondergraaf-Purpose" in body["error"]
    for purpose, reference in (("bibob_toets", None), ("riec_casus", None),
                               ("analyse", "x" * 65), ("analyse", "a b"), ("nope", None)):
        use_token(client, dataset, "riec", purpose, reference)
        assert_error(client.get("/api/search?q=park"), 403)


def test_bad_tokens(mapp: Flask) -> None:
    client = mapp.test_client()
    for header in ("Bearer og_nonsense", "Bearer ", "Basic dXNlcjpwdw==", "og_x"):
        response = client.get("/api/search?q=park", headers={"Authorization": header})
        assert_error(response, 401)


# -- Bibob-only facts ---------------------------------------------------------------------------
def bibob_probes(facts: Facts) -> list[str]:
    """Requests that would show the Bibob-only facts if the scope let them through."""
    person, org = facts.financier, facts.financed
    name = facts.bibob_only[person]
    return [
        f"/api/search?q={name}",
        f"/api/search?q={DOSSIER}",
        f"/api/entities/{person}",
        f"/api/entities/dossier:{DOSSIER}",
        f"/api/entities/{org}",
        f"/api/entities/{org}/neighbourhood?types=FINANCES",
        f"/api/entities/{org}/neighbourhood?depth=2",
        f"/api/entities/{org}/risk?as_of={DAY}",
        f"/api/paths?from={person}&to={org}",
        f"/api/indicators/BIBOB_PRIVATE_FINANCIER/hits?as_of={DAY}",
        f"/api/indicators/BIBOB_RELATED_SIGNAL/hits?as_of={DAY}",
        f"/api/hotspots?kind=address&as_of={DAY}",
        f"/?q={name}",
        f"/entiteit/{org}?peildatum={DAY}",
        f"/entiteit/{person}",
        f"/entiteit/dossier:{DOSSIER}",
        f"/vis/entities/{org}?depth=2",
        f"/paden?van={person}&naar={org}",
        f"/indicatoren?peildatum={DAY}",
        f"/indicatoren/BIBOB_PRIVATE_FINANCIER?peildatum={DAY}",
    ]


@pytest.mark.parametrize(("role", "purpose"), [
    ("analyst", "analyse"), ("analyst", "riec_casus"), ("riec_liaison", "riec_casus")])
def test_bibob_only_facts_stay_hidden(mapp: Flask, dataset: Dataset, facts: Facts, role: str,
                                      purpose: str) -> None:
    client = token_client(mapp, dataset, role, purpose)
    for url in bibob_probes(facts):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        assert_no_bibob(response, facts)
    hits = client.get(f"/api/indicators/BIBOB_PRIVATE_FINANCIER/hits?as_of={DAY}").get_json()
    assert hits["total"] == 0 and hits["hits"] == []
    assert client.get(f"/api/entities/{facts.financier}").status_code == 404
    assert client.get(f"/api/entities/dossier:{DOSSIER}").status_code == 404
    assert client.get(f"/entiteit/dossier:{DOSSIER}").status_code == 404
    for url in (f"/api/bibob/{DOSSIER}/screening", f"/bibob/{DOSSIER}",
                f"/vis/bibob/{DOSSIER}"):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["bibob_officer", "riec_liaison"])
def test_bibob_facts_show_under_bibob_toets(mapp: Flask, dataset: Dataset, facts: Facts,
                                            role: str) -> None:
    """The control: the same facts are there for the Bibob-toets of their dossier."""
    client = token_client(mapp, dataset, role, "bibob_toets")
    name = facts.bibob_only[facts.financier]
    found = client.get(f"/api/search?q={name}").get_json()
    assert facts.financier in {r["uid"] for r in found["results"]}
    assert client.get(f"/api/entities/{facts.financier}").status_code == 200
    rels = client.get(f"/api/entities/{facts.financed}/neighbourhood?types=FINANCES"
                      ).get_json()["relationships"]
    assert {(r["_start"], r["_type"]) for r in rels} >= {(facts.financier, "FINANCES")}
    hits = client.get(f"/api/indicators/BIBOB_PRIVATE_FINANCIER/hits?as_of={DAY}").get_json()
    assert f"dossier:{DOSSIER}" in {h["uid"] for h in hits["hits"]}
    assert any("bibob" in (e.get("sources") or []) for h in hits["hits"] for e in h["evidence"])
    screening = client.get(f"/api/bibob/{DOSSIER}/screening?as_of={DAY}").get_json()
    assert facts.financier in {p["uid"] for p in screening["parties"]}
    page = htmllib.unescape(client.get(f"/vis/entities/{facts.financed}?depth=1")
                            .get_data(as_text=True))
    assert facts.financier in page and "financiert" in page


# -- pseudonymisation ---------------------------------------------------------------------------
def person_probes(facts: Facts, mapp: Flask, dataset: Dataset) -> list[str]:
    person = facts.straw_man
    client = token_client(mapp, dataset, "analyst", "riec_casus")
    org = next(n["uid"] for n in client.get(
        f"/api/entities/{person}/neighbourhood").get_json()["nodes"]
        if n["uid"].startswith("kvk:"))
    return [
        f"/api/entities/{person}",
        f"/api/entities/{person}/neighbourhood?depth=2",
        f"/api/entities/{person}/risk?as_of={DAY}",
        f"/api/entities/{org}/neighbourhood",
        f"/api/paths?from={person}&to={org}",
        f"/api/indicators/STRAW_MAN/hits?as_of={DAY}&limit=1000",
        f"/api/indicators/SHED_VULNERABLE_OWNER/hits?as_of={DAY}&limit=1000",
        f"/api/hotspots?kind=address&as_of={DAY}",
        f"/entiteit/{person}?peildatum={DAY}",
        f"/entiteit/{org}?peildatum={DAY}",
        f"/vis/entities/{org}?depth=2",
        f"/paden?van={person}&naar={org}",
        f"/indicatoren/STRAW_MAN?peildatum={DAY}",
        f"/vis/paths?from={person}&to={org}",
    ]


def test_analysts_see_no_person_names(mapp: Flask, dataset: Dataset, facts: Facts) -> None:
    probes = person_probes(facts, mapp, dataset)
    client = token_client(mapp, dataset, "analyst", "analyse")
    # an analyst names a person by the token its answers give, never by the uid
    token = access.person_token(facts.straw_man, pseudonym_key(dataset.settings))
    pseudonyms = 0
    for url in probes:
        response = client.get(url.replace(facts.straw_man, token))
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
        assert_no_names(response, facts)
        assert "person:" not in response.get_data(as_text=True), url
        pseudonyms += len(re.findall(r"Persoon [0-9A-F]{8}", response.get_data(as_text=True)))
    assert pseudonyms > 10
    for name in sorted(facts.person_names)[:25]:  # nor can a name be searched for
        found = client.get("/api/search", query_string={"q": name}).get_json()
        assert not [r for r in found["results"]
                    if r["uid"].startswith(("person:", access.TOKEN_PREFIX))], name
    # the control: under riec_casus the same analyst sees the real names
    names = token_client(mapp, dataset, "analyst", "riec_casus").get(probes[0]).get_json()
    assert names["name"] in facts.person_names


# -- doelbinding within Bibob -------------------------------------------------------------------
@pytest.mark.parametrize("role", ["bibob_officer", "riec_liaison"])
def test_screening_needs_its_own_dossier_as_reference(mapp: Flask, dataset: Dataset,
                                                      role: str) -> None:
    client = token_client(mapp, dataset, role, "bibob_toets")  # reference DOSSIER
    for url in (f"/api/bibob/{OTHER_DOSSIER}/screening", f"/api/bibob/dossier:{OTHER_DOSSIER}"
                "/screening", f"/bibob/{OTHER_DOSSIER}", f"/vis/bibob/{OTHER_DOSSIER}",
                f"/api/entities/dossier:{OTHER_DOSSIER}",
                f"/api/entities/dossier:{OTHER_DOSSIER}/neighbourhood",
                f"/api/entities/dossier:{OTHER_DOSSIER}/risk",
                f"/entiteit/dossier:{OTHER_DOSSIER}", f"/vis/entities/dossier:{OTHER_DOSSIER}"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "doelbinding" in htmllib.unescape(response.get_data(as_text=True)), url
    for url in (f"/api/bibob/{DOSSIER}/screening", f"/api/bibob/dossier:{DOSSIER}/screening",
                f"/api/entities/dossier:{DOSSIER}", f"/entiteit/dossier:{DOSSIER}"):
        assert client.get(url).status_code == 200, url
    use_token(client, dataset, ROLE_USER[role], "bibob_toets", OTHER_DOSSIER)
    assert client.get(f"/api/bibob/{OTHER_DOSSIER}/screening").status_code == 200
    assert client.get(f"/api/bibob/{DOSSIER}/screening").status_code == 403


def test_roles_are_read_per_request(mapp: Flask, dataset: Dataset) -> None:
    """A role taken away, or an account disabled, counts from the next request on."""
    accounts = LocalAccounts.open(dataset.settings)
    accounts.create_user("tijdelijk", ["analyst", "riec_liaison"], password="tijdelijk-12345")
    try:
        client = login(mapp.test_client(), "tijdelijk", "riec_casus", "CASUS-1",
                       password="tijdelijk-12345")
        assert client.get("/?q=park").status_code == 200
        accounts.remove_role("tijdelijk", "riec_liaison")
        assert client.get("/?q=park").status_code == 200  # analyst may work for riec_casus
        accounts.add_role("tijdelijk", "riec_liaison")
        accounts.remove_role("tijdelijk", "analyst")
        choose(client, "analyse", status=403)  # the liaison may not work for analyse
        choose(client, "riec_casus", "CASUS-1")
        accounts.add_role("tijdelijk", "analyst")
        accounts.remove_role("tijdelijk", "riec_liaison")
        accounts.add_role("tijdelijk", "admin")
        accounts.remove_role("tijdelijk", "analyst")
        response = client.get("/?q=park")  # admin may not work for riec_casus
        assert response.status_code == 403 and "Geen toegang" in response.get_data(as_text=True)
        accounts.set_disabled("tijdelijk", True)
        response = client.get("/?q=park")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    finally:
        with LocalAccounts.open(dataset.settings)._db() as db:
            db.execute("DELETE FROM users WHERE username = 'tijdelijk'")
