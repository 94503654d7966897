"""Column names shared by every scoring step. Frames are keyed by these constants, never by literals.

Account-level frames are indexed by ACCOUNT_ID; city-level frames by CITY_ID. An indicator `k` has its
raw value in raw_column(k) and its normalised value in norm_column(k).
"""
from __future__ import annotations

ACCOUNT_ID = "account_id"
CITY_ID = "city_id"
CATEGORY = "category"
PERIOD_START = "period_start"
PERIOD_END = "period_end"
LAST_POST_ON = "last_post_on"
DAYS = "days"  # the run period's length, the same for every account
DAYS_COVERED = "days_covered"  # the days of the period the account's counted snapshots cover
SNAPSHOTS = "snapshots"
COMPOSITE = "composite"
SCORE = "score"
RANK = "rank"
RANK_IN_CATEGORY = "rank_in_category"
ACCOUNTS = "accounts"

# Diagnostic flags (diagnostics.account_flags). They describe accounts and never change a score.
EMPTY_SHELL = "empty_shell"
INACTIVE = "inactive"
BROADCAST_ONLY = "broadcast_only"
REPLY_RATE = "reply_rate"
FLAGS = (EMPTY_SHELL, INACTIVE, BROADCAST_ONLY, REPLY_RATE)

# The columns of ScoreResult.weights (one row per indicator).
MANUAL = "manual"
ENTROPY = "entropy"
USED = "used"

FANS = "fans"
POSTS = "posts"
COMMENTS = "comments"
REPLIES = "replies"

# The counts every snapshot carries (accounts.models.SNAPSHOT_COUNT_FIELDS plus the optional ones).
BUILTIN_METRICS = (
    "fans", "posts", "original_posts", "reposts", "comments", "likes", "replies",
    "original_reposts", "original_comments",
)
# Not every monitoring export has these: they may be NaN. Expressions read NaN as 0 (and count it).
OPTIONAL_METRICS = ("original_reposts", "original_comments")
REQUIRED_METRICS = tuple(metric for metric in BUILTIN_METRICS if metric not in OPTIONAL_METRICS)

# How a custom metric becomes a period total: summed over the period's snapshots (the default), or the
# value of the latest snapshot that carries it (like fans, counted at a period's end).
SUM = "sum"
LATEST = "latest"
METRIC_KINDS = (SUM, LATEST)

# Post indicators (issue 20): measured from the period's posts and replies (posts.indicators), one value
# per account. A scheme reads one only after naming it under post_indicators. NaN where the account has
# nothing to measure in the period (no posts, or no questions asked): "no data", counted, never hidden.
POST_INDICATORS = (
    "post_count", "original_rate", "active_days", "longest_silence_days", "posts_per_day",
    "reply_rate", "median_response_minutes", "answered_within_1h_rate", "answered_within_24h_rate",
    "boilerplate_reply_rate", "service_content_rate",
)

CATEGORIES = ("police", "traffic", "press", "youth", "tourism", "other")


def raw_column(key: str) -> str:
    """The column holding indicator `key` as its expression computed it."""
    return f"raw__{key}"


def norm_column(key: str) -> str:
    """The column holding indicator `key` after normalisation."""
    return f"norm__{key}"
