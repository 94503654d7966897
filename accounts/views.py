"""The staff upload page for snapshot files, and the template CSV it offers."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts import selectors
from accounts.forms import PERIOD_FORMATS, UPLOAD_COLUMNS, SnapshotUploadForm
from accounts.importing import OPTIONAL_COLUMNS, ImportFailed, ImportResult
from accounts.models import SnapshotImport
from accounts.services import snapshots_import
from core.spreadsheets import csv_rows_bytes

# A file with thousands of bad rows would make a page nobody reads; the first ones show the pattern.
ERRORS_SHOWN = 200
RECENT_IMPORTS_SHOWN = 10
TEMPLATE_FILE_NAME = "govweibo_import_template.csv"


IMPORT_PERMISSION = "accounts.import_snapshots"


def can_import(user: object) -> bool:
    """Only users granted “Can import snapshot files” (superusers have every permission).

    Staff status alone is not enough: an import creates cities and accounts, re-files accounts and
    replaces snapshots, which a view-only staff member must not be able to do through this page.
    """
    return getattr(user, "is_active", False) and user.has_perm(IMPORT_PERMISSION)


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
    """The upload form; a valid file is imported (or only checked), an invalid one listed problem by problem.

    The import runs inside the request: the whole file is validated before anything is written, so a
    rejected file leaves the database untouched.
    """
    form = SnapshotUploadForm(request.POST or None, request.FILES or None)
    failure: ImportFailed | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = snapshots_import(
                source=upload,
                file_name=upload.name,
                origin=SnapshotImport.Source.UPLOAD,
                user=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except ImportFailed as error:
            failure = error
        else:
            messages.success(request, import_summary(result, file_name=upload.name))
            # POST/redirect/GET: reloading the page must not import the file a second time.
            return redirect("accounts:snapshot_upload")
    return render(request, "accounts/snapshot_upload.html", _upload_page_context(form=form, failure=failure))


def _upload_page_context(*, form: SnapshotUploadForm, failure: ImportFailed | None) -> dict[str, object]:
    shown = failure.errors[:ERRORS_SHOWN] if failure else []
    return {
        "form": form,
        "errors": shown,
        # The importer keeps only the first problems of a hopeless file but counts them all.
        "error_count": failure.total if failure else 0,
        "errors_hidden": failure.total - len(shown) if failure else 0,
        "columns": UPLOAD_COLUMNS,
        "optional_columns": OPTIONAL_COLUMNS,
        "period_formats": PERIOD_FORMATS,
        "recent_imports": selectors.snapshot_imports_recent(limit=RECENT_IMPORTS_SHOWN),
    }


def import_summary(result: ImportResult, *, file_name: str) -> str:
    """The success message: what a dry run checked, or what a real import wrote."""
    counts = {
        "rows": result.rows,
        "file": file_name,
        "snapshots_created": result.snapshots_created,
        "snapshots_replaced": result.snapshots_replaced,
        "accounts_created": result.accounts_created,
        "cities_created": result.cities_created,
    }
    if result.dry_run:
        return ngettext(
            "Check passed: the %(rows)d row of “%(file)s” is valid. Nothing was written.",
            "Check passed: all %(rows)d rows of “%(file)s” are valid. Nothing was written.",
            result.rows,
        ) % counts
    return ngettext(
        "Imported %(rows)d row from “%(file)s”: %(snapshots_created)d snapshots created, "
        "%(snapshots_replaced)d replaced, %(accounts_created)d new accounts, %(cities_created)d new cities.",
        "Imported %(rows)d rows from “%(file)s”: %(snapshots_created)d snapshots created, "
        "%(snapshots_replaced)d replaced, %(accounts_created)d new accounts, %(cities_created)d new cities.",
        result.rows,
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

