"""One entity by uid, and search by name or identifier (through the indexes)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ..errors import InvalidParams, NotFound
from ..store import Store, access
from .common import KINDS, PROVENANCE_KEYS, Row, check_int, domain_labels, nodes_by_uid

__all__ = [
    "MIN_SEARCH_LENGTH",
    "MAX_SEARCH_LENGTH",
    "MAX_SEARCH_LIMIT",
    "MAX_SEARCH_TERMS",
    "entity",
    "get_entity",
    "search",
    "fulltext_terms",
    "fulltext_query",
]

MIN_SEARCH_LENGTH = 2
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_LIMIT = 100
_MATCH = ("id", "prefix", "substring")


def entity(store: Store, uid: str) -> Row | None:
    """One entity with its properties, provenance and relationship counts, or None.

    Parameters
    ----------
    store:
        The graph store.
    uid:
        The entity's uid, e.g. ``kvk:12345678``.

    Returns
    -------
    dict or None
        ``{"uid", "name", "labels", "kind", "properties", "provenance",
        "relationship_counts"}``: ``labels`` without ``Entity``; ``properties`` all
        properties but uid, name and provenance; ``provenance`` the six provenance
        properties; ``relationship_counts`` ``{type: count}`` over all relationships in
        either direction, whatever their validity. None when no entity has this uid
        (:func:`get_entity` raises instead).
    """
    node = nodes_by_uid(store, [uid]).get(uid)
    if node is None:
        return None
    labels = domain_labels(node)
    skip = {"_labels", "uid", "name", *PROVENANCE_KEYS}
    counts = store.read("read/entity_relationship_counts", {"uid": uid})
    return {
        "uid": uid,
        "name": node.get("name"),
        "labels": labels,
        "kind": KINDS.get(labels[0], "entity") if labels else "entity",
        "properties": {k: v for k, v in sorted(node.items()) if k not in skip},
        "provenance": {k: node.get(k) for k in PROVENANCE_KEYS},
        "relationship_counts": {row["type"]: row["count"] for row in counts},
    }


def get_entity(store: Store, uid: str) -> Row:
    """Like :func:`entity`, but raises :class:`NotFound` for an unknown uid."""
    found = entity(store, uid)
    if found is None:
        raise NotFound(f"no entity with uid {uid!r}")
    return found


def search(store: Store, q: str, limit: int = 20) -> list[Row]:
    """Entities by name or identifier, exact identifier matches first.

    Identifiers: uid, KvK number, postcode (``7991AB`` or ``7991 ab``: every address with
    that postcode), postcode key (``7991AB12``, also written ``7991 AB 12``), BAG id,
    dossier, signal, casus, object and park ids. Case does not matter for identifiers
    stored in one case (all of the loaders' own: KvK, postcodes, BAG ids, uids); a free
    identifier stored in mixed case (``Park-Zon``) is found when typed as stored, or all
    lower- or upper-case only if stored so. Spaces inside an identifier do not matter.

    Names are matched by word through a full-text index (``schema/fulltext``): every word
    of the text must start a word of the name (``jan de v`` finds "Jan de Vries"), in any
    order. A word is a run of letters and digits; punctuation separates words and never
    reaches the full-text query language (see :func:`fulltext_terms`). Letters with
    diacritics must be typed with them (``café``); a word typed with them also matches the
    plain spelling (``café`` finds "Cafe" too).

    Returns
    -------
    list of dict
        ``{"uid", "name", "labels", "kind", "match"}`` with ``match`` ``"id"`` (an
        identifier equals the text), ``"prefix"`` (the name or an identifier starts with
        it) or ``"substring"`` (every word of the text starts a word of the name; a text
        inside a word, "rink" in "Brink", no longer matches); in that order, then shorter
        names first, then by name and uid. A pseudonymised reader (``analyse``) finds a
        person only by an exact identifier.

    Raises
    ------
    InvalidParams
        The text is shorter than 2 or longer than 200 characters, or ``limit`` is not 1-100.
    """
    if not isinstance(q, str):
        raise InvalidParams("q must be text")
    words = q.split()
    text = " ".join(words).lower()
    if not MIN_SEARCH_LENGTH <= len(text) <= MAX_SEARCH_LENGTH:
        raise InvalidParams(
            f"search text must be {MIN_SEARCH_LENGTH} to {MAX_SEARCH_LENGTH} characters"
        )
    check_int("limit", limit, 1, MAX_SEARCH_LIMIT)
    scope = access.current()
    # a pseudonymised reader may not find a person by real name (re-identification)
    persons = not (scope is not None and scope.pseudonymise)
    rows = store.read("read/search_ids", {
        "ranges": _identifier_ranges(words), "q_id": text.replace(" ", ""),
        "persons": persons, "limit": limit,
    })
    terms = fulltext_terms(text)
    if terms:
        rows += store.read("read/search", {
            "ft": fulltext_query(terms, store.engine), "q": text, "persons": persons,
            "limit": limit,
        })
    best: dict[str, Row] = {}
    for row in rows:  # a node found both ways keeps its best rank
        seen = best.get(row["uid"])
        if seen is None or row["rank"] < seen["rank"]:
            best[row["uid"]] = row
    # by the name as shown: the scope's sources may name an entity otherwise than the
    # stored name the statement ordered by
    ordered = sorted(best.values(), key=lambda r: (
        r["rank"], len(_shown(r)), _shown(r), r["uid"]))
    out = []
    for row in ordered[:limit]:
        labels = [label for label in row["labels"] if label != "Entity"]
        out.append(
            {
                "uid": row["uid"],
                "name": row["name"],
                "labels": labels,
                "kind": KINDS.get(labels[0], "entity") if labels else "entity",
                "match": _MATCH[row["rank"]],
            }
        )
    return out


def _shown(row: Row) -> str:
    return str(row["name"] or "").lower()


#: At most this many words of a search text go into the full-text query.
MAX_SEARCH_TERMS = 16
_NOT_WORD = re.compile(r"[\W_]+")


def fulltext_terms(text: str) -> list[tuple[str, ...]]:
    """The words of a search text as safe full-text terms, each with its spellings.

    Injection defence: the text is NFKC-normalised and case-folded, then cut at every
    character that is not a letter or digit (``str.isalnum``); only those runs survive, so
    no operator, quote, wildcard, escape, field name or control character of Lucene or
    RediSearch can reach the full-text query, which travels as a parameter anyway. A word
    with diacritics also gets its folded spelling (``café`` -> ``cafe``).
    """
    norm = unicodedata.normalize("NFKC", text).casefold()
    terms: list[tuple[str, ...]] = []
    for word in _NOT_WORD.split(norm):
        if not word or not word.isalnum():
            continue
        plain = "".join(c for c in unicodedata.normalize("NFKD", word)
                        if not unicodedata.combining(c))
        spellings = (word, plain) if plain != word and plain.isalnum() else (word,)
        if spellings not in terms:
            terms.append(spellings)
    return terms[:MAX_SEARCH_TERMS]


def fulltext_query(terms: Sequence[Sequence[str]], engine: str) -> str:
    """Every term a prefix, all terms required: ``a* b*`` (RediSearch) or ``a* AND b*``
    (Lucene); a term with several spellings becomes ``(x*|y*)`` / ``(x* OR y*)``."""
    sep, alt = (" AND ", " OR ") if engine == "neo4j" else (" ", "|")
    parts = []
    for spellings in terms:
        prefixes = [f"{s}*" for s in spellings]
        parts.append(prefixes[0] if len(prefixes) == 1 else f"({alt.join(prefixes)})")
    return sep.join(parts)


def _identifier_ranges(words: Sequence[str]) -> list[list[str]]:
    """Index range seeks ``[from, to)`` for the spellings an identifier may be stored in.

    The text without spaces (and, if it had any, with single spaces) as typed, lower- and
    upper-cased; for a uid (``kind:rest``) also the kind lower-case with each later part
    lower- or upper-case (``addr:7991AB12``, ``addr:NL:ab12cd``).
    """
    forms: list[str] = []
    for base in dict.fromkeys(["".join(words), " ".join(words)]):
        forms += [base, base.lower(), base.upper()]
        head, colon, rest = base.partition(":")
        if colon and rest:
            parts = rest.split(":")[:4]
            for mask in range(2 ** len(parts)):
                cased = [p.upper() if mask >> i & 1 else p.lower() for i, p in enumerate(parts)]
                forms.append(head.lower() + ":" + ":".join(cased))
    # [f, f with its last character raised by one) holds exactly the strings starting with
    # f; FalkorDB's range index misses strings below a non-ASCII bound such as f + U+FFFF
    return [[f, f[:-1] + chr(ord(f[-1]) + 1)] for f in dict.fromkeys(forms) if f]
