"""Doelbinding as data: which role may work for which purpose, and what that lets it see.

A user acts for one declared *purpose* at a time (``bibob_toets`` with a dossier number,
``riec_casus`` with a case number, ``analyse``, ``beheer``, ``audit``). :data:`POLICY` says,
for every allowed pair of role and purpose, which purpose classes of sources
(``graph_service.model.PURPOSE_CLASSES``) become visible and whether persons are
pseudonymised. A pair that is not in the table is denied: access fails closed.
:func:`resolve` turns a user's roles, the purpose and its reference into the
:class:`graph_service.store.access.Scope` that the store enforces.

The legal reasoning behind each row is in ``docs/security.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings, load_settings, secret_key
from ..errors import AccessDenied
from ..store.access import Scope
from .files import security_dir

__all__ = [
    "ROLES",
    "PURPOSES",
    "POLICY",
    "JUDGES",
    "may_judge",
    "Purpose",
    "Grant",
    "grant_for",
    "allowed",
    "check_reference",
    "resolve",
    "pseudonym_key",
]

ROLES: tuple[str, ...] = ("bibob_officer", "riec_liaison", "analyst", "admin", "auditor")

ROLE_TITLES: dict[str, str] = {
    "bibob_officer": "Bibob-medewerker",
    "riec_liaison": "RIEC-contactpersoon",
    "analyst": "analist",
    "admin": "beheerder",
    "auditor": "auditor",
}


@dataclass(frozen=True)
class Purpose:
    """A declared purpose (doel) and the reference it requires, if any."""

    name: str
    title: str
    reference: str | None = None  # what the reference is, e.g. "dossiernummer"; None: optional


PURPOSES: dict[str, Purpose] = {
    p.name: p
    for p in (
        Purpose("bibob_toets", "Bibob-toets van een aanvraag", "dossiernummer"),
        Purpose("riec_casus", "RIEC-casus", "casusnummer"),
        Purpose("analyse", "analyse (gepseudonimiseerd)"),
        Purpose("beheer", "beheer (gebruikers, bewaartermijnen)"),
        Purpose("audit", "audit van het logboek"),
    )
}


@dataclass(frozen=True)
class Grant:
    """What one role may see when it works for one purpose."""

    visible: frozenset[str]
    pseudonymise: bool = False
    basis: str = ""  # why, in a few words (docs/security.md has the long form)


_OPEN_MUNICIPAL = frozenset({"open", "municipal"})

# outside sanctions and PEP lists (source ftm): seen where a named person or dossier is
# tested (Bibob-toets, RIEC-casus), never in pseudonymised analysis (docs/security.md)
_LISTS = frozenset({"sanctions"})

POLICY: dict[tuple[str, str], Grant] = {
    ("bibob_officer", "bibob_toets"): Grant(
        _OPEN_MUNICIPAL | _LISTS | {"bibob"}, basis="Wet Bibob art. 28: de eigen toets"),
    ("riec_liaison", "riec_casus"): Grant(
        _OPEN_MUNICIPAL | _LISTS | {"riec"}, basis="RIEC-convenant: casus"),
    ("riec_liaison", "bibob_toets"): Grant(
        _OPEN_MUNICIPAL | _LISTS | {"bibob", "riec"},
        basis="Wet Bibob art. 28 lid 2: RIEC ondersteunt de toepassing van de wet"),
    ("analyst", "analyse"): Grant(
        _OPEN_MUNICIPAL, pseudonymise=True, basis="analyse zonder herleidbare personen"),
    ("analyst", "riec_casus"): Grant(
        _OPEN_MUNICIPAL | _LISTS | {"riec"}, basis="RIEC-convenant: analyse binnen een casus"),
    ("admin", "beheer"): Grant(frozenset(), basis="beheer: geen persoonsgegevens"),
    ("auditor", "audit"): Grant(frozenset(), basis="audit: alleen het logboek"),
}

#: Role and purpose pairs that may decide whether two records are one person or organisation
#: (look-alike pairs, graph_service.risk.judgements; docs/security.md, "Beoordelen van
#: mogelijke dubbelen"): those who work on a named dossier or case and see persons
#: unpseudonymised. An analyst (pseudonymised under analyse), the administrator and the
#: auditor decide nothing.
JUDGES: frozenset[tuple[str, str]] = frozenset({
    ("bibob_officer", "bibob_toets"),
    ("riec_liaison", "bibob_toets"),
    ("riec_liaison", "riec_casus"),
})


def may_judge(roles: Iterable[str], purpose: str | None) -> bool:
    """True when one of ``roles`` may decide on look-alike pairs for ``purpose``."""
    return any((r, purpose) in JUDGES for r in roles)


_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}")


def grant_for(role: str, purpose: str) -> Grant | None:
    """The grant of ``role`` for ``purpose``, or None when the pair is denied."""
    return POLICY.get((role, purpose))


def allowed(roles: Iterable[str], purpose: str) -> bool:
    """True when at least one of ``roles`` may work for ``purpose``."""
    return any((r, purpose) in POLICY for r in roles)


def check_reference(purpose: str, reference: str | None) -> str | None:
    """The cleaned reference; raises :class:`AccessDenied` when it is required or malformed."""
    spec = PURPOSES.get(purpose)
    if spec is None:
        raise AccessDenied(
            f"onbekend doel {purpose!r}; kies uit: {', '.join(PURPOSES)}")
    ref = (reference or "").strip() or None
    if ref is None:
        if spec.reference:
            raise AccessDenied(f"doel {purpose} vraagt een {spec.reference} als referentie")
        return None
    if not _REFERENCE.fullmatch(ref):
        raise AccessDenied(
            "referentie mag alleen letters, cijfers en . _ / - bevatten (hoogstens 64 tekens)")
    return ref


def pseudonym_key(settings: Settings | None = None, env: Mapping[str, str] | None = None) -> bytes:
    """The key of the pseudonyms: ``ONDERGRAAF_PSEUDONYM_KEY`` or ``security/pseudonym.key``."""
    settings = settings or load_settings(env)
    path: Path = security_dir(settings) / "pseudonym.key"
    return secret_key("PSEUDONYM_KEY", path, env)


def resolve(
    user_roles: Iterable[str],
    purpose: str,
    reference: str | None = None,
    *,
    settings: Settings | None = None,
    env: Mapping[str, str] | None = None,
) -> Scope:
    """The access scope of a user with ``user_roles`` working for ``purpose``.

    Of the user's roles, those that may work for the purpose count: the scope sees the
    purpose classes any of them grants, and pseudonymises persons only when all of them
    do. Raises :class:`AccessDenied` (with a Dutch message) for an unknown purpose, a
    missing or malformed reference, or roles that may not work for the purpose.

    >>> resolve(["bibob_officer"], "bibob_toets", "2024-0012").visible == {
    ...     "open", "municipal", "bibob"}
    True
    """
    roles = sorted(set(user_roles))
    ref = check_reference(purpose, reference)
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise AccessDenied(f"onbekende rol(len): {', '.join(unknown)}")
    grants = [(r, g) for r in roles if (g := grant_for(r, purpose)) is not None]
    if not grants:
        held = ", ".join(ROLE_TITLES[r] for r in roles) or "geen rol"
        raise AccessDenied(
            f"met {held} mag u niet werken voor het doel {PURPOSES[purpose].title}")
    visible = frozenset(c for _, g in grants for c in g.visible)
    pseudonymise = all(g.pseudonymise for _, g in grants)
    key = pseudonym_key(settings, env) if pseudonymise else b""
    label = f"{'+'.join(r for r, _ in grants)}/{purpose}" + (f":{ref}" if ref else "")
    return Scope(visible=visible, pseudonymise=pseudonymise, pseudonym_key=key, label=label)
