"""Converting the cells of post and reply files, column by column (vectorised, as accounts.importing.cells).

Times: a time without an offset is China time (UTC+8, the fixed offset: China has kept it since 1991); a
time with one (+08:00, +0800, Z) is taken as written. Accepted: ISO 8601 ("2012-04-01 00:30",
"2012-04-01T00:30:00", with seconds or fractions, "2012-04-01" for midnight), slashes or dots as date
separators ("2012/4/1 0:30"), Chinese dates ("2012年4月1日 00:30"), Weibo's own form ("Wed May 02 09:00:00
+0800 2012") and spreadsheet date cells. Values are int64 microseconds since 1970-01-01 UTC; a time before
EARLIEST or more than a day after the import runs is refused (it would be a typing slip, and each month
a file names becomes a partition on PostgreSQL).
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from accounts.importing.cells import Converted, Distinct, Problem, ValueSet, count, text
from core.tables.cells import cell_text
from core.tables.errors import Message
from posts.models import CHINA, POST_ID_LENGTH

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EARLIEST = datetime(2000, 1, 1, tzinfo=CHINA)
NO_TIME = np.iinfo(np.int64).min  # an empty optional time (replied_at)
MAX_COUNT = 2**31 - 1  # reposts, comments and likes are stored as integer

BAD_TIME = _(
    "“%(value)s” is not a time; write it as 2012-04-01 08:30 (China time) or with its offset, e.g. "
    "2012-04-01T08:30:00+08:00"
)
TIME_OUT_OF_RANGE = _("“%(value)s” is before 2000 or in the future; check the year")
COUNT_TOO_LARGE = _("“%(value)s” is too large for a count of reposts, comments or likes")
BAD_POST_ID = _("“%(value)s” is not a post id: it holds spaces")

ORIGINAL = ValueSet(ValueSet.of({True: ("1", "是", "true", "yes", "y", "原创"),
                                  False: ("0", "否", "false", "no", "n", "转发")}).lookup,
                    "1 / 是 / true / 原创, 0 / 否 / false / 转发")
MEDIA = ValueSet.of({"text": ("文字", "纯文字", "无"), "image": ("图片", "图文", "images"), "video": ("视频",),
                     "article": ("文章", "头条文章")})

_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
_LOOSE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                    r"(?:[\sT]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.(\d{1,6}))?秒?)?)?$")
_WEIBO_FORMAT = "%a %b %d %H:%M:%S %z %Y"
_SPACE = re.compile(r"\s")


def _loose(value: str) -> datetime | None:
    """The slow path: one text in a form ISO 8601 parsing does not take (slashes, single digits, 年月日)."""
    match = _LOOSE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction = (match[index] for index in range(1, 8))
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                        int((fraction or "0").ljust(6, "0")), tzinfo=CHINA)
    except ValueError:
        return None


def _as_utc(parsed: pd.Series) -> pd.Series:
    """Parsed times (naive = China time, or aware) as UTC; NaT stays NaT."""
    if parsed.dt.tz is None:
        parsed = parsed.dt.tz_localize(CHINA)
    return parsed.dt.tz_convert("UTC")


def _parse_texts(texts: pd.Series) -> np.ndarray:
    """Microseconds since 1970 UTC of each text, NO_TIME where it is no time: ISO 8601 in C (naive and
    offset texts apart, pandas refuses them mixed), then Weibo's form, then the loose forms one by one."""
    result = np.full(len(texts), NO_TIME, dtype=np.int64)
    with_offset = texts.str.contains(_OFFSET, regex=True).to_numpy(dtype=bool)
    for rows in (~with_offset, with_offset):
        if rows.any():
            parsed = pd.to_datetime(texts[rows], format="ISO8601", errors="coerce", utc=bool(rows is with_offset))
            result[rows] = _micros(_as_utc(parsed))
    missing = result == NO_TIME
    if missing.any():
        parsed = pd.to_datetime(texts[missing], format=_WEIBO_FORMAT, errors="coerce", utc=True)
        result[missing] = _micros(parsed)
    for row in np.flatnonzero(result == NO_TIME):
        found = _loose(texts.iat[row])
        if found is not None:
            result[row] = micros(found)
    return result


def micros(moment: datetime) -> int:
    """An aware datetime as whole microseconds since 1970-01-01 UTC (integer arithmetic: exact)."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _micros(parsed: pd.Series) -> np.ndarray:
    values = parsed.to_numpy(dtype="datetime64[us]")
    return np.where(np.isnat(values), NO_TIME, values.astype(np.int64))


def _date_cell(value: date) -> int:
    """A spreadsheet date (or date and time) cell, in China time."""
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    return micros(moment.replace(tzinfo=moment.tzinfo or CHINA))


def times(raw: pd.Series, *, latest: datetime | None = None) -> Converted:
    """Times as int64 microseconds since 1970 UTC (NO_TIME where empty or bad); problems: not a time, or
    outside [EARLIEST, latest] (latest: a day after now unless given). Each distinct text is parsed once."""
    distinct = Distinct.of(raw, keep_dates=True)
    is_date = np.array([isinstance(value, date) for value in distinct.uniques], dtype=bool)
    parsed = np.full(len(distinct.uniques), NO_TIME, dtype=np.int64)
    if (~is_date).any():
        parsed[~is_date] = _parse_texts(pd.Series(distinct.uniques[~is_date], dtype=object).astype(str))
    parsed[is_date] = [_date_cell(value) for value in distinct.uniques[is_date]]
    latest = latest or datetime.now(tz=CHINA) + timedelta(days=1)
    earliest_us, latest_us = micros(EARLIEST), micros(latest)
    bad = parsed == NO_TIME
    out_of_range = ~bad & ((parsed < earliest_us) | (parsed > latest_us))
    texts = np.append(np.array([cell_text(value) for value in distinct.uniques], dtype=object), "")
    values = np.append(np.where(out_of_range, NO_TIME, parsed), NO_TIME)[distinct.codes]
    return Converted(values, distinct.empty, [
        Problem(np.append(bad, False)[distinct.codes], lambda row: Message(BAD_TIME, value=texts[distinct.codes[row]])),
        Problem(np.append(out_of_range, False)[distinct.codes],
                lambda row: Message(TIME_OUT_OF_RANGE, value=texts[distinct.codes[row]])),
    ])


def counts(raw: pd.Series) -> Converted:
    """accounts.importing.cells.count, at most MAX_COUNT (the column is an integer)."""
    converted = count(raw)
    values = converted.values
    too_large = values > MAX_COUNT
    if too_large.any():
        cells = raw.to_numpy(dtype=object)
        converted.problems.append(Problem(too_large, lambda row: Message(COUNT_TOO_LARGE, value=cell_text(cells[row]))))
        converted.values = np.where(too_large, 0, values)
    return converted


def post_ids(raw: pd.Series) -> Converted:
    """A platform's post id: text without spaces inside, at most POST_ID_LENGTH characters. The tab
    weibo-crawler writes after each id (so that Excel keeps it whole) is stripped with the other blanks."""
    converted = text(raw, max_length=POST_ID_LENGTH)
    uniques = converted.distinct.uniques
    # One search over every distinct id at once (in C): ids with spaces are rare, so usually that is all.
    spaced = np.zeros(len(uniques) + 1, dtype=bool)
    if _SPACE.search("".join(uniques)):
        spaced[:-1] = [_SPACE.search(value) is not None for value in uniques]
    spaced = spaced[converted.distinct.codes]
    converted.problems.append(Problem(spaced, lambda row: Message(BAD_POST_ID, value=converted.values[row])))
    return converted
