"""The upload form of the one upload page (every kind of file), and the column help it shows for post files."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.forms import UPLOAD_EXTENSIONS, SnapshotUploadForm
from core.tables.reading import JSON_LINES_SUFFIXES
from posts.importing.columns import OPTIONAL, POST_COLUMNS, POSTS, REPLIES, REPLY_COLUMNS

EXTENSIONS = (*UPLOAD_EXTENSIONS, *JSON_LINES_SUFFIXES)


class UploadForm(SnapshotUploadForm):
    """A snapshot file, a file of posts or replies (also JSON Lines), or a weibo-crawler file."""

    extensions = EXTENSIONS
    extension_message = _("“%(name)s” is not a .csv, .txt, .xlsx or .jsonl file.")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV or tab-separated .txt (UTF-8, GB18030 or UTF-16), Excel .xlsx or JSON Lines (.jsonl): snapshots "
            "(one row per account and period), posts, replies, or a weibo-crawler file. The kind is told by the "
            "headers.")
        self.fields["file"].widget.attrs["accept"] = ",".join(EXTENSIONS)


@dataclass(frozen=True)
class PostColumn:
    header: str
    header_zh: str
    description: Promise
    required: bool


_DESCRIPTIONS = {
    "city": _("As in snapshot files: the account's city, province, screen name, platform, category and level"),
    "post_id": _("The platform's id of the post"),
    "posted_at": _("When it was posted, e.g. 2012-04-01 08:30 (China time unless an offset is written)"),
    "text": _("The post's text"),
    "original": _("1 / 是 for an original post, 0 / 否 for a repost"),
    "reposts": _("Reposts received"), "comments": _("Comments received"), "likes": _("Likes received"),
    "media": _("text / 文字, image / 图片, video / 视频 or article / 文章"),
    "asked_at": _("When the question (a comment or @mention) was asked"),
    "question": _("The question's text"),
    "replied_at": _("When the account replied; empty when it did not"),
    "reply": _("The account's reply; empty when it did not reply"),
}
_ACCOUNT_COLUMNS = ("city", "province", "account", "platform", "category", "level")


def _help(columns: tuple[tuple[str, str], ...], kind: str) -> tuple[PostColumn, ...]:
    rows = [PostColumn("city, province, account, platform, category, level", "城市, 省份, 账号, 平台, 类别, 级别",
                       _DESCRIPTIONS["city"], True)]
    rows += [PostColumn(name, chinese, _DESCRIPTIONS.get(name, _DESCRIPTIONS["post_id"]), name not in OPTIONAL[kind])
             for name, chinese in columns if name not in _ACCOUNT_COLUMNS]
    return tuple(rows)


POST_HELP = _help(POST_COLUMNS, POSTS)
REPLY_HELP = _help(REPLY_COLUMNS, REPLIES)
