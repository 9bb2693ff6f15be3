/* Draws the graph of a page with vis-network (served by the app itself).
 * The page holds the data in <script type="application/json" id="graph-data">
 * ({nodes, edges, options, legend}) and an element #graph to draw in.
 * Clicking (or pressing Enter on a selected) node opens its page.
 * No inline scripts: a Content-Security-Policy may forbid them. */
(function () {
  "use strict";

  function styleLegend() {
    var items = document.querySelectorAll("#graph-legend li");
    for (var i = 0; i < items.length; i++) {
      var li = items[i];
      var swatch = li.querySelector(".swatch");
      if (!swatch) { continue; }
      swatch.style.backgroundColor = li.getAttribute("data-background");
      swatch.style.borderColor = li.getAttribute("data-border");
      if (li.getAttribute("data-hit")) { swatch.style.borderWidth = "3px"; }
      swatch.className = "swatch swatch-" + li.getAttribute("data-shape");
    }
  }

  function draw() {
    var holder = document.getElementById("graph");
    var source = document.getElementById("graph-data");
    if (!holder || !source || typeof vis === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var network = new vis.Network(holder, { nodes: nodes, edges: edges }, data.options);
    var selected = null;

    function open(id) {
      var node = nodes.get(id);
      if (node && node.url) { window.location.assign(node.url); }
    }

    network.on("click", function (params) {
      if (params.nodes && params.nodes.length === 1) { open(params.nodes[0]); }
    });
    network.on("selectNode", function (params) { selected = params.nodes[0]; });
    network.on("deselectNode", function () { selected = null; });
    holder.setAttribute("tabindex", "0");
    holder.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && selected !== null) { open(selected); }
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      holder.setAttribute("data-ready", "1");
    });
    if (data.focus) { network.selectNodes([data.focus]); selected = data.focus; }
    window.ondergraafNetwork = network;
    window.ondergraafGraph = { nodes: nodes, edges: edges };
  }

  function start() { styleLegend(); draw(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
