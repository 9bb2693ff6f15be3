"""Hubs (docs/queries.md, "Hubs"): a bank that finances two applicants is an end point of
neighbourhoods, paths and centrality, with a count of what lies behind it; walked through
on request (``hubs="door"``). The hubs file is checked like the model file."""

from __future__ import annotations

import pytest

from graph_service import queries
from graph_service.analysis import networks
from graph_service.errors import InvalidParams
from graph_service.model.hubs import HUBS, NO_HUBS, Hubs, hubs_arg, load_hubs
from graph_service.model.schema import ModelError
from graph_service.store import Store
from tests.support.fixture_graphs import GraphBuilder, build, kvk

BANK = kvk(64)
A, B = kvk(11), kvk(12)
DA, DB = "dossier:2025-0A1", "dossier:2025-0B1"


def scenario_shared_bank(g: GraphBuilder) -> None:
    """Two applicants, each with its own bestuurder, financed by the same bank."""
    g.org(BANK, sbi_code="6419", name="Spaarbank")
    for org, person, dossier in ((A, "person:pa", DA), (B, "person:pb", DB)):
        g.org(org, sbi_code="5610")
        g.person(person)
        g.functionary(person, org)
        g.dossier(dossier)
        g.party(org, dossier, "aanvrager", "P1")
        g.party(BANK, dossier, "vermogensverschaffer", "P2")
        g.finances(BANK, org, 250000, dossier.split(":", 1)[1])


# -- the file ------------------------------------------------------------------------------------
def test_shipped_hubs_hold_financial_institutions_and_public_bodies() -> None:
    for sbi in ("6419", "6430", "6491", "6511", "6530", "6612", "8411"):
        assert HUBS.matches("kvk:1", {"sbi_code": sbi}), sbi
    for sbi in ("6420", "5610", "4690"):  # a holding is seen through, as any business
        assert not HUBS.matches("kvk:1", {"sbi_code": sbi}), sbi
    assert not HUBS.matches("kvk:1", {})


@pytest.mark.parametrize(("text", "named"), [
    ("sbi_prefixes: [6419]\n", "sbi_prefixes[0]"),
    ("sbi_prefixes: ['64', 'x1']\n", "sbi_prefixes[1]"),
    ("kvk_numbers: ['1234']\n", "kvk_numbers[0]"),
    ("uids: ['kvk:1', 'kvk:1']\n", "uids[1]"),
    ("legal_forms: 'gemeente'\n", "legal_forms"),
    ("banks: ['64']\n", "banks"),
])
def test_a_bad_entry_names_file_and_entry(text: str, named: str) -> None:
    with pytest.raises(ModelError) as err:
        load_hubs(text, "hubs-test.yaml")
    assert "hubs-test.yaml" in str(err.value) and named in str(err.value)


def test_hubs_argument() -> None:
    assert hubs_arg(None) is HUBS
    assert hubs_arg("door") is NO_HUBS
    own = Hubs(uids=(A,))
    assert hubs_arg(own) is own
    with pytest.raises(InvalidParams):
        hubs_arg("dicht")


# -- neighbourhood ---------------------------------------------------------------------------
def test_neighbourhood_stops_at_the_bank(store: Store) -> None:
    build(store, scenario_shared_bank)
    sub = queries.neighbourhood(store, A, depth=3)
    uids = {n["uid"] for n in sub.nodes}
    assert uids == {A, "person:pa", DA, BANK}
    assert next(n for n in sub.nodes if n["uid"] == BANK).get("_hub") is True
    # behind the bank: the other applicant (FINANCES) and its dossier (PARTY_TO)
    assert sub.hubs == [{"uid": BANK, "behind": 2, "by": [
        {"label": "BibobDossier", "type": "PARTY_TO", "count": 1},
        {"label": "Organisation", "type": "FINANCES", "count": 1}]}]
    assert sub.to_dict()["hubs"] == sub.hubs


def test_neighbourhood_walks_through_on_request(store: Store) -> None:
    build(store, scenario_shared_bank)
    sub = queries.neighbourhood(store, A, depth=3, hubs="door")
    assert {B, "person:pb", DB} <= {n["uid"] for n in sub.nodes}
    assert sub.hubs == []


def test_a_hub_as_root_is_expanded(store: Store) -> None:
    build(store, scenario_shared_bank)
    sub = queries.neighbourhood(store, BANK, depth=1)
    assert {A, B, DA, DB} <= {n["uid"] for n in sub.nodes}


def test_own_hub_list_per_call(store: Store) -> None:
    build(store, scenario_shared_bank)
    sub = queries.neighbourhood(store, "person:pa", depth=3, hubs=Hubs(uids=(A,)))
    assert {n["uid"] for n in sub.nodes} == {"person:pa", A}
    assert [h["uid"] for h in sub.hubs] == [A]


# -- paths -----------------------------------------------------------------------------------
@pytest.mark.parametrize("all_shortest", [False, True])
def test_no_path_runs_through_the_bank(store: Store, all_shortest: bool) -> None:
    build(store, scenario_shared_bank)
    assert queries.paths(store, A, B, all_shortest=all_shortest) == []
    assert queries.breadth_first_paths(store, A, B, all_shortest=all_shortest) == []
    through = queries.paths(store, A, B, all_shortest=all_shortest, hubs="door")
    assert through and through[0].uids == [A, BANK, B]
    assert [p.uids for p in queries.breadth_first_paths(
        store, A, B, all_shortest=all_shortest, hubs="door")][:1] == [[A, BANK, B]]


def test_a_path_may_end_at_the_bank(store: Store) -> None:
    build(store, scenario_shared_bank)
    assert [p.uids for p in queries.paths(store, "person:pa", BANK)] == [
        ["person:pa", A, BANK]]
    assert [p.uids for p in queries.breadth_first_paths(store, "person:pa", BANK)] == [
        ["person:pa", A, BANK]]


# -- centrality ------------------------------------------------------------------------------
def test_the_bank_is_not_the_most_central_node(store: Store) -> None:
    build(store, scenario_shared_bank)
    sub = queries.neighbourhood(store, BANK, depth=3, hubs="door")
    g = networks.to_networkx(sub.nodes, sub.relationships)
    through = networks.centrality_table(g, top=None, hubs="door").rows
    assert through[0]["uid"] == BANK  # walked through, the bank ties everything together
    rows = networks.centrality_table(g, top=None).rows
    assert rows[0]["uid"] != BANK
    assert next(r for r in rows if r["uid"] == BANK)["betweenness"] == 0.0
    assert networks.betweenness_centrality(g)[A] > 0  # A still links its bestuurder


def test_a_dossier_timeline_does_not_walk_into_the_bank(store: Store) -> None:
    """The bank is named among the parties of DA, but its part in DB is not DA's story."""
    from graph_service.queries.timeline import dossier_timeline

    build(store, scenario_shared_bank)

    def others(hubs: Hubs | str | None) -> set[str]:
        t = dossier_timeline(store, "2025-0A1", hubs=hubs)
        assert BANK in {p["uid"] for p in t["parties"]}
        return {e["other"]["uid"] for e in t["events"] + t["undated"] if e["other"]}

    assert DB not in others(None) and B not in others(None)
    assert DB in others("door")  # walked through, the bank's other dossier shows
