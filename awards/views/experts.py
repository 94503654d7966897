"""The expert's own page (sealed scoring) and the panel admins' progress view.

An expert sees only their own candidates and scores until they submit; after submitting they also see
the panel's scores (anonymised unless the round discloses names), as HotCRP shows reviews.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from awards import presentation, selectors, services
from awards.models import AwardRound, Candidate, EntryPath, Expert
from awards.permissions import user_can_score
from awards.services import ScoreCell
from awards.services.errors import AwardError, CellErrors
from awards.views.common import manager_required, round_or_404

COMMENT_CHARS = 2000


@dataclass
class Entry:
    """One candidate on the expert's page."""

    candidate: Candidate
    recused: bool
    score: str = ""
    comment: str = ""
    original_score: str = ""
    original_comment: str = ""
    error: str = ""


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def my_scores(request: HttpRequest, slug: str) -> HttpResponse:
    award_round = round_or_404(request, slug)
    expert = selectors.expert_for_user(award_round=award_round, user=request.user)
    if expert is None or not user_can_score(request.user, expert):
        raise PermissionDenied(_("You are not an expert of this round."))
    entries = _entries(expert, award_round)
    if request.method == "POST":
        response = _save(request, award_round, expert, entries)
        if response is not None:
            return response
        status = 400
    else:
        status = 200
    submitted = expert.submitted_at is not None
    closed = selectors.expert_entry_closed(expert=expert, award_round=award_round)
    return render(request, "awards/my_scores.html", {
        "round": award_round,
        "expert": expert,
        "entries": entries,
        "editable": closed is None,
        "closed_reason": closed,
        "submitted": submitted,
        "to_score": sum(1 for entry in entries if not entry.recused and not entry.original_score),
        "panel": selectors.score_matrix(award_round=award_round, user=request.user) if submitted else None,
        "errors": [f"{entry.candidate.name}: {entry.error}" for entry in entries if entry.error],
    }, status=status)


@require_safe
@manager_required
def progress(request: HttpRequest, slug: str) -> HttpResponse:
    """Each expert's scored / to score, and whether they have submitted."""
    award_round = round_or_404(request, slug)
    return render(request, "awards/progress.html", {
        "round": award_round, "progress": selectors.expert_progress(award_round=award_round),
    })


def _entries(expert: Expert, award_round: AwardRound) -> list[Entry]:
    own = {score.candidate_id: score for score in expert.scores.all()}
    entries = []
    for candidate in award_round.candidates.all():
        score = own.get(candidate.pk)
        text = presentation.cell_text(score.score) if score else ""
        comment = score.comment if score else ""
        entries.append(Entry(candidate=candidate, recused=expert.is_recused_from(candidate), score=text,
                             comment=comment, original_score=text, original_comment=comment))
    return entries


def _save(request: HttpRequest, award_round: AwardRound, expert: Expert, entries: list[Entry]) -> HttpResponse | None:
    """Save the changed scores (all or nothing), then submit if asked. None: refused, show the page."""
    cells = []
    for entry in entries:
        if entry.recused:
            # The page has no field here; a score sent anyway (a forged form) goes to the service, which
            # refuses it naming the cell and 回避, instead of being dropped with "saved 0".
            forged = presentation.normalise(request.POST.get(f"score-{entry.candidate.pk}", ""), kind="score")
            if forged:
                cells.append(ScoreCell(candidate_id=entry.candidate.pk, expert_id=expert.pk, score=forged))
            continue
        entry.score = presentation.normalise(request.POST.get(f"score-{entry.candidate.pk}", ""), kind="score")
        entry.comment = request.POST.get(f"comment-{entry.candidate.pk}", "").strip()[:COMMENT_CHARS]
        if entry.score != entry.original_score or entry.comment != entry.original_comment:
            cells.append(ScoreCell(candidate_id=entry.candidate.pk, expert_id=expert.pk, score=entry.score,
                                   comment=entry.comment))
    by_candidate = {entry.candidate.pk: entry for entry in entries}
    try:
        if cells:
            services.expert_scores_save(user=request.user, expert=expert, scores=cells, via=EntryPath.EXPERT)
        if "submit" in request.POST:
            services.expert_submit(user=request.user, expert=expert)
    except CellErrors as error:
        for cell_error in error.errors:
            entry = by_candidate.get(cell_error.key[1]) if cell_error.key else None
            if entry is not None:
                entry.error = str(cell_error.message)
            else:
                messages.error(request, str(cell_error.message))
        return None
    except AwardError as error:
        messages.error(request, str(error))
        return None
    if "submit" in request.POST:
        messages.success(request, _("Your scores are submitted. Thank you."))
    elif not cells:
        messages.info(request, _("Nothing changed: nothing to save."))
    else:
        messages.success(request, _("Saved %(count)s score(s).") % {"count": len(cells)})
    return redirect("awards:my_scores", slug=award_round.slug)
