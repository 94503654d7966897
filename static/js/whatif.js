/* The what-if weight explorer (rankings/scoring/whatif.py explains the arithmetic and holds the
   same steps in Python): sliders set the weights, the city ranking is recomputed, each
   city's shift against the published rank is shown, and the weights go into the URL
   (?w=key:share,…) so that a view can be shared. An exploration, not the ranking.
   data.source "browser": recomputed here from the stored city-level scores the page carries.
   data.source "server": the scheme picks or multiplies accounts, so the ranking is asked of the server
   (data.endpoint, debounced; only the latest answer is shown). Without JavaScript the sliders are a
   form the server answers (whatif.rows). */
/* The arithmetic, step for step as rankings/scoring/whatif.py does it (weights_from_shares,
   weighted_city_scores, ranks.competition_rank); tests/rankings/test_whatif_js.py runs it under
   Node.js against the Python on 1,000 random weight vectors. */
var GovweiboWhatIf = (function () {
  "use strict";

  function weights(values) {
    var total = values.reduce(function (sum, value) { return sum + value; }, 0);
    if (total <= 0) { return values.map(function () { return 1 / values.length; }); }
    return values.map(function (value) { return value / total; });
  }

  function scores(data, w) {
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

  return { weights: weights, scores: scores, rank: rank };
})();
if (typeof module === "object" && module.exports) { module.exports = GovweiboWhatIf; }

(function () {
  "use strict";
  if (typeof document === "undefined") { return; }  // Node.js (the tests): the arithmetic only
  var root = document.getElementById("whatif");
  var source = document.getElementById("whatif-data");
  if (!root || !source) { return; }
  var data = JSON.parse(source.textContent);
  if (!data.keys) { return; }
  var DELAY_MS = 150;
  var server = data.source === "server";
  var sliders = Array.prototype.slice.call(root.querySelectorAll("input[type=range][data-key]"));
  var body = root.querySelector("#whatif-table tbody");
  var shown = root.querySelector("[data-whatif-weights]");
  var errorBox = root.querySelector("#whatif-error");
  var form = root.querySelector("#whatif-form");
  var lang = document.documentElement.lang || "zh-hans";
  var scoreFormat = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var weightFormat = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var template = root.querySelector("template");
  var byId = {};
  data.cities.forEach(function (city) { byId[city.id] = city; });
  var timer = null, sequence = 0;

  function shares() {
    return sliders.map(function (slider) { return Number(slider.value); });
  }

  var weights = GovweiboWhatIf.weights;
  function scores(w) { return GovweiboWhatIf.scores(data, w); }
  var rank = GovweiboWhatIf.rank;

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
      link.href = link.dataset.href.replace("{id}", row.city.id);
      tr.querySelector(".w-score").textContent = scoreFormat.format(row.score);
      tr.querySelector(".w-published").textContent = row.city.rank;
      var cell = tr.querySelector(".w-shift");
      cell.textContent = shift > 0 ? "▲" + shift : shift < 0 ? "▼" + (-shift) : "＝";
      cell.className = "num w-shift " + (shift > 0 ? "rank-up" : shift < 0 ? "rank-down" : "rank-same");
      rows.appendChild(tr);
    });
    body.replaceChildren(rows);
    showWeights(w);
  }

  function showWeights(w) {
    sliders.forEach(function (slider, k) {
      root.querySelector("[data-weight-of='" + slider.dataset.key + "']").textContent = weightFormat.format(w[k]);
    });
    if (shown) { shown.dataset.weights = w.join(","); }
  }

  function showError(text) {
    if (!errorBox) { return; }
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  function param(values) {
    return data.keys.map(function (key, k) { return key + ":" + values[k]; }).join(",");
  }

  function isPublished(values) {
    return data.shares.join(",") === values.join(",");
  }

  function toUrl(values) {
    var url = new URL(window.location.href);
    data.keys.forEach(function (key) { url.searchParams.delete("w." + key); });
    if (isPublished(values)) { url.searchParams.delete("w"); } else { url.searchParams.set("w", param(values)); }
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

  function published() {
    // The published ranking itself (the page's ranks and scores), by rank.
    return data.cities.map(function (city) { return { city: city, score: city.score, rank: city.rank }; })
      .sort(function (a, b) { return a.rank - b.rank; });
  }

  function ask(values, w) {
    // Server mode: the latest slider values, after a pause, through the endpoint.
    window.clearTimeout(timer);
    root.dataset.ready = "false";
    timer = window.setTimeout(function () {
      var mine = ++sequence;
      var url = new URL(data.endpoint, window.location.href);
      url.searchParams.set("w", param(values));
      fetch(url.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
        })
        .then(function (result) {
          if (mine !== sequence) { return; }
          // Errors have the one JSON shape: {"error": {"code", "message", "details"}} (core.responses).
          if (!result.ok) { throw new Error((result.answer.error && result.answer.error.message) || data.failed); }
          showError("");
          render(result.answer.cities.map(function (row) {
            var city = byId[row.id] || { id: row.id, name: row.name, rank: row.published_rank };
            return { city: city, score: row.score, rank: row.rank };
          }), w);
          root.dataset.ready = "true";
        })
        .catch(function (error) {
          if (mine !== sequence) { return; }
          showError(error && error.message ? error.message : data.failed);
          root.dataset.ready = "true";
        });
    }, DELAY_MS);
  }

  function update(writeUrl, first) {
    var values = shares();
    sliders.forEach(function (slider) { slider.setAttribute("aria-valuetext", slider.value); });
    var w = weights(values);
    if (writeUrl) { toUrl(values); }
    if (!server) {
      render(rank(scores(w)), w);
      root.dataset.ready = "true";
    } else if (first && data.rendered && data.given && data.given.join(",") === values.join(",")) {
      showWeights(w);  // the server rendered this ranking into the page already
      root.dataset.ready = "true";
    } else if (isPublished(values)) {
      window.clearTimeout(timer);
      sequence++;
      render(published(), data.weights);
      root.dataset.ready = "true";
    } else {
      ask(values, w);
    }
  }

  sliders.forEach(function (slider) {
    slider.addEventListener("input", function () { showError(""); update(true, false); });
  });
  if (form) { form.addEventListener("submit", function (event) { event.preventDefault(); update(true, false); }); }
  var submit = root.querySelector("#whatif-submit");
  if (submit) { submit.hidden = true; }
  var reset = root.querySelector("#whatif-reset");
  if (reset) {
    reset.hidden = false;
    reset.addEventListener("click", function () {
      showError("");
      sliders.forEach(function (slider, k) { slider.value = data.shares[k]; });
      update(true, false);
    });
  }
  if (fromUrl()) { root.open = true; }
  update(false, true);
})();
