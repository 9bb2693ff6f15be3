"""Who is asking, for which purpose: login, sessions, API tokens, doelbinding per request.

:func:`init_app` (called by ``create_app``) wires it all in:

* **Identity.** A request is authenticated by ``Authorization: Bearer <token>`` (tokens from
  ``ondergraaf users token``) or by a session cookie from the login page (``/login``, local
  accounts, argon2id). Sessions are Flask's signed cookie (``HttpOnly``,
  ``SameSite=Strict``, ``Secure`` unless ``ONDERGRAAF_INSECURE_COOKIES=1``) plus a server
  registry (:mod:`.sessions`): 8 hours at most, 30 minutes idle, ended for good by logout.
  The secret key is ``ONDERGRAAF_SECRET_KEY`` (or ``..._FILE``) or
  ``<data_dir>/security/web.key``, made on first use (0600).
* **Purpose.** A web user chooses a purpose and, where needed, a reference on ``/doel``
  after logging in; it is kept in the session and shown in every page header. A token
  client sends ``X-Ondergraaf-Purpose`` and ``X-Ondergraaf-Reference`` with each request.
  The dossier of a Bibob toets must be in the graph on every request, session or token:
  when it is gone (retention), a session is sent back to ``/doel`` with a Dutch message
  and its purpose dropped, a token is refused (403); both are audited as refused.
* **Scope.** :func:`request_scope` is the app's ``ONDERGRAAF_REQUEST_SCOPE``: it resolves the
  user's roles, purpose and reference through :func:`graph_service.security.policy.resolve`
  into the :class:`~graph_service.store.access.Scope` the request's reads run under. Refused:
  403 (JSON error or a Dutch page saying why). A purpose that sees no graph data (``beheer``,
  ``audit``) is refused on every data route. Doelbinding within Bibob: the screening of a
  dossier, and the dossier's own profile, need the purpose ``bibob_toets`` with *that*
  dossier as reference.
* **Declared on the route.** Every view says what it needs (:mod:`.route_access`):
  ``@public`` (no login, no data: ``/healthz``, ``/login``, ``/openapi.json``,
  ``/api/docs``), ``@public_file`` (static and vendored files), ``@login_only`` (logout,
  ``/doel``), or a data declaration, which needs a login and a purpose: ``@scoped``,
  ``@entity_access("uid")`` and ``@dossier_access("dossier_id")`` (the doelbinding within
  Bibob above, for the dossier the parameter names), ``@context_access("from", "to")``
  (entities read as context). A route without a declaration is refused (500), so a new
  route is closed until it says what it needs; ``tests/web/test_route_access.py`` fails on it.
* **CSRF.** Every POST form (login, purpose, logout) carries the session's token
  (``csrf_token`` field); a POST without it, or with another, is refused (400).
* **Brute force.** On top of the account lockout, failed credentials are counted per
  credential (user name, token) and per client IP (:mod:`.ratelimit`; 10 in 5 minutes).
  A user name over its limit gets 429; from an address over its limit only *invalid*
  credentials are slowed (a wrong password: 429; a wrong token: 401 after
  ``ONDERGRAAF_LOGIN_SLOWDOWN_SECONDS``, default 1): a valid token, session or password is
  never refused because of somebody else's failures from the same address. A refused
  purpose is no failure.
* **401.** An API answer 401 carries ``WWW-Authenticate: Bearer realm="ondergraaf"``, with
  ``error="invalid_token"`` for a wrong token and ``error="invalid_request"`` for a
  malformed ``Authorization`` header (RFC 6750).

The client IP is ``request.remote_addr``. Behind a reverse proxy set
``ONDERGRAAF_PROXY_HOPS`` to the number of proxies that set ``X-Forwarded-For``; without
it the header is not trusted.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix

from .. import queries
from ..config import Settings, secret_key
from ..errors import AccessDenied, ConfigError, OndergraafError
from ..model import dossier_uid
from ..security import policy
from ..security.audit import Actor, AuditError, AuditTrail
from ..security.files import security_dir
from ..security.users import AuthenticationFailed, Identity, IdentityProvider, LocalAccounts
from ..store import access
from ..store.access import Scope
from .http import PURPOSE_HEADER, REFERENCE_HEADER, error_body, get_store, wants_json
from .ratelimit import CredentialLimiter, Limited, token_key, user_key
from .route_access import RouteAccess, RouteNotDeclared, declared, login_only, public, public_file
from .sessions import IDLE, MAX_AGE, SessionRegistry

__all__ = [
    "bp",
    "init_app",
    "request_scope",
    "WebSecurity",
    "RequestAuth",
    "LoginRequired",
    "PurposeRequired",
    "TooManyAttempts",
    "client_ip",
    "current",
    "identify_bearer",
]

log = logging.getLogger(__name__)

CSRF_FIELD = "csrf_token"
LOGIN_LIMIT = 10  # failed logins per client IP and per user name ...
LOGIN_WINDOW = 300.0  # ... within this many seconds
LOGIN_SLOWDOWN = 1.0  # seconds a wrong token waits once its address is over the limit
MAX_USERNAME = 64
MAX_PASSWORD = 1024

bp = Blueprint("auth", __name__)


class LoginRequired(OndergraafError):
    """No valid session or token: pages redirect to ``/login``, the API answers 401."""

    status_code = 401


class MalformedAuthorization(LoginRequired):
    """An ``Authorization`` header that is not ``Bearer <token>`` (401, invalid_request)."""

    error_code = "invalid_request"


class PurposeRequired(AccessDenied):
    """Logged in, but no purpose chosen: pages redirect to ``/doel``, the API answers 403."""

    error_code = "purpose_required"


class TooManyAttempts(OndergraafError):
    """Too many failed logins from this address or for this user name (429)."""

    status_code = 429

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(1, int(retry_after + 0.999))


@dataclass
class RequestAuth:
    """What the security layer knows about the running request (``g.og_auth``)."""

    identity: Identity | None = None
    method: str = ""  # "sessie" or "token"
    purpose: str | None = None
    reference: str | None = None
    scope: Scope | None = None
    audited: bool = False  # a data route: the response gets an audit record
    denied: str | None = None  # why the policy refused, for the audit record
    raw_purpose: str | None = None  # as asked, when it was not a known purpose
    uids: dict[str, None] = field(default_factory=dict)  # returned, in order


def current() -> RequestAuth:
    """The running request's :class:`RequestAuth` (made on first use)."""
    found: RequestAuth | None = g.get("og_auth")
    if found is None:
        found = RequestAuth()
        g.og_auth = found
    return found


class WebSecurity:
    """The app's accounts, audit trail, session registry, login limiter and scope cache."""

    def __init__(self, settings: Settings, *, accounts: IdentityProvider | None = None,
                 audit: AuditTrail | None = None, slowdown: float = LOGIN_SLOWDOWN) -> None:
        self.settings = settings
        self.audit = audit or AuditTrail.open(settings)
        self.accounts: IdentityProvider = accounts or LocalAccounts.open(settings,
                                                                          audit=self.audit)
        folder = security_dir(settings)
        self.sessions = SessionRegistry(folder / "sessions.sqlite", max_age=MAX_AGE, idle=IDLE)
        self.limiter = CredentialLimiter(LOGIN_LIMIT, LOGIN_WINDOW, slowdown=slowdown)
        self._scopes: dict[tuple[frozenset[str], str, str | None], Scope] = {}
        self._lock = threading.Lock()

    def resolve(self, roles: frozenset[str], purpose: str, reference: str | None) -> Scope:
        """:func:`policy.resolve`, remembered per (roles, purpose, reference)."""
        key = (roles, purpose, reference)
        with self._lock:
            hit = self._scopes.get(key)
        if hit is not None:
            return hit
        scope = policy.resolve(roles, purpose, reference, settings=self.settings)
        with self._lock:
            if len(self._scopes) > 4096:
                self._scopes.clear()
            self._scopes[key] = scope
        return scope


def security() -> WebSecurity:
    found: WebSecurity = current_app.extensions["ondergraaf_security"]
    return found


def client_ip() -> str:
    """The client's address: ``remote_addr`` (set from X-Forwarded-For only by ProxyFix)."""
    return request.remote_addr or "onbekend"


def _actor(identity: Identity) -> Actor:
    return Actor(identity.username, tuple(sorted(identity.roles)), client_ip())


# -- identity -----------------------------------------------------------------------------------
def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not token.strip():
        raise MalformedAuthorization("Authorization moet de vorm 'Bearer <token>' hebben")
    return token.strip()


def _from_token(sec: WebSecurity, token: str) -> Identity:
    """The token's identity. A valid token passes whatever its address's count; a wrong one
    is a 401, slowed down once its address is over the limit (:mod:`.ratelimit`)."""
    return sec.limiter.attempt(
        f"ip:{client_ip()}", token_key(token),
        lambda: sec.accounts.authenticate_token(token, client=client_ip()),
        failure=AuthenticationFailed, refuse=False,
        locked_out=lambda: AuthenticationFailed("ongeldig token"))


def _from_session(sec: WebSecurity) -> Identity | None:
    sid, user = session.get("sid"), session.get("user")
    if not isinstance(sid, str) or not isinstance(user, str):
        return None
    identity = sec.accounts.lookup(user) if sec.sessions.check(sid, user) else None
    if identity is None:  # expired, logged out elsewhere, or the account was disabled
        sec.sessions.drop(sid)
        session.clear()
    return identity


def _identify(sec: WebSecurity, auth: RequestAuth, *, optional: bool = False) -> None:
    token = None if optional else _bearer()
    if token is not None:
        auth.identity, auth.method = _from_token(sec, token), "token"
        return
    identity = _from_session(sec)
    if identity is not None:
        auth.identity, auth.method = identity, "sessie"


def identify_bearer() -> None:
    """Identify the running request by its bearer token, on a public route that shows more
    to some users (``/healthz``); raises like a protected route for a wrong token."""
    auth = current()
    if auth.identity is None:
        _identify(security(), auth)


def _purpose_asked(auth: RequestAuth) -> tuple[str | None, str | None]:
    if auth.method == "token":
        purpose = request.headers.get(PURPOSE_HEADER, "").strip() or None
        reference = request.headers.get(REFERENCE_HEADER, "").strip() or None
        return purpose, reference
    purpose, reference = session.get("purpose"), session.get("reference")
    return (purpose if isinstance(purpose, str) else None,
            reference if isinstance(reference, str) else None)


def _route_access() -> RouteAccess | None:
    """The running request's declared access (:mod:`.route_access`); None when no route
    matched (404, 405). A route without a declaration is refused."""
    if request.endpoint is None:
        return None
    found = declared(current_app.view_functions.get(request.endpoint))
    if found is None:
        raise RouteNotDeclared(f"route {request.endpoint} declares no access "
                               "(graph_service.web.route_access)")
    return found


def _dossiers_asked(access: RouteAccess) -> list[str]:
    """The dossier uids a route is about, by the parameters its declaration names."""
    args = request.view_args or {}
    values = [args.get(name, request.args.get(name, "")) for name in access.references]
    if access.kind == "dossier":
        return [dossier_uid(str(v)) for v in values]
    if access.kind == "entity":
        return [uid for uid in (str(v).strip() for v in values) if uid.startswith("dossier:")]
    return []  # scoped and context routes: the scope filters, no dossier check


def check_dossier(purpose: str, reference: str | None, access: RouteAccess) -> None:
    """Doelbinding within Bibob: a dossier is screened under its own reference only.

    A ``dossier_access`` route (a screening) needs the purpose ``bibob_toets``; a screening
    or an ``entity_access`` profile of dossier X needs reference X. Other dossiers still
    appear as context (search, networks, paths), as far as the purpose's sources allow.
    """
    is_screening = access.kind == "dossier"
    for asked in _dossiers_asked(access):
        if purpose != "bibob_toets":
            if is_screening:
                raise AccessDenied("een Bibob-screening hoort bij het doel Bibob-toets van "
                                   "een aanvraag, met het dossiernummer als referentie")
            continue
        if asked != dossier_uid(reference or ""):
            number = asked.removeprefix("dossier:")
            raise AccessDenied(
                f"u werkt voor de Bibob-toets van dossier {reference}; dossier {number} valt "
                f"daarbuiten (doelbinding). Kies het doel opnieuw met dossiernummer {number} "
                "als u aan die aanvraag werkt")


def request_scope() -> Scope | None:
    """The scope of the running request (the app's ``ONDERGRAAF_REQUEST_SCOPE``).

    None for public and login-only routes (no reads of facts there). Raises
    :class:`LoginRequired`, :class:`PurposeRequired`, :class:`AccessDenied`,
    ``AuthenticationFailed`` or :class:`TooManyAttempts`; the app answers them in its
    error shape (a page: a redirect to ``/login`` or ``/doel``, or a Dutch page).
    """
    sec = security()
    auth = current()
    access = _route_access()
    if access is None or access.kind in ("public", "file"):
        if access is None or access.kind == "public":  # the page header shows the user
            _identify(sec, auth, optional=True)
        return None
    _identify(sec, auth)
    if auth.identity is None:
        raise LoginRequired("u bent niet aangemeld: log in, of stuur "
                            "'Authorization: Bearer <token>'")
    if not access.needs_purpose:
        return None
    auth.audited = True  # from here on the outcome is on the record, refused or not
    purpose, reference = _purpose_asked(auth)
    if purpose is None:
        raise PurposeRequired(
            "kies eerst het doel van uw werk" if auth.method == "sessie" else
            f"geef het doel op in de header {PURPOSE_HEADER} (en zo nodig de referentie in "
            f"{REFERENCE_HEADER}); doelen: {', '.join(policy.PURPOSES)}")
    if purpose in policy.PURPOSES:
        auth.purpose = purpose
    else:
        auth.raw_purpose = purpose[:64]
    try:
        ref = policy.check_reference(purpose, reference)
        auth.reference = ref
        scope = sec.resolve(auth.identity.roles, purpose, ref)
        if not scope.visible:
            raise AccessDenied(
                f"met het doel {policy.PURPOSES[purpose].title} kunt u geen gegevens uit de "
                "graaf inzien; beheer en audit lopen via de opdrachtregel "
                "(ondergraaf users, ondergraaf audit)")
        check_dossier(purpose, ref, access)
        if purpose == "bibob_toets":  # as on /doel, and again on every request
            _reference_still_holds(auth, scope, ref)
    except AccessDenied as exc:
        auth.denied = str(exc)
        raise
    auth.scope = scope
    return scope


# -- CSRF ---------------------------------------------------------------------------------------
def csrf_token() -> str:
    """The session's CSRF token for a form (made on first use)."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def _check_csrf() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS") or request.routing_exception is not None:
        return
    if current().method == "token":  # a bearer token is not sent by a browser on its own
        return
    expected = session.get("csrf")
    given = request.form.get(CSRF_FIELD, "")
    if not isinstance(expected, str) or not given or not hmac.compare_digest(
            expected.encode(), given.encode()):
        raise BadRequest("het formulier is verlopen of komt niet van deze site "
                         "(CSRF-controle); laad de pagina opnieuw")


# -- pages --------------------------------------------------------------------------------------
def safe_next(value: str | None) -> str:
    """A local path to go to after login or choosing a purpose; ``/`` for anything else."""
    if not value or len(value) > 2000:
        return "/"
    parts = urlsplit(value)
    if (parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//")
            or "\\" in value or any(ord(c) < 32 for c in value)):
        return "/"
    return value


def _here() -> str:
    """The current path with its query, for ``volgende``."""
    query = request.query_string.decode("latin-1")
    return request.path + (f"?{query}" if query else "")


def _login_page(status: int = 200, error: str | None = None,
                username: str = "") -> tuple[str, int]:
    return render_template("login.html", error=error, username=username,
                           volgende=safe_next(request.values.get("volgende")),
                           uitgelogd=request.args.get("uitgelogd") == "1"), status


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    if request.method == "GET":
        return _login_page()
    sec = security()
    username = request.form.get("gebruikersnaam", "").strip().lower()[:MAX_USERNAME]
    password = request.form.get("wachtwoord", "")[:MAX_PASSWORD]
    def limit_reached() -> None:  # one record when the limit is reached, not one per refusal
        sec.audit.record(Actor(username or "onbekend", (), client_ip()), "login_failed",
                         {"name": "login", "params": {
                             "method": "password",
                             "reason": f"limiet bereikt: {LOGIN_LIMIT} mislukte pogingen "
                                       f"in {int(LOGIN_WINDOW // 60)} minuten"}},
                         outcome="denied")

    try:
        identity = sec.limiter.attempt(
            f"ip:{client_ip()}", user_key(username),
            lambda: sec.accounts.authenticate_password(username, password, client=client_ip()),
            failure=AuthenticationFailed, serial=True, on_limit=limit_reached)
    except Limited as exc:
        raise TooManyAttempts(
            "er loopt al een aanmeldpoging vanaf dit adres; probeer het zo opnieuw"
            if exc.kind == "busy" else
            f"te veel mislukte pogingen; probeer het over {int(exc.wait // 60) + 1} minuten "
            "opnieuw", exc.wait) from None
    except AuthenticationFailed as exc:
        return _login_page(401, str(exc), username)
    # a new session from scratch: new id, new CSRF token (no fixation)
    old = session.get("sid")
    if isinstance(old, str):
        sec.sessions.drop(old)
    session.clear()
    session.permanent = True
    session["sid"] = sec.sessions.create(identity.username)
    session["user"] = identity.username
    session["csrf"] = secrets.token_urlsafe(32)
    return redirect(url_for("auth.purpose", volgende=safe_next(request.form.get("volgende"))))


@bp.post("/logout")
@login_only
def logout() -> ResponseReturnValue:
    sec, auth = security(), current()
    sid = session.get("sid")
    if isinstance(sid, str):
        sec.sessions.drop(sid)
    if auth.identity is not None and auth.method == "sessie":
        sec.audit.record(_actor(auth.identity), "logout", {"name": "logout", "params": {}})
    session.clear()
    return redirect(url_for("auth.login", uitgelogd="1"))


def _purpose_choices(identity: Identity) -> list[dict[str, Any]]:
    return [{"name": p.name, "title": p.title, "reference": p.reference}
            for p in policy.PURPOSES.values() if policy.allowed(identity.roles, p.name)]


@bp.route("/doel", methods=["GET", "POST"])
@login_only
def purpose() -> ResponseReturnValue:
    sec, auth = security(), current()
    identity = auth.identity
    assert identity is not None  # request_scope made sure
    volgende = safe_next(request.values.get("volgende"))
    choices = _purpose_choices(identity)
    if request.method == "GET":
        return render_template("doel.html", choices=choices, volgende=volgende,
                               error=session.pop(PURPOSE_NOTICE, None),
                               chosen=session.get("purpose"),
                               reference=session.get("reference") or "")
    chosen = request.form.get("doel", "").strip()[:64]
    reference = request.form.get("referentie", "").strip()[:200] or None
    try:
        ref = policy.check_reference(chosen, reference)
        scope = sec.resolve(identity.roles, chosen, ref)
        if chosen == "bibob_toets":
            _dossier_exists(scope, ref)
    except AccessDenied as exc:
        try:
            sec.audit.record(_actor(identity), "denied", {
                "name": "POST /doel", "params": {"doel": chosen, "referentie": reference},
                "reason": str(exc)},
                purpose=chosen if chosen in policy.PURPOSES else None, outcome="denied")
        except AuditError:
            log.exception("audit record of a refused purpose failed")
        session.pop("purpose", None)  # no old purpose goes on silently after a refusal
        session.pop("reference", None)
        return render_template("doel.html", choices=choices, volgende=volgende,
                               error=str(exc), chosen=chosen,
                               reference=reference or ""), 403
    if not session.get("sid"):  # a token client has no session to keep a purpose in
        raise BadRequest("een doel kiezen kan alleen in een sessie; een token geeft het doel "
                         f"mee in {PURPOSE_HEADER}")
    session["purpose"], session["reference"] = chosen, ref
    if chosen == "bibob_toets" and ref and volgende == "/":  # straight to its screening
        return redirect(url_for("pages.bibob", dossier_id=ref))
    return redirect(volgende)


#: the session key of a message the purpose page shows once (why it asks again)
PURPOSE_NOTICE = "purpose_notice"


def _reference_still_holds(auth: RequestAuth, scope: Scope, reference: str | None) -> None:
    """The dossier of a Bibob-toets must be in the graph on every request, not only when
    chosen: a dossier removed since (its retention ended) ends the purpose. A session is
    sent back to ``/doel`` with a Dutch message that says why; a token is refused."""
    try:
        _dossier_exists(scope, reference)
    except AccessDenied:
        if auth.method != "sessie":
            raise
        session.pop("purpose", None)
        session.pop("reference", None)
        message = (f"Dossier {reference} staat niet meer in Ondergraaf (bijvoorbeeld omdat "
                   "de bewaartermijn is verstreken); kies opnieuw het doel van uw werk en, "
                   "voor een Bibob-toets, het dossier.")
        session[PURPOSE_NOTICE] = message
        raise PurposeRequired(message) from None


def _dossier_exists(scope: Scope, reference: str | None) -> None:
    """A Bibob-toets is about a dossier in the graph: refuse a number it does not hold."""
    with access.scope(scope):
        found = queries.entity(get_store(), dossier_uid(reference or ""))
    if found is None:
        raise AccessDenied(
            f"dossier {reference} is niet bekend in Ondergraaf; controleer het dossiernummer "
            "van de aanvraag (de Bibob-gegevens van een nieuwe aanvraag staan erin na de "
            "volgende inlees van de Bibob-bron)")


# -- wiring -------------------------------------------------------------------------------------
def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "ja", "on")


def _handle_login_required(exc: LoginRequired) -> ResponseReturnValue:
    if wants_json() or current().method == "token":
        challenge = 'Bearer realm="ondergraaf"'  # RFC 6750: no error without credentials
        if isinstance(exc, MalformedAuthorization):
            challenge += ', error="invalid_request"'
        return (jsonify(error_body(401, str(exc))), 401, {"WWW-Authenticate": challenge})
    return redirect(url_for("auth.login", volgende=_here()))


def _handle_bad_token(exc: AuthenticationFailed) -> ResponseReturnValue:
    """A wrong bearer token: 401 with the RFC 6750 challenge (page or JSON)."""
    challenge = ('Bearer realm="ondergraaf", error="invalid_token", '
                 'error_description="het token is onbekend of ingetrokken"')
    headers = {"WWW-Authenticate": challenge}
    if wants_json():
        return jsonify(error_body(401, str(exc), "invalid_token")), 401, headers
    return render_template("error.html", status=401, message=str(exc)), 401, headers


def _handle_purpose_required(exc: PurposeRequired) -> ResponseReturnValue:
    if wants_json() or current().method == "token":
        return jsonify(error_body(403, str(exc))), 403
    return redirect(url_for("auth.purpose", volgende=_here()))


def _handle_too_many(exc: TooManyAttempts) -> ResponseReturnValue:
    headers = {"Retry-After": str(exc.retry_after)}
    if wants_json():
        return jsonify(error_body(429, str(exc))), 429, headers
    if request.endpoint == "auth.login":
        page, status = _login_page(429, str(exc),
                                   request.form.get("gebruikersnaam", "")[:MAX_USERNAME])
        return page, status, headers
    return render_template("error.html", status=429, message=str(exc)), 429, headers


def _template_context() -> dict[str, Any]:
    auth: RequestAuth | None = g.get("og_auth")
    identity = auth.identity if auth else None
    purpose_ = auth.purpose if auth else None
    if identity is not None and purpose_ is None and auth is not None \
            and auth.method == "sessie":
        chosen = session.get("purpose")
        purpose_ = chosen if isinstance(chosen, str) and chosen in policy.PURPOSES else None
        auth.reference = auth.reference or session.get("reference")
    return {
        "csrf_token": csrf_token,
        "user": identity,
        "user_method": auth.method if auth else "",
        "purpose_title": policy.PURPOSES[purpose_].title if purpose_ else None,
        "purpose_reference": auth.reference if auth and purpose_ else None,
        "role_titles": policy.ROLE_TITLES,
    }


def init_app(app: Flask, *, accounts: IdentityProvider | None = None,
             audit: AuditTrail | None = None) -> WebSecurity:
    """Authentication, purpose, CSRF and the login pages for ``app`` (see the module doc)."""
    settings: Settings = app.config["ONDERGRAAF_SETTINGS"]
    try:
        slowdown = float(app.config.get("LOGIN_SLOWDOWN_SECONDS", LOGIN_SLOWDOWN))
    except (TypeError, ValueError) as exc:
        raise ConfigError("ONDERGRAAF_LOGIN_SLOWDOWN_SECONDS moet een getal zijn") from exc
    sec = WebSecurity(settings, accounts=accounts, audit=audit, slowdown=max(0.0, slowdown))
    app.extensions["ondergraaf_security"] = sec
    app.secret_key = secret_key("SECRET_KEY", security_dir(settings) / "web.key")
    insecure = _truthy(app.config.get("INSECURE_COOKIES", ""))
    app.config.update(
        SESSION_COOKIE_NAME="ondergraaf" if insecure else "__Host-ondergraaf",
        SESSION_COOKIE_SECURE=not insecure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_PATH="/",
        SESSION_COOKIE_DOMAIN=None,
        PERMANENT_SESSION_LIFETIME=int(MAX_AGE),
        SESSION_REFRESH_EACH_REQUEST=False,
        ONDERGRAAF_REQUEST_SCOPE=request_scope,
    )
    try:
        hops = int(app.config.get("PROXY_HOPS", 0) or 0)
    except (TypeError, ValueError) as exc:
        raise ConfigError("ONDERGRAAF_PROXY_HOPS moet een geheel getal zijn") from exc
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.register_blueprint(bp)
    if "static" in app.view_functions:  # Flask's own static files
        public_file(app.view_functions["static"])
    app.before_request(_check_csrf)
    app.context_processor(_template_context)
    app.register_error_handler(LoginRequired, _handle_login_required)
    app.register_error_handler(AuthenticationFailed, _handle_bad_token)
    app.register_error_handler(PurposeRequired, _handle_purpose_required)
    app.register_error_handler(TooManyAttempts, _handle_too_many)
    return sec
