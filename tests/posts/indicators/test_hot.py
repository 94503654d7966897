"""Hot posts: interactions, deterministic ties, any grouping, chunks combined."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from posts.indicators import hot_posts
from posts.indicators.columns import ACCOUNT_ID, INTERACTIONS, POST_ID, RANK

from .frames import MARCH, post, posts

START, END = MARCH


def _frame() -> pd.DataFrame:
    frame = posts([
        (*post(1, "2012-03-05 10:00", reposts=5, comments=3, likes=2), "a"),  # 10
        (*post(1, "2012-03-04 10:00", reposts=0, comments=0, likes=10), "b"),  # 10, earlier: before a
        (*post(1, "2012-03-05 10:00", reposts=10, comments=0, likes=0), "0a"),  # 10, same time as a: smaller id
        (*post(1, "2012-03-06 10:00", likes=50), "c"),  # 50
        (*post(1, "2012-02-28 10:00", likes=999), "d"),  # February: not in March's list
        (*post(2, "2012-03-07 10:00", likes=3), "e"),
        (*post(3, "2012-03-07 10:00", likes=7), "f"),
    ])
    frame["city_id"] = frame[ACCOUNT_ID].map({1: 100, 2: 100, 3: 200})
    return frame


def test_the_top_posts_of_each_account_with_ties_broken_by_time_then_id():
    result = hot_posts(_frame(), start=START, end=END, top=3)
    assert result[[ACCOUNT_ID, POST_ID, INTERACTIONS, RANK]].values.tolist() == [
        [1, "c", 50, 1], [1, "b", 10, 2], [1, "0a", 10, 3],
        [2, "e", 3, 1],
        [3, "f", 7, 1],
    ]
    assert result[INTERACTIONS].dtype == np.int64 and result[RANK].dtype == np.int64


def test_the_top_posts_of_any_grouping_the_caller_adds():
    result = hot_posts(_frame(), start=START, end=END, by="city_id", top=2)
    assert result[["city_id", POST_ID, RANK]].values.tolist() == [[100, "c", 1], [100, "b", 2], [200, "f", 1]]


def test_the_top_of_chunks_tops_is_the_top_of_all():
    rng = np.random.default_rng(7)
    count = 600
    frame = posts([
        (*post(int(rng.integers(1, 40)), f"2012-03-{rng.integers(1, 31):02d} {rng.integers(0, 2):02d}:00",
               likes=int(rng.integers(0, 6))), f"p{i:04d}")
        for i in range(count)
    ])
    frame["city_id"] = frame[ACCOUNT_ID] % 3
    whole = hot_posts(frame, start=START, end=END, by="city_id", top=5)
    chunks = [hot_posts(part, start=START, end=END, by="city_id", top=5)
              for part in (frame[frame[ACCOUNT_ID] < 20], frame[frame[ACCOUNT_ID] >= 20])]
    combined = hot_posts(pd.concat(chunks).drop(columns=[INTERACTIONS, RANK]), start=START, end=END,
                         by="city_id", top=5)
    pd.testing.assert_frame_equal(combined, whole)


def test_a_missing_grouping_column_is_named():
    with pytest.raises(ValueError, match="missing column.*category"):
        hot_posts(_frame(), start=START, end=END, by=["city_id", "category"])
