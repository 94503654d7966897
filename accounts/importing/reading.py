"""Reading an import file into chunks of raw cells: CSV (encoding detected) or XLSX.

Every chunk is a DataFrame whose columns are the file's column positions (0, 1, …) and whose cells
are text ("" for an empty cell; an XLSX date cell stays a date). Line numbers are the file's own: the
header is line 1, so the row at position i of the file (counting the header as 0) is line i + 1. A quoted
cell that spans several physical lines counts as one line (spreadsheets number rows, not physical lines,
too).
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, BinaryIO

import pandas as pd
from django.core.files.base import File

from accounts.importing.cells import cell_text
from accounts.importing.errors import TOO_MANY_FIELDS, UNREADABLE_FILE, UNSUPPORTED_FORMAT, Message, RowError

CHUNK_ROWS = 100_000
_SCAN_BLOCK = 1 << 20


class ReadError(Exception):
    """The file cannot be read on (it is not CSV/XLSX, or a row breaks the CSV structure)."""

    def __init__(self, error: RowError) -> None:
        self.error = error
        super().__init__(str(error))


@dataclass
class Table:
    """An opened import file: its header cells, what was detected, and a way to read its data rows.

    chunks(numeric_positions) yields (line of the chunk's first row, cells). Columns at numeric_positions
    may come back as int64/float64 when the CSV parser can read the whole chunk's column as numbers (the
    fast path); all others are text. XLSX cells are text, except date cells: those stay datetime.date or
    datetime.datetime objects (see _xlsx_cell).
    """

    header: list[str]
    chunks: Callable[[set[int]], Iterator[tuple[int, pd.DataFrame]]]
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "gb18030" or "xlsx"
    rows_estimate: int | None


@contextlib.contextmanager
def open_binary(source: str | Path | IO[bytes]) -> Iterator[BinaryIO]:
    """A path is opened (and closed); a file-like object (e.g. an UploadedFile) is used from its start."""
    if isinstance(source, (str, Path)):
        with open(source, "rb") as stream:
            yield stream
        return
    # pandas mis-reads Django's File wrapper (UploadedFile): hand it the underlying binary file.
    stream = source.file if isinstance(source, File) else source
    stream.seek(0)
    yield stream  # type: ignore[misc]


def file_format(file_name: str) -> str:
    suffix = Path(file_name).suffix.lower()
    if suffix in {".csv", ".txt"}:
        return "csv"
    if suffix in {".xlsx", ".xlsm"}:
        return "xlsx"
    raise ReadError(RowError(None, None, Message(UNSUPPORTED_FORMAT, name=Path(file_name).name)))


def _bom_encoding(first_block: bytes) -> str | None:
    """The encoding a byte order mark announces: UTF-8, or UTF-16 in either byte order (Excel's "Unicode
    text")."""
    if first_block.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if first_block.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Python's utf-16 codec reads the BOM, picks the byte order and drops the BOM
    return None


def _scan_utf8(stream: BinaryIO, first: bytes) -> tuple[bool, int]:
    """(whether the whole file is strict UTF-8, newline count), reading on from after `first`."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    block, is_utf8, newlines = first, True, 0
    while block:
        newlines += block.count(b"\n")
        if is_utf8:
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                is_utf8 = False
        block = stream.read(_SCAN_BLOCK)
    if is_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    return is_utf8, newlines


def _count_utf16_newlines(stream: BinaryIO, first: bytes) -> int:
    # Counting b"\n" bytes would also count halves of other characters (上 is U+4E0A): decode instead.
    decoder = codecs.getincrementaldecoder("utf-16")("replace")
    block, newlines = first, 0
    while block:
        newlines += decoder.decode(block).count("\n")
        block = stream.read(_SCAN_BLOCK)
    return newlines


def detect_encoding(stream: BinaryIO) -> tuple[str, int, str]:
    """Return (encoding, newline count, first block as text) and rewind the stream.

    A byte order mark decides: utf-8-sig, or utf-16 (LE or BE). Otherwise a file that decodes as strict
    UTF-8 from end to end is utf-8; anything else is taken as GB18030 (a superset of GBK and GB2312, what
    Chinese Excel and monitoring platforms export). The whole file is scanned in blocks, so memory stays
    flat. The first block's text has no BOM; a character cut at the block's end is left out.
    """
    first = stream.read(_SCAN_BLOCK)
    encoding = _bom_encoding(first)
    if encoding == "utf-16":
        newlines = _count_utf16_newlines(stream, first)
    else:
        is_utf8, newlines = _scan_utf8(stream, first)
        encoding = encoding or ("utf-8" if is_utf8 else "gb18030")
    stream.seek(0)
    head = codecs.getincrementaldecoder(encoding)("replace").decode(first)
    return encoding, newlines, head


_LINE_END = re.compile(r"\r\n|\r|\n")


def _first_line(head: str) -> str:
    """The header line: up to the first line end, whether Windows (CRLF), Unix (LF) or old Mac (CR)."""
    return _LINE_END.split(head, maxsplit=1)[0]


def _separator(head: str) -> str:
    """Comma, unless the header line has tabs and no commas (a "text, tab separated" export)."""
    header_line = _first_line(head)
    return "\t" if "\t" in header_line and "," not in header_line else ","


_PARSER_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _parser_error(error: Exception, header_width: int) -> RowError:
    if match := _PARSER_FIELDS.search(str(error)):
        _expected, line, _found = match.groups()
        return RowError(int(line), None, Message(TOO_MANY_FIELDS, expected=header_width))
    return RowError(None, None, Message(UNREADABLE_FILE, reason=str(error)))


def _header_cells(head: str, separator: str) -> list[str]:
    return next(csv.reader([_first_line(head)], delimiter=separator), [])


def read_csv(stream: BinaryIO, *, chunk_rows: int = CHUNK_ROWS) -> Table:
    """Open a CSV for chunked reading. Cells stay text unless a column is declared numeric."""
    encoding, newlines, head = detect_encoding(stream)
    if not head.strip(" \r\n\t"):
        return Table([], lambda numeric: iter(()), encoding, 0)
    separator = _separator(head)
    header = _header_cells(head, separator)
    # One spare column: a trailing separator on data rows (some exporters add one) lands there, and is
    # only an error if it holds a value. Rows with still more values are rejected by the parser.
    width = len(header) + 1

    def chunks(numeric_positions: set[int]) -> Iterator[tuple[int, pd.DataFrame]]:
        text_columns = {position: object for position in range(width) if position not in numeric_positions}
        next_line = 2
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            try:
                reader = pd.read_csv(
                    stream, header=None, skiprows=1, names=range(width), index_col=False, dtype=text_columns,
                    keep_default_na=False, na_values=[""], skip_blank_lines=False, chunksize=chunk_rows,
                    encoding=encoding, sep=separator, engine="c",
                )
                for cells in reader:
                    yield next_line, cells
                    next_line += len(cells)
            except pd.errors.EmptyDataError:
                return
            except pd.errors.ParserWarning:
                raise ReadError(RowError(2, None, Message(TOO_MANY_FIELDS, expected=len(header)))) from None
            except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
                raise ReadError(_parser_error(error, len(header))) from None

    # Newlines minus the header's: an estimate (quoted line breaks, a last line without one), for progress only.
    return Table([str(cell) for cell in header], chunks, encoding, max(newlines - 1, 0))


def _xlsx_cell(value: object) -> object:
    """A data cell as the converters get it: text, except that a date cell stays a date (or datetime).

    Excel turns a typed "2012-03" into the date 2012-03-01: the period column must tell such a date cell
    from the text "2012-03-01", and the date columns take real dates as they are.
    """
    return value if isinstance(value, date) else cell_text(value)


def read_xlsx(stream: BinaryIO, *, chunk_rows: int = CHUNK_ROWS) -> Table:
    """Open the first sheet of a workbook in openpyxl's streaming (read-only) mode."""
    import openpyxl  # imported here: only XLSX imports pay for it

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        raise ReadError(RowError(None, None, Message(UNREADABLE_FILE, reason=str(error)))) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header_row = next(rows, None)
    if header_row is None:
        workbook.close()
        return Table([], lambda numeric: iter(()), "xlsx", 0)
    header = [cell_text(value) for value in header_row]
    while header and not header[-1]:
        header.pop()  # trailing empty header cells: formatting left in the sheet, not columns
    width = len(header)

    def chunks(numeric_positions: set[int]) -> Iterator[tuple[int, pd.DataFrame]]:
        batch: list[list[str]] = []
        next_line = 2
        for values in rows:
            cells = [_xlsx_cell(value) for value in values]
            if any(cells[width:]):
                raise ReadError(RowError(next_line + len(batch), None,
                                         Message(TOO_MANY_FIELDS, expected=width)))
            batch.append((cells + [""] * width)[:width])
            if len(batch) == chunk_rows:
                yield next_line, pd.DataFrame(batch, dtype=object)
                next_line += len(batch)
                batch = []
        if batch:
            yield next_line, pd.DataFrame(batch, dtype=object)
        workbook.close()

    total = sheet.max_row - 1 if sheet.max_row else None
    return Table(header, chunks, "xlsx", total)


def read_table(stream: BinaryIO, *, file_name: str, chunk_rows: int = CHUNK_ROWS) -> Table:
    if file_format(file_name) == "xlsx":
        return read_xlsx(stream, chunk_rows=chunk_rows)
    return read_csv(stream, chunk_rows=chunk_rows)
