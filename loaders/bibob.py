"""Bibob applications: one row per dossier x party (formats.md §2).

Every row yields the dossier (``dossier:<dossier_id>``) with its premises (LOCATED_AT),
the party (a Person, or an Organisation by KvK number; without one by name + land) with
its address (RESIDES_AT for a person, REGISTERED_AT for an organisation) and the party's
PARTY_TO relationship to the dossier, keyed ``<partij_ref>|<rol>``.

The relations *between* parties (BIBOB_RELATION, FINANCES) need the party that
``ten_aanzien_van`` names (or the aanvrager(s)), and the rows of one dossier may arrive in
any order and across batches or files. So they are not built per row: after each batch,
``after_write`` runs ``write/derive_bibob_relations`` and ``write/derive_bibob_finances``
over the dossiers of that batch, which derive them from the dossier's PARTY_TO
relationships in the graph (idempotent MERGEs, provenance copied from the declaring
party's PARTY_TO).

Decisions where formats.md is silent:

* ``partij_ref`` and ``ten_aanzien_van`` are short codes (letters, digits, ``-``, ``_``,
  ``.``; at most 20) compared case-insensitively and stored upper-case (``p2`` = ``P2``).
* A party's address is Dutch unless ``land`` says otherwise: then ``adres_postcode`` is
  free text (a foreign postcode such as ``80331``), else it must be a Dutch postcode.
* A ``persoon`` row with a ``kvk_nummer``, or an ``organisatie`` row with person columns,
  is refused: the partij_type and the columns contradict each other. ``naam`` on a
  persoon row is tolerated (and ignored): exports often fill it for every party.
* An organisation without a KvK number is identified by name + land (land default NL).
* ``besluit_datum`` may not lie before ``aanvraagdatum``; ``ten_aanzien_van`` may not name
  the party itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from graph_service.model import bibob_dossier_uid, relationship_key
from graph_service.store import Store

from . import values as v
from .base import (
    PERSON_FIELDS,
    Node,
    Prov,
    Rel,
    SourceSpec,
    address_node,
    check_address,
    check_party,
    check_period,
    enum_parser,
    organisation_ref,
    person_node,
)

__all__ = [
    "SPEC",
    "COLUMNS",
    "VERGUNNING_TYPES",
    "ROLLEN",
    "ADVIEZEN",
    "BESLUITEN",
    "check",
    "normalise",
    "record_id",
    "after_write",
    "partij_ref",
]

VERGUNNING_TYPES = ("alcoholwet", "exploitatie", "omgevingsvergunning", "vastgoed", "subsidie",
                    "aanbesteding", "overig")
ROLLEN = ("aanvrager", "bestuurder", "aandeelhouder", "uiteindelijk_belanghebbende",
          "vermogensverschaffer", "verhuurder", "zakelijke_relatie", "gemachtigde")
PARTIJ_TYPES = ("persoon", "organisatie")
ADVIEZEN = ("geen_gevaar", "mindere_mate", "ernstig_gevaar", "lopend")
BESLUITEN = ("verleend", "verleend_met_voorschriften", "geweigerd", "ingetrokken",
             "buiten_behandeling", "lopend")

_PARTIJ_REF = re.compile(r"(?a)[A-Za-z0-9][A-Za-z0-9_.-]{0,19}")
_FOREIGN_POSTCODE = re.compile(r"[\w][\w -]{0,11}")


def partij_ref(s: str) -> str:
    """A party id local to the dossier (``P1``, ``P2``, ...), upper-cased."""
    text = s.strip()
    if not _PARTIJ_REF.fullmatch(text):
        raise v.ValueInvalid(f"ongeldige partij-referentie '{s}': verwacht een korte code "
                             "zoals P1 (letters/cijfers, maximaal 20 tekens)")
    return text.upper()


COLUMNS: dict[str, Callable[[str], Any] | None] = {
    "dossier_id": None,
    "gemeentecode": v.gemeentecode,
    "aanvraagdatum": v.parse_date,
    "vergunning_type": enum_parser(VERGUNNING_TYPES, "vergunning_type"),
    "activiteit": None,
    "locatie_postcode": v.postcode,
    "locatie_huisnummer": v.huisnummer,
    "locatie_toevoeging": v.toevoeging,
    "locatie_bag_id": v.bag_id,
    "partij_ref": partij_ref,
    "rol": enum_parser(ROLLEN, "rol"),
    "ten_aanzien_van": partij_ref,
    "partij_type": enum_parser(PARTIJ_TYPES, "partij_type"),
    "kvk_nummer": v.kvk_nummer,
    "naam": None,
    # checked in ``check``: a Dutch postcode unless ``land`` names another country
    "adres_postcode": None,
    "adres_huisnummer": v.huisnummer,
    "adres_toevoeging": v.toevoeging,
    "land": v.country,
    "aandeel_pct": v.parse_pct,
    "bedrag": v.parse_amount,
    "antecedenten_opgegeven": v.parse_bool,
    "advies": enum_parser(ADVIEZEN, "advies"),
    "besluit": enum_parser(BESLUITEN, "besluit"),
    "besluit_datum": v.parse_date,
}


def _land(row: dict[str, Any]) -> str:
    return str(row.get("land") or "NL")


def _party_postcode(row: dict[str, Any]) -> str | None:
    """The party's postcode: normalised when Dutch, as written (upper-cased) abroad."""
    text = row.get("adres_postcode")
    if not text:
        return None
    if _land(row) == "NL":
        return v.postcode(text)
    return " ".join(str(text).upper().split())


def check(row: dict[str, Any], report: Callable[[str, str], None]) -> None:
    text = row.get("adres_postcode")
    if text:
        try:
            _party_postcode(row)
        except v.ValueInvalid as exc:
            report("adres_postcode", str(exc))
        else:
            if _land(row) != "NL" and not _FOREIGN_POSTCODE.fullmatch(str(text)):
                report("adres_postcode", f"ongeldige buitenlandse postcode '{text}'")
    check_address(row, report, "locatie_postcode", "locatie_huisnummer")
    check_address(row, report, "adres_postcode", "adres_huisnummer")
    check_period(row, report, "aanvraagdatum", "besluit_datum")
    check_party(row, report, "partij_type", "kvk_nummer", "", name_col="naam")
    kind = row.get("partij_type")
    if kind == "persoon" and row.get("kvk_nummer"):
        report("kvk_nummer", "KvK-nummer bij een partij van type persoon")
    if kind == "organisatie":
        for col in PERSON_FIELDS:
            if row.get(col):
                report(col, "persoonsgegevens bij een partij van type organisatie")
    ref, tav = row.get("partij_ref"), row.get("ten_aanzien_van")
    if ref and tav and ref == tav:
        report("ten_aanzien_van", f"partij {ref} kan niet ten aanzien van zichzelf optreden")


def record_id(row: dict[str, Any]) -> str:
    return f"{row['dossier_id']}/{row['partij_ref']}"


def dossier_name(dossier_id: str, activiteit: str | None, vergunning_type: str | None) -> str:
    """Display name, e.g. ``Bibob 2024-0012: horeca De Brink``.

    ``write/derive_bibob_relations`` recomputes it from the stored properties, so rows of
    one dossier that differ in whether they repeat ``activiteit`` cannot flip it.
    """
    what = activiteit or vergunning_type
    return f"Bibob {dossier_id}: {what}" if what else f"Bibob {dossier_id}"


def normalise(row: dict[str, Any]) -> Iterator[Node | Rel]:
    dossier_id = str(row["dossier_id"])
    dossier_uid = bibob_dossier_uid(dossier_id)
    yield Node("BibobDossier", dossier_uid, {
        "dossier_id": dossier_id,
        "gemeentecode": row["gemeentecode"],
        "aanvraagdatum": row["aanvraagdatum"],
        "vergunning_type": row["vergunning_type"],
        "activiteit": row["activiteit"],
        "advies": row["advies"],
        "besluit": row["besluit"],
        "besluit_datum": row["besluit_datum"],
        "name": dossier_name(dossier_id, row["activiteit"], row["vergunning_type"]),
    })
    premises = address_node(row["locatie_postcode"], row["locatie_huisnummer"],
                            row["locatie_toevoeging"], row["locatie_bag_id"])
    if premises:
        yield premises
        yield Rel("LOCATED_AT", dossier_uid, premises.uid)

    land = _land(row)
    party: Node | None
    if row["partij_type"] == "persoon":
        party = person_node(row, "", record_id(row))
    else:
        party = organisation_ref(row["kvk_nummer"], row["naam"], land)
    if party is None:  # pragma: no cover - check() refuses such rows
        return
    if row["land"]:
        party.props["land"] = land
    yield party
    addr = address_node(_party_postcode(row), row["adres_huisnummer"], row["adres_toevoeging"],
                        land=land)
    if addr:
        yield addr
        yield Rel("RESIDES_AT" if party.label == "Person" else "REGISTERED_AT",
                  party.uid, addr.uid)
    props = {
        "role": row["rol"],
        "party_ref": row["partij_ref"],
        "relative_to": row["ten_aanzien_van"],
        "share_pct": row["aandeel_pct"],
        "amount": row["bedrag"],
        "antecedenten_opgegeven": row["antecedenten_opgegeven"],
    }
    yield Rel("PARTY_TO", party.uid, dossier_uid, props,
              key=relationship_key("PARTY_TO", props))


def after_write(store: Store, batch: list[tuple[Prov, list[Node | Rel]]]) -> None:
    """Derive BIBOB_RELATION and FINANCES for every dossier this batch touched."""
    dossiers = sorted({
        str(rec.uid)
        for _, recs in batch
        for rec in recs
        if isinstance(rec, Node) and rec.label == "BibobDossier"
    })
    if dossiers:
        store.write("write/derive_bibob_relations", {"dossiers": dossiers})
        store.write("write/derive_bibob_finances", {"dossiers": dossiers})


SPEC = SourceSpec(
    name="bibob",
    columns=COLUMNS,
    required=("dossier_id", "aanvraagdatum", "vergunning_type", "partij_ref", "rol",
              "partij_type"),
    person_prefixes=("",),
    record_id=record_id,
    normalise=normalise,
    check=check,
    after_write=after_write,
)
