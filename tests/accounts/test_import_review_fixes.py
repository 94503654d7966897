"""Files the importer once accepted wrongly or failed on with a traceback: mixed encodings, counts that
depended on their neighbours, non-finite metrics, doubled extra headers, control characters, rows with
too many values that hid other problems, and library errors shown raw."""
from __future__ import annotations

from pathlib import Path

import pytest

from accounts.importing import run_import
from accounts.models import City, GovAccount, Snapshot, SnapshotImport
from accounts.services import snapshots_import
from tests.factories import (
    IMPORT_HEADER,
    import_csv_text,
    import_row,
    rejected,
    rejected_bytes,
    write_import_xlsx,
)

pytestmark = pytest.mark.django_db

MIXED = ("this line is not valid UTF-8 although the lines before it are; the file mixes encodings — save it "
         "again as UTF-8 or GB18030")
NOT_A_COUNT = "is not a number; counts are whole numbers such as 1234 or 1,234"
NOT_A_METRIC = ("is not a number; extra columns are kept as custom metrics and must hold numbers (remove the "
                "column to leave it out)")


def rows_text(*rows: dict, header: list[str] = IMPORT_HEADER) -> str:
    return import_csv_text(list(rows), header)


def data_line(row: dict) -> str:
    """One data line of a CSV with IMPORT_HEADER (no header line)."""
    return rows_text(row).split("\n", 1)[1]


# 1. Encodings


def test_a_utf8_file_with_one_gbk_line_is_rejected_at_that_line(tmp_path: Path) -> None:
    utf8 = rows_text(import_row(period="2012-01"), import_row(period="2012-02")).encode("utf-8")
    gbk = data_line(import_row(period="2012-03", account="长沙交警")).encode("gbk")
    assert rejected_bytes(tmp_path, utf8 + gbk + data_line(import_row(period="2012-04")).encode()) == [
        f"line 4: {MIXED}"]


def test_a_utf8_file_with_a_byte_order_mark_and_a_gbk_line_is_rejected(tmp_path: Path) -> None:
    utf8 = rows_text(import_row(period="2012-01", city="Changsha", province="Hunan", account="police"))
    gbk = data_line(import_row(period="2012-02")).encode("gbk")
    assert rejected_bytes(tmp_path, b"\xef\xbb\xbf" + utf8.encode() + gbk) == [f"line 3: {MIXED}"]


def test_ascii_lines_then_gbk_lines_are_read_as_gb18030(tmp_path: Path) -> None:
    ascii_part = rows_text(import_row(period="2012-01", city="Changsha", province="Hunan", account="police"))
    gbk = data_line(import_row(period="2012-02")).encode("gbk")
    path = tmp_path / "a.csv"
    path.write_bytes(ascii_part.encode("ascii") + gbk)
    assert snapshots_import(source=path).encoding == "gb18030"
    assert sorted(GovAccount.objects.values_list("screen_name", flat=True)) == ["police", "长沙警事"]


def test_a_gbk_line_that_starts_like_utf8_is_still_read_as_gb18030(tmp_path: Path) -> None:
    # 省 is CA A1 in GBK: a valid two-byte UTF-8 sequence (U+02A1); 份 (B7 DD) then is not. Bytes that only
    # look like UTF-8 on the very line where decoding fails are chance, not a UTF-8 file.
    header = ["省份", *[column for column in IMPORT_HEADER if column != "province"]]
    row = {**import_row(), "省份": "湖南"}
    path = tmp_path / "a.csv"
    path.write_bytes(import_csv_text([row], header).encode("gbk"))
    assert snapshots_import(source=path).encoding == "gb18030"
    assert City.objects.get().province_id == "湖南"


# 2. Counts follow one rule whatever their neighbours


@pytest.mark.parametrize("value", ["1e3", "+5", "0x10", "1_000"])
@pytest.mark.parametrize("neighbours", ["numbers", "a bad value"])
def test_a_count_that_is_not_plain_digits_is_rejected_whatever_its_neighbours(
    tmp_path: Path, value: str, neighbours: str
) -> None:
    other = 7 if neighbours == "numbers" else "abc"
    text = rows_text(import_row(period="2012-01", fans=10), import_row(period="2012-02", fans=other),
                     import_row(period="2012-03", fans=value))
    problems = rejected(tmp_path, text)
    assert problems[-1] == f"line 4, column fans: “{value}” {NOT_A_COUNT}"
    assert len(problems) == (1 if neighbours == "numbers" else 2)


def test_a_large_count_is_exact_when_its_column_has_an_empty_cell(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(import_csv_text([
        import_row(period="2012-01", original_reposts="123456789012345678"),
        import_row(period="2012-02", original_reposts=""),
    ], [*IMPORT_HEADER, "original_reposts"]), encoding="utf-8")
    snapshots_import(source=path)
    assert list(Snapshot.objects.order_by("period_start").values_list("original_reposts", flat=True)) == [
        123_456_789_012_345_678, None]


def test_a_count_past_18_digits_is_too_large_when_its_column_has_an_empty_cell(tmp_path: Path) -> None:
    text = import_csv_text([
        import_row(period="2012-01", original_reposts="1234567890123456789"),
        import_row(period="2012-02", original_reposts=""),
    ], [*IMPORT_HEADER, "original_reposts"])
    assert rejected(tmp_path, text) == [
        "line 2, column original_reposts: “1234567890123456789” is too large for a count"]


# 3. Extra metrics are finite numbers


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "nan", "NaN", "1e999"])
def test_a_metric_that_is_not_a_finite_number_is_rejected(tmp_path: Path, value: str) -> None:
    text = import_csv_text([import_row(period="2012-01", 得分="1.5"), import_row(period="2012-02", 得分=value)],
                           [*IMPORT_HEADER, "得分"])
    assert rejected(tmp_path, text) == [f"line 3, column 得分: “{value}” {NOT_A_METRIC}"]


def test_a_metric_in_scientific_notation_is_read_in_any_chunk(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(import_csv_text([import_row(period="2012-01", 得分="1.5e3"),
                                     import_row(period="2012-02", 得分="-2")], [*IMPORT_HEADER, "得分"]))
    run_import(source=path, file_name="a.csv", origin=SnapshotImport.Source.COMMAND, chunk_rows=1)
    assert list(Snapshot.objects.order_by("period_start").values_list("custom_metrics", flat=True)) == [
        {"得分": 1500.0}, {"得分": -2.0}]


# 4. Extra headers given twice


@pytest.mark.parametrize(("first", "second"), [("得分", "得分"), ("得分", " 得分 "), ("Score", "score")])
def test_an_extra_column_given_twice_is_rejected(tmp_path: Path, first: str, second: str) -> None:
    text = import_csv_text([import_row(**{first: 1, second: 2})], [*IMPORT_HEADER, first, second])
    assert rejected(tmp_path, text) == [
        f"line 1, column {second.strip()}: this column and column “{first}” both give “{first}”; keep only one of them"]


# 5. Control characters


@pytest.mark.parametrize(("column", "character"), [("account", "\x00"), ("city", "\x07"), ("uid", "\x1b")])
def test_a_control_character_in_a_text_cell_is_rejected(tmp_path: Path, column: str, character: str) -> None:
    text = import_csv_text([import_row(period="2012-01"), import_row(period="2012-02", uid="1"),
                            import_row(period="2012-03", **{column: f"长沙{character}警事"})], [*IMPORT_HEADER, "uid"])
    code = f"U+{ord(character):04X}"
    assert rejected(tmp_path, text) == [
        f"line 4, column {column}: this cell holds the control character {code}, which text cannot contain; "
        "remove it"]


def test_a_control_character_in_an_extra_header_is_rejected(tmp_path: Path) -> None:
    text = import_csv_text([import_row(**{"得\x00分": 1})], [*IMPORT_HEADER, "得\x00分"])
    assert rejected(tmp_path, text) == [
        "line 1, column 得\x00分: this cell holds the control character U+0000, which text cannot contain; remove it"]


# 6. A row with too many values does not hide the rest of the file

TOO_LONG_ROW = "长沙,湖南,长沙交警,sina,traffic,city,2012-04,1,1,1,1,1,1,1,9,9\n"


@pytest.mark.parametrize("chunk_rows", [None, 1, 2])
def test_a_row_with_too_many_values_and_a_bad_count_elsewhere_are_both_reported(
    tmp_path: Path, chunk_rows: int | None
) -> None:
    text = (rows_text(import_row(period="2012-01"), import_row(period="2012-02")) + TOO_LONG_ROW
            + data_line(import_row(period="2012-03")) + data_line(import_row(period="2012-04", fans=-1)))
    assert rejected(tmp_path, text, chunk_rows=chunk_rows) == [
        "line 4: this row has 16 values but the header has 14 columns",
        "line 6, column fans: “-1” is negative; counts must be 0 or more",
    ]


def test_a_first_row_with_too_many_values_does_not_hide_a_later_one(tmp_path: Path) -> None:
    text = ",".join(IMPORT_HEADER) + "\n" + TOO_LONG_ROW + data_line(import_row()) + TOO_LONG_ROW
    assert rejected(tmp_path, text) == [
        "line 2: this row has 16 values but the header has 14 columns",
        "line 4: this row has 16 values but the header has 14 columns",
    ]


def test_an_xlsx_row_with_too_many_values_and_a_bad_count_elsewhere_are_both_reported(tmp_path: Path) -> None:
    path = write_import_xlsx(tmp_path / "a.xlsx", [
        IMPORT_HEADER, [*import_row(period="2012-01").values(), "surplus"],
        [*import_row(period="2012-02").values()], [*import_row(period="2012-03", fans=-1).values()],
    ])
    assert rejected_bytes(tmp_path, path.read_bytes(), name="a.xlsx", chunk_rows=2) == [
        "line 2: this row has 15 values but the header has 14 columns",
        "line 4, column fans: “-1” is negative; counts must be 0 or more",
    ]


# 7. Unreadable files: a translated reason, never the library's text


def test_an_xlsx_that_is_not_a_workbook_gets_a_translated_reason(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = b"city,province\n"
    english = rejected_bytes(tmp_path, data, name="a.xlsx")
    assert english == ["the file cannot be read: it is not an Excel workbook (.xlsx), or it is damaged"]
    assert rejected_bytes(tmp_path, data, name="a.xlsx", language="zh-hans") == [
        "无法读取文件：它不是 Excel 工作簿（.xlsx），或已损坏"]
    # The library's own words go to the log, for whoever maintains the server.
    assert "event=import_unreadable format=xlsx error=BadZipFile detail='File is not a zip file'" in caplog.text


def test_an_unclosed_quote_names_its_line_in_a_translated_reason(tmp_path: Path) -> None:
    text = rows_text(import_row(period="2012-01")) + '长沙,湖南,"长沙警事,sina,police,city,2012-02,1,1,1,1,1,1,1\n'
    english = rejected(tmp_path, text)
    assert english == ["the file cannot be read: the quoted value that starts on line 3 is never closed"]
    assert "C error" not in rejected(tmp_path, text, language="zh-hans")[0]
