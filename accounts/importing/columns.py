"""The import file's columns and coded values: canonical English names and their accepted synonyms.

The file contract (one row per account and period; the header is line 1):
- Required: city, province, account, category, level, period, and the counts fans, posts,
  original_posts, reposts, comments, likes, replies. An empty cell in any of them is an error (a
  missing count is not silently 0: a monitoring export with holes must be fixed, not ranked).
- platform is optional: without the column, or with an empty cell, the account is on Sina Weibo.
- Optional: uid, verified, opened_on (account); original_reposts, original_comments, last_post_on
  (snapshot; empty = not known); city_level, admin_code, name_en (used only when a city is created).
  An account's uid/verified/opened_on are taken from its first row in the file.
- Counts are whole numbers >= 0, "1,234" and "12.0" allowed. Dates are YYYY-MM-DD (or with / or .).
- Any other header is an extra metric column: numbers only (empty = absent), kept in
  Snapshot.custom_metrics under the header exactly as written (surrounding spaces removed). Two extra
  headers that match each other (as below) are an error, as two headers of one known column are.
- Rows whose cells are all empty are skipped.

Headers and coded values match after `normalise()`: case, surrounding whitespace, inner spaces/hyphens
(treated as underscores) and full-width brackets do not matter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import SNAPSHOT_COUNT_FIELDS, City, GovAccount
from core.tables.bounds import MAX_COLUMNS, TOO_MANY_COLUMNS
from core.tables.errors import Message, control_character_message

# The canonical header of each known column, in the order a template file lists them.
IMPORT_COLUMNS = (
    "city", "province", "account", "platform", "category", "level", "period", *SNAPSHOT_COUNT_FIELDS,
)
# platform may be left out: every row is then a Sina Weibo account (the platform of nearly all of them).
REQUIRED_COLUMNS = tuple(column for column in IMPORT_COLUMNS if column != "platform")
REQUIRED_COUNT_COLUMNS = SNAPSHOT_COUNT_FIELDS
OPTIONAL_COUNT_COLUMNS = ("original_reposts", "original_comments")
# Optional columns: the account's uid/verified/opened_on, the snapshot's optional counts and last post
# date, and the city's administrative level, 6-digit code and English name (used when creating a city).
OPTIONAL_COLUMNS = (
    "uid", "verified", "opened_on", *OPTIONAL_COUNT_COLUMNS, "last_post_on", "city_level", "admin_code", "name_en",
)

HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "city": ("城市", "城市名称", "所属城市", "地市"),
    "province": ("省份", "省", "所属省份", "省区市"),
    "account": ("账号", "账号名称", "账号名", "微博名称", "微博账号", "帐号", "帐号名称", "screen_name", "account_name"),
    "platform": ("平台", "微博平台"),
    "category": ("类别", "账号类别", "类型", "分类"),
    "level": ("级别", "账号级别", "层级"),
    "period": ("统计周期", "周期", "统计时间", "时间段"),
    "fans": ("粉丝数", "粉丝量", "粉丝"),
    "posts": ("发博数", "发博量", "微博数", "发文数"),
    "original_posts": ("原创数", "原创微博数", "原创量", "原创发博数"),
    "reposts": ("转发数", "转发量", "被转发数"),
    "comments": ("评论数", "评论量", "被评论数"),
    "likes": ("点赞数", "点赞量", "赞数"),
    "replies": ("回复数", "回复量"),
    "uid": ("平台uid", "账号id", "微博id"),
    "verified": ("认证", "是否认证"),
    "opened_on": ("开通日期", "开通时间"),
    "original_reposts": ("原创转发数", "原创被转发数"),
    "original_comments": ("原创评论数", "原创被评论数"),
    "last_post_on": ("最后发博日期", "最近发博日期"),
    "city_level": ("城市级别", "城市行政级别"),
    "admin_code": ("行政区划代码", "区划代码"),
    "name_en": ("城市英文名", "英文名", "city_en"),
}

CATEGORY_VALUES = {
    GovAccount.Category.POLICE: ("公安", "警方"),
    GovAccount.Category.TRAFFIC: ("交警", "交通警察", "traffic_police"),
    GovAccount.Category.PRESS: ("发布", "新闻发布", "外宣", "press_release"),
    GovAccount.Category.YOUTH: ("团委", "共青团", "youth_league"),
    GovAccount.Category.TOURISM: ("旅游",),
    GovAccount.Category.OTHER: ("其他", "其它"),
}
LEVEL_VALUES = {
    GovAccount.Level.CITY: ("市", "市级"),
    GovAccount.Level.COUNTY: ("县", "县级", "区县", "县区"),
    GovAccount.Level.TOWNSHIP: ("乡镇", "乡", "镇", "乡镇级", "街道"),
}
PLATFORM_VALUES = {
    GovAccount.Platform.SINA: ("新浪", "新浪微博", "weibo", "sina_weibo"),
    GovAccount.Platform.TENCENT: ("腾讯", "腾讯微博", "qq", "tencent_weibo"),
}
CITY_LEVEL_VALUES = {
    City.Level.MUNICIPALITY: ("直辖市",),
    City.Level.SUB_PROVINCIAL: ("副省级", "副省级城市", "省会", "省会城市", "副省级/省会"),
    City.Level.PREFECTURE: ("地级市", "地级"),
    City.Level.COUNTY: ("县级市",),
}
VERIFIED_VALUES = {
    True: ("true", "yes", "y", "1", "是", "已认证", "认证"),
    False: ("false", "no", "n", "0", "否", "未认证"),
}

_SEPARATORS = re.compile(r"[\s\-]+")
_FULL_WIDTH = str.maketrans("（）：", "():")


def normalise(text: str) -> str:
    """The matching form of a header or coded value: "  Original Posts " -> "original_posts"."""
    return _SEPARATORS.sub("_", text.translate(_FULL_WIDTH).strip().lower())


def _lookup(canonical_to_synonyms: dict) -> dict[str, object]:
    table: dict[str, object] = {}
    for canonical, synonyms in canonical_to_synonyms.items():
        for text in (str(canonical), *synonyms):
            table[normalise(text)] = getattr(canonical, "value", canonical)  # plain str, not the enum
    return table


HEADER_LOOKUP = _lookup({column: HEADER_SYNONYMS.get(column, ()) for column in (*IMPORT_COLUMNS, *OPTIONAL_COLUMNS)})


@dataclass(frozen=True)
class ValueSet:
    """The accepted texts of one coded column, e.g. category: police/公安, …"""

    lookup: dict[str, object]
    accepted: str  # the list shown in error messages

    @classmethod
    def of(cls, canonical_to_synonyms: dict) -> ValueSet:
        accepted = ", ".join(
            f"{canonical} ({synonyms[0]})" if synonyms else str(canonical)
            for canonical, synonyms in canonical_to_synonyms.items()
        )
        return cls(_lookup(canonical_to_synonyms), accepted)


def _with_labels(choices: type, synonyms: dict) -> dict:
    """Also accept the English display labels (e.g. "Traffic police")."""
    return {value: (*synonyms[value], str(choices(value).label)) for value in synonyms}


CATEGORIES = ValueSet.of(_with_labels(GovAccount.Category, CATEGORY_VALUES))
LEVELS = ValueSet.of(_with_labels(GovAccount.Level, LEVEL_VALUES))
PLATFORMS = ValueSet.of(_with_labels(GovAccount.Platform, PLATFORM_VALUES))
CITY_LEVELS = ValueSet.of(CITY_LEVEL_VALUES)
VERIFIED = ValueSet.of(VERIFIED_VALUES)

MISSING_COLUMN = _(
    "the required column “%(column)s” is missing; accepted headers for it: %(accepted)s"
)
DUPLICATE_COLUMN = _("this column and column “%(other)s” both give “%(column)s”; keep only one of them")
NAMELESS_COLUMN = _("column %(position)d has values but no header")


@dataclass(frozen=True)
class ColumnMap:
    """Which file column (by position) holds each known column, and which hold extra metrics.

    known: canonical name -> (position, header as written). extras: [(position, header as written)].
    nameless: positions of columns without a header (ignored when empty, an error otherwise).
    """

    known: dict[str, tuple[int, str]]
    extras: list[tuple[int, str]]
    nameless: list[int]
    width: int  # number of header cells; cells beyond it are nameless too

    def header(self, canonical: str) -> str:
        return self.known[canonical][1] if canonical in self.known else canonical


def accepted_headers(canonical: str) -> str:
    return ", ".join((canonical, *HEADER_SYNONYMS.get(canonical, ())))


def _add_extra(extras: list[tuple[int, str]], seen: dict[str, str], position: int, header: str, *, errors) -> None:
    """Keep an extra (metric) column, unless its header holds a control character or repeats an earlier
    extra header. Extras are told apart like known headers, by normalise(): "Score" and " score" would
    otherwise both be kept, and one metric would silently overwrite the other (or two keys would differ
    only in case). seen: normalised header -> the first header written that way (one lookup per column,
    so a wide header is matched in linear time)."""
    if (message := control_character_message(header)) is not None:
        errors.add(1, header, message)
        return
    key = normalise(header)
    if key in seen:
        errors.add(1, header, Message(DUPLICATE_COLUMN, other=seen[key], column=seen[key]))
        return
    seen[key] = header
    extras.append((position, header))


def map_columns(headers: list[str], *, errors) -> ColumnMap:
    """Match the header row; report missing required and doubled columns to `errors` (an ErrorLog)."""
    known: dict[str, tuple[int, str]] = {}
    extras: list[tuple[int, str]] = []
    seen_extras: dict[str, str] = {}
    nameless: list[int] = []
    if len(headers) > MAX_COLUMNS:
        errors.add(1, None, Message(TOO_MANY_COLUMNS, count=len(headers), limit=MAX_COLUMNS))
        return ColumnMap(known, extras, nameless, len(headers))
    for position, raw in enumerate(headers):
        header = str(raw).strip()
        if not header:
            nameless.append(position)
            continue
        canonical = HEADER_LOOKUP.get(normalise(header))
        if canonical is None:
            _add_extra(extras, seen_extras, position, header, errors=errors)
        elif canonical in known:
            errors.add(1, header, Message(DUPLICATE_COLUMN, other=known[canonical][1], column=canonical))
        else:
            known[canonical] = (position, header)
    for canonical in REQUIRED_COLUMNS:
        if canonical not in known:
            errors.add(1, None, Message(MISSING_COLUMN, column=canonical, accepted=accepted_headers(canonical)))
    # A doubled column (or an extra header with a control character) has been reported; it appears in none
    # of the lists, and the import fails anyway.
    return ColumnMap(known, extras, nameless, len(headers))
