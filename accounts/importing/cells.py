"""Vectorized conversion of one column of raw cells into typed values, with the problems found.

Each converter takes the column as read (text cells, or numbers where the CSV parser could already read
the whole column of a chunk as numbers) and returns a Converted: typed values, an `empty` mask, and a
list of Problems (a row mask plus a function that words the message for one row). Converters never loop
over rows in Python except to word messages; text work happens on the column's distinct values.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from accounts.importing.columns import ValueSet, normalise
from accounts.importing.errors import Message
from accounts.periods import PeriodError, parse_period

EMPTY_REQUIRED = _("this cell is empty; a value is required")
NOT_A_NUMBER = _("“%(value)s” is not a number; counts are whole numbers such as 1234 or 1,234")
NEGATIVE = _("“%(value)s” is negative; counts must be 0 or more")
DECIMAL = _("“%(value)s” is not a whole number; counts cannot have a fractional part")
TOO_LARGE = _("“%(value)s” is too large for a count")
UNKNOWN_VALUE = _("“%(value)s” is not a known %(what)s; use one of: %(accepted)s")
TOO_LONG = _("“%(value)s” is longer than %(limit)d characters")
BAD_DATE = _("“%(value)s” is not a date; write dates as YYYY-MM-DD")
BAD_ADMIN_CODE = _("“%(value)s” is not an administrative code; it has exactly 6 digits")
METRIC_NOT_A_NUMBER = _(
    "“%(value)s” is not a number; extra columns are kept as custom metrics and must hold numbers "
    "(remove the column to leave it out)"
)

# Counts are stored as bigint; beyond 2**53 a float loses exactness, so such values take the exact
# text path. 18 digits always fit in a bigint.
_EXACT_FLOAT = 2.0**53
_MAX_DIGITS = 18
_WHOLE = re.compile(r"^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.0+)?$")
_NEGATIVE = re.compile(r"^-\s*[\d,]*\.?\d+$")
_DECIMAL = re.compile(r"^[\d,]*\.\d+$")
_METRIC = re.compile(r"^[-+]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


@dataclass
class Problem:
    mask: np.ndarray
    message: Callable[[int], Message]  # row position -> message


@dataclass
class Converted:
    values: np.ndarray
    empty: np.ndarray
    problems: list[Problem] = field(default_factory=list)
    ends: np.ndarray | None = None  # periods only: the end dates (values holds the start dates)


def _number_text(value: object) -> str:
    """A cell as text for messages and the text path: NaN (an empty cell) -> "", 12.0 -> "12"."""
    if isinstance(value, float) and np.isnan(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class Distinct:
    """A text column as codes into its distinct stripped values (codes -1 = empty cell)."""

    codes: np.ndarray
    uniques: np.ndarray  # object array of stripped, non-empty texts

    @classmethod
    def of(cls, raw: pd.Series) -> Distinct:
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        stripped = np.array([str(text).strip() for text in uniques], dtype=object)
        # " 长沙" and "长沙" are the same value: refactorize the stripped texts; "" becomes -1.
        merged, merged_uniques = pd.factorize(np.where(stripped == "", None, stripped), use_na_sentinel=True)
        remap = np.append(merged, -1)  # code -1 (empty cell) stays -1
        return cls(remap[codes], np.asarray(merged_uniques, dtype=object))

    @property
    def empty(self) -> np.ndarray:
        return self.codes < 0

    def values(self) -> np.ndarray:
        """Per-row text, "" for empty cells."""
        return np.append(self.uniques, "")[self.codes]

    def per_unique(self, func: Callable[[str], object], *, otype: object = object) -> np.ndarray:
        return np.array([func(text) for text in self.uniques], dtype=otype)


def text(raw: pd.Series, *, max_length: int) -> Converted:
    distinct = Distinct.of(raw)
    too_long = np.append(distinct.per_unique(lambda value: len(value) > max_length, otype=bool), False)
    values = distinct.values()
    return Converted(values, distinct.empty, [
        Problem(too_long[distinct.codes], lambda row: Message(TOO_LONG, value=values[row], limit=max_length)),
    ])


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


def _count_text_path(raw: np.ndarray, rows: np.ndarray, out: np.ndarray, empty: np.ndarray) -> list[Problem]:
    """Classify the cells at `rows` that are not plain whole numbers: "1,234" is fine, the rest are errors."""
    texts = pd.Series([_number_text(value) for value in raw[rows]], dtype=object)
    is_empty = (texts == "").to_numpy()
    whole = texts.str.fullmatch(_WHOLE).to_numpy() & ~is_empty
    digits = texts.str.replace(",", "", regex=False).str.replace(r"\.0+$", "", regex=True)
    fits = whole & (digits.str.len() <= _MAX_DIGITS).to_numpy()
    out[rows[fits]] = digits[fits].astype(np.int64).to_numpy()
    empty[rows[is_empty]] = True
    negative = texts.str.fullmatch(_NEGATIVE).to_numpy()
    decimal = texts.str.fullmatch(_DECIMAL).to_numpy()
    kinds = (
        (whole & ~fits, TOO_LARGE),
        (negative, NEGATIVE),
        (decimal & ~negative & ~whole, DECIMAL),
        (~(is_empty | whole | negative | decimal), NOT_A_NUMBER),
    )
    problems = []
    for kind_mask, template in kinds:
        mask = np.zeros(len(out), dtype=bool)
        mask[rows[kind_mask]] = True
        problems.append(Problem(mask, lambda row, template=template: Message(template, value=_number_text(raw[row]))))
    return problems


def count(raw: pd.Series) -> Converted:
    """Whole non-negative numbers, "1,234" allowed. Empty cells are flagged in `empty` (value 0).

    "12.0" counts as 12: spreadsheet exports write whole numbers that way, and the CSV parser cannot
    tell "12.0" from "12" anyway. "1.5", "-3", "abc" and numbers past 18 digits are rejected.

    Hot path: the CSV parser already read the chunk's column as int64 (only negatives to check) or
    float64 (empties, decimals). Only cells that are not plain whole numbers take the text path.
    """
    values = raw.to_numpy()
    out = np.zeros(len(values), dtype=np.int64)
    empty = np.zeros(len(values), dtype=bool)
    if values.dtype.kind in "iu":
        numbers = values
        # uint64 only appears for values beyond int64, which are too large anyway.
        plain = (values <= np.iinfo(np.int64).max) if values.dtype.kind == "u" else values >= 0
    else:
        numbers = values if values.dtype.kind == "f" else pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            plain = (numbers >= 0) & (numbers < _EXACT_FLOAT) & (np.floor(numbers) == numbers)
        if values.dtype.kind != "f":
            # Text cells such as "1e3" or "12.0" convert to whole floats; only digits count as whole numbers.
            plain &= pd.Series(values).astype(str).str.fullmatch(r"\s*\d+(?:\.0+)?\s*").to_numpy()
    out[plain] = numbers[plain].astype(np.int64)
    rows = np.flatnonzero(~plain)
    problems = _count_text_path(values, rows, out, empty) if len(rows) else []
    return Converted(out, empty, problems)


def metric(raw: pd.Series) -> Converted:
    """An extra column: any number (sign and fraction allowed, "1,234.5" too); NaN where empty."""
    values = raw.to_numpy()
    if values.dtype.kind in "iuf":
        numbers = values.astype(float)
        return Converted(numbers, np.isnan(numbers))
    texts = pd.Series([_number_text(value) for value in values], dtype=object)
    empty = (texts == "").to_numpy()
    good = texts.str.fullmatch(_METRIC).to_numpy()
    numbers = np.full(len(values), np.nan)
    numbers[good] = texts[good].str.replace(",", "", regex=False).astype(float).to_numpy()
    bad = ~(good | empty)
    return Converted(numbers, empty, [Problem(bad, lambda row: Message(METRIC_NOT_A_NUMBER, value=texts[row]))])


def _parse_date(value: str) -> np.datetime64:
    match = _DATE.match(value)
    try:
        return np.datetime64(date(int(match[1]), int(match[2]), int(match[3])), "D") if match else np.datetime64("NaT")
    except ValueError:
        return np.datetime64("NaT")


def dates(raw: pd.Series) -> Converted:
    """Optional dates (YYYY-MM-DD, also with / or .); NaT where empty."""
    distinct = Distinct.of(raw)
    parsed = np.append(distinct.per_unique(_parse_date, otype="datetime64[D]"), np.datetime64("NaT"))
    values = parsed[distinct.codes]
    texts = distinct.values()
    bad = np.isnat(values) & ~distinct.empty
    return Converted(values, distinct.empty, [Problem(bad, lambda row: Message(BAD_DATE, value=texts[row]))])


def admin_codes(raw: pd.Series) -> Converted:
    converted = text(raw, max_length=6)
    bad = ~converted.empty & ~pd.Series(converted.values).str.fullmatch(r"\d{6}").to_numpy()
    converted.problems = [Problem(bad, lambda row: Message(BAD_ADMIN_CODE, value=converted.values[row]))]
    return converted


class PeriodMessage:
    """The message of a bad period text, worded by parse_period itself in the language active when rendered."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        try:
            parse_period(self.text)
        except PeriodError as error:
            return str(error)
        return self.text


def periods(raw: pd.Series, *, cache: dict[str, tuple | None]) -> Converted:
    """Start dates as values, end dates as ends. Each distinct text is parsed once (cached across chunks)."""
    distinct = Distinct.of(raw)

    def bounds(value: str) -> tuple | None:
        if value not in cache:
            try:
                period = parse_period(value)
                cache[value] = (np.datetime64(period.start, "D"), np.datetime64(period.end, "D"))
            except PeriodError:
                cache[value] = None
        return cache[value]

    parsed = [bounds(value) for value in distinct.uniques]
    not_a_time = np.datetime64("NaT")
    starts = np.array([p[0] if p else not_a_time for p in parsed] + [not_a_time], dtype="datetime64[D]")
    ends = np.array([p[1] if p else not_a_time for p in parsed] + [not_a_time], dtype="datetime64[D]")
    bad = np.append(np.array([p is None for p in parsed], dtype=bool), False)[distinct.codes]
    texts = distinct.values()
    return Converted(starts[distinct.codes], distinct.empty, [Problem(bad, lambda row: PeriodMessage(texts[row]))],
                     ends=ends[distinct.codes])
