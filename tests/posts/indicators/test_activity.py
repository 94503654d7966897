"""post_count, original_rate, active_days, longest_silence_days, posts_per_day against hand counts."""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from posts.indicators import activity_indicators
from posts.indicators.columns import (
    ACTIVE_DAYS,
    ACTIVITY_INDICATORS,
    LONGEST_SILENCE_DAYS,
    ORIGINAL_RATE,
    POST_COUNT,
    POSTED_AT,
    POSTS_PER_DAY,
)

from .frames import post, posts

# January and February 2012: 31 + 29 = 60 days.
START, END = datetime.date(2012, 1, 1), datetime.date(2012, 2, 29)


def test_activity_by_hand_with_a_silence_across_the_month_boundary():
    frame = posts([
        # Account 1: days 0, 9 (twice), 50, 59. Silent 11 Jan - 19 Feb: 21 + 19 = 40 days.
        post(1, "2012-01-01 08:00", original=True),
        post(1, "2012-01-10 09:00", original=False),
        post(1, "2012-01-10 21:00", original=False),
        post(1, "2012-02-20 12:00", original=True),
        post(1, "2012-02-29 23:59:59", original=False),
        # Account 2: 16:30 UTC on 31 January is 00:30 on 1 February in China (day 31): silent before
        # it for the 31 days of January, after it for 28 days. The posts just outside the period, in
        # China time, do not count.
        post(2, "2012-01-31T16:30:00+00:00"),
        post(2, "2011-12-31 23:59:59"),
        post(2, "2012-03-01 00:00:00"),
        # Account 9 is not reported on.
        post(9, "2012-01-05 10:00"),
    ])
    result = activity_indicators(frame, accounts=[1, 2, 3], start=START, end=END)
    expected = pd.DataFrame(
        {
            POST_COUNT: np.array([5, 1, 0], dtype=np.int64),
            ORIGINAL_RATE: [2 / 5, 1.0, np.nan],
            ACTIVE_DAYS: np.array([4, 1, 0], dtype=np.int64),
            LONGEST_SILENCE_DAYS: np.array([40, 31, 60], dtype=np.int64),
            POSTS_PER_DAY: [5 / 60, 1 / 60, 0.0],
        },
        index=pd.Index([1, 2, 3], name="account_id"),
    )
    pd.testing.assert_frame_equal(result, expected)
    assert list(result.columns) == list(ACTIVITY_INDICATORS)


def test_an_account_with_no_post_has_no_rate_but_a_real_zero_count():
    result = activity_indicators(posts([post(1, "2012-01-01 08:00")]), accounts=[7], start=START, end=END)
    row = result.loc[7]
    assert row[POST_COUNT] == 0 and row[ACTIVE_DAYS] == 0 and row[POSTS_PER_DAY] == 0.0
    assert np.isnan(row[ORIGINAL_RATE])
    assert row[LONGEST_SILENCE_DAYS] == 60


def test_silences_at_the_edges_of_the_period_count():
    # One post on the last day: 59 silent days before it.
    result = activity_indicators(posts([post(1, "2012-02-29 10:00"), post(2, "2012-01-01 00:00")]),
                                 accounts=[1, 2], start=START, end=END)
    assert result[LONGEST_SILENCE_DAYS].tolist() == [59, 59]


def test_timestamps_without_a_time_zone_are_refused():
    frame = posts([post(1, "2012-01-01 08:00")])
    frame[POSTED_AT] = frame[POSTED_AT].dt.tz_localize(None)
    with pytest.raises(ValueError, match="posts.posted_at: timestamps must carry a time zone"):
        activity_indicators(frame, accounts=[1], start=START, end=END)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends"):
        activity_indicators(posts([]), accounts=[1], start=END, end=START)


def test_repeated_accounts_are_refused():
    with pytest.raises(ValueError, match="repeated account id"):
        activity_indicators(posts([]), accounts=[1, 1], start=START, end=END)
