"""``/healthz``: public, but only "ok or not"; the engine's details for operators only.

Anybody may ask whether the service and its graph engine answer (a load balancer, a
monitor): ``{"ok": true}`` (200) or ``{"ok": false}`` (503). What the store reports beyond
that (the engine, the embedded server's socket path, how it started, its log size, the
engine's error text) is an internal of the installation: it is shown only to

* a caller on the machine itself: the client address is a loopback address *and* the
  request did not pass a proxy (no ``X-Forwarded-For``; behind a proxy on the same host
  set ``ONDERGRAAF_PROXY_HOPS``, see ``web.auth``), or
* an administrator: a session or a bearer token of an account with the role ``admin``.
  A token sent here is checked like anywhere else (a wrong one is a failed credential,
  counted by the limiter), but a wrong or missing one only means: no details.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue

from ..errors import OndergraafError
from ..store import Store
from . import auth

__all__ = ["health_response", "details_allowed", "is_loopback"]


def is_loopback(address: str | None) -> bool:
    """True for 127.0.0.0/8 and ::1 (also an IPv4-mapped loopback address)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool(ip.is_loopback or (mapped is not None and mapped.is_loopback))


def _is_admin() -> bool:
    if "ondergraaf_security" not in current_app.extensions:  # no login layer (tests)
        return False
    state = auth.current()
    if state.identity is None and request.headers.get("Authorization"):
        try:
            auth.identify_bearer()
        except OndergraafError:  # a wrong token (counted as such): just no details
            return False
    return state.identity is not None and "admin" in state.identity.roles


def details_allowed() -> bool:
    """May this caller see the engine's details (see the module doc)?"""
    local = is_loopback(request.remote_addr) and "X-Forwarded-For" not in request.headers
    return local or _is_admin()


def health_response(store: Store) -> ResponseReturnValue:
    """The ``/healthz`` answer: 200 when the engine answers, else 503."""
    info: dict[str, Any] = store.health()
    ok = bool(info.get("ok"))
    body = {**info, "ok": ok} if details_allowed() else {"ok": ok}
    return jsonify(body), (200 if ok else 503)
