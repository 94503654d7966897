"""The import, start to finish: read chunks -> validate -> stage -> upsert, all-or-nothing.

Steps:
1. Open the file (format from the file name; CSV encoding detected) and match its header row.
2. Inside one transaction.atomic(): validate each chunk; while the file is still error-free, stage the
   chunk (COPY on PostgreSQL). Validation goes on after the first error so that every problem is
   reported (up to errors.MAX_KEPT_ERRORS, the rest counted), but nothing more is staged.
3. If anything was wrong, raise ImportFailed: the transaction rolls back and nothing is written.
4. Otherwise upsert cities, accounts and snapshots and record a SnapshotImport. A dry run does all of
   this too, for exact counts, then rolls the transaction back (it consumes id sequence numbers only).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import transaction

from accounts.importing.columns import ColumnMap, map_columns
from accounts.importing.errors import EMPTY_FILE, HEADER_ONLY, ErrorLog, ImportFailed, RowError
from accounts.importing.reading import CHUNK_ROWS, ReadError, Table, open_binary, read_table
from accounts.importing.validation import Validator
from accounts.importing.writing import Writer, writer_for_connection
from accounts.models import SnapshotImport

Progress = Callable[[int, "int | None"], None]


@dataclass
class ImportResult:
    rows: int
    encoding: str
    cities_created: int
    accounts_created: int
    snapshots_created: int
    snapshots_replaced: int
    dry_run: bool
    duration_ms: int
    record: SnapshotImport | None
    # Seconds per phase: read (opening, encoding scan, parsing), validate, stage (COPY / buffering),
    # upsert, commit (deferred foreign-key checks). duration_ms stops before the commit.
    timings: dict[str, float] = field(default_factory=dict)


class _Clock:
    def __init__(self) -> None:
        self.spent: dict[str, float] = {"read": 0.0, "validate": 0.0, "stage": 0.0, "upsert": 0.0, "commit": 0.0}
        self._mark = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.spent[phase] += now - self._mark
        self._mark = now


def _open(stream: IO[bytes], file_name: str, chunk_rows: int) -> tuple[Table, ColumnMap]:
    try:
        table = read_table(stream, file_name=file_name, chunk_rows=chunk_rows)
    except ReadError as error:
        raise ImportFailed([error.error]) from None
    if not any(cell.strip() for cell in table.header):
        raise ImportFailed([RowError(None, None, EMPTY_FILE)])
    errors = ErrorLog()
    columns = map_columns(table.header, errors=errors)
    if errors:
        raise errors.failure()
    return table, columns


def _validate_and_stage(table: Table, columns: ColumnMap, writer: Writer, clock: _Clock,
                        progress: Progress | None) -> Validator:
    validator = Validator(columns, ErrorLog())
    chunks = table.chunks()
    rows_done = 0
    while True:
        try:
            chunk = next(chunks, None)
        except ReadError as error:
            validator.errors.add(error.error.line, error.error.column, error.error.message)
            break
        clock.lap("read")
        if chunk is None:
            break
        # Rows the reader left out (too many values) are reported, and the other rows still validated.
        for problem in chunk.problems:
            validator.errors.add(problem.line, problem.column, problem.message)
        if len(chunk.cells):
            staged = validator.validate(chunk.lines, chunk.cells)
            clock.lap("validate")
            if staged is not None and not validator.errors:
                writer.stage(staged)
                clock.lap("stage")
        rows_done += len(chunk.cells) + len(chunk.problems)
        if progress:
            progress(rows_done, table.rows_estimate)
    return validator


def run_import(
    *,
    source: str | Path | IO[bytes],
    file_name: str,
    origin: str,
    user=None,
    dry_run: bool = False,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
    writer: Writer | None = None,
) -> ImportResult:
    """Import one file; raises ImportFailed (with every problem) and writes nothing if any row is wrong."""
    clock = _Clock()
    started = time.perf_counter()
    with open_binary(source) as stream:
        table, columns = _open(stream, file_name, chunk_rows)
        with transaction.atomic():
            writer = writer or writer_for_connection()
            writer.begin([header for _position, header in columns.extras])
            validator = _validate_and_stage(table, columns, writer, clock, progress)
            if not validator.errors and validator.rows == 0:
                validator.errors.add(None, None, HEADER_ONLY)
            if validator.errors:
                raise validator.errors.failure()
            counts = writer.finish(validator.cities.attributes, validator.accounts.attributes)
            clock.lap("upsert")
            duration_ms = round((time.perf_counter() - started) * 1000)
            record = None
            if dry_run:
                transaction.set_rollback(True)
            else:
                record = SnapshotImport.objects.create(
                    created_by=user, source=origin, file_name=Path(file_name).name[:255], encoding=table.encoding,
                    row_count=validator.rows, duration_ms=duration_ms, **vars(counts),
                )
        # Deferred constraint checks (Django's foreign keys are DEFERRABLE INITIALLY DEFERRED) run here.
        clock.lap("commit")
    return ImportResult(
        rows=validator.rows, encoding=table.encoding, dry_run=dry_run, duration_ms=duration_ms, record=record,
        timings=clock.spent, **vars(counts),
    )
