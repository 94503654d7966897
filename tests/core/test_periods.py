"""core.periods: every accepted period form, the rejections, and labels that parse back."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.periods import Period, PeriodError, PeriodKind, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2012-03", date(2012, 3, 1), date(2012, 3, 31)),
        ("2012-3", date(2012, 3, 1), date(2012, 3, 31)),
        ("2012-02", date(2012, 2, 1), date(2012, 2, 29)),  # a leap year
        ("2013-02", date(2013, 2, 1), date(2013, 2, 28)),
        (" 2012-12 ", date(2012, 12, 1), date(2012, 12, 31)),
        ("2012年3月", date(2012, 3, 1), date(2012, 3, 31)),
    ],
)
def test_a_month_runs_from_its_first_to_its_last_day(text: str, start: date, end: date) -> None:
    assert parse_period(text) == Period(start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2012-Q1", date(2012, 1, 1), date(2012, 3, 31)),
        ("2012-q3", date(2012, 7, 1), date(2012, 9, 30)),
        ("2012Q4", date(2012, 10, 1), date(2012, 12, 31)),
        ("2012年第2季度", date(2012, 4, 1), date(2012, 6, 30)),
    ],
)
def test_a_quarter_covers_three_whole_months(text: str, start: date, end: date) -> None:
    assert parse_period(text) == Period(start, end)


@pytest.mark.parametrize("text", ["2012", "2012年"])
def test_a_year_runs_from_january_first_to_december_31st(text: str) -> None:
    assert parse_period(text) == Period(date(2012, 1, 1), date(2012, 12, 31))


@pytest.mark.parametrize(
    ("text", "monday", "sunday"),
    [
        # 1 January 2012 was a Sunday, so ISO week 1 of 2012 starts on Monday 2 January.
        ("2012-W05", date(2012, 1, 30), date(2012, 2, 5)),
        ("2012W05", date(2012, 1, 30), date(2012, 2, 5)),
        # 1 January 2013 was a Tuesday: week 1 of 2013 starts in 2012.
        ("2013-W01", date(2012, 12, 31), date(2013, 1, 6)),
        # 2015 and 2020 began on a Thursday/Wednesday of a leap year and have 53 ISO weeks; week 53 ends in January.
        ("2015-W53", date(2015, 12, 28), date(2016, 1, 3)),
        ("2020-W53", date(2020, 12, 28), date(2021, 1, 3)),
    ],
)
def test_an_iso_week_runs_from_monday_to_sunday(text: str, monday: date, sunday: date) -> None:
    assert parse_period(text) == Period(monday, sunday)


@pytest.mark.parametrize("text", ["2012-01-01/2012-01-15", "2012-01-01 ~ 2012-01-15", "2012-01-01至2012-01-15"])
def test_a_date_range_includes_both_ends(text: str) -> None:
    period = parse_period(text)
    assert period == Period(date(2012, 1, 1), date(2012, 1, 15))
    assert period.days == 15


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the period is empty"),
        (None, "the period is empty"),
        ("2012-13", "month out of range in period “2012-13”"),
        ("2012-00", "month out of range in period “2012-00”"),
        ("1999-01", "year out of range in period “1999-01”"),
        ("2101", "year out of range in period “2101”"),
        ("2021-W53", "week out of range in period “2021-W53”"),  # 2021 has only 52 ISO weeks
        ("2012-02-30/2012-03-01", "“2012-02-30/2012-03-01” contains a date that does not exist"),
        ("2012-03-01/2012-02-01", "the period “2012-03-01/2012-02-01” ends before it starts"),
        ("2012-Q5", "“2012-Q5” is not a period; use YYYY-MM, YYYY-Qn, YYYY, YYYY-Www, YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD"),
        ("March 2012", "“March 2012” is not a period; use YYYY-MM, YYYY-Qn, YYYY, YYYY-Www, YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD"),
    ],
)
def test_a_bad_period_is_rejected_with_a_message_naming_the_problem(text: str | None, message: str) -> None:
    with translation.override("en"):
        with pytest.raises(PeriodError) as raised:
            parse_period(text)
        assert str(raised.value) == message


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (Period(date(2012, 1, 1), date(2012, 12, 31)), "2012"),
        (Period(date(2012, 4, 1), date(2012, 6, 30)), "2012-Q2"),
        (Period(date(2012, 2, 1), date(2012, 2, 29)), "2012-02"),
        (Period(date(2015, 12, 28), date(2016, 1, 3)), "2015-W53"),
        (Period(date(2012, 1, 1), date(2012, 1, 15)), "2012-01-01/2012-01-15"),
        (Period(date(2012, 3, 5), date(2012, 3, 5)), "2012-03-05"),
    ],
)
def test_a_period_is_labelled_by_its_shortest_form(period: Period, label: str) -> None:
    assert period.label == label
    assert parse_period(label) == period


@given(start=st.dates(date(2000, 1, 1), date(2099, 12, 31)), days=st.integers(0, 800))
def test_every_label_parses_back_to_its_period(start: date, days: int) -> None:
    period = Period(start, min(start + timedelta(days=days), date(2100, 12, 31)))
    assert parse_period(period.label) == period


def test_a_period_contains_the_periods_inside_it() -> None:
    year = parse_period("2012")
    assert year.contains(parse_period("2012-Q4"))
    assert not year.contains(parse_period("2013-W01"))  # starts on 31 December 2012, ends in 2013


@pytest.mark.parametrize(
    ("period", "kind"),
    [
        (Period(date(2012, 1, 1), date(2012, 12, 31)), PeriodKind.YEAR),
        (Period(date(2012, 1, 1), date(2012, 6, 30)), PeriodKind.HALF),
        (Period(date(2012, 7, 1), date(2012, 12, 31)), PeriodKind.HALF),
        (Period(date(2012, 4, 1), date(2012, 6, 30)), PeriodKind.QUARTER),
        (Period(date(2012, 2, 1), date(2012, 2, 29)), PeriodKind.MONTH),  # a leap year's February
        (Period(date(2013, 2, 1), date(2013, 2, 28)), PeriodKind.MONTH),
        (Period(date(2015, 12, 28), date(2016, 1, 3)), PeriodKind.WEEK),  # ISO week 53 of 2015
        (Period(date(2012, 3, 1), date(2012, 3, 1)), PeriodKind.DAY),
        # Not a named kind: a month that starts mid-month, two months, a quarter that starts in February,
        # a week that starts on a Sunday, a year that starts in July, February without its last day.
        (Period(date(2012, 1, 15), date(2012, 2, 14)), PeriodKind.RANGE),
        (Period(date(2012, 1, 1), date(2012, 2, 29)), PeriodKind.RANGE),
        (Period(date(2012, 2, 1), date(2012, 4, 30)), PeriodKind.RANGE),
        (Period(date(2012, 1, 1), date(2012, 1, 7)), PeriodKind.RANGE),
        (Period(date(2012, 7, 1), date(2013, 6, 30)), PeriodKind.RANGE),
        (Period(date(2012, 2, 1), date(2012, 2, 28)), PeriodKind.RANGE),
    ],
)
def test_a_period_knows_its_kind_from_its_dates(period: Period, kind: PeriodKind) -> None:
    assert period.kind == kind


@pytest.mark.parametrize(
    ("text", "previous"),
    [
        ("2012", Period(date(2011, 1, 1), date(2011, 12, 31))),
        ("2012-Q1", Period(date(2011, 10, 1), date(2011, 12, 31))),  # across the year boundary
        ("2012-Q3", Period(date(2012, 4, 1), date(2012, 6, 30))),
        ("2012-01", Period(date(2011, 12, 1), date(2011, 12, 31))),
        ("2012-03", Period(date(2012, 2, 1), date(2012, 2, 29))),  # leap February
        ("2013-03", Period(date(2013, 2, 1), date(2013, 2, 28))),
        ("2012-W01", Period(date(2011, 12, 26), date(2012, 1, 1))),  # the last ISO week of 2011
        ("2016-W01", Period(date(2015, 12, 28), date(2016, 1, 3))),  # 2015 has 53 weeks
        ("2012-03-01/2012-03-01", Period(date(2012, 2, 29), date(2012, 2, 29))),  # a day: the day before
        ("2012-01-01/2012-01-15", Period(date(2011, 12, 17), date(2011, 12, 31))),  # 15 days: the 15 before
    ],
)
def test_the_previous_period_is_the_one_of_the_same_kind_just_before(text: str, previous: Period) -> None:
    period = parse_period(text)
    assert period.previous() == previous
    assert period.previous().kind == period.kind


@pytest.mark.parametrize(
    ("half", "previous"),
    [
        (Period(date(2012, 1, 1), date(2012, 6, 30)), Period(date(2011, 7, 1), date(2011, 12, 31))),
        (Period(date(2012, 7, 1), date(2012, 12, 31)), Period(date(2012, 1, 1), date(2012, 6, 30))),
    ],
)
def test_the_half_before_a_half_is_a_half_even_when_their_lengths_differ(half: Period, previous: Period) -> None:
    assert half.previous() == previous
    assert half.is_like(previous) and half.days != previous.days


def test_periods_are_alike_by_kind_and_other_ranges_only_when_equally_long() -> None:
    assert parse_period("2012-02").is_like(parse_period("2012-03"))
    assert not parse_period("2012-03").is_like(parse_period("2012-Q1"))
    assert parse_period("2012-01-01/2012-01-10").is_like(parse_period("2012-02-05/2012-02-14"))
    assert not parse_period("2012-01-01/2012-01-10").is_like(parse_period("2012-01-01/2012-01-11"))


@given(start=st.dates(date(2001, 1, 1), date(2099, 12, 31)), days=st.integers(0, 800))
def test_the_previous_period_ends_the_day_before_and_is_of_the_same_kind(start: date, days: int) -> None:
    period = Period(start, min(start + timedelta(days=days), date(2100, 12, 31)))
    previous = period.previous()
    assert previous.end == period.start - timedelta(days=1)
    if period.kind == PeriodKind.RANGE:
        # The N days before a range of N days may happen to be a calendar month (2001-02-01/2001-03-03
        # comes after January 2001, found by Hypothesis): equally long is the promise, not a range.
        assert previous.days == period.days
    else:
        assert previous.is_like(period)


def test_the_days_before_a_range_may_be_a_calendar_month() -> None:
    period = parse_period("2001-02-01/2001-03-03")
    assert period.previous() == parse_period("2001-01")
    assert period.previous().days == period.days == 31


@pytest.mark.parametrize("text", ["2012-03-05", "2012-3-5", "2012年3月5日", "2012-03-05/2012-03-05"])
def test_a_day_is_one_of_the_accepted_forms_for_daily_exports(text: str) -> None:
    period = parse_period(text)

    assert period == Period(date(2012, 3, 5), date(2012, 3, 5))
    assert (period.kind, period.label, period.previous().label) == (PeriodKind.DAY, "2012-03-05", "2012-03-04")


def test_a_day_that_does_not_exist_is_refused_as_such() -> None:
    with translation.override("en"), pytest.raises(PeriodError) as raised:
        parse_period("2013-02-29")
    assert str(raised.value) == "“2013-02-29” contains a date that does not exist"
