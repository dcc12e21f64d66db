// Draw every chart of the page with the bundled Vega (no request leaves the machine).
// window.__charts counts drawn charts; window.__views keeps each Vega view by name.
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
    window.__charts.total = specs.length;
    specs.forEach(function (el) {
      var target = document.getElementById(el.dataset.for);
      var spec = JSON.parse(el.textContent);
      window.vegaEmbed(target, spec, { actions: false, renderer: "svg" })
        .then(function (res) {
          window.__views[target.dataset.chart] = res.view; window.__charts.drawn += 1;
          saveButtons(target, res.view);
        })
        .catch(function (err) { window.__charts.failed += 1; console.error("chart " + el.dataset.for + ": " + err); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
