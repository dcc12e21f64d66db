// The Data page's import progress: polls the queue's JSON status while an import is not
// final, rewrites each row's text, and reloads the page once an import it watched is final
// (the table of imports then shows it). No inline script: the CSP allows 'self' only.
(function () {
  "use strict";
  var box = document.getElementById("imports");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var list = box.querySelector("ul.imports");
  var watched = {};

  function row(j) {
    var li = document.createElement("li");
    li.className = "import import-" + j.state;
    li.setAttribute("data-id", String(j.id));
    li.setAttribute("data-state", j.state);
    li.setAttribute("data-final", j.final ? "true" : "false");
    var b = document.createElement("b");
    b.className = "file";
    b.textContent = j.file_name;
    li.appendChild(b);
    li.appendChild(document.createTextNode(": "));
    var st = document.createElement("span");
    st.className = "state";
    st.textContent = j.state_label;
    li.appendChild(st);
    li.appendChild(document.createTextNode(" "));
    var tx = document.createElement("span");
    tx.className = "text";
    tx.textContent = j.text;
    li.appendChild(tx);
    if (j.rejects_url) {
      li.appendChild(document.createTextNode(" · "));
      var a = document.createElement("a");
      a.className = "rejects";
      a.href = j.rejects_url;
      a.textContent = j.rejects_label;
      li.appendChild(a);
    }
    if (j.detail) {
      li.appendChild(document.createElement("br"));
      var sm = document.createElement("small");
      sm.className = "detail";
      sm.textContent = j.detail;
      li.appendChild(sm);
    }
    return li;
  }

  function pending() {
    return list.querySelectorAll("li[data-final='false']").length > 0;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { setTimeout(poll, 3000); return; }
        var reload = false;
        while (list.firstChild) { list.removeChild(list.firstChild); }
        data.imports.forEach(function (j) {
          if (!j.final) { watched[j.id] = true; }
          else if (watched[j.id]) { reload = true; }
          list.appendChild(row(j));
        });
        box.hidden = data.imports.length === 0;
        if (reload) { window.location.reload(); return; }
        if (pending()) { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  Array.prototype.forEach.call(list.querySelectorAll("li[data-final='false']"), function (li) {
    watched[li.getAttribute("data-id")] = true;
  });
  if (pending()) { setTimeout(poll, 500); }
})();
