"""Holiday parks: one row per park x unit x occupant (formats.md §3).

A row describes (parts of) one park, optionally one unit of it (``eenheid_id``), the unit's
owner and one occupant. The key columns repeat over the rows of one park and one unit; the
rows merge in the graph. A row with an empty ``eenheid_id`` only describes the park; unit,
owner or occupant data on such a row is refused rather than silently dropped.

Graph (docs/graph-model.md):
- ``HolidayPark park:<park_id>`` -LOCATED_AT-> its main Address; exploitant
  ``Organisation`` -OPERATES-> park.
- ``ParkUnit unit:<park_id>/<eenheid_id>`` -UNIT_OF-> park, -LOCATED_AT-> an Address only
  when ``eenheid_bag_id`` is given (units rarely have an own BAG address).
- owner (Person or Organisation) -OWNS-> unit; ``eigenaar_land`` (default NL) is stored
  as ``land`` on the owner.
- occupant Person (``nationaliteit``) -OCCUPIES {brp, since}-> unit, and
  -EMPLOYED_BY-> the ``werkgever_kvk`` Organisation.

Record id: ``<park_id>/<eenheid_id>``; a park-only row: ``<park_id>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graph_service.model import holiday_park_uid, park_unit_uid

from . import values as v
from .base import (
    Node,
    Rel,
    SourceSpec,
    address_node,
    check_address,
    check_party,
    enum_parser,
    organisation_ref,
    party_node,
    person_node,
)

__all__ = ["SPEC", "normalise", "record_id", "VITALITEIT", "EENHEID_TYPES", "PARTY_TYPES"]

VITALITEIT = ("vitaal", "middensegment", "vergane_glorie", "buffer_woningmarkt", "onbekend")
EENHEID_TYPES = ("chalet", "stacaravan", "bungalow", "kampeerplaats", "overig")
PARTY_TYPES = ("persoon", "organisatie")

COLUMNS: dict[str, Callable[[str], Any] | None] = {
    "park_id": None,
    "park_naam": None,
    "park_postcode": v.postcode,
    "park_huisnummer": v.huisnummer,
    "park_plaats": None,
    "park_bag_id": v.bag_id,
    "exploitant_kvk": v.kvk_nummer,
    "permanente_bewoning_toegestaan": v.parse_bool,
    "vitaliteit": enum_parser(VITALITEIT, "vitaliteit"),
    "eenheid_id": None,
    "eenheid_type": enum_parser(EENHEID_TYPES, "eenheid_type"),
    "eenheid_bag_id": v.bag_id,
    "eigenaar_type": enum_parser(PARTY_TYPES, "eigenaar_type"),
    "eigenaar_kvk": v.kvk_nummer,
    "eigenaar_land": v.country,
    "bewoner_nationaliteit": v.country,
    "brp_ingeschreven": v.parse_bool,
    "inschrijfdatum": v.parse_date,
    "werkgever_kvk": v.kvk_nummer,
}

_PERSON = ("voornamen", "voorvoegsel", "geslachtsnaam", "geboortedatum")
_UNIT_COLUMNS = ("eenheid_type", "eenheid_bag_id")
_OWNER_COLUMNS = ("eigenaar_type", "eigenaar_kvk", "eigenaar_land",
                  *(f"eigenaar_{f}" for f in _PERSON))
_OCCUPANT_PERSON = tuple(f"bewoner_{f}" for f in _PERSON)
_OCCUPANT_DETAILS = ("bewoner_nationaliteit", "brp_ingeschreven", "inschrijfdatum",
                     "werkgever_kvk")


def _given(row: dict[str, Any], cols: tuple[str, ...]) -> list[str]:
    return [c for c in cols if row.get(c) is not None]


def check(row: dict[str, Any], report: Callable[[str, str], None]) -> None:
    check_address(row, report, "park_postcode", "park_huisnummer")
    if not row.get("eenheid_id"):
        filled = _given(row, _UNIT_COLUMNS + _OWNER_COLUMNS + _OCCUPANT_PERSON
                        + _OCCUPANT_DETAILS)
        if filled:
            report("eenheid_id", "eenheid_id ontbreekt, maar de rij bevat gegevens van een "
                   f"eenheid, eigenaar of bewoner ({', '.join(filled)}); een rij zonder "
                   "eenheid beschrijft alleen het park")
        return
    check_party(row, report, "eigenaar_type", "eigenaar_kvk", "eigenaar_")
    kind = row.get("eigenaar_type")
    if kind == "persoon" and row.get("eigenaar_kvk"):
        report("eigenaar_kvk", "KvK-nummer bij een eigenaar van type persoon; "
               "gebruik eigenaar_type organisatie")
    if kind == "organisatie":
        for col in _given(row, tuple(f"eigenaar_{f}" for f in _PERSON)):
            report(col, "persoonsgegevens bij een eigenaar van type organisatie")
    if row.get("eigenaar_land") and not kind:
        report("eigenaar_type", "eigenaar_land zonder eigenaar")
    if not row.get("bewoner_geslachtsnaam"):
        for col in _given(row, _OCCUPANT_DETAILS):
            report(col, "bewonersgegevens zonder bewoner (bewoner_geslachtsnaam ontbreekt)")


def _with(node: Node, **extra: Any) -> Node:
    return Node(node.label, node.uid, {**node.props, **extra})


def normalise(row: dict[str, Any]) -> Iterator[Node | Rel]:
    park_id = row["park_id"]
    park_uid = holiday_park_uid(park_id)
    yield Node("HolidayPark", park_uid, {
        "park_id": park_id,
        "name": row["park_naam"],
        "permanente_bewoning_toegestaan": row["permanente_bewoning_toegestaan"],
        "vitaliteit": row["vitaliteit"],
    })
    addr = address_node(row["park_postcode"], row["park_huisnummer"], None,
                        row["park_bag_id"], plaats=row["park_plaats"])
    if addr:
        yield addr
        yield Rel("LOCATED_AT", park_uid, addr.uid)
    operator = organisation_ref(row["exploitant_kvk"])
    if operator:
        yield operator
        yield Rel("OPERATES", operator.uid, park_uid)

    eenheid_id = row["eenheid_id"]
    if not eenheid_id:
        return
    record = record_id(row)
    unit_uid = park_unit_uid(park_id, eenheid_id)
    yield Node("ParkUnit", unit_uid, {
        "park_id": park_id,
        "eenheid_id": eenheid_id,
        "eenheid_type": row["eenheid_type"],
        "bag_id": row["eenheid_bag_id"],
        "name": f"{park_id} / {eenheid_id}",
    })
    yield Rel("UNIT_OF", unit_uid, park_uid)
    unit_addr = address_node(None, None, bag_id=row["eenheid_bag_id"])
    if unit_addr:
        yield unit_addr
        yield Rel("LOCATED_AT", unit_uid, unit_addr.uid)

    owner = party_node(row, "eigenaar_type", "eigenaar_kvk", "eigenaar_", record)
    if owner:
        yield _with(owner, land=row["eigenaar_land"] or "NL")
        yield Rel("OWNS", owner.uid, unit_uid)

    occupant = person_node(row, "bewoner_", record)
    if occupant:
        yield _with(occupant, nationaliteit=row["bewoner_nationaliteit"])
        yield Rel("OCCUPIES", occupant.uid, unit_uid, {
            "brp": row["brp_ingeschreven"],
            "since": row["inschrijfdatum"],
        })
        employer = organisation_ref(row["werkgever_kvk"])
        if employer:
            yield employer
            yield Rel("EMPLOYED_BY", occupant.uid, employer.uid)


def record_id(row: dict[str, Any]) -> str:
    if row.get("eenheid_id"):
        return f"{row['park_id']}/{row['eenheid_id']}"
    return str(row["park_id"])


SPEC = SourceSpec(
    name="vakantieparken",
    columns=COLUMNS,
    required=("park_id", "park_naam"),
    person_prefixes=("eigenaar_", "bewoner_"),
    record_id=record_id,
    normalise=normalise,
    check=check,
)
