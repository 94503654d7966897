"""prepare(): shrink the input once, without changing any draw's result (dominance pruning)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from rankings.scoring.uncertainty.groups import _groups, _starts
from rankings.scoring.uncertainty.inputs import UncertaintyInput

_CANDIDATES = 16  # strongest accounts per group tried first as dominators in prepare()


def prepare(inp: UncertaintyInput) -> UncertaintyInput:
    """Shrink the input without changing any draw's result.

    Drops accounts of uncounted categories and sorts the rest by group. Arithmetic mean/sum: each
    group becomes one row holding its mean/sum (the composite is linear). max/top3_mean: drops the
    accounts that can never be a group's best (max) or among its best 3 (top3_mean).
    """
    rows, key = _groups(inp)
    if inp.aggregation == "arithmetic" and inp.account_to_city in ("mean", "sum"):
        starts = _starts(key)
        counts = np.diff(np.r_[starts, len(rows)])[:, None]
        matrices = {}
        for method, x in inp.matrices.items():
            sums = np.add.reduceat(x[rows], starts, axis=0) if len(rows) else x[:0]
            matrices[method] = sums / counts if inp.account_to_city == "mean" else sums
        first = rows[starts]
        pooled = inp.category_weights is None
        return replace(
            inp,
            matrices=matrices,
            city_codes=inp.city_codes[first],
            category_codes=np.zeros_like(first) if pooled else inp.category_codes[first],
        )
    if inp.account_to_city in ("max", "top3_mean") and len(rows):
        weighted = inp.indicator_weights > 0  # an indicator weighted 0 stays 0 and cannot matter
        columns = [x[rows][:, weighted] for x in inp.matrices.values()]
        needed = 1 if inp.account_to_city == "max" else 3
        rows = rows[_undominated(np.hstack(columns), key, needed)]
    return replace(
        inp,
        matrices={method: x[rows] for method, x in inp.matrices.items()},
        city_codes=inp.city_codes[rows],
        category_codes=inp.category_codes[rows],
    )


def _undominated(y: np.ndarray, key: np.ndarray, needed: int) -> np.ndarray:
    """Positions (into y, grouped in the same order) of the rows that can reach a group's best `needed`.

    With non-negative weights the composite is monotone in every column (geometric too: negatives
    read as 0, and a 0 gives 0), so a row b with y[b] >= y[a] everywhere scores at least a's
    composite in every draw and every method. Exact duplicates are ordered by position, making "b
    dominates a" a strict partial order (y[b] >= y[a] and b precedes a in a lexicographic descending
    sort, which extends it). A row with >= `needed` dominators can go: its first `needed` dominators
    in that sort each have fewer, so they stay, and the multiset of the best `needed` values is
    unchanged. Groups are first screened against their strongest _CANDIDATES rows (a lower bound on
    the dominators), then the survivors compared pairwise (exact).
    """
    n, width = y.shape
    lex = np.lexsort([np.arange(n), *(-y[:, k] for k in reversed(range(width))), key])
    y, key = y[lex], key[lex]
    starts = _starts(key)
    group = np.cumsum(np.r_[False, key[1:] != key[:-1]])

    # Screen: dominators among the group's strongest rows (sum of the column ranks).
    ranks = np.empty((n, width), dtype=np.intp)
    for k in range(width):
        ranks[np.argsort(y[:, k], kind="stable"), k] = np.arange(n)
    strongest = np.lexsort([-ranks.sum(axis=1), group])
    slot = np.arange(n) - starts[group[strongest]]
    pick = slot < _CANDIDATES
    candidates = np.full((len(starts), _CANDIDATES), -1)
    candidates[group[strongest[pick]], slot[pick]] = strongest[pick]
    mine = candidates[group]  # (n x _CANDIDATES) lex positions, -1 = none
    dominated = (mine >= 0) & (mine < np.arange(n)[:, None])
    safe = np.maximum(mine, 0)
    for k in range(width):
        dominated &= y[safe, k] >= y[:, k, None]
    survivors = np.flatnonzero(dominated.sum(axis=1) < needed)

    # Exact: pairwise within each group's survivors (dominators precede in lex order).
    keep = np.ones(len(survivors), dtype=bool)
    bounds = np.flatnonzero(np.r_[True, np.diff(group[survivors]) != 0, True])
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        if hi - lo <= needed:
            continue
        sub = y[survivors[lo:hi]]
        dom = np.tril(np.ones((hi - lo, hi - lo), dtype=bool), -1)
        for k in range(width):
            dom &= sub[None, :, k] >= sub[:, None, k]
        keep[lo:hi] = dom.sum(axis=1) < needed
    return lex[survivors[keep]]
