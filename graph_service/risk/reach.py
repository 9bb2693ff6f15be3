"""How far a change reaches: the entities an incremental hit refresh must recompute.

An indicator's hit on an entity depends only on the facts on the paths of its pattern
that end at that entity. :data:`REACH` describes those paths per indicator as phases, from
the pattern's far end to the entity it fires on: each phase a set of relationship types
and at most so many steps (``BIBOB_RELATED_SIGNAL``: dossier <-PARTY_TO- party -[0..3 of
FUNCTIONARY_OF|BIBOB_RELATION|FINANCES]- x <-CONCERNS- signal, so from the far end first
CONCERNS, 1 step; then the three types, up to 3; then PARTY_TO, 1). A changed entity can
only change the hits of the entities it reaches by walking these phases backwards
(:meth:`Walk.back`).

Both ends. An indicator in :data:`NEEDS` cannot fire without a node of one label at the
far end of every path (a RIEC signal, a holiday park). A changed entity lies on such a
path only when it is reached from one of those nodes walking the phases forwards, and
then only the steps the path has left after it can lead to an entity it fires on.
:meth:`Walk.forward` finds, per phase, how many steps of that phase every node needs at
least from the far end; the backward walk from a changed entity starts with only what is
left of the budget, and a changed entity the far end does not reach changes no hit (a
holding's bookkeeper three steps from any signal does not pull in every dossier of the
holding's clients). The walks ignore directions, dates and visibility, so they find a
superset of the paths under every scope; loads never delete a node or relationship, so
every path before the load is a path after it and the walk over the graph after the load
covers both. A decision on a look-alike pair may remove SAME_AS relationships (a reversed
confirmation): the walks are given those (:class:`Walk`, ``removed``), so they cover the
paths before the decision as well.

Around the changes. The walk forward from every far-end node (every RIEC signal, every
park) costs the same however few entities changed: 2 of the 2.3 s of a refresh after one
decision on a look-alike pair at 100k, about 30 s at 1M. Only the budgets of changed
entities are read from it, and a path from a far-end node to a changed entity has at most
the steps of the phases before the last. So the far-end nodes within that many steps of a
changed entity (over the phases' types, either direction) are the only ones that matter,
and the walk forward starts from those. A decision's few records usually have none near;
a load's many do, and when the nodes around the changes pass :data:`AROUND_BOUND`, the walk
starts from every far-end node as before (the neighbours read so far are kept for it).

Hubs. Networks and screenings do not walk through hubs (``graph_service/model/hubs.yaml``),
but the indicators do: ``BIBOB_RELATED_SIGNAL`` counts a signal on a bank's director
three steps from a party, whatever the bank's SBI code (docs/indicators.md does not name
hubs). A hit reached through a hub depends on the hub's facts, so the walks here pass
through hubs too; what bounds them is the far end above.

Scopes. For the indicators of :data:`MONOTONE` a scope that sees fewer facts finds a
subset of the paths a wider scope finds, and their measure only grows with the paths: a
hit in a narrower scope is a hit in every wider one, so the refresh runs a narrower
scope only on the entities a wider scope found hits on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from ..store import Store
from ..store.base import unbounded_reads

__all__ = ["AROUND_BOUND", "FAR_PAIRS", "FROM_FAR", "FROM_FAR_AT", "LIST_ENTITY", "MAY_FIRE",
           "MONOTONE", "NEEDS", "REACH", "SHORT_FIRST", "Phase", "Walk", "from_far_end",
           "may_fire"]

#: Anchors per read of the walk (each found by the uid index).
BATCH = 500

Phase = tuple[tuple[str, ...], int]
#: Per indicator, the phases a path of its pattern goes through, from its far end to the
#: entity it fires on (module doc). An entity's hit depends only on facts on such paths;
#: the tests compare an incremental refresh with a full one.
REACH: Mapping[str, tuple[Phase, ...]] = {
    "BIBOB_PRIVATE_FINANCIER": ((("FINANCES",), 1), (("PARTY_TO",), 1)),
    # a confirmed pair (SAME_AS) at either end of the chain counts as one person
    "BIBOB_RELATED_SIGNAL": ((("CONCERNS",), 1), (("SAME_AS",), 1),
                             (("FUNCTIONARY_OF", "BIBOB_RELATION", "FINANCES"), 3),
                             (("SAME_AS",), 1), (("PARTY_TO",), 1)),
    "BIBOB_UNDECLARED_OFFICER": ((("FUNCTIONARY_OF",), 1), (("PARTY_TO",), 1)),
    "COMPANY_ON_PARK": ((("UNIT_OF",), 1), (("LOCATED_AT",), 1), (("REGISTERED_AT",), 1),
                        (("OPERATES",), 1)),
    # an organisation, a person counts by its group: a SAME_AS of one counts at the far end
    "MASS_REGISTRATION": ((("SAME_AS",), 1), (("REGISTERED_AT",), 1)),
    "MULTI_PARTNER_SIGNALS": ((("CONCERNS",), 1), (("SAME_AS",), 1)),
    # a cycle (unit <- occupant -> employer - owner -> unit): every type, every step
    "PARK_EMPLOYER_HOUSING": ((("OCCUPIES", "EMPLOYED_BY", "FUNCTIONARY_OF", "OWNS"), 5),),
    "PARK_OVERCROWDING": ((("SAME_AS",), 1), (("OCCUPIES",), 1)),
    "PARK_OWNER_CONCENTRATION": ((("UNIT_OF",), 1), (("OWNS",), 1), (("SAME_AS",), 1)),
    "PHOENIX_PATTERN": ((("FUNCTIONARY_OF",), 1), (("SAME_AS",), 1)),
    # a register's entity and a list entity (source ftm) of one look-alike or confirmed pair
    "SANCTIONS_MATCH": ((("POSSIBLE_SAME_AS", "SAME_AS"), 1),),
    "SHED_SUSPICIOUS_LEASE": ((("RENTS",), 1),),
    # a tenant's or functionaris's twin (SAME_AS) at no cost; the finding path is
    # object <- RENTS - tenant - SAME_AS - twin - RENTS -> other object
    "SHED_TENANT_SIGNAL": ((("CONCERNS",), 1), (("SAME_AS",), 1), (("FUNCTIONARY_OF",), 1),
                           (("SAME_AS", "RENTS"), 3)),
    "SHED_VULNERABLE_OWNER": ((("RENTS", "OWNS"), 1),),
    "SIGNAL_NETWORK": ((("CONCERNS",), 1), (("SAME_AS",), 1),
                       (("FUNCTIONARY_OF", "OWNS", "RENTS", "FINANCES"), 2), (("SAME_AS",), 1)),
    "STRAW_MAN": ((("FUNCTIONARY_OF",), 1), (("SAME_AS",), 1)),
}

#: What :data:`NEEDS` names for the entities of an outside list (source ftm: a person or
#: an organisation with an ``ftm_id``), which have no label of their own.
LIST_ENTITY = "list entity"

#: Labels (or :data:`LIST_ENTITY`) without which an indicator cannot fire: every hit's
#: path runs through such a node at the far end of :data:`REACH` (``(s:Signal)``,
#: ``(k:HolidayPark)`` in the indicator's MATCH). In a scope that sees no such node the
#: indicator is not run (its answer there is empty), and a full refresh runs it only on
#: the entities those nodes reach (a park's owners, the organisations at a park's
#: addresses, the look-alikes of list entities), not on every person and organisation.
NEEDS: Mapping[str, str] = {
    "BIBOB_RELATED_SIGNAL": "Signal",
    "COMPANY_ON_PARK": "HolidayPark",
    "MULTI_PARTNER_SIGNALS": "Signal",
    "PARK_OWNER_CONCENTRATION": "HolidayPark",
    # the other end of a match is an entity of an outside list (``l.ftm_id IS NOT NULL``)
    "SANCTIONS_MATCH": LIST_ENTITY,
    "SIGNAL_NETWORK": "Signal",
}

#: Per indicator, its hits computed from the far end of :data:`NEEDS` in two read
#: statements: ``candidates`` (parameters ``as_of`` and the scope's; rows ``uid``, ``far``)
#: finds every entity the indicator may fire on (a path to a far-end node; every one it
#: fires on among them) with the uids of the far-end nodes on its paths, in one walk from
#: every far-end node; ``from_far`` (the indicator's parameters
#: and ``far``) returns the indicator's own rows for ``$uids``, walking from the nodes
#: ``$far`` only. The first costs about the same for any number of entities, so a refresh
#: takes this way for :data:`FROM_FAR_AT` entities or more (``BIBOB_RELATED_SIGNAL`` at
#: 100k entities: 2.1 s and 10 s for the 912 dossiers it fires on, where the indicator
#: took 22 s walking from the dossiers, and its 8 ms a dossier pays for the first walk
#: from about 500 dossiers on). :func:`from_far_end` runs both.
FROM_FAR: Mapping[str, tuple[str, str]] = {
    "BIBOB_RELATED_SIGNAL": ("read/bibob_related_signal_candidates",
                             "read/bibob_related_signal_from_signals"),
    "SIGNAL_NETWORK": ("read/signal_network_candidates", "read/signal_network_from_signals"),
}
FROM_FAR_AT = 500
#: A run of ``from_far`` takes entities up to this many pairs of an entity and one of its
#: far ends. Each run walks from nearly every far end again (the paths of hubs reach most
#: entities) but holds only its own entities' paths while it orders them. At 1M
#: (``python -m bench.farend``, docs/benchmarks.md, ``BIBOB_RELATED_SIGNAL``): 607 s in 6
#: runs, the embedded server at 4.4 GB at its peak; one run 479 s at 8.3 GB (the graph
#: alone 3.2 GB); the batches of 500 dossiers used before took 1,387 s of a full refresh.
#: With the paths as ``PATH_KEYS`` the 6 runs take 479 s, at the same peak.
FAR_PAIRS = 250_000

#: Indicators of :data:`FROM_FAR` whose measure is the number of far ends that reach the
#: entity (the candidates' ``far``), with a first statement that walks only their short
#: paths: it returns, per entity, ``settled`` and (when settled) the paths the whole walk
#: would give, as every path it cannot find is longer than the last one it keeps (its
#: file says how). The whole walk then runs only on the entities not settled. At 1M,
#: ``BIBOB_RELATED_SIGNAL``: 86% of the paths have five relationships, and four in five
#: dossiers have their first 25 paths among the shorter ones (docs/benchmarks.md).
SHORT_FIRST: Mapping[str, str] = {
    "BIBOB_RELATED_SIGNAL": "read/bibob_related_signal_short_paths",
}


#: Per indicator that counts what a pattern reaches against a lower threshold (or fires
#: on any path of it), a read (parameters: the thresholds it names; rows ``uid``) of the
#: entities it may fire on in any scope: the same count on the same pattern, without the
#: conditions on dates and purpose classes, which can only make the indicator's own count
#: smaller (each file says why). A full refresh runs the indicator on those only, instead
#: of on every entity of its label in every scope or of the walk from its far end
#: (:func:`may_fire`). At 100k entities one such read takes 0.02-0.3 s, where the runs
#: and walks it spares took 0.4-2.2 s per indicator. An incremental refresh asks it about
#: the entities within reach of the changes (about 11 us an entity, where the indicator
#: took about 25 us in each of four scopes).
MAY_FIRE: Mapping[str, str] = {
    "COMPANY_ON_PARK": "read/hits_may_fire_company_on_park",
    "MASS_REGISTRATION": "read/hits_may_fire_mass_registration",
    "MULTI_PARTNER_SIGNALS": "read/hits_may_fire_multi_partner_signals",
    "PARK_EMPLOYER_HOUSING": "read/hits_may_fire_park_employer_housing",
    "PARK_OVERCROWDING": "read/hits_may_fire_park_overcrowding",
    "PARK_OWNER_CONCENTRATION": "read/hits_may_fire_park_owner_concentration",
    "PHOENIX_PATTERN": "read/hits_may_fire_phoenix_pattern",
    "STRAW_MAN": "read/hits_may_fire_straw_man",
}


#: The walk around the changed entities (:func:`within_reach`) gives up past this many
#: nodes; the walk forward then starts from every far-end node.
AROUND_BOUND = 20_000


#: Indicators whose hits in a scope are a subset of their hits in any wider scope: the
#: answer is the set of visible paths of one pattern (``VISIBLE_PATH``, no condition on a
#: fact being absent), the measure counts what those paths reach and the threshold is a
#: lower bound on it. (Not so e.g. ``BIBOB_UNDECLARED_OFFICER``: an officer whose
#: PARTY_TO a scope does not see is undeclared there; nor an indicator with a derived
#: value computed per scope.)
MONOTONE: frozenset[str] = frozenset({
    "BIBOB_RELATED_SIGNAL",   # path exists; measure = distinct signals, no threshold
    "SIGNAL_NETWORK",         # path exists; measure = distinct subjects >= min_subjects
    "MULTI_PARTNER_SIGNALS",  # path exists; measure = distinct partners >= min_partners
    "STRAW_MAN",              # path exists; measure = distinct organisations >= min_orgs
    "SHED_TENANT_SIGNAL",     # paths exist (signal or finding); measure = paths, > 0
})


_NONE: frozenset[str] = frozenset()


class TooFar(Exception):
    """A walk grew past its bound (then the indicator is refreshed whole)."""


class Walk:
    """Walks over the graph for one refresh: every entity's neighbours are read once, over
    every relationship type with the types and the neighbours' labels
    (``read/hits_adjacent``), and kept; each indicator's walk takes the types it follows.
    ``removed``: relationships the writes took away (a reversed decision's SAME_AS), walked
    as if they were still there, so the walks cover the paths before the writes too."""

    def __init__(self, store: Store, bound: int,
                 removed: Iterable[tuple[str, str, str]] = ()) -> None:
        self.store = store
        self.bound = bound  # at most this many entities in one walk
        self.labels: dict[str, frozenset[str]] = {}
        self._by_type: dict[str, dict[str, frozenset[str]]] = {}  # uid -> type -> uids
        #: relationships (start, type, end) the writes removed, walked as if still there
        self._removed: dict[str, dict[str, set[str]]] = {}
        for start, rel_type, end in removed:
            self._removed.setdefault(start, {}).setdefault(rel_type, set()).add(end)
            self._removed.setdefault(end, {}).setdefault(rel_type, set()).add(start)

    def adjacent(self, uids: Iterable[str], types: Sequence[str]) -> dict[str, frozenset[str]]:
        """The neighbours of each of ``uids`` over ``types``, either direction."""
        uids = list(uids)
        missing = sorted(u for u in set(uids) if u not in self._by_type)
        for start in range(0, len(missing), BATCH):
            chunk = missing[start:start + BATCH]
            found: dict[str, dict[str, set[str]]] = {u: {} for u in chunk}
            for r in self.store.read("read/hits_adjacent", {"uids": chunk}):
                found[r["from"]].setdefault(r["type"], set()).add(r["uid"])
                self.labels.setdefault(r["uid"], frozenset(r["labels"] or ()))
            for u in chunk:
                for rel_type, ends in self._removed.get(u, {}).items():
                    found[u].setdefault(rel_type, set()).update(ends)
            self._by_type.update((u, {t: frozenset(ms) for t, ms in by.items()})
                                 for u, by in found.items())
        if len(types) == 1:  # most phases: the kept set itself
            return {u: self._by_type[u].get(types[0], _NONE) for u in uids}
        return {u: _NONE.union(*(self._by_type[u].get(t, _NONE) for t in types))
                for u in uids}

    def read_labels(self, uids: Iterable[str]) -> None:
        missing = sorted(u for u in set(uids) if u not in self.labels)
        for start in range(0, len(missing), BATCH):
            for r in self.store.read("read/hits_labels", {"uids": missing[start:start + BATCH]}):
                self.labels[r["uid"]] = frozenset(r["labels"] or ())

    def around(self, start: Iterable[str], types: Sequence[str], steps: int,
               bound: int) -> set[str] | None:
        """The nodes at most ``steps`` steps over ``types`` (either direction) from
        ``start``, ``start`` among them; None once they are more than ``bound``."""
        seen = set(start)
        if len(seen) > bound:
            return None
        frontier = set(seen)
        for _ in range(steps):
            if not frontier:
                break
            fresh = {m for ms in self.adjacent(sorted(frontier), types).values()
                     for m in ms if m not in seen}
            seen |= fresh
            if len(seen) > bound:
                return None
            frontier = fresh
        return seen

    def forward(self, phases: Sequence[Phase], start: Iterable[str]) -> list[dict[str, int]]:
        """Per phase, the fewest steps of it after which each node is reached from
        ``start`` walking ``phases`` forwards (a node reached in a phase enters the next
        one with no step taken)."""
        states: list[dict[str, int]] = []
        carry = set(start)
        size = 0
        for types, steps in phases:
            best = dict.fromkeys(carry, 0)
            frontier = set(carry)
            for k in range(1, steps + 1):
                fresh = {m for ms in self.adjacent(sorted(frontier), types).values()
                         for m in ms if m not in best}
                best.update(dict.fromkeys(fresh, k))
                size += len(fresh)
                if size > self.bound:
                    raise TooFar
                frontier = fresh
                if not frontier:
                    break
            states.append(best)
            carry = set(best)
        return states

    def back(self, phases: Sequence[Phase], budgets: Sequence[Mapping[str, int]]
             ) -> dict[str, int]:
        """Walk ``phases`` backwards (towards the entity an indicator fires on) from the
        nodes of ``budgets[p]`` (uid -> steps of phase ``p`` still allowed); every node
        reached in a phase goes on to the next with its full steps. Returns the nodes
        reached in the last phase (uid -> steps left)."""
        carry: dict[str, int] = {}
        size = 0
        for p, (types, steps) in enumerate(phases):
            best = dict(budgets[p]) if p < len(budgets) else {}
            for u in carry:
                best[u] = steps
            frontier = {u: r for u, r in best.items() if r > 0}
            while frontier:
                by_left: dict[int, list[str]] = {}
                for u, r in frontier.items():
                    by_left.setdefault(r, []).append(u)
                nxt: dict[str, int] = {}
                for left, us in by_left.items():
                    for ms in self.adjacent(us, types).values():
                        for m in ms:
                            if best.get(m, -1) < left - 1:
                                size += m not in best
                                best[m] = left - 1
                                if left - 1 > 0:
                                    nxt[m] = max(nxt.get(m, 0), left - 1)
                if size > self.bound:
                    raise TooFar
                frontier = nxt
            carry = best
        return carry


def within_reach(walk: Walk, code: str, fires_on: Iterable[str], touched: Iterable[str],
                 far: Iterable[str] | None = None) -> set[str]:
    """The entities indicator ``code`` fires on (labels ``fires_on``) whose hits a change
    of ``touched`` can change. With ``far`` (the nodes of its :data:`NEEDS` label), only
    the paths from one of those count (module doc). Raises :class:`TooFar`."""
    phases = REACH[code]
    labels = set(fires_on)
    touched = set(touched)
    walk.read_labels(touched)
    direct = {u for u in touched if labels & walk.labels.get(u, frozenset())}
    if far is None:
        reached = walk.back(phases, [dict.fromkeys(touched, phases[0][1])])
        return direct | {u for u in reached if labels & walk.labels.get(u, frozenset())}
    # forward over every phase but a last one of one step (that step ends at the entity
    # fired on: a changed entity there is one of ``direct``, recomputed anyway)
    far = set(far)
    last_single = phases[-1][1] == 1
    head = phases[:-1] if last_single else phases
    # only the far-end nodes a path leads from to a changed entity give it a budget: those
    # lie within the head's steps of it (module doc, "Around the changes")
    near = walk.around(touched, sorted({t for types, _ in head for t in types}),
                       sum(steps for _, steps in head), AROUND_BOUND)
    if near is not None:
        far &= near
    ahead = walk.forward(head, far)
    if not ahead:  # a single phase of one step starts at the far end itself
        ahead = [dict.fromkeys(far, 0)]
    budgets = [{u: phases[p][1] - k for u, k in state.items() if u in touched}
               for p, state in enumerate(ahead)]
    reached = walk.back(phases, budgets)
    found = {u for u in reached if labels & walk.labels.get(u, frozenset())}
    if last_single:
        return found | direct
    return found | {u for u in direct if u in ahead[-1]}


def reached_from(walk: Walk, code: str, fires_on: Iterable[str], far: Iterable[str]
                 ) -> set[str]:
    """The entities ``code`` fires on that the nodes ``far`` reach over every phase: a
    full refresh runs a :data:`NEEDS` indicator only on those. Raises :class:`TooFar`."""
    labels = set(fires_on)
    ahead = walk.forward(REACH[code], far)
    walk.read_labels(ahead[-1])
    return {u for u in ahead[-1] if labels & walk.labels.get(u, frozenset())}


def may_fire(store: Store, code: str, thresholds: Mapping[str, Any],
             uids: Sequence[str] | None = None) -> set[str]:
    """The entities indicator ``code`` (in :data:`MAY_FIRE`) may fire on in any scope with
    ``thresholds`` (its own, by name): those of ``uids``, :data:`BATCH` a read, or of its
    whole label (``None``: one read, without the read timeout, as the walks)."""
    statement = MAY_FIRE[code]
    given = {n: thresholds[n] for n in store.registry.get(statement).params if n != "uids"}
    if uids is None:
        with unbounded_reads():
            return {r["uid"] for r in store.read(statement, {**given, "uids": None})}
    ordered = sorted(set(uids))
    return {r["uid"] for start in range(0, len(ordered), BATCH)
            for r in store.read(statement, {**given, "uids": ordered[start:start + BATCH]})}


def from_far_end(store: Store, code: str, params: Mapping[str, Any],
                 uids: Sequence[str]) -> Iterator[list[dict[str, Any]]]:
    """The rows of indicator ``code`` (in :data:`FROM_FAR`) on those of ``uids`` it fires
    on under the current scope, a run of at most :data:`FAR_PAIRS` pairs at a time; for
    an indicator of :data:`SHORT_FIRST` its short paths first, then the whole walk for
    the entities those did not settle. The reads run without the read timeout: halving a
    run that takes long would only walk from the same far ends twice."""
    candidates, from_far = FROM_FAR[code]
    with unbounded_reads():
        far = {r["uid"]: r["far"] for r in store.read(candidates, {"as_of": params["as_of"]})}
    todo = [u for u in uids if u in far]
    short = SHORT_FIRST.get(code)
    if short is not None:
        unsettled: list[str] = []
        for run in _far_runs(todo, far):
            rows = _from_far_run(store, short, params, run, far)
            settled = {r["uid"]: r for r in rows if r.pop("settled")}
            # every far end that reaches the entity, not only those of its short paths
            yield [{**r, "measure": len(far[u])} for u, r in settled.items()]
            unsettled += [u for u in run if u not in settled]
        todo = unsettled
    for run in _far_runs(todo, far):
        yield _from_far_run(store, from_far, params, run, far)


def _far_runs(uids: list[str], far: Mapping[str, list[str]]) -> Iterator[list[str]]:
    """``uids`` in runs of at most :data:`FAR_PAIRS` pairs of an entity and a far end."""
    run: list[str] = []
    pairs = 0
    for uid in uids:
        if run and pairs + len(far[uid]) > FAR_PAIRS:
            yield run
            run, pairs = [], 0
        run.append(uid)
        pairs += len(far[uid])
    if run:
        yield run


def _from_far_run(store: Store, statement: str, params: Mapping[str, Any], run: list[str],
                  far: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    ends = sorted({f for u in run for f in far[u]})
    with unbounded_reads():  # not across a yield: the caller's reads keep their timeout
        return store.read(statement, {**params, "uids": run, "far": ends})
