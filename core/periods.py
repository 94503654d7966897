"""Reporting periods: parsing the period formats users type, and naming a period back.

Accepted forms (the import's `period` column, and the PERIOD argument of the commands):

    YYYY-MM                  a month           2012-03     (also 2012年3月)
    YYYY-Qn                  a quarter         2012-Q1     (also 2012Q1, 2012年第1季度)
    YYYY                     a year            2012        (also 2012年)
    YYYY-Www                 an ISO week       2012-W05
    YYYY-MM-DD               a day             2012-03-05  (also 2012年3月5日): daily exports (日榜)
    YYYY-MM-DD/YYYY-MM-DD    any date range    2012-01-01/2012-01-15, both ends inclusive

A Period knows its kind (year, half, quarter, month, ISO week, day, or any other range of days) from
its dates, and the period of the same kind just before it. Halves have no short text form: their label
is the date range.

This module imports no Django models so that scoring code can use it too.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class PeriodError(ValueError):
    """A period text that is not one of the accepted forms. str(error) is a translated message."""


_MONTH = re.compile(r"^(\d{4})(?:-|年)(\d{1,2})月?$")
_QUARTER = re.compile(r"^(\d{4})(?:-?Q|年第)([1-4])(?:季度)?$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})年?$")
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})-(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:/|~|至)\s*(\d{4}-\d{2}-\d{2})$")

MIN_YEAR, MAX_YEAR = 2000, 2100


class PeriodKind(StrEnum):
    """What kind of period a Period is, read from its dates (never from its label)."""

    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"
    WEEK = "week"  # an ISO week, Monday to Sunday
    DAY = "day"
    RANGE = "range"  # any other run of days


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    # Constructors of the named kinds: the parser and Period.previous build periods only through these.
    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def of_half(cls, year: int, half: int) -> Period:
        return cls.of_months(year, 6 * (half - 1) + 1, 6)

    @classmethod
    def of_quarter(cls, year: int, quarter: int) -> Period:
        return cls.of_months(year, 3 * (quarter - 1) + 1, 3)

    @classmethod
    def of_month(cls, year: int, month: int) -> Period:
        return cls.of_months(year, month, 1)

    @classmethod
    def of_months(cls, year: int, first_month: int, count: int) -> Period:
        return cls(date(year, first_month, 1), _month_end(year, first_month + count - 1))

    @classmethod
    def of_day(cls, day: date) -> Period:
        return cls(day, day)

    @classmethod
    def of_week(cls, year: int, week: int) -> Period:
        """ISO week `week` of ISO year `year`. Raises ValueError for a week the year does not have."""
        monday = date.fromisocalendar(year, week, 1)
        return cls(monday, monday + timedelta(days=6))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def kind(self) -> PeriodKind:
        start, end = self.start, self.end
        if start == end:
            return PeriodKind.DAY
        if start.day == 1:
            months = (end.year - start.year) * 12 + end.month - start.month + 1
            if end == _month_end(end.year, end.month) and start.year == end.year:
                for kind, length in _MONTH_KINDS:
                    if months == length and (start.month - 1) % length == 0:
                        return kind
        if start.isoweekday() == 1 and self.days == 7:
            return PeriodKind.WEEK
        return PeriodKind.RANGE

    def previous(self) -> Period:
        """The period of the same kind just before this one (March 2012 → February 2012, 2012-Q1 →
        2011-Q4, 2012-W01 → 2011-W52); a range of N days → the N days before it."""
        kind, start = self.kind, self.start
        if kind in _MONTH_LENGTHS:
            length = _MONTH_LENGTHS[kind]
            year, first_month = (start.year, start.month - length) if start.month > length \
                else (start.year - 1, start.month - length + 12)
            return Period.of_months(year, first_month, length)
        return Period(start - timedelta(days=self.days), start - timedelta(days=1))

    def is_like(self, other: Period) -> bool:
        """Of the same kind (a month and a month …); two other ranges are alike when equally long."""
        return self.kind == other.kind and (self.kind != PeriodKind.RANGE or self.days == other.days)

    @property
    def label(self) -> str:
        """The shortest accepted text that names this period (parse(p.label) == p)."""
        kind, start = self.kind, self.start
        if kind == PeriodKind.YEAR:
            return f"{start.year}"
        if kind == PeriodKind.QUARTER:
            return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        if kind == PeriodKind.MONTH:
            return f"{start.year}-{start.month:02d}"
        if kind == PeriodKind.WEEK:
            iso_year, iso_week, _weekday = start.isocalendar()
            return f"{iso_year}-W{iso_week:02d}"
        if kind == PeriodKind.DAY:
            return start.isoformat()
        return f"{start.isoformat()}/{self.end.isoformat()}"

    def __str__(self) -> str:
        return self.label


# Kinds made of whole calendar months, with their length in months, longest first.
_MONTH_KINDS = ((PeriodKind.YEAR, 12), (PeriodKind.HALF, 6), (PeriodKind.QUARTER, 3), (PeriodKind.MONTH, 1))
_MONTH_LENGTHS = dict(_MONTH_KINDS)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(_("year out of range in period “%(text)s”") % {"text": text})


def parse_period(text: object) -> Period:
    """Parse one period text. Raises PeriodError with a translated message."""
    raw = "" if text is None else str(text).strip()
    if not raw:
        raise PeriodError(_("the period is empty"))
    if match := _RANGE.match(raw):
        try:
            start, end = date.fromisoformat(match[1]), date.fromisoformat(match[2])
        except ValueError:
            raise PeriodError(_("“%(text)s” contains a date that does not exist") % {"text": raw}) from None
        _check_year(start.year, raw)
        _check_year(end.year, raw)
        if end < start:
            raise PeriodError(_("the period “%(text)s” ends before it starts") % {"text": raw})
        return Period(start, end)
    if match := _DAY.match(raw):
        year, month, day = int(match[1]), int(match[2] or match[4]), int(match[3] or match[5])
        _check_year(year, raw)
        try:
            return Period.of_day(date(year, month, day))
        except ValueError:
            raise PeriodError(_("“%(text)s” contains a date that does not exist") % {"text": raw}) from None
    if match := _MONTH.match(raw):
        year, month = int(match[1]), int(match[2])
        _check_year(year, raw)
        if not 1 <= month <= 12:
            raise PeriodError(_("month out of range in period “%(text)s”") % {"text": raw})
        return Period.of_month(year, month)
    if match := _QUARTER.match(raw):
        year, quarter = int(match[1]), int(match[2])
        _check_year(year, raw)
        return Period.of_quarter(year, quarter)
    if match := _WEEK.match(raw):
        year, week = int(match[1]), int(match[2])
        _check_year(year, raw)
        try:
            return Period.of_week(year, week)
        except ValueError:
            raise PeriodError(_("week out of range in period “%(text)s”") % {"text": raw}) from None
    if match := _YEAR.match(raw):
        year = int(match[1])
        _check_year(year, raw)
        return Period.of_year(year)
    raise PeriodError(
        _("“%(text)s” is not a period; use YYYY-MM, YYYY-Qn, YYYY, YYYY-Www, YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD")
        % {"text": raw}
    )
