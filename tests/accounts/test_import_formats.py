"""What an import file may look like: encodings, XLSX, Chinese headers and values, number and period forms."""
from __future__ import annotations

import codecs
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import City, GovAccount, Snapshot, SnapshotImport
from accounts.services import snapshots_import
from core.tables.reading import read_csv
from tests.factories import (
    CHINESE_HEADER,
    IMPORT_HEADER,
    import_csv_text,
    import_row,
    write_import_csv,
    write_import_xlsx,
)

pytestmark = pytest.mark.django_db

CHINESE_ROW = {
    "城市": "长沙", "省份": "湖南", "账号名称": "长沙警事", "平台": "新浪微博", "类别": "公安", "级别": "市",
    "统计周期": "2012年3月", "粉丝量": "510,000", "发博数": 8056, "原创数": 6000, "转发数": 120, "评论数": 80,
    "点赞数": 300, "回复数": 45,
}


def only_snapshot() -> Snapshot:
    return Snapshot.objects.select_related("account__city").get()


def assert_changsha_police(snapshot: Snapshot) -> None:
    account = snapshot.account
    assert (account.screen_name, account.platform, account.category, account.level) == (
        "长沙警事", "sina", "police", "city")
    assert (account.city.name, account.city.province_id) == ("长沙", "湖南")
    assert (snapshot.period_start, snapshot.period_end) == (date(2012, 3, 1), date(2012, 3, 31))
    assert (snapshot.fans, snapshot.posts, snapshot.original_posts, snapshot.reposts, snapshot.comments,
            snapshot.likes, snapshot.replies) == (510_000, 8056, 6000, 120, 80, 300, 45)


def test_a_gb18030_csv_with_chinese_headers_and_values_is_read(tmp_path: Path) -> None:
    path = write_import_csv(tmp_path / "三月.csv", [CHINESE_ROW], encoding="gb18030")
    result = snapshots_import(source=path)
    assert result.encoding == "gb18030"
    assert_changsha_police(only_snapshot())


def test_a_gbk_file_is_read_as_gb18030(tmp_path: Path) -> None:
    path = write_import_csv(tmp_path / "march.csv", [CHINESE_ROW], encoding="gbk")
    assert snapshots_import(source=path).encoding == "gb18030"
    assert_changsha_police(only_snapshot())


def test_a_utf8_csv_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = write_import_csv(tmp_path / "march.csv", [CHINESE_ROW], encoding="utf-8-sig")
    assert snapshots_import(source=path).encoding == "utf-8-sig"
    assert_changsha_police(only_snapshot())


def test_a_plain_utf8_csv_is_read(tmp_path: Path) -> None:
    path = write_import_csv(tmp_path / "march.csv", [CHINESE_ROW])
    assert snapshots_import(source=path).encoding == "utf-8"
    assert_changsha_police(only_snapshot())


def test_an_xlsx_workbook_is_read(tmp_path: Path) -> None:
    path = write_import_xlsx(tmp_path / "march.xlsx", [
        [*CHINESE_HEADER, "开通日期", "情感指数"],
        # Numbers as a spreadsheet stores them: ints, whole floats, a date cell; empty trailing cells.
        ["长沙", "湖南", "长沙警事", "新浪", "公安", "市", "2012-03", 510000, 8056.0, 6000, 120, 80, 300, 45,
         date(2011, 6, 1), 0.75],
        [None] * 16,
    ])
    result = snapshots_import(source=path)
    assert (result.encoding, result.rows) == ("xlsx", 1)
    snapshot = only_snapshot()
    assert_changsha_police(snapshot)
    assert snapshot.account.opened_on == date(2011, 6, 1)
    assert snapshot.custom_metrics == {"情感指数": 0.75}


@pytest.mark.parametrize(
    ("cell", "start", "end"),
    [
        (datetime(2012, 3, 1), date(2012, 3, 1), date(2012, 3, 31)),  # what Excel makes of a typed "2012-03"
        (date(2012, 4, 1), date(2012, 4, 1), date(2012, 4, 30)),
        (2013, date(2013, 1, 1), date(2013, 12, 31)),  # a typed "2013" is a number cell
        (2014.0, date(2014, 1, 1), date(2014, 12, 31)),
    ],
    ids=["datetime", "date", "int", "float"],
)
def test_an_xlsx_period_stored_as_a_date_on_the_first_or_as_a_number_is_read(
    tmp_path: Path, cell: object, start: date, end: date
) -> None:
    path = write_import_xlsx(tmp_path / "a.xlsx", [IMPORT_HEADER, list(import_row(period=cell).values())])
    snapshots_import(source=path)
    snapshot = Snapshot.objects.get()
    assert (snapshot.period_start, snapshot.period_end) == (start, end)


def test_xlsx_date_cells_and_period_texts_for_the_same_month_are_one_period(tmp_path: Path) -> None:
    path = write_import_xlsx(tmp_path / "a.xlsx", [
        IMPORT_HEADER,
        list(import_row(period=datetime(2012, 3, 1)).values()),
        list(import_row(period="2012-03", account="长沙发布").values()),
        list(import_row(period="2012-04").values()),
    ])
    assert snapshots_import(source=path).rows == 3
    assert sorted(Snapshot.objects.values_list("account__screen_name", "period_start", "period_end")) == [
        ("长沙发布", date(2012, 3, 1), date(2012, 3, 31)),
        ("长沙警事", date(2012, 3, 1), date(2012, 3, 31)),
        ("长沙警事", date(2012, 4, 1), date(2012, 4, 30)),
    ]


def test_xlsx_date_cells_are_read_as_dates_and_a_time_of_day_is_dropped(tmp_path: Path) -> None:
    header = [*IMPORT_HEADER, "opened_on", "last_post_on"]
    path = write_import_xlsx(tmp_path / "a.xlsx", [
        header,
        [*import_row(period="2012-03").values(), datetime(2011, 6, 1), datetime(2012, 3, 30, 14, 5)],
        [*import_row(period="2012-04").values(), date(2011, 6, 1), date(2012, 4, 28)],
    ])
    snapshots_import(source=path)
    assert GovAccount.objects.get().opened_on == date(2011, 6, 1)
    assert list(Snapshot.objects.order_by("period_start").values_list("last_post_on", flat=True)) == [
        date(2012, 3, 30), date(2012, 4, 28)]


def utf16_text(rows: list[list[object]], *, separator: str, line_end: str) -> str:
    """Rows as Excel's "Unicode text" writes them (cells need no quoting here)."""
    return "".join(separator.join(str(cell) for cell in row) + line_end for row in rows)


@pytest.mark.parametrize(
    ("bom", "codec", "separator", "line_end"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "\t", "\r\n"),  # Excel's "Unicode text" on Windows
        (codecs.BOM_UTF16_BE, "utf-16-be", ",", "\n"),
    ],
    ids=["le-tabs-crlf", "be-commas-lf"],
)
def test_a_utf16_file_with_a_byte_order_mark_is_read(
    tmp_path: Path, bom: bytes, codec: str, separator: str, line_end: str
) -> None:
    row = dict(CHINESE_ROW, 粉丝量=510000)  # unquoted: "510,000" would split a comma-separated row
    text = utf16_text([CHINESE_HEADER, [row[column] for column in CHINESE_HEADER]], separator=separator,
                      line_end=line_end)
    (tmp_path / "unicode.txt").write_bytes(bom + text.encode(codec))
    assert snapshots_import(source=tmp_path / "unicode.txt").encoding == "utf-16"
    assert_changsha_police(only_snapshot())


def test_a_utf16_file_counts_its_rows_by_characters_not_bytes() -> None:
    # 上 is U+4E0A: in UTF-16 LE one of its bytes is 0x0A, the byte of a line feed.
    text = utf16_text([CHINESE_HEADER, ["上海", "上海", "上海发布", *[1] * 11], ["上海", "上海", "上海公安", *[1] * 11]],
                      separator="\t", line_end="\r\n")
    table = read_csv(io.BytesIO(codecs.BOM_UTF16_LE + text.encode("utf-16-le")))
    assert (table.encoding, table.header[0], table.rows_estimate) == ("utf-16", "城市", 2)


@pytest.mark.parametrize("line_end", ["\r\n", "\r", "\n"], ids=["windows", "old-mac", "unix"])
def test_any_line_ending_is_read_and_the_last_line_needs_none(tmp_path: Path, line_end: str) -> None:
    rows = [import_row(period="2012-03", replies=10), import_row(period="2012-04", replies=11)]
    text = import_csv_text(rows, IMPORT_HEADER).rstrip("\n").replace("\n", line_end)
    (tmp_path / "a.csv").write_bytes(text.encode("gb18030"))
    assert snapshots_import(source=tmp_path / "a.csv").rows == 2
    # The last cell of each line is a number: a stray "\r" would have made it text and been rejected.
    assert list(Snapshot.objects.order_by("period_start").values_list("period_start", "replies")) == [
        (date(2012, 3, 1), 10), (date(2012, 4, 1), 11)]


def test_an_uploaded_file_is_read_from_memory(tmp_path: Path) -> None:
    upload = SimpleUploadedFile("march.csv", import_csv_text([CHINESE_ROW]).encode("gb18030"))
    result = snapshots_import(source=upload, file_name=upload.name, origin=SnapshotImport.Source.UPLOAD)
    assert (result.encoding, result.record.source, result.record.file_name) == ("gb18030", "upload", "march.csv")
    assert_changsha_police(only_snapshot())


def test_an_uploaded_xlsx_is_read_from_a_binary_stream(tmp_path: Path) -> None:
    path = write_import_xlsx(tmp_path / "book.xlsx", [IMPORT_HEADER, list(import_row().values())])
    snapshots_import(source=io.BytesIO(path.read_bytes()), file_name="book.xlsx")
    assert Snapshot.objects.get().fans == 1000


def test_headers_match_whatever_their_case_spacing_and_synonym(tmp_path: Path) -> None:
    header = [" City ", "PROVINCE", "账号", "Platform", "Category", "level", "统计时间", "粉丝数", "发博量",
              "Original Posts", "reposts", "评论量", "点赞数", "回复数"]
    text = import_csv_text([dict(zip(header, import_row(fans="510,000", posts=8056, original_posts=6000, reposts=120,
                                                        comments=80, likes=300, replies=45).values(), strict=True))],
                           header)
    (tmp_path / "march.csv").write_text(text, encoding="utf-8")
    snapshots_import(source=tmp_path / "march.csv")
    assert_changsha_police(only_snapshot())


@pytest.mark.parametrize(
    ("category", "level", "platform", "expected"),
    [
        ("公安", "市", "新浪微博", ("police", "city", "sina")),
        ("交警", "县", "腾讯微博", ("traffic", "county", "tencent")),
        ("发布", "乡镇", "腾讯", ("press", "township", "tencent")),
        ("团委", "镇", "sina", ("youth", "township", "sina")),
        ("旅游", "县级", "Tencent", ("tourism", "county", "tencent")),
        ("其他", "City", "", ("other", "city", "sina")),
        ("Traffic police", "county", "新浪", ("traffic", "county", "sina")),
    ],
)
def test_coded_values_are_accepted_in_english_or_chinese(
    tmp_path: Path, category: str, level: str, platform: str, expected: tuple
) -> None:
    path = write_import_csv(tmp_path / "a.csv", [import_row(category=category, level=level, platform=platform)])
    snapshots_import(source=path)
    account = GovAccount.objects.get()
    assert (account.category, account.level, account.platform) == expected


def test_without_a_platform_column_every_account_is_on_sina(tmp_path: Path) -> None:
    header = [column for column in IMPORT_HEADER if column != "platform"]
    path = write_import_csv(tmp_path / "a.csv", [import_row()], header=header)
    snapshots_import(source=path)
    assert GovAccount.objects.get().platform == "sina"


def test_counts_may_use_thousands_separators_and_a_zero_fraction(tmp_path: Path) -> None:
    path = write_import_csv(tmp_path / "a.csv", [
        import_row(period="2012-01", fans="1,234,567", posts="12.0", original_posts=2, likes=" 7 "),
        import_row(period="2012-02", fans=5, posts=3, original_posts=2, likes=2),
    ])
    snapshots_import(source=path)
    assert list(Snapshot.objects.order_by("period_start").values_list("fans", "posts", "likes")) == [
        (1_234_567, 12, 7), (5, 3, 2)]


def test_spaces_around_text_cells_do_not_make_a_new_city_or_account(tmp_path: Path) -> None:
    path = write_import_csv(tmp_path / "a.csv", [
        import_row(period="2012-01"), import_row(period="2012-02", city=" 长沙 ", account="长沙警事  "),
    ])
    assert snapshots_import(source=path).rows == 2
    assert (City.objects.count(), GovAccount.objects.count(), Snapshot.objects.count()) == (1, 1, 2)


def test_blank_lines_are_skipped_and_line_numbers_still_count_them(tmp_path: Path) -> None:
    from core.tables.errors import ImportFailed

    text = import_csv_text([import_row(period="2012-01")], IMPORT_HEADER) + "\n,,,,,,,,,,,,,\n"
    text += import_csv_text([import_row(period="2012-02", fans="-1")], IMPORT_HEADER).split("\n", 1)[1]
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed) as raised:
        snapshots_import(source=tmp_path / "a.csv")
    assert [(error.line, error.column) for error in raised.value.errors] == [(5, "fans")]


def test_a_trailing_separator_on_every_line_is_harmless(tmp_path: Path) -> None:
    text = import_csv_text([import_row(period="2012-01"), import_row(period="2012-02")], IMPORT_HEADER)
    (tmp_path / "a.csv").write_text(text.replace("\n", ",\n"), encoding="utf-8")
    assert snapshots_import(source=tmp_path / "a.csv").rows == 2


def test_a_tab_separated_file_is_read(tmp_path: Path) -> None:
    text = import_csv_text([import_row()], IMPORT_HEADER).replace(",", "\t")
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    snapshots_import(source=tmp_path / "a.csv")
    assert Snapshot.objects.get().likes == 200


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2012-03", date(2012, 3, 1), date(2012, 3, 31)),
        ("2012年3月", date(2012, 3, 1), date(2012, 3, 31)),
        ("2012-Q2", date(2012, 4, 1), date(2012, 6, 30)),
        ("2012年第2季度", date(2012, 4, 1), date(2012, 6, 30)),
        ("2012", date(2012, 1, 1), date(2012, 12, 31)),
        ("2015-W53", date(2015, 12, 28), date(2016, 1, 3)),
        ("2012-01-01/2012-01-15", date(2012, 1, 1), date(2012, 1, 15)),
    ],
)
def test_every_period_form_is_stored_as_its_dates(tmp_path: Path, period: str, start: date, end: date) -> None:
    snapshots_import(source=write_import_csv(tmp_path / "a.csv", [import_row(period=period)]))
    snapshot = Snapshot.objects.get()
    assert (snapshot.period_start, snapshot.period_end) == (start, end)
