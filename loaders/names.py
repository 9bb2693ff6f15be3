"""Dutch person-name normalisation and the person matching key.

Contract (docs/formats.md, "How records meet"): a person is never matched on name
alone.  Same normalised geslachtsnaam (voorvoegsel split off, diacritics and case
folded, ``v.d.``/``vd`` = ``van der``, ``'t`` = ``het``), same first initial and
same geboortedatum = same person.

Decisions:

* The voorvoegsel is **not** part of the identity key.  Exports disagree on where
  the particle goes (own column, in front of the surname, as a ", van der" suffix,
  capitalised "De Vries" as one surname), so "de Vries" and "Vries" with the same
  initial and birth date are the same person.  :func:`split_surname` still returns
  the canonical voorvoegsel so it can be stored and shown.
* The key is ``"<surname>|<initial>|<geboortedatum>"`` (folded surname without
  voorvoegsel, folded first initial, ISO date).  A key needs a surname and a birth
  date; a missing first name gives an empty initial, which only equals another
  empty initial.
* :func:`person_uid` (the model's builder, ``graph_service.model``, re-exported here) is
  ``"person:k:"`` + 16 hex characters of an HMAC-SHA256 of the key under the deployment's
  identity key: stable across runs and machines of one deployment, it does not show the
  name, and without the key it cannot be computed from a name and a birth date.
* Unknown voorvoegsels (the BRP Tabel 36 is longer than the list here) are kept in
  folded form by :func:`normalise_voorvoegsel`; only the known list is split off
  the front of a geslachtsnaam.  A particle is never split off when nothing would
  remain (a surname "Le" or "De" stays the surname).
* Look-alikes are only *candidates* for human review (:func:`similarity`); they
  never merge.  The loader finds them through the blocking keys of
  :func:`match_keys` (stored on Person as ``mk_*`` properties, index-backed, never
  shown): every pair :func:`similarity` scores in (0, 1) shares at least one block,
  so a batch reads only the persons it can pair with instead of whole name groups.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from graph_service.model import MATCH_KEY_PROPERTIES, person_uid
from loaders.values import ValueInvalid, parse_date

__all__ = [
    "VOORVOEGSELS",
    "PersonParts",
    "fold",
    "normalise_voorvoegsel",
    "split_surname",
    "first_initial",
    "person_key",
    "person_uid",
    "display_name",
    "candidate_key",
    "MATCH_KEYS",
    "match_keys",
    "levenshtein",
    "similarity",
]

# Canonical (folded) voorvoegsels that are split off the front of a surname.
VOORVOEGSELS: frozenset[str] = frozenset({
    "van", "van de", "van der", "van den", "van het", "van de la",
    "de", "den", "der", "het", "ter", "ten", "te", "de la",
    "in het", "in de", "in den", "op de", "op den", "op het", "op ten",
    "aan de", "aan den", "aan het", "uit de", "uit den", "uit het",
    "von", "vom", "von der", "von dem", "zu", "von und zu",
    "la", "le", "l'", "d'", "du", "da", "di", "del", "della", "dos", "das",
})

# Letters that NFKD does not decompose into a base letter + combining mark.
_LETTER_MAP = str.maketrans({
    "ß": "ss", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "Þ": "th", "ı": "i",
})
_APOSTROPHES = re.compile(r"[’‘`´ʼ′]")

# Abbreviations, applied to raw text (case-insensitive) before tokenising.
_ABBREVIATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bv\s*[./]\s*d\b\.?", re.IGNORECASE), "van der "),  # v.d. v/d v. d.
    (re.compile(r"\bvd\b\.?", re.IGNORECASE), "van der "),
    (re.compile(r"\bv\.\s*", re.IGNORECASE), "van "),  # v. Berg, v.den Berg
    (re.compile(r"\b([dl])'(?=[^\W\d_])", re.IGNORECASE), r"\1' "),  # d'Ancona
)


# The name functions below are pure and a load calls them for every person mention (and
# again for every look-alike pair): names repeat, so a bounded cache halves the Python
# time of a load (2.6k -> 4.9k rows/s for read + validate + normalise at 100k,
# docs/benchmarks.md).
_CACHE = 1 << 16


@lru_cache(maxsize=_CACHE)
def fold(s: str | None) -> str:
    """NFKD, strip diacritics, lower-case, keep letters/digits/space/-/', collapse spaces."""
    if not s:
        return ""
    text = _APOSTROPHES.sub("'", s).translate(_LETTER_MAP)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = "".join(c for c in text if c.isalnum() or c in " -'" or c.isspace())
    text = re.sub(r"\s*-\s*", "-", text)
    return " ".join(text.split())


@lru_cache(maxsize=_CACHE)
def _expand(s: str) -> str:
    """Unify apostrophes and expand v.d./vd/v/d/v. before folding."""
    text = _APOSTROPHES.sub("'", s)
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return text


def _canon_tokens(tokens: list[str]) -> str:
    """Join folded tokens, reading ``'t`` as ``het``."""
    return " ".join("het" if t == "'t" else t for t in tokens)


@lru_cache(maxsize=_CACHE)
def normalise_voorvoegsel(s: str | None) -> str:
    """Canonical folded voorvoegsel ("V.d." -> "van der", "'t" -> "het"); "" if empty."""
    if not s:
        return ""
    return _canon_tokens(fold(_expand(s)).split())


def _front_particles(tokens: list[str]) -> int:
    """Number of leading tokens forming a known voorvoegsel (at least one token remains)."""
    folded = [fold(t) for t in tokens]
    for n in (3, 2, 1):
        if n < len(tokens) and _canon_tokens(folded[:n]) in VOORVOEGSELS:
            return n
    return 0


class _RawSplit(NamedTuple):
    front: str  # particle(s) found in front of the surname, original text
    rest: str  # surname without particles, original text
    suffix: str  # particle after a comma ("Berg, van der"), original text


@lru_cache(maxsize=_CACHE)
def _split_raw(geslachtsnaam: str | None) -> _RawSplit:
    text = _expand(geslachtsnaam or "")
    suffix = ""
    if "," in text:
        base, _, tail = text.rpartition(",")
        if normalise_voorvoegsel(tail) in VOORVOEGSELS and base.strip():
            text, suffix = base, " ".join(tail.split())
        else:
            text = f"{base} {tail}"
    tokens = text.split()
    n = _front_particles(tokens)
    return _RawSplit(" ".join(tokens[:n]), " ".join(tokens[n:]), suffix)


def _merge_particles(parts: list[str]) -> str:
    """Combine canonical particles from the column, the front and the suffix.

    When one is a word-prefix/suffix of the other the longer wins (column "van der"
    with surname "der Berg"), otherwise they are joined (column "van" + "der Berg").
    """
    merged = ""
    for part in parts:
        if not part:
            continue
        a, b = f" {merged} ", f" {part} "
        if not merged or b.startswith(a) or b.endswith(a):
            merged = part
        elif not (a.startswith(b) or a.endswith(b)):
            merged = f"{merged} {part}"
    return merged


@lru_cache(maxsize=_CACHE)
def split_surname(geslachtsnaam: str | None, voorvoegsel: str | None) -> tuple[str, str]:
    """Return (canonical voorvoegsel, folded geslachtsnaam without voorvoegsel).

    The voorvoegsel may come in its own column, in front of the surname
    ("van der Berg", "v.d. Berg", "vd Berg") or as a suffix ("Berg, van der").
    """
    raw = _split_raw(geslachtsnaam)
    particles = [normalise_voorvoegsel(p) for p in (voorvoegsel, raw.front, raw.suffix)]
    return _merge_particles(particles), fold(raw.rest)


@lru_cache(maxsize=_CACHE)
def first_initial(voornamen: str | None) -> str:
    """Folded first letter of the first given name ("Jan Piet" and "J.P." -> "j")."""
    for c in fold(voornamen):
        if c.isalpha():
            return c
    return ""


@lru_cache(maxsize=_CACHE)
def person_key(voornamen: str | None, voorvoegsel: str | None,
               geslachtsnaam: str | None, geboortedatum_iso: str | None) -> str:
    """Identity key ``"<surname>|<initial>|<geboortedatum>"`` (voorvoegsel not included).

    Raises :class:`ValueInvalid` without a surname or a valid birth date: a person
    is never identified by name alone.
    """
    _, surname = split_surname(geslachtsnaam, voorvoegsel)
    if not surname:
        raise ValueInvalid("geslachtsnaam ontbreekt: persoon niet te identificeren")
    if not geboortedatum_iso or not geboortedatum_iso.strip():
        raise ValueInvalid("geboortedatum ontbreekt: persoon niet te identificeren")
    return f"{surname}|{first_initial(voornamen)}|{parse_date(geboortedatum_iso)}"


@lru_cache(maxsize=_CACHE)
def display_name(voornamen: str | None, voorvoegsel: str | None,
                 geslachtsnaam: str | None) -> str:
    """Readable name, e.g. "Jan van der Berg": original casing, voorvoegsel lower-case.

    A ", van der" suffix is moved to the front and abbreviations are written out.
    """
    raw = _split_raw(geslachtsnaam)
    sources = (voorvoegsel or "", raw.front, raw.suffix)
    particles = [_written_particle(p) for p in sources]
    vv = _merge_particles(particles)
    surname = f"{vv}{raw.rest}" if vv.endswith("'") else f"{vv} {raw.rest}"
    return " ".join(f"{voornamen or ''} {surname}".split())


@lru_cache(maxsize=_CACHE)
def _written_particle(text: str) -> str:
    """A voorvoegsel as :func:`display_name` writes it: expanded, lower case, single spaces."""
    return " ".join(_expand(text).split()).lower()


@lru_cache(maxsize=_CACHE)
def surname_as_written(geslachtsnaam: str | None) -> str:
    """The surname without any particle written inside the column, original casing."""
    return _split_raw(geslachtsnaam).rest


@lru_cache(maxsize=_CACHE)
def candidate_key(voornamen: str | None, voorvoegsel: str | None,
                  geslachtsnaam: str | None) -> str:
    """Name-only key ``"<surname>|<initial>"``, used to find look-alikes."""
    return f"{split_surname(geslachtsnaam, voorvoegsel)[1]}|{first_initial(voornamen)}"


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insert, delete, substitute) between two strings."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


class PersonParts(NamedTuple):
    """The four person columns of a row (raw text)."""

    voornamen: str | None
    voorvoegsel: str | None
    geslachtsnaam: str | None
    geboortedatum: str | None


_Parts = tuple[str | None, str | None, str | None, str | None]


def _date_or_none(s: str | None) -> str | None:
    try:
        return parse_date(s)
    except ValueInvalid:
        return None


def _near_date(a: str, b: str) -> bool:
    """Dates that differ in one of year/month/day, or with day and month swapped."""
    ya, ma, da = a.split("-")
    yb, mb, db = b.split("-")
    same = (ya == yb) + (ma == mb) + (da == db)
    return same == 2 or (ya == yb and ma == db and da == mb)


#: The blocking-key properties stored on Person (see :func:`match_keys`).
MATCH_KEYS: tuple[str, ...] = MATCH_KEY_PROPERTIES


def match_keys(voornamen: str | None, voorvoegsel: str | None,
               geslachtsnaam: str | None, geboortedatum: str | None) -> dict[str, str]:
    """Blocking keys under which a person meets its possible look-alikes.

    Stored on Person as ``mk_*`` properties (indexed on both engines, hidden from every
    user-facing output) and read back per load batch.  Each case of :func:`similarity`
    that proposes a pair is covered by one key both persons share (``s`` folded surname,
    ``i`` initial, ``y-m-d`` birth date):

    * ``mk_ym`` ``s|i|y-m``, ``mk_yd`` ``s|i|y-*-d``, ``mk_md`` ``s|i|*-m-d``: birth
      dates that differ in exactly one part (0.8);
    * ``mk_swap`` ``s|i|y|lo-hi`` (month and day sorted; only when the day could be a
      month and differs from it): day and month swapped (0.8);
    * ``mk_birth`` ``i|y-m-d``: surnames one edit apart with the same initial and birth
      date (0.9); the surname itself is compared afterwards;
    * ``mk_nodate`` ``s|i`` (the candidate key) only for a person without a (valid)
      birth date: a dated person meets the undated ones of its name (0.6).  An undated
      person in a batch is compared with its whole candidate-key group instead.

    Keys that do not apply are absent (no property, no index entry).
    """
    return dict(_match_keys(voornamen, voorvoegsel, geslachtsnaam, geboortedatum))


@lru_cache(maxsize=_CACHE)
def _match_keys(voornamen: str | None, voorvoegsel: str | None,
                geslachtsnaam: str | None, geboortedatum: str | None
                ) -> tuple[tuple[str, str], ...]:
    _, surname = split_surname(geslachtsnaam, voorvoegsel)
    if not surname:
        return ()
    initial = first_initial(voornamen)
    name = f"{surname}|{initial}"
    date = _date_or_none(geboortedatum)
    if date is None:
        return (("mk_nodate", name),)
    y, m, d = date.split("-")
    keys = [
        ("mk_ym", f"{name}|{y}-{m}"),
        ("mk_yd", f"{name}|{y}-*-{d}"),
        ("mk_md", f"{name}|*-{m}-{d}"),
        ("mk_birth", f"{initial}|{date}"),
    ]
    if int(d) <= 12 and d != m:
        keys.append(("mk_swap", f"{name}|{y}|{min(m, d)}-{max(m, d)}"))
    return tuple(keys)


def similarity(a_parts: _Parts, b_parts: _Parts) -> tuple[float, str]:
    """Score 0..1 and a reason for two persons that may be the same (review only).

    Parts are (voornamen, voorvoegsel, geslachtsnaam, geboortedatum), e.g. a
    :class:`PersonParts`.  Scores, before a +0.05 bonus when the first given
    names are equal in full:

    * 1.0  same identity key (same person; no review needed)
    * 0.9  surname differs by one edit (Jansen/Janssen), same initial and birth date
    * 0.8  same surname and initial, birth dates differ by one part or day/month swapped
    * 0.6  same surname and initial, a birth date missing (or impossible)
    * 0.0  anything else: not a candidate

    Decision: same surname and initial with an unrelated birth date (formerly 0.5) is
    *not* a candidate.  A same name with an unrelated birth date is a namesake, not a
    look-alike; proposing it made the review list quadratic (555k of 668k relationships
    at 100k generated entities) and no officer can review that.  Every pair scored
    above 0 shares a key of :func:`match_keys`, which is how the loader finds it.
    """
    (va, pa, ga, da), (vb, pb, gb, db) = a_parts, b_parts
    vv_a, sur_a = split_surname(ga, pa)
    vv_b, sur_b = split_surname(gb, pb)
    ini_a, ini_b = first_initial(va), first_initial(vb)
    date_a, date_b = _date_or_none(da), _date_or_none(db)
    if not sur_a or not sur_b or ini_a != ini_b:
        return 0.0, "geen kandidaat: andere voorletter / no candidate: different initial"
    if sur_a == sur_b and date_a is not None and date_a == date_b:
        return 1.0, "zelfde sleutel / same key"
    if sur_a == sur_b:
        if date_a is None or date_b is None:
            score = 0.6
            reason = "zelfde naam, geboortedatum ontbreekt / same name, birth date missing"
        elif _near_date(date_a, date_b):
            score = 0.8
            reason = "zelfde naam, geboortedatum bijna gelijk / same name, near birth date"
        else:
            return 0.0, ("geen kandidaat: naamgenoot met andere geboortedatum / "
                         "no candidate: namesake with another birth date")
    elif date_a is not None and date_a == date_b and levenshtein(sur_a, sur_b) == 1:
        score, reason = 0.9, ("achternaam verschilt 1 teken, zelfde geboortedatum / "
                              "surname differs by one character, same birth date")
    else:
        return 0.0, "geen kandidaat / no candidate"
    first_a, first_b = fold(va).split()[:1], fold(vb).split()[:1]
    if first_a and first_a == first_b and len(first_a[0]) > 1:
        score += 0.05
        reason += "; zelfde voornaam / same first name"
    if vv_a != vv_b:  # in a fixed order: the pair's reason does not depend on load order
        one, other = sorted((vv_a or "", vv_b or ""))
        reason += f"; voorvoegsel '{one}' / '{other}'"
    return round(score, 2), reason
