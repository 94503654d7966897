"""core.spreadsheets: the one escape against formula injection that every CSV/XLSX export uses."""
from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from core.spreadsheets import cell_text, csv_bytes, csv_rows_bytes, xlsx_bytes


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1",
                                  "=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/","点我")'])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert cell_text(text) == "'" + text


@pytest.mark.parametrize("text", ["长沙", "a=b", "1-2", " =1", "", "'quoted"])
def test_other_text_is_left_alone(text):
    assert cell_text(text) == text


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"=name": ["=1+1", "长沙", None], "score": [-3.5, 2.0, float("nan")],
                         "rank": [1, 2, 3]})


def test_csv_escapes_text_and_headers_but_keeps_negative_numbers_numeric():
    rows = list(csv.reader(io.StringIO(csv_bytes(_frame(), bom=False).decode("utf-8"))))

    assert rows == [["'=name", "score", "rank"], ["'=1+1", "-3.5", "1"], ["长沙", "2.0", "2"], ["", "", "3"]]


def test_xlsx_stores_text_as_strings_and_numbers_as_numbers():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(_frame(), sheet_name="x" * 40))).active

    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["'=name", "score", "rank"], ["'=1+1", -3.5, 1], ["长沙", 2, 2], [None, None, 3],
    ]
    assert "f" not in {cell.data_type for row in sheet.iter_rows() for cell in row}
    assert sheet.title == "x" * 31


def test_hand_built_rows_are_escaped_the_same_way():
    assert csv_rows_bytes([["城市", "=1+1"], [-1, "@x"]], bom=True) == "\ufeff城市,'=1+1\r\n-1,'@x\r\n".encode()
