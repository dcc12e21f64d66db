// The program's forms enhanced by htmx (the vendored htmx.min.js): on a page whose <main>
// says data-enhance="forms", each form that posts (but a file's upload) is sent in the
// background and the page's <main> is swapped for the answer's: the page saved (the address
// it redirects to put in the history), or the refusal with each error beside its field (4xx
// answers are swapped too: they are whole pages). The focus goes to the answer's message.
// Without script the same forms post and the server answers with a whole page.
(function () {
  "use strict";
  function enhance() {
    var main = document.querySelector("main[data-enhance=forms]");
    if (!main || !window.htmx) { return; }
    main.querySelectorAll("form[method=post]").forEach(function (f) {
      if (f.enctype === "multipart/form-data") { return; }
      f.setAttribute("hx-boost", "true");
      f.setAttribute("hx-target", "main");
      f.setAttribute("hx-select", "main");
      f.setAttribute("hx-swap", "outerHTML");
    });
    window.htmx.process(main);
  }
  document.addEventListener("htmx:beforeSwap", function (ev) {
    var status = ev.detail.xhr.status;
    if (!ev.detail.target || ev.detail.target.tagName !== "MAIN") { return; }
    if (status >= 400 && status < 500) { ev.detail.shouldSwap = true; ev.detail.isError = false; }
  });
  // a refusal keeps the address of the page the form was on (the form's own address is no
  // page to come back to); a saved answer's address is the page it redirected to
  document.addEventListener("htmx:beforeHistoryUpdate", function (ev) {
    if (ev.detail.xhr && ev.detail.xhr.status >= 400 && ev.detail.history) {
      ev.detail.history.type = "replace";
      ev.detail.history.path = window.location.pathname + window.location.search;
    }
  });
  document.addEventListener("htmx:afterSettle", function (ev) {
    if (!ev.detail.target || ev.detail.target.tagName !== "MAIN") { return; }  // ours only
    enhance();
    var said = document.querySelector("main .form-error, main .field-error, main p.ok, main .stale");
    var to = said || document.getElementById("content");
    if (to) {
      if (!to.hasAttribute("tabindex")) { to.setAttribute("tabindex", "-1"); }
      to.focus();
    }
    if (window.__drawCharts) { window.__drawCharts(); }
  });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", enhance); } else { enhance(); }
})();
