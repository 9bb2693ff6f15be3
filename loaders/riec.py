"""RIEC signals: one row per signal x referenced entity (formats.md §5).

Every row names one signal (``signaal_id`` and its signal-level columns, repeated on each
row of the signal) and one entity the signal concerns, chosen by ``entiteit_type``:

* ``persoon``      -> Person (``voornamen``, ``voorvoegsel``, ``geslachtsnaam``,
  ``geboortedatum``; resolved like every person, see ``loaders.names``)
* ``organisatie``  -> Organisation ``kvk:<kvk_nummer>``
* ``adres``        -> Address (``postcode`` + ``huisnummer`` [+ ``toevoeging``] and/or
  ``bag_id``; resolved against the graph by ``loaders.base``)
* ``object``       -> RuralObject ``object:<object_id>``: a stub carrying only
  ``object_id``; its details come from the schuren file
* ``vakantiepark`` -> HolidayPark ``park:<park_id>``: a stub carrying only ``park_id``

The rows of one signal merge into one Signal node ``signal:<signaal_id>`` with one
``CONCERNS`` relationship per (entity, role); the relationship key is the role (empty
``rol`` = ``subject``). ``bewaren_tot`` (retention) is stored on the Signal and on each
``CONCERNS`` so that retention can remove both. The Admiralty grading comes from the
shared provenance columns ``betrouwbaarheid_bron`` / ``betrouwbaarheid_info``
(``loaders.base`` parses them; default X/6 = not graded, from ``graph_service.model``).

Decisions where formats.md is silent:

* Entity columns that do not belong to the row's ``entiteit_type`` (a ``kvk_nummer`` on a
  ``persoon`` row, say) are validated for their format but otherwise ignored: the type
  decides which entity the row references.
* ``object_id``, ``park_id``, ``signaal_id`` and ``casus_id`` are free identifiers, only
  stripped, so that they meet the schuren / vakantieparken loaders' uids unchanged.
* ``status`` has no default (formats.md gives none).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graph_service.model import holiday_park_uid, relationship_key, rural_object_uid, signal_uid

from . import values as v
from .base import (
    Node,
    Rel,
    SourceSpec,
    address_node,
    check_address,
    check_period,
    enum_parser,
    organisation_ref,
    person_node,
)

__all__ = [
    "SPEC",
    "COLUMNS",
    "PARTNERS",
    "THEMAS",
    "STATUSSEN",
    "ENTITEIT_TYPES",
    "ROLLEN",
    "DEFAULT_ROL",
    "check",
    "normalise",
    "record_id",
]

PARTNERS = ("gemeente", "politie", "belastingdienst", "nla", "uwv", "om", "fiod", "kmar",
            "ind", "mma", "overig")
THEMAS = ("drugs", "witwassen", "mensenhandel", "arbeidsuitbuiting", "vastgoed",
          "vakantiepark", "buitengebied", "horeca", "overig")
STATUSSEN = ("ontvangen", "in_behandeling", "casus", "afgesloten")
ENTITEIT_TYPES = ("persoon", "organisatie", "adres", "object", "vakantiepark")
ROLLEN = ("subject", "locatie", "betrokkene")
DEFAULT_ROL = "subject"


# The person columns (voornamen, voorvoegsel, geslachtsnaam, geboortedatum) come from
# person_prefixes=(""), the grading/peildatum columns from loaders.base.PROVENANCE_COLUMNS.
COLUMNS: dict[str, Callable[[str], Any] | None] = {
    "signaal_id": None,
    "ontvangstdatum": v.parse_date,
    "partner": enum_parser(PARTNERS, "partner"),
    "thema": enum_parser(THEMAS, "thema"),
    "omschrijving": None,
    "status": enum_parser(STATUSSEN, "status"),
    "casus_id": None,
    "entiteit_type": enum_parser(ENTITEIT_TYPES, "entiteit_type"),
    "rol": enum_parser(ROLLEN, "rol"),
    "kvk_nummer": v.kvk_nummer,
    "postcode": v.postcode,
    "huisnummer": v.huisnummer,
    "toevoeging": v.toevoeging,
    "bag_id": v.bag_id,
    "object_id": None,
    "park_id": None,
    "bewaren_tot": v.parse_date,
}

_PERSON_OTHER = ("voornamen", "voorvoegsel", "geboortedatum")


# entiteit_type -> (the column that identifies it, message when it is empty)
_REQUIRED_ID = {
    "organisatie": ("kvk_nummer", "entiteit_type organisatie vraagt een geldig KvK-nummer"),
    "object": ("object_id", "entiteit_type object vraagt een object_id"),
    "vakantiepark": ("park_id", "entiteit_type vakantiepark vraagt een park_id"),
}


def check(row: dict[str, Any], report: Callable[[str, str], None]) -> None:
    """Cross-field rules: the entity columns the entiteit_type needs; date order."""
    check_period(row, report, "ontvangstdatum", "bewaren_tot")
    kind = row.get("entiteit_type")
    if kind == "persoon":
        # loaders.base.person_check already reports a missing surname when other person
        # columns are filled; report it here only for an otherwise empty person group.
        if not row.get("geslachtsnaam") and not any(row.get(c) for c in _PERSON_OTHER):
            report("geslachtsnaam", "entiteit_type persoon vraagt een geslachtsnaam")
    elif kind == "adres":
        check_address(row, report, "postcode", "huisnummer")
        if not row.get("bag_id") and not row.get("postcode") and not row.get("huisnummer"):
            report("postcode",
                   "entiteit_type adres vraagt een geldige postcode + huisnummer of BAG-id")
        if row.get("toevoeging") and not row.get("huisnummer"):
            report("huisnummer", "toevoeging zonder huisnummer")
    elif kind in _REQUIRED_ID:
        column, message = _REQUIRED_ID[kind]
        if not row.get(column):
            report(column, message)


def _entity(row: dict[str, Any]) -> Node | None:
    """The entity this row's signal concerns, by entiteit_type."""
    kind = row["entiteit_type"]
    if kind == "persoon":
        return person_node(row, "", record_id(row))
    if kind == "organisatie":
        return organisation_ref(row["kvk_nummer"])
    if kind == "adres":
        return address_node(row["postcode"], row["huisnummer"], row["toevoeging"],
                            row["bag_id"])
    if kind == "object":
        return Node("RuralObject", rural_object_uid(row["object_id"]),
                    {"object_id": row["object_id"]})
    if kind == "vakantiepark":
        return Node("HolidayPark", holiday_park_uid(row["park_id"]), {"park_id": row["park_id"]})
    return None


def signal_name(row: dict[str, Any]) -> str:
    """Display name, e.g. ``RIEC-2025-0193 (politie, drugs)``."""
    return f"{row['signaal_id']} ({row['partner']}, {row['thema']})"


def normalise(row: dict[str, Any]) -> Iterator[Node | Rel]:
    uid = signal_uid(row["signaal_id"])
    yield Node("Signal", uid, {
        "signaal_id": row["signaal_id"],
        "name": signal_name(row),
        "ontvangstdatum": row["ontvangstdatum"],
        "partner": row["partner"],
        "thema": row["thema"],
        "omschrijving": row["omschrijving"],
        "status": row["status"],
        "casus_id": row["casus_id"],
        "bewaren_tot": row["bewaren_tot"],
    })
    entity = _entity(row)
    if entity is None:  # not reached for a validated row
        return
    role = row["rol"] or DEFAULT_ROL
    yield entity
    props = {"role": role, "bewaren_tot": row["bewaren_tot"]}
    yield Rel("CONCERNS", uid, entity.uid, props, key=relationship_key("CONCERNS", props))


def record_id(row: dict[str, Any]) -> str:
    return str(row["signaal_id"])


SPEC = SourceSpec(
    name="riec",
    columns=COLUMNS,
    required=("signaal_id", "ontvangstdatum", "partner", "thema", "entiteit_type"),
    person_prefixes=("",),
    record_id=record_id,
    normalise=normalise,
    check=check,
)
