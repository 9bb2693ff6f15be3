"""Search through the full-text and identifier indexes (``queries.search``), on both engines.

``tests/queries/test_queries.py`` holds the original ranking and identifier cases; here the word
matching of names, the safe full-text terms, mixed-case identifiers, and the rules for a
pseudonymised reader. Every store test runs on each engine (``--engines``) with the same
expected answer, so the engines agree on these cases.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph_service import queries
from graph_service.queries import fulltext_query, fulltext_terms
from graph_service.store import Store, access
from loaders.base import Node
from tests.queries.test_queries import KVK, PARKS, address, load, org, person


def hits(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(r["uid"], r["match"]) for r in rows]


def uids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["uid"] for r in rows]


def name_graph(store: Store) -> None:
    load(store, [
        org("kvk:11111111", "De Vries BV"),
        org("kvk:22222222", "Bouwbedrijf De Vries & Zonen B.V."),
        org("kvk:33333333", "Café Überdruk"),
        org("kvk:44444444", "Cafe Centraal"),
        org("kvk:55555555", "Vriesland Holding"),
        person("person:jdv", "Jan de Vries"),
        person("person:jvdv", "Jan van der Velde"),
        person("person:pdv", "Piet de Vries"),
        address("addr:NL:ab12cd", "Foreign Street 1", pc_key=None, postcode="80331"),
    ], KVK)
    load(store, [
        Node("HolidayPark", "park:Park-Zon", {"park_id": "Park-Zon", "name": "Park de Zon"}),
    ], PARKS)


def test_word_prefixes_all_required(store: Store) -> None:
    name_graph(store)
    assert hits(queries.search(store, "vries")) == [
        ("kvk:55555555", "prefix"),  # "Vriesland Holding"
        ("kvk:11111111", "substring"),
        ("person:jdv", "substring"),
        ("person:pdv", "substring"),
        ("kvk:22222222", "substring"),
    ]
    assert hits(queries.search(store, "de vries bv")) == [("kvk:11111111", "prefix")]
    assert hits(queries.search(store, "jan de v")) == [
        ("person:jdv", "prefix"), ("person:jvdv", "substring")  # "der" starts with "de"
    ]
    # words in any order, each a word prefix; "v" also starts "van", "velde"
    assert hits(queries.search(store, "v jan")) == [
        ("person:jdv", "substring"), ("person:jvdv", "substring")
    ]
    assert hits(queries.search(store, "vries zonen")) == [("kvk:22222222", "substring")]


def test_inside_a_word_no_longer_matches(store: Store) -> None:
    # the old full scan found "ries" inside "Vries"; the index matches whole-word prefixes
    name_graph(store)
    assert queries.search(store, "ries") == []
    assert queries.search(store, "land holding") == []  # "Vriesland": "land" is inside


def test_punctuation_separates_words_and_never_reaches_the_index(store: Store) -> None:
    name_graph(store)
    for text in ('vries*', 'vries"', "vries)", "@name:vries", "vries -jan", "vries|zzz",
                 "vries~", "vries AND NOT", "%vries%", "name:vries", "vries\\", "vries' OR '1"):
        rows = queries.search(store, text)
        assert isinstance(rows, list), text
    assert uids(queries.search(store, "vries|zonen")) == ["kvk:22222222"]
    assert uids(queries.search(store, "(de) [vries] {bv}")) == ["kvk:11111111"]
    assert uids(queries.search(store, "vries -jan")) == ["person:jdv"]  # "-" is no negation
    assert queries.search(store, "**") == []
    assert queries.search(store, "vries AND NOT") == []  # lower-case words, not operators


def test_diacritics(store: Store) -> None:
    name_graph(store)
    # "Café Überdruk" starts with the text; "Cafe Centraal" matches the folded spelling
    assert hits(queries.search(store, "café")) == [
        ("kvk:33333333", "prefix"), ("kvk:44444444", "substring")
    ]
    assert uids(queries.search(store, "cafe")) == ["kvk:44444444"]
    assert uids(queries.search(store, "CAFÉ")) == ["kvk:33333333", "kvk:44444444"]


def test_upper_case_accented_initial_differs_by_engine(store: Store) -> None:
    # Known engine difference: RediSearch (FalkorDB) lower-cases only ASCII letters when it
    # indexes, so the word "Überdruk" is stored with its capital Ü and no lower-case prefix
    # reaches it; Lucene (Neo4j) lower-cases it. The other words of the name still match.
    name_graph(store)
    found = uids(queries.search(store, "café über"))
    assert found == ([] if store.engine == "falkordb" else ["kvk:33333333"])
    assert uids(queries.search(store, "café dru")) == []


def test_identifiers_in_their_stored_case(store: Store) -> None:
    name_graph(store)
    assert hits(queries.search(store, "addr:nl:AB12CD")) == [("addr:NL:ab12cd", "id")]
    assert hits(queries.search(store, "Park-Zon")) == [("park:Park-Zon", "id")]
    assert hits(queries.search(store, "park:Park-Zon")) == [("park:Park-Zon", "id")]
    assert hits(queries.search(store, "8033")) == [("addr:NL:ab12cd", "prefix")]
    assert hits(queries.search(store, "1111 1111")) == [("kvk:11111111", "id")]


def test_pseudonymised_reader_finds_no_person_by_name(store: Store) -> None:
    name_graph(store)
    analyst = access.Scope(visible=frozenset({"open", "municipal"}), pseudonymise=True,
                           pseudonym_key=b"k" * 32, label="test/analyse")
    with access.scope(analyst):
        rows = queries.search(store, "vries", limit=3)
        # the limit is filled with what may be shown, not cut short by hidden persons
        assert uids(rows) == ["kvk:55555555", "kvk:11111111", "kvk:22222222"]
        assert queries.search(store, "jan") == []


def test_limit_over_both_statements(store: Store) -> None:
    name_graph(store)
    full = hits(queries.search(store, "de"))
    for n in range(1, len(full) + 1):
        assert hits(queries.search(store, "de", limit=n)) == full[:n]


@pytest.mark.parametrize(("text", "terms"), [
    ("de vries bv", [("de",), ("vries",), ("bv",)]),
    ("Jan  de V.", [("jan",), ("de",), ("v",)]),
    ("café ÜBER", [("café", "cafe"), ("über", "uber")]),
    ('x" OR 1=1 //', [("x",), ("or",), ("1",)]),
    ("a_b*c~d", [("a",), ("b",), ("c",), ("d",)]),
    ("\u0000\r\n\u202e", []),
    ("vries vries", [("vries",)]),
])
def test_fulltext_terms_are_letters_and_digits(text: str, terms: list[tuple[str, ...]]) -> None:
    assert fulltext_terms(text) == terms
    for spellings in fulltext_terms(text):
        assert all(s.isalnum() for s in spellings)


def test_fulltext_query_syntax() -> None:
    terms = [("café", "cafe"), ("de",)]
    assert fulltext_query(terms, "falkordb") == "(café*|cafe*) de*"
    assert fulltext_query(terms, "neo4j") == "(café* OR cafe*) AND de*"
    assert len(fulltext_terms(" ".join(f"w{i}" for i in range(40)))) == queries.MAX_SEARCH_TERMS
