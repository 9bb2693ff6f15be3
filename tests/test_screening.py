"""Bibob screening report: parties, declared vs undeclared relations, network, signals."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest

from graph_service.errors import NotFound
from graph_service.screening import dossier_uid, screen
from graph_service.store import Store

from .fixture_graphs import AS_OF, GraphBuilder, build, kvk, scenario_bibob

D1 = "dossier:2025-001"


@pytest.fixture(autouse=True)
def _fixture_year(today_is: Callable[[dt.date], None]) -> None:
    """The fixture graphs are dated 2025: judge retention on AS_OF, not on the calendar."""
    today_is(AS_OF)


def scenario_screening(g: GraphBuilder) -> None:
    """Dossier 2025-001 with premises, a 'betrokkene' signal 3 hops out and one on the site."""
    scenario_bibob(g)
    g.address("addr:7991AB12")
    g.rel("LOCATED_AT", D1, "addr:7991AB12", source="bibob")
    g.signal("signal:SITE", "addr:7991AB12", role="locatie", partner="gemeente")
    g.signal("signal:KVK3", kvk(3), role="betrokkene", partner="belastingdienst",
             grade="B2")


def test_screening_report(store: Store) -> None:
    build(store, scenario_screening)
    report = screen(store, "2025-001", AS_OF)
    assert report.uid == D1
    assert (report.dossier["vergunning_type"], report.dossier["activiteit"]) == (
        "exploitatie", "horeca")
    assert [loc.uid for loc in report.locations] == ["addr:7991AB12"]
    assert {(p.entity.uid, p.role, p.party_ref) for p in report.parties} == {
        (kvk(1), "aanvrager", "P1"), ("person:p1", "bestuurder", "P2"),
        ("person:fin", "vermogensverschaffer", "P3")}
    # declared in the dossier, with the KvK's confirmation where it applies
    assert {(r.start.uid, r.type, r.role, r.end.uid, r.kvk_confirmed)
            for r in report.declared_relations} == {
        ("person:p1", "BIBOB_RELATION", "bestuurder", kvk(1), True),
        ("person:fin", "FINANCES", "vermogensverschaffer", kvk(1), None)}
    # found in the graph, not declared: p2 took office at the aanvrager (p3 has left)
    assert {(r.officer.uid, r.organisation.uid, r.role, r.reason)
            for r in report.undeclared_relations} == {
        ("person:p2", kvk(1), "bestuurder", "functionaris_geen_partij")}
    # art. 3 lid 4 network, with the fewest hops from a party; z is 4 hops out
    assert {(n.entity.uid, n.hops) for n in report.network} == {
        ("person:p2", 1), (kvk(2), 1), ("person:q", 2), (kvk(3), 3)}
    # visible signals (the expired one on p1 is gone), 2 and 3 hops from a party
    assert {(s.signal.uid, s.subject.uid, s.role, s.hops) for s in report.signals} == {
        ("signal:S-3HOP", "person:q", "subject", 2),
        ("signal:KVK3", kvk(3), "betrokkene", 3)}
    far = next(s for s in report.signals if s.signal.uid == "signal:KVK3")
    assert [n.uid for n in far.paths[0].nodes] == [
        D1, "person:p1", kvk(2), "person:q", kvk(3), "signal:KVK3"]
    assert not far.onbevestigd
    assert {(s.signal.uid, s.role) for s in report.location_signals} == {
        ("signal:SITE", "locatie")}
    assert {(h.uid, h.code) for h in report.hits} == {
        (D1, "BIBOB_RELATED_SIGNAL"), (D1, "BIBOB_UNDECLARED_OFFICER"),
        (D1, "BIBOB_PRIVATE_FINANCIER"), (kvk(3), "SIGNAL_NETWORK")}


def test_screening_report_json(store: Store) -> None:
    build(store, scenario_screening)
    data = json.loads(json.dumps(screen(store, D1, AS_OF).to_dict()))
    assert set(data) == {"dossier", "locations", "as_of", "summary", "parties",
                         "declared_relations", "undeclared_relations", "network", "signals",
                         "location_signals", "hits"}
    assert data["summary"] == {
        "parties": 3, "declared_relations": 2, "undeclared_relations": 1, "network": 4,
        "signals": 2, "location_signals": 1, "hits": 4,
        "indicators": ["BIBOB_PRIVATE_FINANCIER", "BIBOB_RELATED_SIGNAL",
                       "BIBOB_UNDECLARED_OFFICER", "SIGNAL_NETWORK"]}
    assert "omschrijving" not in json.dumps(data)  # confidential signal text stays out
    undeclared = data["undeclared_relations"][0]
    assert undeclared["path"]["nodes"][1]["uid"] == "person:p2"
    assert undeclared["path"]["relationships"][0]["sources"] == ["kvk"]


def test_screening_follows_as_of(store: Store, today_is: Callable[[dt.date], None]) -> None:
    build(store, scenario_screening)
    today_is(dt.date(2025, 3, 15))  # run on that day: S-EXPIRED was within its bewaren_tot
    before = screen(store, D1, dt.date(2025, 3, 15))  # p2 not in office yet
    assert before.undeclared_relations == ()
    assert {s.signal.uid for s in before.signals} == {
        "signal:S-3HOP", "signal:KVK3", "signal:S-EXPIRED"}  # not expired yet
    assert "BIBOB_UNDECLARED_OFFICER" not in {h.code for h in before.hits}


def test_screening_unknown_dossier(store: Store) -> None:
    with pytest.raises(NotFound):
        screen(store, "2099-999", AS_OF)
    assert dossier_uid(" 2025-001 ") == dossier_uid("dossier:2025-001") == D1
