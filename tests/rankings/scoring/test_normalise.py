"""Normalisation methods on three-row Series, by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from rankings.scoring.normalise import METHODS, distance_to_max, minmax, none, normalise, rank, zscore

INDEX = pd.Index([1, 2, 3], name="account_id")
VALUES = pd.Series([2.0, 4.0, 8.0], index=INDEX)
CONSTANT = pd.Series([5.0, 5.0, 5.0], index=INDEX)


def series(values: list[float]) -> pd.Series:
    return pd.Series(values, index=INDEX, dtype="float64")


def test_none_keeps_the_values():
    pd.testing.assert_series_equal(none(VALUES), VALUES)


def test_minmax_scales_to_0_100():
    # (x - 2) / (8 - 2) * 100: 0, 33.33, 100
    pd.testing.assert_series_equal(minmax(VALUES), series([0, 100 / 3, 100]))


def test_minmax_of_a_constant_column_is_100_for_everyone():
    pd.testing.assert_series_equal(minmax(CONSTANT), series([100, 100, 100]))


def test_zscore_uses_the_population_std():
    # mean 14/3; deviations -8/3, -2/3, 10/3; variance (64+4+100)/9/3 = 168/27; std = sqrt(168/27) = 2.4944
    std = (168 / 27) ** 0.5
    pd.testing.assert_series_equal(zscore(VALUES), series([-8 / 3 / std, -2 / 3 / std, 10 / 3 / std]))


def test_zscore_of_a_constant_column_is_0():
    pd.testing.assert_series_equal(zscore(CONSTANT), series([0, 0, 0]))
    # 0.1 * 3 is not exactly 0.3: the std of these "equal" floats is not 0, yet nobody differs.
    pd.testing.assert_series_equal(zscore(series([0.3, 0.3, 0.3])), series([0, 0, 0]))


def test_rank_is_the_percentile_of_the_average_rank():
    # ranks 1, 2, 3 -> (r - 1) / 2 * 100
    pd.testing.assert_series_equal(rank(VALUES), series([0, 50, 100]))
    # ties share their average rank: 1, 2.5, 2.5 -> 0, 75, 75
    pd.testing.assert_series_equal(rank(series([1, 9, 9])), series([0, 75, 75]))


def test_rank_of_a_constant_column_is_50_and_of_a_single_value_100():
    pd.testing.assert_series_equal(rank(CONSTANT), series([50, 50, 50]))
    pd.testing.assert_series_equal(rank(CONSTANT[:1]), series([100, 0, 0])[:1])


def test_distance_to_max_divides_by_the_leader():
    # x / 8 * 100
    pd.testing.assert_series_equal(distance_to_max(VALUES), series([25, 50, 100]))


def test_distance_to_max_with_no_positive_leader_is_100_for_everyone():
    pd.testing.assert_series_equal(distance_to_max(series([0, 0, 0])), series([100, 100, 100]))
    pd.testing.assert_series_equal(distance_to_max(series([-3, -1, -2])), series([100, 100, 100]))


def test_normalise_works_within_groups():
    values = series([2, 4, 8])
    groups = pd.Series(["police", "press", "police"], index=INDEX)
    # police: 2 and 8 -> 0 and 100; press alone: a constant group -> 100
    pd.testing.assert_series_equal(normalise(values, "minmax", groups=groups), series([0, 100, 100]))
    pd.testing.assert_series_equal(normalise(values, "rank", groups=groups), series([0, 100, 100]))
    pd.testing.assert_series_equal(normalise(values, "zscore", groups=groups), series([-1, 0, 1]))
    distance = normalise(values, "distance_to_max", groups=groups)
    pd.testing.assert_series_equal(distance, series([25, 100, 100]))


@pytest.mark.parametrize("method", METHODS)
def test_every_method_handles_an_empty_series(method):
    assert normalise(VALUES[:0], method).empty


def test_an_unknown_method_is_an_error():
    with pytest.raises(ValueError, match="unknown normalisation"):
        normalise(VALUES, "mad")
