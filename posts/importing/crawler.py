"""weibo-crawler's output, as it writes it: one folder per account, `<screen name>/` (or `<uid>/` with its
user_id_as_folder_name option) holding

- `<uid>.csv`: the posts, UTF-8 with a byte order mark. Checked against dataabc/weibo-crawler (weibo.py,
  commit 93cd292): get_result_headers writes `id, bid, 正文, 头条文章url, 原始图片url, 视频url, Live Photo视频url,
  位置, 日期, 工具, 点赞数, 评论数, 转发数, 话题, @用户, 完整日期, 是否编辑过, 编辑次数`, then (unless
  only_crawl_original) `是否原创, 源用户id, 源用户昵称` and the first eighteen prefixed `源微博`; get_write_info
  writes each id as `str(id) + "\t"` (so that Excel keeps it whole), `是否原创` as Python's True/False, and
  an original post's row stops after 是否原创 (shorter than the header); standardize_date writes 日期 as
  `%Y-%m-%dT%H:%M:%S` in the crawling machine's time (China time). csv_helper appends to the file, so a
  re-run repeats posts: the last row of a post id wins (its counts are the latest).
- `<screen name>_comments.csv` and one `<screen name>_<post id>_comments.csv` per post
  (export_comments_to_csv_for_current_user, from its SQLite store): headers `id, weibo_id, created_at,
  user_screen_name, text, pic_url, like_count`, created_at in Weibo's own form (`Wed May 02 09:00:00 +0800
  2012`), the same comments in the summary file and the per-post files (counted once, by id).

The account is the GovAccount whose platform uid is the posts file's name (GovAccount.uid on Sina), else
the one whose screen name is the folder's name (or the comment files' prefix), else the one given
(--account ID, which also settles any doubt); otherwise the import is refused with the reason. Questions and
answers come from the comments by posts.importing.comments' rule; commenters' names are only hashed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from accounts.importing import cells as account_cells
from accounts.models import GovAccount
from core.tables.errors import ErrorLog, ImportFailed, Message, RowError
from posts.importing import cells
from posts.importing.columns import CRAWLER_COMMENTS, CRAWLER_POSTS, REQUIRED, Columns
from posts.importing.comments import COMMENT_COLUMNS
from posts.models import TEXT_LIMIT, Post

POSTS_FILE = re.compile(r"^(\d+)\.csv$", re.IGNORECASE)
COMMENTS_FILE = re.compile(r"^(.+?)(?:_(\d+))?_comments\.csv$", re.IGNORECASE)

NO_ACCOUNT = _(
    "no account has the platform uid %(uid)s or the screen name “%(name)s”: import the account with a "
    "snapshot file first, or name it (import_posts --account ID)"
)
SEVERAL_ACCOUNTS = _(
    "the platform uid %(uid)s belongs to several accounts (ids %(ids)s): name the one meant "
    "(import_posts --account ID)"
)
UNKNOWN_ACCOUNT_ID = _("there is no account with the id %(id)s")
NO_CRAWLER_FILES = _("the folder “%(name)s” holds no weibo-crawler files (<uid>.csv, <name>_comments.csv)")


@dataclass
class CrawlerFolder:
    """One account's weibo-crawler files: the folder's name, the uid (posts file's name) and the files as
    (source, file name) pairs."""

    name: str
    uid: str = ""
    posts: list[tuple[object, str]] = field(default_factory=list)
    comments: list[tuple[object, str]] = field(default_factory=list)

    @property
    def screen_names(self) -> set[str]:
        """The account's screen name as the folder and the comment files spell it."""
        prefixes = {match[1] for _source, name in self.comments if (match := COMMENTS_FILE.match(name))}
        return {name for name in (self.name, *prefixes) if name and not name.isdigit()}


def crawler_file_kind(file_name: str) -> str | None:
    """CRAWLER_POSTS or CRAWLER_COMMENTS by weibo-crawler's file names; None for another name."""
    name = Path(file_name).name
    if POSTS_FILE.match(name):
        return CRAWLER_POSTS
    if COMMENTS_FILE.match(name):
        return CRAWLER_COMMENTS
    return None


def folder_files(folder: Path) -> CrawlerFolder:
    """The crawler files of a folder (not its img/video subfolders); ImportFailed if it has none."""
    found = CrawlerFolder(folder.name)
    for path in sorted(folder.iterdir()):
        if path.is_file():
            found_kind = crawler_file_kind(path.name)
            if found_kind == CRAWLER_POSTS:
                found.posts.append((path, path.name))
                found.uid = found.uid or POSTS_FILE.match(path.name)[1]
            elif found_kind == CRAWLER_COMMENTS:
                found.comments.append((path, path.name))
    if not (found.posts or found.comments):
        raise ImportFailed([RowError(None, None, Message(NO_CRAWLER_FILES, name=folder.name))])
    return found


def crawler_account(folder: CrawlerFolder, *, account_id: int | None) -> GovAccount:
    """The account a crawler folder belongs to (see the module's docstring); ImportFailed saying why not."""
    if account_id is not None:
        account = GovAccount.objects.filter(pk=account_id).first()
        if account is None:
            raise ImportFailed([RowError(None, None, Message(UNKNOWN_ACCOUNT_ID, id=account_id))])
        return account
    sina = GovAccount.objects.filter(platform=GovAccount.Platform.SINA)
    if folder.uid:
        by_uid = list(sina.filter(uid=folder.uid).order_by("pk"))
        if len(by_uid) > 1:
            raise ImportFailed([RowError(None, None, Message(
                SEVERAL_ACCOUNTS, uid=folder.uid, ids=", ".join(str(account.pk) for account in by_uid)))])
        if by_uid:
            return by_uid[0]
    by_name = list(sina.filter(screen_name__in=sorted(folder.screen_names)).order_by("pk")[:2])
    if len(by_name) == 1:
        return by_name[0]
    raise ImportFailed([RowError(None, None, Message(
        NO_ACCOUNT, uid=folder.uid or "—", name=" / ".join(sorted(folder.screen_names)) or folder.name))])


def _converted(columns: Columns, chunk: pd.DataFrame, converters: dict) -> tuple[dict, list]:
    converted, problems = {}, []
    for name, convert in converters.items():
        position = columns.position(name)
        if position is not None and position < chunk.shape[1]:
            converted[name] = convert(chunk[position])
            header = columns.header(name)
            problems.extend((header, problem) for problem in converted[name].problems)
            if name in REQUIRED[columns.kind] and name != "text":
                problems.append((header, account_cells.Problem(
                    converted[name].empty, lambda row: Message(account_cells.EMPTY_REQUIRED))))
    return converted, problems


_POST_CONVERTERS = {
    "id": cells.post_ids, "posted_at": cells.times, "text": lambda raw: account_cells.text(raw, max_length=TEXT_LIMIT),
    "likes": cells.counts, "comments": cells.counts, "reposts": cells.counts,
    "original": lambda raw: account_cells.coded(raw, values=cells.ORIGINAL, what=_("original value"), default=True),
    **{name: lambda raw: account_cells.text(raw, max_length=10**6) for name in ("article", "images", "video",
                                                                                  "live_photo")},
}
_COMMENT_CONVERTERS = {
    "id": lambda raw: account_cells.text(raw, max_length=64), "post_id": cells.post_ids, "created_at": cells.times,
    "name": lambda raw: account_cells.text(raw, max_length=128),
    "text": lambda raw: account_cells.text(raw, max_length=TEXT_LIMIT),
}


def _media(converted: dict, count: int) -> np.ndarray:
    """What a crawled post carries: a video (or Live Photo), else images, else an article, else text."""
    def given(name: str) -> np.ndarray:
        return ~converted[name].empty if name in converted else np.zeros(count, dtype=bool)

    return np.select([given("video") | given("live_photo"), given("images"), given("article")],
                     [Post.Media.VIDEO.value, Post.Media.IMAGE.value, Post.Media.ARTICLE.value],
                     default=Post.Media.TEXT.value).astype(object)


def posts_chunk(columns: Columns, errors: ErrorLog, lines: np.ndarray, chunk: pd.DataFrame) -> pd.DataFrame:
    """A chunk of a `<uid>.csv` as staged post rows (without the account) and its problems in `errors`;
    the frame also has `line`, for keeping the last row of a post."""
    converted, problems = _converted(columns, chunk, _POST_CONVERTERS)
    blank = np.logical_and.reduce([column.empty for column in converted.values()])
    bad = account_cells.report(errors, problems, lines, blank)
    ok = ~(bad | blank)
    return pd.DataFrame({
        "line": lines, "post_id": converted["id"].values, "posted_at": converted["posted_at"].values,
        "text": converted["text"].values,
        "original": converted["original"].values.astype(bool) if "original" in converted else True,
        **{name: converted[name].values for name in ("reposts", "comments", "likes")},
        "media": _media(converted, len(lines)),
    }).loc[ok]


def comments_chunk(columns: Columns, errors: ErrorLog, lines: np.ndarray, chunk: pd.DataFrame) -> pd.DataFrame:
    """A chunk of a comments file as COMMENT_COLUMNS rows; its problems in `errors`."""
    converted, problems = _converted(columns, chunk, _COMMENT_CONVERTERS)
    blank = np.logical_and.reduce([column.empty for column in converted.values()])
    ok = ~(account_cells.report(errors, problems, lines, blank) | blank)
    frame = pd.DataFrame({"comment_id": converted["id"].values, "post_id": converted["post_id"].values,
                          "at": converted["created_at"].values, "name": converted["name"].values,
                          "text": converted["text"].values})
    return frame.loc[ok, list(COMMENT_COLUMNS)]


def is_crawler(kind: str | None) -> bool:
    return kind in (CRAWLER_POSTS, CRAWLER_COMMENTS)
