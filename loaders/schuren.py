"""Rural sheds and barns: one row per object x tenancy (formats.md §4).

A row describes one object (``object_id``), its address and owner, and optionally one
tenancy. The object columns repeat over the rows of one object; the rows merge. A row
without ``huurder_type`` only describes the object and its owner; tenancy data on such a
row is refused rather than silently dropped.

Graph (docs/graph-model.md):
- ``RuralObject object:<object_id>`` -LOCATED_AT-> its Address.
- owner (Person or Organisation) -OWNS-> object.
- tenant (Person or Organisation) -RENTS {rent_pm, payment, declared_use, valid_from,
  valid_to}-> object, merged per (tenant, object, huur_start): each start date is its own
  tenancy; a tenancy without start date has key ''.

Record id: ``<object_id>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graph_service.model import relationship_key, rural_object_uid

from . import values as v
from .base import (
    Node,
    Rel,
    SourceSpec,
    address_node,
    check_address,
    check_party,
    check_period,
    enum_parser,
    party_node,
)

__all__ = ["SPEC", "normalise", "record_id", "OBJECTTYPES", "AGRARISCH_ACTIEF",
           "BETAALWIJZEN", "BEVINDINGEN", "PARTY_TYPES", "oppervlakte"]

OBJECTTYPES = ("schuur", "loods", "stal", "kas", "container", "overig")
AGRARISCH_ACTIEF = ("ja", "nee", "stoppend")
BETAALWIJZEN = ("bank", "contant", "onbekend")
BEVINDINGEN = ("geen", "hennep", "synthetisch_lab", "opslag_gestolen_goed", "dumping", "overig")
PARTY_TYPES = ("persoon", "organisatie")


def oppervlakte(text: str) -> int | float:
    """Floor area in m2: a positive number (``450``, ``1.250``, ``37,5``)."""
    try:
        value = v.parse_amount(text)
    except v.ValueInvalid:
        raise v.ValueInvalid(f"ongeldige oppervlakte '{text.strip()}': verwacht een aantal "
                             "m2, bijvoorbeeld 450 of 37,5") from None
    if value <= 0:
        raise v.ValueInvalid(f"ongeldige oppervlakte '{text.strip()}': moet groter dan 0 zijn")
    return int(value) if value.is_integer() else value


COLUMNS: dict[str, Callable[[str], Any] | None] = {
    "object_id": None,
    "objecttype": enum_parser(OBJECTTYPES, "objecttype"),
    "postcode": v.postcode,
    "huisnummer": v.huisnummer,
    "toevoeging": v.toevoeging,
    "plaats": None,
    "bag_id": v.bag_id,
    "kadastraal_perceel": v.kadastraal_perceel,
    "oppervlakte_m2": oppervlakte,
    "leegstaand_sinds": v.parse_date,
    "eigenaar_type": enum_parser(PARTY_TYPES, "eigenaar_type"),
    "eigenaar_kvk": v.kvk_nummer,
    "eigenaar_agrarisch_actief": enum_parser(AGRARISCH_ACTIEF, "eigenaar_agrarisch_actief"),
    "huurder_type": enum_parser(PARTY_TYPES, "huurder_type"),
    "huurder_kvk": v.kvk_nummer,
    "huur_pm": v.parse_amount,
    "betaalwijze": enum_parser(BETAALWIJZEN, "betaalwijze"),
    "huur_start": v.parse_date,
    "huur_eind": v.parse_date,
    "opgegeven_gebruik": None,
    "laatste_controle": v.parse_date,
    "bevinding": enum_parser(BEVINDINGEN, "bevinding"),
}

_PERSON = ("voornamen", "voorvoegsel", "geslachtsnaam", "geboortedatum")
_TENANCY = ("huur_pm", "betaalwijze", "huur_start", "huur_eind", "opgegeven_gebruik")


def _check_party_kind(row: dict[str, Any], report: Callable[[str, str], None],
                      role: str) -> None:
    """No KvK number on a person, no person columns on an organisation."""
    kind = row.get(f"{role}_type")
    if kind == "persoon" and row.get(f"{role}_kvk"):
        report(f"{role}_kvk", f"KvK-nummer bij een {role} van type persoon; "
               f"gebruik {role}_type organisatie")
    if kind == "organisatie":
        for f in _PERSON:
            if row.get(f"{role}_{f}") is not None:
                report(f"{role}_{f}", f"persoonsgegevens bij een {role} van type organisatie")


def check(row: dict[str, Any], report: Callable[[str, str], None]) -> None:
    check_address(row, report, "postcode", "huisnummer")
    if row.get("toevoeging") and not row.get("huisnummer"):
        report("toevoeging", "toevoeging zonder huisnummer")
    check_period(row, report, "huur_start", "huur_eind")
    for role in ("eigenaar", "huurder"):
        check_party(row, report, f"{role}_type", f"{role}_kvk", f"{role}_")
        _check_party_kind(row, report, role)
    if not row.get("huurder_type"):
        for col in _TENANCY:
            if row.get(col) is not None:
                report(col, "huurgegevens zonder huurder (huurder_type ontbreekt)")


def _display_name(row: dict[str, Any]) -> str | None:
    """"schuur SCH-0042, Dwingeloo"; None on a row that repeats only the key (a tenancy
    row of an object described on another row), so it does not overwrite a fuller name."""
    if not row.get("objecttype") and not row.get("plaats"):
        return None
    name = f"{row['objecttype'] or 'object'} {row['object_id']}"
    return f"{name}, {row['plaats']}" if row.get("plaats") else name


def normalise(row: dict[str, Any]) -> Iterator[Node | Rel]:
    object_uid = rural_object_uid(row["object_id"])
    record = record_id(row)
    yield Node("RuralObject", object_uid, {
        "object_id": row["object_id"],
        "objecttype": row["objecttype"],
        "kadastraal_perceel": row["kadastraal_perceel"],
        "oppervlakte_m2": row["oppervlakte_m2"],
        "leegstaand_sinds": row["leegstaand_sinds"],
        "eigenaar_agrarisch_actief": row["eigenaar_agrarisch_actief"],
        "laatste_controle": row["laatste_controle"],
        "bevinding": row["bevinding"],
        "name": _display_name(row),
    })
    addr = address_node(row["postcode"], row["huisnummer"], row["toevoeging"],
                        row["bag_id"], plaats=row["plaats"])
    if addr:
        yield addr
        yield Rel("LOCATED_AT", object_uid, addr.uid)
    owner = party_node(row, "eigenaar_type", "eigenaar_kvk", "eigenaar_", record)
    if owner:
        yield owner
        yield Rel("OWNS", owner.uid, object_uid)
    tenant = party_node(row, "huurder_type", "huurder_kvk", "huurder_", record)
    if tenant:
        yield tenant
        props = {
            "rent_pm": row["huur_pm"],
            "payment": row["betaalwijze"],
            "declared_use": row["opgegeven_gebruik"],
            "valid_from": row["huur_start"],
            "valid_to": row["huur_eind"],
        }
        yield Rel("RENTS", tenant.uid, object_uid, props, key=relationship_key("RENTS", props))


def record_id(row: dict[str, Any]) -> str:
    return str(row["object_id"])


SPEC = SourceSpec(
    name="schuren",
    columns=COLUMNS,
    required=("object_id",),
    person_prefixes=("eigenaar_", "huurder_"),
    record_id=record_id,
    normalise=normalise,
    check=check,
)
