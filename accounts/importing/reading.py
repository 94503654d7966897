"""Reading an import file into chunks of raw cells: CSV (encoding detected) or XLSX.

Every chunk holds a DataFrame whose columns are the file's column positions (0, 1, …) and whose cells
are text (NaN or "" for an empty cell; an XLSX date cell stays a date), the line of each of its rows, and
the rows it had to leave out (more values than the header has columns), as problems. Line numbers are the
file's own: the header is line 1, so the row at position i of the file (counting the header as 0) is line
i + 1. A quoted cell that spans several physical lines counts as one line (spreadsheets number rows, not
physical lines, too).

When a file cannot be read at all, the user gets a translated reason; the library's own (English) text
is logged instead.
"""
from __future__ import annotations

import codecs
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
from django.core.files.base import File
from pandas.io.parsers import TextFileReader

from accounts.importing import bounds
from accounts.importing.cells import cell_text
from accounts.importing.columns import MAX_COLUMNS, TOO_MANY_COLUMNS
from accounts.importing.errors import (
    BROKEN_CSV,
    GARBLED_TEXT,
    HEADER_CELL_TOO_LONG,
    HEADER_TOO_LONG,
    MIXED_ENCODINGS,
    NOT_A_WORKBOOK,
    NOT_IN_ENCODING,
    NOT_TEXT,
    NOT_UTF8_OR_GB18030,
    REPLACEMENT_CHARACTER,
    ROW_TOO_WIDE,
    SHEET_TOO_MANY_ROWS,
    TOO_MANY_FIELDS,
    UNCLOSED_QUOTE,
    UNKNOWN_ENCODING,
    UNREADABLE_FILE,
    UNSUPPORTED_FORMAT,
    Message,
    RowError,
)

logger = logging.getLogger(__name__)

CHUNK_ROWS = 100_000
_SCAN_BLOCK = 1 << 20
# The header names the columns: a few hundred of them (columns.MAX_COLUMNS) fit in far fewer characters.
# A longer first line is not a header (a file without line breaks, or not a table at all); refusing it
# keeps the header's cells from growing without bound.
MAX_HEADER_CHARS = 500_000
# The byte order mark of UTF-8, which a decoder for an explicitly given "utf-8" would keep in the first cell.
_UTF8_NAMES = {"utf-8", "utf_8", "utf8"}


class ReadError(Exception):
    """The file cannot be read on (it is not CSV/XLSX, or a row breaks the CSV structure)."""

    def __init__(self, error: RowError) -> None:
        self.error = error
        super().__init__(str(error))


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


class _Lines:
    """Follows decoded text: the number of the current physical line, and whether a line that has
    already ended holds a non-ASCII character (in UTF-8, a valid multi-byte sequence)."""

    def __init__(self) -> None:
        self.line_feeds = self.carriage_returns = 0
        self.multibyte_before = False  # on a line that has ended
        self._multibyte_open = False  # on the line not ended yet

    def feed(self, text: str) -> None:
        self.line_feeds += text.count("\n")
        self.carriage_returns += text.count("\r")
        if self.multibyte_before:
            return
        end = max(text.rfind("\n"), text.rfind("\r"))
        if end < 0:
            self._multibyte_open = self._multibyte_open or not text.isascii()
            return
        self.multibyte_before = self._multibyte_open or not text[:end].isascii()
        self._multibyte_open = not text[end + 1:].isascii()

    @property
    def line(self) -> int:
        # Lines end in LF (Unix, Windows) or, in old Mac files only, CR. A quoted cell that wraps counts each
        # of its physical lines here: that only shifts the number in a file that is rejected anyway.
        return (self.line_feeds or self.carriage_returns) + 1


@dataclass(frozen=True)
class _Utf8Scan:
    newlines: int
    invalid_line: int | None  # the line of the first byte that is not UTF-8; None: the whole file is UTF-8
    utf8_before: bool  # whether the lines before that one hold multi-byte UTF-8 characters
    replacement_line: int | None  # the first line holding U+FFFD (in UTF-8), or None


_REPLACEMENT_UTF8 = "\ufffd".encode()


def _decode_block(
    decoder: codecs.IncrementalDecoder, block: bytes, lines: _Lines, *, final: bool = False
) -> int | None:
    """Decode one block and follow its lines; return the line of the first invalid byte, or None."""
    held_back = decoder.getstate()[0]  # the start of a character cut at the previous block's end
    try:
        lines.feed(decoder.decode(block, final))
    except UnicodeDecodeError as error:
        # error.start counts from the held-back bytes; everything before it is valid UTF-8.
        lines.feed((held_back + block)[:error.start].decode("utf-8"))
        return lines.line
    return None


def _scan_utf8(stream: BinaryIO, first: bytes, widths: bounds.LineWidths) -> _Utf8Scan:
    """Whether (and where) the file stops being strict UTF-8, and its newline count, reading on from after
    `first`. widths follows every block."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    lines = _Lines()
    block, newlines, invalid_line, replacement_line = first, 0, None, None
    while block:
        if replacement_line is None and (at := block.find(_REPLACEMENT_UTF8)) >= 0:
            replacement_line = newlines + block.count(b"\n", 0, at) + 1
        newlines += block.count(b"\n")
        widths.feed(block)
        if invalid_line is None:
            invalid_line = _decode_block(decoder, block, lines)
        block = stream.read(_SCAN_BLOCK)
    if invalid_line is None:
        invalid_line = _decode_block(decoder, b"", lines, final=True)
    return _Utf8Scan(newlines, invalid_line, lines.multibyte_before, replacement_line)


def _count_utf16_newlines(stream: BinaryIO, first: bytes, widths: bounds.LineWidths) -> int:
    # Counting b"\n" bytes would also count halves of other characters (上 is U+4E0A): decode instead.
    decoder = codecs.getincrementaldecoder("utf-16")("replace")
    block, newlines = first, 0
    while block:
        text = decoder.decode(block)
        newlines += text.count("\n")
        widths.feed(text.encode())
        block = stream.read(_SCAN_BLOCK)
    return newlines


# Characters GB18030 decodes from the GB2312 byte range that Python's gb2312 codec maps elsewhere.
_GB2312_TWINS = ("\u00b7", "\u2014")  # · —


def _implausible_gb18030(text: str) -> int | None:
    """The position of the first character Chinese text in GB18030 would hardly hold, or None.

    Chinese names and their punctuation are in GB2312 (the 7,445 everyday characters); what lies beyond it
    in GBK/GB18030 is rare characters, and exactly what bytes of another encoding turn into: Latin-1's
    "Zürich" reads as "Z黵ich". Checked at C speed by encoding to gb2312.
    """
    plain = text
    for twin in _GB2312_TWINS:
        plain = plain.replace(twin, "")
    try:
        plain.encode("gb2312")
    except UnicodeEncodeError as error:
        return text.index(plain[error.start])
    return None


def _line_excerpt(text: str, position: int) -> str:
    """The text from the start of the cell around position (at most 20 characters before it) to the end
    of its line, for a message (which cuts it further)."""
    cell_start = max(text.rfind(mark, 0, position) for mark in ("\n", ",", "\t")) + 1
    end = text.find("\n", position)
    return text[max(cell_start, position - 20):end if end >= 0 else len(text)].rstrip("\r")


def _text_problem(text: str, line: int, *, guessed: bool) -> RowError | None:
    """A U+FFFD in decoded text, or (in a guessed GB18030 file) a character outside GB2312: the first one,
    with its line (counted from `line`, the line the text starts on)."""
    replacement = text.find("\ufffd")
    implausible = _implausible_gb18030(text) if guessed else None
    if replacement < 0 and implausible is None:
        return None
    if implausible is None or 0 <= replacement < implausible:
        return RowError(line + text.count("\n", 0, replacement), None, REPLACEMENT_CHARACTER)
    return RowError(line + text.count("\n", 0, implausible), None, Message(
        GARBLED_TEXT, character=text[implausible], text=_line_excerpt(text, implausible)))


def _check_text(stream: BinaryIO, first: bytes, encoding: str, *, guessed: bool,
                widths: bounds.LineWidths | None = None) -> int:
    """Decode the whole file strictly, in blocks; return its newline count. A byte that is not text in the
    encoding, or a character that betrays a wrong encoding (see _text_problem), is a ReadError at its line.
    widths (if given) follows the text, as UTF-8."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    block, newlines = first, 0
    while True:
        state = decoder.getstate()
        try:
            text = decoder.decode(block, not block)
        except UnicodeDecodeError:
            # Where the bad byte is: the first replacement character of the same decoding, made lenient.
            lenient = codecs.getincrementaldecoder(encoding)("replace")
            lenient.setstate(state)
            text = lenient.decode(block, not block)
            line = newlines + text.count("\n", 0, text.find("\ufffd")) + 1
            reason = NOT_UTF8_OR_GB18030 if guessed else Message(NOT_IN_ENCODING, encoding=encoding)
            raise ReadError(RowError(line, None, reason)) from None
        if (problem := _text_problem(text, newlines + 1, guessed=guessed)) is not None:
            raise ReadError(problem)
        newlines += text.count("\n")
        if widths is not None:
            widths.feed(text.encode())
        if not block:
            return newlines
        block = stream.read(_SCAN_BLOCK)


def given_encoding(name: str) -> str:
    """The codec for an encoding the user named ("latin-1", "GBK", …); ReadError if Python has none."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ReadError(RowError(None, None, Message(UNKNOWN_ENCODING, name=name))) from None


def _detect(stream: BinaryIO, first: bytes, widths: bounds.LineWidths) -> tuple[str, int]:
    """Encoding and newline count of a file whose encoding was not given (see detect_encoding)."""
    encoding = _bom_encoding(first)
    if encoding == "utf-16":
        return encoding, _count_utf16_newlines(stream, first, widths)
    scan = _scan_utf8(stream, first, widths)
    # GBK bytes can happen to form a valid UTF-8 sequence or two, but not the whole of a Chinese line:
    # hence only multi-byte characters on earlier lines count as evidence of a UTF-8 file.
    if scan.invalid_line is not None and (encoding == "utf-8-sig" or scan.utf8_before):
        raise ReadError(RowError(scan.invalid_line, None, MIXED_ENCODINGS))
    if scan.invalid_line is None:
        if scan.replacement_line is not None:
            raise ReadError(RowError(scan.replacement_line, None, REPLACEMENT_CHARACTER))
        return encoding or "utf-8", scan.newlines
    # Not UTF-8: GB18030 is a guess, checked line by line (a Latin-1 file must not become 黵 silently).
    stream.seek(0)
    return "gb18030", _check_text(stream, stream.read(_SCAN_BLOCK), "gb18030", guessed=True)


def detect_encoding(stream: BinaryIO, encoding: str | None = None,
                    widths: bounds.LineWidths | None = None) -> tuple[str, int, str]:
    """Return (encoding, newline count, first block as text) and rewind the stream. widths, if given,
    follows the lines of the file for their number of values (see bounds.LineWidths).

    A given encoding is used as it is (a UTF-8 byte order mark is dropped), each line checked to be text in
    it. Otherwise a byte order mark decides: utf-8-sig, or utf-16 (LE or BE). Otherwise a file that decodes
    as strict UTF-8 from end to end is utf-8; a file whose first invalid byte comes before any multi-byte
    UTF-8 character (on an earlier line) is taken as GB18030 (a superset of GBK and GB2312, what Chinese
    Excel and monitoring platforms export), provided every line reads as plausible Chinese text: a line
    with a character beyond GB2312 (what Latin-1 or Windows-1252 bytes become) is rejected (ReadError),
    and the user asked to give the encoding. A file with UTF-8 characters on the lines before its first
    invalid byte, or a UTF-8 BOM and an invalid byte, mixes encodings (rows pasted from another export):
    read as GB18030, every Chinese name in it would be garbled (长沙 -> 闀挎矙) without a single error, so it
    is rejected (ReadError) at the line of that byte. A line holding U+FFFD (a character garbled before
    the file was saved) is rejected too. The whole file is scanned in blocks, so memory stays flat. The
    first block's text has no BOM; a character cut at the block's end is left out.
    """
    first = stream.read(_SCAN_BLOCK)
    widths = widths or bounds.LineWidths()
    if encoding is None:
        encoding, newlines = _detect(stream, first, widths)
    else:
        encoding = given_encoding(encoding)
        if encoding in _UTF8_NAMES and first.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        newlines = _check_text(stream, first, encoding, guessed=False, widths=widths)
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


def _check_row_bounds(line: int, values: tuple) -> None:
    """A row past Excel's last, or with a value past any column an import can have, ends the reading: the
    next rows may be as bad, and each would cost as much."""
    if line > bounds.MAX_SHEET_ROWS:
        raise ReadError(RowError(None, None, Message(SHEET_TOO_MANY_ROWS, limit=bounds.MAX_SHEET_ROWS)))
    if len(values) > MAX_COLUMNS and any(values[MAX_COLUMNS:]):
        raise ReadError(RowError(line, None, Message(ROW_TOO_WIDE, limit=MAX_COLUMNS)))


def read_xlsx(stream: BinaryIO, *, chunk_rows: int = CHUNK_ROWS) -> Table:
    """Open the first sheet of a workbook in openpyxl's streaming (read-only) mode."""
    import openpyxl  # imported here: only XLSX imports pay for it

    try:
        bounds.check_workbook(stream)
    except bounds.Unbounded as error:
        raise ReadError(error.error) from None
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        total = min(sheet.max_row - 1, bounds.MAX_SHEET_ROWS) if sheet.max_row else None
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
            _check_row_bounds(line, values)
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
               encoding: str | None = None) -> Table:
    """A CSV's encoding is detected unless given; a workbook has none to give (it is always Unicode)."""
    if file_format(file_name) == "xlsx":
        return read_xlsx(stream, chunk_rows=chunk_rows)
    return read_csv(stream, chunk_rows=chunk_rows, encoding=encoding)
