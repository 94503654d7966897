"""period_totals: snapshots -> one row of totals per account."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rankings.scoring.columns import (
    ACCOUNT_ID,
    CATEGORY,
    CITY_ID,
    DAYS,
    LAST_POST_ON,
    OPTIONAL_METRICS,
    PERIOD_END,
    PERIOD_START,
    REQUIRED_METRICS,
    SNAPSHOTS,
)
from rankings.scoring.inputs import period_totals


def snapshots() -> pd.DataFrame:
    """Account 1 (city 11, press): January, February, and December 2011 (outside 2012 H1).
    Account 2 (city 10, police): January only, and a snapshot straddling June/July (outside)."""
    dates = pd.to_datetime
    return pd.DataFrame({
        ACCOUNT_ID: [2, 1, 1, 1, 2],
        CITY_ID: [10, 11, 11, 11, 10],
        CATEGORY: ["police", "press", "press", "press", "police"],
        PERIOD_START: dates(["2012-01-01", "2012-02-01", "2012-01-01", "2011-12-01", "2012-06-15"]),
        PERIOD_END: dates(["2012-01-31", "2012-02-29", "2012-01-31", "2011-12-31", "2012-07-14"]),
        "fans": [5, 120, 100, 90, 7],
        "posts": [1, 3, 2, 4, 9],
        "original_posts": [1, 1, 1, 1, 9],
        "reposts": [0, 2, 1, 3, 9],
        "comments": [1, 1, 1, 1, 9],
        "likes": [0, 10, 20, 30, 9],
        "replies": [0, 1, 0, 5, 9],
        "original_reposts": [np.nan, np.nan, 1.0, 5.0, 9.0],
        "original_comments": [np.nan] * 5,
        LAST_POST_ON: dates(["2012-01-20", "2012-02-10", None, "2011-12-30", "2012-07-01"]),
        "satisfaction": [1.5, 2.0, np.nan, 7.0, 9.0],
    })


def test_totals_sum_counts_take_fans_at_the_latest_snapshot_and_ignore_snapshots_outside_the_period():
    totals = period_totals(snapshots(), period_start="2012-01-01", period_end="2012-06-30")
    expected = pd.DataFrame(
        {
            CITY_ID: [11, 10],
            CATEGORY: ["press", "police"],
            "fans": [120, 5],            # account 1: February's 120, not January's 100 nor December's 90
            "posts": [5, 1],             # 3 + 2; December's 4 and account 2's July 9 are outside
            "original_posts": [2, 1],
            "reposts": [3, 0],
            "comments": [2, 1],
            "likes": [30, 0],
            "replies": [1, 0],
            "original_reposts": [1.0, np.nan],   # NaN + 1 = 1; all-NaN stays NaN
            "original_comments": [np.nan, np.nan],
            "satisfaction": [2.0, 1.5],
            LAST_POST_ON: pd.to_datetime(["2012-02-10", "2012-01-20"]),
            SNAPSHOTS: [2, 1],
            DAYS: [182, 182],            # 2012-01-01 .. 2012-06-30: 31+29+31+30+31+30
        },
        index=pd.Index([1, 2], name=ACCOUNT_ID),
    )
    pd.testing.assert_frame_equal(totals, expected, check_dtype=False)
    assert all(totals[metric].dtype == np.int64 for metric in REQUIRED_METRICS)
    assert all(totals[metric].dtype == np.float64 for metric in (*OPTIONAL_METRICS, "satisfaction"))


def test_an_account_with_no_snapshot_in_the_period_is_left_out():
    totals = period_totals(snapshots(), period_start="2012-02-01", period_end="2012-02-29")
    assert totals.index.tolist() == [1]
    assert totals.loc[1, DAYS] == 29


def test_no_snapshot_in_the_period_gives_an_empty_frame_with_every_column():
    totals = period_totals(snapshots(), period_start="2013-01-01", period_end="2013-12-31")
    assert totals.empty
    assert list(totals.columns) == [CITY_ID, CATEGORY, *REQUIRED_METRICS, *OPTIONAL_METRICS, "satisfaction",
                                    LAST_POST_ON, SNAPSHOTS, DAYS]


def test_a_period_ending_before_it_starts_is_an_error():
    with pytest.raises(ValueError, match="ends"):
        period_totals(snapshots(), period_start="2012-02-01", period_end="2012-01-01")
