"""The model file (``model.yaml``) as checked, immutable Python objects.

:func:`load_model` parses and validates the YAML text and raises :class:`ModelError`
naming the entry at fault (``labels.Person.style.shape: ...``); :data:`MODEL` is the
shipped file, loaded once at import, so a bad model stops the process before anything
runs. The file's own comments say what every entry means.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from ..errors import OndergraafError

__all__ = [
    "MODEL",
    "MODEL_FILE",
    "VIS_SHAPES",
    "Label",
    "Model",
    "ModelError",
    "RelationshipType",
    "Source",
    "Style",
    "UidRule",
    "load_model",
]

MODEL_FILE = "model.yaml"
#: vis-network node shapes the renderer may use.
VIS_SHAPES = frozenset({
    "dot", "square", "triangle", "triangleDown", "diamond", "star", "hexagon", "box",
    "ellipse", "circle", "database", "text",
})
RETENTION_KINDS = ("fact", "record")

_LABEL = re.compile(r"[A-Z][A-Za-z]*")
_REL_TYPE = re.compile(r"[A-Z][A-Z_]*[A-Z]")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_GRADE = re.compile(r"[A-FX][1-6]")
_COLOUR = re.compile(r"#[0-9a-f]{6}")
_STATEMENT = re.compile(r"write/[a-z][a-z0-9_]*")
_DIGEST = "digest"
_DIGEST_LEN = 16


class ModelError(OndergraafError):
    """The model file is malformed, or a uid builder was called without its fields."""


# -- the parts of the model -----------------------------------------------------------------
@dataclass(frozen=True)
class Style:
    """How graphs and legends show a label: Dutch name and plural, shape, colours."""

    name: str
    plural: str
    shape: str
    background: str
    border: str


def _text(value: object) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class UidRule:
    """One way to build a label's uid: a format with fields, optionally a digest."""

    name: str
    label: str
    format: str
    digest: tuple[str, ...]  # parts of the digest: field names, or "=literal"
    fields: tuple[str, ...]  # what the builder takes, in order of appearance

    @property
    def prefix(self) -> str:
        """The literal text before the first field, e.g. ``kvk:`` or ``addr:bag:``."""
        return self.format.split("{", 1)[0]

    def build(self, values: Mapping[str, object]) -> str:
        """The uid for ``values`` (every field of :attr:`fields`)."""
        missing = [f for f in self.fields if f not in values]
        if missing:
            raise ModelError(f"uid rule {self.name!r} needs {', '.join(missing)}")
        parts = {f: _text(values[f]) for f in self.fields}
        if self.digest:
            text = "|".join(p[1:] if p.startswith("=") else parts[p] for p in self.digest)
            parts[_DIGEST] = hashlib.sha1(
                text.encode("utf-8"), usedforsecurity=False).hexdigest()[:_DIGEST_LEN]
        return self.format.format(**parts)

    def parse(self, uid: str) -> dict[str, str] | None:
        """The format's fields of ``uid`` (``digest`` for a digest), or None if it does not fit."""
        m = self._pattern.fullmatch(uid)
        return m.groupdict() if m else None

    @property
    def _pattern(self) -> re.Pattern[str]:
        pattern = _PATTERNS.get(self.format)
        if pattern is None:
            pieces = list(string.Formatter().parse(self.format))
            out = []
            for i, (literal, field, _, _) in enumerate(pieces):
                out.append(re.escape(literal))
                if field == _DIGEST:
                    out.append(f"(?P<{_DIGEST}>[0-9a-f]{{{_DIGEST_LEN}}})")
                elif field:
                    last = i == len(pieces) - 1
                    out.append(f"(?P<{field}>.+)" if last else f"(?P<{field}>.+?)")
            pattern = _PATTERNS[self.format] = re.compile("".join(out))
        return pattern


_PATTERNS: dict[str, re.Pattern[str]] = {}


@dataclass(frozen=True)
class Label:
    """A node label: its identifier properties, display property, uid rules and style."""

    name: str
    identifier: tuple[str, ...]
    display: str
    uids: tuple[UidRule, ...]
    style: Style | None
    matching: tuple[str, ...] = ()
    match_keys: tuple[str, ...] = ()
    entity: bool = True  # False: a bookkeeping node (system_labels)


@dataclass(frozen=True)
class RelationshipType:
    """A relationship type: the labels it may join, its key properties, how it is written."""

    name: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    key: tuple[str, ...]
    title: str  # Dutch
    derived: str | None = None  # the statement that derives it from other facts
    merge: str | None = None  # the statement that writes loader rows, when not the template

    def allows(self, start_label: str, end_label: str) -> bool:
        """Whether a relationship of this type may run from ``start_label`` to ``end_label``."""
        return start_label in self.from_labels and end_label in self.to_labels


@dataclass(frozen=True)
class Source:
    """A source file kind and the provenance defaults of its facts."""

    name: str
    purpose_class: str
    default_grade: str  # Admiralty code: source reliability A-F (X = not graded) + info 1-6
    record: str = ""  # what a source record id is made of
    title: str = ""  # as users read it (Dutch): ``KvK``, ``RIEC``
    retention: str = "fact"  # "fact" or "record"
    retention_years: int = 7


@dataclass(frozen=True)
class Model:
    """The whole model; mappings are read-only and keep the file's order."""

    entity_label: str
    purpose_classes: Mapping[str, str]
    sources: Mapping[str, Source]
    load_order: tuple[str, ...]
    labels: Mapping[str, Label]  # entity labels
    system_labels: Mapping[str, Label]
    relationship_types: Mapping[str, RelationshipType]
    uid_rules: Mapping[str, UidRule]

    def label(self, name: str) -> Label:
        """An entity or system label by name."""
        found = self.labels.get(name) or self.system_labels.get(name)
        if found is None:
            raise ModelError(f"unknown label {name!r}")
        return found

    def relationship_type(self, name: str) -> RelationshipType:
        try:
            return self.relationship_types[name]
        except KeyError:
            raise ModelError(f"unknown relationship type {name!r}") from None


# -- loading and checking -------------------------------------------------------------------
class _Reader:
    """Typed access to the parsed YAML that names the path of every problem."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, problem: str) -> ModelError:
        return ModelError(f"{self.origin}: {where}: {problem}")

    def mapping(self, value: Any, where: str, allowed: tuple[str, ...] | None = None,
                required: tuple[str, ...] = ()) -> dict[str, Any]:
        if value is None and not required:
            value = {}
        if not isinstance(value, dict):
            raise self.fail(where, "expected a mapping")
        keys = [str(k) for k in value]
        if allowed is not None:
            unknown = [k for k in keys if k not in allowed]
            if unknown:
                raise self.fail(where, f"unknown key(s) {', '.join(unknown)}; "
                                       f"allowed: {', '.join(allowed)}")
        missing = [k for k in required if k not in value]
        if missing:
            raise self.fail(where, f"missing {', '.join(missing)}")
        return {str(k): v for k, v in value.items()}

    def text(self, value: Any, where: str, pattern: re.Pattern[str] | None = None) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "expected a non-empty text")
        if pattern is not None and not pattern.fullmatch(value):
            raise self.fail(where, f"{value!r} does not match {pattern.pattern}")
        return value

    def names(self, value: Any, where: str, pattern: re.Pattern[str] | None = None,
              allow_empty: bool = False) -> tuple[str, ...]:
        if value is None and allow_empty:
            return ()
        if not isinstance(value, list) or (not value and not allow_empty):
            raise self.fail(where, "expected a non-empty list")
        out = tuple(self.text(v, f"{where}[{i}]", pattern) for i, v in enumerate(value))
        if len(set(out)) != len(out):
            raise self.fail(where, "lists a name twice")
        return out


def _uid_rule(r: _Reader, label: str, name: str, spec: Any, where: str) -> UidRule:
    spec = r.mapping(spec, where, ("format", "digest"), required=("format",))
    fmt = r.text(spec["format"], f"{where}.format")
    try:
        pieces = list(string.Formatter().parse(fmt))
    except ValueError as exc:
        raise r.fail(f"{where}.format", str(exc)) from None
    placeholders = [field for _, field, _, _ in pieces if field is not None]
    for field in placeholders:
        if not _NAME.fullmatch(field):
            raise r.fail(f"{where}.format", f"{{{field}}} is not a plain field name")
    if len(set(placeholders)) != len(placeholders):
        raise r.fail(f"{where}.format", "names a field twice")
    prefix = pieces[0][0]
    if not placeholders or not re.fullmatch(r"[a-z]+:(?:[a-z]+:)?", prefix):
        raise r.fail(f"{where}.format", "must start with a lower-case prefix and ':' "
                                        "(e.g. 'kvk:') followed by a field")
    digest = r.names(spec.get("digest"), f"{where}.digest", allow_empty=True)
    if bool(digest) != (_DIGEST in placeholders):
        raise r.fail(where, "a rule with a digest holds {digest} in its format, and only then")
    for i, part in enumerate(digest):
        if not part.startswith("=") and not _NAME.fullmatch(part):
            raise r.fail(f"{where}.digest[{i}]", f"{part!r} is neither a field nor =text")
    fields: list[str] = []
    for field in [*placeholders, *(p for p in digest if not p.startswith("="))]:
        if field != _DIGEST and field not in fields:
            fields.append(field)
    return UidRule(name=name, label=label, format=fmt, digest=digest, fields=tuple(fields))


def _style(r: _Reader, spec: Any, where: str) -> Style:
    keys = ("name", "plural", "shape", "background", "border")
    spec = r.mapping(spec, where, keys, required=keys)
    shape = r.text(spec["shape"], f"{where}.shape")
    if shape not in VIS_SHAPES:
        raise r.fail(f"{where}.shape", f"{shape!r} is not a vis-network shape "
                                       f"({', '.join(sorted(VIS_SHAPES))})")
    return Style(
        name=r.text(spec["name"], f"{where}.name"),
        plural=r.text(spec["plural"], f"{where}.plural"),
        shape=shape,
        background=r.text(spec["background"], f"{where}.background", _COLOUR),
        border=r.text(spec["border"], f"{where}.border", _COLOUR),
    )


def _label(r: _Reader, name: str, spec: Any, where: str, entity: bool) -> Label:
    if entity:
        spec = r.mapping(spec, where, ("identifier", "display", "uids", "style", "matching",
                                       "match_keys"),
                         required=("identifier", "display", "uids", "style"))
    else:
        spec = r.mapping(spec, where, ("uids",))
    rules = r.mapping(spec.get("uids"), f"{where}.uids")
    if entity and not rules:
        raise r.fail(f"{where}.uids", "an entity label needs at least one uid rule")
    uids = []
    for rule_name, rule in rules.items():
        r.text(rule_name, f"{where}.uids", _NAME)
        uids.append(_uid_rule(r, name, rule_name, rule, f"{where}.uids.{rule_name}"))
    return Label(
        name=name,
        identifier=r.names(spec["identifier"], f"{where}.identifier", _NAME) if entity else (),
        display=r.text(spec["display"], f"{where}.display", _NAME) if entity else "uid",
        uids=tuple(uids),
        style=_style(r, spec["style"], f"{where}.style") if entity else None,
        matching=r.names(spec.get("matching"), f"{where}.matching", _NAME, allow_empty=True),
        match_keys=r.names(spec.get("match_keys"), f"{where}.match_keys", _NAME,
                           allow_empty=True),
        entity=entity,
    )


def _relationship_type(r: _Reader, name: str, spec: Any, where: str,
                       labels: Mapping[str, Label]) -> RelationshipType:
    spec = r.mapping(spec, where, ("from", "to", "key", "derived", "merge", "name"),
                     required=("from", "to", "name"))
    ends = {}
    for end in ("from", "to"):
        ends[end] = r.names(spec[end], f"{where}.{end}", _LABEL)
        for i, label in enumerate(ends[end]):
            if label not in labels:
                raise r.fail(f"{where}.{end}[{i}]", f"{label!r} is not an entity label")
    derived = spec.get("derived")
    merge = spec.get("merge")
    return RelationshipType(
        name=name,
        from_labels=ends["from"],
        to_labels=ends["to"],
        key=r.names(spec.get("key"), f"{where}.key", _NAME, allow_empty=True),
        title=r.text(spec["name"], f"{where}.name"),
        derived=None if derived is None else r.text(derived, f"{where}.derived", _STATEMENT),
        merge=None if merge is None else r.text(merge, f"{where}.merge", _STATEMENT),
    )


def _source(r: _Reader, name: str, spec: Any, where: str, classes: Mapping[str, str]) -> Source:
    spec = r.mapping(spec, where, ("name", "purpose_class", "default_grade", "record",
                                   "retention"),
                     required=("name", "purpose_class", "default_grade", "record", "retention"))
    purpose = r.text(spec["purpose_class"], f"{where}.purpose_class")
    if purpose not in classes:
        raise r.fail(f"{where}.purpose_class",
                     f"{purpose!r} is not a purpose class ({', '.join(classes)})")
    retention = r.mapping(spec["retention"], f"{where}.retention", ("per", "years"),
                          required=("per", "years"))
    per = r.text(retention["per"], f"{where}.retention.per")
    if per not in RETENTION_KINDS:
        raise r.fail(f"{where}.retention.per", f"{per!r} is not one of {RETENTION_KINDS}")
    years = retention["years"]
    if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 100:
        raise r.fail(f"{where}.retention.years", "expected a whole number of years 1-100")
    return Source(
        name=name,
        purpose_class=purpose,
        default_grade=r.text(spec["default_grade"], f"{where}.default_grade", _GRADE),
        record=r.text(spec["record"], f"{where}.record"),
        title=r.text(spec["name"], f"{where}.name"),
        retention=per,
        retention_years=years,
    )


#: PyYAML's safe loader on libyaml where PyYAML was built with it: model.yaml parsed in
#: 2 ms instead of 18 ms, at the start of every process (the same safe constructor).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """``yaml.safe_load`` of ``text`` (:data:`_SAFE_LOADER`); raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader


def load_model(text: str, origin: str = MODEL_FILE) -> Model:
    """Parse and check a model file's text; raises :class:`ModelError` on any problem."""
    r = _Reader(origin)
    try:
        data = parse_yaml(text)
    except yaml.YAMLError as exc:
        raise ModelError(f"{origin}: not valid YAML: {exc}") from None
    top = ("entity_label", "purpose_classes", "sources", "load_order", "labels",
           "system_labels", "relationship_types")
    data = r.mapping(data, "top level", top, required=top)
    entity_label = r.text(data["entity_label"], "entity_label", _LABEL)

    classes = r.mapping(data["purpose_classes"], "purpose_classes")
    if not classes:
        raise r.fail("purpose_classes", "expected at least one purpose class")
    for name, what in classes.items():
        r.text(name, "purpose_classes", _NAME)
        r.text(what, f"purpose_classes.{name}")

    sources = {}
    for name, spec in r.mapping(data["sources"], "sources").items():
        r.text(name, "sources", _NAME)
        sources[name] = _source(r, name, spec, f"sources.{name}", classes)
    if not sources:
        raise r.fail("sources", "expected at least one source")
    load_order = r.names(data["load_order"], "load_order", _NAME)
    if sorted(load_order) != sorted(sources):
        raise r.fail("load_order", f"must list every source once: {', '.join(sources)}")

    labels: dict[str, Label] = {}
    for name, spec in r.mapping(data["labels"], "labels").items():
        r.text(name, "labels", _LABEL)
        labels[name] = _label(r, name, spec, f"labels.{name}", entity=True)
    if not labels:
        raise r.fail("labels", "expected at least one label")
    system: dict[str, Label] = {}
    for name, spec in r.mapping(data["system_labels"], "system_labels").items():
        r.text(name, "system_labels", _LABEL)
        if name in labels or name == entity_label:
            raise r.fail(f"system_labels.{name}", "is also an entity label")
        system[name] = _label(r, name, spec, f"system_labels.{name}", entity=False)
    if entity_label in labels:
        raise r.fail("entity_label", f"{entity_label!r} is also a label")

    rules: dict[str, UidRule] = {}
    owner: dict[str, str] = {}  # uid scheme (text before the first ':') -> label
    for label in [*labels.values(), *system.values()]:
        for rule in label.uids:
            if rule.name in rules:
                raise r.fail(f"labels.{label.name}.uids.{rule.name}",
                             f"rule name also used by {rules[rule.name].label}")
            rules[rule.name] = rule
            scheme = rule.prefix.split(":", 1)[0]
            if owner.setdefault(scheme, label.name) != label.name:
                raise r.fail(f"labels.{label.name}.uids.{rule.name}.format",
                             f"prefix {scheme!r}: is used by {owner[scheme]} too; a uid's "
                             "prefix must tell its label")

    types = {}
    for name, spec in r.mapping(data["relationship_types"], "relationship_types").items():
        r.text(name, "relationship_types", _REL_TYPE)
        types[name] = _relationship_type(r, name, spec, f"relationship_types.{name}", labels)
    if not types:
        raise r.fail("relationship_types", "expected at least one relationship type")

    return Model(
        entity_label=entity_label,
        purpose_classes=MappingProxyType(classes),
        sources=MappingProxyType(sources),
        load_order=load_order,
        labels=MappingProxyType(labels),
        system_labels=MappingProxyType(system),
        relationship_types=MappingProxyType(types),
        uid_rules=MappingProxyType(rules),
    )


def _shipped() -> Model:
    text = resources.files(__package__).joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return load_model(text, f"graph_service/model/{MODEL_FILE}")


#: The shipped model, loaded and checked once.
MODEL: Model = _shipped()
