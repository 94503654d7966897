"""Aggregation: account composites, accounts -> cities, categories -> city scores."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rankings.scoring.aggregate import combine_categories, composite, to_city
from rankings.scoring.columns import CATEGORY, CITY_ID, SCORE

INDEX = pd.Index([1, 2, 3], name="account_id")
NORM = pd.DataFrame({"fans": [100.0, 25.0, 0.0], "posts": [25.0, 100.0, 80.0]}, index=INDEX)
WEIGHTS = pd.Series({"fans": 0.5, "posts": 0.5})


def test_arithmetic_composite_is_the_weighted_sum_times_the_scale():
    # 2 * (0.5 * 100 + 0.5 * 25) = 125; 2 * (12.5 + 50) = 125; 2 * (0 + 40) = 80
    expected = pd.Series([125.0, 125.0, 80.0], index=INDEX)
    pd.testing.assert_series_equal(composite(NORM, WEIGHTS, method="arithmetic", scale=2), expected)


def test_geometric_composite_is_the_weighted_product_and_a_zero_gives_zero():
    # 100^0.5 * 25^0.5 = 10 * 5 = 50; 25^0.5 * 100^0.5 = 50; fans = 0 -> 0 (compensation stops at 0)
    expected = pd.Series([50.0, 50.0, 0.0], index=INDEX)
    pd.testing.assert_series_equal(composite(NORM, WEIGHTS, method="geometric", scale=1), expected)


def test_geometric_and_arithmetic_differ_on_unbalanced_profiles():
    norm = pd.DataFrame({"a": [81.0, 9.0], "b": [1.0, 9.0]})
    weights = pd.Series({"a": 0.5, "b": 0.5})
    # arithmetic: 41 and 9; geometric: sqrt(81) = 9 and 9. The balanced account catches up.
    assert composite(norm, weights, method="arithmetic", scale=1).tolist() == [41.0, 9.0]
    assert composite(norm, weights, method="geometric", scale=1).tolist() == pytest.approx([9.0, 9.0])


def test_geometric_ignores_a_zero_in_an_indicator_of_weight_zero():
    weights = pd.Series({"fans": 0.0, "posts": 1.0})
    geometric = composite(NORM, weights, method="geometric", scale=1)
    assert geometric.tolist() == pytest.approx([25.0, 100.0, 80.0])


CITIES = pd.Series([1, 1, 1, 1, 2], index=pd.RangeIndex(5), name=CITY_ID)
VALUES = pd.Series([10.0, 40.0, 30.0, 20.0, 5.0], index=CITIES.index)


@pytest.mark.parametrize(
    ("how", "city_1"),
    [
        ("max", 40.0),
        ("mean", 25.0),          # (10 + 40 + 30 + 20) / 4
        ("sum", 100.0),
        ("top3_mean", 30.0),     # (40 + 30 + 20) / 3
    ],
)
def test_to_city_aggregations(how, city_1):
    # City 2 has one account: 5 in every case (top3_mean takes all when there are fewer than 3).
    expected = pd.Series([city_1, 5.0], index=pd.Index([1, 2], name=CITY_ID))
    pd.testing.assert_series_equal(to_city(VALUES, CITIES, how), expected)


def test_to_city_by_the_composite_takes_the_indicators_of_the_best_accounts():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 5.0], "b": [9.0, 0.0, 6.0, 3.0, 7.0]}, index=CITIES.index)
    # Best accounts by VALUES in city 1: rows 1 (40), 2 (30), 3 (20).
    best = to_city(frame, CITIES, "max", by=VALUES)
    pd.testing.assert_frame_equal(best, pd.DataFrame({"a": [2.0, 5.0], "b": [0.0, 7.0]}, index=best.index))
    top3 = to_city(frame, CITIES, "top3_mean", by=VALUES)
    pd.testing.assert_frame_equal(top3, pd.DataFrame({"a": [3.0, 5.0], "b": [3.0, 7.0]}, index=top3.index))
    # Without `by`, each column picks its own best.
    pd.testing.assert_frame_equal(
        to_city(frame, CITIES, "max"), pd.DataFrame({"a": [4.0, 5.0], "b": [9.0, 7.0]}, index=best.index))


CITY_CATEGORIES = pd.DataFrame({
    CITY_ID: [1, 1, 2, 3],
    CATEGORY: ["police", "press", "police", "other"],
    SCORE: [60.0, 90.0, 80.0, 50.0],
})
CATEGORY_WEIGHTS = {"police": 0.5, "press": 0.25, "tourism": 0.25}


def test_a_missing_category_counts_as_zero():
    # 1: 0.5*60 + 0.25*90 + 0.25*0 = 52.5; 2: 0.5*80 = 40; 3: only "other" (no weight) -> 0
    expected = pd.Series([52.5, 40.0, 0.0], index=pd.Index([1, 2, 3], name=CITY_ID), name=SCORE)
    combined = combine_categories(CITY_CATEGORIES, CATEGORY_WEIGHTS, missing="zero")
    pd.testing.assert_series_equal(combined, expected)


def test_renormalize_divides_by_the_weight_of_the_categories_present():
    # 1: (30 + 22.5) / 0.75 = 70; 2: 40 / 0.5 = 80; 3: no weighted category present -> 0
    expected = pd.Series([70.0, 80.0, 0.0], index=pd.Index([1, 2, 3], name=CITY_ID), name=SCORE)
    pd.testing.assert_series_equal(
        combine_categories(CITY_CATEGORIES, CATEGORY_WEIGHTS, missing="renormalize"), expected)


def test_combine_categories_of_nothing_is_empty():
    combined = combine_categories(CITY_CATEGORIES[:0], CATEGORY_WEIGHTS, missing="renormalize")
    assert combined.empty and combined.dtype == np.float64
