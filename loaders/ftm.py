"""Outside lists as FollowTheMoney entities: one JSON object per line (docs/ftm.md).

A sanctions or PEP list (an OpenSanctions or Aleph export, a list another authority hands
over) is a file of FtM entities, ``{"id": ..., "schema": ..., "properties": {name: [values]}}``
one per line. Unlike the other sources it is no table, so this module reads it itself;
what follows is the shape every loader shares (``loaders.base``): check the whole file
first, every problem as ``FILE:ROW:COLUMN: message`` (row = line number, column = the
FtM property, or ``id``/``schema``/``properties``/``-`` for the entity itself), write
nothing when a line is refused (unless ``skip_invalid``), then write in batches through
the shared writer; loading the same file again changes nothing.

Every entity is validated with the ``followthemoney`` library: a known schema, every
property one of its schema, every value of the property's type (a date a date, a country
a country code), the schema's required properties present, an id used once.

Graph (docs/graph-model.md):
- ``Person`` (FtM Person) and ``Organisation`` (FtM Organization, Company, LegalEntity,
  PublicBody) with uids of their own (``listed_person``, ``listed_organisation``: by FtM
  id), never a register's uid: a list entry does not merge silently with a person or an
  organisation of the registers.
- Persons carry the name parts and blocking keys of the registers' persons, so the shared
  look-alike step proposes ``POSSIBLE_SAME_AS`` pairs (the same name and birth date
  scores 1.0, a near birth date 0.8, a missing one 0.6); organisations meet a register's
  organisation by KvK number (``registrationNumber``, 1.0) or by folded name and country
  (0.9) in :func:`match_organisations`. A human decides; nothing merges.
- Other schemata (Sanction, Address, Ownership, ...) are validated and counted, not
  written: the list's ``topics`` and ``program`` on the entity itself say why it is
  listed.

Record id: the FtM id.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from followthemoney import model as ftm_model
from followthemoney.schema import Schema

from graph_service.cells import spreadsheet_safe
from graph_service.model import (
    SOURCES,
    foreign_organisation_uid,
    listed_organisation_uid,
    listed_person_uid,
    organisation_uid,
)
from graph_service.store import Store

from . import names
from . import values as v
from .base import CheckedFile
from .checks import LoadError, Problem, SourceSpec
from .records import Node, Prov, Record, Rel, person_node
from .spill import Spill
from .writer import LoadReport

__all__ = ["SPEC", "PERSON_SCHEMATA", "ORGANISATION_SCHEMATA", "MAX_LINE_CHARS",
           "read_entities", "check_entity", "normalise", "record_id", "records", "check_file",
           "match_organisations"]

PERSON_SCHEMATA = frozenset({"Person"})
ORGANISATION_SCHEMATA = frozenset({"Organization", "Company", "LegalEntity", "PublicBody"})
MAX_LINE_CHARS = 1_000_000
_SAME_AS_STATEMENT = "write/propose_same_organisations"
_ORG_CANDIDATES = "read/organisations_by_uid"


# -- reading -----------------------------------------------------------------------------------
def read_entities(path: Path) -> Iterator[tuple[int, Any, str | None]]:
    """``(line number, decoded JSON or None, problem or None)`` of every non-empty line."""
    with path.open(encoding="utf-8-sig", errors="strict", newline="") as fh:
        number = 0
        while True:
            number += 1
            try:
                line = fh.readline(MAX_LINE_CHARS + 1)
            except UnicodeDecodeError as exc:
                yield number, None, f"geen UTF-8 ({exc.reason}); verwacht JSON-regels in UTF-8"
                return
            if not line:
                return
            if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
                yield number, None, f"regel langer dan {MAX_LINE_CHARS} tekens"
                return
            if not line.strip():
                continue
            try:
                yield number, json.loads(line), None
            except json.JSONDecodeError as exc:
                yield number, None, f"geen geldige JSON ({exc.msg}, teken {exc.colno})"


# -- checking ----------------------------------------------------------------------------------
def _schema(name: object) -> Schema | None:
    return ftm_model.get(name) if isinstance(name, str) and name else None


def check_entity(data: Any, report: Callable[[str, str], None]) -> None:
    """Report every problem of one decoded line by its column (FtM property)."""
    if not isinstance(data, dict):
        report("-", "regel is geen JSON-object met id, schema en properties")
        return
    ident = data.get("id")
    if not isinstance(ident, str) or not ident.strip():
        report("id", "id ontbreekt of is geen tekst")
    elif len(ident) > 200 or not ident.isprintable():
        report("id", "id is langer dan 200 tekens of bevat stuurtekens")
    schema = _schema(data.get("schema"))
    if schema is None:
        report("schema", f"onbekend FtM-schema {str(data.get('schema'))[:60]!r}")
        return
    if schema.abstract:
        report("schema", f"schema {schema.name} is abstract; kies een concreet schema")
    props = data.get("properties", {})
    if not isinstance(props, dict):
        report("properties", "properties is geen object")
        return
    for name, vals in props.items():
        prop = schema.get(name)
        if prop is None:
            report(str(name)[:60], f"geen eigenschap van schema {schema.name}")
            continue
        if not isinstance(vals, list) or not all(isinstance(x, str) for x in vals):
            report(name, "verwacht een lijst met teksten")
            continue
        for value in vals:
            bad = v.cell_problem(value, free_text=True)
            if bad:
                report(name, bad)
                break
            if prop.type.clean(value, proxy=None) is None:
                report(name, f"ongeldige waarde {value[:60]!r} voor type {prop.type.name}")
                break
    for required in sorted(schema.required):
        if not props.get(required):
            report(required, f"verplichte eigenschap van schema {schema.name} ontbreekt")


# -- normalising -------------------------------------------------------------------------------
def _first(props: dict[str, list[str]], *names_: str) -> str | None:
    for name in names_:
        for value in props.get(name) or ():
            if value.strip():
                return value.strip()
    return None


def _joined(props: dict[str, list[str]], name: str) -> str | None:
    vals = sorted({x.strip() for x in props.get(name) or () if x.strip()})
    return "; ".join(vals) or None


def _name_parts(props: dict[str, list[str]]) -> tuple[str | None, str | None]:
    """(voornamen, geslachtsnaam) of an FtM person: lastName, else split from name at
    the first voorvoegsel after the first word, else before the last word."""
    last = _first(props, "lastName")
    if last:
        given = " ".join(x for x in (_first(props, "firstName"), _first(props, "middleName"))
                         if x)
        return given or None, last
    full = _first(props, "name")
    words = (full or "").split()
    if len(words) < 2:
        return None, full
    cut = len(words) - 1
    for i in range(1, len(words) - 1):
        if names.fold(words[i]) in names.VOORVOEGSELS:
            cut = i
            break
    return " ".join(words[:cut]), " ".join(words[cut:])


def _birth_date(props: dict[str, list[str]]) -> str | None:
    """The first full birth date (FtM allows a year or a month alone: undated then)."""
    for value in sorted(props.get("birthDate") or ()):
        if len(value) >= 10:
            try:
                return v.parse_date(value[:10])
            except v.ValueInvalid:
                continue
    return None


def _list_props(props: dict[str, list[str]], data: dict[str, Any]) -> dict[str, Any]:
    datasets = data.get("datasets")
    return {
        "ftm_id": data["id"],
        "ftm_schema": data["schema"],
        "list_topics": _joined(props, "topics"),
        "list_programs": _joined(props, "program"),
        "list_datasets": "; ".join(sorted(str(d) for d in datasets))
        if isinstance(datasets, list) and datasets else None,
        "aliases": _joined(props, "alias"),
    }


def normalise(data: dict[str, Any]) -> Iterator[Record]:
    """A checked entity -> its Person or Organisation node (nothing for other schemata)."""
    props: dict[str, list[str]] = data.get("properties") or {}
    schema = data["schema"]
    country = _first(props, "nationality", "citizenship", "country", "jurisdiction")
    land = country.upper() if country else None
    if schema in PERSON_SCHEMATA:
        given, surname = _name_parts(props)
        row = {"voornamen": given, "voorvoegsel": None, "geslachtsnaam": surname,
               "geboortedatum": _birth_date(props)}
        found = person_node(row, "", record_id(data))
        if found is None:
            return
        node_props = {**found.props, "name_key": None,
                      "name": _first(props, "name") or found.props["name"], "land": land,
                      **_list_props(props, data)}
        yield Node("Person", listed_person_uid(data["id"]), node_props)
    elif schema in ORGANISATION_SCHEMATA:
        number = _first(props, "registrationNumber")
        yield Node("Organisation", listed_organisation_uid(data["id"]), {
            "name": _first(props, "name"), "land": land, "registration_number": number,
            **_list_props(props, data)})


def record_id(data: dict[str, Any]) -> str:
    return str(data["id"])


def records(path: Path) -> Iterator[Record]:
    """The graph records of every fit entity of a file (what a load would write)."""
    for _, data, problem in read_entities(path):
        found: list[str] = []

        def note(col: str, msg: str, into: list[str] = found) -> None:
            into.append(col)

        if problem is None:
            check_entity(data, note)
        if problem is None and not found:
            yield from normalise(data)


# -- organisations: candidates by KvK number or by name and country -----------------------------
def _kvk(number: str | None) -> str | None:
    if not number:
        return None
    digits = number.replace(" ", "").replace(".", "")
    return digits if len(digits) == 8 and digits.isdigit() else None


def match_organisations(store: Store, batch: list[tuple[Prov, list[Node | Rel]]]) -> None:
    """Propose POSSIBLE_SAME_AS between the batch's listed organisations and the
    registers' ones: the same KvK number (1.0) or the same folded name and country (0.9)."""
    wanted: dict[str, list[tuple[str, float, str]]] = {}
    for _, recs in batch:
        for rec in recs:
            if not (isinstance(rec, Node) and rec.label == "Organisation"):
                continue
            listed = str(rec.uid)
            kvk = _kvk(rec.props.get("registration_number"))
            if kvk:
                wanted.setdefault(organisation_uid(kvk), []).append(
                    (listed, 1.0, "zelfde KvK-nummer / same KvK number"))
            if rec.props.get("name"):
                other = foreign_organisation_uid(names.fold(rec.props["name"]),
                                                 rec.props.get("land"))
                wanted.setdefault(other, []).append(
                    (listed, 0.9, "zelfde naam en land / same name and country"))
    if not wanted:
        return
    found = {row["uid"] for row in store.read(_ORG_CANDIDATES, {"uids": sorted(wanted)})}
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for other in sorted(found):
        for listed, score, reason in wanted[other]:
            a, b = sorted((listed, other))
            if a != b and pairs.get((a, b), {}).get("score", 0) < score:
                pairs[(a, b)] = {"start": a, "end": b, "score": score, "reason": reason}
    if pairs:
        store.write_rows(_SAME_AS_STATEMENT, list(pairs.values()))


# -- the load ----------------------------------------------------------------------------------
def _prov(data: dict[str, Any], today: dt.date) -> Prov:
    src = SOURCES["ftm"]
    return Prov(source="ftm", record=record_id(data), grade=src.default_grade,
                purpose=src.purpose_class, seen=today.isoformat())


def check_file(path: Path, today: dt.date, size: int, skip_invalid: bool,
               report: LoadReport) -> CheckedFile:
    """Read and check one whole FtM file (``loaders.base.check_file``'s part for a source
    that is no table): each line an entity, checked with the followthemoney library;
    entities of schemata that make no node are counted in ``ignored_columns`` as
    ``line:schema``. Raises :class:`LoadError` when a line has problems, unless
    ``skip_invalid``."""
    name = str(path)
    refused: dict[int, list[Problem]] = {}
    seen: dict[str, int] = {}
    rows = 0
    spill = Spill(size)
    try:
        for number, data, problem in read_entities(path):
            rows += 1
            problems: list[Problem] = []

            def found(col: str, msg: str, _n: int = number, _p: list[Problem] = problems
                      ) -> None:
                _p.append(Problem(name, _n, col, msg))

            if problem:
                found("-", problem)
            else:
                check_entity(data, found)
            ident = data.get("id") if isinstance(data, dict) else None
            if not problems and isinstance(ident, str):
                if ident in seen:
                    found("id", f"id komt al voor op regel {seen[ident]}")
                seen.setdefault(ident, number)
            if problems:
                refused[number] = problems
            elif skip_invalid or not refused:
                recs = list(normalise(data))
                if recs:
                    spill.add(_prov(data, today), recs)
                else:
                    report.ignored_columns.append(f"{number}:{data['schema']}")
    except (OSError, UnicodeError) as exc:
        spill.close()
        raise LoadError([Problem(name, 0, "-", f"bestand niet te lezen: {exc}")]) from exc
    except BaseException:
        spill.close()
        raise
    if refused and not skip_invalid:
        spill.close()
        raise LoadError([p for ps in refused.values() for p in ps])
    return CheckedFile(path, rows, refused, spill, lambda: _write_rejects(path, refused))


def _write_rejects(path: Path, refused: dict[int, list[Problem]]) -> Path:
    out = path.with_name(path.stem + ".afgewezen.csv")
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["regel", "redenen"])
        for number, problems in sorted(refused.items()):
            reasons = "; ".join(f"{p.column}: {p.message}" for p in problems)
            w.writerow([number, spreadsheet_safe(reasons)])
    return out


SPEC = SourceSpec(
    name="ftm",
    columns={"id": None, "schema": None, "properties": None},
    required=("id", "schema"),
    person_prefixes=(),
    record_id=record_id,
    normalise=normalise,
    after_write=match_organisations,
    check_file=check_file,
)
