"""The stored form of a hit's evidence paths (``Hit.paths``, docs/risk.md) and reading
it back as a scope reads it.

A hit's paths share most of their facts, so they are stored as every fact once (nodes by
uid, relationships by start, type, key and end) and each path as the keys of its facts
(:func:`compact_paths`); :func:`stored_row` turns one stored hit back into the row a live
run of the indicator returns under the reader's scope.

The stored text (:func:`pack_paths`) is that JSON compressed with zlib and base64-encoded,
after the marker ``z:``. The facts on a hit's paths carry their provenance, and a hub's
(a bank party to hundreds of Bibob dossiers) lists hundreds of source records, so the
JSON of ``BIBOB_RELATED_SIGNAL``'s hits is large: at 100k entities 69 MB for all hits in
every scope, 12.9 MB compressed (docs/benchmarks.md, "The stored evidence paths
compressed"). Hits stored as plain JSON before are read as they are.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

from .. import model
from ..store import access
from .evidence import raw_summary

__all__ = ["compact_paths", "expand_paths", "pack_paths", "stored_row", "unpack_paths"]

#: Marks stored paths as compressed (:func:`pack_paths`); plain JSON starts with ``{``.
PACKED = "z:"
#: zlib's fastest level: 5.4x smaller on the paths at 100k, where level 6 gives 7.0x at
#: 2.5 times the time.
LEVEL = 1


def _rel_key(rel: Mapping[str, Any]) -> str:
    return f"{rel.get('_start')}|{rel.get('_type')}|{rel.get('key')}|{rel.get('_end')}"


def compact_paths(paths: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Paths as stored: every node (by uid) and relationship (by start, type, key, end)
    once, and each path as the keys of its nodes and relationships, in path order (a
    hit's paths share most of their facts: at 100k a page of 101 hits of
    ``BIBOB_RELATED_SIGNAL`` is 32 MB of paths written out, a fraction of it so)."""
    nodes: dict[str, Any] = {}
    rels: dict[str, Any] = {}
    out = []
    for path in paths:
        ns = [str(n.get("uid")) for n in path.get("nodes") or ()]
        rs = [_rel_key(r) for r in path.get("relationships") or ()]
        for key, n in zip(ns, path.get("nodes") or (), strict=True):
            nodes.setdefault(key, n)
        for key, r in zip(rs, path.get("relationships") or (), strict=True):
            rels.setdefault(key, r)
        out.append([ns, rs])
    return {"n": nodes, "r": rels, "p": out}


def pack_paths(paths: Sequence[Mapping[str, Any]]) -> str:
    """``paths`` (a live run's) as ``Hit.paths`` stores them: :func:`compact_paths` as JSON,
    compressed (module doc)."""
    text = json.dumps(compact_paths(paths), ensure_ascii=False, default=str)
    packed = zlib.compress(text.encode("utf-8"), LEVEL)
    return PACKED + base64.b64encode(packed).decode("ascii")


def unpack_paths(stored: str | None) -> dict[str, Any]:
    """What :func:`pack_paths` stored (or plain JSON of an earlier refresh) as
    :func:`compact_paths` returned it."""
    if not stored:
        return {"n": {}, "r": {}, "p": []}
    text = (zlib.decompress(base64.b64decode(stored[len(PACKED):]))
            if stored.startswith(PACKED) else stored)
    data: dict[str, Any] = json.loads(text)
    return data


def expand_paths(data: Mapping[str, Any], max_paths: int) -> list[dict[str, Any]]:
    """The first ``max_paths`` paths of :func:`compact_paths` in the store's path shape
    (a fact on several paths is one shared dict)."""
    nodes, rels = data["n"], data["r"]
    return [{"nodes": [nodes[k] for k in ns], "relationships": [rels[k] for k in rs]}
            for ns, rs in data["p"][:max_paths]]


def stored_row(raw: Mapping[str, Any], max_paths: int, scope: access.Scope,
               head: bool = False) -> dict[str, Any]:
    """A stored hit (``read/hits_*``) as the row ``{uid, measure, paths}`` a live run of
    its indicator returns under ``scope``, with its first ``max_paths`` paths. ``head``:
    a hit with more paths than that gets only those ready, with a ``summary`` of all of
    them (:func:`_head`; a list page)."""
    data = unpack_paths(raw["paths"])
    row = {"uid": raw["uid"], "measure": raw.get("measure")}
    access.filter_result(row, scope)  # the subject as a live run returns it (a token)
    if head and len(data["p"]) > max_paths:
        row["paths"], row["summary"] = _head(data, max_paths, scope)
        return row
    # pseudonyms and trimmed provenance, as any read under this scope gets them: each fact
    # once, before the paths share it
    access.filter_result([data["n"], data["r"]], scope)
    row["paths"] = expand_paths(data, max_paths)
    return row


def _head(data: dict[str, Any], max_paths: int, scope: access.Scope
          ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The first ``max_paths`` paths of a stored hit in the order a live run builds them
    (``evidence.raw_path_key`` on what the scope reads: a person's token where persons are
    pseudonymised), with only their facts made ready for the scope, and the summary of all
    paths that ``scoring.Hit.build`` would compute (``path_count``, grades, ungraded).

    The grades are read before the scope's filter: the stored facts were trimmed to the
    same scope when the hit was computed, and trimming again changes no grade."""
    best, grade, ungraded = raw_summary(expand_paths(data, len(data["p"])))
    tokens: dict[str, str] = {}

    def shown_as(uid: str) -> str:
        if not scope.pseudonymise or model.label_of_uid(uid) != "Person":
            return uid
        if uid not in tokens:
            tokens[uid] = access.person_token(uid, scope.pseudonym_key)
        return tokens[uid]

    keep = sorted(data["p"], key=lambda p: (len(p[0]), tuple(shown_as(u) for u in p[0])))
    keep = keep[:max(max_paths, 0)]
    nodes = {k: data["n"][k] for ns, _ in keep for k in ns}
    rels = {k: data["r"][k] for _, rs in keep for k in rs}
    access.filter_result([nodes, rels], scope)
    summary = {"path_count": len(data["p"]), "best_grade": best, "grade": grade,
               "onbevestigd": ungraded}
    return expand_paths({"n": nodes, "r": rels, "p": keep}, max_paths), summary
