"""Groups of accounts: (city, category), or city when accounts are pooled. Used by shrink and simulate."""
from __future__ import annotations

import numpy as np

from rankings.scoring.uncertainty.inputs import UncertaintyInput


def _groups(inp: UncertaintyInput) -> tuple[np.ndarray, np.ndarray]:
    """(rows counted, sorted by group; their group key). Group = (city, category), or city if pooled."""
    if inp.category_weights is None:
        key = inp.city_codes
        rows = np.arange(inp.accounts)
    else:
        key = inp.city_codes * len(inp.category_weights) + inp.category_codes
        rows = np.flatnonzero(~np.isnan(inp.category_weights)[inp.category_codes])
    if len(rows) and not (np.diff(key[rows]) >= 0).all():
        rows = rows[np.argsort(key[rows], kind="stable")]
    return rows, key[rows]


def _starts(sorted_key: np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]]) if len(sorted_key) else sorted_key
