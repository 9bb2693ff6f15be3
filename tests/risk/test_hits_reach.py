"""How far an incremental hit refresh looks (graph_service.risk.reach), and the Bibob
screening's stored hits.

An incremental refresh after part of every file is loaded again stores what a full one
stores (every indicator, every scope), although it walks only from the changes that a
signal reaches; the walks themselves on a small graph built for it; the rows from the far
end equal the indicator's own, and with the short paths first those of the whole walk; a
screening answered from the stored hits equals the same screening run live, and reads the
stored hits once.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from graph_service import risk
from graph_service.model import node_statement, relationship_statement
from graph_service.risk import reach, screening, stored
from graph_service.risk.indicators import indicator_params, list_indicators
from graph_service.risk.reach import (
    FROM_FAR,
    LIST_ENTITY,
    MAY_FIRE,
    MONOTONE,
    NEEDS,
    REACH,
    TooFar,
    Walk,
    reached_from,
    within_reach,
)
from graph_service.risk.recorder import ChangeRecorder, refresh_after_load
from graph_service.store import Store, access
from loaders import spec_for
from loaders.base import sync
from loaders.synthetic.generator import DEFAULT_TODAY, generate
from tests.risk.test_hits_store import _every_read, _make_live, _scopes
from tests.support.fixture_graphs import GraphBuilder

AS_OF = DEFAULT_TODAY
SOURCES = ("kvk", "bibob", "vakantieparken", "schuren", "riec")


@pytest.fixture(scope="module")
def halves(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Generated files cut in two: most rows of every file, and the rest."""
    whole = tmp_path_factory.mktemp("whole")
    generate(whole, 1500, 11)
    first, rest = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("rest")
    for source in SOURCES:
        with (whole / f"{source}.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        cut = 1 + (len(rows) - 1) * 17 // 20
        for folder, part in ((first, rows[1:cut]), (rest, rows[cut:])):
            with (folder / f"{source}.csv").open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh).writerows([rows[0], *part])
    return first, rest


@pytest.fixture
def day(today_is: Callable[[dt.date], None]) -> dt.date:
    today_is(AS_OF)
    return AS_OF


def _load(store: Store, folder: Path) -> None:
    for source in SOURCES:
        sync(store, spec_for(source), [folder / f"{source}.csv"], today=AS_OF)


def test_every_indicator_has_a_reach_and_the_far_ends_start_it() -> None:
    assert set(REACH) == {i.code for i in list_indicators()}
    assert set(NEEDS) <= set(REACH)
    assert set(MONOTONE) <= set(REACH)
    assert set(FROM_FAR) <= set(NEEDS)  # they walk from the far end
    # the far end of every path: its first phase leaves the signal, the park
    leaves = {"Signal": ("CONCERNS",), "HolidayPark": ("UNIT_OF",),
              LIST_ENTITY: ("POSSIBLE_SAME_AS", "SAME_AS")}
    for code, label in NEEDS.items():
        assert REACH[code][0][0] == leaves[label], code


def test_an_incremental_refresh_after_part_of_every_file_stores_what_a_full_one_stores(
        store: Store, halves: tuple[Path, Path], day: dt.date) -> None:
    first, rest = halves
    _load(store, first)
    stored.refresh(store, as_of=day)
    recorder = ChangeRecorder(store)
    _load(recorder, rest)
    assert recorder.complete and recorder.touched
    report = refresh_after_load(recorder, as_of=day)
    assert report.published and report.kind == "incremental"
    assert isinstance(report.recomputed["BIBOB_RELATED_SIGNAL"], int)
    incremental = _every_read(store, day)
    full = stored.refresh(store, as_of=day)
    assert full.kind == "full" and full.hits == report.hits
    assert full.hits["BIBOB_RELATED_SIGNAL"] > 0 and full.hits["SIGNAL_NETWORK"] > 0
    assert _every_read(store, day) == incremental


def test_a_refresh_from_the_far_end_stores_what_one_from_each_entity_stores(
        store: Store, halves: tuple[Path, Path], day: dt.date,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in halves:
        _load(store, folder)
    read = store.read
    runs: dict[str, list[int]] = {}
    unbounded: dict[str, set[bool]] = {}

    def counting(name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        runs.setdefault(name, []).append(len((params or {}).get("uids") or ()))
        unbounded.setdefault(name, set()).add(store.read_timeout() == 0)
        return read(name, params)

    monkeypatch.setattr(store, "read", counting)
    monkeypatch.setattr(store, "read_timeout_s", 60.0)
    monkeypatch.setattr(stored, "FROM_FAR_AT", 10**9)  # never from the far end
    plain = stored.refresh(store, as_of=day)
    expected = _every_read(store, day)
    plain_runs, runs = runs, {}
    monkeypatch.setattr(stored, "FROM_FAR_AT", 0)  # always from the far end
    statements = {i.code: i.statement for i in list_indicators(store.registry)}
    for pairs in (reach.FAR_PAIRS, 1):  # all in one run; a run per entity
        monkeypatch.setattr(reach, "FAR_PAIRS", pairs)
        runs = {}
        far = stored.refresh(store, as_of=day)
        assert far.hits == plain.hits and plain.hits["BIBOB_RELATED_SIGNAL"] > 0
        assert _every_read(store, day) == expected
        for code, (candidates, from_far) in FROM_FAR.items():
            assert candidates in runs and candidates not in plain_runs, code
            assert statements[code] not in runs and from_far not in plain_runs, code
            # on the entities it fires on only: fewer than the indicator ran on
            assert 0 < sum(runs[from_far]) < sum(plain_runs[statements[code]]), code
            # one run per scope that runs it (a candidates read each), or one per entity
            assert len(runs[from_far]) == (len(runs[candidates]) if pairs > 1
                                           else sum(runs[from_far])), code
            # the far end's reads without the read timeout, the indicators' with it
            assert unbounded[candidates] == unbounded[from_far] == {True}, code
            assert unbounded[statements[code]] == {False}, code


def test_an_indicator_fires_only_on_the_entities_its_count_allows(
        store: Store, halves: tuple[Path, Path], day: dt.date,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """reach.MAY_FIRE: with the configured thresholds and with the counted one at 2, the
    hits of each such indicator in every scope of the refresh lie among the entities its
    read allows, fewer than its label holds (asked of some entities: those of them); and
    a full refresh runs the indicator on those only."""
    for folder in halves:
        _load(store, folder)
    indicators = {i.code: i for i in list_indicators(store.registry) if i.code in MAY_FIRE}
    assert set(indicators) == set(MAY_FIRE)
    allowed: dict[str, set[str]] = {}
    for code, indicator in indicators.items():
        anchors = set(stored._Entities(store).anchors(indicator))
        counted = set(store.registry.get(MAY_FIRE[code]).params) - {"uids"}  # its threshold
        for thresholds in (dict(indicator.thresholds),
                           {**indicator.thresholds, **dict.fromkeys(counted, 2)}):
            may = reach.may_fire(store, code, thresholds)
            assert may < anchors, (code, thresholds)
            some = sorted(anchors)[::3] + sorted(may)[::2]  # asked of some entities only
            assert reach.may_fire(store, code, thresholds, some) == may & set(some), code
            fired: set[str] = set()
            for visible in stored.SCOPES:
                with stored._computing(visible):
                    found = {h.uid for h in risk.hits(store, code, day, thresholds=thresholds)}
                assert found <= may, (code, thresholds, sorted(visible), sorted(found - may))
                fired |= found
            assert fired, (code, thresholds)
            allowed.setdefault(code, may)
    read = store.read
    ran: dict[str, set[str]] = {}

    def counting(name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        ran.setdefault(name, set()).update((params or {}).get("uids") or ())
        return read(name, params)

    monkeypatch.setattr(store, "read", counting)
    report = stored.refresh(store, as_of=day)
    assert report.kind == "full"
    for code, indicator in indicators.items():
        assert report.hits[code] > 0, code
        assert ran[indicator.statement] and ran[indicator.statement] <= allowed[code], code


def test_the_short_paths_first_give_the_rows_of_the_whole_walk(
        store: Store, halves: tuple[Path, Path], day: dt.date,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """BIBOB_RELATED_SIGNAL from the signals, its short paths first (reach.SHORT_FIRST):
    per dossier the measure and the first paths of the whole walk alone, in every scope
    and for any number of paths kept, with dossiers settled by the short paths and
    others walked whole among them."""
    for folder in halves:
        _load(store, folder)
    code = "BIBOB_RELATED_SIGNAL"
    short, (candidates, whole) = reach.SHORT_FIRST[code], FROM_FAR[code]
    indicator = {i.code: i for i in list_indicators(store.registry)}[code]
    read = store.read
    returned: dict[str, int] = {}

    def counting(name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        rows = read(name, params)
        settled = [r for r in rows if r.get("settled", True)]
        returned[name] = returned.get(name, 0) + len(settled)
        return rows

    def rows() -> list[tuple[str, Any, str]]:
        found = [r for batch in reach.from_far_end(store, code, params, dossiers)
                 for r in batch]
        assert all(set(r) == {"uid", "measure", "paths"} for r in found)
        return sorted((r["uid"], r["measure"], json.dumps(r["paths"], sort_keys=True))
                      for r in found)

    monkeypatch.setattr(store, "read", counting)
    compared = 0
    for name, scope in _scopes():
        with access.scope(scope):
            dossiers = [r["uid"] for r in read(candidates, {"as_of": day.isoformat()})]
            if not dossiers:
                continue
            dossiers.append("dossier:none-reached")  # walks from no signal: no row
            for max_paths in (1, 2, 3, 25):
                params = indicator_params(store, indicator, day, None, None, max_paths)
                monkeypatch.setattr(reach, "SHORT_FIRST", {})
                expected = rows()
                monkeypatch.setattr(reach, "SHORT_FIRST", {code: short})
                assert rows() == expected, (name, max_paths)
                assert len(expected) == len(dossiers) - 1
                compared += 1
    assert compared >= 8
    # the short paths settled some dossiers, and the whole walk ran on others
    assert returned[short] > 0 and returned[whole] > 0


def test_a_dossier_settles_by_its_short_paths_only_when_no_longer_path_comes_first(
        store: Store, day: dt.date, monkeypatch: pytest.MonkeyPatch) -> None:
    """d1: signals at 2, 3 and 5 steps. d2: a signal at 2 steps, one at 5 steps over a
    SAME_AS and two functionarissen (the short paths find it), one at 5 steps over three
    functionarissen (they do not), whose path comes first by its key."""
    g = GraphBuilder(store)
    for d, party in (("dossier:d1", "kvk:p1"), ("dossier:d2", "kvk:p2")):
        g.dossier(d)
        g.org(party)
        g.party(party, d, "aanvrager", "a1")
    for org in ("kvk:q", "zz:p2b", "kvk:o1", "kvk:b1"):
        g.org(org)
    for person, orgs in (("person:a", ["kvk:p1"]), ("person:c", ["kvk:p1", "kvk:q"]),
                         ("person:e", ["kvk:q"]), ("person:m1", ["zz:p2b", "kvk:o1"]),
                         ("person:a1", ["kvk:p2", "kvk:b1"]), ("person:c1", ["kvk:b1"])):
        g.person(person)
        for org in orgs:
            g.functionary(person, org)
    for signal, subject in (("signal:s1", "kvk:p1"), ("signal:s2", "person:a"),
                            ("signal:s3", "person:e"), ("signal:s4", "kvk:p2"),
                            ("signal:s5", "kvk:o1"), ("signal:s6", "person:c1")):
        g.signal(signal, subject)
    g.write()
    store.write_rows("write/judge_same_as", [{"start": "kvk:p2", "end": "zz:p2b",
                                              "judgement": None, "since": "2024-01-01"}])
    code = "BIBOB_RELATED_SIGNAL"
    indicator = {i.code: i for i in list_indicators(store.registry)}[code]
    short = reach.SHORT_FIRST[code]
    read = store.read
    settled: set[str] = set()

    def counting(name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        rows = read(name, params)
        settled.update(r["uid"] for r in rows if name == short and r["settled"])
        return rows

    monkeypatch.setattr(store, "read", counting)

    def far_ends(found: list[dict[str, Any]]) -> dict[str, tuple[int, list[str]]]:
        return {r["uid"]: (r["measure"], [p["nodes"][-1]["uid"] for p in r["paths"]])
                for r in found}

    with access.scope(access.FULL):
        for max_paths, settles, expected in (
                (1, {"dossier:d1", "dossier:d2"}, {"dossier:d1": (3, ["signal:s1"]),
                                                   "dossier:d2": (3, ["signal:s4"])}),
                (2, {"dossier:d1"}, {"dossier:d1": (3, ["signal:s1", "signal:s2"]),
                                     "dossier:d2": (3, ["signal:s4", "signal:s6"])}),
                (3, set(), {"dossier:d1": (3, ["signal:s1", "signal:s2", "signal:s3"]),
                            "dossier:d2": (3, ["signal:s4", "signal:s6", "signal:s5"])})):
            params = indicator_params(store, indicator, day, None, None, max_paths)
            settled.clear()
            found = [r for batch in reach.from_far_end(
                store, code, params, ["dossier:d1", "dossier:d2"]) for r in batch]
            assert settled == settles, max_paths
            assert far_ends(found) == expected, max_paths
            monkeypatch.setattr(reach, "SHORT_FIRST", {})
            whole = [r for batch in reach.from_far_end(
                store, code, params, ["dossier:d1", "dossier:d2"]) for r in batch]
            monkeypatch.setattr(reach, "SHORT_FIRST", {code: short})
            assert sorted(found, key=lambda r: r["uid"]) == sorted(whole,
                                                                   key=lambda r: r["uid"])


def _chain(store: Store) -> None:
    """signal -> x0 = x - b - c - party -> dossier (x0 and x confirmed the same person),
    a - b, and a far person f - party (no signal within three steps of f)."""
    rows = [("Signal", "signal:s1"), ("Person", "person:x0"), ("Person", "person:x"),
            ("Person", "person:a"),
            ("Organisation", "kvk:b"), ("Person", "person:c"), ("Organisation", "kvk:p"),
            ("BibobDossier", "dossier:d1"), ("Person", "person:f")]
    for label, uid in rows:
        store.write_rows(node_statement(label), [{
            "uid": uid, "props": {"name": uid}, "sources": ["test"], "source_records": [],
            "grades": [], "purposes": ["open"], "first_seen": "2024-01-01",
            "last_seen": "2024-01-01"}])
    links = [("CONCERNS", "signal:s1", "person:x0"), ("FUNCTIONARY_OF", "person:x", "kvk:b"),
             ("FUNCTIONARY_OF", "person:a", "kvk:b"), ("FUNCTIONARY_OF", "person:c", "kvk:b"),
             ("FUNCTIONARY_OF", "person:c", "kvk:p"), ("PARTY_TO", "kvk:p", "dossier:d1"),
             ("FUNCTIONARY_OF", "person:f", "kvk:p")]
    for rel, start, end in links:
        store.write_rows(relationship_statement(rel), [{
            "start": start, "end": end, "key": "k", "props": {}, "sources": ["test"],
            "source_records": [], "grades": [], "purposes": ["open"],
            "first_seen": "2024-01-01", "last_seen": "2024-01-01"}])
    store.write_rows("write/judge_same_as", [{"start": "person:x", "end": "person:x0",
                                              "judgement": None, "since": "2024-01-01"}])


def test_the_walks_stop_where_no_path_from_a_signal_can_pass(store: Store) -> None:
    _chain(store)
    code = "BIBOB_RELATED_SIGNAL"
    far = ["signal:s1"]
    # x0 = x - b - c - p: the confirmed same person, then three steps to the party
    assert within_reach(Walk(store, 1000), code, ["BibobDossier"], ["person:x"], far) == {
        "dossier:d1"}
    # f is a functionaris of the party, but four steps from x: no path runs through f
    assert within_reach(Walk(store, 1000), code, ["BibobDossier"], ["person:f"], far) == set()
    # without the far end the walk back from f reaches the dossier
    assert within_reach(Walk(store, 1000), code, ["BibobDossier"], ["person:f"]) == {
        "dossier:d1"}
    # a changed dossier is always recomputed; a walk past its bound gives up
    assert within_reach(Walk(store, 1000), code, ["BibobDossier"], ["dossier:d1"], far) == {
        "dossier:d1"}
    with pytest.raises(TooFar):
        within_reach(Walk(store, 2), code, ["BibobDossier"], ["person:x"], far)


def test_a_changed_list_entity_reaches_its_look_alikes(store: Store) -> None:
    """SANCTIONS_MATCH has one phase of one step, from the list entity (the far end) to
    the register's entity it fires on: a change of the list entity changes the hits of
    its look-alikes; a change of an entity no list entity reaches changes only its own."""
    for uid in ("person:r", "person:l", "person:q"):
        store.write_rows(node_statement("Person"), [{
            "uid": uid, "props": {"name": uid}, "sources": ["test"], "source_records": [],
            "grades": [], "purposes": ["open"], "first_seen": "2024-01-01",
            "last_seen": "2024-01-01"}])
    store.write_rows("write/merge_possible_same_as", [
        {"start": "person:l", "end": "person:r", "score": 0.9, "reason": "test"}])
    code, fires_on, far = "SANCTIONS_MATCH", ["Person", "Organisation"], ["person:l"]
    assert within_reach(Walk(store, 1000), code, fires_on, ["person:l"], far) == {
        "person:l", "person:r"}
    assert within_reach(Walk(store, 1000), code, fires_on, ["person:q"], far) == {"person:q"}
    assert reached_from(Walk(store, 1000), code, fires_on, far) == {
        "person:l", "person:r"}


def test_a_screening_from_stored_hits_is_the_screening_run_live(
        store: Store, day: dt.date, halves: tuple[Path, Path]) -> None:
    first, rest = halves
    _load(store, first)
    _load(store, rest)
    stored.refresh(store, as_of=day)
    with access.scope(access.FULL):
        hit = {r["uid"] for r in store.read("read/hits_keys", {"scope": stored.scope_key(
            access.FULL.visible)}) if r["code"] == "BIBOB_RELATED_SIGNAL"}
        dossiers = sorted(hit)[:4] + sorted(
            uid for r in store.read("read/hits_anchors", {"label": "BibobDossier"})
            for uid in r["uids"] if uid not in hit)[:2]
    assert hit and len(dossiers) >= 4
    names: list[str] = []
    read = store.read

    def counted(name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        names.append(name)
        return read(name, params)

    scopes = [(n, s) for n, s in _scopes() if "bibob" in s.visible]
    answers: dict[str, Any] = {}
    for name, scope in scopes:
        with access.scope(scope):
            assert stored.source_for(store, day).stored, name
            for uid in dossiers:
                names.clear()
                store.read = counted  # type: ignore[method-assign]
                try:
                    report = screening.screen(store, uid, day)
                finally:
                    store.read = read  # type: ignore[method-assign]
                assert names.count("read/hits_on_subjects") == 1, (name, uid)
                assert names.count("read/hits_state") == 1, (name, uid)
                assert not any(n.startswith("indicators/") for n in names)
                answers[f"{name}|{uid}"] = report.to_dict()
    assert any(h["code"] == "BIBOB_RELATED_SIGNAL" for a in answers.values() for h in a["hits"])
    _make_live(store)
    for name, scope in scopes:
        with access.scope(scope):
            assert not stored.source_for(store, day).stored
            for uid in dossiers:
                assert screening.screen(store, uid, day).to_dict() == answers[f"{name}|{uid}"]
