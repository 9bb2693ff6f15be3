"""The contract of the five source files (``docs/formats.md``) as the generator writes them.

Column names in contract order per file, the optional provenance columns that follow them,
the enumerations the generator draws from, the indicator codes of ``docs/indicators.md``
with what each fires on, and the CSV writer that puts every row in its file's column order.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

__all__ = [
    "KVK_COLUMNS",
    "BIBOB_COLUMNS",
    "PARK_COLUMNS",
    "SHED_COLUMNS",
    "RIEC_COLUMNS",
    "CONTRACT_COLUMNS",
    "FILE_COLUMNS",
    "RECHTSVORMEN",
    "STATUSES",
    "FUNCTIES",
    "VERGUNNING_TYPES",
    "PARTNERS",
    "INDICATOR_CODES",
    "PLANTED_CAP",
    "rsin_valid",
    "CsvSink",
]

def _person_cols(prefix: str) -> tuple[str, ...]:
    return tuple(
        f"{prefix}{c}" for c in ("voornamen", "voorvoegsel", "geslachtsnaam", "geboortedatum")
    )


KVK_COLUMNS: tuple[str, ...] = (
    "kvk_nummer",
    "naam",
    "rechtsvorm",
    "rsin",
    "sbi_code",
    "datum_aanvang",
    "datum_einde",
    "status",
    "adres_straat",
    "adres_huisnummer",
    "adres_toevoeging",
    "adres_postcode",
    "adres_plaats",
    "adres_bag_id",
    "functionaris_type",
    "functionaris_kvk",
    *_person_cols("functionaris_"),
    "functie",
    "aandeel_pct",
    "functie_van",
    "functie_tot",
)
BIBOB_COLUMNS: tuple[str, ...] = (
    "dossier_id",
    "gemeentecode",
    "aanvraagdatum",
    "vergunning_type",
    "activiteit",
    "locatie_postcode",
    "locatie_huisnummer",
    "locatie_toevoeging",
    "locatie_bag_id",
    "partij_ref",
    "rol",
    "ten_aanzien_van",
    "partij_type",
    "kvk_nummer",
    "naam",
    *_person_cols(""),
    "adres_postcode",
    "adres_huisnummer",
    "adres_toevoeging",
    "land",
    "aandeel_pct",
    "bedrag",
    "antecedenten_opgegeven",
    "advies",
    "besluit",
    "besluit_datum",
)
PARK_COLUMNS: tuple[str, ...] = (
    "park_id",
    "park_naam",
    "park_postcode",
    "park_huisnummer",
    "park_plaats",
    "park_bag_id",
    "exploitant_kvk",
    "permanente_bewoning_toegestaan",
    "vitaliteit",
    "eenheid_id",
    "eenheid_type",
    "eenheid_bag_id",
    "eigenaar_type",
    "eigenaar_kvk",
    *_person_cols("eigenaar_"),
    "eigenaar_land",
    *_person_cols("bewoner_"),
    "bewoner_nationaliteit",
    "brp_ingeschreven",
    "inschrijfdatum",
    "werkgever_kvk",
)
SHED_COLUMNS: tuple[str, ...] = (
    "object_id",
    "objecttype",
    "postcode",
    "huisnummer",
    "toevoeging",
    "plaats",
    "bag_id",
    "kadastraal_perceel",
    "oppervlakte_m2",
    "leegstaand_sinds",
    "eigenaar_type",
    "eigenaar_kvk",
    *_person_cols("eigenaar_"),
    "eigenaar_agrarisch_actief",
    "huurder_type",
    "huurder_kvk",
    *_person_cols("huurder_"),
    "huur_pm",
    "betaalwijze",
    "huur_start",
    "huur_eind",
    "opgegeven_gebruik",
    "laatste_controle",
    "bevinding",
)
RIEC_COLUMNS: tuple[str, ...] = (
    "signaal_id",
    "ontvangstdatum",
    "partner",
    "thema",
    "omschrijving",
    "status",
    "casus_id",
    "entiteit_type",
    "rol",
    "kvk_nummer",
    *_person_cols(""),
    "postcode",
    "huisnummer",
    "toevoeging",
    "bag_id",
    "object_id",
    "park_id",
    "betrouwbaarheid_bron",
    "betrouwbaarheid_info",
    "bewaren_tot",
)
CONTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "kvk": KVK_COLUMNS,
    "bibob": BIBOB_COLUMNS,
    "vakantieparken": PARK_COLUMNS,
    "schuren": SHED_COLUMNS,
    "riec": RIEC_COLUMNS,
}
_PROVENANCE = ("peildatum", "betrouwbaarheid_bron", "betrouwbaarheid_info")
FILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "kvk": KVK_COLUMNS + _PROVENANCE,
    "bibob": BIBOB_COLUMNS + _PROVENANCE,
    "vakantieparken": PARK_COLUMNS + _PROVENANCE,
    "schuren": SHED_COLUMNS + _PROVENANCE,
    "riec": RIEC_COLUMNS,
}

RECHTSVORMEN = (
    "eenmanszaak",
    "vof",
    "bv",
    "nv",
    "stichting",
    "vereniging",
    "cooperatie",
    "buitenlands",
)
STATUSES = ("actief", "opgeheven", "failliet")
FUNCTIES = (
    "bestuurder",
    "aandeelhouder",
    "enig_aandeelhouder",
    "commissaris",
    "gevolmachtigde",
    "vennoot",
)
VERGUNNING_TYPES = (
    "alcoholwet",
    "exploitatie",
    "omgevingsvergunning",
    "vastgoed",
    "subsidie",
    "aanbesteding",
    "overig",
)
PARTNERS = (
    "gemeente",
    "politie",
    "belastingdienst",
    "nla",
    "uwv",
    "om",
    "fiod",
    "kmar",
    "ind",
    "mma",
    "overig",
)

INDICATOR_CODES: tuple[tuple[str, str], ...] = (
    ("STRAW_MAN", "person"),
    ("MASS_REGISTRATION", "address"),
    ("PHOENIX_PATTERN", "person"),
    ("BIBOB_RELATED_SIGNAL", "dossier"),
    ("BIBOB_UNDECLARED_OFFICER", "dossier"),
    ("BIBOB_PRIVATE_FINANCIER", "dossier"),
    ("SHED_SUSPICIOUS_LEASE", "shed"),
    ("SHED_TENANT_SIGNAL", "shed"),
    ("SHED_VULNERABLE_OWNER", "shed"),
    ("PARK_OVERCROWDING", "unit"),
    ("PARK_EMPLOYER_HOUSING", "unit"),
    ("PARK_OWNER_CONCENTRATION", "person/organisation"),
    ("COMPANY_ON_PARK", "organisation"),
    ("MULTI_PARTNER_SIGNALS", "any"),
    ("SIGNAL_NETWORK", "person/organisation"),
)
PLANTED_CAP = 50  # keys listed per indicator and list in planted.json


def rsin_valid(rsin: str) -> bool:
    """Return True when ``rsin`` is 9 digits and passes the elfproef.

    >>> rsin_valid("111222333")
    True
    >>> rsin_valid("111222334")
    False
    """
    if len(rsin) != 9 or not rsin.isdigit():
        return False
    total = sum(int(d) * (9 - i) for i, d in enumerate(rsin[:8]))
    return (total - int(rsin[8])) % 11 == 0


class CsvSink:
    """One CSV file: header once, then rows given as dicts (missing columns are empty)."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.columns = tuple(columns)
        # held open across many writes; generate() closes it in a finally block
        self._fh: IO[str] = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._w = csv.writer(self._fh, lineterminator="\n")
        self._w.writerow(self.columns)
        self.rows = 0

    def write(self, row: dict[str, Any]) -> None:
        self._w.writerow([row.get(c, "") for c in self.columns])
        self.rows += 1

    def close(self) -> None:
        self._fh.close()
