"""Stored indicator hits (graph_service.risk.stored) against live runs, on generated data.

Parity: after a refresh, reading the stored hits under every scope the policy gives
equals running the indicators live under that scope: every indicator, whole-graph pages,
hits on given entities with few paths, risk scores. Freshness: a write through any path
makes the stored hits unusable until the next refresh (reads run live and say why). An
incremental refresh after a load stores what a full one stores.
"""

from __future__ import annotations

import contextvars
import csv
import datetime as dt
import json
import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_service import risk
from graph_service.model import node_statement, relationship_key, relationship_statement
from graph_service.model.uids import organisation_uid
from graph_service.risk import hitpaths, stored
from graph_service.risk.evidence import fetch_entities
from graph_service.risk.indicators import list_indicators
from graph_service.risk.recorder import ChangeRecorder, refresh_after_load
from graph_service.risk.scoring import hits_on_entities
from graph_service.security.policy import POLICY
from graph_service.store import Store, access
from loaders import spec_for
from loaders.base import sync
from loaders.synthetic.generator import DEFAULT_TODAY, generate

AS_OF = DEFAULT_TODAY
FIRST = ("kvk", "bibob", "vakantieparken", "schuren")
SOURCES = (*FIRST, "riec", "ftm")
KEY = b"k" * 32


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    generate(out, 1500, 11)
    _write_list(out)
    return out


def _write_list(out: Path) -> None:
    """An outside list (source ftm) naming some of the generated functionaries (the same
    birth date, or one day off) and organisations, so SANCTIONS_MATCH fires."""
    entities: list[dict[str, Any]] = []
    with (out / "kvk.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    persons = sorted({(r["functionaris_voornamen"], r["functionaris_voorvoegsel"],
                       r["functionaris_geslachtsnaam"], r["functionaris_geboortedatum"])
                      for r in rows if r["functionaris_type"] == "persoon"
                      and r["functionaris_geboortedatum"]})
    for i, (given, prefix, surname, born) in enumerate(persons[::40][:12]):
        day = dt.date.fromisoformat(born) + dt.timedelta(days=i % 2)
        entities.append({"id": f"list-p{i}", "schema": "Person", "properties": {
            "firstName": [given], "lastName": [f"{prefix} {surname}".strip()],
            "name": [f"{given} {prefix} {surname}".replace("  ", " ")],
            "birthDate": [day.isoformat()], "topics": ["sanction" if i % 3 else "role.pep"]}})
    for i, row in enumerate(sorted({r["kvk_nummer"]: r for r in rows}.values(),
                                   key=lambda r: r["kvk_nummer"])[::50][:6]):
        entities.append({"id": f"list-o{i}", "schema": "Company", "properties": {
            "name": [row["naam"]], "registrationNumber": [row["kvk_nummer"]]}})
    (out / "ftm.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entities),
                                   encoding="utf-8")


@pytest.fixture
def day(today_is: Callable[[dt.date], None]) -> dt.date:
    today_is(AS_OF)
    return AS_OF


def _load(store: Store, files: Path, sources: tuple[str, ...]) -> None:
    for source in sources:
        name = "ftm.jsonl" if source == "ftm" else f"{source}.csv"
        sync(store, spec_for(source), [files / name], today=AS_OF)


def _scopes() -> Iterator[tuple[str, access.Scope]]:
    """Every role and purpose of the policy that sees something, plus the system scope."""
    yield "system", access.FULL
    for (role, purpose), grant in sorted(POLICY.items()):
        if grant.visible:
            yield f"{role}/{purpose}", access.Scope(grant.visible, grant.pseudonymise, KEY,
                                                    f"{role}/{purpose}")


def _dump(found: list[risk.Hit]) -> list[dict[str, Any]]:
    dumped: list[dict[str, Any]] = json.loads(json.dumps([h.to_dict() for h in found],
                                                         default=str))
    return dumped


def _every_read(store: Store, day: dt.date) -> dict[str, Any]:
    """What every reader gets, per scope: every indicator's hits (whole and a page), the
    hits on a sample of entities with 3 paths each, and their risk scores."""
    out: dict[str, Any] = {}
    for name, scope in _scopes():
        with access.scope(access.FULL):
            sample = sorted(fetch_entities(store, [
                r["uid"] for r in store.read("read/all_nodes")][::7]).values(),
                key=lambda e: e.uid)
        with access.scope(scope):
            for ind in list_indicators(store.registry):
                out[f"{name}|{ind.code}"] = _dump(risk.hits(store, ind.code, day))
                out[f"{name}|{ind.code}|page"] = _dump(
                    risk.hits(store, ind.code, day, offset=1, limit=2))
                out[f"{name}|{ind.code}|list"] = _dump(  # as a list page builds them
                    risk.hits(store, ind.code, day, limit=20, max_paths=2))
            visible = fetch_entities(store, [e.uid for e in sample])
            out[f"{name}|entities"] = _dump(
                hits_on_entities(store, list(visible.values()), day, max_paths=3))
            scores = [risk.risk(store, uid, day).to_dict() for uid in sorted(visible)[:40]]
            for s in scores:
                s.pop("hits_source")
            out[f"{name}|risk"] = json.loads(json.dumps(scores, default=str))
    return out


def _source(store: Store, day: dt.date, scope: access.Scope = access.FULL) -> stored.Source:
    with access.scope(scope):
        return stored.source_for(store, day, codes=[i.code for i in
                                                    list_indicators(store.registry)])


def _make_live(store: Store) -> None:
    """A write that changes no fact an indicator reads: the stored hits go out of date."""
    store.write("write/record_load_run", {
        "uid": "load:test:x", "stamp": "x", "source": "test", "files": [], "file_hashes": [],
        "started": "x", "finished": "x", "by": "", "full": False,
        "rows_read": 0, "rows_refused": 0, "nodes_created": 0, "relationships_created": 0,
        "nodes_changed": 0, "relationships_changed": 0, "nodes_ended": 0,
        "relationships_ended": 0})


def test_the_scopes_cover_every_grant() -> None:
    keys = {stored.scope_key(s) for s in stored.SCOPES}
    for grant in POLICY.values():
        if grant.visible:
            assert stored.scope_key(grant.visible) in keys
    assert stored.scope_key(access.FULL.visible) in keys
    assert set(stored.REACH) == {i.code for i in list_indicators()}


def test_stored_hits_equal_live_runs_for_every_indicator_and_purpose(
        store: Store, files: Path, day: dt.date) -> None:
    _load(store, files, SOURCES)
    report = stored.refresh(store, as_of=day)
    assert report.published and report.kind == "full"
    assert sum(report.hits.values()) > 0
    assert set(report.hits) == {i.code for i in list_indicators(store.registry)}
    with access.scope(access.FULL):  # the paths are stored compressed (hitpaths.pack_paths)
        keys = store.read("read/hits_keys", {"scope": stored.scope_key(access.FULL.visible)})
        raw = store.read("read/hits_on_subjects", {
            "uids": sorted({k["uid"] for k in keys}), "codes": sorted({k["code"] for k in keys})})
    assert len(raw) == len(keys) > 0
    assert all(r["paths"].startswith(hitpaths.PACKED) for r in raw)
    for name, scope in _scopes():
        assert _source(store, day, scope).stored, name
    from_store = _every_read(store, day)
    _make_live(store)
    assert _source(store, day).reason == stored.LIVE_RECOMPUTING
    live = _every_read(store, day)
    assert from_store.keys() == live.keys()
    for key in live:
        assert from_store[key] == live[key], key
    for key in (k for k in live if k.endswith("|list")):  # few paths, the rest counted
        whole = {h["uid"]: h for h in live[key.removesuffix("|list")]}
        for h in live[key]:
            full = whole[h["uid"]]
            assert len(h["paths"]) == min(2, full["path_count"]) == min(2, len(full["paths"]))
            assert h["path_count"] == len(full["paths"])
            assert all(p in full["paths"] for p in h["paths"])
            for field in ("grade", "best_grade", "weight", "onbevestigd", "measure",
                          "sentence"):
                assert h[field] == full[field], (key, field)
    assert any(h["path_count"] > 2 for k in live if k.endswith("|list") for h in live[k])
    fired = {k for k, v in live.items() if v and "|" in k and k.count("|") == 1}
    assert len({k.split("|")[1] for k in fired}) >= 10  # most indicators fire somewhere
    assert "system|SANCTIONS_MATCH" in fired  # the list (source ftm) is compared too
    assert "analyst/analyse|SANCTIONS_MATCH" not in fired  # the list is not in its scope
    # the pseudonymised analyst gets pseudonyms from the stored hits as well
    analyst = [v for k, v in from_store.items() if k.startswith("analyst/analyse|")]
    names = [n["name"] for hits in analyst for h in hits if isinstance(h, dict)
             for p in h.get("paths", []) for n in p["nodes"] if n["uid"].startswith("pseudo:")]
    assert names and all(n.startswith("Persoon ") for n in names)
    assert "person:" not in json.dumps(analyst)  # persons by their tokens only


def test_a_write_through_any_path_is_never_answered_from_stale_hits(
        store: Store, files: Path, day: dt.date) -> None:
    _load(store, files, FIRST)
    stored.refresh(store, as_of=day)
    assert _source(store, day).stored
    before = {i.code: len(risk.hits(store, i.code, day))
              for i in list_indicators(store.registry)}
    _load(store, files, ("riec",))  # signals: several indicators fire anew
    source = _source(store, day)
    assert not source.stored and source.reason == stored.LIVE_RECOMPUTING
    after = {i.code: len(risk.hits(store, i.code, day)) for i in list_indicators(store.registry)}
    assert after["BIBOB_RELATED_SIGNAL"] > before["BIBOB_RELATED_SIGNAL"]
    score = risk.risk(store, sorted(
        h.uid for h in risk.hits(store, "BIBOB_RELATED_SIGNAL", day))[0], day)
    assert score.source.stored is False and "herberekend" in (score.source.reason or "")
    stored.refresh(store, as_of=day)
    assert _source(store, day).stored
    assert {i.code: len(risk.hits(store, i.code, day))
            for i in list_indicators(store.registry)} == after


def test_threshold_overrides_and_other_dates_are_computed_live(
        store: Store, files: Path, day: dt.date) -> None:
    _load(store, files, SOURCES)
    stored.refresh(store, as_of=day)
    uid = sorted(h.uid for h in risk.hits(store, "STRAW_MAN", day))[0]
    plain = risk.risk(store, uid, day)
    assert plain.source.stored and plain.to_dict()["hits_source"]["run"]
    changed = risk.risk(store, uid, day, {"STRAW_MAN": {"min_orgs": 50}})
    assert not changed.source.stored and changed.source.reason == stored.LIVE_OVERRIDE
    assert "STRAW_MAN" in {c.hit.code for c in plain.hits}
    assert "STRAW_MAN" not in {c.hit.code for c in changed.hits}
    earlier = risk.risk(store, uid, day - dt.timedelta(days=400))
    assert not earlier.source.stored
    with pytest.raises(Exception, match="no threshold"):
        risk.hits(store, "STRAW_MAN", day, thresholds={"nonsense": 1})


def test_a_narrower_scope_than_any_grant_is_computed_live(
        store: Store, files: Path, day: dt.date) -> None:
    _load(store, files, SOURCES)
    stored.refresh(store, as_of=day)
    only_riec = access.Scope(frozenset({"riec"}), label="test")
    assert _source(store, day, only_riec).reason == stored.LIVE_SCOPE
    with access.scope(only_riec):
        assert risk.hits(store, "STRAW_MAN", day) == []  # no KvK facts: no straw men


def test_an_incremental_refresh_after_a_load_stores_what_a_full_one_stores(
        store: Store, files: Path, day: dt.date) -> None:
    _load(store, files, FIRST)
    stored.refresh(store, as_of=day)
    recorder = ChangeRecorder(store)
    _load(recorder, files, ("riec",))
    assert recorder.complete and recorder.touched
    report = refresh_after_load(recorder, as_of=day)
    assert report.published and report.kind == "incremental"
    assert any(isinstance(n, int) for n in report.recomputed.values())
    incremental = _every_read(store, day)
    report = stored.refresh(store, as_of=day)
    assert report.kind == "full"
    assert _every_read(store, day) == incremental


def test_a_load_after_another_write_refreshes_whole(
        store: Store, files: Path, day: dt.date) -> None:
    _load(store, files, FIRST)
    stored.refresh(store, as_of=day)
    recorder = ChangeRecorder(store)
    _make_live(store)  # a write the recorder did not see
    _load(recorder, files, ("riec",))
    assert refresh_after_load(recorder, as_of=day).kind == "full"


def test_the_overview_counts_come_from_the_stored_hits(
        store: Store, files: Path, day: dt.date) -> None:
    from graph_service.web.hits import HitCounts

    _load(store, files, SOURCES)
    stored.refresh(store, as_of=day)
    codes = [i.code for i in list_indicators(store.registry)]
    for name, scope in _scopes():
        with access.scope(scope):
            counts = HitCounts(0).count
            from_store = {c: counts(store, c, day) for c in codes}
            assert stored.source_for(store, day, codes=codes).stored, name
            assert from_store == {c: (len(risk.hits(store, c, day)), False) for c in codes}
    _make_live(store)
    with access.scope(access.FULL):
        live = {c: HitCounts(0).count(store, c, day) for c in codes}
        assert not stored.source_for(store, day, codes=codes).stored
    with access.scope(access.FULL):
        stored.refresh(store, as_of=day)
        assert {c: HitCounts(0).count(store, c, day) for c in codes} == live


def test_a_run_counts_new_ended_and_changed_hits_and_two_runs_compare(
        store: Store, files: Path, day: dt.date) -> None:
    from graph_service.cli import risk as cli_risk

    _load(store, files, FIRST)
    first = stored.refresh(store, as_of=day)
    assert first.changes == {}  # nothing to compare with
    _load(store, files, ("riec",))
    second = stored.refresh(store, as_of=day)
    assert second.changes["BIBOB_RELATED_SIGNAL"]["new"] == second.hits["BIBOB_RELATED_SIGNAL"]
    assert second.changes["BIBOB_RELATED_SIGNAL"]["ended"] == 0
    assert "STRAW_MAN" not in second.changes  # signals do not make straw men
    assert stored.diff_runs(store, first.run, second.run) == second.changes
    back = stored.diff_runs(store, second.run, first.run)
    assert back["BIBOB_RELATED_SIGNAL"] == {
        "new": 0, "ended": second.hits["BIBOB_RELATED_SIGNAL"], "changed": 0}
    assert stored.diff_runs(store, second.run, second.run) == {}
    with pytest.raises(Exception, match="geen afgeronde berekening"):
        stored.diff_runs(store, first.run, "hits:nonsense")
    assert stored.changes([("A", "x", 1), ("A", "y", 1)], [("A", "x", 2), ("A", "z", 1)]) == {
        "A": {"new": 1, "ended": 1, "changed": 1}}
    assert "sinds de vorige berekening" in "\n".join(cli_risk.refresh_lines(second))


def test_incremental_refreshes_after_each_source_store_what_full_ones_store(
        store: Store, files: Path, day: dt.date) -> None:
    _load(store, files, ("riec", "kvk", "schuren"))  # signals first: they wait for subjects
    stored.refresh(store, as_of=day)
    for source in ("vakantieparken", "bibob", "ftm"):
        recorder = ChangeRecorder(store)
        _load(recorder, files, (source,))
        report = refresh_after_load(recorder, as_of=day)
        assert report.kind == "incremental", source
        incremental = _every_read(store, day)
        assert stored.refresh(store, as_of=day).kind == "full"
        assert _every_read(store, day) == incremental, source


def test_a_refresh_splits_a_run_the_engine_cancels(
        store: Store, files: Path, day: dt.date, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph_service.errors import QueryTimeout

    _load(store, files, SOURCES)
    whole = stored.refresh(store, as_of=day)
    read = store.read
    sizes: list[int] = []

    def cancelling(name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        uids = (params or {}).get("uids")
        if name.startswith("indicators/") and uids is not None:
            sizes.append(len(uids))
            if len(uids) > 3:  # as the engine's read timeout cancels a large run
                raise QueryTimeout(f"{name}: cancelled")
        return read(name, params)

    monkeypatch.setattr(store, "read", cancelling)
    split = stored.refresh(store, as_of=day)
    assert split.published and split.hits == whole.hits
    assert max(sizes) > 3 and min(sizes) <= 3


def test_indicators_computed_at_the_same_time_store_what_one_at_a_time_stores(
        store: Store, files: Path, day: dt.date, monkeypatch: pytest.MonkeyPatch) -> None:
    assert stored.REFRESH_WORKERS >= 2
    _load(store, files, SOURCES)
    together = stored.refresh(store, as_of=day)
    reads = _every_read(store, day)
    monkeypatch.setattr(stored, "REFRESH_WORKERS", 1)
    alone = stored.refresh(store, as_of=day)
    assert together.published and alone.published
    assert together.hits == alone.hits and sum(alone.hits.values()) > 0
    assert together.recomputed == alone.recomputed
    codes = [i.code for i in list_indicators(store.registry)]
    assert list(together.timings) == list(alone.timings) == codes  # in the indicators' order
    assert _every_read(store, day) == reads


def test_the_hits_are_written_once_every_indicator_is_computed_up_to_a_limit(
        store: Store, files: Path, day: dt.date, monkeypatch: pytest.MonkeyPatch) -> None:
    """stored._Held: the writes of the hits come after the last read of an indicator;
    with no room to hold them, as they come; the same hits either way."""
    _load(store, files, SOURCES)
    read, write_rows = store.read, store.write_rows
    order: list[str] = []

    def reading(name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        order.append(name)
        return read(name, params)

    def writing(name: str, rows: Any, **kwargs: Any) -> Any:
        order.append(name)
        return write_rows(name, rows, **kwargs)

    def computed_before_written() -> bool:
        last = max(i for i, n in enumerate(order) if n.startswith("indicators/"))
        return last < order.index("write/hits_create")

    monkeypatch.setattr(store, "read", reading)
    monkeypatch.setattr(store, "write_rows", writing)
    held = stored.refresh(store, as_of=day)
    assert held.published and sum(held.hits.values()) > 0
    assert computed_before_written()
    monkeypatch.setattr(store, "read", read)
    reads = _every_read(store, day)
    monkeypatch.setattr(store, "read", reading)
    order.clear()
    monkeypatch.setattr(stored, "HOLD_CHARS", 0)
    direct = stored.refresh(store, as_of=day)
    assert direct.published and direct.hits == held.hits
    assert not computed_before_written()
    monkeypatch.setattr(store, "read", read)
    assert _every_read(store, day) == reads


def test_the_refresh_runs_indicators_at_the_same_time_in_the_callers_context() -> None:
    indicators = list_indicators()
    met = threading.Barrier(2, timeout=10)  # broken unless two run at the same time
    purpose: contextvars.ContextVar[str] = contextvars.ContextVar("purpose")
    purpose.set("bibob_toets")
    threads: set[tuple[str, bool]] = set()

    def run(indicator: Any) -> Any:
        if indicator in indicators[:2]:
            met.wait()
        threads.add((threading.current_thread().name, threading.current_thread().daemon))
        return stored._CodeRun({indicator.code: purpose.get()}, "alle", 0.0)

    done = stored._each(run, indicators)
    assert [next(iter(d.derived)) for d in done] == [i.code for i in indicators]
    assert {v for d in done for v in d.derived.values()} == {"bibob_toets"}
    assert len(threads) == 2 and threading.current_thread().name not in dict(threads)
    assert all(daemon for _, daemon in threads)  # an interrupted command does not wait


def test_an_interrupted_refresh_raises_without_waiting_for_the_indicators_under_way() -> None:
    indicators = list_indicators()
    release = threading.Event()
    under_way: list[str] = []
    ended: list[str] = []

    def run(indicator: Any) -> Any:
        under_way.append(indicator.code)
        release.wait(30)
        ended.append(indicator.code)
        return stored._CodeRun({}, "alle", 0.0)

    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))  # Ctrl-C
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            stored._each(run, indicators)
        assert not ended and len(under_way) == stored.REFRESH_WORKERS  # raised at once
    finally:
        timer.cancel()
        release.set()
    workers = [t for t in threading.enumerate() if t.name.startswith("ondergraaf-hits-")]
    for t in workers:
        t.join(10)
    assert len(under_way) == stored.REFRESH_WORKERS  # no indicator begun after it


def test_a_failing_indicator_stops_the_refresh_before_the_indicators_not_begun() -> None:
    indicators = list_indicators()
    assert len(indicators) > 2 * stored.REFRESH_WORKERS
    release = threading.Event()
    begun: list[str] = []

    def run(indicator: Any) -> Any:
        begun.append(indicator.code)
        if indicator is indicators[0]:
            raise RuntimeError("engine gone")
        release.wait(10)  # the others under way hold their workers until released
        return stored._CodeRun({}, "alle", 0.0)

    timer = threading.Timer(2, release.set)
    timer.start()
    try:
        with pytest.raises(RuntimeError, match="engine gone"):
            stored._each(run, indicators)
    finally:
        timer.cancel()
        release.set()
    # the failing one and those the workers took before it was seen, no others
    assert indicators[0].code in begun
    assert len(begun) <= 1 + stored.REFRESH_WORKERS < len(indicators)


def _keys(store: Store) -> list[tuple[str, str, Any]]:
    with access.scope(access.FULL):
        return sorted((r["code"], r["uid"], r.get("measure")) for r in store.read(
            "read/hits_keys", {"scope": stored.scope_key(access.FULL.visible)}))


def _org_row(name: str, source: str = "kvk", record: str = "r1",
             seen: str = "2026-01-01") -> dict[str, Any]:
    purpose = "bibob" if source == "bibob" else "open"
    return {"uid": organisation_uid("12345678"),
            "props": {"kvk_nummer": "12345678", "name": name},
            "sources": [source], "source_records": [f"{source}:{record}"], "grades": ["A"],
            "purposes": [purpose], "first_seen": seen, "last_seen": seen,
            "src_first": {source: seen}, "src_last": {source: seen}}


def _role_row(valid_to: str | None, seen: str = "2026-01-01") -> dict[str, Any]:
    props = {"role": "bestuurder", "valid_from": "2020-01-01", "valid_to": valid_to}
    return {"start": organisation_uid("87654321"), "end": organisation_uid("12345678"),
            "key": relationship_key("FUNCTIONARY_OF", props),
            "props": {k: v for k, v in props.items() if v is not None},
            "sources": ["kvk"], "source_records": [f"kvk:{seen}"], "grades": ["A"],
            "purposes": ["open"], "first_seen": seen, "last_seen": seen,
            "src_first": {"kvk": seen}, "src_last": {"kvk": seen}}


def test_a_merge_counts_a_fact_as_changed_only_when_more_than_its_stamps_change(
        store: Store, day: dt.date) -> None:
    stored.refresh(store, as_of=day)

    def touched(statement: str, *rows: dict[str, Any]) -> set[str]:
        recorder = ChangeRecorder(store)
        assert recorder.compare  # the hits were current: the merge is compared
        recorder.write_rows(statement, list(rows))
        assert recorder.complete
        assert refresh_after_load(recorder, as_of=day).kind == "incremental"
        return recorder.touched

    org, other = organisation_uid("12345678"), organisation_uid("87654321")
    merge_org = node_statement("Organisation")
    assert touched(merge_org, _org_row("De Es B.V.")) == {org}  # new
    # seen again, later and on another record: only the provenance stamps move
    assert touched(merge_org, _org_row("De Es B.V.", record="r2", seen="2026-03-01")) == set()
    assert touched(merge_org, _org_row("De Es Trading B.V.", seen="2026-04-01")) == {org}
    # a new source on the same fact with the same values: who may see it changes
    assert touched(merge_org, _org_row("De Es Trading B.V.", source="bibob",
                                       seen="2026-04-01")) == {org}
    # KvK seen again after the Bibob source: the source seen last (whose value a scope
    # that sees both is shown) changes; seen again later still, nothing changes
    assert touched(merge_org, _org_row("De Es Trading B.V.", record="r3",
                                       seen="2026-05-01")) == {org}
    assert touched(merge_org, _org_row("De Es Trading B.V.", record="r4",
                                       seen="2026-06-01")) == set()
    assert touched(merge_org, {**_org_row("Het Anker B.V."), "uid": other, "props": {
        "kvk_nummer": "87654321", "name": "Het Anker B.V."}}) == {other}
    merge_role = relationship_statement("FUNCTIONARY_OF")
    assert touched(merge_role, _role_row(None)) == {org, other}  # new
    assert touched(merge_role, _role_row(None, seen="2026-05-01")) == set()
    ended = _role_row("2026-06-30", seen="2026-06-01")
    assert touched(merge_role, ended) == {org, other}
    assert touched(merge_role, ended) == set()


def test_loading_the_same_file_again_touches_nothing_and_a_changed_value_does(
        store: Store, files: Path, day: dt.date, tmp_path: Path) -> None:
    _load(store, files, ("kvk", "riec", "schuren", "vakantieparken"))
    stored.refresh(store, as_of=day)
    hits = _keys(store)
    for source in ("kvk", "riec"):
        recorder = ChangeRecorder(store)
        _load(recorder, files, (source,))
        assert recorder.complete and recorder.rows_merged > 0, source
        assert recorder.touched == set(), source
        report = refresh_after_load(recorder, as_of=day)
        assert report.published and report.kind == "incremental", source
        assert set(report.recomputed.values()) == {0}, source
        assert _source(store, day).stored
        assert _keys(store) == hits
    # one role of the KvK file ends: the role's two ends change, nothing else
    with (files / "kvk.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    i = next(i for i, r in enumerate(rows) if r["functionaris_type"] == "persoon"
             and not r["functie_tot"] and r["functie_van"])
    rows[i] = {**rows[i], "functie_tot": "2026-06-30"}
    changed = tmp_path / "kvk.csv"
    with changed.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    recorder = ChangeRecorder(store)
    sync(recorder, spec_for("kvk"), [changed], today=AS_OF)
    assert organisation_uid(rows[i]["kvk_nummer"]) in recorder.touched
    assert len(recorder.touched) == 2 and recorder.rows_changed == 1
    report = refresh_after_load(recorder, as_of=day)
    assert report.kind == "incremental"
    incremental = _every_read(store, day)
    assert stored.refresh(store, as_of=day).kind == "full"
    assert _every_read(store, day) == incremental
