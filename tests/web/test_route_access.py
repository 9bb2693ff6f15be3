"""Route access is declared on the route: a walk over every route of the app.

Every view function carries one declaration of :mod:`graph_service.web.route_access`. A
data route (one that needs a purpose) names each text parameter it takes, path or query
(read with :mod:`graph_service.web.params`): as a reference (an entity, a dossier, or
entities read as context) or as plain text. So a new route that takes a uid, a dossier id
or another entity reference cannot skip the per-dossier check without saying so; and a
route without a declaration is refused when it is asked for.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Blueprint, Flask, jsonify, request
from flask.typing import ResponseReturnValue

from graph_service.config import load_settings
from graph_service.security.audit import AuditTrail
from graph_service.security.users import LocalAccounts
from graph_service.web import params
from graph_service.web.app import create_app
from graph_service.web.http import get_store
from graph_service.web.route_access import (
    RouteAccess,
    context_access,
    declared,
    dossier_access,
    entity_access,
    public,
    scoped,
)
from tests.support.fixture_graphs import GraphBuilder

#: readers of web.params whose value cannot name an entity (numbers, dates, allow-lists);
#: every other reader (text, uids, lists of text, and any new one) counts as text
TYPED_READERS = frozenset({"int_arg", "date_arg", "rel_types_arg", "labels_arg", "choice_arg",
                           "parse_date"})
#: path converters whose value cannot name an entity (numbers, one of a fixed set)
TYPED_CONVERTERS = frozenset({"int", "float", "uuid", "any"})
_PATH_PARAM = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


# -- what a view takes --------------------------------------------------------------------------
@cache
def _module_tree(filename: str) -> ast.Module:
    return ast.parse(Path(filename).read_text(encoding="utf-8"))


def _function_node(view: Callable[..., Any]) -> tuple[ast.Module, ast.FunctionDef] | None:
    """The view's definition in its module (also a function nested in a factory)."""
    code = getattr(view, "__code__", None)
    if code is None or not Path(code.co_filename).is_file():
        return None
    tree = _module_tree(code.co_filename)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == view.__name__ and min(
                [node.lineno] + [d.lineno for d in node.decorator_list]) == code.co_firstlineno:
            return tree, node
    return None


def _calls(node: ast.AST) -> Iterator[ast.Call]:
    yield from (n for n in ast.walk(node) if isinstance(n, ast.Call))


def query_params(view: Callable[..., Any]) -> tuple[set[str], set[str], list[str]]:
    """(text parameters, typed parameters, direct reads of ``request``) of a view, through
    the functions of its own module it calls."""
    found = _function_node(view)
    if found is None:
        raise LookupError(f"no source for {view!r}")
    tree, start = found
    local = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    text: set[str] = set()
    typed: set[str] = set()
    direct: list[str] = []
    seen: set[str] = set()
    todo: list[ast.FunctionDef] = [start]
    while todo:
        fn = todo.pop()
        if fn.name in seen:
            continue
        seen.add(fn.name)
        for n in ast.walk(fn):
            if (isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                    and n.value.id == "request" and n.attr in ("args", "values", "form",
                                                               "view_args", "get_json")):
                direct.append(f"request.{n.attr} (line {n.lineno})")
        for call in _calls(fn):
            f = call.func
            if (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name)
                    and f.value.id == "params" and call.args
                    and not isinstance(getattr(params, f.attr, None), type)  # an error
                    and isinstance(call.args[0], ast.Constant)
                    and isinstance(call.args[0].value, str)):
                (typed if f.attr in TYPED_READERS else text).add(call.args[0].value)
            elif isinstance(f, ast.Name) and f.id in local:
                todo.append(local[f.id])
    return text, typed, direct


def path_params(rule: str) -> tuple[set[str], set[str]]:
    """(text, typed) path parameters of a rule."""
    text, typed = set(), set()
    for m in _PATH_PARAM.finditer(rule):
        (typed if m.group("converter") in TYPED_CONVERTERS else text).add(m.group("name"))
    return text, typed


def declaration_problems(app: Flask) -> list[str]:
    """What is wrong with the access declarations of ``app``'s routes (empty: nothing)."""
    problems: list[str] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        where = f"{rule.rule} ({rule.endpoint})"
        view = app.view_functions[rule.endpoint]
        access = declared(view)
        if access is None:
            problems.append(f"{where}: no access declaration")
            continue
        if not access.needs_purpose:
            continue  # no scope there: the store refuses every read of facts
        path_text, path_typed = path_params(rule.rule)
        try:
            query_text, query_typed, direct = query_params(view)
        except LookupError as exc:
            problems.append(f"{where}: {exc}")
            continue
        for read in direct:
            problems.append(f"{where}: reads {read}; a data route reads its parameters "
                            "with web.params")
        for name in sorted((path_text | query_text) - access.names()):
            problems.append(f"{where}: takes {name!r} without declaring it (a reference: "
                            "entity_access, dossier_access or context_access; plain text: "
                            "text=...)")
        taken = path_text | path_typed | query_text | query_typed
        for name in sorted(access.names() - taken):
            problems.append(f"{where}: declares {name!r}, which it does not take")
    return problems


# -- the app ------------------------------------------------------------------------------------
@pytest.fixture
def settings(tmp_path: Path) -> Any:
    return load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path / "data")})


@pytest.fixture
def app(settings: Any) -> Flask:
    """The real app with its real security on an empty data folder."""
    return create_app(test_config={"ONDERGRAAF_SETTINGS": settings, "TESTING": True})


def test_every_route_declares_its_access(app: Flask) -> None:
    assert declaration_problems(app) == []
    rules = list(app.url_map.iter_rules())
    assert len(rules) >= 25
    kinds = {r.endpoint: declared(app.view_functions[r.endpoint]) for r in rules}
    # the doelbinding within Bibob, as the routes declare it
    assert {e for e, a in kinds.items() if a and a.kind == "dossier"} == {
        "api.bibob_screening", "pages.bibob", "pages.bibob_export", "vis.bibob"}
    assert {e for e, a in kinds.items() if a and a.kind == "entity"} == {
        "api.entity", "api.neighbourhood", "api.entity_risk", "pages.entity", "vis.entity",
        "alerts.api_watch", "alerts.page_follow", "alerts.page_unfollow",
        "api.entity_timeline_route", "pages.timeline"}
    assert {e: a.references for e, a in kinds.items() if a and a.kind == "context"} == {
        "api.paths": ("from", "to"), "vis.paths": ("from", "to"),
        "pages.paths": ("van", "naar"), "review.pair": ("a", "b"), "review.decide": ("a", "b")}
    assert {e for e, a in kinds.items() if a and not a.needs_purpose} >= {
        "static", "healthz", "auth.login", "auth.logout", "auth.purpose", "openapi.document",
        "openapi.docs", "vendor.vis_file"}
    assert kinds["auth.logout"] == kinds["auth.purpose"] == RouteAccess("login")


# -- the walk can fail: a crafted blueprint ------------------------------------------------------
crafted = Blueprint("crafted", __name__)


@crafted.get("/undeclared/<path:uid>")
def undeclared(uid: str) -> ResponseReturnValue:
    return jsonify({"uid": uid})


@crafted.get("/scoped-uid/<path:uid>")
@scoped()
def scoped_with_uid(uid: str) -> ResponseReturnValue:
    return jsonify({"uid": uid})


@crafted.get("/scoped-dossier/<dossier_id>")
@scoped()
def scoped_with_dossier(dossier_id: str) -> ResponseReturnValue:
    return jsonify({"dossier": dossier_id})


def _other_end() -> str:
    return params.text_arg("to")


@crafted.get("/scoped-query")
@scoped()
def scoped_with_query_reference() -> ResponseReturnValue:
    return jsonify({"from": params.optional_text_arg("from"), "to": _other_end()})


@crafted.get("/stale/<int:n>")
@entity_access("uid")
def stale_declaration(n: int) -> ResponseReturnValue:
    return jsonify({"n": n})


@crafted.get("/direct")
@scoped()
def direct_read() -> ResponseReturnValue:
    return jsonify({"uid": request.args.get("uid")})


@crafted.get("/good/<path:uid>/<int:n>.<any(csv, xlsx):fmt>")
@entity_access("uid", text=("q",))
def well_declared(uid: str, n: int, fmt: str) -> ResponseReturnValue:
    return jsonify({"uid": uid, "n": n, "fmt": fmt, "q": params.optional_text_arg("q"),
                    "depth": params.int_arg("depth", 1, 1, 3)})


@crafted.get("/good-context")
@context_access("a", "b")
def good_context() -> ResponseReturnValue:
    return jsonify({"a": params.uid_arg("a"), "b": params.uid_arg("b")})


def test_the_walk_finds_each_undeclared_route_and_reference(app: Flask) -> None:
    app.register_blueprint(crafted)
    problems = [p for p in declaration_problems(app) if "(crafted." in p]
    expected = [
        "/undeclared/<path:uid> (crafted.undeclared): no access declaration",
        "/scoped-uid/<path:uid> (crafted.scoped_with_uid): takes 'uid' without declaring it",
        "/scoped-dossier/<dossier_id> (crafted.scoped_with_dossier): takes 'dossier_id' "
        "without declaring it",
        "/scoped-query (crafted.scoped_with_query_reference): takes 'from' without declaring",
        "/scoped-query (crafted.scoped_with_query_reference): takes 'to' without declaring",
        "/stale/<int:n> (crafted.stale_declaration): declares 'uid', which it does not take",
        "/direct (crafted.direct_read): reads request.args",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)
    assert len(problems) == len(expected), problems
    assert not any("crafted.well_declared" in p or "good_context" in p for p in problems)


def test_a_declaration_is_one_per_view() -> None:
    def view() -> None:
        return None

    public(public(view))  # the same again is fine (an app factory may run twice)
    with pytest.raises(ValueError, match="two accesses"):
        scoped()(view)
    with pytest.raises(ValueError, match="reference or plain text"):
        entity_access("uid", text=("uid",))


# -- and at run time the declaration is what counts -----------------------------------------------
def _token(settings: Any, user: str, roles: tuple[str, ...]) -> str:
    accounts = LocalAccounts.open(settings, audit=AuditTrail.open(settings))
    accounts.create_user(user, roles, display_name=f"Test {user}",
                         password="proef-wachtwoord-2026")
    return accounts.rotate_token(user, "tests")


ran: list[str] = []
runtime = Blueprint("runtime", __name__)


@runtime.get("/api/nieuw/<path:ding>")
def new_undeclared(ding: str) -> ResponseReturnValue:
    ran.append(ding)
    return jsonify({"ding": ding})


@runtime.get("/api/nieuw-profiel/<path:ding>")
@entity_access("ding")
def new_profile(ding: str) -> ResponseReturnValue:
    ran.append(ding)
    return jsonify({"ding": ding})


@runtime.get("/api/nieuwe-screening/<path:nummer>")
@dossier_access("nummer")
def new_screening(nummer: str) -> ResponseReturnValue:
    ran.append(nummer)
    return jsonify({"nummer": nummer})


def test_new_routes_get_what_they_declare(app: Flask, settings: Any) -> None:
    """A route no list names: undeclared it is refused; declared, its dossier check runs
    on the parameter it names, whatever the route and the parameter are called."""
    app.register_blueprint(runtime)
    with app.app_context():  # a token's Bibob reference must name a dossier in the graph
        graph = GraphBuilder(get_store())
        graph.dossier("dossier:WV-2026-00011")
        graph.write()
    token = _token(settings, "bibob", ("bibob_officer",))
    ran.clear()
    with app.test_client() as client:
        response = client.get("/api/nieuw/dossier:WV-1")  # not even logged in
        assert response.status_code == 500
        assert response.get_json()["ok"] is False
        client.environ_base.update({
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "HTTP_X_ONDERGRAAF_PURPOSE": "bibob_toets",
            "HTTP_X_ONDERGRAAF_REFERENCE": "WV-2026-00011"})
        assert client.get("/api/nieuw/x").status_code == 500
        assert ran == []
        other = client.get("/api/nieuw-profiel/dossier:WV-2026-00012")
        assert other.status_code == 403 and "doelbinding" in other.get_json()["error"]
        assert client.get("/api/nieuwe-screening/WV-2026-00012").status_code == 403
        assert ran == []
        assert client.get("/api/nieuw-profiel/dossier:WV-2026-00011").status_code == 200
        assert client.get("/api/nieuw-profiel/person:x").status_code == 200
        assert client.get("/api/nieuwe-screening/WV-2026-00011").status_code == 200
        assert ran == ["dossier:WV-2026-00011", "person:x", "WV-2026-00011"]
        client.environ_base["HTTP_X_ONDERGRAAF_PURPOSE"] = "analyse"
        client.environ_base.pop("HTTP_X_ONDERGRAAF_REFERENCE")
        analyst = _token(settings, "analist", ("analyst",))
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {analyst}"
        refused = client.get("/api/nieuwe-screening/WV-2026-00011")
        assert refused.status_code == 403 and "Bibob-toets" in refused.get_json()["error"]
        assert client.get("/api/nieuw-profiel/dossier:WV-2026-00011").status_code == 200


def test_the_source_reader_finds_views_nested_in_the_factory(app: Flask) -> None:
    """healthz is defined inside create_app: the reader finds it, and would read its
    parameters if it were a data route."""
    assert query_params(app.view_functions["healthz"]) == (set(), set(), [])
    assert query_params(app.view_functions["api.neighbourhood"])[1] >= {"depth", "as_of"}
    with pytest.raises(LookupError):
        query_params(app.view_functions["static"])  # Flask's own: no source of ours
