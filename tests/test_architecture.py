"""The shape of the code: layers you can see in the tree, imports that point down only.

Reads every module of ``graph_service/`` and ``loaders/`` with :mod:`ast` (every import
counts: module level, inside functions, under ``TYPE_CHECKING``) and fails on

* a circle in the module graph;
* an import that goes up or sideways in :data:`LAYERS`, or out of what ``loaders`` may use;
* a blueprint of ``graph_service.web`` that imports another blueprint;
* a ``_private`` name imported from another module;
* a module that belongs to no layer (a new package needs a row in :data:`LAYERS`);
* a Python file outside ``tests/`` over :data:`MAX_LINES` lines.

A package's ``__init__`` running before its submodules is not an edge here (Python imports
the parent first, whatever the code says); ``from package import name`` of a name that is
not a submodule is an edge to the package.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph_service", "loaders")

#: The layer of every unit (a package or a module of ``graph_service``, and ``loaders``).
#: An import may go to a unit of a lower layer, or stay inside its own unit; the units of
#: layer 0 may also import each other (no circle, like everything else).
LAYERS: dict[str, int] = {
    # 0: settings, errors, the model; they import nothing of ours but each other
    "graph_service.errors": 0,
    "graph_service.config": 0,
    "graph_service.ttlcache": 0,
    "graph_service.cells": 0,
    "graph_service.model": 0,
    # 1: the only code that talks to a graph engine, with the Cypher registry and the
    # access scope it enforces
    "graph_service.store": 1,
    # 2: reads, security, rendering
    "graph_service.queries": 2,
    "graph_service.security": 2,
    "graph_service.render": 2,
    # 3: the risk engine (indicators, evidence, hits and scores, Bibob screening); backup and
    # restore of the graph and the security files
    "graph_service.risk": 3,
    "graph_service.operations": 3,
    # 4: the analysis API of the notebooks
    "graph_service.analysis": 4,
    # 5: the web layer; the loaders (they may use only LOADERS_MAY_USE of graph_service)
    "graph_service.web": 5,
    "loaders": 5,
    # 6: the command line, the one user of the loaders inside graph_service
    "graph_service.cli": 6,
    # 7: the package itself (``graph_service.create_app``)
    "graph_service": 7,
}
#: What the loaders may import of graph_service: they sit above the store only.
LOADERS_MAY_USE = frozenset({
    "graph_service.errors", "graph_service.config", "graph_service.model",
    "graph_service.cells", "graph_service.store",
})
#: The one unit of graph_service that may import the loaders.
LOADERS_USED_BY = frozenset({"graph_service.cli"})

MAX_LINES = 800
#: TEMPORARY: files over MAX_LINES that their owners are working on right now, with why.
#: The test fails once a file is back under MAX_LINES while still listed: then delete its
#: row. Do not add rows to make the test pass; split the file.
PENDING_SPLIT: dict[str, str] = {}


@dataclass(frozen=True)
class Import:
    importer: str
    target: str  # a module of ours
    names: tuple[str, ...]  # what ``from target import ...`` took (empty for ``import``)
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py")
                  if "__pycache__" not in p.parts)


MODULES: dict[str, Path] = {module_name(p): p for p in python_files(*PACKAGES)}


def is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = importer.split(".") if is_package(importer) else importer.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _ours(name: str) -> bool:
    return name.split(".")[0] in PACKAGES


def _known(name: str) -> str | None:
    """``name`` or the closest enclosing module of ours (``graph_service.x.Y`` -> ``.x``)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(importer: str, tree: ast.AST) -> Iterator[Import]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _known(alias.name) if _ours(alias.name) else None
                if target:
                    yield Import(importer, target, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(importer, node)
            if not _ours(source):
                continue
            plain: list[str] = []
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                if sub in MODULES:  # a submodule
                    yield Import(importer, sub, (), node.lineno)
                else:
                    plain.append(alias.name)
            target = _known(source)
            if plain and target:
                yield Import(importer, target, tuple(plain), node.lineno)


def _all_imports() -> list[Import]:
    found: list[Import] = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found.extend(imports_of(name, tree))
    return found


IMPORTS = _all_imports()


def unit_of(module: str) -> str | None:
    """The row of :data:`LAYERS` a module belongs to (the package itself matches only its
    own ``__init__``, so a new module of ``graph_service`` has no layer until given one)."""
    if module in LAYERS:
        return module
    parts = module.split(".")
    for i in range(len(parts) - 1, 1, -1):
        prefix = ".".join(parts[:i])
        if prefix in LAYERS:
            return prefix
    return "loaders" if parts[0] == "loaders" else None


def layer_violations(imports: Iterable[Import]) -> list[str]:
    """Every import that goes up or sideways, or past the loaders' fences."""
    out = []
    for imp in imports:
        a, b = unit_of(imp.importer), unit_of(imp.target)
        if a is None or b is None or a == b:
            continue
        where = f"{imp.importer}:{imp.line} imports {imp.target}"
        if a == "loaders" and b not in LOADERS_MAY_USE:
            out.append(f"{where}: the loaders may use only {sorted(LOADERS_MAY_USE)}")
        elif b == "loaders" and a not in LOADERS_USED_BY:
            out.append(f"{where}: only {sorted(LOADERS_USED_BY)} may use the loaders")
        elif not (LAYERS[b] < LAYERS[a] or LAYERS[a] == LAYERS[b] == 0):
            out.append(f"{where}: layer {LAYERS[a]} ({a}) may not import layer "
                       f"{LAYERS[b]} ({b})")
    return out


def circles(imports: Iterable[Import]) -> list[list[str]]:
    """The strongly connected components of more than one module (or a self-import)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in imports:
        graph.setdefault(imp.importer, set()).add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:  # Tarjan, iteratively (no recursion limit)
        nonlocal counter
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def _defines_blueprint(path: Path) -> bool:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name) and node.value.func.id == "Blueprint"):
            return True
    return False


def blueprint_violations(imports: Iterable[Import]) -> list[str]:
    blueprints = {m for m, p in MODULES.items()
                  if m.startswith("graph_service.web.") and _defines_blueprint(p)}
    return [f"{i.importer}:{i.line} imports {i.target}: blueprints do not import each other"
            for i in imports
            if i.importer in blueprints and i.target in blueprints and i.importer != i.target]


def private_violations(imports: Iterable[Import]) -> list[str]:
    return [f"{i.importer}:{i.line} imports {name} from {i.target}"
            for i in imports if i.target != i.importer
            for name in i.names if name.startswith("_") and not name.startswith("__")]


def long_files() -> list[str]:
    out = []
    files = python_files(*PACKAGES, "bench", "scripts") + sorted(ROOT.glob("*.py"))
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if rel in PENDING_SPLIT:
            continue
        if lines > MAX_LINES:
            out.append(f"{rel}: {lines} lines (at most {MAX_LINES} outside tests/)")
    return out


# -- the tests ----------------------------------------------------------------------------------
def test_every_module_has_a_layer() -> None:
    assert [m for m in MODULES if unit_of(m) is None] == []
    assert set(LAYERS) <= set(MODULES)  # no row for a unit that is gone


def test_no_circle() -> None:
    assert circles(IMPORTS) == []


def test_imports_go_down_the_layers() -> None:
    assert layer_violations(IMPORTS) == []


def test_blueprints_do_not_import_each_other() -> None:
    assert blueprint_violations(IMPORTS) == []


def test_no_private_names_across_modules() -> None:
    assert private_violations(IMPORTS) == []


def test_no_long_files() -> None:
    assert long_files() == []


def test_pending_splits_are_still_needed() -> None:
    """A row of PENDING_SPLIT goes once its file is split (or gone)."""
    done = [rel for rel in PENDING_SPLIT
            if not (ROOT / rel).is_file()
            or len((ROOT / rel).read_text(encoding="utf-8").splitlines()) <= MAX_LINES]
    assert done == []


@pytest.mark.parametrize("name", sorted(m for m in MODULES if not m.endswith(".__main__")))
def test_every_module_imports(name: str) -> None:
    assert importlib.import_module(name).__name__ == name


# -- the checks can fail ------------------------------------------------------------------------
def _imports_of(importer: str, code: str) -> list[Import]:
    return list(imports_of(importer, ast.parse(code)))


def test_the_checks_catch_what_they_are_for() -> None:
    # an upward import, also hidden in a function
    up = _imports_of("graph_service.store.base",
                     "def f():\n    from ..web import http\n")
    assert up == [Import("graph_service.store.base", "graph_service.web.http", (), 2)]
    assert layer_violations(up) != []
    # sideways on one layer (queries and security are both layer 2)
    assert layer_violations(_imports_of("graph_service.queries.common",
                                        "from graph_service.security import policy")) != []
    # loaders above the store only; only the CLI uses the loaders
    assert layer_violations(_imports_of("loaders.base", "from graph_service import queries")
                            ) != []
    assert layer_violations(_imports_of("graph_service.web.pages",
                                        "from loaders import demo")) != []
    assert layer_violations(_imports_of("graph_service.cli.graph",
                                        "from loaders import demo")) == []
    # a circle of two modules
    extra = _imports_of("graph_service.errors", "from . import config")
    assert ["graph_service.config", "graph_service.errors"] in circles([*IMPORTS, *extra])
    # blueprints, private names
    assert blueprint_violations(_imports_of("graph_service.web.pages",
                                            "from .api import bp")) != []
    assert private_violations(_imports_of("graph_service.risk.screening",
                                          "from ..queries.common import _x")) != []
    # a module without a layer
    assert unit_of("graph_service.newthing") is None
    assert unit_of("graph_service.web.app") == "graph_service.web"
