"""The import's two threads: validation in a producer thread, writing in the caller's, all-or-nothing."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import IntegrityError
from django.utils import translation

from accounts.importing import run_import, writer_for_connection
from accounts.importing.validation import Validator
from accounts.models import City, GovAccount, Snapshot, SnapshotImport
from core.tables.errors import ImportFailed
from tests.factories import import_csv_text, import_row, write_import_csv

pytestmark = pytest.mark.django_db

# 20 valid rows: 4 accounts x 5 months; with chunk_rows=2 that is 10 chunks.
ROWS = [import_row(account=f"账号{n % 4}", city=f"城市{n % 4}", period=f"2012-{n // 4 + 1:02d}", fans=n)
        for n in range(20)]


def written() -> tuple[int, int, int, int]:
    return (City.objects.count(), GovAccount.objects.count(), Snapshot.objects.count(),
            SnapshotImport.objects.count())


class CountingWriter:
    """The real writer; records how many snapshots the transaction holds after each staged chunk."""

    def __init__(self) -> None:
        self.inner = writer_for_connection()
        self.snapshots_after_stage: list[int] = []

    def begin(self, metric_names):
        self.inner.begin(metric_names)

    def stage(self, snapshots, cities, accounts):
        self.inner.stage(snapshots, cities, accounts)
        self.snapshots_after_stage.append(Snapshot.objects.count())

    def finish(self, cities, accounts):
        return self.inner.finish(cities, accounts)


def test_an_error_in_a_later_chunk_writes_nothing(tmp_path: Path) -> None:
    rows = [*ROWS, import_row(account="账号9", period="2012-01", fans="many")]  # line 22, chunk 11
    threads_before = threading.active_count()
    with pytest.raises(ImportFailed) as failure:
        run_import(source=write_import_csv(tmp_path / "a.csv", rows), file_name="a.csv", origin="command",
                   chunk_rows=2)
    assert [error.line for error in failure.value.errors] == [22]
    assert written() == (0, 0, 0, 0)
    assert threading.active_count() == threads_before


@pytest.mark.postgres
def test_on_postgresql_chunks_written_before_a_later_error_are_rolled_back(tmp_path: Path) -> None:
    rows = [*ROWS, import_row(account="账号9", period="2012-01", fans="many")]
    writer = CountingWriter()
    with pytest.raises(ImportFailed):
        run_import(source=write_import_csv(tmp_path / "a.csv", rows), file_name="a.csv", origin="command",
                   chunk_rows=2, writer=writer)
    # The producer is at most a few chunks ahead (a queue of 2), so the first chunks of ten were written
    # inside the transaction, 2 snapshots each, before the error in the last chunk was found.
    assert writer.snapshots_after_stage[:3] == [2, 4, 6]
    assert written() == (0, 0, 0, 0)


def test_a_clean_file_in_many_chunks_stages_every_chunk(tmp_path: Path) -> None:
    writer = CountingWriter()
    result = run_import(source=write_import_csv(tmp_path / "a.csv", ROWS), file_name="a.csv", origin="command",
                        chunk_rows=2, writer=writer)
    assert len(writer.snapshots_after_stage) == 10
    assert (result.cities_created, result.accounts_created, result.snapshots_created,
            result.snapshots_replaced) == (4, 4, 20, 0)
    assert written() == (4, 4, 20, 1)


def test_a_file_that_cannot_be_read_on_mid_file_ends_cleanly(tmp_path: Path) -> None:
    text = import_csv_text(ROWS) + '长沙,湖南,"长沙警事,sina,police,city,2012-09,1,1,1,1,1,1,1\n'  # line 22
    path = tmp_path / "a.csv"
    path.write_bytes(text.encode())
    threads_before = threading.active_count()
    with pytest.raises(ImportFailed) as failure:
        run_import(source=path, file_name="a.csv", origin="command", chunk_rows=2)
    with translation.override("en"):
        assert failure.value.lines() == [
            "the file cannot be read: the quoted value that starts on line 22 is never closed"]
    assert written() == (0, 0, 0, 0)
    assert threading.active_count() == threads_before


def test_an_unexpected_error_in_validation_reaches_the_caller_and_ends_the_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validate = Validator.validate
    calls = []

    def failing_on_the_third_chunk(self, lines, chunk):
        calls.append(len(chunk))
        if len(calls) == 3:
            raise RuntimeError("validator broke")
        return validate(self, lines, chunk)

    monkeypatch.setattr(Validator, "validate", failing_on_the_third_chunk)
    threads_before = threading.active_count()
    with pytest.raises(RuntimeError, match="validator broke"):
        run_import(source=write_import_csv(tmp_path / "a.csv", ROWS), file_name="a.csv", origin="command",
                   chunk_rows=2)
    assert len(calls) == 3  # the producer stopped at the error
    assert written() == (0, 0, 0, 0)
    assert threading.active_count() == threads_before


def test_a_database_error_on_an_early_chunk_stops_the_producer(tmp_path: Path) -> None:
    class FailingOnFirstStage(CountingWriter):
        def stage(self, snapshots, cities, accounts):
            super().stage(snapshots, cities, accounts)
            raise IntegrityError("simulated constraint violation")

    threads_before = threading.active_count()
    writer = FailingOnFirstStage()
    with pytest.raises(IntegrityError):
        run_import(source=write_import_csv(tmp_path / "a.csv", ROWS), file_name="a.csv", origin="command",
                   chunk_rows=2, writer=writer)
    assert len(writer.snapshots_after_stage) == 1
    assert written() == (0, 0, 0, 0)
    assert threading.active_count() == threads_before
