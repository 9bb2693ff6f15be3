"""Synthetic, deterministic test data for the five Ondergraaf source files.

``generate(out_dir, size, seed)`` writes ``kvk.csv``, ``bibob.csv``, ``vakantieparken.csv``,
``schuren.csv`` and ``riec.csv`` in the shapes of ``docs/formats.md`` (every contract column,
in contract order, followed by the optional provenance columns ``peildatum``,
``betrouwbaarheid_bron`` and ``betrouwbaarheid_info``; ``riec.csv`` already has its
betrouwbaarheid columns), plus ``planted.json``: the planted true hits and near misses of
every indicator of ``docs/indicators.md``.

Usage::

    python -m loaders.generate --out DIR --size 2000 --seed 1

What the data is
- Fully synthetic. Synthetic KvK numbers start with 9 (8 digits, ``9xxxxxxx``); RSINs are
  made up and pass the elfproef; BAG ids are gemeentecode + object type + 10 made-up
  digits; kadastrale percelen use AKR-style codes. No BSN anywhere. Place names and
  postcode ranges are the real ones of Westerveld, Meppel and Midden-Drenthe (see
  ``loaders/generate_data.py`` for what is checked and what is approximate); streets and
  house numbers are invented, so an address never points at a real household.
- ``size`` is the approximate number of entities: persons, organisations, addresses,
  sheds, parks, units, dossiers and signals. A background population (ordinary firms,
  parks, farmers' sheds, complete Bibob declarations, a few signals) is mixed with
  planted patterns: every indicator gets true hits and near misses (one below a
  threshold, roles ended in the past, signals past ``bewaren_tot``, opgeheven firms,
  name look-alikes with a different birth date). Planted structures use their own
  persons, organisations and addresses, so background data cannot tip a near miss over
  its threshold. Background data may still produce extra true hits (e.g. two signalled
  board members of one firm): the planted lists are a subset of all hits.
- The same person is sometimes written differently across rows and files (voorvoegsel
  inside the geslachtsnaam, ``Berg, van der``, ``v.d.``, diacritics dropped, initials,
  upper case, ``DD-MM-YYYY`` birth date); these resolve to one person under the
  formats.md rule (normalised geslachtsnaam + first initial + geboortedatum).
- Dates are mostly ``YYYY-MM-DD``, some ``DD-MM-YYYY``; amounts are ``1234.50`` or
  ``1.234,50``; postcodes sometimes carry a space.
- Same seed, size and ``today`` give byte-identical files (one ``random.Random(seed)``,
  no global random state, no set iteration in output order).

How the indicator texts were read (so true hits hold under either reading)
- Hops for BIBOB_RELATED_SIGNAL count from a party; true hits are within 2 hops of a
  party, the near miss is 4 hops away (5 from the dossier).
- "Within 12 months" (MULTI_PARTNER_SIGNALS): true hits have both signals in the last 12
  months; near misses fail both readings (same partner, 17 months apart, or expired).
- SHED_VULNERABLE_OWNER: true hits were empty >= 12 months before the tenancy started
  and still are at ``today``; tenancies are current (no ``huur_eind`` or a future one).
- SHED_SUSPICIOUS_LEASE: the median is of huur_pm / oppervlakte_m2 over rented sheds
  (background ~0.30-0.60 euro per m2 a month); true hits pay >= 1.6, near misses <= 0.55.
- Active role: ``functie_tot`` empty or after ``today``; active organisation: status not
  opgeheven/failliet and no ``datum_einde`` on or before ``today`` (one COMPANY_ON_PARK
  near miss has an empty status and a past ``datum_einde``).
- Signal subject: a riec row with ``rol`` = subject whose ``bewaren_tot`` is after today.

Memory and speed
Rows are streamed to the files. Only what later files link to is kept, in ``array``
columns (persons: 4 small ints; organisations: ~14 small ints; addresses: 6 bytes plus a
per-block table), so memory is O(size) in a few tens of bytes per entity. Planted rows
(a few hundred per 50,000 entities) are the only rows held in lists.

Measured on 2026-11-27 (2 cores, 24 GB), ``/usr/bin/time -v python -m loaders.generate
--out /tmp/gen1m --size 1000000 --seed 1``: 993,447 entities, 629,249 rows (114 MB of CSV),
16.6 s user CPU, 17-42 s wall clock (the machine was shared, load average ~8), maximum
resident set size 39 MB.

``planted.json``
``{"generator", "seed", "size", "today", "rows": {file: n}, "entities": {kind: n},
"key_formats": {...}, "indicators": {CODE: {"fires_on", "true": [key, ...],
"near_miss": [key, ...]}}}`` with at most 50 keys per list. A key is a dict with
``entity`` (persoon, organisatie, adres, dossier, object, eenheid, vakantiepark), the
identifying fields (persoon: voornamen, voorvoegsel, geslachtsnaam, ISO geboortedatum in
canonical spelling; organisatie: kvk_nummer; adres: postcode without space, huisnummer,
toevoeging, bag_id; dossier: dossier_id; object: object_id; eenheid: park_id + eenheid_id;
vakantiepark: park_id), for PARK_OWNER_CONCENTRATION also ``park_id``, and a ``note`` that
says why it is a hit or a near miss. At 2,000 entities every indicator has at least 2 true
keys and 1 near miss; the number grows with ``size`` (one set per 50,000 entities).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import unicodedata
from array import array
from collections.abc import Sequence
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import IO, Any, NamedTuple

from loaders.generate_data import (
    AGRI_USE,
    BIBOB_ACTIVITY,
    COVER_USE,
    FIRST_NAMES,
    FOREIGN_SUFFIX,
    GROUP_NATIONALITY,
    ORG_WORDS,
    OTHER_USE,
    PARK_WORDS,
    PLACE_STREETS,
    PLACES,
    RURAL_STREETS,
    SBI,
    SIGNAL_TEXT,
    SURNAMES,
    URBAN_STREETS,
)

__all__ = [
    "generate",
    "main",
    "rsin_valid",
    "FILE_COLUMNS",
    "CONTRACT_COLUMNS",
    "INDICATOR_CODES",
    "DEFAULT_TODAY",
]

DEFAULT_TODAY = date(2026, 11, 27)

# ---------------------------------------------------------------------------------------
# The contract (docs/formats.md): column names in order, and enumerations
# ---------------------------------------------------------------------------------------


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

# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------


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


def _fold(text: str) -> str:
    """Drop combining marks (NFKD); letters such as ``ł`` stay as they are."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _yrs(n: float) -> int:
    return int(round(n * 365.25))


_BORN_MIN = date(1940, 1, 1).toordinal()
_BORN_MAX = date(2005, 12, 31).toordinal()
_HALF = 5_000_000_000  # BAG serials are bijections (odd multiplier, not of 5) on [0, 5e9)
_LETTER_PAIRS = tuple(
    a + b
    for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if a + b not in ("SA", "SD", "SS")
)
_TOEVOEGINGEN = ("A", "B", "C", "bis", "1", "2", "3")
_STREETS: tuple[str, ...] = tuple(
    dict.fromkeys(
        URBAN_STREETS + RURAL_STREETS + tuple(s for v in PLACE_STREETS.values() for s in v)
    )
)
_STREET_IDX = {s: i for i, s in enumerate(_STREETS)}
_URBAN_BY_PLACE: list[list[int]] = [
    [_STREET_IDX[s] for s in URBAN_STREETS + PLACE_STREETS.get(p[1], ())] for p in PLACES
]
_RURAL = [_STREET_IDX[s] for s in RURAL_STREETS]
_PLACE_IDX = {p[1]: i for i, p in enumerate(PLACES)}
_GM_PLACES: dict[str, list[int]] = {}
for _i, _p in enumerate(PLACES):
    _GM_PLACES.setdefault(_p[0], []).append(_i)
_URBAN_CUM = list(accumulate(p[3] for p in PLACES))
_RURAL_CUM = list(accumulate(max(4, p[3] // 4) for p in PLACES))
_GM_PREFIX = {"1701": "WV", "0119": "MP", "1731": "MD"}
_GMS = ("1701", "0119", "1731")

# flattened name tables: FIRST[i] = (name, gender, group); SUR[i] = (vv, naam, fem, group)
_FIRST: list[tuple[str, str, str]] = []
_FIRST_BY: dict[tuple[str, str], list[int]] = {}
for _g, (_male, _female) in FIRST_NAMES.items():
    for _gender, _names in (("M", _male), ("V", _female)):
        for _n in _names:
            _FIRST_BY.setdefault((_g, _gender), []).append(len(_FIRST))
            _FIRST.append((_n, _gender, _g))
_SUR: list[tuple[str, str, str, str]] = []
_SUR_BY: dict[str, list[int]] = {}
for _g, _entries in SURNAMES.items():
    for _vv, _naam, _fem in _entries:
        _SUR_BY.setdefault(_g, []).append(len(_SUR))
        _SUR.append((_vv, _naam, _fem, _g))
_GROUPS = ("NL", "TR", "PL", "RO", "BG", "HR")
_GROUP_W = (90, 3, 3, 2, 1, 1)
_MIGRANT_GROUPS = ("PL", "RO", "BG")
_MIGRANT_W = (5, 3, 2)

_SBI_CODES: tuple[str, ...] = tuple(SBI)
_SBI_IDX = {s: i for i, s in enumerate(_SBI_CODES)}
_FORM_IDX = {f: i for i, f in enumerate(RECHTSVORMEN)}
_FUNCTIE_IDX = {f: i + 1 for i, f in enumerate(FUNCTIES)}  # 0 = empty slot

# which SBI codes a background organisation of a legal form gets, with weights
_FORM_SBI: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    "eenmanszaak": (
        (
            "0111",
            "0113",
            "0141",
            "0146",
            "0150",
            "0161",
            "4120",
            "4321",
            "4520",
            "8130",
            "9602",
            "5610",
            "5630",
            "6920",
            "7022",
            "6201",
            "4511",
        ),
        (6, 3, 10, 3, 5, 3, 6, 5, 4, 5, 6, 3, 2, 3, 4, 3, 2),
    ),
    "vof": (("0141", "0150", "0111", "5610", "5630", "4520", "0146"), (10, 6, 4, 4, 3, 2, 3)),
    "bv": (
        (
            "4120",
            "4321",
            "4511",
            "4690",
            "4711",
            "4941",
            "5510",
            "5520",
            "5610",
            "6201",
            "6810",
            "6820",
            "7820",
            "7022",
            "0141",
        ),
        (8, 5, 3, 5, 2, 5, 2, 3, 4, 4, 6, 4, 2, 3, 2),
    ),
    "nv": (("4690", "6810"), (1, 1)),
    "stichting": (("9499",), (1,)),
    "vereniging": (("9499",), (1,)),
    "cooperatie": (("0141", "4711"), (2, 1)),
    "buitenlands": (("4941", "7820", "4690"), (2, 2, 1)),
}
_FORM_W = (45, 12, 33, 0.4, 5, 3, 0.6, 1)
_EMPLOYER_SBI = {"7820", "0113", "4941", "4690", "5510", "5610", "0141"}


class _Func(NamedTuple):
    """One functionaris role: ``ref`` > 0 is person ref-1, ``ref`` < 0 is organisation -ref-1."""

    ref: int
    functie: str
    van: int
    tot: int
    aandeel: int | None
    variant: int


PersonT = tuple[
    int, int, int, int
]  # (first idx, second first idx + 1 or 0, surname idx, birth ordinal)
PersonRef = int | PersonT  # stored person index, or a person made on the fly
Party = tuple[str, Any]  # ("persoon", PersonRef) or ("organisatie", org index)


def _pref(p: int) -> int:
    return p + 1


def _oref(o: int) -> int:
    return -(o + 1)


class _Sink:
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


# ---------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------


class _Generator:
    """All state of one run. Arrays hold what later files link to; rows are streamed."""

    def __init__(self, size: int, seed: int, today: date) -> None:
        self.size = size
        self.seed = seed
        self.today = today
        self.T = today.toordinal()
        self.rng = random.Random(seed)  # noqa: S311 (test data, not security)
        rng = self.rng
        self.pairs = list(_LETTER_PAIRS)
        rng.shuffle(self.pairs)
        self.pair_off = rng.randrange(len(self.pairs))
        self.kvk_off = rng.randrange(10_000_000)
        self.rsin_off = rng.randrange(9_000_000)
        self.bag_off = rng.randrange(10**10)
        self.pand_off = rng.randrange(10**10)
        self.stand_off = rng.randrange(10**10)
        self.variant_rate = 0.06
        self.counts: dict[str, int] = {
            "persons": 0,
            "organisations": 0,
            "addresses": 0,
            "sheds": 0,
            "parks": 0,
            "units": 0,
            "dossiers": 0,
            "signals": 0,
        }
        # addresses: blocks of consecutive numbers on one street with one postcode
        self.b_place = array("B")
        self.b_street = array("H")
        self.b_pc4 = array("H")
        self.b_pair = array("H")
        self.b_start = array("I")
        self.b_step = array("B")
        self.b_size = array("B")
        self.a_block = array("I")
        self.a_pos = array("B")
        self.a_toev = array("B")
        self.open_block: dict[tuple[str, int], tuple[int, int]] = {}
        self.pc_next: dict[int, int] = {}
        self.street_next: dict[tuple[int, int], int] = {}
        # persons
        self.p_first = array("H")
        self.p_first2 = array("H")
        self.p_sur = array("H")
        self.p_bdate = array("I")
        self.p_cnt = array("B")  # number of organisations a background person is functionaris of
        self.reserved: set[tuple[str, str, int]] = set()  # name keys of planted persons
        self.planted_home: dict[int, int] = {}
        # organisations
        self.o_form = array("B")
        self.o_sbi = array("B")
        self.o_status = array("B")
        self.o_start = array("I")
        self.o_end = array("I")
        self.o_addr = array("I")
        self.o_tpl = array("B")
        self.o_word = array("H")
        self.o_f = array("i")
        self.o_fc = array("B")
        self.extras: dict[int, list[_Func]] = {}
        self.status_override: dict[int, str] = {}
        self.addr_override: dict[int, dict[str, Any]] = {}
        # planted rows (small) and keys
        self.pl_rows: dict[str, list[dict[str, Any]]] = {k: [] for k in CONTRACT_COLUMNS}
        self.pl_parks: list[dict[str, Any]] = []
        self.planted: dict[str, dict[str, list[dict[str, Any]]]] = {
            code: {"true": [], "near_miss": []} for code, _ in INDICATOR_CODES
        }
        self.seq = {"dossier": 0, "signal": 0, "shed": 0, "park": 0, "unit": 0, "casus": 0}
        # first background person / organisation (everything before is planted)
        self.P0 = 2**31
        self.O0 = 2**31
        self.pool_start = 0
        self.pool_n = 1

    # ----- formatting -------------------------------------------------------------------

    def fdate(self, ordinal: int, alt: float = 0.06) -> str:
        if not ordinal:
            return ""
        d = date.fromordinal(ordinal)
        if self.rng.random() < alt:
            return f"{d.day:02d}-{d.month:02d}-{d.year}"
        return d.isoformat()

    def famount(self, x: float, dutch: float = 0.2) -> str:
        text = f"{x:,.2f}"
        if self.rng.random() < dutch:
            return text.replace(",", "_").replace(".", ",").replace("_", ".")
        return text.replace(",", "")

    def fpc(self, pc: str) -> str:
        return f"{pc[:4]} {pc[4:]}" if self.rng.random() < 0.12 else pc


    # ----- addresses --------------------------------------------------------------------

    def _pick_place(self, rural: bool) -> int:
        return self.rng.choices(
            range(len(PLACES)), cum_weights=_RURAL_CUM if rural else _URBAN_CUM
        )[0]

    def _new_block(self, kind: str, place: int) -> int:
        rng = self.rng
        candidates = [place] + [i for i in _GM_PLACES[PLACES[place][0]] if i != place]
        candidates += [i for i in range(len(PLACES)) if i not in candidates]
        chosen = None
        for pl in candidates:
            pcs = [pc for pc in PLACES[pl][2] if self.pc_next.get(pc, 0) < len(self.pairs)]
            if pcs:
                chosen = (pl, rng.choice(pcs))
                break
        if chosen is None:
            raise RuntimeError("postcode space exhausted")
        pl, pc4 = chosen
        n = self.pc_next.get(pc4, 0)
        self.pc_next[pc4] = n + 1
        pair = (pc4 * 7919 + self.pair_off + n) % len(self.pairs)  # each pc4 starts elsewhere
        if kind == "urban":
            street = rng.choice(_URBAN_BY_PLACE[pl])
            step, bsize = 1, 36
        else:
            street = rng.choice(_RURAL)
            step, bsize = rng.randint(2, 9), 12
        nxt = self.street_next.get((pl, street), rng.randint(1, 3))
        if nxt + step * bsize > 99_000:
            nxt = rng.randint(1, 3)  # unreachable in practice; keeps huisnummer in range
        self.street_next[(pl, street)] = nxt + step * bsize
        b = len(self.b_place)
        self.b_place.append(pl)
        self.b_street.append(street)
        self.b_pc4.append(pc4)
        self.b_pair.append(pair)
        self.b_start.append(nxt)
        self.b_step.append(step)
        self.b_size.append(bsize)
        return b

    def alloc_address(self, kind: str = "urban", place: int = -1, toev: bool = True) -> int:
        """A fresh address (never handed out twice). ``place`` -1 = any place, by weight."""
        key = (kind, place)
        blk = self.open_block.get(key)
        if blk is None or blk[1] >= self.b_size[blk[0]]:
            if place < 0:
                place = self._pick_place(kind != "urban")
            blk = (self._new_block(kind, place), 0)
        b, pos = blk
        self.open_block[key] = (b, pos + 1)
        a = len(self.a_block)
        self.a_block.append(b)
        self.a_pos.append(pos)
        t = 0
        if toev and kind == "urban" and self.rng.random() < 0.07:
            t = self.rng.randint(1, len(_TOEVOEGINGEN))
        self.a_toev.append(t)
        self.counts["addresses"] += 1
        return a

    def addr(self, a: int) -> tuple[str, int, str, str, str, str, str]:
        """(straat, huisnummer, toevoeging, postcode, plaats, gemeentecode, bag_id)."""
        b = self.a_block[a]
        place = PLACES[self.b_place[b]]
        hn = self.b_start[b] + self.a_pos[a] * self.b_step[b]
        t = self.a_toev[a]
        pc = f"{self.b_pc4[b]}{self.pairs[self.b_pair[b]]}"
        # verblijfsobjecten of addresses use serials below 5e9, those of park units above
        bag = f"{place[0]}01{(a * 7_346_891 + self.bag_off) % _HALF:010d}"
        return (
            _STREETS[self.b_street[b]],
            hn,
            _TOEVOEGINGEN[t - 1] if t else "",
            pc,
            place[1],
            place[0],
            bag,
        )

    def addr_place(self, a: int) -> int:
        return self.b_place[self.a_block[a]]

    def addr_key(self, a: int, note: str = "") -> dict[str, Any]:
        _, hn, t, pc, plaats, _, bag = self.addr(a)
        key: dict[str, Any] = {
            "entity": "adres",
            "postcode": pc,
            "huisnummer": hn,
            "toevoeging": t,
            "plaats": plaats,
            "bag_id": bag,
        }
        if note:
            key["note"] = note
        return key

    def pand_id(self, gm: str, n: int) -> str:
        return f"{gm}10{(n * 9_181_081 + self.pand_off) % 10**10:010d}"

    def standplaats_id(self, gm: str, n: int) -> str:
        return f"{gm}03{(n * 5_102_467 + self.stand_off) % 10**10:010d}"

    def vbo_unit_id(self, gm: str, n: int) -> str:
        return f"{gm}01{_HALF + (n * 5_102_467 + self.stand_off) % _HALF:010d}"

    # ----- persons ----------------------------------------------------------------------

    def _surname(self, f: int, s: int) -> tuple[str, str]:
        vv, naam, fem, _ = _SUR[s]
        if fem and _FIRST[f][1] == "V":
            naam = fem
        return vv, naam

    def _name_key(self, f: int, s: int, bd: int) -> tuple[str, str, int]:
        _, naam = self._surname(f, s)
        return (_fold(naam).lower(), _fold(_FIRST[f][0])[0].lower(), bd)

    def make_person(
        self,
        group: str = "",
        born: tuple[int, int] = (1940, 2005),
        first: int = -1,
        sur: int = -1,
        bdate: int = 0,
        gender: str = "",
        first2: int = -1,
    ) -> PersonT:
        """A person tuple whose name key is not one of a planted person's."""
        rng = self.rng
        lo = date(born[0], 1, 1).toordinal()
        hi = date(born[1], 12, 31).toordinal()
        for _ in range(200):
            g = group or rng.choices(_GROUPS, weights=_GROUP_W)[0]
            if first >= 0:
                f, gen = first, _FIRST[first][1]
            else:
                gen = gender or ("M" if rng.random() < 0.5 else "V")
                f = rng.choice(_FIRST_BY[(g, gen)])
            if first2 >= 0:
                f2 = first2
            else:
                f2 = 0
                if g == "NL" and rng.random() < 0.3:
                    f2 = 1 + rng.choice(_FIRST_BY[(g, gen)])
                    if f2 - 1 == f:
                        f2 = 0
            s = sur if sur >= 0 else rng.choice(_SUR_BY[g])
            bd = bdate or rng.randint(lo, hi)
            if self._name_key(f, s, bd) not in self.reserved:
                return (f, f2, s, bd)
            bdate = 0 if bdate else bdate
        raise RuntimeError("could not draw a free person name key")

    def add_person(self, t: PersonT, planted: bool = False) -> int:
        p = len(self.p_first)
        self.p_first.append(t[0])
        self.p_first2.append(t[1])
        self.p_sur.append(t[2])
        self.p_bdate.append(t[3])
        self.p_cnt.append(0)
        if planted:
            self.reserved.add(self._name_key(t[0], t[2], t[3]))
        self.counts["persons"] += 1
        return p

    def fly_person(self, **kw: Any) -> PersonT:
        """A person that is written once and not kept."""
        self.counts["persons"] += 1
        return self.make_person(**kw)

    def pt(self, p: PersonRef) -> PersonT:
        if isinstance(p, tuple):
            return p
        return (self.p_first[p], self.p_first2[p], self.p_sur[p], self.p_bdate[p])

    def render_person(self, p: PersonRef, variant: int = -1) -> tuple[str, str, str, str]:
        """(voornamen, voorvoegsel, geslachtsnaam, geboortedatum), sometimes written differently.

        Variants: 0 canonical, 1 voorvoegsel inside geslachtsnaam, 2 ``Berg, van der``,
        3 ``v.d.``/``vd``, 4 diacritics dropped, 5 DD-MM-YYYY, 6 upper case, 7 initials,
        8 ``'t`` written as ``het``. -1 = canonical mostly, a random variant sometimes.
        """
        f, f2, s, bd = self.pt(p)
        rng = self.rng
        first = _FIRST[f][0] + (" " + _FIRST[f2 - 1][0] if f2 else "")
        vv, naam = self._surname(f, s)
        if variant < 0:
            variant = rng.randint(1, 8) if rng.random() < self.variant_rate else 0
        alt_date = variant == 5 or rng.random() < 0.04
        if variant == 1 and vv:
            naam, vv = f"{vv} {naam}", ""
        elif variant == 2 and vv:
            naam, vv = f"{naam}, {vv}", ""
        elif variant == 3 and vv == "van der":
            vv = rng.choice(("v.d.", "vd"))
        elif variant == 4:
            first, naam = _fold(first), _fold(naam)
        elif variant == 6 and naam.upper().lower() == naam.lower():  # not for dotless i (Aydın)
            naam = naam.upper()
        elif variant == 7:
            first = "".join(x[0] + "." for x in first.split())
        elif variant == 8 and "'t" in vv:
            vv = vv.replace("'t", "het")
        d = date.fromordinal(bd)
        ds = f"{d.day:02d}-{d.month:02d}-{d.year}" if alt_date else d.isoformat()
        return first, vv, naam, ds

    def person_cols(self, prefix: str, p: PersonRef, variant: int = -1) -> dict[str, str]:
        vn, vv, gn, gd = self.render_person(p, variant)
        return {
            f"{prefix}voornamen": vn,
            f"{prefix}voorvoegsel": vv,
            f"{prefix}geslachtsnaam": gn,
            f"{prefix}geboortedatum": gd,
        }

    def person_key(self, p: PersonRef, note: str = "") -> dict[str, Any]:
        f, f2, s, bd = self.pt(p)
        vv, naam = self._surname(f, s)
        key: dict[str, Any] = {
            "entity": "persoon",
            "voornamen": _FIRST[f][0] + (" " + _FIRST[f2 - 1][0] if f2 else ""),
            "voorvoegsel": vv,
            "geslachtsnaam": naam,
            "geboortedatum": date.fromordinal(bd).isoformat(),
        }
        if note:
            key["note"] = note
        return key

    def home(self, p: int) -> int:
        """A stable home address for a stored person."""
        if p < self.P0:
            if p not in self.planted_home:
                self.planted_home[p] = self.alloc_address("urban")
            return self.planted_home[p]
        return self.pool_start + (p * 2_654_435_761) % self.pool_n

    # ----- organisations ----------------------------------------------------------------

    def new_org(self, form: str, sbi: str, status: str, start: int, end: int, addr: int) -> int:
        o = len(self.o_form)
        self.o_form.append(_FORM_IDX[form])
        self.o_sbi.append(_SBI_IDX[sbi])
        self.o_status.append(STATUSES.index(status))
        self.o_start.append(start)
        self.o_end.append(end)
        self.o_addr.append(addr)
        self.o_tpl.append(self.rng.randrange(8))
        self.o_word.append(self.rng.randrange(60_000))
        self.o_f.extend((0, 0, 0))
        self.o_fc.extend((0, 0, 0))
        self.counts["organisations"] += 1
        return o

    def kvk(self, o: int) -> str:
        return str(90_000_000 + (o * 3_141_593 + self.kvk_off) % 10_000_000)

    def rsin(self, o: int) -> str:
        prefix = str(1_000_000 + (o * 2_718_281 + self.rsin_off) % 9_000_000)
        # 7 unique digits per organisation, then the first 8th digit whose check digit
        # (weighted sum mod 11) is not 10; so RSINs are unique and pass the elfproef
        for k in range(10):
            digits = prefix + str((o + k) % 10)
            candidate = digits + str(sum(int(c) * (9 - i) for i, c in enumerate(digits)) % 11)
            if rsin_valid(candidate):
                return candidate
        raise AssertionError("unreachable: some 8th digit always gives a check digit 0-9")

    def org_sbi(self, o: int) -> str:
        return _SBI_CODES[self.o_sbi[o]]

    def org_active(self, o: int) -> bool:
        return self.o_status[o] == 0 and (self.o_end[o] == 0 or self.o_end[o] > self.T)

    def org_name(self, o: int) -> str:
        form = RECHTSVORMEN[self.o_form[o]]
        tpls = SBI[self.org_sbi(o)][1]
        tpl = tpls[self.o_tpl[o] % len(tpls)]
        w = self.o_word[o]
        vv, naam, _, _ = _SUR[_SUR_BY["NL"][w % len(_SUR_BY["NL"])]]
        if "{S}" in tpl:  # a family firm carries the name of its (first) functionaris
            ext = self.extras.get(o)
            first = ext[0].ref if ext else self.o_f[3 * o]
            if first > 0:
                vv, naam = self._surname(self.p_first[first - 1], self.p_sur[first - 1])
        surname = (vv[:1].upper() + vv[1:] + " " + naam) if vv else naam
        core = tpl.replace("{W}", ORG_WORDS[(w // 7) % len(ORG_WORDS)]).replace("{S}", surname)
        if form == "bv":
            return core + " B.V."
        if form == "nv":
            return core + " N.V."
        if form == "vof":
            return core + " V.O.F."
        if form == "stichting":
            return "Stichting " + core
        if form == "vereniging":
            return "Vereniging " + core
        if form == "cooperatie":
            return "Coöperatie " + core + " U.A."
        if form == "buitenlands":
            return core + " " + FOREIGN_SUFFIX[w % len(FOREIGN_SUFFIX)]
        return core

    def org_key(self, o: int, note: str = "") -> dict[str, Any]:
        key: dict[str, Any] = {
            "entity": "organisatie",
            "kvk_nummer": self.kvk(o),
            "naam": self.org_name(o),
        }
        if note:
            key["note"] = note
        return key

    def org_funcs(self, o: int) -> list[_Func]:
        if o in self.extras:
            return self.extras[o]
        res = []
        start = self.o_start[o]
        for k in range(3):
            ref = self.o_f[3 * o + k]
            if ref == 0:
                continue
            functie = FUNCTIES[self.o_fc[3 * o + k] - 1]
            aandeel = (
                100
                if functie == "enig_aandeelhouder"
                else 50
                if functie == "aandeelhouder"
                else None
            )
            van = start
            if ref > 0:
                van = max(start, self.p_bdate[ref - 1] + _yrs(18))
            res.append(_Func(ref, functie, van, 0, aandeel, -1))
        return res

    # ----- planted building blocks ------------------------------------------------------

    def mark(self, code: str, true: bool, key: dict[str, Any]) -> None:
        lst = self.planted[code]["true" if true else "near_miss"]
        if len(lst) < PLANTED_CAP:
            lst.append(key)

    def p_person(self, group: str = "NL", **kw: Any) -> int:
        return self.add_person(self.make_person(group=group, **kw), planted=True)

    def p_lookalike(self, p: int) -> int:
        """Same voornamen and surname as ``p``, another birth date: a different person."""
        f, f2, s, bd = self.pt(p)
        shift = self.rng.randint(400, 4000)  # keep the birth date inside 1940-2005
        if bd + shift > _BORN_MAX or (bd - shift >= _BORN_MIN and self.rng.random() < 0.5):
            shift = -shift
        return self.add_person(
            self.make_person(first=f, first2=f2, sur=s, bdate=bd + shift), planted=True
        )

    def sur_with(self, vv: str) -> int:
        return self.rng.choice([i for i in _SUR_BY["NL"] if _SUR[i][0] == vv])

    def place_in(self, gm: str) -> int:
        pls = _GM_PLACES[gm]
        return self.rng.choices(pls, weights=[PLACES[i][3] for i in pls])[0]

    def p_org(
        self,
        gm: str,
        sbi: str,
        form: str = "bv",
        status: str = "actief",
        start: int = 0,
        end: int = 0,
        addr: int = -1,
    ) -> int:
        if not start:
            start = self.T - self.rng.randint(200, 4000)
        if addr < 0:
            addr = self.alloc_address("urban", self.place_in(gm), toev=False)
        o = self.new_org(form, sbi, status, start, end, addr)
        self.extras[o] = []
        return o

    def add_func(
        self,
        o: int,
        ref: int,
        functie: str = "bestuurder",
        van: int = 0,
        tot: int = 0,
        aandeel: int | None = None,
        variant: int = -1,
    ) -> None:
        if aandeel is None and functie == "enig_aandeelhouder":
            aandeel = 100
        self.extras[o].append(_Func(ref, functie, van or self.o_start[o], tot, aandeel, variant))

    def org_party(self, gm: str, sbi: str) -> Party:
        """A planted organisation (with one bestuurder) as a party tuple."""
        return ("organisatie", self.p_org_with_officer(gm, sbi)[0])

    def p_org_with_officer(self, gm: str, sbi: str, form: str = "bv", **kw: Any) -> tuple[int, int]:
        o = self.p_org(gm, sbi, form, **kw)
        b = self.p_person()
        self.add_func(o, _pref(b), "vennoot" if form == "vof" else "bestuurder")
        return o, b

    # ----- signals ----------------------------------------------------------------------

    def signal_rows(
        self,
        partner: str,
        thema: str,
        ontvangst: int,
        subjects: Sequence[tuple[str, Any, str]],
        bewaren_tot: int = 0,
        grade: tuple[str, str] = ("B", "2"),
        status: str = "in_behandeling",
    ) -> list[dict[str, Any]]:
        rng = self.rng
        self.seq["signal"] += 1
        self.counts["signals"] += 1
        year = date.fromordinal(ontvangst).year
        sid = f"RIEC-{year}-{self.seq['signal']:06d}"
        casus = ""
        if status == "casus":
            self.seq["casus"] += 1
            casus = f"CAS-{year}-{self.seq['casus']:04d}"
        base: dict[str, Any] = {
            "signaal_id": sid,
            "ontvangstdatum": self.fdate(ontvangst),
            "partner": partner,
            "thema": thema,
            "omschrijving": rng.choice(SIGNAL_TEXT[thema]),
            "status": status,
            "casus_id": casus,
            "betrouwbaarheid_bron": grade[0],
            "betrouwbaarheid_info": grade[1],
            "bewaren_tot": self.fdate(bewaren_tot or ontvangst + _yrs(5)),
        }
        rows = []
        for etype, ref, rol in subjects:
            row = dict(base)
            row["entiteit_type"] = etype
            row["rol"] = rol
            if etype == "persoon":
                row.update(self.person_cols("", ref))
            elif etype == "organisatie":
                row["kvk_nummer"] = self.kvk(ref)
            elif etype == "adres":
                _, hn, t, pc, _, _, bag = self.addr(ref)
                row.update(
                    postcode=self.fpc(pc),
                    huisnummer=hn,
                    toevoeging=t,
                    bag_id=bag if rng.random() < 0.5 else "",
                )
            elif etype == "object":
                row["object_id"] = ref
            else:
                row["park_id"] = ref
            rows.append(row)
        return rows

    def p_signal(
        self,
        partner: str,
        thema: str,
        ontvangst: int,
        subjects: Sequence[tuple[str, Any, str]],
        **kw: Any,
    ) -> None:
        self.pl_rows["riec"].extend(self.signal_rows(partner, thema, ontvangst, subjects, **kw))

    # ----- Bibob dossiers ---------------------------------------------------------------

    def dossier(
        self,
        gm: str,
        vtype: str,
        aanvraag: int,
        loc: int,
        advies: str = "lopend",
        besluit: str = "lopend",
        besluit_datum: int = 0,
        grade: tuple[str, str] = ("B", "2"),
    ) -> _Dossier:
        self.seq["dossier"] += 1
        self.counts["dossiers"] += 1
        year = date.fromordinal(aanvraag).year
        did = f"{_GM_PREFIX[gm]}-{year}-{self.seq['dossier']:05d}"
        word = ORG_WORDS[self.rng.randrange(len(ORG_WORDS))]
        base: dict[str, Any] = {
            "dossier_id": did,
            "gemeentecode": "GM" + gm,
            "aanvraagdatum": self.fdate(aanvraag),
            "vergunning_type": vtype,
            "activiteit": self.rng.choice(BIBOB_ACTIVITY[vtype]).replace("{W}", word),
            "advies": advies,
            "besluit": besluit,
            "besluit_datum": self.fdate(besluit_datum),
            "peildatum": self.fdate(max(aanvraag, besluit_datum), 0),
            "betrouwbaarheid_bron": grade[0],
            "betrouwbaarheid_info": grade[1],
        }
        if loc >= 0:
            _, hn, t, pc, _, _, bag = self.addr(loc)
            base.update(
                locatie_postcode=self.fpc(pc),
                locatie_huisnummer=hn,
                locatie_toevoeging=t,
                locatie_bag_id=bag if self.rng.random() < 0.5 else "",
            )
        return _Dossier(self, did, base)

    def declare_officers(self, d: _Dossier, o: int, tav: str) -> None:
        """Declare every active functionaris of organisation ``o`` as a party of ``d``."""
        for f in self.org_funcs(o):
            if f.tot and f.tot <= self.T:
                continue
            rol = {
                "aandeelhouder": "aandeelhouder",
                "enig_aandeelhouder": "aandeelhouder",
                "gevolmachtigde": "gemachtigde",
            }.get(f.functie, "bestuurder")
            if f.ref > 0:
                d.party(rol, person=f.ref - 1, tav=tav, aandeel=f.aandeel)
            else:
                h = -f.ref - 1
                if ("o", h) in d.seen:
                    continue
                ref = d.party(rol, org=h, tav=tav, aandeel=f.aandeel)
                self.declare_officers(d, h, ref)

    # ----- sheds ------------------------------------------------------------------------

    def shed_rows(
        self,
        addr: int,
        otype: str,
        opp: int,
        owner: Party,
        agrarisch: str,
        tenancies: Sequence[dict[str, Any]] = (),
        leegstaand: int = 0,
        controle: int = 0,
        bevinding: str = "",
        grade: tuple[str, str] = ("B", "2"),
    ) -> tuple[str, list[dict[str, Any]]]:
        rng = self.rng
        self.seq["shed"] += 1
        self.counts["sheds"] += 1
        oid = f"SCH-{self.seq['shed']:06d}"
        _, hn, t, pc, plaats, gm, _ = self.addr(addr)
        kad = PLACES[self.addr_place(addr)][4]
        base: dict[str, Any] = {
            "object_id": oid,
            "objecttype": otype,
            "postcode": self.fpc(pc),
            "huisnummer": hn,
            "toevoeging": t,
            "plaats": plaats,
            "bag_id": self.pand_id(gm, self.seq["shed"]) if rng.random() < 0.6 else "",
            "kadastraal_perceel": f"{kad} {rng.choice('ABCDEFGHKLMN')} {rng.randint(1, 6999)}",
            "oppervlakte_m2": opp,
            "leegstaand_sinds": self.fdate(leegstaand),
            "eigenaar_agrarisch_actief": agrarisch,
            "laatste_controle": self.fdate(controle),
            "bevinding": bevinding,
            "peildatum": self.fdate(self.T - rng.randint(1, 60), 0),
            "betrouwbaarheid_bron": grade[0],
            "betrouwbaarheid_info": grade[1],
        }
        self._party_cols(base, "eigenaar_", owner)
        rows = []
        for ten in tenancies:
            row = dict(base)
            self._party_cols(row, "huurder_", ten["huurder"])
            row["huur_pm"] = self.famount(ten["huur_pm"])
            row["betaalwijze"] = ten.get("betaal", "bank")
            row["huur_start"] = self.fdate(ten["start"])
            row["huur_eind"] = self.fdate(ten.get("end", 0))
            row["opgegeven_gebruik"] = ten.get("gebruik", "")
            rows.append(row)
        return oid, rows or [base]

    def _party_cols(
        self, row: dict[str, Any], prefix: str, party: Party | None, variant: int = -1
    ) -> None:
        if party is None:
            return
        kind, ref = party
        row[f"{prefix}type"] = kind
        if kind == "organisatie":
            row[f"{prefix}kvk"] = self.kvk(ref)
        else:
            row.update(self.person_cols(prefix, ref, variant))

    def tenancy(
        self,
        huurder: Party,
        opp: int,
        rate: float,
        start: int,
        betaal: str = "bank",
        end: int = 0,
        gebruik: str = "",
    ) -> dict[str, Any]:
        return {
            "huurder": huurder,
            "huur_pm": round(opp * rate),
            "betaal": betaal,
            "start": start,
            "end": end,
            "gebruik": gebruik,
        }

    def p_shed(
        self,
        gm: str,
        owner: Party,
        agrarisch: str,
        tenancies: Sequence[dict[str, Any]],
        opp: int = 0,
        **kw: Any,
    ) -> str:
        addr = self.alloc_address("rural", self.place_in(gm), toev=False)
        otype = self.rng.choice(("schuur", "loods", "stal"))
        oid, rows = self.shed_rows(addr, otype, opp or 400, owner, agrarisch, tenancies, **kw)
        self.pl_rows["schuren"].extend(rows)
        return oid

    def dossier_key(self, did: str, note: str = "", **extra: Any) -> dict[str, Any]:
        key: dict[str, Any] = {"entity": "dossier", "dossier_id": did, **extra}
        if note:
            key["note"] = note
        return key

    def shed_key(self, oid: str, note: str = "") -> dict[str, Any]:
        key: dict[str, Any] = {"entity": "object", "object_id": oid}
        if note:
            key["note"] = note
        return key

    # ----- parks ------------------------------------------------------------------------

    def p_park(self, gm: str, perm: str, vitaliteit: str, unit_bags: bool) -> dict[str, Any]:
        self.seq["park"] += 1
        self.counts["parks"] += 1
        pid = f"VP-{self.seq['park']:04d}"
        expl, _ = self.p_org_with_officer(gm, "5530")
        park: dict[str, Any] = {
            "park_id": pid,
            "naam": "Vakantiepark " + self.rng.choice(PARK_WORDS),
            "addr": self.alloc_address("rural", self.place_in(gm), toev=False),
            "exploitant": expl,
            "perm": perm,
            "vitaliteit": vitaliteit,
            "unit_bags": unit_bags,
            "units": [],
        }
        self.pl_parks.append(park)
        return park

    def p_unit(
        self,
        park: dict[str, Any],
        owner: Party,
        occupants: Sequence[dict[str, Any]] = (),
        utype: str = "chalet",
        land: str = "NL",
        owner_variant: int = -1,
    ) -> dict[str, Any]:
        self.seq["unit"] += 1
        self.counts["units"] += 1
        n = len(park["units"]) + 1
        gm = PLACES[self.addr_place(park["addr"])][0]
        bag = ""
        if park["unit_bags"]:
            bag = (
                self.standplaats_id(gm, self.seq["unit"])
                if utype in ("stacaravan", "kampeerplaats")
                else self.vbo_unit_id(gm, self.seq["unit"])
            )
        unit = {
            "eenheid_id": str(n),
            "type": utype,
            "bag": bag,
            "owner": owner,
            "land": land,
            "occupants": list(occupants),
            "owner_variant": owner_variant,
        }
        park["units"].append(unit)
        return unit

    def occupant(
        self, p: PersonRef, brp: str = "ja", werkgever: int = -1, nat: str = "", since: int = 0
    ) -> dict[str, Any]:
        if not nat:
            nat = GROUP_NATIONALITY[_SUR[self.pt(p)[2]][3]]
        if brp == "ja" and not since:
            since = self.T - self.rng.randint(30, 700)
        return {"p": p, "brp": brp, "werkgever": werkgever, "nat": nat, "since": since}

    def unit_key(
        self, park: dict[str, Any], unit: dict[str, Any], note: str = ""
    ) -> dict[str, Any]:
        key: dict[str, Any] = {
            "entity": "eenheid",
            "park_id": park["park_id"],
            "eenheid_id": unit["eenheid_id"],
        }
        if unit["bag"]:
            key["eenheid_bag_id"] = unit["bag"]
        if note:
            key["note"] = note
        return key

    def park_rows(
        self, park: dict[str, Any], sink: _Sink, grade: tuple[str, str] = ("C", "3")
    ) -> None:
        rng = self.rng
        _, hn, _, pc, plaats, _, bag = self.addr(park["addr"])
        base: dict[str, Any] = {
            "park_id": park["park_id"],
            "park_naam": park["naam"],
            "park_postcode": self.fpc(pc),
            "park_huisnummer": hn,
            "park_plaats": plaats,
            "park_bag_id": bag if rng.random() < 0.7 else "",
            "exploitant_kvk": self.kvk(park["exploitant"]),
            "permanente_bewoning_toegestaan": park["perm"],
            "vitaliteit": park["vitaliteit"],
            "peildatum": self.fdate(self.T - rng.randint(1, 90), 0),
            "betrouwbaarheid_bron": grade[0],
            "betrouwbaarheid_info": grade[1],
        }
        if not park["units"]:
            sink.write(base)
            return
        for unit in park["units"]:
            urow = dict(base)
            urow.update(
                eenheid_id=unit["eenheid_id"],
                eenheid_type=unit["type"],
                eenheid_bag_id=unit["bag"],
                eigenaar_land=unit["land"],
            )
            self._party_cols(urow, "eigenaar_", unit["owner"], unit["owner_variant"])
            if not unit["occupants"]:
                sink.write(urow)
                continue
            for occ in unit["occupants"]:
                row = dict(urow)
                row.update(self.person_cols("bewoner_", occ["p"]))
                row["bewoner_nationaliteit"] = occ["nat"]
                row["brp_ingeschreven"] = occ["brp"]
                row["inschrijfdatum"] = self.fdate(occ["since"]) if occ["brp"] == "ja" else ""
                row["werkgever_kvk"] = self.kvk(occ["werkgever"]) if occ["werkgever"] >= 0 else ""
                sink.write(row)

    # ===== planted patterns ================================================================

    def plant(self, reps: int) -> None:
        for r in range(reps):
            gm = _GMS[r % 3]
            self._plant_straw_man(gm)
            self._plant_mass_registration(gm)
            self._plant_phoenix(gm)
            self._plant_bibob_related_signal(gm)
            self._plant_bibob_undeclared(gm)
            self._plant_bibob_financier(gm)
            self._plant_shed_lease(gm)
            self._plant_shed_tenant_signal(gm)
            self._plant_shed_vulnerable(gm)
            self._plant_parks(gm)
            self._plant_multi_partner(gm)
            self._plant_signal_network(gm)

    def _plant_straw_man(self, gm: str) -> None:
        code, T, rng = "STRAW_MAN", self.T, self.rng
        sbis = ("6810", "4511", "9602", "5610", "7820", "4690", "6820")
        x = self.p_person(sur=self.sur_with("van der"))
        for v in (0, 1, 2, 3, 5):
            o = self.p_org(gm, rng.choice(sbis), start=T - rng.randint(60, 1500))
            self.add_func(o, _pref(x), "bestuurder", variant=v)
        self.mark(
            code, True, self.person_key(x, "bestuurder of 5 active orgs, name written 5 ways")
        )
        y = self.p_person(group="TR")
        for i in range(6):
            o = self.p_org(gm, rng.choice(sbis), start=T - rng.randint(60, 1500))
            self.add_func(
                o,
                _pref(y),
                "bestuurder" if i < 4 else "enig_aandeelhouder",
                variant=4 if i % 2 else 0,
            )
        self.mark(
            code,
            True,
            self.person_key(
                y, "4x bestuurder + 2x enig_aandeelhouder, diacritics dropped in some rows"
            ),
        )
        z = self.p_person()
        for _ in range(4):
            self.add_func(self.p_org(gm, rng.choice(sbis)), _pref(z), "bestuurder")
        self.mark(code, False, self.person_key(z, "4 active orgs (threshold 5)"))
        w = self.p_person()
        for i in range(5):
            o = self.p_org(gm, rng.choice(sbis), start=T - rng.randint(900, 3000))
            if i == 0:
                tot = T - rng.randint(60, 500)
                self.add_func(o, _pref(w), "bestuurder", tot=tot)
                self.add_func(o, _pref(self.p_person()), "bestuurder", van=tot)
            else:
                self.add_func(o, _pref(w), "bestuurder")
        self.mark(
            code, False, self.person_key(w, "5 orgs, one role ended (functie_tot in the past)")
        )
        v = self.p_person()
        for i in range(5):
            if i == 0:
                start = T - rng.randint(1500, 3000)
                o = self.p_org(
                    gm,
                    rng.choice(sbis),
                    status="opgeheven",
                    start=start,
                    end=T - rng.randint(30, 300),
                )
            else:
                o = self.p_org(gm, rng.choice(sbis))
            self.add_func(o, _pref(v), "bestuurder")
        self.mark(code, False, self.person_key(v, "5 orgs, one opgeheven"))
        l1 = self.p_person()
        l2 = self.p_lookalike(l1)
        for p, n in ((l1, 3), (l2, 2)):
            for _ in range(n):
                self.add_func(self.p_org(gm, rng.choice(sbis)), _pref(p), "bestuurder")
        self.mark(
            code,
            False,
            self.person_key(l1, "look-alike: same name as next key, other birth date; 3 orgs"),
        )
        self.mark(
            code,
            False,
            self.person_key(l2, "look-alike: same name as previous key, other birth date; 2 orgs"),
        )
        c = self.p_person()
        for i in range(5):
            self.add_func(
                self.p_org(gm, rng.choice(sbis)),
                _pref(c),
                "commissaris" if i == 0 else "bestuurder",
            )
        self.mark(
            code,
            False,
            self.person_key(c, "4x bestuurder + 1x commissaris (commissaris does not count)"),
        )

    def _plant_mass_registration(self, gm: str) -> None:
        code, T, rng = "MASS_REGISTRATION", self.T, self.rng
        sbis = ("6201", "7022", "4690", "6810", "6820", "6920", "7820")
        specs = (
            (True, 10, 0, "exactly 10 active organisations"),
            (True, 11, 1, "11 active + 1 failliet"),
            (False, 9, 0, "9 active organisations (threshold 10)"),
            (False, 9, 2, "9 active + 2 opgeheven"),
        )
        for true, active, ended, note in specs:
            a = self.alloc_address("urban", self.place_in(gm), toev=False)
            for i in range(active + ended):
                if i < active:
                    o = self.p_org(
                        gm,
                        rng.choice(sbis),
                        form=rng.choice(("bv", "bv", "eenmanszaak")),
                        addr=a,
                        start=T - rng.randint(30, 2000),
                    )
                else:
                    start = T - rng.randint(1500, 3000)
                    o = self.p_org(
                        gm,
                        rng.choice(sbis),
                        status="failliet" if true else "opgeheven",
                        addr=a,
                        start=start,
                        end=start + rng.randint(800, 1400),
                    )
                self.add_func(o, _pref(self.p_person()), "bestuurder")
            self.mark(code, true, self.addr_key(a, note))

    def _plant_phoenix(self, gm: str) -> None:
        code, T = "PHOENIX_PATTERN", self.T

        def run(
            specs: Sequence[tuple[float, int, str]], note: str, true: bool, active_too: bool = False
        ) -> None:
            p = self.p_person(born=(1960, 1995))
            for years_ago, days, status in specs:
                start = T - _yrs(years_ago)
                form = "vof" if days % 2 else "bv"
                o = self.p_org(
                    gm,
                    self.rng.choice(("5610", "4120", "4941", "9602")),
                    form=form,
                    status=status,
                    start=start,
                    end=start + days,
                )
                self.add_func(o, _pref(p), "vennoot" if form == "vof" else "bestuurder")
            if active_too:
                self.add_func(self.p_org(gm, "5610", start=T - 60), _pref(p), "bestuurder")
            self.mark(code, true, self.person_key(p, note))

        run(
            ((4.6, 420, "failliet"), (3.3, 335, "opgeheven"), (1.9, 610, "failliet")),
            "3 orgs ended within 24 months of start, plus a new active one",
            True,
            active_too=True,
        )
        run(
            (
                (4.8, 275, "opgeheven"),
                (3.9, 700, "failliet"),
                (2.5, 366, "failliet"),
                (1.5, 243, "opgeheven"),
            ),
            "4 orgs ended within 24 months of start",
            True,
        )
        run(
            ((4.5, 365, "failliet"), (3.0, 915, "opgeheven"), (1.2, 305, "failliet")),
            "2 quick ends + 1 that lasted 30 months",
            False,
        )
        run(
            ((7.5, 365, "failliet"), (3.5, 400, "opgeheven"), (1.6, 300, "failliet")),
            "3 quick ends but one ended 6.5 years ago (outside 5 years)",
            False,
        )

    def _officer_dossier(self, gm: str, o: int, vtype: str, aanvraag: int) -> tuple[_Dossier, str]:
        d = self.dossier(gm, vtype, aanvraag, self.o_addr[o])
        ref = d.party("aanvrager", org=o)
        self.declare_officers(d, o, ref)
        return d, ref

    def _plant_bibob_related_signal(self, gm: str) -> None:
        code, T, rng = "BIBOB_RELATED_SIGNAL", self.T, self.rng
        # A: declared bestuurder is a signal subject
        a1, q1 = self.p_org_with_officer(gm, "5610")
        self.add_func(a1, _pref(q1), "enig_aandeelhouder")
        d, _ = self._officer_dossier(gm, a1, "alcoholwet", T - rng.randint(20, 120))
        d.flush()
        self.p_signal("politie", "drugs", T - rng.randint(60, 300), [("persoon", q1, "subject")])
        self.mark(
            code,
            True,
            self.dossier_key(d.did, "declared bestuurder is signal subject"),
        )
        # B: an organisation run by a declared party (1 hop from a party) is a signal subject
        a2 = self.p_org(gm, "5630")
        h2 = self.p_org(gm, "6420")
        r2 = self.p_person()
        z2 = self.p_org(gm, "4690")
        self.add_func(a2, _pref(r2), "bestuurder")
        self.add_func(a2, _oref(h2), "enig_aandeelhouder")
        self.add_func(h2, _pref(r2), "bestuurder")
        self.add_func(z2, _pref(r2), "bestuurder")
        d, _ = self._officer_dossier(gm, a2, "exploitatie", T - rng.randint(20, 120))
        d.flush()
        self.p_signal(
            "fiod", "witwassen", T - rng.randint(30, 200), [("organisatie", z2, "subject")]
        )
        self.mark(
            code,
            True,
            self.dossier_key(
                d.did, "other firm of a declared bestuurder is signal subject (1 hop from a party)"
            ),
        )
        # C: the private financier is a signal subject (amount below the financier threshold)
        a3, _ = self.p_org_with_officer(gm, "6810")
        d, _ = self._officer_dossier(gm, a3, "vastgoed", T - rng.randint(20, 120))
        f3 = self.p_person(born=(1955, 1985))
        d.party("vermogensverschaffer", person=f3, bedrag=30000)
        d.flush()
        self.p_signal(
            "belastingdienst", "witwassen", T - rng.randint(30, 300), [("persoon", f3, "subject")]
        )
        self.mark(
            code,
            True,
            self.dossier_key(d.did, "vermogensverschaffer is signal subject"),
        )
        self.mark(
            "BIBOB_PRIVATE_FINANCIER",
            False,
            self.dossier_key(d.did, "private person finances 30000 (< 50000)"),
        )
        # near A: the signalled firm is 4 hops from the nearest party
        a4, b4 = self.p_org_with_officer(gm, "5610")
        c4 = self.p_org(gm, "4120")
        e4 = self.p_org(gm, "6420")
        g4 = self.p_person()
        k4 = self.p_org(gm, "4511")
        self.add_func(c4, _pref(b4), "bestuurder")
        self.add_func(c4, _oref(e4), "enig_aandeelhouder")
        self.add_func(e4, _pref(g4), "bestuurder")
        self.add_func(k4, _pref(g4), "bestuurder")
        d, _ = self._officer_dossier(gm, a4, "alcoholwet", T - rng.randint(20, 120))
        d.flush()
        self.p_signal(
            "politie", "drugs", T - rng.randint(30, 300), [("organisatie", k4, "subject")]
        )
        self.mark(
            code,
            False,
            self.dossier_key(
                d.did,
                "signal subject 4 hops from the nearest party "
                "(bestuurder-firm-holding-bestuurder-firm)",
            ),
        )
        # near B: the declared bestuurder's signal is past bewaren_tot
        a5, q5 = self.p_org_with_officer(gm, "5630")
        d, _ = self._officer_dossier(gm, a5, "alcoholwet", T - rng.randint(20, 120))
        d.flush()
        self.p_signal(
            "politie",
            "drugs",
            T - _yrs(6.5),
            [("persoon", q5, "subject")],
            bewaren_tot=T - rng.randint(10, 200),
            status="afgesloten",
        )
        self.mark(
            code,
            False,
            self.dossier_key(d.did, "declared bestuurder's only signal is past bewaren_tot"),
        )

    def _plant_bibob_undeclared(self, gm: str) -> None:
        code, T, rng = "BIBOB_UNDECLARED_OFFICER", self.T, self.rng
        # A: second active bestuurder not declared
        u1, x1 = self.p_org_with_officer(gm, "5610")
        x2 = self.p_person()
        d = self.dossier(gm, "alcoholwet", T - rng.randint(20, 150), self.o_addr[u1])
        p1 = d.party("aanvrager", org=u1)
        d.party("bestuurder", person=x1, tav=p1)
        d.flush()
        self.add_func(u1, _pref(x2), "bestuurder", van=T - _yrs(2))
        self.mark(
            code,
            True,
            self.dossier_key(
                d.did, "active second bestuurder not declared", undeclared=self.person_key(x2)
            ),
        )
        # B: holding that is enig_aandeelhouder not declared
        u2, x = self.p_org_with_officer(gm, "5630")
        h = self.p_org(gm, "6420")
        self.add_func(h, _pref(x), "bestuurder")
        self.add_func(u2, _oref(h), "enig_aandeelhouder")
        d = self.dossier(gm, "exploitatie", T - rng.randint(20, 150), self.o_addr[u2])
        p1 = d.party("aanvrager", org=u2)
        d.party("bestuurder", person=x, tav=p1)
        d.flush()
        self.mark(
            code,
            True,
            self.dossier_key(
                d.did, "holding (enig_aandeelhouder) not declared", undeclared=self.org_key(h)
            ),
        )
        # C: the bestuurder of the verhuurder organisation (a party) is not declared
        u3, _ = self.p_org_with_officer(gm, "5610")
        v3, y3 = self.p_org_with_officer(gm, "6820")
        d, _ = self._officer_dossier(gm, u3, "alcoholwet", T - rng.randint(20, 150))
        d.party("verhuurder", org=v3, bedrag=2500)
        d.flush()
        self.mark(
            code,
            True,
            self.dossier_key(
                d.did,
                "bestuurder of the verhuurder (a party organisation) not declared",
                undeclared=self.person_key(y3),
            ),
        )
        # near A: undeclared former bestuurder (functie_tot in the past)
        u4 = self.p_org(gm, "5610", start=T - _yrs(6))
        old = self.p_person()
        new = self.p_person()
        self.add_func(u4, _pref(old), "bestuurder", tot=T - _yrs(1))
        self.add_func(u4, _pref(new), "bestuurder", van=T - _yrs(1))
        d, _ = self._officer_dossier(gm, u4, "alcoholwet", T - rng.randint(20, 150))
        d.flush()
        self.mark(
            code,
            False,
            self.dossier_key(d.did, "only the former bestuurder (role ended) is not declared"),
        )
        # near B: declared under a differently written name: same person
        u5 = self.p_org(gm, "5630")
        x5 = self.p_person(sur=self.sur_with("van der"))
        self.add_func(u5, _pref(x5), "bestuurder", variant=0)
        d = self.dossier(gm, "alcoholwet", T - rng.randint(20, 150), self.o_addr[u5])
        p1 = d.party("aanvrager", org=u5)
        d.party("bestuurder", person=x5, tav=p1, variant=2)
        d.flush()
        self.mark(
            code,
            False,
            self.dossier_key(
                d.did, "bestuurder declared as 'Berg, van der' style name: same person"
            ),
        )

    def _plant_bibob_financier(self, gm: str) -> None:
        code, T, rng = "BIBOB_PRIVATE_FINANCIER", self.T, self.rng

        def base(sbi: str) -> _Dossier:
            a, _ = self.p_org_with_officer(gm, sbi)
            d, _ = self._officer_dossier(
                gm,
                a,
                rng.choice(("alcoholwet", "exploitatie", "vastgoed")),
                T - rng.randint(20, 150),
            )
            return d

        d = base("5610")
        d.party(
            "vermogensverschaffer", person=self.p_person(born=(1950, 1990)), bedrag=75000, dutch=1.0
        )
        d.flush()
        self.mark(
            code,
            True,
            self.dossier_key(d.did, "natural person finances 75.000,00"),
        )
        d = base("5630")
        fin, _ = self.p_org_with_officer(gm, "4511")
        ref = d.party("vermogensverschaffer", org=fin, bedrag=50000, dutch=0.0)
        self.declare_officers(d, fin, ref)
        d.flush()
        self.mark(
            code,
            True,
            self.dossier_key(d.did, "car dealer (SBI 4511) finances exactly 50000"),
        )
        d = base("5610")
        d.party("vermogensverschaffer", person=self.p_person(born=(1950, 1990)), bedrag=49999)
        d.flush()
        self.mark(
            code,
            False,
            self.dossier_key(d.did, "natural person finances 49999"),
        )
        d = base("6810")
        bank = self.p_org(gm, "6419", form="cooperatie", start=T - _yrs(40))
        d.party("vermogensverschaffer", org=bank, bedrag=250000)
        d.flush()
        self.mark(
            code,
            False,
            self.dossier_key(d.did, "bank (SBI 6419) finances 250000"),
        )

    def _plant_shed_lease(self, gm: str) -> None:
        code, T, rng = "SHED_SUSPICIOUS_LEASE", self.T, self.rng

        def shed(huurder: Party, rate: float, betaal: str, gebruik: str) -> str:
            owner = ("persoon", self.p_person(born=(1945, 1975)))
            opp = rng.randint(250, 900)
            return self.p_shed(
                gm,
                owner,
                "ja",
                [
                    self.tenancy(
                        huurder, opp, rate, T - rng.randint(60, 300), betaal, gebruik=gebruik
                    )
                ],
                opp=opp,
            )

        def org(sbi: str) -> Party:
            return self.org_party(gm, sbi)

        def per() -> Party:
            return ("persoon", self.p_person(born=(1970, 2000)))

        oid = shed(org("4941"), 0.45, "contant", rng.choice(COVER_USE))
        self.mark(code, True, self.shed_key(oid, "transport firm pays cash"))
        oid = shed(per(), 2.5, "bank", rng.choice(COVER_USE))
        self.mark(code, True, self.shed_key(oid, "natural person pays ~5x the median rent per m2"))
        oid = shed(org("4690"), 1.6, "bank", rng.choice(COVER_USE))
        self.mark(code, True, self.shed_key(oid, "wholesaler pays ~3.5x the median rent per m2"))
        oid = shed(org("0113"), 0.45, "contant", rng.choice(AGRI_USE))
        self.mark(code, False, self.shed_key(oid, "agricultural tenant (SBI 0113) pays cash"))
        oid = shed(org("6820"), 0.55, "bank", rng.choice(OTHER_USE))
        self.mark(
            code, False, self.shed_key(oid, "non-agricultural tenant, bank, rent ~1.2x median")
        )
        oid = shed(per(), 0.42, "bank", rng.choice(OTHER_USE))
        self.mark(code, False, self.shed_key(oid, "natural person, bank, ordinary rent"))

    def _plant_shed_tenant_signal(self, gm: str) -> None:
        code, T, rng = "SHED_TENANT_SIGNAL", self.T, self.rng

        def owner() -> Party:
            return ("persoon", self.p_person(born=(1945, 1975)))

        t1, b1 = self.p_org_with_officer(gm, "4941")
        oid = self.p_shed(
            gm, owner(), "ja", [self.tenancy(("organisatie", t1), 500, 0.45, T - _yrs(2))], opp=500
        )
        self.p_signal("politie", "drugs", T - rng.randint(30, 200), [("persoon", b1, "subject")])
        self.mark(code, True, self.shed_key(oid, "bestuurder of the tenant is signal subject"))
        t2 = ("persoon", self.p_person(born=(1975, 1998)))
        oid = self.p_shed(
            gm,
            owner(),
            "ja",
            [self.tenancy(t2, 300, 0.40, T - 300)],
            opp=300,
            controle=T - 60,
            bevinding="geen",
        )
        self.p_shed(
            gm,
            owner(),
            "nee",
            [self.tenancy(t2, 350, 0.40, T - 500, end=T - 110)],
            opp=350,
            controle=T - 120,
            bevinding="hennep",
        )
        self.mark(
            code, True, self.shed_key(oid, "tenant also rented another shed where hennep was found")
        )
        t3, _ = self.p_org_with_officer(gm, "4690")
        oid = self.p_shed(
            gm, owner(), "ja", [self.tenancy(("organisatie", t3), 600, 0.5, T - _yrs(1.5))], opp=600
        )
        self.p_signal(
            "fiod", "witwassen", T - rng.randint(30, 200), [("organisatie", t3, "subject")]
        )
        self.mark(code, True, self.shed_key(oid, "tenant organisation is signal subject"))
        t4, b4 = self.p_org_with_officer(gm, "4941")
        oid = self.p_shed(
            gm, owner(), "ja", [self.tenancy(("organisatie", t4), 450, 0.45, T - _yrs(2))], opp=450
        )
        self.p_signal(
            "politie",
            "drugs",
            T - _yrs(7),
            [("persoon", b4, "subject")],
            bewaren_tot=T - rng.randint(30, 300),
            status="afgesloten",
        )
        self.mark(code, False, self.shed_key(oid, "tenant's bestuurder: signal past bewaren_tot"))
        t5 = ("persoon", self.p_person(born=(1975, 1998)))
        oid = self.p_shed(
            gm,
            owner(),
            "ja",
            [self.tenancy(t5, 300, 0.40, T - 400)],
            opp=300,
            controle=T - 90,
            bevinding="geen",
        )
        self.p_shed(
            gm,
            owner(),
            "ja",
            [self.tenancy(t5, 200, 0.40, T - 700)],
            opp=200,
            controle=T - 100,
            bevinding="geen",
        )
        self.mark(
            code, False, self.shed_key(oid, "tenant rents another shed, inspected, bevinding geen")
        )

    def _plant_shed_vulnerable(self, gm: str) -> None:
        code, T = "SHED_VULNERABLE_OWNER", self.T

        def shed(owner: Party, agr: str, huurder: Party, start: int, leeg: int = 0) -> str:
            return self.p_shed(
                gm,
                owner,
                agr,
                [self.tenancy(huurder, 500, 0.45, start, gebruik="opslag")],
                opp=500,
                leegstaand=leeg,
            )

        def per() -> Party:
            return ("persoon", self.p_person(born=(1945, 1970)))

        def org(sbi: str) -> Party:
            return self.org_party(gm, sbi)

        oid = shed(per(), "stoppend", org("4690"), T - 90)
        self.mark(
            code, True, self.shed_key(oid, "stopping farmer, wholesaler tenant since 3 months")
        )
        oid = shed(
            per(), "nee", ("persoon", self.p_person(born=(1975, 2000))), T - 150, leeg=T - _yrs(3)
        )
        self.mark(
            code,
            True,
            self.shed_key(oid, "empty 2.5 years before, natural person tenant since 5 months"),
        )
        oid = shed(org("0141"), "stoppend", org("4941"), T - 30)
        self.mark(
            code,
            True,
            self.shed_key(oid, "stopping farm (organisation), transport tenant since 1 month"),
        )
        oid = shed(per(), "stoppend", org("4690"), T - 430)
        self.mark(
            code, False, self.shed_key(oid, "stopping farmer, but tenancy started 14 months ago")
        )
        oid = shed(per(), "stoppend", org("0141"), T - 60)
        self.mark(
            code,
            False,
            self.shed_key(oid, "stopping farmer, new tenant is agricultural (SBI 0141)"),
        )
        oid = shed(per(), "ja", org("4520"), T - 20, leeg=T - 210)
        self.mark(code, False, self.shed_key(oid, "active farmer, empty only 7 months"))

    def _plant_parks(self, gm: str) -> None:
        T, rng = self.T, self.rng
        pk_a = self.p_park(gm, "nee", "vergane_glorie", True)
        pk_b = self.p_park(gm, "nee", "buffer_woningmarkt", False)
        pk_c = self.p_park(gm, "ja", "vitaal", False)
        # fillers: ordinary owners, some owner-occupants (not registered on a recreational park)
        for park in (pk_a, pk_b, pk_c):
            for _ in range(4):
                owner = self.p_person(born=(1945, 1985))
                occ = (
                    [self.occupant(owner, brp="ja" if park["perm"] == "ja" else "nee")]
                    if rng.random() < 0.5
                    else []
                )
                self.p_unit(
                    park,
                    ("persoon", owner),
                    occ,
                    utype=rng.choice(("chalet", "stacaravan", "bungalow")),
                )

        def migrants(n: int, brp: str, werkgever: int) -> list[dict[str, Any]]:
            g = rng.choices(_MIGRANT_GROUPS, weights=_MIGRANT_W)[0]
            return [
                self.occupant(self.p_person(group=g, born=(1975, 2004)), brp, werkgever)
                for _ in range(n)
            ]

        # PARK_OVERCROWDING
        code = "PARK_OVERCROWDING"
        y, _ = self.p_org_with_officer(gm, "7820")
        y2, _ = self.p_org_with_officer(gm, "7820")
        u = self.p_unit(
            pk_a, ("persoon", self.p_person(born=(1950, 1980))), migrants(5, "ja", y), "stacaravan"
        )
        self.mark(code, True, self.unit_key(pk_a, u, "5 persons brp_ingeschreven"))
        u = self.p_unit(
            pk_a, ("persoon", self.p_person(born=(1950, 1980))), migrants(7, "ja", y2), "chalet"
        )
        self.mark(code, True, self.unit_key(pk_a, u, "7 persons brp_ingeschreven"))
        u = self.p_unit(
            pk_a,
            ("persoon", self.p_person(born=(1950, 1980))),
            migrants(4, "ja", y) + migrants(2, "nee", y),
            "stacaravan",
        )
        self.mark(code, False, self.unit_key(pk_a, u, "6 occupants but only 4 brp_ingeschreven"))
        # PARK_EMPLOYER_HOUSING
        code = "PARK_EMPLOYER_HOUSING"
        uo, _ = self.p_org_with_officer(gm, "7820")
        u = self.p_unit(pk_a, ("organisatie", uo), migrants(3, "ja", uo), "stacaravan")
        self.mark(
            code, True, self.unit_key(pk_a, u, "3 occupants employed by the owning uitzendbureau")
        )
        v = self.p_person(born=(1960, 1985))
        w = self.p_org(gm, "7820")
        self.add_func(w, _pref(v), "bestuurder")
        u = self.p_unit(pk_a, ("persoon", v), migrants(2, "ja", w), "chalet")
        self.mark(
            code, True, self.unit_key(pk_a, u, "owner is bestuurder of the occupants' employer")
        )
        h = self.p_org(gm, "6420")
        self.add_func(h, _pref(self.p_person()), "bestuurder")
        w2, _ = self.p_org_with_officer(gm, "7820")
        self.add_func(w2, _oref(h), "enig_aandeelhouder")
        u = self.p_unit(pk_a, ("organisatie", h), migrants(2, "nee", w2), "stacaravan")
        self.mark(
            code,
            True,
            self.unit_key(
                pk_a, u, "owner holding is enig_aandeelhouder of the occupants' employer"
            ),
        )
        uo2, _ = self.p_org_with_officer(gm, "7820")
        u = self.p_unit(
            pk_a, ("organisatie", uo2), migrants(1, "ja", uo2) + migrants(1, "ja", y), "stacaravan"
        )
        self.mark(code, False, self.unit_key(pk_a, u, "only 1 occupant employed by the owner"))
        v2 = self.p_person(born=(1960, 1985))
        w3 = self.p_org(gm, "7820")
        self.add_func(w3, _pref(self.p_lookalike(v2)), "bestuurder")
        u = self.p_unit(pk_a, ("persoon", v2), migrants(2, "ja", w3), "chalet")
        self.mark(
            code,
            False,
            self.unit_key(
                pk_a, u, "employer's bestuurder has the owner's name but another birth date"
            ),
        )
        # PARK_OWNER_CONCENTRATION
        code = "PARK_OWNER_CONCENTRATION"
        vg, _ = self.p_org_with_officer(gm, "6810")
        for _ in range(6):
            self.p_unit(pk_b, ("organisatie", vg), utype="chalet")
        self.mark(
            code, True, {**self.org_key(vg, "owns 6 units on one park"), "park_id": pk_b["park_id"]}
        )
        po = self.p_person(sur=self.sur_with("van der"), born=(1950, 1975))
        for v_ in (0, 1, 2, 3, 5):
            self.p_unit(pk_b, ("persoon", po), utype="chalet", owner_variant=v_)
        self.mark(
            code,
            True,
            {
                **self.person_key(po, "owns 5 units, name written 5 ways"),
                "park_id": pk_b["park_id"],
            },
        )
        p4 = self.p_person(born=(1950, 1975))
        for _ in range(4):
            self.p_unit(pk_b, ("persoon", p4), utype="stacaravan")
        self.mark(
            code,
            False,
            {**self.person_key(p4, "owns 4 units on one park"), "park_id": pk_b["park_id"]},
        )
        vg2, _ = self.p_org_with_officer(gm, "6810")
        for park in (pk_b, pk_b, pk_b, pk_c, pk_c, pk_c):
            self.p_unit(park, ("organisatie", vg2), utype="bungalow")
        self.mark(code, False, self.org_key(vg2, "owns 3 units on each of two parks"))
        la = self.p_person(born=(1950, 1975))
        lb = self.p_lookalike(la)
        for p, n in ((la, 3), (lb, 2)):
            for _ in range(n):
                self.p_unit(pk_b, ("persoon", p), utype="chalet")
        self.mark(
            code,
            False,
            {
                **self.person_key(la, "look-alike of next key; owns 3 units"),
                "park_id": pk_b["park_id"],
            },
        )
        self.mark(
            code,
            False,
            {
                **self.person_key(lb, "look-alike of previous key; owns 2 units"),
                "park_id": pk_b["park_id"],
            },
        )
        # COMPANY_ON_PARK
        code = "COMPANY_ON_PARK"
        o, _ = self.p_org_with_officer(gm, "4120", addr=pk_a["addr"])
        self.mark(
            code,
            True,
            self.org_key(
                o, "active firm at the main address of a park without permanent habitation"
            ),
        )
        bag_unit = next(un for un in pk_a["units"] if un["bag"])
        o, _ = self.p_org_with_officer(gm, "4321", addr=pk_a["addr"])
        self.addr_override[o] = {
            "adres_bag_id": bag_unit["bag"],
            "adres_toevoeging": bag_unit["eenheid_id"],
        }
        self.mark(
            code,
            True,
            self.org_key(
                o, f"active firm at unit {bag_unit['eenheid_id']} (adres_bag_id = eenheid_bag_id)"
            ),
        )
        o, _ = self.p_org_with_officer(gm, "6201", addr=pk_b["addr"])
        self.status_override[o] = ""
        self.mark(
            code,
            True,
            self.org_key(o, "status empty (default actief) at main address of a 'nee' park"),
        )
        o, _ = self.p_org_with_officer(gm, "9602", addr=pk_c["addr"])
        self.mark(
            code,
            False,
            self.org_key(o, "active firm at a park where permanent habitation is allowed"),
        )
        o, _ = self.p_org_with_officer(
            gm,
            "4520",
            addr=pk_a["addr"],
            status="opgeheven",
            start=T - _yrs(6),
            end=T - rng.randint(60, 700),
        )
        self.mark(code, False, self.org_key(o, "opgeheven firm at a 'nee' park"))
        o, _ = self.p_org_with_officer(
            gm, "7022", addr=pk_b["addr"], start=T - _yrs(5), end=T - rng.randint(30, 200)
        )
        self.status_override[o] = ""
        self.mark(
            code, False, self.org_key(o, "status empty but datum_einde in the past: not active")
        )

    def _plant_multi_partner(self, gm: str) -> None:
        code, T, rng = "MULTI_PARTNER_SIGNALS", self.T, self.rng
        p = self.p_person()
        self.p_signal("politie", "drugs", T - 270, [("persoon", p, "subject")])
        self.p_signal("belastingdienst", "witwassen", T - 60, [("persoon", p, "subject")])
        self.mark(code, True, self.person_key(p, "politie + belastingdienst within 7 months"))
        o, _ = self.p_org_with_officer(gm, "7820")
        self.p_signal("uwv", "arbeidsuitbuiting", T - 180, [("organisatie", o, "subject")])
        self.p_signal("fiod", "witwassen", T - 40, [("organisatie", o, "subject")])
        self.p_signal(
            "gemeente", "vakantiepark", T - 20, [("organisatie", o, "subject")], grade=("", "")
        )
        self.mark(code, True, self.org_key(o, "uwv + fiod + gemeente within 6 months"))
        a = self.alloc_address("urban", self.place_in(gm), toev=False)
        self.p_signal("gemeente", "mensenhandel", T - 120, [("adres", a, "subject")])
        self.p_signal("politie", "mensenhandel", T - 90, [("adres", a, "subject")])
        self.mark(code, True, self.addr_key(a, "gemeente + politie within 1 month"))
        p = self.p_person()
        self.p_signal("politie", "drugs", T - 200, [("persoon", p, "subject")])
        self.p_signal("politie", "drugs", T - 50, [("persoon", p, "subject")])
        self.mark(code, False, self.person_key(p, "two signals, both from politie"))
        o, _ = self.p_org_with_officer(gm, "4511")
        self.p_signal("politie", "witwassen", T - 790, [("organisatie", o, "subject")])
        self.p_signal("fiod", "witwassen", T - 270, [("organisatie", o, "subject")])
        self.mark(code, False, self.org_key(o, "politie and fiod 17 months apart"))
        p = self.p_person()
        self.p_signal(
            "politie",
            "drugs",
            T - 330,
            [("persoon", p, "subject")],
            bewaren_tot=T - rng.randint(5, 25),
        )
        self.p_signal("uwv", "arbeidsuitbuiting", T - 90, [("persoon", p, "subject")])
        self.mark(code, False, self.person_key(p, "second partner's signal is past bewaren_tot"))

    def _plant_signal_network(self, gm: str) -> None:
        code, T, rng = "SIGNAL_NETWORK", self.T, self.rng

        def sig(etype: str, ref: int, expired: bool = False) -> None:
            if expired:
                self.p_signal(
                    "politie",
                    "overig",
                    T - _yrs(6),
                    [(etype, ref, "subject")],
                    bewaren_tot=T - rng.randint(30, 300),
                    status="afgesloten",
                )
            else:
                self.p_signal(
                    rng.choice(("politie", "belastingdienst", "gemeente")),
                    "overig",
                    T - rng.randint(30, 300),
                    [(etype, ref, "subject")],
                )

        n1 = self.p_org(gm, "6810")
        for _ in range(2):
            s = self.p_person()
            self.add_func(n1, _pref(s), "bestuurder")
            sig("persoon", s)
        self.mark(code, True, self.org_key(n1, "both bestuurders are signal subjects (1 hop each)"))
        m2 = self.p_person(born=(1950, 1975))
        a2 = self.p_org(gm, "4690")
        self.add_func(a2, _pref(m2), "bestuurder")
        sig("organisatie", a2)
        t2 = self.p_person(born=(1975, 2000))
        self.p_shed(
            gm,
            ("persoon", m2),
            "nee",
            [self.tenancy(("persoon", t2), 400, 0.45, T - _yrs(1.5))],
            opp=400,
        )
        sig("persoon", t2)
        self.mark(
            code,
            True,
            self.person_key(m2, "runs a signalled firm and lets a shed to a signalled person"),
        )
        c3 = self.p_org(gm, "4120")
        h3 = self.p_org(gm, "6420")
        j3 = self.p_person()
        self.add_func(h3, _pref(self.p_person()), "bestuurder")
        self.add_func(c3, _oref(h3), "enig_aandeelhouder")
        self.add_func(c3, _pref(j3), "bestuurder")
        sig("organisatie", h3)
        sig("persoon", j3)
        self.mark(code, True, self.org_key(c3, "signalled holding and signalled bestuurder"))
        k4 = self.p_person()
        b4 = self.p_org(gm, "5630")
        d4 = self.p_org(gm, "4520")
        e4 = self.p_org(gm, "6420")
        f4 = self.p_person()
        self.add_func(b4, _pref(k4), "bestuurder")
        self.add_func(d4, _pref(k4), "bestuurder")
        self.add_func(d4, _oref(e4), "enig_aandeelhouder")
        self.add_func(e4, _pref(f4), "bestuurder")
        sig("organisatie", b4)
        sig("persoon", f4)
        self.mark(
            code, False, self.person_key(k4, "one signal subject at 1 hop, the other at 3 hops")
        )
        self.mark(
            code,
            True,
            self.org_key(
                d4, "bestuurder runs a signalled firm; shareholder's bestuurder is signalled"
            ),
        )
        n5 = self.p_org(gm, "6820")
        for expired in (False, True):
            s = self.p_person()
            self.add_func(n5, _pref(s), "bestuurder")
            sig("persoon", s, expired)
        self.mark(
            code, False, self.org_key(n5, "two signalled bestuurders, one signal past bewaren_tot")
        )
        # a park that is subject of signals from two partners (MULTI_PARTNER_SIGNALS on a park)
        park = self.pl_parks[-3]
        self.p_signal(
            "gemeente", "vakantiepark", T - 150, [("vakantiepark", park["park_id"], "subject")]
        )
        self.p_signal(
            "politie", "vakantiepark", T - 100, [("vakantiepark", park["park_id"], "subject")]
        )
        self.mark(
            "MULTI_PARTNER_SIGNALS",
            True,
            {
                "entity": "vakantiepark",
                "park_id": park["park_id"],
                "note": "gemeente + politie within 2 months",
            },
        )

    # ===== background =======================================================================

    def build_background(self) -> None:
        """Background organisations and their functionarissen, as arrays."""
        rng, T = self.rng, self.T
        self.P0 = len(self.p_first)
        self.O0 = len(self.o_form)
        budget = max(300, self.size - sum(self.counts.values()))
        self.budget = budget
        n_orgs = max(30, int(budget * 0.205))
        self.n_units = max(20, int(budget * 0.116))
        self.n_parks = max(2, round(self.n_units / 55))
        self.n_sheds = max(20, int(budget * 0.051))
        self.n_dossiers = max(10, int(budget * 0.023))
        self.n_signals = max(10, int(budget * 0.023))
        self.pool_start = len(self.a_block)
        self.pool_n = max(20, int(n_orgs / 1.7))
        for _ in range(self.pool_n):
            self.alloc_address("urban")
        self.a_cnt = array("B", bytes(self.pool_n))
        lo = date(1975, 1, 1).toordinal()

        def org_addr() -> int:
            for _ in range(50):
                k = rng.randrange(self.pool_n)
                if self.a_cnt[k] < 3:
                    self.a_cnt[k] += 1
                    return self.pool_start + k
            return self.pool_start + rng.randrange(self.pool_n)

        def person(slots: int = 1) -> int:
            if len(self.p_first) > self.P0 + 20 and rng.random() < 0.15:
                for _ in range(5):
                    p = rng.randrange(self.P0, len(self.p_first))
                    if self.p_cnt[p] + slots <= 2:
                        self.p_cnt[p] += slots
                        return p
            p = self.add_person(self.make_person(born=(1940, 2003)))
            self.p_cnt[p] = slots
            return p

        def org(form: str, sbi: str = "", status: str = "", start: int = 0) -> int:
            if not sbi:
                codes, w = _FORM_SBI[form]
                sbi = rng.choices(codes, weights=w)[0]
            if not start:
                start = max(lo, T - int(rng.expovariate(1 / (11 * 365))) - 20)
            end = 0
            if not status:
                r = rng.random()
                status = "opgeheven" if r < 0.11 else "failliet" if r < 0.14 else "actief"
            if status != "actief":
                if start + 3 * 365 >= T - 30:
                    status = "actief"
                else:
                    end = rng.randint(start + 3 * 365, T - 30)
            return self.new_org(form, sbi, status, start, end, org_addr())

        def setf(o: int, k: int, ref: int, functie: str) -> None:
            self.o_f[3 * o + k] = ref
            self.o_fc[3 * o + k] = _FUNCTIE_IDX[functie]

        def staff(o: int) -> None:
            form = RECHTSVORMEN[self.o_form[o]]
            if form == "eenmanszaak":
                setf(o, 0, _pref(person()), "bestuurder")
            elif form == "vof":
                p1 = person()
                setf(o, 0, _pref(p1), "vennoot")
                s1 = self.p_sur[p1]
                partner = self.add_person(
                    self.make_person(group=_SUR[s1][3], sur=s1, born=(1940, 2003))
                )
                self.p_cnt[partner] = 1
                setf(o, 1, _pref(partner), "vennoot")
            elif form == "bv":
                r = rng.random()
                if r < 0.12:
                    p = person(2)
                    h = org("bv", "6420", status="actief", start=self.o_start[o])
                    setf(h, 0, _pref(p), "bestuurder")
                    setf(h, 1, _pref(p), "enig_aandeelhouder")
                    setf(o, 0, _pref(p), "bestuurder")
                    setf(o, 1, _oref(h), "enig_aandeelhouder")
                elif r < 0.75:
                    p = person()
                    setf(o, 0, _pref(p), "bestuurder")
                    setf(o, 1, _pref(p), "enig_aandeelhouder")
                else:
                    p1, p2 = person(), person()
                    setf(o, 0, _pref(p1), "bestuurder")
                    setf(o, 1, _pref(p1), "aandeelhouder")
                    setf(o, 2, _pref(p2), "aandeelhouder")
            elif form == "nv":
                setf(o, 0, _pref(person()), "bestuurder")
                setf(o, 1, _pref(person()), "bestuurder")
                setf(o, 2, _pref(person()), "commissaris")
            elif form in ("stichting", "vereniging"):
                for k in range(rng.randint(2, 3)):
                    setf(o, k, _pref(person()), "bestuurder")
            elif form == "cooperatie":
                setf(o, 0, _pref(person()), "bestuurder")
                setf(o, 1, _pref(person()), "bestuurder")
            else:
                setf(o, 0, _pref(person()), "gevolmachtigde")

        # banks (no functionarissen listed), park exploitants, then the rest
        self.banks = [
            org(
                rng.choice(("cooperatie", "nv")),
                "6419",
                "actief",
                start=T - _yrs(rng.randint(30, 90)),
            )
            for _ in range(2 + n_orgs // 25_000)
        ]
        self.park_expl = array("I")
        for _ in range(self.n_parks):
            o = org("bv", "5530", "actief")
            staff(o)
            self.park_expl.append(o)
        # guarantee a few farms and employers for small sizes
        for sbi in ("0141", "0150", "0111"):
            staff(org("eenmanszaak", sbi, "actief"))
        for sbi in ("7820", "4941"):
            staff(org("bv", sbi, "actief"))
        while len(self.o_form) - self.O0 < n_orgs:
            staff(org(rng.choices(RECHTSVORMEN, weights=_FORM_W)[0]))
        self.agri = array("I")
        self.employers = array("I")
        bank_set = set(self.banks)
        for o in range(self.O0, len(self.o_form)):
            if not self.org_active(o) or o in bank_set:
                continue
            sbi = self.org_sbi(o)
            if sbi.startswith("01"):
                self.agri.append(o)
            if sbi in _EMPLOYER_SBI:
                self.employers.append(o)

    def bg_active_org(self) -> int:
        """A random active background organisation that is not a bank."""
        for _ in range(100):
            o = self.rng.randrange(self.O0, len(self.o_form))
            if self.org_active(o) and o not in self.banks:
                return o
        return self.employers[0]

    # ----- writing ---------------------------------------------------------------------

    def write_kvk(self, sink: _Sink) -> None:
        rng, T = self.rng, self.T
        peil = self.fdate(T - 3, 0)
        for o in range(len(self.o_form)):
            form = RECHTSVORMEN[self.o_form[o]]
            status = self.status_override.get(o, STATUSES[self.o_status[o]])
            if o not in self.status_override and status == "actief" and rng.random() < 0.04:
                status = ""
            street, hn, t, pc, plaats, _, bag = self.addr(self.o_addr[o])
            base: dict[str, Any] = {
                "kvk_nummer": self.kvk(o),
                "naam": self.org_name(o),
                "rechtsvorm": form,
                "rsin": self.rsin(o)
                if form in ("bv", "nv", "stichting", "vereniging", "cooperatie")
                else "",
                "sbi_code": self.org_sbi(o),
                "datum_aanvang": self.fdate(self.o_start[o]),
                "datum_einde": self.fdate(self.o_end[o]),
                "status": status,
                "adres_straat": street,
                "adres_huisnummer": hn,
                "adres_toevoeging": t,
                "adres_postcode": self.fpc(pc),
                "adres_plaats": plaats,
                "adres_bag_id": bag if rng.random() < 0.5 else "",
                "peildatum": peil,
                "betrouwbaarheid_bron": "A",
                "betrouwbaarheid_info": "1",
            }
            if o in self.addr_override:
                base.update(self.addr_override[o])
            funcs = self.org_funcs(o)
            if (
                o >= self.O0
                and funcs
                and form in ("bv", "stichting")
                and self.org_active(o)
                and self.o_start[o] < T - 3 * 365
                and rng.random() < 0.06
            ):
                # a former bestuurder whose role ended; the current ones start then
                tot = rng.randint(self.o_start[o] + 365, T - 60)
                former = self.add_person(self.make_person(born=(1940, 1985)))
                funcs = [_Func(_pref(former), "bestuurder", self.o_start[o], tot, None, -1)] + [
                    f._replace(van=max(f.van, tot)) for f in funcs
                ]
            if not funcs:
                sink.write(base)
                continue
            for f in funcs:
                row = dict(base)
                if f.ref > 0:
                    row["functionaris_type"] = "persoon"
                    row.update(self.person_cols("functionaris_", f.ref - 1, f.variant))
                else:
                    row["functionaris_type"] = "organisatie"
                    row["functionaris_kvk"] = self.kvk(-f.ref - 1)
                row["functie"] = f.functie
                row["aandeel_pct"] = f.aandeel if f.aandeel is not None else ""
                row["functie_van"] = self.fdate(f.van)
                row["functie_tot"] = self.fdate(f.tot)
                sink.write(row)

    def write_bibob(self, sink: _Sink) -> None:
        rng, T = self.rng, self.T
        for row in self.pl_rows["bibob"]:
            sink.write(row)
        lo = date(2021, 1, 1).toordinal()
        vtypes = VERGUNNING_TYPES
        vweights = (30, 25, 15, 10, 8, 7, 5)
        for _ in range(self.n_dossiers):
            aanvraag = rng.randint(lo, T - 1)
            vtype = rng.choices(vtypes, weights=vweights)[0]
            if aanvraag > T - 90 and rng.random() < 0.7:
                advies, besluit, bdat = "lopend", "lopend", 0
            else:
                r = rng.random()
                advies = (
                    "geen_gevaar" if r < 0.88 else "mindere_mate" if r < 0.97 else "ernstig_gevaar"
                )
                besluit = {
                    "geen_gevaar": "verleend",
                    "mindere_mate": "verleend_met_voorschriften",
                    "ernstig_gevaar": "geweigerd",
                }[advies]
                bdat = min(T - 1, aanvraag + rng.randint(30, 120))
            if rng.random() < 0.85:
                o = self.bg_active_org()
                loc = self.o_addr[o]
                gm = PLACES[self.addr_place(loc)][0]
                d = self.dossier(gm, vtype, aanvraag, loc, advies, besluit, bdat)
                ref = d.party("aanvrager", org=o)
                self.declare_officers(d, o, ref)
            else:
                p = rng.randrange(self.P0, len(self.p_first))
                loc = self.pool_start + rng.randrange(self.pool_n)
                gm = PLACES[self.addr_place(loc)][0]
                d = self.dossier(gm, vtype, aanvraag, loc, advies, besluit, bdat)
                d.party("aanvrager", person=p)
            if rng.random() < 0.3:
                d.party(
                    "verhuurder",
                    fly=self.fly_person(born=(1940, 1985)),
                    bedrag=rng.randint(8, 45) * 100,
                )
            r = rng.random()
            if r < 0.35:
                d.party(
                    "vermogensverschaffer",
                    org=rng.choice(self.banks),
                    bedrag=rng.randint(10, 150) * 5000,
                )
            elif r < 0.43:
                d.party(
                    "vermogensverschaffer",
                    fly=self.fly_person(born=(1940, 1985)),
                    bedrag=rng.randint(5, 45) * 1000,
                )
            d.flush(sink)

    def write_parks(self, sink: _Sink) -> None:
        rng = self.rng
        for planted_park in self.pl_parks:
            self.park_rows(planted_park, sink)
        units_left = self.n_units
        vit = ("vitaal", "middensegment", "vergane_glorie", "buffer_woningmarkt", "onbekend")
        vit_w = (35, 25, 15, 15, 10)
        for k in range(self.n_parks):
            self.seq["park"] += 1
            self.counts["parks"] += 1
            n_units = units_left // (self.n_parks - k) if k < self.n_parks - 1 else units_left
            n_units = max(0, min(units_left, int(n_units * rng.uniform(0.5, 1.5))))
            if rng.random() < 0.08:
                n_units = 0  # park known only by its main address
            units_left -= n_units
            place = rng.choices(
                range(len(PLACES)), weights=[p[3] * (4 if p[0] == "1701" else 1) for p in PLACES]
            )[0]
            expl = self.park_expl[k]
            park: dict[str, Any] = {
                "park_id": f"VP-{self.seq['park']:04d}",
                "naam": rng.choice(("Camping ", "Vakantiepark ", "Recreatiepark ", "Bungalowpark "))
                + rng.choice(PARK_WORDS),
                "addr": self.alloc_address("rural", place, toev=False),
                "exploitant": expl,
                "perm": "ja" if rng.random() < 0.25 else "nee",
                "vitaliteit": rng.choices(vit, weights=vit_w)[0],
                "unit_bags": rng.random() < 0.3,
                "units": [],
            }
            if park["perm"] == "nee" and rng.random() < 0.03:
                park["perm"] = "n"
            migrant_p = (
                0.15 if park["vitaliteit"] in ("vergane_glorie", "buffer_woningmarkt") else 0.05
            )
            unit_types = ("chalet", "stacaravan", "bungalow", "kampeerplaats", "overig")
            gm = PLACES[place][0]
            expl_units = min(3, n_units // 10)
            for u in range(n_units):
                self.seq["unit"] += 1
                self.counts["units"] += 1
                utype = rng.choices(unit_types, weights=(35, 35, 15, 10, 5))[0]
                bag = ""
                if park["unit_bags"]:
                    bag = (
                        self.standplaats_id(gm, self.seq["unit"])
                        if utype in ("stacaravan", "kampeerplaats")
                        else self.vbo_unit_id(gm, self.seq["unit"])
                    )
                occupants: list[dict[str, Any]] = []
                owner: Party
                land = "NL"
                if u < expl_units:
                    owner = ("organisatie", expl)
                elif rng.random() < 0.1:
                    owner = ("organisatie", self.bg_active_org())
                else:
                    op = self.fly_person(group="NL", born=(1940, 1990))
                    owner = ("persoon", op)
                    r = rng.random()
                    land = "DE" if r < 0.08 else "BE" if r < 0.11 else "NL"
                    perm = park["perm"] == "ja"
                    r = rng.random()
                    if land == "NL" and perm and r < 0.55:
                        occupants.append(self.occupant(op, "ja"))
                        for _ in range(rng.choice((0, 1, 1, 2))):
                            occupants.append(
                                self.occupant(
                                    self.fly_person(group="NL", sur=op[2], born=(1945, 2005)), "ja"
                                )
                            )
                    elif land == "NL" and not perm and r < 0.10:
                        occupants.append(self.occupant(op, "nee"))
                    elif land == "NL" and not perm and r < 0.14:
                        occupants.append(self.occupant(op, "ja"))
                if not occupants and owner[0] == "persoon" and rng.random() < migrant_p:
                    w = self.employers[rng.randrange(len(self.employers))]
                    g = rng.choices(_MIGRANT_GROUPS, weights=_MIGRANT_W)[0]
                    for _ in range(rng.randint(1, 3)):
                        occupants.append(
                            self.occupant(
                                self.fly_person(group=g, born=(1975, 2004)),
                                "ja" if rng.random() < 0.5 else "nee",
                                w,
                            )
                        )
                park["units"].append(
                    {
                        "eenheid_id": str(u + 1),
                        "type": utype,
                        "bag": bag,
                        "owner": owner,
                        "land": land,
                        "occupants": occupants,
                        "owner_variant": -1,
                    }
                )
                if len(park["units"]) >= 50:  # stream large parks in chunks
                    self.park_rows(park, sink)
                    park["units"] = []
            if park["units"] or n_units == 0:
                self.park_rows(park, sink)

    def write_sheds(self, sink: _Sink) -> None:
        rng, T = self.rng, self.T
        for row in self.pl_rows["schuren"]:
            sink.write(row)
        otypes = ("schuur", "loods", "stal", "kas", "container", "overig")
        otype_w = (40, 25, 25, 3, 3, 4)
        old = date(2008, 1, 1).toordinal()
        for _ in range(self.n_sheds):
            addr = self.alloc_address("rural", -1, toev=False)
            otype = rng.choices(otypes, weights=otype_w)[0]
            opp = rng.randint(60, 2500) if otype != "container" else rng.choice((15, 30))
            owner: Party
            if rng.random() < 0.7:
                owner = ("persoon", self.fly_person(group="NL", born=(1940, 1990)))
                r = rng.random()
                agr = "ja" if r < 0.60 else "nee" if r < 0.88 else "stoppend"
            else:
                owner = ("organisatie", self.agri[rng.randrange(len(self.agri))])
                agr = "ja"
            tenancies: list[dict[str, Any]] = []
            leeg = controle = 0
            bevinding = ""
            r = rng.random()
            if r < 0.45:
                start = rng.randint(old, T - 400)
                if rng.random() < 0.1:
                    prev = ("organisatie", self.agri[rng.randrange(len(self.agri))])
                    tenancies.append(
                        self.tenancy(
                            prev,
                            opp,
                            rng.uniform(0.3, 0.6),
                            rng.randint(old - 2000, start - 400),
                            end=start - 1,
                            gebruik=rng.choice(AGRI_USE),
                        )
                    )
                ten = ("organisatie", self.agri[rng.randrange(len(self.agri))])
                tenancies.append(
                    self.tenancy(
                        ten,
                        opp,
                        rng.uniform(0.3, 0.6),
                        start,
                        "bank" if rng.random() < 0.95 else "onbekend",
                        end=T + rng.randint(100, 1500) if rng.random() < 0.2 else 0,
                        gebruik=rng.choice(AGRI_USE),
                    )
                )
            elif r < 0.50:
                ten = ("organisatie", self.bg_active_org())
                if self.org_sbi(ten[1]).startswith("01"):
                    gebruik = rng.choice(AGRI_USE)
                else:
                    gebruik = rng.choice(OTHER_USE)
                tenancies.append(
                    self.tenancy(
                        ten, opp, rng.uniform(0.3, 0.6), rng.randint(old, T - 400), gebruik=gebruik
                    )
                )
            elif rng.random() < 0.3:
                leeg = rng.randint(old, T - 30)
            if rng.random() < 0.25:
                controle = T - rng.randint(10, 1000)
                bevinding = "geen"
                if not tenancies and rng.random() < 0.06:
                    bevinding = rng.choice(("dumping", "overig"))
            _, rows = self.shed_rows(
                addr,
                otype,
                opp,
                owner,
                agr,
                tenancies,
                leeg,
                controle,
                bevinding,
                grade=("B", "2") if controle else ("C", "3"),
            )
            for row in rows:
                sink.write(row)

    def write_riec(self, sink: _Sink) -> None:
        rng, T = self.rng, self.T
        for row in self.pl_rows["riec"]:
            sink.write(row)
        chosen: set[tuple[str, int]] = set()
        lo = date(2018, 1, 1).toordinal()
        n_bg_sheds = self.n_sheds
        first_bg_shed = self.seq["shed"] - n_bg_sheds + 1
        first_bg_park = self.seq["park"] - self.n_parks + 1
        partner_w = (20, 30, 12, 6, 8, 5, 4, 3, 3, 3, 6)
        grades = "ABCDEF"
        for _ in range(self.n_signals):
            for _ in range(50):
                r = rng.random()
                if r < 0.40:
                    ent: tuple[str, int] = ("persoon", rng.randrange(self.P0, len(self.p_first)))
                elif r < 0.70:
                    ent = ("organisatie", rng.randrange(self.O0, len(self.o_form)))
                elif r < 0.82:
                    ent = ("adres", self.pool_start + rng.randrange(self.pool_n))
                elif r < 0.94:
                    ent = ("object", first_bg_shed + rng.randrange(n_bg_sheds))
                else:
                    ent = ("vakantiepark", first_bg_park + rng.randrange(self.n_parks))
                if ent not in chosen:
                    break
            chosen.add(ent)
            etype, idx = ent
            ref: Any = idx
            thema = {
                "persoon": ("drugs", "witwassen", "mensenhandel", "overig"),
                "organisatie": ("witwassen", "arbeidsuitbuiting", "horeca", "vastgoed", "overig"),
                "adres": ("drugs", "mensenhandel", "vastgoed", "overig"),
                "object": ("buitengebied", "drugs"),
                "vakantiepark": ("vakantiepark", "arbeidsuitbuiting"),
            }[etype]
            if etype == "object":
                ref = f"SCH-{idx:06d}"
            elif etype == "vakantiepark":
                ref = f"VP-{idx:04d}"
            ontv = rng.randint(lo, T - 1)
            status = (
                "afgesloten"
                if ontv < T - 3 * 365
                else rng.choices(
                    ("ontvangen", "in_behandeling", "casus", "afgesloten"), weights=(3, 4, 1, 2)
                )[0]
            )
            grade = (rng.choice(grades), str(rng.randint(1, 6))) if rng.random() < 0.6 else ("", "")
            subjects: list[tuple[str, Any, str]] = [(etype, ref, "subject")]
            if etype in ("persoon", "organisatie") and rng.random() < 0.3:
                subjects.append(("adres", self.pool_start + rng.randrange(self.pool_n), "locatie"))
            for row in self.signal_rows(
                rng.choices(PARTNERS, weights=partner_w)[0],
                rng.choice(thema),
                ontv,
                subjects,
                grade=grade,
                status=status,
            ):
                sink.write(row)


class _Dossier:
    """One Bibob dossier being built: party rows share the dossier columns."""

    def __init__(self, gen: _Generator, did: str, base: dict[str, Any]) -> None:
        self.gen = gen
        self.did = did
        self.base = base
        self.rows: list[dict[str, Any]] = []
        self.seen: dict[tuple[str, int], str] = {}

    def party(
        self,
        rol: str,
        *,
        person: int = -1,
        org: int = -1,
        fly: PersonT | None = None,
        tav: str = "",
        bedrag: float | None = None,
        aandeel: int | None = None,
        variant: int = -1,
        dutch: float = 0.2,
    ) -> str:
        g = self.gen
        key = ("p", person) if person >= 0 else ("o", org) if org >= 0 else None
        if key is not None and key in self.seen:
            return self.seen[key]
        ref = f"P{len(self.rows) + 1}"
        if key is not None:
            self.seen[key] = ref
        row = dict(self.base)
        row.update(
            partij_ref=ref,
            rol=rol,
            ten_aanzien_van=tav,
            land="NL",
            antecedenten_opgegeven="nee" if g.rng.random() < 0.93 else "ja",
        )
        if org >= 0:
            row["partij_type"] = "organisatie"
            row["kvk_nummer"] = g.kvk(org)
            row["naam"] = g.org_name(org)
            home: int = g.o_addr[org]
        else:
            row["partij_type"] = "persoon"
            p: PersonRef = person if person >= 0 else fly  # type: ignore[assignment]
            row.update(g.person_cols("", p, variant))
            home = g.home(person) if person >= 0 else -1
        if home >= 0 and g.rng.random() < 0.7:
            _, hn, t, pc, _, _, _ = g.addr(home)
            row.update(adres_postcode=g.fpc(pc), adres_huisnummer=hn, adres_toevoeging=t)
        if aandeel is not None:
            row["aandeel_pct"] = aandeel
        if bedrag is not None:
            row["bedrag"] = g.famount(bedrag, dutch)
        self.rows.append(row)
        return ref

    def flush(self, sink: _Sink | None = None) -> None:
        """Write the rows (background) or keep them with the planted rows."""
        if sink is None:
            self.gen.pl_rows["bibob"].extend(self.rows)
        else:
            for row in self.rows:
                sink.write(row)
        self.rows = []


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def generate(out_dir: Path, size: int, seed: int, today: date = DEFAULT_TODAY) -> dict[str, int]:
    """Write the five source files and ``planted.json`` into ``out_dir``.

    Parameters
    ----------
    out_dir:
        Folder to write into (created when missing). Existing files are overwritten.
    size:
        Approximate number of entities (persons, organisations, addresses, sheds, parks,
        units, dossiers, signals); from a demo (~2,000) to 1,000,000.
    seed:
        Seed of the one ``random.Random`` used; same seed, size and today give
        byte-identical files.
    today:
        Reference date for "active", "last 5 years", "12 months" and retention.

    Returns
    -------
    dict[str, int]
        Data rows written per file, keyed by source name (``kvk``, ``bibob``,
        ``vakantieparken``, ``schuren``, ``riec``).

    Examples
    --------
    >>> import tempfile
    >>> rows = generate(Path(tempfile.mkdtemp()), 2000, 7)
    >>> sorted(rows)
    ['bibob', 'kvk', 'riec', 'schuren', 'vakantieparken']
    """
    if size < 1:
        raise ValueError("size must be positive")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = _Generator(size, seed, today)
    gen.plant(1 + size // 50_000)
    gen.build_background()
    sinks = {name: _Sink(out_dir / f"{name}.csv", cols) for name, cols in FILE_COLUMNS.items()}
    try:
        gen.write_kvk(sinks["kvk"])
        gen.write_bibob(sinks["bibob"])
        gen.write_parks(sinks["vakantieparken"])
        gen.write_sheds(sinks["schuren"])
        gen.write_riec(sinks["riec"])
    finally:
        for s in sinks.values():
            s.close()
    rows = {name: s.rows for name, s in sinks.items()}
    planted = {
        "generator": "loaders.generate",
        "seed": seed,
        "size": size,
        "today": today.isoformat(),
        "rows": rows,
        "entities": dict(gen.counts),
        "key_formats": {
            "persoon": "voornamen, voorvoegsel, geslachtsnaam, geboortedatum (canonical, ISO date)",
            "organisatie": "kvk_nummer (+ naam)",
            "adres": "postcode (no space), huisnummer, toevoeging, plaats, bag_id",
            "dossier": "dossier_id",
            "object": "object_id",
            "eenheid": "park_id + eenheid_id (+ eenheid_bag_id)",
            "vakantiepark": "park_id",
            "park_id on an owner key": "the park on which the units are owned",
            "note": "why the key is a hit or a near miss (not part of the key)",
        },
        "indicators": {
            code: {"fires_on": fires_on, **gen.planted[code]} for code, fires_on in INDICATOR_CODES
        },
    }
    with open(out_dir / "planted.json", "w", encoding="utf-8", newline="\n") as fh:
        json.dump(planted, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m loaders.generate --out DIR --size N --seed S``."""
    parser = argparse.ArgumentParser(
        prog="python -m loaders.generate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument(
        "--size", type=int, default=2000, help="approximate number of entities (default 2000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=DEFAULT_TODAY,
        help="reference date YYYY-MM-DD (default %(default)s)",
    )
    args = parser.parse_args(argv)
    rows = generate(args.out, args.size, args.seed, args.today)
    for name, n in rows.items():
        print(f"{name}.csv\t{n}")
    print(f"planted.json\t{args.out / 'planted.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
