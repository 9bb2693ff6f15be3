"""The graph records a source row becomes, and the helpers the source modules build them with.

``normalise`` (in each source module) turns a clean row into :class:`Node` and :class:`Rel`
records with stable uids; every record of a row carries the row's :class:`Prov`. An address
is an :class:`AddrRef` until the writer resolves it against the graph.

:func:`pack` and :func:`unpack` turn a normalised row into plain tuples and back: the
loader's first pass spills normalised batches in that compact form (``loaders.spill``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from graph_service.model import (
    address_uid,
    bag_address_uid,
    foreign_address_uid,
    foreign_organisation_uid,
    organisation_uid,
    unresolved_person_uid,
)

from . import names

__all__ = [
    "AddrRef",
    "Ref",
    "Node",
    "Rel",
    "Prov",
    "Record",
    "PERSON_FIELDS",
    "person_columns",
    "person_node",
    "address_node",
    "organisation_ref",
    "party_node",
    "pack",
    "unpack",
]

PERSON_FIELDS = ("voornamen", "voorvoegsel", "geslachtsnaam", "geboortedatum")


@cache  # a handful of prefixes per source
def person_columns(prefix: str) -> tuple[str, str, str, str]:
    """The columns of the person group ``prefix``: :data:`PERSON_FIELDS` after it."""
    vn, vv, gn, gd = (prefix + f for f in PERSON_FIELDS)
    return vn, vv, gn, gd


@dataclass(frozen=True)
class AddrRef:
    """An address before resolution: its keys; the uid is decided against the graph."""

    bag_id: str | None
    pc_key: str | None
    foreign_uid: str | None = None

    def default_uid(self) -> str:
        if self.foreign_uid:
            return self.foreign_uid
        if self.pc_key:
            return address_uid(self.pc_key)
        return bag_address_uid(str(self.bag_id))


Ref = str | AddrRef


@dataclass
class Node:
    label: str
    uid: Ref
    props: dict[str, Any]


@dataclass
class Rel:
    type: str
    start: Ref
    end: Ref
    props: dict[str, Any] = field(default_factory=dict)
    key: str = ""


Record = Node | Rel


@dataclass(frozen=True)
class Prov:
    """The provenance every record of one row carries."""

    source: str
    record: str
    grade: str
    purpose: str
    seen: str


# -- the compact form of a normalised row (the first pass's spill) ----------------------------
Packed = tuple[tuple[str, str, str, str, str], list[tuple[Any, ...]]]


def _pack_ref(ref: Ref) -> str | tuple[str | None, str | None, str | None]:
    if isinstance(ref, AddrRef):
        return (ref.bag_id, ref.pc_key, ref.foreign_uid)
    return ref


def _unpack_ref(ref: str | tuple[str | None, str | None, str | None]) -> Ref:
    return ref if isinstance(ref, str) else AddrRef(*ref)


def pack(prov: Prov, recs: list[Record]) -> Packed:
    """One normalised row as plain tuples (pickles small and fast; see :func:`unpack`)."""
    out: list[tuple[Any, ...]] = []
    for rec in recs:
        if isinstance(rec, Node):
            out.append((rec.label, _pack_ref(rec.uid), rec.props))
        else:
            out.append((rec.type, _pack_ref(rec.start), _pack_ref(rec.end), rec.props,
                        rec.key))
    return (prov.source, prov.record, prov.grade, prov.purpose, prov.seen), out


def unpack(packed: Packed) -> tuple[Prov, list[Record]]:
    """The row :func:`pack` made, as equal :class:`Prov`, :class:`Node` and :class:`Rel`."""
    prov, recs = packed
    out: list[Record] = []
    for rec in recs:
        if len(rec) == 3:
            out.append(Node(rec[0], _unpack_ref(rec[1]), rec[2]))
        else:
            out.append(Rel(rec[0], _unpack_ref(rec[1]), _unpack_ref(rec[2]), rec[3], rec[4]))
    return Prov(*prov), out


# -- normalise helpers (used by the source modules) -------------------------------------------
def person_node(row: Mapping[str, Any], prefix: str, record: str) -> Node | None:
    """The person in column group ``prefix``, or None when the group is empty.

    Persons resolve by folded surname + first initial + birth date; without a birth date
    a mention cannot be resolved and gets its own uid (per source record), so it never
    merges silently; the match-candidate step proposes look-alikes for review.
    """
    vn_col, vv_col, gn_col, gd_col = person_columns(prefix)
    gn = row.get(gn_col)
    if not gn:
        return None
    vn, vv, gd = row.get(vn_col), row.get(vv_col), row.get(gd_col)
    voorvoegsel, _ = names.split_surname(gn, vv)
    if gd:
        key = names.person_key(vn, vv, gn, gd)
        uid = names.person_uid(key)
    else:
        key = None
        uid = unresolved_person_uid(record, prefix, names.fold(gn), names.fold(vn))
    props = {
        "voornamen": vn,
        "voorvoegsel": voorvoegsel or None,
        "geslachtsnaam": names.surname_as_written(gn),
        "geboortedatum": gd,
        "name": names.display_name(vn, vv, gn),
        "name_key": key,
        "candidate_key": names.candidate_key(vn, vv, gn),
        **names.match_keys(vn, vv, gn, gd),  # mk_*: blocking keys for look-alike candidates
    }
    return Node("Person", uid, props)


def address_node(
    postcode: str | None,
    huisnummer: int | None,
    toevoeging: str | None = None,
    bag_id: str | None = None,
    straat: str | None = None,
    plaats: str | None = None,
    land: str | None = None,
) -> Node | None:
    """An address from its parts, or None when there is nothing to identify it by."""
    land = land or "NL"
    pc_key = None
    if postcode and huisnummer:
        pc_key = f"{postcode}{huisnummer}" + (f"-{toevoeging}" if toevoeging else "")
    if not pc_key and not bag_id:
        return None
    foreign = None
    if land != "NL":
        foreign = foreign_address_uid(land, postcode, huisnummer, toevoeging)
        pc_key = None
    ref = AddrRef(bag_id=bag_id, pc_key=pc_key, foreign_uid=foreign)
    label = " ".join([str(p) for p in (straat, huisnummer, toevoeging) if p]) if straat else ""
    if label:
        where = " ".join([str(p) for p in (postcode, plaats) if p])
    else:
        label = f"{postcode or ''} {huisnummer or ''}{toevoeging or ''}".strip()
        where = plaats or ""
    name = ", ".join([p for p in (label, where) if p]) or f"BAG {bag_id}"
    props = {
        "pc_key": pc_key,
        "postcode": postcode,
        "huisnummer": huisnummer,
        "toevoeging": toevoeging,
        "straat": straat,
        "plaats": plaats,
        "bag_id": bag_id,
        "land": land,
        "name": name,
    }
    return Node("Address", ref, props)


def organisation_ref(
    kvk: str | None, name: str | None = None, land: str | None = None
) -> Node | None:
    """An organisation known by KvK number (or, abroad, by name + country)."""
    if kvk:
        return Node("Organisation", organisation_uid(kvk), {"kvk_nummer": kvk, "name": name})
    if name:
        uid = foreign_organisation_uid(names.fold(name), land)
        return Node("Organisation", uid, {"name": name, "land": land})
    return None


def party_node(row: Mapping[str, Any], type_col: str, kvk_col: str, prefix: str,
               record: str, name_col: str | None = None,
               land_col: str | None = None) -> Node | None:
    """The person or organisation a row names in one column group."""
    kind = row.get(type_col)
    if kind == "persoon":
        return person_node(row, prefix, record)
    if kind == "organisatie":
        return organisation_ref(
            row.get(kvk_col),
            row.get(name_col) if name_col else None,
            row.get(land_col) if land_col else None,
        )
    return None
