"""Request parameters: parse and validate, or fail with a 400/422 in the one error shape.

A missing required parameter is a 400 (bad request); a parameter that is there but
malformed or out of range is a 422 (:class:`~graph_service.errors.InvalidParams`).
Relationship types and labels are checked against the model's allow-lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from flask import request
from werkzeug.exceptions import BadRequest

from ..errors import InvalidParams
from ..model import LABELS, REL_TYPES

__all__ = [
    "MAX_TEXT",
    "text_arg",
    "optional_text_arg",
    "int_arg",
    "date_arg",
    "list_arg",
    "rel_types_arg",
    "labels_arg",
    "choice_arg",
    "parse_date",
]

MAX_TEXT = 200


def optional_text_arg(name: str, *, max_len: int = MAX_TEXT) -> str | None:
    """A trimmed text parameter, or ``None`` when absent or empty."""
    value = request.args.get(name)
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > max_len:
        raise InvalidParams(f"parameter {name!r} is langer dan {max_len} tekens")
    if any(ord(c) < 32 for c in value):
        raise InvalidParams(f"parameter {name!r} bevat stuurtekens")
    return value


def text_arg(name: str, *, max_len: int = MAX_TEXT) -> str:
    """A required text parameter (400 when missing or empty)."""
    value = optional_text_arg(name, max_len=max_len)
    if value is None:
        raise BadRequest(f"parameter {name!r} ontbreekt")
    return value


def int_arg(name: str, default: int, lo: int, hi: int) -> int:
    """A whole number in ``[lo, hi]``; ``default`` when absent, 422 when malformed."""
    raw = request.args.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise InvalidParams(f"parameter {name!r} moet een geheel getal zijn") from None
    if not lo <= value <= hi:
        raise InvalidParams(f"parameter {name!r} moet tussen {lo} en {hi} liggen")
    return value


def parse_date(name: str, raw: str) -> dt.date:
    """An ISO date ``YYYY-MM-DD`` (422 otherwise)."""
    text = raw.strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidParams(f"parameter {name!r} moet een datum JJJJ-MM-DD zijn") from None


def date_arg(name: str) -> dt.date | None:
    """An optional ISO date parameter."""
    raw = request.args.get(name)
    if raw is None or raw.strip() == "":
        return None
    return parse_date(name, raw)


def list_arg(name: str) -> list[str]:
    """A list given as repeated parameters and/or comma-separated values."""
    out: list[str] = []
    for raw in request.args.getlist(name):
        out += [p.strip() for p in raw.split(",") if p.strip()]
    return list(dict.fromkeys(out))


def _allowed(name: str, values: list[str], allowed: Sequence[str]) -> list[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise InvalidParams(
            f"parameter {name!r}: onbekend {', '.join(unknown)}; toegestaan: {', '.join(allowed)}"
        )
    return values


def rel_types_arg(name: str = "types") -> list[str] | None:
    """Relationship types from :data:`~graph_service.model.REL_TYPES` (``None`` = all)."""
    values = list_arg(name)
    return _allowed(name, values, REL_TYPES) if values else None


def labels_arg(name: str = "labels") -> list[str] | None:
    """Node labels from :data:`~graph_service.model.LABELS` (``None`` = all)."""
    values = list_arg(name)
    return _allowed(name, values, LABELS) if values else None


def choice_arg(name: str, choices: Sequence[str], default: str | None = None) -> str:
    """One of ``choices``; ``default`` when absent (400 when absent without default)."""
    value = optional_text_arg(name)
    if value is None:
        if default is None:
            raise BadRequest(f"parameter {name!r} ontbreekt")
        return default
    if value not in choices:
        raise InvalidParams(f"parameter {name!r} moet een van {', '.join(choices)} zijn")
    return value
