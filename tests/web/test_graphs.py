"""graph_service.render.graphs: subgraph -> networkx -> pyvis -> vis JSON (no store needed)."""

from __future__ import annotations

import json
from typing import Any

from graph_service.render import graphs

PROV = {"sources": ["kvk"], "source_records": ["kvk:90000001"], "first_seen": "2026-01-01",
        "last_seen": "2026-02-01", "grades": ["A1"], "purposes": ["open"]}


def node(label: str, uid: str, name: str | None = None, **props: Any) -> dict[str, Any]:
    return {"_labels": ["Entity", label], "uid": uid, "name": name or uid, **PROV, **props}


def rel(rtype: str, start: str, end: str, **props: Any) -> dict[str, Any]:
    return {"_type": rtype, "_start": start, "_end": end, **PROV, **props}


def park_graph(units: int) -> Any:
    nodes = [node("HolidayPark", "park:P", "Park"), node("Organisation", "kvk:1", "Exploitant")]
    nodes += [node("ParkUnit", f"unit:P/{i}", f"eenheid {i:02d}") for i in range(units)]
    rels = [rel("OPERATES", "kvk:1", "park:P")]
    rels += [rel("UNIT_OF", f"unit:P/{i}", "park:P") for i in range(units)]
    return graphs.build_graph(nodes, rels)


def test_build_graph_keeps_parallel_relationships_and_drops_dangling() -> None:
    g = graphs.build_graph(
        [node("Person", "person:a"), node("Organisation", "kvk:1")],
        [rel("FUNCTIONARY_OF", "person:a", "kvk:1", role="bestuurder"),
         rel("FUNCTIONARY_OF", "person:a", "kvk:1", role="aandeelhouder"),
         rel("FUNCTIONARY_OF", "person:a", "kvk:1", role="bestuurder"),  # same fact again
         rel("OWNS", "person:a", "object:missing")],
    )
    assert g.number_of_edges() == 2
    assert {d["props"]["role"] for _, _, d in g.edges(data=True)} == {"bestuurder",
                                                                       "aandeelhouder"}
    assert g.nodes["person:a"]["label"] == "Person"


def test_cap_neighbourhood_folds_overflow_and_prefers_hits() -> None:
    g = park_graph(20)
    graphs.mark_hits(g, {"unit:P/19": ["PARK_OVERCROWDING"], "unknown": ["X"]})
    capped = graphs.cap_neighbourhood(g, "park:P", per_group=5)
    units = {u for u in capped if u.startswith("unit:")}
    assert "unit:P/19" in units  # hits first, then by name
    assert units == {"unit:P/19", "unit:P/0", "unit:P/1", "unit:P/2", "unit:P/3"}
    overflow = "overflow:park:P|UNIT_OF|ParkUnit"
    assert capped.nodes[overflow]["count"] == 15
    assert capped.nodes[overflow]["props"]["name"] == "15 meer parkeenheden"
    assert "kvk:1" in capped  # another group is not affected


def test_to_pyvis_styles_tooltips_and_links() -> None:
    g = park_graph(2)
    graphs.mark_hits(g, {"park:P": ["MULTI_PARTNER_SIGNALS"]})
    graphs.add_overflow(g, "park:P", "Person", "CONCERNS", 7)
    data = graphs.network_data(graphs.to_pyvis(g, focus="park:P",
                                               url_for=lambda uid: f"/entiteit/{uid}"))
    nodes = {n["id"]: n for n in data["nodes"]}
    park = nodes["park:P"]
    assert park["shape"] == "star" and park["color"]["border"] == graphs.HIT_BORDER
    assert park["size"] > nodes["unit:P/0"]["size"]
    assert park["url"] == "/entiteit/park:P"
    assert "bronnen: KvK" in park["title"] and "betrouwbaarheid: A1" in park["title"]
    assert "records: kvk:90000001" in park["title"]
    assert "indicatoren: Signalen van meerdere partners" in park["title"]  # the title
    assert "MULTI_PARTNER_SIGNALS" not in park["title"]  # not the code
    assert nodes["unit:P/0"]["shape"] == "hexagon"
    assert nodes["unit:P/0"]["color"]["border"] != graphs.HIT_BORDER
    more = nodes["overflow:park:P|CONCERNS|Person"]
    assert more["label"] == "7 meer personen" and more["url"] == "/entiteit/park:P"
    labels = {(e["from"], e["to"]): e.get("label") for e in data["edges"]}
    assert labels[("kvk:1", "park:P")] == "exploiteert"
    assert labels[("unit:P/0", "park:P")] == "eenheid van"
    json.dumps(data)  # plain JSON all the way down
    assert data["options"]["interaction"]["keyboard"]["enabled"] is True


def test_every_label_has_a_style_and_legend_row() -> None:
    from graph_service.model import LABELS, REL_TYPES

    assert set(graphs.STYLES) == set(LABELS)
    assert set(graphs.REL_NAMES) == set(REL_TYPES)
    assert {row["label"] for row in graphs.legend()} == {*LABELS, "Overflow"}


def test_render_from_paths() -> None:
    path = {"nodes": [node("Person", "person:a"), node("Organisation", "kvk:1"),
                      node("Address", "addr:7991AB1")],
            "relationships": [rel("FUNCTIONARY_OF", "person:a", "kvk:1", role="bestuurder"),
                              rel("REGISTERED_AT", "kvk:1", "addr:7991AB1")]}
    data = graphs.render(graphs.graph_from_paths([path, path]), hits={"kvk:1": ["X"]})
    assert {n["id"] for n in data["nodes"]} == {"person:a", "kvk:1", "addr:7991AB1"}
    assert len(data["edges"]) == 2 and data["focus"] is None
    assert [n["hits"] for n in data["nodes"] if n["id"] == "kvk:1"] == [["X"]]
