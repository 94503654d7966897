"""Deterministic posts and replies of generated government accounts, in the import files' columns.

`generate_posts(accounts, start="2012-01", months=12, seed=42, totals=snapshots)` returns two frames:
posts (POST_COLUMNS: one row per post) and replies (REPLY_COLUMNS: one row per citizen question, with
the account's reply or none). `accounts` holds the account columns of generate_snapshots' rows (city,
province, account, platform, category, level; other columns and repeated rows are ignored).

Scale: with `totals` (generate_snapshots' rows of the same months) every account-month matches its
snapshot exactly: as many posts and original posts, reposts + comments + likes over its posts summing to
the snapshot's reposts, comments and likes, as many answered questions as the snapshot's replies, and its
last post on the snapshot's last_post_on. Questions are the answered ones plus a share (QUESTION_SHARE)
of the other comments: comments also hold praise and chatter. Without `totals`, counts are drawn from a
model of the same shape (demo.data.post_counts).

Behaviours (`account_behaviours` tells which account has which):
- speed: `fast` answers most questions within the hour (the article's model accounts, and every
  account whose snapshots answer 80% of comments); `slow` takes days; `never` answers nothing (只发布消息，
  而从不回复问题: with totals, exactly the accounts asked questions whose snapshots have no replies);
  `normal` takes hours;
- boilerplate: pastes one reply (套话) for most answers, with small variations;
- silent: goes quiet for two to three weeks every month (断更); near-empty shells (空壳) are the
  accounts whose snapshots have almost no posts;
- the seed article's accounts behave as the article says (NAMED_BEHAVIOURS).
Behaviours are a hash of the account's platform and name with the seed, so an account keeps its
behaviour whatever other accounts are generated with it.

Times are China wall-clock time (UTC+8) held as naive datetime64[s] (the files write them
`YYYY-MM-DD HH:MM:SS` with no offset): a string column would cost ~70 bytes a row, 450 MB on a national
month. Generation runs in blocks of BLOCK_ACCOUNTS accounts, each vectorised; `iter_posts` yields the
blocks so a national month can be written without holding it all. Pure pandas/numpy; no Django.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from demo.data.post_accounts import Table
from demo.data.post_counts import (
    FAST,
    NEVER,
    NORMAL,
    SLOW,
    SPEEDS,
    Counts,
    counts_from_totals,
    drawn_counts,
    month_starts,
)
from demo.data.post_model import block_frames
from demo.data.post_plan import Plan

POST_COLUMNS = ("city", "province", "account", "platform", "category", "level", "post_id", "posted_at",
                "text", "original", "reposts", "comments", "likes", "media")
REPLY_COLUMNS = ("city", "province", "account", "platform", "category", "level", "asked_at", "question",
                 "replied_at", "reply", "post_id")
ACCOUNT_COLUMNS = ("city", "province", "account", "platform", "category", "level")
BLOCK_ACCOUNTS = 2048
_SLOW_SHARE, _FAST_SHARE, _NEVER_SHARE = 0.15, 0.10, 0.20
_BOILERPLATE_SHARE, _SILENT_SHARE = 0.12, 0.08
# Accounts whose snapshot replies reach this share of comments answer fast (the snapshot's exemplary ones).
_FAST_REPLY_RATE = 0.8

# The seed article's accounts (demo.data.named): 长沙警事, the hottest in Hunan, and 微天心, whose rule is
# to post within the hour, answer fast; 福临发布 answers "over 90%" of its "800+ enquiries" (all of its
# comments are questions, so the snapshot's 92.9% reply rate is its rate); none is silent or pastes 套话.
NAMED_BEHAVIOURS: dict[str, tuple[str, float | None]] = {
    "长沙警事": (FAST, None), "微天心": (FAST, None), "福临发布": (FAST, 1.0),
    "湖南省交警总队": (NORMAL, None), "株洲市环保局": (NORMAL, None),
}


def generate_posts(accounts: pd.DataFrame, *, start: str = "2012-01", months: int, seed: int = 42,
                   totals: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Posts (POST_COLUMNS) and replies (REPLY_COLUMNS) of `accounts` over `months` months from `start`.

    Rows are ordered by account (in `accounts` order), then time. Identity columns and media are
    categoricals; post_id int64 (unique per platform, increasing with time like Weibo's ids);
    posted_at, asked_at, replied_at naive datetime64[s] in China time (replied_at NaT and reply missing
    for an unanswered question); original int8 1/0; reposts, comments, likes int64; a reply's post_id
    Int64, missing for an @mention outside a post. The same arguments give the same frames.
    Raises ValueError for missing columns, unknown cities, or totals that do not cover the months.
    """
    blocks = list(iter_posts(accounts, start=start, months=months, seed=seed, totals=totals))
    if not blocks:
        return _empty(POST_COLUMNS), _empty(REPLY_COLUMNS)
    posts, replies = zip(*blocks, strict=True)
    return pd.concat(posts, ignore_index=True), pd.concat(replies, ignore_index=True)


def iter_posts(accounts: pd.DataFrame, *, start: str = "2012-01", months: int, seed: int = 42,
               totals: pd.DataFrame | None = None) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """The frames of generate_posts block by block (BLOCK_ACCOUNTS accounts each), in the same order:
    concatenated they are generate_posts' frames. Memory stays that of one block."""
    plan = _plan(accounts, start=start, months=months, seed=seed, totals=totals)
    for block, low in enumerate(range(0, len(plan.table), BLOCK_ACCOUNTS)):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1, block)))
        yield block_frames(plan, low, min(low + BLOCK_ACCOUNTS, len(plan.table)), rng)


def account_behaviours(accounts: pd.DataFrame, *, start: str = "2012-01", months: int, seed: int = 42,
                       totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per account: platform, account, speed (fast/normal/slow/never), boilerplate, silent,
    questions and answered (totals over the months): the behaviours generate_posts gives it."""
    plan = _plan(accounts, start=start, months=months, seed=seed, totals=totals)
    return pd.DataFrame({
        "platform": plan.table.platform_names, "account": plan.table.names,
        "speed": pd.Categorical.from_codes(plan.speed, SPEEDS), "boilerplate": plan.boilerplate,
        "silent": plan.silent, "questions": plan.counts.questions.sum(axis=1),
        "answered": plan.counts.answered.sum(axis=1),
    })


def _plan(accounts: pd.DataFrame, *, start: str, months: int, seed: int,
          totals: pd.DataFrame | None) -> Plan:
    periods = month_starts(start, months)
    table = Table.of(accounts)
    draws = _hashes(table, seed)
    speed = np.select([draws[0] < _FAST_SHARE, draws[0] < _FAST_SHARE + _SLOW_SHARE], [FAST, SLOW], NORMAL)
    named_speed, question_share = _named(table, speed)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0,)))
    if totals is None:
        drawn_never = (draws[0] >= _FAST_SHARE + _SLOW_SHARE) & (draws[0] < _FAST_SHARE + _SLOW_SHARE + _NEVER_SHARE)
        speed = np.where(drawn_never & ~table.named, NEVER, named_speed)
        counts = drawn_counts(table, periods, speed, rng)
    else:
        counts = counts_from_totals(table, totals, periods, question_share, rng)
        speed = _speed_from_totals(counts, named_speed, table.named)
    plain = ~table.named
    replying = speed != NEVER
    return Plan(table=table, periods=periods, counts=counts, speed=speed.astype(np.int8),
                boilerplate=plain & replying & (draws[1] < _BOILERPLATE_SHARE),
                silent=plain & (draws[2] < _SILENT_SHARE))


def _named(table: Table, speed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Speeds with the named accounts' own, and each account's question share (NaN: the default)."""
    speed = speed.copy()
    share = np.full(len(table), np.nan)
    for index in np.flatnonzero(table.named):
        named_speed, named_share = NAMED_BEHAVIOURS[table.names[index]]
        speed[index] = named_speed
        share[index] = np.nan if named_share is None else named_share
    return speed, share


def _speed_from_totals(counts: Counts, speed: np.ndarray, named: np.ndarray) -> np.ndarray:
    """An account asked questions whose snapshots hold no replies never answers; one whose snapshots
    answer most comments is fast. An account never asked keeps its drawn speed (it shows nowhere)."""
    answered, comments = counts.answered.sum(axis=1), counts.comments.sum(axis=1)
    exemplary = (answered > 0) & (answered >= _FAST_REPLY_RATE * comments)
    speed = np.where(exemplary & ~named, FAST, speed)
    return np.where((answered == 0) & (counts.questions.sum(axis=1) > 0), NEVER, speed)


def _hashes(table: Table, seed: int) -> list[np.ndarray]:
    """Three uniform numbers in [0, 1) per account from its platform and name (speed, 套话, 断更)."""
    key = f"gw{abs(seed) % 10**14:014d}"
    draws = []
    for salt in ("speed", "boilerplate", "silent"):
        labels = np.array([f"{salt}|{platform}|{name}" for platform, name
                           in zip(table.platform_names, table.names, strict=True)], dtype=object)
        draws.append((pd.util.hash_array(labels, hash_key=key) >> np.uint64(11)) / 2.0**53)
    return draws


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({column: [] for column in columns})
