"""Indexes over ``tables`` that the generator draws from, and two small helpers.

Streets, first names and surnames are flattened into tuples so that the world's arrays can
hold a small index instead of a string; places get cumulative weights for drawing.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from itertools import accumulate

from .contract import RECHTSVORMEN
from .tables import (
    FIRST_NAMES,
    PLACE_STREETS,
    PLACES,
    RURAL_STREETS,
    SBI,
    SURNAMES,
    URBAN_STREETS,
)

__all__ = [
    "fold",
    "years",
    "BORN_MIN",
    "BORN_MAX",
    "BAG_HALF",
    "LETTER_PAIRS",
    "TOEVOEGINGEN",
    "STREETS",
    "URBAN_BY_PLACE",
    "RURAL",
    "GM_PLACES",
    "URBAN_CUM",
    "RURAL_CUM",
    "FIRST",
    "FIRST_BY",
    "SUR",
    "SUR_BY",
    "GROUPS",
    "GROUP_W",
    "MIGRANT_GROUPS",
    "MIGRANT_W",
    "SBI_CODES",
    "SBI_IDX",
    "FORM_IDX",
]

def fold(text: str) -> str:
    """Drop combining marks (NFKD); letters such as ``ł`` stay as they are."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def years(n: float) -> int:
    """``n`` years in days (ordinal arithmetic: ``T - years(2)``)."""
    return int(round(n * 365.25))


BORN_MIN = date(1940, 1, 1).toordinal()
BORN_MAX = date(2005, 12, 31).toordinal()
BAG_HALF = 5_000_000_000  # BAG serials are bijections (odd multiplier, not of 5) on [0, 5e9)
LETTER_PAIRS = tuple(
    a + b
    for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if a + b not in ("SA", "SD", "SS")
)
TOEVOEGINGEN = ("A", "B", "C", "bis", "1", "2", "3")
STREETS: tuple[str, ...] = tuple(
    dict.fromkeys(
        URBAN_STREETS + RURAL_STREETS + tuple(s for v in PLACE_STREETS.values() for s in v)
    )
)
_STREET_IDX = {s: i for i, s in enumerate(STREETS)}
URBAN_BY_PLACE: list[list[int]] = [
    [_STREET_IDX[s] for s in URBAN_STREETS + PLACE_STREETS.get(p[1], ())] for p in PLACES
]
RURAL = [_STREET_IDX[s] for s in RURAL_STREETS]
GM_PLACES: dict[str, list[int]] = {}
for _i, _p in enumerate(PLACES):
    GM_PLACES.setdefault(_p[0], []).append(_i)
URBAN_CUM = list(accumulate(p[3] for p in PLACES))
RURAL_CUM = list(accumulate(max(4, p[3] // 4) for p in PLACES))

# flattened name tables: FIRST[i] = (name, gender, group); SUR[i] = (vv, naam, fem, group)
FIRST: list[tuple[str, str, str]] = []
FIRST_BY: dict[tuple[str, str], list[int]] = {}
for _g, (_male, _female) in FIRST_NAMES.items():
    for _gender, _names in (("M", _male), ("V", _female)):
        for _n in _names:
            FIRST_BY.setdefault((_g, _gender), []).append(len(FIRST))
            FIRST.append((_n, _gender, _g))
SUR: list[tuple[str, str, str, str]] = []
SUR_BY: dict[str, list[int]] = {}
for _g, _entries in SURNAMES.items():
    for _vv, _naam, _fem in _entries:
        SUR_BY.setdefault(_g, []).append(len(SUR))
        SUR.append((_vv, _naam, _fem, _g))
GROUPS = ("NL", "TR", "PL", "RO", "BG", "HR")
GROUP_W = (90, 3, 3, 2, 1, 1)
MIGRANT_GROUPS = ("PL", "RO", "BG")
MIGRANT_W = (5, 3, 2)

SBI_CODES: tuple[str, ...] = tuple(SBI)
SBI_IDX = {s: i for i, s in enumerate(SBI_CODES)}
FORM_IDX = {f: i for i, f in enumerate(RECHTSVORMEN)}
