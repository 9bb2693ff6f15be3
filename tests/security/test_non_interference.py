"""Non-interference: what a scope reads does not depend on data it may not see.

Two graphs are built from the same generated files (``loaders.synthetic``, small size):
one with every source, one without a source the scope may not see (without RIEC, without
Bibob). Every read of the web API and the graph data under such a scope must give
byte-identical answers from both: entity profiles, neighbourhoods, paths, search,
indicator hits, risk, Bibob screening, hotspots and the graph data (JSON). Both engines;
every role and purpose that cannot see the left-out source.

The graphs are built one after the other on the engine's store (the Neo4j test server
holds one graph); the answers of the full graph are kept per scope, the graph is rebuilt
without the source, and the answers are compared request by request.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from graph_service import queries
from graph_service.risk import stored
from graph_service.store import Store, access
from graph_service.store.access import Scope
from loaders import spec_for
from loaders.base import sync
from loaders.synthetic import generate
from tests.support.dump import snapshot
from tests.support.web_fixtures import Dataset, make_app, use_token

TODAY = dt.date(2026, 11, 27)
SIZE, SEED = 300, 5
ORDER = ("kvk", "vakantieparken", "schuren", "bibob", "riec")
PER_KIND = 6  # sampled entities per kind of interest


@dataclass(frozen=True)
class Case:
    """A user working for a purpose that cannot see ``left_out``."""

    left_out: str
    user: str
    purpose: str
    visible: frozenset[str]

    @property
    def id(self) -> str:
        return f"without-{self.left_out}-{self.user}-{self.purpose}"


_OPEN_MUNICIPAL = frozenset({"open", "municipal"})
CASES = (
    Case("riec", "bibob", "bibob_toets", _OPEN_MUNICIPAL | {"bibob"}),
    Case("riec", "analist", "analyse", _OPEN_MUNICIPAL),
    Case("bibob", "riec", "riec_casus", _OPEN_MUNICIPAL | {"riec"}),
    Case("bibob", "analist", "riec_casus", _OPEN_MUNICIPAL | {"riec"}),
    Case("bibob", "analist", "analyse", _OPEN_MUNICIPAL),
)


def _build(store: Store, files: Path, sources: tuple[str, ...]) -> None:
    store.write("write/delete_all")
    for source in sources:
        sync(store, spec_for(source), [files / f"{source}.csv"], today=TODAY)
    stored.refresh(store, as_of=TODAY)


def _sample(store: Store, left_out: str, visible: frozenset[str]) -> dict[str, list[Any]]:
    """Uids and names to ask about, chosen in the full graph: entities the left-out source
    and a visible one both describe (where a leak would show), entities of visible sources
    only, and a few the scope cannot see at all."""
    with access.scope(access.FULL):
        rows = store.read("read/all_nodes")
    mixed: dict[str, list[str]] = {}
    plain: dict[str, list[str]] = {}
    hidden: list[str] = []
    names: list[str] = []
    dossiers: list[str] = []
    for row in sorted(rows, key=lambda r: r["uid"]):
        node = row["node"]
        sources = set(node.get("sources") or [])
        label = node["_labels"][-1] if node["_labels"] else ""
        purposes = set(node.get("purposes") or [])
        if not purposes & visible:
            if len(hidden) < PER_KIND:
                hidden.append(row["uid"])
            continue
        if label == "BibobDossier" and len(dossiers) < 2:
            dossiers.append(str(node.get("dossier_id")))
        target = mixed if left_out in sources else plain
        group = target.setdefault(label, [])
        if len(group) < PER_KIND:
            group.append(row["uid"])
            if target is mixed and isinstance(node.get("name"), str) and len(names) < 8:
                names.append(node["name"])
    return {
        "mixed": [u for group in mixed.values() for u in group],
        "plain": [u for group in plain.values() for u in group],
        "hidden": hidden,
        "names": names,
        "dossiers": dossiers,
    }


def _requests(sample: dict[str, list[Any]], case: Case,
              codes: list[str]) -> list[str]:
    day = f"as_of={TODAY.isoformat()}"
    out: list[str] = []
    entities = sample["mixed"] + sample["plain"] + sample["hidden"]
    for uid in entities:
        out += [
            f"/api/entities/{uid}",
            f"/api/entities/{uid}/neighbourhood?{day}",
            f"/api/entities/{uid}/neighbourhood?depth=2&limit=40&per_node=5&{day}",
            f"/api/entities/{uid}/neighbourhood?depth=2&hubs=door&{day}",
            f"/api/entities/{uid}/risk?{day}",
            f"/vis/entities/{uid}",
        ]
    ends = sample["mixed"][:6]
    for a, b in zip(ends, ends[1:], strict=False):
        out.append(f"/api/paths?from={a}&to={b}&max_hops=4&all=true&{day}")
        out.append(f"/api/paths?from={a}&to={b}&max_hops=5&hubs=door&{day}")
        out.append(f"/vis/paths?from={a}&to={b}&max_hops=4")
    for name in sample["names"]:
        out.append(f"/api/search?q={name.split()[0]}&limit=50")
    for kind in ("address", "park", "object"):
        out.append(f"/api/hotspots?kind={kind}&limit=50&{day}")
    for code in codes:
        out.append(f"/api/indicators/{code}/hits?limit=200&{day}")
    if "bibob" in case.visible:
        for dossier in sample["dossiers"]:
            out.append(f"/api/bibob/{dossier}/screening?{day}")
            out.append(f"/vis/bibob/{dossier}")
    return out


def _reference(case: Case, sample: dict[str, list[Any]]) -> str | None:
    if case.purpose == "bibob_toets":
        return sample["dossiers"][0] if sample["dossiers"] else "WV-2026-00001"
    if case.purpose == "riec_casus":
        return "CAS-2026-001"
    return None


#: The id of a stored-hits run is the moment it ran: a fact about the refresh, not the data.
_RUN_ID = re.compile(r'"run": "hits:[^"]*"')


def _answers(client: FlaskClient, urls: list[str]) -> dict[str, tuple[int, str]]:
    out = {}
    for url in urls:
        response = client.get(url)
        body = response.get_data(as_text=True)
        if response.is_json:  # key order is the app's; compare the document
            body = json.dumps(response.get_json(), sort_keys=True, ensure_ascii=False)
        out[url] = (response.status_code, _RUN_ID.sub('"run": "hits:<run>"', body))
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("non-interference")
    generate(out, SIZE, SEED, today=TODAY)
    return out


@pytest.fixture
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(access, "today", lambda: TODAY)
    yield


def _diff(one: str, other: str) -> str:
    """Where two answers part (a short excerpt around the first difference)."""
    at = next((i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b),
              min(len(one), len(other)))
    lo, hi = max(0, at - 120), at + 120
    return f"...{one[lo:hi]}...\n   vs\n...{other[lo:hi]}..."


@pytest.mark.parametrize("left_out", ["riec", "bibob"])
def test_reads_do_not_depend_on_a_source_the_scope_cannot_see(
    session_store: Store, files: Path, left_out: str, pinned_today: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    store = session_store
    cases = [c for c in CASES if c.left_out == left_out]
    data = Dataset(store, {}, tmp_path_factory.mktemp("app"), [])
    app = make_app(data)
    _build(store, files, ORDER)
    codes = sorted(i["code"] for i in _indicator_codes(app, data))  # the token's dossier exists now
    plans: dict[str, tuple[list[str], dict[str, tuple[int, str]]]] = {}
    for case in cases:
        sample = _sample(store, left_out, case.visible)
        assert sample["mixed"], f"no entity both {left_out} and a visible source describe"
        urls = _requests(sample, case, codes)
        with app.test_client() as client:
            use_token(client, data, case.user, case.purpose, _reference(case, sample))
            plans[case.id] = (urls, _answers(client, urls))
        # the comparison means something only when each kind of read answers
        kinds = {_kind(url) for url in urls}
        answered = {_kind(url) for url, (status, _) in plans[case.id][1].items()
                    if status == 200}
        assert answered == kinds, f"{case.id}: no answer for {sorted(kinds - answered)}"

    _build(store, files, tuple(s for s in ORDER if s != left_out))
    differing: list[str] = []
    for case in cases:
        urls, full = plans[case.id]
        sample_ref = _reference_of(urls, case)
        with app.test_client() as client:
            use_token(client, data, case.user, case.purpose, sample_ref)
            without = _answers(client, urls)
        for url in urls:
            if full[url] != without[url]:
                differing.append(f"{case.id} {url}: {full[url][0]} vs {without[url][0]}\n"
                                 f"{_diff(full[url][1], without[url][1])}")
    kinds: dict[str, list[str]] = {}
    for text in differing:
        kinds.setdefault(_kind(text.split(" ", 2)[1]), []).append(text)
    summary = ", ".join(f"{k}: {len(v)}" for k, v in sorted(kinds.items()))
    first = [v[0] for v in kinds.values()]
    assert not differing, (f"{len(differing)} of {sum(len(p[0]) for p in plans.values())} "
                           f"reads differ ({summary}):\n" + "\n\n".join(first))


def _kind(url: str) -> str:
    """A read without its entity, dossier and indicator: ``/api/entities/*/risk?hubs=door``."""
    path, _, query = url.partition("?")
    path = re.sub(r"/(entities|bibob|indicators)/[^?]+?(?=/[a-z]+$|$)", r"/\1/*", path)
    extra = "&".join(p for p in query.split("&") if p.startswith(("hubs=", "depth=")))
    return path + (f"?{extra}" if extra else "")


def _reference_of(urls: list[str], case: Case) -> str | None:
    if case.purpose == "bibob_toets":
        for url in urls:
            if url.startswith("/api/bibob/"):
                return url.split("/")[3]
        return "WV-2026-00001"
    return "CAS-2026-001" if case.purpose == "riec_casus" else None


def _indicator_codes(app: Any, data: Dataset) -> list[dict[str, Any]]:
    with app.test_client() as client:
        use_token(client, data)
        response = client.get("/api/indicators")
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        found: list[dict[str, Any]] = response.get_json()["indicators"]
        return found


def test_a_hidden_source_leaves_no_trace_in_provenance_or_properties(
    store: Store, pinned_today: None,
) -> None:
    """The observed leaks, on a hand-made graph: grades, first/last seen and a property
    only a hidden source supplied; a property both supplied shows the visible value."""
    from loaders.records import Node, Prov
    from loaders.writer import LoadReport, write

    org = "kvk:01234567"
    kvk = Prov("kvk", "01234567", "A1", "open", "2024-05-01")
    bibob = Prov("bibob", "D1/P1", "B2", "bibob", "2023-01-10")
    riec = Prov("riec", "S1", "X6", "riec", "2026-02-02")
    write(store, [(kvk, [Node("Organisation", org, {"name": "Alpha BV",
                                                     "kvk_nummer": "01234567"})])],
          LoadReport("kvk"))
    write(store, [(bibob, [Node("Organisation", org, {"name": "Alpha B.V.", "land": "NL"})])],
          LoadReport("bibob"))
    write(store, [(riec, [Node("Organisation", org, {"name": "ALPHA"})])], LoadReport("riec"))
    before = snapshot(store)  # loading a source again changes nothing, order included
    write(store, [(kvk, [Node("Organisation", org, {"name": "Alpha BV",
                                                     "kvk_nummer": "01234567"})])],
          LoadReport("kvk"))
    assert snapshot(store) == before

    def read(visible: set[str]) -> dict[str, Any]:
        with access.scope(Scope(visible=frozenset(visible))):
            found = queries.entity(store, org)
        assert found is not None
        return found

    riec_view = read({"open", "municipal", "riec"})
    assert riec_view["provenance"]["grades"] == ["A1", "X6"]
    assert riec_view["provenance"]["first_seen"] == "2024-05-01"
    assert riec_view["provenance"]["last_seen"] == "2026-02-02"
    assert "land" not in riec_view["properties"] and riec_view["name"] == "ALPHA"
    bibob_view = read({"open", "municipal", "bibob"})
    assert bibob_view["provenance"]["grades"] == ["A1", "B2"]
    assert bibob_view["provenance"]["first_seen"] == "2023-01-10"
    assert bibob_view["provenance"]["last_seen"] == "2024-05-01"
    assert bibob_view["properties"]["land"] == "NL" and bibob_view["name"] == "Alpha BV"
    shown = {**riec_view["properties"], **bibob_view["properties"]}
    assert not any(k.startswith("prov_") for k in shown)
