"""Hubs as data: which entities networks, screenings, paths and centrality do not walk
through (``hubs.yaml``, beside the model file).

A hub stays visible as an end point, with how many further neighbours lie behind it, but
nothing behind it is followed: a bank that finances many applicants would otherwise tie
every applicant's network to every other's. :func:`load_hubs` parses and checks the file
and raises :class:`~graph_service.model.schema.ModelError` naming file and entry;
:data:`HUBS` is the shipped file, loaded once at import. :func:`hubs_arg` turns what a
caller passes (nothing, ``"door"``, a :class:`Hubs`) into the hubs to stop at, and
:meth:`Hubs.params` gives the statement parameters (values travel as parameters only).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ..errors import InvalidParams
from .schema import ModelError, parse_yaml

__all__ = [
    "HUBS",
    "HUBS_FILE",
    "NO_HUBS",
    "STOP",
    "THROUGH",
    "Hubs",
    "hubs_arg",
    "is_hub",
    "load_hubs",
]

HUBS_FILE = "hubs.yaml"
#: The word a caller passes (API ``hubs=door``, CLI ``--hubs door``) to walk through hubs.
THROUGH = "door"
#: The word for the default: stop at the hubs of the shipped list.
STOP = "stop"
_KEYS = ("sbi_prefixes", "kvk_numbers", "uids", "legal_forms")
_SBI = re.compile(r"[0-9]{2,5}")
_KVK = re.compile(r"[0-9]{8}")
_UID = re.compile(r"[a-z_]+:\S+")
_FORM = re.compile(r"[a-z][a-z_]*")


@dataclass(frozen=True)
class Hubs:
    """The hubs to stop at; all empty (:data:`NO_HUBS`) walks through everything."""

    sbi_prefixes: tuple[str, ...] = ()
    kvk_numbers: tuple[str, ...] = ()
    uids: tuple[str, ...] = ()
    legal_forms: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.sbi_prefixes or self.kvk_numbers or self.uids or self.legal_forms)

    def params(self) -> dict[str, list[str]]:
        """The statement parameters of the hub condition (see docs/queries.md)."""
        return {
            "hub_sbi": list(self.sbi_prefixes),
            "hub_kvk": list(self.kvk_numbers),
            "hub_uids": list(self.uids),
            "hub_forms": list(self.legal_forms),
        }

    def matches(self, uid: str, props: Mapping[str, Any]) -> bool:
        """Whether an entity (uid and properties) is a hub: the statements' condition."""
        if uid in self.uids:
            return True
        if str(props.get("kvk_nummer") or "") in self.kvk_numbers:
            return True
        if str(props.get("rechtsvorm") or "") in self.legal_forms:
            return True
        sbi = str(props.get("sbi_code") or "")
        return bool(sbi) and any(sbi.startswith(p) for p in self.sbi_prefixes)


NO_HUBS = Hubs()


def _entries(data: dict[str, Any], key: str, pattern: re.Pattern[str],
             origin: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ModelError(f"{origin}: {key}: expected a list")
    out: list[str] = []
    for i, item in enumerate(value):
        text = item if isinstance(item, str) else None
        if text is None or not pattern.fullmatch(text):
            raise ModelError(f"{origin}: {key}[{i}]: {item!r} does not match {pattern.pattern}"
                             " (quote numbers)")
        if text in out:
            raise ModelError(f"{origin}: {key}[{i}]: {text!r} is listed twice")
        out.append(text)
    return tuple(out)


def load_hubs(text: str, origin: str = HUBS_FILE) -> Hubs:
    """Parse and check a hubs file; a bad entry raises ModelError naming file and entry."""
    try:
        data = parse_yaml(text)
    except yaml.YAMLError as exc:
        raise ModelError(f"{origin}: not valid YAML: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ModelError(f"{origin}: expected a mapping")
    unknown = sorted(str(k) for k in data if k not in _KEYS)
    if unknown:
        raise ModelError(f"{origin}: unknown key(s) {', '.join(unknown)}; "
                         f"allowed: {', '.join(_KEYS)}")
    return Hubs(
        sbi_prefixes=_entries(data, "sbi_prefixes", _SBI, origin),
        kvk_numbers=_entries(data, "kvk_numbers", _KVK, origin),
        uids=_entries(data, "uids", _UID, origin),
        legal_forms=_entries(data, "legal_forms", _FORM, origin),
    )


def _shipped() -> Hubs:
    text = resources.files(__package__).joinpath(HUBS_FILE).read_text(encoding="utf-8")
    return load_hubs(text, f"graph_service/model/{HUBS_FILE}")


#: The shipped hubs, loaded and checked once.
HUBS: Hubs = _shipped()


def hubs_arg(value: Hubs | str | bool | None) -> Hubs:
    """The hubs a call stops at: None, True or ``"stop"`` the shipped :data:`HUBS`;
    ``"door"`` or False none (walk through); a :class:`Hubs` itself. Anything else is
    refused."""
    if value is None or value is True or value == STOP:
        return HUBS
    if value is False or value == THROUGH:
        return NO_HUBS
    if isinstance(value, Hubs):
        return value
    raise InvalidParams(f"hubs must be {STOP!r} or {THROUGH!r}, not {value!r}")


def is_hub(uid: str, props: Mapping[str, Any], hubs: Hubs | None = None) -> bool:
    """Whether an entity is a hub under ``hubs`` (default the shipped list)."""
    return (HUBS if hubs is None else hubs).matches(uid, props)
