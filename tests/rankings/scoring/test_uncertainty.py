"""Uncertainty analysis: draws against a straightforward pandas implementation of the ranking model."""
from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rankings.scoring.uncertainty import (
    CITY_ID,
    MEDIAN_RANK,
    RANK_P05,
    RANK_P95,
    UncertaintyInput,
    perturbation_factors,
    prepare,
    simulate_ranks,
    summarise,
    weight_draws,
)

ACCOUNT_TO_CITY = ("max", "mean", "sum", "top3_mean")
MISSING = ("zero", "renormalize", "pooled")  # pooled = no category weights
AGGREGATION = ("arithmetic", "geometric")
COMBINATIONS = list(itertools.product(ACCOUNT_TO_CITY, MISSING, AGGREGATION))


def reference_ranks(inp: UncertaintyInput, method: str) -> np.ndarray:
    """The deterministic city ranking, written the obvious way with pandas groupby."""
    columns = [f"i{k}" for k in range(len(inp.indicator_weights))]
    frame = pd.DataFrame(inp.matrices[method], columns=columns)
    frame["city"] = inp.city_codes
    frame["category"] = inp.category_codes
    w = inp.indicator_weights / inp.indicator_weights.sum()
    if inp.aggregation == "arithmetic":
        composite = (frame[columns] * w).sum(axis=1)
    else:  # over the indicators that weigh, negatives read as 0, any 0 gives 0
        weighted = [c for c, weight in zip(columns, w, strict=True) if weight > 0]
        x = frame[weighted].clip(lower=0.0)
        composite = (x ** w[w > 0]).prod(axis=1).where(~(x == 0).any(axis=1), 0.0)
    frame["composite"] = inp.scale * composite
    aggregate = {
        "max": "max",
        "mean": "mean",
        "sum": "sum",
        "top3_mean": lambda s: s.nlargest(3).mean(),
    }[inp.account_to_city]
    cities = pd.RangeIndex(len(inp.city_ids))
    if inp.category_weights is None:
        score = frame.groupby("city")["composite"].agg(aggregate).reindex(cities)
    else:
        v = inp.category_weights / np.nansum(inp.category_weights)
        counted = frame[~np.isnan(v[frame["category"]])]
        groups = counted.groupby(["city", "category"])["composite"].agg(aggregate).rename("s").reset_index()
        groups["v"] = v[groups["category"]]
        weighted = (groups["s"] * groups["v"]).groupby(groups["city"]).sum().reindex(cities, fill_value=0.0)
        if inp.missing_category == "zero":
            score = weighted
        else:
            present = groups["v"].groupby(groups["city"]).sum().reindex(cities, fill_value=0.0)
            score = (weighted / present).where(present > 0, 0.0)
    ranks = score.round(9).rank(method="min", ascending=False, na_option="bottom")
    return ranks.astype(int).to_numpy()


def random_input(
    account_to_city: str,
    missing: str,
    aggregation: str,
    *,
    seed: int = 1,
    accounts: int = 400,
    cities: int = 25,
    methods: tuple[str, ...] = ("minmax",),
) -> UncertaintyInput:
    """Heavy-tailed accounts over cities (the last city has none) and 4 categories (one not counted).

    Indicators: heavy-tailed, rounded (ties and zeros), a few negative (as z-scores have); the 4th
    weighs 0 (it must not matter, not even through its zeros in a geometric composite).
    """
    rng = np.random.default_rng(seed)
    city_sizes = rng.pareto(1.2, cities - 1) + 0.05
    city_codes = rng.choice(cities - 1, size=accounts, p=city_sizes / city_sizes.sum())
    matrices = {}
    for method in methods:
        x = np.round(rng.lognormal(0, 1.5, size=(accounts, 4)), 1) - 0.1
        x[rng.random(x.shape) < 0.05] = 0.0
        matrices[method] = np.minimum(x, 100.0)
    return UncertaintyInput(
        matrices=matrices,
        city_codes=city_codes,
        category_codes=rng.integers(0, 4, size=accounts),
        city_ids=np.arange(cities) * 10 + 7,
        indicator_weights=np.array([0.5, 0.3, 0.2, 0.0]),
        category_weights=None if missing == "pooled" else np.array([0.4, 0.3, np.nan, 0.3]),
        account_to_city=account_to_city,
        missing_category="zero" if missing == "pooled" else missing,
        aggregation=aggregation,
        scale=100.0,
    )


@pytest.mark.parametrize(("account_to_city", "missing", "aggregation"), COMBINATIONS)
def test_every_draw_without_spread_reproduces_the_deterministic_ranking(
    account_to_city, missing, aggregation
):
    inp = random_input(account_to_city, missing, aggregation)
    expected = reference_ranks(inp, "minmax")
    assert len(np.unique(expected)) > 10  # the data rank the cities, not one big tie
    for candidate in (inp, prepare(inp)):
        ranks = simulate_ranks(candidate, draws=5, seed=3, spread=0.0)
        assert ranks.shape == (len(inp.city_ids), 5)
        assert ranks.dtype == np.int32
        for draw in ranks.T:
            np.testing.assert_array_equal(draw, expected)


def test_a_city_without_accounts_ranks_last_in_a_pooled_ranking():
    inp = random_input("max", "pooled", "arithmetic")
    assert not (inp.city_codes == len(inp.city_ids) - 1).any()
    ranks = simulate_ranks(inp, draws=3, seed=0, spread=0.2)
    assert (ranks[-1] == ranks.max(axis=0)).all()
    assert (ranks[-1] > len(inp.city_ids) // 2).all()


@pytest.mark.parametrize("account_to_city", ACCOUNT_TO_CITY)
def test_draws_are_the_same_however_the_sequence_is_sliced(account_to_city):
    inp = prepare(random_input(account_to_city, "renormalize", "arithmetic", methods=("minmax", "rank")))
    whole = simulate_ranks(inp, draws=30, seed=11, spread=0.4)
    parts = [
        simulate_ranks(inp, draws=30, seed=11, spread=0.4, start=0, count=7),
        simulate_ranks(inp, draws=30, seed=11, spread=0.4, start=7, count=1),
        simulate_ranks(inp, draws=30, seed=11, spread=0.4, start=8),
    ]
    np.testing.assert_array_equal(np.concatenate(parts, axis=1), whole)


def test_the_same_seed_gives_the_same_draws_and_another_seed_other_draws():
    inp = random_input("top3_mean", "zero", "geometric", methods=("minmax", "rank"))
    first = simulate_ranks(inp, draws=40, seed=5, spread=0.5)
    np.testing.assert_array_equal(simulate_ranks(inp, draws=40, seed=5, spread=0.5), first)
    assert not np.array_equal(simulate_ranks(inp, draws=40, seed=6, spread=0.5), first)


def test_weights_are_perturbed_within_the_spread_then_renormalised_and_nan_stays_nan():
    weights = np.array([0.5, 0.2, np.nan, 0.3, 0.0])
    draws = weight_draws(weights, draws=500, seed=9, spread=0.25, stream=1)
    factors = perturbation_factors(5, draws=500, seed=9, spread=0.25, stream=1)
    assert draws.shape == (500, 5)
    assert np.isnan(draws[:, 2]).all()
    np.testing.assert_allclose(np.nansum(draws, axis=1), 1.0)
    assert factors.min() >= 0.75 and factors.max() <= 1.25
    assert factors.min() < 0.76 and factors.max() > 1.24  # the whole range is used
    perturbed = weights * factors
    np.testing.assert_allclose(draws, perturbed / np.nansum(perturbed, axis=1, keepdims=True))
    ratio = draws[:, [0, 1, 3]] / weights[[0, 1, 3]]
    assert (ratio.max(axis=1) / ratio.min(axis=1) <= 1.25 / 0.75 + 1e-12).all()
    assert (draws[:, 4] == 0).all()


def test_weight_draws_depend_only_on_seed_stream_and_draw_index():
    weights = np.array([1.0, 2.0, 3.0])
    long = weight_draws(weights, draws=50, seed=4, spread=0.3, stream=0)
    np.testing.assert_array_equal(weight_draws(weights, draws=20, seed=4, spread=0.3, stream=0), long[:20])
    assert not np.array_equal(weight_draws(weights, draws=50, seed=4, spread=0.3, stream=1), long)
    np.testing.assert_array_equal(
        weight_draws(weights, draws=3, seed=4, spread=0.0, stream=0), np.tile(weights / 6.0, (3, 1))
    )


def test_prepare_keeps_one_of_duplicate_bests_and_drops_accounts_that_cannot_count():
    inp = UncertaintyInput(
        matrices={
            "minmax": np.array([[1.0, 1.0], [1.0, 1.0], [0.5, 0.9], [0.9, 0.5], [0.4, 0.4], [2.0, 0.0]])
        },
        city_codes=np.zeros(6, dtype=int),
        category_codes=np.array([0, 0, 0, 0, 0, 1]),
        city_ids=np.array([1]),
        indicator_weights=np.array([0.5, 0.5]),
        category_weights=np.array([1.0, np.nan]),
        account_to_city="max",
        missing_category="zero",
        aggregation="arithmetic",
        scale=1.0,
    )
    best = prepare(inp).matrices["minmax"]
    np.testing.assert_array_equal(best, [[1.0, 1.0]])
    top3 = prepare(replace_option(inp, account_to_city="top3_mean")).matrices["minmax"]
    assert sorted(map(tuple, top3)) == [(0.5, 0.9), (0.9, 0.5), (1.0, 1.0), (1.0, 1.0)]
    means = prepare(replace_option(inp, account_to_city="mean")).matrices["minmax"]
    np.testing.assert_allclose(means, [[3.8 / 5, 3.8 / 5]])


def replace_option(inp: UncertaintyInput, **changes) -> UncertaintyInput:
    return dataclasses.replace(inp, **changes)


values = st.sampled_from([-1.0, 0.0, 0.5, 1.0, 2.0, 3.0])


@st.composite
def small_inputs(draw) -> UncertaintyInput:
    n = draw(st.integers(1, 40))
    k = draw(st.integers(1, 3))
    cities = draw(st.integers(1, 5))
    categories = draw(st.integers(1, 3))
    methods = draw(st.integers(1, 2))
    matrix = st.lists(st.lists(values, min_size=k, max_size=k), min_size=n, max_size=n)
    weights = draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0]), min_size=k, max_size=k))
    if sum(weights) == 0:
        weights[0] = 1.0
    category_weights = None
    if draw(st.booleans()):
        category_weights = draw(
            st.lists(st.sampled_from([np.nan, 0.5, 1.0, 3.0]), min_size=categories, max_size=categories)
        )
        if np.isnan(category_weights).all():
            category_weights[0] = 1.0
        category_weights = np.array(category_weights)
    return UncertaintyInput(
        matrices={f"m{i}": np.array(draw(matrix)) for i in range(methods)},
        city_codes=np.array(draw(st.lists(st.integers(0, cities - 1), min_size=n, max_size=n))),
        category_codes=np.array(draw(st.lists(st.integers(0, categories - 1), min_size=n, max_size=n))),
        city_ids=np.arange(cities),
        indicator_weights=np.array(weights),
        category_weights=category_weights,
        account_to_city=draw(st.sampled_from(ACCOUNT_TO_CITY)),
        missing_category=draw(st.sampled_from(["zero", "renormalize"])),
        aggregation=draw(st.sampled_from(AGGREGATION)),
        scale=draw(st.sampled_from([1.0, 100.0])),
    )


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inp=small_inputs(), spread=st.sampled_from([0.0, 0.3, 0.9]))
def test_prepare_does_not_change_any_draw(inp, spread):
    prepared = prepare(inp)
    assert prepared.accounts <= inp.accounts
    np.testing.assert_array_equal(
        simulate_ranks(prepared, draws=12, seed=2, spread=spread),
        simulate_ranks(inp, draws=12, seed=2, spread=spread),
    )


def test_summarise_gives_the_median_and_linear_5_and_95_percentiles():
    ranks = np.array([[1, 2, 3, 4, 5], [2, 2, 2, 2, 2], [5, 1, 1, 1, 1]], dtype=np.int32)
    expected = pd.DataFrame(
        {
            CITY_ID: [10, 20, 30],
            MEDIAN_RANK: [3.0, 2.0, 1.0],
            RANK_P05: [1.2, 2.0, 1.0],
            RANK_P95: [4.8, 2.0, 4.2],
        }
    )
    pd.testing.assert_frame_equal(summarise(ranks, np.array([10, 20, 30])), expected)


@pytest.mark.parametrize("missing", MISSING)
def test_an_input_survives_a_round_trip_through_bytes(missing):
    inp = random_input("top3_mean", missing, "geometric", methods=("minmax", "rank"))
    for original in (inp, prepare(inp)):
        copy = UncertaintyInput.from_bytes(original.to_bytes())
        assert list(copy.matrices) == list(original.matrices)
        for method in original.matrices:
            np.testing.assert_array_equal(copy.matrices[method], original.matrices[method])
        for name in ("city_codes", "category_codes", "city_ids", "indicator_weights"):
            np.testing.assert_array_equal(getattr(copy, name), getattr(original, name))
        if original.category_weights is None:
            assert copy.category_weights is None
        else:
            np.testing.assert_array_equal(copy.category_weights, original.category_weights)
        for name in ("account_to_city", "missing_category", "aggregation", "scale"):
            assert getattr(copy, name) == getattr(original, name)
        np.testing.assert_array_equal(
            simulate_ranks(copy, draws=10, seed=1, spread=0.3),
            simulate_ranks(original, draws=10, seed=1, spread=0.3),
        )


@pytest.mark.parametrize(("account_to_city", "missing", "aggregation"), COMBINATIONS)
def test_a_city_that_dominates_everything_has_median_rank_1_and_interval_1_1(
    account_to_city, missing, aggregation
):
    inp = random_input(account_to_city, missing, aggregation, methods=("minmax", "rank"))
    inp = replace_option(inp, city_codes=np.r_[0, 0, 0, 0, inp.city_codes[4:]])
    champion = inp.city_codes == 0
    matrices = {}
    for method, x in inp.matrices.items():
        x = x.copy()
        x[champion] = 1e7 + np.arange(champion.sum())[:, None]  # beats any city on max, mean and sum
        matrices[method] = x
    inp = replace_option(inp, matrices=matrices, category_codes=np.where(champion, 0, inp.category_codes))
    if missing == "zero":  # under "zero", being absent from a category costs: be present in all
        codes = inp.category_codes.copy()
        codes[np.flatnonzero(champion)[:4]] = [0, 1, 2, 3]
        inp = replace_option(inp, category_codes=codes)
    summary = summarise(simulate_ranks(prepare(inp), draws=200, seed=8, spread=0.5), inp.city_ids)
    assert summary.loc[0, [MEDIAN_RANK, RANK_P05, RANK_P95]].tolist() == [1.0, 1.0, 1.0]
    assert (summary.loc[1:, RANK_P05] > 1).all()


def test_invalid_inputs_are_refused():
    inp = random_input("max", "zero", "arithmetic")
    with pytest.raises(ValueError, match="account_to_city"):
        replace_option(inp, account_to_city="median")
    with pytest.raises(ValueError, match="indicator_weights"):
        replace_option(inp, indicator_weights=np.array([1.0, -0.5, 0.5, 0.0]))
    with pytest.raises(ValueError, match="NaN"):
        replace_option(inp, matrices={"minmax": inp.matrices["minmax"] * np.nan})
    with pytest.raises(ValueError, match="spread"):
        simulate_ranks(inp, draws=2, seed=0, spread=1.0)
    with pytest.raises(ValueError, match="slice"):
        simulate_ranks(inp, draws=2, seed=0, spread=0.1, start=1, count=2)
