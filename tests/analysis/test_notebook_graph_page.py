"""The notebooks' graph pages (``analysis.write_html``) in a real headless Chromium.

A graph of 148 nodes (the size of notebook 04's network) coloured per community: zoomed
out to fit, only the labels that are readable on screen are drawn (the most connected
first), every other node shows its label on hover, and the legend names every community
colour the nodes carry.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import networkx as nx
import pytest

from graph_service import analysis
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

NODES = 148
READABLE = 11  # px on screen, as in the page's script


def _graph() -> nx.MultiDiGraph:
    """Eight groups of organisations around a director each, the directors in a ring."""
    g = nx.MultiDiGraph()
    prov = {"sources": ["kvk"], "grades": ["B2"], "first_seen": "2024-01-01",
            "last_seen": "2024-06-01", "source_records": ["kvk:1"]}
    for i in range(NODES):
        label = "Person" if i % 18 == 0 else "Organisation"
        g.add_node(f"n{i}", label=label, hits=[],
                   props={"uid": f"n{i}", "name": f"Knoop {i:03d} Handel", **prov})
    for i in range(NODES):
        hub = i - i % 18
        if i != hub:
            g.add_edge(f"n{hub}", f"n{i}", type="FUNCTIONARY_OF",
                       props={"role": "bestuurder", **prov})
    hubs = [f"n{i}" for i in range(0, NODES, 18)]
    for a, b in zip(hubs, hubs[1:] + hubs[:1], strict=True):
        g.add_edge(a, b, type="FUNCTIONARY_OF", props={"role": "bestuurder", **prov})
    return g


def test_labels_fit_the_screen_and_the_legend_names_every_community() -> None:
    from playwright.sync_api import sync_playwright

    g = _graph()
    groups = analysis.communities(g)
    index = analysis.community_index(groups)
    out = Path(tempfile.mkdtemp(prefix="ondergraaf-nb-"))
    path = analysis.write_html(g, out / "netwerk.html", title="Netwerk", community=index)
    profile = tempfile.mkdtemp(prefix="ondergraaf-chromium-")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900}, locale="nl-NL")
        try:
            page = ctx.new_page()
            page.set_default_timeout(30_000)
            page.goto(path.as_uri())
            page.wait_for_function("window.ondergraafNetwork !== undefined")
            page.evaluate("new Promise(function (done) {"
                          " window.ondergraafNetwork.once('stabilized', done);"
                          " window.ondergraafNetwork.stabilize(200); })")
            page.evaluate("window.ondergraafNetwork.fit({animation: false})")
            page.wait_for_timeout(300)
            state = page.evaluate("""() => {
              var net = window.ondergraafNetwork, scale = net.getScale();
              var all = net.body.data.nodes.get();
              return {scale: scale, n: all.length,
                      shown: all.filter(n => n.shownLabel).map(n => ({id: n.id,
                        px: n.font.size * scale, label: n.label, edges:
                        net.getConnectedEdges(n.id).length})),
                      hidden: all.filter(n => !n.shownLabel).map(n => ({id: n.id,
                        label: n.label, title: n.title,
                        edges: net.getConnectedEdges(n.id).length}))};
            }""")
            assert state["n"] == NODES
            assert 0 < len(state["shown"]) < NODES  # zoomed out: some labels, not all
            assert all(s["px"] >= READABLE * 0.95 for s in state["shown"])  # zoom settles
            assert all(s["label"].startswith("Knoop") for s in state["shown"])
            assert all(h["label"] == " " and "Knoop" in h["title"] for h in state["hidden"])
            # the most connected keep their labels: every director is labelled
            assert min(s["edges"] for s in state["shown"]) >= max(
                h["edges"] for h in state["hidden"])
            # hover a node without a label (one the pointer finds alone): its label shows
            target, x, y = page.evaluate("""(ids) => {
              var net = window.ondergraafNetwork;
              net.setOptions({physics: false});  // the nodes stay where they are
              var box = document.getElementById("graph").getBoundingClientRect();
              for (var id of ids) {
                var p = net.canvasToDOM(net.getPositions([id])[id]);
                if (net.getNodeAt(p) === id) { return [id, p.x + box.left, p.y + box.top]; }
              }
              return [null, 0, 0]; }""", [h["id"] for h in state["hidden"]])
            assert target is not None
            page.mouse.move(x - 30, y - 30)
            page.mouse.move(x, y, steps=5)
            page.wait_for_function(f"""() => window.ondergraafNetwork.body.data.nodes
                                    .get("{target}").shownLabel === true""")
            # the legend: one entry per community, in the colour its nodes are filled with
            legend = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.legend span')).map(s => [s.nextSibling.textContent.trim(),
                                            s.style.background])""")
            names = {name for name, _ in legend}
            assert {f"gemeenschap {n}" for n in set(index.values())} <= names
            fills = page.evaluate("""() => window.ondergraafNetwork.body.data.nodes.get()
                                   .map(n => [n.community, n.color.background])""")
            colour_of = {f"gemeenschap {c}": colour for c, colour in fills}
            rgb = page.evaluate("""(cs) => cs.map(c => { var e = document.createElement('i');
                e.style.background = c; return e.style.background; })""",
                                list(colour_of.values()))
            expected = dict(zip(colour_of, rgb, strict=True))
            assert {name: bg for name, bg in legend if name in expected} == expected
            page.close()
        finally:
            ctx.close()
