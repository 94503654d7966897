"""Vectorized conversion of one column of raw cells into typed values, with the problems found.

Each converter takes the column as read (text cells, NaN for an empty CSV cell, and date objects for an
XLSX's date cells) and returns a Converted: typed values, an `empty` mask, and a list of Problems (a row
mask plus a function that words the message for one row). Converters never loop over rows in Python
except to word messages; text work happens on the column's distinct values.
"""
from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from accounts.importing.columns import ValueSet, normalise
from core.periods import PeriodError, parse_period
from core.provinces import UNKNOWN as PROVINCE_UNKNOWN
from core.provinces import accepted_text, province_or_none
from core.tables.cells import cell_text
from core.tables.errors import CONTROL_CHARACTERS, ErrorLog, Message, control_character_message
from core.text import echo

EMPTY_REQUIRED = _("this cell is empty; a value is required")
NOT_A_NUMBER = _("“%(value)s” is not a number; counts are whole numbers such as 1234 or 1,234")
NEGATIVE = _("“%(value)s” is negative; counts must be 0 or more")
DECIMAL = _("“%(value)s” is not a whole number; counts cannot have a fractional part")
TOO_LARGE = _("“%(value)s” is too large for a count")
UNKNOWN_VALUE = _("“%(value)s” is not a known %(what)s; use one of: %(accepted)s")
TOO_LONG = _("“%(value)s” is longer than %(limit)d characters")
BAD_DATE = _("“%(value)s” is not a date; write dates as YYYY-MM-DD")
BAD_ADMIN_CODE = _("“%(value)s” is not an administrative code; it has exactly 6 digits")
PERIOD_DATE_CELL = _(
    "the cell holds the date %(value)s, not a period (Excel turns a typed period into a date); format "
    "the column as Text and type the period, e.g. 2012-03 or 2012-03-01/2012-03-31"
)
METRIC_NOT_A_NUMBER = _(
    "“%(value)s” is not a number; extra columns are kept as custom metrics and must hold numbers "
    "(remove the column to leave it out)"
)
# Why a count cell is rejected, in the order its problems are reported; kind k >= 1 is _COUNT_PROBLEMS[k - 1]
# and kind 0 a count. (Not a dict keyed by the messages: a lazy string hashes as its text in the active
# language, so such a dict would miss after a language switch.)
_COUNT_PROBLEMS = (TOO_LARGE, NEGATIVE, DECIMAL, NOT_A_NUMBER)

# Counts are stored as bigint: 18 digits always fit.
_MAX_DIGITS = 18
_WHOLE = re.compile(r"^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.0+)?$")
_ZERO_FRACTION = re.compile(r"\.0+$")
_NEGATIVE = re.compile(r"^-\s*[\d,]*\.?\d+$")
_DECIMAL = re.compile(r"^[\d,]*\.\d+$")
_METRIC = re.compile(r"^[-+]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?(?:[eE][-+]?\d+)?$")
_ADMIN_CODE = re.compile(r"\d{6}")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


@dataclass
class Problem:
    mask: np.ndarray
    message: Callable[[int], Message]  # row position -> message


def report(errors: ErrorLog, problems: list[tuple[str | None, Problem]], lines: np.ndarray,
           skip: np.ndarray) -> np.ndarray:
    """Log the problems [(header, Problem), …] of a chunk's rows (lines: each row's file line) except the
    skipped rows, the earliest lines first and, within a line, in the list's order, up to the log's room
    (the rest are counted); return the rows that have any."""
    room, found, total = errors.room(), [], 0
    bad = np.zeros(len(lines), dtype=bool)
    for order, (header, problem) in enumerate(problems):
        mask = problem.mask & ~skip
        bad |= mask
        rows = np.flatnonzero(mask)
        total += len(rows)
        found.extend((int(lines[row]), order, header, problem, row) for row in rows[:room])
    found.sort(key=lambda item: item[:2])
    for line, _order, header, problem, row in found[:room]:
        errors.add(line, header, problem.message(row))
    errors.count_only(total - min(len(found), room))
    return bad


@dataclass
class Converted:
    values: np.ndarray
    empty: np.ndarray
    problems: list[Problem] = field(default_factory=list)
    ends: np.ndarray | None = None  # periods only: the end dates (values holds the start dates)
    distinct: Distinct | None = None  # text columns: values as codes into the distinct texts, for reuse


def _distinct_text(value: object, *, keep_dates: bool) -> object:
    return value if keep_dates and isinstance(value, date) else cell_text(value).strip()


@dataclass
class Distinct:
    """A text column as codes into its distinct stripped values (codes -1 = empty cell).

    Date cells (XLSX) become their text ("2012-03-01"), unless keep_dates: then they stay date objects,
    distinct from the same text, for the converters that treat a date cell differently from typed text.
    """

    codes: np.ndarray
    uniques: np.ndarray  # object array of stripped, non-empty texts (and date objects with keep_dates)

    @classmethod
    def of(cls, raw: pd.Series, *, keep_dates: bool = False) -> Distinct:
        codes, found = pd.factorize(raw, use_na_sentinel=True)
        # A plain object array: iterating a pandas Index or string array costs a Python call per item.
        uniques = np.asarray(found, dtype=object)
        # Text cells (nearly all) take str.strip directly; cell_text is for numbers and dates.
        texts = [value.strip() if value.__class__ is str else _distinct_text(value, keep_dates=keep_dates)
                 for value in uniques]
        # str.strip returns the very same object when there is nothing to strip: then the distinct values
        # are already distinct after stripping and none is empty, and the refactorization below is not needed.
        if all(map(operator.is_, texts, uniques)) and "" not in texts:
            return cls(codes.astype(np.int64, copy=False), uniques)
        stripped = np.array(texts, dtype=object)
        # " 长沙" and "长沙" are the same value: refactorize the stripped texts; "" becomes -1.
        merged, merged_uniques = pd.factorize(np.where(stripped == "", None, stripped), use_na_sentinel=True)
        remap = np.append(merged, -1)  # code -1 (empty cell) stays -1
        return cls(remap[codes], np.asarray(merged_uniques, dtype=object))

    @property
    def empty(self) -> np.ndarray:
        return self.codes < 0

    def values(self) -> np.ndarray:
        """Per-row value, "" for empty cells."""
        return np.append(self.uniques, "")[self.codes]

    def texts(self) -> np.ndarray:
        """Per-row text (date objects written out), "" for empty cells."""
        return np.append(np.array([cell_text(value) for value in self.uniques], dtype=object), "")[self.codes]

    def per_unique(self, func: Callable[[str], object], *, otype: object = object) -> np.ndarray:
        return np.array([func(text) for text in self.uniques], dtype=otype)


def text(raw: pd.Series, *, max_length: int) -> Converted:
    """Text of at most max_length characters and without control characters (see CONTROL_CHARACTERS)."""
    distinct = Distinct.of(raw)
    lengths = np.fromiter(map(len, distinct.uniques), dtype=np.int64, count=len(distinct.uniques))
    too_long = np.append(lengths > max_length, False)
    values = distinct.values()
    problems = [
        Problem(too_long[distinct.codes], lambda row: Message(TOO_LONG, value=values[row], limit=max_length)),
    ]
    # One search over all distinct texts at once: control characters are rare, so usually that is all.
    if CONTROL_CHARACTERS.search("".join(distinct.uniques)):
        control = np.array([*[CONTROL_CHARACTERS.search(value) is not None for value in distinct.uniques],
                            False])
        problems.append(Problem(control[distinct.codes], lambda row: control_character_message(values[row])))
    return Converted(values, distinct.empty, problems, distinct=distinct)


def coded(raw: pd.Series, *, values: ValueSet, what: object, default: object = None) -> Converted:
    """A column of coded values (category, level, …) mapped to canonical values; empty -> default."""
    distinct = Distinct.of(raw)
    canonical = distinct.per_unique(lambda value: values.lookup.get(normalise(value)))
    unknown = np.append(np.array([value is None for value in canonical], dtype=bool), False)
    mapped = np.append(canonical, default)[distinct.codes]
    texts = distinct.values()
    return Converted(mapped, distinct.empty, [
        Problem(unknown[distinct.codes],
                lambda row: Message(UNKNOWN_VALUE, value=texts[row], what=what, accepted=values.accepted)),
    ])


def provinces(raw: pd.Series) -> Converted:
    """A province in any spelling core.provinces accepts (湖南 / 湖南省 / Hunan), mapped to its canonical
    short name, so that "成都, 四川省" is the city "成都, 四川"; a spelling that names no province is a
    problem listing the accepted ones (its text is kept as the value, the row being rejected anyway)."""
    distinct = Distinct.of(raw)
    texts = distinct.values()
    canonical = distinct.per_unique(province_or_none)
    unknown = np.append(np.array([value is None for value in canonical], dtype=bool), False)
    mapped = np.append(canonical, "")[distinct.codes]
    mapped = np.where(unknown[distinct.codes], texts, mapped)
    return Converted(mapped, distinct.empty, [
        Problem(unknown[distinct.codes],
                lambda row: Message(PROVINCE_UNKNOWN, value=texts[row], accepted=accepted_text())),
    ])


def _count_value(text: str) -> tuple[int, int]:
    """A stripped, non-empty cell as (count, 0), or (0, kind of problem): see _COUNT_PROBLEMS."""
    if text.isascii() and text.isdigit():  # nearly every cell: plain digits
        digits = text.lstrip("0") or "0"
    elif _WHOLE.fullmatch(text):
        digits = _ZERO_FRACTION.sub("", text).replace(",", "").lstrip("0") or "0"
    elif _NEGATIVE.fullmatch(text):
        return 0, 2
    elif _DECIMAL.fullmatch(text):
        return 0, 3
    else:
        return 0, 4
    return (int(digits), 0) if len(digits) <= _MAX_DIGITS else (0, 1)


def count(raw: pd.Series) -> Converted:
    """Whole non-negative numbers, "1,234" allowed. Empty cells are flagged in `empty` (value 0).

    "12.0" counts as 12: spreadsheet exports write whole numbers that way. "1.5", "-3", "+5", "1e3",
    "abc" and numbers past 18 digits are rejected.

    The cells are text (the reader never lets the CSV parser guess numbers: it would accept "+5" and
    "1e3" in a column of numbers but not next to a bad cell, and round big numbers in a column with an
    empty cell), and each distinct text is judged once by the one rule above: a count column has few
    distinct values compared to its rows.
    """
    distinct = Distinct.of(raw)
    judged = np.array([*map(_count_value, distinct.uniques), (0, 0)], dtype=np.int64).reshape(-1, 2)
    row_kinds = judged[:, 1][distinct.codes]
    problems = [
        Problem(row_kinds == kind, lambda row, template=template: Message(
            template, value=distinct.uniques[distinct.codes[row]]))
        for kind, template in enumerate(_COUNT_PROBLEMS, start=1) if (judged[:, 1] == kind).any()
    ]
    return Converted(judged[:, 0][distinct.codes], distinct.empty, problems)


def _metric_value(text: str) -> float | None:
    """A stripped, non-empty cell as a finite number, or None. "inf", "nan" and overflowing numbers
    such as 1e999 are not numbers: JSON has no value for them (SQLite rejects the row, PostgreSQL would
    keep the text "Infinity")."""
    if not _METRIC.fullmatch(text):
        return None
    number = float(text.replace(",", ""))
    return number if math.isfinite(number) else None


def metric(raw: pd.Series) -> Converted:
    """An extra column: any finite number (sign, fraction and exponent allowed, "1,234.5" too); NaN where
    empty. Like counts, the cells are text and each distinct text is judged once."""
    distinct = Distinct.of(raw)
    judged = [_metric_value(text) for text in distinct.uniques]
    numbers = np.array([*[np.nan if value is None else value for value in judged], np.nan], dtype=float)
    bad = np.array([*[value is None for value in judged], False], dtype=bool)[distinct.codes]
    return Converted(numbers[distinct.codes], distinct.empty, [
        Problem(bad, lambda row: Message(METRIC_NOT_A_NUMBER, value=distinct.uniques[distinct.codes[row]])),
    ])


def _parse_date(value: str | date) -> np.datetime64:
    if isinstance(value, datetime):
        # A date-and-time cell (a last post's timestamp): the day is what is stored.
        return np.datetime64(value.date(), "D")
    if isinstance(value, date):
        return np.datetime64(value, "D")
    match = _DATE.match(value)
    try:
        return np.datetime64(date(int(match[1]), int(match[2]), int(match[3])), "D") if match else np.datetime64("NaT")
    except ValueError:
        return np.datetime64("NaT")


def dates(raw: pd.Series) -> Converted:
    """Optional dates: text YYYY-MM-DD (also with / or .) or an XLSX date cell; NaT where empty."""
    distinct = Distinct.of(raw, keep_dates=True)
    parsed = np.append(distinct.per_unique(_parse_date, otype="datetime64[D]"), np.datetime64("NaT"))
    values = parsed[distinct.codes]
    texts = distinct.texts()
    bad = np.isnat(values) & ~distinct.empty
    return Converted(values, distinct.empty, [Problem(bad, lambda row: Message(BAD_DATE, value=texts[row]))])


def admin_codes(raw: pd.Series) -> Converted:
    converted = text(raw, max_length=6)
    distinct = converted.distinct
    six_digits = np.array([_ADMIN_CODE.fullmatch(value) is not None for value in distinct.uniques], dtype=bool)
    bad = ~np.append(six_digits, True)[distinct.codes]
    converted.problems = [Problem(bad, lambda row: Message(BAD_ADMIN_CODE, value=converted.values[row]))]
    return converted


class PeriodMessage:
    """The message of a bad period text, worded by parse_period itself in the language active when rendered."""

    def __init__(self, text: str) -> None:
        # A text past ECHO_LIMIT is no period anyway: parse_period words its message for the cut text.
        self.text = echo(text)

    def __str__(self) -> str:
        try:
            parse_period(self.text)
        except PeriodError as error:
            return str(error)
        return self.text


def _period_text(value: str | date) -> str | None:
    """The text a period cell stands for; None for a date cell that names no month.

    Excel stores a typed "2012-03" as the date 2012-03-01 00:00, so a date cell at midnight on the 1st is
    read as that month. Any other date cell cannot be told apart from a typing slip: it is rejected.
    """
    if not isinstance(value, date):
        return value
    at_midnight = not isinstance(value, datetime) or value.time() == datetime.min.time()
    return f"{value.year:04d}-{value.month:02d}" if value.day == 1 and at_midnight else None


def periods(raw: pd.Series, *, cache: dict[str, tuple | None]) -> Converted:
    """Start dates as values, end dates as ends. Each distinct text is parsed once (cached across chunks)."""
    distinct = Distinct.of(raw, keep_dates=True)

    def bounds(value: str | None) -> tuple | None:
        if value is None:
            return None
        if value not in cache:
            try:
                period = parse_period(value)
                cache[value] = (np.datetime64(period.start, "D"), np.datetime64(period.end, "D"))
            except PeriodError:
                cache[value] = None
        return cache[value]

    period_texts = [_period_text(value) for value in distinct.uniques]
    parsed = [bounds(value) for value in period_texts]
    not_a_time = np.datetime64("NaT")
    starts = np.array([p[0] if p else not_a_time for p in parsed] + [not_a_time], dtype="datetime64[D]")
    ends = np.array([p[1] if p else not_a_time for p in parsed] + [not_a_time], dtype="datetime64[D]")
    names_no_month = np.array([text is None for text in period_texts], dtype=bool)  # date cells only
    date_cell = np.append(names_no_month, False)[distinct.codes]
    bad = np.append(np.array([p is None for p in parsed], dtype=bool), False)[distinct.codes] & ~date_cell
    # Messages quote what the period was read as: "2012-03" for a 2012-03-01 date cell, else the cell's text.
    texts = np.append(np.array([text if text is not None else cell_text(value)
                                for text, value in zip(period_texts, distinct.uniques, strict=True)],
                               dtype=object), "")[distinct.codes]
    return Converted(starts[distinct.codes], distinct.empty, [
        Problem(bad, lambda row: PeriodMessage(texts[row])),
        Problem(date_cell, lambda row: Message(PERIOD_DATE_CELL, value=texts[row])),
    ], ends=ends[distinct.codes])
