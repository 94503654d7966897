"""Ranks from scores, and the change of rank since the previous run.

Competition ranking ("1224": equal scores share the best rank, the next rank skips) is one function,
competition_ranks, over a matrix (a column per Monte Carlo draw); competition_rank ranks one Series
(optionally within groups) through it. Scores are rounded to RANK_DECIMALS first. The page's what-if
script repeats the rule in JavaScript (static/js/whatif.js, tested against this module); the award
combination (awards.scoring, which may import no app) keeps its own over several keys.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from rankings.scoring.columns import RANK

# Scores are rounded to this many decimals before ranking, so that float noise (0.30000000000000004
# against 0.3) does not split what is a tie.
RANK_DECIMALS = 9


def competition_rank(scores: pd.Series, *, groups: pd.Series | None = None) -> pd.Series:
    """Descending "1224" competition ranks: equal scores share the best rank, the next rank skips.

    scores: finite floats. groups: rank within each group (the account category) instead of overall.
    Returns int64 ranks on the same index, named RANK.
    """
    values = scores.to_numpy(dtype=np.float64)
    if groups is None:
        ranks = competition_ranks(values[:, None])[:, 0]
    else:
        codes, uniques = pd.factorize(groups, use_na_sentinel=False)
        ranks = np.empty(len(values), dtype=np.int32)
        for code in range(len(uniques)):
            members = np.flatnonzero(codes == code)
            ranks[members] = competition_ranks(values[members, None])[:, 0]
    return pd.Series(ranks.astype(np.int64), index=scores.index, name=RANK)


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks (same shape, int32) down axis 0: descending, ties (after rounding to RANK_DECIMALS) share
    the best rank, NaN last."""
    rounded = np.round(scores, RANK_DECIMALS)
    rounded[np.isnan(rounded)] = -np.inf
    order = np.argsort(-rounded, axis=0, kind="stable")
    ordered = np.take_along_axis(rounded, order, axis=0)
    first = np.zeros(ordered.shape, dtype=np.int32)
    if len(ordered):
        positions = np.arange(len(ordered), dtype=np.int32)[:, None]
        first[1:] = np.where(ordered[1:] != ordered[:-1], positions[1:], 0)
        np.maximum.accumulate(first, axis=0, out=first)
    ranks = np.empty_like(first)
    np.put_along_axis(ranks, order, first + 1, axis=0)
    return ranks


def rank_change(current: pd.Series, previous: pd.Series) -> pd.Series:
    """previous - current for each entry of `current` (positive = moved up).

    Both are ranks indexed by city. Entries missing from `previous` (new entries) are <NA>: the result
    is nullable Int64, on current's index.
    """
    before = previous.reindex(current.index).astype("Int64")
    return (before - current.astype("Int64")).rename("rank_change")
