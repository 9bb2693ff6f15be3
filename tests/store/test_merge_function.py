"""The embedded engine merges a row into a node or relationship it holds with one
function (``prov.mergeNode``, ``prov.mergeRelationship``: cypher/udf/provenance.js, run
by the ``*.falkordb.cypher`` variants of cypher/templates/); Neo4j runs the portable
templates' steps. Both must make the same graph.

Each scenario runs on two real embedded engines, each in a folder of its own: one as
shipped, one whose registry lacks the engine variants and the update of stored nodes
(``write/update_stored_nodes``: the function after a MATCH, for the rows of nodes a load
found stored), so the portable templates' steps run there. The whole graphs, every
property and provenance list (the load runs numbered in order), and the load reports
must be equal. The scenarios cover facts merged again by later loads and by other
sources, observations older than what is stored (a load dated earlier), the hand-made
fixtures with odd values, and full extracts that clear empty cells, end facts and see
them again.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_service.config import load_settings
from graph_service.model import LOAD_ORDER, node_statement, relationship_statement
from graph_service.store import Store, open_store
from graph_service.store.falkordb_store import UPDATE_STORED, EmbeddedFalkorStore
from graph_service.store.registry import build_registry, shipped_files
from loaders.synthetic import generate
from tests.loaders.test_full_extract import (
    BIBOB,
    BIBOB_COLUMNS,
    BOS,
    DIJK,
    KVK_AFTER,
    KVK_BEFORE,
    KVK_COLUMNS,
)
from tests.support.dump import Load, loaded_graph
from tests.support.files import write_csv

FIX = Path(__file__).parent.parent / "fixtures"
TODAY = dt.date(2026, 11, 27)
VARIANTS = {"templates/merge_node.falkordb.cypher",
            "templates/merge_relationship.falkordb.cypher",
            f"{UPDATE_STORED}.cypher"}


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Store]]:
    """(as shipped, with the portable template's steps), both embedded."""
    shipped = open_store(load_settings(env={
        "ONDERGRAAF_DATA_DIR": str(tmp_path_factory.mktemp("merge-function"))}))
    files = {path: text for path, text in shipped_files().items() if path not in VARIANTS}
    portable = EmbeddedFalkorStore(
        load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path_factory.mktemp("merge-steps"))}),
        build_registry(files))
    try:
        for store in (shipped, portable):
            store.setup_schema()
        yield shipped, portable
    finally:
        shipped.close()
        portable.close()


def test_the_two_stores_merge_a_stored_fact_differently(stores: tuple[Store, Store]) -> None:
    """What the comparisons below rest on: one store calls the functions, the other not."""
    shipped, portable = stores
    for statement, function in ((node_statement("Person"), "prov.mergeNode"),
                                (relationship_statement("FUNCTIONARY_OF"),
                                 "prov.mergeRelationship")):
        assert function in shipped.registry.get(statement).text_for("falkordb")
        assert function not in portable.registry.get(statement).text_for("falkordb")
    assert UPDATE_STORED in shipped.registry and UPDATE_STORED not in portable.registry


def _same(stores: tuple[Store, Store], loads: list[Load]) -> tuple[Any, list[Any]]:
    shipped, portable = stores
    graph, outcomes = loaded_graph(shipped, loads)
    expected, expected_outcomes = loaded_graph(portable, loads)
    assert outcomes == expected_outcomes
    # as text: a value's type counts too (25.0 is not 25, as in the hit recorder's view)
    assert _typed(graph[0]) == _typed(expected[0])
    assert _typed(graph[1]) == _typed(expected[1])
    return graph, outcomes


def _typed(facts: dict[Any, dict[str, Any]]) -> dict[str, str]:
    return {str(key): json.dumps(props, sort_keys=True) for key, props in facts.items()}


def test_generated_sources_merged_again_and_older(stores: tuple[Store, Store],
                                                  tmp_path: Path) -> None:
    """The five generated files in the README's order, then again in the other order and
    observed a month earlier (older than what the graph holds: the stored values stay)."""
    generate(tmp_path, 600, 3, today=TODAY)
    order = [s for s in LOAD_ORDER if s != "ftm"]
    later = [(s, [tmp_path / f"{s}.csv"], TODAY, False) for s in order]
    earlier = [(s, [tmp_path / f"{s}.csv"], TODAY - dt.timedelta(days=30), False)
               for s in reversed(order)]
    shipped, portable = stores
    updated = shipped.update_rows, portable.update_rows
    graph, outcomes = _same(stores, later + earlier)
    merged_again = sum(sum(o["nodes_merged"].values()) - sum(o["nodes_created"].values())
                       for o in outcomes[len(order):])
    assert merged_again > 300  # the second round merges into stored nodes
    # ... which the shipped store updates, the other merges
    assert shipped.update_rows - updated[0] >= merged_again
    assert portable.update_rows == updated[1]
    assert len(graph[0]) > 500


def test_every_fixture_twice(stores: tuple[Store, Store], tmp_path: Path) -> None:
    """The hand-made fixtures (odd values, refused rows and files), each loaded twice."""
    loads = []
    for source in LOAD_ORDER:  # copied: the refused rows are listed beside each file
        for path in sorted((FIX / source).glob("*.csv")):
            (tmp_path / source).mkdir(exist_ok=True)
            loads.append((source, [Path(shutil.copy(path, tmp_path / source / path.name))],
                          TODAY, False))
    assert len(loads) >= 30
    _, outcomes = _same(stores, loads * 2)
    assert any(isinstance(o, list) for o in outcomes)  # some fixtures are refused whole


def test_full_extracts_clear_end_and_see_again(stores: tuple[Store, Store],
                                               tmp_path: Path) -> None:
    """A full KvK extract (a director with an end date), a second one that drops the
    director and leaves a cell empty, a Bibob file, partial extracts dated earlier and
    later that see the director again without the end date, and the first one again."""
    tot = [{**row, "functie_tot": "2030-12-31"} if row.get("functie") else row
           for row in KVK_BEFORE]
    first = write_csv(tmp_path / "kvk_first.csv", tot, KVK_COLUMNS)
    before = write_csv(tmp_path / "kvk_before.csv", KVK_BEFORE, KVK_COLUMNS)
    after = write_csv(tmp_path / "kvk_after.csv", KVK_AFTER, KVK_COLUMNS)
    bibob = write_csv(tmp_path / "bibob.csv", BIBOB, BIBOB_COLUMNS)
    day1, day2, day3 = dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 11, 15)
    loads = [("kvk", [first], day1, True), ("bibob", [bibob], day1, False),
             ("kvk", [after], day2, True)]
    graph, outcomes = _same(stores, loads)
    assert outcomes[2]["ended_relationships"] > 0
    assert any("sbi_code" not in n for n in graph[0].values() if n.get("kvk_nummer"))
    loads += [("kvk", [before], day1, False), ("kvk", [before], day3, False)]
    graph, _ = _same(stores, loads)
    # seen again: the end date it had before it ended
    assert [r.get("valid_to") for (s, t, e, _), r in graph[1].items()
            if s == BOS and t == "FUNCTIONARY_OF"] == ["2030-12-31"] * 2
    _same(stores, [*loads, ("kvk", [first], day3, True)])


def test_a_full_extract_clears_what_another_source_also_supplies(
    stores: tuple[Store, Store], tmp_path: Path
) -> None:
    """KvK and Bibob both give Van Dijk's voorvoegsel; a full KvK extract leaves the cell
    empty: KvK's part goes, Bibob's value stays."""
    without = [{**r, "functionaris_voorvoegsel": ""} if r.get("functionaris_voorvoegsel")
               else r for r in KVK_BEFORE]
    loads = [("kvk", [write_csv(tmp_path / "kvk.csv", KVK_BEFORE, KVK_COLUMNS)],
              dt.date(2026, 10, 1), True),
             ("bibob", [write_csv(tmp_path / "bibob.csv", BIBOB, BIBOB_COLUMNS)],
              dt.date(2026, 10, 1), False),
             ("kvk", [write_csv(tmp_path / "kvk_without.csv", without, KVK_COLUMNS)],
              dt.date(2026, 11, 1), True)]
    graph, _ = _same(stores, loads)
    assert graph[0][DIJK]["voorvoegsel"] == "van"
    assert not [v for v in graph[0][DIJK]["prov_values"] if v.startswith("kvk|voorvoegsel|")]


def test_an_update_whose_node_went_missing_merges_the_rows(stores: tuple[Store, Store]) -> None:
    """Rows a load found stored, one of whose nodes is gone when they are written (a
    retention run in between): the update finds one node of two and the merge writes
    both rows again, the missing node created, the other merged to no further effect."""
    shipped, _ = stores
    shipped.write("write/delete_all")
    rows = [{"uid": f"person:gone:{i}", "props": {"name": f"Persoon {i}"},
             "sources": ["kvk"], "source_records": [f"kvk:{i}"], "grades": ["A1"],
             "purposes": ["open"], "first_seen": "2026-10-01", "last_seen": "2026-10-01"}
            for i in range(2)]
    shipped.write_rows(node_statement("Person"), rows[:1])
    again = [{**row, "source_records": [f"kvk:{i}b"], "last_seen": "2026-11-01"}
             for i, row in enumerate(rows)]
    updated = shipped.update_rows
    ready = shipped.ready_rows(node_statement("Person"), again, stored=True)
    _, [counters] = shipped.write_together([], [ready])
    assert shipped.update_rows == updated + 2
    assert counters.nodes_created == 1 and counters.rows == 2
    found = {r["uid"]: r["props"] for r in shipped.read("read/changes_nodes",
                                                         {"uids": [r["uid"] for r in rows]})}
    assert found["person:gone:0"]["source_records"] == ["kvk:0", "kvk:0b"]
    assert found["person:gone:1"]["source_records"] == ["kvk:1b"]
    assert "merge_pending" not in found["person:gone:0"]
