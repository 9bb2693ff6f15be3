"""Decisions on look-alike pairs (judgements) and the resolved view derived from them.

The loaders propose look-alikes as ``POSSIBLE_SAME_AS {score, reason}`` (persons by name
and birth date, ``loaders.writer``; a listed organisation of an outside list and a
register's one, ``loaders.ftm``); a person with the right to decide
(:data:`graph_service.security.policy.JUDGES`, docs/security.md)
confirms, rejects or leaves unsure each pair. After nomenklatura: every decision is a
judgement, stored, never overwritten, and what queries see follows from the current ones.

* A decision is a ``Judgement`` node (a system node, model.yaml ``system_labels``)::

    (:Judgement {uid, pair, left, right, verdict, user, roles, purpose, reference, at,
                 reason, source_records, current, replaced_by})

  ``pair`` is ``"<left>|<right>"`` (lower uid first), ``verdict`` ``positive``,
  ``negative`` or ``unsure``, ``source_records`` the records of both persons when it was
  decided. A later decision on the pair replaces the earlier one (``current`` false,
  ``replaced_by``): history is kept, a decision is reversed by deciding again.
* **Groups.** The current confirmations link records (two persons or two organisations)
  into groups (connected components); every two records of a group get a ``SAME_AS``
  (lower uid first, the union of both records' purposes, sources and source records),
  written on confirmation and removed on reversal or :func:`split`. A traversal thus
  reaches every record of a group in one ``SAME_AS`` step. A rejection between two records
  of one group, or a confirmation that would join two groups with a rejection between
  them, is refused (split first).
* A decided pair (confirmed or rejected) loses its ``POSSIBLE_SAME_AS`` and is never
  proposed again (``write/merge_possible_same_as`` skips it, also after a reload); an
  ``unsure`` pair stays on the review list.
* Both records stay as they are, each with its own provenance: the resolved view is the
  ``SAME_AS`` walked by the indicators, the screening, the neighbourhood and the paths
  (docs/graph-model.md, "Judgements and the resolved view").
* After a decision that changed groups the caller refreshes the stored hits around the
  records it touched (:func:`refresh_after`, outside its read session, as after a load).

Only records the caller's scope sees can be decided on or shown; the decisions on a pair
are shown only with both records. The caller audits (the CLI's ``ondergraaf review`` and
the review page record every decision with the uids).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidParams, NotFound
from ..security.policy import JUDGES, may_judge
from ..store import Store
from .recorder import ChangeRecorder, defer, refresh_after_load

__all__ = [
    "JUDGES",
    "VERDICTS",
    "VERDICT_TITLES",
    "Decision",
    "Judgement",
    "PairView",
    "defer_refresh",
    "may_judge",
    "pair_of",
    "history_of",
    "judge",
    "refresh_after",
    "split",
    "pending",
    "show",
    "twins",
]

#: The decisions and their Dutch names (pages, CLI).
VERDICTS: tuple[str, ...] = ("positive", "negative", "unsure")
VERDICT_TITLES: dict[str, str] = {"positive": "bevestigd", "negative": "afgewezen",
                                  "unsure": "onzeker"}

#: Look-alike pairs on one page of the review list.
PAGE = 50


def pair_of(a: str, b: str) -> tuple[str, str]:
    """The pair of two person uids, lower uid first; refuses a person paired with itself."""
    if a == b:
        raise InvalidParams("een persoon kan niet met zichzelf worden vergeleken")
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class Judgement:
    """One decision on a look-alike pair (current or replaced)."""

    uid: str
    left: str
    right: str
    verdict: str
    user: str
    at: str
    reason: str
    purpose: str | None = None
    reference: str | None = None
    roles: tuple[str, ...] = ()
    source_records: tuple[str, ...] = ()
    current: bool = True
    replaced_by: str | None = None

    @classmethod
    def of(cls, props: Mapping[str, Any]) -> Judgement:
        return cls(
            uid=str(props["uid"]), left=str(props["left"]), right=str(props["right"]),
            verdict=str(props["verdict"]), user=str(props.get("user") or ""),
            at=str(props.get("at") or ""), reason=str(props.get("reason") or ""),
            purpose=props.get("purpose"), reference=props.get("reference"),
            roles=tuple(props.get("roles") or ()),
            source_records=tuple(props.get("source_records") or ()),
            current=bool(props.get("current")), replaced_by=props.get("replaced_by"))

    @property
    def title(self) -> str:
        return VERDICT_TITLES.get(self.verdict, self.verdict)

    def to_dict(self) -> dict[str, Any]:
        # "id", not "uid": a decision is no entity (audit records list entity uids)
        return {"id": self.uid, "left": self.left, "right": self.right,
                "verdict": self.verdict, "title": self.title, "user": self.user,
                "at": self.at, "reason": self.reason, "purpose": self.purpose,
                "reference": self.reference, "roles": list(self.roles),
                "source_records": list(self.source_records), "current": self.current,
                "replaced_by": self.replaced_by}


@dataclass
class Decision:
    """What :func:`judge` or :func:`split` did."""

    judgements: list[Judgement]
    group: list[str]  # the records now one person with the first pair's left (sorted)
    regrouped: bool = False  # SAME_AS changed: the stored hits are to be refreshed
    recorder: ChangeRecorder | None = field(default=None, repr=False)
    refreshed: str | None = None  # the stored-hit run after it (:func:`refresh_after`)

    def to_dict(self) -> dict[str, Any]:
        return {"judgements": [j.to_dict() for j in self.judgements], "group": self.group,
                "regrouped": self.regrouped, "refreshed": self.refreshed}


def refresh_after(decision: Decision) -> str | None:
    """Refresh the stored hits around the records a decision regrouped (incremental when
    they were current before it); outside any read session, as after a load. Returns the
    refresh run, or None when the decision changed no group."""
    if decision.regrouped and decision.recorder is not None:
        decision.refreshed = refresh_after_load(decision.recorder).run
    return decision.refreshed


def defer_refresh(decision: Decision) -> bool:
    """Leave the changes of a decision that regrouped records for a later refresh
    (:func:`.recorder.defer`, as the web service does); False when it changed no group or
    the next refresh must be a full one."""
    return (decision.regrouped and decision.recorder is not None
            and defer(decision.recorder))


@dataclass
class PairView:
    """A look-alike pair for review: both persons as the scope sees them, the proposal
    (score, reason) when there is one, and every decision on it, oldest first."""

    left: dict[str, Any]
    right: dict[str, Any]
    score: float | None = None
    reason: str | None = None
    history: list[Judgement] = field(default_factory=list)

    @property
    def current(self) -> Judgement | None:
        return next((j for j in reversed(self.history) if j.current), None)

    def to_dict(self) -> dict[str, Any]:
        cur = self.current
        return {"left": self.left, "right": self.right, "score": self.score,
                "reason": self.reason, "verdict": cur.verdict if cur else None,
                "history": [j.to_dict() for j in self.history]}


# -- reading ------------------------------------------------------------------------------------
def _persons(store: Store, uids: Sequence[str]) -> dict[str, dict[str, Any]]:
    rows = store.read("read/review_persons", {"uids": list(uids)})
    return {str(r["node"]["uid"]): dict(r["node"]) for r in rows}


def _kind(node: Mapping[str, Any]) -> str:
    return "Person" if "Person" in (node.get("_labels") or ()) else "Organisation"


def _visible_pair(store: Store, a: str, b: str) -> tuple[str, str, dict[str, dict[str, Any]]]:
    left, right = pair_of(a, b)
    found = _persons(store, [left, right])
    for uid in (left, right):
        if uid not in found:
            raise NotFound(f"geen persoon of organisatie met uid {uid!r}")
    if _kind(found[left]) != _kind(found[right]):
        raise InvalidParams("alleen twee personen of twee organisaties kunnen dezelfde zijn")
    return left, right, found


def _history(store: Store, pairs: Sequence[str]) -> dict[str, list[Judgement]]:
    out: dict[str, list[Judgement]] = {}
    for row in store.read("read/review_judgements", {"pairs": list(pairs)}):
        j = Judgement.of(row["judgement"])
        out.setdefault(f"{j.left}|{j.right}", []).append(j)
    return out


def pending(store: Store, offset: int = 0, limit: int = PAGE) -> list[PairView]:
    """The look-alike pairs waiting for a decision that the scope sees (highest score
    first), each with its decisions so far (an ``unsure`` one keeps a pair here)."""
    rows = store.read("read/review_pairs", {"skip": max(0, offset), "limit": max(0, limit)})
    views = [PairView(dict(r["left"]), dict(r["right"]), r.get("score"), r.get("reason"))
             for r in rows]
    history = _history(store, [f"{v.left['uid']}|{v.right['uid']}" for v in views])
    for v in views:
        v.history = history.get(f"{v.left['uid']}|{v.right['uid']}", [])
    return views


def show(store: Store, a: str, b: str) -> PairView:
    """One pair: both persons (404 when the scope does not see both), the proposal and
    every decision on it."""
    left, right, found = _visible_pair(store, a, b)
    rows = store.read("read/review_pair", {"left": left, "right": right})
    view = PairView(found[left], found[right])
    if rows:
        view.score, view.reason = rows[0].get("score"), rows[0].get("reason")
    view.history = _history(store, [f"{left}|{right}"]).get(f"{left}|{right}", [])
    return view


def twins(store: Store, uids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Per uid, the visible records confirmed to be the same person (``node`` and the
    ``SAME_AS`` as ``rel``), by uid."""
    out: dict[str, list[dict[str, Any]]] = {}
    for row in store.read("read/review_twins", {"uids": list(uids)}):
        out.setdefault(str(row["uid"]), []).append({"node": dict(row["node"]),
                                                    "rel": dict(row["rel"])})
    return out


def history_of(store: Store, uid: str) -> list[Judgement]:
    """Every decision on a pair with ``uid`` whose other person the scope sees too."""
    rows = store.read("read/review_judgements_of", {"uids": [uid]})
    found = [Judgement.of(r["judgement"]) for r in rows]
    seen = set(_persons(store, sorted({u for j in found for u in (j.left, j.right)})))
    return [j for j in found if j.left in seen and j.right in seen]


# -- deciding -----------------------------------------------------------------------------------
def _groups(edges: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Record -> its group, for the records of ``edges`` (connected components)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    members: dict[str, set[str]] = {}
    for x in list(parent):
        members.setdefault(find(x), set()).add(x)
    return {x: frozenset(members[find(x)]) for x in parent}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _uid(pair: str, at: str) -> str:
    return "judgement:" + hashlib.sha256(f"{pair}|{at}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class _Who:
    user: str
    roles: tuple[str, ...]
    purpose: str | None
    reference: str | None


def _check(decided: Sequence[Mapping[str, Any]], changes: Mapping[tuple[str, str], str]
           ) -> list[tuple[str, str]]:
    """The confirmed pairs after ``changes`` (pair -> verdict); refuses a rejection inside
    a group and a confirmation that joins groups with a rejection between them."""
    verdicts = {(str(r["left"]), str(r["right"])): str(r["verdict"]) for r in decided}
    verdicts.update(changes)
    positive = [p for p, v in verdicts.items() if v == "positive"]
    groups = _groups(positive)
    for (a, b), v in sorted(verdicts.items()):
        if v == "negative" and a in groups and b in groups.get(a, frozenset()):
            if (a, b) in changes:
                raise InvalidParams(
                    f"{a} en {b} zijn via andere bevestigingen dezelfde; "
                    "splits eerst (ondergraaf review split) voordat u dit paar afwijst")
            raise InvalidParams(
                f"deze bevestiging maakt {a} en {b} tot dezelfde, maar dat paar is "
                "afgewezen; herzie eerst die afwijzing")
    return positive


def _apply(store: Store, changes: Mapping[tuple[str, str], str], who: _Who, reason: str,
           found: Mapping[str, Mapping[str, Any]]) -> Decision:
    decided = store.read("read/review_decided")
    before = _groups((str(r["left"]), str(r["right"])) for r in decided
                     if r["verdict"] == "positive")
    positive = _check(decided, changes)
    after = _groups(positive)
    recorder = ChangeRecorder(store)
    at = _now()
    made: list[Judgement] = []
    for (left, right), verdict in sorted(changes.items()):
        pair = f"{left}|{right}"
        records = sorted({str(s) for u in (left, right)
                          for s in (found.get(u, {}).get("source_records") or [])})
        row = {"uid": _uid(pair, at), "pair": pair, "left": left, "right": right,
               "verdict": verdict, "user": who.user, "roles": list(who.roles),
               "purpose": who.purpose, "reference": who.reference, "at": at,
               "reason": reason, "source_records": records}
        recorder.write_rows("write/judge_retire", [{"pair": pair, "uid": row["uid"]}])
        recorder.write_rows("write/judge_record", [row])
        made.append(Judgement.of({**row, "current": True}))
        if verdict != "unsure":
            recorder.write_rows("write/judge_drop_possible", [{"start": left, "end": right}])
    touched = {u for p in changes for u in p}
    affected = set(touched)
    for u in touched:
        affected |= before.get(u, frozenset()) | after.get(u, frozenset())
    old_edges = {(a, b) for g in before.values() for a in g for b in g if a < b
                 and a in affected}
    new_edges = {(a, b) for g in after.values() for a in g for b in g if a < b
                 and a in affected}
    if old_edges != new_edges:
        recorder.removed |= {(a, "SAME_AS", b) for a, b in old_edges - new_edges}
        direct = {(str(r["left"]), str(r["right"])): str(r["uid"]) for r in decided
                  if r["verdict"] == "positive"}
        direct.update({(j.left, j.right): j.uid for j in made if j.verdict == "positive"})
        recorder.write_rows("write/judge_same_as_drop", [{"uid": u} for u in sorted(affected)])
        rows = [{"start": a, "end": b, "judgement": direct.get((a, b)), "since": at}
                for a, b in sorted(new_edges)]
        if rows:
            recorder.write_rows("write/judge_same_as", rows)
        for a, b in sorted(new_edges):  # one person now: no longer a look-alike to review
            recorder.write_rows("write/judge_drop_possible", [{"start": a, "end": b}])
    first = next(iter(sorted(changes)))
    return Decision(made, sorted(after.get(first[0], frozenset({first[0]}))),
                    old_edges != new_edges, recorder)


def judge(store: Store, a: str, b: str, verdict: str, *, user: str, reason: str = "",
          roles: Sequence[str] = (), purpose: str | None = None,
          reference: str | None = None) -> Decision:
    """Decide on the pair ``a``, ``b``: ``positive`` (one person), ``negative`` (two
    people) or ``unsure``. Both persons must be visible to the running scope. The decision
    replaces the pair's current one; groups and ``SAME_AS`` follow (module doc)."""
    if verdict not in VERDICTS:
        raise InvalidParams(f"oordeel is een van {', '.join(VERDICTS)}, niet {verdict!r}")
    if not user:
        raise InvalidParams("een oordeel heeft een gebruiker")
    left, right, found = _visible_pair(store, a, b)
    who = _Who(user, tuple(sorted(roles)), purpose, reference)
    return _apply(store, {(left, right): verdict}, who, reason, found)


def split(store: Store, uid: str, *, user: str, reason: str = "",
          roles: Sequence[str] = (), purpose: str | None = None,
          reference: str | None = None) -> Decision:
    """Take record ``uid`` out of its group: every current confirmation of a pair with it
    becomes a rejection (the other confirmations of the group stay). Every record of the
    group must be visible to the running scope."""
    decided = store.read("read/review_decided")
    mine = sorted((str(r["left"]), str(r["right"])) for r in decided
                  if r["verdict"] == "positive" and uid in (r["left"], r["right"]))
    uids = sorted({u for p in mine for u in p} | {uid})
    found = _persons(store, uids)
    for u in uids:
        if u not in found:
            raise NotFound(f"geen persoon of organisatie met uid {u!r}")
    if not mine:
        raise InvalidParams(f"{uid} is met niemand als dezelfde bevestigd")
    who = _Who(user, tuple(sorted(roles)), purpose, reference)
    return _apply(store, dict.fromkeys(mine, "negative"), who, reason, found)
