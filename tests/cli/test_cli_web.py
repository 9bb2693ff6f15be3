"""``ondergraaf demo`` and ``ondergraaf serve`` (the embedded engine, waitress stubbed): both
serve with the real login; the demo makes its accounts and prints how to log in."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph_service.cli import cli
from graph_service.cli import web as cli_web
from graph_service.config import load_settings
from graph_service.security.users import LocalAccounts
from graph_service.store import access, open_store
from graph_service.web import auth
from loaders.demo import DEMO_ORDER
from tests.support.web_fixtures import login


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Calls of waitress.serve, which is not started."""
    import waitress

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: calls.append({"app": app, **kw}))
    return calls


def test_serve_uses_waitress_with_threads(served: list[dict[str, Any]], tmp_path: Path) -> None:
    env = {"ONDERGRAAF_DATA_DIR": str(tmp_path), "ONDERGRAAF_NEO4J_URI": ""}
    result = CliRunner().invoke(cli, ["serve", "--port", "8123", "--threads", "6"], env=env)
    assert result.exit_code == 0, result.output
    assert len(served) == 1
    assert served[0]["port"] == 8123 and served[0]["threads"] == 6
    assert served[0]["host"] == "127.0.0.1"
    app = served[0]["app"]
    assert "/openapi.json" in {str(r.rule) for r in app.url_map.iter_rules()}
    # serve uses the real authentication: no login, no data; Secure session cookies
    assert app.config["ONDERGRAAF_REQUEST_SCOPE"] is auth.request_scope
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-ondergraaf"
    client = app.test_client()
    assert client.get("/api/search?q=park").status_code == 401
    assert client.get("/").headers["Location"].startswith("/login")
    assert "Secure" in result.output and "INSECURE_COOKIES" in result.output


def _passwords(output: str) -> dict[str, str]:
    found = re.findall(r"^  (\S+)\s+\S+\s+wachtwoord (\S+)", output, re.MULTILINE)
    return dict(found)


def test_demo_generates_for_today_loads_in_order_and_serves(
    served: list[dict[str, Any]], tmp_path: Path
) -> None:
    env = {"ONDERGRAAF_DATA_DIR": str(tmp_path), "ONDERGRAAF_NEO4J_URI": ""}
    result = CliRunner().invoke(cli, ["demo", "--size", "300", "--seed", "2", "--port", "8124"],
                                env=env)
    assert result.exit_code == 0, result.output
    loaded = [line.split()[0] for line in result.output.splitlines()
              if line.startswith("  ") and "rijen geladen" in line]
    assert loaded == list(DEMO_ORDER)
    planted = json.loads((tmp_path / "demo-input" / "planted.json").read_text())
    assert planted["today"] == dt.date.today().isoformat()
    assert served and served[0]["port"] == 8124
    # the real login, with session cookies fit for plain http on loopback (and it says so)
    app = served[0]["app"]
    assert app.config["ONDERGRAAF_REQUEST_SCOPE"] is auth.request_scope
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert "ONDERGRAAF_INSECURE_COOKIES=1" in result.output
    assert "http://127.0.0.1:8124/login" in result.output
    first = _passwords(result.output)
    assert set(first) == {name for name, *_ in cli_web.DEMO_USERS}
    assert len(set(first.values())) == len(first)  # a random password per account
    client = app.test_client()
    assert client.get("/api/search?q=park").status_code == 401
    login(client, "bibob", "bibob_toets", planted["indicators"]["BIBOB_PRIVATE_FINANCIER"][
        "true"][0]["dossier_id"], password=first["bibob"])
    assert client.get("/?q=park").status_code == 200
    with open_store(load_settings(env=env)) as store, access.scope(access.FULL):
        labels = {row["label"] for row in store.read("read/node_counts")}
    assert {"Person", "Organisation", "HolidayPark", "BibobDossier", "Signal"} <= labels

    # again (idempotent): same accounts, new passwords; or one fixed password
    again = CliRunner().invoke(cli, ["demo", "--size", "300", "--seed", "2", "--no-serve",
                                     "--demo-password", "demo-wachtwoord-1"], env=env)
    assert again.exit_code == 0, again.output
    assert set(_passwords(again.output).values()) == {"demo-wachtwoord-1"}
    accounts = LocalAccounts.open(load_settings(env=env))
    assert {u.username: u.roles for u in accounts.list_users()} == {
        name: (role,) for name, role, *_ in cli_web.DEMO_USERS}
    assert accounts.verify_password("analist", "demo-wachtwoord-1").roles == {"analyst"}
    short = CliRunner().invoke(cli, ["demo", "--no-serve", "--demo-password", "kort"], env=env)
    assert short.exit_code != 0 and "12" in short.output
