"""Normalisation: put indicators on a common scale before they are weighted and added.

Each method takes a float Series of finite values and returns a new float64 Series on the same index,
free of NaN. normalise() applies a method within groups (the account categories) at once, with
cythonized groupby transforms: no Python loop over groups.

- none: the values as they are (BCI adds log-counts directly).
- minmax: (x - min) / (max - min) * 100. A constant column scores 100: no one is worse than anyone.
- zscore: (x - mean) / std, population std (ddof=0). A constant column scores 0.
- rank: percentile of the average rank, (rank - 1) / (n - 1) * 100; ties share their average rank, so
  a constant column of n > 1 values scores 50 for everyone; a single value scores 100.
- distance_to_max: x / max * 100, the JRC "distance to the leader"; if max <= 0 everyone scores 100.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

METHODS = ("none", "minmax", "zscore", "rank", "distance_to_max")
# Methods whose scores are >= 0 whenever the raw values are (geometric aggregation needs that).
NON_NEGATIVE_METHODS = ("minmax", "rank", "distance_to_max")


def _statistic(values: pd.Series, groups: pd.Series | None, how: str, **options: object) -> pd.Series:
    """The statistic `how` of each row's group (of the whole Series when groups is None), row-aligned."""
    if groups is None:
        scalar = getattr(values, how)(**options) if len(values) else np.nan
        return pd.Series(scalar, index=values.index, dtype=np.float64)
    grouped = values.groupby(groups, sort=False, observed=True, dropna=False)
    return grouped.transform(how, **options).astype(np.float64)


def _none(values: pd.Series, groups: pd.Series | None) -> pd.Series:
    return values.astype(np.float64).copy()


def _minmax(values: pd.Series, groups: pd.Series | None) -> pd.Series:
    lo, hi = _statistic(values, groups, "min"), _statistic(values, groups, "max")
    span = hi - lo
    scaled = (values - lo) / span.where(span != 0, 1.0) * 100.0
    return scaled.where(span != 0, 100.0).astype(np.float64)


def _zscore(values: pd.Series, groups: pd.Series | None) -> pd.Series:
    # Constancy is decided by max == min, not std == 0: the std of equal floats can be 1e-17, not 0.
    constant = _statistic(values, groups, "max") == _statistic(values, groups, "min")
    mean, std = _statistic(values, groups, "mean"), _statistic(values, groups, "std", ddof=0)
    scores = (values - mean) / std.where(~constant, 1.0)
    return scores.where(~constant, 0.0).astype(np.float64)


def _rank(values: pd.Series, groups: pd.Series | None) -> pd.Series:
    if groups is None:
        ranks = values.rank(method="average")
    else:
        ranks = values.groupby(groups, sort=False, observed=True, dropna=False).rank(method="average")
    count = _statistic(values, groups, "count")
    scores = (ranks - 1.0) / (count - 1.0).where(count > 1, 1.0) * 100.0
    return scores.where(count > 1, 100.0).astype(np.float64)


def _distance_to_max(values: pd.Series, groups: pd.Series | None) -> pd.Series:
    top = _statistic(values, groups, "max")
    scores = values / top.where(top > 0, 1.0) * 100.0
    return scores.where(top > 0, 100.0).astype(np.float64)


_METHODS = {
    "none": _none, "minmax": _minmax, "zscore": _zscore, "rank": _rank, "distance_to_max": _distance_to_max,
}


def none(values: pd.Series) -> pd.Series:
    """The values unchanged, as float64."""
    return _none(values, None)


def minmax(values: pd.Series) -> pd.Series:
    """Scale to [0, 100]. A constant column scores 100 for everyone (no one is worse)."""
    return _minmax(values, None)


def zscore(values: pd.Series) -> pd.Series:
    """(x - mean) / std with the population std (ddof=0). A constant column scores 0."""
    return _zscore(values, None)


def rank(values: pd.Series) -> pd.Series:
    """Percentile of the average rank in [0, 100]: (rank - 1) / (n - 1) * 100; n = 1 scores 100."""
    return _rank(values, None)


def distance_to_max(values: pd.Series) -> pd.Series:
    """x / max * 100 (distance to the leader). If max <= 0, everyone scores 100."""
    return _distance_to_max(values, None)


def normalise(values: pd.Series, method: str, *, groups: pd.Series | None = None) -> pd.Series:
    """Normalise `values` by `method` (one of METHODS), separately within each group.

    groups: a Series aligned with values (the account categories), or None for one pool.
    """
    if method not in _METHODS:
        raise ValueError(f"unknown normalisation {method!r}; expected one of {', '.join(METHODS)}")
    return _METHODS[method](values.astype(np.float64), groups)
