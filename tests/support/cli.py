"""The CLI's read commands on a test's store: :func:`lend_store` makes ``open_store`` hand
out ``store`` (whose ``close`` then does nothing, so the test keeps using it)."""

from __future__ import annotations

from typing import Any

import pytest

from graph_service.cli import common as cli_common
from graph_service.store import Store


class _Lent:
    def __init__(self, store: Store) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def close(self) -> None:
        pass


def lend_store(monkeypatch: pytest.MonkeyPatch, store: Store) -> None:
    """Let every CLI command of this test open ``store``."""
    monkeypatch.setattr(cli_common, "open_store", lambda: _Lent(store))
