"""From snapshots to one row of period totals per account: the input of pipeline.score."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from rankings.scoring.columns import (
    ACCOUNT_ID,
    CATEGORY,
    CITY_ID,
    DAYS,
    DAYS_COVERED,
    FANS,
    LAST_POST_ON,
    OPTIONAL_METRICS,
    PERIOD_END,
    PERIOD_START,
    REQUIRED_METRICS,
    SNAPSHOTS,
)

_KNOWN = frozenset((ACCOUNT_ID, CITY_ID, CATEGORY, PERIOD_START, PERIOD_END, LAST_POST_ON, *REQUIRED_METRICS,
                    *OPTIONAL_METRICS, SNAPSHOTS, DAYS_COVERED))
_SUMMED = tuple(metric for metric in REQUIRED_METRICS if metric != FANS)


def period_days(period_start: object, period_end: object) -> int:
    """The length of [period_start, period_end] in days, both ends included."""
    return (pd.Timestamp(period_end) - pd.Timestamp(period_start)).days + 1


def period_totals(snapshots: pd.DataFrame, *, period_start: object, period_end: object,
                  latest_metrics: Sequence[str] = ()) -> pd.DataFrame:
    """Each account's totals over [period_start, period_end] (dates, both ends included).

    snapshots: one row per snapshot with ACCOUNT_ID, CITY_ID, CATEGORY (text or Categorical), PERIOD_START, PERIOD_END
    (datetime64), the required metrics (whole numbers), the optional metrics (float, NaN = unknown),
    LAST_POST_ON (datetime64, NaT = unknown); every other column is a custom metric (float, NaN allowed).
    Only snapshots lying wholly inside the period count. latest_metrics: the custom metrics taken at
    the latest snapshot that carries them (not NaN) instead of summed.

    Returns one row per account, indexed by ACCOUNT_ID (sorted): CITY_ID and CATEGORY (of the latest
    snapshot; CATEGORY as text, object dtype), fans of the latest snapshot (greatest PERIOD_END, then
    greatest PERIOD_START; fans are counted at a period's end),
    the other required metrics summed (int64), the optional and custom metrics summed (float64; NaN only
    if every snapshot had NaN) except latest_metrics (float64: the value of the latest snapshot whose
    value is not NaN, by the same order as fans; NaN if none), LAST_POST_ON (max), SNAPSHOTS (how many
    counted), DAYS_COVERED (int64: the days of the counted snapshots, PERIOD_END - PERIOD_START + 1
    each, added up; snapshots that overlap, such as a month and one of its days, both count, as their
    posts do) and DAYS (the period's length, the same for every account).
    """
    start, end = _period_bounds(period_start, period_end)
    custom = _custom_metrics(snapshots, latest_metrics)
    inside = snapshots.loc[(snapshots[PERIOD_START] >= start) & (snapshots[PERIOD_END] <= end)]
    # Sorted by end date, then start date, the last row of each account is its latest snapshot.
    ordered = inside.sort_values([PERIOD_END, PERIOD_START], kind="stable")
    grouped = inside.groupby(ACCOUNT_ID, sort=True)
    covered = (inside[PERIOD_END] - inside[PERIOD_START]).dt.days + 1
    totals = pd.concat(
        [
            _latest_snapshot(ordered),
            grouped[list(_SUMMED)].sum().astype(np.int64),
            _nullable_sums(inside, [*OPTIONAL_METRICS, *(name for name in custom if name not in latest_metrics)]),
            *_latest_values(ordered, latest_metrics),
            grouped[LAST_POST_ON].max(),
            grouped.size().rename(SNAPSHOTS).astype(np.int64),
            covered.groupby(inside[ACCOUNT_ID], sort=True).sum().rename(DAYS_COVERED).astype(np.int64),
        ],
        axis=1,
    )
    # An account whose snapshots all lack a latest metric has none (NaN), as with a sum of NaN.
    totals = totals.astype(dict.fromkeys(latest_metrics, np.float64))
    return _finished(totals, custom, start, end)


def _period_bounds(period_start: object, period_end: object) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The period's first and last day; a period that ends before it starts is an error."""
    start, end = pd.Timestamp(period_start), pd.Timestamp(period_end)
    if end < start:
        raise ValueError(f"the period ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")
    return start, end


def _custom_metrics(snapshots: pd.DataFrame, latest_metrics: Sequence[str]) -> list[str]:
    """The snapshots' custom metric columns (every column not known); latest_metrics must be among them."""
    custom = [column for column in snapshots.columns if column not in _KNOWN]
    unknown = [name for name in latest_metrics if name not in custom]
    if unknown:
        raise ValueError(f"latest_metrics names columns the snapshots lack: {', '.join(unknown)}")
    return custom


def _latest_snapshot(ordered: pd.DataFrame) -> pd.DataFrame:
    """CITY_ID, CATEGORY and FANS (int64) of each account's latest snapshot (the last row of `ordered`)."""
    latest = ordered[[ACCOUNT_ID, CITY_ID, CATEGORY, FANS]].drop_duplicates(ACCOUNT_ID, keep="last")
    return latest.set_index(ACCOUNT_ID).sort_index()[[CITY_ID, CATEGORY, FANS]].astype({FANS: np.int64})


def _nullable_sums(inside: pd.DataFrame, nullable: list[str]) -> pd.DataFrame:
    """Each account's sums of metrics that may be unknown: float64, NaN only if every value was NaN."""
    return (
        inside[[ACCOUNT_ID, *nullable]]
        .astype(dict.fromkeys(nullable, np.float64))
        .groupby(ACCOUNT_ID, sort=True)
        .sum(min_count=1)
    )


def _latest_values(ordered: pd.DataFrame, latest_metrics: Sequence[str]) -> list[pd.Series]:
    """For each latest metric, its value at each account's latest snapshot among those that carry it."""
    return [
        ordered.loc[ordered[name].notna(), [ACCOUNT_ID, name]].drop_duplicates(ACCOUNT_ID, keep="last")
        .set_index(ACCOUNT_ID)[name].astype(np.float64)
        for name in latest_metrics
    ]


def period_totals_finish(aggregated: pd.DataFrame, *, period_start: object, period_end: object) -> pd.DataFrame:
    """The period totals (period_totals' contract) from totals the database already aggregated.

    aggregated: one row per account, indexed by ACCOUNT_ID, with CITY_ID, CATEGORY (text or Categorical),
    the required metrics (int64), the optional metrics (float64), LAST_POST_ON (datetime64), SNAPSHOTS,
    DAYS_COVERED (int64); every other column is a custom metric (float64). Adds DAYS and puts the columns
    in period_totals' order.
    """
    start, end = pd.Timestamp(period_start), pd.Timestamp(period_end)
    if end < start:
        raise ValueError(f"the period ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")
    custom = [column for column in aggregated.columns if column not in _KNOWN]
    return _finished(aggregated.sort_index(), custom, start, end)


def _finished(totals: pd.DataFrame, custom: list[str], start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    totals = totals.assign(**{CATEGORY: totals[CATEGORY].astype(object), DAYS: np.int64(period_days(start, end))})
    order = [CITY_ID, CATEGORY, *REQUIRED_METRICS, *OPTIONAL_METRICS, *custom, LAST_POST_ON, SNAPSHOTS,
             DAYS_COVERED, DAYS]
    return totals[order].rename_axis(ACCOUNT_ID)
