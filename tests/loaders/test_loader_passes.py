"""The loader's two passes (check and spill, then the pipelined writer) give exactly the graph
of a deliberately simple loader, and a refused file still writes nothing.

The simple loader below is how the loader worked before the passes: validate the whole
file, then read it again and write its normalised rows batch by batch with
``loaders.base.write``, one batch after the other. Both load the same files with the same
(small) batch size into an empty graph; the snapshots (every node and relationship with
all properties and provenance) and the load reports must be equal. Small batches make
many batches, so a batch often refers to an address the batch before it created (the
writer resolves a batch only once the previous batch's addresses are written).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from graph_service.model import LOAD_ORDER
from graph_service.store import Store
from loaders import spec_for
from loaders.base import (
    LoadError,
    LoadReport,
    Problem,
    SourceSpec,
    check,
    header_problems,
    make_prov,
    parse,
    sync,
    validate,
    write,
    write_checked,
)
from loaders.reader import TableError
from loaders.records import AddrRef, Node, Prov, Rel, pack, unpack
from loaders.spill import Spill
from loaders.synthetic import generate
from loaders.writer import Merged, prepare, single_row
from tests.support.dump import snapshot

FIX = Path(__file__).parent.parent / "fixtures"
TODAY = dt.date(2026, 11, 27)


def simple_load(store: Store, spec: SourceSpec, path: Path, batch_size: int,
                skip_invalid: bool = False) -> LoadReport:
    """Validate the whole file, then validate and normalise it again, writing per batch."""
    table = parse(path)
    problems = header_problems(spec, table)
    if problems:
        raise LoadError(problems)
    refused = {n: ps for n, _, ps in validate(spec, table, TODAY) if ps}
    if refused and not skip_invalid:
        raise LoadError([p for ps in refused.values() for p in ps])
    report = LoadReport(spec.name)
    report.files.append(str(path))
    report.rows_refused = len(refused)
    batch: list[tuple[Prov, list[Node | Rel]]] = []
    for number, clean, _ in validate(spec, table, TODAY):
        report.rows_read += 1
        if number in refused:
            continue
        batch.append((make_prov(spec, clean, TODAY), list(spec.normalise(clean))))
        if len(batch) == batch_size:
            write(store, batch, report, spec)
            batch = []
    if batch:
        write(store, batch, report, spec)
    return report


def _counts(report: LoadReport) -> dict[str, Any]:
    out = report.as_dict()
    del out["files"], out["reject_files"], out["ignored_columns"]
    del out["run"]  # every load is a run of its own (loaders.runs)
    return out


def _load_all(store: Store, files: list[tuple[str, Path]], batch_size: int,
              simple: bool) -> tuple[Any, list[Any]]:
    """Load the files in order (files a loader refuses are kept as their problems)."""
    store.write("write/delete_all")
    outcomes: list[Any] = []
    for source, path in files:
        spec = spec_for(source)
        try:
            if simple:
                report = simple_load(store, spec, path, batch_size, skip_invalid=True)
            else:
                report = sync(store, spec, [path], today=TODAY, batch_size=batch_size,
                              skip_invalid=True)
            outcomes.append(_counts(report))
        except LoadError as exc:
            outcomes.append([str(p) for p in exc.problems])
    return snapshot(store), outcomes


def _copies(tmp_path: Path, files: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """The files copied, so reject files land in the test's folder."""
    out = []
    for source, path in files:
        target = tmp_path / source / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
        out.append((source, target))
    return out


FIXTURES = [(source, path) for source in LOAD_ORDER
            for path in sorted((FIX / source).glob("*.csv"))]


@pytest.mark.parametrize("batch_size", [1, 4, 1000])
def test_every_fixture_loads_into_the_graph_the_simple_loader_makes(
    store: Store, tmp_path: Path, batch_size: int
) -> None:
    files = _copies(tmp_path, FIXTURES)
    assert len(files) >= 30
    graph, outcomes = _load_all(store, files, batch_size, simple=False)
    expected_graph, expected_outcomes = _load_all(store, files, batch_size, simple=True)
    assert outcomes == expected_outcomes
    assert graph == expected_graph
    assert any(isinstance(o, list) for o in outcomes)  # some fixtures are refused whole
    assert sum(o["rows_refused"] for o in outcomes if isinstance(o, dict)) > 0


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated-600")
    generate(out, 600, 11, today=TODAY)
    return out


@pytest.mark.parametrize("batch_size", [37, 1000])
def test_generated_sources_load_into_the_graph_the_simple_loader_makes(
    store: Store, generated: Path, batch_size: int
) -> None:
    files = [(source, generated / f"{source}.csv") for source in LOAD_ORDER
             if source != "ftm"]  # an outside list is not generated
    graph, outcomes = _load_all(store, files, batch_size, simple=False)
    expected_graph, expected_outcomes = _load_all(store, files, batch_size, simple=True)
    assert outcomes == expected_outcomes
    assert graph == expected_graph
    nodes, rels = graph
    assert len(nodes) > 500 and len(rels) > 500
    assert all(isinstance(o, dict) and o["rows_refused"] == 0 for o in outcomes)


def test_a_batch_meets_the_addresses_the_batch_before_it_wrote(
    store: Store, tmp_path: Path
) -> None:
    """Row 2k names an address by BAG id only, row 2k+1 the same BAG id with its postcode
    and number: with one row a batch, each second row must find the first row's address
    (by BAG id) in the graph, so the writer may not resolve a batch before the previous
    batch's addresses are written."""
    path = tmp_path / "kvk.csv"
    header = ["kvk_nummer", "naam", "adres_postcode", "adres_huisnummer", "adres_bag_id"]
    lines = [",".join(header)]
    for i in range(40):
        bag = f"0119010000{i:06d}"
        lines.append(f"9100{2 * i:04d},Eerste {i},,,{bag}")
        lines.append(f"9100{2 * i + 1:04d},Tweede {i},7941AB,{i + 1},{bag}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    graph, outcomes = _load_all(store, [("kvk", path)], 1, simple=False)
    expected_graph, expected_outcomes = _load_all(store, [("kvk", path)], 1, simple=True)
    assert graph == expected_graph and outcomes == expected_outcomes
    addresses = [uid for uid, _ in graph[0] if uid.startswith("addr:")]
    assert sorted(addresses) == sorted(f"addr:bag:0119010000{i:06d}" for i in range(40))


def test_a_batch_makes_ready_what_no_address_changes_before_it_waits_for_addresses(
    store: Store, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pipeline waits for the batch before's addresses (``addresses_ready``) only
    where they matter: a batch's nodes other than addresses and the relationships between
    them are made ready before the wait, its addresses are read and made ready after it,
    and the batch comes out as prepared in one go."""
    calls: list[str] = []
    for name in ("read", "ready_new", "ready_rows"):
        method = getattr(store, name)
        monkeypatch.setattr(store, name, lambda stmt, *a, _m=method, **k: (
            calls.append(stmt), _m(stmt, *a, **k))[1])
    with check(spec_for("kvk"), [generated / "kvk.csv"], batch_size=200,
               today=TODAY) as load:
        batch = next(load.files[0].spill.batches())
    one_go = prepare(store, batch)
    calls.clear()
    prepared = prepare(store, batch, addresses_ready=lambda: calls.append("WAIT"))
    before, after = calls[:calls.index("WAIT")], calls[calls.index("WAIT") + 1:]
    assert not any("address" in c.lower() for c in before)
    assert any(c == "write/merge_organisation" for c in before)
    assert any(c == "write/merge_person" for c in before)
    assert any("functionary_of" in c for c in before)
    assert any(c.startswith("read/addresses_by") for c in after)
    assert any(c == "write/merge_address" for c in after)
    assert any("registered_at" in c for c in after)

    def shape(p: Any) -> list[tuple[str, int, int]]:
        return sorted((name, len(new.rows) if new else 0, len(merge.rows) if merge else 0)
                      for name, new, merge in [*p.nodes, *p.rels])

    assert shape(prepared) == shape(one_go)
    assert prepared.nodes[0][0] == "Address"  # written first: the next batch waits for them
    assert prepared.uids == one_go.uids and prepared.persons == one_go.persons


def _with_bad_last_row(src: Path, dst: Path, column: str, value: str) -> int:
    """``src`` with one more row: a copy of its last row with ``column`` set to ``value``."""
    lines = src.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    last = lines[-1].split(",")
    assert len(last) == len(header), "the generated files quote nothing in their last row"
    last[header.index(column)] = value
    dst.write_text("\n".join([*lines, ",".join(last)]) + "\n", encoding="utf-8")
    return len(lines) + 1


def test_a_bad_last_row_refuses_the_file_with_every_problem_and_writes_nothing(
    store: Store, generated: Path, tmp_path: Path
) -> None:
    good = tmp_path / "kvk.csv"
    shutil.copy(generated / "kvk.csv", good)
    bad = tmp_path / "kvk_bad.csv"
    last = _with_bad_last_row(generated / "kvk.csv", bad, "adres_postcode", "0000XX")
    sync(store, spec_for("riec"), [generated / "riec.csv"], today=TODAY)
    before, generation = snapshot(store), store.generation
    with pytest.raises(LoadError) as refused:
        sync(store, spec_for("kvk"), [good, bad], today=TODAY, batch_size=10)
    assert [str(p) for p in refused.value.problems] == [
        f"{bad}:{last}:adres_postcode: ongeldige postcode '0000XX': verwacht 1234AB "
        "(eerste cijfer niet 0)"]
    assert store.generation == generation  # not one statement written, of either file
    assert snapshot(store) == before


def test_every_problem_of_a_bad_fixture_is_reported_as_the_simple_validation_finds_them(
    store: Store
) -> None:
    bad = [(s, p) for s, p in FIXTURES if p.name.startswith(("bad_", "fout_"))
           or p.name.endswith("_bad.csv")]
    assert len(bad) >= 5
    for source, path in bad:
        spec = spec_for(source)
        table = parse(path)
        expected: list[Problem] = header_problems(spec, table) or [
            p for _, _, ps in validate(spec, table, TODAY) for p in ps]
        generation = store.generation
        with pytest.raises(LoadError) as refused:
            sync(store, spec, [path], today=TODAY)
        assert refused.value.problems == expected, path.name
        assert len(expected) > 0
        assert store.generation == generation


def test_an_unreadable_row_keeps_the_problems_before_it(store: Store, tmp_path: Path) -> None:
    """A file that cannot be read from some row on: the problems of the rows before it and
    the unreadable row, and nothing written."""
    lines = (FIX / "kvk" / "kvk_variants.csv").read_bytes().splitlines()
    header = lines[0].decode().split(",")
    row = lines[1].decode().split(",")
    row[header.index("kvk_nummer")] = "123"
    path = tmp_path / "kvk.csv"
    path.write_bytes(b"\n".join([lines[0], ",".join(row).encode(), *lines[2:],
                                 b'"' + b"x" * 200_000]) + b"\n")
    expected_unreadable = None
    try:
        for _ in parse(path).rows():
            pass
    except TableError as exc:
        expected_unreadable = (exc.row, exc.column, exc.reason)
    assert expected_unreadable is not None
    generation = store.generation
    with pytest.raises(LoadError) as refused:
        sync(store, spec_for("kvk"), [path], today=TODAY, skip_invalid=True)
    problems = refused.value.problems
    assert problems[0].row == 2 and problems[0].column == "kvk_nummer"
    assert (problems[-1].row, problems[-1].column, problems[-1].message) == expected_unreadable
    assert store.generation == generation


def test_the_check_pass_needs_no_store_and_its_write_makes_the_graph_sync_makes(
    store: Store, generated: Path, tmp_path: Path
) -> None:
    """``check`` (what ``ondergraaf load`` does before it opens the store, while the engine
    starts) takes no store; ``write_checked`` then writes what ``sync`` writes."""
    files = [generated / "kvk.csv", generated / "vakantieparken.csv"]
    specs = [spec_for("kvk"), spec_for("vakantieparken")]
    store.write("write/delete_all")
    reports = []
    for spec, path in zip(specs, files, strict=True):
        with check(spec, [path], batch_size=37, today=TODAY) as load:
            assert load.report.rows_read == 0  # counted as the files are written
            assert load.files[0].rows == len(path.read_text().splitlines()) - 1
            reports.append(_counts(write_checked(store, load)))
    checked_then_written = snapshot(store)
    store.write("write/delete_all")
    assert reports == [_counts(sync(store, spec, [path], today=TODAY, batch_size=37))
                       for spec, path in zip(specs, files, strict=True)]
    assert snapshot(store) == checked_then_written
    assert len(checked_then_written[0]) > 300

    bad = tmp_path / "kvk_bad.csv"
    last = _with_bad_last_row(generated / "kvk.csv", bad, "adres_postcode", "0000XX")
    with pytest.raises(LoadError) as refused:
        check(specs[0], [bad], batch_size=37, today=TODAY)
    assert [(p.row, p.column) for p in refused.value.problems] == [(last, "adres_postcode")]


def test_a_fact_of_one_record_gets_the_row_its_merged_records_would_give(
    generated: Path,
) -> None:
    """``prepare`` writes a fact that one record of its batch is about with
    ``single_row``, not through ``Merged``: every record of the generated sources, with
    and without a run and as a full extract, gives the row ``Merged`` gives."""
    seen = 0
    empty = 0
    for source in LOAD_ORDER:
        if source == "ftm":
            continue
        with check(spec_for(source), [generated / f"{source}.csv"], batch_size=100,
                   today=TODAY) as load:
            for batch in load.files[0].spill.batches():
                for prov, recs in batch:
                    for rec in recs:
                        keys = ({"uid": str(rec.uid)} if isinstance(rec, Node) else
                                {"start": str(rec.start), "end": str(rec.end), "key": rec.key})
                        empty += any(v is None for v in rec.props.values())
                        for run, full in ((None, False), ("run:x", False), ("run:y", True)):
                            merged = Merged()
                            merged.add(rec.props, prov)
                            assert single_row(rec.props, prov, run, full, **keys) == \
                                merged.row(run, full, **keys)
                            seen += 1
    assert seen > 3 * 2000 and empty > 100  # records with empty cells: full clears them


def test_spill_gives_back_the_rows_in_order_in_batches() -> None:
    rows = [
        (Prov("kvk", str(i), "A1", "p", "2026-01-01"),
         [Node("Address", AddrRef("0119010000000003" if i % 2 else None, f"7941AB{i}"),
               {"name": f"adres {i}", "huisnummer": i}),
          Node("Organisation", f"kvk:{i:08d}", {"name": "Zoë \t\"quoted\"", "share": 1.5,
                                                "active": True, "none": None}),
          Rel("REGISTERED_AT", f"kvk:{i:08d}", AddrRef(None, None, f"addr:BE:{i}"),
              {"role": None}, key=f"k{i}")])
        for i in range(23)
    ]
    assert [unpack(pack(p, r)) for p, r in rows] == rows
    with Spill(5, memory_bytes=512) as spill:  # small: it goes to a temporary file
        for prov, recs in rows:
            spill.add(prov, recs)
        batches = list(spill.batches())
    assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
    assert [row for b in batches for row in b] == rows
