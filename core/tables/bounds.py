"""Limits that keep a hostile file from costing more than its size: checked before the parsers expand it.

CSV: the C parser holds every value of a line before it can skip the line, so a 50 MB line of commas would
take 600 MB; LineWidths finds such a line while the encoding scan reads the file anyway.

XLSX: a workbook is a zip of XML parts, and a 200 KB zip can hold a 200 MB string. openpyxl reads the
shared strings (and the styles, the workbook part, …) whole, and builds each cell of the streamed sheet
whole; check_workbook bounds the parts by their declared sizes (zipfile refuses to inflate a member past its
declared size), and each XML item of the sheets, before openpyxl parses them. A sheet that claims more rows
than an import reads (its <dimension ref="A1:Z3000000"/>), or has more (<row> elements, or a last row
number past the limit, which openpyxl would pad with empty rows one by one), is refused in the same scan:
a 7 MB zip of three million empty rows took 15-100 s and up to 495 MB before openpyxl reached row 1,048,577.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from django.utils.translation import gettext_lazy as _

from core.tables.errors import (
    SHEET_DECLARES_TOO_MANY_ROWS,
    SHEET_HAS_TOO_MANY_ROWS,
    SHEET_ITEM_TOO_LARGE,
    TOO_MANY_VALUES,
    WORKBOOK_PART_TOO_LARGE,
    Message,
    RowError,
)

# Every column is checked in every chunk, and each extra metric is a column of the import's staging table
# (PostgreSQL allows at most 1600, and a row of them must fit in one 8 KB page): a snapshot file needs
# about 25 columns, and a few hundred extra metrics is already more than any export has.
MAX_COLUMNS = 500
TOO_MANY_COLUMNS = _(
    "the header has %(count)d columns; at most %(limit)d can be imported (the snapshot columns plus extra "
    "metrics). Remove the columns you do not need, or split the file"
)


# A data line may hold values past the header's (each such row is reported), but not without bound.
MAX_LINE_VALUES = 2 * MAX_COLUMNS
_NEWLINE, _CARRIAGE_RETURN, _SEPARATORS = 10, 13, (b",", b"\t")

# Parts openpyxl reads whole. Real workbooks' shared strings hold each distinct text once: a few MB even for
# a million rows (names repeat). 32 MB of tiny strings is about 2 million Python strings (~150 MB).
MAX_PART_BYTES = 32 * 1024 * 1024
# The streamed sheet: the XML of one cell, or any text between two tags. Excel's own limit for a cell is
# 32,767 characters (at most ~300 KB of XML even with rich text runs); 4 MB leaves room and bounds memory.
MAX_SHEET_ITEM_BYTES = 4 * 1024 * 1024
# The sheet as a whole: a million rows of a wide export are about 1 GB of XML. Reading more would take hours.
MAX_SHEET_BYTES = 2 * 1024 * 1024 * 1024
_SCAN_BLOCK = 4 * 1024 * 1024


class LineWidths:
    """Follows the raw bytes of a CSV (an ASCII-compatible encoding) block by block and remembers the first
    data line with more than MAX_LINE_VALUES separators of either kind (comma or tab).

    Only a line longer than MAX_LINE_VALUES bytes can have that many, and nearly no line is: the line ends
    are found with numpy, and only the long lines' separators are counted.
    """

    def __init__(self) -> None:
        self.line_feeds = self.carriage_returns = 0
        self.running = {separator: 0 for separator in _SEPARATORS}  # separators since the last line end
        self.wide_line: int | None = None

    def feed(self, block: bytes) -> None:
        if self.wide_line is not None or not block:
            return
        data = np.frombuffer(block, dtype=np.uint8)
        line_ends = (data == _NEWLINE) | (data == _CARRIAGE_RETURN) if b"\r" in block else data == _NEWLINE
        ends = np.flatnonzero(line_ends)
        in_header = self.line_feeds == 0 and self.carriage_returns == 0
        starts = np.concatenate(([0], ends[:-1] + 1))
        long_lines = np.flatnonzero(ends - starts > MAX_LINE_VALUES)
        if len(ends):
            # The line that began in an earlier block ends here: its earlier part has been counted.
            first = self._separators(block, 0, int(ends[0]), carried=True)
            if first > MAX_LINE_VALUES and not in_header:
                return self._found(block, 0)
            for line in long_lines[long_lines > 0]:
                if self._separators(block, int(starts[line]), int(ends[line])) > MAX_LINE_VALUES:
                    return self._found(block, int(starts[line]))
            self.running = dict.fromkeys(_SEPARATORS, 0)
        tail_start = int(ends[-1]) + 1 if len(ends) else 0
        for separator in _SEPARATORS:
            self.running[separator] += block.count(separator, tail_start)
        if max(self.running.values()) > MAX_LINE_VALUES and not (in_header and not len(ends)):
            return self._found(block, tail_start)
        self.line_feeds += block.count(b"\n")
        self.carriage_returns += block.count(b"\r")
        return None

    def _separators(self, block: bytes, start: int, end: int, *, carried: bool = False) -> int:
        """The most separators of one kind between start and end (plus those carried from earlier blocks)."""
        return max(block.count(separator, start, end) + (self.running[separator] if carried else 0)
                   for separator in _SEPARATORS)

    def _found(self, block: bytes, line_start: int) -> None:
        """Record the line that starts at line_start in this block (or, at 0, in an earlier block)."""
        line_feeds = self.line_feeds + block.count(b"\n", 0, line_start)
        carriage_returns = self.carriage_returns + block.count(b"\r", 0, line_start)
        self.wide_line = (line_feeds or carriage_returns) + 1  # CR alone ends lines only in old Mac files

    def problem(self) -> RowError | None:
        if self.wide_line is None:
            return None
        return RowError(self.wide_line, None, Message(TOO_MANY_VALUES, limit=MAX_LINE_VALUES, columns=MAX_COLUMNS))


# Excel's own limit: a sheet row past it was not written by a spreadsheet, and the reader would pad the
# rows up to it.
MAX_SHEET_ROWS = 1_048_576


class Unbounded(Exception):
    """A file past one of the bounds; error says which, for the user."""

    def __init__(self, error: RowError) -> None:
        self.error = error
        super().__init__(str(error))


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def check_workbook(stream: BinaryIO, *, max_rows: int = MAX_SHEET_ROWS - 1) -> dict[str, SheetRows]:
    """Raise Unbounded if a part openpyxl reads whole, or a sheet, is declared larger than its bound, an
    item of a sheet's XML is larger than MAX_SHEET_ITEM_BYTES, or a sheet declares or has more than
    `max_rows` data rows (the header row aside). Every sheet is checked, since openpyxl reads into each one
    when it opens the workbook (to find its size: the whole sheet when it declares none). A file that is
    not a zip is left to openpyxl (which says so). Returns each sheet's rows by part name. Rewinds the stream."""
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        stream.seek(0)
        return {}
    sheets: dict[str, SheetRows] = {}
    try:
        for info in archive.infolist():
            limit = MAX_SHEET_BYTES if _is_sheet(info.filename) else MAX_PART_BYTES
            if info.file_size > limit:
                raise Unbounded(RowError(None, None, Message(
                    WORKBOOK_PART_TOO_LARGE, name=info.filename, size=info.file_size >> 20, limit=limit >> 20)))
        for info in archive.infolist():
            if _is_sheet(info.filename):
                sheets[info.filename] = _check_sheet(archive, info.filename, max_rows=max_rows)
    except (zipfile.BadZipFile, OSError, EOFError):
        pass  # a damaged member: openpyxl will say the file is not a workbook
    finally:
        stream.seek(0)
    return sheets


@dataclass
class SheetRows:
    """What a sheet's XML says of its rows: the last row of its declared dimension (None without one),
    how many <row> elements it has, and the highest row number among them."""

    declared: int | None = None
    elements: int = 0
    last: int = 0


# <dimension ref="A1:Z3000000"/> (or ref="A1" for a one-cell sheet), prefixed or not; it comes before the rows.
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=[\"']([A-Za-z]*[0-9]*:?[A-Za-z]*([0-9]+))[\"']")
_ROW_NUMBER = re.compile(rb"\sr=[\"']([0-9]{1,12})[\"']")
_ROW_TAGS = (b"<row ", b"<row>", b":row ", b":row>")
_DIMENSION_HEAD = 64 * 1024


class _RowCounter:
    """Counts a sheet's rows block by block (blocks end before a "<", so every tag is whole)."""

    def __init__(self) -> None:
        self.rows = SheetRows()
        self.head = True

    def feed(self, block: bytes) -> None:
        if self.head and (found := _DIMENSION.search(block, 0, _DIMENSION_HEAD)):
            self.rows.declared = int(found[2])
        self.head = False
        self.rows.elements += sum(block.count(tag) for tag in _ROW_TAGS)
        last_tag = max(block.rfind(tag) for tag in _ROW_TAGS)
        if last_tag >= 0 and (number := _ROW_NUMBER.search(block, last_tag, block.find(b">", last_tag) + 1)):
            self.rows.last = max(self.rows.last, int(number[1]))

    def problem(self, part: str, max_rows: int) -> RowError | None:
        """Rows are counted with the header's: a sheet may have max_rows + 1."""
        rows = self.rows
        if rows.declared is not None and rows.declared > max_rows + 1:
            return RowError(None, None, Message(SHEET_DECLARES_TOO_MANY_ROWS, name=part, rows=f"{rows.declared - 1:,}",
                                                limit=f"{max_rows:,}"))
        if max(rows.elements, rows.last) > max_rows + 1:
            return RowError(None, None, Message(SHEET_HAS_TOO_MANY_ROWS, name=part, limit=f"{max_rows:,}"))
        return None


class _ItemSizes:
    """Follows a sheet's XML and finds the first item larger than MAX_SHEET_ITEM_BYTES: a run of bytes
    without a tag, or a cell (<c …> to the next </c>, <c …>, <row …> or </row>)."""

    def __init__(self) -> None:
        self.offset = 0  # of the current block in the part
        self.last_tag = 0  # offset of the last "<" seen
        self.open_cell: int | None = None  # offset of a cell not closed yet

    def feed(self, block: bytes) -> bool:
        """False when an item is too large. The block must not end inside a tag."""
        if not block:
            return True
        data = np.frombuffer(block, dtype=np.uint8)
        tags = np.flatnonzero(data == ord("<"))
        positions = tags + self.offset
        gaps = np.diff(positions, prepend=self.last_tag)
        ok = not (gaps > MAX_SHEET_ITEM_BYTES).any() and self.offset + len(block) - (
            positions[-1] if len(positions) else self.last_tag) <= MAX_SHEET_ITEM_BYTES
        if len(positions):
            self.last_tag = int(positions[-1])
        ok = ok and self._cells(block, tags)
        self.offset += len(block)
        return ok

    def _cells(self, block: bytes, tags: np.ndarray) -> bool:
        padded = np.frombuffer(block + b"\0\0\0\0\0", dtype=np.uint8)
        after = [padded[tags + step] for step in range(1, 5)]
        opens = (after[0] == ord("c")) & np.isin(after[1], np.frombuffer(b" />\t\r\n", dtype=np.uint8))
        closes = (after[0] == ord("/")) & (after[1] == ord("c")) & (after[2] == ord(">"))
        rows = ((after[0] == ord("r")) | ((after[0] == ord("/")) & (after[1] == ord("r")))) & (
            (after[1] == ord("o")) | (after[2] == ord("o")))
        bounds = tags[opens | closes | rows] + self.offset
        starts = tags[opens] + self.offset
        if self.open_cell is not None:
            starts = np.concatenate(([self.open_cell], starts))
        following = np.searchsorted(bounds, starts, side="right")
        closed = following < len(bounds)
        sizes = bounds[following[closed]] - starts[closed]
        self.open_cell = int(starts[~closed][0]) if (~closed).any() else None
        end = self.offset + len(block)
        return not (sizes > MAX_SHEET_ITEM_BYTES).any() and (
            self.open_cell is None or end - self.open_cell <= MAX_SHEET_ITEM_BYTES)


def _check_sheet(archive: zipfile.ZipFile, part: str, *, max_rows: int) -> SheetRows:
    """Raise Unbounded if an item of the sheet's XML is larger than MAX_SHEET_ITEM_BYTES, or the sheet declares
    or has more than max_rows data rows (refused as soon as the count passes it, before the rest is read).

    Blocks are cut before their last "<", so that every tag looked at is whole."""
    sizes, rows = _ItemSizes(), _RowCounter()
    pending = b""
    with archive.open(part) as source:
        while True:
            block = source.read(_SCAN_BLOCK)
            data = pending + block
            cut = max(data.rfind(b"<"), 0) if block else len(data)
            if not sizes.feed(data[:cut]) or len(data) - cut > MAX_SHEET_ITEM_BYTES:
                raise Unbounded(RowError(None, None, Message(SHEET_ITEM_TOO_LARGE, limit=MAX_SHEET_ITEM_BYTES >> 20)))
            rows.feed(data[:cut])
            if (problem := rows.problem(part, max_rows)) is not None:
                raise Unbounded(problem)
            pending = data[cut:]
            if not block:
                return rows.rows
