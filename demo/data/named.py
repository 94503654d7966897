"""The real accounts named in the seed article (../shared/domain.md §1), with their published facts.

Published facts are reproduced exactly at the month they describe (the article is dated 2012-05-23):

    湖南省交警总队  traffic, provincial traffic police (filed under 长沙, the capital): 510,000 fans at
                   the end of 2012-05, reached "in under two years" (opening month 2010-07 assumed);
                   about 300-400 posts a month, so its 8,056th post falls in late May 2012.
    长沙警事        police, Changsha: "the hottest in Hunan" — generated Hunan accounts are capped
                   below it in fans, reposts and comments in every month (its own figures are invented).
    微天心          press, county level (天心区), first district account in Hunan: figures invented,
                   with a high reply rate (its rule: an emergency is posted within the hour).
    福临发布        press, township (福临镇, 长沙县), Tencent Weibo, opened 2012-01-01: 2,781 posts in
                   2012-01..2012-05 and 1,429 listeners (fans) at the end of 2012-05; 840 comments
                   (the article's "800+ enquiries") of which 780 answered (92.9%), over 90% every month.
    株洲市环保局    other, city level: opened 2013-04-16, a month before the 2013-05-16 report, so it
                   appears only in periods from 2013-04 on.

Anything not in that list is invented but plausible. Series are functions of the number of months
since the account opened (`j`, 0 = the opening month), so any date range yields the same figures for
the same month. Pure numpy; no Django.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# Count columns every series provides, as (M,) int64 arrays over the months present.
SERIES_COLUMNS = ("fans", "posts", "original_posts", "reposts", "comments", "likes", "replies",
                  "original_reposts", "original_comments")


@dataclass(frozen=True)
class NamedAccount:
    name: str
    city: str
    category: str
    level: str
    platform: str
    opened: str  # YYYY-MM: the first month with a snapshot
    series: Callable[[np.ndarray], dict[str, np.ndarray]]
    opened_on: str = ""  # the published opening date, where there is one


def _rounded(values: np.ndarray) -> np.ndarray:
    return np.rint(values).astype(np.int64)


def _engagement(posts: np.ndarray, comments: np.ndarray, *, repost_ratio: float, like_ratio: float,
                reply_rate: float, original_share: float) -> dict[str, np.ndarray]:
    reposts = _rounded(comments * repost_ratio)
    return {
        "original_posts": _rounded(posts * original_share),
        "reposts": reposts,
        "comments": comments,
        "likes": _rounded(comments * like_ratio),
        "replies": _rounded(comments * reply_rate),
        "original_reposts": _rounded(reposts * 0.8),
        "original_comments": _rounded(comments * 0.8),
    }


def _hunan_traffic(j: np.ndarray) -> dict[str, np.ndarray]:
    fans = _rounded(510_000 * ((j + 1) / 23) ** 1.15)  # j = 22 is 2012-05: exactly 510,000
    posts = 305 + 25 * ((7 * j) % 5)
    comments = _rounded(posts * fans / 60_000)
    return {"fans": fans, "posts": posts, **_engagement(
        posts, comments, repost_ratio=1.4, like_ratio=0.5, reply_rate=0.3, original_share=0.55)}


def _changsha_police(j: np.ndarray) -> dict[str, np.ndarray]:
    fans = _rounded(860_000 * ((j + 1) / 20) ** 1.2)  # j = 19 is 2012-05
    posts = 400 + 30 * ((3 * j) % 4)
    comments = _rounded(posts * fans / 30_000)
    return {"fans": fans, "posts": posts, **_engagement(
        posts, comments, repost_ratio=1.5, like_ratio=0.6, reply_rate=0.35, original_share=0.6)}


def _wei_tianxin(j: np.ndarray) -> dict[str, np.ndarray]:
    fans = _rounded(48_000 * ((j + 1) / 15) ** 1.1)  # j = 14 is 2012-05
    posts = 140 + 10 * (j % 3)
    comments = _rounded(posts * 2.4)
    return {"fans": fans, "posts": posts, **_engagement(
        posts, comments, repost_ratio=1.3, like_ratio=0.4, reply_rate=0.88, original_share=0.7)}


# 福临发布, 2012-01..2012-05 (j = 0..4): the article's totals, split over the five months.
_FULIN_POSTS = np.array([520, 545, 560, 570, 586])  # sum 2,781
_FULIN_FANS = np.array([310, 620, 930, 1_190, 1_429])
_FULIN_COMMENTS = np.array([150, 165, 170, 175, 180])  # sum 840
_FULIN_REPLIES = np.array([140, 152, 158, 162, 168])  # sum 780: 92.9%, each month above 90%


def _fulin(j: np.ndarray) -> dict[str, np.ndarray]:
    later = np.maximum(j - 4, 0)  # months after 2012-05 continue the trend
    early = np.minimum(j, 4)
    posts = np.where(j <= 4, _FULIN_POSTS[early], 560 + (37 * j) % 40)
    comments = np.where(j <= 4, _FULIN_COMMENTS[early], 180 + 3 * later)
    reposts = _rounded(posts * 0.35)
    return {
        "fans": np.where(j <= 4, _FULIN_FANS[early], 1_429 + 240 * later),
        "posts": posts,
        "original_posts": _rounded(posts * 0.8),
        "reposts": reposts,
        "comments": comments,
        "likes": _rounded(posts * 0.2),
        "replies": np.where(j <= 4, _FULIN_REPLIES[early], np.ceil(comments * 0.93).astype(np.int64)),
        "original_reposts": _rounded(reposts * 0.9),
        "original_comments": _rounded(comments * 0.9),
    }


def _zhuzhou_environment(j: np.ndarray) -> dict[str, np.ndarray]:
    posts = np.where(j == 0, 40, 75 + 5 * (j % 4))  # opened mid-April: half a first month
    comments = _rounded(posts * 0.8)
    return {"fans": 600 + 450 * j, "posts": posts, **_engagement(
        posts, comments, repost_ratio=1.4, like_ratio=0.4, reply_rate=0.5, original_share=0.75)}


CHANGSHA_POLICE = "长沙警事"

NAMED_ACCOUNTS: tuple[NamedAccount, ...] = (
    NamedAccount("湖南省交警总队", "长沙", "traffic", "city", "sina", "2010-07", _hunan_traffic),
    NamedAccount(CHANGSHA_POLICE, "长沙", "police", "city", "sina", "2010-10", _changsha_police),
    NamedAccount("微天心", "长沙", "press", "county", "sina", "2011-03", _wei_tianxin),
    NamedAccount("福临发布", "长沙", "press", "township", "tencent", "2012-01", _fulin, "2012-01-01"),
    NamedAccount("株洲市环保局", "株洲", "other", "city", "sina", "2013-04", _zhuzhou_environment,
                 "2013-04-16"),
)
