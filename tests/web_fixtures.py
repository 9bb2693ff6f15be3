"""Fixtures of the web tests: one generated dataset per engine, loaded once per module.

``from tests.web_fixtures import dataset, client  # noqa: F401`` in a test module makes them
available. The dataset is ``loaders.generate.generate(tmp, 600, 3, today=TODAY)`` loaded
with ``loaders.base.sync`` in the demo's order, so every fact carries real provenance;
``planted`` is the generator's ``planted.json`` (true hits and near misses per indicator).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph_service import access
from graph_service.app import create_app
from graph_service.config import load_settings
from graph_service.store import Store
from loaders import spec_for
from loaders.base import sync
from loaders.generate import generate

TODAY = dt.date(2026, 11, 27)
ORDER = ("kvk", "vakantieparken", "schuren", "bibob", "riec")
SIZE, SEED = 600, 3


@dataclass
class Dataset:
    store: Store
    planted: dict[str, Any]
    data_dir: Path
    counts: list[dict[str, Any]]

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


def make_app(data: Dataset, **config: Any) -> Flask:
    """The app on the dataset's store (a handed-in store, as the tests and demo do)."""
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(data.data_dir / "app")})
    return create_app(test_config={"ONDERGRAAF_STORE": data.store,
                                   "ONDERGRAAF_SETTINGS": settings, "TESTING": True,
                                   "ONDERGRAAF_REQUEST_SCOPE": lambda: access.FULL, **config})


@pytest.fixture
def app(dataset: Dataset) -> Flask:
    ensure_loaded(dataset)
    return make_app(dataset)


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as c:
        yield c
