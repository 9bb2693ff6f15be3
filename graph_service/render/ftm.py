"""The graph as FollowTheMoney entities (docs/ftm.md, "Export"): one JSON object per line.

Input is what a read returned under the reader's scope (nodes and relationships in the
store's shape: ``uid``, ``_labels`` and properties; ``_type``, ``_start``, ``_end`` and
properties), so the export holds exactly what the reader may see, pseudonymised when the
scope pseudonymises. Every entity is built with the ``followthemoney`` library (its model
cleans each value by the property's type); an entity id is ``og-`` and the SHA-1 of the
uid (FtM ids take no ``:``), so the same entity keeps its id in every export.

Mapping (labels and relationship types of the model):

====================  =========================================================
Person                Person (name, firstName, lastName, birthDate, nationality)
Organisation          Company with a KvK number (registrationNumber, jurisdiction
                      nl), a list's own schema for a list entry (source ftm), else
                      Organization
Address               Address (full, street, postalCode, city, country)
RuralObject,          RealEstate (name, cadastralCode, area)
HolidayPark, ParkUnit
BibobDossier          Project (name, date of the application)
Signal                Event (name, date received)
REGISTERED_AT,        ``addressEntity`` of the organisation, person or object
RESIDES_AT,
LOCATED_AT
FUNCTIONARY_OF        Ownership for an aandeelhouder (percentage), else
                      Directorship (role, startDate, endDate)
OWNS                  Ownership
EMPLOYED_BY           Employment
PARTY_TO              ProjectParticipant (role)
other types           UnknownLink (role: the Dutch name of the type, and its role)
====================  =========================================================

Every entity carries ``publisher`` (the Dutch names of the sources the reader sees) and
``retrievedAt`` (the last day a source saw the fact).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from followthemoney import model as ftm_model
from followthemoney.proxy import EntityProxy

from ..model import ENTITY_LABEL
from . import terms
from .graphs import REL_NAMES

__all__ = ["ADDRESS_TYPES", "entity_id", "to_entities", "to_jsonl"]

Row = Mapping[str, Any]

#: Relationship types that become the ``addressEntity`` of their start node.
ADDRESS_TYPES = frozenset({"REGISTERED_AT", "RESIDES_AT", "LOCATED_AT"})
_REAL_ESTATE = frozenset({"RuralObject", "HolidayPark", "ParkUnit"})
_COMPANY_FORMS = ("Organization", "Company", "LegalEntity", "PublicBody")
_SHAREHOLDER = ("aandeelhouder", "enig_aandeelhouder")


def entity_id(uid: str) -> str:
    """The FtM id of the entity with this uid (or of a relationship's key text)."""
    return "og-" + hashlib.sha1(uid.encode("utf-8")).hexdigest()  # noqa: S324 - an id


def _label(node: Row) -> str:
    labels = [x for x in node.get("_labels") or () if x != ENTITY_LABEL]
    return str(labels[0]) if labels else ""


def _add(proxy: EntityProxy, prop: str, value: Any) -> None:
    if value is None or value == "" or value == []:
        return
    values = value if isinstance(value, list | tuple) else [value]
    for v in values:
        if v is None or v == "":
            continue
        text = v if isinstance(v, str) else json.dumps(v) if isinstance(v, dict) else str(v)
        proxy.add(prop, text, quiet=True)


def _common(proxy: EntityProxy, item: Row) -> None:
    _add(proxy, "publisher", [terms.source_name(s) for s in item.get("sources") or ()])
    _add(proxy, "retrievedAt", item.get("last_seen"))


def _node_schema(label: str, node: Row) -> str | None:
    if label == "Person":
        return "Person"
    if label == "Organisation":
        listed = node.get("ftm_schema")
        if listed in _COMPANY_FORMS:
            return str(listed)
        return "Company" if node.get("kvk_nummer") else "Organization"
    if label == "Address":
        return "Address"
    if label in _REAL_ESTATE:
        return "RealEstate"
    if label == "BibobDossier":
        return "Project"
    if label == "Signal":
        return "Event"
    return None


def _node(node: Row) -> EntityProxy | None:
    label = _label(node)
    schema = _node_schema(label, node)
    if schema is None:
        return None
    proxy = ftm_model.make_entity(schema)
    proxy.id = entity_id(str(node["uid"]))
    name = node.get("name") or node["uid"]
    _add(proxy, "name", name)
    if schema == "Person":
        _add(proxy, "firstName", node.get("voornamen"))
        last = " ".join(x for x in (node.get("voorvoegsel"), node.get("geslachtsnaam")) if x)
        _add(proxy, "lastName", last)
        _add(proxy, "birthDate", node.get("geboortedatum"))
        _add(proxy, "nationality", (node.get("land") or "").lower() or None)
    elif label == "Organisation":
        if node.get("kvk_nummer"):
            _add(proxy, "registrationNumber", node["kvk_nummer"])
            _add(proxy, "jurisdiction", "nl")
        else:
            _add(proxy, "registrationNumber", node.get("registration_number"))
            _add(proxy, "country", (node.get("land") or "").lower() or None)
        _add(proxy, "legalForm", node.get("rechtsvorm"))
        _add(proxy, "incorporationDate", node.get("datum_aanvang"))
        _add(proxy, "dissolutionDate", node.get("datum_einde"))
        _add(proxy, "status", node.get("status"))
        _add(proxy, "classification", node.get("sbi_code"))
    elif schema == "Address":
        _add(proxy, "full", name)
        street = " ".join(str(x) for x in (node.get("straat"), node.get("huisnummer"),
                                          node.get("toevoeging")) if x)
        _add(proxy, "street", street if node.get("straat") else None)
        _add(proxy, "postalCode", node.get("postcode"))
        _add(proxy, "city", node.get("plaats"))
        _add(proxy, "country", (node.get("land") or "").lower() or None)
    elif schema == "RealEstate":
        _add(proxy, "cadastralCode", node.get("kadastraal_perceel"))
        _add(proxy, "area", node.get("oppervlakte_m2"))
    elif schema == "Project":
        _add(proxy, "date", node.get("aanvraagdatum"))
        _add(proxy, "status", node.get("status"))
    elif schema == "Event":
        _add(proxy, "date", node.get("ontvangstdatum"))
    if label in ("Person", "Organisation"):
        _add(proxy, "topics", (node.get("list_topics") or "").split("; ") or None)
        _add(proxy, "program", node.get("list_programs"))
    _common(proxy, node)
    return proxy


def _link(rel: Row, schemata: Mapping[str, str]) -> EntityProxy | None:
    rtype, start, end = str(rel["_type"]), str(rel["_start"]), str(rel["_end"])
    if start not in schemata or end not in schemata:
        return None
    role = rel.get("role")
    if rtype == "FUNCTIONARY_OF" and schemata[end] in _COMPANY_FORMS:
        if role in _SHAREHOLDER:
            proxy = ftm_model.make_entity("Ownership")
            _add(proxy, "owner", entity_id(start))
            _add(proxy, "asset", entity_id(end))
            _add(proxy, "percentage", rel.get("aandeel_pct"))
        else:
            proxy = ftm_model.make_entity("Directorship")
            _add(proxy, "director", entity_id(start))
            _add(proxy, "organization", entity_id(end))
        _add(proxy, "role", role)
    elif rtype == "OWNS":
        proxy = ftm_model.make_entity("Ownership")
        _add(proxy, "owner", entity_id(start))
        _add(proxy, "asset", entity_id(end))
    elif rtype == "EMPLOYED_BY" and schemata[start] == "Person":
        proxy = ftm_model.make_entity("Employment")
        _add(proxy, "employee", entity_id(start))
        _add(proxy, "employer", entity_id(end))
    elif rtype == "PARTY_TO" and schemata[end] == "Project":
        proxy = ftm_model.make_entity("ProjectParticipant")
        _add(proxy, "participant", entity_id(start))
        _add(proxy, "project", entity_id(end))
        _add(proxy, "role", role)
    else:
        proxy = ftm_model.make_entity("UnknownLink")
        _add(proxy, "subject", entity_id(start))
        _add(proxy, "object", entity_id(end))
        name = REL_NAMES.get(rtype, rtype.lower())
        _add(proxy, "role", f"{name} ({terms.value_text('role', role)})" if role else name)
        _add(proxy, "amount", rel.get("amount"))
    proxy.id = entity_id("|".join((rtype, start, end, str(rel.get("key") or ""))))
    _add(proxy, "startDate", rel.get("valid_from"))
    _add(proxy, "endDate", rel.get("valid_to"))
    _common(proxy, rel)
    return proxy


def to_entities(nodes: Iterable[Row], relationships: Iterable[Row]) -> list[dict[str, Any]]:
    """The FtM entities (``{"id", "schema", "properties"}``) of these nodes and
    relationships, sorted by id; a relationship whose end is not among the nodes is left
    out."""
    proxies: dict[str, EntityProxy] = {}
    schemata: dict[str, str] = {}
    for node in nodes:
        proxy = _node(node)
        if proxy is not None and proxy.id is not None:
            proxies[str(node["uid"])] = proxy
            schemata[str(node["uid"])] = proxy.schema.name
    links: list[EntityProxy] = []
    for rel in relationships:
        if rel["_type"] in ADDRESS_TYPES:
            owner, addr = proxies.get(str(rel["_start"])), str(rel["_end"])
            if owner is not None and schemata.get(addr) == "Address":
                _add(owner, "addressEntity", entity_id(addr))
            continue
        link = _link(rel, schemata)
        if link is not None:
            links.append(link)
    out = [p.to_dict() for p in (*proxies.values(), *links)]
    return sorted(({"id": e["id"], "schema": e["schema"], "properties": e["properties"]}
                   for e in out), key=lambda e: str(e["id"]))


def to_jsonl(entities: Sequence[Mapping[str, Any]]) -> str:
    """One entity per line (FtM's JSON lines)."""
    return "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entities)
