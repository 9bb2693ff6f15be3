"""Tests for loaders.names: folding, voorvoegsels, person keys and look-alikes."""

from __future__ import annotations

import hashlib

import pytest

from graph_service.model import rekey_legacy_person
from loaders import names as n
from loaders.names import PersonParts as P
from loaders.values import ValueInvalid

DOB = "1970-03-15"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Çelik", "celik"),
        ("  Jan   Piet ", "jan piet"),
        ("Müller-Lüdenscheidt", "muller-ludenscheidt"),
        ("Jansen - de Vries", "jansen-de vries"),
        ("O’Brien", "o'brien"),
        ("J.P.", "jp"),
        ("Øster Æbelø", "oster aebelo"),
        ("Straße", "strasse"),
        ("Ĳsbrand", "ijsbrand"),
        ("Kowalski (2)!?", "kowalski 2"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(raw: str | None, expected: str) -> None:
    assert n.fold(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("van der", "van der"),
        ("Van Der", "van der"),
        ("v.d.", "van der"),
        ("V.D.", "van der"),
        ("vd", "van der"),
        ("v/d", "van der"),
        ("v. d.", "van der"),
        ("v.", "van"),
        ("'t", "het"),
        ("’t", "het"),
        ("in 't", "in het"),
        ("op 't", "op het"),
        ("van 't", "van het"),
        ("aan het", "aan het"),
        ("uit den", "uit den"),
        ("d'", "d'"),
        ("  de  ", "de"),
        ("von", "von"),
        ("", ""),
        (None, ""),
        ("onbekend", "onbekend"),
    ],
)
def test_normalise_voorvoegsel(raw: str | None, expected: str) -> None:
    assert n.normalise_voorvoegsel(raw) == expected


@pytest.mark.parametrize(
    ("geslachtsnaam", "voorvoegsel", "expected"),
    [
        ("van der Berg", None, ("van der", "berg")),
        ("Berg, van der", None, ("van der", "berg")),
        ("v.d. Berg", None, ("van der", "berg")),
        ("v.d.Berg", None, ("van der", "berg")),
        ("vd Berg", None, ("van der", "berg")),
        ("v/d Berg", None, ("van der", "berg")),
        ("Berg", "van der", ("van der", "berg")),
        ("Berg", "V.D.", ("van der", "berg")),
        ("Van der Berg", "van der", ("van der", "berg")),
        ("der Berg", "van", ("van der", "berg")),
        ("Berg, van der", "van der", ("van der", "berg")),
        ("v. Dijk", None, ("van", "dijk")),
        ("'t Hart", None, ("het", "hart")),
        ("het Hart", None, ("het", "hart")),
        ("Hart", "'t", ("het", "hart")),
        ("Veld, in 't", None, ("in het", "veld")),
        ("in 't Veld", None, ("in het", "veld")),
        ("op den Kamp", None, ("op den", "kamp")),
        ("ter Horst", None, ("ter", "horst")),
        ("De Vries", None, ("de", "vries")),
        ("von Bismarck", None, ("von", "bismarck")),
        ("d'Ancona", None, ("d'", "ancona")),
        ("la Fontaine", None, ("la", "fontaine")),
        ("Çelik", None, ("", "celik")),
        ("Le", None, ("", "le")),  # never split off everything
        ("De", None, ("", "de")),
        ("Jansen-van der Berg", None, ("", "jansen-van der berg")),
        ("", None, ("", "")),
        (None, "van", ("van", "")),
    ],
)
def test_split_surname(geslachtsnaam: str | None, voorvoegsel: str | None,
                       expected: tuple[str, str]) -> None:
    assert n.split_surname(geslachtsnaam, voorvoegsel) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Jan", "j"), ("Jan Piet", "j"), ("J.P.", "j"), ("j. p.", "j"), ("Émile", "e"),
     ("Ĳsbrand", "i"), ("'Jan", "j"), ("", ""), (None, ""), ("  ", "")],
)
def test_first_initial(raw: str | None, expected: str) -> None:
    assert n.first_initial(raw) == expected


# --------------------------------------------------------------------------- keys

SAME_PERSON = [
    ("Jan", None, "Berg, van der", DOB),
    ("Jan", None, "v.d. Berg", DOB),
    ("Jan", None, "van der Berg", DOB),
    ("J.", None, "vd Berg", DOB),
    ("J.P.", "van der", "Berg", DOB),
    ("jan pieter", "V.D.", "BERG", "15-03-1970"),
    ("Jan", None, "Berg", DOB),  # voorvoegsel not part of the identity key
]


@pytest.mark.parametrize("parts", SAME_PERSON)
def test_person_key_same(parts: tuple[str | None, str | None, str, str]) -> None:
    assert n.person_key(*parts) == f"berg|j|{DOB}"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Piet", None, "'t Hart", DOB), ("Piet", "het", "Hart", DOB)),
        (("Piet", None, "'t Hart", DOB), ("P", None, "het Hart", DOB)),
        (("Ahmet", None, "Çelik", DOB), ("A.", None, "Celik", DOB)),
        (("Sjoerd", None, "de Vries", DOB), ("S.", None, "Vries", DOB)),
        (("Émile", None, "Dupré", DOB), ("emile", None, "DUPRE", DOB)),
    ],
)
def test_person_key_equal_pairs(a: tuple[str, str | None, str, str],
                                b: tuple[str, str | None, str, str]) -> None:
    assert n.person_key(*a) == n.person_key(*b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Jan", None, "Jansen", DOB), ("Jan", None, "Janssen", DOB)),
        (("Jan", None, "Jansen", DOB), ("Kees", None, "Jansen", DOB)),
        (("Jan", None, "Jansen", DOB), ("Jan", None, "Jansen", "1970-03-16")),
    ],
)
def test_person_key_different(a: tuple[str, None, str, str], b: tuple[str, None, str, str]) -> None:
    assert n.person_key(*a) != n.person_key(*b)


@pytest.mark.parametrize(
    ("geslachtsnaam", "geboortedatum"),
    [("", DOB), (None, DOB), ("Jansen", ""), ("Jansen", None), ("Jansen", "1970-02-30")],
)
def test_person_key_needs_surname_and_date(
    geslachtsnaam: str | None, geboortedatum: str | None
) -> None:
    with pytest.raises(ValueInvalid):
        n.person_key("Jan", None, geslachtsnaam, geboortedatum)


def test_person_uid() -> None:
    key = n.person_key("Jan", None, "van der Berg", DOB)
    legacy = "person:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    assert n.person_uid(key) == rekey_legacy_person(legacy) != legacy  # keyed
    assert n.person_uid(key) == n.person_uid(n.person_key("J.", None, "Berg, van der", DOB))
    assert len(n.person_uid(key)) == len("person:k:") + 16


@pytest.mark.parametrize(
    ("voornamen", "voorvoegsel", "geslachtsnaam", "expected"),
    [
        ("Jan", "van der", "Berg", "Jan van der Berg"),
        ("Jan", "Van Der", "Berg", "Jan van der Berg"),
        ("Jan", None, "Berg, van der", "Jan van der Berg"),
        ("Jan", None, "Van der Berg", "Jan van der Berg"),
        ("Jan", None, "v.d. Berg", "Jan van der Berg"),
        (" Jan  Piet ", "'t", "Hart", "Jan Piet 't Hart"),
        ("Ahmet", None, "Çelik", "Ahmet Çelik"),
        ("Jan", None, "d'Ancona", "Jan d'Ancona"),
        (None, "de", "Vries", "de Vries"),
        ("Jan", "", "McDonald", "Jan McDonald"),
    ],
)
def test_display_name(voornamen: str | None, voorvoegsel: str | None,
                      geslachtsnaam: str, expected: str) -> None:
    assert n.display_name(voornamen, voorvoegsel, geslachtsnaam) == expected


def test_candidate_key() -> None:
    assert n.candidate_key("Jan", None, "Berg, van der") == "berg|j"
    assert n.candidate_key("J.", "vd", "Berg") == n.candidate_key("Jan", None, "van der Berg")
    assert n.candidate_key("Jan", None, "Jansen") != n.candidate_key("Jan", None, "Janssen")


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("jansen", "janssen", 1), ("", "", 0), ("", "abc", 3), ("kitten", "sitting", 3),
     ("berg", "berg", 0), ("bakker", "backer", 1), ("vries", "fries", 1)],
)
def test_levenshtein(a: str, b: str, distance: int) -> None:
    assert n.levenshtein(a, b) == distance
    assert n.levenshtein(b, a) == distance


# --------------------------------------------------------------------------- similarity


@pytest.mark.parametrize(
    ("a", "b", "score"),
    [
        # Jansen vs Janssen: different keys, but a review candidate.
        (P("J.", None, "Jansen", DOB), P("J.", None, "Janssen", DOB), 0.9),
        (P("Jan", None, "Jansen", DOB), P("Jan", None, "Janssen", DOB), 0.95),
        # Same candidate key, unrelated birth date: a namesake, not a candidate (was 0.5).
        (P("J.", None, "Jansen", DOB), P("J.", None, "Jansen", "1985-07-01"), 0.0),
        (P("Jan", None, "Jansen", DOB), P("Jan", None, "Jansen", "1985-07-01"), 0.0),
        (P("J.", None, "Jansen", DOB), P("J.", None, "Jansen", "1971-04-15"), 0.0),
        # An impossible birth date counts as missing.
        (P("J.", None, "Jansen", DOB), P("J.", None, "Jansen", "1970-15-03"), 0.6),
        # Day/month swapped or one part differs: probably a typo.
        (P("J.", None, "Jansen", "1970-03-05"), P("J.", None, "Jansen", "1970-05-03"), 0.8),
        (P("Jan", None, "Jansen", "1970-03-05"), P("J.", None, "Jansen", "03-05-1970"), 0.8),
        (P("J.", None, "Jansen", DOB), P("J.", None, "Jansen", "1970-04-15"), 0.8),
        (P("J.", None, "Jansen", DOB), P("J.", None, "Jansen", "1970-03-16"), 0.8),
        (P("J.", None, "Jansen", DOB), P("J.", None, "Jansen", "1971-03-15"), 0.8),
        (P("J.", None, "Jansen", DOB), P("J.", None, "Jansen", None), 0.6),
        # Same key: the same person.
        (P("Jan", None, "v.d. Berg", DOB), P("J.", None, "Berg, van der", DOB), 1.0),
        # Not candidates.
        (P("Jan", None, "Jansen", DOB), P("Kees", None, "Jansen", DOB), 0.0),
        (P("Jan", None, "Jansen", DOB), P("Jan", None, "Janssen", "1985-07-01"), 0.0),
        (P("Jan", None, "Jansen", DOB), P("Jan", None, "Jonker", DOB), 0.0),
        (P("Jan", None, "", DOB), P("Jan", None, "", DOB), 0.0),
    ],
)
def test_similarity(a: P, b: P, score: float) -> None:
    got, reason = n.similarity(a, b)
    assert got == pytest.approx(score)
    assert reason
    assert n.similarity(b, a)[0] == pytest.approx(score)


def test_similarity_reports_voorvoegsel_difference() -> None:
    score, reason = n.similarity(("Jan", "de", "Vries", DOB), ("Jan", None, "Vries", "1970-03-16"))
    assert score == pytest.approx(0.85)
    assert "voorvoegsel" in reason


def test_similarity_calls_a_namesake_no_candidate() -> None:
    namesake = P("Jan", None, "Jansen", "1985-07-01")
    score, reason = n.similarity(P("Jan", None, "Jansen", DOB), namesake)
    assert score == 0.0
    assert "naamgenoot" in reason


# --------------------------------------------------------------------------- blocking keys


def test_match_keys() -> None:
    assert n.match_keys("Jan", "van der", "Berg", "1970-03-05") == {
        "mk_ym": "berg|j|1970-03",
        "mk_yd": "berg|j|1970-*-05",
        "mk_md": "berg|j|*-03-05",
        "mk_swap": "berg|j|1970|03-05",
        "mk_birth": "j|1970-03-05",
    }
    # written differently, same keys; DD-MM-YYYY is read as a date
    assert n.match_keys("J.", None, "Berg, v.d.", "05-03-1970") == n.match_keys(
        "Jan", "van der", "Berg", "1970-03-05")
    # no swap key when the day cannot be a month or equals it
    assert "mk_swap" not in n.match_keys("Jan", None, "Berg", DOB)
    assert "mk_swap" not in n.match_keys("Jan", None, "Berg", "1970-03-03")
    # undated (or impossible date): only the name, to meet its whole group
    assert n.match_keys("Jan", None, "Berg", None) == {"mk_nodate": "berg|j"}
    assert n.match_keys("Jan", None, "Berg", "1970-15-03") == {"mk_nodate": "berg|j"}
    assert n.match_keys("Jan", None, "", DOB) == {}
    assert set(n.match_keys("Jan", None, "Berg", "1970-03-05")) <= set(n.MATCH_KEYS)
    # a fresh dict per call
    n.match_keys("Jan", None, "Berg", None)["mk_nodate"] = "x"
    assert n.match_keys("Jan", None, "Berg", None) == {"mk_nodate": "berg|j"}


_PEOPLE = [
    P(v, vv, g, d)
    for v in ("Jan", "J.", "Kees", None)
    for vv, g in ((None, "Jansen"), (None, "Janssen"), ("van der", "Berg"), (None, "Jansen-Berg"))
    for d in (DOB, "1970-03-16", "1970-04-15", "1971-03-15", "1970-15-03", "1970-03-05",
              "1970-05-03", "1985-07-01", "15-03-1970", None)
]


def test_every_candidate_pair_shares_a_blocking_key() -> None:
    """The loader only compares persons that share a key: no pair similarity proposes
    may fall outside every block, and no pair outside a block is a candidate."""
    def meet(a: P, b: P) -> bool:  # as loaders.base.write_match_candidates pairs them
        ka, kb = n.match_keys(*a), n.match_keys(*b)
        for undated, other in ((ka, b), (kb, a)):
            if "mk_nodate" in undated and undated["mk_nodate"] == n.candidate_key(*other[:3]):
                return True
        return bool(set(ka.items()) & set(kb.items()))

    proposed = 0
    for i, a in enumerate(_PEOPLE):
        for b in _PEOPLE[i + 1:]:
            score = n.similarity(a, b)[0]
            if 0 < score < 1:
                proposed += 1
                assert meet(a, b), (a, b, score)
    assert proposed > 100


def test_similarity_accepts_plain_tuples() -> None:
    score, _ = n.similarity(("J.", None, "Jansen", DOB), ("J.", None, "Janssen", DOB))
    assert score == pytest.approx(0.9)
