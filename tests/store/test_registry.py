"""Every Cypher file is well-formed, and the registry refuses malformed ones."""

from __future__ import annotations

import pytest

from graph_service.errors import RegistryError
from graph_service.store.registry import ENGINES, build_registry, load_registry, used_params

GOOD = ("// description: d\n// mode: read\n// access: internal\n// params: uid: str\n"
        "MATCH (n {uid: $uid}) RETURN n\n")


def test_registry_loads_every_shipped_file() -> None:
    reg = load_registry()
    assert len(reg) >= 20
    for stmt in reg:
        assert stmt.description
        assert stmt.mode in ("read", "write", "schema")
        for engine in ENGINES:
            assert used_params(stmt.text_for(engine)) == set(stmt.params), stmt.name


@pytest.mark.parametrize(
    "files, message",
    [
        ({"read/a.cypher": "MATCH (n) RETURN n"}, "header lacks"),
        ({"read/a.cypher": "// description: d\n// mode: read\nMATCH (n) RETURN n"}, "params"),
        ({"read/a.cypher": "// description: d\n// mode: peek\n// params: none\nRETURN 1"},
         "mode must be"),
        ({"read/a.cypher": GOOD.replace("params: uid: str", "params: none")}, "not declared"),
        ({"read/a.cypher": GOOD.replace("uid: str", "uid: str, x: int")}, "not used"),
        ({"read/a.cypher": GOOD.replace("uid: str", "uid: strange")}, "unknown type"),
        ({"read/a.cypher": "// description: d\n// mode: read\n// params: none\n"}, "no statement"),
        ({"read/a.falkordb.cypher": GOOD}, "without a portable file"),
        ({"read/a.cypher": GOOD, "read/a.oracle.cypher": GOOD}, "unknown engine"),
        ({"read/a.cypher": GOOD,
          "read/a.neo4j.cypher": GOOD.replace("uid: str", "uid: int")}, "must match"),
        ({"read/a.cypher": GOOD.replace("// mode: read", "// mode: read\n// mode: write")},
         "given twice"),
        ({"read/a.cypher": GOOD.replace("// mode: read", "// mode: read\n// engines: db2")},
         "unknown engines"),
    ],
)
def test_registry_fails_fast_on_bad_files(files: dict[str, str], message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        build_registry(files)


def test_parameters_in_strings_and_comments_do_not_count() -> None:
    text = "MATCH (n) WHERE n.x = '$notaparam' // $nor_this\nRETURN n, $real"
    assert used_params(text) == {"real"}


def test_variant_is_used_for_its_engine_only() -> None:
    reg = build_registry({
        "read/a.cypher": GOOD,
        "read/a.falkordb.cypher": GOOD.replace("RETURN n", "RETURN n LIMIT 1"),
    })
    stmt = reg.get("read/a")
    assert stmt.text_for("neo4j").endswith("RETURN n")
    assert stmt.text_for("falkordb").endswith("LIMIT 1")
    with pytest.raises(RegistryError):
        reg.get("read/b")


def test_schema_files_split_into_statements() -> None:
    reg = build_registry({"schema/s.cypher": "// description: d\n// mode: schema\n"
                          "// params: none\nCREATE INDEX FOR (n:A) ON (n.uid);\n"
                          "CREATE INDEX FOR (n:B) ON (n.uid);\n"})
    assert reg.get("schema/s").statements_for("neo4j") == [
        "CREATE INDEX FOR (n:A) ON (n.uid)", "CREATE INDEX FOR (n:B) ON (n.uid)"]


# -- access: a read filters on $visible or says it is internal ---------------------------------
FILTERED = ("// description: d\n// mode: read\n// params: uid: str, visible: list, today: str\n"
            "MATCH (n {uid: $uid}) WHERE VISIBLE(n) RETURN n\n")
BY_HAND = ("any(pc IN n.purposes WHERE pc IN $visible) "
           "AND coalesce(n.bewaren_tot, $today) >= $today")


@pytest.mark.parametrize(
    "text, message",
    [
        (GOOD.replace("// access: internal\n", ""), "must declare 'visible: list'"),
        (FILTERED.replace("// mode: read\n", "// mode: read\n// access: internal\n"),
         "either filtered or internal"),
        (GOOD.replace("access: internal", "access: public"), "access must be 'internal'"),
        (GOOD.replace("// mode: read", "// mode: write"), "only read statements"),
        (FILTERED.replace("visible: list", "visible: str"), "must be of type list"),
        (FILTERED.replace("VISIBLE(n)", BY_HAND), "reads n.purposes by hand"),
        (FILTERED.replace("VISIBLE(n)", "n.x = 1"), "not covered by a marker"),
        (GOOD.replace("RETURN n", "WHERE VISIBLE(n) RETURN n"), "does not declare"),
        # its facts are read under the read's scope, so an internal read cannot have them
        (GOOD.replace("RETURN n", "RETURN PATH_KEYS(n)"), r"PATH_KEYS\(...\) in a statement"),
    ],
    ids=["neither", "both", "unknown-value", "on-a-write", "visible-not-a-list", "by-hand",
         "no-marker", "marker-in-internal", "path-keys-in-internal"],
)
def test_a_read_must_filter_on_visible_or_be_internal(text: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        build_registry({"read/a.cypher": text})


def test_filtered_and_internal_statements_load() -> None:
    reg = build_registry({"read/f.cypher": FILTERED, "read/i.cypher": GOOD,
                          "write/w.cypher": "// description: d\n// mode: write\n"
                                            "// params: none\nMATCH (n) DELETE n\n"})
    assert reg.get("read/f").filtered and not reg.get("read/i").filtered
    assert reg.get("read/i").meta["access"] == "internal"
    assert not reg.get("write/w").filtered  # writes need neither


def test_every_shipped_read_is_filtered_or_internal() -> None:
    reg = load_registry()
    reads = [s for s in reg if s.mode == "read"]
    for stmt in reads:
        assert stmt.filtered != (stmt.meta.get("access") == "internal"), stmt.name
    # every indicator and every query behind a page or report filters
    assert all(reg.get(n).filtered for n in reg.names("indicators/"))
    for name in ("read/entity_nodes", "read/neighbourhood_step", "read/paths_expand",
                 "read/paths_shortest", "read/hotspots_park", "read/search",
                 "read/risk_entities", "read/risk_shed_rents", "read/screening_signals"):
        assert reg.get(name).filtered, name
