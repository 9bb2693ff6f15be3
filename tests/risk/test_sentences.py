"""A hit in words, its paths in groups of similar paths, and its grade.

The sentences are checked on real hits of the fixture graphs: every indicator has a
template whose placeholders are all known, and each hit's sentence names its measure (with
its unit) and the thresholds in force, and the facts that decide it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest

from graph_service.render.terms import number
from graph_service.risk import Hit, hits
from graph_service.risk.evidence import (
    SHOWN_GROUPS,
    fact_grade,
    group_paths,
    path_grade,
    path_signature,
)
from graph_service.risk.indicators import list_indicators
from graph_service.risk.sentences import fact_names, placeholders, render
from graph_service.store import Store
from tests.support.fixture_graphs import (
    AS_OF,
    GraphBuilder,
    build,
    kvk,
    scenario_bibob,
    scenario_bibob_loans,
    scenario_company_on_park,
    scenario_mass_registration,
    scenario_multi_partner,
    scenario_park_employers,
    scenario_park_overcrowding,
    scenario_park_owners,
    scenario_phoenix,
    scenario_sanctions,
    scenario_shed_leases,
    scenario_shed_owners,
    scenario_shed_tenants,
    scenario_signal_network,
    scenario_straw_men,
)

SCENARIO_OF: dict[str, Callable[[GraphBuilder], None]] = {
    "STRAW_MAN": scenario_straw_men,
    "MASS_REGISTRATION": scenario_mass_registration,
    "PHOENIX_PATTERN": scenario_phoenix,
    "BIBOB_RELATED_SIGNAL": scenario_bibob,
    "BIBOB_UNDECLARED_OFFICER": scenario_bibob,
    "BIBOB_PRIVATE_FINANCIER": scenario_bibob,
    "SHED_SUSPICIOUS_LEASE": scenario_shed_leases,
    "SHED_TENANT_SIGNAL": scenario_shed_tenants,
    "SHED_VULNERABLE_OWNER": scenario_shed_owners,
    "PARK_OVERCROWDING": scenario_park_overcrowding,
    "PARK_EMPLOYER_HOUSING": scenario_park_employers,
    "PARK_OWNER_CONCENTRATION": scenario_park_owners,
    "COMPANY_ON_PARK": scenario_company_on_park,
    "MULTI_PARTNER_SIGNALS": scenario_multi_partner,
    "SIGNAL_NETWORK": scenario_signal_network,
    "SANCTIONS_MATCH": scenario_sanctions,
}


@pytest.fixture(autouse=True)
def _fixture_year(today_is: Callable[[dt.date], None]) -> None:
    today_is(AS_OF)


# -- the templates -------------------------------------------------------------------------------
def test_every_indicator_has_a_sentence_with_known_placeholders() -> None:
    indicators = list_indicators()
    assert set(SCENARIO_OF) == {i.code for i in indicators}
    for ind in indicators:
        assert ind.sentence, f"{ind.code} has no sentence"
        known = {"measure", *ind.thresholds, *ind.derived, *fact_names(ind.code)}
        assert placeholders(ind.sentence) <= known, (ind.code, placeholders(ind.sentence) - known)
        assert "measure" in placeholders(ind.sentence)
        # every threshold the pattern compares with is named in the sentence
        assert set(ind.thresholds) <= placeholders(ind.sentence), ind.code


def test_render_units_plurals_and_clauses() -> None:
    template = "{measure:organisatie/organisaties}; drempel {min:euro}[; contant{cash}]"
    assert render(template, {"measure": 1, "min": 50000.0}) == "1 organisatie; drempel € 50.000"
    assert render(template, {"measure": 7, "min": 2.5, "cash": ""}) == (
        "7 organisaties; drempel € 2,50; contant")
    assert render("{measure} van {wie}", {"measure": 3}) == "3 van ?"  # never hidden


# -- sentences of real hits ----------------------------------------------------------------------
def _value_text(value: object, template: str, name: str) -> str:
    assert isinstance(value, int | float)
    return f"€ {number(value)}" if f"{{{name}:euro}}" in template else number(value)


@pytest.mark.parametrize("code", sorted(SCENARIO_OF))
def test_sentence_names_measure_threshold_and_facts(store: Store, code: str) -> None:
    build(store, SCENARIO_OF[code])
    found = hits(store, code, AS_OF)
    assert found, f"{code} fires on nothing in its scenario"
    ind = next(i for i in list_indicators() if i.code == code)
    for hit in found:
        text = hit.sentence
        assert text and "{" not in text and "[" not in text and "?" not in text, (code, text)
        assert "maat" not in text
        if hit.measure is not None and "{measure" in text_template_part(ind.sentence, hit):
            assert _value_text(hit.measure, ind.sentence, "measure") in text, (code, text)
        for name, value in ind.thresholds.items():
            if "[" not in ind.sentence.split(f"{{{name}")[0].rsplit("]", 1)[-1]:
                assert f"{_value_text(value, ind.sentence, name)}" in text, (code, name, text)
        assert json.loads(json.dumps(hit.to_dict()))["sentence"] == text


def text_template_part(template: str, hit: Hit) -> str:
    """The template without the clauses a missing value drops (the lease's median part
    when the rent per m2 is unknown)."""
    return template if hit.measure is not None else template.split("[")[0]


def test_financier_sentence_says_why_it_counts(store: Store) -> None:
    build(store, scenario_bibob, scenario_bibob_loans)
    found = {h.uid: h.sentence for h in hits(store, "BIBOB_PRIVATE_FINANCIER", AS_OF)}
    assert "€ 75.000" in found["dossier:2025-003"]
    assert "SBI-code 4711" in found["dossier:2025-003"]
    assert "geen financiële instelling" in found["dossier:2025-003"]
    assert "drempel € 50.000" in found["dossier:2025-003"]
    assert "€ 60.000" in found["dossier:2025-001"]
    assert "natuurlijk persoon" in found["dossier:2025-001"]


def test_sentence_follows_the_threshold_in_force(store: Store) -> None:
    build(store, scenario_straw_men)
    default = {h.uid: h.sentence for h in hits(store, "STRAW_MAN", AS_OF)}
    assert default["person:straw"].startswith("5 actieve organisaties")
    assert "drempel 5" in default["person:straw"]
    lowered = {h.uid: h.sentence for h in hits(store, "STRAW_MAN", AS_OF,
                                               thresholds={"min_orgs": 4})}
    assert "4 actieve organisaties" in lowered["person:four"]
    assert "drempel 4" in lowered["person:four"]


# -- similar paths -------------------------------------------------------------------------------
def scenario_many_routes(g: GraphBuilder) -> None:
    """One signal reached over five directors the applicant shares with the subject, and
    one signal on the applicant itself."""
    g.dossier("dossier:2025-050")
    g.org(kvk(51))  # aanvrager
    g.org(kvk(52))  # subject of a signal, shares five directors with the aanvrager
    g.party(kvk(51), "dossier:2025-050", "aanvrager", "P1")
    for i in range(5):
        g.person(f"person:d{i}")
        g.functionary(f"person:d{i}", kvk(51))
        g.functionary(f"person:d{i}", kvk(52))
    g.signal("signal:VIA-B", kvk(52), partner="politie")
    g.signal("signal:ON-A", kvk(51), partner="fiod", grade="B2")


def test_similar_paths_are_grouped(store: Store) -> None:
    build(store, scenario_many_routes)
    (hit,) = hits(store, "BIBOB_RELATED_SIGNAL", AS_OF)
    assert hit.measure == 2 and len(hit.paths) == 6
    groups = hit.path_groups
    assert sorted(len(g.paths) for g in groups) == [1, 5]
    big = next(g for g in groups if len(g.paths) == 5)
    assert big.similar == 4
    # the members share labels, types, directions and ends, and differ in between
    signatures = {path_signature(hit.paths[i]) for i in big.paths}
    assert len(signatures) == 1
    assert {hit.paths[i].nodes[-1].uid for i in big.paths} == {"signal:VIA-B"}
    assert {hit.paths[i].nodes[1].uid for i in big.paths} == {kvk(51)}  # the aanvrager
    assert len({hit.paths[i].nodes[2].uid for i in big.paths}) == 5  # five directors
    data = hit.to_dict()
    assert sorted(i for g in data["path_groups"] for i in g["paths"]) == list(range(6))


def test_distinct_paths_beyond_three_are_counted(store: Store) -> None:
    build(store, scenario_straw_men)
    straw = {h.uid: h for h in hits(store, "STRAW_MAN", AS_OF)}["person:straw"]
    groups = group_paths(straw.paths)
    assert len(groups) == 5 > SHOWN_GROUPS  # five organisations: five distinct ends
    assert all(g.similar == 0 for g in groups)


# -- grades --------------------------------------------------------------------------------------
def scenario_graded_signals(g: GraphBuilder) -> None:
    """A KvK person (A1) with signals graded B2 and C3 by two partners; a person known to
    the KvK and to the RIEC (A1 and X6)."""
    g.person("person:kvk")
    g.signal("signal:B", "person:kvk", partner="politie", grade="B2")
    g.signal("signal:C", "person:kvk", partner="uwv", grade="C3")
    g.person("person:both")
    g.person("person:both", source="riec", grade="X6")
    g.signal("signal:B-both", "person:both", partner="politie", grade="B2")
    g.signal("signal:X-both", "person:both", partner="fiod", grade="X6")


def test_hit_grade_is_the_best_path_and_a_path_its_weakest_fact(store: Store) -> None:
    build(store, scenario_graded_signals)
    found = {h.uid: h for h in hits(store, "MULTI_PARTNER_SIGNALS", AS_OF)}
    hit = found["person:kvk"]
    assert hit.best_grade == "A1"  # the person, the best single fact: not the hit's grade
    assert sorted(path_grade(p) for p in hit.paths) == ["B2", "C3"]
    assert hit.grade == "B2"
    assert {g.grade for g in hit.path_groups} == {"B2", "C3"}
    # every fact carries its own grade in the evidence
    facts = hit.to_dict()["evidence"]
    assert {f["grade"] for f in facts} == {"A1", "B2", "C3"}
    both = found["person:both"]
    person = next(f for f in both.evidence if f.uid == "person:both")
    assert set(person.provenance.grades) == {"A1", "X6"}
    assert fact_grade(person.provenance) == "A1"  # confirmed by the KvK
    assert both.grade == "B2"

