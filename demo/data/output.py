"""Writing generated snapshots as an import file: CSV with Chinese (default) or English headers.

Chinese files also use Chinese coded values (公安, 县, 新浪微博, 副省级), as monitoring platforms'
exports do; English files use the canonical values (police, county, sina, sub_provincial). Both are
accepted by the import (tests check every header and value against accounts.importing.columns).
"""
from __future__ import annotations

from pathlib import Path
from typing import IO, Literal

import pandas as pd

ZH_HEADERS = {
    "city": "城市", "province": "省份", "account": "账号", "platform": "平台", "category": "类别", "level": "级别",
    "period": "统计周期", "fans": "粉丝数", "posts": "发博数", "original_posts": "原创数", "reposts": "转发数",
    "comments": "评论数", "likes": "点赞数", "replies": "回复数", "original_reposts": "原创转发数",
    "original_comments": "原创评论数", "last_post_on": "最后发博日期", "opened_on": "开通日期",
    "city_level": "城市级别", "admin_code": "行政区划代码", "name_en": "城市英文名",
}
ZH_VALUES = {
    "platform": {"sina": "新浪微博", "tencent": "腾讯微博"},
    "category": {
        "police": "公安", "traffic": "交警", "press": "发布", "youth": "团委", "tourism": "旅游", "other": "其他",
    },
    "level": {"city": "市", "county": "县", "township": "乡镇"},
    "city_level": {"municipality": "直辖市", "sub_provincial": "副省级", "prefecture": "地级市"},
}
Headers = Literal["zh", "en"]
# Rows per write: bounds the memory to_csv uses for its text buffers on the national set.
_CHUNK_ROWS = 50_000


def snapshots_in_chinese(snapshots: pd.DataFrame) -> pd.DataFrame:
    """The same rows with Chinese headers and coded values (categories renamed: no copy of the rows)."""
    translated = snapshots.copy(deep=False)
    for column, values in ZH_VALUES.items():
        if column in translated:
            translated[column] = translated[column].cat.rename_categories(values)
    return translated.rename(columns=ZH_HEADERS)


def write_snapshots_csv(snapshots: pd.DataFrame, target: str | Path | IO[str], *,
                        headers: Headers = "zh") -> None:
    """Write UTF-8 CSV, "\\n" line ends, dates as YYYY-MM-DD: byte-identical for identical frames."""
    frame = snapshots_in_chinese(snapshots) if headers == "zh" else snapshots
    frame.to_csv(target, index=False, date_format="%Y-%m-%d", lineterminator="\n", encoding="utf-8",
                 chunksize=_CHUNK_ROWS)
