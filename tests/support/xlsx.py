"""Spreadsheet copies of the CSV fixtures, for the tests that load .xlsx like .csv."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any


def csv_to_xlsx(src: Path, dst: Path) -> None:
    """Write the CSV as Excel would hold it: numbers and dates as typed cells."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    with src.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter=",")
        ws.append(next(reader))
        for row in reader:
            cells: list[Any] = []
            for text in row:
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                    cells.append(dt.datetime.fromisoformat(text))
                elif re.fullmatch(r"[1-9]\d{0,4}", text):
                    cells.append(int(text))
                else:
                    cells.append(text or None)
            ws.append(cells)
    wb.save(dst)
