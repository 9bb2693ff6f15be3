"""The Neo4j driver's values to plain Python values (dicts, lists, dates).

The embedded engine's replies are decoded into the same shapes directly
(``falkor_reply``).

A node becomes ``{"_labels": [...], **properties}`` (``name`` defaults to the uid); a relationship
``{"_type": ..., "_start": uid, "_end": uid, **properties}`` (start and end as our own
``uid``, never an engine id); a path ``{"nodes": [...], "relationships": [...]}`` with the
relationships in path order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import neo4j.graph
import neo4j.time

__all__ = ["plain"]


def _neo4j_rel(rel: neo4j.graph.Relationship) -> dict[str, Any]:
    out: dict[str, Any] = {"_type": rel.type}
    out["_start"] = rel.start_node.get("uid") if rel.start_node is not None else None
    out["_end"] = rel.end_node.get("uid") if rel.end_node is not None else None
    out.update({k: plain(v) for k, v in rel.items()})
    return out


def _node(labels: Any, props: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"_labels": sorted(labels)}
    out.update({k: plain(v) for k, v in props.items()})
    if out.get("name") is None and "uid" in out:
        out["name"] = out["uid"]  # known only by its key so far (e.g. a KvK number)
    return out


def plain(value: Any) -> Any:
    """Convert one result value of the Neo4j driver into plain Python values."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, neo4j.graph.Node):
        return _node(value.labels, dict(value.items()))
    if isinstance(value, neo4j.graph.Relationship):
        return _neo4j_rel(value)
    if isinstance(value, neo4j.graph.Path):
        return {
            "nodes": [plain(n) for n in value.nodes],
            "relationships": [_neo4j_rel(r) for r in value.relationships],
        }
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime):
        return value.to_native()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
