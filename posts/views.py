"""The upload page, one door for every kind of file (snapshots, posts, replies, weibo-crawler's), and the
template files of posts and replies. The import runs as accounts' import job; its status page is accounts'."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import selectors as account_selectors
from accounts.forms import PERIOD_FORMATS, UPLOAD_COLUMNS
from accounts.importing import OPTIONAL_COLUMNS
from accounts.models import ImportJob
from accounts.views import import_permission_required
from core.spreadsheets import csv_rows_bytes
from posts import selectors
from posts.forms import POST_HELP, REPLY_HELP, UploadForm
from posts.importing.columns import POST_COLUMNS, REPLY_COLUMNS
from posts.services import upload_job_start

RECENT_IMPORTS_SHOWN = 10
TEMPLATES = {"posts": ("govweibo_posts_template.csv", POST_COLUMNS),
             "replies": ("govweibo_replies_template.csv", REPLY_COLUMNS)}


@require_http_methods(["GET", "POST"])
@import_permission_required
def upload(request: HttpRequest) -> HttpResponse:
    """The upload form. A valid file becomes an import job and the browser goes to the job's page at once:
    the import runs in a Celery task (inline when there is no Redis), which tells the file's kind by its
    headers."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        job = upload_job_start(source=file, file_name=file.name, user=request.user,
                               dry_run=form.cleaned_data["dry_run"], encoding=form.cleaned_data["encoding"])
        # POST/redirect/GET: reloading the page must not import the file a second time.
        return redirect("accounts:import_job", pk=job.pk)
    return render(request, "posts/upload.html", {
        "form": form,
        "columns": UPLOAD_COLUMNS,
        "optional_columns": OPTIONAL_COLUMNS,
        "period_formats": PERIOD_FORMATS,
        "post_help": [(_("Columns of a posts file"), POST_HELP), (_("Columns of a replies file"), REPLY_HELP)],
        "recent_imports": account_selectors.snapshot_imports_recent(limit=RECENT_IMPORTS_SHOWN),
        "recent_post_imports": selectors.post_imports_recent(limit=RECENT_IMPORTS_SHOWN),
        "recent_jobs": ImportJob.objects.select_related("created_by")[:RECENT_IMPORTS_SHOWN],
    })


@require_GET
@import_permission_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    """A header-only CSV of a posts or replies file, with the Chinese headers, to fill in and upload. UTF-8
    with a byte order mark: without it Excel on Chinese Windows reads the file as GBK."""
    file_name, columns = TEMPLATES[kind]
    response = HttpResponse(csv_rows_bytes([[chinese for _name, chinese in columns]], bom=True),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
