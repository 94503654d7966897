"""score(): the whole pipeline on frames small enough to check by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rankings.scoring.columns import (
    ACCOUNTS,
    CATEGORY,
    CITY_ID,
    COMPOSITE,
    EMPTY_SHELL,
    ENTROPY,
    FLAGS,
    MANUAL,
    RANK,
    RANK_IN_CATEGORY,
    SCORE,
    USED,
    norm_column,
    raw_column,
)
from rankings.scoring.pipeline import normalised_matrix, score
from rankings.scoring.weights import entropy_weights

from .frames import PERIOD_END, scheme, totals

CITY_INDEX = pd.Index([1, 2], name=CITY_ID)


def two_city_scheme(**overrides):
    """fans and posts as they are, min-max within category, 0.5 each; police and press 0.5 each; max."""
    return scheme(
        indicators=[
            {"key": "fans", "label": "粉丝", "expr": "fans", "normalize": "minmax", "weight": 0.5},
            {"key": "posts", "label": "发博", "expr": "posts", "normalize": "minmax", "weight": 0.5},
        ],
        group_by_category=True, category_weights={"police": 0.5, "press": 0.5}, account_to_city="max",
        **overrides,
    )


def two_cities():
    """City 1: police accounts 1 and 2, and account 5 in "other".
    City 2: police account 3 and press account 4."""
    return totals(
        5,
        city_id=[1, 1, 2, 2, 1],
        category=["police", "police", "police", "press", "other"],
        fans=[10, 30, 20, 5, 100],
        posts=[0, 10, 20, 5, 100],
    )


def test_category_scheme_by_hand():
    result = score(two_cities(), two_city_scheme(), period_end=PERIOD_END)
    # Police (accounts 1-3): fans 10, 30, 20 -> 0, 100, 50; posts 0, 10, 20 -> 0, 50, 100.
    # Press and other have one account each: a constant group scores 100.
    # Composites: 0, 75, 75, 100, 100. Within police, 2 and 3 tie for first.
    accounts = result.accounts
    assert accounts[norm_column("fans")].tolist() == [0, 100, 50, 100, 100]
    assert accounts[norm_column("posts")].tolist() == [0, 50, 100, 100, 100]
    assert accounts[raw_column("fans")].tolist() == [10, 30, 20, 5, 100]
    assert accounts[COMPOSITE].tolist() == [0, 75, 75, 100, 100]
    assert accounts[RANK_IN_CATEGORY].tolist() == [3, 1, 1, 1, 1]
    assert accounts[EMPTY_SHELL].tolist() == [True, False, False, False, False]
    expected_categories = pd.DataFrame({
        CITY_ID: [1, 1, 2, 2],
        CATEGORY: ["other", "police", "police", "press"],
        SCORE: [100.0, 75.0, 75.0, 100.0],
        ACCOUNTS: [1, 2, 1, 1],
    })
    pd.testing.assert_frame_equal(result.city_categories, expected_categories, check_dtype=False)
    # City 1: 0.5 * 75 + 0.5 * 0 (no press account) = 37.5; "other" does not count.
    # City 2: 0.5 * 75 + 0.5 * 100 = 87.5.
    expected_cities = pd.DataFrame({SCORE: [37.5, 87.5], RANK: [2, 1], ACCOUNTS: [2, 2]}, index=CITY_INDEX)
    pd.testing.assert_frame_equal(result.cities, expected_cities)


def test_renormalize_ignores_the_categories_a_city_lacks():
    result = score(two_cities(), two_city_scheme(missing_category="renormalize"), period_end=PERIOD_END)
    # City 1: 0.5 * 75 / 0.5 = 75; city 2 unchanged, 87.5.
    expected = pd.Series([75.0, 87.5], index=CITY_INDEX, name=SCORE)
    pd.testing.assert_series_equal(result.cities[SCORE], expected)


def test_city_indicators_are_those_of_the_accounts_that_made_the_score():
    result = score(two_cities(), two_city_scheme(), period_end=PERIOD_END)
    # City 1's police score is account 2's (fans 100, posts 50), weighted 0.5: 50 and 25.
    # City 2: police account 3 (50, 100) and press account 4 (100, 100): 0.5*50 + 0.5*100 = 75, 100.
    expected = pd.DataFrame({"fans": [50.0, 75.0], "posts": [25.0, 100.0]}, index=CITY_INDEX)
    pd.testing.assert_frame_equal(result.city_indicators, expected)
    # So the indicator columns explain the score: 0.5 * 50 + 0.5 * 25 = 37.5, 0.5 * 75 + 0.5 * 100 = 87.5.
    explained = result.city_indicators @ result.weights[USED]
    pd.testing.assert_series_equal(explained, result.cities[SCORE], check_names=False)


def test_a_scheme_with_custom_metrics_and_no_normalisation_is_an_exact_weighted_sum():
    custom = scheme(
        custom_metrics=["satisfaction"],
        indicators=[
            {"key": "sat", "label": "满意度", "expr": "satisfaction", "normalize": "none", "weight": 0.25},
            {"key": "fans", "label": "粉丝", "expr": "fans", "normalize": "none", "weight": 0.75},
        ],
        account_to_city="sum",
    )
    accounts = totals(3, city_id=[1, 1, 2], fans=[10, 20, 30], satisfaction=[1.5, 2.0, np.nan])
    result = score(accounts, custom, period_end=PERIOD_END)
    # 0.25 * 1.5 + 0.75 * 10 = 7.875; 0.25 * 2 + 0.75 * 20 = 15.5; 0.25 * 0 (missing) + 0.75 * 30 = 22.5
    pd.testing.assert_series_equal(
        result.accounts[COMPOSITE], pd.Series([7.875, 15.5, 22.5], index=accounts.index, name=COMPOSITE))
    pd.testing.assert_series_equal(
        result.cities[SCORE], pd.Series([23.375, 22.5], index=CITY_INDEX, name=SCORE))
    assert result.warnings == {"sat:missing_value": 1}


def test_a_custom_metric_absent_from_the_totals_reads_as_missing():
    custom = scheme(custom_metrics=["satisfaction"], indicators=[
        {"key": "sat", "label": "满意度", "expr": "satisfaction + fans", "normalize": "none", "weight": 1}])
    result = score(totals(2, fans=[1, 2]), custom, period_end=PERIOD_END)
    assert result.accounts[COMPOSITE].tolist() == [1, 2]
    assert result.warnings == {"sat:missing_value": 2}


def test_warnings_are_counted_per_indicator():
    warned = scheme(indicators=[
        {"key": "rate", "label": "回复率", "expr": "replies / comments", "normalize": "none", "weight": 1}])
    result = score(totals(3, replies=[1, 2, 0], comments=[2, 0, 0]), warned, period_end=PERIOD_END)
    assert result.accounts[COMPOSITE].tolist() == [0.5, 0, 0]
    assert result.warnings == {"rate:division_by_zero": 2}


def test_accounts_whose_snapshots_cover_more_days_than_the_period_are_counted_as_a_warning():
    """days_covered 31 in a 30-day period: one account's snapshots overlap; 30 and 12 do not."""
    overlapping = totals(3).assign(days=30, days_covered=[30, 31, 12])
    assert score(overlapping, scheme(), period_end=PERIOD_END).warnings == {"*:overlapping_snapshots": 1}
    assert score(overlapping.assign(days_covered=30), scheme(), period_end=PERIOD_END).warnings == {}


def test_entropy_weighting_uses_the_entropy_of_the_normalised_matrix():
    accounts = totals(3, fans=[1, 5, 9], posts=[1, 1, 2], city_id=[1, 2, 3])
    result = score(accounts, scheme(weighting="entropy"), period_end=PERIOD_END)
    norm = result.accounts[[norm_column("fans"), norm_column("posts")]].set_axis(["fans", "posts"], axis=1)
    pd.testing.assert_series_equal(result.weights[ENTROPY], entropy_weights(norm), check_names=False)
    pd.testing.assert_series_equal(result.weights[USED], result.weights[ENTROPY], check_names=False)
    assert result.weights[MANUAL].tolist() == [0.5, 0.5]
    pd.testing.assert_series_equal(result.accounts[COMPOSITE], norm @ result.weights[USED], check_names=False)


def test_pooled_cities_aggregate_all_their_accounts():
    result = score(two_cities(), scheme(account_to_city="mean"), period_end=PERIOD_END)
    # Pooled min-max over 5 accounts: log1p(fans) and posts; city 1 = mean of accounts 1, 2, 5.
    composites = result.accounts[COMPOSITE]
    assert result.cities.loc[1, SCORE] == pytest.approx(composites[[1, 2, 5]].mean())
    assert result.cities[ACCOUNTS].tolist() == [3, 2]
    assert len(result.city_categories) == 4  # still reported per category, for display


def test_normalised_matrix_can_override_every_indicators_method():
    accounts = totals(3, fans=[0, 1, 3], posts=[3, 2, 1])
    by_rank = normalised_matrix(accounts, scheme(), method="rank")
    expected = pd.DataFrame({"fans": [0.0, 50.0, 100.0], "posts": [100.0, 50.0, 0.0]}, index=accounts.index)
    pd.testing.assert_frame_equal(by_rank, expected)
    own = normalised_matrix(accounts.iloc[::-1], scheme())
    assert own["posts"].tolist() == [100.0, 50.0, 0.0]  # minmax, sorted by account


def test_no_accounts_give_an_empty_result():
    result = score(totals(0), two_city_scheme(), period_end=PERIOD_END)
    assert result.accounts.empty and result.cities.empty and result.city_categories.empty
    assert list(result.accounts.columns) == [
        CITY_ID, CATEGORY, raw_column("fans"), raw_column("posts"), norm_column("fans"), norm_column("posts"),
        COMPOSITE, RANK_IN_CATEGORY, *FLAGS]
    assert list(result.cities.columns) == [SCORE, RANK, ACCOUNTS]
    assert list(result.city_indicators.columns) == ["fans", "posts"]
    assert result.weights[USED].tolist() == [0.5, 0.5]
    assert result.warnings == {}
