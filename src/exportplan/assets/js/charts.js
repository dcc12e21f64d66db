// Draw every chart of the page with the bundled Vega (no request leaves the machine).
// window.__charts counts drawn charts; window.__views keeps each Vega view by name.
(function () {
  window.__charts = { drawn: 0, failed: 0, total: 0 };
  window.__views = {};
  function draw() {
    var specs = document.querySelectorAll("script.chart-spec");
    window.__charts.total = specs.length;
    specs.forEach(function (el) {
      var target = document.getElementById(el.dataset.for);
      var spec = JSON.parse(el.textContent);
      window.vegaEmbed(target, spec, { actions: false, renderer: "svg" })
        .then(function (res) { window.__views[target.dataset.chart] = res.view; window.__charts.drawn += 1; })
        .catch(function (err) { window.__charts.failed += 1; console.error("chart " + el.dataset.for + ": " + err); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
