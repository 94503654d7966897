"""Small frames and schemes for the scoring tests."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from rankings.scoring.columns import (
    ACCOUNT_ID,
    CATEGORY,
    CITY_ID,
    DAYS,
    LAST_POST_ON,
    OPTIONAL_METRICS,
    REQUIRED_METRICS,
    SNAPSHOTS,
)
from rankings.scoring.schemes import Scheme

BUILTIN_SCHEMES = Path(__file__).resolve().parents[3] / "rankings" / "builtin_schemes"
PERIOD_END = pd.Timestamp("2012-12-31")


def builtin_document(slug: str) -> dict[str, Any]:
    return yaml.safe_load((BUILTIN_SCHEMES / f"{slug}.yaml").read_text(encoding="utf-8"))


def builtin_scheme(slug: str) -> Scheme:
    return Scheme.from_document(builtin_document(slug))


def totals(n: int, **columns: Any) -> pd.DataFrame:
    """A period_totals-shaped frame of n accounts (ids 1..n): zeros unless given, all in city 1, police."""
    frame = pd.DataFrame(index=pd.Index(np.arange(1, n + 1), name=ACCOUNT_ID))
    frame[CITY_ID] = columns.pop(CITY_ID, 1)
    frame[CATEGORY] = columns.pop(CATEGORY, "police")
    for metric in REQUIRED_METRICS:
        frame[metric] = np.asarray(columns.pop(metric, 0), dtype=np.int64) if n else pd.Series(dtype=np.int64)
    for metric in OPTIONAL_METRICS:
        frame[metric] = np.asarray(columns.pop(metric, np.nan), dtype=np.float64) if n else np.nan
    for name, values in columns.items():  # custom metrics, last_post_on
        frame[name] = values
    if LAST_POST_ON not in frame:
        frame[LAST_POST_ON] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[s]")
    frame[SNAPSHOTS] = 1
    frame[DAYS] = 366
    return frame


def document(**overrides: Any) -> dict[str, Any]:
    """A valid two-indicator document, changed by `overrides` (None removes a field)."""
    base: dict[str, Any] = {
        "slug": "test",
        "name": "测试",
        "indicators": [
            {"key": "fans", "label": "粉丝", "expr": "log1p(fans)", "normalize": "minmax", "weight": 0.5},
            {"key": "posts", "label": "发博", "expr": "posts", "normalize": "minmax", "weight": 0.5},
        ],
    }
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def scheme(**overrides: Any) -> Scheme:
    return Scheme.from_document(document(**overrides))
