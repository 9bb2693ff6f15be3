"""Bibob screening report: parties, declared vs undeclared relations, network, signals."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest

from graph_service.errors import NotFound
from graph_service.model import dossier_uid
from graph_service.risk import hits
from graph_service.risk.evidence import EvidencePath
from graph_service.risk.screening import (
    MAX_NETWORK,
    NETWORK_HIT_PATHS,
    NETWORK_PER_NODE,
    ScreeningReport,
    screen,
)
from graph_service.store import Store
from loaders.base import Rel
from tests.support.fixture_graphs import AS_OF, GraphBuilder, build, kvk, scenario_bibob

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
    # per entity its shortest paths from the dossier, in the graph's direction
    paths = {n.entity.uid: [[x.uid for x in p.nodes] for p in n.paths] for n in report.network}
    assert paths == {
        "person:p2": [[D1, kvk(1), "person:p2"]],
        kvk(2): [[D1, "person:p1", kvk(2)]],
        "person:q": [[D1, "person:p1", kvk(2), "person:q"]],
        kvk(3): [[D1, "person:p1", kvk(2), "person:q", kvk(3)]],
    }
    q = next(n for n in report.network if n.entity.uid == "person:q")
    assert [(r.type, r.start, r.end) for r in q.paths[0].relationships] == [
        ("PARTY_TO", "person:p1", D1), ("FUNCTIONARY_OF", "person:p1", kvk(2)),
        ("FUNCTIONARY_OF", "person:q", kvk(2))]
    assert not report.network_truncated and report.network_overflow == ()
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
                         "declared_relations", "undeclared_relations", "network",
                         "network_limits", "network_overflow", "signals",
                         "location_signals", "hits", "hubs"}
    assert data["network_overflow"] == []
    assert data["network_limits"] == {"max_entities": MAX_NETWORK, "per_node": NETWORK_PER_NODE,
                                      "hops": 3, "max_paths": 25}
    assert data["summary"] == {
        "parties": 3, "declared_relations": 2, "undeclared_relations": 1, "network": 4,
        "network_truncated": False, "network_hidden": 0, "hubs": 0, "signals": 2,
        "location_signals": 1,
        "hits": 4,
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


# -- the network cap ---------------------------------------------------------------------------
D_WIDE = "dossier:2025-090"
D_HUB = "dossier:2025-091"


def scenario_wide(g: GraphBuilder) -> None:
    """Dossier 2025-090: the aanvrager has 10 bestuurders (hop 1), each runs one company
    (hop 2) with 40 other bestuurders (hop 3), the first one (kvk 100) 300: 680 entities."""
    g.dossier(D_WIDE)
    g.org(kvk(90))
    g.party(kvk(90), D_WIDE, "aanvrager", "P1")
    for i in range(10):
        g.person(f"person:b{i}")
        g.functionary(f"person:b{i}", kvk(90))
        g.org(kvk(100 + i))
        g.functionary(f"person:b{i}", kvk(100 + i))
        for j in range(300 if i == 0 else 40):
            g.person(f"person:f{i}-{j:03d}")
            g.functionary(f"person:f{i}-{j:03d}", kvk(100 + i), "aandeelhouder")
    g.signal("signal:F1", "person:f1-000")  # shown (hop 3)
    g.signal("signal:F1-LATE", "person:f1-039")  # on an entity that is not shown


def scenario_hub(g: GraphBuilder) -> None:
    """Dossier 2025-091: the aanvrager has 60 bestuurders; p00 (shown) and p55 (cut off at
    hop 1) both run kvk 98, so p55 is 1 hop out and must not turn up on hop 3."""
    g.dossier(D_HUB)
    g.org(kvk(97))
    g.party(kvk(97), D_HUB, "aanvrager", "P1")
    for j in range(60):
        g.person(f"person:p{j:02d}")
        g.functionary(f"person:p{j:02d}", kvk(97))
    g.org(kvk(98))
    g.functionary("person:p00", kvk(98))
    g.functionary("person:p55", kvk(98))
    g.person("person:x")
    g.finances("person:x", kvk(98), 10000, "other")


def _walkable(report: ScreeningReport, facts: set[tuple[str, str, str, str]]) -> None:
    """Every path of the network and the signals starts at the dossier, is node-simple,
    and each step is a relationship of the graph, with its real direction."""
    paths: list[EvidencePath] = [p for n in report.network for p in n.paths]
    paths += [p for s in report.signals for p in s.paths]
    assert paths
    for path in paths:
        uids = [n.uid for n in path.nodes]
        assert uids[0] == report.uid and len(set(uids)) == len(uids)
        for a, b, rel in zip(uids, uids[1:], path.relationships, strict=False):
            assert {rel.start, rel.end} == {a, b}
            assert (rel.type, rel.start, rel.end, rel.key) in facts
    for n in report.network:
        assert n.paths and all(len(p.relationships) == n.hops + 1 for p in n.paths)


def _facts(store: Store, *scenarios: Callable[[GraphBuilder], None]) -> set[tuple[str, ...]]:
    g = GraphBuilder(store)
    for scenario in scenarios:
        scenario(g)
    facts = {(r.type, str(r.start), str(r.end), r.key)
             for _, records in g.batch for r in records if isinstance(r, Rel)}
    g.write()
    return facts


def test_screening_network_capped(store: Store) -> None:
    facts = _facts(store, scenario_wide)
    report = screen(store, D_WIDE, AS_OF)
    # closest first: hops 1 and 2 complete, hop 3 fills the rest, the 10 companies in turn
    assert len(report.network) == MAX_NETWORK == 250
    by_hop = {h: sorted(n.entity.uid for n in report.network if n.hops == h) for h in (1, 2, 3)}
    assert by_hop[1] == [f"person:b{i}" for i in range(10)]
    assert by_hop[2] == [kvk(100 + i) for i in range(10)]
    assert by_hop[3] == sorted(f"person:f{i}-{j:03d}" for i in range(10) for j in range(23))
    assert report.network_truncated
    assert {(o.hop, o.via.uid, o.hidden, o.total) for o in report.network_overflow} == {
        (3, kvk(100), 300 - 23, 300), *((3, kvk(100 + i), 40 - 23, 40) for i in range(1, 10))}
    assert report.network_hidden() == {3: 277 + 9 * 17}
    data = json.loads(json.dumps(report.to_dict()))
    assert data["summary"]["network"] == 250 and data["summary"]["network_truncated"]
    assert data["summary"]["network_hidden"] == 430
    assert data["network_overflow"][0]["via"]["uid"] == kvk(100)
    # signals only on what is shown
    assert {s.signal.uid for s in report.signals} == {"signal:F1"}
    _walkable(report, facts)


def test_screening_network_per_node_cap(store: Store) -> None:
    facts = _facts(store, scenario_hub)
    report = screen(store, D_HUB, AS_OF)
    hop1 = sorted(n.entity.uid for n in report.network if n.hops == 1)
    assert hop1 == [f"person:p{j:02d}" for j in range(NETWORK_PER_NODE)]
    # p55 is one hop out but cut off there: it is not shown on hop 3 through kvk 98
    assert {(n.entity.uid, n.hops) for n in report.network if n.hops > 1} == {
        (kvk(98), 2), ("person:x", 3)}
    assert [(o.hop, o.via.uid, o.hidden, o.total) for o in report.network_overflow] == [
        (1, kvk(97), 10, 60)]
    x = next(n for n in report.network if n.entity.uid == "person:x")
    assert [[u.uid for u in p.nodes] for p in x.paths] == [
        [D_HUB, kvk(97), "person:p00", kvk(98), "person:x"]]
    assert [(r.type, r.start, r.end) for r in x.paths[0].relationships][-1] == (
        "FINANCES", "person:x", kvk(98))
    _walkable(report, facts)


def test_screening_below_cap_is_complete(store: Store) -> None:
    """Under the cap nothing is cut: every entity within 3 hops, all shortest paths."""
    facts = _facts(store, scenario_screening, scenario_hub)
    report = screen(store, D1, AS_OF)
    assert not report.network_truncated
    assert {(n.entity.uid, n.hops) for n in report.network} == {
        ("person:p2", 1), (kvk(2), 1), ("person:q", 2), (kvk(3), 3)}
    _walkable(report, facts)


D_EVIDENCE = "dossier:2025-092"


def scenario_network_evidence(g: GraphBuilder) -> None:
    """Dossier 2025-092: bestuurder person:nb of the aanvrager also runs kvk 95, whose five
    other bestuurders each have a signal: SIGNAL_NETWORK fires on nb with five paths."""
    g.dossier(D_EVIDENCE)
    g.org(kvk(94))
    g.party(kvk(94), D_EVIDENCE, "aanvrager", "P1")
    g.person("person:nb")
    g.functionary("person:nb", kvk(94))
    g.org(kvk(95))
    g.functionary("person:nb", kvk(95))
    for j in range(5):
        g.person(f"person:ns{j}")
        g.functionary(f"person:ns{j}", kvk(95))
        g.signal(f"signal:NS{j}", f"person:ns{j}")


def test_network_hits_carry_a_few_evidence_paths(store: Store) -> None:
    build(store, scenario_network_evidence)
    [own] = hits(store, "SIGNAL_NETWORK", AS_OF, uid="person:nb")
    assert own.measure == 5 and len(own.paths) == 5  # the entity's own page: every path
    report = screen(store, D_EVIDENCE, AS_OF)
    [shown] = [h for h in report.hits if (h.code, h.uid) == ("SIGNAL_NETWORK", "person:nb")]
    assert shown.measure == 5 and len(shown.paths) == NETWORK_HIT_PATHS == 3
    assert [p.to_dict() for p in shown.paths] == [p.to_dict() for p in own.paths[:3]]


# -- hubs (docs/queries.md, "Hubs") ------------------------------------------------------------
def scenario_shared_bank(g: GraphBuilder) -> None:
    """Two applicants, each with its own bestuurder, financed by the same bank (SBI 6419)."""
    g.org(kvk(64), sbi_code="6419", name="Spaarbank")
    for n, person, dossier in ((11, "person:pa", "2025-0A1"), (12, "person:pb", "2025-0B1")):
        g.org(kvk(n), sbi_code="5610")
        g.person(person)
        g.functionary(person, kvk(n))
        g.dossier(f"dossier:{dossier}")
        g.party(kvk(n), f"dossier:{dossier}", "aanvrager", "P1")
        g.party(kvk(64), f"dossier:{dossier}", "vermogensverschaffer", "P2")
        g.finances(kvk(64), kvk(n), 250000, dossier)


def test_screening_stops_at_the_financing_bank(store: Store) -> None:
    build(store, scenario_shared_bank)
    report = screen(store, "2025-0A1", AS_OF)
    assert {n.entity.uid for n in report.network} == {"person:pa"}
    assert [(h.entity.uid, h.hop, h.behind, h.other_applicants) for h in report.hubs] == [
        (kvk(64), 0, 1, 1)]
    data = json.loads(json.dumps(report.to_dict()))
    assert data["hubs"][0]["other_applicants"] == 1 and data["summary"]["hubs"] == 1


def test_screening_walks_through_the_bank_on_request(store: Store) -> None:
    build(store, scenario_shared_bank)
    report = screen(store, "2025-0A1", AS_OF, hubs="door")
    assert {(n.entity.uid, n.hops) for n in report.network} == {
        ("person:pa", 1), (kvk(12), 1), ("person:pb", 2)}
    assert report.hubs == ()


def test_a_hub_reached_in_the_network_is_an_end_point(store: Store) -> None:
    """The bank is no party here: reached through the applicant, it ends the walk."""
    def scenario(g: GraphBuilder) -> None:
        scenario_shared_bank(g)
        g.dossier("dossier:2025-0C1")
        g.party(kvk(13), "dossier:2025-0C1", "aanvrager", "P1")
        g.org(kvk(13), sbi_code="5610")
        g.finances(kvk(64), kvk(13), 1000, "2025-0X1")
    build(store, scenario)
    report = screen(store, "2025-0C1", AS_OF)
    assert {(n.entity.uid, n.hops, n.hub) for n in report.network} == {(kvk(64), 1, True)}
    assert [(h.entity.uid, h.hop, h.behind, h.other_applicants) for h in report.hubs] == [
        (kvk(64), 1, 2, 2)]
