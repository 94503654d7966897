"""Reading a JSON Lines file (one JSON object per line, UTF-8) into the chunks of raw cells every importer reads.

The file contract: each non-blank line is one object of plain values (text, numbers, true/false, null); the
keys of the first object are the columns (its "header"), in their order; a later object may leave keys out
(empty cells) but may not bring keys the first one lacks. Blank lines are skipped. Line numbers are the
file's physical lines: the first object is on line 1 (there is no header line).

Bounds against hostile files, checked before a line is parsed, as the CSV and XLSX readers do:
- a line is read with a limit (MAX_LINE_BYTES, like an XLSX cell's MAX_SHEET_ITEM_BYTES): a longer line
  ends the reading with its line number, so memory stays flat whatever the file holds;
- the first object has at most MAX_COLUMNS keys, as a header has at most MAX_COLUMNS columns;
- a value must be plain: a nested list or object is a problem of its row, and nesting deep enough to
  exhaust the parser's recursion is caught as the same problem (Python's json raises RecursionError
  cleanly, and the line limit bounds its work); NaN and Infinity, which JSON does not have, are refused.
A line that is not JSON, not an object, or not UTF-8 text is a problem of its row; the other rows are
still read, so every problem is reported.
"""
from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from core.tables.bounds import MAX_COLUMNS, TOO_MANY_COLUMNS
from core.tables.cells import cell_text
from core.tables.errors import Message, ReadError, RowError

if TYPE_CHECKING:
    from core.tables.reading import Table

MAX_LINE_BYTES = 4 * 1024 * 1024
_COUNT_BLOCK = 1 << 20

LINE_TOO_LONG = _(
    "this line is longer than %(limit)d MB, far more than one row of a table needs; check that the file is "
    "JSON Lines, one object per line"
)
NOT_JSON = _("this line is not JSON: %(reason)s")
NOT_AN_OBJECT = _("this line is not a JSON object ({…}); each line of a JSON Lines file is one row")
NESTED_VALUE = _("the value of “%(name)s” is a list or an object; a cell holds text, a number, true/false or null")
TOO_DEEP = _("this line nests lists or objects too deeply; a row is one object of plain values")
UNKNOWN_KEY = _("the key “%(name)s” is not among the keys of the first line, which name the columns")
NOT_UTF8 = _("this line is not UTF-8 text; a JSON Lines file is UTF-8")
UTF16_JSON = _("the file is UTF-16; a JSON Lines file is UTF-8: save it again as UTF-8")


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON value")


class _Lines:
    """The file's lines, numbered, each at most MAX_LINE_BYTES (a longer one is a ReadError)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream, self.number = stream, 0

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        while True:
            raw = self.stream.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            self.number += 1
            if len(raw) > MAX_LINE_BYTES:
                raise ReadError(RowError(self.number, None, Message(LINE_TOO_LONG, limit=MAX_LINE_BYTES >> 20)))
            if self.number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            yield self.number, raw


def _parsed(line: int, raw: bytes) -> dict | RowError | None:
    """The line's object, None for a blank line, or the RowError that says why it is not a row."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return RowError(line, None, NOT_UTF8)
    if not text.strip():
        return None
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        return RowError(line, None, TOO_DEEP)
    except ValueError as error:
        return RowError(line, None, Message(NOT_JSON, reason=str(error).split(":")[0]))
    if not isinstance(value, dict):
        return RowError(line, None, NOT_AN_OBJECT)
    return value


def _cells(line: int, row: dict, positions: dict[str, int]) -> list[object] | RowError:
    """The object as cells in the header's order; a nested value or a key the header lacks is a RowError."""
    cells: list[object] = [None] * len(positions)
    for key, value in row.items():
        position = positions.get(key)
        if position is None:
            return RowError(line, None, Message(UNKNOWN_KEY, name=key))
        if isinstance(value, (dict, list)):
            return RowError(line, str(key), Message(NESTED_VALUE, name=key))
        cells[position] = None if value is None else value if isinstance(value, str) else cell_text(value)
    return cells


def _newlines(stream: BinaryIO) -> int:
    """The file's line count, for progress only (counted in C, block by block); rewinds the stream."""
    count = 0
    while block := stream.read(_COUNT_BLOCK):
        count += block.count(b"\n")
    stream.seek(0)
    return count


def _first_object(lines: Iterator[tuple[int, bytes]]) -> tuple[int, dict]:
    """The first object of the file and its line. A line before it that is neither blank nor an object
    leaves the file without columns: a ReadError."""
    for line, raw in lines:
        parsed = _parsed(line, raw)
        if isinstance(parsed, RowError):
            raise ReadError(parsed)
        if parsed is not None:
            return line, parsed
    return 0, {}


def read_jsonl(stream: BinaryIO, *, chunk_rows: int) -> Table:
    """Open a JSON Lines file for chunked reading: a reading.Table whose header is the first object's keys
    (a file without any object has none: the importer calls it empty)."""
    from core.tables.reading import Chunk, Table  # reading imports this module

    if stream.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise ReadError(RowError(None, None, UTF16_JSON))
    stream.seek(0)
    rows_estimate = _newlines(stream)
    lines = iter(_Lines(stream))
    first_line, first = _first_object(lines)
    if not first:
        return Table([], lambda: iter(()), "utf-8", 0)
    header = [str(key) for key in first]
    if len(header) > MAX_COLUMNS:
        raise ReadError(RowError(first_line, None, Message(TOO_MANY_COLUMNS, count=len(header), limit=MAX_COLUMNS)))
    positions = {key: position for position, key in enumerate(first)}

    def chunks() -> Iterator[Chunk]:
        batch: list[list[object]] = []
        numbers: list[int] = []
        problems: list[RowError] = []
        for line, parsed in _objects(first_line, first, lines):
            cells = parsed if isinstance(parsed, RowError) else _cells(line, parsed, positions)
            if isinstance(cells, RowError):
                problems.append(cells)
            else:
                batch.append(cells)
                numbers.append(line)
            if len(batch) == chunk_rows:
                yield Chunk(np.array(numbers, dtype=np.int64), _frame(batch, len(header)), problems)
                batch, numbers, problems = [], [], []
        if batch or problems:
            yield Chunk(np.array(numbers, dtype=np.int64), _frame(batch, len(header)), problems)

    return Table(header, chunks, "utf-8", rows_estimate)


def _objects(first_line: int, first: dict, lines: Iterator[tuple[int, bytes]]
             ) -> Iterator[tuple[int, dict | RowError]]:
    """The first object, then every later line that is not blank: its object or its problem."""
    yield first_line, first
    for line, raw in lines:
        parsed = _parsed(line, raw)
        if parsed is not None:
            yield line, parsed


def _frame(batch: list[list[object]], width: int) -> pd.DataFrame:
    return pd.DataFrame(batch, dtype=object, columns=range(width))
