"""reply_rate, median_response_minutes, answered_within_1h_rate, answered_within_24h_rate by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from posts.indicators import response_indicators
from posts.indicators.columns import (
    ANSWERED_WITHIN_1H_RATE,
    ANSWERED_WITHIN_24H_RATE,
    MEDIAN_RESPONSE_MINUTES,
    REPLY_RATE,
    RESPONSE_INDICATORS,
)

from .frames import MARCH, replies

START, END = MARCH


def test_response_figures_by_hand():
    frame = replies([
        # Account 1, four questions asked in March:
        (1, "2012-03-05 10:00:00", "2012-03-05 11:00:00", "已转交。"),  # exactly 60 min: within the hour
        (1, "2012-03-05 10:00:00", "2012-03-05 11:00:01", "已转交。"),  # 60 min 1 s: not within, within 24 h
        (1, "2012-03-06 09:00:00", None, None),  # unanswered: in every denominator
        (1, "2012-03-31 23:00:00", "2012-04-02 01:00:00", "已处理。"),  # answered after March: 26 h
        (1, "2012-02-29 23:00:00", "2012-03-01 00:10:00", "已处理。"),  # asked in February: not March's
        # Account 3: two questions, no answer.
        (3, "2012-03-10 10:00:00", None, None),
        # 15:30 UTC on 31 March is 23:30 in China: a March question.
        (3, "2012-03-31T15:30:00+00:00", None, None),
    ])
    result = response_indicators(frame, accounts=[1, 2, 3], start=START, end=END)
    expected = pd.DataFrame(
        {
            REPLY_RATE: [3 / 4, np.nan, 0.0],
            # The middle of 60, 60 + 1/60 and 1560 minutes.
            MEDIAN_RESPONSE_MINUTES: [60 + 1 / 60, np.nan, np.nan],
            ANSWERED_WITHIN_1H_RATE: [1 / 4, np.nan, 0.0],
            ANSWERED_WITHIN_24H_RATE: [2 / 4, np.nan, 0.0],
        },
        index=pd.Index([1, 2, 3], name="account_id"),
    )
    pd.testing.assert_frame_equal(result, expected)
    assert list(result.columns) == list(RESPONSE_INDICATORS)


def test_24_hours_exactly_is_within_a_day_and_one_second_more_is_not():
    frame = replies([
        (1, "2012-03-05 10:00:00", "2012-03-06 10:00:00", "好的"),
        (1, "2012-03-05 10:00:00", "2012-03-06 10:00:01", "好的"),
    ])
    result = response_indicators(frame, accounts=[1], start=START, end=END)
    assert result.at[1, ANSWERED_WITHIN_24H_RATE] == 0.5
    assert result.at[1, ANSWERED_WITHIN_1H_RATE] == 0.0


def test_a_reply_before_its_question_is_refused_with_its_row():
    frame = replies([
        (1, "2012-03-05 10:00:00", "2012-03-05 10:30:00", "好的"),
        (1, "2012-03-05 10:00:00", "2012-03-05 09:59:00", "好的"),
    ])
    with pytest.raises(ValueError, match="replies row 1: replied_at .* is before asked_at"):
        response_indicators(frame, accounts=[1], start=START, end=END)
