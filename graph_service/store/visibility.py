"""The visibility check of the registry: markers cover every pattern variable of a
``visible`` statement.

A read statement that declares ``visible: list`` filters what it matches with the markers
of :mod:`.access` (``VISIBLE(n, r)``, ``VISIBLE_PATH(p)``), which the registry expands into
the access predicate. :func:`check_markers` reads the statement before expansion and
refuses it (:class:`~graph_service.errors.RegistryError`, naming the file, the line and the
variable) when

* a node, relationship or path variable that a pattern binds is not covered by a marker:
  patterns of ``MATCH`` / ``OPTIONAL MATCH``, of pattern comprehensions
  (``[(a)-[r]->(b) WHERE ... | b]``) and of ``EXISTS { }`` / ``COUNT { }`` / ``COLLECT { }``
  subqueries, and what a procedure ``YIELD`` s. ``VISIBLE_PATH(p)`` covers ``p`` and the
  elements of its pattern (an anchor bound by an earlier ``MATCH`` included); a path whose
  elements are all named and covered is covered too;
* a marker sits where it filters nothing for a variable: the ``WHERE`` of an ``OPTIONAL
  MATCH`` filters only what that ``OPTIONAL MATCH`` binds; a ``CASE WHEN`` (``collect(CASE
  WHEN ... AND VISIBLE(o) THEN o END)``) only guards variables an ``OPTIONAL MATCH`` bound;
  a pattern comprehension or subquery filters only its own variables;
* a pattern holds an anonymous node or relationship (``()``, ``-->``, ``[:TYPE]``) outside a
  named path: it could match a hidden fact that no marker reaches. Name it and cover it, or
  name the path and cover the path; inside a path covered by ``VISIBLE_PATH`` an anonymous
  element is fine (``p = (a)<-[:UNIT_OF*0..1]-(u)``);
* ``VISIBLE`` names a path or a variable-length relationship (``[r*1..3]``, a list: cover
  its path with ``VISIBLE_PATH``), or ``VISIBLE_PATH`` names a node or relationship;
* a pattern stands in an expression as a predicate (``WHERE NOT (a)-[:X]->(b)``): it tests
  for facts that may be hidden. Use a pattern comprehension or ``EXISTS { }`` with markers;
* a marker is not a filter: it must be one of the AND-ed conditions of the ``WHERE`` of a
  clause, a pattern comprehension or a subquery, or of a ``CASE WHEN``; never under ``OR``,
  ``XOR`` or ``NOT``, inside parentheses, compared, or returned as a value;
* a marker is not spelled in capitals, or the statement reads ``x.purposes`` (what the
  filter reads) by hand;
* the statement holds Cypher the check does not read, or a write clause (it fails closed).

Variables are followed through the clauses as Cypher scopes them: ``WITH`` and ``RETURN``
keep what they project (a bare name keeps its binding, ``x AS y`` of a bare name renames
it), ``UNWIND ... AS x`` binds a value, not a fact; a ``CALL { }`` subquery imports what
its first ``WITH`` names and hands out what it returns (over all its ``UNION`` branches). A
name in a pattern that is in scope refers to that binding; otherwise the pattern binds it
anew, so a name reused after a ``WITH`` dropped it needs its own marker.

The tokenizer and parser are small and made for the statements of this project, not for
arbitrary Cypher; what they do not read they refuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import RegistryError
from .access import MARKERS, VISIBLE_MARKER, VISIBLE_PATH_MARKER

__all__ = ["check_markers", "uses_markers", "tokenize", "Token"]

_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<comment>//[^\n]*|/\*.*?\*/)"
    r"|(?P<string>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
    r"|(?P<name>`[^`]*`|[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<param>\$[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<op>\.\.|<=|>=|<>|=~|.)",
    re.S,
)
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}
CLAUSES = frozenset({
    "MATCH", "OPTIONAL", "WHERE", "WITH", "RETURN", "UNWIND", "CALL", "YIELD", "UNION",
    "ORDER", "SKIP", "LIMIT", "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE",
    "FOREACH", "LOAD", "USE", "SHOW", "FINISH",
})
#: the clauses a visible read may hold; the others the check does not read
READ_CLAUSES = frozenset({"MATCH", "WHERE", "WITH", "RETURN", "UNWIND", "CALL", "YIELD",
                          "ORDER", "SKIP", "LIMIT"})
_SHORTEST = frozenset({"SHORTESTPATH", "ALLSHORTESTPATHS"})
_SUBQUERIES = frozenset({"EXISTS", "COUNT", "COLLECT"})
_AND_ED = "a marker is one of the AND-ed conditions of a WHERE or of a CASE WHEN"


@dataclass(frozen=True)
class Token:
    kind: str  # name, param, number, string, op
    text: str
    pos: int  # offset in the statement text
    line: int  # line number in the file

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "name" else ""


def tokenize(text: str, first_line: int = 1) -> list[Token]:
    """The tokens of ``text`` without whitespace and comments (a string is one token);
    ``first_line`` is the line number of the text's first line."""
    tokens: list[Token] = []
    line = first_line
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "op"
        if kind not in ("ws", "comment"):
            tokens.append(Token(kind, m.group(0), m.start(), line))
        line += m.group(0).count("\n")
    return tokens


@dataclass(eq=False)
class _Binding:
    """One variable that a pattern (or a YIELD) binds."""

    name: str
    kind: str  # node, relationship, path, variable-length relationship, yielded variable
    line: int
    frame: int  # the query (0), pattern comprehension or subquery it belongs to
    clause: int  # the token index of the clause (or comprehension) that bound it
    optional: bool  # bound by an OPTIONAL MATCH
    members: list[_Binding] = field(default_factory=list)  # a path's named elements
    anonymous: bool = False  # a path with an anonymous or variable-length element
    covered: bool = False

    def is_covered(self) -> bool:
        """Covered by a marker; a path also when every element is named and covered."""
        return self.covered or (self.kind == "path" and not self.anonymous
                                and all(m.is_covered() for m in self.members))


@dataclass(frozen=True)
class _Context:
    """What a marker in an expression can filter: the WHERE (token index) whose conditions
    filter rows here, and the OPTIONAL MATCH (clause index) it belongs to, if any."""

    frame: int
    where: int | None = None
    optional: int | None = None


Scope = dict[str, list[_Binding]]  # name -> the bindings it may stand for ([] = a value)


class _Checker:
    def __init__(self, name: str, text: str, first_line: int) -> None:
        self.name = name
        self.text = text
        self.tok = tokenize(text, first_line)
        self.bindings: list[_Binding] = []
        self.frames = 0
        self.match = self._pairs()

    # -- tokens -----------------------------------------------------------------------------
    def fail(self, at: int, message: str) -> RegistryError:
        at = min(max(at, 0), len(self.tok) - 1)
        line = self.tok[at].line if self.tok else 1
        return RegistryError(f"{self.name}, line {line}: {message}")

    def snippet(self, i: int, j: int) -> str:
        i, j = max(i, 0), min(j, len(self.tok))
        if i >= j:
            return ""
        text = self.text[self.tok[i].pos: self.tok[j - 1].pos + len(self.tok[j - 1].text)]
        return " ".join(text.split())[:120]

    def _pairs(self) -> dict[int, int]:
        """Matching brackets, and CASE ... END, both ways."""
        pairs: dict[int, int] = {}
        stack: list[int] = []
        for i, t in enumerate(self.tok):
            if t.kind != "op":
                continue
            if t.text in _OPEN:
                stack.append(i)
            elif t.text in _CLOSE:
                if not stack or self.tok[stack[-1]].text != _CLOSE[t.text]:
                    raise self.fail(i, f"unbalanced {t.text!r}")
                j = stack.pop()
                pairs[i], pairs[j] = j, i
        if stack:
            raise self.fail(stack[-1], f"unbalanced {self.tok[stack[-1]].text!r}")
        for i in range(len(self.tok)):
            if self.kw(i, "CASE"):
                depth = 0
                for j in range(i + 1, len(self.tok)):
                    if self.kw(j, "CASE"):
                        depth += 1
                    elif self.kw(j, "END"):
                        if depth == 0:
                            pairs[i], pairs[j] = j, i
                            break
                        depth -= 1
        return pairs

    def keyword(self, i: int) -> bool:
        """Whether the name at ``i`` is a keyword here, not a property, label or map key."""
        t = self.tok[i]
        if t.kind != "name" or t.text.startswith("`"):
            return False
        if i > 0 and self.tok[i - 1].text in (".", ":"):
            return False
        return not (i + 1 < len(self.tok) and self.tok[i + 1].text == ":")

    def kw(self, i: int, *words: str) -> bool:
        return 0 <= i < len(self.tok) and self.tok[i].upper in words and self.keyword(i)

    def is_op(self, i: int, *ops: str) -> bool:
        return 0 <= i < len(self.tok) and self.tok[i].kind == "op" and self.tok[i].text in ops

    def clause_word(self, i: int) -> bool:
        return self.tok[i].upper in CLAUSES and self.keyword(i)

    def skip(self, i: int) -> int:
        """The index after the group that opens at ``i`` (a bracket or CASE), else i + 1."""
        if (self.is_op(i, *_OPEN) or self.kw(i, "CASE")) and i in self.match:
            return self.match[i] + 1
        return i + 1

    def split(self, i: int, j: int, sep: str) -> Iterator[tuple[int, int]]:
        """The parts of ``[i, j)`` between separators at depth 0 (``,`` or UNION)."""
        start = k = i
        while k < j:
            if (sep == "," and self.is_op(k, ",")) or (sep == "UNION" and self.kw(k, "UNION")):
                yield start, k
                k += 2 if sep == "UNION" and self.kw(k + 1, "ALL") else 1
                start = k
                continue
            k = self.skip(k)
        yield start, j

    def clauses(self, i: int, j: int) -> list[tuple[str, int, int, int, bool]]:
        """``(keyword, its index, start of the body, end, optional)`` per clause."""
        if i < j and not self.clause_word(i):
            raise self.fail(i, f"expected a clause, found {self.tok[i].text!r}")
        starts: list[int] = []
        k = i
        while k < j:
            if self.clause_word(k) and not (
                    self.kw(k, "MATCH") and starts and starts[-1] == k - 1
                    and self.kw(k - 1, "OPTIONAL")):
                starts.append(k)
            k = self.skip(k)
        out = []
        for n, s in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else j
            word, body, optional = self.tok[s].upper, s + 1, False
            if word == "OPTIONAL":
                if not self.kw(body, "MATCH"):
                    raise self.fail(s, "OPTIONAL without MATCH")
                word, body, optional = "MATCH", body + 1, True
            elif word == "ORDER" and self.kw(body, "BY"):
                body += 1
            out.append((word, s, body, end, optional))
        return out

    # -- queries ----------------------------------------------------------------------------
    def query(self, i: int, j: int, scope: Scope, frame: int,
              outer: Scope | None = None) -> Scope:
        """Walk a query (each UNION branch); the names it returns, with their bindings."""
        returned: Scope = {}
        for a, b in self.split(i, j, "UNION"):
            for name, bound in self.single(a, b, dict(scope), frame, outer).items():
                returned.setdefault(name, []).extend(bound)
        return returned

    def single(self, i: int, j: int, scope: Scope, frame: int, outer: Scope | None) -> Scope:
        returned: Scope = {}
        plain = _Context(frame)
        previous: tuple[str, int, bool] = ("", -1, False)
        for n, (word, at, a, b, optional) in enumerate(self.clauses(i, j)):
            if word not in READ_CLAUSES:
                raise self.fail(at, f"{word} in a visible read statement")
            if word == "MATCH":
                self.patterns(a, b, scope, frame, at, optional)
            elif word == "WHERE":
                after_optional = previous[0] == "MATCH" and previous[2]
                self.expr(a, b, scope, _Context(frame, at, previous[1] if after_optional
                                                else None))
            elif word in ("ORDER", "SKIP", "LIMIT"):
                self.expr(a, b, scope, plain)
            elif word == "WITH":
                source = outer if (n == 0 and outer is not None) else scope
                scope = self.project(a, b, source, plain)
            elif word == "RETURN":
                returned = self.project(a, b, scope, plain)
            elif word == "UNWIND":
                if not (b - a >= 3 and self.kw(b - 2, "AS") and self.tok[b - 1].kind == "name"):
                    raise self.fail(at, "UNWIND without AS")
                self.expr(a, b - 2, scope, plain)
                scope[self.tok[b - 1].text] = []
            elif word == "CALL":
                if self.is_op(a, "{"):
                    close = self.match[a]
                    if close + 1 != b:
                        raise self.fail(close + 1, "unexpected text after CALL { }")
                    scope.update(self.query(a + 1, close, {}, frame, outer=scope))
                else:
                    self.expr(a, b, scope, plain)  # a procedure and its arguments
            elif word == "YIELD":
                self.yielded(a, b, scope, frame, at)
            previous = (word, at, optional)
        return returned

    def project(self, i: int, j: int, scope: Scope, ctx: _Context) -> Scope:
        """The scope after the WITH or RETURN items in ``[i, j)`` (their markers checked)."""
        if self.kw(i, "DISTINCT"):
            i += 1
        new: Scope = {}
        for a, b in self.split(i, j, ","):
            if b - a == 1 and self.is_op(a, "*"):
                new.update(scope)
            elif b - a >= 3 and self.kw(b - 2, "AS"):
                self.expr(a, b - 2, scope, ctx)
                bare = b - 2 - a == 1 and self.tok[a].kind == "name"
                new[self.tok[b - 1].text] = list(scope.get(self.tok[a].text, [])) if bare \
                    else []
            elif b - a == 1 and self.tok[a].kind == "name":
                new[self.tok[a].text] = scope.get(self.tok[a].text, [])
            else:
                self.expr(a, b, scope, ctx)
        return new

    def yielded(self, i: int, j: int, scope: Scope, frame: int, at: int) -> None:
        for a, b in self.split(i, j, ","):
            if b - a == 1 and self.tok[a].kind == "name":
                name = self.tok[a].text
            elif b - a == 3 and self.kw(a + 1, "AS") and self.tok[b - 1].kind == "name":
                name = self.tok[b - 1].text
            else:
                raise self.fail(a, f"YIELD item not understood: `{self.snippet(a, b)}`")
            bound = _Binding(name, "yielded variable", self.tok[a].line, frame, at, False)
            self.bindings.append(bound)
            scope[name] = [bound]

    # -- patterns ---------------------------------------------------------------------------
    def patterns(self, i: int, j: int, scope: Scope, frame: int, clause: int,
                 optional: bool) -> None:
        """A comma-separated list of path patterns, each maybe ``p = ...``."""
        for a, b in self.split(i, j, ","):
            self.pattern(a, b, scope, frame, clause, optional)

    def pattern(self, a: int, b: int, scope: Scope, frame: int, clause: int,
                optional: bool) -> None:
        start = a
        path = None
        if b - a > 2 and self.tok[a].kind == "name" and self.is_op(a + 1, "="):
            path, a = self.tok[a].text, a + 2
        if self.tok[a].upper in _SHORTEST and self.is_op(a + 1, "("):
            close = self.match[a + 1]
            if close + 1 != b:
                raise self.fail(close, "unexpected text after a shortest-path pattern")
            a, b = a + 2, close
        new = (frame, clause, optional)
        elements, anonymous = self.chain(a, b, scope, new)
        if path is None:
            if anonymous is not None:
                kind, at = anonymous
                raise self.fail(at, f"anonymous {kind} in `{self.snippet(start, b)}`: in a "
                                    "visible statement every node and relationship is named "
                                    "and covered by VISIBLE(...), or lies in a named path "
                                    "covered by VISIBLE_PATH(...)")
            return
        if path in scope:
            raise self.fail(start, f"path {path!r} is bound twice")
        bound = _Binding(path, "path", self.tok[start].line, frame, clause, optional,
                         members=elements, anonymous=anonymous is not None or any(
                             m.kind == "variable-length relationship" for m in elements))
        self.bindings.append(bound)
        scope[path] = [bound]

    def chain(self, a: int, b: int, scope: Scope, new: tuple[int, int, bool]
              ) -> tuple[list[_Binding], tuple[str, int] | None]:
        """The elements of ``(n)-[r]->(m)...`` in ``[a, b)``: their bindings, and the first
        anonymous element (kind, token index) if there is one."""
        elements: list[_Binding] = []
        anonymous: tuple[str, int] | None = None
        k = a
        node = True
        while k < b:
            if node:
                if not self.is_op(k, "("):
                    raise self.fail(k, f"pattern not understood: `{self.snippet(a, b)}`")
                close = self.match[k]
                found = self.element(k + 1, close, "node", scope, new)
                at, k = k, close + 1
            else:
                at = k
                k, found = self.relationship(k, a, b, scope, new)
            if found is None:
                anonymous = anonymous or ("node" if node else "relationship", at)
            else:
                elements += found
            node = not node
        if node:
            raise self.fail(b - 1, f"pattern not understood: `{self.snippet(a, b)}`")
        return elements, anonymous

    def relationship(self, k: int, a: int, b: int, scope: Scope, new: tuple[int, int, bool]
                     ) -> tuple[int, list[_Binding] | None]:
        """``-[r]->``, ``<-[r]-``, ``--``, ``-->``, ``<--`` at ``k``: the index after it and
        the relationship's bindings (None when anonymous)."""
        unknown = self.fail(k, f"pattern not understood: `{self.snippet(a, b)}`")
        if self.is_op(k, "<"):
            k += 1
        if not self.is_op(k, "-"):
            raise unknown
        k += 1
        found = None
        if self.is_op(k, "["):
            close = self.match[k]
            found = self.element(k + 1, close, "relationship", scope, new)
            k = close + 1
        if not self.is_op(k, "-"):
            raise unknown
        k += 1
        if self.is_op(k, ">"):
            k += 1
        return k, found

    def element(self, i: int, j: int, kind: str, scope: Scope, new: tuple[int, int, bool]
                ) -> list[_Binding] | None:
        """The node or relationship inside ``( )`` / ``[ ]``: None when anonymous, else
        its bindings (new, or those of the name in scope)."""
        if any(self.kw(k, "WHERE") for k in range(i, j)):
            raise self.fail(i, "a WHERE inside a pattern element: put it in the clause")
        if i >= j or self.tok[i].kind != "name":
            return None
        name = self.tok[i].text
        if name in scope:
            return scope[name]
        k, variable = i, False
        while k < j:
            variable = variable or self.is_op(k, "*")
            k = self.skip(k)  # a property map is one group
        bound = _Binding(name, "variable-length relationship" if variable else kind,
                         self.tok[i].line, *new)
        self.bindings.append(bound)
        scope[name] = [bound]
        return [bound]

    # -- expressions ------------------------------------------------------------------------
    def expr(self, i: int, j: int, scope: Scope, ctx: _Context) -> None:
        """Markers, pattern comprehensions, subqueries and pattern predicates in ``[i, j)``."""
        k = i
        while k < j:
            t = self.tok[k]
            if t.kind == "name" and t.upper in MARKERS and self.is_op(k + 1, "("):
                if t.text not in MARKERS:
                    raise self.fail(k, f"write the marker {t.text} in capitals: "
                                       f"{t.text.upper()}(...)")
                close = self.match[k + 1]
                self.marker(k, close, scope, ctx)
                k = close + 1
            elif t.kind == "name" and t.upper in _SUBQUERIES and self.is_op(k + 1, "{"):
                close = self.match[k + 1]
                self.subquery(k + 2, close, scope)
                k = close + 1
            elif self.is_op(k, "[") and self.comprehension(k):
                self.pattern_comprehension(k + 1, self.match[k], scope)
                k = self.match[k] + 1
            elif self.is_op(k, ")") and self.starts_relationship(k + 1):
                raise self.fail(k, f"a pattern used as a predicate: `"
                                   f"{self.snippet(self.match[k], k + 6)}...` tests for facts "
                                   "that may be hidden; use a pattern comprehension or "
                                   "EXISTS { MATCH ... WHERE VISIBLE(...) }")
            else:
                k += 1

    def starts_relationship(self, k: int) -> bool:
        if self.is_op(k, "<"):
            k += 1
        return self.is_op(k, "-") and self.is_op(k + 1, "-", "[")

    def comprehension(self, k: int) -> bool:
        """Whether the ``[`` at ``k`` opens a pattern comprehension."""
        first = k + 1
        if self.tok[first].kind == "name" and self.is_op(first + 1, "="):
            first += 2
        return self.is_op(first, "(") and self.starts_relationship(self.match[first] + 1)

    def new_frame(self) -> int:
        self.frames += 1
        return self.frames

    def pattern_comprehension(self, i: int, j: int, scope: Scope) -> None:
        frame, local = self.new_frame(), dict(scope)
        end = i
        while end < j and not (self.kw(end, "WHERE") or self.is_op(end, "|")):
            end = self.skip(end)
        self.pattern(i, end, local, frame, i, False)
        where = end if self.kw(end, "WHERE") else None
        self.expr(end + 1, j, local, _Context(frame, where))

    def subquery(self, i: int, j: int, scope: Scope) -> None:
        """``EXISTS { ... }``, ``COUNT { ... }``, ``COLLECT { ... }``: a query, or a
        pattern with a WHERE; its markers filter only its own variables."""
        frame, local = self.new_frame(), dict(scope)
        if i < j and self.clause_word(i):
            self.query(i, j, local, frame)
            return
        end = i
        while end < j and not self.kw(end, "WHERE"):
            end = self.skip(end)
        self.patterns(i, end, local, frame, i, False)
        self.expr(end + 1, j, local, _Context(frame, end))

    def marker(self, k: int, close: int, scope: Scope, ctx: _Context) -> None:
        word = self.tok[k].text
        names = [t for t in self.tok[k + 2: close] if not (t.kind == "op" and t.text == ",")]
        if not names or any(t.kind != "name" for t in names):
            raise self.fail(k, f"{word}(...) takes variable names: "
                               f"`{self.snippet(k, close + 1)}`")
        guard = self.filter_position(k, close, ctx)
        for t in names:
            for bound in scope.get(t.text, []):
                if word == VISIBLE_MARKER and bound.kind in (
                        "path", "variable-length relationship"):
                    raise self.fail(k, f"{t.text} is a {bound.kind}: write "
                                       f"{VISIBLE_PATH_MARKER}(path) for its path")
                if word == VISIBLE_PATH_MARKER and bound.kind != "path":
                    raise self.fail(k, f"{t.text} is a {bound.kind}, not a path: write "
                                       f"{VISIBLE_MARKER}({t.text})")
                refused = self.filters_not(bound, guard, ctx)
                if refused:
                    raise self.fail(k, f"{word}({t.text}) does not filter {t.text}: it "
                                       f"{refused}")
                bound.covered = True
                for member in bound.members:
                    if not self.filters_not(member, guard, ctx):
                        member.covered = True

    @staticmethod
    def filters_not(bound: _Binding, guard: bool, ctx: _Context) -> str | None:
        """Why a marker in ``ctx`` (a CASE WHEN when ``guard``) does not filter ``bound``."""
        if bound.frame != ctx.frame:
            return ("is bound outside the pattern comprehension or subquery the marker is "
                    "in; filter it where it is bound")
        if guard:
            return None if bound.optional else (
                "is bound by a MATCH, whose rows a CASE WHEN does not filter; filter it in "
                "the WHERE of its MATCH")
        if ctx.optional is not None and bound.clause != ctx.optional:
            return ("is bound before this OPTIONAL MATCH, whose WHERE filters only what it "
                    "binds; filter it where it is bound")
        return None

    def filter_position(self, k: int, close: int, ctx: _Context) -> bool:
        """Check that the marker at ``k`` is one of the AND-ed conditions of the WHERE that
        filters rows in ``ctx``, or of a CASE WHEN; True for a CASE WHEN."""
        where = f"`{self.snippet(k - 3, close + 2)}`"
        under_or = f"{_AND_ED}, never under OR: {where}"
        inside = f"{_AND_ED}, not inside parentheses: {where}"
        if self.kw(k - 1, "OR", "XOR") or self.kw(close + 1, "OR", "XOR"):
            raise self.fail(k, under_or)
        if self.is_op(k - 1, "("):
            raise self.fail(k, inside)
        if not self.kw(k - 1, "WHERE", "WHEN", "AND"):
            raise self.fail(k, f"{_AND_ED}, not a value or a negation: {where}")
        m = k - 1
        while not self.kw(m, "WHERE", "WHEN"):
            if m < 0:
                raise self.fail(k, f"a marker outside a WHERE or CASE WHEN: {where}")
            if self.kw(m, "OR", "XOR"):
                raise self.fail(k, under_or)
            if self.is_op(m, *_OPEN) or self.kw(m, "CASE"):
                raise self.fail(k, inside)
            if (self.is_op(m, *_CLOSE) or self.kw(m, "END")) and m in self.match:
                m = self.match[m]
            m -= 1
        guard = self.kw(m, "WHEN")
        if not guard and m != ctx.where:
            raise self.fail(k, "a marker in the WHERE of a list comprehension or quantifier "
                               f"filters no rows: put it in the WHERE of the clause: {where}")
        m = close + 1
        if m < len(self.tok) and not (self.kw(m, "AND", "THEN") or self.ends(m)):
            raise self.fail(k, f"{_AND_ED}, not part of a comparison: {where}")
        while m < len(self.tok) and not (self.kw(m, "THEN") or self.ends(m)):
            if self.kw(m, "OR", "XOR"):
                raise self.fail(k, under_or)
            m = self.skip(m)
        return guard

    def ends(self, m: int) -> bool:
        """Whether a condition ends at ``m``: a closing bracket, ``|`` or a clause."""
        return self.is_op(m, *_CLOSE) or self.is_op(m, "|") or self.clause_word(m)

    # -- the whole statement ----------------------------------------------------------------
    def run(self) -> None:
        for i, t in enumerate(self.tok):
            if t.text == "purposes" and self.is_op(i - 1, "."):
                raise self.fail(i, f"reads {self.snippet(i - 2, i + 1)} by hand: the access "
                                   "filter is VISIBLE(...) or VISIBLE_PATH(...), which the "
                                   "registry expands")
        self.query(0, len(self.tok), {}, 0)
        for bound in self.bindings:
            if not bound.is_covered():
                if bound.kind in ("path", "variable-length relationship"):
                    hint = (f"add {VISIBLE_PATH_MARKER}({bound.name})" if bound.kind == "path"
                            else f"name its path and add {VISIBLE_PATH_MARKER}(path)")
                else:
                    hint = f"add {VISIBLE_MARKER}({bound.name})"
                raise RegistryError(f"{self.name}, line {bound.line}: {bound.kind} "
                                    f"{bound.name!r} is not covered by a marker: {hint}")


def check_markers(name: str, text: str, *, first_line: int = 1) -> None:
    """Refuse the ``visible`` read ``text`` unless markers cover every node, relationship
    and path variable its patterns bind (see the module doc). Messages start with ``name``
    (the file) and the line, counted from ``first_line`` for the text's first line."""
    _Checker(name, text, first_line).run()


def uses_markers(text: str) -> bool:
    """Whether ``text`` holds a marker (outside strings and comments), in any spelling."""
    tok = tokenize(text)
    return any(t.kind == "name" and t.upper in MARKERS and k + 1 < len(tok)
               and tok[k + 1].text == "(" for k, t in enumerate(tok))
