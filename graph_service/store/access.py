"""Who may see what, as the store enforces it: the access scope of the current request.

Every read statement that returns facts about entities declares a ``visible: list``
parameter and filters every node, relationship and path it matches with a marker that the
Cypher registry expands here, in one place (:func:`expand_markers`)::

    VISIBLE(n)       any(pc IN n.purposes WHERE pc IN $visible)
                     AND coalesce(n.bewaren_tot, $today) >= $today
    VISIBLE(n, r)    the same for n and for r, AND-ed
    VISIBLE_PATH(p)  the same for every node and every relationship of path p

so a fact is visible when one of its sources' purpose classes is, and a fact past its
``bewaren_tot`` is absent. Nobody writes the predicate by hand; what "visible" means is
changed here. The store fills ``$visible`` from the scope of the current request or command
(a context variable, so threads and requests do not share it) and refuses to run such a
statement when no scope is set: access fails closed.

After the engine answers, the store also trims the provenance of every returned node and
relationship to the visible sources, and, when the scope asks for it (analysts under
``analyse``), replaces what identifies a person by a stable pseudonym. The security layer
(``graph_service.security``) decides the scope from role and purpose; this module only
carries it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from ..model import LOAD_ORDER, MATCHING_PROPERTIES, PURPOSE_CLASSES, SOURCES, label_of_uid

__all__ = [
    "Scope",
    "FULL",
    "VISIBLE_MARKER",
    "VISIBLE_PATH_MARKER",
    "MARKERS",
    "visible_predicate",
    "visible_path_predicate",
    "expand_markers",
    "current",
    "scope",
    "no_scope",
    "today",
    "filter_result",
    "pseudonym",
    "TOKEN_PREFIX",
    "person_token",
    "token_uid",
    "inward_uid",
    "inward_params",
]


@dataclass(frozen=True)
class Scope:
    """The purpose classes a request may see, and whether persons are pseudonymised."""

    visible: frozenset[str]
    pseudonymise: bool = False
    pseudonym_key: bytes = field(default=b"", repr=False)
    label: str = ""  # for messages and the audit trail, e.g. "analyst/analyse"

    def sources(self) -> set[str]:
        return {name for name, s in SOURCES.items() if s.purpose_class in self.visible}


FULL = Scope(visible=frozenset(PURPOSE_CLASSES), label="system")


def today() -> dt.date:
    """The day retention is judged on: a fact whose ``bewaren_tot`` lies before it is gone.

    The system date. The store passes it as ``$today`` to every statement that declares
    it; tests pin it (``monkeypatch.setattr(access, "today", ...)``) to read hand-made
    graphs of a fixed year as on a day of that year.
    """
    return dt.date.today()


# -- the access filter in Cypher: markers the registry expands ----------------------------------
#: ``VISIBLE(a, r, ...)``: these nodes and relationships are visible and not past bewaren_tot.
VISIBLE_MARKER = "VISIBLE"
#: ``VISIBLE_PATH(p, ...)``: so is every node and relationship of these paths.
VISIBLE_PATH_MARKER = "VISIBLE_PATH"
MARKERS = (VISIBLE_MARKER, VISIBLE_PATH_MARKER)


def visible_predicate(var: str) -> str:
    """The filter on one node or relationship variable: one of its purpose classes is
    visible (``$visible``) and its ``bewaren_tot``, when it has one, is not before
    ``$today``."""
    return (f"any(pc IN {var}.purposes WHERE pc IN $visible) "
            f"AND coalesce({var}.bewaren_tot, $today) >= $today")


def visible_path_predicate(path: str) -> str:
    """The filter on a path variable: every node and every relationship on it passes
    :func:`visible_predicate` (the elements of variable-length parts included)."""
    return (f"all(vn IN nodes({path}) WHERE {visible_predicate('vn')}) "
            f"AND all(vr IN relationships({path}) WHERE {visible_predicate('vr')})")


_EXPAND = {VISIBLE_MARKER: visible_predicate, VISIBLE_PATH_MARKER: visible_path_predicate}
_MARKER = re.compile(r"\b(VISIBLE_PATH|VISIBLE)\(\s*([A-Za-z_][A-Za-z0-9_]*"
                     r"(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*\)")
# string literals and comments, which are copied as they are
_VERBATIM = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*|/\*.*?\*/", re.S)


def _expand(code: str) -> str:
    def one(m: re.Match[str]) -> str:
        names = [n.strip() for n in m.group(2).split(",")]
        return "(" + " AND ".join(_EXPAND[m.group(1)](n) for n in names) + ")"
    return _MARKER.sub(one, code)


def expand_markers(text: str) -> str:
    """``text`` with every ``VISIBLE(...)`` and ``VISIBLE_PATH(...)`` replaced by its
    predicate, in parentheses; string literals and comments are left alone.

    The registry calls it after :mod:`.visibility` checked that the markers cover every
    pattern variable of the statement; the engines never see a marker (and would refuse
    one as an unknown function, so a statement that escaped expansion fails closed).
    """
    out: list[str] = []
    pos = 0
    for m in _VERBATIM.finditer(text):
        out += [_expand(text[pos:m.start()]), m.group(0)]
        pos = m.end()
    out.append(_expand(text[pos:]))
    return "".join(out)


_current: ContextVar[Scope | None] = ContextVar("ondergraaf_scope", default=None)


def current() -> Scope | None:
    """The scope of the running request or command, if one was set."""
    return _current.get()


@contextmanager
def scope(s: Scope) -> Iterator[Scope]:
    """Run the block under scope ``s`` (nested scopes restore the outer one)."""
    token = _current.set(s)
    try:
        yield s
    finally:
        _current.reset(token)


@contextmanager
def no_scope() -> Iterator[None]:
    """Run the block without a scope, whatever the caller had: reads of facts are refused."""
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)


# Person data blanked under pseudonymisation (the matching keys are stripped for everyone).
_PERSON_FIELDS = ("voornamen", "voorvoegsel", "geslachtsnaam", "geboortedatum", "nationaliteit")


def pseudonym(uid: str, key: bytes) -> str:
    """A stable pseudonym for a person uid (keyed, so it cannot be reversed by guessing)."""
    digest = hmac.new(key, uid.encode(), hashlib.sha256).hexdigest()[:8].upper()
    return f"Persoon {digest}"


# -- person tokens: the uid a pseudonymised reader sees, and gives back ---------------------
#: Under pseudonymisation every person uid that leaves the store is a token
#: ``pseudo:<base32>``: the uid encrypted deterministically (AES-SIV) under a key derived
#: from the scope's pseudonym key. The same person gives the same token in every answer, so
#: a reader can follow it (a link, a from/to, a second request); only the service can turn
#: it back (:func:`token_uid`), and a token made up or changed is refused (not found).
TOKEN_PREFIX = "pseudo:"  # noqa: S105 - a prefix, not a secret
_TOKEN_CONTEXT = b"ondergraaf person token v1"


@functools.lru_cache(maxsize=8)
def _siv(key: bytes) -> AESSIV:
    derived = b"".join(hmac.new(key, _TOKEN_CONTEXT + bytes([i]), hashlib.sha256).digest()
                       for i in (1, 2))
    return AESSIV(derived)  # 64 bytes: AES-256-SIV


def _is_person(value: object) -> bool:
    return isinstance(value, str) and label_of_uid(value) == "Person"


def person_token(uid: str, key: bytes) -> str:
    """The token of person ``uid`` under pseudonym key ``key`` (deterministic)."""
    sealed = _siv(key).encrypt(uid.encode("utf-8"), [_TOKEN_CONTEXT])
    return TOKEN_PREFIX + base64.b32encode(sealed).decode("ascii").rstrip("=").lower()


def token_uid(token: str, key: bytes) -> str | None:
    """The person uid a token stands for under ``key``; None for anything else (another
    key, a changed or made-up token, a token of something that is not a person)."""
    if not token.startswith(TOKEN_PREFIX) or not key:
        return None
    body = token[len(TOKEN_PREFIX):].upper()
    try:
        sealed = base64.b32decode(body + "=" * (-len(body) % 8))
        uid = _siv(key).decrypt(sealed, [_TOKEN_CONTEXT]).decode("utf-8")
    except (binascii.Error, ValueError, InvalidTag, UnicodeDecodeError):
        return None
    return uid if _is_person(uid) else None


def inward_uid(text: str, s: Scope | None) -> str | None:
    """A uid a reader gave, as the store knows it; None when it names nothing the reader
    may name. Under pseudonymisation a person is named by its token only (a real person
    uid is refused: the reader never saw one); without it, a token is refused (tokens
    belong to pseudonymised answers). Every other uid is taken as given."""
    if text.startswith(TOKEN_PREFIX):
        return token_uid(text, s.pseudonym_key) if s is not None and s.pseudonymise else None
    if s is not None and s.pseudonymise and _is_person(text):
        return None
    return text


def _inward(value: Any, key: bytes) -> Any:
    if isinstance(value, str) and value.startswith(TOKEN_PREFIX):
        return token_uid(value, key) or value  # a bad token stays itself: it matches nothing
    if isinstance(value, list | tuple):
        return [_inward(v, key) for v in value]
    if isinstance(value, dict):
        return {k: _inward(v, key) for k, v in value.items()}
    return value


def inward_params(params: dict[str, Any], s: Scope | None) -> dict[str, Any]:
    """``params`` of a read with every person token turned back into its uid, when ``s``
    pseudonymises (the store calls it on every read, so a token from one answer can be
    given to any query, route or command); unchanged otherwise."""
    if s is None or not s.pseudonymise:
        return params
    return {k: _inward(v, s.pseudonym_key) for k, v in params.items()}


#: Provenance kept per source on every node and relationship the loaders write
#: (``cypher/templates/``; docs/graph-model.md, "Provenance per source"): read here, never
#: shown.
_PER_SOURCE = ("prov_seen", "prov_grades", "prov_props", "prov_values")
#: Per-source bookkeeping of the load runs (loaders.runs): the run that last saw the fact
#: and the sources whose full extract no longer holds it. Never shown.
_RUN_FIELDS = ("prov_run", "prov_gone")
_LOAD_RANK = {name: i for i, name in enumerate(LOAD_ORDER)}


def _per_source(d: dict[str, Any], visible_sources: set[str]) -> None:
    """Recompute ``grades``, ``first_seen``, ``last_seen`` and the properties of a node or
    relationship from its visible sources only, so what a scope reads does not depend on
    what it may not see. When a hidden source contributed, a property no visible source
    supplied is absent and every other one shows the value of the visible supplier seen
    last (a tie: the one later in the load order), as a graph without the hidden source
    holds it. Without per-source fields (written before them), the aggregates are hidden
    when a hidden source contributed."""
    for f in _RUN_FIELDS:
        d.pop(f, None)
    seen, grades, supplied, values = (d.pop(f, None) for f in _PER_SOURCE)
    # a row of columns of one entity carries its sources as prov_sources (not shown)
    sources = d.pop("prov_sources") if "prov_sources" in d else d.get("sources")
    if not isinstance(sources, list):
        return
    hidden = any(x not in visible_sources for x in sources)
    whole = "_labels" in d or "_type" in d  # a node or relationship, not a row of columns
    if not isinstance(seen, list):
        if hidden:
            for key, empty in (("grades", []), ("first_seen", None), ("last_seen", None)):
                if whole or key in d:
                    d[key] = empty
        return
    last: dict[str, str] = {}
    firsts: list[str] = []
    for e in seen:
        parts = str(e).split("|", 2)
        if len(parts) == 3 and parts[0] in visible_sources:
            firsts.append(parts[1])
            last[parts[0]] = parts[2]
    if whole or "first_seen" in d:
        d["first_seen"] = min(firsts, default=None)
    if whole or "last_seen" in d:
        d["last_seen"] = max(last.values(), default=None)
    if whole or "grades" in d:
        shown: list[str] = []
        for e in grades if isinstance(grades, list) else []:
            src, _, grade = str(e).partition(":")
            if src in visible_sources and grade not in shown:
                shown.append(grade)
        d["grades"] = shown
    if not isinstance(supplied, list):
        return
    # what each source supplied: the properties prov_values names with their values, and
    # those prov_props names (the matching keys; before schema version 4, all of them)
    own: dict[tuple[str, str], str] = {}
    by_key: dict[str, list[str]] = {}
    for e in values if isinstance(values, list) else []:
        parts = str(e).split("|", 2)
        if len(parts) == 3:
            own[(parts[0], parts[1])] = parts[2]
            by_key.setdefault(parts[1], []).append(parts[0])
    for e in supplied:
        src, _, key = str(e).partition("|")
        if (src, key) not in own:
            by_key.setdefault(key, []).append(src)
    if not hidden and all(x in visible_sources for srcs in by_key.values() for x in srcs):
        return  # only visible sources wrote it: the stored values are theirs
    for key, srcs in by_key.items():
        visible = [x for x in srcs if x in visible_sources]
        if not visible:
            if not whole:
                if key in d:
                    d[key] = None  # a column of a property the entity lacks
                continue
            d.pop(key, None)
            if key == "name" and "_labels" in d and "uid" in d:
                d["name"] = d["uid"]  # as a node without a name reads
            continue
        pick = max(visible, key=lambda x: (last.get(x, ""), _LOAD_RANK.get(x, -1)))
        if (pick, key) in own and (whole or key in d):
            d[key] = json.loads(own[(pick, key)])


def _trim(d: dict[str, Any], s: Scope, visible_sources: set[str]) -> None:
    _per_source(d, visible_sources)
    if isinstance(d.get("sources"), list):
        d["sources"] = [x for x in d["sources"] if x in visible_sources]
    if isinstance(d.get("source_records"), list):
        d["source_records"] = [
            x for x in d["source_records"] if str(x).split(":", 1)[0] in visible_sources
        ]
    if isinstance(d.get("purposes"), list):
        d["purposes"] = [x for x in d["purposes"] if x in s.visible]
    for f in MATCHING_PROPERTIES:
        d.pop(f, None)
    uid = d.get("uid")
    if s.pseudonymise and isinstance(uid, str) and label_of_uid(uid) == "Person":
        for f in _PERSON_FIELDS:
            if f in d:
                d[f] = None
        if "name" in d:
            d["name"] = pseudonym(uid, s.pseudonym_key)
        d["pseudonym"] = True


def filter_result(value: Any, s: Scope) -> Any:
    """Trim provenance to the visible sources and pseudonymise persons, in place: under
    pseudonymisation every person uid in the answer (a node's uid, a from/to, an item of
    a list) becomes its token (:func:`person_token`)."""
    visible_sources = s.sources()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            _trim(item, s, visible_sources)
            if s.pseudonymise:  # after _trim, which pseudonymises the person by its uid
                for k, v in item.items():
                    if _is_person(v):
                        item[k] = person_token(v, s.pseudonym_key)
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            if s.pseudonymise:
                for i, v in enumerate(item):
                    if _is_person(v):
                        item[i] = person_token(v, s.pseudonym_key)
            stack.extend(v for v in item if isinstance(v, dict | list))
    return value
