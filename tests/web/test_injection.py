"""Injection strings in every parameter of every API operation, on both engines.

Every query, path and header parameter of every operation in the OpenAPI document gets
each string of :data:`PAYLOADS` (Cypher breaking out of a string or a map, a parameter
name, NUL and other control characters, very long text, unicode, path tricks), the other
parameters a valid value. Asked as an analyst under ``analyse`` (open and municipal sources,
persons pseudonymised) and as a RIEC liaison under ``riec_casus``: no answer is a 5xx,
every error is the one JSON shape, nothing in the graph changes (node and relationship
counts per label and type), and no answer holds what the scope may not see (Bibob facts,
real person names for the analyst). Pages take the same parsers; a few are probed too.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask

from graph_service.store import access
from graph_service.web.openapi import build_document
from tests.support import web_fixtures
from tests.support.web_fixtures import TODAY, Dataset, ensure_loaded, make_app, use_token
from tests.web.test_authz import Facts, check_scope, facts  # noqa: F401 - fixture

dataset = web_fixtures.dataset

PAYLOADS = [
    "' OR 1=1 //",
    '"}) MATCH (n) DETACH DELETE n //',
    "') MATCH (n) DETACH DELETE n RETURN 1 //",
    "x'}) WITH 1 AS x CALL db.labels() YIELD label RETURN label //",
    "$visible",
    "{visible: ['bibob', 'riec']}",
    "\u0000",
    "a\u0000b",
    "\r\nX-Injected: 1",
    "x" * 10_000,
    "名前 ünïcødé 🙂 \u202e",
    "../../../etc/passwd",
    "%00%2e%2e",
    "*",
    "\\",
    "` RETURN 1 //",
    "-1",
    "9" * 40,
]
VALID: dict[str, str] = {
    "q": "park", "uid": "park:VP-0001", "from": "unit:VP-0001/5", "to": "unit:VP-0001/6",
    "code": "STRAW_MAN", "dossier_id": "WV-2026-00011", "kind": "park", "depth": "1",
    "max_hops": "2", "limit": "5", "offset": "0", "per_node": "5", "as_of": TODAY.isoformat(),
    "all": "false", "types": "UNIT_OF",
}
SCOPES = [("analyst", "analist", "analyse", None),
          ("riec_liaison", "riec", "riec_casus", "CASUS-2026-1")]


def operations() -> list[tuple[str, str, str]]:
    """(path template, parameter name, where) of every parameter of every API operation."""
    out = []
    for path, item in build_document()["paths"].items():
        for param in item.get("get", {}).get("parameters", []):
            out.append((path, param["name"], param["in"]))
    return out


def counts(data: Dataset) -> tuple[Any, Any]:
    with access.scope(access.FULL):
        return (data.store.read("read/node_counts"),
                data.store.read("read/relationship_counts"))


def request_for(path: str, name: str, where: str, value: str
                ) -> tuple[str, dict[str, str], dict[str, str]]:
    url, query, headers = path, {}, {}
    for pname, pwhere in ((p, w) for t, p, w in operations() if t == path):
        given = value if pname == name else VALID.get(pname)
        if given is None:
            continue
        if pwhere == "path":
            url = url.replace("{" + pname + "}", quote(given, safe="") or "%20")
        elif pwhere == "query":
            query[pname] = given
        elif pwhere == "header" and pname == name:
            headers[pname] = given.replace("\r", " ").replace("\n", " ").replace("\u0000", " ")
    return url, query, headers


@pytest.fixture
def app(dataset: Dataset) -> Flask:
    ensure_loaded(dataset)
    return make_app(dataset)


@pytest.mark.parametrize(("role", "user", "purpose", "reference"), SCOPES,
                         ids=[s[2] for s in SCOPES])
def test_injection_in_every_parameter(app: Flask, dataset: Dataset, facts: Facts,  # noqa: F811
                                      role: str, user: str, purpose: str,
                                      reference: str | None) -> None:
    before = counts(dataset)
    client = use_token(app.test_client(), dataset, user, purpose, reference)
    seen: dict[int, int] = {}
    for path, name, where in operations():
        for payload in PAYLOADS:
            url, query, headers = request_for(path, name, where, payload)
            response = client.get(url, query_string=query, headers=headers)
            status = response.status_code
            seen[status] = seen.get(status, 0) + 1
            label = f"{url[:80]} {name}={payload[:30]!r}"
            assert status < 500, (label, response.get_data(as_text=True)[:300])
            assert response.mimetype == "application/json", label
            body = response.get_json()
            if status >= 400:
                # a name that fits several entities answers with the candidates to choose from
                extra = ({"parameter", "candidates"} if body.get("code") == "ambiguous_name"
                         else set())
                assert set(body) == {"ok", "status", "code", "error"} | extra, label
                assert "Traceback" not in body["error"] and "Cypher" not in body["error"]
            else:
                check_scope(role, purpose, response, facts)
    assert counts(dataset) == before  # nothing was written or deleted
    assert seen.get(200) and seen.get(422) and seen.get(404), seen


@pytest.mark.parametrize("payload", PAYLOADS[:10], ids=range(10))
def test_injection_in_pages(app: Flask, dataset: Dataset, facts: Facts,  # noqa: F811
                            payload: str) -> None:
    before = counts(dataset)
    client = use_token(app.test_client(), dataset, "analist", "analyse", None)
    for url, query in (("/", {"q": payload}), ("/paden", {"van": payload, "naar": "park"}),
                       (f"/entiteit/{quote(payload, safe='') or '%20'}", {}),
                       ("/hotspots", {"soort": payload}), ("/indicatoren", {"peildatum": payload}),
                       ("/vis/paths", {"from": payload, "to": "park:VP-0001"})):
        response = client.get(url, query_string=query)
        assert response.status_code < 500, (url, payload[:30])
        if response.status_code == 200:
            check_scope("analyst", "analyse", response, facts)
    assert counts(dataset) == before
