"""Ranks from scores, and the change of rank since the previous run."""
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
    rounded = scores.astype(np.float64).round(RANK_DECIMALS)
    ranked = rounded if groups is None else rounded.groupby(groups, sort=False, observed=True, dropna=False)
    return ranked.rank(method="min", ascending=False).astype(np.int64).rename(RANK)


def rank_change(current: pd.Series, previous: pd.Series) -> pd.Series:
    """previous - current for each entry of `current` (positive = moved up).

    Both are ranks indexed by city. Entries missing from `previous` (new entries) are <NA>: the result
    is nullable Int64, on current's index.
    """
    before = previous.reindex(current.index).astype("Int64")
    return (before - current.astype("Int64")).rename("rank_change")
