"""The status page of import jobs and the template CSV of snapshot files. The upload page that starts the
jobs takes every kind of file, so it belongs to the app above that knows them all (posts.views.upload)."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from accounts.forms import UPLOAD_COLUMNS
from accounts.models import ImportJob, in_active_language
from accounts.permissions import can_import
from core.spreadsheets import csv_rows_bytes

# Without JavaScript the status page of a running job reloads itself this often (seconds).
REFRESH_SECONDS = 2
TEMPLATE_FILE_NAME = "govweibo_import_template.csv"


def import_permission_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users go to the login page; signed-in users without the right get 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not can_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _visible_job(request: HttpRequest, pk: int) -> ImportJob:
    """The job, for its uploader and for users who may import; anyone else gets 403."""
    job = get_object_or_404(ImportJob, pk=pk)
    if job.created_by_id != request.user.pk and not can_import(request.user):
        raise PermissionDenied
    return job


@require_GET
@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's status page: progress while it runs (refreshed by import_job.js, or by the page itself
    without JavaScript), then what was imported or every problem of the rejected file."""
    job = _visible_job(request, pk)
    return render(request, "accounts/import_job.html", {
        "job": job,
        "problems": [{**problem, "message": in_active_language(problem["message"])} for problem in job.problems],
        "problems_hidden": job.problem_count - len(job.problems),
        "summary": (job.summary_text or job_summary(job)) if job.status == ImportJob.Status.DONE else "",
        "refresh_seconds": 0 if job.finished else REFRESH_SECONDS,
    })


@require_GET
@login_required
def import_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The job's progress as JSON, for the status page's script to poll."""
    job = _visible_job(request, pk)
    return JsonResponse({
        "id": job.pk, "status": job.status, "status_label": job.get_status_display(), "progress": job.progress,
        "rows_done": job.rows_done, "finished": job.finished,
    })


def job_summary(job: ImportJob) -> str:
    """What a finished job checked (a dry run) or wrote."""
    counts = {
        "rows": job.rows_done,
        "file": job.file_name,
        "snapshots_created": job.snapshots_created,
        "snapshots_replaced": job.snapshots_replaced,
        "accounts_created": job.accounts_created,
        "cities_created": job.cities_created,
    }
    if job.dry_run:
        return ngettext(
            "Check passed: the %(rows)d row of “%(file)s” is valid. Nothing was written.",
            "Check passed: all %(rows)d rows of “%(file)s” are valid. Nothing was written.",
            job.rows_done,
        ) % counts
    return ngettext(
        "Imported %(rows)d row from “%(file)s”: %(snapshots_created)d snapshots created, "
        "%(snapshots_replaced)d replaced, %(accounts_created)d new accounts, %(cities_created)d new cities.",
        "Imported %(rows)d rows from “%(file)s”: %(snapshots_created)d snapshots created, "
        "%(snapshots_replaced)d replaced, %(accounts_created)d new accounts, %(cities_created)d new cities.",
        job.rows_done,
    ) % counts


@require_GET
@import_permission_required
def snapshot_template(request: HttpRequest) -> HttpResponse:
    """A header-only CSV with the Chinese headers, to fill in and upload.

    UTF-8 with a byte-order mark: without it Excel on Chinese Windows reads the file as GBK and
    garbles the headers.
    """
    body = csv_rows_bytes([[column.header_zh for column in UPLOAD_COLUMNS]], bom=True)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILE_NAME}"'
    return response

