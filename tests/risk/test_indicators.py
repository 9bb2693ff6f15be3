"""Every indicator on hand-made graphs: fires on its true case, silent on near-misses.

Near-misses are one below each threshold, ended roles and tenancies, inactive
organisations, expired or later signals, and an ``as_of`` before the facts existed. Every
hit's paths must hang together (each relationship joins consecutive nodes) and exist in
the graph (walked with ``read/risk_evidence_check``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from graph_service.errors import ConfigError, InvalidParams, NotFound, RegistryError
from graph_service.risk import Hit, hits
from graph_service.risk.indicators import (
    THRESHOLDS_ENV,
    configured_thresholds,
    get_indicator,
    list_indicators,
    parse_indicator,
)
from graph_service.store import Store
from graph_service.store.registry import load_registry, parse_statement_file
from tests.support.fixture_graphs import (
    AS_OF,
    build,
    kvk,
    scenario_bibob,
    scenario_bibob_loans,
    scenario_company_on_park,
    scenario_grading,
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

CONTRACT_CODES = {
    "STRAW_MAN", "MASS_REGISTRATION", "PHOENIX_PATTERN", "BIBOB_RELATED_SIGNAL",
    "BIBOB_UNDECLARED_OFFICER", "BIBOB_PRIVATE_FINANCIER", "SHED_SUSPICIOUS_LEASE",
    "SHED_TENANT_SIGNAL", "SHED_VULNERABLE_OWNER", "PARK_OVERCROWDING",
    "PARK_EMPLOYER_HOUSING", "PARK_OWNER_CONCENTRATION", "COMPANY_ON_PARK",
    "MULTI_PARTNER_SIGNALS", "SIGNAL_NETWORK",
}
#: Indicators of the product beyond the client's contract (docs/risk.md).
PRODUCT_CODES = {"SANCTIONS_MATCH"}


@pytest.fixture(autouse=True)
def _fixture_year(today_is: Callable[[dt.date], None]) -> None:
    """The fixture graphs are dated 2025: judge retention on AS_OF, not on the calendar."""
    today_is(AS_OF)


# -- helpers ----------------------------------------------------------------------------------
def assert_paths_hold(store: Store, hit: Hit) -> None:
    """Each path is aligned, passes through the hit's entity and exists in the graph."""
    data = hit.to_dict()
    assert data["paths"], f"{hit.code} on {hit.uid} has no evidence path"
    steps: list[dict[str, object]] = []
    for path in data["paths"]:
        uids = [n["uid"] for n in path["nodes"]]
        rels = path["relationships"]
        assert len(rels) == len(uids) - 1
        assert hit.uid in uids
        for i, rel in enumerate(rels):
            assert {rel["start"], rel["end"]} == {uids[i], uids[i + 1]}, (hit.code, i, path)
            steps.append({"i": len(steps), "start": rel["start"], "type": rel["type"],
                          "key": rel["key"], "end": rel["end"]})
        for item in [*path["nodes"], *rels]:
            if item.get("type") in ("POSSIBLE_SAME_AS", "SAME_AS"):
                continue  # a look-alike pair carries only the purposes of its two ends
            assert item["sources"] and item["source_records"] and item["grades"]
            assert item["first_seen"] and item["last_seen"]
    found = store.read("read/risk_evidence_check", {"steps": steps})
    assert [r["found"] for r in found] == [1] * len(steps)
    node_uids = {n["uid"] for p in data["paths"] for n in p["nodes"]}
    known = store.read("read/risk_entities", {"uids": sorted(node_uids)})
    assert {r["uid"] for r in known} == node_uids
    facts = {(e["kind"], e.get("uid") or (e["start"], e["type"], e["key"], e["end"]))
             for e in data["evidence"]}
    assert len(facts) == len(data["evidence"])  # one entry per distinct fact


def fired(store: Store, code: str, as_of: dt.date = AS_OF, **kwargs: object) -> dict[str, Hit]:
    found = hits(store, code, as_of, **kwargs)  # type: ignore[arg-type]
    for hit in found:
        assert hit.code == code
        assert_paths_hold(store, hit)
    return {h.uid: h for h in found}


def end_uids(hit: Hit, label: str) -> set[str]:
    """Uids of nodes with ``label`` on the hit's paths."""
    return {n.uid for p in hit.paths for n in p.nodes if n.label == label}


# -- the set and its headers ----------------------------------------------------------------------
def test_every_contract_indicator_is_a_file_with_a_complete_header() -> None:
    indicators = list_indicators()
    assert {i.code for i in indicators} == CONTRACT_CODES | PRODUCT_CODES
    for ind in indicators:
        assert ind.title and ind.rationale and ind.users and ind.description
        assert 1 <= ind.severity <= 5
        stmt = load_registry().get(ind.statement)
        for name, default in ind.thresholds.items():
            assert stmt.params[name] in ("int", "float")
            assert isinstance(default, int if stmt.params[name] == "int" else float)
    assert get_indicator("straw_man").thresholds == {"min_orgs": 5}
    assert get_indicator("MASS_REGISTRATION").thresholds == {"min_orgs": 10}
    assert get_indicator("PHOENIX_PATTERN").thresholds == {
        "min_orgs": 3, "max_lifetime_months": 24, "window_months": 60}
    assert get_indicator("BIBOB_PRIVATE_FINANCIER").thresholds == {"min_amount": 50000.0}
    assert get_indicator("BIBOB_RELATED_SIGNAL").legal_basis == "Wet Bibob art. 3 lid 4"
    with pytest.raises(NotFound):
        get_indicator("NO_SUCH_THING")


def _indicator_file(**overrides: str) -> str:
    header = {
        "code": "TEST_IND", "title": "Test", "rationale": "Omdat.", "users": "analyst",
        "severity": "3", "fires_on": "Person", "thresholds": "min_n=2",
        "description": "x", "mode": "read",
        "params": "as_of: str, uids: list, max_paths: int, min_n: int, visible: list, today: str, "
                  "skip_hits: int, max_hits: int",
    }
    header.update(overrides)
    lines = [f"// {k}: {v}" for k, v in header.items() if v]
    body = ("MATCH (p:Person) WHERE ($uids IS NULL OR p.uid IN $uids) AND $as_of <> '' "
            "AND $min_n > 0 AND VISIBLE(p) "
            "RETURN p.uid AS uid, [][..$max_paths] AS paths SKIP $skip_hits LIMIT $max_hits")
    return "\n".join(lines) + "\n" + body


@pytest.mark.parametrize(
    "overrides",
    [
        {"code": "OTHER"},
        {"severity": "6"},
        {"fires_on": "Nonsense"},
        {"thresholds": "min_x=2"},
        {"thresholds": "min_n=two"},
        {"rationale": ""},
    ],
)
def test_a_bad_indicator_header_fails_fast(overrides: dict[str, str]) -> None:
    stmt = parse_statement_file("indicators/test_ind", _indicator_file(**overrides))
    with pytest.raises(RegistryError):
        parse_indicator(stmt)


def test_a_good_indicator_header_parses() -> None:
    stmt = parse_statement_file("indicators/test_ind", _indicator_file())
    ind = parse_indicator(stmt)
    assert (ind.code, ind.severity, ind.fires_on, ind.thresholds) == (
        "TEST_IND", 3, ("Person",), {"min_n": 2})


# -- STRAW_MAN ------------------------------------------------------------------------------------
def test_straw_man(store: Store) -> None:
    build(store, scenario_straw_men)
    found = fired(store, "STRAW_MAN")
    assert set(found) == {"person:straw"}
    hit = found["person:straw"]
    assert hit.measure == 5
    assert end_uids(hit, "Organisation") == {kvk(n) for n in range(1, 6)}
    assert (hit.label, hit.entity.geboortedatum) == ("Person", "1980-01-01")
    # before straw's roles began; four's organisation kvk 15 and role at kvk 17 were live
    assert set(fired(store, "STRAW_MAN", dt.date(2019, 12, 31))) == {"person:four"}
    assert set(fired(store, "STRAW_MAN", uid="person:straw")) == {"person:straw"}
    assert not fired(store, "STRAW_MAN", uid="person:four")


def test_a_threshold_override_changes_the_result(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(store, scenario_straw_men)
    assert set(fired(store, "STRAW_MAN", thresholds={"min_orgs": 4})) == {
        "person:straw", "person:four"}
    assert not fired(store, "STRAW_MAN", thresholds={"min_orgs": 6})
    config = tmp_path / "thresholds.json"
    config.write_text(json.dumps({"STRAW_MAN": {"min_orgs": 4}}), encoding="utf-8")
    monkeypatch.setenv(THRESHOLDS_ENV, str(config))
    assert set(fired(store, "STRAW_MAN")) == {"person:straw", "person:four"}
    # a caller's mapping beats the configuration file
    assert set(fired(store, "STRAW_MAN", thresholds={"min_orgs": 5})) == {"person:straw"}
    with pytest.raises(InvalidParams):
        hits(store, "STRAW_MAN", AS_OF, thresholds={"min_orgz": 4})
    with pytest.raises(InvalidParams):
        hits(store, "STRAW_MAN", AS_OF, thresholds={"min_orgs": 4.5})


@pytest.mark.parametrize(
    "content",
    ['{"NOPE": {"min_orgs": 1}}', '{"STRAW_MAN": {"min_x": 1}}',
     '{"STRAW_MAN": {"min_orgs": "veel"}}', "[1, 2]", "not json"],
)
def test_a_bad_threshold_file_is_refused(tmp_path: Path, content: str) -> None:
    config = tmp_path / "thresholds.json"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError):
        configured_thresholds({THRESHOLDS_ENV: str(config)})


# -- MASS_REGISTRATION ------------------------------------------------------------------------
def test_mass_registration(store: Store) -> None:
    build(store, scenario_mass_registration)
    found = fired(store, "MASS_REGISTRATION")
    assert set(found) == {"addr:1000AA1"}
    assert found["addr:1000AA1"].measure == 10
    assert found["addr:1000AA1"].label == "Address"
    # on the day before kvk 30 ended and kvk 31 moved, the second address had eleven
    assert set(fired(store, "MASS_REGISTRATION", dt.date(2025, 5, 30))) == {
        "addr:1000AA1", "addr:1000AA2"}
    assert set(fired(store, "MASS_REGISTRATION", dt.date(2020, 12, 31))) == {"addr:1000AA2"}


# -- PHOENIX_PATTERN --------------------------------------------------------------------------
def test_phoenix_pattern(store: Store) -> None:
    build(store, scenario_phoenix)
    found = fired(store, "PHOENIX_PATTERN")
    assert set(found) == {"person:phoenix"}
    assert found["person:phoenix"].measure == 3
    assert end_uids(found["person:phoenix"], "Organisation") == {kvk(1), kvk(2), kvk(3)}
    assert not fired(store, "PHOENIX_PATTERN", dt.date(2024, 6, 13))  # third not yet ended
    assert set(fired(store, "PHOENIX_PATTERN", thresholds={"max_lifetime_months": 25})) == {
        "person:phoenix", "person:near"}
    assert not fired(store, "PHOENIX_PATTERN", thresholds={"window_months": 12})


# -- Bibob -------------------------------------------------------------------------------------
def test_bibob_related_signal(store: Store, today_is: Callable[[dt.date], None]) -> None:
    build(store, scenario_bibob)
    found = fired(store, "BIBOB_RELATED_SIGNAL")
    assert set(found) == {"dossier:2025-001"}
    hit = found["dossier:2025-001"]
    assert end_uids(hit, "Signal") == {"signal:S-3HOP"}
    assert hit.measure == 1
    sequences = [[n.uid for n in p.nodes] for p in hit.paths]
    assert sequences[0] == ["dossier:2025-001", "person:p1", kvk(2), "person:q",
                            "signal:S-3HOP"]  # shortest first
    assert ["dossier:2025-001", kvk(1), "person:p1", kvk(2), "person:q",
            "signal:S-3HOP"] in sequences  # three hops from the aanvrager
    # the signal on the 2nd dossier's party arrives the day after as_of
    assert set(fired(store, "BIBOB_RELATED_SIGNAL", dt.date(2025, 6, 2))) == {
        "dossier:2025-001", "dossier:2025-002"}
    # before the expired signal expired, it counted too (p1 is a party: 0 hops)
    today_is(dt.date(2025, 5, 1))  # run on that day: still within its bewaren_tot
    early = fired(store, "BIBOB_RELATED_SIGNAL", dt.date(2025, 5, 1))
    assert end_uids(early["dossier:2025-001"], "Signal") == {"signal:S-3HOP", "signal:S-EXPIRED"}


def test_bibob_undeclared_officer(store: Store) -> None:
    build(store, scenario_bibob)
    found = fired(store, "BIBOB_UNDECLARED_OFFICER")
    assert set(found) == {"dossier:2025-001"}
    assert found["dossier:2025-001"].measure == 1
    assert end_uids(found["dossier:2025-001"], "Person") == {"person:p2"}
    # applied for, but before p2 took office (p3 had left already)
    assert not fired(store, "BIBOB_UNDECLARED_OFFICER", dt.date(2025, 3, 15))
    # before the application there is no dossier to judge
    assert not fired(store, "BIBOB_UNDECLARED_OFFICER", dt.date(2025, 2, 28))


def test_bibob_private_financier(store: Store) -> None:
    build(store, scenario_bibob)
    build(store, scenario_bibob_loans)
    found = fired(store, "BIBOB_PRIVATE_FINANCIER")
    assert set(found) == {"dossier:2025-001", "dossier:2025-003"}
    assert found["dossier:2025-001"].measure == 60000
    assert found["dossier:2025-003"].measure == 75000
    types = {tuple(r.type for r in p.relationships) for p in found["dossier:2025-003"].paths}
    assert types == {("PARTY_TO",), ("FINANCES", "PARTY_TO")}
    assert set(fired(store, "BIBOB_PRIVATE_FINANCIER",
                     thresholds={"min_amount": 49999})) == {
        "dossier:2025-001", "dossier:2025-002", "dossier:2025-003"}


# -- sheds -------------------------------------------------------------------------------------
def test_shed_suspicious_lease(store: Store) -> None:
    build(store, scenario_shed_leases)
    found = fired(store, "SHED_SUSPICIOUS_LEASE")
    assert set(found) == {"object:S1", "object:S3"}
    assert found["object:S1"].measure == 10.0
    assert set(fired(store, "SHED_SUSPICIOUS_LEASE", thresholds={"rent_factor": 1.9})) == {
        "object:S1", "object:S3", "object:S4"}
    assert not fired(store, "SHED_SUSPICIOUS_LEASE", dt.date(2022, 12, 31))


def test_the_median_rent_is_reused_until_the_graph_changes(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(store, scenario_shed_leases)
    reads: list[str] = []
    read = store.read

    def counting(name: str, params: dict[str, object] | None = None) -> list[dict[str, object]]:
        reads.append(name)
        return read(name, params)

    monkeypatch.setattr(store, "read", counting)
    first = fired(store, "SHED_SUSPICIOUS_LEASE")
    assert set(fired(store, "SHED_SUSPICIOUS_LEASE")) == set(first) == {"object:S1", "object:S3"}
    assert reads.count("read/risk_shed_rents") == 1  # the second run reused the median
    # eight more tenancies at 20 euro/m2 lift the median to 20: S1 (10) is no longer 2x it
    store.write_rows("write/merge_rents", [{
        "start": kvk(1), "end": f"object:B{1 + i % 3}", "key": f"2024-01-0{i + 1}",
        "props": {"rent_pm": 2000, "payment": "bank", "valid_from": "2024-01-01"},
        "sources": ["schuren"], "source_records": [f"schuren:x{i}"], "grades": ["A1"],
        "purposes": ["municipal"], "first_seen": "2025-01-01", "last_seen": "2025-01-01",
    } for i in range(8)])
    assert reads.count("read/risk_shed_rents") == 1
    assert "object:S1" not in fired(store, "SHED_SUSPICIOUS_LEASE")
    assert reads.count("read/risk_shed_rents") == 2  # the write made it read again


def test_shed_tenant_signal(store: Store, today_is: Callable[[dt.date], None]) -> None:
    build(store, scenario_shed_tenants)
    found = fired(store, "SHED_TENANT_SIGNAL")
    assert set(found) == {"object:S1", "object:S2", "object:S3"}
    assert end_uids(found["object:S2"], "Signal") == {"signal:BOSS"}
    assert [n.uid for n in found["object:S3"].paths[0].nodes] == [
        "object:S3", "person:t3", "object:S4"]
    today_is(dt.date(2025, 5, 1))  # run on that day: S5's signal was within its bewaren_tot
    assert set(fired(store, "SHED_TENANT_SIGNAL", dt.date(2025, 5, 1))) == {
        "object:S1", "object:S2", "object:S3", "object:S5"}
    assert not fired(store, "SHED_TENANT_SIGNAL", dt.date(2022, 12, 31))  # not rented yet


def test_shed_vulnerable_owner(store: Store) -> None:
    build(store, scenario_shed_owners)
    found = fired(store, "SHED_VULNERABLE_OWNER")
    assert set(found) == {"object:S1", "object:S2"}
    assert {tuple(r.type for r in p.relationships) for p in found["object:S1"].paths} == {
        ("RENTS",), ("OWNS",)}
    assert set(fired(store, "SHED_VULNERABLE_OWNER", thresholds={"vacancy_months": 11})) == {
        "object:S1", "object:S2", "object:S4"}
    assert set(fired(store, "SHED_VULNERABLE_OWNER",
                     thresholds={"new_tenancy_months": 14})) == {
        "object:S1", "object:S2", "object:S3"}


# -- holiday parks ---------------------------------------------------------------------------
def test_park_overcrowding(store: Store) -> None:
    build(store, scenario_park_overcrowding)
    found = fired(store, "PARK_OVERCROWDING")
    assert set(found) == {"unit:VP-1/1"}
    assert found["unit:VP-1/1"].measure == 5
    assert not fired(store, "PARK_OVERCROWDING", dt.date(2023, 12, 31))
    assert set(fired(store, "PARK_OVERCROWDING", thresholds={"min_persons": 4})) == {
        "unit:VP-1/1", "unit:VP-1/2"}


def test_park_employer_housing_follows_cyclic_paths(store: Store) -> None:
    build(store, scenario_park_employers)
    found = fired(store, "PARK_EMPLOYER_HOUSING")
    assert set(found) == {"unit:VP-1/1", "unit:VP-1/2"}
    for hit in found.values():
        for path in hit.paths:
            assert path.nodes[0].uid == path.nodes[-1].uid == hit.uid  # a cycle
    assert {tuple(r.type for r in p.relationships) for p in found["unit:VP-1/2"].paths} == {
        ("OCCUPIES", "EMPLOYED_BY", "FUNCTIONARY_OF", "OWNS")}
    assert set(fired(store, "PARK_EMPLOYER_HOUSING", thresholds={"min_occupants": 1})) == {
        "unit:VP-1/1", "unit:VP-1/2", "unit:VP-1/3"}
    assert not fired(store, "PARK_EMPLOYER_HOUSING", dt.date(2023, 12, 31))


def test_park_owner_concentration(store: Store) -> None:
    build(store, scenario_park_owners)
    found = fired(store, "PARK_OWNER_CONCENTRATION")
    assert set(found) == {"person:o1"}
    assert found["person:o1"].measure == 5
    assert set(fired(store, "PARK_OWNER_CONCENTRATION", thresholds={"min_units": 4})) == {
        "person:o1", kvk(2)}


def test_company_on_park(store: Store) -> None:
    build(store, scenario_company_on_park)
    found = fired(store, "COMPANY_ON_PARK")
    assert set(found) == {kvk(1), kvk(2)}
    assert end_uids(found[kvk(2)], "ParkUnit") == {"unit:VP-1/7"}
    assert set(fired(store, "COMPANY_ON_PARK", dt.date(2023, 12, 31))) == {kvk(1), kvk(5)}


# -- signals -----------------------------------------------------------------------------------
def test_multi_partner_signals(store: Store, today_is: Callable[[dt.date], None]) -> None:
    build(store, scenario_multi_partner)
    found = fired(store, "MULTI_PARTNER_SIGNALS")
    assert set(found) == {"person:two"}
    assert found["person:two"].measure == 2
    assert found["person:two"].onbevestigd
    assert found["person:two"].weight == 0.2
    assert set(fired(store, "MULTI_PARTNER_SIGNALS", thresholds={"window_months": 13})) == {
        "person:two", "person:old"}
    today_is(dt.date(2025, 5, 30))  # run on that day: D1 was within its bewaren_tot
    assert set(fired(store, "MULTI_PARTNER_SIGNALS", dt.date(2025, 5, 30))) == {
        "person:two", "person:old", "person:expired"}


def test_onbevestigd_only_when_all_evidence_is_ungraded(store: Store) -> None:
    build(store, scenario_grading)
    found = fired(store, "MULTI_PARTNER_SIGNALS")
    # the weight follows the best single fact (best_grade); the hit's grade is that of its
    # best-supported path, as good as its weakest fact: the X6 signals of the A1 KvK
    # person, the F6 person of the C3 signal
    assert {uid: (h.onbevestigd, h.best_grade, h.grade, h.weight)
            for uid, h in found.items()} == {
        "person:riec-only": (True, "X6", "X6", 0.2),
        "person:in-kvk": (False, "A1", "X6", 1.0),
        "person:graded": (False, "C3", "F6", 0.6),
    }


def test_sanctions_match(store: Store) -> None:
    build(store, scenario_sanctions)
    found = fired(store, "SANCTIONS_MATCH")
    assert set(found) == {"person:sanctioned", "person:pep", kvk(901)}
    assert end_uids(found["person:sanctioned"], "Person") == {
        "person:sanctioned", "person:listed-smit"}
    assert found["person:pep"].measure == 1
    # a list entry never fires on itself; one seen later fires from then on
    assert set(fired(store, "SANCTIONS_MATCH", dt.date(2025, 7, 1))) == {
        "person:sanctioned", "person:pep", "person:early", kvk(901)}
    assert not fired(store, "SANCTIONS_MATCH", dt.date(2025, 4, 30))  # before the list
    # the weaker pair fires only below its score
    assert set(fired(store, "SANCTIONS_MATCH", thresholds={"min_score": 0.6})) == {
        "person:sanctioned", "person:pep", "person:namesake", kvk(901)}
    assert set(fired(store, "SANCTIONS_MATCH", thresholds={"min_score": 0.9})) == {
        "person:sanctioned", kvk(901)}


def test_signal_network(store: Store) -> None:
    build(store, scenario_signal_network)
    found = fired(store, "SIGNAL_NETWORK")
    # kvk 4 sits between two subjects: kvk 3 (via far) and kvk 5 (via x)
    assert set(found) == {"person:hub", kvk(4)}
    assert found["person:hub"].measure == 2
    assert set(fired(store, "SIGNAL_NETWORK", dt.date(2024, 6, 1))) == set()  # no signal yet
    assert set(fired(store, "SIGNAL_NETWORK", dt.date(2025, 1, 20))) == {
        "person:hub", "person:past", kvk(4)}
    assert set(fired(store, "SIGNAL_NETWORK", thresholds={"min_subjects": 1})) == {
        "person:hub", kvk(1), kvk(2), "person:far", kvk(4), "person:x"}


# -- JSON shape --------------------------------------------------------------------------------
def test_hit_json_shape(store: Store) -> None:
    build(store, scenario_straw_men)
    hit = fired(store, "STRAW_MAN")["person:straw"]
    data = json.loads(json.dumps(hit.to_dict()))
    assert set(data) == {"uid", "label", "name", "geboortedatum", "code", "title", "severity",
                         "measure", "paths", "evidence", "onbevestigd", "best_grade",
                         "weight", "grade", "sentence", "path_groups", "path_count"}
    assert data["path_count"] == len(data["paths"]) == 5  # all paths built by default
    node = data["paths"][0]["nodes"][0]
    rel = data["paths"][0]["relationships"][0]
    prov = {"sources", "source_records", "first_seen", "last_seen", "grades", "purposes"}
    assert set(node) == {"uid", "label", "name", "properties"} | prov
    assert set(rel) == {"type", "start", "end", "key", "properties"} | prov
    assert rel["properties"]["role"] in ("bestuurder", "aandeelhouder")
    kinds = {e["kind"] for e in data["evidence"]}
    assert kinds == {"node", "relationship"}
    assert len(data["evidence"]) == 1 + 5 + 5  # the person, five organisations, five roles
    assert dataclasses.is_dataclass(hit)
