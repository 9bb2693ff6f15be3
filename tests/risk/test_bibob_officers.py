"""BIBOB_UNDECLARED_OFFICER counts the officers of the applicant and of the parties that
hold control over it (bestuurder, aandeelhouder, uiteindelijk belanghebbende), never those
of a lender (vermogensverschaffer), landlord, business relation or representative."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from graph_service.risk import hits
from graph_service.store import Store
from tests.support.fixture_graphs import AS_OF, GraphBuilder, build, kvk


@pytest.fixture(autouse=True)
def _fixture_year(today_is: Callable[[dt.date], None]) -> None:
    today_is(AS_OF)


def scenario_controlling_parties(g: GraphBuilder) -> None:
    """Dossier 2025-060: undeclared officers of the applicant, of a shareholding and of a
    directing organisation (true), and of a bank and a landlord (not). Dossier 2025-061:
    only a lender's officers are undeclared (near-miss)."""
    g.dossier("dossier:2025-060")
    g.org(kvk(61), name="Aanvrager BV")
    g.org(kvk(62), name="Bank NV", sbi_code="6419")
    g.org(kvk(63), name="Holding BV", sbi_code="6420")
    g.org(kvk(64), name="Verhuur BV", sbi_code="6820")
    g.org(kvk(65), name="Bestuur BV")
    g.party(kvk(61), "dossier:2025-060", "aanvrager", "P1")
    g.party(kvk(62), "dossier:2025-060", "vermogensverschaffer", "P2", amount=500000)
    g.party(kvk(63), "dossier:2025-060", "aandeelhouder", "P3")
    g.party(kvk(64), "dossier:2025-060", "verhuurder", "P4")
    g.party(kvk(65), "dossier:2025-060", "bestuurder", "P5")
    g.person("person:declared")
    g.party("person:declared", "dossier:2025-060", "bestuurder", "P6")
    g.functionary("person:declared", kvk(61))
    for who, org in (("person:applicant-officer", 61), ("person:bank-director", 62),
                     ("person:holding-officer", 63), ("person:landlord-officer", 64),
                     ("person:director-officer", 65)):
        g.person(who)
        g.functionary(who, kvk(org))

    g.dossier("dossier:2025-061")
    g.org(kvk(66))
    g.org(kvk(67), sbi_code="6419")
    g.party(kvk(66), "dossier:2025-061", "aanvrager", "P1")
    g.party(kvk(67), "dossier:2025-061", "vermogensverschaffer", "P2", amount=100000)
    g.person("person:d66")
    g.party("person:d66", "dossier:2025-061", "bestuurder", "P3")
    g.functionary("person:d66", kvk(66))
    g.person("person:bank-officer")
    g.functionary("person:bank-officer", kvk(67))


def test_officers_of_controlling_parties_count_lenders_do_not(store: Store) -> None:
    build(store, scenario_controlling_parties)
    found = {h.uid: h for h in hits(store, "BIBOB_UNDECLARED_OFFICER", AS_OF)}
    assert set(found) == {"dossier:2025-060"}
    hit = found["dossier:2025-060"]
    officers = {p.nodes[-1].uid for p in hit.paths}
    assert officers == {"person:applicant-officer", "person:holding-officer",
                        "person:director-officer"}
    assert hit.measure == 3
    parties = {p.nodes[1].uid for p in hit.paths}
    assert parties == {kvk(61), kvk(63), kvk(65)}
    assert "3 actieve KvK-functionarissen" in hit.sentence


def test_a_lender_alone_does_not_fire(store: Store) -> None:
    build(store, scenario_controlling_parties)
    assert not hits(store, "BIBOB_UNDECLARED_OFFICER", AS_OF, uid="dossier:2025-061")
    # before the application there is nothing to judge
    assert not hits(store, "BIBOB_UNDECLARED_OFFICER", dt.date(2025, 2, 28))
