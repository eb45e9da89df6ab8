// callbacklab: the live diagram editor on /diagrams. It posts the Mermaid text to the server
// as you type (debounced) and shows the SVG that comes back, or the error with its position.
(function () {
  "use strict";

  var editor = document.querySelector(".diagram-editor");
  if (!editor) return;
  var endpoint = editor.getAttribute("data-endpoint");
  var maxBytes = parseInt(editor.getAttribute("data-max-bytes"), 10) || 65536;
  var source = document.getElementById("diagram-source");
  var preview = document.getElementById("diagram-preview");
  var status = document.getElementById("diagram-status");
  var size = document.getElementById("diagram-size");
  var download = document.getElementById("diagram-download");
  var copy = document.getElementById("diagram-copy");
  var encoder = new TextEncoder();

  var timer = 0;         // the pending debounce timer
  var inflight = null;   // the AbortController of the request under way
  var lastSVG = "";      // the last drawing, for the download button
  var imageURL = "";     // the object URL the preview image shows

  function kib(n) { return (n / 1024).toFixed(n < 10240 ? 1 : 0) + " KiB"; }

  function showStatus(text, detail, isError) {
    status.textContent = "";
    status.className = "editor-status" + (isError ? " error" : "");
    if (!text) return;
    var p = document.createElement("p");
    p.style.margin = "0";
    p.textContent = text;
    status.appendChild(p);
    if (detail) {
      var pre = document.createElement("pre");
      pre.textContent = detail;
      status.appendChild(pre);
    }
  }

  // pageBackground returns the page's background colour (--bg), or "" if it looks odd.
  function pageBackground() {
    var bg = getComputedStyle(document.documentElement).getPropertyValue("--bg").trim();
    return /^[#a-zA-Z0-9(),. %]+$/.test(bg) ? bg : "";
  }

  // showSVG displays the drawing as an image, so nothing in it can run or touch the page.
  // An image cannot see the page's CSS, so the copy shown gets the page's background, as
  // style.css gives inline diagrams, instead of drawing its own rectangle in another shade;
  // the download keeps the SVG as the server drew it.
  function showSVG(svg) {
    lastSVG = svg;
    download.disabled = false;
    var bg = pageBackground();
    var shown = bg ? svg.replace("<svg ", '<svg style="--cl-bg:' + bg + '" ') : svg;
    var url = URL.createObjectURL(new Blob([shown], { type: "image/svg+xml" }));
    var img = document.createElement("img");
    img.alt = "The drawing of the diagram";
    img.src = url;
    preview.textContent = "";
    preview.appendChild(img);
    preview.classList.remove("stale");
    if (imageURL) URL.revokeObjectURL(imageURL);
    imageURL = url;
  }

  // draw sends the text to the server and shows what comes back. When the server is busy
  // drawing for others (503), it tries once more after the second the server asks for.
  function draw(isRetry) {
    clearTimeout(timer);
    var text = source.value;
    var bytes = encoder.encode(text).length;
    size.textContent = kib(bytes) + " of " + kib(maxBytes);
    size.classList.toggle("over", bytes > maxBytes);
    if (bytes > maxBytes) {
      preview.classList.add("stale");
      showStatus("This diagram is " + kib(bytes) + ", more than the editor takes (" +
        kib(maxBytes) + "). Shorten it or split it into several diagrams.", "", true);
      return;
    }
    if (inflight) inflight.abort();
    var ctl = new AbortController();
    inflight = ctl;
    fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "text/plain; charset=utf-8" },
      body: text,
      signal: ctl.signal
    }).then(function (resp) {
      var type = resp.headers.get("Content-Type") || "";
      if (resp.ok && type.indexOf("image/svg+xml") === 0) {
        return resp.text().then(function (svg) {
          showStatus("", "", false);
          showSVG(svg);
        });
      }
      return resp.json().then(function (e) {
        preview.classList.add("stale");
        if (resp.status === 503 && !isRetry) {
          var wait = parseInt(resp.headers.get("Retry-After"), 10) || 1;
          showStatus("The server is busy; trying again in " + wait + " s.", "", false);
          timer = setTimeout(function () { draw(true); }, wait * 1000);
          return;
        }
        if (e.line) {
          showStatus("Line " + e.line + ", column " + e.col + ": " + e.message + ".",
            e.quote, true);
        } else {
          showStatus(e.error || "The diagram could not be drawn.", "", true);
        }
      });
    }).catch(function (err) {
      if (err && err.name === "AbortError") return;
      preview.classList.add("stale");
      showStatus("The drawing could not be fetched: is callbacklab still running?", "", true);
    }).finally(function () {
      if (inflight === ctl) inflight = null;
    });
  }

  source.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { draw(false); }, 300);
  });

  // Redraw with the new background when the page switches between light and dark.
  var scheme = window.matchMedia("(prefers-color-scheme: dark)");
  if (scheme.addEventListener) {
    scheme.addEventListener("change", function () { if (lastSVG) showSVG(lastSVG); });
  }

  download.addEventListener("click", function () {
    if (!lastSVG) return;
    var url = URL.createObjectURL(new Blob([lastSVG], { type: "image/svg+xml" }));
    var a = document.createElement("a");
    a.href = url;
    a.download = "diagram.svg";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });

  copy.addEventListener("click", function () {
    if (!navigator.clipboard) {
      source.select();
      showStatus("Your browser does not let pages copy; the text is selected, press Ctrl+C.",
        "", false);
      return;
    }
    navigator.clipboard.writeText(source.value).then(function () {
      copy.textContent = "Copied";
      setTimeout(function () { copy.textContent = "Copy text"; }, 1500);
    }, function () {
      source.select();
      showStatus("Copying was refused; the text is selected, press Ctrl+C.", "", false);
    });
  });

  draw(false);
})();
