"""Request parameters: parse and validate, or fail with a 400/422 in the one error shape.

A missing required parameter is a 400 (bad request); a parameter that is there but
malformed or out of range is a 422 (:class:`~graph_service.errors.InvalidParams`).
Relationship types and labels are checked against the model's allow-lists.

Two readings of the same parameters. The pages (forms and links) are forgiving: values are
trimmed and an empty field means "not given". The JSON API is exact (``strict=True``), so that
``/openapi.json`` can state every rule and a client never finds a schema-valid request
refused or a schema-invalid one answered: the value is taken as sent, an empty value is
malformed (``as_of=`` is a 422, not today), integers are ASCII digits, list items are never
empty. Text may never hold control characters (U+0000-U+001F, U+007F).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from flask import request
from werkzeug.exceptions import BadRequest

from ..errors import InvalidParams
from ..model import LABELS, REL_TYPES

__all__ = [
    "MAX_TEXT",
    "MAX_UID",
    "MIN_SEARCH",
    "CONTROL_CHARACTERS",
    "MissingParameter",
    "SameEntity",
    "text_arg",
    "optional_text_arg",
    "search_text_arg",
    "uid_arg",
    "int_arg",
    "date_arg",
    "list_arg",
    "rel_types_arg",
    "labels_arg",
    "choice_arg",
    "parse_date",
    "has_control",
]

MAX_TEXT = 200
MAX_UID = 500  # characters of a uid (path parameter or from/to), as the app checks paths
MIN_SEARCH = 2  # characters of a search text, after trimming
#: the characters no text parameter may hold (C0 controls and DEL), as a regex class body
CONTROL_CHARACTERS = "\\x00-\\x1f\\x7f"
_INTEGER = re.compile(r"-?[0-9]{1,12}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class MissingParameter(BadRequest):
    """A required parameter is not there (400, code ``missing_parameter``)."""

    error_code = "missing_parameter"


class SameEntity(InvalidParams):
    """``from`` and ``to`` name the same entity (422, code ``same_entity``)."""

    error_code = "same_entity"


def has_control(value: str) -> bool:
    """True when ``value`` holds a control character (U+0000-U+001F or U+007F)."""
    return any(ord(c) < 32 or ord(c) == 127 for c in value)


def optional_text_arg(name: str, *, max_len: int = MAX_TEXT,
                      form: bool = False) -> str | None:
    """A trimmed text parameter, or ``None`` when absent or empty (``form``: a field of
    the POSTed form of a page)."""
    value = (request.form if form else request.args).get(name)
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > max_len:
        raise InvalidParams(f"parameter {name!r} is langer dan {max_len} tekens")
    if has_control(value):
        raise InvalidParams(f"parameter {name!r} bevat stuurtekens")
    return value


def text_arg(name: str, *, max_len: int = MAX_TEXT) -> str:
    """A required text parameter (400 when missing or empty)."""
    value = optional_text_arg(name, max_len=max_len)
    if value is None:
        raise MissingParameter(f"parameter {name!r} ontbreekt")
    return value


def _required_raw(name: str) -> str:
    """The value as sent; 400 when absent, empty or only white space (as :func:`text_arg`)."""
    raw = request.args.get(name)
    if raw is None or not raw.strip():
        raise MissingParameter(f"parameter {name!r} ontbreekt")
    if has_control(raw):
        raise InvalidParams(f"parameter {name!r} bevat stuurtekens")
    return raw


def search_text_arg(name: str = "q") -> str:
    """The search text of the API: no control characters anywhere; 2-200 characters once
    the white space around it is trimmed (400 when missing, 422 otherwise)."""
    value = _required_raw(name).strip()
    if not MIN_SEARCH <= len(value) <= MAX_TEXT:
        raise InvalidParams(f"zoektekst {name!r} moet {MIN_SEARCH} tot {MAX_TEXT} tekens "
                            "hebben (zonder de spaties eromheen)")
    return value


def uid_arg(name: str) -> str:
    """A uid parameter of the API: at most 500 characters, no control characters; taken as
    sent (400 when missing or only white space, 422 otherwise)."""
    raw = _required_raw(name)
    if len(raw) > MAX_UID:
        raise InvalidParams(f"parameter {name!r} is langer dan {MAX_UID} tekens")
    return raw


def int_arg(name: str, default: int, lo: int, hi: int, *, strict: bool = False,
            form: bool = False) -> int:
    """A whole number in ``[lo, hi]``; ``default`` when absent, 422 when malformed.

    ``strict``: an empty value is malformed too, and only ASCII digits (and a minus) count.
    ``form``: a field of the POSTed form of a page (the follow button's depth).
    """
    raw = (request.form if form else request.args).get(name)
    if raw is None or (not strict and raw.strip() == ""):
        return default
    text = raw if strict else raw.strip()
    if strict and not _INTEGER.fullmatch(text):
        raise InvalidParams(f"parameter {name!r} moet een geheel getal zijn")
    try:
        value = int(text)
    except ValueError:
        raise InvalidParams(f"parameter {name!r} moet een geheel getal zijn") from None
    if not lo <= value <= hi:
        raise InvalidParams(f"parameter {name!r} moet tussen {lo} en {hi} liggen")
    return value


def parse_date(name: str, raw: str, *, strict: bool = False) -> dt.date:
    """An ISO date ``YYYY-MM-DD`` (422 otherwise); ``strict``: exactly as sent."""
    text = raw if strict else raw.strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidParams(f"parameter {name!r} moet een datum JJJJ-MM-DD zijn") from None


def date_arg(name: str, *, strict: bool = False) -> dt.date | None:
    """An optional ISO date parameter. Pages: an empty field means none. ``strict`` (the
    API): an empty value is malformed (422); leave the parameter out instead."""
    raw = request.args.get(name)
    if raw is None or (not strict and raw.strip() == ""):
        return None
    return parse_date(name, raw, strict=strict)


def list_arg(name: str, *, strict: bool = False) -> list[str]:
    """A list given as repeated parameters and/or comma-separated values.

    ``strict``: an empty item (``types=``, ``a,,b``) is malformed (422).
    """
    out: list[str] = []
    for raw in request.args.getlist(name):
        items = raw.split(",") if strict else [p.strip() for p in raw.split(",")]
        if strict and not all(items):
            raise InvalidParams(f"parameter {name!r} bevat een lege waarde")
        out += [p for p in items if p]
    return list(dict.fromkeys(out))


def _allowed(name: str, values: list[str], allowed: Sequence[str]) -> list[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise InvalidParams(
            f"parameter {name!r}: onbekend {', '.join(unknown)}; toegestaan: {', '.join(allowed)}"
        )
    return values


def rel_types_arg(name: str = "types", *, strict: bool = False) -> list[str] | None:
    """Relationship types from :data:`~graph_service.model.REL_TYPES` (``None`` = all)."""
    values = list_arg(name, strict=strict)
    return _allowed(name, values, REL_TYPES) if values else None


def labels_arg(name: str = "labels", *, strict: bool = False) -> list[str] | None:
    """Node labels from :data:`~graph_service.model.LABELS` (``None`` = all)."""
    values = list_arg(name, strict=strict)
    return _allowed(name, values, LABELS) if values else None


#: ``hubs``: stop at the hubs of model/hubs.yaml (the default) or walk through them.
HUB_CHOICES = ("stop", "door")


def choice_arg(name: str, choices: Sequence[str], default: str | None = None, *,
               strict: bool = False, form: bool = False) -> str:
    """One of ``choices``; ``default`` when absent (400 when absent without default).

    ``strict``: the value as sent, and an empty value is not "absent" but malformed.
    ``form``: a field of the POSTed form of a page (not with ``strict``).
    """
    if strict:
        value = request.args.get(name)
        if value is not None and value not in choices:
            raise InvalidParams(f"parameter {name!r} moet een van {', '.join(choices)} zijn")
    else:
        value = optional_text_arg(name, form=form)
    if value is None:
        if default is None:
            raise MissingParameter(f"parameter {name!r} ontbreekt")
        return default
    if value not in choices:
        raise InvalidParams(f"parameter {name!r} moet een van {', '.join(choices)} zijn")
    return value
