"""Aggregation: indicators -> account composite, accounts -> city, categories -> city score."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from rankings.scoring.columns import CATEGORY, CITY_ID, SCORE

AGGREGATIONS = ("arithmetic", "geometric")
ACCOUNT_TO_CITY = ("max", "mean", "sum", "top3_mean")
MISSING_CATEGORY = ("zero", "renormalize")

Keys = pd.Series | pd.DataFrame | Sequence[pd.Series]


def counts_for_city(categories: pd.Series, category_weights: Mapping[str, float] | None) -> pd.Series:
    """True where a row's category counts towards its city's score (the one place this rule lives).

    With no category weights every category counts. With category weights, a category given no
    weight (such as "other") counts for no city: its accounts are still scored and ranked within
    their category, but they add nothing to a city's score, category rows or account count.
    """
    if not category_weights:
        return pd.Series(True, index=categories.index)
    return categories.isin(list(category_weights))


def composite(norm: pd.DataFrame, weights: pd.Series, *, method: str, scale: float) -> pd.Series:
    """The weighted composite of each row of `norm` (rows: accounts; columns: indicator keys).

    weights: indexed by indicator key (each a column of norm), summing to 1.
    - arithmetic: scale * sum_k w_k x_k.
    - geometric: scale * prod_k x_k ** w_k. Negative scores count as 0, and a row with a 0 in any
      indicator of positive weight scores 0 (an indicator of weight 0 does not matter at all, as
      x ** 0 == 1 would say).
    Returns float64 on norm's index.
    """
    matrix = norm[list(weights.index)].to_numpy(dtype=np.float64)
    w = weights.to_numpy(dtype=np.float64)
    if method == "arithmetic":
        values = matrix @ w if len(w) else np.zeros(len(norm))
    elif method == "geometric":
        values = _geometric(matrix, w)
    else:
        raise ValueError(f"unknown aggregation {method!r}; expected one of {', '.join(AGGREGATIONS)}")
    return pd.Series(values * scale, index=norm.index, dtype=np.float64)


def _geometric(matrix: np.ndarray, w: np.ndarray) -> np.ndarray:
    weighted = matrix[:, w > 0].clip(min=0.0)
    w = w[w > 0]
    has_zero = (weighted == 0).any(axis=1)
    logs = np.log(np.where(weighted > 0, weighted, 1.0)) @ w
    return np.where(has_zero, 0.0, np.exp(logs))


def _key_list(keys: Keys) -> list[pd.Series]:
    if isinstance(keys, pd.Series):
        return [keys]
    if isinstance(keys, pd.DataFrame):
        return [keys[column] for column in keys.columns]
    return list(keys)


def to_city(
    values: pd.DataFrame | pd.Series, keys: Keys, how: str, *, by: pd.Series | None = None
) -> pd.DataFrame | pd.Series:
    """Aggregate account `values` per group of `keys` (the city, or city and category).

    keys: a Series, a list of Series or a DataFrame, aligned with values' (unique) index.
    how: max | mean | sum | top3_mean (the mean of the group's best 3, or of all if it has fewer).
    by: for max and top3_mean, pick the best accounts by this Series (the composite) and aggregate
    their values, instead of picking the best of each column on its own. Then a city's indicator
    columns are those of the accounts that made its score. Ties go to the earlier row.
    Returns the aggregate indexed by the keys (sorted), with values' columns or name.
    """
    key_list = _key_list(keys)
    if how not in ACCOUNT_TO_CITY:
        raise ValueError(f"unknown account_to_city {how!r}; expected one of {', '.join(ACCOUNT_TO_CITY)}")
    if how in ("mean", "sum") or (how == "max" and by is None):
        return values.groupby(key_list, sort=True, observed=True).agg(how)
    if by is None and isinstance(values, pd.DataFrame):
        parts = {column: to_city(values[column], key_list, how) for column in values.columns}
        return pd.DataFrame(parts, columns=values.columns).rename_axis(_names(key_list))
    best = _best_rows(values if by is None else by, key_list, 1 if how == "max" else 3)
    chosen = [key[best] for key in key_list]
    return values[best].groupby(chosen, sort=True, observed=True).mean()


def _names(key_list: list[pd.Series]) -> str | list[str]:
    names = [key.name for key in key_list]
    return names[0] if len(names) == 1 else names


def _best_rows(order: pd.Series, key_list: list[pd.Series], count: int) -> pd.Series:
    """True for the `count` highest rows of `order` within each group (stable: ties to earlier rows)."""
    frame = pd.DataFrame({f"key{i}": key for i, key in enumerate(key_list)})
    frame["order"] = order
    ranked = frame.sort_values("order", ascending=False, kind="stable")
    position = ranked.groupby([f"key{i}" for i in range(len(key_list))], sort=False, observed=True,
                              dropna=False).cumcount()
    return (position < count).reindex(frame.index)


def combine_categories(
    city_categories: pd.DataFrame, category_weights: Mapping[str, float], *, missing: str, value: str = SCORE
) -> pd.Series:
    """Each city's weighted sum over categories of `value`.

    city_categories: one row per (CITY_ID, CATEGORY) that has scored accounts, with a `value` column.
    Categories without a weight are ignored (the city is still listed). missing:
    - zero: a weighted category with no row for the city contributes 0;
    - renormalize: sum over present categories of w * value / sum of their w (0 if none is present).
    Returns float64 indexed by CITY_ID (sorted), named `value`.
    """
    if missing not in MISSING_CATEGORY:
        choices = ", ".join(MISSING_CATEGORY)
        raise ValueError(f"unknown missing_category {missing!r}; expected one of {choices}")
    weight = city_categories[CATEGORY].map(dict(category_weights)).astype(np.float64).fillna(0.0)
    cities = city_categories[CITY_ID]
    weighted = (city_categories[value].astype(np.float64) * weight).groupby(cities, sort=True).sum()
    if missing == "renormalize":
        present = weight.groupby(cities, sort=True).sum()
        weighted = (weighted / present.where(present > 0, 1.0)).where(present > 0, 0.0)
    return weighted.astype(np.float64).rename(value).rename_axis(CITY_ID)
