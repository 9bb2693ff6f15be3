"""Retention on both engines: expired signals, dossiers and aged facts go; shared facts
lose only the expired source; plan deletes nothing; apply is audited and idempotent.

The fixture graph is written with ``loaders.base.write`` the way the loaders write: one
provenance per source row, with the record ids of graph-model.md (riec ``<signaal_id>``,
bibob ``<dossier_id>/<partij_ref>``, kvk ``<kvk_nummer>``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph_service.cli import cli
from graph_service.cli import security as cli_security
from graph_service.errors import ConfigError
from graph_service.model import SOURCES
from graph_service.security.audit import Actor, AuditTrail
from graph_service.security.retention import RetentionPolicy, apply, plan
from graph_service.store import Store, access
from loaders.base import LoadReport, Node, Prov, Rel, write

TODAY = dt.date(2025, 6, 1)
RECENT = "2025-05-01"


def _prov(source: str, record: str, seen: str = RECENT) -> Prov:
    src = SOURCES[source]
    return Prov(source, record, src.default_grade, src.purpose_class, seen)


def _signal(sid: str, subject: Node, *, bewaren_tot: str | None,
            ontvangstdatum: str = "2024-01-10", seen: str = "2024-02-01",
            ) -> tuple[Prov, list[Node | Rel]]:
    """One riec row: the signal, the entity it concerns and the CONCERNS between them."""
    uid = f"signal:{sid}"
    signal = Node("Signal", uid, {"signaal_id": sid, "name": sid, "partner": "politie",
                                  "thema": "drugs", "ontvangstdatum": ontvangstdatum,
                                  "bewaren_tot": bewaren_tot, "status": "ontvangen"})
    concerns = Rel("CONCERNS", uid, str(subject.uid),
                   {"role": "subject", "bewaren_tot": bewaren_tot}, key="subject")
    return _prov("riec", sid, seen), [signal, subject, concerns]


def person(uid: str) -> Node:
    return Node("Person", uid, {"name": uid, "geslachtsnaam": uid.split(":")[1],
                                "geboortedatum": "1980-01-01"})


def org(n: int) -> Node:
    return Node("Organisation", f"kvk:{n:08d}", {"name": f"org {n}", "kvk_nummer": f"{n:08d}",
                                                  "status": "actief"})


def build(store: Store) -> None:
    batch: list[tuple[Prov, list[Node | Rel]]] = [
        # kvk, recent: org 1 with person:both as bestuurder
        (_prov("kvk", "00000001"), [org(1), person("person:both"), person("person:twin"),
                                    Rel("FUNCTIONARY_OF", "person:both", "kvk:00000001",
                                        {"role": "bestuurder"}, key="bestuurder|")]),
        # kvk, last seen in 2017: older than 7 years on TODAY
        (_prov("kvk", "00000009", "2017-01-01"), [
            org(9), person("person:ancient"),
            Rel("FUNCTIONARY_OF", "person:ancient", "kvk:00000009", {"role": "bestuurder"},
                key="bestuurder|")]),
        # riec: expired (bewaren_tot passed) about a person known only from it
        _signal("S-OLD", person("person:only-riec"), bewaren_tot="2025-01-01"),
        # riec: expired about a person also in the KvK, with a voorvoegsel only it gives
        _signal("S-OLD2", Node("Person", "person:both", {**person("person:both").props,
                                                         "voorvoegsel": "van"}),
                bewaren_tot="2025-05-31"),
        # riec: still to keep, about org 1
        _signal("S-NEW", org(1), bewaren_tot="2027-01-01"),
        # riec without bewaren_tot: received more than 2 years ago -> expired
        _signal("S-NODATE", Node("Address", "addr:1000AA1", {"name": "1000AA 1",
                                                             "postcode": "1000AA"}),
                bewaren_tot=None, ontvangstdatum="2023-01-15"),
        # riec without bewaren_tot, received recently -> kept
        _signal("S-RECENT", person("person:kept-riec"), bewaren_tot=None,
                ontvangstdatum="2024-09-01"),
        # bibob: a dossier last seen in 2022 (older than 2 years) and a recent one
        (_prov("bibob", "D-OLD/P1", "2022-01-01"), [
            Node("BibobDossier", "dossier:D-OLD", {"dossier_id": "D-OLD", "name": "D-OLD"}),
            person("person:bibob-only"),
            Rel("PARTY_TO", "person:bibob-only", "dossier:D-OLD",
                {"role": "aanvrager", "party_ref": "P1"}, key="aanvrager|P1|")]),
        (_prov("bibob", "D-OLD/P2", "2022-01-01"), [
            Node("BibobDossier", "dossier:D-OLD", {"dossier_id": "D-OLD", "name": "D-OLD"}),
            org(1),
            Rel("PARTY_TO", "kvk:00000001", "dossier:D-OLD",
                {"role": "zakelijke_relatie", "party_ref": "P2"}, key="zakelijke_relatie|P2|")]),
        (_prov("bibob", "D-NEW/P1"), [
            Node("BibobDossier", "dossier:D-NEW", {"dossier_id": "D-NEW", "name": "D-NEW"}),
            org(1),
            Rel("PARTY_TO", "kvk:00000001", "dossier:D-NEW",
                {"role": "aanvrager", "party_ref": "P1"}, key="aanvrager|P1|")]),
    ]
    write(store, batch, LoadReport("fixture"))
    # look-alike pairs for review: one with a person retention deletes, one with a person
    # retention prunes
    store.write_rows("write/merge_possible_same_as", [
        {"start": "person:both", "end": "person:only-riec", "score": 0.8, "reason": "naam"},
        {"start": "person:both", "end": "person:twin", "score": 0.7, "reason": "naam"}])


def nodes(store: Store) -> dict[str, dict[str, Any]]:
    return {r["uid"]: r["node"] for r in store.read("read/all_nodes")}


def rels(store: Store) -> set[tuple[str, str, str]]:
    return {(r["start"], r["type"], r["end"]) for r in store.read("read/all_relationships")}


DELETED_NODES = {"signal:S-OLD", "signal:S-OLD2", "signal:S-NODATE", "person:only-riec",
                 "addr:1000AA1", "dossier:D-OLD", "person:bibob-only", "kvk:00000009",
                 "person:ancient"}
DELETED_RELS = {
    ("signal:S-OLD", "CONCERNS", "person:only-riec"),
    ("signal:S-OLD2", "CONCERNS", "person:both"),
    ("signal:S-NODATE", "CONCERNS", "addr:1000AA1"),
    ("person:bibob-only", "PARTY_TO", "dossier:D-OLD"),
    ("kvk:00000001", "PARTY_TO", "dossier:D-OLD"),
    ("person:ancient", "FUNCTIONARY_OF", "kvk:00000009"),
    ("person:both", "POSSIBLE_SAME_AS", "person:only-riec"),
}


@pytest.fixture
def graph(store: Store) -> Store:
    build(store)
    return store


@pytest.fixture
def trail(tmp_path: Path) -> AuditTrail:
    return AuditTrail(tmp_path / "audit" / "audit.jsonl", b"retention-test-key-0123456789")


def test_plan_reports_without_deleting(graph: Store) -> None:
    before_nodes, before_rels = nodes(graph), rels(graph)
    result = plan(graph, TODAY, RetentionPolicy())
    assert nodes(graph) == before_nodes and rels(graph) == before_rels
    assert not result.applied
    assert set(result.deleted_uids()) == DELETED_NODES
    assert set(result.pruned_uids()) == {"person:both", "kvk:00000001"}
    assert sorted(result.expired_signals) == ["signal:S-NODATE", "signal:S-OLD",
                                              "signal:S-OLD2"]
    assert result.expired_dossiers == ["dossier:D-OLD"]
    assert {(r.start, r.type, r.end) for r in result.delete_relationships} == DELETED_RELS
    assert result.prune_relationships == []
    counts = result.counts()
    assert counts["nodes_deleted"] == {"Address": 1, "BibobDossier": 1, "Organisation": 1,
                                       "Person": 3, "Signal": 3}
    assert counts["relationships_deleted"] == {"CONCERNS": 3, "FUNCTIONARY_OF": 1,
                                               "PARTY_TO": 2, "POSSIBLE_SAME_AS": 1}
    assert counts["nodes_pruned"] == {"Organisation": 1, "Person": 1}
    data = result.as_dict()
    assert data["cutoffs"] == {"kvk": "2018-06-01", "vakantieparken": "2018-06-01",
                               "schuren": "2018-06-01", "bibob": "2023-06-01",
                               "riec": "2023-06-01", "ftm": "2023-06-01"}
    json.dumps(data)  # plain values only


def test_apply_deletes_prunes_and_audits(graph: Store, trail: AuditTrail) -> None:
    before_rels = rels(graph)
    result = apply(graph, TODAY, RetentionPolicy(), audit=trail,
                   actor=Actor("os:beheer", ("admin",), "beheer@server"))
    assert result.applied
    after = nodes(graph)
    assert DELETED_NODES.isdisjoint(after)
    assert set(after) == {"kvk:00000001", "person:both", "person:twin", "signal:S-NEW",
                          "signal:S-RECENT", "person:kept-riec", "dossier:D-NEW"}
    assert rels(graph) == before_rels - DELETED_RELS
    # the person also in the KvK stays, with riec taken out of its provenance
    both = after["person:both"]
    assert both["sources"] == ["kvk"] and both["source_records"] == ["kvk:00000001"]
    assert both["purposes"] == ["open"]
    assert both["geslachtsnaam"] == "both"  # its properties stay
    # what only riec gave stays stored, marked as given by a source nobody sees
    assert both["voorvoegsel"] == "van" and "-|voorvoegsel" in both["prov_props"]
    assert not [v for v in both["prov_values"] if v.startswith("riec|")]
    with access.scope(access.FULL):
        (shown,) = [r["node"] for r in graph.read("read/all_nodes")
                    if r["uid"] == "person:both"]
    assert "voorvoegsel" not in access.filter_result(shown, access.FULL)
    assert shown["geslachtsnaam"] == "both"
    # the look-alike pair of the pruned person no longer claims riec
    (pair,) = [r["rel"] for r in graph.read("read/all_relationships")
               if r["type"] == "POSSIBLE_SAME_AS"]
    assert pair["purposes"] == ["open"]
    # org 1 loses the expired dossier's record but keeps the live signal and dossier
    org1 = after["kvk:00000001"]
    assert sorted(org1["sources"]) == ["bibob", "kvk", "riec"]
    assert sorted(org1["source_records"]) == ["bibob:D-NEW/P1", "kvk:00000001", "riec:S-NEW"]
    assert sorted(org1["purposes"]) == ["bibob", "open", "riec"]
    assert result.counters is not None
    assert result.counters.nodes_deleted == len(DELETED_NODES)
    assert result.counters.relationships_deleted == len(DELETED_RELS)

    (record,) = list(trail.read(action="retention"))
    assert record["actor"] == "os:beheer" and record["purpose"] == "beheer"
    assert record["outcome"] == "ok"
    assert set(record["uids"]) == DELETED_NODES | {"person:both", "kvk:00000001"}
    assert record["what"]["nodes_deleted"]["Signal"] == 3
    assert record["what"]["params"] == {"today": "2025-06-01"}
    assert trail.verify().ok

    again = apply(graph, TODAY, RetentionPolicy(), audit=trail)
    assert again.empty and again.deleted_uids() == []
    assert len(list(trail.read(action="retention"))) == 2


def test_apply_takes_deleted_uids_out_of_the_changes_waiting_for_a_refresh(
        graph: Store, trail: AuditTrail) -> None:
    from graph_service.risk import stored
    from graph_service.risk.recorder import ChangeRecorder, defer

    stored.refresh(graph)
    recorder = ChangeRecorder(graph)
    recorder.touched.add("person:only-riec")  # as a deferred write about it leaves it
    assert defer(recorder)
    assert graph.read("read/hits_pending")[0]["touched"] == ["person:only-riec"]
    apply(graph, TODAY, RetentionPolicy(), audit=trail)
    assert graph.read("read/hits_pending")[0] == {"base": None, "to": None, "touched": [],
                                                  "removed": []}


def test_a_later_day_expires_more(graph: Store, trail: AuditTrail) -> None:
    apply(graph, TODAY, RetentionPolicy(), audit=trail)
    # on 2027-01-02 the S-NEW signal (bewaren_tot 2027-01-01) is past too, and S-RECENT
    # (received 2024-09-01, no bewaren_tot) is older than 2 years; D-NEW (2025-05-01)
    # is older than 2 years only after 2027-05-01
    result = apply(graph, dt.date(2027, 1, 2), RetentionPolicy(), audit=trail)
    assert set(result.deleted_uids()) == {"signal:S-NEW", "signal:S-RECENT",
                                          "person:kept-riec"}
    org1 = nodes(graph)["kvk:00000001"]
    assert sorted(org1["sources"]) == ["bibob", "kvk"]
    assert sorted(org1["purposes"]) == ["bibob", "open"]


def test_configured_periods(graph: Store, trail: AuditTrail, tmp_path: Path) -> None:
    conf = tmp_path / "retention.json"
    conf.write_text(json.dumps({"bibob": {"years": 5}, "kvk": 10}))
    policy = RetentionPolicy.load({"ONDERGRAAF_RETENTION": str(conf)})
    assert policy.years["bibob"] == 5 and policy.years["kvk"] == 10
    assert policy.years["riec"] == 2  # the default where the file says nothing
    result = plan(graph, TODAY, policy)
    assert "dossier:D-OLD" not in result.deleted_uids()
    assert "kvk:00000009" not in result.deleted_uids()
    assert "signal:S-OLD" in result.deleted_uids()


@pytest.mark.parametrize("bad", ['{"facebook": 1}', '{"kvk": {"years": 0}}',
                                 '{"kvk": "7"}', "[1]", "{not json"])
def test_bad_configuration(bad: str) -> None:
    with pytest.raises(ConfigError, match="ONDERGRAAF_RETENTION"):
        RetentionPolicy.load({"ONDERGRAAF_RETENTION": bad})


def test_cutoff_on_29_february() -> None:
    assert RetentionPolicy().cutoff("bibob", dt.date(2024, 2, 29)) == dt.date(2022, 2, 28)


def test_cli_plan_and_apply(graph: Store, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(tmp_path / "data"))

    @contextmanager
    def the_test_store() -> Iterator[Store]:
        yield graph

    monkeypatch.setattr(cli_security, "store_session", the_test_store)
    runner = CliRunner()
    planned = runner.invoke(cli, ["retention", "plan", "--today", "2025-06-01", "--json"])
    assert planned.exit_code == 0, planned.output
    assert set(json.loads(planned.output)["deleted_uids"]) == DELETED_NODES
    assert "person:only-riec" in nodes(graph)
    text = runner.invoke(cli, ["retention", "plan", "--today", "2025-06-01"])
    assert "knopen verwijderd: 9" in text.output, text.output
    done = runner.invoke(cli, ["retention", "apply", "--today", "2025-06-01"])
    assert done.exit_code == 0, done.output
    assert "uitgevoerd" in done.output
    assert "person:only-riec" not in nodes(graph)
    trail = AuditTrail.open()
    actions = [(r["action"], r["actor"][:3]) for r in trail.read()]
    assert actions == [("retention_plan", "os:"), ("retention_plan", "os:"),
                       ("retention", "os:")]
    assert trail.verify().ok


def test_writes_skip_a_fact_that_changed_since_the_plan(graph: Store) -> None:
    result = plan(graph, TODAY, RetentionPolicy())
    stale = next(n for n in result.delete_nodes if n.uid == "person:only-riec")
    pruned = next(n for n in result.prune_nodes if n.uid == "person:both")
    # a load confirms both persons again before the plan is carried out
    write(graph, [(_prov("kvk", "00000002"), [org(2), person("person:only-riec"),
                                              person("person:both")])],
          LoadReport("fixture"))
    graph.write_rows("write/retention_delete_nodes", [stale.row()])
    graph.write_rows("write/retention_prune_nodes", [pruned.row()])
    after = nodes(graph)
    assert "person:only-riec" in after
    assert "riec:S-OLD2" in after["person:both"]["source_records"]  # not pruned either
    # a fresh plan sees the new source: only the riec record goes
    again = plan(graph, TODAY, RetentionPolicy())
    assert "person:only-riec" in again.pruned_uids()
