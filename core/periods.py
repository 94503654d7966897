"""Reporting periods: parsing the period formats users type, and naming a period back.

Accepted forms (the import's `period` column, and the PERIOD argument of the commands):

    YYYY-MM                  a month           2012-03     (also 2012年3月)
    YYYY-Qn                  a quarter         2012-Q1     (also 2012Q1, 2012年第1季度)
    YYYY                     a year            2012        (also 2012年)
    YYYY-Www                 an ISO week       2012-W05
    YYYY-MM-DD/YYYY-MM-DD    any date range    2012-01-01/2012-01-15, both ends inclusive

This module imports no Django models so that scoring code can use it too.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _


class PeriodError(ValueError):
    """A period text that is not one of the accepted forms. str(error) is a translated message."""


_MONTH = re.compile(r"^(\d{4})(?:-|年)(\d{1,2})月?$")
_QUARTER = re.compile(r"^(\d{4})(?:-?Q|年第)([1-4])(?:季度)?$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})年?$")
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:/|~|至)\s*(\d{4}-\d{2}-\d{2})$")

MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def label(self) -> str:
        """The shortest accepted text that names this period (parse(p.label) == p)."""
        start, end = self.start, self.end
        if start.month == 1 and start.day == 1 and end == date(start.year, 12, 31):
            return f"{start.year}"
        if start.day == 1 and start.month % 3 == 1 and end == _month_end(start.year, start.month + 2):
            return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        if start.day == 1 and end == _month_end(start.year, start.month):
            return f"{start.year}-{start.month:02d}"
        iso_year, iso_week, iso_weekday = start.isocalendar()
        if iso_weekday == 1 and self.days == 7:
            return f"{iso_year}-W{iso_week:02d}"
        return f"{start.isoformat()}/{end.isoformat()}"

    def __str__(self) -> str:
        return self.label


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
    if match := _MONTH.match(raw):
        year, month = int(match[1]), int(match[2])
        _check_year(year, raw)
        if not 1 <= month <= 12:
            raise PeriodError(_("month out of range in period “%(text)s”") % {"text": raw})
        return Period(date(year, month, 1), _month_end(year, month))
    if match := _QUARTER.match(raw):
        year, quarter = int(match[1]), int(match[2])
        _check_year(year, raw)
        first_month = 3 * (quarter - 1) + 1
        return Period(date(year, first_month, 1), _month_end(year, first_month + 2))
    if match := _WEEK.match(raw):
        year, week = int(match[1]), int(match[2])
        _check_year(year, raw)
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise PeriodError(_("week out of range in period “%(text)s”") % {"text": raw}) from None
        return Period(monday, monday + timedelta(days=6))
    if match := _YEAR.match(raw):
        year = int(match[1])
        _check_year(year, raw)
        return Period(date(year, 1, 1), date(year, 12, 31))
    raise PeriodError(
        _("“%(text)s” is not a period; use YYYY-MM, YYYY-Qn, YYYY, YYYY-Www or YYYY-MM-DD/YYYY-MM-DD")
        % {"text": raw}
    )
