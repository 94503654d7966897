"""Hand-built posts and replies frames in the input contract of posts.indicators (columns.py)."""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from posts.indicators.columns import (
    ACCOUNT_ID,
    ASKED_AT,
    CHINA_TIME,
    COMMENTS,
    LIKES,
    ORIGINAL,
    POST_ID,
    POSTED_AT,
    QUESTION,
    REPLIED_AT,
    REPLY,
    REPOSTS,
    TEXT,
)

MARCH = (datetime.date(2012, 3, 1), datetime.date(2012, 3, 31))


def china(times: list[str | None]) -> pd.Series:
    """Timestamps written in China time (or with their own offset, then converted to China time)."""
    parsed = [None if time is None else pd.Timestamp(time) for time in times]
    return pd.Series(
        [None if time is None else (time.tz_convert(CHINA_TIME) if time.tzinfo else time.tz_localize(CHINA_TIME))
         for time in parsed],
        dtype=f"datetime64[ns, {CHINA_TIME}]",
    )


def posts(rows: list[tuple]) -> pd.DataFrame:
    """rows: (account, posted_at, text, original, reposts, comments, likes[, post_id]); post ids default
    to p1, p2 …"""
    columns = [ACCOUNT_ID, POSTED_AT, TEXT, ORIGINAL, REPOSTS, COMMENTS, LIKES]
    frame = pd.DataFrame([row[:7] for row in rows], columns=columns)
    return pd.DataFrame({
        ACCOUNT_ID: frame[ACCOUNT_ID].astype(np.int64),
        POST_ID: [row[7] if len(row) > 7 else f"p{number}" for number, row in enumerate(rows, start=1)],
        POSTED_AT: china(list(frame[POSTED_AT])),
        TEXT: frame[TEXT].astype(str),
        ORIGINAL: frame[ORIGINAL].astype(bool),
        REPOSTS: frame[REPOSTS].astype(np.int64),
        COMMENTS: frame[COMMENTS].astype(np.int64),
        LIKES: frame[LIKES].astype(np.int64),
    })


def post(account: int, posted_at: str, text: str = "今天天气不错", original: bool = True,
         reposts: int = 0, comments: int = 0, likes: int = 0) -> tuple:
    return (account, posted_at, text, original, reposts, comments, likes)


def replies(rows: list[tuple]) -> pd.DataFrame:
    """rows: (account, asked_at, replied_at or None, reply or None[, question])."""
    return pd.DataFrame({
        ACCOUNT_ID: np.array([row[0] for row in rows], dtype=np.int64),
        ASKED_AT: china([row[1] for row in rows]),
        QUESTION: [row[4] if len(row) > 4 else "请问怎么办理？" for row in rows],
        REPLIED_AT: china([row[2] for row in rows]),
        REPLY: pd.Series([row[3] for row in rows], dtype=object),
    })


NO_POSTS = posts([])
NO_REPLIES = replies([])
