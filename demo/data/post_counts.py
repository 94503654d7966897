"""How much each account posts, is asked and answers, month by month: (accounts x months) count arrays.

From snapshots (`counts_from_totals`): the snapshot's own posts, original posts, reposts, comments,
likes and replies, and the day of its last_post_on. Questions = answered (the snapshot's replies) plus
QUESTION_SHARE of the other comments (the rest is praise, chatter and reposted comments). Calibrated so
a national month (180,000 accounts) asks about a million questions.

Drawn (`drawn_counts`, no snapshots): posting rates by level and category, lognormal between accounts,
5% near-empty shells; comments per post heavy-tailed; reply rates by answering speed. Calibrated to
about 36 posts and 5.5 questions per account-month, the national figures of the issue (6.5 million
posts, a million replies for 180,000 accounts). Pure pandas/numpy; no Django.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo.data.post_accounts import Table

FAST, NORMAL, SLOW, NEVER = range(4)
SPEEDS = ("fast", "normal", "slow", "never")
QUESTION_SHARE = 0.165
_TOTAL_COLUMNS = {"posts": "posts", "originals": "original_posts", "reposts": "reposts",
                  "comments": "comments", "likes": "likes", "answered": "replies"}
_LEVEL_RATE = np.array([83.0, 38.0, 19.0])  # posts a month by level (city, county, township), median
_CATEGORY_RATE = np.array([1.3, 1.2, 1.2, 0.7, 0.8, 0.6])  # by category (CATEGORIES order)
_LEVEL_COMMENTS = np.array([1.2, 0.35, 0.12])  # comments per post by level, median
_SHELL_SHARE = 0.05
_DRAWN_QUESTION_SHARE = 0.235  # of comments
# Reply rates (answered / asked) by speed, as beta distributions: fast ones answer nearly everything.
_REPLY_RATE = {FAST: (20.0, 1.0), NORMAL: (4.0, 2.0), SLOW: (3.0, 2.0)}


@dataclass(frozen=True)
class Counts:
    """(accounts x months) int64 arrays. last_day: day of the month of the account's last post (the
    month's length where unknown); questions >= answered; no posts means no engagement at all."""

    posts: np.ndarray
    originals: np.ndarray
    reposts: np.ndarray
    comments: np.ndarray
    likes: np.ndarray
    questions: np.ndarray
    answered: np.ndarray
    last_day: np.ndarray


def month_starts(start: str, months: int) -> np.ndarray:
    """The months as datetime64[M]. Raises ValueError for a malformed start, one before 2000 (post ids
    count seconds from 2000) or fewer than one month."""
    if months < 1:
        raise ValueError("months must be at least 1")
    if not re.fullmatch(r"(2\d{3})-(0[1-9]|1[0-2])", start):
        raise ValueError(f"start must be YYYY-MM from 2000-01 on, got {start!r}")
    return np.datetime64(start, "M") + np.arange(months)


def days_in(periods: np.ndarray) -> np.ndarray:
    return ((periods + 1).astype("datetime64[D]") - periods.astype("datetime64[D]")).astype(np.int64)


def counts_from_totals(table: Table, totals: pd.DataFrame, periods: np.ndarray, question_share: np.ndarray,
                       rng: np.random.Generator) -> Counts:
    """The snapshots' counts of the months (see the module docstring). `question_share`: per account,
    NaN for QUESTION_SHARE. Raises ValueError for missing columns, a month without rows, or accounts
    that `accounts` does not hold."""
    needed = ["period", "platform", "account", *_TOTAL_COLUMNS.values()]
    missing = [column for column in needed if column not in totals.columns]
    if missing:
        raise ValueError(f"totals lacks the columns {', '.join(missing)}")
    month = pd.Index([str(p) for p in periods]).get_indexer(totals["period"].astype(str))
    absent = sorted(set(range(len(periods))) - set(month[month >= 0].tolist()))
    if absent:
        raise ValueError(f"totals holds no rows for {', '.join(str(periods[m]) for m in absent)}")
    rows = totals[month >= 0]
    month = month[month >= 0]
    account = table.index_of(rows["platform"], rows["account"])
    if (account < 0).any():
        raise ValueError(f"totals names {int((account < 0).sum())} rows of accounts that accounts lacks")
    arrays = {}
    for name, column in _TOTAL_COLUMNS.items():
        arrays[name] = np.zeros((len(table), len(periods)), dtype=np.int64)
        arrays[name][account, month] = rows[column].to_numpy(dtype=np.int64)
    silent = arrays["posts"] == 0
    for name in ("originals", "reposts", "comments", "likes", "answered"):
        arrays[name][silent] = 0
    share = np.where(np.isnan(question_share), QUESTION_SHARE, question_share)[:, None]
    questions = arrays["answered"] + rng.binomial(arrays["comments"] - arrays["answered"], share)
    return Counts(**arrays, questions=questions,
                  last_day=_last_days(rows, account, month, periods, len(table)))


def _last_days(rows: pd.DataFrame, account: np.ndarray, month: np.ndarray, periods: np.ndarray,
               accounts: int) -> np.ndarray:
    """Day of the month of last_post_on where it falls in that month, else the month's length."""
    last_day = np.tile(days_in(periods), (accounts, 1))
    if "last_post_on" not in rows.columns:
        return last_day
    last = pd.to_datetime(rows["last_post_on"]).to_numpy().astype("datetime64[D]")
    inside = ~np.isnat(last) & (last.astype("datetime64[M]") == periods[month])
    day = (last - last.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    last_day[account[inside], month[inside]] = day[inside]
    return last_day


def drawn_counts(table: Table, periods: np.ndarray, speed: np.ndarray, rng: np.random.Generator) -> Counts:
    """Counts from the model (module docstring); every account exists in every month."""
    n, m = len(table), len(periods)
    shell = rng.random(n) < _SHELL_SHARE
    rate = np.where(shell, 0.3, _LEVEL_RATE[table.level] * _CATEGORY_RATE[table.category]
                    * rng.lognormal(0, 0.8, n))
    posts = rng.poisson(rate[:, None] * rng.gamma(3.0, 1 / 3, (n, m)))
    originals = rng.binomial(posts, rng.beta(6, 3, n)[:, None])
    per_post = _LEVEL_COMMENTS[table.level] * rng.lognormal(0, 1.0, n)
    comments = rng.poisson(posts * per_post[:, None])
    questions = rng.binomial(comments, _DRAWN_QUESTION_SHARE)
    reply_rate = np.zeros(n)
    for code, (a, b) in _REPLY_RATE.items():
        reply_rate = np.where(speed == code, rng.beta(a, b, n), reply_rate)
    return Counts(
        posts=posts, originals=originals, reposts=rng.poisson(1.4 * comments), comments=comments,
        likes=rng.poisson(0.7 * comments), questions=questions,
        answered=rng.binomial(questions, reply_rate[:, None]),
        last_day=np.tile(days_in(periods), (n, 1)),
    )
