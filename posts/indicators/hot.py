"""Hot posts (热文榜): the top posts of the period by interactions, per account or per any grouping the
caller gives (city, category: columns it adds to the posts).

interactions = reposts + comments + likes. Ties are broken the same way every time: more interactions
first, then the earlier post, then the smaller post id (as text). Ranks run 1, 2, 3 … within a group
with no shared ranks, so a list of N always holds N posts when the group has them.

The top N of a group over several frames is the top N of their top Ns, so a caller that reads the
period in chunks of accounts may take hot_posts of each chunk, concatenate them and take hot_posts of
that: the result is the same as over all the posts at once.
"""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from posts.indicators.columns import (
    ACCOUNT_ID,
    COMMENTS,
    INTERACTIONS,
    LIKES,
    POST_ID,
    POSTED_AT,
    RANK,
    REPOSTS,
)
from posts.indicators.frames import china_days, in_period, period_days

HOT_POSTS_SHOWN = 10


def hot_posts(posts: pd.DataFrame, *, start: datetime.date, end: datetime.date,
              by: str | list[str] = ACCOUNT_ID, top: int = HOT_POSTS_SHOWN) -> pd.DataFrame:
    """posts: columns.POST_COLUMNS plus the grouping column(s) `by` (e.g. city_id, category). Returns
    the `top` posts of each group posted in the period (China time): the posts' columns plus
    INTERACTIONS (int64) and RANK (1 = the hottest), ordered by group then rank, on a new RangeIndex.
    A row whose grouping value is missing belongs to no group and is left out."""
    keys = [by] if isinstance(by, str) else list(by)
    missing = [column for column in (*keys, POST_ID, POSTED_AT, REPOSTS, COMMENTS, LIKES) if column not in posts]
    if missing:
        raise ValueError(f"posts: missing column(s) {', '.join(missing)}")
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    days = china_days(posts[POSTED_AT], start, name="posts.posted_at")
    selected = posts.loc[in_period(days, period_days(start, end)) & posts[keys].notna().all(axis=1).to_numpy()]
    interactions = (selected[REPOSTS].to_numpy(np.int64) + selected[COMMENTS].to_numpy(np.int64)
                    + selected[LIKES].to_numpy(np.int64))
    selected = selected.assign(**{INTERACTIONS: interactions})
    # A cheap cut before the full sort: a post below its group's top-th largest interaction count cannot
    # be in the top (ties at that count are kept and settled by the sort).
    selected = selected.loc[interactions >= _top_floor(selected.groupby(keys, sort=False).ngroup().to_numpy(),
                                                       interactions, top)]
    ordered = selected.assign(_post_id=selected[POST_ID].astype(str)).sort_values(
        [*keys, INTERACTIONS, POSTED_AT, "_post_id"], ascending=[*([True] * len(keys)), False, True, True],
        kind="stable")
    tops = ordered.groupby(keys, sort=False).head(top).drop(columns="_post_id")
    tops[RANK] = tops.groupby(keys, sort=False).cumcount().astype(np.int64) + 1
    return tops.reset_index(drop=True)


def _top_floor(codes: np.ndarray, interactions: np.ndarray, top: int) -> np.ndarray:
    """For each row, its group's top-th largest interaction count (the smallest when the group has fewer
    rows): vectorised, one sort of two integer keys."""
    if len(codes) == 0:
        return interactions
    order = np.lexsort((-interactions, codes))
    ordered_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, ordered_codes[1:] != ordered_codes[:-1]])
    sizes = np.diff(np.r_[starts, len(codes)])
    floors = np.empty(ordered_codes[-1] + 1, dtype=np.int64)
    floors[ordered_codes[starts]] = interactions[order][starts + np.minimum(sizes, top) - 1]
    return floors[codes]
