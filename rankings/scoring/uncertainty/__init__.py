"""Uncertainty analysis of the city ranking (JRC/COINr): Monte Carlo over weights and normalisation.

Each draw multiplies every indicator weight w_k and every counted category weight v_g by a factor
U(1 - spread, 1 + spread), renormalises each set to sum 1, picks one normalisation method uniformly
and recomputes the city ranking. `summarise` turns the draws into a median rank and a 5-95 % interval.

The model a draw recomputes (n accounts, K indicators, C cities, G categories):
- account composite = scale * sum_k w_k X[i, k] (arithmetic) or scale * prod_k X[i, k] ** w_k
  (geometric, over the indicators of positive weight, negative values read as 0: an account with a
  0 in any of them scores 0), as aggregate.composite computes it;
- with category weights v: per (city, category) group the `account_to_city` aggregate s[c, g] of the
  composites (max | mean | sum | top3_mean = mean of the best 3, or of all if fewer); city score =
  sum_g v_g s[c, g] over present groups (missing="zero"), or that divided by the sum of the present
  v_g (missing="renormalize"; 0 for a city with no counted group), as aggregate.combine_categories.
  Categories with v_g = NaN do not count. Without category weights: the aggregate over all the
  city's accounts (NaN for a city with none);
- rank: competition ranking ("1224") of the scores rounded to 9 decimals, descending; NaN last.
Weights must be non-negative; the ranking does not depend on their scale, and draws use them
renormalised to sum 1 (a weight of 0 stays 0).

Speed: draws are vectorised (composites = X @ W.T for a chunk of draws), and `prepare` shrinks the
input once: it drops uncounted categories, pre-aggregates groups where the model is linear
(arithmetic mean/sum), and drops accounts that can never reach a group's max or top 3 (see
`shrink._undominated`). Pure numpy/pandas: no Django.

Modules: inputs (UncertaintyInput and its options), draws (seeded weight perturbations and method
choices), groups (account grouping helpers), shrink (prepare), simulate (simulate_ranks,
competition_ranks, summarise).
"""
from rankings.scoring.uncertainty.draws import (
    STREAM_CATEGORY_WEIGHTS,
    STREAM_INDICATOR_WEIGHTS,
    STREAM_METHOD,
    method_draws,
    perturbation_factors,
    weight_draws,
)
from rankings.scoring.uncertainty.inputs import (
    ACCOUNT_TO_CITY,
    AGGREGATION,
    MISSING_CATEGORY,
    UncertaintyInput,
)
from rankings.scoring.uncertainty.shrink import prepare
from rankings.scoring.uncertainty.simulate import (
    CITY_ID,
    MEDIAN_RANK,
    RANK_P05,
    RANK_P95,
    ROUND_DECIMALS,
    competition_ranks,
    simulate_ranks,
    summarise,
)

__all__ = [
    "ACCOUNT_TO_CITY", "AGGREGATION", "CITY_ID", "MEDIAN_RANK", "MISSING_CATEGORY", "RANK_P05", "RANK_P95",
    "ROUND_DECIMALS", "STREAM_CATEGORY_WEIGHTS", "STREAM_INDICATOR_WEIGHTS", "STREAM_METHOD",
    "UncertaintyInput", "competition_ranks", "method_draws", "perturbation_factors", "prepare",
    "simulate_ranks", "summarise", "weight_draws",
]
