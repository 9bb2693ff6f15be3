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
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["expand", "index", "assemble"]

_CALL = re.compile(r"\bPATH_FACTS\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)")
# the names inside are prefixed so that they never shadow the statement's own variables
_COLUMNS = """\
reduce(pf_acc = [], pf_p IN {x} |
              pf_acc + [pf_n IN nodes(pf_p) WHERE NOT pf_n IN pf_acc]) AS path_nodes,
       [pf_r IN reduce(pf_acc = [], pf_p IN {x} |
                       pf_acc + [pf_r IN relationships(pf_p) WHERE NOT pf_r IN pf_acc])
        | [startNode(pf_r).uid, pf_r, endNode(pf_r).uid]] AS path_rels,
       [pf_p IN {x} | [[pf_n IN nodes(pf_p) | pf_n.uid],
                      [pf_r IN relationships(pf_p) | [startNode(pf_r).uid, type(pf_r),
                                                      pf_r.key, endNode(pf_r).uid]]]]
       AS path_keys"""


def expand(body: str) -> str:
    """``PATH_FACTS(x)`` in a statement's text as its three columns."""
    return _CALL.sub(lambda m: _COLUMNS.format(x=m.group(1)), body)


def _with_facts(rows: list[dict[str, Any]]) -> bool:
    # every row of a statement has the same columns: one look, not one per row (a read of
    # a whole label returns a row per entity)
    return bool(rows) and "path_keys" in rows[0]


def index(rows: list[dict[str, Any]]) -> None:
    """In place, before the scope's filter: each relationship of ``path_rels`` as the
    relationship alone (with its ``_start`` and ``_end`` uids), and ``path_keys`` as the
    positions of each path's facts in ``path_nodes`` and ``path_rels`` (the filter may
    turn uids into tokens; positions stay)."""
    if not _with_facts(rows):
        return
    for row in rows:
        nodes = {n.get("uid"): i for i, n in enumerate(row["path_nodes"])}
        rels: dict[tuple[Any, ...], int] = {}
        for i, (start, rel, end) in enumerate(row["path_rels"]):
            rel["_start"], rel["_end"] = start, end
            rels[(start, rel["_type"], rel.get("key"), end)] = i
            row["path_rels"][i] = rel
        row["path_keys"] = [[[nodes[u] for u in uids], [rels[tuple(k)] for k in keys]]
                            for uids, keys in row["path_keys"]]


def assemble(rows: list[dict[str, Any]]) -> None:
    """In place, after :func:`index` and the scope's filter: the three columns as the
    column ``paths``, ``{"nodes": [...], "relationships": [...]}`` per path, each fact a
    dict of its own on each path (as path values give them)."""
    if not _with_facts(rows):
        return
    for row in rows:
        nodes, rels = row.pop("path_nodes"), row.pop("path_rels")
        row["paths"] = [{"nodes": [dict(nodes[i]) for i in ns],
                         "relationships": [dict(rels[j]) for j in rs]}
                        for ns, rs in row.pop("path_keys")]
