"""The checking pass memoises parsed cells per file (loaders.checks): a value repeated on
many rows gives the same clean value every time, and a refused value is reported on every
row it is on, in column order, as without the memo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from loaders import spec_for
from loaders.base import parse, validate
from loaders.checks import clean_row

TODAY = dt.date(2026, 11, 27)
HEADER = ("park_id,park_naam,park_postcode,park_huisnummer,permanente_bewoning_toegestaan,"
          "eenheid_id,peildatum\n")


def test_repeated_cells_parse_and_fail_alike(tmp_path: Path) -> None:
    path = tmp_path / "parken.csv"
    rows = ["VP-1,Park,7991 ab,12,nee,1,2026-01-05",
            "VP-1,Park,7991 ab,12,nee,2,5-1-2026",
            "VP-2,,0000XX,12,misschien,1,2026-01-05",
            "VP-2,,0000XX,12,misschien,2,2026-01-05",
            "VP-3,Park,7991 ab,12,nee,1,2026-01-05"]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    spec = spec_for("vakantieparken")
    found = list(validate(spec, parse(path), TODAY))
    cleans = [clean for _, clean, _ in found]
    assert [c["park_postcode"] for c in cleans] == ["7991AB", "7991AB", None, None, "7991AB"]
    assert [c["permanente_bewoning_toegestaan"] for c in cleans] == [False, False, None, None,
                                                                     False]
    assert [c["peildatum"] for c in cleans] == ["2026-01-05"] * 5
    problems = {n: [(p.column, p.message) for p in ps] for n, _, ps in found if ps}
    assert list(problems) == [4, 5]
    assert problems[4] == problems[5]
    assert [col for col, _ in problems[4]] == ["park_naam", "park_postcode",
                                               "permanente_bewoning_toegestaan"]
    # the same rows one by one, without a memo
    table = parse(path)
    cols = spec.all_columns
    for (number, raw), (_, clean, ps) in zip(table.rows(), found, strict=True):
        alone: list[tuple[str, str]] = []
        assert clean_row(spec, cols, raw, lambda c, m: alone.append((c, m))) == clean
        assert alone == [(p.column, p.message) for p in ps], number
