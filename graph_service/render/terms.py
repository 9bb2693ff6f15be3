"""Dutch words for what users read: property names, values, thresholds, audiences,
sources and municipalities. The one table of display names beside the model.

Labels (``Persoon``) and relationship types (``functionaris van``) take their Dutch names
from the model file (:mod:`graph_service.model`, ``style.name`` and ``title``); everything
else a page, a print, an export or a notebook table shows comes from here, so no page shows
an internal field name (``bewaren_tot``), a code (``GM1701``) or a value as stored
(``geen_gevaar``).

Examples
--------
>>> prop_name("bewaren_tot"), prop_name("iets_nieuws")
('bewaren tot', 'iets nieuws')
>>> value_text("gemeentecode", "GM1701"), value_text("bevinding", "geen_gevaar")
('Westerveld', 'geen gevaar')
>>> threshold_text("min_orgs", 10), threshold_text("min_amount", 50000)
('ten minste 10 organisaties', 'bedrag ten minste € 50.000')
>>> audience("riec_liaison"), audience("bibob")
('RIEC-contactpersoon', 'Bibob-medewerkers')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from ..errors import NotFound
from ..model import SOURCES
from . import identity

__all__ = [
    "PROP_NAMES",
    "MUNICIPALITIES",
    "SOURCE_NAMES",
    "THRESHOLDS",
    "AUDIENCES",
    "COLUMN_NAMES",
    "prop_name",
    "value_text",
    "number",
    "municipality",
    "source_name",
    "threshold_text",
    "audience",
    "column_name",
    "dutch_not_found",
]

#: Dutch names of node and relationship properties (what is not here: ``_`` -> space).
PROP_NAMES: Mapping[str, str] = {
    # relationships
    "role": "rol",
    "share_pct": "aandeel %",
    "amount": "bedrag",
    "rent_pm": "huur per maand",
    "payment": "betaling",
    "declared_use": "opgegeven gebruik",
    "brp": "BRP-inschrijving",
    "since": "sinds",
    "dossier_id": "dossiernummer",
    "score": "score",
    "reason": "reden",
    "valid_from": "geldig vanaf",
    "valid_to": "geldig tot",
    "party_ref": "partij in het dossier",
    "relative_to": "ten aanzien van",
    "antecedenten_opgegeven": "antecedenten opgegeven",
    "kvk_confirmed": "bevestigd door KvK",
    # nodes
    "name": "naam",
    "kvk_nummer": "KvK-nummer",
    "rsin": "RSIN",
    "sbi_code": "SBI-code",
    "datum_aanvang": "datum aanvang",
    "datum_einde": "datum einde",
    "bag_id": "BAG-id",
    "oppervlakte_m2": "oppervlakte (m²)",
    "leegstaand_sinds": "leegstaand sinds",
    "eigenaar_agrarisch_actief": "eigenaar agrarisch actief",
    "kadastraal_perceel": "kadastraal perceel",
    "permanente_bewoning_toegestaan": "permanente bewoning toegestaan",
    "eenheid_type": "soort eenheid",
    "gemeentecode": "gemeente",
    "vergunning_type": "soort vergunning",
    "besluit_datum": "besluitdatum",
    "bewaren_tot": "bewaren tot",
    "casus_id": "casusnummer",
    "signaal_id": "signaalnummer",
    "object_id": "objectnummer",
    "park_id": "parkcode",
    "laatste_controle": "laatste controle",
    "opgegeven_gebruik": "opgegeven gebruik",
    "uid": "kenmerk",
    "judgement": "oordeel",  # SAME_AS: the confirmation it rests on
    # entries of an outside list (source ftm, docs/ftm.md)
    "ftm_id": "kenmerk op de lijst",
    "ftm_schema": "soort op de lijst",
    "list_topics": "vermeld als",
    "list_programs": "sanctieprogramma",
    "list_datasets": "lijsten",
    "aliases": "ook bekend als",
    "registration_number": "registratienummer",
    # provenance
    "sources": "bronnen",
    "source_records": "bronrecords",
    "first_seen": "eerst gezien",
    "last_seen": "laatst gezien",
    "grades": "betrouwbaarheid",
}

#: CBS municipality codes of the data (``gemeenten.json``, read by :mod:`.identity`).
MUNICIPALITIES: Mapping[str, str] = identity.municipalities()

#: Sources as users name them, from the model file (``name`` of every source).
SOURCE_NAMES: Mapping[str, str] = {name: s.title for name, s in SOURCES.items()}

#: Indicator thresholds: (what it means, unit or None); :func:`threshold_text` words them.
THRESHOLDS: Mapping[str, tuple[str, str | None]] = {
    "min_amount": ("bedrag ten minste", "€"),
    "min_occupants": ("ten minste {} bewoners", None),
    "min_orgs": ("ten minste {} organisaties", None),
    "max_lifetime_months": ("bestaan hoogstens {} maanden", None),
    "window_months": ("binnen {} maanden", None),
    "min_partners": ("van ten minste {} partners", None),
    "min_persons": ("ten minste {} personen", None),
    "min_subjects": ("ten minste {} betrokkenen", None),
    "min_units": ("ten minste {} eenheden", None),
    "new_tenancy_months": ("huur korter dan {} maanden", None),
    "vacancy_months": ("leegstand langer dan {} maanden", None),
    "rent_factor": ("huur ten minste {} × de mediaan", None),
    "min_score": ("overeenkomst ten minste {}", None),
}

#: Who an indicator is for (its ``users``: roles and teams).
AUDIENCES: Mapping[str, str] = {
    "analyst": "analisten",
    "analist": "analisten",
    "bibob": "Bibob-medewerkers",
    "bibob_officer": "Bibob-medewerkers",
    "riec": "RIEC",
    "riec_liaison": "RIEC-contactpersoon",
    "handhaving": "handhaving",
    "arbeidsuitbuiting": "team arbeidsuitbuiting",
    "admin": "beheerders",
    "auditor": "auditors",
}

#: Column headers of tables (exports, notebooks) by the field they show.
COLUMN_NAMES: Mapping[str, str] = {
    **PROP_NAMES,
    "label": "soort",
    "hops": "stappen",
    "code": "indicatorcode",
    "title": "indicator",
    "severity": "ernst",
    "measure": "maat",
    "best_grade": "beste betrouwbaarheid",
    "entity": "entiteit",
    "via": "via",
    "paths": "paden",
    "degree": "aantal verbindingen",
    "betweenness": "tussenpositie",
    "pagerank": "invloed",
    "community": "groep",
    "size": "omvang",
    "count": "aantal",
    "rank": "plaats",
    "units": "eenheden",
    "organisations": "organisaties",
    "persons": "personen",
    "signals": "signalen",
    # the analysis tables of the notebooks
    "a": "van", "b": "naar", "a_name": "naam van", "b_name": "naam naar",
    "agrarisch": "agrarisch", "brp": "BRP-inschrijvingen", "centre": "middelpunt",
    "centre_uid": "kenmerk middelpunt", "current": "lopend",
    "degree_centrality": "verbondenheid", "employees_housed": "gehuisveste werknemers",
    "employer": "werkgever", "employers": "werkgevers", "hits": "treffers",
    "linked_communities": "verbonden groepen", "linked_to_owner": "verbonden met eigenaar",
    "max_brp_unit": "meeste inschrijvingen op één eenheid", "object": "object",
    "occupants": "bewoners", "owner": "eigenaar", "owners": "eigenaren", "park": "park",
    "rent_m2": "huur per m²", "share": "aandeel", "tenant": "huurder",
    "tenant_label": "soort huurder", "tenant_name": "naam huurder",
    "top_owner_units": "eenheden grootste eigenaar", "unit": "eenheid",
    "with_hits": "met treffers", "wonen_toegestaan": "wonen toegestaan",
    "beste_graad": "beste betrouwbaarheid", "graad": "betrouwbaarheid",
    "labels": "soorten", "types": "relaties",
}

_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


def prop_name(key: str) -> str:
    """The Dutch name of a property; unknown ones with spaces for underscores."""
    return PROP_NAMES.get(key) or key.replace("_", " ")


def column_name(key: str) -> str:
    """The Dutch header of a table column for the field ``key``."""
    return COLUMN_NAMES.get(key) or key.replace("_", " ")


def municipality(code: Any) -> str:
    """The municipality's name for a CBS code (``GM1701`` -> ``Westerveld``)."""
    text = str(code or "").strip()
    return identity.municipality_name(text) or text


def source_name(source: Any) -> str:
    """A source as users name it (``kvk`` -> ``KvK``)."""
    return SOURCE_NAMES.get(str(source), str(source))


def number(value: int | float) -> str:
    """A number the Dutch way: ``50.000``, ``2,5``."""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def value_text(key: str | None, value: Any) -> str:
    """A property value as a page shows it: ja/nee, Dutch numbers, lists joined,
    municipality names, source names, stored words (``geen_gevaar``) with spaces."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(value_text(key, v) for v in value)
    text = str(value)
    if key == "gemeentecode":
        return municipality(text)
    if key == "sources":
        return source_name(text)
    if _SNAKE.fullmatch(text):
        return text.replace("_", " ")
    return text


def threshold_text(name: str, value: Any) -> str:
    """One threshold in words (``min_orgs=10`` -> ``ten minste 10 organisaties``)."""
    shown = number(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else str(value)
    spec = THRESHOLDS.get(name)
    if spec is None:
        return f"{name.replace('_', ' ')}: {shown}"
    words, unit = spec
    if "{}" in words:
        return words.format(shown)
    return f"{words} {unit} {shown}" if unit == "€" else f"{words} {shown} {unit or ''}".strip()


def audience(name: str) -> str:
    """Who an indicator is for, in Dutch (a role or team name)."""
    return AUDIENCES.get(name) or name.replace("_", " ")


_NO_ENTITY = re.compile(r"^no entity with uid '?(.*?)'?$")


@contextmanager
def dutch_not_found() -> Iterator[None]:
    """The query layer says in English (for developers) that a uid is unknown; pages say it
    in Dutch: ``NotFound("no entity with uid 'x'")`` becomes "geen entiteit met kenmerk x"."""
    try:
        yield
    except NotFound as exc:
        match = _NO_ENTITY.match(str(exc))
        if match is None:
            raise
        raise NotFound(f"geen entiteit met kenmerk {match.group(1)}") from None
