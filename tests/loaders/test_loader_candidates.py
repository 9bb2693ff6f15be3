"""Look-alike candidates (POSSIBLE_SAME_AS) across source files, on both engines.

The rule (``loaders.names.similarity``, docs/graph-model.md): surname one edit apart with
the same initial and birth date (0.9), same name with a near birth date or day and month
swapped (0.8), same name with a birth date missing (0.6); +0.05 for an equal first given
name. A namesake with an unrelated birth date is no candidate. The loader finds the pairs
through the blocking keys of ``loaders.names.match_keys``, so a person of a later file
meets the persons of earlier files, whatever the order.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from graph_service import queries
from graph_service.store import Store
from loaders import bibob, kvk, names, riec
from loaders.base import sync
from tests.support.dump import nodes, relationships, snapshot
from tests.support.files import write_csv

TODAY = dt.date(2025, 6, 30)
PEIL = "2025-06-01"


def pid(first: str, surname: str, born: str) -> str:
    return names.person_uid(names.person_key(first, None, surname, born))


JANSEN = pid("Jan", "Jansen", "1970-03-15")          # kvk
JANSSEN = pid("J.", "Janssen", "1970-03-15")         # bibob: surname typo -> 0.9
BAKKER = pid("Piet", "Bakker", "1975-03-08")         # kvk
BAKKER_SWAP = pid("Piet", "Bakker", "1975-08-03")    # bibob: day/month swapped -> 0.85
VRIES = pid("Kees", "Vries", "1960-01-01")           # kvk
VRIES_88 = pid("Kees", "Vries", "1988-06-30")        # bibob: namesake -> none
MULDER = pid("Anna", "Mulder", "1982-02-14")         # kvk
MULDER_YEAR = pid("A.", "Mulder", "1983-02-14")      # bibob: year differs -> 0.8
SMIT = pid("Gerrit", "Smit", "1966-11-20")           # kvk; riec has him without a date

PAIRS = {
    tuple(sorted((JANSEN, JANSSEN))): 0.9,
    tuple(sorted((BAKKER, BAKKER_SWAP))): 0.85,
    tuple(sorted((MULDER, MULDER_YEAR))): 0.8,
}


def kvk_file(tmp: Path) -> Path:
    people = [("Jan", "Jansen", "1970-03-15"), ("Piet", "Bakker", "1975-03-08"),
              ("Kees", "de Vries", "1960-01-01"), ("Anna", "Mulder", "1982-02-14"),
              ("Gerrit", "Smit", "1966-11-20")]
    return write_csv(tmp / "kvk.csv", [
        {"kvk_nummer": "90000101", "naam": "Test B.V.", "functionaris_type": "persoon",
         "functionaris_voornamen": v, "functionaris_geslachtsnaam": g,
         "functionaris_geboortedatum": d, "functie": "bestuurder", "peildatum": PEIL}
        for v, g, d in people])


def bibob_file(tmp: Path) -> Path:
    people = [("J.", "Janssen", "1970-03-15"), ("Piet", "Bakker", "03-08-1975"),
              ("Kees", "de Vries", "1988-06-30"), ("A.", "Mulder", "1983-02-14")]
    return write_csv(tmp / "bibob.csv", [
        {"dossier_id": f"2025-{i:04d}", "gemeentecode": "GM1701", "aanvraagdatum": "2025-03-01",
         "vergunning_type": "alcoholwet", "partij_ref": "P1", "rol": "aanvrager",
         "partij_type": "persoon", "voornamen": v, "voorvoegsel": "", "geslachtsnaam": g,
         "geboortedatum": d, "peildatum": PEIL}
        for i, (v, g, d) in enumerate(people, 1)])


def riec_file(tmp: Path) -> Path:
    return write_csv(tmp / "riec.csv", [
        {"signaal_id": "RIEC-2025-0901", "ontvangstdatum": "2025-05-01", "partner": "politie",
         "thema": "drugs", "entiteit_type": "persoon", "rol": "subject", "voornamen": "Gerrit",
         "voorvoegsel": "", "geslachtsnaam": "Smit", "geboortedatum": "", "peildatum": PEIL}])


LOADS = {"kvk": (kvk.SPEC, kvk_file), "bibob": (bibob.SPEC, bibob_file),
         "riec": (riec.SPEC, riec_file)}


def load(store: Store, tmp: Path, *sources: str) -> int:
    found = 0
    for source in sources:
        spec, make = LOADS[source]
        found += sync(store, spec, [make(tmp)], today=TODAY).candidates
    return found


def same_as(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    return {(s, e): props for (s, t, e, _), props in relationships(store).items()
            if t == "POSSIBLE_SAME_AS"}


def undated_smit(store: Store) -> str:
    (uid,) = [u for u, n in nodes(store).items()
              if n.get("geslachtsnaam") == "Smit" and not n.get("geboortedatum")]
    return uid


@pytest.mark.parametrize("order", [("kvk", "bibob", "riec"), ("riec", "bibob", "kvk")])
def test_look_alikes_across_files_in_either_order(
    store: Store, tmp_path: Path, order: tuple[str, ...]
) -> None:
    load(store, tmp_path, *order)
    got = same_as(store)
    smit = undated_smit(store)
    expected = {**PAIRS, tuple(sorted((SMIT, smit))): 0.65}
    assert {k: v["score"] for k, v in got.items()} == pytest.approx(expected)
    jansen = got[tuple(sorted((JANSEN, JANSSEN)))]
    assert "achternaam verschilt 1 teken" in jansen["reason"]
    assert "bijna gelijk" in got[tuple(sorted((BAKKER, BAKKER_SWAP)))]["reason"]
    assert "ontbreekt" in got[tuple(sorted((SMIT, smit)))]["reason"]
    # the namesake with an unrelated birth date is a separate person and no candidate
    assert {VRIES, VRIES_88} <= set(nodes(store))
    assert not [k for k in got if VRIES in k or VRIES_88 in k]
    # the pair carries the purposes of both persons (kvk is open, bibob is bibob)
    assert set(jansen["purposes"]) == set(nodes(store)[JANSEN]["purposes"]) | set(
        nodes(store)[JANSSEN]["purposes"])


def test_a_pair_reads_the_same_whichever_person_came_first() -> None:
    """Score and reason of a pair do not depend on which person is loaded last."""
    one = names.PersonParts("Jan", "de", "Vries", "1980-01-02")
    other = names.PersonParts("Jan", None, "Vries", "1980-02-01")
    score, reason = names.similarity(one, other)
    assert score > 0 and "voorvoegsel" in reason
    assert names.similarity(other, one) == (score, reason)


def test_loading_again_changes_nothing(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, "kvk", "bibob", "riec")
    before = snapshot(store)
    load(store, tmp_path, "riec", "kvk", "bibob")
    assert snapshot(store) == before
    assert len(same_as(store)) == 4


def test_blocking_keys_are_stored_and_hidden(store: Store, tmp_path: Path) -> None:
    from graph_service.model import MATCHING_PROPERTIES
    from graph_service.render import graphs
    from graph_service.risk import evidence

    load(store, tmp_path, "kvk", "riec")
    got = nodes(store)
    assert {k: v for k, v in got[BAKKER].items() if k.startswith("mk_")} == names.match_keys(
        "Piet", None, "Bakker", "1975-03-08")
    assert {k: v for k, v in got[undated_smit(store)].items() if k.startswith("mk_")} == {
        "mk_nodate": "smit|g"}
    stored = {k for n in got.values() for k in n if k.startswith("mk_")}
    assert {"mk_ym", "mk_yd", "mk_md", "mk_swap", "mk_birth", "mk_nodate"} == stored
    assert stored == set(names.MATCH_KEYS)
    for hidden in (graphs.HIDDEN_PROPS, evidence.HIDDEN_PROPERTIES, MATCHING_PROPERTIES):
        assert set(names.MATCH_KEYS) <= set(hidden)
    shown = queries.get_entity(store, BAKKER)["properties"]  # filtered: matching keys gone
    assert shown["geslachtsnaam"] == "Bakker"
    assert not {k for k in shown if k.startswith("mk_") or k.endswith("_key")}
