// callbacklab: live test results. On /progress it redraws the list of lessons from the
// server's progress events; on a lesson page it fills the small status box
// (<div class="live-status" data-live-lesson="NN-slug" hidden>). Both work from the same
// event stream, /progress/events, and every text is set with textContent.
(function () {
  "use strict";

  var page = document.getElementById("progress");
  var boxes = document.querySelectorAll("[data-live-lesson]");
  if (!page && boxes.length === 0) return;
  if (!window.EventSource) return;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // failureItem draws one failing test, folded or open.
  function failureItem(f, open) {
    var d = el("details", "failure");
    d.setAttribute("data-key", f.name);
    d.open = open;
    var s = el("summary");
    s.appendChild(el("code", "", f.name));
    d.appendChild(s);
    d.appendChild(el("pre", "", f.lines.join("\n")));
    return d;
  }

  // lessonItem draws one lesson as the server's template does.
  function lessonItem(l) {
    var li = el("li", "lesson-state state-" + l.state);
    li.id = "lesson-" + l.dir;
    li.setAttribute("data-focus", l.focus ? "1" : "");
    var line = el("p", "lesson-line");
    line.appendChild(el("span", "badge", l.stateText));
    var a = el("a", "", l.number + ". " + l.title);
    a.href = l.href;
    line.appendChild(a);
    if (l.tests) line.appendChild(el("span", "tests", l.passed + " of " + l.tests + " tests pass"));
    li.appendChild(line);
    if (l.buildErrors && l.buildErrors.length) {
      li.appendChild(el("pre", "build-errors", l.buildErrors.join("\n")));
    }
    // The first failure (the first task's) is open on the lesson in focus; the others
    // are folded under a count, so one lesson does not fill the screen.
    var failures = l.failures || [];
    if (failures.length) li.appendChild(failureItem(failures[0], l.focus));
    if (l.moreText) {
      var more = el("details", "more-failures");
      more.setAttribute("data-key", "more");
      more.appendChild(el("summary", "", l.moreText));
      failures.slice(1).forEach(function (f) { more.appendChild(failureItem(f, false)); });
      li.appendChild(more);
    }
    if ((l.failures && l.failures.length) || (l.buildErrors && l.buildErrors.length)) {
      var p = el("p", "hint-link");
      var h = el("a", "", "Stuck? Read the hints");
      h.href = l.hintHref;
      p.appendChild(h);
      p.appendChild(document.createTextNode(", one at a time."));
      li.appendChild(p);
    }
    return li;
  }

  function drawPage(v) {
    page.querySelector("[data-done]").textContent = v.done;
    page.querySelector("[data-total]").textContent = v.total;
    var bar = page.querySelector("progress");
    if (bar) { bar.max = v.total; bar.value = v.done; bar.textContent = v.done + " of " + v.total; }
    page.querySelector("[data-live]").textContent = v.running ? "running the tests…" : "";
    var old = page.querySelector(".progress-error");
    if (old) old.remove();
    if (v.error) {
      var e = el("p", "progress-error", v.error);
      e.setAttribute("role", "alert");
      page.querySelector(".progress-count").after(e);
    }
    // Keep each failure, and each fold of more failures, open or closed as the learner
    // left it; new ones follow the focus.
    function key(d) {
      var li = d.closest("li");
      return li.id + " " + li.getAttribute("data-focus") + " " + d.getAttribute("data-key");
    }
    var seen = {};
    page.querySelectorAll("details[data-key]").forEach(function (d) { seen[key(d)] = d.open; });
    var list = page.querySelector("[data-lessons]");
    var items = v.lessons.map(lessonItem);
    list.replaceChildren.apply(list, items);
    list.querySelectorAll("details[data-key]").forEach(function (d) {
      var k = key(d);
      if (k in seen) d.open = seen[k];
    });
  }

  function drawBox(box, v) {
    var dir = box.getAttribute("data-live-lesson");
    var l = v.lessons.filter(function (x) { return x.dir === dir; })[0];
    if (!l) return;
    box.hidden = false;
    box.className = "live-status state-" + l.state;
    var parts = [el("strong", "", "Your code: " + l.stateText)];
    var text = "";
    if (l.tests) text += " · " + l.passed + " of " + l.tests + " tests pass";
    if (l.failures && l.failures.length) text += " · first failure: ";
    parts.push(document.createTextNode(text));
    if (l.failures && l.failures.length) parts.push(el("code", "", l.failures[0].name));
    parts.push(document.createTextNode(" · "));
    var a = el("a", "", "see your progress");
    a.href = "/progress#lesson-" + l.dir;
    parts.push(a);
    box.replaceChildren.apply(box, parts);
  }

  var es = new EventSource((page && page.getAttribute("data-events")) || "/progress/events");
  es.addEventListener("progress", function (e) {
    var v = JSON.parse(e.data);
    if (page) drawPage(v);
    boxes.forEach(function (b) { drawBox(b, v); });
  });
  es.onerror = function () {
    // No lessons folder (404) closes the stream for good; otherwise the browser retries.
    if (es.readyState === EventSource.CLOSED) es.close();
  };
})();
