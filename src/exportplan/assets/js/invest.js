// The pipeline board: dragging a card onto another stage opens that move's gate form (the
// same form the card's "Move" button asks for), listing the fields still missing.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) { return; }
  board.addEventListener("dragstart", function (ev) {
    var card = ev.target.closest && ev.target.closest(".card");
    if (card) { ev.dataTransfer.setData("text/plain", card.dataset.code); }
  });
  board.addEventListener("dragover", function (ev) {
    if (ev.target.closest && ev.target.closest(".stage")) { ev.preventDefault(); }
  });
  board.addEventListener("drop", function (ev) {
    var col = ev.target.closest && ev.target.closest(".stage");
    var code = ev.dataTransfer.getData("text/plain");
    if (!col || !code) { return; }
    ev.preventDefault();
    var url = "/investment/projects/" + encodeURIComponent(code) + "/gate?to=" +
      encodeURIComponent(col.dataset.stage);
    if (window.htmx) { window.htmx.ajax("GET", url, { target: "#gate", swap: "innerHTML" }); }
  });
})();
