"""One block of accounts' posts and replies, every step vectorised over the block's posts.

Steps (`block_frames`): expand each account-month's post count into posts; place them in time (the last
on the month's last-post day, a 断更 account's posts around a 2-3 week gap, hours by the daytime curve);
number them; pick the originals and media; split the month's reposts, comments and likes over its
posts, heavy-tailed; write the texts; pick the questions among the comments, their times, the answered
ones, the answer times by the account's speed, and the texts of both. Groups (one account-month) are
contiguous runs of rows, so "per account-month" steps are ranks within runs, never Python loops.
Pure pandas/numpy; no Django.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from demo.data.generate import PLATFORMS
from demo.data.names import CATEGORIES
from demo.data.post_accounts import Table, identity_columns
from demo.data.post_book import by_category, source_position, template_book
from demo.data.post_plan import Groups, Plan
from demo.data.post_replies import calendar, replies_frame, text_keys
from demo.data.post_texts import DAYTIME_HOURS, SOURCE_CATEGORIES, Context

MEDIA = ("none", "image", "video", "link")
_MEDIA = pd.CategoricalDtype(list(MEDIA))
# Media shares of originals and reposts (MEDIA order), and how much each kind lifts engagement.
_MEDIA_SHARE = {True: np.array([0.35, 0.50, 0.08, 0.07]), False: np.array([0.70, 0.20, 0.05, 0.05])}
_MEDIA_LIFT = np.array([1.0, 1.3, 1.8, 0.8])
_REPOST_LIFT = 0.35  # a repost draws a third of an original's engagement
# Post ids: like Weibo's, a number that grows with time: seconds since 2000 x 10^7, plus a slot within
# the second (the account's row x 8 + the rank of its posts within that second) scrambled by a bijection
# of 0..10^7-1 so the low digits look random; a per-platform base keeps them 16 digits.
_ID_BASE = {"sina": 3 * 10**15, "tencent": 1 * 10**15}
_ID_EPOCH = np.datetime64("2000-01-01T00:00:00", "s").astype(np.int64)
_MAX_ACCOUNTS = 10**7 // 8
_SCRAMBLE = 3_999_997  # coprime with 10^7: slot * _SCRAMBLE mod 10^7 is a bijection
_SOURCE_CODES = np.array([CATEGORIES.index(name) for name in SOURCE_CATEGORIES])
_SILENCE_DAYS = (14, 25)  # a 断更 account's gap each month: 14 to 24 days


def block_frames(plan: Plan, low: int, high: int, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The posts and replies frames of accounts low..high-1 (see demo.data.posts for the columns)."""
    months = len(plan.periods)
    flat = {name: getattr(plan.counts, name)[low:high].ravel() for name in
            ("posts", "originals", "reposts", "comments", "likes", "questions", "answered", "last_day")}
    group_account = low + np.arange((high - low) * months) // months
    group_month = np.arange((high - low) * months) % months
    posts = _place_posts(plan, flat, group_account, group_month, rng)
    posts.update(_describe_posts(plan, flat, posts, rng))
    replies = replies_frame(plan, flat, posts, rng)
    return _post_frame(plan.table, posts), replies


def _place_posts(plan: Plan, flat: dict[str, np.ndarray], group_account: np.ndarray,
                 group_month: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Posts in time order per account: account, month (index into the periods), group, seconds since
    1970 in China wall-clock time, and each group's first row (starts)."""
    groups = Groups.of_sizes(flat["posts"])
    group = groups.of_row
    last = flat["last_day"]
    gap = np.where(plan.silent[group_account], rng.integers(*_SILENCE_DAYS, len(last)), 0)
    gap = np.where(last - gap >= 2, gap, 0)
    gap_start = 2 + np.floor(rng.random(len(last)) * (last - gap - 1)).astype(np.int64)
    day = 1 + np.floor(rng.random(len(group)) * (last - gap)[group]).astype(np.int64)
    day = np.where(day >= gap_start[group], day + gap[group], day)
    day = np.where(groups.ranks(rng) == 0, last[group], day)  # one post on the last-post day
    month = group_month[group]
    first_day = plan.periods.astype("datetime64[D]").astype(np.int64)
    seconds = ((first_day[month] + day - 1) * 86_400 + rng.choice(24, len(group), p=DAYTIME_HOURS) * 3600
               + rng.integers(3600, size=len(group)))
    account = group_account[group]
    order = np.lexsort((seconds, account))  # months follow each other, so runs stay contiguous
    return {"account": account[order], "month": month[order], "group": group[order],
            "seconds": seconds[order], "starts": groups.starts}


def _post_ids(table: Table, account: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """Unique per platform and growing with time (see _ID_BASE); posts are sorted by account, time."""
    if len(table) > _MAX_ACCOUNTS:
        raise ValueError(f"at most {_MAX_ACCOUNTS} accounts get post ids")
    index = np.arange(len(seconds))
    new_run = np.ones(len(seconds), dtype=bool)
    new_run[1:] = (seconds[1:] != seconds[:-1]) | (account[1:] != account[:-1])
    same_second = index - np.maximum.accumulate(np.where(new_run, index, 0))
    if (same_second >= 8).any():  # eight posts of one account in one second: never drawn in practice
        raise ValueError("too many posts of one account in one second")
    base = np.array([_ID_BASE[name] for name in PLATFORMS], dtype=np.int64)[table.platform[account]]
    return base + (seconds - _ID_EPOCH) * 10**7 + (account * 8 + same_second) * _SCRAMBLE % 10**7


def _describe_posts(plan: Plan, flat: dict[str, np.ndarray], posts: dict[str, np.ndarray],
                    rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Ids, original flags, media, engagement split over the month's posts, and texts."""
    table, group, account = plan.table, posts["group"], posts["account"]
    groups = Groups(group, posts["starts"])
    original = groups.ranks(rng) < flat["originals"][group]
    share = rng.random(len(group))
    media = np.where(original, np.searchsorted(np.cumsum(_MEDIA_SHARE[True]), share, side="right"),
                     np.searchsorted(np.cumsum(_MEDIA_SHARE[False]), share, side="right")).clip(0, 3)
    weight = rng.lognormal(0, 1.3, len(group)) * np.where(original, 1.0, _REPOST_LIFT) * _MEDIA_LIFT[media]
    engagement = {name: _split(flat[name], weight, groups, rng) for name in ("reposts", "comments", "likes")}
    return {"post_id": _post_ids(table, account, posts["seconds"]), "original": original,
            "media": media, **engagement, "text": _post_texts(plan, posts, original, rng)}


def _split(totals: np.ndarray, weight: np.ndarray, groups: Groups, rng: np.random.Generator) -> np.ndarray:
    """Each group's total spread over its rows, each unit to a row with probability ∝ weight: the
    rows of a group sum exactly to its total (a multinomial split, drawn for all groups at once).
    A group without rows has a total of 0 (no posts, no engagement)."""
    bounds = np.concatenate(([0.0], np.cumsum(weight)))
    ends = groups.starts + np.bincount(groups.of_row, minlength=len(totals))
    before, span = bounds[groups.starts], bounds[ends] - bounds[groups.starts]
    unit = np.repeat(np.arange(len(totals)), totals)
    row = np.searchsorted(bounds[1:], before[unit] + rng.random(len(unit)) * span[unit], side="right")
    row = np.clip(row, groups.starts[unit], ends[unit] - 1)
    return np.bincount(row, minlength=len(weight)).astype(np.int64)


def _post_texts(plan: Plan, posts: dict[str, np.ndarray], original: np.ndarray,
                rng: np.random.Generator) -> np.ndarray:
    """Originals from the account's category topics; reposts: a few words, //@ a city's leading
    account of another category, and that account's service post."""
    book, account = template_book(), posts["account"]
    category, city = plan.table.category[account], plan.table.city[account]
    own = source_position(category)
    source = (own + 1 + rng.integers(4, size=len(account))) % 5
    source_category = _SOURCE_CODES[source]
    share = rng.random(len(account))
    body = np.where(original, by_category(book.posts, category, share),
                    by_category(book.services, source_category, share))
    ids = np.stack([np.where(original, -1, book.repost), body], axis=1)
    month, day = calendar(posts["seconds"])
    context = Context(key=text_keys(rng, len(account)), city=city, month=month, day=day, source=city * 5 + source)
    return book.book.render(ids, context)


def _post_frame(table: Table, posts: dict[str, np.ndarray]) -> pd.DataFrame:
    columns = {
        **identity_columns(table, posts["account"]),
        "post_id": posts["post_id"],
        "posted_at": posts["seconds"].astype("datetime64[s]"),
        "text": pd.Series(posts["text"], dtype="str"),
        "original": posts["original"].astype(np.int8),
        "reposts": posts["reposts"], "comments": posts["comments"], "likes": posts["likes"],
        "media": pd.Categorical.from_codes(posts["media"], dtype=_MEDIA),
    }
    return pd.DataFrame(columns)
