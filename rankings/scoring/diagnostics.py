"""Account diagnostics from the source article's critique: empty shells, idle accounts, and accounts
that broadcast but never answer. The flags are shown beside scores; they never change a score.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from rankings.scoring.columns import (
    BROADCAST_ONLY,
    COMMENTS,
    DAYS,
    DAYS_COVERED,
    EMPTY_SHELL,
    INACTIVE,
    LAST_POST_ON,
    POSTS,
    REPLIES,
    REPLY_RATE,
)

# 国办秘函〔2019〕19号: an account with no update in the two weeks before the check date fails.
INACTIVE_AFTER_DAYS = 14

# A run's warnings are "<indicator key>:<reason>" -> accounts; a warning about the input itself has
# this key, which no indicator can have (indicator keys are identifiers).
INPUT_WARNING_KEY = "*"
OVERLAPPING_SNAPSHOTS = "overlapping_snapshots"


def input_warnings(totals: pd.DataFrame) -> dict[str, int]:
    """Warnings about the period totals themselves (inputs.period_totals), accounts affected:
    - overlapping_snapshots: the account's counted snapshots cover more days than the period
      (DAYS_COVERED > DAYS), so some of them overlap (a month and a quarter, or two imports of different
      periods) and their posts and reposts are counted more than once.
    Only reasons with at least one account appear."""
    if DAYS_COVERED not in totals or DAYS not in totals:
        return {}
    overlapping = int(np.count_nonzero(totals[DAYS_COVERED].to_numpy() > totals[DAYS].to_numpy()))
    return {f"{INPUT_WARNING_KEY}:{OVERLAPPING_SNAPSHOTS}": overlapping} if overlapping else {}


def account_flags(
    totals: pd.DataFrame, *, period_end: object, inactive_after_days: int = INACTIVE_AFTER_DAYS
) -> pd.DataFrame:
    """Flags for each account of `totals` (inputs.period_totals: POSTS, COMMENTS, REPLIES, LAST_POST_ON).

    Returns a frame on totals' index with
    - EMPTY_SHELL (boolean): posts == 0 (空壳微博);
    - INACTIVE (boolean, <NA> when the last post date is unknown): the last post is more than
      `inactive_after_days` days before period_end;
    - BROADCAST_ONLY (boolean): comments > 0 but replies == 0 (只发布消息，而从不回复);
    - REPLY_RATE (float64, NaN when comments == 0): replies / comments.
    """
    idle_days = (pd.Timestamp(period_end) - pd.to_datetime(totals[LAST_POST_ON])).dt.days
    comments = totals[COMMENTS].astype(np.float64)
    replies = totals[REPLIES].astype(np.float64)
    return pd.DataFrame(
        {
            EMPTY_SHELL: (totals[POSTS] == 0).astype("boolean"),
            INACTIVE: (idle_days > inactive_after_days).astype("boolean").mask(idle_days.isna()),
            BROADCAST_ONLY: ((comments > 0) & (replies == 0)).astype("boolean"),
            REPLY_RATE: (replies / comments.where(comments > 0)).astype(np.float64),
        },
        index=totals.index,
    )
