"""Reads of posts and replies: the post indicators' input frames, each one bulk read (COPY … TO STDOUT on
PostgreSQL through core.bulk, one query elsewhere), and the upload page's recent imports.

Times travel as integer microseconds since 1970 UTC (PostgreSQL) and become pandas datetimes in China
time (Asia/Shanghai) in one vectorised step: no Python object per row.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import QuerySet

from core.bulk import query_frame
from posts.models import CHINA, Post, PostImport, Reply

TIME_ZONE = "Asia/Shanghai"
POST_FRAME_COLUMNS = ("account_id", "post_id", "posted_at", "text", "original", "reposts", "comments", "likes")
REPLY_FRAME_COLUMNS = ("account_id", "asked_at", "question", "replied_at", "reply")


def post_imports_recent(*, limit: int) -> QuerySet[PostImport]:
    """The latest imports of posts and replies, newest first, with who ran them. One query."""
    return PostImport.objects.select_related("created_by").order_by("-created_at", "-id")[:limit]


def _time(column: str) -> str:
    """A timestamp column as it travels: microseconds since 1970 UTC on PostgreSQL; as stored elsewhere."""
    if connection.vendor == "postgresql":
        return f"(extract(epoch FROM {column}) * 1000000)::int8"
    return column


def _as_local(values: pd.Series) -> pd.Series:
    """Travelled times (see _time; NULL as NaN/None) as datetime64[ns, Asia/Shanghai], NaT for none."""
    if connection.vendor == "postgresql":
        moments = pd.to_datetime(pd.to_numeric(values).astype("Float64"), unit="us", utc=True)
    else:
        moments = pd.to_datetime(values, utc=True, format="ISO8601")
    return moments.dt.tz_convert(TIME_ZONE).astype(f"datetime64[ns, {TIME_ZONE}]")


def _where(column: str, *, account_ids: Sequence[int] | None, start: datetime, end: datetime) -> tuple[str, list]:
    """The filter on time [start, end) and accounts, with its parameters (adapted as Django stores times)."""
    for moment in (start, end):
        if moment.tzinfo is None:
            raise ValueError("start and end must be aware datetimes (China time: posts.importing.cells.CHINA)")
    adapt = connection.ops.adapt_datetimefield_value
    sql, params = f"{column} >= %s AND {column} < %s", [adapt(start), adapt(end)]
    if account_ids is not None:
        ids = [int(account_id) for account_id in account_ids]
        if connection.vendor == "postgresql":
            sql, params = sql + " AND account_id = ANY(%s::bigint[])", [*params, ids]
        else:  # no limit on the number of ids, unlike IN (?, ?, …)
            sql, params = sql + " AND account_id IN (SELECT value FROM json_each(%s))", [*params, json.dumps(ids)]
    return sql, params


def posts_frame(*, account_ids: Sequence[int] | None = None, start: datetime, end: datetime) -> pd.DataFrame:
    """The posts with start <= posted_at < end (aware datetimes; a China-time month is [its first day
    00:00+08:00, the next month's)), of the given accounts (None: every account), sorted by account and time.

    Columns (the post indicators' input contract): account_id int64, post_id str, posted_at
    datetime64[ns, Asia/Shanghai], text str, original bool, reposts int64, comments int64, likes int64.
    On PostgreSQL the time bounds prune the read to those months' partitions.
    """
    where, params = _where("posted_at", account_ids=account_ids, start=start, end=end)
    sql = (f"SELECT account_id, post_id, {_time('posted_at')}, text, original, reposts, comments, likes "
           f"FROM {Post._meta.db_table} WHERE {where} ORDER BY account_id, posted_at")
    posts = query_frame(sql, params, columns=POST_FRAME_COLUMNS, text_columns=("post_id", "text", "original"),
                        dtypes={name: "int64" for name in ("account_id", "reposts", "comments", "likes")})
    posts["post_id"] = posts["post_id"].astype(object).fillna("").astype(str)
    posts["text"] = posts["text"].astype(object).fillna("").astype(str)
    posts["posted_at"] = _as_local(posts["posted_at"])
    posts["original"] = posts["original"].isin([True, 1, "t", "1", "True"]).astype(bool)
    return posts


def replies_frame(*, account_ids: Sequence[int] | None = None, start: datetime, end: datetime) -> pd.DataFrame:
    """The questions asked with start <= asked_at < end (aware datetimes), of the given accounts (None:
    every account), with their answers wherever those fall, sorted by account and time.

    Columns (the reply indicators' input contract): account_id int64, asked_at datetime64[ns,
    Asia/Shanghai], question str, replied_at datetime64[ns, Asia/Shanghai] (NaT: unanswered), reply
    (object: the text, None when unanswered).
    """
    where, params = _where("asked_at", account_ids=account_ids, start=start, end=end)
    sql = (f"SELECT account_id, {_time('asked_at')}, question, {_time('replied_at')}, reply "
           f"FROM {Reply._meta.db_table} WHERE {where} ORDER BY account_id, asked_at")
    replies = query_frame(sql, params, columns=REPLY_FRAME_COLUMNS, text_columns=("question", "reply"),
                          dtypes={"account_id": "int64"})
    replies["asked_at"] = _as_local(replies["asked_at"])
    replies["replied_at"] = _as_local(replies["replied_at"])
    replies["question"] = replies["question"].astype(object).fillna("").astype(str)
    answered = replies["replied_at"].notna().to_numpy()
    replies["reply"] = pd.Series(np.where(answered, replies["reply"].astype(object).fillna("").to_numpy(), None),
                                 index=replies.index, dtype=object)
    return replies


def china_month(year: int, month: int) -> tuple[datetime, datetime]:
    """[start, end) of a China-time month, for posts_frame and replies_frame."""
    following = (year + month // 12, month % 12 + 1)
    return datetime(year, month, 1, tzinfo=CHINA), datetime(*following, 1, tzinfo=CHINA)
