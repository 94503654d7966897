"""Answering per account and period: reply_rate, median_response_minutes, answered_within_1h_rate,
answered_within_24h_rate (回复率, 响应时长; the article's one-hour standard: "在事发一小时内").

A question belongs to the period in which it was asked (its asked_at, China time), wherever its answer
falls: a question asked on 31 March and answered on 1 April counts, answered, in March.

- reply_rate: the period's answered questions ÷ the period's questions.
- median_response_minutes: the median of (replied_at − asked_at) in minutes over the period's answered
  questions.
- answered_within_1h_rate: the period's questions answered within 60 minutes, inclusive (a reply 60:00
  after the question counts, 60:01 does not) ÷ the period's questions; answered_within_24h_rate the same
  with 24 hours. Unanswered questions count in the denominator of all three rates.

An account with no question in the period has NaN for all four ("no data", never a silent 0); one
with questions but no answer has reply_rate 0 and a NaN median.
"""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from posts.indicators.columns import (
    ACCOUNT_ID,
    ANSWERED_WITHIN_1H_RATE,
    ANSWERED_WITHIN_24H_RATE,
    ASKED_AT,
    MEDIAN_RESPONSE_MINUTES,
    REPLIED_AT,
    REPLY_RATE,
    RESPONSE_INDICATORS,
)
from posts.indicators.frames import account_index, china_days, in_period, period_days, rate

ONE_HOUR = pd.Timedelta(hours=1)
ONE_DAY = pd.Timedelta(hours=24)
DELAY = "delay"


def period_questions(replies: pd.DataFrame, *, accounts: pd.Index, start: datetime.date,
                     end: datetime.date) -> pd.DataFrame:
    """The rows of `replies` (columns.REPLY_COLUMNS) asked in the period by people writing to the listed
    accounts, with a DELAY column: replied_at − asked_at (NaT when unanswered). A reply before its
    question is refused, naming the first such row: the import must not let one through."""
    days = china_days(replies[ASKED_AT], start, name="replies.asked_at")
    china_days(replies[REPLIED_AT], start, name="replies.replied_at")  # checks the time zone only
    keep = in_period(days, period_days(start, end)) & replies[ACCOUNT_ID].isin(accounts).to_numpy()
    questions = replies.loc[keep]
    delay = questions[REPLIED_AT] - questions[ASKED_AT]
    early = delay < pd.Timedelta(0)
    if early.any():
        row = early.idxmax()
        raise ValueError(f"replies row {row}: replied_at {questions.at[row, REPLIED_AT]} is before "
                         f"asked_at {questions.at[row, ASKED_AT]}")
    return questions.assign(**{DELAY: delay})


def response_indicators(replies: pd.DataFrame, *, accounts: pd.Index | list[int], start: datetime.date,
                        end: datetime.date) -> pd.DataFrame:
    """replies: columns.REPLY_COLUMNS (ACCOUNT_ID, ASKED_AT and REPLIED_AT are read). Returns one row
    per account of `accounts` (index ACCOUNT_ID, in that order) with the columns RESPONSE_INDICATORS,
    as the module's docstring defines them."""
    index = account_index(accounts)
    questions = period_questions(replies, accounts=index, start=start, end=end)
    delay = questions[DELAY]
    flags = pd.DataFrame(
        {
            "asked": np.ones(len(questions), dtype=np.int64),
            "answered": delay.notna().to_numpy(),
            # NaT compares False: an unanswered question is never "within".
            "within_1h": (delay <= ONE_HOUR).to_numpy(),
            "within_24h": (delay <= ONE_DAY).to_numpy(),
            "minutes": (delay.dt.total_seconds() / 60.0).to_numpy(),
        },
    )
    by_account = flags.groupby(questions[ACCOUNT_ID].to_numpy(), sort=False)
    counts = by_account[["asked", "answered", "within_1h", "within_24h"]].sum().reindex(index, fill_value=0)
    median = by_account["minutes"].median().reindex(index)
    return pd.DataFrame(
        {
            REPLY_RATE: rate(counts["answered"], counts["asked"]),
            MEDIAN_RESPONSE_MINUTES: median.astype(np.float64),
            ANSWERED_WITHIN_1H_RATE: rate(counts["within_1h"], counts["asked"]),
            ANSWERED_WITHIN_24H_RATE: rate(counts["within_24h"], counts["asked"]),
        },
        index=index,
    )[list(RESPONSE_INDICATORS)]
