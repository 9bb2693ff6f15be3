"""Doelbinding in the store: every query, indicator and report sees only visible facts.

A fact (node or relationship) is visible when one of its sources' purpose classes is in
the scope, and not past its ``bewaren_tot`` today. The graphs below hold facts known only
from a Bibob dossier (purpose ``bibob``) or only from the RIEC (``riec``); each test reads
the same graph under FULL and under a narrower scope and asserts exact sets of uids. The
graphs are written with ``loaders.base.write`` (through ``tests.support.fixture_graphs``), so
provenance is what a load writes.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph_service import queries
from graph_service.errors import AccessDenied, NotFound
from graph_service.model.hubs import NO_HUBS
from graph_service.risk import hits, risk
from graph_service.risk.screening import screen
from graph_service.store import Store, access
from graph_service.store.access import Scope
from graph_service.store.registry import load_registry
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

ALL = ("open", "municipal", "bibob", "riec", "sanctions")
SECRET = "person:secret"  # known only from a Bibob dossier
BOTH = "person:both"  # in the KvK and in a Bibob dossier
GHOST = "person:ghost"  # a RIEC-only person with relationships from a Bibob dossier

def only(*classes: str) -> Scope:
    """A scope that sees these purpose classes, unpseudonymised."""
    return Scope(visible=frozenset(classes), label="test/" + ",".join(classes))


def without(*classes: str) -> Scope:
    """A scope that sees every purpose class but these."""
    return only(*(c for c in ALL if c not in classes))


@pytest.fixture
def fixture_year(today_is: Callable[[dt.date], None]) -> None:
    """The fixture graphs are dated 2025: judge retention on AS_OF, not on the calendar."""
    today_is(AS_OF)


# -- a graph with facts from several purposes ----------------------------------------------------
def scenario_queries(g: GraphBuilder) -> None:
    """kvk 1 with two KvK officers, one declared only in a Bibob dossier and one RIEC person.

    kvk 2 finances kvk 1 (a Bibob fact between two KvK organisations); the secret officer
    lives at an address known only from the dossier; the ghost (a RIEC-only node) links
    kvk 3 to kvk 1 through relationships from the dossier.
    """
    g.org(kvk(1), name="Open Holding BV")
    g.person(BOTH, name="Bea Beide")
    g.person(BOTH, name="Bea Beide", source="bibob")
    g.functionary(BOTH, kvk(1))
    g.person("person:o2", name="Otto Open")
    g.functionary("person:o2", kvk(1), "aandeelhouder")
    g.node("Person", SECRET, source="bibob", name="Geheime Getuige", geboortedatum="1970-01-01")
    g.rel("FUNCTIONARY_OF", SECRET, kvk(1), key="bestuurder|2024-01-01", source="bibob",
          role="bestuurder", valid_from="2024-01-01")
    g.address("addr:9999ZZ1", source="bibob")
    g.rel("RESIDES_AT", SECRET, "addr:9999ZZ1", source="bibob")
    g.org(kvk(2), name="Financier BV")
    g.finances(kvk(2), kvk(1), 100000, "2025-001")
    g.org(kvk(3), name="Derde BV")
    g.node("Person", GHOST, source="riec", name="Spook")
    g.rel("FUNCTIONARY_OF", GHOST, kvk(1), key="bestuurder|", source="bibob", role="bestuurder")
    g.rel("FUNCTIONARY_OF", GHOST, kvk(3), key="bestuurder|", source="bibob", role="bestuurder")


def test_a_read_without_scope_is_refused(store: Store) -> None:
    build(store, scenario_queries)
    bare = contextvars.Context()  # a fresh context: no scope set, as in a new thread
    with pytest.raises(AccessDenied):
        bare.run(queries.get_entity, store, kvk(1))
    with pytest.raises(AccessDenied):
        bare.run(hits, store, "STRAW_MAN", AS_OF)
    # an internal statement (operator statistics) needs none
    counts = bare.run(store.read, "read/node_counts")
    assert {r["label"]: r["count"] for r in counts}["Organisation"] == 3


@pytest.mark.parametrize("name", [s.name for s in load_registry() if s.filtered])
def test_every_filtered_statement_refuses_to_run_without_scope(store: Store, name: str) -> None:
    stmt = load_registry().get(name)
    if store.engine not in stmt.engines:
        return  # the store refuses it on this engine anyway (test_cypher_files)
    params = {p: None for p in stmt.params if p not in ("visible", "today")}
    with pytest.raises(AccessDenied, match="no access scope"):
        contextvars.Context().run(store.read, name, params)


# -- entity, neighbourhood, paths, search ----------------------------------------------------------
def test_entity_shows_only_visible_facts(store: Store) -> None:
    build(store, scenario_queries)
    with access.scope(only("open")):
        with pytest.raises(NotFound):
            queries.get_entity(store, SECRET)
        assert queries.entity(store, "addr:9999ZZ1") is None
        both = queries.get_entity(store, BOTH)
        assert both["provenance"]["sources"] == ["kvk"]
        assert both["provenance"]["purposes"] == ["open"]
        assert all(r.startswith("kvk:") for r in both["provenance"]["source_records"])
        assert queries.get_entity(store, kvk(1))["relationship_counts"] == {"FUNCTIONARY_OF": 2}
    with access.scope(only("open", "bibob")):  # the ghost node stays hidden
        assert queries.get_entity(store, kvk(1))["relationship_counts"] == {
            "FINANCES": 1, "FUNCTIONARY_OF": 3}
    both = queries.get_entity(store, BOTH)  # FULL
    assert sorted(both["provenance"]["sources"]) == ["bibob", "kvk"]
    assert queries.get_entity(store, kvk(1))["relationship_counts"] == {
        "FINANCES": 1, "FUNCTIONARY_OF": 4}


def test_neighbourhood_hides_relationships_and_what_lies_behind_them(store: Store) -> None:
    build(store, scenario_queries)

    def around(depth: int, **kw: Any) -> tuple[set[str], set[tuple[str, str, str]]]:
        sub = queries.neighbourhood(store, kvk(1), depth=depth, **kw)
        return ({n["uid"] for n in sub.nodes},
                {(r["_start"], r["_type"], r["_end"]) for r in sub.relationships})

    with access.scope(only("open")):
        assert around(2) == ({kvk(1), BOTH, "person:o2"},
                             {(BOTH, "FUNCTIONARY_OF", kvk(1)),
                              ("person:o2", "FUNCTIONARY_OF", kvk(1))})
        capped = queries.neighbourhood(store, kvk(1), per_node=1)
        assert capped.overflow == [{"via": kvk(1), "label": "Person", "type": "FUNCTIONARY_OF",
                                    "count": 1, "total": 2}]
    with access.scope(only("open", "bibob")):
        nodes, _ = around(2)
        assert nodes == {kvk(1), BOTH, "person:o2", SECRET, kvk(2), "addr:9999ZZ1"}
        # the ghost's FUNCTIONARY_OF is visible, the ghost is not: not in the total either
        capped = queries.neighbourhood(store, kvk(1), per_node=1)
        totals = {(o["label"], o["type"]): o["total"] for o in capped.overflow}
        assert totals[("Person", "FUNCTIONARY_OF")] == 3
    nodes, rels = around(2)  # FULL
    assert nodes == {kvk(1), BOTH, "person:o2", SECRET, kvk(2), "addr:9999ZZ1", GHOST, kvk(3)}
    assert (SECRET, "FUNCTIONARY_OF", kvk(1)) in rels
    capped = queries.neighbourhood(store, kvk(1), per_node=1)
    totals = {(o["label"], o["type"]): o["total"] for o in capped.overflow}
    assert totals[("Person", "FUNCTIONARY_OF")] == 4


def _path_uids(found: list[queries.Path]) -> list[list[str]]:
    return [p.uids for p in found]


@pytest.mark.parametrize("all_shortest", [False, True])
@pytest.mark.parametrize("algorithm", [queries.paths, queries.breadth_first_paths])
def test_paths_do_not_pass_hidden_relationships_or_nodes(
    store: Store, algorithm: Callable[..., list[queries.Path]], all_shortest: bool
) -> None:
    build(store, scenario_queries)

    def found(a: str, b: str) -> list[list[str]]:
        return _path_uids(algorithm(store, a, b, all_shortest=all_shortest))

    # kvk 2 reaches the KvK officer only through the Bibob FINANCES relationship
    assert found(kvk(2), BOTH) == [[kvk(2), kvk(1), BOTH]]
    # kvk 3 reaches kvk 1 only through the RIEC-only ghost (over Bibob relationships)
    assert found(kvk(3), kvk(1)) == [[kvk(3), GHOST, kvk(1)]]
    with access.scope(without("bibob")):
        assert found(kvk(2), BOTH) == []
        with pytest.raises(NotFound):
            found(SECRET, BOTH)
    with access.scope(without("riec")):
        assert found(kvk(2), BOTH) == [[kvk(2), kvk(1), BOTH]]
        assert found(kvk(3), kvk(1)) == []


def test_the_path_search_steps_filter_each_node_and_relationship(store: Store) -> None:
    """The breadth-first search's own statements, without the Python checks after them."""
    build(store, scenario_queries)
    types = queries.rel_types_param(None)

    def expand(uid: str) -> set[str]:
        rows = store.read("read/paths_expand", {"uids": [uid], "types": types, "as_of": None,
                                                 "ends": [], **NO_HUBS.params()})
        return {r["other"] for r in rows}

    def links(a: str, b: str) -> list[str]:
        rows = store.read("read/paths_links", {"pairs": [{"a": a, "b": b}], "types": types,
                                               "as_of": None})
        return [r["type"] for r in rows]

    assert expand(kvk(3)) == {GHOST}
    assert links(kvk(2), kvk(1)) == ["FINANCES"]
    with access.scope(without("riec")):
        assert expand(kvk(3)) == set()  # a visible relationship to a hidden node
        assert links(GHOST, kvk(1)) == []
    with access.scope(without("bibob")):
        assert expand(kvk(2)) == set()  # a hidden relationship between visible nodes
        assert links(kvk(2), kvk(1)) == []


def test_search_finds_only_visible_entities(store: Store) -> None:
    build(store, scenario_queries)
    assert [r["uid"] for r in queries.search(store, "geheime")] == [SECRET]
    assert [r["uid"] for r in queries.search(store, "spook")] == [GHOST]
    with access.scope(without("bibob")):
        assert queries.search(store, "geheime") == []
        assert queries.search(store, "9999zz1") == []  # the address from the dossier
    with access.scope(without("riec")):
        assert queries.search(store, "spook") == []


def test_a_pseudonymised_reader_cannot_find_a_person_by_name(store: Store) -> None:
    build(store, scenario_queries)
    pseudo = Scope(visible=frozenset({"open"}), pseudonymise=True, pseudonym_key=b"k")
    with access.scope(pseudo):
        assert queries.search(store, "otto") == []  # no re-identification by name
        assert [r["uid"] for r in queries.search(store, "open holding")] == [kvk(1)]
        (by_uid,) = queries.search(store, "person:o2")
        assert by_uid["name"].startswith("Persoon ") and "Otto" not in json.dumps(by_uid)


def test_a_scope_that_sees_nothing_is_refused(store: Store) -> None:
    build(store, scenario_queries)
    with access.scope(Scope(visible=frozenset(), label="admin/beheer")), \
            pytest.raises(AccessDenied):
        queries.search(store, "open holding")


# -- hotspots -----------------------------------------------------------------------------------
def scenario_hotspots(g: GraphBuilder) -> None:
    """addr H: a KvK registration, a resident from a Bibob dossier, a RIEC-only person
    whose residence the dossier names, and a RIEC signal; addr R: an address known only
    from the RIEC, with a signal."""
    g.address("addr:1111HH1")
    g.org(kvk(1))
    g.registered(kvk(1), "addr:1111HH1")
    g.node("Person", SECRET, source="bibob")
    g.rel("RESIDES_AT", SECRET, "addr:1111HH1", source="bibob")
    g.node("Person", GHOST, source="riec")
    g.rel("RESIDES_AT", GHOST, "addr:1111HH1", source="bibob")
    g.signal("signal:H1", "addr:1111HH1", role="locatie")
    g.address("addr:2222RR2", source="riec")
    g.signal("signal:R1", "addr:2222RR2", role="locatie")


def test_hotspots_count_only_visible_facts(store: Store, fixture_year: None) -> None:
    build(store, scenario_hotspots)

    def ranking() -> list[tuple[Any, ...]]:
        return [(r["uid"], r["score"], r["counts"]["organisations"], r["counts"]["persons"],
                 r["counts"]["signals"]) for r in queries.hotspots(store, "address", AS_OF)]

    assert ranking() == [("addr:1111HH1", 8, 1, 2, 1), ("addr:2222RR2", 5, 0, 0, 1)]
    with access.scope(only("open")):
        assert ranking() == [("addr:1111HH1", 1, 1, 0, 0)]
    with access.scope(without("bibob")):
        assert ranking() == [("addr:1111HH1", 6, 1, 0, 1), ("addr:2222RR2", 5, 0, 0, 1)]
    with access.scope(without("riec")):  # the ghost's RESIDES_AT shows, the ghost does not
        assert ranking() == [("addr:1111HH1", 2, 1, 1, 0)]


# -- indicators ---------------------------------------------------------------------------------
Scenario = Callable[[GraphBuilder], None]
INDICATOR_CASES: list[tuple[str, tuple[Scenario, ...], set[str], Scope, set[str]]] = [
    # code, scenarios, hits with FULL, narrower scope, hits under it
    ("STRAW_MAN", (scenario_straw_men,), {"person:straw"}, without("open"), set()),
    ("MASS_REGISTRATION", (scenario_mass_registration,), {"addr:1000AA1"}, without("open"),
     set()),
    ("PHOENIX_PATTERN", (scenario_phoenix,), {"person:phoenix"}, without("open"), set()),
    ("BIBOB_RELATED_SIGNAL", (scenario_bibob,), {"dossier:2025-001"}, without("bibob"), set()),
    ("BIBOB_RELATED_SIGNAL", (scenario_bibob,), {"dossier:2025-001"}, without("riec"), set()),
    ("BIBOB_UNDECLARED_OFFICER", (scenario_bibob,), {"dossier:2025-001"}, without("bibob"),
     set()),
    ("BIBOB_UNDECLARED_OFFICER", (scenario_bibob,), {"dossier:2025-001"}, without("open"),
     set()),
    ("BIBOB_PRIVATE_FINANCIER", (scenario_bibob, scenario_bibob_loans),
     {"dossier:2025-001", "dossier:2025-003"}, without("bibob"), set()),
    ("SHED_SUSPICIOUS_LEASE", (scenario_shed_leases,), {"object:S1", "object:S3"},
     without("municipal"), set()),
    # the signal paths need the RIEC; S3's hennep find is a municipal fact
    ("SHED_TENANT_SIGNAL", (scenario_shed_tenants,), {"object:S1", "object:S2", "object:S3"},
     without("riec"), {"object:S3"}),
    ("SHED_VULNERABLE_OWNER", (scenario_shed_owners,), {"object:S1", "object:S2"},
     without("municipal"), set()),
    ("PARK_OVERCROWDING", (scenario_park_overcrowding,), {"unit:VP-1/1"}, without("municipal"),
     set()),
    ("PARK_EMPLOYER_HOUSING", (scenario_park_employers,), {"unit:VP-1/1", "unit:VP-1/2"},
     without("open"), set()),
    ("PARK_OWNER_CONCENTRATION", (scenario_park_owners,), {"person:o1"}, without("municipal"),
     set()),
    ("COMPANY_ON_PARK", (scenario_company_on_park,), {kvk(1), kvk(2)}, without("municipal"),
     set()),
    ("MULTI_PARTNER_SIGNALS", (scenario_multi_partner,), {"person:two"}, without("riec"),
     set()),
    ("SIGNAL_NETWORK", (scenario_signal_network,), {"person:hub", kvk(4)}, without("riec"),
     set()),
    # the list entries are of the sanctions class; the register's side alone fires nothing
    ("SANCTIONS_MATCH", (scenario_sanctions,), {"person:sanctioned", "person:pep", kvk(901)},
     without("sanctions"), set()),
    ("SANCTIONS_MATCH", (scenario_sanctions,), {"person:sanctioned", "person:pep", kvk(901)},
     without("open"), set()),
]


def test_the_cases_cover_every_indicator() -> None:
    from graph_service.risk.indicators import list_indicators

    assert {c[0] for c in INDICATOR_CASES} == {i.code for i in list_indicators()}


@pytest.mark.parametrize(
    "code, scenarios, full, narrow, narrowed", INDICATOR_CASES,
    ids=[f"{c[0]}-{'+'.join(sorted(c[3].visible))}" for c in INDICATOR_CASES],
)
def test_indicator_sees_only_visible_facts(
    store: Store, fixture_year: None, code: str, scenarios: tuple[Scenario, ...],
    full: set[str], narrow: Scope, narrowed: set[str],
) -> None:
    build(store, *scenarios)
    assert {h.uid for h in hits(store, code, AS_OF)} == full
    with access.scope(narrow):
        found = hits(store, code, AS_OF)
        assert {h.uid for h in found} == narrowed
        purposes = {p for h in found for e in h.evidence for p in e.provenance.purposes}
        assert purposes <= narrow.visible


def scenario_straw_declared(g: GraphBuilder) -> None:
    """Five organisations led by straw; the fifth known only from a Bibob declaration.

    straw2 leads five KvK organisations; the role at the fifth is declared only in a
    dossier (a hidden relationship between two visible nodes).
    """
    g.person("person:straw")
    g.person("person:straw2")
    for n in range(1, 5):
        g.org(kvk(n))
        g.functionary("person:straw", kvk(n), valid_from="2020-01-01")
        g.org(kvk(10 + n))
        g.functionary("person:straw2", kvk(10 + n), valid_from="2020-01-01")
    g.org(kvk(5), source="bibob")
    g.rel("FUNCTIONARY_OF", "person:straw", kvk(5), key="bestuurder|2020-01-01",
          source="bibob", role="bestuurder", valid_from="2020-01-01")
    g.org(kvk(15))
    g.rel("FUNCTIONARY_OF", "person:straw2", kvk(15), key="bestuurder|2020-01-01",
          source="bibob", role="bestuurder", valid_from="2020-01-01")


def test_straw_man_counts_only_visible_functionaris_relationships(
    store: Store, fixture_year: None
) -> None:
    build(store, scenario_straw_declared)
    assert {(h.uid, h.measure) for h in hits(store, "STRAW_MAN", AS_OF)} == {
        ("person:straw", 5), ("person:straw2", 5)}
    with access.scope(only("open")):
        assert hits(store, "STRAW_MAN", AS_OF) == []
        # four visible organisations each: a lower threshold shows what was counted
        found = {h.uid: h for h in hits(store, "STRAW_MAN", AS_OF, thresholds={"min_orgs": 4})}
        assert {uid: h.measure for uid, h in found.items()} == {
            "person:straw": 4, "person:straw2": 4}
        assert {n.uid for p in found["person:straw"].paths for n in p.nodes} == {
            "person:straw", *(kvk(n) for n in range(1, 5))}
    with access.scope(only("open", "bibob")):
        assert {h.uid for h in hits(store, "STRAW_MAN", AS_OF)} == {
            "person:straw", "person:straw2"}


def scenario_cheap_confidential_rents(g: GraphBuilder) -> None:
    """The shed market plus seven cheap tenancies (1 euro/m2) known only from a dossier."""
    scenario_shed_leases(g)
    for i in range(1, 8):
        g.node("RuralObject", f"object:C{i}", source="bibob", oppervlakte_m2=100)
        g.rel("RENTS", kvk(1), f"object:C{i}", key="2023-01-01", source="bibob", rent_pm=100,
              payment="bank", valid_from="2023-01-01")


def test_the_median_rent_is_computed_from_visible_tenancies(
    store: Store, fixture_year: None
) -> None:
    build(store, scenario_cheap_confidential_rents)
    # with the dossier the median drops to 3 euro/m2 and S4 (9.90) lies above 2x that
    assert {h.uid for h in hits(store, "SHED_SUSPICIOUS_LEASE", AS_OF)} == {
        "object:S1", "object:S3", "object:S4"}
    with access.scope(without("bibob")):  # median 5 euro/m2, as without the dossier
        assert {h.uid for h in hits(store, "SHED_SUSPICIOUS_LEASE", AS_OF)} == {
            "object:S1", "object:S3"}


def scenario_separated_rents(g: GraphBuilder) -> None:
    """Tenancies where one element is known only from a dossier: the tenancy itself, the
    shed, or the tenant; and one tenancy all from the sheds register."""
    g.person("person:t", source="schuren")
    g.person("person:hidden", source="bibob")
    for uid in ("object:V", "object:R"):
        g.shed(uid)
    g.node("RuralObject", "object:O", source="bibob", oppervlakte_m2=100)
    g.rents("person:t", "object:V")
    g.rel("RENTS", "person:t", "object:R", key="2023-01-01", source="bibob", rent_pm=100,
          valid_from="2023-01-01")
    g.rel("RENTS", "person:t", "object:O", key="2023-01-01", source="schuren", rent_pm=100,
          valid_from="2023-01-01")
    g.shed("object:T")
    g.rel("RENTS", "person:hidden", "object:T", key="2023-01-01", source="schuren",
          rent_pm=100, valid_from="2023-01-01")


def test_the_rents_behind_the_median_are_visible_facts_only(
    store: Store, fixture_year: None
) -> None:
    build(store, scenario_separated_rents)

    def rented() -> tuple[int, float | None]:
        [row] = store.read("read/risk_shed_rents", {"as_of": AS_OF})
        return row["tenancies"], row["median"]

    # 500 euro on V, 100 on R, O and T (every shed 100 m2): the median of 5, 1, 1, 1
    assert rented() == (4, 1.0)
    with access.scope(without("bibob")):
        assert rented() == (1, 5.0)  # only V: every other tenancy has a dossier-only part


def scenario_declared_exploitant(g: GraphBuilder) -> None:
    """kvk 4 on park VP-1; that it runs the park is known only from a Bibob dossier."""
    g.address("addr:7991AA1")
    g.park("park:VP-1", address="addr:7991AA1")
    g.org(kvk(4), sbi_code="5530")
    g.registered(kvk(4), "addr:7991AA1")
    g.rel("OPERATES", kvk(4), "park:VP-1", source="bibob")


def test_a_hidden_relationship_does_not_excuse_either(store: Store, fixture_year: None) -> None:
    """COMPANY_ON_PARK leaves out the exploitant only when the scope can see it is one."""
    build(store, scenario_declared_exploitant)
    assert hits(store, "COMPANY_ON_PARK", AS_OF) == []
    with access.scope(without("bibob")):
        assert {h.uid for h in hits(store, "COMPANY_ON_PARK", AS_OF)} == {kvk(4)}


# -- risk and screening ---------------------------------------------------------------------------
def scenario_straw_with_signals(g: GraphBuilder) -> None:
    """straw of five organisations (one from a dossier) and subject of two partners' signals."""
    scenario_straw_declared(g)
    g.signal("signal:P1", "person:straw", partner="politie")
    g.signal("signal:P2", "person:straw", partner="belastingdienst")


def test_risk_is_built_from_visible_hits_only(store: Store, fixture_year: None) -> None:
    build(store, scenario_straw_with_signals)

    def score() -> tuple[float, list[str]]:
        found = risk(store, "person:straw", AS_OF)
        return found.score, [c.hit.code for c in found.hits]

    # severity x 1.0: the best grade on both hits is the KvK's A1 on the person
    assert score() == (7.0, ["MULTI_PARTNER_SIGNALS", "STRAW_MAN"])
    with access.scope(without("riec")):
        assert score() == (3.0, ["STRAW_MAN"])
    with access.scope(without("bibob")):
        assert score() == (4.0, ["MULTI_PARTNER_SIGNALS"])
    with access.scope(only("open")):
        assert score() == (0.0, [])


def test_screening_needs_bibob_and_shows_only_visible_findings(
    store: Store, fixture_year: None
) -> None:
    build(store, scenario_bibob)
    full = screen(store, "2025-001", AS_OF)
    assert {s.signal.uid for s in full.signals} == {"signal:S-3HOP"}
    assert {u.officer.uid for u in full.undeclared_relations} == {"person:p2"}
    with access.scope(without("bibob")):
        with pytest.raises(NotFound, match="Bibob-dossier"):
            screen(store, "2025-001", AS_OF)
        assert store.read("read/screening_dossier", {"uid": "dossier:2025-001"}) == []
    with access.scope(without("riec")):
        report = screen(store, "2025-001", AS_OF)
        assert report.signals == () and report.location_signals == ()
        assert "BIBOB_RELATED_SIGNAL" not in {h.code for h in report.hits}
        assert {n.entity.uid for n in report.network} == {
            n.entity.uid for n in full.network}
    with access.scope(only("bibob", "riec")):  # the KvK is out of sight
        report = screen(store, "2025-001", AS_OF)
        assert {p.entity.uid for p in report.parties} == {"person:fin"}
        assert report.undeclared_relations == () and report.network == ()
        assert {h.code for h in report.hits} == {"BIBOB_PRIVATE_FINANCIER"}


# -- retention ----------------------------------------------------------------------------------
def scenario_expired(g: GraphBuilder) -> None:
    """person:x is the subject of four signals from four partners; on the real calendar one
    expired yesterday, one expires today, two are current."""
    today = dt.date.today()
    received = (today - dt.timedelta(days=30)).isoformat()
    g.person("person:x")
    g.org(kvk(1))
    g.functionary("person:x", kvk(1), valid_from="2020-01-01")
    for uid, partner, keep in [("signal:GONE", "politie", -1), ("signal:LAST", "fiod", 0),
                               ("signal:K1", "uwv", 400), ("signal:K2", "om", 400)]:
        bewaren = (today + dt.timedelta(days=keep)).isoformat()
        g.signal(uid, "person:x", partner=partner, ontvangstdatum=received,
                 bewaren_tot=bewaren)


def test_a_signal_past_bewaren_tot_never_appears(store: Store) -> None:
    assert access.today() == dt.date.today()  # the store judges on the real calendar
    build(store, scenario_expired)
    today = dt.date.today()
    before = today - dt.timedelta(days=2)  # as_of when GONE was still within its term
    assert queries.entity(store, "signal:GONE") is None
    assert queries.get_entity(store, "signal:LAST")["uid"] == "signal:LAST"
    assert queries.search(store, "signal:gone") == []
    sub = queries.neighbourhood(store, "person:x")
    assert {n["uid"] for n in sub.nodes} == {
        "person:x", kvk(1), "signal:LAST", "signal:K1", "signal:K2"}
    assert queries.get_entity(store, "person:x")["relationship_counts"] == {
        "CONCERNS": 3, "FUNCTIONARY_OF": 1}
    with pytest.raises(NotFound):
        queries.paths(store, "signal:GONE", kvk(1))
    (hit,) = hits(store, "MULTI_PARTNER_SIGNALS", before)
    assert hit.measure == 3  # GONE would count on as_of, but it is gone today
    assert {n.uid for p in hit.paths for n in p.nodes if n.label == "Signal"} == {
        "signal:LAST", "signal:K1", "signal:K2"}
    assert "signal:GONE" not in json.dumps(risk(store, "person:x", before).to_dict())


# -- pseudonymisation ---------------------------------------------------------------------------
REAL = ("Hendrikus", "Zwanenburg", "1971-03-14")


def scenario_named(g: GraphBuilder) -> None:
    """A named person who leads five organisations and is a party to a Bibob dossier."""
    g.person("person:hz", name="Hendrikus Zwanenburg", voornamen="Hendrikus",
             geslachtsnaam="Zwanenburg", geboortedatum="1971-03-14",
             name_key="zwanenburg|h|1971-03-14", candidate_key="zwanenburg|h")
    for n in range(1, 6):
        g.org(kvk(n))
        g.functionary("person:hz", kvk(n), valid_from="2020-01-01")
    g.dossier("dossier:2025-009")
    g.party(kvk(1), "dossier:2025-009", "aanvrager", "P1")
    g.party("person:hz", "dossier:2025-009", "bestuurder", "P2")


def test_pseudonymised_persons_show_no_identifying_data(store: Store, fixture_year: None) -> None:
    build(store, scenario_named)
    full = json.dumps(queries.get_entity(store, "person:hz"))
    assert all(word in full for word in REAL[:3])  # the check below can fail
    analyst = Scope(visible=frozenset(ALL), pseudonymise=True, pseudonym_key=b"k",
                    label="analyst/analyse")
    alias = access.pseudonym("person:hz", b"k")
    token = access.person_token("person:hz", b"k")
    with access.scope(analyst):
        shown: dict[str, Any] = {
            "entity": queries.get_entity(store, token),
            "neighbourhood": queries.neighbourhood(store, kvk(1)).to_dict(),
            "paths": [p.to_dict() for p in queries.paths(store, kvk(1), kvk(2))],
            "hits": [h.to_dict() for h in hits(store, "STRAW_MAN", AS_OF)],
            "risk": risk(store, token, AS_OF).to_dict(),
            "screen": screen(store, "2025-009", AS_OF).to_dict(),
        }
        again = queries.get_entity(store, token)
        # the real uid names nothing for this reader: persons are named by their tokens
        assert queries.entity(store, "person:hz") is None
    for part, data in shown.items():
        text = json.dumps(data)
        for word in REAL:
            assert not re.search(word, text, re.IGNORECASE), (part, word)
        assert alias in text, part
        assert "person:" not in text, part  # no real person uid anywhere
    assert again["name"] == shown["entity"]["name"] == alias  # stable
    assert [h["uid"] for h in shown["hits"]] == [token]  # the token links


# Internal statements that modules serving users may name, each with the reason it shows no
# hidden fact: the stored-hit refresh and the watchlist snapshots run as the load (the operator)
# and keep, per hit and alert, the scopes that may see it; the state and run records hold no
# facts. Every pair must still be named (the list cannot rot); any other internal name fails.
MAINTENANCE_READS = {
    ("cli/risk.py", "read/hits_runs"): "refresh records: counts per indicator, no facts",
    ("risk/stored.py", "read/hits_state"): "generation and refresh record, no facts",
    ("risk/recorder.py", "read/hits_pending"): "the uids whose changes wait for a refresh, "
                                               "for the refresh only, never shown",
    ("risk/stored.py", "read/hits_run"): "one refresh record: keys for counts, no facts shown",
    ("risk/stored.py", "read/hits_anchors"): "full refresh: runs indicators per scope",
    ("risk/stored.py", "read/hits_list_entities"): "refresh: which scopes see a list "
                                                   "entity, as hits_anchors, no facts shown",
    ("risk/stored.py", "read/hits_labels"): "incremental refresh: labels and visibility data",
    ("risk/recorder.py", "read/changes_nodes"): "a load's facts before and after its merge, "
                                              "compared for the refresh, never shown",
    ("risk/recorder.py", "read/changes_relationships"): "as changes_nodes, for relationships",
    ("risk/reach.py", "read/hits_adjacent"): "refresh: the walks over the graph, uids only",
    ("risk/reach.py", "read/hits_labels"): "refresh: the labels of the uids walked",
    ("risk/reach.py", "read/hits_may_fire_company_on_park"):
        "full refresh: the entities it runs the indicator on, uids only",
    ("risk/reach.py", "read/hits_may_fire_multi_partner_signals"):
        "full refresh: the entities it runs the indicator on, uids only",
    ("risk/reach.py", "read/hits_may_fire_mass_registration"):
        "full refresh: the entities it runs the indicator on, uids only",
    ("risk/reach.py", "read/hits_may_fire_park_employer_housing"):
        "full refresh: the entities it runs the indicator on, uids only",
    ("risk/reach.py", "read/hits_may_fire_park_overcrowding"):
        "full refresh: the entities it runs the indicator on, uids only",
    ("risk/reach.py", "read/hits_may_fire_park_owner_concentration"):
        "full refresh: the entities it runs the indicator on, uids only",
    ("risk/reach.py", "read/hits_may_fire_phoenix_pattern"):
        "full refresh: the entities it runs the indicator on, uids only",
    ("risk/reach.py", "read/hits_may_fire_straw_man"):
        "full refresh: the entities it runs the indicator on, uids only",
    ("risk/judgements.py", "read/review_decided"): "the current verdicts: uid pairs that "
                                                   "form the resolved view, never shown",
    ("risk/judgements.py", "read/review_judgements"): "decisions shown only for pairs whose "
                                                      "two records the scope sees",
    ("risk/judgements.py", "read/review_judgements_of"): "as review_judgements, per record",
    ("risk/watch.py", "read/hits_labels"): "watchlist: does the followed uid exist",
    ("risk/watch.py", "read/watch_all"): "after a load: the snapshots compared, never shown",
    ("risk/watch.py", "read/watch_facts"): "snapshot facts with the scopes that see them",
    ("risk/watch.py", "read/watch_hits"): "snapshot hits with the scope they were computed in",
    ("risk/watch.py", "read/watch_list"): "the case's own list of uids, no facts",
    ("risk/watch.py", "read/watch_neighbours"): "the followed neighbourhood, uids only",
}


def test_user_facing_modules_use_filtered_statements_only() -> None:
    """No module that serves users names an internal statement (those bypass the filter),
    except the maintenance reads listed above with their reasons."""
    registry = load_registry()
    root = Path(__file__).parent.resolve().parent.parent / "graph_service"
    modules = [str(p.relative_to(root)) for p in sorted(
        [*(root / "queries").glob("*.py"), *(root / "risk").glob("*.py")])] + ["cli/risk.py"]
    named = {m: set(re.findall(r"\"(read/[a-z_]+)\"", (root / m).read_text(encoding="utf-8")))
             for m in modules}
    assert set().union(*named.values()) >= {"read/entity_nodes", "read/risk_entities"}
    for module, names in named.items():
        for name in names:
            assert registry.get(name).filtered or (module, name) in MAINTENANCE_READS, \
                (module, name)
    for module, name in MAINTENANCE_READS:
        assert name in named[module] and not registry.get(name).filtered, (module, name)
    assert all(registry.get(n).filtered for n in registry.names("indicators/"))


PERSON_SCALAR = re.compile(
    r"\b(\w+)\.(name|voornamen|voorvoegsel|geslachtsnaam|geboortedatum|name_key|candidate_key)"
    r"\s+AS\s+\w+")


def test_person_data_travels_in_a_map_with_its_uid() -> None:
    """A filtered statement returns a name or birth date as a column only next to the
    same variable's uid as ``uid``: the store pseudonymises maps by their ``uid``."""
    for stmt in load_registry():
        if not stmt.filtered:
            continue
        for engine in stmt.engines:
            text = stmt.text_for(engine)
            returned = text[text.rindex("RETURN"):]
            for var, _ in PERSON_SCALAR.findall(returned):
                assert re.search(rf"\b{var}\.uid\s+AS\s+uid\b", returned), (stmt.name, var)
    # the check can fail
    assert PERSON_SCALAR.findall("RETURN a.uid AS start, a.name AS start_name") == [
        ("a", "name")]
