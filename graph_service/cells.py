"""Text cells: the characters no cell of ours holds, and the rule that keeps a cell a
spreadsheet opens from running as a formula (OWASP CSV injection).

The loaders refuse these characters in input and write their reject files with
:func:`spreadsheet_safe`; the screening exports (graph_service.render.export) write every
text cell with it too: one rule for every file an officer opens in a spreadsheet.

>>> spreadsheet_safe("=HYPERLINK(\\"http://x\\")"), spreadsheet_safe("Bakker; -1")
('\\'=HYPERLINK("http://x")', "Bakker; '-1")
"""

from __future__ import annotations

import re

__all__ = ["CONTROL_IN_TEXT", "FORBIDDEN_IN_TEXT", "spreadsheet_safe"]

#: A regex character class body: control characters (C0 without tab and line breaks, DEL,
#: C1), line and paragraph separators and the bidirectional overrides and isolates.
FORBIDDEN_IN_TEXT = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
#: Any character of :data:`FORBIDDEN_IN_TEXT` (tab and line breaks are allowed).
CONTROL_IN_TEXT = re.compile(f"[{FORBIDDEN_IN_TEXT}]")

# where a spreadsheet may start a cell (the start, or after a separator of any delimiter it
# might split on: comma, semicolon, tab, line break, quote) followed by a formula trigger
_FORMULA_START = re.compile(r"""(^|[,;\t\r\n"] *)(?=[=+\-@\t\r])""")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text, never runs it (OWASP CSV injection).

    A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a single
    quote in front (``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``). So does such a character
    after a comma, semicolon, tab, line break or quote inside the cell (``x;=cmd|...`` ->
    ``x;'=cmd|...``): a spreadsheet that splits lines on another delimiter than the file's
    would start a cell there. Characters of :data:`FORBIDDEN_IN_TEXT` become U+FFFD, so the
    file shows where they were.
    """
    return _FORMULA_START.sub(r"\1'", CONTROL_IN_TEXT.sub("\ufffd", cell))
