"""The JSON API on both engines: every endpoint, the one error shape, bad parameters,
the OpenAPI document (validated) and a bounded schema-driven fuzz run (no 5xx).

Expectations come from the engine-level functions the API wraps (the API must return
exactly their result) and from the generator's planted hits.
"""

from __future__ import annotations

import contextvars
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from graph_service import queries, risk
from graph_service.errors import AccessDenied, GraphUnavailable
from graph_service.risk.indicators import list_indicators
from graph_service.store import access
from graph_service.web.http import ERROR_CODES
from graph_service.web.openapi import build_document
from tests.support import web_fixtures
from tests.support.web_fixtures import TODAY, Dataset, make_app, use_token

AS_OF = {"as_of": TODAY.isoformat()}
ROOT = Path(__file__).parent.resolve().parent.parent
PARK = "park:VP-0001"

# the shared fixtures of the web tests (one dataset per engine and module)
app = web_fixtures.app
client = web_fixtures.client
dataset = web_fixtures.dataset


def ok(response: TestResponse) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body: dict[str, Any] = response.get_json()
    return body


def assert_error(response: TestResponse, status: int) -> dict[str, Any]:
    """The one error shape, exactly: ok false, the status, a message; never a traceback."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body: dict[str, Any] = response.get_json()
    assert set(body) == {"ok", "status", "code", "error"}
    assert body["ok"] is False and body["status"] == status and body["code"] in ERROR_CODES
    assert isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in body["error"] and 'File "' not in body["error"]
    return body


def assert_chained(path: dict[str, Any], uid_key: str = "uid") -> None:
    """relationships[i] joins nodes[i] and nodes[i + 1] (store or evidence shape)."""
    uids = [n[uid_key] for n in path["nodes"]]
    assert len(path["relationships"]) == len(uids) - 1
    for i, rel in enumerate(path["relationships"]):
        ends = {rel.get("_start", rel.get("start")), rel.get("_end", rel.get("end"))}
        assert ends == {uids[i], uids[i + 1]}


# -- service ------------------------------------------------------------------------------------
def test_healthz(client: FlaskClient, dataset: Dataset) -> None:
    body = ok(client.get("/healthz"))
    assert body["ok"] is True and body["engine"] == dataset.store.engine


# -- search -------------------------------------------------------------------------------------
def test_search_by_identifier_and_name(client: FlaskClient) -> None:
    body = ok(client.get("/api/search", query_string={"q": "WV-2026-00011"}))
    assert body["results"][0]["uid"] == "dossier:WV-2026-00011"
    assert body["results"][0]["match"] == "id"
    name = ok(client.get(f"/api/entities/{PARK}"))["name"]
    found = ok(client.get("/api/search", query_string={"q": name, "limit": 5}))
    assert PARK in {r["uid"] for r in found["results"]}
    assert found["count"] == len(found["results"]) <= 5


@pytest.mark.parametrize(("query", "status"), [
    ({}, 400),
    ({"q": ""}, 400),
    ({"q": "x"}, 422),
    ({"q": "x" * 201}, 422),
    ({"q": "park", "limit": "0"}, 422),
    ({"q": "park", "limit": "lots"}, 422),
])
def test_search_bad_parameters(client: FlaskClient, query: dict[str, str], status: int) -> None:
    assert_error(client.get("/api/search", query_string=query), status)


# -- entity -------------------------------------------------------------------------------------
def test_entity_properties_and_provenance(client: FlaskClient) -> None:
    body = ok(client.get(f"/api/entities/{PARK}"))
    assert body["uid"] == PARK and body["labels"] == ["HolidayPark"]
    assert body["properties"]["park_id"] == "VP-0001"
    prov = body["provenance"]
    assert "vakantieparken" in prov["sources"]
    assert prov["source_records"] and all(":" in r for r in prov["source_records"])
    assert prov["first_seen"] <= prov["last_seen"]
    assert prov["grades"]


def test_entity_uid_with_slash(client: FlaskClient) -> None:
    body = ok(client.get("/api/entities/unit:VP-0001/5"))
    assert body["uid"] == "unit:VP-0001/5" and body["labels"] == ["ParkUnit"]
    encoded = ok(client.get("/api/entities/unit%3AVP-0001%2F5"))
    assert encoded["uid"] == "unit:VP-0001/5"


def test_entity_unknown_is_404(client: FlaskClient) -> None:
    assert_error(client.get("/api/entities/kvk:00000000"), 404)
    assert_error(client.get("/api/entities/unit:VP-0001/999/risk"), 404)


# -- neighbourhood ------------------------------------------------------------------------------
def test_neighbourhood_matches_query(client: FlaskClient, dataset: Dataset) -> None:
    body = ok(client.get(f"/api/entities/{PARK}/neighbourhood", query_string={"depth": 2}))
    expected = queries.neighbourhood(dataset.store, PARK, depth=2)
    assert body["root"] == PARK and body["depth"] == 2
    assert {n["uid"] for n in body["nodes"]} == {n["uid"] for n in expected.nodes}
    assert len(body["relationships"]) == len(expected.relationships)
    assert body["truncated"] == expected.truncated


def test_neighbourhood_type_filter(client: FlaskClient) -> None:
    counts = ok(client.get(f"/api/entities/{PARK}"))["relationship_counts"]
    body = ok(client.get(f"/api/entities/{PARK}/neighbourhood",
                         query_string={"types": "UNIT_OF"}))
    others = {n["uid"] for n in body["nodes"]} - {PARK}
    assert len(others) == counts["UNIT_OF"]
    assert all(u.startswith("unit:VP-0001/") for u in others)
    assert {r["_type"] for r in body["relationships"]} == {"UNIT_OF"}
    assert body["types"] == ["UNIT_OF"]


def test_neighbourhood_of_uid_with_slash(client: FlaskClient) -> None:
    body = ok(client.get("/api/entities/unit:VP-0001/5/neighbourhood",
                         query_string={"types": "UNIT_OF"}))
    assert body["root"] == "unit:VP-0001/5"
    assert {n["uid"] for n in body["nodes"]} == {"unit:VP-0001/5", PARK}


def test_neighbourhood_as_of_and_cap(client: FlaskClient) -> None:
    body = ok(client.get(f"/api/entities/{PARK}/neighbourhood",
                         query_string={"as_of": TODAY.isoformat(), "limit": 3}))
    assert body["as_of"] == TODAY.isoformat()
    assert len(body["nodes"]) == 3 and body["truncated"] is True
    assert sum(o["count"] for o in body["overflow"]) > 0


@pytest.mark.parametrize("query", [
    {"depth": "9"}, {"depth": "0"}, {"depth": "two"}, {"as_of": "2026-02-30"},
    {"as_of": "27-11-2026"}, {"as_of": "2026-11-27T00:00"}, {"types": "KNOWS"},
    {"types": "UNIT_OF,knows"}, {"limit": "0"}, {"per_node": "-1"},
])
def test_neighbourhood_bad_parameters(client: FlaskClient, query: dict[str, str]) -> None:
    assert_error(client.get(f"/api/entities/{PARK}/neighbourhood", query_string=query), 422)


def test_neighbourhood_unknown_uid(client: FlaskClient) -> None:
    assert_error(client.get("/api/entities/park:NOPE/neighbourhood"), 404)


# -- paths --------------------------------------------------------------------------------------
def test_paths_between_units(client: FlaskClient) -> None:
    body = ok(client.get("/api/paths", query_string={
        "from": "unit:VP-0001/5", "to": "unit:VP-0001/6", "max_hops": 2, "types": "UNIT_OF"}))
    assert body["count"] == 1
    path = body["paths"][0]
    assert [n["uid"] for n in path["nodes"]] == ["unit:VP-0001/5", PARK, "unit:VP-0001/6"]
    assert path["length"] == 2
    assert_chained(path)


def test_paths_all_shortest(client: FlaskClient, dataset: Dataset) -> None:
    query = {"from": "unit:VP-0001/5", "to": "unit:VP-0001/6", "max_hops": 4, "all": "true"}
    body = ok(client.get("/api/paths", query_string=query))
    expected = queries.paths(dataset.store, "unit:VP-0001/5", "unit:VP-0001/6", max_hops=4,
                             all_shortest=True)
    assert [[n["uid"] for n in p["nodes"]] for p in body["paths"]] == [p.uids for p in expected]
    for p in body["paths"]:
        assert_chained(p)


def test_paths_none_within_one_hop(client: FlaskClient) -> None:
    body = ok(client.get("/api/paths", query_string={
        "from": "unit:VP-0001/5", "to": "unit:VP-0001/6", "max_hops": 1}))
    assert body == {**body, "count": 0, "paths": []}


@pytest.mark.parametrize(("query", "status"), [
    ({"to": PARK}, 400),
    ({"from": PARK}, 400),
    ({"from": PARK, "to": "unit:VP-0001/5", "max_hops": "0"}, 422),
    ({"from": PARK, "to": "unit:VP-0001/5", "max_hops": "9"}, 422),
    ({"from": PARK, "to": "unit:VP-0001/5", "types": "NOPE"}, 422),
    ({"from": PARK, "to": "unit:VP-0001/5", "as_of": "gisteren"}, 422),
    ({"from": PARK, "to": PARK}, 422),
    ({"from": "park:NOPE", "to": PARK}, 404),
])
def test_paths_bad_parameters(client: FlaskClient, query: dict[str, str], status: int) -> None:
    assert_error(client.get("/api/paths", query_string=query), status)


# -- risk and indicators ------------------------------------------------------------------------
def check_hit(hit: dict[str, Any]) -> None:
    """A hit in JSON carries the entity, the indicator, paths and evidence."""
    for key in ("uid", "label", "name", "code", "severity", "paths", "evidence"):
        assert key in hit
    if hit["label"] == "Person":
        assert "geboortedatum" in hit
    assert hit["paths"] and hit["evidence"]
    for path in hit["paths"]:
        assert_chained(path)
    for fact in hit["evidence"]:
        assert fact["kind"] in ("node", "relationship")
        assert {"sources", "source_records", "first_seen", "last_seen", "grades"} <= set(fact)


def test_risk_decomposes_into_hits(client: FlaskClient, dataset: Dataset) -> None:
    straw = {h.uid for h in risk.hits(dataset.store, "STRAW_MAN", TODAY)}
    assert len(straw) >= len(dataset.planted["indicators"]["STRAW_MAN"]["true"])
    for uid in sorted(straw):
        body = ok(client.get(f"/api/entities/{uid}/risk", query_string=AS_OF))
        expected = risk.risk(dataset.store, uid, TODAY)
        assert body["uid"] == uid and body["label"] == "Person" and body["geboortedatum"]
        assert body["as_of"] == TODAY.isoformat()
        assert "STRAW_MAN" in {h["code"] for h in body["hits"]}
        assert {h["code"] for h in body["hits"]} == {c.hit.code for c in expected.hits}
        assert body["score"] == pytest.approx(sum(h["contribution"] for h in body["hits"]))
        assert body["score"] == pytest.approx(expected.score)
        for hit in body["hits"]:
            check_hit(hit)


def test_risk_of_unit_with_slash(client: FlaskClient, dataset: Dataset) -> None:
    planted = {f"unit:{u['park_id']}/{u['eenheid_id']}"
               for u in dataset.planted["indicators"]["PARK_OVERCROWDING"]["true"]}
    for uid in sorted(planted):
        body = ok(client.get(f"/api/entities/{uid}/risk", query_string=AS_OF))
        assert body["uid"] == uid
        assert "PARK_OVERCROWDING" in {h["code"] for h in body["hits"]}


def test_risk_errors(client: FlaskClient) -> None:
    assert_error(client.get("/api/entities/person:0000000000000000/risk"), 404)
    assert_error(client.get(f"/api/entities/{PARK}/risk", query_string={"as_of": "2026-13-01"}),
                 422)


def test_indicators_list(client: FlaskClient) -> None:
    body = ok(client.get("/api/indicators"))
    files = {p.stem.upper() for p in (ROOT / "cypher" / "indicators").glob("*.cypher")
             if p.stem.count(".") == 0}
    assert {i["code"] for i in body["indicators"]} == files
    assert body["count"] == len(files)
    for i in body["indicators"]:
        assert i["title"] and i["rationale"] and 1 <= i["severity"] <= 5


def test_indicator_hits_equal_engine(client: FlaskClient, dataset: Dataset) -> None:
    for indicator in list_indicators(dataset.store.registry):
        body = ok(client.get(f"/api/indicators/{indicator.code}/hits",
                             query_string={**AS_OF, "limit": 1000}))
        expected = {h.uid for h in risk.hits(dataset.store, indicator.code, TODAY)}
        assert {h["uid"] for h in body["hits"]} == expected, indicator.code
        assert body["total"] == len(expected)
        assert body["indicator"]["code"] == indicator.code
        for hit in body["hits"]:
            assert hit["code"] == indicator.code
            check_hit(hit)


@pytest.mark.parametrize(("code", "key", "uid"), [
    ("BIBOB_PRIVATE_FINANCIER", "dossier_id", "dossier:{}"),
    ("BIBOB_RELATED_SIGNAL", "dossier_id", "dossier:{}"),
    ("SHED_SUSPICIOUS_LEASE", "object_id", "object:{}"),
    ("SHED_VULNERABLE_OWNER", "object_id", "object:{}"),
])
def test_indicator_hits_include_planted(client: FlaskClient, dataset: Dataset, code: str,
                                        key: str, uid: str) -> None:
    body = ok(client.get(f"/api/indicators/{code}/hits", query_string=AS_OF))
    planted = {uid.format(v) for v in dataset.planted_true(code, key)}
    assert planted and planted <= {h["uid"] for h in body["hits"]}


def test_indicator_hits_paging(client: FlaskClient) -> None:
    full = ok(client.get("/api/indicators/SHED_TENANT_SIGNAL/hits", query_string=AS_OF))
    assert full["total"] >= 2
    assert not full["truncated"] and full["next_offset"] is None
    page = ok(client.get("/api/indicators/shed_tenant_signal/hits",
                         query_string={**AS_OF, "limit": 1, "offset": 1}))
    assert [h["uid"] for h in page["hits"]] == [full["hits"][1]["uid"]]
    assert page["offset"] == 1 and page["limit"] == 1
    if full["total"] > 2:  # more follow: the page says so, the total is not counted
        assert page["truncated"] and page["total"] is None and page["next_offset"] == 2
    else:
        assert not page["truncated"] and page["total"] == full["total"]
    last = ok(client.get("/api/indicators/shed_tenant_signal/hits",
                         query_string={**AS_OF, "limit": 1, "offset": full["total"] - 1}))
    assert [h["uid"] for h in last["hits"]] == [full["hits"][-1]["uid"]]
    assert not last["truncated"] and last["total"] == full["total"]


def test_indicator_hits_limit_truncates(client: FlaskClient, dataset: Dataset) -> None:
    """The limit is cut in the query: a page of 2 of many hits says more follow."""
    everything, code = max(
        ((sorted(h.uid for h in risk.hits(dataset.store, i.code, TODAY)), i.code)
         for i in list_indicators(dataset.store.registry)), key=lambda found: len(found[0]))
    assert len(everything) > 3
    url = f"/api/indicators/{code}/hits"
    first = ok(client.get(url, query_string={**AS_OF, "limit": 2}))
    assert [h["uid"] for h in first["hits"]] == everything[:2]
    assert first["truncated"] and first["total"] is None and first["next_offset"] == 2
    second = ok(client.get(url, query_string={**AS_OF, "limit": 2, "offset": 2}))
    assert [h["uid"] for h in second["hits"]] == everything[2:4]
    default = ok(client.get(url, query_string=AS_OF))
    assert default["limit"] == 100 and len(default["hits"]) == min(100, len(everything))
    assert default["truncated"] == (len(everything) > 100)
    assert_error(client.get("/api/indicators/STRAW_MAN/hits", query_string={"limit": "1001"}),
                 422)


def test_indicator_hits_errors(client: FlaskClient) -> None:
    assert_error(client.get("/api/indicators/NO_SUCH_THING/hits"), 404)
    assert_error(client.get("/api/indicators/STRAW_MAN/hits", query_string={"limit": "0"}), 422)
    assert_error(client.get("/api/indicators/STRAW_MAN/hits", query_string={"as_of": "x"}), 422)


# -- Bibob screening ----------------------------------------------------------------------------
@pytest.mark.parametrize("ref", ["WV-2026-00011", "dossier:WV-2026-00011"])
def test_screening(client: FlaskClient, dataset: Dataset, ref: str) -> None:
    body = ok(client.get(f"/api/bibob/{ref}/screening", query_string=AS_OF))
    assert body["dossier"]["uid"] == "dossier:WV-2026-00011"
    assert body["dossier"]["dossier_id"] == "WV-2026-00011"
    assert body["as_of"] == TODAY.isoformat()
    assert "BIBOB_PRIVATE_FINANCIER" in body["summary"]["indicators"]
    assert body["summary"]["parties"] == len(body["parties"]) > 0
    assert {p["uid"] for p in body["parties"]} <= {
        n["uid"] for n in queries.neighbourhood(dataset.store, "dossier:WV-2026-00011").nodes}
    for hit in body["hits"]:
        check_hit(hit)


def test_screening_errors(client: FlaskClient, dataset: Dataset) -> None:
    assert_error(client.get("/api/bibob/WV-2026-00011/screening",
                            query_string={"as_of": "2026-11-31"}), 422)
    # doelbinding: another dossier than the reference is refused (tests/web/test_authz.py) ...
    assert_error(client.get("/api/bibob/XX-0000/screening"), 403)
    # ... and a reference the graph holds no dossier for is refused, as on /doel
    use_token(client, dataset, "riec", "bibob_toets", "XX-0000")
    refused = assert_error(client.get("/api/bibob/XX-0000/screening"), 403)
    assert "dossier XX-0000 is niet bekend" in refused["error"]


# -- hotspots -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("kind", "prefix", "label"), [
    ("address", "addr:", "Address"), ("park", "park:", "HolidayPark"),
    ("object", "object:", "RuralObject"),
])
def test_hotspots(client: FlaskClient, dataset: Dataset, kind: str, prefix: str,
                  label: str) -> None:
    body = ok(client.get("/api/hotspots", query_string={"kind": kind, **AS_OF}))
    expected = queries.hotspots(dataset.store, kind, as_of=TODAY)  # type: ignore[arg-type]
    assert [h["uid"] for h in body["hotspots"]] == [h["uid"] for h in expected]
    assert [h["rank"] for h in body["hotspots"]] == list(range(1, len(expected) + 1))
    assert all(h["uid"].startswith(prefix) and h["kind"] == kind for h in body["hotspots"])
    codes: dict[str, set[str]] = {}
    for indicator in list_indicators(dataset.store.registry):
        if label in indicator.fires_on:
            for hit in risk.hits(dataset.store, indicator.code, TODAY):
                codes.setdefault(hit.uid, set()).add(indicator.code)
    for h in body["hotspots"]:
        assert set(h["indicators"]) == codes.get(h["uid"], set())


def test_hotspots_bad_kind(client: FlaskClient) -> None:
    assert_error(client.get("/api/hotspots", query_string={"kind": "castle"}), 422)
    assert_error(client.get("/api/hotspots", query_string={"limit": "501"}), 422)


# -- the error shape everywhere -----------------------------------------------------------------
def test_unknown_route_and_method(client: FlaskClient) -> None:
    assert_error(client.get("/api/nothing-here"), 404)
    response = client.post("/api/indicators")
    assert_error(response, 405)
    assert "GET" in response.headers["Allow"]


class BrokenStore:
    """A store whose reads fail: a bug (500) or an unreachable engine (503)."""

    engine = "falkordb"

    def __init__(self, registry: Any, exc: Exception) -> None:
        self.registry = registry
        self.exc = exc

    def read(self, name: str, params: Any = None) -> list[dict[str, Any]]:
        raise self.exc

    def health(self) -> dict[str, Any]:
        return {"engine": self.engine, "ok": False, "error": "down"}


def test_500_and_503_show_no_internals(dataset: Dataset, caplog: pytest.LogCaptureFixture) -> None:
    secret = "secret detail /srv/graph"
    for exc, status in ((RuntimeError(secret), 500), (GraphUnavailable(secret), 503)):
        broken = BrokenStore(dataset.store.registry, exc)
        client = use_token(make_app(dataset, ONDERGRAAF_STORE=broken).test_client(), dataset)
        for url in ("/api/entities/x/risk", "/api/search?q=abc", "/api/hotspots"):
            body = assert_error(client.get(url), status)
            assert secret not in body["error"]
        page = client.get("/entiteit/x")
        assert page.status_code == status and secret not in page.get_data(as_text=True)
        assert client.get("/healthz").status_code == 503
    assert secret in caplog.text  # the detail goes to the log


def test_reads_without_access_scope_are_refused(dataset: Dataset) -> None:
    """No scope provider: facts are not read (403), health and the document still answer."""
    client = make_app(dataset, ONDERGRAAF_REQUEST_SCOPE=None).test_client()
    responses = contextvars.Context().run(lambda: [  # a context without the tests' scope
        client.get(url) for url in (f"/api/entities/{PARK}", "/api/search?q=park",
                                    "/api/indicators/STRAW_MAN/hits", "/healthz")])
    for response in responses[:-1]:
        assert_error(response, 403)
    assert responses[-1].status_code == 200
    assert ok(client.get("/openapi.json"))["openapi"].startswith("3.1")


def test_scope_provider_errors_use_the_error_shape(dataset: Dataset) -> None:
    def refuse() -> access.Scope:
        raise AccessDenied("rol analist mag dit doel niet gebruiken")

    client = make_app(dataset, ONDERGRAAF_REQUEST_SCOPE=refuse).test_client()
    body = assert_error(client.get(f"/api/entities/{PARK}"), 403)
    assert body["error"] == "rol analist mag dit doel niet gebruiken"
    assert client.get("/indicatoren").status_code == 403  # pages: the same status, in HTML


def test_scope_limits_what_is_seen(dataset: Dataset) -> None:
    """A scope without the riec purpose sees no RIEC signal, in search or entity facts."""
    scope = access.Scope(visible=frozenset({"open", "municipal", "bibob"}), label="test")
    client = make_app(dataset, ONDERGRAAF_REQUEST_SCOPE=lambda: scope).test_client()
    found = ok(client.get("/api/search", query_string={"q": "RIEC-"}))
    assert not [r for r in found["results"] if r["uid"].startswith("signal:")]
    park = ok(client.get(f"/api/entities/{PARK}"))
    assert "riec" not in park["provenance"]["sources"]
    assert "CONCERNS" not in park["relationship_counts"]


# -- OpenAPI ------------------------------------------------------------------------------------
def test_openapi_document_is_valid(client: FlaskClient) -> None:
    from openapi_spec_validator import validate

    doc = ok(client.get("/openapi.json"))
    validate(doc)
    assert doc == build_document()


def test_openapi_documents_every_api_route(app: Any) -> None:
    documented = set(build_document()["paths"])
    for rule in app.url_map.iter_rules():
        path = str(rule.rule)
        if path.startswith("/api/") and path != "/api/docs" or path == "/healthz":
            as_openapi = path.replace("<path:", "{").replace("<", "{").replace(">", "}")
            assert as_openapi in documented, path


def test_docs_page_is_self_contained(client: FlaskClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "http://" not in html and "https://" not in html
    assert "/static/apidocs.js" in html and "<script>" not in html
    script = client.get("/static/apidocs.js").get_data(as_text=True)
    assert "http://" not in script and "https://" not in script and "/openapi.json" in script


def test_schema_fuzz_no_server_errors(app: Any, dataset: Dataset) -> None:
    """Bounded, deterministic fuzzing of every operation from the document: no 5xx, and
    every response matches its documented status code, content type and schema. Calls
    carry the token and purpose of the user who sees every source (the generated purpose
    headers are replaced by those)."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    user, purpose, reference = web_fixtures.FULL_VIEW
    headers = {"Authorization": f"Bearer {web_fixtures.ensure_accounts(dataset)[user]}",
               "X-Ondergraaf-Purpose": purpose, "X-Ondergraaf-Reference": reference}
    trail = dataset.audit()
    start = sum(1 for _ in trail.read())
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == sum(len(item) for item in build_document()["paths"].values())
    for operation in operations:
        modes = [schemathesis.GenerationMode.POSITIVE]
        if operation.definition.raw.get("parameters"):  # nothing to break without parameters
            modes.append(schemathesis.GenerationMode.NEGATIVE)
        for mode in modes:

            @settings(max_examples=12, derandomize=True, database=None, deadline=None,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case: Any) -> None:
                case.call_and_validate(checks=checks, headers=headers)

            try:
                run()
            except Unsatisfiable:
                # negative mode: some parameters cannot be made invalid in a URL
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
                assert operation.label in ("GET /api/entities/{uid}",  # only a uid
                                           "DELETE /api/watches/{uid}")
    # the calls were authenticated and mostly answered (the headers were used)
    answered = [r for r in list(trail.read())[start:] if r["action"] == "read"
                and r["what"]["status"] == 200 and r["actor"] == user]
    assert len(answered) >= len(operations)
