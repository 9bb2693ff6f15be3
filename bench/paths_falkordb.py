"""How to find undirected shortest paths on FalkorDB: the measurement behind queries.paths.

Builds a random graph of a few thousand nodes (persons, organisations, addresses, three
supernode addresses with 300/150/100 registered organisations) in a throw-away embedded
FalkorDB and times, per random pair of persons, up to 6 hops:

- ``bfs all`` / ``bfs one``: :func:`graph_service.queries.breadth_first_paths` (what
  ``queries.paths`` runs on FalkorDB), all shortest paths / one;
- ``SPpaths all`` / ``SPpaths one``: ``algo.SPpaths`` with ``relDirection: 'both'``
  (cannot filter on ``valid_from``/``valid_to``, so it cannot answer ``as_of``);
- ``var-length``: ``MATCH p = (a)-[*k]-(b)`` for k = 1, 2, ... until a depth has paths.

Run: ``python bench/paths_falkordb.py [--pairs 20]``. Not a test; numbers go in
docs/queries.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from importlib import resources

from graph_service.config import load_settings
from graph_service.queries import breadth_first_paths
from graph_service.store import Store, access
from graph_service.store.falkordb_store import EmbeddedFalkorStore
from graph_service.store.registry import _walk, build_registry
from loaders.base import LoadReport, Node, Prov, Rel, write

TYPES = ["EMPLOYED_BY", "FUNCTIONARY_OF", "REGISTERED_AT"]
VALID = ("type(r) IN $types AND ($as_of IS NULL OR ((r.valid_from IS NULL OR "
         "r.valid_from <= $as_of) AND (r.valid_to IS NULL OR r.valid_to >= $as_of)))")


def _statement(name: str, params: str, body: str) -> dict[str, str]:
    return {f"read/bench_{name}.cypher":
            f"// description: bench (raw algorithm, no access filter)\n// mode: read\n"
            f"// access: internal\n// params: {params}\n{body}"}


def extra_statements() -> dict[str, str]:
    files = _statement(
        "sppaths", "a: str, b: str, types: list, max: int, count: int",
        "MATCH (a:Entity {uid: $a}), (b:Entity {uid: $b}) CALL algo.SPpaths({sourceNode: a, "
        "targetNode: b, relTypes: $types, relDirection: 'both', maxLen: $max, "
        "pathCount: $count}) YIELD path RETURN path",
    )
    for k in range(1, 7):
        files |= _statement(
            f"varlength{k}", "a: str, b: str, types: list, as_of: str",
            f"MATCH p = (a:Entity {{uid: $a}})-[*{k}]-(b:Entity {{uid: $b}}) "
            f"WHERE all(r IN relationships(p) WHERE {VALID}) RETURN p LIMIT 1000",
        )
    return files


def build(store: Store, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    people = [f"person:{i:05d}" for i in range(1500)]
    orgs = [f"kvk:{i:08d}" for i in range(1500)]
    addrs = [f"addr:{1000 + i}AB1" for i in range(1200)]
    recs: list[Node | Rel] = [Node("Person", u, {"name": u}) for u in people]
    recs += [Node("Organisation", u, {"name": u}) for u in orgs]
    recs += [Node("Address", u, {"name": u}) for u in addrs]
    for i, o in enumerate(orgs):
        a = addrs[0] if i < 300 else addrs[1] if i < 450 else addrs[2] if i < 550 else (
            rnd.choice(addrs))
        recs.append(Rel("REGISTERED_AT", o, a, {"valid_to": "2020-12-31"}
                        if rnd.random() < 0.1 else {}))
    for _ in range(2500):
        role = rnd.choice(["bestuurder", "aandeelhouder"])
        recs.append(Rel("FUNCTIONARY_OF", rnd.choice(people), rnd.choice(orgs),
                        {"role": role}, key=role))
    for p in people:
        if rnd.random() < 0.5:
            recs.append(Rel("EMPLOYED_BY", p, rnd.choice(orgs)))
    prov = Prov("kvk", "bench", "A1", "open", "2024-01-01")
    for i in range(0, len(recs), 2000):
        write(store, [(prov, recs[i:i + 2000])], LoadReport("kvk"))
    return people


def timed(fn: Callable[[str, str], object], pairs: list[tuple[str, str]]) -> str:
    times = []
    for a, b in pairs:
        t = time.perf_counter()
        fn(a, b)
        times.append((time.perf_counter() - t) * 1000)
    return f"median {statistics.median(times):6.1f} ms, max {max(times):7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=20)
    args = parser.parse_args()
    root = resources.files("cypher")
    files = {p: e.read_text(encoding="utf-8") for p, e in _walk(root)} | extra_statements()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(env={"ONDERGRAAF_DATA_DIR": tmp}, falkordb_fsync="everysec")
        with (EmbeddedFalkorStore(settings, build_registry(files)) as store,
              access.scope(access.FULL)):
            store.setup_schema()
            people = build(store)
            rnd = random.Random(1)
            pairs = [(rnd.choice(people), rnd.choice(people)) for _ in range(args.pairs)]

            def varlength(a: str, b: str) -> object:
                for k in range(1, 7):
                    rows = store.read(f"read/bench_varlength{k}",
                                      {"a": a, "b": b, "types": TYPES, "as_of": None})
                    if rows:
                        return rows
                return []

            runs: dict[str, Callable[[str, str], object]] = {
                "bfs all": lambda a, b: breadth_first_paths(store, a, b, all_shortest=True,
                                                             types=TYPES),
                "bfs one": lambda a, b: breadth_first_paths(store, a, b, types=TYPES),
                "SPpaths all": lambda a, b: store.read(
                    "read/bench_sppaths", {"a": a, "b": b, "types": TYPES, "max": 6, "count": 0}),
                "SPpaths one": lambda a, b: store.read(
                    "read/bench_sppaths", {"a": a, "b": b, "types": TYPES, "max": 6, "count": 1}),
                "var-length": varlength,
            }
            for name, fn in runs.items():
                print(f"{name:12} {timed(fn, pairs)}")


if __name__ == "__main__":
    main()
