"""The Cypher registry: every statement lives in a file under ``cypher/``.

A file starts with a comment header of ``// key: value`` lines (a line without a key
continues the previous value). Required keys: ``description``, ``mode`` (``read``,
``write`` or ``schema``) and ``params`` (``name: type`` pairs, comma-separated, or
``none``); read statements also need either a ``visible`` parameter or ``access``
(below). Read statements the embedded engine runs say which indexes they use:
``indexes``, the labels whose indexes their plan uses (``Entity, Address``) or ``not
needed`` (``EmbeddedFalkorStore._await_indexes``; tests/store/test_cypher_files.py
compares it with the engine's plan); a write waits for every index. Indicator files carry
more keys (see ``graph_service.risk.indicators``).

The statement name is the path below ``cypher/`` without the extension, e.g.
``read/entity``. An engine-specific variant sits beside the portable file as
``read/entity.falkordb.cypher`` or ``read/entity.neo4j.cypher`` and must declare the same
mode and parameters. Schema files may hold several statements, each ending in ``;``.

Templates: a file under ``templates/`` is one statement for many names of the model
(``graph_service.model``), expanded by the registry, never run itself. Its header says
over what: ``// expand: label`` gives one statement per entity label, named by
``model.node_statement`` (``write/merge_person``), with ``{{label}}`` in its text replaced
by the label; ``// expand: relationship_type`` one per relationship type without a merge
statement of its own, named by ``model.relationship_statement``, with ``{{type}}``
replaced. The names put into the text come from the model's allow-lists only. A template
may have engine variants like any file; an expansion whose name a file already has is an
error.

Access (doelbinding): a read statement either declares the parameters ``visible: list,
today: str`` or carries the header ``// access: internal``, never both. A ``visible``
statement runs only under an access scope; the store fills ``$visible`` with the purpose
classes the scope may see and ``$today`` with today's date. The statement filters every
node, relationship and path it matches with a marker, never by hand::

    MATCH (n:Entity {uid: $uid})-[r]-(m:Entity)
    WHERE VISIBLE(n, r, m)
    MATCH p = (d)<-[:PARTY_TO]-(x)
    WHERE VISIBLE_PATH(p)

The registry checks that the markers cover every variable the patterns bind and that no
pattern holds an anonymous element outside a covered path (:mod:`.visibility`), then
expands them into the predicate :mod:`.access` defines (a fact is visible when one of its
sources' purpose classes is, and absent once past its ``bewaren_tot``); the engines run the
expanded text. ``internal`` is for the few statements no user ever sees the answer of: the
loaders' resolution look-ups, the operator's load statistics, test dumps.

A statement that returns evidence paths writes ``PATH_FACTS(paths)`` in its ``RETURN``
for a list of paths: each fact once in the reply, the store reads back a column ``paths``
(:mod:`.pathfacts`); ``PATH_KEYS(paths)`` (in a ``visible`` statement only) leaves the
facts out of the reply and the store reads each once for all rows.

The registry is loaded once and fails fast: a missing header key, a duplicate name, a
``$parameter`` used but not declared (or declared but unused), or a variant without a
portable file, a read statement that neither filters on ``visible`` nor says it is
``internal``, or a ``visible`` statement whose markers leave a variable uncovered, raises
:class:`RegistryError`. File text is trusted; user input only ever travels as parameters.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ..errors import RegistryError
from ..model import LABELS, TEMPLATE_REL_TYPES, node_statement, relationship_statement
from . import pathfacts
from .access import expand_markers
from .visibility import check_markers, uses_markers

__all__ = [
    "ENGINES",
    "INTERNAL",
    "TODAY_PARAM",
    "VISIBLE_PARAM",
    "Statement",
    "Registry",
    "build_registry",
    "load_registry",
    "shipped_files",
    "parse_statement_file",
    "TEMPLATES",
    "expand_templates",
]

ENGINES = ("neo4j", "falkordb")
MODES = ("read", "write", "schema")
PARAM_TYPES = ("str", "int", "float", "bool", "date", "list", "map", "rows")
REQUIRED_KEYS = ("description", "mode", "params")
#: The parameter through which the store passes the purpose classes a scope may see, and
#: the header value that exempts a read statement from the access filter.
VISIBLE_PARAM = "visible"
TODAY_PARAM = "today"
INTERNAL = "internal"
#: The header value (``// indexes: not needed``) of a read that uses no index, so the
#: embedded engine may run it while it is still building its indexes after a start. A
#: read may instead name the labels whose indexes it uses (``// indexes: Entity``): it
#: then runs once those are built, while the others still build.
INDEXES_NOT_NEEDED = "not needed"
_INDEX_LABELS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:, [A-Za-z_][A-Za-z0-9_]*)*")

_HEADER_LINE = re.compile(r"^//\s?(?:(?P<key>[a-z_]+):\s*)?(?P<value>.*)$")
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRING_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_LINE_COMMENT = re.compile(r"//[^\n]*")


@dataclass(frozen=True)
class Statement:
    """One named statement with its header and engine variants."""

    name: str
    mode: str
    params: dict[str, str]
    text: str
    meta: dict[str, str]
    variants: dict[str, str] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return self.meta["description"]

    @property
    def filtered(self) -> bool:
        """Whether the statement filters on ``$visible`` (and so needs an access scope)."""
        return VISIBLE_PARAM in self.params

    @property
    def engines(self) -> tuple[str, ...]:
        """The engines that can run it: all, unless a header ``engines:`` names fewer.

        Used only where one engine has a built-in the other lacks and the caller takes
        another way on the other engine (e.g. Neo4j's undirected ``shortestPath``).
        """
        named = [e.strip() for e in self.meta.get("engines", "").split(",") if e.strip()]
        return tuple(named) or ENGINES

    @property
    def needs_indexes(self) -> bool:
        """Whether it must wait for indexes still being built (EmbeddedFalkorStore): all
        statements do unless the header says ``indexes: not needed`` (a read's only)."""
        return self.meta.get("indexes") != INDEXES_NOT_NEEDED

    @property
    def index_labels(self) -> frozenset[str] | None:
        """The labels whose indexes it uses when its header names them (``indexes:
        Entity, Address``); None when it waits for every index."""
        named = self.meta.get("indexes")
        if named is None or named == INDEXES_NOT_NEEDED:
            return None
        return frozenset(named.split(", "))

    def text_for(self, engine: str) -> str:
        """The statement text for ``engine``: its variant when one exists, else portable."""
        if engine not in ENGINES:
            raise RegistryError(f"unknown engine {engine!r}")
        return self.variants.get(engine, self.text)

    def statements_for(self, engine: str) -> list[str]:
        """Schema files hold several statements separated by ``;`` at a line end."""
        text = self.text_for(engine)
        if self.mode != "schema":
            return [text]
        parts = re.split(r";\s*(?:\n|$)", text)
        return [p.strip() for p in parts if p.strip()]


def _parse_header(source: str, text: str) -> tuple[dict[str, str], str]:
    meta: dict[str, str] = {}
    body: list[str] = []
    last: str | None = None
    in_header = True
    for line in text.splitlines():
        stripped = line.strip()
        if in_header and stripped.startswith("//"):
            m = _HEADER_LINE.match(stripped)
            assert m is not None  # the pattern matches any comment line
            key, value = m.group("key"), m.group("value").strip()
            if key:
                if key in meta:
                    raise RegistryError(f"{source}: header key {key!r} given twice")
                meta[key] = value
                last = key
            elif last is not None and value:
                meta[last] = f"{meta[last]} {value}".strip()
            continue
        if in_header and not stripped:
            continue
        in_header = False
        body.append(line)
    return meta, "\n".join(body).strip()


def _parse_params(source: str, spec: str) -> dict[str, str]:
    if spec.strip().lower() in ("", "none"):
        return {}
    params: dict[str, str] = {}
    for item in spec.split(","):
        name, _, typ = item.partition(":")
        name, typ = name.strip(), typ.strip() or "str"
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise RegistryError(f"{source}: bad parameter name {name!r} in header")
        if typ not in PARAM_TYPES:
            raise RegistryError(f"{source}: parameter {name!r} has unknown type {typ!r}")
        if name in params:
            raise RegistryError(f"{source}: parameter {name!r} declared twice")
        params[name] = typ
    return params


def used_params(text: str) -> set[str]:
    """The ``$names`` a statement uses, ignoring string literals and comments."""
    cleaned = _LINE_COMMENT.sub("", _STRING_LITERAL.sub("''", text))
    return set(_PARAM_USE.findall(cleaned))


def parse_statement_file(name: str, text: str) -> Statement:
    """Parse one file's text into a :class:`Statement` (no variants)."""
    meta, body = _parse_header(name, text)
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise RegistryError(f"{name}: header lacks {', '.join(missing)}")
    mode = meta["mode"]
    if mode not in MODES:
        raise RegistryError(f"{name}: mode must be one of {MODES}, not {mode!r}")
    if not body:
        raise RegistryError(f"{name}: no statement below the header")
    params = _parse_params(name, meta["params"])
    body = _check_visibility(name, mode, params, body, text)
    _check_params(name, params, body)
    unknown = {e.strip() for e in meta.get("engines", "").split(",") if e.strip()} - set(ENGINES)
    if unknown:
        raise RegistryError(f"{name}: unknown engines {sorted(unknown)} in header")
    _check_access(name, mode, params, meta)
    indexes = meta.get("indexes")
    if indexes is not None and mode != "read":
        raise RegistryError(f"{name}: header indexes is for read statements (a write "
                            "waits for every index)")
    if indexes not in (None, INDEXES_NOT_NEEDED) and not _INDEX_LABELS.fullmatch(indexes):
        raise RegistryError(f"{name}: header indexes must be {INDEXES_NOT_NEEDED!r} or "
                            f"labels separated by ', ', not {indexes!r}")
    return Statement(name=name, mode=mode, params=params, text=body, meta=meta)


def _check_access(name: str, mode: str, params: dict[str, str], meta: dict[str, str]) -> None:
    """A read filters on ``$visible`` or says ``access: internal``; exactly one of the two."""
    access = meta.get("access")
    if access is not None and access != INTERNAL:
        raise RegistryError(f"{name}: header access must be {INTERNAL!r}, not {access!r}")
    if access is not None and mode != "read":
        raise RegistryError(f"{name}: only read statements carry an access header")
    if VISIBLE_PARAM in params and params[VISIBLE_PARAM] != "list":
        raise RegistryError(f"{name}: parameter {VISIBLE_PARAM!r} must be of type list")
    if mode != "read":
        return
    filtered = VISIBLE_PARAM in params
    if filtered and access is not None:
        raise RegistryError(f"{name}: declares {VISIBLE_PARAM!r} and access: {INTERNAL}; "
                            "a statement is either filtered or internal, not both")
    if not filtered and access is None:
        raise RegistryError(f"{name}: a read statement must declare '{VISIBLE_PARAM}: list' "
                            f"and filter on it, or carry the header 'access: {INTERNAL}'")


def _check_visibility(name: str, mode: str, params: dict[str, str], body: str,
                      text: str) -> str:
    """The body with its visibility markers expanded, after checking them.

    A ``visible`` read covers every pattern variable with a marker and reads no
    ``purposes`` by hand (:func:`.visibility.check_markers`); a statement without
    ``visible`` holds no marker.
    """
    if mode == "read" and VISIBLE_PARAM in params:
        file = name if name.endswith(".cypher") else f"{name}.cypher"
        at = max(text.find(body), 0)  # errors give the line in the file
        check_markers(f"cypher/{file}", body, first_line=text.count("\n", 0, at) + 1)
    elif uses_markers(body):
        raise RegistryError(f"{name}: VISIBLE(...) in a statement that does not declare "
                            f"'{VISIBLE_PARAM}: list'")
    elif "PATH_KEYS(" in body:  # its facts are read under the read's scope
        raise RegistryError(f"{name}: PATH_KEYS(...) in a statement that does not declare "
                            f"'{VISIBLE_PARAM}: list'")
    return pathfacts.expand(expand_markers(body))


def _check_params(name: str, params: dict[str, str], body: str) -> None:
    used = used_params(body)
    undeclared = sorted(used - set(params))
    unused = sorted(set(params) - used)
    if undeclared:
        raise RegistryError(f"{name}: parameters used but not declared: {undeclared}")
    if unused:
        raise RegistryError(f"{name}: parameters declared but not used: {unused}")


class Registry:
    """All statements by name; immutable after loading."""

    def __init__(self, statements: dict[str, Statement]) -> None:
        self._statements = dict(statements)

    def get(self, name: str) -> Statement:
        try:
            return self._statements[name]
        except KeyError:
            raise RegistryError(f"no Cypher statement named {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._statements

    def __iter__(self) -> Iterator[Statement]:
        return iter(sorted(self._statements.values(), key=lambda s: s.name))

    def __len__(self) -> int:
        return len(self._statements)

    def names(self, prefix: str = "") -> list[str]:
        return sorted(n for n in self._statements if n.startswith(prefix))


def _walk(root: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for entry in root.iterdir():
        if entry.is_dir():
            yield from _walk(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".cypher"):
            yield f"{prefix}{entry.name}", entry


#: Where statement templates live, and per ``expand:`` header value the placeholder, the
#: model names it expands over and the statement name of each.
TEMPLATES = "templates/"
_EXPANSIONS: dict[str, tuple[str, tuple[str, ...], Callable[[str], str]]] = {
    "label": ("label", LABELS, node_statement),
    "relationship_type": ("type", TEMPLATE_REL_TYPES, relationship_statement),
}
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
_MODEL_NAME = re.compile(r"[A-Za-z][A-Za-z_]*")


def expand_templates(files: dict[str, str]) -> dict[str, str]:
    """``files`` with every file under :data:`TEMPLATES` replaced by its expansions."""
    out = {path: text for path, text in files.items() if not path.startswith(TEMPLATES)}
    for path, text in sorted(files.items()):
        if not path.startswith(TEMPLATES):
            continue
        stem = path[len(TEMPLATES): -len(".cypher")]
        _, dot, engine = stem.rpartition(".")
        suffix = f".{engine}.cypher" if dot else ".cypher"
        meta, _ = _parse_header(path, text)
        kind = meta.get("expand", "")
        if kind not in _EXPANSIONS:
            raise RegistryError(f"{path}: a template needs the header 'expand:' with one of "
                                f"{', '.join(_EXPANSIONS)}, not {kind!r}")
        placeholder, names, statement_name = _EXPANSIONS[kind]
        found = set(_PLACEHOLDER.findall(text))
        if found != {placeholder}:
            raise RegistryError(f"{path}: 'expand: {kind}' fills {{{{{placeholder}}}}} and "
                                f"nothing else; the file has {sorted(found) or 'none'}")
        for name in names:
            if not _MODEL_NAME.fullmatch(name):  # the model checks this too; text is spliced
                raise RegistryError(f"{path}: {name!r} is not a plain label or type name")
            target = statement_name(name) + suffix
            if target in out:
                raise RegistryError(f"{path}: expands to {target}, which is already defined")
            expanded = _PLACEHOLDER.sub(name, text)
            out[target] = re.sub(r"(?m)^//\s?expand:.*$",
                                 f"// template: {path} ({name})", expanded, count=1)
    return out


def build_registry(files: dict[str, str]) -> Registry:
    """Build a registry from ``{relative path: text}`` (used by tests with bad files).

    Templates are expanded first (:func:`expand_templates`).
    """
    files = expand_templates(files)
    portable: dict[str, Statement] = {}
    variants: dict[str, dict[str, Statement]] = {}
    for path, text in sorted(files.items()):
        stem = path[: -len(".cypher")]
        head, _, last = stem.rpartition("/")
        base, dot, engine = last.rpartition(".")
        if dot:
            if engine not in ENGINES:
                raise RegistryError(f"{path}: unknown engine suffix {engine!r}")
            name = f"{head}/{base}" if head else base
            variants.setdefault(name, {})[engine] = parse_statement_file(path, text)
        else:
            if stem in portable:
                raise RegistryError(f"{path}: duplicate statement name {stem!r}")
            portable[stem] = parse_statement_file(stem, text)
    for name, by_engine in variants.items():
        if name not in portable:
            raise RegistryError(f"{name}: engine variant without a portable file")
        base_stmt = portable[name]
        for engine, var in by_engine.items():
            if var.mode != base_stmt.mode or var.params != base_stmt.params:
                raise RegistryError(
                    f"{name}.{engine}: mode and parameters must match the portable file"
                )
        portable[name] = Statement(
            name=base_stmt.name,
            mode=base_stmt.mode,
            params=base_stmt.params,
            text=base_stmt.text,
            meta=base_stmt.meta,
            variants={e: v.text for e, v in by_engine.items()},
        )
    return Registry(portable)


@lru_cache(maxsize=1)
def shipped_files() -> dict[str, str]:
    """``{relative path: text}`` of every ``.cypher`` file shipped in the ``cypher`` package."""
    root = resources.files("cypher")
    return {path: entry.read_text(encoding="utf-8") for path, entry in _walk(root)}


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """Load every ``.cypher`` file shipped in the ``cypher`` package, once per process.

    Checking and expanding every file costs a few tenths of a second, on every command, so
    the result is kept between processes (:func:`_cached_registry`).
    """
    files = shipped_files()
    key = _cache_key(files)
    registry = _cached_registry(key)
    if registry is None:
        registry = build_registry(files)
        _keep_registry(key, registry)
    return registry


# -- the registry cache -------------------------------------------------------------------
# The checked and expanded statements of the shipped files, as JSON (never code) in
# ``cypher/__pycache__/``, beside the files it was built from and written only by whoever
# may write those files, like Python's own bytecode cache. Its name is a hash of everything
# the build reads: every file's path and text, the model names the templates expand over,
# and the source of the code that checks and expands (this module, ``visibility``,
# ``access``, ``pathfacts``). Any change gives another name, so a stale cache is never
# read; a cache that cannot be read or written (a read-only installation) only costs the
# build.
_CACHE_FORMAT = "1"
_CACHE_PREFIX = "registry-"
_BUILD_CODE = ("registry.py", "visibility.py", "access.py", "pathfacts.py")


def _cache_key(files: dict[str, str]) -> str:
    digest = hashlib.sha256(_CACHE_FORMAT.encode())
    here = Path(__file__).parent
    for code in _BUILD_CODE:
        digest.update(code.encode() + b"\0" + (here / code).read_bytes() + b"\0")
    names = [(label, node_statement(label)) for label in LABELS]
    names += [(rel, relationship_statement(rel)) for rel in TEMPLATE_REL_TYPES]
    digest.update(json.dumps(names).encode() + b"\0")
    for path, text in sorted(files.items()):
        digest.update(path.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()[:32]


def _cache_dir() -> Path | None:
    root = resources.files("cypher")
    return Path(str(root)) / "__pycache__" if isinstance(root, Path) else None


def _cached_registry(key: str) -> Registry | None:
    folder = _cache_dir()
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"{_CACHE_PREFIX}{key}.json").read_text(encoding="utf-8"))
        if data["key"] != key:
            return None
        return Registry({s["name"]: Statement(name=s["name"], mode=s["mode"],
                                              params=dict(s["params"]), text=s["text"],
                                              meta=dict(s["meta"]),
                                              variants=dict(s["variants"]))
                         for s in data["statements"]})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _keep_registry(key: str, registry: Registry) -> None:
    folder = _cache_dir()
    if folder is None:
        return
    data = {"key": key, "statements": [
        {"name": s.name, "mode": s.mode, "params": s.params, "text": s.text,
         "meta": s.meta, "variants": s.variants} for s in registry]}
    target = folder / f"{_CACHE_PREFIX}{key}.json"
    with contextlib.suppress(OSError):
        folder.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".registry-", suffix=".tmp")
        try:
            os.chmod(tmp, 0o644)  # the shipped statements, no secret: as readable as they
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out)
            os.replace(tmp, target)  # whole or not at all, also beside a concurrent reader
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        for old in folder.glob(f"{_CACHE_PREFIX}*.json"):  # other versions of the files
            if old != target:
                with contextlib.suppress(OSError):
                    old.unlink()
