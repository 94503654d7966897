"""The columns of post and reply files, and the kind of a file told by its header row.

A file's kind is told by its headers (headers match after accounts.importing.columns.normalise: case,
spaces and full-width brackets do not matter):
- posts: posted_at (发布时间) is a header. Columns: city 城市, province 省份, account 账号, platform 平台
  (optional: Sina when left out), category 类别, level 级别, post_id 微博ID, posted_at 发布时间, text 内容,
  original 原创 (1/0, 是/否, true/false, 原创/转发), reposts 转发数, comments 评论数, likes 点赞数; optional
  media 媒体 (text/文字, image/图片, video/视频, article/文章; empty = not said).
- replies: asked_at (提问时间) is a header. Columns: city, province, account, platform (optional), category,
  level, asked_at 提问时间, question 提问内容, replied_at 回复时间 (empty: unanswered), reply 回复内容;
  optional post_id 微博ID.
- weibo-crawler posts (`<uid>.csv`): the headers id, bid, 正文 and 日期 (posts.importing.crawler).
- weibo-crawler comments (`<screen name>_comments.csv`, `<screen name>_<post id>_comments.csv`): the
  headers id, weibo_id, created_at, user_screen_name and text.
- anything else: not a post file (the upload page hands it to the snapshot import).
The account columns also take the spellings a snapshot file's do (accounts.importing.columns), since rows
name their account as snapshot files do. Other headers are ignored. Times without an offset are China time
(UTC+8); see posts.importing.cells.times.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.importing.columns import HEADER_SYNONYMS as ACCOUNT_HEADER_SYNONYMS
from accounts.importing.columns import normalise
from core.tables.errors import ErrorLog, Message

POSTS, REPLIES, CRAWLER_POSTS, CRAWLER_COMMENTS = "posts", "replies", "crawler_posts", "crawler_comments"
KINDS = (POSTS, REPLIES, CRAWLER_POSTS, CRAWLER_COMMENTS)

ACCOUNT_COLUMNS = ("city", "province", "account", "platform", "category", "level")
# (canonical header, Chinese header) in template order; the optional ones after.
POST_COLUMNS = (
    ("city", "城市"), ("province", "省份"), ("account", "账号"), ("platform", "平台"), ("category", "类别"),
    ("level", "级别"), ("post_id", "微博ID"), ("posted_at", "发布时间"), ("text", "内容"), ("original", "原创"),
    ("reposts", "转发数"), ("comments", "评论数"), ("likes", "点赞数"), ("media", "媒体"),
)
REPLY_COLUMNS = (
    ("city", "城市"), ("province", "省份"), ("account", "账号"), ("platform", "平台"), ("category", "类别"),
    ("level", "级别"), ("asked_at", "提问时间"), ("question", "提问内容"), ("replied_at", "回复时间"),
    ("reply", "回复内容"), ("post_id", "微博ID"),
)
OPTIONAL = {POSTS: ("platform", "media"), REPLIES: ("platform", "replied_at", "reply", "post_id")}

# What weibo-crawler writes (weibo.py get_result_headers and export_comments_to_csv_for_current_user).
CRAWLER_POST_HEADERS = {"id": "id", "text": "正文", "posted_at": "日期", "full_date": "完整日期",
                        "likes": "点赞数", "comments": "评论数", "reposts": "转发数", "original": "是否原创",
                        "article": "头条文章url", "images": "原始图片url", "video": "视频url",
                        "live_photo": "Live Photo视频url"}
CRAWLER_POST_REQUIRED = ("id", "text", "posted_at", "likes", "comments", "reposts")
CRAWLER_COMMENT_HEADERS = {"id": "id", "post_id": "weibo_id", "created_at": "created_at",
                           "name": "user_screen_name", "text": "text"}

MISSING_COLUMN = _("the required column “%(column)s” is missing; accepted headers for it: %(accepted)s")
DUPLICATE_COLUMN = _("this column and column “%(other)s” both give “%(column)s”; keep only one of them")


def _synonyms(canonical: str, chinese: str) -> tuple[str, ...]:
    return (canonical, chinese, *ACCOUNT_HEADER_SYNONYMS.get(canonical, ())) if canonical in ACCOUNT_COLUMNS else (
        canonical, chinese)


def _lookup(columns: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {normalise(text): canonical for canonical, chinese in columns for text in _synonyms(canonical, chinese)}


LOOKUPS = {POSTS: _lookup(POST_COLUMNS), REPLIES: _lookup(REPLY_COLUMNS),
           CRAWLER_POSTS: {normalise(text): name for name, text in CRAWLER_POST_HEADERS.items()},
           CRAWLER_COMMENTS: {normalise(text): name for name, text in CRAWLER_COMMENT_HEADERS.items()}}
CANONICAL = {POSTS: tuple(name for name, _zh in POST_COLUMNS), REPLIES: tuple(name for name, _zh in REPLY_COLUMNS),
             CRAWLER_POSTS: tuple(CRAWLER_POST_HEADERS), CRAWLER_COMMENTS: tuple(CRAWLER_COMMENT_HEADERS)}
REQUIRED = {POSTS: tuple(name for name in CANONICAL[POSTS] if name not in OPTIONAL[POSTS]),
            REPLIES: tuple(name for name in CANONICAL[REPLIES] if name not in OPTIONAL[REPLIES]),
            CRAWLER_POSTS: CRAWLER_POST_REQUIRED, CRAWLER_COMMENTS: tuple(CRAWLER_COMMENT_HEADERS)}


def file_kind(header: list[str]) -> str | None:
    """POSTS, REPLIES, CRAWLER_POSTS or CRAWLER_COMMENTS by the headers (see the module's docstring); None
    for any other file (a snapshot file, say)."""
    names = {normalise(str(cell)) for cell in header}
    if {"id", "bid", "正文", "日期"} <= names:
        return CRAWLER_POSTS
    if {"id", "weibo_id", "created_at", "user_screen_name", "text"} <= names:
        return CRAWLER_COMMENTS
    if names & {"posted_at", normalise("发布时间")}:
        return POSTS
    if names & {"asked_at", normalise("提问时间")}:
        return REPLIES
    return None


@dataclass(frozen=True)
class Columns:
    """Which file column (by position) holds each known column: canonical name -> (position, header)."""

    kind: str
    known: dict[str, tuple[int, str]]

    def header(self, canonical: str) -> str:
        return self.known[canonical][1] if canonical in self.known else canonical

    def position(self, canonical: str) -> int | None:
        return self.known[canonical][0] if canonical in self.known else None


def accepted_headers(kind: str, canonical: str) -> str:
    if kind == CRAWLER_POSTS:
        return CRAWLER_POST_HEADERS[canonical]
    if kind == CRAWLER_COMMENTS:
        return CRAWLER_COMMENT_HEADERS[canonical]
    chinese = dict(POST_COLUMNS if kind == POSTS else REPLY_COLUMNS)[canonical]
    return ", ".join(_synonyms(canonical, chinese))


def map_columns(kind: str, header: list[str], *, errors: ErrorLog) -> Columns:
    """Match the header row of a file of `kind`; missing required and doubled columns go to `errors` (line 1)."""
    lookup, known = LOOKUPS[kind], {}
    for position, raw in enumerate(header):
        written = str(raw).strip()
        canonical = lookup.get(normalise(written)) if written else None
        if canonical is None:
            continue  # another column: ignored
        if canonical in known:
            errors.add(1, written, Message(DUPLICATE_COLUMN, other=known[canonical][1], column=canonical))
        else:
            known[canonical] = (position, written)
    for canonical in REQUIRED[kind]:
        if canonical not in known:
            errors.add(1, None, Message(MISSING_COLUMN, column=canonical,
                                        accepted=accepted_headers(kind, canonical)))
    return Columns(kind, known)
