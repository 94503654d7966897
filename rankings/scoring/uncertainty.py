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
`_undominated`). Pure numpy/pandas: no Django.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

ACCOUNT_TO_CITY = ("max", "mean", "sum", "top3_mean")
MISSING_CATEGORY = ("zero", "renormalize")
AGGREGATION = ("arithmetic", "geometric")
ROUND_DECIMALS = 9

# summarise() columns.
CITY_ID = "city_id"
MEDIAN_RANK = "median_rank"
RANK_P05 = "rank_p05"
RANK_P95 = "rank_p95"

# Random streams of one seed: each is deterministic on its own, so adding a draw or a method never
# shifts the others.
STREAM_INDICATOR_WEIGHTS = 0
STREAM_CATEGORY_WEIGHTS = 1
STREAM_METHOD = 2

_CHUNK_BYTES = 48 * 2**20  # one (rows x draws) float64 work array; about four are alive at once
_CANDIDATES = 16  # strongest accounts per group tried first as dominators in prepare()


@dataclass(frozen=True, eq=False)
class UncertaintyInput:
    """Everything a draw needs. Arrays are coerced (float64 / intp) and checked on construction."""

    matrices: dict[str, np.ndarray]  # method -> (n x K) normalised indicators
    city_codes: np.ndarray  # (n,) int in [0, C)
    category_codes: np.ndarray  # (n,) int in [0, G) when category_weights is given
    city_ids: np.ndarray  # (C,) the database ids; position = code
    indicator_weights: np.ndarray  # (K,) >= 0
    category_weights: np.ndarray | None  # (G,) >= 0, NaN = not counted; None = pool all accounts
    account_to_city: str  # max | mean | sum | top3_mean
    missing_category: str  # zero | renormalize
    aggregation: str  # arithmetic | geometric
    scale: float

    def __post_init__(self) -> None:
        coerced = {
            "matrices": {str(m): np.ascontiguousarray(x, dtype=np.float64) for m, x in self.matrices.items()},
            "city_codes": np.asarray(self.city_codes).astype(np.intp, copy=False),
            "category_codes": np.asarray(self.category_codes).astype(np.intp, copy=False),
            "city_ids": np.asarray(self.city_ids),
            "indicator_weights": np.asarray(self.indicator_weights, dtype=np.float64),
            "category_weights": None
            if self.category_weights is None
            else np.asarray(self.category_weights, dtype=np.float64),
            "scale": float(self.scale),
        }
        for name, value in coerced.items():
            object.__setattr__(self, name, value)
        _validate(self)

    @property
    def accounts(self) -> int:
        return len(self.city_codes)

    def to_bytes(self) -> bytes:
        """A compact, pickle-free npz (codes stored in the smallest integer type)."""
        arrays = {
            "methods": np.array(list(self.matrices), dtype=str),
            "city_codes": _compact(self.city_codes),
            "category_codes": _compact(self.category_codes),
            "city_ids": self.city_ids,
            "indicator_weights": self.indicator_weights,
            "options": np.array([self.account_to_city, self.missing_category, self.aggregation]),
            "scale": np.array(self.scale),
        }
        arrays |= {f"matrix_{i}": x for i, x in enumerate(self.matrices.values())}
        if self.category_weights is not None:
            arrays["category_weights"] = self.category_weights
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> UncertaintyInput:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            account_to_city, missing_category, aggregation = (str(o) for o in stored["options"])
            return cls(
                matrices={str(m): stored[f"matrix_{i}"] for i, m in enumerate(stored["methods"])},
                city_codes=stored["city_codes"],
                category_codes=stored["category_codes"],
                city_ids=stored["city_ids"],
                indicator_weights=stored["indicator_weights"],
                category_weights=stored["category_weights"] if "category_weights" in stored else None,
                account_to_city=account_to_city,
                missing_category=missing_category,
                aggregation=aggregation,
                scale=float(stored["scale"]),
            )


def _compact(codes: np.ndarray) -> np.ndarray:
    return codes.astype(np.min_scalar_type(int(codes.max(initial=0))))


def _validate(inp: UncertaintyInput) -> None:
    for name, value, allowed in (
        ("account_to_city", inp.account_to_city, ACCOUNT_TO_CITY),
        ("missing_category", inp.missing_category, MISSING_CATEGORY),
        ("aggregation", inp.aggregation, AGGREGATION),
    ):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, not {value!r}")
    n, k = inp.accounts, len(inp.indicator_weights)
    if not inp.matrices:
        raise ValueError("at least one normalisation method is needed")
    for method, x in inp.matrices.items():
        if x.shape != (n, k):
            raise ValueError(f"matrix {method!r} has shape {x.shape}, expected {(n, k)}")
        if not np.isfinite(x).all():
            raise ValueError(f"matrix {method!r} has NaN or infinite values")
    if inp.city_ids.dtype == object or inp.city_ids.ndim != 1:
        raise ValueError("city_ids must be a 1-d array of numbers or strings")
    if inp.category_codes.shape != (n,) or inp.city_codes.shape != (n,):
        raise ValueError("city_codes and category_codes need one entry per account")
    if n and (inp.city_codes.min() < 0 or inp.city_codes.max() >= len(inp.city_ids)):
        raise ValueError("city_codes must index city_ids")
    _check_weights("indicator_weights", inp.indicator_weights, nan_allowed=False)
    if inp.category_weights is not None:
        _check_weights("category_weights", inp.category_weights, nan_allowed=True)
        if n and (inp.category_codes.min() < 0 or inp.category_codes.max() >= len(inp.category_weights)):
            raise ValueError("category_codes must index category_weights")
    if not np.isfinite(inp.scale) or inp.scale <= 0:
        raise ValueError("scale must be a positive number")


def _check_weights(name: str, weights: np.ndarray, *, nan_allowed: bool) -> None:
    counted = weights[~np.isnan(weights)] if nan_allowed else weights
    if weights.ndim != 1 or not np.isfinite(counted).all() or (counted < 0).any() or counted.sum() <= 0:
        raise ValueError(f"{name} must be finite, non-negative and not all zero")


# --- random draws ------------------------------------------------------------------------------


def perturbation_factors(size: int, *, draws: int, seed: int, spread: float, stream: int) -> np.ndarray:
    """(draws x size) factors U(1 - spread, 1 + spread). Row j does not depend on `draws`."""
    if not 0 <= spread < 1:
        raise ValueError("spread must be in [0, 1)")
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream,)))
    return rng.uniform(1 - spread, 1 + spread, size=(draws, size))


def weight_draws(weights: np.ndarray, *, draws: int, seed: int, spread: float, stream: int) -> np.ndarray:
    """(draws x len) perturbed, renormalised; NaN entries stay NaN. Deterministic in (seed, stream)."""
    weights = np.asarray(weights, dtype=np.float64)
    perturbed = weights * perturbation_factors(
        len(weights), draws=draws, seed=seed, spread=spread, stream=stream
    )
    return perturbed / np.nansum(perturbed, axis=1, keepdims=True)


def method_draws(methods: int, *, draws: int, seed: int) -> np.ndarray:
    """(draws,) index of the normalisation method each draw uses, uniform."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(STREAM_METHOD,)))
    return rng.integers(0, methods, size=draws)


# --- groups ------------------------------------------------------------------------------------


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


# --- prepare -----------------------------------------------------------------------------------


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


# --- simulation --------------------------------------------------------------------------------


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


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks (same shape, int32) down axis 0: descending, ties share the best rank, NaN last."""
    rounded = np.round(scores, ROUND_DECIMALS)
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


def summarise(ranks: np.ndarray, city_ids: np.ndarray) -> pd.DataFrame:
    """Columns city_id, median_rank, rank_p05, rank_p95 (float; numpy percentile, linear).

    One row per city (row of `ranks`, in city_ids order).
    """
    p05, median, p95 = np.percentile(ranks, [5, 50, 95], axis=1, method="linear")
    return pd.DataFrame({CITY_ID: city_ids, MEDIAN_RANK: median, RANK_P05: p05, RANK_P95: p95})
