/* Draws the graph of a page with vis-network (served by the app itself).
 * The page holds the data in <script type="application/json" id="graph-data">
 * ({nodes, edges, options, legend, focus}) and an element #graph to draw in; #graph carries
 * data-entity-url and data-neighbourhood-url (with __UID__ for the uid).
 *
 * - a click selects a node (its relationships show their labels); a double click, or Enter
 *   on the selected node, opens its profile;
 * - a double click on an "n meer" node fetches the hidden neighbours from the JSON API and
 *   adds them here, BATCH at a time (the node counts down, and goes when all are shown);
 * - labels: only what fits; the rest on hover (node names and relationship labels);
 * - filters: by kind, by date (relationships valid on a date), hide hubs (when marked);
 * - the legend gets its colours; the print image (#graph-print) is drawn from the canvas.
 * No inline scripts: a Content-Security-Policy may forbid them. */
(function () {
  "use strict";

  var BATCH = 25;            // neighbours added per double click on "n meer"
  var MANY_EDGES = 30;       // more relationships than this: their labels on hover only
  var READABLE = 11;         // px: a label smaller than this on screen is not drawn
  var BASE_FONT = 14;

  function styleLegend() {
    var items = document.querySelectorAll(".legend li[data-background]");
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

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function draw() {
    var holder = document.getElementById("graph");
    var source = document.getElementById("graph-data");
    if (!holder || !source || typeof vis === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var styles = {};
    (data.legend || []).forEach(function (row) { styles[row.label] = row; });
    data.nodes.forEach(function (n) { n.fullLabel = n.label; });
    data.edges.forEach(function (e, i) {
      e.fullLabel = e.label;
      if (e.id === undefined) { e.id = "e" + i; }
    });
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var options = data.options || {};
    options.edges = options.edges || {};
    options.edges.font = Object.assign({}, options.edges.font || {}, { align: "top" });
    options.interaction = Object.assign({}, options.interaction || {},
                                        { hover: true, selectConnectedEdges: true });
    var network = new vis.Network(holder, { nodes: nodes, edges: edges }, options);
    var selected = null;
    var hovered = null;
    var filters = { kinds: {}, date: null, hubs: false };
    var entityUrl = holder.getAttribute("data-entity-url") || "";
    var neighbourhoodUrl = holder.getAttribute("data-neighbourhood-url") || "";

    function open(id) {
      var node = nodes.get(id);
      if (!node) { return; }
      if (node.kind === "Overflow") { expand(node); return; }
      if (node.url) { window.location.assign(node.url); }
    }

    // -- labels: what fits, the rest on hover ------------------------------------------
    function importance(n) {
      return (n.id === data.focus ? 1000 : 0) + ((n.hits || []).length ? 100 : 0) +
        (n.kind === "Overflow" ? 50 : 0) + network.getConnectedEdges(n.id).length;
    }

    function relabel() {
      var scale = network.getScale();
      var shown = nodes.get({ filter: function (n) { return !n.hidden; } });
      var onScreen = BASE_FONT * scale;
      var budget = shown.length;
      var size = BASE_FONT;
      if (onScreen < READABLE) {
        size = READABLE / scale;  // readable on screen, so fewer labels fit
        budget = Math.max(8, Math.floor(shown.length * Math.pow(onScreen / READABLE, 2)));
      }
      var ranked = shown.slice().sort(function (a, b) { return importance(b) - importance(a); });
      var keep = {};
      ranked.slice(0, budget).forEach(function (n) { keep[n.id] = true; });
      var active = activeNodes();
      nodes.update(shown.map(function (n) {
        var visible = keep[n.id] || active[n.id];
        return { id: n.id, label: visible ? n.fullLabel : " ",
                 font: { size: n.id === data.focus ? size * 1.1 : size } };
      }));
      var edgeLabels = edges.length <= MANY_EDGES && onScreen >= READABLE;
      edges.update(edges.get().map(function (e) {
        var on = edgeLabels || active[e.from] || active[e.to] || hovered === e.id;
        return { id: e.id, label: on ? e.fullLabel : " " };
      }));
    }

    function activeNodes() {
      var active = {};
      if (selected !== null) { active[selected] = true; }
      if (hovered !== null && nodes.get(hovered)) { active[hovered] = true; }
      return active;
    }

    var pending = null;
    function later() {
      if (pending) { return; }
      pending = window.setTimeout(function () { pending = null; relabel(); }, 60);
    }

    // -- filters ---------------------------------------------------------------------------
    function edgeValid(e, date) {
      if (!date) { return true; }
      if (e.validFrom && e.validFrom > date) { return false; }
      if (e.validTo && e.validTo < date) { return false; }
      return true;
    }

    function applyFilters() {
      var hiddenNodes = {};
      nodes.update(nodes.get().map(function (n) {
        var hide = n.id !== data.focus && (filters.kinds[n.kind] === false ||
                   (filters.hubs && n.hub === true));
        if (hide) { hiddenNodes[n.id] = true; }
        return { id: n.id, hidden: hide };
      }));
      edges.update(edges.get().map(function (e) {
        return { id: e.id, hidden: !!(hiddenNodes[e.from] || hiddenNodes[e.to] ||
                                      !edgeValid(e, filters.date)) };
      }));
      later();
    }

    function buildTools() {
      var tools = document.getElementById("graph-tools");
      if (!tools) { return; }
      tools.textContent = "";
      var kinds = {};
      nodes.get().forEach(function (n) { kinds[n.kind] = true; });
      var box = el("fieldset", { "class": "graph-filter" });
      box.appendChild(el("legend", {}, "Toon"));
      Object.keys(styles).forEach(function (label) {
        if (!kinds[label]) { return; }
        var id = "toon-" + label;
        var wrap = el("span", { "class": "check" });
        var input = el("input", { type: "checkbox", id: id, "data-kind": label });
        input.checked = filters.kinds[label] !== false;
        input.addEventListener("change", function () {
          filters.kinds[label] = input.checked;
          applyFilters();
        });
        wrap.appendChild(input);
        wrap.appendChild(el("label", { "for": id }, styles[label].name));
        box.appendChild(wrap);
      });
      tools.appendChild(box);
      var dated = edges.get().some(function (e) { return e.validFrom || e.validTo; });
      if (dated) {
        var wrapDate = el("span", { "class": "field-inline" });
        wrapDate.appendChild(el("label", { "for": "graaf-datum" }, "Relaties geldig op"));
        var date = el("input", { type: "date", id: "graaf-datum" });
        date.addEventListener("change", function () {
          filters.date = date.value || null;
          applyFilters();
        });
        wrapDate.appendChild(date);
        tools.appendChild(wrapDate);
      }
      if (nodes.get().some(function (n) { return n.hub === true; })) {
        var wrapHub = el("span", { "class": "check" });
        var hub = el("input", { type: "checkbox", id: "verberg-knooppunten" });
        hub.addEventListener("change", function () { filters.hubs = hub.checked; applyFilters(); });
        wrapHub.appendChild(hub);
        wrapHub.appendChild(el("label", { "for": "verberg-knooppunten" },
                               "Verberg knooppunten (banken, overheden)"));
        tools.appendChild(wrapHub);
      }
      var fit = el("button", { type: "button", "class": "secondary" }, "Alles in beeld");
      fit.addEventListener("click", function () { network.fit(); });
      tools.appendChild(fit);
      var status = el("span", { "class": "graph-status", role: "status", "aria-live": "polite" });
      tools.appendChild(status);
    }

    function say(text) {
      var status = document.querySelector("#graph-tools .graph-status");
      if (status) { status.textContent = text; }
    }

    // -- "n meer": the hidden neighbours, fetched and added in place ---------------------------
    function plainNode(row) {
      var label = (row._labels || []).filter(function (l) { return styles[l]; })[0] || "Entity";
      var style = styles[label] || { shape: "dot", background: "#e0e0e0", border: "#555555",
                                     name: "Entiteit" };
      var name = row.name || row.uid;
      var text = name.length > 28 ? name.slice(0, 27) + "…" : name;
      // a person's birth year, as the server's identity line (none when pseudonymised)
      var born = String(row.geboortedatum || "");
      var year = /^[0-9]{4}/.test(born) ? born.slice(0, 4) : "";
      if (year) { text += "\ngeb. " + year; }
      var lines = [style.name + ": " + name + (year ? " (geb. " + year + ")" : ""),
                   "kenmerk: " + row.uid];
      if (row.geboortedatum) { lines.push("geboortedatum: " + row.geboortedatum); }
      if (row.sources) { lines.push("bronnen: " + [].concat(row.sources).join(", ")); }
      if (row.grades) { lines.push("betrouwbaarheid: " + [].concat(row.grades).join(", ")); }
      return { id: row.uid, label: text, fullLabel: text, kind: label, uid: row.uid, hits: [],
               shape: style.shape, size: 16, borderWidth: 2, title: lines.join("\n"),
               url: entityUrl.replace("__UID__", encodeURI(row.uid)),
               color: { background: style.background, border: style.border,
                        highlight: { background: style.background, border: "#1a1a1a" },
                        hover: { background: style.background, border: "#1a1a1a" } } };
    }

    function expand(more) {
      if (!neighbourhoodUrl || more.loading) { return; }
      nodes.update({ id: more.id, loading: true });
      say("Buren ophalen…");
      var url = neighbourhoodUrl.replace("__UID__", encodeURI(more.parent)) +
        "?depth=1&per_node=1000&limit=1000&types=" + encodeURIComponent(more.relType);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) { throw new Error("status " + r.status); }
          return r.json();
        })
        .then(function (body) {
          var fresh = (body.nodes || []).filter(function (n) {
            return n.uid !== more.parent && !nodes.get(n.uid) &&
              (n._labels || []).indexOf(more.memberLabel) >= 0;
          });
          var add = fresh.slice(0, BATCH);
          var ids = {};
          add.forEach(function (n) { ids[n.uid] = true; });
          nodes.add(add.map(plainNode));
          var rels = (body.relationships || []).filter(function (r) {
            return r._type === more.relType &&
              ((r._start === more.parent && ids[r._end]) || (r._end === more.parent && ids[r._start]));
          });
          edges.add(rels.map(function (r, i) {
            var text = r.role ? String(r.role).replace(/_/g, " ") : (more.relName || "");
            return { id: "x-" + more.id + "-" + edges.length + "-" + i, from: r._start,
                     to: r._end, label: text, fullLabel: text, relType: r._type,
                     validFrom: r.valid_from || undefined, validTo: r.valid_to || undefined,
                     title: text };
          }));
          var left = fresh.length - add.length;
          if (left > 0) {
            nodes.update({ id: more.id, loading: false, count: left,
                           label: left + " meer " + more.memberPlural,
                           fullLabel: left + " meer " + more.memberPlural });
          } else {
            nodes.remove(more.id);
          }
          say(add.length + " " + more.memberPlural + " toegevoegd" +
              (left > 0 ? "; nog " + left + " (dubbelklik opnieuw)" : "") + ".");
          network.setOptions({ physics: { enabled: true } });
          network.once("stabilized", function () {
            network.setOptions({ physics: { enabled: false } });
            later();
            snapshot();
          });
          network.stabilize(120);
          holder.setAttribute("data-expanded", String(Number(holder.getAttribute("data-expanded") || 0) + 1));
        })
        .catch(function () {
          nodes.update({ id: more.id, loading: false });
          say("Ophalen lukte niet; probeer het opnieuw of open het profiel.");
        });
    }

    // -- the print image -------------------------------------------------------------------
    function snapshot() {
      var img = document.getElementById("graph-print");
      var canvas = holder.querySelector("canvas");
      if (!img || !canvas) { return; }
      try { img.setAttribute("src", canvas.toDataURL("image/png")); } catch (e) { /* tainted */ }
    }
    window.addEventListener("beforeprint", snapshot);

    // -- events ----------------------------------------------------------------------------
    network.on("click", function (params) {
      selected = params.nodes && params.nodes.length === 1 ? params.nodes[0] : null;
      later();
    });
    network.on("doubleClick", function (params) {
      if (params.nodes && params.nodes.length === 1) { open(params.nodes[0]); }
    });
    network.on("hoverNode", function (p) { hovered = p.node; later(); });
    network.on("blurNode", function () { hovered = null; later(); });
    network.on("hoverEdge", function (p) { hovered = p.edge; later(); });
    network.on("blurEdge", function () { hovered = null; later(); });
    network.on("zoom", later);
    network.on("selectNode", function (params) { selected = params.nodes[0]; });
    network.on("deselectNode", function () { selected = null; later(); });
    holder.setAttribute("tabindex", "0");
    holder.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && selected !== null) { open(selected); }
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      relabel();
      holder.setAttribute("data-ready", "1");
      window.setTimeout(snapshot, 50);
    });
    if (data.focus) { network.selectNodes([data.focus]); selected = data.focus; }
    buildTools();
    window.ondergraafNetwork = network;
    window.ondergraafGraph = { nodes: nodes, edges: edges, expand: function (id) {
      expand(nodes.get(id));
    } };
  }

  function start() { styleLegend(); draw(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
