"""``/healthz`` is public but tells the public only "ok": the attack is reading the engine's
socket path and start-up details from outside; an administrator or the machine itself
still sees them."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.support import web_fixtures
from tests.support.web_fixtures import Dataset, ensure_loaded, make_app, use_token

dataset = web_fixtures.dataset


@pytest.fixture
def app(dataset: Dataset) -> Flask:
    ensure_loaded(dataset)
    return make_app(dataset)


def health(app: Flask, address: str, **headers: str) -> dict[str, object]:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    response = client.get("/healthz", headers=headers)
    assert response.status_code == 200
    body: dict[str, object] = response.get_json()
    return body


def test_the_public_sees_only_ok(app: Flask, dataset: Dataset) -> None:
    body = health(app, "203.0.113.9")
    assert body == {"ok": True}
    raw = str(body)
    assert "socket" not in raw and str(dataset.data_dir) not in raw
    # a proxy on the machine itself does not make the internet local
    assert health(app, "127.0.0.1", **{"X-Forwarded-For": "203.0.113.9"}) == {"ok": True}
    # a user who is not an administrator, and a wrong token: still only ok
    analyst = web_fixtures.ensure_accounts(dataset)["analist"]
    assert health(app, "203.0.113.9", Authorization=f"Bearer {analyst}") == {"ok": True}
    assert health(app, "203.0.113.9", Authorization="Bearer og_nee") == {"ok": True}


def test_details_for_an_administrator_and_the_machine_itself(app: Flask,
                                                            dataset: Dataset) -> None:
    admin = web_fixtures.ensure_accounts(dataset)["beheer"]
    for body in (health(app, "203.0.113.9", Authorization=f"Bearer {admin}"),
                 health(app, "127.0.0.1"), health(app, "::1")):
        assert body["ok"] is True and body["engine"] == dataset.store.engine
        if dataset.store.engine == "falkordb":
            assert "socket" in body
    client = use_token(app.test_client(), dataset)  # the suite's client: loopback
    assert client.get("/healthz").get_json()["engine"] == dataset.store.engine
