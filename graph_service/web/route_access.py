"""Route access, declared on the route: what a request needs before its view runs.

Every view function of the app carries exactly one declaration, put on it by one of the
decorators below (under ``@bp.get(...)``). :func:`graph_service.web.auth.request_scope`
reads it for every request; a route without one is refused (500, and an error in the log),
and ``tests/web/test_route_access.py`` walks every route of the app and fails on a route
without a declaration, or on a data route with a text parameter (path or query) that its
declaration does not name.

=================================  =============================================================
``@public``                        no login; the route holds no data (the login page, the API
                                   description, health); a user who is logged in is still
                                   recognised, for the page header
``@public_file``                   a static file: no login, and nobody is looked up
``@login_only``                    a login but no purpose (logout, choosing the purpose)
``@scoped(text=("q",))``           a login and a purpose; the reads run under the purpose's
                                   scope. ``text`` names the text parameters that name no
                                   entity (a search text, an indicator code)
``@entity_access("uid")``          as ``scoped``, about the entity the parameter names: a Bibob
                                   dossier (``dossier:...``) under the purpose ``bibob_toets``
                                   only with that dossier as reference
``@dossier_access("dossier_id")``  as ``scoped``, the screening of the Bibob dossier the
                                   parameter names: only under ``bibob_toets`` with that
                                   dossier as reference
``@context_access("from", "to")``  as ``scoped``; the entities these parameters name are read
                                   as context, so the scope filters them and no dossier check
                                   applies (paths; other dossiers appear as context as they do
                                   in search and networks)
=================================  =============================================================

A parameter is a path parameter of the route or a query parameter read with
:mod:`.params`. Public and login-only routes run without a scope, so they cannot read facts
(the store refuses every ``visible`` statement there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..errors import OndergraafError

__all__ = [
    "KINDS",
    "DATA_KINDS",
    "RouteAccess",
    "RouteNotDeclared",
    "declared",
    "public",
    "public_file",
    "login_only",
    "scoped",
    "entity_access",
    "dossier_access",
    "context_access",
]

View = TypeVar("View", bound=Callable[..., Any])

#: every kind of declaration; the data kinds need a login and a purpose
KINDS = ("public", "file", "login", "scoped", "entity", "dossier", "context")
DATA_KINDS = frozenset({"scoped", "entity", "dossier", "context"})
_ATTRIBUTE = "ondergraaf_route_access"


class RouteNotDeclared(OndergraafError):
    """A route without an access declaration: refused, whoever asks (500)."""

    status_code = 500


@dataclass(frozen=True)
class RouteAccess:
    """What a route declares: its kind, the parameters that name an entity or dossier
    (``references``) and the text parameters that name none (``text``)."""

    kind: str
    references: tuple[str, ...] = ()
    text: tuple[str, ...] = ()

    @property
    def needs_purpose(self) -> bool:
        return self.kind in DATA_KINDS

    def names(self) -> frozenset[str]:
        """Every parameter the declaration accounts for."""
        return frozenset(self.references) | frozenset(self.text)


def declared(view: Callable[..., Any] | None) -> RouteAccess | None:
    """The declaration on a view function, or None."""
    found = getattr(view, _ATTRIBUTE, None)
    return found if isinstance(found, RouteAccess) else None


def _declare(access: RouteAccess) -> Callable[[View], View]:
    if access.kind not in KINDS:
        raise ValueError(f"unknown route access {access.kind!r}")
    if set(access.references) & set(access.text):
        raise ValueError("a parameter is a reference or plain text, not both")

    def mark(view: View) -> View:
        if declared(view) not in (None, access):  # the same again is fine (one app each)
            raise ValueError(f"{getattr(view, '__name__', view)!r} declares two accesses")
        setattr(view, _ATTRIBUTE, access)
        return view
    return mark


def public(view: View) -> View:
    """No login; the route holds no data."""
    return _declare(RouteAccess("public"))(view)


def public_file(view: View) -> View:
    """A static file: no login, nobody looked up."""
    return _declare(RouteAccess("file"))(view)


def login_only(view: View) -> View:
    """A login, no purpose."""
    return _declare(RouteAccess("login"))(view)


def scoped(*, text: tuple[str, ...] = ()) -> Callable[[View], View]:
    """A login and a purpose; ``text``: the text parameters that name no entity."""
    return _declare(RouteAccess("scoped", (), tuple(text)))


def entity_access(param: str, *, text: tuple[str, ...] = ()) -> Callable[[View], View]:
    """About the entity ``param`` names; a dossier only under its own reference."""
    return _declare(RouteAccess("entity", (param,), tuple(text)))


def dossier_access(param: str, *, text: tuple[str, ...] = ()) -> Callable[[View], View]:
    """The screening of the dossier ``param`` names: bibob_toets with that reference."""
    return _declare(RouteAccess("dossier", (param,), tuple(text)))


def context_access(*params: str, text: tuple[str, ...] = ()) -> Callable[[View], View]:
    """Entities ``params`` name, read as context: the scope filters them, no dossier check."""
    if not params:
        raise ValueError("context_access names the parameters it reads as context")
    return _declare(RouteAccess("context", tuple(params), tuple(text)))
