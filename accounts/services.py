"""Writes to cities, accounts and snapshots: the import itself, and the upload's import job around it."""
from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.importing import ImportResult, WriteCounts, Writer, run_import, writer_for_connection
from accounts.models import ImportJob, Province, SnapshotImport
from core.dispatch import task_send
from core.errors import INFRASTRUCTURE_ERRORS
from core.provinces import PROVINCES
from core.tables.errors import ImportFailed, Message

logger = logging.getLogger(__name__)


def provinces_ensure(*, using: str = "default") -> None:
    """The 34 province rows (core.provinces) exist: the ones missing are created. One query when they do."""
    provinces = Province.objects.using(using)
    if provinces.count() == len(PROVINCES):
        return
    provinces.bulk_create([Province(name=info.name, full_name=info.full_name, name_en=info.name_en,
                                    adcode=info.adcode) for info in PROVINCES], ignore_conflicts=True)


def snapshots_import(
    *,
    source: str | Path | IO[bytes],
    file_name: str | None = None,
    origin: str = SnapshotImport.Source.COMMAND,
    user=None,
    dry_run: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
    encoding: str | None = None,
) -> ImportResult:
    """Import a CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX file of snapshots, all-or-nothing.

    source: a path or a binary file-like object (e.g. a Django UploadedFile). file_name decides the
    format (.csv/.xlsx) and is recorded; it defaults to the path's name. Cities and accounts are created
    on first sight; an existing account takes the file's city, category and level; an existing snapshot
    of the same account and period is replaced. Raises ImportFailed listing every problem (nothing is
    written then). progress(rows_done, rows_total_or_None) is called after each chunk. encoding: a CSV's
    encoding if the user knows it (e.g. "latin-1"); by default it is detected.
    The file format is documented in accounts/importing/columns.py and docs/importing.md.
    """
    if file_name is None:
        file_name = Path(source).name if isinstance(source, (str, Path)) else getattr(source, "name", "upload.csv")
    return run_import(
        source=source, file_name=str(file_name), origin=origin, user=user, dry_run=dry_run, progress=progress,
        encoding=encoding,
    )


# --- The upload's import job -------------------------------------------------------------------------------
# The task the upload page enqueues (accounts/tasks.py), sent by name: tasks import services, not the reverse.
IMPORT_TASK = "accounts.snapshots_import_execute"
# The status page lists these first problems of a rejected file and counts the rest.
PROBLEMS_KEPT = 200
# Reading and validating the rows fills the bar up to here; the final upsert and the commit do the rest.
VALIDATED_PERCENT = 90
# Seconds between two progress writes: a 2-million-row file has 20 chunks, a small one a single chunk.
PROGRESS_INTERVAL = 0.5

CONNECTION_LOST = _("The database connection was lost during the import; nothing was imported.")
QUEUE_UNREACHABLE = _("The task queue could not be reached: %(error)s")
FILE_MISSING = _(
    "The uploaded file %(name)s is missing: the web server and the task worker must share GOVWEIBO_IMPORT_DIR."
)
UNEXPECTED_ERROR = _("Unexpected error (%(type)s): %(error)s")
TOO_SLOW = _("The import took more than %(minutes)d minutes and was stopped; nothing was imported.")
# The task's time limits (accounts/tasks.py), under the broker's visibility timeout (one hour by default).
# A 100 MiB upload is about two million rows: about a minute on PostgreSQL, a few on SQLite.
IMPORT_SOFT_TIME_LIMIT = 1500
IMPORT_TIME_LIMIT = 1800


def import_dir() -> Path:
    return Path(settings.GOVWEIBO_IMPORT_DIR)


class DatabaseConnectionLost(Exception):
    """The database connection died during an import (server restarted, backend killed, network down).
    The import's transaction died with it, so nothing was written. str() is CONNECTION_LOST in the
    active language; the database's own error is the __cause__."""

    def __str__(self) -> str:
        return str(CONNECTION_LOST)


@contextmanager
def connection_loss_detected() -> Iterator[None]:
    """Turns an infrastructure error inside into DatabaseConnectionLost when the connection in use when
    the block began no longer answers. The question is asked of that connection: Django opens a new one
    as soon as the failed transaction ends. Any other error (a deadlock, a full disk) passes unchanged."""
    connection.ensure_connection()
    used = connection.connection
    try:
        yield
    except INFRASTRUCTURE_ERRORS as error:
        if _answers(used):
            raise
        raise DatabaseConnectionLost() from error


def _answers(raw_connection: object) -> bool:
    try:
        cursor = raw_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
    except Exception:  # noqa: BLE001 - whatever the driver raises, this connection is gone
        return False
    return True


def import_failure_reason(error: BaseException) -> object:
    """What a job that ended with this exception tells its user (a translatable text)."""
    from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded  # only a worker gets here

    if isinstance(error, DatabaseConnectionLost):
        return CONNECTION_LOST
    if isinstance(error, (SoftTimeLimitExceeded, TimeLimitExceeded)):
        return Message(TOO_SLOW, minutes=IMPORT_SOFT_TIME_LIMIT // 60)
    return Message(UNEXPECTED_ERROR, type=type(error).__name__, error=str(error)[:500])


def import_job_start(*, source: IO[bytes], file_name: str, user=None, dry_run: bool = False,
                     encoding: str = "", task: str = IMPORT_TASK) -> ImportJob:
    """Store the uploaded file, create a queued job and enqueue its task once the transaction commits
    (with no Redis the task runs inline, right then). The caller shows the job's status page.
    encoding: a CSV's encoding as the user chose it; "" detects it. The job's `encoding` holds the choice
    until the import ends, then the encoding actually used. task: the name of the task that imports the
    file (snapshots by default; an app above this one may send its own, which runs import_job_execute)."""
    stored = _store(source, file_name)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                created_by=user if user is not None and user.is_authenticated else None,
                file_name=Path(file_name).name[:255], file_size=stored.stat().st_size, stored_file=stored.name,
                dry_run=dry_run, task_id=str(uuid.uuid4()), encoding=encoding[:16],
            )
            transaction.on_commit(lambda: _enqueue(job, task))
    except BaseException:
        stored.unlink(missing_ok=True)
        raise
    return job


def _store(source: IO[bytes], file_name: str) -> Path:
    """Copy the upload under GOVWEIBO_IMPORT_DIR with a random name (two uploads may share a name). The
    importer reads the format from the job's file name; the suffix only helps whoever lists the directory."""
    directory = import_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{uuid.uuid4().hex}{Path(file_name).suffix.lower()[:10]}"
    chunks = source.chunks() if hasattr(source, "chunks") else iter(lambda: source.read(1 << 20), b"")
    try:
        with target.open("wb") as stored:
            for chunk in chunks:
                stored.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def _enqueue(job: ImportJob, task: str) -> None:
    """Send the job's task. If it cannot be sent, the job fails with the reason instead of waiting forever."""
    try:
        task_send(task, job.pk, task_id=job.task_id)
    except Exception as error:  # noqa: BLE001 - whatever stops the send, the job must not wait for it
        logger.exception("task=snapshots_import_execute job_id=%s enqueue=failed", job.pk)
        snapshots_import_fail(job_id=job.pk, reason=Message(QUEUE_UNREACHABLE, error=str(error)))


def snapshots_import_execute(*, job_id: int, task_id: str | None = None) -> ImportJob | None:
    """The snapshot import task's body: import_job_execute with the snapshot importer."""
    return import_job_execute(job_id=job_id, task_id=task_id, run=snapshots_import_run)


# How a job's stored file is imported: (job, path of the stored file, progress) -> the job's fields to set
# when it is done (rows_done, encoding, counts, summary …). Raises ImportFailed for a rejected file.
JobRun = Callable[[ImportJob, Path, "JobProgress"], dict[str, object]]


def import_job_execute(*, job_id: int, task_id: str | None, run: JobRun) -> ImportJob | None:
    """An import task's body. Steps: claim the job → import its stored file with `run`, all-or-nothing,
    writing progress as it goes → done with the fields run returns, or failed with the file's problems or
    the reason → delete the file. Returns None when the job was not claimable (ended, or another task's).

    A lost database connection fails the job with that reason: the import's transaction died with the
    connection, so nothing was written. Other infrastructure errors propagate for the task to retry,
    which is safe because a failed import writes nothing.
    """
    job = _claim(job_id=job_id, task_id=task_id)
    if job is None:
        logger.info("task=import_job_execute job_id=%s claimed=false", job_id)
        return None
    try:
        with connection_loss_detected():
            fields = _run(job, run)
    except ImportFailed as failure:
        return _reject(job, failure)
    except DatabaseConnectionLost:
        return snapshots_import_fail(job_id=job.pk, reason=CONNECTION_LOST)
    except Exception as error:  # noqa: BLE001 - a bug or a missing file: the job fails visibly, the task ends
        logger.exception("task=import_job_execute job_id=%s failed", job.pk)
        return snapshots_import_fail(job_id=job.pk, reason=_reason(error, job))
    return _end(job.pk, status=ImportJob.Status.DONE, progress=100, **fields)


def _reason(error: Exception, job: ImportJob) -> object:
    if isinstance(error, FileNotFoundError):
        return Message(FILE_MISSING, name=job.stored_file or job.file_name)
    return import_failure_reason(error)


def _claim(*, job_id: int, task_id: str | None) -> ImportJob | None:
    """queued → validating, or a running job again for its own task (a retry, or a redelivery after the
    worker died: the dead worker's transaction was rolled back with its connection). Zero rows: ended,
    or another task's."""
    claimable = Q(status=ImportJob.Status.QUEUED)
    if task_id:
        claimable |= Q(status__in=ImportJob.ACTIVE, task_id=task_id)
    updated = ImportJob.objects.filter(claimable, pk=job_id).update(
        status=ImportJob.Status.VALIDATING, progress=0, rows_done=0, started_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    return ImportJob.objects.select_related("created_by").get(pk=job_id) if updated else None


def _run(job: ImportJob, run: JobRun) -> dict[str, object]:
    path = import_dir() / job.stored_file
    if not job.stored_file or not path.is_file():
        raise FileNotFoundError(path)
    progress = JobProgress(job.pk)
    try:
        return run(job, path, progress)
    finally:
        progress.close()


def snapshots_import_run(job: ImportJob, path: Path, progress: JobProgress) -> dict[str, object]:
    """Import a job's stored snapshot file (a JobRun): the job's fields once it is done."""
    result = run_import(
        source=path, file_name=job.file_name, origin=SnapshotImport.Source.UPLOAD, user=job.created_by,
        dry_run=job.dry_run, encoding=job.encoding or None, progress=progress.rows,
        writer=_ReportingWriter(writer_for_connection(), progress),
    )
    return {"rows_done": result.rows, "encoding": result.encoding, "result": result.record,
            "cities_created": result.cities_created, "accounts_created": result.accounts_created,
            "snapshots_created": result.snapshots_created, "snapshots_replaced": result.snapshots_replaced}


def _reject(job: ImportJob, failure: ImportFailed) -> ImportJob:
    problems = [
        {"line": error.line, "column": error.column, "message": in_every_language(error.message)}
        for error in failure.errors[:PROBLEMS_KEPT]
    ]
    return _end(job.pk, status=ImportJob.Status.FAILED, problems=problems, problem_count=failure.total,
                error=in_every_language(failure.summary))


def snapshots_import_fail(*, job_id: int, reason: object) -> ImportJob:
    """Mark a job failed with its reason (translatable) and delete its file. An ended job stays as it was."""
    return _end(job_id, status=ImportJob.Status.FAILED, error=in_every_language(reason))


def _end(job_id: int, **fields: object) -> ImportJob:
    """Record how the job ended, then delete its file."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.finished:
            return job
        stored, job.stored_file, job.finished_at = job.stored_file, "", timezone.now()
        for name, value in fields.items():
            setattr(job, name, value)
        job.save()
    if stored:
        (import_dir() / stored).unlink(missing_ok=True)
    logger.info("task=import_job_execute job_id=%s status=%s rows=%s", job.pk, job.status, job.rows_done)
    return job


def in_every_language(text: object) -> dict[str, str]:
    """text (lazy, a Message, or a function returning text) rendered in each language of the site: the
    job's texts are read later, by whoever opens the page, in their language."""
    rendered = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rendered[code] = text() if callable(text) else str(text)
    return rendered


class JobProgress:
    """Writes the job's progress from a thread of its own, hence on a database connection of its own:
    the import's connection is inside the import's transaction, whose writes nobody sees before it
    commits. SQLite lets one connection write at a time and the import holds that lock, so there the
    job shows its progress only when it ends (the embedded default runs the task inline anyway)."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self._last = float("-inf")
        self._executor = None
        if connection.vendor != "sqlite":
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-progress")

    def rows(self, rows_done: int, rows_total: int | None) -> None:
        now = time.monotonic()
        if now - self._last < PROGRESS_INTERVAL:
            return
        self._last = now
        percent = min(VALIDATED_PERCENT - 1, rows_done * VALIDATED_PERCENT // rows_total) if rows_total else 0
        self._write(progress=percent, rows_done=rows_done)

    def stage(self, status: str, progress: int) -> None:
        self._write(status=status, progress=progress)

    def _write(self, **fields: object) -> None:
        if self._executor is not None:
            self._executor.submit(self._update, fields)

    def _update(self, fields: dict[str, object]) -> None:
        try:
            ImportJob.objects.filter(pk=self.job_id).exclude(status__in=ImportJob.FINISHED).update(**fields)
        except Exception:  # noqa: BLE001 - progress is for show: the import goes on without it
            logger.warning("task=import_job_execute job_id=%s progress=unwritten", self.job_id, exc_info=True)

    def close(self) -> None:
        """Wait for the last writes, then close the thread's connection."""
        if self._executor is not None:
            self._executor.submit(connection.close)
            self._executor.shutdown(wait=True)


class _ReportingWriter:
    """The importer's writer, which also marks the job `writing` once the whole file is valid and the
    final upsert begins."""

    def __init__(self, writer: Writer, reporter: JobProgress) -> None:
        self.writer, self.reporter = writer, reporter

    def begin(self, metric_names: list[str]) -> None:
        self.writer.begin(metric_names)

    def stage(self, snapshots: pd.DataFrame, cities: pd.DataFrame, accounts: pd.DataFrame) -> None:
        self.writer.stage(snapshots, cities, accounts)

    def finish(self, cities: pd.DataFrame, accounts: pd.DataFrame) -> WriteCounts:
        self.reporter.stage(ImportJob.Status.WRITING, VALIDATED_PERCENT)
        return self.writer.finish(cities, accounts)
