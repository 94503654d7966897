"""The scoring input: each account's totals over a run's period, read in bulk.

On PostgreSQL the database aggregates the snapshots (accounts.selectors.snapshot_totals_frame: one
GROUP BY, one row per account copied out); a national year of monthly data is 180,000 rows instead of
2.1M, and a year of daily data 180,000 instead of 66M. Elsewhere (the embedded SQLite) the snapshots are
read and summed in pandas (rankings.scoring.inputs.period_totals). Both give the same frame (tested).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from django.db import connection

from accounts.selectors import snapshot_totals_frame, snapshots_frame
from core.periods import Period
from rankings.scoring.columns import SNAPSHOTS
from rankings.scoring.inputs import period_totals, period_totals_finish


@dataclass(frozen=True)
class PeriodTotals:
    totals: pd.DataFrame  # rankings.scoring.inputs.period_totals' contract
    snapshots: int  # how many snapshots were counted


def period_totals_read(*, period: Period, custom_metrics: Sequence[str] = (), latest_metrics: Sequence[str] = (),
                       in_database: bool | None = None) -> PeriodTotals:
    """Each account's totals over the snapshots lying inside `period`. One query.
    latest_metrics: those of custom_metrics taken at the latest snapshot carrying them (the rest are summed).
    in_database: aggregate in the database (default: on PostgreSQL) or in pandas."""
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    if in_database:
        aggregated = snapshot_totals_frame(period_start=period.start, period_end=period.end,
                                           custom_metrics=list(custom_metrics), latest_metrics=list(latest_metrics))
        totals = period_totals_finish(aggregated, period_start=start, period_end=end)
    else:
        snapshots = snapshots_frame(period_start=period.start, period_end=period.end,
                                    custom_metrics=list(custom_metrics))
        totals = period_totals(snapshots, period_start=start, period_end=end, latest_metrics=list(latest_metrics))
    return PeriodTotals(totals=totals, snapshots=int(totals[SNAPSHOTS].sum()))
