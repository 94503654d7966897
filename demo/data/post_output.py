"""Writing generated posts and replies as import files: CSV, Chinese (default) or English headers.

The headers are the issue's import headers (posts: 城市 … 微博ID, 发布时间, 内容, 原创, 转发数, 评论数, 点赞数,
媒体; replies: … 提问时间, 提问内容, 回复时间, 回复内容, 微博ID). Chinese files also use Chinese coded values
(新浪微博, 公安, 县, 是/否, 图片), as for snapshots (demo.data.output). Times are written
`YYYY-MM-DD HH:MM:SS`, China time without an offset; an unanswered question's 回复时间 and 回复内容 are
empty, as is the 微博ID of a question asked by @mention.

Each writer takes one frame or an iterable of frames (demo.data.posts.iter_posts' blocks) and writes
them in chunks, the header once: a national month streams to disk without being held whole. UTF-8,
"\\n" line ends: byte-identical files for identical frames. Pure pandas; no Django.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pandas as pd

from demo.data.output import ZH_HEADERS, ZH_VALUES, Headers
from demo.data.posts import POST_COLUMNS, REPLY_COLUMNS

POST_ZH_HEADERS = {
    **{column: ZH_HEADERS[column] for column in ("city", "province", "account", "platform", "category", "level")},
    "post_id": "微博ID", "posted_at": "发布时间", "text": "内容", "original": "原创", "reposts": "转发数",
    "comments": "评论数", "likes": "点赞数", "media": "媒体",
}
REPLY_ZH_HEADERS = {
    **{column: ZH_HEADERS[column] for column in ("city", "province", "account", "platform", "category", "level")},
    "asked_at": "提问时间", "question": "提问内容", "replied_at": "回复时间", "reply": "回复内容", "post_id": "微博ID",
}
MEDIA_ZH = {"none": "无", "image": "图片", "video": "视频", "link": "链接"}
ORIGINAL_ZH = ("否", "是")  # original 0, 1
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_CHUNK_ROWS = 50_000
Frames = pd.DataFrame | Iterable[pd.DataFrame]


def posts_in_chinese(posts: pd.DataFrame) -> pd.DataFrame:
    """The same rows with Chinese headers and coded values (categories renamed: no copy of the texts)."""
    translated = _coded_in_chinese(posts)
    translated["media"] = translated["media"].cat.rename_categories(MEDIA_ZH)
    translated["original"] = pd.Categorical.from_codes(posts["original"].to_numpy(), ORIGINAL_ZH)
    return translated.rename(columns=POST_ZH_HEADERS)


def replies_in_chinese(replies: pd.DataFrame) -> pd.DataFrame:
    return _coded_in_chinese(replies).rename(columns=REPLY_ZH_HEADERS)


def write_posts_csv(posts: Frames, target: str | Path | IO[str], *, headers: Headers = "zh") -> None:
    """Write posts (one frame or blocks of POST_COLUMNS) as one CSV file."""
    _write(posts, target, *_post_style(headers))


def write_replies_csv(replies: Frames, target: str | Path | IO[str], *, headers: Headers = "zh") -> None:
    """Write replies (one frame or blocks of REPLY_COLUMNS) as one CSV file."""
    _write(replies, target, *_reply_style(headers))


def write_post_files(blocks: Iterable[tuple[pd.DataFrame, pd.DataFrame]], posts_target: str | Path | IO[str],
                     replies_target: str | Path | IO[str], *, headers: Headers = "zh") -> tuple[int, int]:
    """Stream iter_posts' blocks into a posts file and a replies file at once; returns the row counts."""
    posts_style, replies_style = _post_style(headers), _reply_style(headers)
    rows, first = [0, 0], True
    with _opened(posts_target) as posts_file, _opened(replies_target) as replies_file:
        for posts, replies in blocks:
            _to_csv(posts, posts_file, posts_style[0], header=first)
            _to_csv(replies, replies_file, replies_style[0], header=first)
            rows, first = [rows[0] + len(posts), rows[1] + len(replies)], False
        if first:  # no block at all: the header lines alone
            posts_file.write(",".join(posts_style[1]) + "\n")
            replies_file.write(",".join(replies_style[1]) + "\n")
    return rows[0], rows[1]


Translate = Callable[[pd.DataFrame], pd.DataFrame] | None


def _post_style(headers: Headers) -> tuple[Translate, list[str]]:
    if headers == "zh":
        return posts_in_chinese, [POST_ZH_HEADERS[column] for column in POST_COLUMNS]
    return None, list(POST_COLUMNS)


def _reply_style(headers: Headers) -> tuple[Translate, list[str]]:
    if headers == "zh":
        return replies_in_chinese, [REPLY_ZH_HEADERS[column] for column in REPLY_COLUMNS]
    return None, list(REPLY_COLUMNS)


def _coded_in_chinese(frame: pd.DataFrame) -> pd.DataFrame:
    translated = frame.copy(deep=False)
    for column in ("platform", "category", "level"):
        translated[column] = translated[column].cat.rename_categories(ZH_VALUES[column])
    return translated


@contextmanager
def _opened(target: str | Path | IO[str]) -> Iterator[IO[str]]:
    """A path opened for writing (and closed after), or an open text handle as it is."""
    if hasattr(target, "write"):
        yield target
        return
    with open(target, "w", encoding="utf-8", newline="") as handle:
        yield handle


def _to_csv(frame: pd.DataFrame, handle: IO[str], translate: Translate, *, header: bool) -> None:
    (translate(frame) if translate else frame).to_csv(
        handle, index=False, header=header, date_format=TIME_FORMAT, lineterminator="\n", chunksize=_CHUNK_ROWS)


def _write(frames: Frames, target: str | Path | IO[str], translate: Translate, header: list[str]) -> None:
    with _opened(target) as handle:
        written = False
        for frame in [frames] if isinstance(frames, pd.DataFrame) else frames:
            _to_csv(frame, handle, translate, header=not written)
            written = True
        if not written:
            handle.write(",".join(header) + "\n")
