// The "check a text" page: a claim marked in the text opens its interpretations when
// clicked (or activated with Enter). No inline script: the CSP allows 'self' only.
(function () {
  "use strict";
  var box = document.getElementById("claims-text");
  if (!box) { return; }
  function open(mark) {
    var d = document.getElementById("claim-" + mark.getAttribute("data-claim"));
    if (!d) { return; }
    d.open = true;
    d.scrollIntoView({ block: "nearest" });
  }
  box.addEventListener("click", function (e) {
    var m = e.target.closest ? e.target.closest("mark.claim") : null;
    if (m) { open(m); }
  });
  box.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.matches && e.target.matches("mark.claim")) { open(e.target); }
  });
}());
