"""The resolved view in the indicators that count per person or organisation, on both
engines: a confirmed pair (SAME_AS, graph_service.risk.judgements) is one entity, so each
indicator below fires only after a confirmation, and not for a rejected or unsure pair;
the stored hits follow the decision through the incremental refresh (risk.reach.REACH)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from graph_service.risk import hits as find_hits
from graph_service.risk import judgements, stored
from graph_service.store import Store, access
from tests.support.fixture_graphs import AS_OF, GraphBuilder
from tests.support.fixture_graphs import kvk as org_uid

A, B = "person:ra", "person:rb"


def _fires(store: Store, code: str) -> dict[str, Any]:
    return {h.entity.uid: h.measure for h in find_hits(store, code, AS_OF)}


def _decide(store: Store, a: str, b: str, verdict: str) -> judgements.Decision:
    return judgements.judge(store, a, b, verdict, user="tester", reason="test",
                            roles=["bibob_officer"], purpose="bibob_toets",
                            reference="R-001")


def _signal(g: GraphBuilder, uid: str, subject: str, day: dt.date,
            partner: str = "politie") -> None:
    """A signal received a month before ``day`` and kept two years after it."""
    g.signal(uid, subject, partner=partner,
             ontvangstdatum=(day - dt.timedelta(days=30)).isoformat(),
             bewaren_tot=(day + dt.timedelta(days=730)).isoformat())


# -- the graphs: two records that only together make the pattern --------------------------

def _shed_tenant_signal(g: GraphBuilder, day: dt.date) -> tuple[str, str, dict[str, Any]]:
    """Tenant A (a schuren record) rents S1; B (a KvK record) is the subject of a signal."""
    g.shed("object:R1")
    g.person(A, source="schuren")
    g.person(B)
    g.rents(A, "object:R1")
    _signal(g, "signal:R-1", B, day)
    return A, B, {"object:R1": 1}


def _shed_tenant_finding(g: GraphBuilder, day: dt.date) -> tuple[str, str, dict[str, Any]]:
    """Tenant A rents S1; B (the same person, another record) rents S2 where hennep was
    found."""
    g.shed("object:R1")
    g.shed("object:R2", bevinding="hennep", laatste_controle="2024-06-01")
    g.person(A, source="schuren")
    g.person(B, source="schuren")
    g.rents(A, "object:R1")
    g.rents(B, "object:R2")
    return A, B, {"object:R1": 1}


def _shed_functionary_signal(g: GraphBuilder, day: dt.date
                             ) -> tuple[str, str, dict[str, Any]]:
    """Organisation kvk 61 rents S1; its director A has no signal, A's twin B has."""
    g.shed("object:R1")
    g.org(org_uid(61))
    g.person(A)
    g.person(B, source="riec", grade="X6")
    g.rents(org_uid(61), "object:R1")
    g.functionary(A, org_uid(61))
    _signal(g, "signal:R-1", B, day)
    return A, B, {"object:R1": 1}


def _multi_partner(g: GraphBuilder, day: dt.date) -> tuple[str, str, dict[str, Any]]:
    """A signal by the police on A, one by the tax office on B."""
    g.person(A, source="riec", grade="X6")
    g.person(B)
    _signal(g, "signal:R-1", A, day, partner="politie")
    _signal(g, "signal:R-2", B, day, partner="belastingdienst")
    return A, B, {A: 2, B: 2}


def _signal_network(g: GraphBuilder, day: dt.date) -> tuple[str, str, dict[str, Any]]:
    """A directs kvk 61, B directs kvk 62; both organisations are signal subjects."""
    g.person(A)
    g.person(B)
    g.org(org_uid(61))
    g.org(org_uid(62))
    g.functionary(A, org_uid(61))
    g.functionary(B, org_uid(62))
    _signal(g, "signal:R-1", org_uid(61), day)
    _signal(g, "signal:R-2", org_uid(62), day, partner="fiod")
    return A, B, {A: 2, B: 2}


def _phoenix(g: GraphBuilder, day: dt.date) -> tuple[str, str, dict[str, Any]]:
    """A was functionaris of two quickly ended organisations, B of a third."""
    g.person(A)
    g.person(B)
    quick = [("2021-03-01", "2023-02-28"), ("2022-01-31", "2024-01-31"),
             ("2023-06-15", "2024-06-14")]
    for i, (start, end) in enumerate(quick, start=61):
        g.org(org_uid(i), status="opgeheven", datum_aanvang=start, datum_einde=end)
        g.functionary(A if i < 63 else B, org_uid(i), valid_from=start, valid_to=end)
    return A, B, {A: 3, B: 3}


def _park_owners(g: GraphBuilder, day: dt.date) -> tuple[str, str, dict[str, Any]]:
    """A owns three units of VP-R, B two (and one of them together with A)."""
    g.park("park:VP-R")
    g.person(A, source="vakantieparken")
    g.person(B)
    for u in range(1, 6):
        g.unit(f"unit:VP-R/{u}", "park:VP-R")
    for u in (1, 2, 3):
        g.owns(A, f"unit:VP-R/{u}", source="vakantieparken")
    for u in (3, 4, 5):
        g.owns(B, f"unit:VP-R/{u}", source="vakantieparken")
    return A, B, {A: 5, B: 5}


Scenario = Callable[[GraphBuilder, dt.date], tuple[str, str, dict[str, Any]]]
CASES: dict[str, tuple[str, Scenario]] = {
    "shed-tenant-signal": ("SHED_TENANT_SIGNAL", _shed_tenant_signal),
    "shed-tenant-finding": ("SHED_TENANT_SIGNAL", _shed_tenant_finding),
    "shed-functionary-signal": ("SHED_TENANT_SIGNAL", _shed_functionary_signal),
    "multi-partner": ("MULTI_PARTNER_SIGNALS", _multi_partner),
    "signal-network": ("SIGNAL_NETWORK", _signal_network),
    "phoenix": ("PHOENIX_PATTERN", _phoenix),
    "park-owners": ("PARK_OWNER_CONCENTRATION", _park_owners),
}


def _build(store: Store, case: str, day: dt.date = AS_OF
           ) -> tuple[str, str, str, dict[str, Any]]:
    code, scenario = CASES[case]
    g = GraphBuilder(store)
    a, b, expected = scenario(g, day)
    g.write()
    return code, a, b, expected


@pytest.mark.parametrize("case", sorted(CASES))
def test_fires_only_after_a_confirmation(store: Store, case: str) -> None:
    code, a, b, expected = _build(store, case)
    assert not set(expected) & set(_fires(store, code))
    _decide(store, a, b, "positive")
    fired = _fires(store, code)
    assert {u: fired.get(u) for u in expected} == expected
    found = [h for h in find_hits(store, code, AS_OF) if h.entity.uid in expected]
    assert any(r.type == "SAME_AS" for h in found for p in h.paths for r in p.relationships)


@pytest.mark.parametrize("verdict", ["negative", "unsure"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_rejected_or_unsure_pair_is_two(store: Store, case: str, verdict: str) -> None:
    code, a, b, expected = _build(store, case)
    _decide(store, a, b, verdict)
    assert not set(expected) & set(_fires(store, code))


@pytest.mark.parametrize("case", sorted(CASES))
def test_stored_hits_follow_a_confirmation_and_its_reversal(store: Store, case: str) -> None:
    code, a, b, expected = _build(store, case, access.today())
    stored.refresh(store)

    def stored_measures() -> dict[str, Any]:
        with access.scope(access.FULL):
            rows = stored.stored_rows(store, [code], sorted(expected))[code]
        return {r["uid"]: r["measure"] for r in rows}

    assert stored_measures() == {}
    judgements.refresh_after(_decide(store, a, b, "positive"))
    assert stored.read_state(store).current
    assert stored_measures() == expected
    judgements.refresh_after(_decide(store, a, b, "negative"))
    assert stored_measures() == {}


def test_a_confirmed_group_of_subjects_is_one_subject(store: Store) -> None:
    """SIGNAL_NETWORK: A directs two organisations that are signal subjects; once they are
    confirmed to be one organisation, A is linked to one subject only."""
    g = GraphBuilder(store)
    g.person(A)
    g.org(org_uid(61), name="Transport Zuid BV")
    g.org(org_uid(62), name="Transport Zuid B.V.")
    g.functionary(A, org_uid(61))
    g.functionary(A, org_uid(62))
    _signal(g, "signal:R-1", org_uid(61), AS_OF)
    _signal(g, "signal:R-2", org_uid(62), AS_OF, partner="fiod")
    g.write()
    assert _fires(store, "SIGNAL_NETWORK").get(A) == 2
    _decide(store, org_uid(61), org_uid(62), "positive")
    assert A not in _fires(store, "SIGNAL_NETWORK")


def test_the_twin_of_an_entity_is_not_another_subject(store: Store) -> None:
    """SIGNAL_NETWORK: A and B direct one organisation; B and the organisation are signal
    subjects. Before a decision B counts for A as a second subject; once A and B are one
    person, B is A itself."""
    g = GraphBuilder(store)
    g.person(A)
    g.person(B)
    g.org(org_uid(61))
    g.functionary(A, org_uid(61))
    g.functionary(B, org_uid(61))
    _signal(g, "signal:R-1", org_uid(61), AS_OF)
    _signal(g, "signal:R-2", B, AS_OF, partner="fiod")
    g.write()
    assert _fires(store, "SIGNAL_NETWORK").get(A) == 2
    _decide(store, A, B, "positive")
    assert A not in _fires(store, "SIGNAL_NETWORK")


# -- counted once: a confirmation lowers a count ------------------------------------------

def _mass_registration(g: GraphBuilder) -> tuple[str, str, str]:
    """Ten organisation records registered at one address (threshold 10), two of them
    possibly one organisation."""
    g.address("addr:9999ZZ1")
    for n in range(61, 71):
        g.org(org_uid(n))
        g.registered(org_uid(n), "addr:9999ZZ1")
    return org_uid(61), org_uid(62), "addr:9999ZZ1"


def _park_overcrowding(g: GraphBuilder) -> tuple[str, str, str]:
    """Five person records registered in the BRP on one unit (threshold 5), two of them
    possibly one person."""
    g.park("park:VP-R")
    g.unit("unit:VP-R/1", "park:VP-R")
    for i in range(5):
        g.person(f"person:r{i}", source="vakantieparken")
        g.occupies(f"person:r{i}", "unit:VP-R/1")
    return "person:r0", "person:r1", "unit:VP-R/1"


ONCE: dict[str, tuple[str, Callable[[GraphBuilder], tuple[str, str, str]]]] = {
    "mass-registration": ("MASS_REGISTRATION", _mass_registration),
    "park-overcrowding": ("PARK_OVERCROWDING", _park_overcrowding),
}


@pytest.mark.parametrize("verdict", ["positive", "negative", "unsure"])
@pytest.mark.parametrize("case", sorted(ONCE))
def test_a_confirmed_group_is_counted_once(store: Store, case: str, verdict: str) -> None:
    code, scenario = ONCE[case]
    g = GraphBuilder(store)
    a, b, subject = scenario(g)
    g.write()
    stored.refresh(store)

    def stored_subjects() -> set[str]:
        with access.scope(access.FULL):
            return {r["uid"] for r in stored.stored_rows(store, [code], [subject])[code]}

    assert subject in _fires(store, code) and stored_subjects() == {subject}
    judgements.refresh_after(_decide(store, a, b, verdict))
    confirmed = verdict == "positive"
    assert (subject in _fires(store, code)) is not confirmed
    if confirmed:
        assert stored.read_state(store).current
    assert stored_subjects() == (set() if confirmed else {subject})
