"""The staff upload page for snapshot files, the status page of its import jobs, and the template CSV."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts import selectors
from accounts.forms import PERIOD_FORMATS, UPLOAD_COLUMNS, SnapshotUploadForm
from accounts.importing import OPTIONAL_COLUMNS
from accounts.models import ImportJob, in_active_language
from accounts.permissions import can_import
from accounts.services import import_job_start
from core.spreadsheets import csv_rows_bytes

RECENT_IMPORTS_SHOWN = 10
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


@require_http_methods(["GET", "POST"])
@import_permission_required
def snapshot_upload(request: HttpRequest) -> HttpResponse:
    """The upload form. A valid file becomes an import job and the browser goes to the job's page at
    once: the import runs in a Celery task (inline when there is no Redis), not in this request."""
    form = SnapshotUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_job_start(source=upload, file_name=upload.name, user=request.user,
                               dry_run=form.cleaned_data["dry_run"], encoding=form.cleaned_data["encoding"])
        # POST/redirect/GET: reloading the page must not import the file a second time.
        return redirect("accounts:import_job", pk=job.pk)
    return render(request, "accounts/snapshot_upload.html", {
        "form": form,
        "columns": UPLOAD_COLUMNS,
        "optional_columns": OPTIONAL_COLUMNS,
        "period_formats": PERIOD_FORMATS,
        "recent_imports": selectors.snapshot_imports_recent(limit=RECENT_IMPORTS_SHOWN),
        "recent_jobs": ImportJob.objects.select_related("created_by")[:RECENT_IMPORTS_SHOWN],
    })


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

