"""Visibility by construction: the markers of a ``visible`` statement, their expansion, and
the registry's check that they cover every node, relationship and path a pattern binds."""

from __future__ import annotations

import re

import pytest

from graph_service.errors import RegistryError
from graph_service.store import access
from graph_service.store.registry import build_registry, load_registry, shipped_files
from graph_service.store.visibility import check_markers, tokenize

HEADER = "// description: d\n// mode: read\n// params: uid: str, visible: list, today: str\n"
PREDICATE = ("any(pc IN n.purposes WHERE pc IN $visible) "
             "AND coalesce(n.bewaren_tot, $today) >= $today")


def load(body: str, name: str = "read/crafted") -> str:
    """The engine text of ``body`` as a visible read statement (raises RegistryError)."""
    return build_registry({f"{name}.cypher": HEADER + body}).get(name).text


# -- the expansion: one definition, the same predicate as before ------------------------------
def test_a_marker_expands_into_the_access_predicate() -> None:
    assert access.visible_predicate("n") == PREDICATE
    text = load("MATCH (n:Entity {uid: $uid}) WHERE VISIBLE(n) RETURN n")
    assert text == f"MATCH (n:Entity {{uid: $uid}}) WHERE ({PREDICATE}) RETURN n"


def test_several_variables_and_a_path() -> None:
    text = load("MATCH p = (n:Entity {uid: $uid})-[:X*1..2]-(m) WHERE VISIBLE_PATH(p) "
                "RETURN p")
    vn, vr = access.visible_predicate("vn"), access.visible_predicate("vr")
    assert f"(all(vn IN nodes(p) WHERE {vn}) AND all(vr IN relationships(p) WHERE {vr}))" \
        in text
    text = load("MATCH (n {uid: $uid})-[r]-(m) WHERE VISIBLE(n, r, m) RETURN m")
    assert text.count("any(pc IN") == 3 and all(
        access.visible_predicate(v) in text for v in ("n", "r", "m"))


def test_strings_and_comments_are_not_expanded() -> None:
    text = access.expand_markers("MATCH (n) // VISIBLE(n)\nWHERE n.x = 'VISIBLE(n)' "
                                 "AND VISIBLE(n) RETURN n")
    assert "// VISIBLE(n)\n" in text and "'VISIBLE(n)'" in text
    assert text.count("any(pc IN n.purposes") == 1


def test_no_engine_ever_sees_a_marker() -> None:
    registry = load_registry()
    marker = re.compile(r"\bVISIBLE(_PATH)?\s*\(", re.IGNORECASE)
    filtered = [s for s in registry if s.filtered]
    assert len(filtered) >= 30
    for stmt in filtered:
        for engine in stmt.engines:
            text = stmt.text_for(engine)
            assert not marker.search(text), stmt.name
            assert "$visible" in text, stmt.name


def test_every_shipped_visible_statement_uses_markers_only() -> None:
    """No statement writes the predicate by hand: the files hold markers, the registry the
    predicate."""
    files = shipped_files()
    visible = [p for p, t in files.items() if re.search(r"params:.*\bvisible: list", t, re.S)
               and "mode: read" in t]
    assert len(visible) >= 30
    for path in visible:
        body = "\n".join(line for line in files[path].splitlines()
                         if not line.lstrip().startswith("//"))
        assert "VISIBLE" in body, path
        assert ".purposes" not in body, path


# -- the check: each way to leak is refused, naming the file and the variable ----------------
GOOD = [
    # every variable covered
    "MATCH (n:Entity {uid: $uid})-[r]-(m:Entity) WHERE VISIBLE(n, r, m) RETURN m",
    # an anchor covered by the path it starts later
    "MATCH (d:BibobDossier {uid: $uid}) WITH d "
    "MATCH path = (d)<-[:PARTY_TO]-(x)-[:X*0..2]-(y) WHERE VISIBLE_PATH(path) RETURN path",
    # a path of covered, named elements needs no marker of its own
    "MATCH p = (n {uid: $uid})-[r]-(m) WHERE VISIBLE(n, r, m) RETURN p",
    # markers in CASE WHEN inside collect, names reused after they left the scope
    "MATCH (x {uid: $uid}) WHERE VISIBLE(x) "
    "OPTIONAL MATCH (x)<-[a:A]-(p) "
    "WITH x, collect(DISTINCT CASE WHEN p.k = 1 AND VISIBLE(a, p) THEN p END) AS one "
    "OPTIONAL MATCH (x)<-[a:B]-(p) "
    "WITH x, one, collect(CASE WHEN VISIBLE(a, p) THEN p END) AS two RETURN x, one, two",
    # a pattern comprehension with its own markers; references to covered variables
    "MATCH (x {uid: $uid}) WHERE VISIBLE(x) "
    "RETURN size([(x)-[q:Q]->(y) WHERE (q.a = 1 OR q.b = 2) AND VISIBLE(q, y) | y]) AS n",
    # a CALL subquery whose branches the outer marker covers; UNWIND values are no facts
    "CALL { UNWIND [$uid] AS u MATCH (n:A) WHERE n.uid = u RETURN n "
    "UNION UNWIND [$uid] AS u MATCH (n:B) WHERE n.uid = u RETURN n } "
    "WITH n WHERE VISIBLE(n) UNWIND [n] AS t MATCH (t)<-[c:C]-(s) WHERE VISIBLE(c, s) "
    "RETURN s",
    # a procedure's yielded node, covered
    "CALL db.idx.fulltext.queryNodes('Entity', $uid) YIELD node AS n WITH n "
    "WHERE VISIBLE(n) RETURN n",
    # EXISTS and COUNT subqueries with their markers
    "MATCH (n {uid: $uid}) WHERE VISIBLE(n) "
    "AND EXISTS { MATCH (n)-[r]->(m) WHERE VISIBLE(r, m) } "
    "AND COUNT { (n)<-[k]-(j) WHERE VISIBLE(k, j) } > 1 RETURN n",
]


@pytest.mark.parametrize("body", GOOD, ids=range(len(GOOD)))
def test_covered_statements_load(body: str) -> None:
    check_markers("read/crafted", body)
    assert "VISIBLE" not in load(body)


BAD = {
    "forgotten-node": (
        "MATCH (n:Entity {uid: $uid})-[r]-(m:Entity) WHERE VISIBLE(n, r) RETURN m",
        "node 'm' is not covered"),
    "forgotten-relationship": (
        "MATCH (n:Entity {uid: $uid})-[r]-(m:Entity) WHERE VISIBLE(n, m) RETURN m",
        "relationship 'r' is not covered"),
    "unfiltered-path": (
        "MATCH (n {uid: $uid}) WHERE VISIBLE(n) "
        "MATCH p = (n)-[:X*1..3]-(m) WHERE VISIBLE(m) RETURN p",
        "path 'p' is not covered"),
    "path-of-uncovered-anchor": (
        "MATCH (d {uid: $uid}) WITH d MATCH (d)<-[r:R]-(x) WHERE VISIBLE(r, x) RETURN x",
        "node 'd' is not covered"),
    "anonymous-node": (
        "MATCH (n {uid: $uid})-[r]-() WHERE VISIBLE(n, r) RETURN n",
        "anonymous node"),
    "anonymous-relationship": (
        "MATCH (n {uid: $uid})-->(m) WHERE VISIBLE(n, m) RETURN m",
        "anonymous relationship"),
    "anonymous-typed-relationship": (
        "MATCH (n {uid: $uid})<-[:X]-(m) WHERE VISIBLE(n, m) RETURN m",
        "anonymous relationship"),
    "variable-length-as-node": (
        "MATCH (n {uid: $uid})-[r:X*1..2]-(m) WHERE VISIBLE(n, r, m) RETURN m",
        "variable-length relationship: write VISIBLE_PATH"),
    "path-in-visible": (
        "MATCH p = (n {uid: $uid})-[:X]-(m) WHERE VISIBLE(p) RETURN p",
        "is a path: write VISIBLE_PATH"),
    "node-in-visible-path": (
        "MATCH (n {uid: $uid}) WHERE VISIBLE_PATH(n) RETURN n",
        "not a path"),
    "comprehension": (
        "MATCH (x {uid: $uid}) WHERE VISIBLE(x) RETURN [(x)-[q:Q]->(y) WHERE VISIBLE(q) | y]",
        "node 'y' is not covered"),
    "exists-subquery": (
        "MATCH (n {uid: $uid}) WHERE VISIBLE(n) AND EXISTS { MATCH (n)-[r]->(m) "
        "WHERE VISIBLE(m) } RETURN n",
        "relationship 'r' is not covered"),
    "count-subquery": (
        "MATCH (n {uid: $uid}) WHERE VISIBLE(n) AND COUNT { (n)-[r]->(m) WHERE VISIBLE(r) } "
        "> 0 RETURN n",
        "node 'm' is not covered"),
    "name-reused-after-with": (
        "MATCH (x {uid: $uid})<-[a:A]-(p) WHERE VISIBLE(x, a, p) WITH x "
        "MATCH (x)<-[b:B]-(p) WHERE VISIBLE(b) RETURN p",
        "node 'p' is not covered"),
    "union-branch": (
        "MATCH (n {uid: $uid}) WHERE VISIBLE(n) RETURN n "
        "UNION MATCH (n {name: $uid}) RETURN n",
        "node 'n' is not covered"),
    "yield": (
        "CALL db.idx.fulltext.queryNodes('Entity', $uid) YIELD node AS n RETURN n",
        "yielded variable 'n' is not covered"),
    "under-or": (
        "MATCH (n {uid: $uid}) WHERE n.open OR VISIBLE(n) RETURN n",
        "never under OR"),
    "or-after": (
        "MATCH (n {uid: $uid}) WHERE VISIBLE(n) OR n.open RETURN n",
        "never under OR"),
    "negated": (
        "MATCH (n {uid: $uid}) WHERE NOT VISIBLE(n) RETURN n",
        "not a value or a negation"),
    "as-a-value": (
        "MATCH (n {uid: $uid}) RETURN n, VISIBLE(n) AS shown",
        "not a value or a negation"),
    "compared": (
        "MATCH (n {uid: $uid}) WHERE VISIBLE(n) = false RETURN n",
        "not part of a comparison"),
    "in-parentheses-under-or": (
        "MATCH (n {uid: $uid}) WHERE (n.open OR VISIBLE(n)) RETURN n",
        "never under OR"),
    "in-parentheses": (
        "MATCH (n {uid: $uid}) WHERE n.a = 1 AND (VISIBLE(n) AND n.b = 2) RETURN n",
        "not inside parentheses"),
    "or-beside": (
        "MATCH (n {uid: $uid})-[r]-(m) WHERE VISIBLE(n, r, m) AND n.a = 1 OR m.b = 2 RETURN n",
        "never under OR"),
    "lower-case": (
        "MATCH (n {uid: $uid}) WHERE visible(n) RETURN n",
        "in capitals"),
    "by-hand": (
        f"MATCH (n {{uid: $uid}}) WHERE {PREDICATE} RETURN n",
        r"reads n\.purposes by hand"),
    "pattern-predicate": (
        "MATCH (n {uid: $uid}) WHERE VISIBLE(n) AND NOT (n)-[:X]->(:Y) RETURN n",
        "pattern used as a predicate"),
    "anchor-in-optional-where": (
        "MATCH (o {uid: $uid}) OPTIONAL MATCH (o)-[r]-(m) WHERE VISIBLE(o, r, m) RETURN o",
        "VISIBLE\\(o\\) does not filter o: it is bound before this OPTIONAL MATCH"),
    "anchor-only-in-optional-path": (
        "MATCH (o {uid: $uid}) OPTIONAL MATCH p = (o)-[:R]-(m) WHERE VISIBLE_PATH(p) "
        "RETURN o, p",
        "node 'o' is not covered"),
    "case-guard-of-a-match": (
        "MATCH (o {uid: $uid})-[r]-(m) WITH o, collect(CASE WHEN VISIBLE(o, r, m) THEN m END) "
        "AS ms RETURN o, ms",
        "bound by a MATCH, whose rows a CASE WHEN does not filter"),
    "outer-variable-in-comprehension": (
        "MATCH (x {uid: $uid}) RETURN [(x)-[q:Q]->(y) WHERE VISIBLE(x, q, y) | y]",
        "VISIBLE\\(x\\) does not filter x: it is bound outside the pattern comprehension"),
    "in-a-list-comprehension": (
        "MATCH (n {uid: $uid}) WHERE any(x IN [1] WHERE VISIBLE(n)) RETURN n",
        "filters no rows"),
    "write-clause": (
        "MATCH (n {uid: $uid}) WHERE VISIBLE(n) SET n.seen = true RETURN n",
        "SET in a visible read"),
}


@pytest.mark.parametrize("body, message", BAD.values(), ids=BAD.keys())
def test_each_leak_is_refused(body: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message) as refused:
        load(body, "read/leaky")
    assert str(refused.value).startswith("cypher/read/leaky.cypher, line 4: ")


def test_the_message_names_the_file_and_the_line_of_the_binding() -> None:
    body = ("MATCH (n {uid: $uid})\nWHERE VISIBLE(n)\nWITH n\n"
            "MATCH (n)-[r:X]->(m)\nWHERE VISIBLE(m)\nRETURN m")
    with pytest.raises(RegistryError,
                       match=r"^cypher/read/a\.cypher, line 7: relationship 'r' is not "
                             r"covered by a marker: add VISIBLE\(r\)$"):
        build_registry({"read/a.cypher": HEADER + body})


def test_engine_variants_are_checked_too() -> None:
    good = HEADER + "MATCH (n {uid: $uid}) WHERE VISIBLE(n) RETURN n\n"
    leaky = HEADER + "MATCH (n {uid: $uid})-[r]-(m) WHERE VISIBLE(n, r) RETURN n\n"
    build_registry({"read/a.cypher": good, "read/a.neo4j.cypher": good})
    with pytest.raises(RegistryError,
                       match=r"^cypher/read/a\.neo4j\.cypher, line 4: node 'm'"):
        build_registry({"read/a.cypher": good, "read/a.neo4j.cypher": leaky})


def test_the_tokenizer_skips_strings_and_comments() -> None:
    tokens = [t.text for t in tokenize("MATCH (n) // (m)-->()\nWHERE n.a = '(x)-->()' "
                                       "/* [r] */ RETURN n")]
    assert tokens == ["MATCH", "(", "n", ")", "WHERE", "n", ".", "a", "=", "'(x)-->()'",
                      "RETURN", "n"]
    # a pattern inside a string or a comment binds nothing
    check_markers("read/a", "MATCH (n {uid: $uid}) WHERE VISIBLE(n) "
                            "AND n.note <> '(m)-->()' // (k)--()\nRETURN n")


#: (statement, variable) whose marker is redundant on purpose: the ends of a shortest path,
#: and the signals a walk of BIBOB_RELATED_SIGNAL or SIGNAL_NETWORK starts from, filtered
#: before the search starts, are covered by the VISIBLE_PATH of the path too
REDUNDANT = {("read/paths_shortest", "a"), ("read/paths_shortest", "b"),
             ("read/paths_all_shortest", "a"), ("read/paths_all_shortest", "b"),
             ("read/bibob_related_signal_candidates", "s"),
             ("read/bibob_related_signal_from_signals", "s"),
             ("read/bibob_related_signal_short_paths", "s"),
             ("read/signal_network_candidates", "s"),
             ("read/signal_network_from_signals", "s")}
MARKER = re.compile(r"\b(VISIBLE_PATH|VISIBLE)\(([^)]*)\)")


def test_every_marker_of_the_shipped_statements_is_needed() -> None:
    """Drop one variable from one marker of a shipped statement: the registry refuses it.
    So the check reads every one of our statements, and none filters by luck."""
    files = shipped_files()
    dropped = 0
    for path, text in sorted(files.items()):
        name = path.removesuffix(".cypher").split(".")[0]
        lines = text.splitlines(keepends=True)
        for n, line in enumerate(lines):
            if line.lstrip().startswith("//"):
                continue
            for m in MARKER.finditer(line):
                names = [v.strip() for v in m.group(2).split(",")]
                for drop in names:
                    rest = [v for v in names if v != drop]
                    marker = f"{m.group(1)}({', '.join(rest)})" if rest else "true"
                    mutated = "".join(lines[:n]) + line[:m.start()] + marker + \
                        line[m.end():] + "".join(lines[n + 1:])
                    if (name, drop) in REDUNDANT:
                        build_registry({path: mutated})
                        continue
                    with pytest.raises(RegistryError, match="is not covered by a marker"):
                        build_registry({path: mutated})
                    dropped += 1
    assert dropped >= 100
