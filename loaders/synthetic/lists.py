"""A synthetic outside list (source ftm): FollowTheMoney entities naming some generated
persons and organisations, so the demo and the tests see SANCTIONS_MATCH (docs/ftm.md).

:func:`write_outside_list` reads a generated ``kvk.csv`` and writes ``ftm.jsonl``: every
``every``-th functionary with a birth date as a Person (on odd positions with the birth
date one day off, a weaker look-alike; every third a PEP instead of a sanction), and
every ``5 * every``-th organisation as a Company with its KvK number. Deterministic: the
same ``kvk.csv`` gives the same file. No real person or list is named.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from loaders.values import parse_date

__all__ = ["LIST_FILE", "write_outside_list"]

#: The file name of the list in a generated folder.
LIST_FILE = "ftm.jsonl"


def write_outside_list(folder: Path, every: int = 40, most: int = 12) -> Path:
    """Write ``folder/ftm.jsonl`` from ``folder/kvk.csv``; returns its path."""
    with (folder / "kvk.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    persons = sorted({(r["functionaris_voornamen"], r["functionaris_voorvoegsel"],
                       r["functionaris_geslachtsnaam"], r["functionaris_geboortedatum"])
                      for r in rows if r["functionaris_type"] == "persoon"
                      and r["functionaris_geboortedatum"] and r["functionaris_geslachtsnaam"]})
    entities: list[dict[str, Any]] = []
    for i, (given, prefix, surname, born) in enumerate(persons[::every][:most]):
        # the generated file writes dates as registers do (also dd-mm-jjjj)
        day = dt.date.fromisoformat(parse_date(born)) + dt.timedelta(days=i % 2)
        last = f"{prefix} {surname}".strip()
        entities.append({"id": f"synth-list-p{i}", "schema": "Person", "properties": {
            "firstName": [given], "lastName": [last], "name": [f"{given} {last}".strip()],
            "birthDate": [day.isoformat()],
            "topics": ["role.pep" if i % 3 == 0 else "sanction"],
            "program": ["synthetische lijst"]}})
    orgs = sorted({r["kvk_nummer"]: r for r in rows}.values(), key=lambda r: r["kvk_nummer"])
    for i, row in enumerate(orgs[::5 * every][:most // 2]):
        entities.append({"id": f"synth-list-o{i}", "schema": "Company", "properties": {
            "name": [row["naam"]], "registrationNumber": [row["kvk_nummer"]],
            "jurisdiction": ["nl"], "topics": ["sanction"],
            "program": ["synthetische lijst"]}})
    path = folder / LIST_FILE
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities),
                    encoding="utf-8")
    return path
