/* The compare page's city picker (templates/rankings/city_compare.html), enhanced: the search box narrows
   the list as one types (without JavaScript its “Search” button asks the server), and once the maximum
   is ticked the other boxes are disabled until one is unticked. */
(function () {
  "use strict";
  var form = document.getElementById("compare-picker");
  if (!form) { return; }
  var search = document.getElementById("compare-search");
  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="city"]'));
  var limit = parseInt(form.dataset.max || "4", 10);
  function limitChoices() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    boxes.forEach(function (box) { box.disabled = !box.checked && ticked >= limit; });
  }
  function filter() {
    var needle = search.value.trim().toLowerCase();
    boxes.forEach(function (box) {
      var label = box.closest("label");
      label.hidden = !box.checked && needle !== "" && label.dataset.name.indexOf(needle) === -1;
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", limitChoices); });
  search.addEventListener("input", filter);
  limitChoices();
})();
