"""An award file's rows as trimmed texts, read by the shared table reader (core.tables) and bounded."""
from __future__ import annotations

from pathlib import Path
from typing import IO

from django.utils.translation import gettext_lazy as _

from awards.importing.columns import WRONG_KIND, column_map
from core.tables.errors import (
    EMPTY_FILE,
    HEADER_ONLY,
    ErrorLog,
    Message,
    ReadError,
    control_character_message,
)
from core.tables.reading import Table, open_binary, read_table

TOO_MANY_ROWS = _("an award file has at most %(limit)s rows (candidates × experts); this one has more")
# A round has tens of candidates and experts: far fewer rows than this. A bigger file is a mistake (or
# hostile) and is refused before its rows are checked one by one.
MAX_ROWS = 50_000


def _rows(table: Table, errors: ErrorLog) -> list[tuple[int, list[str]]]:
    """Every data row as (line, trimmed texts); rows the reader had to leave out are problems."""
    rows = []
    for chunk in table.chunks():
        if len(rows) + len(chunk.cells) > MAX_ROWS:
            errors.add(None, None, Message(TOO_MANY_ROWS, limit=f"{MAX_ROWS:,}"))
            return rows
        for line, values in zip(chunk.lines.tolist(), chunk.cells.itertuples(index=False), strict=True):
            texts = ["" if value is None or value != value else str(value).strip() for value in values]
            _check_control_characters(int(line), texts, table.header, errors)
            rows.append((int(line), texts))
        for problem in chunk.problems:
            errors.add(problem.line, problem.column, problem.message)
    return rows


def _check_control_characters(line: int, texts: list[str], header: list[str], errors: ErrorLog) -> None:
    """A cell holding a NUL or another control character is a problem at its line and column: PostgreSQL
    cannot store NUL in text, and no name, score or comment has a reason to hold one."""
    for position, text in enumerate(texts):
        if (problem := control_character_message(text)) is not None:
            errors.add(line, header[position] if position < len(header) else None, problem)


def read(source: str | Path | IO[bytes], *, file_name: str, encoding: str | None, kind: str | None,
          errors: ErrorLog) -> tuple[str, dict[str, tuple[int, str]], list[tuple[int, list[str]]], str]:
    """(kind, columns, rows, encoding) of the file; raises ImportFailed with every problem found so far."""
    with open_binary(source) as stream:
        try:
            table = read_table(stream, file_name=file_name, encoding=encoding, chunk_rows=MAX_ROWS + 1,
                               max_rows=MAX_ROWS)
            if not table.header:
                errors.add(None, None, EMPTY_FILE)
                raise errors.failure()
            found, columns = column_map(table.header, errors)
            if found and kind and found != kind:
                errors.add(1, None, WRONG_KIND[kind])
            if errors:
                raise errors.failure()
            rows = _rows(table, errors)
        except ReadError as error:
            errors.add(error.error.line, error.error.column, error.error.message)
            raise errors.failure() from None
    if not rows and not errors:
        errors.add(None, None, HEADER_ONLY)
    if errors:
        raise errors.failure()
    return found, columns, rows, table.encoding

