"""The attack on pseudonyms, on both engines: re-identifying a person from what an analyst
sees or can compute.

Before keyed uids a person's uid was ``"person:" + sha1("<surname>|<initial>|<birth
date>")[:16]``: whoever knew a name and a birth date computed the uid and asked the API for
it, and brute force over initials x birth dates reversed a pseudonymised uid in a second.
Here the attacker knows that scheme and the model file (the unkeyed digest), but not the
deployment's identity key:

* the uid computed the old way, or by the model's rule without the key, names nothing
  (404) even for the reader who sees every source;
* brute force over every initial and every birth date of a decade around the true one,
  for a known surname, hits no uid in the graph (while the same candidates do hold the
  person's uid of the old scheme: the search is the real attack);
* an analyst under ``analyse`` finds no real person uid anywhere in any answer (every
  string of every JSON answer walked, and the pages), and follows the tokens the answers
  give (``pseudo:...``) back to the person; the token is refused under a purpose without
  pseudonymisation, and a real uid or a changed token is refused under ``analyse``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph_service.model import MODEL, person_uid
from graph_service.security.policy import pseudonym_key
from graph_service.store import access
from loaders import names
from tests.support import web_fixtures
from tests.support.web_fixtures import DOSSIER, TODAY, Dataset, ensure_loaded, make_app, use_token

dataset = web_fixtures.dataset
DAY = TODAY.isoformat()


def _sha16(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def legacy_uid(name_key: str) -> str:
    """The uid of the old scheme: no key."""
    return "person:" + _sha16(name_key)


def unkeyed_uid(name_key: str) -> str:
    """The model's rule as written in model.yaml, without the identity key."""
    return MODEL.uid_rules["person"].build({"name_key": name_key})


@pytest.fixture(scope="module")
def mapp(dataset: Dataset) -> Flask:
    return make_app(dataset)


@pytest.fixture(scope="module")
def persons(dataset: Dataset) -> list[dict[str, Any]]:
    """Persons from open data (analysts see them), with a birth date, as loaded."""
    ensure_loaded(dataset)
    with access.scope(access.FULL):
        rows = dataset.store.read("read/all_nodes")
    found = [r["node"] | {"uid": r["uid"]} for r in rows if "Person" in r["labels"]
             and "open" in (r["node"].get("purposes") or []) and r["node"].get("geboortedatum")]
    assert len(found) > 50
    return found


def _key(p: dict[str, Any]) -> str:
    return names.person_key(p.get("voornamen"), p.get("voorvoegsel"), p["geslachtsnaam"],
                            p["geboortedatum"])


@pytest.fixture
def full(mapp: Flask, dataset: Dataset) -> FlaskClient:
    """The reader that sees every source (no pseudonyms)."""
    ensure_loaded(dataset)
    return use_token(mapp.test_client(), dataset, "riec", "bibob_toets", DOSSIER)


@pytest.fixture
def analyst(mapp: Flask, dataset: Dataset) -> FlaskClient:
    ensure_loaded(dataset)
    return use_token(mapp.test_client(), dataset, "analist", "analyse", None)


def test_a_uid_computed_from_name_and_birth_date_names_nobody(
    full: FlaskClient, persons: list[dict[str, Any]]
) -> None:
    for p in persons[:20]:
        key = _key(p)
        assert person_uid(key) == p["uid"]  # the loaders' uid: keyed
        for guess in (legacy_uid(key), unkeyed_uid(key)):
            assert guess != p["uid"]
            assert full.get(f"/api/entities/{guess}").status_code == 404, guess
            assert full.get(f"/api/entities/{guess}/risk").status_code == 404, guess
        # the control: the loader's uid is found by the same reader
        assert full.get(f"/api/entities/{p['uid']}").status_code == 200


def test_brute_force_over_initials_and_birth_dates_finds_nothing(
    dataset: Dataset, persons: list[dict[str, Any]]
) -> None:
    with access.scope(access.FULL):
        in_graph = {r["uid"] for r in dataset.store.read("read/all_nodes")}
    target = persons[0]
    surname = names.split_surname(target["geslachtsnaam"], target.get("voorvoegsel"))[1]
    born = dt.date.fromisoformat(target["geboortedatum"])
    initials = [*"abcdefghijklmnopqrstuvwxyz", ""]
    days = [born + dt.timedelta(days=d) for d in range(-5 * 365, 5 * 365 + 1)]
    legacy, unkeyed = set(), set()
    for initial in initials:
        for day in days:
            key = f"{names.fold(surname)}|{initial}|{day.isoformat()}"
            legacy.add(legacy_uid(key))
            unkeyed.add(unkeyed_uid(key))
    assert len(legacy) == len(initials) * len(days)
    # the search space holds the person as the old scheme named it: the attack is real
    assert legacy_uid(_key(target)) in legacy
    assert not legacy & in_graph
    assert not unkeyed & in_graph


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON answer, keys included."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _tokens(value: Any) -> set[str]:
    return {s for s in _strings(value) if s.startswith(access.TOKEN_PREFIX)}


def test_an_analyst_sees_no_person_uid_and_follows_the_tokens_back(
    analyst: FlaskClient, full: FlaskClient, dataset: Dataset, persons: list[dict[str, Any]]
) -> None:
    real = {p["uid"] for p in persons}
    found = analyst.get("/api/hotspots", query_string={"kind": "address", "as_of": DAY})
    assert found.status_code == 200
    hits = analyst.get("/api/indicators/STRAW_MAN/hits",
                       query_string={"as_of": DAY, "limit": 1000})
    assert hits.status_code == 200
    answers: list[Any] = [found.get_json(), hits.get_json()]
    tokens = _tokens(hits.get_json())
    assert tokens, "the straw-man hits name persons"
    token = sorted(tokens)[0]
    org = None
    for url in (f"/api/entities/{token}", f"/api/entities/{token}/neighbourhood?depth=2",
                f"/api/entities/{token}/risk?as_of={DAY}"):
        response = analyst.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
        answers.append(response.get_json())
        org = org or next((n["uid"] for n in response.get_json().get("nodes", [])
                           if n["uid"].startswith("kvk:")), None)
    assert org is not None
    paths = analyst.get("/api/paths", query_string={"from": token, "to": org})
    assert paths.status_code == 200
    answers += [paths.get_json(), analyst.get(f"/api/entities/{org}/neighbourhood").get_json()]
    for answer in answers:
        shown = list(_strings(answer))
        assert not [s for s in shown if "person:" in s]  # no real person uid, anywhere
        assert not real & set(shown)
    # the token is the person: the service turns it back; the entity shows a pseudonym
    entity = answers[2]
    assert entity["uid"] == token and entity["name"].startswith("Persoon ")
    uid = access.token_uid(token, pseudonym_key(dataset.settings))
    assert uid is not None and uid.startswith("person:k:")
    assert full.get(f"/api/entities/{uid}").get_json()["uid"] == uid
    # every token of every answer leads back to an entity
    for other in sorted(set().union(*(_tokens(a) for a in answers)))[:10]:
        assert analyst.get(f"/api/entities/{other}").status_code == 200, other
    # pages and graph data: links carry tokens, no uid
    for url in (f"/entiteit/{token}?peildatum={DAY}", f"/vis/entities/{token}?depth=1"):
        response = analyst.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        assert "person:" not in text and token in text, url
    # refused: the real uid under analyse, the token without pseudonymisation, a changed
    # token
    assert analyst.get(f"/api/entities/{uid}").status_code == 404
    assert full.get(f"/api/entities/{token}").status_code == 404
    changed = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert analyst.get(f"/api/entities/{changed}").status_code == 404
