"""The import, start to finish: read chunks -> validate -> stage -> upsert, all-or-nothing.

Steps:
1. Open the file (format from the file name; CSV encoding detected) and match its header row.
2. Inside one transaction.atomic(): a producer thread reads and validates the chunks (pandas/numpy
   only, no database) and hands them over a small queue; this thread, which owns the database
   connection and the transaction, stages each chunk while the file is still error-free (on PostgreSQL
   that writes the chunk's cities, accounts and snapshots at once, so the database works while the next
   chunk is validated). Validation goes on after the first error so that every problem is reported (up
   to errors.MAX_KEPT_ERRORS, the rest counted), but nothing more is staged.
3. If anything was wrong, raise ImportFailed: the transaction rolls back and nothing is written, also
   what earlier chunks already wrote.
4. Otherwise finish the upsert (what the writer has not written yet) and record a SnapshotImport. A dry
   run does all of this too, for exact counts, then rolls the transaction back (it consumes id sequence
   numbers only).
"""
from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pandas as pd
from django.db import transaction

from accounts.importing.columns import ColumnMap, map_columns
from accounts.importing.validation import Validator
from accounts.importing.writing import Writer, writer_for_connection
from accounts.models import SnapshotImport
from core.tables.errors import EMPTY_FILE, HEADER_ONLY, ErrorLog, ImportFailed, RowError
from core.tables.reading import CHUNK_ROWS, ReadError, Table, open_binary, read_table

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
    # Seconds per phase: read (opening, encoding scan, parsing) and validate, in the producer thread;
    # stage (writing chunks: COPY and upserts on PostgreSQL, buffering elsewhere), wait (for the producer),
    # upsert (finish) and commit (deferred foreign-key checks), in the calling thread. read and validate
    # overlap the others, so the phases add up to more than the wall time. duration_ms stops before the commit.
    timings: dict[str, float] = field(default_factory=dict)


class _Clock:
    def __init__(self) -> None:
        self.spent: dict[str, float] = {
            "read": 0.0, "validate": 0.0, "stage": 0.0, "wait": 0.0, "upsert": 0.0, "commit": 0.0}
        self._mark = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.spent[phase] = self.spent.get(phase, 0.0) + now - self._mark
        self._mark = now


def _open(stream: IO[bytes], file_name: str, chunk_rows: int, encoding: str | None) -> tuple[Table, ColumnMap]:
    try:
        table = read_table(stream, file_name=file_name, chunk_rows=chunk_rows, encoding=encoding)
    except ReadError as error:
        raise ImportFailed([error.error]) from None
    if not any(cell.strip() for cell in table.header):
        raise ImportFailed([RowError(None, None, EMPTY_FILE)])
    errors = ErrorLog()
    columns = map_columns(table.header, errors=errors)
    if errors:
        raise errors.failure()
    return table, columns


# Validated chunks waiting to be written. Two keep the writer busy while bounding memory (each holds one
# chunk's staged frame; the registries are shared, not copied).
QUEUE_DEPTH = 2


@dataclass
class _Validated:
    """One chunk as the producer hands it over. snapshots is None when there is nothing to write (a blank
    chunk, or the file has an error by now); cities/accounts are the registries after this chunk."""

    rows_done: int
    snapshots: pd.DataFrame | None
    cities: pd.DataFrame
    accounts: pd.DataFrame


class _Producer(threading.Thread):
    """Reads and validates the chunks in its own thread and puts them on a bounded queue, then None.

    It touches no database (reading, Validator and Registry are pandas/numpy only), so the calling thread
    keeps the connection and the transaction. An unexpected exception is kept in `failure` for the calling
    thread to raise; `stop` (set by the calling thread when it gives up) makes it end at the next chunk.
    """

    def __init__(self, table: Table, validator: Validator) -> None:
        super().__init__(name="import-validate", daemon=False)
        self.table, self.validator = table, validator
        self.handover: queue.Queue[_Validated | None] = queue.Queue(maxsize=QUEUE_DEPTH)
        self.stop = threading.Event()
        self.found_error = threading.Event()
        self.failure: BaseException | None = None
        self.clock = _Clock()

    def run(self) -> None:
        try:
            for item in self._validated():
                if not self._put(item):
                    return
        except BaseException as error:  # handed to the calling thread, which raises it
            self.failure = error
        finally:
            self._put(None)

    def _put(self, item: _Validated | None) -> bool:
        """Waits for room on the queue unless the calling thread has stopped; False if it has."""
        while not self.stop.is_set():
            try:
                self.handover.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _validated(self) -> Iterator[_Validated]:
        validator, clock = self.validator, self.clock
        chunks = self.table.chunks()
        rows_done = 0
        while True:
            try:
                chunk = next(chunks, None)
            except ReadError as error:
                validator.errors.add(error.error.line, error.error.column, error.error.message)
                self.found_error.set()
                break
            clock.lap("read")
            if chunk is None:
                break
            # Rows the reader left out (too many values) are reported, and the other rows still validated.
            for problem in chunk.problems:
                validator.errors.add(problem.line, problem.column, problem.message)
            staged = None
            if len(chunk.cells):
                staged = validator.validate(chunk.lines, chunk.cells)
                clock.lap("validate")
            rows_done += len(chunk.cells) + len(chunk.problems)
            if validator.errors:
                self.found_error.set()
            yield _Validated(rows_done, None if validator.errors else staged,
                             validator.cities.attributes, validator.accounts.attributes)
            clock.lap("blocked")  # waiting for room on the queue: the writer's time, not validation's


def _next(producer: _Producer) -> _Validated | None:
    """The producer's next chunk, or None at the end (also if its thread has ended without saying so)."""
    while True:
        try:
            return producer.handover.get(timeout=0.5)
        except queue.Empty:
            if not producer.is_alive() and producer.handover.empty():
                return None


def _validate_and_stage(table: Table, columns: ColumnMap, writer: Writer, clock: _Clock,
                        progress: Progress | None) -> Validator:
    """Validation in a producer thread, staging here; returns once every chunk is validated and the
    producer thread has ended (also when staging or the producer fails: the error is raised here)."""
    validator = Validator(columns, ErrorLog())
    producer = _Producer(table, validator)
    producer.start()
    try:
        while (item := _next(producer)) is not None:
            clock.lap("wait")
            # Once any chunk had an error nothing more is written (the transaction will roll back anyway).
            # producer.found_error is set by the producer as soon as the log has an error.
            if item.snapshots is not None and not producer.found_error.is_set():
                writer.stage(item.snapshots, item.cities, item.accounts)
                clock.lap("stage")
            if progress:
                progress(item.rows_done, table.rows_estimate)
            clock.lap("stage")
    finally:
        producer.stop.set()
        producer.join()
    if producer.failure is not None:
        raise producer.failure
    clock.spent["read"] += producer.clock.spent["read"]
    clock.spent["validate"] += producer.clock.spent["validate"]
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
    encoding: str | None = None,
) -> ImportResult:
    """Import one file; raises ImportFailed (with every problem) and writes nothing if any row is wrong.
    encoding: a CSV's encoding as the user gave it; None to detect it."""
    clock = _Clock()
    started = time.perf_counter()
    with open_binary(source) as stream:
        table, columns = _open(stream, file_name, chunk_rows, encoding)
        clock.lap("read")
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
