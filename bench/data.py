"""Generated input files, cached per size and seed under ``bench/data/``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from loaders.synthetic import generate

from .common import BENCH, SOURCE_ORDER, TODAY

__all__ = ["dataset", "row_counts", "DATA_DIR"]

DATA_DIR = BENCH / "data"


def dataset(size: int, seed: int = 1) -> Path:
    """The folder with the five source files of ``size`` and ``seed`` (generated once).

    A folder counts as complete once ``planted.json`` is there (the generator writes it
    last); an interrupted generation is redone.
    """
    out = DATA_DIR / f"size-{size}-seed-{seed}"
    if not (out / "planted.json").exists():
        out.mkdir(parents=True, exist_ok=True)
        generate(out, size, seed, today=TODAY)
    return out


def row_counts(folder: Path) -> dict[str, int]:
    """Data rows per source file (from planted.json, else by counting)."""
    planted = folder / "planted.json"
    if planted.exists():
        rows = json.loads(planted.read_text(encoding="utf-8")).get("rows", {})
        if rows:
            return {s: int(rows[s]) for s in SOURCE_ORDER if s in rows}
    counts = {}
    for s in SOURCE_ORDER:
        with (folder / f"{s}.csv").open(encoding="utf-8", newline="") as fh:
            counts[s] = sum(1 for _ in csv.reader(fh)) - 1
    return counts
