"""The round list, a round's page (shortlist, candidates, chart, method, citations, downloads, and after
publication the fingerprint, corrections and the anonymised score matrix), its status changes, and its
audit log."""
from __future__ import annotations

import math

import pandas as pd
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from awards import exporting, presentation, selectors, services
from awards.forms import (
    CitationForm,
    CorrectionForm,
    NetizenUploadForm,
    RoundSettingsForm,
    StatusConfirmForm,
    StatusForm,
)
from awards.models import AwardRound, EntryPath
from awards.permissions import SEALED, results_visible, user_can_manage_rounds, user_can_see_audit
from awards.services import ScoreCell, TallyCell
from awards.services.errors import AwardError, CellErrors
from awards.views.common import manager_required, round_or_404
from core.throttling import page_export_refused
from core.views import post_else_redirect

# Closing and publishing cannot be undone: they need the box of the confirmation page ticked.
CONFIRMED_ACTIONS = ("close", "publish")
STATUS_ACTIONS = {
    "open": services.round_open_voting,
    "close": services.round_close,
    "publish": services.round_publish,
}


@require_safe
def round_list(request: HttpRequest) -> HttpResponse:
    """Published rounds for everyone; drafts, voting and closed rounds too for those who may see them."""
    rounds = list(selectors.rounds_visible_to(user=request.user).select_related("run"))
    return render(request, "awards/round_list.html", {
        "rounds": rounds, "can_manage": user_can_manage_rounds(request.user),
        # The method with a new round's default settings; each round's page shows its own.
        "method_lines": presentation.method_lines(award_round=AwardRound()),
    })


@require_safe
def round_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """`?format=csv|xlsx` downloads the result table instead."""
    award_round = round_or_404(request, slug)
    if not results_visible(request.user, award_round):
        # An expert of a round still voting: the results would tell them the others' scores (sealed).
        if "format" in request.GET:
            raise PermissionDenied(SEALED)
        return _round_page(request, award_round, None)
    if "format" in request.GET:
        return _export_response(request, award_round)
    return _round_page(request, award_round, selectors.round_results(award_round=award_round))


@post_else_redirect(lambda slug: reverse("awards:round_detail", args=[slug]) + "#status")
@manager_required
def round_status(request: HttpRequest, slug: str) -> HttpResponse:
    """Open voting (draft → voting), close (voting → closed, refused below quorum) or publish."""
    award_round = round_or_404(request, slug)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown status change."))
    action = form.cleaned_data["action"]
    if action in CONFIRMED_ACTIONS and action in dict(_status_actions(award_round)):
        confirm = StatusConfirmForm(request.POST)
        if not confirm.is_valid():
            # The round page's button leads here first; the confirmation page posts back with the box.
            return _confirm_page(request, award_round, action, confirm if "confirming" in request.POST else None)
    try:
        STATUS_ACTIONS[action](user=request.user, award_round=award_round, via=EntryPath.GRID)
    except AwardError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, {
            "open": _("Voting is open: experts can score."),
            "close": _("The round is closed: no more scores or votes."),
            "publish": _("The round is published: its inputs and result are frozen."),
        }[action])
    return redirect(reverse("awards:round_detail", args=[award_round.slug]) + "#status")


@post_else_redirect(lambda slug: reverse("awards:round_detail", args=[slug]) + "#settings")
@manager_required
def round_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """A draft round's settings (weights, aggregation, trim, quorum, shortlist size, name, disclosure)."""
    award_round = round_or_404(request, slug)
    form = RoundSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.round_update(user=request.user, award_round=award_round, via=EntryPath.GRID, **form.settings())
        except AwardError as error:
            for message in error.messages:  # every problem at once (SettingsInvalid lists them all)
                form.add_error(None, message)
        else:
            messages.success(request, _("The round's settings are saved."))
            return redirect(reverse("awards:round_detail", args=[award_round.slug]) + "#settings")
    return _round_page(request, award_round, selectors.round_results(award_round=award_round), settings_form=form,
                       status=400)


@post_else_redirect(lambda slug: reverse("awards:round_detail", args=[slug]) + "#corrections")
@manager_required
def round_correct(request: HttpRequest, slug: str) -> HttpResponse:
    """A correction of a published round: a reason, optionally one score or tally; a new result version."""
    award_round = round_or_404(request, slug)
    form = CorrectionForm(request.POST, award_round=award_round)
    if form.is_valid():
        data = form.cleaned_data
        scores = [ScoreCell(candidate_id=data["candidate"].pk, expert_id=data["expert"].pk, score=data["score"])] \
            if data.get("expert") else []
        tallies = [TallyCell(candidate_id=data["candidate"].pk, source=data["source"], votes=data["votes"])] \
            if data.get("source") else []
        try:
            result = services.round_correct(user=request.user, award_round=award_round, reason=data["reason"],
                                            scores=scores, tallies=tallies, via=EntryPath.GRID)
        except CellErrors as error:
            for cell_error in error.errors:
                form.add_error(None, str(cell_error.message))
        except AwardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Correction recorded: the result is now version %(version)s.")
                             % {"version": result.version})
            return redirect(reverse("awards:round_detail", args=[award_round.slug]) + "#corrections")
    return _round_page(request, award_round, selectors.round_results(award_round=award_round), correction_form=form, status=400)


@post_else_redirect(lambda slug, candidate_id: reverse("awards:round_detail", args=[slug]) + "#shortlist")
@manager_required
def citation_save(request: HttpRequest, slug: str, candidate_id: int) -> HttpResponse:
    award_round = round_or_404(request, slug)
    candidate = award_round.candidates.filter(pk=candidate_id).first()
    if candidate is None:
        raise Http404(_("This round has no such candidate."))
    form = CitationForm(request.POST)
    if form.is_valid():
        try:
            services.citation_save(user=request.user, candidate=candidate, text=form.cleaned_data["text"],
                                   via=EntryPath.GRID)
        except AwardError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Citation of %(name)s saved.") % {"name": candidate.name})
    else:
        messages.error(request, " ".join(form.errors.get("text", [])))
    return redirect(reverse("awards:round_detail", args=[award_round.slug]) + f"#citation-{candidate.pk}")


@require_safe
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    """Every change of the round's inputs, settings and status: who, when, old → new, from where."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    award_round = round_or_404(request, slug)
    if not user_can_see_audit(request.user, award_round):
        raise PermissionDenied(_("Only staff and panel admins may read the audit log."))
    return render(request, "awards/audit_log.html", {
        "round": award_round, "entries": selectors.round_audit_log(award_round=award_round),
    })


# --- helpers ----------------------------------------------------------------------------------------------
def _round_page(request: HttpRequest, award_round: AwardRound, results, *, correction_form: CorrectionForm | None = None,
                settings_form: RoundSettingsForm | None = None, status: int = 200) -> HttpResponse:
    can_manage = user_can_manage_rounds(request.user)
    if results is None:
        return render(request, "awards/round_detail.html", {
            "round": award_round, "sealed": SEALED, "method": presentation.method_facts(award_round),
            "method_lines": presentation.method_lines(award_round=award_round),
            "expert": selectors.expert_for_user(award_round=award_round, user=request.user),
        })
    # NaN (no E yet) and pandas' NA (no rank yet) become None: the template shows "—" with a note.
    rows = [{key: None if value is pd.NA or isinstance(value, float) and math.isnan(value) else value
             for key, value in row.items()} for row in results.to_dict("records")]
    candidates = {candidate.pk: candidate for candidate in award_round.candidates.all()}
    for row in rows:
        row["object"] = candidates.get(row["candidate_id"])
    versions = list(selectors.round_result_versions(award_round=award_round)) if award_round.is_published else []
    matrix = selectors.score_matrix(award_round=award_round, user=request.user) if award_round.is_published else None
    return render(request, "awards/round_detail.html", {
        "round": award_round,
        "rows": rows,
        "shortlist": [row for row in rows if row["shortlisted"]],
        "chart": presentation.components_chart_html(results, award_round),
        "method": presentation.method_facts(award_round),
        "method_lines": presentation.method_lines(award_round=award_round),
        "can_manage": can_manage,
        "can_edit_citations": can_manage and not award_round.is_published,
        "can_see_audit": user_can_see_audit(request.user, award_round),
        "current": versions[0] if versions else None,
        "original": versions[-1] if len(versions) > 1 else None,
        "corrections": [version for version in versions if version.is_correction],
        "matrix": matrix,
        "matrix_lines": presentation.matrix_lines(matrix) if matrix else [],
        "correction_form": correction_form or (CorrectionForm(award_round=award_round) if can_manage and award_round.is_published
                                               else None),
        "status_actions": _status_actions(award_round) if can_manage else [],
        "settings_form": settings_form or (RoundSettingsForm.for_round(award_round)
                                           if can_manage and award_round.status == AwardRound.Status.DRAFT else None),
        "expert": selectors.expert_for_user(award_round=award_round, user=request.user),
        "expert_list": selectors.expert_progress(award_round=award_round) if can_manage else None,
        "export_formats": exporting.FORMATS,
        # rounds pages: "—" for a rank not computed yet, and the netizen vote file upload.
        "unranked": any(row["rank"] is None for row in rows),
        "scores_needed": 2 * award_round.trim + 1 if award_round.aggregation == AwardRound.Aggregation.TRIMMED else 1,
        "netizen_form": NetizenUploadForm(auto_id="netizen_%s") if can_manage and award_round.accepts_scores else None,
    }, status=status)


def _status_actions(award_round: AwardRound) -> list[tuple[str, str]]:
    """The status change a panel admin may press now: (action, button text)."""
    return {
        AwardRound.Status.DRAFT: [("open", _("Open voting"))],
        AwardRound.Status.VOTING: [("close", _("Close the round"))],
        AwardRound.Status.CLOSED: [("publish", _("Publish the result"))],
    }.get(award_round.status, [])


def _confirm_page(request: HttpRequest, award_round: AwardRound, action: str,
                  form: StatusConfirmForm | None) -> HttpResponse:
    """What closing or publishing will do, and a box to tick (works without JavaScript)."""
    shortlist = []
    if action == "publish":
        results = selectors.round_results(award_round=award_round)
        shortlist = results.loc[results["shortlisted"], "candidate"].tolist()
    return render(request, "awards/status_confirm.html", {
        "round": award_round, "action": action, "form": form, "shortlist": shortlist,
        "button": {"close": _("Close the round"), "publish": _("Publish the result")}[action],
    }, status=400 if form is not None else 200)


def _export_response(request: HttpRequest, award_round: AwardRound) -> HttpResponse:
    file_format = request.GET.get("format")
    if file_format not in exporting.FORMATS:
        return HttpResponseBadRequest(_("Unknown export: use format=csv or xlsx."))
    refused = page_export_refused(request)  # the download rate of every export (API_THROTTLE_EXPORT)
    if refused is not None:
        return refused
    body = exporting.round_export(award_round=award_round, file_format=file_format, bom=True)
    response = HttpResponse(body, content_type=exporting.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{award_round.slug}.{file_format}"'
    return response
