"""The timeline of an entity and of a Bibob dossier (both engines): order by date, the
status of each event against the reference date, and what a scope may not see."""

from __future__ import annotations

import datetime as dt

import pytest

from graph_service.errors import NotFound
from graph_service.queries.timeline import dossier_timeline, entity_timeline
from graph_service.store import Store, access
from tests.support.fixture_graphs import GraphBuilder, kvk

AS_OF = dt.date(2024, 6, 1)


def timeline_graph(store: Store) -> None:
    g = GraphBuilder(store)
    g.person("person:tl")
    g.org(kvk(71), datum_aanvang="2012-03-01")
    g.org(kvk(72))
    g.address("addr:7991AB12")
    g.functionary("person:tl", kvk(71), valid_from="2015-01-01", valid_to="2020-12-31")
    g.functionary("person:tl", kvk(72), "aandeelhouder", valid_from="2021-02-01")
    g.functionary("person:tl", kvk(72), "bestuurder", valid_from="2025-01-01")
    g.registered(kvk(71), "addr:7991AB12", valid_from="2016-05-01")
    g.signal("signal:TL1", "person:tl", ontvangstdatum="2023-04-01")
    # a role only the Bibob source knows of: a KvK-only scope must not see it
    g.org(kvk(73), source="bibob")
    g.rel("FUNCTIONARY_OF", "person:tl", kvk(73), key="bestuurder|2019-01-01", source="bibob",
          role="bestuurder", valid_from="2019-01-01", valid_to=None)
    g.dossier("dossier:TL-1", aanvraagdatum="2024-03-01", besluit_datum="2024-09-01",
              besluit="verleend")
    g.party(kvk(72), "dossier:TL-1", "aanvrager", "P1")
    g.write()


def test_events_in_order_with_their_status(store: Store) -> None:
    timeline_graph(store)
    t = entity_timeline(store, "person:tl", AS_OF)
    seen = [(e["date"], e["kind"], e["other"]["uid"], e["status"]) for e in t["events"]]
    assert seen == [
        ("2015-01-01", "role", kvk(71), "ended"),
        ("2019-01-01", "role", kvk(73), "active"),
        ("2021-02-01", "role", kvk(72), "active"),
        ("2023-04-01", "signal", "signal:TL1", "past"),
        ("2025-01-01", "role", kvk(72), "later"),
    ]
    ended = t["events"][0]
    assert ended["end"] == "2020-12-31" and ended["role"] == "bestuurder"
    assert ended["other"]["label"] == "Organisation"
    assert t["years"] == ["2015", "2019", "2021", "2023", "2025"]
    # another reference date moves the marks, not the events
    later = entity_timeline(store, "person:tl", dt.date(2025, 6, 1))
    assert [e["status"] for e in later["events"]] == ["ended", "active", "active", "past",
                                                      "active"]


def test_organisation_registration_and_own_dates(store: Store) -> None:
    timeline_graph(store)
    t = entity_timeline(store, kvk(71), AS_OF)
    kinds = [(e["date"], e["kind"]) for e in t["events"]]
    assert kinds == [("2012-03-01", "founded"), ("2015-01-01", "role"),
                     ("2016-05-01", "registration")]
    reg = t["events"][2]
    assert reg["other"]["uid"] == "addr:7991AB12" and reg["outgoing"] is True
    assert reg["status"] == "active"


def test_a_scope_without_the_source_does_not_see_its_role(store: Store) -> None:
    timeline_graph(store)
    open_only = access.Scope(visible=frozenset({"open"}), label="test/open")
    with access.scope(open_only):
        t = entity_timeline(store, "person:tl", AS_OF)
    others = {e["other"]["uid"] for e in t["events"]}
    assert kvk(73) not in others and "signal:TL1" not in others
    assert others == {kvk(71), kvk(72)}


def test_dossier_timeline_holds_the_dossier_and_its_parties(store: Store) -> None:
    timeline_graph(store)
    t = dossier_timeline(store, "TL-1", AS_OF)
    seen = [(e["date"], e["kind"], e["subject"]) for e in t["events"]]
    assert ("2024-03-01", "dossier", "dossier:TL-1") in seen
    assert ("2024-09-01", "decision", "dossier:TL-1") in seen
    assert ("2021-02-01", "role", kvk(72)) in seen  # the party's roles
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)
    decision = next(e for e in t["events"] if e["kind"] == "decision")
    assert decision["status"] == "later" and decision["decision"] == "verleend"


def test_unknown_entity(store: Store) -> None:
    with pytest.raises(NotFound):
        entity_timeline(store, "person:nobody", AS_OF)
