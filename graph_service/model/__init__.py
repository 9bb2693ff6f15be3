"""The graph model as data: labels, relationship types, sources and their provenance rules.

These tuples are the allow-lists: a label or relationship type that a user names (a filter
in the API, say) must be one of these, and it always travels as a parameter, never as text
spliced into Cypher. See ``docs/graph-model.md`` for the meaning of every property.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LABELS", "REL_TYPES", "SOURCES", "Source", "PURPOSE_CLASSES", "UID_PREFIX",
           "MATCH_KEY_PROPERTIES", "MATCHING_PROPERTIES", "dossier_uid"]

#: Person properties that only serve matching (loaders.names): the look-alike blocking keys
#: (``match_keys``) and the identity and candidate keys. They spell surname, initial and
#: birth date, are never shown to users and are stripped from every filtered read.
MATCH_KEY_PROPERTIES: tuple[str, ...] = (
    "mk_ym", "mk_yd", "mk_md", "mk_swap", "mk_birth", "mk_nodate")
MATCHING_PROPERTIES: tuple[str, ...] = ("name_key", "candidate_key", *MATCH_KEY_PROPERTIES)

LABELS: tuple[str, ...] = (
    "Person",
    "Organisation",
    "Address",
    "RuralObject",
    "HolidayPark",
    "ParkUnit",
    "BibobDossier",
    "Signal",
)

REL_TYPES: tuple[str, ...] = (
    "FUNCTIONARY_OF",  # (Person|Organisation)->(Organisation) {role, share_pct, valid_*}
    "REGISTERED_AT",  # (Organisation)->(Address) {valid_from, valid_to}
    "RESIDES_AT",  # (Person)->(Address): a party's address in a Bibob dossier
    "LOCATED_AT",  # (HolidayPark|ParkUnit|RuralObject|BibobDossier)->(Address)
    "OWNS",  # (Person|Organisation)->(ParkUnit|RuralObject)
    "RENTS",  # (Person|Organisation)->(RuralObject) {rent_pm, payment, declared_use, ...}
    "OCCUPIES",  # (Person)->(ParkUnit) {brp, since}
    "EMPLOYED_BY",  # (Person)->(Organisation)
    "OPERATES",  # (Organisation)->(HolidayPark)
    "UNIT_OF",  # (ParkUnit)->(HolidayPark)
    "PARTY_TO",  # (Person|Organisation)->(BibobDossier) {role, party_ref, relative_to, ...}
    "BIBOB_RELATION",  # party->party as declared in a dossier {role, dossier_id}
    "FINANCES",  # (Person|Organisation)->(Person|Organisation) {amount, dossier_id}
    "CONCERNS",  # (Signal)->(any) {role}
    "POSSIBLE_SAME_AS",  # (Person)->(Person) {score, reason}: for a human to confirm
)

# Purpose classes of sources (who may see a fact, see graph_service.security):
PURPOSE_CLASSES: tuple[str, ...] = ("open", "bibob", "riec", "municipal")


@dataclass(frozen=True)
class Source:
    """A source file kind and the provenance defaults of its facts."""

    name: str
    purpose_class: str
    default_grade: str  # Admiralty code: source reliability A-F (X = not graded) + info 1-6


SOURCES: dict[str, Source] = {
    "kvk": Source("kvk", "open", "A1"),
    "bibob": Source("bibob", "bibob", "B2"),
    "vakantieparken": Source("vakantieparken", "municipal", "B2"),
    "schuren": Source("schuren", "municipal", "B2"),
    "riec": Source("riec", "riec", "X6"),
}

UID_PREFIX: dict[str, str] = {
    "Person": "person:",
    "Organisation": "kvk:",
    "Address": "addr:",
    "RuralObject": "object:",
    "HolidayPark": "park:",
    "ParkUnit": "unit:",
    "BibobDossier": "dossier:",
    "Signal": "signal:",
}


def dossier_uid(dossier_id: str) -> str:
    """``2025-0012`` or ``dossier:2025-0012`` -> ``dossier:2025-0012``."""
    prefix = UID_PREFIX["BibobDossier"]
    text = dossier_id.strip()
    return text if text.startswith(prefix) else f"{prefix}{text}"
