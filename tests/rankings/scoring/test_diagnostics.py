"""Account flags: empty shells, inactive accounts, broadcast-only accounts, reply rates."""
from __future__ import annotations

import numpy as np
import pandas as pd

from rankings.scoring.columns import BROADCAST_ONLY, EMPTY_SHELL, INACTIVE, REPLY_RATE
from rankings.scoring.diagnostics import account_flags

from .frames import totals


def test_flags_by_hand():
    accounts = totals(
        3,
        posts=[0, 5, 9],
        comments=[0, 4, 10],
        replies=[0, 0, 5],
        last_post_on=pd.to_datetime([None, "2012-12-16", "2012-12-17"]),
    )
    flags = account_flags(accounts, period_end=pd.Timestamp("2012-12-31"))
    expected = pd.DataFrame(
        {
            EMPTY_SHELL: pd.array([True, False, False], dtype="boolean"),
            # Last post unknown -> <NA>; 15 days before the end -> inactive; 14 days -> not.
            INACTIVE: pd.array([pd.NA, True, False], dtype="boolean"),
            # 4 comments and no reply -> broadcast only; no comments at all -> not.
            BROADCAST_ONLY: pd.array([False, True, False], dtype="boolean"),
            REPLY_RATE: [np.nan, 0.0, 0.5],
        },
        index=accounts.index,
    )
    pd.testing.assert_frame_equal(flags, expected)


def test_the_inactivity_threshold_is_a_parameter():
    accounts = totals(1, posts=[1], last_post_on=pd.to_datetime(["2012-12-24"]))
    assert not account_flags(accounts, period_end="2012-12-31")[INACTIVE].iloc[0]
    assert account_flags(accounts, period_end="2012-12-31", inactive_after_days=6)[INACTIVE].iloc[0]
