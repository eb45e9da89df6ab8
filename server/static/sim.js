// The simulation page: redraw the journey's diagram and the delivery table
// whenever the trace recorder reports a new exchange.
"use strict";

(function () {
  var panel = document.querySelector("[data-events]");
  if (!panel || !window.EventSource) {
    return;
  }
  var diagram = document.getElementById("sim-diagram");
  var mermaid = document.getElementById("sim-mermaid");
  var live = document.getElementById("sim-live");
  var counts = document.getElementById("sim-counts");
  var deliveries = document.getElementById("sim-deliveries");
  var pending = null;

  function text(s) {
    return document.createTextNode(s == null ? "" : String(s));
  }

  function cell(row, value, code) {
    var td = document.createElement("td");
    if (code) {
      var c = document.createElement("code");
      c.appendChild(text(value));
      td.appendChild(c);
    } else {
      td.appendChild(text(value));
    }
    row.appendChild(td);
  }

  function refresh() {
    pending = null;
    fetch("/sim/trace.svg", { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (svg) { diagram.innerHTML = svg; }); // rendered and escaped by the server
    fetch("/sim/trace.mmd", { cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (t) { mermaid.textContent = t; });
    fetch("/sim/state", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        counts.textContent = "received " + s.received + ", processed " + s.processed +
          ", duplicates ignored " + s.duplicates + ", refused " + s.rejected;
        deliveries.textContent = "";
        s.deliveries.forEach(function (d) {
          var row = document.createElement("tr");
          cell(row, d.id, true);
          cell(row, d.status);
          cell(row, d.delivery);
          cell(row, d.attempts);
          deliveries.appendChild(row);
        });
      });
  }

  var source = new EventSource(panel.dataset.events);
  source.addEventListener("open", function () { live.textContent = "live"; });
  source.addEventListener("error", function () { live.textContent = "reconnecting…"; });
  // A hop event names no journey: fetch this browser's own journey again.
  source.addEventListener("hop", function () {
    if (!pending) {
      pending = setTimeout(refresh, 150); // one redraw for a burst of hops
    }
  });
})();
