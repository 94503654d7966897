"""The shared table reader (core.tables), tested on its own: no importer, no database."""
from __future__ import annotations

import io

import pytest
from django.utils import translation

from core.tables import bounds
from core.tables.errors import ErrorLog, ImportFailed, Message, ReadError, RowError
from core.tables.reading import file_format, read_table


def test_a_row_error_keeps_only_the_cut_values() -> None:
    """Kept errors must not hold on to huge cells until they are shown."""
    error = RowError(2, "c" * 10_000, Message("“%(value)s” and %(limit)d", value="v" * 10_000, limit=5))
    assert error.column == "c" * 50 + "…"
    assert error.message.params == {"value": "v" * 50 + "…", "limit": 5}


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("block_size", [7, 1000, 1 << 20])
def test_a_wide_line_is_found_at_its_line_whatever_the_blocks_and_line_ends(line_end: str, block_size: int) -> None:
    """The header may be as wide as it likes (its own checks apply); the first wider data line is named."""
    data = line_end.join(["h" + "," * 1500, "a,b", "c" + "," * 1001, "d" + "," * 2000, ""]).encode()
    widths = bounds.LineWidths()
    for start in range(0, len(data), block_size):
        widths.feed(data[start:start + block_size])
    assert widths.wide_line == 3


def test_a_csv_is_read_with_the_lines_a_spreadsheet_shows_and_its_surplus_rows_as_problems() -> None:
    data = "name,votes\n长沙,12\n株洲,3,x,y\n湘潭,\n".encode("gb18030")
    table = read_table(io.BytesIO(data), file_name="votes.csv")
    chunks = list(table.chunks())
    assert (table.header, table.encoding) == (["name", "votes"], "gb18030")
    assert [int(line) for chunk in chunks for line in chunk.lines] == [2, 4]
    assert [cells for chunk in chunks for cells in chunk.cells[0]] == ["长沙", "湘潭"]
    with translation.override("en"):
        assert [str(problem) for chunk in chunks for problem in chunk.problems] == [
            "line 3: this row has 4 values but the header has 2 columns"]


def test_a_file_that_is_neither_csv_nor_xlsx_is_a_read_error_naming_it() -> None:
    with pytest.raises(ReadError) as raised, translation.override("en"):
        file_format("scores.pdf")
    with translation.override("en"):
        assert str(raised.value.error) == "“scores.pdf” is neither a .csv nor an .xlsx file"


def test_the_error_log_keeps_its_cap_and_counts_the_rest() -> None:
    log = ErrorLog(cap=2)
    for line in range(2, 7):
        log.add(line, "votes", "not a number")
    failure = log.failure()
    assert isinstance(failure, ImportFailed)
    assert (len(failure.errors), failure.total, failure.more) == (2, 5, 3)
    with translation.override("en"):
        assert failure.lines() == ["line 2, column votes: not a number", "line 3, column votes: not a number",
                                   "… and 3 more problem(s)"]
