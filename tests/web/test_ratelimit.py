"""Failed credentials are counted per address and per credential, and lock out nobody else.

Written as the attacks and the accidents they must survive:

* one integration behind the town hall's NAT keeps sending a stale token: its colleagues'
  valid tokens and sessions from the same address are answered, the stale token is refused
  (401, without a look-up once it is over its own limit), and further wrong tokens from that
  address are slowed down;
* a user who keeps asking for a purpose or a reference the role may not use (403), or sends
  bad parameters (422), is no credential failure: nothing is counted;
* password guessing against one account from many addresses locks that account's logins
  (429, the right password too), not the address's other users; guessing from one address
  makes its further wrong passwords a 429 while a right password still logs in;
* the 401 answers carry the RFC 6750 challenge.

The limiter itself runs on a fake clock and a fake sleep (no waiting, no timing assertions).
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph_service.web import auth
from graph_service.web.ratelimit import CredentialLimiter, Limited, SlidingWindow
from tests.support import web_fixtures
from tests.support.web_fixtures import PASSWORD, Dataset, ensure_loaded, make_app, use_token

dataset = web_fixtures.dataset
NAT = "10.20.30.40"


class Wrong(Exception):
    pass


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def limiter(time: FakeTime, **kw: float) -> CredentialLimiter:
    return CredentialLimiter(3, 60.0, clock=time.clock, sleep=time.sleep, **kw)  # type: ignore[arg-type]


def wrong() -> str:
    raise Wrong("nee")


# -- the limiter --------------------------------------------------------------------------------
def test_sliding_window_reports_reaching_the_limit_once() -> None:
    time = FakeTime()
    window = SlidingWindow(3, 60.0, clock=time.clock)
    assert [window.fail(["a"]) for _ in range(5)] == [False, False, True, False, False]
    assert window.over_limit() == ["a"] and window.count("a") == 3
    time.now += 61
    assert window.blocked(["a"]) == 0 and window.over_limit() == []


def test_a_valid_credential_passes_an_address_over_its_limit() -> None:
    time = FakeTime()
    lim = limiter(time)
    for i in range(3):
        with pytest.raises(Wrong):
            lim.attempt("ip:x", f"token:{i}", wrong, failure=Wrong, refuse=False)
    assert lim.addresses.over_limit() == ["ip:x"]
    assert lim.attempt("ip:x", "token:good", lambda: "ja", failure=Wrong, refuse=False) == "ja"
    assert time.slept == []  # a valid credential is never slowed
    with pytest.raises(Wrong):  # a wrong one is, and stays the same refusal
        lim.attempt("ip:x", "token:9", wrong, failure=Wrong, refuse=False)
    assert time.slept == [1.0]


def test_a_credential_over_its_limit_is_not_checked_again() -> None:
    time = FakeTime()
    lim = limiter(time, slowdown=0)
    checked = []

    def stale() -> str:
        checked.append(1)
        raise Wrong("nee")

    for address in ("ip:a", "ip:b", "ip:c", "ip:d", "ip:e"):
        with pytest.raises(Wrong):
            lim.attempt(address, "token:stale", stale, failure=Wrong, refuse=False,
                        locked_out=lambda: Wrong("nee"))
    assert len(checked) == 3  # after the limit: refused without a look-up
    for _ in range(3):
        with pytest.raises(Wrong):
            lim.attempt("ip:z", "user:jan", wrong, failure=Wrong)
    with pytest.raises(Limited) as refused:  # a user name over its limit: 429
        lim.attempt("ip:z", "user:jan", wrong, failure=Wrong)
    assert refused.value.kind == "credential"
    with pytest.raises(Limited):
        lim.attempt("ip:y", "user:jan", lambda: "ja", failure=Wrong)  # the right one too


def test_the_slow_down_is_bounded() -> None:
    time = FakeTime()
    lim = limiter(time, max_slowed=1)
    lim.addresses.fail(["ip:x"] * 3)
    # while one answer waits, another for the same address (or beyond the bound) does not
    with lim._lock:  # noqa: SLF001 - take the slot as a waiting answer would
        lim._slowed.add("ip:x")  # noqa: SLF001
    with pytest.raises(Wrong):
        lim.attempt("ip:x", "token:1", wrong, failure=Wrong, refuse=False)
    assert time.slept == []


# -- the app ------------------------------------------------------------------------------------
@pytest.fixture
def app(dataset: Dataset) -> Flask:
    ensure_loaded(dataset)
    return make_app(dataset, LOGIN_SLOWDOWN_SECONDS=0.001)


def from_ip(app: Flask, address: str = NAT) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def post_login(client: FlaskClient, user: str, password: str) -> int:
    token = web_fixtures.csrf_of(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"gebruikersnaam": user, "wachtwoord": password,
                                       "csrf_token": token}).status_code


def test_a_stale_token_behind_nat_locks_out_nobody(app: Flask, dataset: Dataset) -> None:
    stale = from_ip(app)
    stale.environ_base["HTTP_AUTHORIZATION"] = "Bearer og_ingetrokken-token-van-de-koppeling"
    trail = app.extensions["ondergraaf_security"].audit
    before = sum(1 for _ in trail.read(action="login_failed"))
    for _ in range(3 * auth.LOGIN_LIMIT):
        response = stale.get("/api/indicators")
        assert response.status_code == 401
        challenge = response.headers["WWW-Authenticate"]
        assert challenge.startswith('Bearer realm="ondergraaf"')
        assert 'error="invalid_token"' in challenge
        assert response.get_json()["code"] == "invalid_token"
    # the stale token was looked up (and recorded) only until it reached its limit
    failed = sum(1 for _ in trail.read(action="login_failed")) - before
    assert failed == auth.LOGIN_LIMIT
    limiter = app.extensions["ondergraaf_security"].limiter
    assert f"ip:{NAT}" in limiter.addresses.over_limit()
    # colleagues behind the same address: a token and a session are answered
    colleague = use_token(from_ip(app), dataset, "analist", "analyse")
    assert colleague.get("/api/search?q=park").status_code == 200
    session = web_fixtures.login(from_ip(app), *web_fixtures.FULL_VIEW)
    assert session.get("/api/indicators").status_code == 200
    assert post_login(from_ip(app), "bibob", PASSWORD) == 302  # and a right password


def test_refused_purposes_and_bad_parameters_are_no_credential_failures(
        app: Flask, dataset: Dataset) -> None:
    client = from_ip(app, "10.1.1.1")
    for _ in range(2 * auth.LOGIN_LIMIT):
        use_token(client, dataset, "analist", "bibob_toets", "WV-2026-00011")
        assert client.get("/api/search?q=park").status_code == 403  # not the role's purpose
        use_token(client, dataset, "riec", "riec_casus", None)
        assert client.get("/api/search?q=park").status_code == 403  # no reference
        use_token(client, dataset, "riec", "analyse", "a b")
        assert client.get("/api/search?q=park").status_code == 403  # a malformed one
        use_token(client, dataset, "analist", "analyse")
        assert client.get("/api/search?q=x").status_code == 422
        assert client.get("/api/entities/park:NOPE").status_code == 404
    limiter = app.extensions["ondergraaf_security"].limiter
    assert limiter.addresses.count("ip:10.1.1.1") == 0
    assert client.get("/api/search?q=park").status_code == 200


def test_password_guessing(app: Flask) -> None:
    # one account guessed from many addresses: that account's logins are refused (429) ...
    for i in range(auth.LOGIN_LIMIT):
        assert post_login(from_ip(app, f"10.3.0.{i + 1}"), "riec", "geraden-wachtwoord") == 401
    assert post_login(from_ip(app, "10.3.1.1"), "riec", PASSWORD) == 429
    # ... while the other accounts log in from those same addresses
    assert post_login(from_ip(app, "10.3.0.1"), "bibob", PASSWORD) == 302
    # many accounts guessed from one address: its further wrong passwords are a 429 ...
    guesser = from_ip(app, "10.4.0.1")
    for i in range(auth.LOGIN_LIMIT):
        assert post_login(guesser, f"gebruiker{i}", "geraden-wachtwoord") == 401
    assert post_login(guesser, "analist", "geraden-wachtwoord") == 429
    # ... and a right password from there still logs in
    assert post_login(from_ip(app, "10.4.0.1"), "analist", PASSWORD) == 302


def test_401_challenges(app: Flask) -> None:
    client = from_ip(app, "10.5.0.1")
    none = client.get("/api/indicators")
    assert none.status_code == 401 and none.get_json()["code"] == "unauthenticated"
    assert none.headers["WWW-Authenticate"] == 'Bearer realm="ondergraaf"'
    malformed = client.get("/api/indicators", headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert malformed.status_code == 401 and malformed.get_json()["code"] == "invalid_request"
    assert malformed.headers["WWW-Authenticate"] == \
        'Bearer realm="ondergraaf", error="invalid_request"'
    wrong_token = client.get("/api/indicators", headers={"Authorization": "Bearer og_nee"})
    assert wrong_token.status_code == 401
    assert 'error="invalid_token"' in wrong_token.headers["WWW-Authenticate"]
