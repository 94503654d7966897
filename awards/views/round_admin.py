"""A panel admin's round pages (issue 18, item 3): create a round from a published ranking, and upload a
netizen vote file to a round — checked and previewed first, then imported all or nothing.

Thin, like every award view: the form reads the request, one service does the work (the same ones the
command `award_round create` / `award_round import` calls), the page shows the result or the problems.
"""
from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards import services, uploads
from awards.forms import NetizenUploadForm, RoundCreateForm
from awards.importing import TALLIES, ImportPreview, round_import, round_import_preview
from awards.models import AwardRound, EntryPath
from awards.services.errors import AwardError, SettingsInvalid
from awards.views.common import manager_required, round_or_404
from core.tables.errors import ImportFailed
from core.views import post_else_redirect

# Writes from the round pages are recorded with the entry path "grid page", the closest of EntryPath's
# values (as the round page's status changes are); a netizen file is a "file import" whatever its path.
VIA_PAGE = EntryPath.GRID
RUN_ID = re.compile(r"[0-9]{1,10}")
# The problems a page lists; the rest are counted ("… and N more").
PROBLEMS_SHOWN = 200


@require_http_methods(["GET", "HEAD", "POST"])
@manager_required
def round_create(request: HttpRequest) -> HttpResponse:
    """The create form (`?run=ID` preselects a published run), then services.round_create."""
    if request.method != "POST":
        run = request.GET.get("run", "")
        return _create_page(request, RoundCreateForm.with_defaults(run=int(run) if RUN_ID.fullmatch(run) else None))
    form = RoundCreateForm(request.POST)
    if form.is_valid():
        try:
            award_round = services.round_create(user=request.user, via=VIA_PAGE, **form.create_kwargs())
        except SettingsInvalid as error:
            form.add_service_errors(error.fields)
        except AwardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Round %(name)s created (draft) with %(count)s candidates.")
                             % {"name": award_round.name, "count": award_round.candidates.count()})
            return redirect("awards:round_detail", slug=award_round.slug)
    return _create_page(request, form, status=400)


def _create_page(request: HttpRequest, form: RoundCreateForm, *, status: int = 200) -> HttpResponse:
    return render(request, "awards/round_create.html", {"form": form}, status=status)


@post_else_redirect(lambda slug: reverse("awards:round_detail", args=[slug]) + "#netizen-upload")
@manager_required
def netizen_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Read and check the file as the import will (nothing written); keep it for the import button."""
    award_round = round_or_404(request, slug)
    form = NetizenUploadForm(request.POST, request.FILES, auto_id="netizen_%s")
    if not form.is_valid():
        return _netizen_page(request, award_round, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        preview = round_import_preview(user=request.user, award_round=award_round, source=upload,
                                       file_name=upload.name, kind=TALLIES)
    except ImportFailed as failure:
        return _netizen_page(request, award_round, form=form, failure=failure, status=400)
    except AwardError as error:
        form.add_error(None, str(error))
        return _netizen_page(request, award_round, form=form, status=400)
    pending = uploads.pending_store(request.session, award_round=award_round, upload=upload)
    return _netizen_page(request, award_round, form=NetizenUploadForm(auto_id="netizen_%s"), preview=preview,
                         pending=pending)


@post_else_redirect(lambda slug: reverse("awards:round_detail", args=[slug]) + "#netizen-upload")
@manager_required
def netizen_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Import the previewed file, all or nothing, exactly as `award_round import` does."""
    award_round = round_or_404(request, slug)
    pending = uploads.pending_get(request.session, award_round=award_round, token=request.POST.get("token", ""))
    if pending is None:
        messages.error(request, _("The previewed file is no longer here (imported already, or older than an hour): "
                                  "upload it again."))
        return redirect(reverse("awards:round_detail", args=[award_round.slug]) + "#netizen-upload")
    try:
        summary = round_import(user=request.user, award_round=award_round, source=pending.path,
                               file_name=pending.file_name, via=EntryPath.FILE, kind=TALLIES)
    except ImportFailed as failure:
        return _netizen_page(request, award_round, form=NetizenUploadForm(auto_id="netizen_%s"), failure=failure,
                             status=400)
    except AwardError as error:
        messages.error(request, str(error))
        return redirect(reverse("awards:round_detail", args=[award_round.slug]) + "#netizen-upload")
    finally:
        uploads.pending_drop(request.session, pending)
    messages.success(request, _("%(rows)s netizen tally rows imported: %(created)s new, %(updated)s changed.")
                     % {"rows": summary.rows, "created": summary.saved.created, "updated": summary.saved.updated}
                     + (" " + _("Voting is open.") if summary.voting_opened else ""))
    return redirect(reverse("awards:round_detail", args=[award_round.slug]) + "#netizen-upload")


def _netizen_page(request: HttpRequest, award_round: AwardRound, *, form: NetizenUploadForm,
                  failure: ImportFailed | None = None, preview: ImportPreview | None = None,
                  pending: uploads.PendingFile | None = None, status: int = 200) -> HttpResponse:
    return render(request, "awards/netizen_upload.html", {
        "round": award_round, "form": form, "preview": preview, "pending": pending,
        "problems": failure.errors[:PROBLEMS_SHOWN] if failure else [],
        "problems_summary": failure.summary() if failure else "",
        "problems_hidden": failure.total - min(len(failure.errors), PROBLEMS_SHOWN) if failure else 0,
        "candidate_label": _("City") if award_round.kind == AwardRound.Kind.CITY else _("Account"),
    }, status=status)
