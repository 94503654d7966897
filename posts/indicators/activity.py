"""Posting activity per account and period: post_count, original_rate, active_days, longest_silence_days,
posts_per_day (发博积极性, 原创率, 断更).

- post_count: the account's posts whose time (China time) falls in the period.
- original_rate: original posts ÷ post_count (NaN when the account has no post in the period).
- active_days: the period's calendar days (China time) with at least one post.
- longest_silence_days (最长断更天数): the longest run of consecutive calendar days of the period with no
  post; the days before the first post and after the last count, so an account with no post in the
  period has the whole period.
- posts_per_day: post_count ÷ the period's number of days.

An account listed in `accounts` with no post in the period is taken as covered (its posts were
collected, it posted nothing): post_count and active_days are a real 0 and its silence is the whole
period, while original_rate has no posts to measure and is NaN ("no data", never a silent 0). An
account whose posts were not collected must not be listed: the caller reports it as no data.
"""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from posts.indicators.columns import (
    ACCOUNT_ID,
    ACTIVE_DAYS,
    ACTIVITY_INDICATORS,
    LONGEST_SILENCE_DAYS,
    ORIGINAL,
    ORIGINAL_RATE,
    POST_COUNT,
    POSTED_AT,
    POSTS_PER_DAY,
)
from posts.indicators.frames import account_index, china_days, in_period, period_days, rate


def period_posts(posts: pd.DataFrame, *, accounts: pd.Index, start: datetime.date,
                 end: datetime.date) -> pd.DataFrame:
    """The rows of `posts` (columns.POST_COLUMNS) posted in the period by the listed accounts, with a
    `day` column: the post's day number in the period (0 for `start`), China time."""
    days = china_days(posts[POSTED_AT], start, name="posts.posted_at")
    keep = in_period(days, period_days(start, end)) & posts[ACCOUNT_ID].isin(accounts).to_numpy()
    return posts.loc[keep].assign(day=days[keep])


def activity_indicators(posts: pd.DataFrame, *, accounts: pd.Index | list[int], start: datetime.date,
                        end: datetime.date) -> pd.DataFrame:
    """posts: columns.POST_COLUMNS (ACCOUNT_ID, POSTED_AT and ORIGINAL are read). Returns one row per
    account of `accounts` (index ACCOUNT_ID, in that order) with the columns ACTIVITY_INDICATORS, as the
    module's docstring defines them. Posts outside the period or of unlisted accounts are ignored."""
    index = account_index(accounts)
    days = period_days(start, end)
    selected = period_posts(posts, accounts=index, start=start, end=end)
    by_account = selected.groupby(ACCOUNT_ID, sort=False)
    post_count = by_account.size().reindex(index, fill_value=0).astype(np.int64)
    originals = by_account[ORIGINAL].sum().reindex(index, fill_value=0)
    active, silence = _days_and_silences(selected[ACCOUNT_ID].to_numpy(), selected["day"].to_numpy(), days)
    return pd.DataFrame(
        {
            POST_COUNT: post_count,
            ORIGINAL_RATE: rate(originals, post_count),
            ACTIVE_DAYS: active.reindex(index, fill_value=0).astype(np.int64),
            # No post in the period: silent for the whole period.
            LONGEST_SILENCE_DAYS: silence.reindex(index, fill_value=days).astype(np.int64),
            POSTS_PER_DAY: post_count / float(days),
        },
        index=index,
    )[list(ACTIVITY_INDICATORS)]


def _days_and_silences(account: np.ndarray, day: np.ndarray, days: int) -> tuple[pd.Series, pd.Series]:
    """Active days and the longest silence of each account with at least one post, from the posts'
    account ids and day numbers (0 .. days - 1). Vectorised: sort the distinct (account, day) pairs;
    the silence before a day is the gap to the account's previous posting day (or to the period's start
    for its first), and after its last posting day comes the silence to the period's end."""
    if len(account) == 0:
        return pd.Series([], dtype=np.int64), pd.Series([], dtype=np.int64)
    order = np.lexsort((day, account))
    account, day = account[order], day[order]
    repeated = np.r_[False, (account[1:] == account[:-1]) & (day[1:] == day[:-1])]
    account, day = account[~repeated], day[~repeated]
    first = np.r_[True, account[1:] != account[:-1]]
    last = np.r_[account[1:] != account[:-1], True]
    before = np.where(first, day, day - np.r_[0, day[:-1]] - 1)
    after = np.where(last, days - 1 - day, 0)
    silences = pd.Series(np.maximum(before, after)).groupby(account, sort=False).max()
    active = pd.Series(account).value_counts(sort=False)
    return active, silences
