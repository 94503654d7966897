"""The what-if arithmetic exists once in Python (rankings.scoring.whatif) and is repeated in the page's
script (static/js/whatif.js) so that a slider answers at once, offline. This test runs the script under
Node.js and holds both to the same weights, scores (to far below the two decimals shown) and
competition ranks on 1,000 random weight vectors, in the three modes the browser computes."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rankings.scoring.whatif import weighted_city_scores, weights_from_shares

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "whatif.js"
VECTORS = 1000
RUNNER = """
const math = require(process.argv[1]);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const answers = cases.vectors.map(function (shares, n) {
  const data = cases.data[n % cases.data.length];
  const w = math.weights(shares);
  const order = math.rank(math.scores(data, w));
  return {weights: w, rows: order.map(function (row) { return [row.city.id, row.score, row.rank]; })};
});
process.stdout.write(JSON.stringify(answers));
"""

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")


def _data(rng: np.random.Generator, *, mode: str, missing: str, scale: float, cities: int = 60,
          keys: int = 5) -> dict[str, object]:
    """A page's what-if data: random values, some missing, and a few cities tied on purpose."""
    values = rng.uniform(0, 100 if mode == "categories" else 1, size=(cities, keys))
    values[rng.random((cities, keys)) < 0.2] = np.nan
    values[1] = values[0]  # a tie
    return {"mode": mode, "missing": missing, "scale": scale, "cities": [
        {"id": 100 + number, "rank": number + 1,
         "values": [None if np.isnan(value) else float(value) for value in row]}
        for number, row in enumerate(values)]}


def _python(data: dict[str, object], shares: list[float]) -> tuple[list[float], pd.DataFrame]:
    keys = [f"k{number}" for number in range(len(shares))]
    weights = weights_from_shares(dict(zip(keys, shares, strict=True)))
    values = pd.DataFrame([[np.nan if value is None else value for value in city["values"]] for city in data["cities"]],
                          index=[city["id"] for city in data["cities"]], columns=keys)
    renormalize = data["mode"] == "categories" and data["missing"] == "renormalize"
    return list(weights.values()), weighted_city_scores(values, weights, renormalize=renormalize, scale=data["scale"])


def test_the_pages_script_and_the_python_agree_on_a_thousand_random_weight_vectors() -> None:
    rng = np.random.default_rng(19)
    data = [_data(rng, mode="categories", missing="zero", scale=1.0),
            _data(rng, mode="categories", missing="renormalize", scale=1.0),
            _data(rng, mode="indicators", missing="zero", scale=100.0)]
    vectors = rng.integers(0, 101, size=(VECTORS, 5)).astype(float)
    vectors[::97] = 0.0  # every share 0: equal weights
    vectors[::31, 1:] = 0.0  # one weight alone
    cases = {"data": data, "vectors": vectors.tolist()}
    answer = subprocess.run(["node", "-e", RUNNER, str(SCRIPT)], input=json.dumps(cases), capture_output=True,
                            text=True, check=True, timeout=60)
    for number, (shares, browser) in enumerate(zip(vectors.tolist(), json.loads(answer.stdout), strict=True)):
        weights, python = _python(data[number % len(data)], shares)
        assert browser["weights"] == pytest.approx(weights, abs=1e-15)
        rows = pd.DataFrame(browser["rows"], columns=["city_id", "score", "rank"]).set_index("city_id")
        python = python.reindex(rows.index)
        assert np.allclose(rows["score"], python["score"], rtol=0, atol=1e-9), number
        assert rows["score"].map("{:.2f}".format).tolist() == python["score"].map("{:.2f}".format).tolist(), number
        assert rows["rank"].tolist() == python["rank"].tolist(), number
