"""A refresh left for later (graph_service.risk.recorder, "Deferred refresh"): writers that
defer leave their changes in the graph, and one refresh over what waited stores what a
full one stores; any other write in between makes that refresh a full one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph_service.risk import recorder as recorder_module
from graph_service.risk import stored
from graph_service.risk.recorder import (
    ChangeRecorder,
    Changes,
    defer,
    refresh_after_load,
    refresh_waiting,
    waiting,
)
from graph_service.store import Store
from tests.risk.test_hits_store import FIRST, _every_read, _load, _make_live, day, files
from tests.support.cli import lend_store

__all__ = ["day", "files"]  # the fixtures of test_hits_store, shared


def _deferred(store: Store, files: Path, source: str) -> tuple[ChangeRecorder, bool]:
    recorder = ChangeRecorder(store)
    _load(recorder, files, (source,))
    return recorder, defer(recorder)


def _pending(store: Store) -> dict[str, object]:
    return store.read("read/hits_pending")[0]


def test_one_refresh_over_what_deferred_loads_left_stores_what_a_full_one_stores(
        store: Store, files: Path, day: dt.date) -> None:
    _load(store, files, FIRST)
    stored.refresh(store, as_of=day)
    riec, kept = _deferred(store, files, "riec")
    assert kept and riec.touched
    ftm, kept = _deferred(store, files, "ftm")
    assert kept and ftm.waited is not None and ftm.waited.touched == riec.touched
    state = stored.read_state(store)
    assert not state.current
    assert waiting(store, state) == Changes(state.hits_generation,
                                           frozenset(riec.touched | ftm.touched), frozenset())

    report = refresh_waiting(store, as_of=day)
    assert report.published and report.kind == "incremental"
    assert any(isinstance(n, int) and n > 0 for n in report.recomputed.values())
    assert report.touched == len(riec.touched | ftm.touched)
    assert _pending(store) == {"base": None, "to": None, "touched": [], "removed": []}
    incremental = _every_read(store, day)
    assert stored.refresh(store, as_of=day).kind == "full"
    assert _every_read(store, day) == incremental

    again = refresh_waiting(store, as_of=day)  # current: nothing to recompute
    assert again.kind == "incremental" and set(again.recomputed.values()) == {0}


def test_the_next_load_refreshes_around_what_waited_too(
        store: Store, files: Path, day: dt.date) -> None:
    _load(store, files, FIRST)
    stored.refresh(store, as_of=day)
    riec, kept = _deferred(store, files, "riec")
    assert kept
    recorder = ChangeRecorder(store)
    _load(recorder, files, ("ftm",))
    report = refresh_after_load(recorder, as_of=day)
    assert report.kind == "incremental" and report.published
    assert report.touched == len(riec.touched | recorder.touched)
    incremental = _every_read(store, day)
    stored.refresh(store, as_of=day)
    assert _every_read(store, day) == incremental


def test_a_refresh_published_while_a_writer_writes_keeps_its_changes_waiting(
        store: Store, files: Path, day: dt.date) -> None:
    _load(store, files, FIRST)
    stored.refresh(store, as_of=day)
    assert _deferred(store, files, "riec")[1]
    recorder = ChangeRecorder(store)  # reads what waits: the riec load's changes
    assert recorder.waited is not None and recorder.waited.touched
    published = refresh_waiting(store, as_of=day)  # another process takes them up
    assert published.published and published.kind == "incremental"
    _load(recorder, files, ("ftm",))
    assert defer(recorder)
    state = stored.read_state(store)
    found = waiting(store, state)
    assert found is not None and found.base == state.hits_generation  # on the newer hits
    report = refresh_waiting(store, as_of=day)
    assert report.kind == "incremental" and report.published
    incremental = _every_read(store, day)
    stored.refresh(store, as_of=day)
    assert _every_read(store, day) == incremental


@pytest.mark.parametrize("when", ["between", "after"])
def test_a_write_that_does_not_defer_makes_the_refresh_full(
        store: Store, files: Path, day: dt.date, when: str) -> None:
    _load(store, files, FIRST)
    stored.refresh(store, as_of=day)
    assert _deferred(store, files, "riec")[1]
    _make_live(store)  # a write that leaves no changes
    if when == "between":
        recorder, kept = _deferred(store, files, "ftm")
        assert not kept and recorder.waited is None and recorder.changed() is None
        assert _pending(store)["base"] is None  # what waited went too
    assert waiting(store, stored.read_state(store)) is None
    assert refresh_waiting(store, as_of=day).kind == "full"


def test_too_many_changes_make_the_refresh_full(
        store: Store, files: Path, day: dt.date, monkeypatch: pytest.MonkeyPatch) -> None:
    _load(store, files, FIRST)
    stored.refresh(store, as_of=day)
    monkeypatch.setattr(recorder_module, "PENDING_MAX", 1)
    recorder, kept = _deferred(store, files, "riec")
    assert not kept and len(recorder.touched) > 1
    assert refresh_waiting(store, as_of=day).kind == "full"


def test_the_commands_defer_and_refresh_over_what_waits(
        store: Store, files: Path, day: dt.date, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from graph_service.cli import cli

    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(tmp_path / "data"))
    lend_store(monkeypatch, store)
    _load(store, files, FIRST)
    stored.refresh(store, as_of=day)
    runner = CliRunner()
    out = runner.invoke(cli, ["load", "riec", str(files / "riec.csv"), "--json", "--no-hits"])
    assert out.exit_code == 0, out.output
    assert _pending(store)["base"] == stored.read_state(store).hits_generation
    out = runner.invoke(cli, ["hits", "refresh", "--json"])
    assert out.exit_code == 0 and '"kind": "incremental"' in out.output, out.output
    assert stored.read_state(store).current
    out = runner.invoke(cli, ["hits", "refresh", "--volledig", "--json"])
    assert out.exit_code == 0 and '"kind": "full"' in out.output, out.output
