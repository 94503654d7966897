/* The what-if weight explorer (rankings/presentation/whatif.py explains the arithmetic, and holds the
   same steps in Python for the tests): sliders set the weights, the city ranking is recomputed from the
   stored scores in the browser, each city's shift against the published rank is shown, and the weights
   go into the URL (?w=key:share,…) so that a view can be shared. An exploration, not the ranking. */
(function () {
  "use strict";
  var root = document.getElementById("whatif");
  var source = document.getElementById("whatif-data");
  if (!root || !source) { return; }
  var data = JSON.parse(source.textContent);
  if (!data.keys) { return; }
  var sliders = Array.prototype.slice.call(root.querySelectorAll("input[type=range][data-key]"));
  var body = root.querySelector("tbody");
  var shown = root.querySelector("[data-whatif-weights]");
  var lang = document.documentElement.lang || "zh-hans";
  var scoreFormat = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var weightFormat = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var template = root.querySelector("template");

  function shares() {
    return sliders.map(function (slider) { return Number(slider.value); });
  }

  function weights(values) {
    var total = values.reduce(function (sum, value) { return sum + value; }, 0);
    if (total <= 0) { return values.map(function () { return 1 / values.length; }); }
    return values.map(function (value) { return value / total; });
  }

  function scores(w) {
    return data.cities.map(function (city) {
      var total = 0, presentWeight = 0;
      for (var k = 0; k < w.length; k++) {
        var value = city.values[k];
        if (value !== null) { total += value * w[k]; presentWeight += w[k]; }
      }
      if (data.mode === "categories" && data.missing === "renormalize") {
        total = presentWeight > 0 ? total / presentWeight : 0;
      }
      return { city: city, score: total * data.scale };
    });
  }

  function rank(rows) {
    // Competition ranks ("1224") of scores rounded to 9 decimals, as the scoring engine ranks.
    rows.forEach(function (row) { row.key = Math.round(row.score * 1e9) / 1e9; });
    var order = rows.slice().sort(function (a, b) { return b.key - a.key || a.city.rank - b.city.rank; });
    var previous = null, previousRank = 0;
    order.forEach(function (row, index) {
      row.rank = (previous !== null && row.key === previous) ? previousRank : index + 1;
      previous = row.key; previousRank = row.rank;
    });
    return order;
  }

  function render(order, w) {
    var rows = document.createDocumentFragment();
    order.forEach(function (row) {
      var tr = template.content.firstElementChild.cloneNode(true);
      var shift = row.city.rank - row.rank;
      tr.dataset.cityId = row.city.id;
      tr.dataset.rank = row.rank;
      tr.dataset.score = row.score;
      tr.querySelector(".w-rank").textContent = row.rank;
      var link = tr.querySelector(".w-city a");
      link.textContent = row.city.name;
      link.href = link.href.replace("/0/", "/" + row.city.id + "/");
      tr.querySelector(".w-score").textContent = scoreFormat.format(row.score);
      tr.querySelector(".w-published").textContent = row.city.rank;
      var cell = tr.querySelector(".w-shift");
      cell.textContent = shift > 0 ? "▲" + shift : shift < 0 ? "▼" + (-shift) : "＝";
      cell.className = "num w-shift " + (shift > 0 ? "rank-up" : shift < 0 ? "rank-down" : "rank-same");
      rows.appendChild(tr);
    });
    body.replaceChildren(rows);
    sliders.forEach(function (slider, k) {
      root.querySelector("[data-weight-of='" + slider.dataset.key + "']").textContent = weightFormat.format(w[k]);
    });
    if (shown) { shown.dataset.weights = w.join(","); }
  }

  function toUrl(values) {
    var url = new URL(window.location.href);
    var published = data.shares.join(",") === values.join(",");
    if (published) { url.searchParams.delete("w"); } else {
      url.searchParams.set("w", data.keys.map(function (key, k) { return key + ":" + values[k]; }).join(","));
    }
    window.history.replaceState(null, "", url.toString());
  }

  function fromUrl() {
    var text = new URL(window.location.href).searchParams.get("w");
    if (!text) { return false; }
    var given = {};
    text.split(",").forEach(function (part) {
      var pieces = part.split(":");
      var value = Number(pieces[1]);
      if (pieces.length === 2 && isFinite(value) && value >= 0 && value <= 100) { given[pieces[0]] = value; }
    });
    sliders.forEach(function (slider) {
      if (Object.prototype.hasOwnProperty.call(given, slider.dataset.key)) { slider.value = given[slider.dataset.key]; }
    });
    return true;
  }

  function update(writeUrl) {
    var values = shares();
    sliders.forEach(function (slider) { slider.setAttribute("aria-valuetext", slider.value); });
    var w = weights(values);
    render(rank(scores(w)), w);
    if (writeUrl) { toUrl(values); }
    root.dataset.ready = "true";
  }

  sliders.forEach(function (slider) { slider.addEventListener("input", function () { update(true); }); });
  var reset = root.querySelector("#whatif-reset");
  if (reset) {
    reset.addEventListener("click", function () {
      sliders.forEach(function (slider, k) { slider.value = data.shares[k]; });
      update(true);
    });
  }
  if (fromUrl()) { root.open = true; }
  update(false);
})();
