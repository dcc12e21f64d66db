// Sortable and filterable tables (an enhancement: without JavaScript the table is as served).
// A header button sorts by its column (numbers by the cell's raw value in data-v, text in the
// page's language); the search box above a table hides the rows that do not hold its text,
// with Persian and Arabic letters and digits read alike. Words come from body data-words.
// The view's state is in the address, so a copied URL opens the same view: a table's sort as
// sort-NAME=COLUMN (a leading "-": descending) and its filter as filter-NAME=TEXT, written with
// history.replaceState and read when the page loads (an unknown column is ignored).
(function () {
  function remember(key, value) {
    var url = new URL(window.location.href);
    if (value) { url.searchParams.set(key, value); } else { url.searchParams.delete(key); }
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  }
  var DIGITS = { "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9" };
  function plain(s) {
    return (s || "").replace(/[۰-۹٠-٩]/g, function (d) { return DIGITS[d]; })
      .replace(/ي/g, "ی").replace(/ى/g, "ی").replace(/ك/g, "ک").replace(/[\u200c\u200f\u200e]/g, "")
      .replace(/[٬,]/g, "").toLowerCase().trim();
  }
  function value(td) {
    if (!td) { return ""; }
    return td.dataset.v !== undefined ? td.dataset.v : td.textContent;
  }
  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    var numeric = a !== "" && b !== "" && isFinite(a) && isFinite(b);
    if (numeric) { return x - y; }
    return plain(a).localeCompare(plain(b), document.documentElement.lang || "en");
  }
  function enhance(section, n) {
    var table = section.querySelector("table");
    if (!table || !table.tBodies.length) { return; }
    var words = JSON.parse(document.body.dataset.words || "{}");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r, i) { r.dataset.i = i; });
    var ths = table.tHead ? table.tHead.rows[0].cells : [];
    var name = (section.id || String(n)).replace(/^table-/, "");
    var asked = new URL(window.location.href).searchParams;
    var buttons = Object.create(null);
    Array.prototype.forEach.call(ths, function (th, col) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "sort";
      b.title = words.sort || "sort";
      while (th.firstChild) { b.appendChild(th.firstChild); }
      th.appendChild(b);
      th.setAttribute("aria-sort", "none");
      buttons[th.dataset.col || String(col)] = b;
      b.addEventListener("click", function () {
        var up = th.getAttribute("aria-sort") !== "ascending";
        remember("sort-" + name, (up ? "" : "-") + (th.dataset.col || String(col)));
        Array.prototype.forEach.call(ths, function (o) { o.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var sorted = Array.prototype.slice.call(body.rows).sort(function (p, q) {
          var c = compare(value(p.cells[col]), value(q.cells[col]));
          return (up ? c : -c) || (p.dataset.i - q.dataset.i);
        });
        sorted.forEach(function (r) { body.appendChild(r); });
      });
    });
    var askedSort = asked.get("sort-" + name) || "";
    var down = askedSort.charAt(0) === "-";
    var by = buttons[down ? askedSort.slice(1) : askedSort];
    if (by) { by.click(); if (down) { by.click(); } }
    if (rows.length < 2) { return; }
    var id = "filter-" + (section.id || n);
    var p = document.createElement("p");
    p.className = "table-filter";
    var label = document.createElement("label");
    label.htmlFor = id; label.textContent = (words.filter || "Filter") + " ";
    var input = document.createElement("input");
    input.type = "search"; input.id = id;
    var count = document.createElement("span");
    count.className = "shown"; count.setAttribute("aria-live", "polite");
    p.appendChild(label); p.appendChild(input); p.appendChild(count);
    var box = table.closest(".scroll") || table;
    box.parentNode.insertBefore(p, box);
    input.addEventListener("input", function () {
      var q = plain(input.value), shown = 0;
      Array.prototype.forEach.call(body.rows, function (r) {
        var hit = !q || plain(r.textContent).indexOf(q) >= 0;
        r.hidden = !hit; if (hit) { shown += 1; }
      });
      var n = String(shown);
      if (document.documentElement.lang === "fa") { n = n.replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; }); }
      count.textContent = q ? n + " " + (words.shown || "rows shown") : "";
      remember("filter-" + name, input.value);
    });
    var filtered = asked.get("filter-" + name);
    if (filtered) { input.value = filtered; input.dispatchEvent(new Event("input")); }
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("section.table"), enhance);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
