"""Boilerplate replies (套话): boilerplate_reply_rate and the reply templates an account repeats most.

- boilerplate_reply_rate (套话率): of the replies to the period's questions (asked in the period, answered
  at any time), the share that are near-duplicates of another reply of the same account. Replies are
  compared without a leading "回复@<name>:" (or "：") and without surrounding spaces; near-duplicate means
  a Jaccard similarity of character bigrams of at least 0.7 (nearduplicates: why bigrams, why 0.7, how
  MinHashLSH finds the pairs). NaN for an account with no reply to the period's questions.
- reply templates: the groups of near-duplicate replies of an account (texts joined by near-duplicate
  pairs), each shown by its most frequent text (ties: the shorter, then the first in code-point order)
  with the number of the period's replies in it; only groups of at least two replies.

The replies compared with are every answered row of `replies` for the account, whatever its question's
date: the caller passes the period's rows to compare within the period, or a longer history to catch a
reply pasted again month after month. Only the period's replies are counted.
"""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from posts.indicators.columns import (
    ACCOUNT_ID,
    ASKED_AT,
    BOILERPLATE_REPLY_RATE,
    COUNT,
    RANK,
    REPLIED_AT,
    REPLY,
    TEMPLATE,
)
from posts.indicators.frames import account_index, china_days, in_period, period_days, rate
from posts.indicators.nearduplicates import EXACT_UP_TO, near_duplicate_labels

# Weibo nicknames are letters, digits, Chinese characters, "_" and "-": the name ends at the colon.
LEADING_ADDRESS = r"^\s*回复@[^:：\s]+[:：]"
CORE = "core"
GROUP = "group"
GROUP_SIZE = "group_size"
IN_PERIOD = "in_period"
TEMPLATES_SHOWN = 5


def reply_core(replies: pd.Series) -> pd.Series:
    """The part of each reply that is compared: without a leading 回复@<name>: / ： and outer spaces;
    a missing reply text is empty."""
    text = replies.astype("object").where(replies.notna(), "").astype(str)
    return text.str.replace(LEADING_ADDRESS, "", n=1, regex=True).str.strip()


def reply_groups(replies: pd.DataFrame, *, accounts: pd.Index | list[int], start: datetime.date,
                 end: datetime.date, exact_up_to: int = EXACT_UP_TO) -> pd.DataFrame:
    """replies: columns.REPLY_COLUMNS. Returns one row per answered reply of a listed account with
    ACCOUNT_ID, CORE (the compared text), GROUP (its near-duplicate group, an int64 unique across
    accounts), GROUP_SIZE (the replies in its group, itself included) and IN_PERIOD (its question was
    asked in the period). Exact repeats are grouped first (vectorised); only accounts with two distinct
    texts or more are searched for near-duplicates."""
    index = account_index(accounts)
    answered = replies.loc[replies[REPLIED_AT].notna().to_numpy() & replies[ACCOUNT_ID].isin(index).to_numpy()]
    days = china_days(answered[ASKED_AT], start, name="replies.asked_at")
    pool = pd.DataFrame({ACCOUNT_ID: answered[ACCOUNT_ID].to_numpy(dtype=np.int64),
                         CORE: reply_core(answered[REPLY]).to_numpy(dtype=object),
                         IN_PERIOD: in_period(days, period_days(start, end))})
    # Each distinct (account, text) once, ordered by account, for the near-duplicate search.
    codes = pool.groupby([ACCOUNT_ID, CORE], sort=False).ngroup().to_numpy()
    firsts = np.unique(codes, return_index=True)[1]
    order = firsts[np.argsort(pool[ACCOUNT_ID].to_numpy()[firsts], kind="stable")]
    group_of_code = np.empty(len(firsts), dtype=np.int64)
    group_of_code[codes[order]] = _group_ids(pool[ACCOUNT_ID].to_numpy()[order], pool[CORE].to_numpy()[order],
                                             exact_up_to)
    pool[GROUP] = group_of_code[codes]
    pool[GROUP_SIZE] = pool.groupby(GROUP)[GROUP].transform("size").astype(np.int64)
    return pool


def _group_ids(account: np.ndarray, core: np.ndarray, exact_up_to: int) -> np.ndarray:
    """Group ids for distinct (account, text) rows sorted by account: each row its own position, then
    within each account with two texts or more the near-duplicate labels, offset to that account's
    first row (so ids never collide across accounts)."""
    groups = np.arange(len(account), dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, account[1:] != account[:-1]]) if len(account) else np.array([], int)
    ends = np.r_[starts[1:], len(account)]
    for first, stop in zip(starts[ends - starts > 1].tolist(), ends[ends - starts > 1].tolist(), strict=True):
        groups[first:stop] = first + near_duplicate_labels(core[first:stop].tolist(), exact_up_to=exact_up_to)
    return groups


def boilerplate_rate(groups: pd.DataFrame, *, accounts: pd.Index | list[int]) -> pd.Series:
    """BOILERPLATE_REPLY_RATE per account of `accounts` from reply_groups' frame: the period's replies in
    a group of two or more ÷ the period's replies (NaN with none)."""
    index = account_index(accounts)
    period = groups.loc[groups[IN_PERIOD]]
    by_account = (period[GROUP_SIZE] > 1).groupby(period[ACCOUNT_ID])
    repeated = by_account.sum().reindex(index, fill_value=0)
    replies = by_account.size().reindex(index, fill_value=0)
    return rate(repeated, replies).rename(BOILERPLATE_REPLY_RATE)


def templates(groups: pd.DataFrame, *, top: int = TEMPLATES_SHOWN) -> pd.DataFrame:
    """The `top` reply templates of each account from reply_groups' frame: columns ACCOUNT_ID, RANK
    (1 = most repeated), TEMPLATE (the group's most frequent text; ties: shorter, then code-point
    order), COUNT (the period's replies in the group). Groups of one reply, or with none in the period,
    are left out; equal counts are ordered by template text."""
    repeated = groups.loc[groups[GROUP_SIZE] > 1]
    texts = repeated.groupby([GROUP, CORE]).size().rename("uses").reset_index()
    texts["length"] = texts[CORE].str.len()
    texts = texts.sort_values([GROUP, "uses", "length", CORE], ascending=[True, False, True, True])
    shown = texts.drop_duplicates(GROUP).set_index(GROUP)[CORE]
    counts = repeated.loc[repeated[IN_PERIOD]].groupby([ACCOUNT_ID, GROUP]).size().rename(COUNT).reset_index()
    counts[TEMPLATE] = shown.reindex(counts[GROUP]).to_numpy()
    counts = counts.sort_values([ACCOUNT_ID, COUNT, TEMPLATE], ascending=[True, False, True]).groupby(ACCOUNT_ID).head(top)
    counts[RANK] = counts.groupby(ACCOUNT_ID).cumcount().astype(np.int64) + 1
    return counts[[ACCOUNT_ID, RANK, TEMPLATE, COUNT]].reset_index(drop=True).astype({COUNT: np.int64})


def boilerplate_reply_rate(replies: pd.DataFrame, *, accounts: pd.Index | list[int], start: datetime.date,
                           end: datetime.date) -> pd.Series:
    """BOILERPLATE_REPLY_RATE per account of `accounts` (index ACCOUNT_ID), as the module defines it."""
    return boilerplate_rate(reply_groups(replies, accounts=accounts, start=start, end=end), accounts=accounts)


def reply_templates(replies: pd.DataFrame, *, accounts: pd.Index | list[int], start: datetime.date,
                    end: datetime.date, top: int = TEMPLATES_SHOWN) -> pd.DataFrame:
    """Each account's `top` most repeated reply templates in the period (see templates), for the
    account page."""
    return templates(reply_groups(replies, accounts=accounts, start=start, end=end), top=top)
