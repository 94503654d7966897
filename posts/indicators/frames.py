"""Input checks and the period's calendar days: the steps every indicator shares.

A period is `start` and `end` (datetime.date, both included), calendar days in China time (UTC+8, zone
Asia/Shanghai): a post at 2012-04-01 00:30 +08:00 belongs to April whatever zone its timestamp carries.
Day numbers count from the period's first day (0) to its last (days - 1).
"""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from posts.indicators.columns import ACCOUNT_ID, CHINA_TIME


def period_days(start: datetime.date, end: datetime.date) -> int:
    """The number of calendar days from start to end, both included. An end before the start is refused."""
    if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
        raise TypeError(f"the period is two datetime.date values, got {start!r} and {end!r}")
    days = (end - start).days + 1
    if days < 1:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    return days


def require_columns(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    """Refuse a frame that lacks a column of its contract, naming the frame and every missing column."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(missing)}")


def china_days(times: pd.Series, start: datetime.date, *, name: str) -> np.ndarray:
    """Each timestamp's calendar day in China time as a day number of the period (int64; may fall outside
    0 .. days - 1). NaT becomes the smallest int64, outside every period. The timestamps must carry a
    time zone: a naive one is refused, as its day would be a guess."""
    if not isinstance(times.dtype, pd.DatetimeTZDtype):
        raise ValueError(f"{name}: timestamps must carry a time zone (Asia/Shanghai), got {times.dtype}")
    local = times.dt.tz_convert(CHINA_TIME).dt.tz_localize(None).to_numpy()
    days = local.astype("datetime64[D]") - np.datetime64(start, "D")
    # NaT's integer view is the smallest int64, which no period contains.
    return days.astype(np.int64)


def in_period(days: np.ndarray, period_length: int) -> np.ndarray:
    """The day numbers that fall in the period (0 .. period_length - 1)."""
    return (days >= 0) & (days < period_length)


def account_index(accounts: pd.Index | list[int] | np.ndarray) -> pd.Index:
    """The accounts reported on, as the output's index (named ACCOUNT_ID, int64, in the order given).
    Duplicates are refused: each account is one row."""
    index = pd.Index(np.asarray(accounts, dtype=np.int64), name=ACCOUNT_ID)
    if index.has_duplicates:
        raise ValueError(f"accounts: repeated account id(s) {sorted(set(index[index.duplicated()]))[:5]}")
    return index


def rate(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator as float64, NaN where the denominator is 0 (no data, never a silent 0)."""
    denominator = denominator.astype(np.float64)
    return (numerator.astype(np.float64) / denominator.where(denominator > 0)).astype(np.float64)
