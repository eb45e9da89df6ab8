// Callback Travel: show booking outcomes as book_ticket's callbacks arrive,
// through Server-Sent Events, without reloading the page.
"use strict";

(function () {
  if (!document.getElementById("who") || !window.EventSource) {
    return; // signed out, or a browser without EventSource
  }
  var source = new EventSource("/travel/events");
  source.addEventListener("booking", function (e) {
    var u = JSON.parse(e.data);
    var nodes = document.querySelectorAll('[data-booking="' + CSS.escape(u.id) + '"]');
    nodes.forEach(function (el) {
      el.textContent = u.message;
      el.dataset.status = u.status;
    });
  });
})();
