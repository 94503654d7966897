/* The city ranking table at phone width: rank, city, score and change; the other columns on demand. */
(function () {
  "use strict";
  var button = document.getElementById("columns-toggle");
  var table = document.getElementById("city-ranking-table");
  if (!button || !table) { return; }
  button.addEventListener("click", function () {
    var all = table.classList.toggle("show-all");
    button.setAttribute("aria-expanded", all ? "true" : "false");
    button.textContent = all ? button.dataset.less : button.dataset.more;
  });
})();
