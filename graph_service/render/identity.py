"""Identity at a glance: what tells an entity apart from others of the same name.

Two persons called "Aaltje van der Linden" must not look the same on a page. Every place
that names an entity (search results, the path finder, entity headers, neighbour lists,
screening tables, graph labels and tooltips, hit pages) shows its name with one short
identity line made here, one function per kind:

* a person: birth year and the place of their address (``geb. 1969, Havelte``);
* an organisation: KvK number and the place it is registered at;
* an address: street, number, postcode and town (``Tulpstraat 3, 8384DQ Wilhelminaoord``);
  without a street the postcode and town, without a town the municipality of the postcode
  or of the BAG id (its first four digits are the municipality's code);
* a holiday park, park unit or rural object: its place (a unit also its park);
* a Bibob dossier: the municipality's name (never ``GM1701``); a RIEC signal: its date.

Everything is computed from what the caller hands in: the entity's properties as the
reader's scope returned them, and its ``context`` (the address or park the scope may see,
:func:`graph_service.queries.identity.identity_context`). A pseudonymised person (``pseudonym``
set by the store) gets no identity line at all: no birth year and no place.

The municipality codes and their postcodes are data: ``gemeenten.json`` beside this file.

>>> identify("Person", {"name": "Aaltje van der Linden", "geboortedatum": "1969-03-01"},
...          {"address": {"plaats": "Havelte"}}).line
'Aaltje van der Linden (geb. 1969, Havelte)'
>>> identify("Person", {"name": "Persoon 1A2B", "geboortedatum": None, "pseudonym": True},
...          {"address": {"plaats": "Havelte"}}).line
'Persoon 1A2B'
>>> address_text({"straat": "Tulpstraat", "huisnummer": 3, "postcode": "8384DQ",
...               "plaats": "Wilhelminaoord"})
'Tulpstraat 3, 8384DQ Wilhelminaoord'
>>> address_text({"postcode": "7971GR", "huisnummer": 33})
'7971GR 33, gemeente Westerveld'
>>> address_text({"bag_id": "1701018550125026"})
'adres met alleen een BAG-id, gemeente Westerveld'
>>> municipality_name("GM0119"), municipality_name("1731"), municipality_name("GM9999")
('Meppel', 'Midden-Drenthe', None)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "DATA_FILE",
    "Identity",
    "municipalities",
    "municipality_name",
    "municipality_of_postcode",
    "birth_year",
    "address_text",
    "address_place",
    "identify",
    "identify_item",
    "label_of_item",
]

#: The municipalities of the data and their postcodes.
DATA_FILE = Path(__file__).with_name("gemeenten.json")

Props = Mapping[str, Any]


@lru_cache(maxsize=1)
def _data() -> tuple[dict[str, str], tuple[tuple[int, int, str], ...]]:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))["gemeenten"]
    names: dict[str, str] = {}
    ranges: list[tuple[int, int, str]] = []
    for code, entry in raw.items():
        names[code] = entry["naam"]
        for item in entry.get("postcodes", ()):
            lo, _, hi = str(item).partition("-")
            ranges.append((int(lo), int(hi or lo), code))
    return names, tuple(ranges)


def municipalities() -> dict[str, str]:
    """CBS code -> municipality name, from :data:`DATA_FILE`."""
    return dict(_data()[0])


def municipality_name(code: Any) -> str | None:
    """The municipality's name for ``GM1701`` or ``1701``; None when unknown."""
    text = str(code or "").strip().upper()
    if text.isdigit() and len(text) == 4:
        text = "GM" + text
    return _data()[0].get(text)


def municipality_of_postcode(postcode: Any) -> str | None:
    """The municipality (name) a Dutch postcode lies in, from its four digits."""
    digits = str(postcode or "").strip()[:4]
    if len(digits) != 4 or not digits.isdigit():
        return None
    number = int(digits)
    names, ranges = _data()
    for lo, hi, code in ranges:
        if lo <= number <= hi:
            return names[code]
    return None


def birth_year(props: Props) -> str | None:
    """The year of ``geboortedatum`` (``1969-03-01`` -> ``1969``), or None."""
    text = str(props.get("geboortedatum") or "")
    return text[:4] if len(text) >= 4 and text[:4].isdigit() else None


def _number(props: Props) -> str:
    parts = [str(props[k]) for k in ("huisnummer", "toevoeging") if props.get(k) not in (None, "")]
    return " ".join(parts)


def address_place(props: Props | None) -> str | None:
    """The town of an address: its ``plaats``, else the municipality of its postcode or of
    its BAG id (``gemeente Westerveld``); a foreign address with its country."""
    if not props:
        return None
    land = str(props.get("land") or "NL")
    if props.get("plaats"):
        return str(props["plaats"]) + ("" if land == "NL" else f" ({land})")
    if land != "NL":
        return land
    name = municipality_of_postcode(props.get("postcode")) \
        or municipality_name(str(props.get("bag_id") or "")[:4])
    return f"gemeente {name}" if name else None


def address_text(props: Props) -> str:
    """An address as people write it: street and number, postcode and town; without a
    street the postcode and number with the town; known only by its BAG id, the
    municipality the id belongs to."""
    place = address_place(props)
    postcode = str(props.get("postcode") or "")
    number = _number(props)
    if props.get("straat"):
        street = " ".join(p for p in (str(props["straat"]), number) if p)
        town = " ".join(p for p in (postcode, place or "") if p)
        return ", ".join(p for p in (street, town) if p)
    if postcode or number:
        head = " ".join(p for p in (postcode, number) if p)
        return ", ".join(p for p in (head, place or "") if p)
    if props.get("bag_id"):
        return "adres met alleen een BAG-id" + (f", {place}" if place else "")
    return str(props.get("name") or props.get("uid") or "adres")


@dataclass(frozen=True)
class Identity:
    """An entity's name and its identity line (``detail``; None when there is nothing
    more to show)."""

    name: str
    detail: str | None = None

    @property
    def line(self) -> str:
        """``name (detail)``, or the name alone."""
        return f"{self.name} ({self.detail})" if self.detail else self.name

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "detail": self.detail, "line": self.line}


def _join(*parts: str | None) -> str | None:
    text = ", ".join(p for p in parts if p)
    return text or None


def _context_place(context: Props | None) -> str | None:
    """The place of an entity's own address, else of its park's address."""
    if not context:
        return None
    return address_place(context.get("address")) or address_place(context.get("park_address"))


def _name(props: Props) -> str:
    return str(props.get("name") or props.get("uid") or "")


def _person(props: Props, context: Props | None) -> Identity:
    if props.get("pseudonym"):
        return Identity(_name(props))  # pseudonymised: nothing that identifies the person
    year = birth_year(props)
    return Identity(_name(props), _join(f"geb. {year}" if year else None,
                                        _context_place(context)))


def _organisation(props: Props, context: Props | None) -> Identity:
    kvk = props.get("kvk_nummer")
    return Identity(_name(props), _join(f"KvK {kvk}" if kvk else None, _context_place(context)))


def _address(props: Props, context: Props | None) -> Identity:
    bag = props.get("bag_id")
    only_bag = bag and not props.get("postcode") and not props.get("straat")
    return Identity(address_text(props), f"BAG-id {bag}" if only_bag else None)


def _park(props: Props, context: Props | None) -> Identity:
    return Identity(_name(props), _context_place(context))


def _unit(props: Props, context: Props | None) -> Identity:
    park = (context or {}).get("park") or {}
    what = str(props.get("eenheid_type") or "eenheid").replace("_", " ")
    on = f"{what} op {park['name']}" if park.get("name") else what
    return Identity(_name(props), _join(on, _context_place(context)))


def _object(props: Props, context: Props | None) -> Identity:
    address = (context or {}).get("address")
    place = address_text(address) if address else None
    name = _name(props)
    if place and place in name:
        place = None
    return Identity(name, place)


def _dossier(props: Props, context: Props | None) -> Identity:
    name = municipality_name(props.get("gemeentecode"))
    return Identity(_name(props), f"gemeente {name}" if name else None)


def _signal(props: Props, context: Props | None) -> Identity:
    date = props.get("ontvangstdatum")
    return Identity(_name(props), f"ontvangen {date}" if date else None)


_KINDS = {
    "Person": _person,
    "Organisation": _organisation,
    "Address": _address,
    "HolidayPark": _park,
    "ParkUnit": _unit,
    "RuralObject": _object,
    "BibobDossier": _dossier,
    "Signal": _signal,
}


def identify(label: str, props: Props, context: Props | None = None) -> Identity:
    """The name and identity line of an entity of model label ``label``.

    ``props`` are its properties as the reader's scope returned them; ``context`` what
    :func:`graph_service.queries.identity.identity_context` found around it (``address``,
    ``park``, ``park_address``), or None. Unknown labels get their name only.
    """
    kind = _KINDS.get(label)
    if kind is None:
        return Identity(_name(props))
    return kind(props, context)


def label_of_item(item: Props) -> str:
    """The model label of an entity as the pages and the API carry it (``label``,
    ``labels`` or ``_labels``)."""
    if item.get("label"):
        return str(item["label"])
    for key in ("labels", "_labels"):
        for label in item.get(key) or ():
            if label != "Entity":
                return str(label)
    return "Entity"


def identify_item(item: Props, context: Props | None = None) -> Identity:
    """:func:`identify` for an entity in any of the shapes pages and the API carry: a
    search result, a profile (``properties``), a path node or a graph node's props."""
    props: dict[str, Any] = dict(item.get("properties") or {})
    props.update({k: v for k, v in item.items() if k != "properties"})
    return identify(label_of_item(item), props, context)
