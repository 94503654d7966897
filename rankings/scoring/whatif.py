"""The what-if explorer's arithmetic, once: the city ranking a run would publish with other weights.

Weights come as slider shares (0–100); the weights used are the shares divided by their sum, as a
scheme's weights must sum to 1 (all equal when every share is 0): weights_from_shares.

Two recomputations, both exact against real score runs with those weights:
- from city-level values (weighted_city_scores), where the city score is a weighted sum of them:
  - a scheme with category weights: the weighted sum of the city's category scores (a category
    without accounts adds 0; with missing_category "renormalize" the sum is divided by the weights
    of the categories present);
  - a scheme without category weights, arithmetic aggregation and account_to_city mean or sum:
    scale × Σ w_k × (the city's mean or sum of normalised indicator k).
  static/js/whatif.js repeats these steps in the browser (weights, scores, rank), so that a slider
  answers at once and offline; tests/rankings/test_whatif_js.py holds the two to the same scores (to
  the two decimals shown) and ranks on 1,000 random weight vectors.
- from the run's accounts (accounts_city_scores), for every other scheme: the pipeline's own
  aggregate.composite with the chosen weights, then pipeline.city_scores.
Ranks are competition ranks ("1224", ranks.competition_rank) of the scores.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from rankings.scoring.aggregate import composite
from rankings.scoring.columns import COMPOSITE, norm_column
from rankings.scoring.pipeline import city_scores
from rankings.scoring.ranks import competition_rank
from rankings.scoring.schemes import Scheme

SCORE = "score"
RANK = "rank"
CITY_ID = "city_id"


def weights_from_shares(shares: Mapping[str, float]) -> dict[str, float]:
    """Slider shares (0–100) as weights summing to 1 (all equal when every share is 0)."""
    total = math.fsum(shares.values())
    if total <= 0:
        return {key: 1.0 / len(shares) for key in shares}
    return {key: value / total for key, value in shares.items()}


def weighted_city_scores(values: pd.DataFrame, weights: Mapping[str, float], *, renormalize: bool,
                         scale: float) -> pd.DataFrame:
    """values: index city id, one column per weight key (NaN: the city has nothing of it). Returns the
    same index (named city_id) with columns score (scale × Σ w_k × value_k, missing values adding 0;
    with `renormalize`, divided by the weights of the values present, 0 when none is) and rank."""
    keys = list(values.columns)
    w = np.array([weights[key] for key in keys], dtype="float64")
    # C order, as the browser sums a city's values: a column-major matrix may sum in another order (last bit).
    matrix = np.ascontiguousarray(values.to_numpy(dtype="float64"))
    present = ~np.isnan(matrix)
    totals = np.where(present, matrix, 0.0) @ w
    if renormalize:
        present_weight = present.astype("float64") @ w
        totals = np.where(present_weight > 0, totals / np.where(present_weight > 0, present_weight, 1.0), 0.0)
    scores = pd.Series(totals * float(scale), index=values.index.rename(CITY_ID), dtype="float64")
    return _ranked(scores)


def accounts_city_scores(accounts: pd.DataFrame, scheme: Scheme, weights: Mapping[str, float]) -> pd.DataFrame:
    """The city scores and ranks a run of `scheme` with these weights would publish, from its stored
    account rows (CITY_ID, CATEGORY, COMPOSITE and norm_column(key) per indicator, as
    rankings.selectors.whatif reads them): index city id; columns score and rank.

    weights: by key, summing to 1; category weights for a scheme with category weights (they replace
    the scheme's: accounts keep their stored composites), else indicator weights (they replace the
    used weights: each account's composite is recomputed from its stored normalised indicators)."""
    if scheme.category_weights:
        scheme = dataclasses.replace(scheme, category_weights=dict(weights))
        composites = accounts[COMPOSITE]
    else:
        keys = list(scheme.indicator_keys)
        norm = accounts[[norm_column(key) for key in keys]].set_axis(keys, axis=1)
        used = pd.Series([weights[key] for key in keys], index=keys, dtype="float64")
        composites = composite(norm, used, method=scheme.aggregation, scale=scheme.scale)
    return _ranked(city_scores(composites, accounts, scheme).astype("float64").rename_axis(CITY_ID))


def _ranked(scores: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({SCORE: scores, RANK: competition_rank(scores)})
