"""A panel admin manages a round's experts: add, edit, remove (with a confirmation naming how many scores
go with them) and reopen a submitted expert. The list is a section of the round page; each action has
its own small page with its form, so that a refusal shows there with the typed values kept.

Thin: each view validates its form and calls one service (awards/services/experts.py), which checks the
permission, the round's status and every field, and records who and why in the audit log.
"""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards import services
from awards.forms import ExpertManageForm, ExpertRemoveForm, ExpertReopenForm
from awards.models import AwardRound, EntryPath, Expert
from awards.services.common import require_inputs_open
from awards.services.errors import AwardError, FieldErrors, ScoresToDelete
from awards.views.common import manager_required, round_or_404

# The services' field names where the page's form calls them otherwise.
FORM_FIELDS = {"user": "username"}


def _round_experts_url(award_round: AwardRound) -> str:
    return reverse("awards:round_detail", args=[award_round.slug]) + "#experts"


def _expert_or_404(award_round: AwardRound, expert_id: int) -> Expert:
    expert = award_round.experts.select_related("user").filter(pk=expert_id).first()
    if expert is None:
        raise Http404(_("This round has no such expert."))
    return expert


def _frozen(request: HttpRequest, award_round: AwardRound) -> HttpResponse | None:
    """Experts change only while the round is a draft or voting: otherwise back to the round, saying why."""
    try:
        require_inputs_open(award_round)
    except AwardError as error:
        messages.error(request, str(error))
        return redirect(_round_experts_url(award_round))
    return None


def _refused(form: Any, error: AwardError) -> None:
    """A service's refusal on the form: by field where it names one the form has, else above the form."""
    if isinstance(error, FieldErrors):
        for field, problems in error.fields.items():
            field = FORM_FIELDS.get(field, field)
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    else:
        form.add_error(None, str(error))


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, f"awards/{template}", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@manager_required
def expert_create(request: HttpRequest, slug: str) -> HttpResponse:
    award_round = round_or_404(request, slug)
    if (frozen := _frozen(request, award_round)) is not None:
        return frozen
    return _expert_form(request, award_round, None, ExpertManageForm(_posted(request)))


@require_http_methods(["GET", "HEAD", "POST"])
@manager_required
def expert_edit(request: HttpRequest, slug: str, expert_id: int) -> HttpResponse:
    award_round = round_or_404(request, slug)
    expert = _expert_or_404(award_round, expert_id)
    if (frozen := _frozen(request, award_round)) is not None:
        return frozen
    form = ExpertManageForm(_posted(request), instance=Expert.objects.select_related("user").get(pk=expert.pk),
                            reason_required=True)
    return _expert_form(request, award_round, expert, form)


def _expert_form(request: HttpRequest, award_round: Any, expert: Expert | None,
                 form: ExpertManageForm) -> HttpResponse:
    """The add (expert None) or edit page: saved through its service, else the form with its errors."""
    if request.method == "POST" and form.is_valid():
        common = {"user": request.user, "via": EntryPath.GRID, "reason": form.cleaned_data["reason"],
                  **form.changes()}
        try:
            if expert is None:
                saved = services.expert_create(award_round=award_round, **common)
                done = _("Expert “%(name)s” added.")
            else:
                saved = services.expert_update(expert=expert, **common)
                done = _("Expert “%(name)s” saved.")
        except AwardError as error:
            _refused(form, error)
        else:
            messages.success(request, done % {"name": saved.name})
            return redirect(_round_experts_url(award_round))
    return _page(request, "expert_form.html", 400 if form.errors else 200, round=award_round, form=form,
                 expert=expert)


@require_http_methods(["GET", "HEAD", "POST"])
@manager_required
def expert_remove(request: HttpRequest, slug: str, expert_id: int) -> HttpResponse:
    """The confirmation page names the expert's number of scores; the form sends that number back, and a
    different number (scores entered meanwhile) asks again with the new one."""
    award_round = round_or_404(request, slug)
    expert = _expert_or_404(award_round, expert_id)
    if (frozen := _frozen(request, award_round)) is not None:
        return frozen
    count = expert.scores.count()
    form = ExpertRemoveForm(_posted(request), initial={"scores_confirmed": count})
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_delete(user=request.user, expert=expert, via=EntryPath.GRID,
                                   reason=form.cleaned_data["reason"],
                                   scores_confirmed=form.cleaned_data["scores_confirmed"] or 0)
        except ScoresToDelete as error:
            count = error.count
            form = ExpertRemoveForm({"reason": form.cleaned_data["reason"], "scores_confirmed": count})
            form.is_valid()
            form.add_error(None, str(error))
        except AwardError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Expert “%(name)s” removed.") % {"name": expert.name})
            return redirect(_round_experts_url(award_round))
    return _page(request, "expert_remove.html", 400 if form.errors else 200, round=award_round, form=form,
                 expert=expert, count=count)


@require_http_methods(["GET", "HEAD", "POST"])
@manager_required
def expert_reopen(request: HttpRequest, slug: str, expert_id: int) -> HttpResponse:
    award_round = round_or_404(request, slug)
    expert = _expert_or_404(award_round, expert_id)
    if (frozen := _frozen(request, award_round)) is not None:
        return frozen
    form = ExpertReopenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_reopen(user=request.user, expert=expert, via=EntryPath.GRID,
                                   reason=form.cleaned_data["reason"])
        except AwardError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The scores of “%(name)s” are reopened: they can change them and submit "
                                        "again.") % {"name": expert.name})
            return redirect(_round_experts_url(award_round))
    return _page(request, "expert_reopen.html", 400 if form.errors else 200, round=award_round, form=form,
                 expert=expert)
