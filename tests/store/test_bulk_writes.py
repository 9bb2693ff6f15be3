"""A load as one run of writes (Store.bulk_writes): counted once at its start and once at
its end, and stored indicator hits are never served from before or during it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from graph_service.risk import stored
from graph_service.store import Store
from loaders import spec_for
from loaders.base import sync
from tests.conftest import FIXTURES

DAY = dt.date(2025, 6, 1)
KVK = FIXTURES / "kvk" / "kvk_small.csv"


@pytest.fixture
def day(today_is: Callable[[dt.date], None]) -> dt.date:
    today_is(DAY)
    return DAY


def _generation(store: Store) -> int:
    return stored.read_state(store).generation


def _writers(store: Store) -> list[str]:
    rows = store.read("read/graph_writers")
    return list(rows[0]["writers"] or []) if rows else []


def test_a_load_counts_two_writes_however_many_statements(store: Store, day: dt.date) -> None:
    store.write("write/hits_state_init")
    before, bumps = _generation(store), store.bumps
    report = sync(store, spec_for("kvk"), [KVK], today=day, batch_size=1)
    # several batches of several statements each
    assert report.rows_read >= 3 and len(report.nodes_merged) + len(report.rels_merged) >= 3
    assert _generation(store) == before + 2
    assert store.bumps == bumps + 2
    assert _writers(store) == []
    # outside a run every write statement still counts itself, before and after
    store.write("write/record_load_run", {
        "uid": "load:test:x", "stamp": "x", "source": "test", "files": [], "file_hashes": [],
        "started": "x", "finished": "x", "by": "", "full": False,
        "rows_read": 0, "rows_refused": 0, "nodes_created": 0, "relationships_created": 0,
        "nodes_changed": 0, "relationships_changed": 0, "nodes_ended": 0,
        "relationships_ended": 0})
    assert _generation(store) == before + 4


def test_hits_are_not_current_during_a_run_and_a_refresh_in_it_does_not_publish(
        store: Store, day: dt.date) -> None:
    sync(store, spec_for("kvk"), [KVK], today=day)
    assert stored.refresh(store, as_of=day).published
    assert stored.read_state(store).current
    with store.bulk_writes():
        assert len(_writers(store)) == 1
        assert not stored.read_state(store).current  # read during the run: out of date
        with store.bulk_writes():  # nested: the same run
            assert len(_writers(store)) == 1
        assert len(_writers(store)) == 1
        during = stored.refresh(store, as_of=day)
        assert not during.published
        assert not stored.read_state(store).current
    assert _writers(store) == []
    assert not stored.read_state(store).current  # the run's end moved the generation
    assert stored.refresh(store, as_of=day).published
    assert stored.read_state(store).current


def test_a_refresh_published_before_a_run_ends_is_out_of_date_after_it(
        store: Store, day: dt.date) -> None:
    """Even a refresh that published while the mark was gone (say, an expired lease)
    is out of date once the run ends."""
    sync(store, spec_for("kvk"), [KVK], today=day)
    with store.bulk_writes():
        store.write("write/graph_writes_close", {"token": _writers(store)[0].split("|")[0]})
        assert stored.refresh(store, as_of=day).published
        assert stored.read_state(store).current
    assert not stored.read_state(store).current


def test_a_run_that_died_holds_off_the_hits_until_its_lease_ends(
        store: Store, day: dt.date) -> None:
    sync(store, spec_for("kvk"), [KVK], today=day)
    store.write("write/graph_writes_open", {"token": "dead", "lease_ms": 3_600_000})
    assert not stored.refresh(store, as_of=day).published
    assert not stored.read_state(store).current
    # the same run renewed with a lease that has ended: one mark, no longer holding
    store.write("write/graph_writes_open", {"token": "dead", "lease_ms": -1})
    assert [w.split("|")[0] for w in _writers(store)] == ["dead"]
    assert stored.refresh(store, as_of=day).published
    assert stored.read_state(store).current


def test_a_failing_run_still_ends_and_raises_its_own_error(store: Store) -> None:
    store.write("write/hits_state_init")
    before = _generation(store)
    with pytest.raises(RuntimeError, match="mid-load"), store.bulk_writes():
        assert len(_writers(store)) == 1
        raise RuntimeError("mid-load")
    assert _writers(store) == []
    assert _generation(store) == before + 2


def test_a_refused_file_opens_no_run(store: Store, day: dt.date, tmp_path: Path) -> None:
    store.write("write/hits_state_init")
    before, bumps = _generation(store), store.bumps
    bad = tmp_path / "kvk.csv"
    lines = KVK.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(";")
    row = lines[1].split(";")
    row[header.index("kvk_nummer")] = "123"
    bad.write_text("\n".join([lines[0], ";".join(row), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(Exception, match="kvk_nummer"):
        sync(store, spec_for("kvk"), [bad], today=day)
    assert (_generation(store), store.bumps) == (before, bumps)
