"""core.tables reads JSON Lines for the importers that ask for it: columns from the first object, cells as
text, the file's own line numbers, and its bounds."""
from __future__ import annotations

import codecs
import io

import pytest
from django.utils import translation

from core.tables.errors import ReadError
from core.tables.reading import read_table


def _read(data: bytes, **options):
    table = read_table(io.BytesIO(data), file_name="rows.jsonl", json_lines=True, **options)
    chunks = list(table.chunks())
    return table, [line for chunk in chunks for line in chunk.lines], [
        row for chunk in chunks for row in chunk.cells.values.tolist()], [str(p) for c in chunks for p in c.problems]


def test_the_first_objects_keys_are_the_columns_and_values_become_text_on_their_own_lines() -> None:
    data = codecs.BOM_UTF8 + '{"id": 3440000000000001, "n": 12.0, "ok": true, "x": null, "t": "长沙"}\n\n' \
        '{"t": "株洲", "id": "7"}\n'.encode()

    table, lines, rows, problems = _read(data, chunk_rows=1)

    assert (table.header, table.encoding, lines, problems) == (["id", "n", "ok", "x", "t"], "utf-8", [1, 3], [])
    assert rows == [["3440000000000001", "12", "true", None, "长沙"], ["7", None, None, None, "株洲"]]


def test_json_lines_are_read_only_when_the_importer_asks() -> None:
    with pytest.raises(ReadError) as refused:
        read_table(io.BytesIO(b"{}"), file_name="rows.jsonl")
    with translation.override("en"):
        assert str(refused.value.error) == "“rows.jsonl” is neither a .csv nor an .xlsx file"


def test_a_utf16_file_and_a_first_line_that_is_no_object_are_refused_whole() -> None:
    with pytest.raises(ReadError, match="UTF-16"):
        _read(codecs.BOM_UTF16_LE + '{"a": 1}\n'.encode("utf-16-le"))
    with pytest.raises(ReadError) as refused:
        _read(b"\n[1, 2]\n")
    assert refused.value.error.line == 2
