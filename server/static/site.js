// callbacklab: small enhancements shared by every page. The pages work without it.
(function () {
  "use strict";

  // Left and right arrow keys follow the page's previous and next links, unless the reader is
  // typing or holds a modifier key.
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.defaultPrevented) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var rel = e.key === "ArrowLeft" ? "prev" : e.key === "ArrowRight" ? "next" : "";
    if (!rel) return;
    var a = document.querySelector('nav.pager a[rel="' + rel + '"]');
    if (a) { e.preventDefault(); window.location.href = a.href; }
  });

  // On lesson pages, fold each hint under "Hints" into a closed <details>, so a learner opens
  // one tier at a time.
  var hints = document.getElementById("hints");
  if (hints && document.querySelector(".lesson")) {
    var node = hints.nextElementSibling;
    while (node && node.tagName !== "H2") {
      var next = node.nextElementSibling;
      if (node.tagName === "H3") {
        var d = document.createElement("details");
        d.className = "hint";
        var s = document.createElement("summary");
        s.textContent = node.textContent;
        d.appendChild(s);
        var body = next;
        while (body && body.tagName !== "H3" && body.tagName !== "H2") {
          var after = body.nextElementSibling;
          d.appendChild(body);
          body = after;
        }
        node.replaceWith(d);
        next = body;
      }
      node = next;
    }
  }
})();
