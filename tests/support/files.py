"""Small input files written by tests."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def write_csv(path: Path, rows: Sequence[Mapping[str, Any]],
              columns: Sequence[str] | None = None) -> Path:
    """Write ``rows`` as a UTF-8 CSV file with a header: ``columns``, or the keys of the
    first row. A cell a row lacks is empty; a key outside the columns is an error."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns if columns is not None else rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path
