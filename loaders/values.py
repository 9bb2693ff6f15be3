"""Parsing and validation of single cell values from the municipal exports.

Every parser takes the raw cell text (``None`` or ``""`` means *missing*) and
returns the normalised value, or raises :class:`ValueInvalid` with a short Dutch
message.  A missing value is also an error ("... ontbreekt"); for optional
columns use :func:`optional`, which maps a missing cell to ``None``.

The contract is ``docs/formats.md``; decisions taken where it is silent:

* Dates: ``YYYY-MM-DD`` and ``D-M-YYYY``/``DD-MM-YYYY`` (only ``-`` as
  separator, because ``/`` is ambiguous between Dutch and US day order).  A
  trailing time (``2023-01-05 00:00:00``, as spreadsheets write it) is dropped.
  Years outside 1880-2100 are refused.
* Amounts: ``,`` is always a decimal comma.  A ``.`` is a thousands separator
  when a ``,`` decimal follows (``1.234,50``) or when the whole number matches
  ``\\d{1,3}(\\.\\d{3})+`` (``1.234`` = 1234, ``12.345.678``); in every other
  case it is a decimal point (``1234.5``, ``12.5``).  Euro amounts never have
  three decimals, so ``1.234`` is read as a whole number.  ``,-`` means whole
  euros (``1.250,-``).  An ``€``/``EUR`` prefix and spaces are ignored; negative
  amounts are refused.
* ``toevoeging`` is upper-cased (BAG keeps ``huisletter`` upper-case; the free
  ``huisnummertoevoeging`` is matched case-insensitively in practice), and a
  leading ``-`` (``12-A`` split as ``-A``) is dropped.
* ``gemeentecode`` also accepts the bare 4 digits (``1701`` -> ``GM1701``).
* ``kadastraal_perceel``: parts may be separated by spaces, ``-`` or nothing;
  leading zeros of the perceelnummer are dropped; an appartementsindex is
  written ``A<1-4 digits>`` and normalised to ``A<number>``
  (``DVR00 K 1234 A 0002`` -> ``DVR00 K 1234 A2``).
* ``sbi_code`` accepts the dotted CBS notation (``56.10`` -> ``5610``).
* ``kvk_nummer``, ``rsin`` and ``bag_id`` are never padded: a number that lost
  its leading zero in a spreadsheet is refused, with a hint.
* ``enum`` compares case-insensitively and also accepts spaces or hyphens for
  underscores (``vergane glorie`` -> ``vergane_glorie``).
* Every cell, before its parser: at most :data:`MAX_CELL_CHARS` (10,000)
  characters, and no control characters (:func:`cell_problem`): C0 (NUL
  included), DEL, C1, the Unicode line/paragraph separators and the bidi
  embedding/override/isolate controls never belong in a value of these exports.
  Only a free-text column (a description) may hold a tab or a line break
  inside a quoted value; the loader decides which columns are free text.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Collection
from functools import lru_cache
from typing import TypeVar

from graph_service.cells import CONTROL_IN_TEXT, FORBIDDEN_IN_TEXT

__all__ = [
    "ValueInvalid",
    "is_missing",
    "optional",
    "parse_date",
    "parse_bool",
    "parse_amount",
    "parse_int",
    "parse_pct",
    "kvk_nummer",
    "rsin",
    "rsin_valid",
    "make_rsin",
    "postcode",
    "huisnummer",
    "toevoeging",
    "bag_id",
    "bag_object_type",
    "BAG_OBJECT_TYPES",
    "gemeentecode",
    "kadastraal_perceel",
    "sbi_code",
    "country",
    "grade_source",
    "grade_info",
    "enum",
    "MAX_CELL_CHARS",
    "CONTROL_CHARACTERS",
    "CONTROL_IN_TEXT",
    "cell_problem",
]

T = TypeVar("T")

YEAR_MIN = 1880
YEAR_MAX = 2100


class ValueInvalid(ValueError):
    """A cell value that does not satisfy the input contract (Dutch message)."""


# --------------------------------------------------------------------------- every cell

MAX_CELL_CHARS = 10_000
"""Longest cell value accepted, in characters (a free-text description fits easily)."""

# any control character, tab and line breaks included: what a cell of most columns refuses
CONTROL_CHARACTERS = re.compile(f"[\t\n\r{FORBIDDEN_IN_TEXT}]")
# what a free-text cell refuses: the same minus tab and line breaks (graph_service.cells)
_CHAR_NAMES = {
    "\x00": "NUL", "\t": "tab", "\n": "regeleinde", "\r": "regeleinde", "\x1b": "escape",
    "\x7f": "DEL", "\u2028": "regelscheiding", "\u2029": "alineascheiding",
}


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def cell_problem(text: str, *, free_text: bool = False) -> str | None:
    """Why ``text`` cannot be a cell value at all (Dutch), or None when it can.

    Too long (over :data:`MAX_CELL_CHARS`), or holding a control character; a free-text
    cell (``free_text``) may hold tabs and line breaks. The message names the character
    by code point and its position, never the character itself.
    """
    if len(text) > MAX_CELL_CHARS:
        return (f"waarde is {_thousands(len(text))} tekens lang; maximaal "
                f"{_thousands(MAX_CELL_CHARS)}")
    found = (CONTROL_IN_TEXT if free_text else CONTROL_CHARACTERS).search(text)
    if found is None:
        return None
    char = found.group()
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        name = "tekstrichting"
    else:
        name = _CHAR_NAMES.get(char, "stuurteken")
    where = f"ongeldig teken U+{ord(char):04X} ({name}) op positie {found.start() + 1}"
    if char in "\t\n\r":
        return f"{where}: tabs en regeleinden horen alleen in een omschrijving"
    return f"{where}: stuurtekens horen niet in een celwaarde"


# --------------------------------------------------------------------------- helpers


def is_missing(s: str | None) -> bool:
    """True for ``None`` and for a cell that is empty after stripping."""
    return s is None or s.strip() == ""


def optional(parse: Callable[[str], T], s: str | None) -> T | None:
    """Apply ``parse`` to ``s``, or return ``None`` when the cell is missing."""
    if s is None or s.strip() == "":
        return None
    return parse(s)


def _req(s: str | None, what: str) -> str:
    """Return the stripped text or raise '<what> ontbreekt'."""
    if s is None or s.strip() == "":
        raise ValueInvalid(f"{what} ontbreekt")
    return s.strip()


def _bad(label: str, s: str, why: str) -> ValueInvalid:
    """Build the standard message: "ongeldig <label> '<s>': <why>"."""
    return ValueInvalid(f"{label} '{s}': {why}")


# --------------------------------------------------------------------------- dates

_ISO_DATE = re.compile(r"(?a)(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_DATE = re.compile(r"(?a)(\d{1,2})-(\d{1,2})-(\d{4})")
_TIME_SUFFIX = re.compile(r"(?a)[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


@lru_cache(maxsize=1 << 16)
def parse_date(s: str | None) -> str:
    """Parse ``YYYY-MM-DD`` or ``D-M-YYYY``/``DD-MM-YYYY`` into ISO ``YYYY-MM-DD``.

    Cached: a file holds few distinct dates and a load parses several per row (a refused
    cell raises every time, an error is not kept)."""
    raw = _req(s, "datum")
    text = _TIME_SUFFIX.sub("", raw)
    m = _ISO_DATE.fullmatch(text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DMY_DATE.fullmatch(text)
        if not m:
            raise _bad("ongeldige datum", raw, "verwacht JJJJ-MM-DD of DD-MM-JJJJ")
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    if not YEAR_MIN <= y <= YEAR_MAX:
        raise _bad("ongeldige datum", raw, f"jaar buiten {YEAR_MIN}-{YEAR_MAX}")
    try:
        return _dt.date(y, mo, d).isoformat()
    except ValueError:
        raise _bad("ongeldige datum", raw, "bestaat niet") from None


# --------------------------------------------------------------------------- booleans

_BOOLS: dict[str, bool] = {
    "ja": True, "j": True, "true": True, "1": True,
    "nee": False, "n": False, "false": False, "0": False,
}


def parse_bool(s: str | None) -> bool:
    """ja/nee, j/n, true/false, 1/0 (case-insensitive)."""
    raw = _req(s, "ja/nee-waarde")
    try:
        return _BOOLS[raw.lower()]
    except KeyError:
        raise _bad("ongeldige ja/nee-waarde", raw, "verwacht ja of nee") from None


# --------------------------------------------------------------------------- numbers

_CURRENCY = re.compile(r"^(€|euros?|eur)|(€|euros?|eur)$", re.IGNORECASE)
_SPACES = re.compile(r"(?a)[\s\u00a0\u202f]+")
_AMOUNT_FORMS: tuple[tuple[re.Pattern[str], Callable[[str], str]], ...] = (
    # 1.234,50  1234,50  1.234,-
    (
        re.compile(r"(?a)\d{1,3}(\.\d{3})+,\d+|\d+,\d+"),
        lambda t: t.replace(".", "").replace(",", "."),
    ),
    # 1.234  12.345.678  (thousands groups, no decimals)
    (re.compile(r"(?a)\d{1,3}(\.\d{3})+"), lambda t: t.replace(".", "")),
    # 1234.50  1234  (decimal point)
    (re.compile(r"(?a)\d+(\.\d+)?"), lambda t: t),
)


def parse_amount(s: str | None) -> float:
    """Euro amount, not negative; see the module docstring for the separator rule."""
    raw = _req(s, "bedrag")
    text = _CURRENCY.sub("", _SPACES.sub("", raw))
    if text.startswith("-"):
        raise _bad("ongeldig bedrag", raw, "negatief bedrag niet toegestaan")
    if text.endswith((",-", ",--")):
        text = text.rstrip("-") + "00"
    for pattern, convert in _AMOUNT_FORMS:
        if pattern.fullmatch(text):
            return float(convert(text))
    raise _bad("ongeldig bedrag", raw, "verwacht bijvoorbeeld 1234.50 of 1.234,50")


_INT = re.compile(r"(?a)[+-]?\d+")


def parse_int(s: str | None, lo: int, hi: int, what: str = "getal") -> int:
    """Whole number in ``lo..hi`` (inclusive); ``what`` names it in the message."""
    raw = _req(s, what)
    if not _INT.fullmatch(raw):
        raise _bad(f"ongeldig {what}", raw, "verwacht een geheel getal")
    value = int(raw)
    if not lo <= value <= hi:
        raise _bad(f"ongeldig {what}", raw, f"verwacht {lo} t/m {hi}")
    return value


_PCT = re.compile(r"(?a)\d+([.,]\d+)?")


def parse_pct(s: str | None) -> float:
    """Percentage 0-100; ``,`` or ``.`` as decimal sign, optional ``%`` sign."""
    raw = _req(s, "percentage")
    text = raw.removesuffix("%").strip()
    if not _PCT.fullmatch(text):
        raise _bad("ongeldig percentage", raw, "verwacht een getal van 0 t/m 100")
    value = float(text.replace(",", "."))
    if value > 100:
        raise _bad("ongeldig percentage", raw, "verwacht een getal van 0 t/m 100")
    return value


# --------------------------------------------------------------------------- identifiers


def _digits(s: str | None, what: str, label: str, n: int) -> str:
    """Exactly ``n`` digits, unchanged (leading zeros kept, never padded)."""
    raw = _req(s, what)
    if not raw.isascii() or not raw.isdigit() or len(raw) != n:
        hint = " (voorloopnul weggevallen?)" if raw.isdigit() and len(raw) < n else ""
        raise _bad(label, raw, f"verwacht {n} cijfers{hint}")
    return raw


def kvk_nummer(s: str | None) -> str:
    """KvK-nummer: exactly 8 digits, leading zeros kept."""
    return _digits(s, "KvK-nummer", "ongeldig KvK-nummer", 8)


_ELF_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def _elf_sum(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits, _ELF_WEIGHTS, strict=False))


def rsin_valid(s: str | None) -> bool:
    """True when ``s`` is 9 digits, not all zeros, and passes the elfproef."""
    if s is None:
        return False
    t = s.strip()
    return (len(t) == 9 and t.isascii() and t.isdigit()
            and t != "000000000" and _elf_sum(t) % 11 == 0)


def rsin(s: str | None) -> str:
    """RSIN: 9 digits passing the elfproef (sum of d1..d8 x 9..2 minus d9 = 0 mod 11)."""
    raw = _digits(s, "RSIN", "ongeldig RSIN", 9)
    if not rsin_valid(raw):
        raise _bad("ongeldig RSIN", raw, "voldoet niet aan de elfproef")
    return raw


def make_rsin(prefix8: str) -> str | None:
    """Complete 8 digits with a check digit into a valid RSIN, or None if impossible."""
    if len(prefix8) != 8 or not prefix8.isascii() or not prefix8.isdigit():
        return None
    check = _elf_sum(prefix8) % 11  # need sum - d9 = 0 (mod 11)
    candidate = f"{prefix8}{check}"
    return candidate if check < 10 and rsin_valid(candidate) else None


_POSTCODE = re.compile(r"(?a)([1-9]\d{3}) ?([A-Z]{2})")
_POSTCODE_UNUSED = frozenset({"SA", "SD", "SS"})


def postcode(s: str | None) -> str:
    """Dutch postcode normalised to ``1234AB``."""
    raw = _req(s, "postcode")
    m = _POSTCODE.fullmatch(raw.upper())
    if not m:
        raise _bad("ongeldige postcode", raw, "verwacht 1234AB (eerste cijfer niet 0)")
    if m[2] in _POSTCODE_UNUSED:
        raise _bad("ongeldige postcode", raw, f"lettercombinatie {m[2]} wordt niet uitgegeven")
    return m[1] + m[2]


def huisnummer(s: str | None) -> int:
    """House number 1-99999."""
    return parse_int(s, 1, 99999, "huisnummer")


_TOEVOEGING = re.compile(r"(?a)[A-Za-z0-9]{1,6}")


def toevoeging(s: str | None) -> str:
    """House-number addition: 1-6 letters/digits, upper-cased; a leading '-' is dropped."""
    raw = _req(s, "toevoeging")
    text = raw.lstrip("-").strip()
    if not _TOEVOEGING.fullmatch(text):
        raise _bad("ongeldige toevoeging", raw, "verwacht maximaal 6 letters/cijfers")
    return text.upper()


BAG_OBJECT_TYPES: dict[str, str] = {
    "01": "verblijfsobject",
    "02": "ligplaats",
    "03": "standplaats",
    "10": "pand",
    "20": "nummeraanduiding",
    "30": "openbare_ruimte",
}


def bag_id(s: str | None) -> str:
    """BAG id: 16 digits = gemeentecode(4) + object type(2) + serial(10)."""
    raw = _digits(s, "BAG-id", "ongeldig BAG-id", 16)
    if raw[4:6] not in BAG_OBJECT_TYPES:
        allowed = ", ".join(BAG_OBJECT_TYPES)
        raise _bad("ongeldig BAG-id", raw, f"objecttype {raw[4:6]} onbekend (verwacht {allowed})")
    return raw


def bag_object_type(s: str | None) -> str:
    """Object type name of a BAG id, e.g. ``verblijfsobject`` or ``pand``."""
    return BAG_OBJECT_TYPES[bag_id(s)[4:6]]


_GEMEENTECODE = re.compile(r"(?a)(GM)?(\d{4})")


def gemeentecode(s: str | None) -> str:
    """CBS gemeentecode ``GM`` + 4 digits (``gm1701`` and ``1701`` accepted)."""
    raw = _req(s, "gemeentecode")
    m = _GEMEENTECODE.fullmatch(raw.upper())
    if not m:
        raise _bad("ongeldige gemeentecode", raw, "verwacht GM + 4 cijfers")
    return "GM" + m[2]


_SEP = r"[\s-]*"
_PERCEEL = re.compile(
    rf"(?a)([A-Z]{{3}}\d{{2}}){_SEP}([A-Z]{{1,2}}){_SEP}(\d{{1,5}})(?:{_SEP}A{_SEP}(\d{{1,4}}))?"
)


def kadastraal_perceel(s: str | None) -> str:
    """Kadastrale aanduiding normalised to ``DVR00 K 1234`` (optionally ``... A2``)."""
    raw = _req(s, "kadastraal perceel")
    m = _PERCEEL.fullmatch(raw.upper().strip())
    if not m or int(m[3]) == 0 or (m[4] is not None and int(m[4]) == 0):
        raise _bad("ongeldig kadastraal perceel", raw,
                   "verwacht bijvoorbeeld DVR00 K 1234 (optioneel A + appartementsindex)")
    result = f"{m[1]} {m[2]} {int(m[3])}"
    return result if m[4] is None else f"{result} A{int(m[4])}"


def sbi_code(s: str | None) -> str:
    """SBI code: 2-5 digits; the dotted notation ``56.10`` is accepted."""
    raw = _req(s, "SBI-code")
    text = raw.replace(".", "")
    if not re.fullmatch(r"(?a)\d{2,5}", text):
        raise _bad("ongeldige SBI-code", raw, "verwacht 2 tot 5 cijfers")
    return text


def country(s: str | None) -> str:
    """ISO 3166 alpha-2 country code (any two letters), upper-cased."""
    raw = _req(s, "landcode")
    if not re.fullmatch(r"(?a)[A-Za-z]{2}", raw):
        raise _bad("ongeldige landcode", raw, "verwacht 2 letters (ISO 3166), bijv. NL")
    return raw.upper()


def grade_source(s: str | None) -> str:
    """Admiralty source reliability A-F, or X (not graded); upper-cased."""
    raw = _req(s, "betrouwbaarheid bron")
    if raw.upper() not in ("A", "B", "C", "D", "E", "F", "X"):
        raise _bad("ongeldige betrouwbaarheid bron", raw, "verwacht A t/m F of X")
    return raw.upper()


def grade_info(s: str | None) -> int:
    """Admiralty information credibility 1-6."""
    raw = _req(s, "betrouwbaarheid informatie")
    if raw not in ("1", "2", "3", "4", "5", "6"):
        raise _bad("ongeldige betrouwbaarheid informatie", raw, "verwacht 1 t/m 6")
    return int(raw)


def enum(s: str | None, allowed: Collection[str], what: str) -> str:
    """One of ``allowed`` (case-insensitive), returned lower-case."""
    raw = _req(s, what)
    options = {a.lower(): a.lower() for a in allowed}
    text = " ".join(raw.lower().split())
    for candidate in (text, re.sub(r"[\s-]", "_", text)):
        if candidate in options:
            return options[candidate]
    listed = ", ".join(sorted(options))
    raise _bad(f"ongeldige waarde voor {what}", raw, f"toegestaan: {listed}")
