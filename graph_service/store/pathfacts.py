"""Paths in a reply as facts: every node and relationship once, each path as their keys.

An indicator returns up to ``max_paths`` evidence paths per hit, and a hit's paths share
most of their facts (the dossier, its party, a hub and its provenance lists). As path
values, the engine writes out every fact once per path it is on: at 100k, a
``BIBOB_RELATED_SIGNAL`` run over 100 dossiers spent more time sending, parsing and
decoding its reply than finding the paths. A read statement therefore writes, for a list
of paths ``paths`` (a variable)::

    RETURN d.uid AS uid, measure, PATH_FACTS(paths)

which the registry expands (:func:`expand`) into three columns: ``path_nodes`` (each node
once), ``path_rels`` (each relationship once, as ``[start uid, relationship, end uid]``)
and ``path_keys`` (per path, the uids of its nodes and ``[start, type, key, end]`` of its
relationships: a relationship is one per start, type, key and end, docs/graph-model.md).
The store turns them back into the one column ``paths`` the rest of the service reads,
with the shapes a path value gives (``convert``): :func:`index` before the scope's filter,
which then trims and pseudonymises each fact once, and :func:`assemble` after it.

Across rows a fact still comes once per row it is on. Where many rows share most of their
facts (``BIBOB_RELATED_SIGNAL`` from the signals: at 100k, 912 dossiers whose paths hold
178,000 facts, of which 4,700 distinct, nearly all on the paths of a few hubs), a statement
writes ``PATH_KEYS(paths)`` instead: only the column ``path_keys``. The store then reads
each fact the rows name once (:func:`wanted`, ``read/path_fact_nodes`` and
``read/path_fact_relationships``, under the same scope), trims it once, and gives every
row its ``paths`` from those (:func:`index_shared`, :func:`assemble`). The facts are read
after the paths: a fact that changed in between is read as it is then, and one that is
gone or no longer visible makes the store run the read again (:class:`FactsChanged`).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FactsChanged", "assemble", "expand", "index", "index_shared", "keyed", "wanted"]

_CALL = re.compile(r"\bPATH_(FACTS|KEYS)\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)")
# the names inside are prefixed so that they never shadow the statement's own variables
_KEYS = """\
[pf_p IN {x} | [[pf_n IN nodes(pf_p) | pf_n.uid],
                      [pf_r IN relationships(pf_p) | [startNode(pf_r).uid, type(pf_r),
                                                      pf_r.key, endNode(pf_r).uid]]]]
       AS path_keys"""
_COLUMNS = {"KEYS": _KEYS, "FACTS": """\
reduce(pf_acc = [], pf_p IN {x} |
              pf_acc + [pf_n IN nodes(pf_p) WHERE NOT pf_n IN pf_acc]) AS path_nodes,
       [pf_r IN reduce(pf_acc = [], pf_p IN {x} |
                       pf_acc + [pf_r IN relationships(pf_p) WHERE NOT pf_r IN pf_acc])
        | [startNode(pf_r).uid, pf_r, endNode(pf_r).uid]] AS path_rels,
       """ + _KEYS}


class FactsChanged(LookupError):
    """A fact a ``PATH_KEYS`` row names was gone or not visible when the facts were read
    (a write between the two reads)."""


def expand(body: str) -> str:
    """``PATH_FACTS(x)`` in a statement's text as its three columns, ``PATH_KEYS(x)`` as
    the one column ``path_keys``."""
    return _CALL.sub(lambda m: _COLUMNS[m.group(1)].format(x=m.group(2)), body)


def _with_facts(rows: list[dict[str, Any]]) -> bool:
    # every row of a statement has the same columns: one look, not one per row (a read of
    # a whole label returns a row per entity)
    return bool(rows) and "path_nodes" in rows[0]


def keyed(rows: list[dict[str, Any]]) -> bool:
    """Whether ``rows`` come from a ``PATH_KEYS`` statement (their facts still to read)."""
    return bool(rows) and "path_keys" in rows[0] and "path_nodes" not in rows[0]


def wanted(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """The uids of the nodes and the ``[start, type, key, end]`` of the relationships that
    the ``path_keys`` of ``rows`` name, each once (sorted)."""
    uids: set[str] = set()
    rels: set[tuple[Any, ...]] = set()
    for row in rows:
        for ns, rs in row["path_keys"]:
            uids.update(ns)
            rels.update(tuple(k) for k in rs)
    return sorted(uids), [list(k) for k in sorted(rels, key=lambda k: tuple(map(str, k)))]


def index_shared(rows: list[dict[str, Any]], nodes: list[dict[str, Any]],
                 rels: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """In place, for ``PATH_KEYS`` rows, before the scope's filter: the facts read for them
    (``nodes`` as ``{node}`` rows, ``rels`` as ``{start, rel, end}`` rows) as one shared
    pair of lists ``[nodes, relationships]`` (returned, for the filter and
    :func:`assemble`), and each row's ``path_keys`` as positions in them. Raises
    :class:`FactsChanged` when a key names no fact read."""
    shared_nodes = [r["node"] for r in nodes]
    shared_rels, at_node, at_rel = _facts(shared_nodes,
                                          [(r["start"], r["rel"], r["end"]) for r in rels])
    try:
        for row in rows:
            row["path_keys"] = _positions(row["path_keys"], at_node, at_rel)
    except KeyError as exc:
        raise FactsChanged(f"a fact on a path changed while it was read: {exc}") from None
    return [shared_nodes, shared_rels]


def index(rows: list[dict[str, Any]]) -> None:
    """In place, before the scope's filter: each relationship of ``path_rels`` as the
    relationship alone (with its ``_start`` and ``_end`` uids), and ``path_keys`` as the
    positions of each path's facts in ``path_nodes`` and ``path_rels`` (the filter may
    turn uids into tokens; positions stay)."""
    if not _with_facts(rows):
        return
    for row in rows:
        row["path_rels"], at_node, at_rel = _facts(row["path_nodes"], row["path_rels"])
        row["path_keys"] = _positions(row["path_keys"], at_node, at_rel)


def _facts(nodes: list[dict[str, Any]], rels: list[Any]
           ) -> tuple[list[dict[str, Any]], dict[Any, int], dict[tuple[Any, ...], int]]:
    """Each ``(start, relationship, end)`` of ``rels`` as the relationship alone (with its
    ``_start`` and ``_end``), and the position of each node by uid and of each
    relationship by ``(start, type, key, end)``."""
    alone: list[dict[str, Any]] = []
    at_rel: dict[tuple[Any, ...], int] = {}
    for i, (start, rel, end) in enumerate(rels):
        rel["_start"], rel["_end"] = start, end
        at_rel[(start, rel["_type"], rel.get("key"), end)] = i
        alone.append(rel)
    return alone, {n.get("uid"): i for i, n in enumerate(nodes)}, at_rel


def _positions(path_keys: list[Any], at_node: dict[Any, int],
               at_rel: dict[tuple[Any, ...], int]) -> list[list[list[int]]]:
    """Each path's keys (node uids, relationship keys) as positions."""
    return [[[at_node[u] for u in uids], [at_rel[tuple(k)] for k in keys]]
            for uids, keys in path_keys]


def assemble(rows: list[dict[str, Any]],
             shared: list[list[dict[str, Any]]] | None = None) -> None:
    """In place, after :func:`index` (or :func:`index_shared`, whose ``shared`` facts it
    takes) and the scope's filter: the columns as the column ``paths``, ``{"nodes": [...],
    "relationships": [...]}`` per path, each fact a dict of its own on each path (as path
    values give them)."""
    if shared is None and not _with_facts(rows):
        return
    for row in rows:
        nodes, rels = shared or (row.pop("path_nodes"), row.pop("path_rels"))
        row["paths"] = [{"nodes": [dict(nodes[i]) for i in ns],
                         "relationships": [dict(rels[j]) for j in rs]}
                        for ns, rs in row.pop("path_keys")]
