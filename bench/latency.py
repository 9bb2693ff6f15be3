"""Query latency, warm, on a loaded graph: what the API and pages run per request.

Entities are sampled once per run from the graph with ``random.Random(seed)`` over the
uid-sorted list of each label, so two runs on the same data ask the same questions. Every
query kind gets one warm-up pass over its samples, then ``repeat`` timed passes; the
percentiles are over all timed calls. A kind stops early (and says so) once its timed
calls exceed ``budget_s`` (the warm-up gets a quarter of that); then the calls it made are
the first ones of the sample, so slow kinds are measured on fewer samples.

Kinds: ``search`` (name prefixes and identifiers), ``neighbourhood`` (depth 2, the API
defaults: 150 nodes, 50 per node), ``paths`` (one shortest path of at most 6 hops between
two persons or organisations), ``risk`` (:func:`graph_service.risk.risk` of one entity),
``indicator`` (the first page of hits of one indicator, as the API and the indicator
page ask for it: ``limit`` 100 + 1; every indicator in turn) and ``screening``
(:func:`graph_service.risk.screening.screen` of one Bibob dossier).
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

from graph_service import queries, risk
from graph_service.errors import OndergraafError
from graph_service.risk import screening
from graph_service.risk.indicators import list_indicators
from graph_service.store import Store, access
from graph_service.web.api import DEFAULT_HITS_PAGE

from .common import TODAY, percentiles

#: Evidence paths per hit on the indicator page (its list of hits; the API's default is all
#: 25): ``indicator_each`` times the first page both ways.
LIST_PATHS = 3

__all__ = ["Samples", "sample", "measure", "KINDS"]

KINDS = ("search", "neighbourhood", "paths", "risk", "indicator", "screening")
ENTITY_LABELS = ("Person", "Organisation", "Address", "RuralObject", "HolidayPark",
                 "ParkUnit", "BibobDossier", "Signal")


class Samples:
    """The deterministic sample of one run: uids per label and search texts."""

    def __init__(self, uids: dict[str, list[str]], searches: list[str],
                 supernodes: list[dict[str, Any]]) -> None:
        self.uids = uids
        self.searches = searches
        self.supernodes = supernodes

    def of(self, labels: Sequence[str]) -> list[str]:
        return [u for label in labels for u in self.uids.get(label, [])]


def sample(store: Store, seed: int, per_label: int = 40) -> Samples:
    """Pick ``per_label`` uids of every label and search texts from their names."""
    rnd = random.Random(seed)
    uids: dict[str, list[str]] = {}
    with access.scope(access.FULL):
        for label in ENTITY_LABELS:
            every = [r["uid"] for r in store.read("read/bench_uids", {"label": label})]
            uids[label] = rnd.sample(every, min(per_label, len(every)))
        facts = store.read("read/bench_facts",
                           {"uids": uids["Person"][:10] + uids["Organisation"][:10]})
        supernodes = store.read("read/bench_supernodes", {"limit": 3})
    searches: list[str] = []
    for row in sorted(facts, key=lambda r: r["uid"]):
        if row.get("kvk_nummer"):
            searches.append(str(row["kvk_nummer"]))  # an identifier: exact match first
        text = str(row.get("geslachtsnaam") or row.get("name") or "")
        if len(text) >= 4:
            searches.append(text[:5].lower())  # a name prefix: a scan of all names
    return Samples(uids, searches, supernodes)


def _run_kind(calls: list[Callable[[], object]], repeat: int, budget_s: float
              ) -> dict[str, Any]:
    started = time.perf_counter()
    for call in calls:  # warm-up, within a quarter of the budget
        try:
            call()
        except OndergraafError:
            break
        if time.perf_counter() - started > budget_s / 4:
            break
    times: list[float] = []
    started = time.perf_counter()
    stopped_early = False
    failed: list[str] = []
    for _ in range(repeat):
        for call in calls:
            t = time.perf_counter()
            try:
                call()
            except OndergraafError as exc:  # a read cancelled by the engine's timeout
                failed.append(f"{(time.perf_counter() - t):.0f} s: {str(exc)[:120]}")
                continue
            times.append((time.perf_counter() - t) * 1000)
            if time.perf_counter() - started > budget_s:
                stopped_early = True
                break
        if stopped_early:
            break
    out: dict[str, Any] = dict(percentiles(times))
    out["calls_per_pass"] = len(calls)
    if failed:
        out["failed"] = failed
    if stopped_early:
        out["stopped_early"] = True
    return out


def measure(store: Store, samples: Samples, repeat: int = 3, budget_s: float = 120.0,
            kinds: Sequence[str] = KINDS, seed: int = 1) -> dict[str, Any]:
    """Latency percentiles (ms) per query kind, under the full access scope."""
    rnd = random.Random(seed)
    out: dict[str, Any] = {}
    mixed = [u for trio in zip(samples.uids["Person"], samples.uids["Organisation"],
                               samples.uids["Address"], strict=False) for u in trio]
    ends = samples.of(("Person", "Organisation"))
    pairs = [(rnd.choice(ends), rnd.choice(ends)) for _ in range(20)]
    pairs = [(a, b) for a, b in pairs if a != b]
    risky = sorted({label for i in list_indicators(store.registry) for label in i.fires_on})
    risk_uids = [u for trio in zip(*(samples.uids[label][:10] for label in risky),
                                   strict=False) for u in trio][:30]
    dossiers = [u.split(":", 1)[1] for u in samples.uids.get("BibobDossier", [])[:15]]
    codes = [i.code for i in list_indicators(store.registry)]

    def nb(uid: str) -> Callable[[], object]:
        return lambda: queries.neighbourhood(store, uid, depth=2)

    def pth(a: str, b: str) -> Callable[[], object]:
        return lambda: queries.paths(store, a, b, max_hops=6)

    def rsk(uid: str) -> Callable[[], object]:
        return lambda: risk.risk(store, uid, TODAY)

    def ind(code: str) -> Callable[[], object]:
        return lambda: risk.hits(store, code, TODAY, limit=DEFAULT_HITS_PAGE + 1)

    def scr(dossier: str) -> Callable[[], object]:
        return lambda: screening.screen(store, dossier, TODAY)

    def srch(text: str) -> Callable[[], object]:
        return lambda: queries.search(store, text)

    plans: dict[str, list[Callable[[], object]]] = {
        "search": [srch(t) for t in samples.searches],
        "neighbourhood": [nb(u) for u in mixed[:45]],
        "paths": [pth(a, b) for a, b in pairs],
        "risk": [rsk(u) for u in risk_uids],
        "indicator": [ind(c) for c in codes],
        "screening": [scr(d) for d in dossiers],
    }
    with access.scope(access.FULL):
        for kind in kinds:
            out[kind] = _run_kind(plans[kind], repeat, budget_s)
        if "indicator" in kinds:
            out["indicator_each"] = {}
            started = time.perf_counter()
            for code in codes:  # one more timed call per indicator: which one is slow
                if time.perf_counter() - started > budget_s:
                    out["indicator_each"][code] = {"ms": None, "hits": "not run (budget)"}
                    continue
                t = time.perf_counter()
                try:
                    n: int | str = len(risk.hits(store, code, TODAY, limit=DEFAULT_HITS_PAGE + 1))
                except OndergraafError as exc:
                    n = f"failed: {str(exc)[:120]}"
                ms = round((time.perf_counter() - t) * 1000, 1)
                t = time.perf_counter()
                with contextlib.suppress(OndergraafError):  # as the indicator page asks
                    risk.hits(store, code, TODAY, limit=DEFAULT_HITS_PAGE + 1,
                              max_paths=LIST_PATHS)
                out["indicator_each"][code] = {
                    "ms": ms, "hits": n,
                    "ms_list_paths": round((time.perf_counter() - t) * 1000, 1)}
    return out
