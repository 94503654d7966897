"""post_indicators: every indicator of issue 20 item 3 under its name, on one small hand-built set."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from posts.indicators import post_indicators, topic_dictionary_read
from posts.indicators.columns import ACCOUNT_ID, COUNT, INDICATORS, RANK, TEMPLATE, TEXT

from .frames import MARCH, post, posts, replies

START, END = MARCH


def test_every_indicator_by_hand_and_no_silent_zero_for_an_account_without_posts():
    frame = posts([
        post(1, "2012-03-01 09:00", "【路况】五一大道交通管制", original=True),
        post(1, "2012-03-01 18:00", "转发微博", original=False),
        post(1, "2012-03-30 10:00", "停水通知", original=True),
        post(1, "2012-03-31 23:59", "晚安", original=True),
    ])
    asked = replies([
        (1, "2012-03-02 10:00", "2012-03-02 10:30", "回复@甲:您好，已转交相关部门处理。"),  # 30 min
        (1, "2012-03-02 11:00", "2012-03-02 13:00", "回复@乙:您好，已转交相关部门处理。"),  # 120 min
        (1, "2012-03-03 11:00", None, None),
        (2, "2012-03-03 11:00", None, None),
    ])
    result = post_indicators(frame, asked, accounts=[1, 2], start=START, end=END)
    assert list(result.indicators.columns) == list(INDICATORS) == [
        "post_count", "original_rate", "active_days", "longest_silence_days", "posts_per_day", "reply_rate",
        "median_response_minutes", "answered_within_1h_rate", "answered_within_24h_rate",
        "boilerplate_reply_rate", "service_content_rate"]
    # Account 1 posted on days 0, 29 and 30: silent from 2 to 29 March, 28 days.
    # Account 2 is covered and posted nothing: counts 0, silent all 31 days, every rate of posts NaN; one
    # question, unanswered: reply_rate 0, no median, no reply to judge.
    expected = pd.DataFrame(
        {
            "post_count": np.array([4, 0], dtype=np.int64),
            "original_rate": [3 / 4, np.nan],
            "active_days": np.array([3, 0], dtype=np.int64),
            "longest_silence_days": np.array([28, 31], dtype=np.int64),
            "posts_per_day": [4 / 31, 0.0],
            "reply_rate": [2 / 3, 0.0],
            "median_response_minutes": [75.0, np.nan],
            "answered_within_1h_rate": [1 / 3, 0.0],
            "answered_within_24h_rate": [2 / 3, 0.0],
            "boilerplate_reply_rate": [1.0, np.nan],
            "service_content_rate": [2 / 4, np.nan],
        },
        index=pd.Index([1, 2], name=ACCOUNT_ID),
    )
    pd.testing.assert_frame_equal(result.indicators, expected)
    assert result.topic_shares.loc[1, "traffic"] == 1 / 4
    assert result.topic_shares.loc[2].isna().all()
    assert result.reply_templates[[ACCOUNT_ID, RANK, TEMPLATE, COUNT]].values.tolist() == [
        [1, 1, "您好，已转交相关部门处理。", 2]]
    assert result.dictionary_version == topic_dictionary_read().version


def test_a_frame_missing_a_column_of_the_contract_is_refused():
    with pytest.raises(ValueError, match="posts: missing column.*text"):
        post_indicators(posts([]).drop(columns=TEXT), replies([]), accounts=[1], start=START, end=END)


def test_no_posts_and_no_replies_at_all_still_give_every_account_a_typed_row():
    result = post_indicators(posts([]), replies([]), accounts=[5, 6], start=START, end=END)
    frame = result.indicators
    assert frame.index.tolist() == [5, 6]
    assert frame["post_count"].dtype == np.int64 and frame["post_count"].tolist() == [0, 0]
    assert frame["longest_silence_days"].tolist() == [31, 31]
    rates = frame.drop(columns=["post_count", "active_days", "longest_silence_days", "posts_per_day"])
    assert rates.isna().all().all() and (rates.dtypes == np.float64).all()
    assert result.reply_templates.empty and result.topic_shares.isna().all().all()
