"""The graph as data: its counts, and a logical export and import through the store.

:func:`graph_counts` is what ``ondergraaf stats --json`` shows (counts per label, type and
source, and the last load per source); a backup's manifest holds it for the moment of the
snapshot.

The logical export (:func:`export_graph`) is the backup of an engine without a snapshot of
its own that a running service can take (Neo4j Community). It reads, page by page in uid
order, every entity node with its labels and every property (provenance included), then
every relationship between entities, then the load runs and the decisions on look-alike
pairs (``Judgement``), and writes them as JSON lines.
Neo4j reads *read committed*: there is no single point in time for the whole export while
loads run. What it does give:

* every node and relationship committed before the export started is in it;
* of what is committed while it runs, some is in it (a node whose uid sorts before the page
  being read is not, one after it is);
* every relationship in it has both its nodes in it (a relationship whose node came after
  the node pass is left out), so the export is a graph that restores as it is; and
* its counts are counted from what was written, so they are exactly what a restore gives.

Loads only add and merge; the export lies between the graph before and after a load that
runs beside it. A retention run or a reset beside a backup is another matter: do not run
them at the same time (docs/operations.md).

:func:`import_graph` writes such an export back through the store into an empty graph:
nodes merged on uid, relationships created once each, load runs and decisions merged on
uid.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import OndergraafError
from ..model import LABELS, REL_TYPES
from ..store import Store

__all__ = ["UnknownElement", "export_graph", "graph_counts", "import_graph", "json_lines",
           "normalise_counts"]

BASE_LABEL = "Entity"


def graph_counts(store: Store) -> dict[str, Any]:
    """Counts per label, type and source and the last load per source (as ``stats``)."""
    return {
        "nodes": {r["label"]: r["count"] for r in store.read("read/node_counts")},
        "relationships": {r["type"]: r["count"] for r in store.read("read/relationship_counts")},
        "nodes_per_source": store.read("read/node_counts_per_source"),
        "relationships_per_source": store.read("read/relationship_counts_per_source"),
        "last_loads": store.read("read/last_loads"),
    }


def normalise_counts(counts: dict[str, Any]) -> dict[str, Any]:
    """Counts in one canonical form (JSON values, lists sorted) for comparing two of them."""
    plain: dict[str, Any] = json.loads(json.dumps(counts, default=str, sort_keys=True))
    for key in ("nodes_per_source", "relationships_per_source", "last_loads"):
        plain[key] = sorted(plain.get(key) or [], key=lambda r: json.dumps(r, sort_keys=True))
    return {k: plain.get(k) for k in ("nodes", "relationships", "nodes_per_source",
                                      "relationships_per_source", "last_loads")}


def _dumps(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)
            + "\n").encode("utf-8")


class _Tally:
    """The counts of an export, counted as the count statements count them."""

    def __init__(self) -> None:
        self.nodes: Counter[str] = Counter()
        self.rels: Counter[str] = Counter()
        self.node_sources: Counter[tuple[str, str]] = Counter()
        self.rel_sources: Counter[tuple[str, str]] = Counter()
        self.load_runs: list[dict[str, Any]] = []

    def node(self, labels: list[str], props: dict[str, Any]) -> None:
        own = [label for label in labels if label != BASE_LABEL]
        self.nodes.update(own)
        for source in props.get("sources") or []:
            for label in own:
                self.node_sources[(source, label)] += 1

    def rel(self, rel_type: str, props: dict[str, Any]) -> None:
        self.rels[rel_type] += 1
        sources = props.get("sources")
        for source in ["-"] if sources is None else sources:
            self.rel_sources[(source, rel_type)] += 1

    def counts(self) -> dict[str, Any]:
        latest: dict[str, str] = {}
        for run in self.load_runs:
            source, finished = run.get("source"), run.get("finished")
            if source is not None and finished is not None:
                latest[source] = max(latest.get(source, finished), finished)
        last = [{"source": r["source"], "finished": r["finished"], "files": r.get("files"),
                 "rows_read": r.get("rows_read"), "rows_refused": r.get("rows_refused"),
                 "uid": r.get("uid"), "full": bool(r.get("full")),
                 **{what: int(r.get(f"nodes_{field}") or 0)
                    + int(r.get(f"relationships_{field}") or 0)
                    for what, field in (("new", "created"), ("changed", "changed"),
                                        ("ended", "ended"))}}
                for r in self.load_runs
                if r.get("source") in latest and r.get("finished") == latest[r["source"]]]
        return {
            "nodes": dict(sorted(self.nodes.items())),
            "relationships": dict(sorted(self.rels.items())),
            "nodes_per_source": [{"source": s, "label": lab, "count": n}
                                 for (s, lab), n in sorted(self.node_sources.items())],
            "relationships_per_source": [{"source": s, "type": t, "count": n}
                                         for (s, t), n in sorted(self.rel_sources.items())],
            "last_loads": sorted(last, key=lambda r: str(r["source"])),
        }


def export_graph(store: Store, nodes_out: Callable[[bytes], None],
                 rels_out: Callable[[bytes], None], page: int = 1000) -> dict[str, Any]:
    """Write every node (and load run) to ``nodes_out`` and every relationship to
    ``rels_out``, one JSON object a line; returns the counts of what was written."""
    tally = _Tally()
    seen: set[str] = set()
    after = ""
    while True:
        rows = store.read("read/backup_nodes", {"after": after, "limit": page})
        for row in rows:
            labels = [str(label) for label in row["labels"]]
            props = dict(row["props"])
            nodes_out(_dumps({"kind": "node", "uid": row["uid"], "labels": labels,
                              "props": props}))
            tally.node(labels, props)
            seen.add(row["uid"])
        if len(rows) < page:
            break
        after = rows[-1]["uid"]
    for run in store.read("read/backup_load_runs"):
        props = dict(run["props"])
        nodes_out(_dumps({"kind": "load_run", "uid": run["uid"], "props": props}))
        tally.load_runs.append(props)
    for judgement in store.read("read/backup_judgements"):
        nodes_out(_dumps({"kind": "judgement", "uid": judgement["uid"],
                          "props": dict(judgement["props"])}))
    after = ""
    while True:
        rows = store.read("read/backup_relationships", {"after": after, "limit": page})
        for row in rows:
            if row["start"] not in seen:
                continue  # a node created after the node pass: not in this export
            for rel in row["out"] or []:
                if rel is None or rel["end"] not in seen:
                    continue
                props = dict(rel["props"])
                rels_out(_dumps({"kind": "rel", "start": row["start"], "type": rel["type"],
                                 "end": rel["end"], "props": props}))
                tally.rel(rel["type"], props)
        if len(rows) < page:
            break
        after = rows[-1]["start"]
    return tally.counts()


def json_lines(chunks: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    """The JSON objects of a stream of JSON-lines bytes, whatever the chunk boundaries."""
    rest = b""
    for chunk in chunks:
        rest += chunk
        *lines, rest = rest.split(b"\n")
        for line in lines:
            if line.strip():
                yield json.loads(line)
    if rest.strip():
        yield json.loads(rest)


def _batches(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class UnknownElement(OndergraafError):
    """An export names a label or relationship type the model does not know."""


def import_graph(store: Store, nodes: Iterable[dict[str, Any]],
                 rels: Iterable[dict[str, Any]], batch_size: int = 1000) -> int:
    """Write an export back (nodes first, then relationships); returns the rows written."""
    written = 0
    runs: list[dict[str, Any]] = []
    decisions: list[dict[str, Any]] = []

    def entities() -> Iterator[dict[str, Any]]:
        for item in nodes:
            if item.get("kind") == "load_run":
                runs.append({"uid": item["uid"], "props": item["props"]})
                continue
            if item.get("kind") == "judgement":
                decisions.append({"uid": item["uid"], "props": item["props"]})
                continue
            unknown = [lab for lab in item["labels"] if lab != BASE_LABEL and lab not in LABELS]
            if unknown:
                raise UnknownElement(f"onbekend label {unknown[0]!r} in de backup")
            yield {"uid": item["uid"], "labels": item["labels"], "props": item["props"]}

    def relationships() -> Iterator[dict[str, Any]]:
        for item in rels:
            if item["type"] not in REL_TYPES:
                raise UnknownElement(f"onbekend relatietype {item['type']!r} in de backup")
            yield {"start": item["start"], "type": item["type"], "end": item["end"],
                   "props": item["props"]}

    for batch in _batches(entities(), batch_size):
        store.write_rows("write/restore_entities", batch)
        written += len(batch)
    if runs:
        store.write_rows("write/restore_load_runs", runs)
        written += len(runs)
    for batch in _batches(iter(decisions), batch_size):
        store.write_rows("write/judge_restore", batch)
        written += len(batch)
    for batch in _batches(relationships(), batch_size):
        store.write_rows("write/restore_relationships", batch)
        written += len(batch)
    return written
