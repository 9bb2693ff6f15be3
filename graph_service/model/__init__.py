"""The graph model as data: ``model.yaml`` holds labels, identifiers and uid rules,
relationship types with their endpoints and keys, sources with their purpose classes, the
display property and graph style of every label. This package loads it once
(:mod:`.schema`, failing fast on a bad file) and derives what the code uses:

* the allow-lists :data:`LABELS`, :data:`REL_TYPES`, :data:`SOURCES`,
  :data:`PURPOSE_CLASSES`: a label or relationship type that a user names (a filter in the
  API, say) must be one of these, and it always travels as a parameter, never as text
  spliced into Cypher;
* the uid builders (:mod:`.uids`, one per rule) and :func:`relationship_key`;
* the names of the merge statements the Cypher registry expands from
  ``cypher/templates/`` (:func:`node_statement`, :func:`relationship_statement`);
* the display name of an entity (:func:`display_name`).

See ``docs/graph-model.md`` for the meaning of every property.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .schema import (
    MODEL,
    Label,
    Model,
    ModelError,
    RelationshipType,
    Source,
    Style,
    UidRule,
    load_model,
)
from .uids import (
    BUILDERS,
    address_uid,
    bag_address_uid,
    bibob_dossier_uid,
    foreign_address_uid,
    foreign_organisation_uid,
    holiday_park_uid,
    identity_key,
    is_legacy_person,
    label_of_uid,
    listed_organisation_uid,
    listed_person_uid,
    load_run_stamp,
    load_run_uid,
    one_identity_key,
    organisation_uid,
    park_unit_uid,
    parse_uid,
    person_uid,
    rekey_legacy_person,
    rural_object_uid,
    signal_uid,
    uid_fields,
    uid_from_text,
    unresolved_person_uid,
)

__all__ = [
    "BUILDERS",
    "ENTITY_LABEL",
    "LABELS",
    "LOAD_ORDER",
    "MATCHING_PROPERTIES",
    "MATCH_KEY_PROPERTIES",
    "MODEL",
    "PURPOSE_CLASSES",
    "REL_TYPES",
    "SOURCES",
    "SYSTEM_LABELS",
    "TEMPLATE_REL_TYPES",
    "Label",
    "Model",
    "ModelError",
    "RelationshipType",
    "Source",
    "Style",
    "UidRule",
    "address_uid",
    "bag_address_uid",
    "bibob_dossier_uid",
    "display_name",
    "dossier_uid",
    "foreign_address_uid",
    "foreign_organisation_uid",
    "holiday_park_uid",
    "identity_key",
    "is_legacy_person",
    "label_of_uid",
    "listed_organisation_uid",
    "listed_person_uid",
    "load_model",
    "load_run_stamp",
    "load_run_uid",
    "node_statement",
    "one_identity_key",
    "organisation_uid",
    "park_unit_uid",
    "parse_uid",
    "person_uid",
    "relationship_key",
    "relationship_statement",
    "rekey_legacy_person",
    "rural_object_uid",
    "signal_uid",
    "uid_fields",
    "uid_from_text",
    "unresolved_person_uid",
]

#: The label every entity node carries beside its own.
ENTITY_LABEL: str = MODEL.entity_label
#: Entity labels, in the model's order.
LABELS: tuple[str, ...] = tuple(MODEL.labels)
#: Bookkeeping labels (load runs, stored hits): not entities, never shown.
SYSTEM_LABELS: tuple[str, ...] = tuple(MODEL.system_labels)
#: Relationship types, in the model's order.
REL_TYPES: tuple[str, ...] = tuple(MODEL.relationship_types)
#: The types whose loader rows go through the relationship merge template.
TEMPLATE_REL_TYPES: tuple[str, ...] = tuple(
    t.name for t in MODEL.relationship_types.values() if t.merge is None)
#: Purpose classes of sources (who may see a fact, see graph_service.security).
PURPOSE_CLASSES: tuple[str, ...] = tuple(MODEL.purpose_classes)
#: Source name -> :class:`Source`, in the model's order.
SOURCES: Mapping[str, Source] = MODEL.sources
#: The order in which a whole set of source files loads (KvK first).
LOAD_ORDER: tuple[str, ...] = MODEL.load_order

#: Person properties that only serve matching (loaders.names): the look-alike blocking keys
#: (``match_keys``) and the identity and candidate keys. They spell surname, initial and
#: birth date, are never shown to users and are stripped from every filtered read.
MATCH_KEY_PROPERTIES: tuple[str, ...] = tuple(
    k for label in MODEL.labels.values() for k in label.match_keys)
MATCHING_PROPERTIES: tuple[str, ...] = (
    *(k for label in MODEL.labels.values() for k in label.matching), *MATCH_KEY_PROPERTIES)


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def node_statement(label: str) -> str:
    """The registry name of the statement that merges ``label`` nodes from loader rows.

    >>> node_statement("HolidayPark")
    'write/merge_holiday_park'
    """
    if label not in MODEL.labels:
        raise ModelError(f"unknown label {label!r}")
    return f"write/merge_{_snake(label)}"


def relationship_statement(rel_type: str) -> str:
    """The registry name of the statement that merges ``rel_type`` relationships.

    >>> relationship_statement("FUNCTIONARY_OF")
    'write/merge_functionary_of'
    """
    spec = MODEL.relationship_type(rel_type)
    return spec.merge or f"write/merge_{rel_type.lower()}"


def relationship_key(rel_type: str, values: Mapping[str, Any]) -> str:
    """The merge key of a ``rel_type`` relationship: its key properties' values joined by
    ``|`` (a missing value is empty); ``""`` for a type with one relationship per pair.

    >>> relationship_key("FUNCTIONARY_OF", {"role": "bestuurder", "valid_from": None})
    'bestuurder|'
    """
    key = MODEL.relationship_type(rel_type).key
    return "|".join("" if values.get(k) is None else str(values[k]) for k in key)


def display_name(label: str, props: Mapping[str, Any], uid: str | None = None) -> str:
    """What names an entity on pages, in graphs and tables: its label's display property,
    else its uid (an entity known only by its key so far, e.g. a KvK number).

    >>> display_name("Organisation", {"name": None}, "kvk:12345678")
    'kvk:12345678'
    """
    found = MODEL.labels.get(label)
    value = props.get(found.display if found else "name")
    if value:
        return str(value)
    return str(uid if uid is not None else props.get("uid", ""))


def dossier_uid(dossier_id: str) -> str:
    """``2025-0012`` or ``dossier:2025-0012`` -> ``dossier:2025-0012``."""
    return uid_from_text("bibob_dossier", dossier_id)
