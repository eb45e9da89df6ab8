// callbacklab workshop: the instructor's page. It listens to /workshop/events and draws the
// room. Every name and test name is put on the page as text, never as HTML.
(function () {
  "use strict";

  var SYMBOL = { done: "✓", failing: "✗", doesNotCompile: "⚠", timedOut: "◔" };
  var WORDS = { done: "done", failing: "failing", doesNotCompile: "does not compile",
    timedOut: "timed out" };
  var OFFLINE_AFTER = 90 * 1000; // learners report at least every 30 s
  var view = null;
  var clockSkew = 0; // server time minus this browser's time, in ms

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function now() { return Date.now() + clockSkew; }
  function t(s) { return s ? Date.parse(s) : 0; }
  function duration(ms) {
    if (ms < 0) ms = 0;
    var m = Math.floor(ms / 60000);
    if (m < 60) return m + " min";
    return Math.floor(m / 60) + " h " + (m % 60 < 10 ? "0" : "") + (m % 60);
  }
  function lessonTitle(n) {
    for (var i = 0; i < view.lessons.length; i++) {
      if (view.lessons[i].number === n) return view.lessons[i].title;
    }
    return "";
  }

  // The list of tests people are stuck on.
  function drawStuck() {
    var ol = document.getElementById("ws-stuck");
    ol.replaceChildren();
    var rows = (view.stuck || []).filter(function (s) { return s.state !== "done"; });
    if (rows.length === 0) {
      ol.appendChild(el("li", "ws-muted", "Nobody is stuck right now."));
      return;
    }
    rows.slice(0, 8).forEach(function (s) {
      var li = el("li");
      li.appendChild(el("span", "n", s.count + (s.count === 1 ? " person" : " people")));
      li.appendChild(document.createTextNode(" on lesson " + s.lesson + " (" +
        lessonTitle(s.lesson) + "): " + WORDS[s.state] + (s.test ? " at " : "")));
      if (s.test) li.appendChild(el("code", "", s.test));
      ol.appendChild(li);
    });
  }

  // The totals per lesson, with the unlock buttons.
  function drawTotals() {
    var box = document.getElementById("ws-totals");
    box.replaceChildren();
    var people = view.learners.length || 1;
    view.lessons.forEach(function (lesson, i) {
      var tot = view.totals[i];
      var card = el("div", "ws-total");
      card.appendChild(el("h3", "", lesson.number + ". " + lesson.title));
      var bar = el("div", "ws-bar");
      bar.setAttribute("aria-hidden", "true");
      [["done", tot.done], ["failing", tot.failing], ["doesNotCompile", tot.doesNotCompile]]
        .forEach(function (p) {
          var s = el("span", "b-" + p[0]);
          s.style.width = (100 * p[1] / people) + "%";
          bar.appendChild(s);
        });
      card.appendChild(bar);
      card.appendChild(el("p", "", tot.done + " done · " + tot.failing + " failing · " +
        tot.doesNotCompile + " not compiling · " + tot.notReported + " not yet"));
      var u = (view.unlocked || {})[String(lesson.number)] || { hints: 0, solution: false };
      var row = el("div", "ws-unlock");
      var hint = el("button", "ws-button", u.hints >= lesson.hints ?
        "All " + lesson.hints + " hints unlocked" :
        "Unlock hint " + (u.hints + 1) + " of " + lesson.hints);
      hint.type = "button";
      hint.disabled = u.hints >= lesson.hints;
      hint.addEventListener("click", function () { unlock(lesson.number, "hint", hint); });
      var sol = el("button", "ws-button", u.solution ? "Solution unlocked" : "Unlock solution");
      sol.type = "button";
      sol.disabled = u.solution;
      sol.addEventListener("click", function () {
        if (window.confirm("Show lesson " + lesson.number + "'s solution to everyone?")) {
          unlock(lesson.number, "solution", sol);
        }
      });
      row.appendChild(hint);
      row.appendChild(sol);
      card.appendChild(row);
      box.appendChild(card);
    });
  }

  // The grid: one row per learner, one column per lesson.
  function drawGrid() {
    var table = document.getElementById("ws-grid");
    var head = el("tr");
    head.appendChild(el("th", "", "Name"));
    head.appendChild(el("th", "", "Done"));
    view.lessons.forEach(function (l) {
      var th = el("th", "", String(l.number));
      th.title = l.title;
      th.scope = "col";
      head.appendChild(th);
    });
    head.appendChild(el("th", "", ""));
    table.tHead.replaceChildren(head);
    var body = el("tbody");
    var n = now();
    view.learners.forEach(function (p) {
      var tr = el("tr");
      if (n - t(p.lastSeen) > OFFLINE_AFTER) tr.className = "offline";
      var name = el("th", "name", p.name);
      name.scope = "row";
      name.title = p.name;
      tr.appendChild(name);
      tr.appendChild(el("td", "", p.done + "/" + view.lessons.length));
      p.cells.forEach(function (c, i) {
        var st = c.state || "none";
        var td = el("td", "ws-cell st-" + st);
        var text = SYMBOL[c.state] || "·";
        if (c.since) {
          var end = c.doneAt ? t(c.doneAt) : n;
          text += " " + duration(end - t(c.since));
        }
        td.textContent = text;
        if (view.lessons[i].number === p.current) td.className += " current";
        var tip = "Lesson " + view.lessons[i].number + ": " + (WORDS[c.state] || "not run yet");
        if (c.firstFailing) tip += " at " + c.firstFailing;
        td.title = tip;
        td.setAttribute("aria-label", tip);
        tr.appendChild(td);
      });
      var cell = el("td");
      var rm = el("button", "ws-remove", "×");
      rm.type = "button";
      rm.title = "Remove " + p.name + " from the grid";
      rm.setAttribute("aria-label", rm.title);
      rm.addEventListener("click", function () {
        if (window.confirm("Remove " + p.name + " from the workshop? Their reports stop.")) {
          post("/workshop/api/remove", { id: p.id });
        }
      });
      cell.appendChild(rm);
      tr.appendChild(cell);
      body.appendChild(tr);
    });
    table.tBodies[0].replaceWith(body);
    var online = view.learners.filter(function (p) { return n - t(p.lastSeen) <= OFFLINE_AFTER; });
    document.getElementById("ws-count").textContent = view.learners.length +
      (view.learners.length === 1 ? " person joined, " : " people joined, ") +
      online.length + " online";
  }

  function draw() {
    if (!view) return;
    drawStuck();
    drawTotals();
    drawGrid();
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) {
      if (r.ok) return r.json();
      return r.json().then(function (e) { throw new Error(e.error || r.statusText); });
    }).catch(function (err) { window.alert("That did not work: " + err.message); });
  }

  function unlock(lesson, what, button) {
    button.disabled = true;
    post("/workshop/api/unlock", { lesson: lesson, what: what });
  }

  // A new join code locks out whoever had the old one; people who joined stay unless the
  // instructor removes those who went quiet. The page reloads when the room's new view arrives.
  document.getElementById("ws-newcode").addEventListener("click", function () {
    var idle = window.prompt("Give the room a new join code? People who joined stay.\n" +
      "To also remove people who have not reported for a while, type a number of minutes; " +
      "leave it empty to keep everyone.", "");
    if (idle === null) return;
    var minutes = parseInt(idle, 10);
    post("/workshop/api/newcode", { removeIdleMinutes: minutes > 0 ? minutes : 0 });
  });

  // The projector view hides names and enlarges the summary; it is kept in the address.
  var mode = document.getElementById("ws-mode");
  function setProjector(on) {
    document.body.classList.toggle("projector", on);
    mode.setAttribute("aria-pressed", on ? "true" : "false");
    mode.textContent = on ? "Instructor view" : "Projector view";
    history.replaceState(null, "", on ? "#projector" : location.pathname);
  }
  mode.addEventListener("click", function () {
    setProjector(!document.body.classList.contains("projector"));
  });
  setProjector(location.hash === "#projector");

  var live = document.getElementById("ws-live");
  var events = new EventSource("/workshop/events");
  events.addEventListener("room", function (e) {
    view = JSON.parse(e.data);
    // A new join code is in the join commands too: the page is drawn again with it.
    if (view.code !== document.getElementById("ws-code").textContent) {
      location.reload();
      return;
    }
    live.textContent = "Live";
    live.className = "ws-live on";
    draw();
  });
  events.addEventListener("now", function (e) {
    clockSkew = Date.parse(JSON.parse(e.data)) - Date.now();
  });
  events.addEventListener("open", function () {
    live.textContent = "Live";
    live.className = "ws-live on";
  });
  events.addEventListener("error", function () {
    live.textContent = "Reconnecting…";
    live.className = "ws-live off";
  });

  // Time spent moves on between updates.
  window.setInterval(function () { if (view) drawGrid(); }, 20000);
})();
