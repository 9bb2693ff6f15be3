"""Fixtures of the web tests: one generated dataset per engine, loaded once per module.

``from tests.support.web_fixtures import dataset, client  # noqa: F401`` in a test module makes them
available. The dataset is ``loaders.synthetic.generate(tmp, 600, 3, today=TODAY)`` loaded
with ``loaders.base.sync`` in the demo's order, so every fact carries real provenance;
``planted`` is the generator's ``planted.json`` (true hits and near misses per indicator).

The app is the real one: every request logs in. Each dataset has one account per role
(:data:`USERS`, password :data:`PASSWORD`) with an API token. ``client`` sends the token of
``riec`` (RIEC liaison) for the purpose ``bibob_toets`` of dossier :data:`DOSSIER`: the one
role and purpose that sees every source (open, municipal, Bibob and RIEC), so the tests
compare with the engine functions read with full access. :func:`use_token` and
:func:`login` give a client another user and purpose (token headers, or a session through
the real login and purpose pages).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph_service.config import Settings, load_settings
from graph_service.security.audit import AuditTrail
from graph_service.security.users import LocalAccounts
from graph_service.store import Store
from graph_service.web.app import create_app
from loaders import spec_for
from loaders.base import sync
from loaders.synthetic import generate

TODAY = dt.date(2026, 11, 27)
PEIL = {"peildatum": TODAY.isoformat()}  # the pages' reference date as a query string
#: one hit on a page: its code, its uid and its body
HIT_ARTICLE = re.compile(r'<article class="hit[^"]*" id="hit-([A-Z_]+)-([^"]+)">(.*?)</article>',
                         re.S)
ORDER = ("kvk", "vakantieparken", "schuren", "bibob", "riec")
SIZE, SEED = 600, 3
PASSWORD = "proef-wachtwoord-2026"  # noqa: S105 - the test accounts' password
DOSSIER = "WV-2026-00011"  # a Bibob dossier of the dataset (planted BIBOB_PRIVATE_FINANCIER)
#: one account per role, by user name (as ``ondergraaf demo`` makes them)
USERS: dict[str, tuple[str, ...]] = {
    "bibob": ("bibob_officer",),
    "riec": ("riec_liaison",),
    "analist": ("analyst",),
    "auditor": ("auditor",),
    "beheer": ("admin",),
}
#: user, purpose and reference that see every purpose class
FULL_VIEW = ("riec", "bibob_toets", DOSSIER)


@dataclass
class Dataset:
    store: Store
    planted: dict[str, Any]
    data_dir: Path
    counts: list[dict[str, Any]]
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        """The app's settings: its data folder (accounts, keys, audit trail) per dataset."""
        return load_settings(env={"ONDERGRAAF_DATA_DIR": str(self.data_dir / "app")})

    def audit(self) -> AuditTrail:
        return AuditTrail.open(self.settings)

    def planted_true(self, code: str, key: str) -> set[str]:
        """Values of ``key`` of the planted true hits of ``code`` (e.g. ``dossier_id``)."""
        return {str(item[key]) for item in self.planted["indicators"][code]["true"]}


def _load(store: Store, out: Path) -> dict[str, Any]:
    store.write("write/delete_all")
    generate(out, SIZE, SEED, today=TODAY)
    for source in ORDER:
        sync(store, spec_for(source), [out / f"{source}.csv"], today=TODAY)
    planted: dict[str, Any] = json.loads((out / "planted.json").read_text(encoding="utf-8"))
    return planted


@pytest.fixture(scope="module")
def dataset(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    out = tmp_path_factory.mktemp("web-data")
    planted = _load(session_store, out)
    return Dataset(session_store, planted, out, session_store.read("read/node_counts"))


def ensure_loaded(data: Dataset) -> None:
    """Reload when another module's ``store`` fixture replaced the graph meanwhile."""
    if data.store.read("read/node_counts") != data.counts:
        data.planted = _load(data.store, data.data_dir)
        data.counts = data.store.read("read/node_counts")


def ensure_accounts(data: Dataset) -> dict[str, str]:
    """The accounts of :data:`USERS` (password :data:`PASSWORD`) and a token each."""
    if not data.tokens:
        settings = data.settings
        accounts = LocalAccounts.open(settings, audit=AuditTrail.open(settings))
        known = {u.username for u in accounts.list_users()}
        for name, roles in USERS.items():
            if name not in known:
                accounts.create_user(name, roles, display_name=f"Test {name}",
                                     password=PASSWORD)
            data.tokens[name] = accounts.rotate_token(name, "tests")
    return data.tokens


def make_app(data: Dataset, **config: Any) -> Flask:
    """The app on the dataset's store (a handed-in store, as the tests and demo do)."""
    ensure_accounts(data)
    return create_app(test_config={"ONDERGRAAF_STORE": data.store,
                                   "ONDERGRAAF_SETTINGS": data.settings, "TESTING": True,
                                   **config})


def use_token(client: FlaskClient, data: Dataset, user: str = FULL_VIEW[0],
              purpose: str | None = FULL_VIEW[1],
              reference: str | None = FULL_VIEW[2]) -> FlaskClient:
    """Send ``user``'s token and the purpose headers with every request of ``client``."""
    token = ensure_accounts(data)[user]
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    for key, value in (("HTTP_X_ONDERGRAAF_PURPOSE", purpose),
                       ("HTTP_X_ONDERGRAAF_REFERENCE", reference)):
        if value is None:
            client.environ_base.pop(key, None)
        else:
            client.environ_base[key] = value
    return client


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client: FlaskClient, user: str, purpose: str | None = None,
          reference: str | None = None, password: str = PASSWORD,
          expect: int = 302) -> FlaskClient:
    """Log in through ``/login`` and, when given, choose ``purpose`` on ``/doel``."""
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"gebruikersnaam": user, "wachtwoord": password,
                                           "csrf_token": token})
    assert response.status_code == expect, response.get_data(as_text=True)[:500]
    if purpose is not None and expect == 302:
        choose(client, purpose, reference)
    return client


def choose(client: FlaskClient, purpose: str, reference: str | None = None,
           status: int = 302) -> str:
    """Choose ``purpose`` on ``/doel``; the page's text."""
    token = csrf_of(client.get("/doel").get_data(as_text=True))
    response = client.post("/doel", data={"doel": purpose, "referentie": reference or "",
                                          "csrf_token": token})
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


@pytest.fixture
def app(dataset: Dataset) -> Flask:
    ensure_loaded(dataset)
    return make_app(dataset)


@pytest.fixture
def client(app: Flask, dataset: Dataset) -> Iterator[FlaskClient]:
    """A client with the token of the user that sees every source (:data:`FULL_VIEW`)."""
    with app.test_client() as c:
        yield use_token(c, dataset)
