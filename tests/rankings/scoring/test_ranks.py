"""Competition ranks and rank changes."""
from __future__ import annotations

import numpy as np
import pandas as pd

from rankings.scoring.ranks import competition_rank, competition_ranks, rank_change


def test_ties_share_the_best_rank_and_the_next_rank_skips():
    scores = pd.Series([9.0, 5.0, 5.0, 1.0], index=["长沙", "株洲", "湘潭", "岳阳"])
    pd.testing.assert_series_equal(
        competition_rank(scores), pd.Series([1, 2, 2, 4], index=scores.index, name="rank", dtype="int64"))


def test_float_noise_does_not_split_a_tie():
    scores = pd.Series([0.1 + 0.2, 0.3, 0.2], index=["a", "b", "c"])
    assert competition_rank(scores).tolist() == [1, 1, 3]


def test_ranks_within_groups():
    scores = pd.Series([3.0, 2.0, 1.0, 2.0])
    groups = pd.Series(["police", "police", "press", "press"])
    assert competition_rank(scores, groups=groups).tolist() == [1, 2, 2, 1]


def test_rank_change_is_previous_minus_current_and_na_for_new_entries():
    current = pd.Series([1, 2, 3], index=[10, 20, 30])
    previous = pd.Series([3, 1, 2], index=[20, 10, 40])
    expected = pd.Series([0, 1, pd.NA], index=[10, 20, 30], dtype="Int64", name="rank_change")
    # 10: 1 -> 1 (0); 20: 3 -> 2 (moved up 1); 30 is new.
    pd.testing.assert_series_equal(rank_change(current, previous), expected)


def test_competition_rank_of_a_series_within_groups_is_the_matrix_rule_on_each_group():
    """One rule: ranking a Series (overall or per category) gives what pandas' "min" ranking of the
    rounded scores gives, and a column of competition_ranks is the same ranking."""
    rng = np.random.default_rng(4)
    scores = pd.Series(rng.integers(0, 20, size=300) / 4.0 + 1e-12 * rng.random(300), index=rng.permutation(300))
    groups = pd.Series(rng.choice(["police", "press", "youth"], size=300), index=scores.index)
    expected = scores.round(9).groupby(groups).rank(method="min", ascending=False).astype("int64")
    pd.testing.assert_series_equal(competition_rank(scores, groups=groups), expected.rename("rank"))
    overall = scores.round(9).rank(method="min", ascending=False).astype("int64").rename("rank")
    pd.testing.assert_series_equal(competition_rank(scores), overall)
    assert competition_ranks(scores.to_numpy()[:, None])[:, 0].tolist() == overall.tolist()
