"""What tells entities of the same name apart, and resolving a typed name to one entity.

:func:`identity_context` reads, for many entities at once, the visible address and park
around each (``graph_service.render.identity`` turns them into the identity line: a
person's birth year and place, an organisation's place, a unit's park). :func:`resolve`
turns what a user typed (a uid or a name) into one entity, or into the candidates to choose
from when the name fits several: it never chooses between two entities of the same name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..store import Store, access
from .common import Row
from .entities import entity, search

__all__ = ["MAX_CANDIDATES", "Resolution", "identity_context", "resolve"]

#: At most this many candidates are offered for an ambiguous name.
MAX_CANDIDATES = 20
_CHUNK = 500


def _address_rank(item: dict[str, Any]) -> tuple[int, int, str]:
    """A residence first, then the current registration, then a location."""
    order = {"RESIDES_AT": 0, "REGISTERED_AT": 1, "LOCATED_AT": 2}
    return (order.get(str(item.get("type")), 3), 0 if item.get("valid_to") is None else 1,
            str((item.get("address") or {}).get("uid") or ""))


def identity_context(store: Store, uids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Per uid its ``node`` (the entity's own properties), the visible ``address`` (node
    properties; a residence first, then the current registration, then a location),
    ``park`` and ``park_address`` (or None each).

    Uids the scope may not see, or that do not exist, are left out. Under
    pseudonymisation a person gets no context (nothing that would place them).
    """
    wanted = list(dict.fromkeys(u for u in uids if u))
    scope = access.current()
    pseudonymise = scope is not None and scope.pseudonymise
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(wanted), _CHUNK):
        for row in store.read("read/identity_context", {"uids": wanted[i:i + _CHUNK]}):
            uid = row["uid"]
            if uid in out:
                continue
            addresses = sorted((a for a in row["addresses"] or () if a),
                               key=_address_rank)
            context = {
                "node": row["node"],
                "address": addresses[0]["address"] if addresses else None,
                "park": row.get("park"),
                "park_address": row.get("park_address"),
            }
            if pseudonymise and str(uid).startswith(access.TOKEN_PREFIX):
                context = {"node": row["node"], "address": None, "park": None,
                           "park_address": None}
            out[uid] = context
    return out


@dataclass
class Resolution:
    """What a typed text stands for: ``entity`` when it names exactly one, else the
    ``candidates`` (search results) to choose from; neither when nothing matches."""

    text: str
    entity: Row | None = None
    candidates: list[Row] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        return self.entity is None and len(self.candidates) > 1


def _norm(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def resolve(store: Store, text: str, limit: int = MAX_CANDIDATES) -> Resolution:
    """The entity ``text`` names: a uid of a visible entity; else the one search result
    whose name is the text (case and spacing aside), else the one search result there
    is. Several entities with that name (or, without one, several results) are
    candidates: the caller asks the user instead of choosing.

    Raises
    ------
    InvalidParams
        ``text`` is not a search text (shorter than 2 or longer than 200 characters) and
        not a uid.
    """
    found = entity(store, text)
    if found is not None:
        return Resolution(text, entity=found)
    matches = search(store, text, limit=limit)
    exact = [m for m in matches if _norm(m.get("name")) == _norm(text)]
    candidates = exact or matches
    if len(candidates) == 1:
        return Resolution(text, entity=entity(store, candidates[0]["uid"]))
    return Resolution(text, candidates=candidates)

