"""Sessions, CSRF, brute-force limits, lockout, headers and paths of the web app.

* CSRF: every POST form (login, purpose, logout) needs the session's token; without it,
  with a wrong one or another session's: 400.
* Sessions: cookie flags (``__Host-`` name, ``Secure``, ``HttpOnly``, ``SameSite=Strict``);
  a new session id and CSRF token at login (no fixation); logout ends the session on the
  server (a copied cookie is dead); idle (30 min) and absolute (8 h) expiry.
* Brute force: 10 failed logins in 5 minutes per user name give 429 (the right password
  too); from one client IP they make further *wrong* passwords a 429 and wrong tokens a
  slowed 401, while the right password and a valid token from that address still pass
  (tests/web/test_ratelimit.py has the rest); 5 wrong passwords lock the account.
* Headers on every response (CSP without inline script or style, nosniff, no referrer,
  no-store on everything but static assets); no path escapes the static or vendor folder;
  no open redirect after login; the public routes answer without login.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph_service.security.users import LocalAccounts
from graph_service.web import auth, sessions
from graph_service.web.app import CONTENT_SECURITY_POLICY
from tests.support import web_fixtures
from tests.support.web_fixtures import (
    DOSSIER,
    PASSWORD,
    Dataset,
    choose,
    csrf_of,
    ensure_loaded,
    login,
    make_app,
    use_token,
)

dataset = web_fixtures.dataset


@pytest.fixture
def app(dataset: Dataset) -> Flask:
    ensure_loaded(dataset)
    return make_app(dataset)


def from_ip(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def cookie(client: FlaskClient, app: Flask) -> str | None:
    found = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return found.value if found else None


def session_data(app: Flask, value: str) -> dict[str, Any]:
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    data: dict[str, Any] = serializer.loads(value)
    return data


def post_login(client: FlaskClient, user: str, password: str, **extra: str) -> Any:
    token = csrf_of(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"gebruikersnaam": user, "wachtwoord": password,
                                       "csrf_token": token, **extra})


# -- CSRF ---------------------------------------------------------------------------------------
def test_csrf_on_every_form(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    data = {"gebruikersnaam": "bibob", "wachtwoord": PASSWORD}
    assert client.post("/login", data=data).status_code == 400
    assert client.post("/login", data={**data, "csrf_token": "x" * 43}).status_code == 400
    other = app.test_client()
    foreign = csrf_of(other.get("/login").get_data(as_text=True))  # another session's token
    assert client.post("/login", data={**data, "csrf_token": foreign}).status_code == 400
    login(client, "bibob")
    for url, form in (("/doel", {"doel": "bibob_toets", "referentie": DOSSIER}),
                      ("/logout", {})):
        assert client.post(url, data=form).status_code == 400
        assert client.post(url, data={**form, "csrf_token": foreign}).status_code == 400
    assert client.get("/?q=park").status_code == 302  # still logged in, no purpose chosen
    choose(client, "bibob_toets", DOSSIER)
    assert client.get("/?q=park").status_code == 200
    page = client.get("/").get_data(as_text=True)
    assert 'action="/logout"' in page and 'name="csrf_token"' in page  # logout is a form
    assert client.get("/logout").status_code == 405  # no logout by a link or an image


# -- sessions -----------------------------------------------------------------------------------
def test_cookie_flags(app: Flask, dataset: Dataset) -> None:
    client = app.test_client()
    response = post_login(client, "bibob", PASSWORD)
    header = next(h for h in response.headers.getlist("Set-Cookie")
                  if h.startswith("__Host-ondergraaf="))
    flags = {f.strip().lower() for f in header.split(";")[1:]}
    assert {"secure", "httponly", "samesite=strict", "path=/"} <= flags
    assert not any(f.startswith("domain") for f in flags)
    plain = make_app(dataset, INSECURE_COOKIES=True).test_client()
    header = next(h for h in post_login(plain, "bibob", PASSWORD).headers.getlist("Set-Cookie")
                  if h.startswith("ondergraaf="))
    flags = {f.strip().lower() for f in header.split(";")[1:]}
    assert "secure" not in flags and {"httponly", "samesite=strict"} <= flags


def test_new_session_at_login_no_fixation(app: Flask) -> None:
    client = app.test_client()
    client.get("/login")
    before = cookie(client, app)
    assert before is not None and "sid" not in session_data(app, before)
    post_login(client, "bibob", PASSWORD)
    after = cookie(client, app)
    assert after is not None and after != before
    first = session_data(app, after)
    assert first["user"] == "bibob" and first["sid"]
    assert first["csrf"] != session_data(app, before)["csrf"]  # a new CSRF token too
    # a fixed (planted) pre-login cookie gives no access after the victim logs in
    attacker = app.test_client()
    attacker.set_cookie(app.config["SESSION_COOKIE_NAME"], before)
    assert attacker.get("/?q=park").status_code == 302
    # logging in again: another session id, the old one is gone
    post_login(client, "bibob", PASSWORD)
    second = session_data(app, cookie(client, app) or "")
    assert second["sid"] != first["sid"]
    replay = app.test_client()
    replay.set_cookie(app.config["SESSION_COOKIE_NAME"], after)
    assert replay.get("/doel").status_code == 302


def test_logout_ends_the_session_on_the_server(app: Flask) -> None:
    client = login(app.test_client(), "riec", "riec_casus", "CASUS-9")
    assert client.get("/?q=park").status_code == 200
    copied = cookie(client, app)
    assert copied is not None
    token = csrf_of(client.get("/").get_data(as_text=True))
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login?uitgelogd=1"
    assert cookie(client, app) is None
    assert "U bent uitgelogd" in client.get("/login?uitgelogd=1").get_data(as_text=True)
    thief = app.test_client()  # the cookie from before the logout, replayed
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], copied)
    response = thief.get("/?q=park")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    api = thief.get("/api/search?q=park")
    assert api.status_code == 401


def test_idle_and_absolute_expiry(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = app.extensions["ondergraaf_security"].sessions
    now = [registry.clock()]
    monkeypatch.setattr(registry, "clock", lambda: now[0])
    client = login(app.test_client(), "analist", "analyse")
    now[0] += sessions.IDLE - 120  # active within the idle time: still logged in
    assert client.get("/?q=park").status_code == 200
    now[0] += sessions.IDLE + 1  # 30 minutes without a request: logged out
    assert client.get("/?q=park").headers["Location"].startswith("/login")
    client = login(app.test_client(), "analist", "analyse")
    for _ in range(int(sessions.MAX_AGE // (sessions.IDLE - 60)) + 1):
        now[0] += sessions.IDLE - 60  # active all day ...
        response = client.get("/?q=park")
    assert response.status_code == 302  # ... but 8 hours after login it ends


# -- brute force --------------------------------------------------------------------------------
def test_login_rate_limit_per_ip_and_per_user(app: Flask) -> None:
    client = app.test_client()
    for i in range(auth.LOGIN_LIMIT):  # unknown users: no lockout, only the limiter
        assert post_login(client, f"niemand{i}", "fout-wachtwoord-123").status_code == 401
    response = post_login(client, "bibob", "fout-wachtwoord-123")  # wrong, same address
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "te veel mislukte pogingen" in response.get_data(as_text=True)
    assert post_login(client, "analist", PASSWORD).status_code == 302  # right: no lock-out
    other = from_ip(app, "10.9.9.9")
    assert post_login(other, "bibob", PASSWORD).status_code == 302  # another address: fine
    # per user name, from many addresses
    for i in range(auth.LOGIN_LIMIT):
        spread = from_ip(app, f"10.0.0.{i + 1}")
        post_login(spread, "onbekend.persoon", "fout-wachtwoord-123")
    late = from_ip(app, "10.0.1.1")
    assert post_login(late, "onbekend.persoon", "fout-wachtwoord-123").status_code == 429
    assert post_login(late, "riec", PASSWORD).status_code == 302
    trail = app.extensions["ondergraaf_security"].audit
    reached = [r for r in trail.read() if r["action"] == "login_failed"
               and "limiet" in r["what"]["params"]["reason"]]
    assert reached  # the moment the limit was reached is on the record


def test_bad_tokens_are_limited_per_ip(app: Flask, dataset: Dataset) -> None:
    client = from_ip(app, "10.7.7.7")
    for i in range(auth.LOGIN_LIMIT):
        response = client.get("/api/indicators", headers={"Authorization": f"Bearer og_bad{i}"})
        assert response.status_code == 401
    limiter = app.extensions["ondergraaf_security"].limiter
    assert limiter.addresses.over_limit() == ["ip:10.7.7.7"]
    # a further wrong token from there: slowed down, still the honest 401 (not a 429)
    response = client.get("/api/indicators", headers={"Authorization": "Bearer og_other"})
    assert response.status_code == 401 and response.get_json() == {
        "ok": False, "status": 401, "code": "invalid_token",
        "error": response.get_json()["error"]}
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    use_token(client, dataset)  # a valid token from the same address: answered
    assert client.get("/api/indicators").status_code == 200


def test_lockout_after_five_wrong_passwords(app: Flask, dataset: Dataset) -> None:
    accounts = LocalAccounts.open(dataset.settings)
    accounts.create_user("slot", ["analyst"], password="slot-wachtwoord-1")
    try:
        client = from_ip(app, "10.5.5.5")
        for _ in range(5):
            assert post_login(client, "slot", "verkeerd-wachtwoord").status_code == 401
        response = post_login(client, "slot", "slot-wachtwoord-1")  # locked: refused ...
        assert response.status_code == 401
        assert "onjuiste gebruikersnaam of wachtwoord" in response.get_data(as_text=True)
        assert accounts.get("slot").locked()
        trail = app.extensions["ondergraaf_security"].audit
        last = list(trail.read())[-1]
        assert last["what"]["params"]["reason"] == "account tijdelijk geblokkeerd"
        accounts.set_disabled("slot", False)  # ... until an administrator lifts it
        assert post_login(client, "slot", "slot-wachtwoord-1").status_code == 302
    finally:
        with accounts._db() as db:
            db.execute("DELETE FROM users WHERE username = 'slot'")


# -- headers, paths, redirects ------------------------------------------------------------------
def test_security_headers(app: Flask, dataset: Dataset) -> None:
    client = use_token(app.test_client(), dataset)
    for url in ("/", "/?q=park", "/api/search?q=park", "/api/nothing", "/login", "/healthz",
                "/openapi.json", "/entiteit/nope", "/static/style.css",
                "/vendor/vis-network/9.1.2/vis-network.min.js"):
        headers = client.get(url).headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Frame-Options"] == "DENY"
        if url.startswith(("/static/", "/vendor/")):
            assert "no-store" not in headers.get("Cache-Control", "")
        else:
            assert headers["Cache-Control"] == "no-store", url
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost").headers
    assert secure["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("url", [
    "/vendor/..%2f..%2fetc/passwd",
    "/vendor/vis-network/9.1.2/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/vendor/vis-network/9.1.2/%2e%2e%2fnetwork.py",
    "/vendor/vis-network/9.1.2/../../../setup.cfg",
    "/static/..%2f..%2fapp.py",
    "/static/../app.py",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/..\\app.py",
])
def test_paths_cannot_escape_static_or_vendor(app: Flask, url: str) -> None:
    response = app.test_client().get(url)
    assert response.status_code == 404, url
    body = response.get_data(as_text=True)
    assert "root:" not in body and "import" not in body


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
    "http:/evil.example", "\n/x",
])
def test_no_open_redirect(app: Flask, target: str) -> None:
    client = app.test_client()
    response = post_login(client, "analist", PASSWORD, volgende=target)
    assert response.headers["Location"] == "/doel?volgende=/"
    token = csrf_of(client.get("/doel").get_data(as_text=True))
    response = client.post("/doel", data={"doel": "analyse", "csrf_token": token,
                                          "volgende": target})
    assert response.headers["Location"] == "/"


def test_login_returns_to_the_page_asked_for(app: Flask) -> None:
    client = app.test_client()
    first = client.get("/hotspots?soort=object")
    assert first.headers["Location"] == "/login?volgende=/hotspots?soort%3Dobject"
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert re.search(r'name="volgende" value="/hotspots\?soort=object"', page)
    response = post_login(client, "analist", PASSWORD, volgende="/hotspots?soort=object")
    assert response.headers["Location"] == "/doel?volgende=/hotspots?soort%3Dobject"
    token = csrf_of(client.get(response.headers["Location"]).get_data(as_text=True))
    response = client.post("/doel", data={"doel": "analyse", "csrf_token": token,
                                          "volgende": "/hotspots?soort=object"})
    assert response.headers["Location"] == "/hotspots?soort=object"
    page = client.get("/hotspots?soort=object").get_data(as_text=True)
    assert "Doel: <strong>analyse (gepseudonimiseerd)</strong>" in page
    assert 'href="/doel?volgende=/hotspots?soort%3Dobject"' in page  # change it from here


def test_public_routes_need_no_login(app: Flask) -> None:
    client = app.test_client()
    for url in ("/healthz", "/openapi.json", "/api/docs", "/login", "/static/style.css",
                "/vendor/vis-network/9.1.2/vis-network.css"):
        assert client.get(url).status_code == 200, url
    assert "Inloggen" in client.get("/api/docs").get_data(as_text=True)


def test_token_clients_cannot_choose_a_session_purpose(app: Flask, dataset: Dataset) -> None:
    client = use_token(app.test_client(), dataset)
    response = client.post("/doel", data={"doel": "bibob_toets", "referentie": DOSSIER})
    assert response.status_code == 400
