"""Writes of posts and replies: the import (command and upload), and the upload page's job, which takes every
kind of file and routes it by its headers.

The upload page is one door for every file: posts own it because they sit above accounts, so they may
hand a snapshot file to accounts' import, while accounts may not know about posts. The routing happens in
the job's task (file_import_execute), not in the web request: reading a header may mean reading the
whole file (a CSV's encoding is checked to its end).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.utils.translation import gettext, ngettext

from accounts.models import ImportJob, SnapshotImport
from accounts.services import (
    JobProgress,
    import_job_execute,
    import_job_start,
    in_every_language,
    snapshots_import_run,
)
from posts.importing import PostImportResult, plan_import, run_posts_import
from posts.importing.pipeline import peek_kind

# The upload page's task (posts/tasks.py), sent by name: tasks import services, not the reverse.
UPLOAD_TASK = "posts.file_import_execute"


def posts_import(*, paths: list[Path], origin: str = SnapshotImport.Source.COMMAND, user=None, dry_run: bool = False,
                 progress: Callable[[int, int | None], None] | None = None, account_id: int | None = None,
                 encoding: str | None = None) -> PostImportResult:
    """Import post and reply files and weibo-crawler folders (paths: files or folders), all or nothing.

    Raises ImportFailed (FilesFailed for several files) listing every problem by file, line and column;
    nothing is written then. account_id names the account of every weibo-crawler folder (otherwise found
    by its uid or screen name). The file formats: posts.importing.columns and docs/importing.md.
    """
    files = [(path, path.name) for path in paths if not path.is_dir()]
    plan = plan_import(files, [path for path in paths if path.is_dir()], encoding=encoding)
    return run_posts_import(plan=plan, origin=origin, user=user, dry_run=dry_run, progress=progress,
                            account_id=account_id, encoding=encoding)


def upload_job_start(*, source: IO[bytes], file_name: str, user=None, dry_run: bool = False,
                     encoding: str = "") -> ImportJob:
    """An import job for an uploaded file of any kind (snapshots, posts, replies, weibo-crawler's), run by
    UPLOAD_TASK; see accounts.services.import_job_start."""
    return import_job_start(source=source, file_name=file_name, user=user, dry_run=dry_run, encoding=encoding,
                            task=UPLOAD_TASK)


def file_import_execute(*, job_id: int, task_id: str | None = None) -> ImportJob | None:
    """The upload task's body: accounts' import job, with the importer the file's headers call for."""
    return import_job_execute(job_id=job_id, task_id=task_id, run=file_import_run)


def file_import_run(job: ImportJob, path: Path, progress: JobProgress) -> dict[str, object]:
    """A job's stored file: a file of posts or replies, or weibo-crawler's, goes to the post import; any
    other to the snapshot import (which says what is wrong with it)."""
    encoding = job.encoding or None
    with path.open("rb") as stream:
        if peek_kind(stream, job.file_name, encoding=encoding) is None:
            return snapshots_import_run(job, path, progress)
        # A stream, not the path: the stored file's folder is the upload directory, not a crawler folder.
        plan = plan_import([(stream, job.file_name)], encoding=encoding)
        result = run_posts_import(plan=plan, origin=SnapshotImport.Source.UPLOAD, user=job.created_by,
                                  dry_run=job.dry_run, progress=progress.rows, encoding=encoding)
    return {"rows_done": result.rows, "encoding": result.encoding, "cities_created": result.cities_created,
            "accounts_created": result.accounts_created,
            "summary": in_every_language(lambda: import_summary(result, file_name=job.file_name))}


def import_summary(result: PostImportResult, *, file_name: str) -> str:
    """What an import of posts and replies did (or, dry, would do), in the active language."""
    counts = result.counts
    values = {"rows": result.rows, "file": file_name, "posts_created": counts.posts_created,
              "posts_updated": counts.posts_updated, "posts_unchanged": counts.posts_unchanged,
              "replies_created": counts.replies_created, "replies_updated": counts.replies_updated,
              "replies_unchanged": counts.replies_unchanged, "accounts": result.accounts_created,
              "cities": result.cities_created}
    rows = ngettext("%(rows)d row of “%(file)s”", "%(rows)d rows of “%(file)s”", result.rows) % values
    written = gettext(
        "posts: %(posts_created)d created, %(posts_updated)d updated, %(posts_unchanged)d unchanged; replies: "
        "%(replies_created)d created, %(replies_updated)d updated, %(replies_unchanged)d unchanged; "
        "%(accounts)d new accounts, %(cities)d new cities") % values
    if result.dry_run:
        return gettext("Check passed: %(rows)s are valid; importing would give %(written)s. Nothing was written.") % {
            "rows": rows, "written": written}
    return gettext("Imported %(rows)s: %(written)s.") % {"rows": rows, "written": written}
