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
    DAYS_COVERED,
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
            DAYS_COVERED: [60, 31],      # January 31 + February 29; January 31
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
                                    LAST_POST_ON, SNAPSHOTS, DAYS_COVERED, DAYS]


def test_a_period_ending_before_it_starts_is_an_error():
    with pytest.raises(ValueError, match="ends"):
        period_totals(snapshots(), period_start="2012-02-01", period_end="2012-01-01")


def test_a_latest_metric_is_the_value_of_the_latest_snapshot_that_carries_it():
    """satisfaction taken at the latest: account 1's February 2.0 (its January is NaN anyway); with
    February's value missing, January's 1.5 of account 2 stays and account 1 falls back to January."""
    frame = snapshots()
    totals = period_totals(frame, period_start="2012-01-01", period_end="2012-06-30", latest_metrics=["satisfaction"])
    assert totals["satisfaction"].tolist() == [2.0, 1.5]
    assert totals["satisfaction"].dtype == np.float64

    # Account 1's February (the latest) lacks it: January's value is taken, not the sum, not NaN.
    frame.loc[1, "satisfaction"] = np.nan
    frame.loc[2, "satisfaction"] = 4.0
    totals = period_totals(frame, period_start="2012-01-01", period_end="2012-06-30", latest_metrics=["satisfaction"])
    assert totals["satisfaction"].tolist() == [4.0, 1.5]
    summed = period_totals(frame, period_start="2012-01-01", period_end="2012-06-30")
    assert summed["satisfaction"].tolist() == [4.0, 1.5]  # one value each: the same as the sum here

    # No snapshot in the period carries it: NaN, as a sum of nothing is.
    frame["satisfaction"] = np.nan
    totals = period_totals(frame, period_start="2012-01-01", period_end="2012-06-30", latest_metrics=["satisfaction"])
    assert totals["satisfaction"].isna().all() and totals["satisfaction"].dtype == np.float64


def test_the_latest_of_two_snapshots_ending_on_the_same_day_is_the_one_starting_later():
    """A month and its last day both end on 31 January: the day (starting later) is the latest, as for fans;
    summed, both count; days covered adds both (31 + 1), as posts add both."""
    frame = snapshots().iloc[[0]].copy()
    day = frame.copy()
    day[PERIOD_START] = pd.Timestamp("2012-01-31")
    day["fans"], day["satisfaction"] = 6, 3.0
    frame = pd.concat([day, frame], ignore_index=True)  # the day first: order in the frame does not matter
    latest = period_totals(frame, period_start="2012-01-01", period_end="2012-01-31", latest_metrics=["satisfaction"])
    summed = period_totals(frame, period_start="2012-01-01", period_end="2012-01-31")
    assert (latest.loc[2, "fans"], latest.loc[2, "satisfaction"], summed.loc[2, "satisfaction"]) == (6, 3.0, 4.5)
    assert (latest.loc[2, DAYS_COVERED], latest.loc[2, DAYS]) == (32, 31)


def test_days_covered_counts_the_days_of_the_snapshots_inside_the_period():
    """Daily snapshots on 1, 2 and 5 March and the month of February: 3 + 29 days of the quarter's 91."""
    days = pd.to_datetime(["2012-03-01", "2012-03-02", "2012-03-05"])
    frame = pd.concat([snapshots().iloc[[0]]] * 4, ignore_index=True)
    frame[PERIOD_START] = [*days, pd.Timestamp("2012-02-01")]
    frame[PERIOD_END] = [*days, pd.Timestamp("2012-02-29")]
    totals = period_totals(frame, period_start="2012-01-01", period_end="2012-03-31")
    assert (totals.loc[2, DAYS_COVERED], totals.loc[2, DAYS], totals.loc[2, SNAPSHOTS]) == (32, 91, 4)
    assert totals[DAYS_COVERED].dtype == np.int64


def test_a_latest_metric_the_snapshots_lack_is_an_error():
    with pytest.raises(ValueError, match="videos"):
        period_totals(snapshots(), period_start="2012-01-01", period_end="2012-06-30", latest_metrics=["videos"])
