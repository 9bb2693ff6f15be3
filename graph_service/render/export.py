"""A Bibob screening as tables for a spreadsheet: parties, network and indicator hits,
written as CSV (one table) or XLSX (one sheet per table), formula-safe.

Input is the screening's plain form (``ScreeningReport.to_dict()``); headers and values are
Dutch (:mod:`.terms`). An entity named in another's row ("ten aanzien van", "verbonden via")
is named by its identity line (``identity_line``, set by the web layer's ``annotate_tree``;
else its name), as the report page names it. A hub the network walk stopped at (a bank
that finances other applicants too) keeps its row, with what lies behind it: "niet
doorgelopen: nog 41 verbonden entiteiten, waarvan 12 andere aanvragers" (column
"knooppunt"). Every text cell goes through :func:`spreadsheet_safe` (OWASP CSV injection: a
cell a spreadsheet would read as a formula is written as text), in CSV and in XLSX alike,
since a workbook cell that starts with ``=`` is a formula too.

Examples
--------
>>> spreadsheet_safe("=HYPERLINK(\\"http://x\\")"), spreadsheet_safe("Bakker; -1")
('\\'=HYPERLINK("http://x")', "Bakker; '-1")
>>> t = screening_tables({"parties": [{"uid": "person:1", "label": "Person", "name": "=A1",
...     "role": "aanvrager", "sources": ["bibob"], "grades": ["B2"]}],
...     "network": [], "hits": []})
>>> to_csv(t["partijen"]).decode("utf-8-sig").splitlines()[1][:24]
"'=A1;Persoon;;aanvrager;"
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..cells import spreadsheet_safe
from . import terms
from .graphs import LABEL_NAMES

__all__ = [
    "Table",
    "TABLES",
    "spreadsheet_safe",
    "screening_tables",
    "to_csv",
    "to_xlsx",
]

#: The tables of a screening export, by the name the export route takes.
TABLES = ("partijen", "netwerk", "treffers")


Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    """One sheet: a Dutch title, Dutch headers and rows of plain cells."""

    title: str
    headers: tuple[str, ...]
    rows: list[list[Cell]]


def _text(value: Any, key: str | None = None) -> Cell:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int | float):
        return value
    return terms.value_text(key, value)


def _kind(label: Any) -> str:
    return LABEL_NAMES.get(str(label), "entiteit")


def _sources(item: Mapping[str, Any]) -> str:
    return ", ".join(terms.source_name(s) for s in item.get("sources") or ())


def _grades(item: Mapping[str, Any]) -> str:
    return ", ".join(str(g) for g in item.get("grades") or ())


def _who(item: Mapping[str, Any]) -> str:
    """An entity named in another's row: its identity line, else its name or uid."""
    return str(item.get("identity_line") or item.get("name") or item.get("uid") or "")


def _via(paths: Sequence[Mapping[str, Any]]) -> str:
    """The first evidence path as identity lines: ``A → B (geb. 1969, Diever) → C``."""
    if not paths:
        return ""
    return " → ".join(_who(n) for n in paths[0].get("nodes") or ())


def _hub_text(hub: Mapping[str, Any] | None) -> str:
    """What lies behind a hub the walk stopped at, or "" for an entity that is none."""
    if hub is None:
        return ""
    behind, others = int(hub.get("behind") or 0), int(hub.get("other_applicants") or 0)
    return (f"niet doorgelopen: nog {behind} verbonden entiteit{'en' if behind != 1 else ''}, "
            f"waarvan {others} andere aanvrager{'s' if others != 1 else ''}")


def screening_tables(report: Mapping[str, Any],
                     titles: Mapping[str, str] | None = None) -> dict[str, Table]:
    """The parties, network and hits of a screening (``ScreeningReport.to_dict()``) as
    tables; ``titles`` gives an indicator's Dutch title by its code."""
    titles = titles or {}
    parties = list(report.get("parties") or ())
    by_ref = {p.get("party_ref"): _who(p) for p in parties if p.get("party_ref")}
    hubs = {str(h.get("uid")): h for h in report.get("hubs") or ()}
    party_rows: list[list[Cell]] = []
    for p in parties:
        relative = p.get("relative_to")
        party_rows.append([
            _text(p.get("name") or p.get("uid")), _kind(p.get("label")),
            _text(p.get("geboortedatum")), _text(p.get("role"), "role"),
            _text(by_ref.get(relative, relative) if relative else ""),
            _text(p.get("share_pct")), _text(p.get("amount")),
            _text(p.get("antecedenten_opgegeven")), _sources(p), _grades(p),
            _hub_text(hubs.get(str(p.get("uid")))), _text(p.get("uid")),
        ])
    network_rows: list[list[Cell]] = [
        [_text(n.get("name") or n.get("uid")), _kind(n.get("label")),
         _text(n.get("geboortedatum")), _text(n.get("hops")), _via(n.get("paths") or ()),
         _hub_text(hubs.get(str(n.get("uid")))), _text(n.get("uid"))]
        for n in report.get("network") or ()
    ]
    hit_rows: list[list[Cell]] = [
        [_text(h.get("name") or h.get("uid")), _kind(h.get("label")),
         _text(titles.get(str(h.get("code")), h.get("code"))), _text(h.get("severity")),
         _text(h.get("measure")), _text(h.get("grade")), _text(h.get("code")),
         _text(h.get("sentence")), _text(h.get("uid"))]
        for h in report.get("hits") or ()
    ]
    return {
        "partijen": Table("Partijen", (
            "naam", "soort", "geboortedatum", "rol", "ten aanzien van", "aandeel %",
            "bedrag (€)", "antecedenten opgegeven", "bronnen", "betrouwbaarheid", "knooppunt",
            "kenmerk"),
            party_rows),
        "netwerk": Table("Netwerk", (
            "naam", "soort", "geboortedatum", "stappen", "verbonden via", "knooppunt",
            "kenmerk"),
            network_rows),
        "treffers": Table("Indicatortreffers", (
            "entiteit", "soort", "indicator", "ernst", "maat", "betrouwbaarheid",
            "indicatorcode", "uitleg", "kenmerk"), hit_rows),
    }


def _safe_row(row: Iterable[Cell]) -> list[Cell]:
    return [spreadsheet_safe(c) if isinstance(c, str) else ("" if c is None else c)
            for c in row]


def to_csv(table: Table) -> bytes:
    """One table as CSV the way a Dutch spreadsheet opens it: UTF-8 with a byte order mark,
    ``;`` between cells, every text cell formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(_safe_row(table.headers))
    for row in table.rows:
        writer.writerow(_safe_row(row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(tables: Iterable[Table], title: str = "Ondergraaf") -> bytes:
    """The tables as one workbook, one sheet each (bold header row, frozen, column widths
    by content), every text cell formula-safe and stored as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.creator = "Ondergraaf"
    for table in tables:
        ws = wb.create_sheet(table.title[:31])
        ws.append(_safe_row(table.headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            ws.append(_safe_row(row))
        for row_cells in ws.iter_rows():
            for cell in row_cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
        ws.freeze_panes = "A2"
        for i, header in enumerate(table.headers):
            width = max([len(header)] + [len(str(r[i])) for r in table.rows if r[i] is not None])
            ws.column_dimensions[ws.cell(row=1, column=i + 1).column_letter].width = \
                min(60, width + 2)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
