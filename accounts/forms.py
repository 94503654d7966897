"""The snapshot upload form, and the column help the upload page shows next to it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.text import echo

# .txt is what Excel saves as "Unicode text" (UTF-16, tab-separated); the importer reads it as CSV.
UPLOAD_EXTENSIONS = (".csv", ".txt", ".xlsx")


@dataclass(frozen=True)
class UploadColumn:
    header: str  # the canonical English header
    header_zh: str  # the Chinese header the template CSV uses
    description: Promise
    required: bool = True


# The columns of the import contract (accounts.importing.IMPORT_COLUMNS), in file order, with the
# Chinese headers analysts' spreadsheets carry. The importer accepts either spelling.
UPLOAD_COLUMNS: tuple[UploadColumn, ...] = (
    UploadColumn("city", "城市", _("City name, e.g. 长沙")),
    UploadColumn("province", "省份", _("Province, e.g. 湖南")),
    UploadColumn("account", "账号", _("The account's screen name (also: 账号名称)")),
    UploadColumn("platform", "平台", _("sina / 新浪微博 or tencent / 腾讯微博; Sina when left out"), required=False),
    UploadColumn(
        "category",
        "类别",
        _("police / 公安, traffic / 交警, press / 发布, youth / 团委, tourism / 旅游, other / 其他"),
    ),
    UploadColumn("level", "级别", _("city / 市, county / 县 or township / 乡镇")),
    UploadColumn("period", "统计周期", _("The period the counts cover; formats below")),
    UploadColumn("fans", "粉丝数", _("Fans at the end of the period")),
    UploadColumn("posts", "发博数", _("Posts during the period")),
    UploadColumn("original_posts", "原创数", _("Original posts (at most the posts)")),
    UploadColumn("reposts", "转发数", _("Reposts received")),
    UploadColumn("comments", "评论数", _("Comments received")),
    UploadColumn("likes", "点赞数", _("Likes received")),
    UploadColumn("replies", "回复数", _("Replies written by the account itself")),
)

# (example, meaning) pairs for the help box; the formats core.periods.parse_period accepts.
PERIOD_FORMATS: tuple[tuple[str, Promise], ...] = (
    ("2012-03", _("a month (also 2012年3月)")),
    ("2012-Q1", _("a quarter (also 2012年第1季度)")),
    ("2012", _("a year (also 2012年)")),
    ("2012-W05", _("an ISO week")),
    ("2012-03-05", _("a day, for daily exports (also 2012年3月5日)")),
    ("2012-01-01/2012-01-15", _("any date range, both ends included")),
)


class SnapshotUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Data file"),
        help_text=_("CSV or tab-separated .txt (UTF-8, GB18030 or UTF-16) or Excel .xlsx, one row per account and period."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_EXTENSIONS)}),
    )
    # "" lets the reader detect UTF-8, GB18030 or UTF-16; the others are for files it refuses as a wrong
    # guess (a Latin-1 export read as GB18030 turns Zürich into Z黵ich, so it asks instead of guessing).
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        required=False,
        choices=[
            ("", _("Detect (UTF-8, GB18030 or UTF-16)")),
            ("utf-8", "UTF-8"), ("gb18030", "GB18030 / GBK"), ("utf-16", "UTF-16"), ("big5", "Big5"),
            ("latin-1", "Latin-1 (ISO-8859-1)"), ("cp1252", "Windows-1252"),
        ],
        help_text=_("CSV and .txt only. Leave on detect unless the result page asks for the file's encoding."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only (dry run)"),
        required=False,
        help_text=_("Validate every row and report problems without writing anything."),
    )

    # The suffixes accepted and the message for any other: a form for more kinds of file widens them.
    extensions = UPLOAD_EXTENSIONS
    extension_message = _("“%(name)s” is not a .csv, .txt or .xlsx file.")

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        extension = PurePath(upload.name or "").suffix.lower()
        if extension not in self.extensions:
            raise forms.ValidationError(self.extension_message, code="extension", params={"name": echo(upload.name)})
        limit = settings.GOVWEIBO_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s; files up to %(limit)s can be imported here. "
                    "Use the import_snapshots command for larger files."
                ),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        return upload
