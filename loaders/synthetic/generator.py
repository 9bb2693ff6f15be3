"""One run: the generator composed of its parts, and ``generate()``, which writes the files.

The order is fixed (and part of the determinism): the planted patterns first (their
persons and organisations come before ``World.P0``/``World.O0``), then the background
population, then the five files in load order, each file's planted rows before its
background rows, and ``planted.json`` last.

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

import json
from datetime import date
from pathlib import Path

from .bibob import BibobFile
from .contract import FILE_COLUMNS, INDICATOR_CODES, CsvSink
from .kvk import KvkFile
from .planted import Planted
from .riec import RiecFile
from .schuren import ShedFile
from .vakantieparken import ParkFile

__all__ = ["generate", "DEFAULT_TODAY"]

DEFAULT_TODAY = date(2026, 11, 27)


class Generator(Planted, KvkFile, BibobFile, ParkFile, ShedFile, RiecFile):
    """The world with its background, the five file writers and the planted patterns."""


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
    gen = Generator(size, seed, today)
    gen.plant(1 + size // 50_000)
    gen.build_background()
    sinks = {name: CsvSink(out_dir / f"{name}.csv", cols) for name, cols in FILE_COLUMNS.items()}
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
        "generator": "loaders.synthetic",
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
