"""Honest absence: what a scope does not show, said in the answer itself.

A scope trims what a role may not see for its purpose (``docs/security.md``). An answer
without RIEC signals must then not read as "no signals": for the Bibob officer a report
with "RIEC-signalen 0" looks clean while the RIEC may hold a signal on the applicant. Every
answer that a scope trims carries the kinds of source it leaves out (:func:`absent_sources`,
as ``absent_sources`` in JSON), in Dutch, with the way to get them for this purpose (the
Bibob officer asks the RIEC for a RIEC-toets: the RIEC supports the Bibob decision, Wet Bibob
art. 28 lid 2, and a RIEC liaison under ``bibob_toets`` sees the signals).

A scope says what it may see as purpose classes (``graph_service.model.PURPOSE_CLASSES``);
the purpose comes from its label, which :func:`graph_service.security.policy.resolve` writes
as ``role[+role]/purpose[:reference]``. A scope made by hand (tests, system tasks) has no
purpose: its notice names what is left out and the general way to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import PURPOSE_CLASSES, SOURCES
from ..store.access import Scope
from .policy import PURPOSES

__all__ = ["Absent", "WHAT", "absent_sources", "absent_dicts", "purpose_of", "notice_lines"]

#: What each purpose class holds, as an officer would name it (Dutch).
WHAT: dict[str, str] = {
    "open": "KvK-gegevens",
    "municipal": "gemeentelijke gegevens (vakantieparken, schuren)",
    "bibob": "Bibob-dossiers",
    "riec": "RIEC-signalen",
    "sanctions": "vermeldingen op sanctie- en PEP-lijsten",
}

_RIEC_FOR_BIBOB = ("Vraag het RIEC om een RIEC-toets van dit dossier: een RIEC-contactpersoon "
                   "ondersteunt de Bibob-toets (Wet Bibob art. 28 lid 2) en ziet de "
                   "RIEC-signalen.")
_RIEC_ELSEWHERE = ("RIEC-signalen zijn alleen te zien binnen een RIEC-casus (doel RIEC-casus "
                   "met casusnummer), of door het RIEC ter ondersteuning van een Bibob-toets.")
_BIBOB = ("Bibob-gegevens zijn geheim (Wet Bibob art. 28) en alleen te zien bij de Bibob-toets "
          "van het dossier zelf (doel Bibob-toets met dossiernummer).")
_LISTS = ("Sanctie- en PEP-lijsten zijn alleen te zien bij een Bibob-toets (doel Bibob-toets "
          "met dossiernummer) of binnen een RIEC-casus, niet bij gepseudonimiseerde analyse.")
_OTHER = "Kies een doel dat deze gegevens nodig heeft, of vraag wie ze beheert."

#: How to get a class that the scope leaves out, per (class, purpose); None: any purpose.
HOW: dict[tuple[str, str | None], str] = {
    ("riec", "bibob_toets"): _RIEC_FOR_BIBOB,
    ("riec", None): _RIEC_ELSEWHERE,
    ("bibob", None): _BIBOB,
    ("sanctions", None): _LISTS,
}


@dataclass(frozen=True)
class Absent:
    """One kind of source that the scope leaves out, and how to get it."""

    purpose_class: str
    sources: tuple[str, ...]
    what: str
    notice: str
    how: str

    def to_dict(self) -> dict[str, Any]:
        return {"class": self.purpose_class, "sources": list(self.sources), "what": self.what,
                "notice": self.notice, "how": self.how}


def purpose_of(scope: Scope) -> str | None:
    """The purpose a scope was resolved for (from its label), or None for a hand-made one."""
    head = scope.label.split(":", 1)[0]
    _, sep, purpose = head.rpartition("/")
    return purpose if sep and purpose in PURPOSES else None


def absent_sources(scope: Scope | None) -> tuple[Absent, ...]:
    """The kinds of source that ``scope`` leaves out, in the model's order (empty: none)."""
    if scope is None:
        return ()
    purpose = purpose_of(scope)
    who = "uw rol en doel" if purpose else "deze toegang"
    out = []
    for pc in PURPOSE_CLASSES:
        if pc in scope.visible:
            continue
        what = WHAT.get(pc, pc)
        how = HOW.get((pc, purpose)) or HOW.get((pc, None)) or _OTHER
        out.append(Absent(
            purpose_class=pc,
            sources=tuple(name for name, s in SOURCES.items() if s.purpose_class == pc),
            what=what,
            notice=f"{what} zijn voor {who} niet zichtbaar.",
            how=how,
        ))
    return tuple(out)


def absent_dicts(scope: Scope | None) -> list[dict[str, Any]]:
    """:func:`absent_sources` as JSON: the ``absent_sources`` block of an answer."""
    return [a.to_dict() for a in absent_sources(scope)]


def notice_lines(absent: tuple[Absent, ...] | list[dict[str, Any]]) -> list[str]:
    """The notice as lines of text (for the command line and notebooks)."""
    items = [a.to_dict() if isinstance(a, Absent) else a for a in absent]
    return [f"Let op: {a['notice']} {a['how']}"
            + (f" Niet beoordeeld: {', '.join(a['indicators'])}." if a.get("indicators") else "")
            for a in items]
