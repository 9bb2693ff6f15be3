"""KvK (Handelsregister) extract: one row per organisation x functionaris (formats.md §1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graph_service.model import organisation_uid, relationship_key

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

__all__ = ["SPEC", "normalise"]

RECHTSVORMEN = ("eenmanszaak", "vof", "bv", "nv", "stichting", "vereniging", "cooperatie",
                "buitenlands")
STATUSSEN = ("actief", "opgeheven", "failliet")
FUNCTIES = ("bestuurder", "aandeelhouder", "enig_aandeelhouder", "commissaris",
            "gevolmachtigde", "vennoot")

COLUMNS: dict[str, Callable[[str], Any] | None] = {
    "kvk_nummer": v.kvk_nummer,
    "naam": None,
    "rechtsvorm": enum_parser(RECHTSVORMEN, "rechtsvorm"),
    "rsin": v.rsin,
    "sbi_code": v.sbi_code,
    "datum_aanvang": v.parse_date,
    "datum_einde": v.parse_date,
    "status": enum_parser(STATUSSEN, "status"),
    "adres_straat": None,
    "adres_huisnummer": v.huisnummer,
    "adres_toevoeging": v.toevoeging,
    "adres_postcode": v.postcode,
    "adres_plaats": None,
    "adres_bag_id": v.bag_id,
    "functionaris_type": enum_parser(("persoon", "organisatie"), "functionaris_type"),
    "functionaris_kvk": v.kvk_nummer,
    "functie": enum_parser(FUNCTIES, "functie"),
    "aandeel_pct": v.parse_pct,
    "functie_van": v.parse_date,
    "functie_tot": v.parse_date,
}


def check(row: dict[str, Any], report: Callable[[str, str], None]) -> None:
    check_period(row, report, "datum_aanvang", "datum_einde")
    check_period(row, report, "functie_van", "functie_tot")
    check_address(row, report, "adres_postcode", "adres_huisnummer")
    check_party(row, report, "functionaris_type", "functionaris_kvk", "functionaris_")
    if row.get("functionaris_type") and not row.get("functie"):
        report("functie", "functionaris zonder functie")
    if row.get("functionaris_kvk") and row["functionaris_kvk"] == row.get("kvk_nummer"):
        report("functionaris_kvk", "organisatie kan geen functionaris van zichzelf zijn")


def normalise(row: dict[str, Any]) -> Iterator[Node | Rel]:
    org_uid = organisation_uid(row["kvk_nummer"])
    yield Node("Organisation", org_uid, {
        "kvk_nummer": row["kvk_nummer"],
        "name": row["naam"],
        "rechtsvorm": row["rechtsvorm"],
        "rsin": row["rsin"],
        "sbi_code": row["sbi_code"],
        "datum_aanvang": row["datum_aanvang"],
        "datum_einde": row["datum_einde"],
        "status": row["status"] or "actief",
    })
    addr = address_node(row["adres_postcode"], row["adres_huisnummer"],
                        row["adres_toevoeging"], row["adres_bag_id"], row["adres_straat"],
                        row["adres_plaats"])
    if addr:
        yield addr
        yield Rel("REGISTERED_AT", org_uid, addr.uid)
    party = party_node(row, "functionaris_type", "functionaris_kvk", "functionaris_",
                       record_id(row))
    if party:
        yield party
        props = {
            "role": row["functie"],
            "share_pct": row["aandeel_pct"],
            "valid_from": row["functie_van"],
            "valid_to": row["functie_tot"],
        }
        yield Rel("FUNCTIONARY_OF", party.uid, org_uid, props,
                  key=relationship_key("FUNCTIONARY_OF", props))


def record_id(row: dict[str, Any]) -> str:
    return str(row["kvk_nummer"])


SPEC = SourceSpec(
    name="kvk",
    columns=COLUMNS,
    required=("kvk_nummer", "naam"),
    person_prefixes=("functionaris_",),
    record_id=record_id,
    normalise=normalise,
    check=check,
)
