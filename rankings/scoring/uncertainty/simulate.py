"""The vectorised draws: simulate_ranks (group and city scores, competition ranks) and summarise."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rankings.scoring.ranks import RANK_DECIMALS, competition_ranks
from rankings.scoring.uncertainty.draws import (
    STREAM_CATEGORY_WEIGHTS,
    STREAM_INDICATOR_WEIGHTS,
    method_draws,
    weight_draws,
)
from rankings.scoring.uncertainty.groups import _groups, _starts
from rankings.scoring.uncertainty.inputs import UncertaintyInput

ROUND_DECIMALS = RANK_DECIMALS  # ranks.competition_ranks rounds there

# summarise() columns.
CITY_ID = "city_id"
MEDIAN_RANK = "median_rank"
RANK_P05 = "rank_p05"
RANK_P95 = "rank_p95"

_CHUNK_BYTES = 48 * 2**20  # one (rows x draws) float64 work array; about four are alive at once


@dataclass
class _Plan:
    """The input laid out for vectorised draws: counted rows sorted by group."""

    matrices: list[np.ndarray]  # per method (rows x K); geometric: log(X), 0 where X <= 0
    zero_rows: list[np.ndarray]  # geometric: rows with a positive-weight indicator <= 0, per method
    starts: np.ndarray  # first row of each group
    sizes: np.ndarray  # rows per group
    group_city: np.ndarray
    group_category: np.ndarray
    city_starts: np.ndarray  # first group of each city that has a group
    cities_present: np.ndarray

    @classmethod
    def build(cls, inp: UncertaintyInput) -> _Plan:
        rows, key = _groups(inp)
        identity = len(rows) == inp.accounts and (rows == np.arange(inp.accounts)).all()
        matrices = [x if identity else x[rows] for x in inp.matrices.values()]
        zero_rows = []
        if inp.aggregation == "geometric":
            weighted = inp.indicator_weights > 0
            zero_rows = [np.flatnonzero((x[:, weighted] <= 0).any(axis=1)) for x in matrices]
            matrices = [np.log(x, out=np.zeros_like(x), where=x > 0) for x in matrices]
        starts = _starts(key)
        first = rows[starts]
        group_city = inp.city_codes[first]
        city_starts = _starts(group_city)
        return cls(
            matrices=matrices,
            zero_rows=zero_rows,
            starts=starts,
            sizes=np.diff(np.r_[starts, len(rows)]),
            group_city=group_city,
            group_category=inp.category_codes[first],
            city_starts=city_starts,
            cities_present=group_city[city_starts],
        )


def simulate_ranks(
    inp: UncertaintyInput, *, draws: int, seed: int, spread: float, start: int = 0, count: int | None = None
) -> np.ndarray:
    """Ranks (C x count) int32 for draws [start, start+count) of the N=draws sequence.

    All perturbations of the `draws` sequence come from `seed`, so a draw's result does not depend
    on how the sequence is split into slices.
    """
    count = draws - start if count is None else count
    if not (0 <= start and count >= 0 and start + count <= draws):
        raise ValueError("the slice [start, start + count) must lie within [0, draws)")
    window = slice(start, start + count)
    w = weight_draws(
        inp.indicator_weights, draws=draws, seed=seed, spread=spread, stream=STREAM_INDICATOR_WEIGHTS
    )[window]
    v = None
    if inp.category_weights is not None:
        v = weight_draws(
            inp.category_weights, draws=draws, seed=seed, spread=spread, stream=STREAM_CATEGORY_WEIGHTS
        )[window]
    method = method_draws(len(inp.matrices), draws=draws, seed=seed)[window]

    plan = _Plan.build(inp)
    ranks = np.empty((len(inp.city_ids), count), dtype=np.int32)
    chunk = max(1, _CHUNK_BYTES // (8 * max(1, int(plan.sizes.sum()))))
    for m in range(len(inp.matrices)):
        mine = np.flatnonzero(method == m)
        for lo in range(0, len(mine), chunk):
            cols = mine[lo : lo + chunk]
            groups = _group_scores(inp, plan, m, w[cols])
            scores = _city_scores(inp, plan, groups, None if v is None else v[cols])
            ranks[:, cols] = competition_ranks(scores)
    return ranks


def _group_scores(inp: UncertaintyInput, plan: _Plan, m: int, w: np.ndarray) -> np.ndarray:
    """(groups x draws) scale * account_to_city aggregate of the composites."""
    if not len(plan.starts):
        return np.empty((0, len(w)))
    composite = plan.matrices[m] @ w.T  # arithmetic: the composite; geometric: its log
    geometric = inp.aggregation == "geometric"
    if geometric:
        composite[plan.zero_rows[m]] = -np.inf
    how = inp.account_to_city
    if how == "top3_mean":
        scores = _top3_mean(composite, plan, exp=geometric)
    elif how == "max":
        scores = np.maximum.reduceat(composite, plan.starts, axis=0)
        if geometric:
            np.exp(scores, out=scores)
    else:
        if geometric:
            np.exp(composite, out=composite)
        scores = np.add.reduceat(composite, plan.starts, axis=0)
        if how == "mean":
            scores /= plan.sizes[:, None]
    scores *= inp.scale
    return scores


def _top3_mean(values: np.ndarray, plan: _Plan, *, exp: bool) -> np.ndarray:
    """Mean of each group's best 3 rows (all if fewer): running top-3 over groups sorted by size."""
    by_size = np.argsort(-plan.sizes, kind="stable")
    sizes, starts = plan.sizes[by_size], plan.starts[by_size]
    top = np.full((3, len(sizes), values.shape[1]), -np.inf)
    active = np.searchsorted(-sizes, -np.arange(sizes[0] if len(sizes) else 0), side="left")
    for position, groups in enumerate(active):  # groups = how many have a row at `position`
        x = values[starts[:groups] + position]
        t1, t2, t3 = top[0, :groups], top[1, :groups], top[2, :groups]
        np.maximum(t3, np.minimum(t2, x), out=t3)
        np.maximum(t2, np.minimum(t1, x), out=t2)
        np.maximum(t1, x, out=t1)
    if exp:
        np.exp(top, out=top)
    total = top[0] + np.where(sizes[:, None] >= 2, top[1], 0) + np.where(sizes[:, None] >= 3, top[2], 0)
    result = np.empty_like(total)
    result[by_size] = total / np.minimum(sizes, 3)[:, None]
    return result


def _city_scores(inp: UncertaintyInput, plan: _Plan, groups: np.ndarray, v: np.ndarray | None) -> np.ndarray:
    """(C x draws) city scores from group scores."""
    cities, draws = len(inp.city_ids), groups.shape[1]
    if v is None:
        scores = np.full((cities, draws), np.nan)
        scores[plan.group_city] = groups
        return scores
    weights = v.T[plan.group_category]  # (groups x draws)
    scores = np.zeros((cities, draws))
    if not len(plan.city_starts):
        return scores
    scores[plan.cities_present] = np.add.reduceat(groups * weights, plan.city_starts, axis=0)
    if inp.missing_category == "renormalize":
        total = np.zeros((cities, draws))
        total[plan.cities_present] = np.add.reduceat(weights, plan.city_starts, axis=0)
        np.divide(scores, total, out=scores, where=total > 0)
    return scores


def summarise(ranks: np.ndarray, city_ids: np.ndarray) -> pd.DataFrame:
    """Columns city_id, median_rank, rank_p05, rank_p95 (float; numpy percentile, linear).

    One row per city (row of `ranks`, in city_ids order).
    """
    p05, median, p95 = np.percentile(ranks, [5, 50, 95], axis=1, method="linear")
    return pd.DataFrame({CITY_ID: city_ids, MEDIAN_RANK: median, RANK_P05: p05, RANK_P95: p95})
