"""Every way an import file is rejected: its message, line and column, and that nothing is written."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import translation

from accounts.models import Snapshot
from accounts.services import snapshots_import
from core.tables.errors import ImportFailed
from tests.factories import IMPORT_HEADER, import_csv_text, import_row, rejected, write_import_xlsx

pytestmark = pytest.mark.django_db

CATEGORIES = "police (公安), traffic (交警), press (发布), youth (团委), tourism (旅游), other (其他)"


def rows_text(*rows: dict) -> str:
    return import_csv_text(list(rows), IMPORT_HEADER)


def test_an_empty_file_is_rejected(tmp_path: Path) -> None:
    assert rejected(tmp_path, "") == ["the file is empty"]
    assert rejected(tmp_path, "\n  \n") == ["the file is empty"]


def test_a_file_with_only_a_header_is_rejected(tmp_path: Path) -> None:
    header = ",".join(IMPORT_HEADER)
    assert rejected(tmp_path, header + "\n") == ["the file has a header but no data rows"]
    assert rejected(tmp_path, header + "\n,,,,,,,,,,,,,\n\n") == ["the file has a header but no data rows"]


def test_each_missing_required_column_is_named_with_its_accepted_headers(tmp_path: Path) -> None:
    header = [column for column in IMPORT_HEADER if column not in {"fans", "replies"}]
    assert rejected(tmp_path, import_csv_text([import_row()], header)) == [
        "line 1: the required column “fans” is missing; accepted headers for it: fans, 粉丝数, 粉丝量, 粉丝",
        "line 1: the required column “replies” is missing; accepted headers for it: replies, 回复数, 回复量",
    ]


def test_a_column_given_twice_is_rejected(tmp_path: Path) -> None:
    text = import_csv_text([import_row(粉丝数=5)], [*IMPORT_HEADER, "粉丝数"])
    assert rejected(tmp_path, text) == [
        "line 1, column 粉丝数: this column and column “fans” both give “fans”; keep only one of them",
    ]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("category", "警察局", f"“警察局” is not a known category; use one of: {CATEGORIES}"),
        ("level", "省", "“省” is not a known level; use one of: city (市), county (县), township (乡镇)"),
        ("platform", "抖音", "“抖音” is not a known platform; use one of: sina (新浪), tencent (腾讯)"),
        ("fans", "-3", "“-3” is negative; counts must be 0 or more"),
        ("likes", "abc", "“abc” is not a number; counts are whole numbers such as 1234 or 1,234"),
        ("posts", "1.5", "“1.5” is not a whole number; counts cannot have a fractional part"),
        ("reposts", "12345678901234567890", "“12345678901234567890” is too large for a count"),
        ("comments", "", "this cell is empty; a value is required"),
        ("account", " ", "this cell is empty; a value is required"),
        ("period", "2012-13", "month out of range in period “2012-13”"),
        ("period", "March 2012",
         "“March 2012” is not a period; use YYYY-MM, YYYY-Qn, YYYY, YYYY-Www, YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD"),
        ("account", "长" * 129, f"“{'长' * 50}…” is longer than 128 characters"),  # quoted cut at 50
    ],
)
def test_a_bad_cell_is_reported_at_its_line_and_column(tmp_path: Path, column: str, value: str, message: str) -> None:
    text = rows_text(import_row(period="2012-01"), import_row(**{column: value}))
    assert rejected(tmp_path, text) == [f"line 3, column {column}: {message}"]


def test_a_count_is_checked_even_when_the_rest_of_its_column_is_numeric(tmp_path: Path) -> None:
    # A decimal among whole numbers is rejected (counts are judged as text, whatever their neighbours).
    rows = [import_row(period=f"2012-{month:02d}", fans=month * 10) for month in range(1, 12)]
    rows.append(import_row(period="2012-12", fans="7.5"))
    assert rejected(tmp_path, rows_text(*rows)) == [
        "line 13, column fans: “7.5” is not a whole number; counts cannot have a fractional part",
    ]


def test_original_posts_above_posts_are_rejected(tmp_path: Path) -> None:
    text = rows_text(import_row(posts=5, original_posts=6))
    assert rejected(tmp_path, text) == ["line 2, column original_posts: original posts (6) are more than posts (5)"]


def test_original_posts_above_posts_are_reported_even_when_the_row_has_other_problems(tmp_path: Path) -> None:
    text = rows_text(import_row(posts=5, original_posts=6, fans=-1), import_row(account="B", posts="x", original_posts=9))
    assert rejected(tmp_path, text) == [
        "line 2, column fans: “-1” is negative; counts must be 0 or more",
        "line 2, column original_posts: original posts (6) are more than posts (5)",
        "line 3, column posts: “x” is not a number; counts are whole numbers such as 1234 or 1,234",
    ]


def test_a_repeated_account_and_period_names_both_lines(tmp_path: Path) -> None:
    text = rows_text(import_row(period="2012-03"), import_row(period="2012-04"), import_row(period="2012年3月"))
    assert rejected(tmp_path, text) == [
        ("line 4, column period: the account “长沙警事” already has a row for the period 2012-03 on line 2; "
         "an account has one row per period"),
    ]


def test_a_repeat_is_found_across_chunks(tmp_path: Path) -> None:
    rows = [import_row(period=f"2012-{month:02d}") for month in range(1, 6)] + [import_row(period="2012-02")]
    assert rejected(tmp_path, rows_text(*rows), chunk_rows=2) == [
        ("line 7, column period: the account “长沙警事” already has a row for the period 2012-02 on line 3; "
         "an account has one row per period"),
    ]


@pytest.mark.parametrize(
    ("change", "column", "value", "first"),
    [
        ({"city": "株洲"}, "city", "湖南 株洲", "湖南 长沙"),
        ({"category": "交警"}, "category", "traffic", "police"),
        ({"level": "county"}, "level", "county", "city"),
    ],
)
def test_an_account_with_two_cities_categories_or_levels_is_rejected(
    tmp_path: Path, change: dict, column: str, value: str, first: str
) -> None:
    rows = [import_row(period="2012-01"), import_row(period="2012-02"), import_row(period="2012-03", **change)]
    expected = (f"line 4, column {column}: the account “长沙警事” has {column} “{value}” here but “{first}” on "
                "line 2; an account has one city, category and level in a file")
    assert rejected(tmp_path, rows_text(*rows)) == [expected]
    assert rejected(tmp_path, rows_text(*rows), chunk_rows=1) == [expected]


def test_a_row_with_more_values_than_the_header_is_rejected(tmp_path: Path) -> None:
    extra_row = "长沙,湖南,x,sina,police,city,2012-04,1,1,1,1,1,1,1,9,9\n"
    text = rows_text(import_row(period="2012-01"), import_row(period="2012-02")) + extra_row
    assert rejected(tmp_path, text) == ["line 4: this row has 16 values but the header has 14 columns"]


def test_a_first_row_with_more_values_than_the_header_is_rejected(tmp_path: Path) -> None:
    text = ",".join(IMPORT_HEADER) + "\n" + "长沙,湖南,x,sina,police,city,2012-04,1,1,1,1,1,1,1,9,9\n"
    assert rejected(tmp_path, text) == ["line 2: this row has 16 values but the header has 14 columns"]


def test_an_xlsx_row_with_values_beyond_the_header_is_rejected(tmp_path: Path) -> None:
    path = write_import_xlsx(tmp_path / "a.xlsx", [IMPORT_HEADER, [*import_row().values()],
                                                   [*import_row(period="2012-04").values(), "surplus"]])
    with pytest.raises(ImportFailed) as raised:
        snapshots_import(source=path)
    with translation.override("en"):
        assert raised.value.lines() == ["line 3: this row has 15 values but the header has 14 columns"]
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (datetime(2012, 3, 15), "the cell holds the date 2012-03-15, not a period (Excel turns a typed period "
         "into a date); format the column as Text and type the period, e.g. 2012-03 or 2012-03-01/2012-03-31"),
        (datetime(2012, 3, 1, 8, 30), "the cell holds the date 2012-03-01 08:30:00, not a period (Excel turns a "
         "typed period into a date); format the column as Text and type the period, e.g. 2012-03 or "
         "2012-03-01/2012-03-31"),
        (datetime(1999, 12, 1), "year out of range in period “1999-12”"),
        # Typed text stays text: a typed day is a day (the daily form), so one that does not exist is refused.
        ("2012-02-30", "“2012-02-30” contains a date that does not exist"),
    ],
    ids=["mid-month", "with-a-time", "year-out-of-range", "typed-day"],
)
def test_an_xlsx_period_date_cell_that_names_no_month_is_rejected(tmp_path: Path, cell: object, message: str) -> None:
    path = write_import_xlsx(tmp_path / "a.xlsx", [IMPORT_HEADER, [*import_row(period=cell).values()]])
    with pytest.raises(ImportFailed) as raised:
        snapshots_import(source=path)
    with translation.override("en"):
        assert raised.value.lines() == [f"line 2, column period: {message}"]
    assert not Snapshot.objects.exists()


def test_an_xlsx_date_cell_in_a_count_column_is_not_a_number(tmp_path: Path) -> None:
    path = write_import_xlsx(tmp_path / "a.xlsx", [IMPORT_HEADER, [*import_row(fans=date(2012, 3, 1)).values()]])
    with pytest.raises(ImportFailed) as raised:
        snapshots_import(source=path)
    with translation.override("en"):
        assert raised.value.lines() == [
            "line 2, column fans: “2012-03-01” is not a number; counts are whole numbers such as 1234 or 1,234"]


def test_a_value_under_no_header_is_rejected(tmp_path: Path) -> None:
    text = ",".join(IMPORT_HEADER) + ",\n" + "长沙,湖南,长沙警事,sina,police,city,2012-03,1,1,1,1,1,1,1,5\n"
    assert rejected(tmp_path, text) == [
        "line 2: column 15 has values but no header",
    ]


def test_an_extra_column_must_hold_numbers(tmp_path: Path) -> None:
    text = import_csv_text([import_row(备注="good", 得分="1.5")], [*IMPORT_HEADER, "得分", "备注"])
    assert rejected(tmp_path, text) == [
        ("line 2, column 备注: “good” is not a number; extra columns are kept as custom metrics and must hold "
         "numbers (remove the column to leave it out)"),
    ]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("opened_on", "2012-02-30", "“2012-02-30” is not a date; write dates as YYYY-MM-DD"),
        ("last_post_on", "yesterday", "“yesterday” is not a date; write dates as YYYY-MM-DD"),
        ("admin_code", "43010", "“43010” is not an administrative code; it has exactly 6 digits"),
        ("verified", "maybe", "“maybe” is not a known verified value; use one of: True (true), False (false)"),
        ("city_level", "省会城市x", ("“省会城市x” is not a known city level; use one of: municipality (直辖市), "
                                  "sub_provincial (副省级), prefecture (地级市), county (县级市)")),
        ("original_reposts", "-1", "“-1” is negative; counts must be 0 or more"),
    ],
)
def test_a_bad_optional_cell_is_rejected(tmp_path: Path, column: str, value: str, message: str) -> None:
    text = import_csv_text([import_row(**{column: value})], [*IMPORT_HEADER, column])
    assert rejected(tmp_path, text) == [f"line 2, column {column}: {message}"]


def test_a_file_that_is_not_csv_or_xlsx_is_rejected(tmp_path: Path) -> None:
    assert rejected(tmp_path, "whatever", name="snapshots.pdf") == ["“snapshots.pdf” is neither a .csv nor an .xlsx file"]


def test_problems_are_listed_by_line_in_column_order(tmp_path: Path) -> None:
    text = rows_text(import_row(period="2012-01", fans="-1", replies="x"), import_row(period="bad", likes="1.2"))
    assert [line.split(":")[0] for line in rejected(tmp_path, text)] == [
        "line 2, column fans", "line 2, column replies", "line 3, column period", "line 3, column likes",
    ]


def test_only_the_first_thousand_problems_are_kept_and_the_rest_counted(tmp_path: Path) -> None:
    rows = [import_row(account=f"账号{n}", fans="-1") for n in range(1500)]
    problems = rejected(tmp_path, rows_text(*rows))
    assert len(problems) == 1001
    assert problems[0] == "line 2, column fans: “-1” is negative; counts must be 0 or more"
    assert problems[999].startswith("line 1001, column fans:")
    assert problems[-1] == "… and 500 more problem(s)"


def test_a_problem_is_worded_in_the_language_active_when_it_is_shown(tmp_path: Path) -> None:
    path = tmp_path / "snapshots.csv"
    path.write_text(rows_text(import_row(fans="-3")), encoding="utf-8")
    with translation.override("zh-hans"), pytest.raises(ImportFailed) as raised:
        snapshots_import(source=path)
    with translation.override("en"):
        assert str(raised.value.errors[0]) == "line 2, column fans: “-3” is negative; counts must be 0 or more"
        assert raised.value.summary() == "The file was rejected with 1 problem(s); nothing was imported."
