"""From snapshots to one row of period totals per account: the input of pipeline.score."""
from __future__ import annotations

import numpy as np
import pandas as pd

from rankings.scoring.columns import (
    ACCOUNT_ID,
    CATEGORY,
    CITY_ID,
    DAYS,
    FANS,
    LAST_POST_ON,
    OPTIONAL_METRICS,
    PERIOD_END,
    PERIOD_START,
    REQUIRED_METRICS,
    SNAPSHOTS,
)

_KNOWN = frozenset((ACCOUNT_ID, CITY_ID, CATEGORY, PERIOD_START, PERIOD_END, LAST_POST_ON, *REQUIRED_METRICS,
                    *OPTIONAL_METRICS))
_SUMMED = tuple(metric for metric in REQUIRED_METRICS if metric != FANS)


def period_days(period_start: object, period_end: object) -> int:
    """The length of [period_start, period_end] in days, both ends included."""
    return (pd.Timestamp(period_end) - pd.Timestamp(period_start)).days + 1


def period_totals(snapshots: pd.DataFrame, *, period_start: object, period_end: object) -> pd.DataFrame:
    """Each account's totals over [period_start, period_end] (dates, both ends included).

    snapshots: one row per snapshot with ACCOUNT_ID, CITY_ID, CATEGORY (text or Categorical), PERIOD_START, PERIOD_END
    (datetime64), the required metrics (whole numbers), the optional metrics (float, NaN = unknown),
    LAST_POST_ON (datetime64, NaT = unknown); every other column is a custom metric (float, NaN allowed).
    Only snapshots lying wholly inside the period count; snapshots are assumed not to overlap.

    Returns one row per account, indexed by ACCOUNT_ID (sorted): CITY_ID and CATEGORY (of the latest
    snapshot; CATEGORY as text, object dtype), fans of the latest snapshot (greatest PERIOD_END, then
    greatest PERIOD_START; fans are counted at a period's end),
    the other required metrics summed (int64), the optional and custom metrics summed (float64; NaN only
    if every snapshot had NaN), LAST_POST_ON (max), SNAPSHOTS (how many counted) and DAYS (the period's
    length, the same for every account).
    """
    start, end = pd.Timestamp(period_start), pd.Timestamp(period_end)
    if end < start:
        raise ValueError(f"the period ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")
    custom = [column for column in snapshots.columns if column not in _KNOWN]
    inside = snapshots.loc[(snapshots[PERIOD_START] >= start) & (snapshots[PERIOD_END] <= end)]
    # Sorted by end date, the last row of each account is its latest snapshot.
    latest = (
        inside[[ACCOUNT_ID, PERIOD_START, PERIOD_END, CITY_ID, CATEGORY, FANS]]
        .sort_values([PERIOD_END, PERIOD_START], kind="stable")
        .drop_duplicates(ACCOUNT_ID, keep="last")
        .set_index(ACCOUNT_ID)
        .sort_index()
    )
    grouped = inside.groupby(ACCOUNT_ID, sort=True)
    sums = grouped[list(_SUMMED)].sum().astype(np.int64)
    nullable = [*OPTIONAL_METRICS, *custom]
    optional_sums = (
        inside[[ACCOUNT_ID, *nullable]]
        .astype(dict.fromkeys(nullable, np.float64))
        .groupby(ACCOUNT_ID, sort=True)
        .sum(min_count=1)
    )
    totals = pd.concat(
        [
            latest[[CITY_ID, CATEGORY, FANS]].astype({FANS: np.int64}),
            sums,
            optional_sums,
            grouped[LAST_POST_ON].max(),
            grouped.size().rename(SNAPSHOTS).astype(np.int64),
        ],
        axis=1,
    )
    return _finished(totals, custom, start, end)


def period_totals_finish(aggregated: pd.DataFrame, *, period_start: object, period_end: object) -> pd.DataFrame:
    """The period totals (period_totals' contract) from totals the database already aggregated.

    aggregated: one row per account, indexed by ACCOUNT_ID, with CITY_ID, CATEGORY (text or Categorical),
    the required metrics (int64), the optional metrics (float64), LAST_POST_ON (datetime64), SNAPSHOTS;
    every other column is a custom metric (float64). Adds DAYS and puts the columns in period_totals' order.
    """
    start, end = pd.Timestamp(period_start), pd.Timestamp(period_end)
    if end < start:
        raise ValueError(f"the period ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")
    custom = [column for column in aggregated.columns if column not in _KNOWN and column != SNAPSHOTS]
    return _finished(aggregated.sort_index(), custom, start, end)


def _finished(totals: pd.DataFrame, custom: list[str], start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    totals = totals.assign(**{CATEGORY: totals[CATEGORY].astype(object), DAYS: np.int64(period_days(start, end))})
    order = [CITY_ID, CATEGORY, *REQUIRED_METRICS, *OPTIONAL_METRICS, *custom, LAST_POST_ON, SNAPSHOTS, DAYS]
    return totals[order].rename_axis(ACCOUNT_ID)
