"""Identity lines on what the pages and the API show, and the ambiguity answer.

:func:`annotate` gives every entity of a list its identity line (``render.identity``) with
the context the request's scope may see (``queries.identity_context``), in one read for
the whole list. When a typed name fits several entities the API answers 409 with the
candidates (:func:`candidate_rows`, :func:`ambiguity_message`) and a page shows them to
choose from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

from .. import queries
from ..model import LABELS
from ..render.identity import Identity, identify, identify_item, label_of_item
from ..store import Store

__all__ = ["annotate", "annotate_tree", "identify_graph", "identity_of", "candidate_rows",
           "ambiguity_message"]


def annotate(store: Store, items: Iterable[MutableMapping[str, Any]]) -> None:
    """Set ``identity`` (the identity line without the name, or None) and
    ``identity_line`` (name and identity line) on every item with a ``uid``, in place."""
    rows = [item for item in items if item.get("uid")]
    context = queries.identity_context(store, [str(r["uid"]) for r in rows])
    for row in rows:
        around = context.get(str(row["uid"])) or {}
        found = identify_item({**(around.get("node") or {}), **row}, around)
        row["identity_name"] = found.name
        row["identity"] = found.detail
        row["identity_line"] = found.line


def identity_of(item: Any) -> Identity:
    """The name and identity line of an entity a template shows: the line :func:`annotate`
    set (with the context the scope may see), else what the item itself carries."""
    if not isinstance(item, Mapping):
        return Identity(str(item or ""))
    found = identify_item(item)
    if "identity" in item:
        return Identity(str(item.get("identity_name") or found.name), item["identity"])
    return found


def candidate_rows(store: Store, candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The candidates of an ambiguous name as the API and the pages show them: uid, name,
    label, kind and the identity line."""
    rows = [{"uid": c["uid"], "name": c.get("name"), "label": label_of_item(c),
             "kind": c.get("kind")} for c in candidates]
    annotate(store, rows)
    return rows



def annotate_tree(store: Store, value: Any) -> Any:
    """:func:`annotate` every entity found anywhere in ``value`` (dicts with a ``uid`` and
    a label: search results, path nodes, screening parties, hits), in one read; returns
    ``value``."""
    found: list[MutableMapping[str, Any]] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, MutableMapping):
            if item.get("uid") and label_of_item(item) != "Entity":
                found.append(item)
            stack.extend(v for v in item.values() if isinstance(v, dict | list | tuple))
        elif isinstance(item, list | tuple):
            stack.extend(v for v in item if isinstance(v, dict | list | tuple))
    annotate(store, found)
    return value


def ambiguity_message(text: str, count: int) -> str:
    """The Dutch message of an ambiguous name."""
    return (f"“{text}” past bij {count} entiteiten; kies er één (met haar kenmerk) en "
            "vraag opnieuw")


def identify_graph(store: Store, g: Any) -> Any:
    """Give every entity node of the networkx graph ``g`` (``render.graphs``) its identity
    (attribute ``identity``: label and tooltip show it), with the context the scope may
    see, in one read; returns ``g``."""
    uids = [uid for uid, data in g.nodes(data=True) if data.get("label") in LABELS]
    context = queries.identity_context(store, uids)
    for uid in uids:
        data = g.nodes[uid]
        around = context.get(uid) or {}
        data["identity"] = identify(data["label"], {**(around.get("node") or {}),
                                                    **data["props"]}, around)
    return g
