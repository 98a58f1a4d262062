// Keeps the preview current: the server sends Server-Sent Events after every save; only the
// rows that changed are replaced, so the reader keeps their place. The page works without it.
(function () {
  "use strict";
  var body = document.body;
  var version = body.getAttribute("data-version");

  function swap(id, html) {
    var el = document.getElementById(id);
    if (el) { el.outerHTML = html; }
  }

  function update(data) {
    if (data.rows !== undefined) {
      var rows = document.getElementById("rows");
      if (rows) {
        var y = window.scrollY;
        rows.innerHTML = data.rows;
        window.scrollTo(0, y);
      }
    }
    (data.replace || []).forEach(function (r) { swap(r.id, r.html); });
    if (data.css !== undefined) {
      var css = document.getElementById("publication-css");
      if (css) { css.textContent = data.css; }
    }
    if (data.banner !== undefined) { swap("errors", data.banner); }
    if (data.summary !== undefined) { swap("summary", data.summary); }
    version = String(data.version);
    body.setAttribute("data-version", version);
    if (data.busy) { body.setAttribute("data-busy", ""); } else { body.removeAttribute("data-busy"); }
    var live = document.getElementById("live");
    if (live) {
      live.textContent = "version " + version + (data.busy ? " \u00b7 checking\u2026" : "");
      live.classList.add("fresh");
    }
  }

  function pdf(data) {
    var status = document.getElementById("pdf-status-" + data.lang);
    if (status) { status.textContent = data.status; }
    var frame = document.getElementById("pdf-" + data.lang);
    if (frame && data.ok) {
      frame.src = frame.src.split("?")[0] + "?v=" + data.serial;
    }
  }

  if (!window.EventSource) { return; }
  var source = new EventSource("/events?v=" + encodeURIComponent(version) +
                               "&view=" + (body.classList.contains("pdf-view") ? "pdf" : "page"));
  source.addEventListener("update", function (e) { update(JSON.parse(e.data)); });
  source.addEventListener("pdf", function (e) { pdf(JSON.parse(e.data)); });
})();
