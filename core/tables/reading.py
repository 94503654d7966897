"""Reading an import file into chunks of raw cells: CSV (encoding detected) or XLSX.

Every chunk holds a DataFrame whose columns are the file's column positions (0, 1, …) and whose cells
are text (NaN or "" for an empty cell; an XLSX date cell stays a date), the line of each of its rows, and
the rows it had to leave out (more values than the header has columns), as problems. Line numbers are the
file's own: the header is line 1, so the row at position i of the file (counting the header as 0) is line
i + 1. A quoted cell that spans several physical lines counts as one line (spreadsheets number rows, not
physical lines, too).

When a file cannot be read at all, the user gets a translated reason; the library's own (English) text
is logged instead. The encoding of a CSV is found (or checked) by charsets.py, and hostile sizes are refused
by bounds.py, both before the parsers see the file.
"""
from __future__ import annotations

import contextlib
import csv
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, BinaryIO

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.files.base import File
from pandas.io.parsers import TextFileReader

from core.tables import bounds
from core.tables.bounds import MAX_COLUMNS, TOO_MANY_COLUMNS
from core.tables.cells import cell_text
from core.tables.charsets import detect_encoding
from core.tables.errors import (
    BROKEN_CSV,
    HEADER_CELL_TOO_LONG,
    HEADER_TOO_LONG,
    NOT_A_WORKBOOK,
    NOT_TEXT,
    ROW_TOO_WIDE,
    SHEET_HAS_TOO_MANY_ROWS,
    SHEET_TOO_MANY_ROWS,
    TOO_MANY_FIELDS,
    UNCLOSED_QUOTE,
    UNREADABLE_FILE,
    UNSUPPORTED_FORMAT,
    UNSUPPORTED_FORMAT_JSON_LINES,
    Message,
    ReadError,  # raised here; importers of reading find it here too
    RowError,
)

logger = logging.getLogger(__name__)

CHUNK_ROWS = 100_000
_FIRST_SHEET = "1"  # the sheet the import reads, as SHEET_HAS_TOO_MANY_ROWS names it
# The header names the columns: a few hundred of them (columns.MAX_COLUMNS) fit in far fewer characters.
# A longer first line is not a header (a file without line breaks, or not a table at all); refusing it
# keeps the header's cells from growing without bound.
MAX_HEADER_CHARS = 500_000


def _unreadable(error: Exception, *, file_format: str, reason: object) -> RowError:
    """The whole-file problem shown for a file the library could not read; its own text is only logged."""
    logger.warning("event=import_unreadable format=%s error=%s detail=%r", file_format, type(error).__name__,
                   str(error))
    return RowError(None, None, Message(UNREADABLE_FILE, reason=reason))


@dataclass
class Chunk:
    """Consecutive data rows of the file.

    lines: int64, the file line of each row of cells. cells: columns by position; CSV cells are text (NaN
    when empty), XLSX cells are text except date cells, which stay datetime.date or datetime.datetime
    objects (see _xlsx_cell). problems: rows of this stretch of the file that are not in cells because
    they have more values than the header has columns.
    """

    lines: np.ndarray
    cells: pd.DataFrame
    problems: list[RowError]


@dataclass
class Table:
    """An opened import file: its header cells, what was detected, and a way to read its data rows.

    chunks() yields Chunks. It raises ReadError if the rest of the file cannot be read (a quote that is
    never closed, bytes that are not text in the detected encoding, a damaged workbook).
    """

    header: list[str]
    chunks: Callable[[], Iterator[Chunk]]
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


JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


def file_format(file_name: str, *, json_lines: bool = False) -> str:
    """"csv", "xlsx" or (for an importer that reads them: json_lines) "jsonl", by the file name's suffix."""
    suffix = Path(file_name).suffix.lower()
    if suffix in {".csv", ".txt"}:
        return "csv"
    if suffix in {".xlsx", ".xlsm"}:
        return "xlsx"
    if json_lines and suffix in JSON_LINES_SUFFIXES:
        return "jsonl"
    message = UNSUPPORTED_FORMAT_JSON_LINES if json_lines else UNSUPPORTED_FORMAT
    raise ReadError(RowError(None, None, Message(message, name=Path(file_name).name)))


_LINE_END = re.compile(r"\r\n|\r|\n")


def _first_line(head: str) -> str:
    """The header line: up to the first line end, whether Windows (CRLF), Unix (LF) or old Mac (CR)."""
    return _LINE_END.split(head, maxsplit=1)[0]


def _separator(head: str) -> str:
    """Comma, unless the header line has tabs and no commas (a "text, tab separated" export)."""
    header_line = _first_line(head)
    return "\t" if "\t" in header_line and "," not in header_line else ","


_SKIPPED_ROW = re.compile(r"Skipping line (\d+): expected \d+ fields, saw (\d+)")
_UNCLOSED_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


def _parser_error(error: Exception) -> RowError:
    """The rest of the CSV cannot be read: say why in the user's language."""
    if match := _UNCLOSED_QUOTE.search(str(error)):
        # The parser counts rows from 0, the header included.
        reason = Message(UNCLOSED_QUOTE, line=int(match[1]) + 1)
    elif isinstance(error, UnicodeDecodeError):
        reason = NOT_TEXT
    else:
        reason = BROKEN_CSV
    return _unreadable(error, file_format="csv", reason=reason)


def _header_cells(head: str, separator: str) -> list[str]:
    """The header line's cells; a first line too long to be a header is a ReadError."""
    header_line = _first_line(head)
    if len(header_line) > MAX_HEADER_CHARS:
        raise ReadError(RowError(1, None, Message(HEADER_TOO_LONG, limit=MAX_HEADER_CHARS)))
    try:
        return next(csv.reader([header_line], delimiter=separator), [])
    except csv.Error:  # the only error a single line gives: a cell past the csv module's field limit
        raise ReadError(RowError(1, None, Message(HEADER_CELL_TOO_LONG, limit=csv.field_size_limit()))) from None


def _next_block(reader: TextFileReader, rows: int) -> tuple[pd.DataFrame | None, list[tuple[int, int]]]:
    """The parser's next `rows` rows (None at the end) and the rows it skipped: [(line, values), …].

    The parser skips a row with more values than expected and warns; the warnings are caught around this
    one call only, because filters are process-wide and the chunk generator yields between calls.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            cells = reader.get_chunk(rows)
        except (StopIteration, pd.errors.EmptyDataError):
            cells = None
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
            raise ReadError(_parser_error(error)) from None
    skipped = []
    for warning in caught:
        if not issubclass(warning.category, pd.errors.ParserWarning):
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        elif found := _SKIPPED_ROW.findall(str(warning.message)):
            skipped.extend((int(line), int(values)) for line, values in found)
        else:
            # Any other parser warning means cells were dropped without a trace: refuse to go on.
            raise ReadError(_unreadable(pd.errors.ParserWarning(warning.message), file_format="csv",
                                        reason=BROKEN_CSV))
    return cells, skipped


def _row_lines(next_line: int, rows: int, skipped: list[int]) -> tuple[np.ndarray, int]:
    """The line of each of `rows` parsed rows, consecutive from next_line except for the skipped lines;
    and the line after the last one accounted for."""
    candidates = np.arange(next_line, next_line + rows + len(skipped), dtype=np.int64)
    lines = candidates[~np.isin(candidates, skipped)][:rows]
    last = max(int(lines[-1]) if rows else next_line - 1, max(skipped, default=0))
    return lines, last + 1


def read_csv(stream: BinaryIO, *, chunk_rows: int = CHUNK_ROWS, encoding: str | None = None) -> Table:
    """Open a CSV for chunked reading. Every cell is text: see cells.count for why numbers are not parsed.
    encoding: the file's, if the user gave it; else detected (see detect_encoding)."""
    widths = bounds.LineWidths()
    encoding, newlines, head = detect_encoding(stream, encoding, widths)
    if not head.strip(" \r\n\t"):
        return Table([], lambda: iter(()), encoding, 0)
    separator = _separator(head)
    header = _header_cells(head, separator)
    # Before the parser sees a line it would hold whole: a header too wide to import, then any wider line.
    if len(header) > MAX_COLUMNS:
        raise ReadError(RowError(1, None, Message(TOO_MANY_COLUMNS, count=len(header), limit=MAX_COLUMNS)))
    if (problem := widths.problem()) is not None:
        raise ReadError(problem)
    # One spare column: a trailing separator on data rows (some exporters add one) lands there, and is
    # only an error if it holds a value. Rows with still more values are skipped by the parser and reported.
    width = len(header) + 1

    def chunks() -> Iterator[Chunk]:
        # The header line is parsed too, as the first row, and dropped: the parser takes the expected number
        # of values from the first row it reads, and a first data row with too many values would make it
        # drop surplus values silently (from that row and every later row as long).
        try:
            reader = pd.read_csv(
                stream, header=None, names=range(width), index_col=False, dtype=object, keep_default_na=False,
                na_values=[""], skip_blank_lines=False, encoding=encoding, sep=separator,
                engine="c", on_bad_lines="warn", iterator=True,
            )
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
            raise ReadError(_parser_error(error)) from None
        next_line = 1
        while True:
            # The first block holds the header line too, so that every chunk has chunk_rows data rows.
            cells, skipped = _next_block(reader, chunk_rows + (next_line == 1))
            if cells is None and not skipped:
                return
            cells = cells if cells is not None else pd.DataFrame(columns=range(width), dtype=object)
            lines, next_line = _row_lines(next_line, len(cells), [line for line, _values in skipped])
            if len(lines) and lines[0] == 1:
                cells, lines = cells.iloc[1:].reset_index(drop=True), lines[1:]
            problems = [RowError(line, None, Message(TOO_MANY_FIELDS, found=values, expected=len(header)))
                        for line, values in skipped]
            yield Chunk(lines, cells, problems)

    # Newlines minus the header's: an estimate (quoted line breaks, a last line without one), for progress only.
    return Table([str(cell) for cell in header], chunks, encoding, max(newlines - 1, 0))


def _xlsx_cell(value: object) -> object:
    """A data cell as the converters get it: text, except that a date cell stays a date (or datetime).

    Excel turns a typed "2012-03" into the date 2012-03-01: the period column must tell such a date cell
    from the text "2012-03-01", and the date columns take real dates as they are.
    """
    return value if isinstance(value, date) else cell_text(value)


def _sheet_rows(rows: Iterator[tuple]) -> Iterator[tuple]:
    """The sheet's rows; a damaged part of the workbook found on the way is a ReadError."""
    try:
        yield from rows
    except Exception as error:  # noqa: BLE001 - openpyxl and its XML parser raise many types
        raise ReadError(_unreadable(error, file_format="xlsx", reason=NOT_A_WORKBOOK)) from None


def _surplus(cells: list[object], width: int) -> int | None:
    """How many values a row has if some lie beyond the header's columns, else None."""
    if not any(cells[width:]):
        return None
    return len(cells) - next(position for position, cell in enumerate(reversed(cells)) if cell)


def _check_row_bounds(line: int, values: tuple, max_rows: int) -> None:
    """A row past the most an import reads (or Excel's last), or with a value past any column an import can
    have, ends the reading: the next rows may be as bad, and each would cost as much. bounds.check_workbook
    has counted the rows already; this is the guard for whatever its scan could not see."""
    if line > bounds.MAX_SHEET_ROWS:
        raise ReadError(RowError(None, None, Message(SHEET_TOO_MANY_ROWS, limit=bounds.MAX_SHEET_ROWS)))
    if line > max_rows + 1:
        raise ReadError(RowError(None, None, Message(SHEET_HAS_TOO_MANY_ROWS, name=_FIRST_SHEET,
                                                     limit=f"{max_rows:,}")))
    if len(values) > MAX_COLUMNS and any(values[MAX_COLUMNS:]):
        raise ReadError(RowError(line, None, Message(ROW_TOO_WIDE, limit=MAX_COLUMNS)))


def max_rows_default() -> int:
    """The most data rows an import reads from a file (GOVWEIBO_IMPORT_MAX_ROWS), at most Excel's."""
    return min(settings.GOVWEIBO_IMPORT_MAX_ROWS, bounds.MAX_SHEET_ROWS - 1)


def read_xlsx(stream: BinaryIO, *, chunk_rows: int = CHUNK_ROWS, max_rows: int | None = None) -> Table:
    """Open the first sheet of a workbook in openpyxl's streaming (read-only) mode. A workbook whose sheet
    declares or has more than max_rows data rows (default: max_rows_default()) is refused before openpyxl
    opens it, and the rows are counted again as they are read."""
    import openpyxl  # imported here: only XLSX imports pay for it

    max_rows = max_rows_default() if max_rows is None else max_rows
    try:
        bounds.check_workbook(stream, max_rows=max_rows)
    except bounds.Unbounded as error:
        raise ReadError(error.error) from None
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        total = min(sheet.max_row - 1, max_rows) if sheet.max_row else None
        # The size the sheet declares is not to be trusted: rows would be padded to its last column, and
        # empty rows made up to its last row (A1:XFD1048576 is 17 billion cells). Each row as it is, then.
        sheet.reset_dimensions()
        rows = _sheet_rows(sheet.iter_rows(values_only=True))
        header_row = next(rows, None)
    except ReadError:
        raise
    except Exception as error:  # noqa: BLE001 - not a zip, not a workbook, a damaged part: all the same to the user
        raise ReadError(_unreadable(error, file_format="xlsx", reason=NOT_A_WORKBOOK)) from None
    if header_row is None:
        workbook.close()
        return Table([], lambda: iter(()), "xlsx", 0)
    header = [cell_text(value) for value in header_row]
    while header and not header[-1]:
        header.pop()  # trailing empty header cells: formatting left in the sheet, not columns
    width = len(header)

    def chunks() -> Iterator[Chunk]:
        batch: list[list[object]] = []
        lines: list[int] = []
        problems: list[RowError] = []
        for line, values in enumerate(rows, start=2):
            _check_row_bounds(line, values, max_rows)
            cells = [_xlsx_cell(value) for value in values]
            if (found := _surplus(cells, width)) is not None:
                problems.append(RowError(line, None, Message(TOO_MANY_FIELDS, found=found, expected=width)))
            else:
                batch.append((cells + [""] * width)[:width])
                lines.append(line)
            if len(batch) == chunk_rows:
                yield Chunk(np.array(lines, dtype=np.int64), pd.DataFrame(batch, dtype=object), problems)
                batch, lines, problems = [], [], []
        if batch or problems:
            yield Chunk(np.array(lines, dtype=np.int64), pd.DataFrame(batch, dtype=object), problems)
        workbook.close()

    return Table(header, chunks, "xlsx", total)


def read_table(stream: BinaryIO, *, file_name: str, chunk_rows: int = CHUNK_ROWS,
               encoding: str | None = None, max_rows: int | None = None, json_lines: bool = False) -> Table:
    """A CSV's encoding is detected unless given; a workbook has none to give (it is always Unicode).
    max_rows bounds a workbook's sheet (a CSV costs what its size says: its importers count its rows).
    json_lines: the importer also reads JSON Lines (.jsonl, .ndjson; see jsonlines.py), always UTF-8."""
    kind = file_format(file_name, json_lines=json_lines)
    if kind == "jsonl":
        from core.tables.jsonlines import read_jsonl

        return read_jsonl(stream, chunk_rows=chunk_rows)
    if kind == "xlsx":
        return read_xlsx(stream, chunk_rows=chunk_rows, max_rows=max_rows)
    return read_csv(stream, chunk_rows=chunk_rows, encoding=encoding)
