/* A small, self-contained API explorer: lists the operations of /openapi.json and lets
 * one try GET requests against this server. No external resources. */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  function resolve(doc, obj) {
    if (obj && obj.$ref) {
      return obj.$ref.replace(/^#\//, "").split("/").reduce(function (o, k) { return o[k]; }, doc);
    }
    return obj;
  }

  function paramRow(doc, opId, p, index) {
    p = resolve(doc, p);
    var id = "p-" + opId + "-" + index;
    var schema = resolve(doc, p.schema || {});
    var hint = [p.in, p.required ? "verplicht" : "optioneel", schema.type || ""];
    if (schema.enum) { hint.push("een van: " + schema.enum.join(", ")); }
    if (schema.minimum !== undefined) { hint.push(schema.minimum + "–" + schema.maximum); }
    var input;
    if (schema.enum) {
      input = el("select", { id: id, name: p.name, "data-in": p.in });
      if (!p.required) { input.appendChild(el("option", { value: "", text: "" })); }
      schema.enum.forEach(function (v) { input.appendChild(el("option", { value: v, text: v })); });
    } else {
      input = el("input", { id: id, type: "text", name: p.name, "data-in": p.in });
      if (p.example !== undefined) { input.value = String(p.example); }
    }
    if (p.required) { input.setAttribute("required", ""); }
    return el("div", { "class": "field" }, [
      el("label", { "for": id, text: p.name }),
      input,
      el("span", { "class": "hint", text: hint.join(" · ") + (p.description ? " — " + p.description : "") })
    ]);
  }

  function buildUrl(path, form) {
    var query = [];
    var inputs = form.querySelectorAll("[data-in]");
    for (var i = 0; i < inputs.length; i++) {
      var inp = inputs[i];
      var v = inp.value.trim();
      if (inp.getAttribute("data-in") === "path") {
        path = path.replace("{" + inp.name + "}", encodeURI(v).replace(/\?/g, "%3F").replace(/#/g, "%23"));
      } else if (v !== "") {
        query.push(encodeURIComponent(inp.name) + "=" + encodeURIComponent(v));
      }
    }
    return path + (query.length ? "?" + query.join("&") : "");
  }

  function operation(doc, path, method, op, n) {
    var opId = op.operationId || ("op" + n);
    var form = el("form", { "class": "inline", "data-path": path });
    // header parameters (purpose, reference) come from the session here, not from the form
    (op.parameters || []).forEach(function (p, i) {
      if (resolve(doc, p).in !== "header") { form.appendChild(paramRow(doc, opId, p, i)); }
    });
    form.appendChild(el("button", { type: "submit", text: "Probeer" }));
    var status = el("p", { "class": "status", "aria-live": "polite" });
    var out = el("pre", { tabindex: "0", "aria-label": "Antwoord" });
    out.hidden = true;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = buildUrl(path, form);
      status.textContent = "GET " + url + " …";
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (resp) {
        return resp.text().then(function (body) {
          status.textContent = "GET " + url + " → " + resp.status;
          try { body = JSON.stringify(JSON.parse(body), null, 2); } catch (e) { /* not JSON */ }
          out.textContent = body.length > 200000 ? body.slice(0, 200000) + "\n…" : body;
          out.hidden = false;
        });
      }).catch(function (err) { status.textContent = "Mislukt: " + err; });
    });
    var responses = Object.keys(op.responses || {}).map(function (code) {
      return code + " " + (resolve(doc, op.responses[code]).description || "");
    }).join("; ");
    return el("details", { "class": "op", id: opId }, [
      el("summary", {}, [el("span", { "class": "method", text: method.toUpperCase() }),
                         el("code", { text: path }), el("span", { text: " — " + (op.summary || "") })]),
      el("div", { "class": "opbody" }, [
        el("p", { text: op.description || "" }),
        el("p", { "class": "muted", text: "Antwoorden: " + responses }),
        form, status, out
      ])
    ]);
  }

  function render(doc) {
    var holder = document.getElementById("operations");
    holder.textContent = "";
    holder.appendChild(el("p", { text: doc.info.title + " " + doc.info.version + " (OpenAPI " + doc.openapi + ")" }));
    var n = 0;
    var groups = {};
    Object.keys(doc.paths).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        if (["get", "post", "put", "delete", "patch"].indexOf(method) < 0) { return; }
        var op = doc.paths[path][method];
        var tag = (op.tags && op.tags[0]) || "overig";
        (groups[tag] = groups[tag] || []).push(operation(doc, path, method, op, n++));
      });
    });
    Object.keys(groups).forEach(function (tag) {
      holder.appendChild(el("h2", { text: tag }));
      groups[tag].forEach(function (node) { holder.appendChild(node); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    fetch("/openapi.json").then(function (r) { return r.json(); }).then(render).catch(function (err) {
      document.getElementById("operations").textContent = "Kon /openapi.json niet laden: " + err;
    });
  });
}());
