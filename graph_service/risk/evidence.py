"""Evidence paths and facts: what the risk engine shows for every claim it makes.

A hit is explained by concrete paths through the graph. The store returns a path as
``{"nodes": [...], "relationships": [...]}`` with the relationships in path order; here
each becomes an :class:`EvidencePath` of :class:`PathNode` and :class:`PathRelationship`
objects that carry the provenance of the fact (sources, source records, first and last
observation, Admiralty grades, purpose classes). :func:`evidence_of` lists every distinct
fact on a set of paths once: a node by its uid, a relationship by start, type, key and end.

Grading: a grade is ``<reliability A-F or X><information 1-6>``. A fact is *ungraded* when
every grade it carries is X6 or F6 (reliability not judged, truth not judged), or it carries
none; see ``docs/indicators.md`` ("onbevestigd").

The grade of a fact is the best grade it carries (a second source can confirm it; a fact
without any grade counts as X6). A path is as reliable as its weakest fact: the hit needs
every fact on it (:func:`path_grade`). A hit's grade is the grade of its best-supported
path (:func:`hit_grade`); ``docs/risk.md`` ("Grades").

Similar paths (:func:`group_paths`): two paths are similar when they have the same
sequence of node labels, the same relationship types in the same directions and the same
first and last node; they differ only in the entities between the ends. Pages show at most
:data:`SHOWN_GROUPS` groups, one path each (the best-graded), with the count of the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Literal

from ..errors import QueryFailed
from ..model import LABELS, MATCHING_PROPERTIES
from ..store import Store

__all__ = [
    "EntityRef",
    "Evidence",
    "EvidencePath",
    "PathNode",
    "PathRelationship",
    "Provenance",
    "RELIABILITY_ORDER",
    "PathGroup",
    "SHOWN_GROUPS",
    "best_grade",
    "evidence_of",
    "fact_grade",
    "group_paths",
    "hit_grade",
    "path_grade",
    "raw_path_key",
    "raw_summary",
    "worst_grade",
    "fetch_entities",
    "is_ungraded",
    "primary_label",
]

PROVENANCE_KEYS = ("sources", "source_records", "first_seen", "last_seen", "grades", "purposes")
# Not shown in an explanation: identity/technical keys, and confidential free text (the
# omschrijving of a RIEC signal) or matching keys that say more about a person than needed.
HIDDEN_PROPERTIES = frozenset({"uid", "name", "key", "omschrijving", *MATCHING_PROPERTIES})
RELIABILITY_ORDER = "ABCDEFX"
UNGRADED = frozenset({"X6", "F6"})

Row = Mapping[str, Any]


def is_ungraded(grade: str) -> bool:
    """True for a grade that judges neither source nor information (X6 or F6)."""
    return grade.strip().upper() in UNGRADED


@lru_cache(maxsize=1024)
def _grade_rank(grade: str) -> tuple[int, int]:
    g = grade.strip().upper()
    letter = RELIABILITY_ORDER.find(g[:1]) if g else -1
    info = int(g[1:]) if g[1:].isdigit() else 9
    return (letter if letter >= 0 else len(RELIABILITY_ORDER), info)


def best_grade(grades: Iterable[str]) -> str | None:
    """The best grade: most reliable source first, then most credible information."""
    ranked = sorted((g for g in grades if g), key=_grade_rank)
    return ranked[0].strip().upper() if ranked else None


def worst_grade(grades: Iterable[str]) -> str | None:
    """The weakest grade: least reliable source first, then least credible information."""
    ranked = sorted((g for g in grades if g), key=_grade_rank)
    return ranked[-1].strip().upper() if ranked else None


#: The grade of a fact that carries none: not judged.
NO_GRADE = "X6"


@lru_cache(maxsize=4096)
def _grade_of(grades: tuple[str, ...]) -> str:
    return best_grade(grades) or NO_GRADE


def fact_grade(provenance: Provenance) -> str:
    """The grade of one fact: the best grade it carries, X6 when it carries none."""
    return _grade_of(provenance.grades)


def path_grade(path: EvidencePath) -> str:
    """The grade of a path: the grade of its weakest fact (node or relationship);
    computed once per path (a page of hits asks for it per hit and per group)."""
    return path.grade


def hit_grade(paths: Sequence[EvidencePath]) -> str | None:
    """The grade of a hit: the grade of its best-supported path (None without paths)."""
    return best_grade(path_grade(p) for p in paths)


def raw_path_key(value: Row) -> tuple[int, tuple[str, ...]]:
    """Order of a store path value without building it: by length, then node uids (the
    start of :attr:`EvidencePath.sort_key`; a page that builds a few paths of a hit
    builds the first ones in this order)."""
    nodes = value.get("nodes") or ()
    return (len(nodes), tuple(str(n.get("uid")) for n in nodes))


def raw_summary(paths: Sequence[Row]) -> tuple[str | None, str | None, bool]:
    """``(best grade, hit grade, ungraded)`` of store path values without building them:
    what :func:`best_grade` over every fact's grades, :func:`hit_grade` and "every fact
    ungraded" give on the built paths (a page that builds only a few paths of a hit still
    shows the grades of all of them)."""
    memo: dict[int, str] = {}  # a fact on several paths is graded once
    grades: set[str] = set()
    path_grades: list[str] = []
    ungraded = True
    for path in paths:
        facts = [*(path.get("nodes") or ()), *(path.get("relationships") or ())]
        of_path: list[str] = []
        for fact in facts:
            found = memo.get(id(fact))
            if found is None:
                own = _strs(fact.get("grades"))
                found = memo[id(fact)] = _grade_of(own)
                grades.update(own)
                if ungraded and not all(is_ungraded(g) for g in own):
                    ungraded = False
            of_path.append(found)
        path_grades.append(worst_grade(of_path) or NO_GRADE)
    return best_grade(grades), best_grade(path_grades), ungraded


def primary_label(labels: Iterable[str]) -> str:
    """The model label of a node (``Entity`` is shared by all and never the answer)."""
    present = set(labels)
    for label in LABELS:
        if label in present:
            return label
    return next((lbl for lbl in sorted(present) if lbl != "Entity"), "Entity")


def _strs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(map(str, value))  # a hub's fact carries hundreds of source records
    return (str(value),)


@dataclass(frozen=True)
class Provenance:
    """Where a fact comes from and how reliable it is (graph-model.md, Provenance)."""

    sources: tuple[str, ...] = ()
    source_records: tuple[str, ...] = ()
    first_seen: str | None = None
    last_seen: str | None = None
    grades: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()

    @classmethod
    def of(cls, props: Row) -> Provenance:
        return cls(
            sources=_strs(props.get("sources")),
            source_records=_strs(props.get("source_records")),
            first_seen=props.get("first_seen"),
            last_seen=props.get("last_seen"),
            grades=_strs(props.get("grades")),
            purposes=_strs(props.get("purposes")),
        )

    @property
    def ungraded(self) -> bool:
        """No grade, or only X6/F6 grades."""
        return all(is_ungraded(g) for g in self.grades)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": list(self.sources),
            "source_records": list(self.source_records),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "grades": list(self.grades),
            "purposes": list(self.purposes),
        }


def _visible_properties(props: Row) -> dict[str, Any]:
    return {
        k: v
        for k, v in sorted(props.items())
        if not k.startswith("_") and k not in PROVENANCE_KEYS and k not in HIDDEN_PROPERTIES
    }


@dataclass(frozen=True)
class PathNode:
    """A node on an evidence path."""

    uid: str
    label: str
    name: str | None
    properties: Mapping[str, Any] = field(default_factory=dict)
    provenance: Provenance = field(default_factory=Provenance)

    @classmethod
    def of(cls, value: Row) -> PathNode:
        return cls(
            uid=str(value.get("uid")),
            label=primary_label(value.get("_labels") or ()),
            name=value.get("name"),
            properties=_visible_properties(value),
            provenance=Provenance.of(value),
        )

    def to_store_shape(self) -> dict[str, Any]:
        """The node in the store's shape (``_labels``, properties, provenance)."""
        return {"_labels": [self.label], "uid": self.uid, "name": self.name,
                **self.properties, **self.provenance.to_dict()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "label": self.label,
            "name": self.name,
            "properties": dict(self.properties),
            **self.provenance.to_dict(),
        }


@dataclass(frozen=True)
class PathRelationship:
    """A relationship on an evidence path, with its stored direction (start -> end)."""

    type: str
    start: str
    end: str
    key: str
    properties: Mapping[str, Any] = field(default_factory=dict)
    provenance: Provenance = field(default_factory=Provenance)

    @classmethod
    def of(cls, value: Row) -> PathRelationship:
        return cls(
            type=str(value.get("_type")),
            start=str(value.get("_start")),
            end=str(value.get("_end")),
            key=str(value.get("key") or ""),
            properties=_visible_properties(value),
            provenance=Provenance.of(value),
        )

    @property
    def fact_id(self) -> tuple[str, str, str, str]:
        """Identity of the fact: (start, type, key, end)."""
        return (self.start, self.type, self.key, self.end)

    def connects(self, a: str, b: str) -> bool:
        return (self.start, self.end) in ((a, b), (b, a))

    def to_store_shape(self) -> dict[str, Any]:
        """The relationship in the store's shape (``_type``, ``_start``, ``_end``, ...)."""
        return {"_type": self.type, "_start": self.start, "_end": self.end, "key": self.key,
                **self.properties, **self.provenance.to_dict()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "key": self.key,
            "properties": dict(self.properties),
            **self.provenance.to_dict(),
        }


@dataclass(frozen=True)
class EvidencePath:
    """Nodes and relationships in path order: relationship i joins node i and node i + 1."""

    nodes: tuple[PathNode, ...]
    relationships: tuple[PathRelationship, ...]

    @classmethod
    def of(cls, value: Row, memo: dict[int, Any] | None = None) -> EvidencePath:
        """Build from a store path value, checking (and if needed restoring) the order.

        ``memo`` (by ``id`` of the value's dicts) builds a fact shared by several paths
        once (stored hits share them, ``graph_service.risk.stored``).

        Raises :class:`QueryFailed` when the relationships cannot be laid between
        consecutive nodes: an explanation that does not hang together is never shown.
        """
        if memo is None:
            memo = {}

        def node(n: Row) -> PathNode:
            found = memo.get(id(n))
            if found is None:
                found = memo[id(n)] = PathNode.of(n)
            return found

        def rel(r: Row) -> PathRelationship:
            found = memo.get(id(r))
            if found is None:
                found = memo[id(r)] = PathRelationship.of(r)
            return found

        nodes = tuple(node(n) for n in value.get("nodes") or ())
        rels = [rel(r) for r in value.get("relationships") or ()]
        if len(rels) != max(len(nodes) - 1, 0):
            raise QueryFailed(f"path with {len(nodes)} nodes and {len(rels)} relationships")
        ordered: list[PathRelationship] = []
        for a, b in zip(nodes, nodes[1:], strict=False):
            i = next((i for i, r in enumerate(rels) if r.connects(a.uid, b.uid)), None)
            if i is None:
                raise QueryFailed(f"path step {a.uid} - {b.uid} has no relationship")
            ordered.append(rels.pop(i))
        return cls(nodes, tuple(ordered))

    @cached_property
    def sort_key(self) -> tuple[int, tuple[str, ...], tuple[tuple[str, str, str, str], ...]]:
        return (len(self.nodes), tuple(n.uid for n in self.nodes),
                tuple(r.fact_id for r in self.relationships))

    @cached_property
    def grade(self) -> str:
        """The grade of the path: of its weakest fact (:func:`path_grade`)."""
        provenances = [*(n.provenance for n in self.nodes),
                       *(r.provenance for r in self.relationships)]
        return worst_grade(fact_grade(p) for p in provenances) or NO_GRADE

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [n.to_dict() for n in self.nodes],
            "relationships": [r.to_dict() for r in self.relationships],
        }

    def to_store_shape(self) -> dict[str, Any]:
        """The path back in the store's shape (``_labels``/``_type``/``_start``/``_end``),
        as graph rendering and networkx conversion take it."""
        return {
            "nodes": [n.to_store_shape() for n in self.nodes],
            "relationships": [r.to_store_shape() for r in self.relationships],
        }


@dataclass(frozen=True)
class Evidence:
    """One distinct fact on a hit's paths: a node, or a relationship."""

    kind: Literal["node", "relationship"]
    provenance: Provenance
    uid: str | None = None
    label: str | None = None
    name: str | None = None
    start: str | None = None
    type: str | None = None
    key: str | None = None
    end: str | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "node":
            head: dict[str, Any] = {
                "kind": "node", "uid": self.uid, "label": self.label, "name": self.name
            }
        else:
            head = {
                "kind": "relationship",
                "start": self.start,
                "type": self.type,
                "key": self.key,
                "end": self.end,
            }
        return {**head, **self.provenance.to_dict(), "grade": fact_grade(self.provenance)}


def evidence_of(paths: Sequence[EvidencePath]) -> list[Evidence]:
    """Every distinct fact on ``paths``, in order of first appearance."""
    seen: set[object] = set()
    out: list[Evidence] = []
    for path in paths:
        items: list[PathNode | PathRelationship] = []
        for i, node in enumerate(path.nodes):
            items.append(node)
            if i < len(path.relationships):
                items.append(path.relationships[i])
        for item in items:
            if isinstance(item, PathNode):
                if ("n", item.uid) in seen:
                    continue
                seen.add(("n", item.uid))
                out.append(Evidence("node", item.provenance, uid=item.uid, label=item.label,
                                    name=item.name))
            else:
                if ("r", item.fact_id) in seen:
                    continue
                seen.add(("r", item.fact_id))
                out.append(Evidence("relationship", item.provenance, start=item.start,
                                    type=item.type, key=item.key, end=item.end))
    return out


@dataclass(frozen=True)
class EntityRef:
    """How a report names an entity: uid, model label, display name (persons: birth date)."""

    uid: str
    label: str
    name: str | None
    geboortedatum: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"uid": self.uid, "label": self.label, "name": self.name}
        if self.label == "Person":
            out["geboortedatum"] = self.geboortedatum
        return out


def fetch_entities(store: Store, uids: Iterable[str]) -> dict[str, EntityRef]:
    """Look entities up by uid (``read/risk_entities``); unknown uids are left out."""
    wanted = sorted(set(uids))
    if not wanted:
        return {}
    rows = store.read("read/risk_entities", {"uids": wanted})
    return {
        row["uid"]: EntityRef(
            uid=row["uid"],
            label=primary_label(row.get("labels") or ()),
            name=row.get("name"),
            geboortedatum=row.get("geboortedatum"),
        )
        for row in rows
    }


#: Groups of similar paths a page shows (one path each).
SHOWN_GROUPS = 3


@dataclass(frozen=True)
class PathGroup:
    """Similar paths of a hit: indexes into its paths, the best-graded first."""

    paths: tuple[int, ...]
    grade: str

    @property
    def similar(self) -> int:
        """How many paths of the group a page does not show."""
        return len(self.paths) - 1

    def to_dict(self) -> dict[str, Any]:
        return {"paths": list(self.paths), "similar": self.similar, "grade": self.grade}


def path_signature(path: EvidencePath) -> tuple[object, ...]:
    """What two similar paths share: node labels, relationship types and directions in
    path order, and the uids of the first and the last node."""
    steps = tuple((r.type, r.start == a.uid)
                  for r, a in zip(path.relationships, path.nodes, strict=False))
    ends = (path.nodes[0].uid, path.nodes[-1].uid) if path.nodes else ("", "")
    return (tuple(n.label for n in path.nodes), steps, ends)


def group_paths(paths: Sequence[EvidencePath]) -> list[PathGroup]:
    """``paths`` in groups of similar paths, in order of each group's first path; within a
    group the best-graded path first (then path order)."""
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, path in enumerate(paths):
        groups.setdefault(path_signature(path), []).append(i)
    grades = [path_grade(p) for p in paths]
    out = []
    for members in groups.values():
        ranked = sorted(members, key=lambda i: (_grade_rank(grades[i]), i))
        out.append(PathGroup(tuple(ranked), grades[ranked[0]]))
    return out
