"""The OpenAPI document is the contract: schemathesis with every check finds nothing.

Schemathesis runs in-process against the Flask app (WSGI, no server) on generated data with
all of its checks: no server error, status codes, content types, response headers and
schemas, schema-valid data accepted, schema-invalid data rejected, and the authentication
checks that resend each request without credentials and with a wrong token. Calls carry a
valid token and the purpose headers of the user who sees every source, unless the case
itself made the headers invalid (a negative case keeps what it generated). The run is
bounded and deterministic (derandomized, no example database).

Afterwards the address that sent all those wrong tokens is over its limit, and valid
requests from it are still answered 200: a client with a bad token locks nobody out.

One rule of the document is not a schema: ``from`` and ``to`` of ``/api/paths`` must differ
(described, with its 422). Schemathesis cannot read a description, so for those cases the
test checks the rule itself (422, code ``same_entity``) instead of "schema-valid data is
accepted"; every other check runs on them as on the rest.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.test import Client

from graph_service.security.policy import PURPOSES, check_reference
from graph_service.web.openapi import build_document
from tests.support import web_fixtures
from tests.support.web_fixtures import Dataset, ensure_loaded, make_app

dataset = web_fixtures.dataset

#: examples per operation and generation mode: every parameter's edges, well under a minute
EXAMPLES = 25
PURPOSE, REFERENCE = "X-Ondergraaf-Purpose", "X-Ondergraaf-Reference"


def valid_access_headers(headers: dict[str, Any]) -> bool:
    """Whether generated purpose headers are ones the service accepts as well-formed."""
    purpose, reference = headers.get(PURPOSE), headers.get(REFERENCE)
    if not isinstance(purpose, str) or purpose not in PURPOSES:
        return False
    try:
        check_reference(purpose, reference if isinstance(reference, str) else None)
    except Exception:  # noqa: BLE001 - any refusal: not well-formed
        return False
    return True


def test_schemathesis_all_checks_then_valid_requests_still_answered(dataset: Dataset) -> None:
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis.core.parameters import ParameterLocation
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    ensure_loaded(dataset)
    # the slow-down of wrong tokens is the product's, shortened so the run stays short
    app: Flask = make_app(dataset, LOGIN_SLOWDOWN_SECONDS=0.005)
    user, purpose, reference = web_fixtures.FULL_VIEW
    token = web_fixtures.ensure_accounts(dataset)[user]
    ours = {"Authorization": f"Bearer {token}", PURPOSE: purpose, REFERENCE: reference}
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == sum(len(item) for item in build_document()["paths"].values())
    failures: list[str] = []
    answered = 0
    for operation in operations:
        modes = [schemathesis.GenerationMode.POSITIVE]
        if operation.definition.raw.get("parameters"):
            modes.append(schemathesis.GenerationMode.NEGATIVE)
        for mode in modes:

            @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case: Any) -> None:
                nonlocal answered
                generated = dict(case.headers or {})
                meta = case.meta
                negated = meta is not None and meta.is_negative_at(ParameterLocation.HEADER)
                headers = dict(ours)
                if negated and not valid_access_headers(generated):
                    headers = {k: v for k, v in ours.items() if k not in generated}
                if negated and "Authorization" in generated:
                    headers.pop("Authorization", None)
                query = case.query if isinstance(case.query, dict) else {}
                same = (operation.path == "/api/paths" and "from" in query
                        and query.get("from") == query.get("to"))
                if same and mode is schemathesis.GenerationMode.POSITIVE:
                    response = case.call_and_validate(
                        headers=headers, excluded_checks=[positive_data_acceptance])
                    assert response.status_code == 422, response.text
                    assert response.json()["code"] == "same_entity"
                    return
                response = case.call_and_validate(headers=headers)
                answered += response.status_code == 200

            try:
                run()
            except Unsatisfiable:  # some parameters cannot be made invalid in a URL
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every finding
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
    assert not failures, "\n\n".join(failures)
    assert answered >= len(operations)  # the calls were authenticated and answered
    # the wrong tokens of the authentication checks put the test's address over its limit
    # (schemathesis calls the app as a bare WSGI client: no REMOTE_ADDR, as below) ...
    limiter = app.extensions["ondergraaf_security"].limiter
    assert limiter.addresses.over_limit() == ["ip:onbekend"]
    # ... and valid requests from it are still answered
    client = Client(app)
    for url in ("/api/indicators", "/api/search?q=park", "/api/entities/park:VP-0001",
                "/api/paths?from=unit:VP-0001/5&to=unit:VP-0001/6", "/healthz"):
        response = client.get(url, headers=ours)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    wrong = client.get("/api/indicators", headers={**ours, "Authorization": "Bearer og_x"})
    assert wrong.status_code == 401  # a wrong token from there: refused, as always
