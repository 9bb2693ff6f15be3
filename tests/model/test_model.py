"""The model file against the code: its own checks, every Cypher file, every loader, the
uid builders and the lists derived from it.

Each check over the shipped code is a helper that is also run on one bad case here, so a
check that could never fail would show.
"""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import hmac
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from importlib import import_module, resources
from pathlib import Path
from typing import Any

import pytest

from graph_service import model
from graph_service.errors import RegistryError
from graph_service.model import (
    LABELS,
    LOAD_ORDER,
    MODEL,
    PURPOSE_CLASSES,
    REL_TYPES,
    SOURCES,
    SYSTEM_LABELS,
    TEMPLATE_REL_TYPES,
    ModelError,
    load_model,
)
from graph_service.store import Store
from graph_service.store.registry import build_registry, load_registry
from loaders import SOURCE_MODULES
from loaders.base import AddrRef, LoadError, Node, Rel, parse, sync, validate
from loaders.reader import TableError

ROOT = Path(__file__).parent.resolve().parent.parent
FIXTURES = Path(__file__).parent.resolve().parent / "fixtures"
TODAY = dt.date(2025, 6, 30)
SHIPPED = resources.files("graph_service.model").joinpath("model.yaml").read_text(
    encoding="utf-8")


# -- the model file fails fast ----------------------------------------------------------------
def test_the_shipped_model_loads_and_is_what_the_package_exports() -> None:
    loaded = load_model(SHIPPED)
    assert loaded == MODEL
    assert tuple(loaded.labels) == LABELS
    assert tuple(loaded.relationship_types) == REL_TYPES
    assert tuple(loaded.sources) == tuple(SOURCES)


@pytest.mark.parametrize("name", ["model.yaml", "hubs.yaml"])
def test_the_shipped_yaml_parses_through_libyaml_as_through_the_python_parser(
    name: str
) -> None:
    """The model and hubs files are parsed at every process start, through libyaml
    (``schema.parse_yaml``, 18 -> 2 ms for model.yaml); the Python parser reads them the
    same."""
    import yaml

    from graph_service.model.schema import _SAFE_LOADER, parse_yaml

    assert _SAFE_LOADER is yaml.CSafeLoader  # the wheels of PyYAML carry libyaml
    text = resources.files("graph_service.model").joinpath(name).read_text(encoding="utf-8")
    parsed = parse_yaml(text)
    assert parsed and parsed == yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506


@pytest.mark.parametrize("old, new, message", [
    ("shape: dot,", "shape: blob,", "labels.Person.style.shape: 'blob' is not a vis-network"),
    ("    purpose_class: riec\n", "    purpose_class: police\n",
     "sources.riec.purpose_class: 'police' is not a purpose class"),
    ("default_grade: X6", "default_grade: Z9", "sources.riec.default_grade"),
    ("load_order: [kvk, vakantieparken, schuren, bibob, riec, ftm]", "load_order: [kvk, bibob]",
     "load_order: must list every source once"),
    ("    to: [HolidayPark]\n    name: exploiteert", "    to: [Camping]\n    name: exploiteert",
     "relationship_types.OPERATES.to[0]: 'Camping' is not an entity label"),
    ('format: "park:{park_id}"', 'format: "kvk:{park_id}"',
     "prefix 'kvk': is used by Organisation too"),
    ('format: "signal:{signaal_id}"', 'format: "signal:{digest}"',
     "labels.Signal.uids.signal: a rule with a digest"),
    ('format: "object:{object_id}"', 'format: "{object_id}"',
     "labels.RuralObject.uids.rural_object.format: must start with a lower-case prefix"),
    ("    identifier: [object_id]\n", "    identifier: [object_id]\n    colour: red\n",
     "labels.RuralObject: unknown key(s) colour"),
    ("entity_label: Entity", "entity_label: Person", "entity_label: 'Person' is also a label"),
    ("    retention: {per: record, years: 2}\n  vakantieparken:",
     "    retention: {per: dossier, years: 2}\n  vakantieparken:",
     "sources.bibob.retention.per: 'dossier' is not one of"),
    ("  BibobDossier:\n    identifier", "  Bibob Dossier:\n    identifier",
     "labels: 'Bibob Dossier'"),
    ("  FINANCES:\n", "  FINANCES; x\n", "not valid YAML"),
])
def test_a_bad_model_file_is_refused_naming_the_entry(old: str, new: str, message: str) -> None:
    assert SHIPPED.count(old) == 1, old
    with pytest.raises(ModelError, match=re.escape(message)):
        load_model(SHIPPED.replace(old, new))


# -- uid builders ---------------------------------------------------------------------------
def _sample(rule: model.UidRule) -> dict[str, str]:
    return {field: f"{field[:3].upper()}-{i}" for i, field in enumerate(rule.fields, 1)}


@pytest.mark.parametrize("rule", list(MODEL.uid_rules))
def test_every_uid_rule_has_a_builder_that_round_trips(rule: str) -> None:
    spec = MODEL.uid_rules[rule]
    values = _sample(spec)
    uid = model.BUILDERS[rule](**values)
    if spec.label == "Person":  # keyed: the rule's unkeyed digest under the identity key
        unkeyed = spec.build(values)
        assert uid == model.rekey_legacy_person("person:" + unkeyed[len(spec.prefix):])
        assert uid != unkeyed
    else:
        assert uid == spec.build(values)
    assert model.label_of_uid(uid) == spec.label
    found = model.parse_uid(uid)
    assert found is not None
    name, fields = found
    assert MODEL.uid_rules[name].format == spec.format  # same format: same rule to a reader
    if spec.digest:
        assert fields["digest"] == uid[-16:] and re.fullmatch(r"[0-9a-f]{16}", uid[-16:])
        assert model.BUILDERS[rule](**{**values, spec.fields[0]: "other"}) != uid
    else:
        assert fields == values


def _sha16(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _hmac16(text: str) -> str:
    return hmac.new(os.environ["ONDERGRAAF_IDENTITY_KEY"].encode(), text.encode("utf-8"),
                    hashlib.sha256).hexdigest()[:16]


def test_uids_keep_their_published_values() -> None:
    """The values every earlier load wrote: a builder may never change them."""
    # persons: keyed, pinned under the tests' identity key (tests/conftest.py); the key
    # takes the legacy uid of schema version 2, so ondergraaf upgrade needs only that
    assert model.person_uid("jansen|j|1970-05-05") == "person:k:f2b15b75d2c8f9a9" == (
        "person:k:" + _hmac16("person:" + _sha16("jansen|j|1970-05-05")))
    assert model.unresolved_person_uid("D-1/P2", "huurder_", "berg", None) == (
        "person:k:094cae8c4153737f") == (
        "person:k:" + _hmac16("person:" + _sha16("unresolved|D-1/P2|huurder_|berg|")))
    assert model.organisation_uid("01234567") == "kvk:01234567"
    assert model.foreign_organisation_uid("alpen finanz gmbh", "DE") == (
        "org:" + _sha16("alpen finanz gmbh|DE"))
    assert model.address_uid("7991AB12-A") == "addr:7991AB12-A"
    assert model.bag_address_uid("0119010000000003") == "addr:bag:0119010000000003"
    assert model.foreign_address_uid("DE", "10115", 12, None) == "addr:DE:" + _sha16(
        "DE|10115|12|")
    assert model.rural_object_uid("SCH-0042") == "object:SCH-0042"
    assert model.holiday_park_uid("PARK-01") == "park:PARK-01"
    assert model.park_unit_uid("VP-07", "112") == "unit:VP-07/112"
    assert model.bibob_dossier_uid("2025-0012") == "dossier:2025-0012"
    assert model.signal_uid("RIEC-2025-0193") == "signal:RIEC-2025-0193"
    assert model.load_run_uid("kvk", "2025-06-30T10:00:00+00:00") == (
        "load:kvk:2025-06-30T10:00:00+00:00")
    # the run's stamp: its moment in microseconds since 1970, base 36
    assert model.load_run_stamp("load:kvk:1970-01-01T00:00:00.000036+00:00") == "10"
    assert model.load_run_stamp("load:kvk:1970-01-01T00:00:00+00:00") == "0"
    assert int(model.load_run_stamp("load:riec:2025-06-30T10:00:00.000001+00:00"), 36) == (
        1_751_277_600_000_001)
    assert model.dossier_uid(" 2025-0012 ") == model.dossier_uid("dossier:2025-0012") == (
        "dossier:2025-0012")
    assert model.parse_uid("addr:DE:" + _sha16("x"))[0] == "foreign_address"  # type: ignore[index]
    assert model.parse_uid("addr:bag:1")[0] == "bag_address"  # type: ignore[index]
    assert model.label_of_uid("nothing-here") is None and model.parse_uid("x:1") is None
    with pytest.raises(ModelError, match="needs"):
        MODEL.uid_rules["park_unit"].build({"park_id": "VP-07"})


def hand_built_uids(paths: Iterable[Path]) -> list[str]:
    """``file:line`` of every uid built by hand: an f-string or ``"<prefix>" + ...`` whose
    text starts with a uid prefix of the model (docstrings and comments do not count)."""
    schemes = tuple(sorted({r.prefix.split(":", 1)[0] + ":" for r in MODEL.uid_rules.values()}))

    def starts_uid(node: ast.AST) -> bool:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value.startswith(schemes)
        if isinstance(node, ast.JoinedStr) and node.values:
            return starts_uid(node.values[0])
        return False

    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            built = (isinstance(node, ast.JoinedStr) and starts_uid(node)) or (
                isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)
                and starts_uid(node.left))
            if built:
                found.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
                             f":{node.lineno}")
    return found


def test_no_uid_is_built_by_hand_outside_the_model(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('def f(n):\n    return f"park:{n}", "signal:" + n, "parks: many"\n')
    assert hand_built_uids([bad]) == [f"{bad}:2", f"{bad}:2"]
    code = [p for folder in ("graph_service", "loaders") for p in (ROOT / folder).rglob("*.py")
            if "model" not in p.relative_to(ROOT).parts[:2] and "__pycache__" not in p.parts]
    assert hand_built_uids(code) == []


# -- every Cypher file against the model ------------------------------------------------------
_COMMENT = re.compile(r"//[^\n]*")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
# ``(n:Person:Entity)``, ``[r:OWNS|RENTS*1..2]``, ``[:UNIT_OF]``, ``WHERE t:Person``
_PATTERN_NAMES = re.compile(r"(?<=[(\[\w]):([A-Z]\w*(?:\s*[|:&]\s*:?[A-Z]\w*)*)")
# names in strings where Cypher compares labels or types: type(r) = 'X', 'X' IN labels(n),
# row.type = 'X', 'X' IN row.labels, l <> 'Entity', label: 'X', queryNodes('X', ...)
_STRING_NAMES = (
    re.compile(r"type\(\s*\w+\s*\)\s*(?:=|<>)\s*'([^']*)'"),
    re.compile(r"'([^']*)'\s+IN\s+(?:labels\(|\w+\.labels\b)"),
    re.compile(r"\w+\.type\s*(?:=|<>)\s*'([^']*)'"),
    re.compile(r"\b(?:l|lbl|label)\s*(?:=|<>)\s*'([^']*)'"),
    re.compile(r"\blabel:\s*'([^']*)'"),
    re.compile(r"(?:createNodeIndex|queryNodes)\(\s*'([^']*)'"),
)


def cypher_names(text: str) -> tuple[set[str], set[str]]:
    """``(labels, relationship types)`` a statement names: in patterns and label predicates
    (a name inside a relationship's ``-[...]`` is a type, inside a list ``[...]`` a label),
    and in strings compared with labels or types (there a name with a lower-case letter
    is a label; a string that is no such name, an index name say, is skipped)."""
    code = _COMMENT.sub("", text)
    blank = _STRING.sub(lambda m: "'" + " " * (len(m.group()) - 2) + "'", code)
    inner: list[str] = []
    stack: list[str] = []
    for i, ch in enumerate(blank):  # the innermost open bracket at every position
        if ch == "[":
            stack.append("rel" if blank[:i].rstrip().endswith("-") else "list")
        elif ch in "({":
            stack.append(ch)
        elif ch in ")]}" and stack:
            stack.pop()
        inner.append(stack[-1] if stack else "")
    labels: set[str] = set()
    types: set[str] = set()
    for m in _PATTERN_NAMES.finditer(blank):
        names = {n for n in re.split(r"[\s|:&]+", m.group(1)) if n}
        (types if inner[m.start()] == "rel" else labels).update(names)
    for pattern in _STRING_NAMES:
        for m in pattern.finditer(code):
            name = m.group(1)
            if re.fullmatch(r"[A-Z]\w*", name):
                (labels if any(c.islower() for c in name) else types).add(name)
    return labels, types


def unknown_names(statements: Mapping[str, str]) -> list[str]:
    known_labels = {*LABELS, *SYSTEM_LABELS, MODEL.entity_label}
    out = []
    for name, text in sorted(statements.items()):
        labels, types = cypher_names(text)
        out += [f"{name}: label {x}" for x in sorted(labels - known_labels)]
        out += [f"{name}: relationship type {x}" for x in sorted(types - set(REL_TYPES))]
    return out


def _shipped_statements() -> dict[str, str]:
    out = {}
    for stmt in load_registry():
        for engine in ("neo4j", "falkordb"):
            out[f"{stmt.name} ({engine})"] = stmt.text_for(engine)
    return out


def test_cypher_names_finds_patterns_predicates_and_strings() -> None:
    text = ("MATCH (a:Person:Entity)-[r:OWNS|:RENTS*1..2]->(b {uid: 'Nope'})<-[:UNIT_OF]-(c)\n"
            "WHERE b:Organisation AND type(r) = 'OWNS' AND NOT 'Signal' IN labels(c)\n"
            "  AND any(x IN [y IN nodes(p) WHERE y:Address] WHERE x:HolidayPark)\n"
            "CALL db.index.fulltext.queryNodes('entity_name', $q) YIELD node\n"
            "  AND x.name = 'Pietje' // (n:InAComment)\n"
            "RETURN [l IN labels(a) WHERE l <> 'Entity'] AS labels, {score: NULL} AS m")
    assert cypher_names(text) == ({"Person", "Entity", "Organisation", "Signal", "Address",
                                   "HolidayPark"},
                                  {"OWNS", "RENTS", "UNIT_OF"})


def test_every_label_and_type_in_the_cypher_files_is_in_the_model() -> None:
    bad = {"read/x": "MATCH (n:Persn)-[:OWNZ]->(m) WHERE m:Adress RETURN n"}
    assert unknown_names(bad) == ["read/x: label Adress", "read/x: label Persn",
                                  "read/x: relationship type OWNZ"]
    statements = _shipped_statements()
    assert len(statements) > 100
    assert unknown_names(statements) == []


def test_every_model_name_has_its_merge_statement() -> None:
    registry = load_registry()
    for label in LABELS:
        stmt = registry.get(model.node_statement(label))
        assert f":Entity:{label} {{uid: row.uid}}" in stmt.text, label
        assert stmt.mode == "write" and set(stmt.params) == {"rows"}
    for rel_type in REL_TYPES:
        stmt = registry.get(model.relationship_statement(rel_type))
        assert f"[r:{rel_type}" in stmt.text, rel_type
    # the template is the one way a label or type reaches a merge statement
    merges = registry.names("write/merge_")
    assert len(merges) == len(LABELS) + len(REL_TYPES)
    assert sum(1 for n in merges if "template" in registry.get(n).meta) == (
        len(LABELS) + len(TEMPLATE_REL_TYPES))


TEMPLATE = ("// description: d {{label}}\n// mode: write\n// params: rows: rows\n"
            "// expand: label\nUNWIND $rows AS row MERGE (n:Entity:{{label}} {uid: row.uid})\n")


def test_templates_expand_over_the_model_and_refuse_anything_else() -> None:
    reg = build_registry({"templates/merge_node.cypher": TEMPLATE,
                          "templates/merge_node.neo4j.cypher": TEMPLATE.replace("row.uid",
                                                                                "row.uid2")})
    assert reg.names() == sorted(model.node_statement(label) for label in LABELS)
    person = reg.get("write/merge_person")
    assert person.text.endswith("MERGE (n:Entity:Person {uid: row.uid})")
    assert person.text_for("neo4j").endswith("{uid: row.uid2})")
    assert person.description == "d Person"
    assert person.meta["template"] == "templates/merge_node.cypher (Person)"
    for files, message in [
        ({"templates/t.cypher": TEMPLATE.replace("expand: label", "expand: source")},
         "a template needs the header 'expand:'"),
        ({"templates/t.cypher": TEMPLATE.replace("// expand: label\n", "")},
         "a template needs the header 'expand:'"),
        ({"templates/t.cypher": TEMPLATE.replace(":{{label}}", ":{{type}}")},
         "fills {{label}} and nothing else"),
        ({"templates/t.cypher": TEMPLATE,
          "write/merge_signal.cypher": TEMPLATE.replace("{{label}}", "Signal")},
         "expands to write/merge_signal.cypher, which is already defined"),
    ]:
        with pytest.raises(RegistryError, match=re.escape(message)):
            build_registry(files)


# -- every loader against the model -----------------------------------------------------------
def _loader_records() -> Iterator[tuple[str, str, Node | Rel]]:
    """``(source, file, record)`` of every valid row of every fixture file, normalised."""
    for source in SOURCES:
        module = import_module(SOURCE_MODULES[source])
        spec = module.SPEC
        if spec.check_file is not None:  # no table (loaders.ftm: JSON lines)
            for path in sorted((FIXTURES / source).glob("*.jsonl")):
                for rec in module.records(path):
                    yield source, path.name, rec
            continue
        for path in sorted((FIXTURES / source).glob("*.csv")):
            try:
                for _, clean, problems in validate(spec, parse(path), TODAY):
                    if not problems:
                        for rec in spec.normalise(clean):
                            yield source, path.name, rec
            except TableError:
                continue


def _uid(ref: str | AddrRef) -> str:
    return ref.default_uid() if isinstance(ref, AddrRef) else ref


def record_problems(records: Iterable[tuple[str, str, Node | Rel]]) -> list[str]:
    """What loader records get wrong against the model: a uid outside its label's rules,
    a relationship type the model lacks or between labels it does not allow, a key that
    is not the model's (a derived type is never written by a loader)."""
    records = list(records)
    label_of: dict[str, str] = {}
    problems = []
    for source, file, rec in records:
        if isinstance(rec, Node):
            uid = _uid(rec.uid)
            label_of[uid] = rec.label
            rule = model.parse_uid(uid)
            if rec.label not in LABELS or rule is None or (
                    MODEL.uid_rules[rule[0]].label != rec.label):
                problems.append(f"{source}/{file}: {rec.label} {uid} fits no uid rule of it")
    for source, file, rec in records:
        if not isinstance(rec, Rel):
            continue
        where = f"{source}/{file}: {rec.type}"
        if rec.type not in REL_TYPES:
            problems.append(f"{where} is not in the model")
            continue
        spec = MODEL.relationship_types[rec.type]
        start, end = label_of.get(_uid(rec.start)), label_of.get(_uid(rec.end))
        if start is None or end is None or not spec.allows(start, end):
            problems.append(f"{where} from {start} to {end}")
        if spec.derived:
            problems.append(f"{where} is derived by {spec.derived}, not written by a loader")
        elif rec.key != model.relationship_key(rec.type, rec.props):
            problems.append(f"{where} key {rec.key!r} is not the model's")
    return problems


def test_every_relationship_a_loader_writes_fits_the_model() -> None:
    bad = [("x", "f", Node("Signal", "signal:1", {})),
           ("x", "f", Node("Person", "kvk:1", {})),
           ("x", "f", Node("RuralObject", "object:1", {})),
           ("x", "f", Rel("OWNS", "signal:1", "object:1")),
           ("x", "f", Rel("RENTS", "kvk:1", "object:1", {"valid_from": "2024-01-01"}, key="")),
           ("x", "f", Rel("LIKES", "kvk:1", "object:1"))]
    assert record_problems(bad) == [
        "x/f: Person kvk:1 fits no uid rule of it",
        "x/f: OWNS from Signal to RuralObject",
        "x/f: RENTS key '' is not the model's",
        "x/f: LIKES is not in the model"]
    records = list(_loader_records())
    assert {source for source, _, _ in records} == set(SOURCES)
    written = {rec.type for _, _, rec in records if isinstance(rec, Rel)}
    assert written == {t for t in REL_TYPES if not MODEL.relationship_types[t].derived} - {
        "POSSIBLE_SAME_AS"}  # look-alike pairs come from the graph, checked below
    assert record_problems(records) == []


def graph_problems(nodes: Iterable[Mapping[str, Any]],
                   rels: Iterable[Mapping[str, Any]]) -> list[str]:
    """Relationships of a graph between labels the model does not allow for their type."""
    label_of = {n["uid"]: next((x for x in n["labels"] if x in LABELS), None) for n in nodes}
    problems = []
    for r in rels:
        spec = MODEL.relationship_types.get(r["type"])
        start, end = label_of.get(r["start"]), label_of.get(r["end"])
        if spec is None or start is None or end is None or not spec.allows(start, end):
            problems.append(f"{r['start']} -{r['type']}-> {r['end']} ({start} to {end})")
    return problems


def test_the_graph_the_loaders_make_of_the_fixtures_fits_the_model(
        store: Store, tmp_path: Path) -> None:
    assert graph_problems(
        [{"uid": "signal:1", "labels": ["Entity", "Signal"]},
         {"uid": "kvk:1", "labels": ["Entity", "Organisation"]}],
        [{"start": "signal:1", "type": "CONCERNS", "end": "kvk:1"},
         {"start": "kvk:1", "type": "CONCERNS", "end": "signal:1"}],
    ) == ["kvk:1 -CONCERNS-> signal:1 (Organisation to Signal)"]
    for source in LOAD_ORDER:  # copies: a reject file lands beside its input
        folder = shutil.copytree(FIXTURES / source, tmp_path / source)
        spec = import_module(SOURCE_MODULES[source]).SPEC
        for path in sorted([*folder.glob("*.csv"), *folder.glob("*.jsonl")]):
            try:
                sync(store, spec, [path], skip_invalid=True, today=TODAY)
            except LoadError:  # a file refused as a whole (its header)
                continue
    nodes = store.read("read/all_nodes")
    rels = store.read("read/all_relationships")
    # every type, derived ones too; SAME_AS only after a decision (tests/risk/test_judgements.py)
    assert {r["type"] for r in rels} == set(REL_TYPES) - {"SAME_AS"}
    assert graph_problems(nodes, rels) == []


# -- sources and the lists derived from the model ---------------------------------------------
def test_every_source_has_a_purpose_class_a_loader_and_a_place_in_the_load_order() -> None:
    assert set(LOAD_ORDER) == set(SOURCES)
    for name, source in SOURCES.items():
        assert source.purpose_class in PURPOSE_CLASSES, name
        assert import_module(SOURCE_MODULES[name]).SPEC.name == name
    from graph_service.cli.graph import load
    from graph_service.security.retention import DEFAULT_YEARS, RECORD_SOURCES
    from loaders.demo import DEMO_ORDER

    choices = next(p for p in load.params if p.name == "source").type.choices  # type: ignore[attr-defined]
    assert list(choices) == list(SOURCES)
    assert DEMO_ORDER == LOAD_ORDER
    assert set(DEFAULT_YEARS) == set(SOURCES)
    assert set(RECORD_SOURCES) == {"bibob", "riec"}


def test_styles_names_and_openapi_enums_come_from_the_model() -> None:
    from graph_service.render import graphs, terms
    from graph_service.web.openapi import PROVENANCE, build_document

    assert {name: s.title for name, s in SOURCES.items()} == terms.SOURCE_NAMES
    assert list(graphs.STYLES) == list(LABELS)
    assert graphs.STYLES["Person"].shape == MODEL.labels["Person"].style.shape  # type: ignore[union-attr]
    assert {t: s.title for t, s in MODEL.relationship_types.items()} == graphs.REL_NAMES
    assert PROVENANCE["sources"]["items"]["enum"] == list(SOURCES)
    assert PROVENANCE["purposes"]["items"]["enum"] == list(PURPOSE_CLASSES)
    enums = [s["enum"] for s in _schemas_in(build_document()) if "enum" in s]
    assert list(REL_TYPES) in enums and list(LABELS) in enums


def _schemas_in(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _schemas_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from _schemas_in(v)


def test_display_name_is_the_labels_display_property_or_the_uid() -> None:
    assert model.display_name("Organisation", {"name": "Bakker BV"}, "kvk:1") == "Bakker BV"
    assert model.display_name("Organisation", {"name": None}, "kvk:1") == "kvk:1"
    assert all(label.display for label in MODEL.labels.values())
