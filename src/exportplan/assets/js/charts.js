// Draw every chart of the page with the bundled Vega (no request leaves the machine).
// window.__charts counts drawn charts (of the last drawing); window.__views keeps each Vega view by name.
// A chart is one image to assistive technology (its box: role="img", named by its title, its
// figures in the table its caption links), so the drawing's own marks are hidden from it.
(function () {
  window.__charts = { drawn: 0, failed: 0, total: 0 };
  window.__views = {};
  // "Save as PNG" and "Save as SVG" under each chart, in the page's language (body data-words)
  function saveButtons(target, view) {
    var words = JSON.parse(document.body.dataset.words || "{}");
    var bar = document.createElement("p");
    bar.className = "chart-save";
    ["png", "svg"].forEach(function (kind) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = words[kind] || kind.toUpperCase();
      b.dataset.save = kind;
      b.addEventListener("click", function () {
        view.toImageURL(kind, kind === "png" ? 2 : 1).then(function (url) {
          var a = document.createElement("a");
          a.href = url;
          a.download = (target.dataset.chart || "chart") + "." + kind;
          document.body.appendChild(a); a.click(); a.remove();
        }).catch(function (err) { console.error("saving chart: " + err); });
      });
      bar.appendChild(b);
    });
    target.insertAdjacentElement("afterend", bar);
  }
  function draw() {
    var specs = document.querySelectorAll("script.chart-spec");
    window.__charts = { drawn: 0, failed: 0, total: specs.length };
    specs.forEach(function (el) {
      var target = document.getElementById(el.dataset.for);
      var spec = JSON.parse(el.textContent);
      window.vegaEmbed(target, spec, { actions: false, renderer: "svg" })
        .then(function (res) {
          // Vega names the box a "graphics-document" of its own: it is one image again
          target.setAttribute("role", "img");
          target.setAttribute("aria-label", target.dataset.label);
          target.removeAttribute("aria-roledescription");
          target.querySelectorAll("svg").forEach(function (svg) { svg.setAttribute("aria-hidden", "true"); });
          window.__views[target.dataset.chart] = res.view; window.__charts.drawn += 1;
          saveButtons(target, res.view);
        })
        .catch(function (err) { window.__charts.failed += 1; console.error("chart " + el.dataset.for + ": " + err); });
    });
  }
  window.__drawCharts = draw;  // again after htmx swaps the page's content (forms.js)
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
