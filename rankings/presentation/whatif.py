"""The what-if weight explorer: the stored scores a browser needs to recompute a run's city ranking
with other weights (static/js/whatif.js), and the same arithmetic in Python, which the tests hold
against a real score run with those weights.

Which weights can be recomputed exactly from what a run stores:
- a scheme with category weights: the city score is the weighted sum of its category scores
  (rankings.scoring.aggregate.combine_categories, whatever the indicators' aggregation, arithmetic or
  geometric: that acts inside the category scores, which do not depend on the category weights). With
  missing_category "zero" a category without accounts adds 0; with "renormalize" the sum is divided by
  the weights of the categories present.
- a scheme without category weights, arithmetic aggregation and account_to_city mean or sum: the city
  score is scale × Σ w_k × (the city's mean or sum of normalised indicator k), which the run stores per
  city (CityScore.indicators, rounded to 6 decimals: the recomputed score can differ from a run's in
  the 6th decimal).
Other schemes (max or best-three accounts, or geometric aggregation without categories) pick or
multiply accounts by their composite, which other weights change: the explorer says it is unavailable.

Weights: each slider is a share 0–100; the weights used are the shares divided by their sum, as a
scheme's weights must sum to 1. Ranks are competition ranks ("1224") of scores rounded to 9 decimals,
as rankings.scoring.ranks.competition_rank gives them.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from rankings.labels import city_name, indicator_labels, province_name
from rankings.models import ScoreRun
from rankings.presentation.city import category_label
from rankings.selectors import cities as reads

RANK_DECIMALS = 9
CATEGORIES_MODE = "categories"
INDICATORS_MODE = "indicators"


def whatif_data(*, run: ScoreRun, ranking: pd.DataFrame) -> dict[str, object]:
    """What static/js/whatif.js reads (as JSON): mode, missing, scale, the weights with their labels,
    and each city's id, name, province, published rank and score and its values (null: no account of
    that category). Or {"unavailable": reason} for a scheme whose ranking cannot be recomputed.
    One query in indicator mode (the cities' indicators); none in category mode (`ranking` has them)."""
    definition = run.definition
    if definition.category_weights:
        keys = reads.run_categories(run)
        weights = {key: float(definition.category_weights[key]) for key in keys}
        labels = {key: category_label(key) for key in keys}
        values = ranking[keys]
        mode, scale = CATEGORIES_MODE, 1.0
    elif definition.aggregation == "arithmetic" and definition.account_to_city in ("mean", "sum"):
        keys = list(definition.indicator_keys)
        recorded = run.weights or {}
        weights = {key: float(recorded.get(key, {}).get("used", definition.manual_weights[key])) for key in keys}
        names = indicator_labels(run=run)
        labels = {key: names.get(key, key) for key in keys}
        values = reads.indicators_frame(run=run).reindex(ranking[reads.CITY_ID].to_numpy())
        mode, scale = INDICATORS_MODE, float(definition.scale)
    else:
        return {"unavailable": _("This scheme picks or multiplies accounts by their score (%(how)s, %(aggregation)s "
                                 "aggregation), so other weights cannot be recomputed from the stored city scores.")
                % {"how": definition.account_to_city, "aggregation": definition.aggregation}}
    cities = [
        {"id": int(row[reads.CITY_ID]), "name": city_name(row[reads.CITY], row[reads.CITY_EN]),
         "province": province_name(row[reads.PROVINCE]), "rank": int(row[reads.RANK]), "score": float(row[reads.SCORE]),
         "values": [None if pd.isna(value) else float(value) for value in cells]}
        for (_index, row), cells in zip(ranking.iterrows(), values.to_numpy(dtype="float64"), strict=True)
    ]
    return {"mode": mode, "missing": definition.missing_category, "scale": scale,
            "keys": keys, "labels": [labels[key] for key in keys],
            "weights": [weights[key] for key in keys],
            "shares": [round(100 * weights[key]) for key in keys], "cities": cities}


def weights_from_shares(shares: dict[str, float]) -> dict[str, float]:
    """Slider shares (0–100) as weights summing to 1 (all equal when every share is 0)."""
    total = math.fsum(shares.values())
    if total <= 0:
        return {key: 1.0 / len(shares) for key in shares}
    return {key: value / total for key, value in shares.items()}


def whatif_scores(data: dict[str, object], weights: dict[str, float]) -> pd.DataFrame:
    """The explorer's arithmetic in Python, step for step as static/js/whatif.js does it: index city
    id, columns score and rank. `weights`: by key, summing to 1 (weights_from_shares)."""
    keys = data["keys"]
    w = np.array([weights[key] for key in keys], dtype="float64")
    cities = data["cities"]
    values = np.array([[np.nan if value is None else value for value in city["values"]] for city in cities],
                      dtype="float64").reshape(len(cities), len(keys))
    present = ~np.isnan(values)
    totals = np.where(present, values, 0.0) @ w
    if data["mode"] == CATEGORIES_MODE and data["missing"] == "renormalize":
        present_weight = present.astype("float64") @ w
        totals = np.where(present_weight > 0, totals / np.where(present_weight > 0, present_weight, 1.0), 0.0)
    scores = totals * float(data["scale"])
    rounded = pd.Series(scores).round(RANK_DECIMALS)
    ranks = rounded.rank(method="min", ascending=False).astype("int64")
    return pd.DataFrame({"score": scores, "rank": ranks.to_numpy()},
                        index=pd.Index([city["id"] for city in cities], name="city_id"))
