"""Data-driven indicator weights: the entropy weight method (熵权法)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def entropy_weights(matrix: pd.DataFrame) -> pd.Series:
    """Entropy weights of the columns of `matrix` (rows: accounts; columns: indicators).

    For each column j: shift it to >= 0 if it has negative values (x - min); p_ij = x_ij / sum_i x_ij;
    e_j = -sum_i p_ij ln p_ij / ln n, with 0 ln 0 = 0; d_j = 1 - e_j; w_j = d_j / sum_j d_j. A column
    that is constant (all zero included) tells the accounts apart not at all: its p is uniform, e_j = 1
    and d_j = 0. If every d_j is 0, or there are fewer than 2 rows, the weights are equal.

    Returns float64 weights indexed by the columns of `matrix`, summing to 1.
    """
    columns = matrix.columns
    if len(columns) == 0:
        return pd.Series(dtype=np.float64, index=columns)
    equal = pd.Series(1.0 / len(columns), index=columns, dtype=np.float64)
    rows = len(matrix)
    if rows < 2:
        return equal
    values = matrix.to_numpy(dtype=np.float64)
    values = values - np.minimum(values.min(axis=0), 0.0)
    totals = values.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(totals > 0, values / np.where(totals > 0, totals, 1.0), 1.0 / rows)
        plogp = np.where(shares > 0, shares * np.log(np.where(shares > 0, shares, 1.0)), 0.0)
    entropy = -plogp.sum(axis=0) / np.log(rows)
    # Float noise can put a constant column's entropy a hair above 1; its divergence is 0, not negative.
    divergence = np.clip(1.0 - entropy, 0.0, None)
    if divergence.sum() <= 1e-12:
        return equal
    return pd.Series(divergence / divergence.sum(), index=columns, dtype=np.float64)
