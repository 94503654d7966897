"""The entry grid: every expert score and netizen tally of a round on one page, saved all at once.

The save sends the version of the inputs the page was loaded with; services.cells_save refuses it as a
conflict when another save came in between, and the page then names the cells that changed meanwhile,
keeps what this admin typed, and shows the new version so a second save is deliberate.
"""
from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards import presentation, selectors, services
from awards.forms import ExpertForm
from awards.models import AwardRound, EntryPath
from awards.services.errors import AwardError, CellErrors, VersionConflict
from awards.views.common import manager_required, round_or_404
from core.views import post_else_redirect


@require_http_methods(["GET", "HEAD", "POST"])
@manager_required
def grid(request: HttpRequest, slug: str) -> HttpResponse:
    award_round = round_or_404(request, slug)
    if request.method == "POST":
        return _grid_save(request, award_round)
    return _grid_page(request, award_round, grid=_fresh_grid(request, award_round))


@post_else_redirect(lambda slug: reverse("awards:grid", args=[slug]) + "#add-expert")
@manager_required
def expert_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Add an expert (a new column of the grid)."""
    award_round = round_or_404(request, slug)
    form = ExpertForm(request.POST)
    if form.is_valid():
        try:
            expert = services.expert_create(
                user=request.user, award_round=award_round, name=form.cleaned_data["name"],
                province=form.cleaned_data["province"], affiliation=form.cleaned_data["affiliation"],
                expert_user=form.cleaned_data["username"], via=EntryPath.GRID,
            )
        except AwardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Expert “%(name)s” added.") % {"name": expert.name})
            return redirect("awards:grid", slug=award_round.slug)
    return _grid_page(request, award_round, grid=_fresh_grid(request, award_round), expert_form=form, status=400)


def _fresh_grid(request: HttpRequest, award_round: AwardRound, *, extra_sources: list[str] = ()) -> presentation.Grid:
    matrix = selectors.score_matrix(award_round=award_round, user=request.user)
    return presentation.grid_build(matrix, extra_sources=extra_sources)


def _grid_save(request: HttpRequest, award_round: AwardRound) -> HttpResponse:
    posted = presentation.grid_read(request.POST)
    if posted.version is None:
        messages.error(request, _("The grid was sent without its version: reload the page and try again."))
        return redirect("awards:grid", slug=award_round.slug)
    if not posted.scores and not posted.tallies:
        messages.info(request, _("Nothing changed: nothing to save."))
        return redirect("awards:grid", slug=award_round.slug)
    try:
        saved = services.cells_save(user=request.user, award_round=award_round, expected_version=posted.version,
                                    scores=posted.scores, tallies=posted.tallies, via=EntryPath.GRID)
    except VersionConflict as conflict:
        grid = presentation.grid_overlay(_fresh_grid(request, award_round, extra_sources=posted.new_sources), posted)
        return _grid_page(request, award_round, grid=grid, conflict=_conflict_lines(conflict, posted), status=409)
    except CellErrors as error:
        grid = presentation.grid_overlay(_fresh_grid(request, award_round, extra_sources=posted.new_sources), posted)
        grid.version = posted.version
        return _grid_page(request, award_round, grid=presentation.grid_mark_errors(grid, error.errors), status=400)
    except AwardError as error:
        grid = presentation.grid_overlay(_fresh_grid(request, award_round, extra_sources=posted.new_sources), posted)
        grid.version = posted.version
        grid.errors.append(str(error))
        return _grid_page(request, award_round, grid=grid, status=400)
    messages.success(request, _("Saved: %(created)s new, %(updated)s changed, %(deleted)s cleared (version "
                                "%(version)s).") % {"created": saved.created, "updated": saved.updated,
                                                   "deleted": saved.deleted, "version": saved.version})
    return redirect("awards:grid", slug=award_round.slug)


def _conflict_lines(conflict: VersionConflict, posted: presentation.GridPost) -> list[str]:
    """One line per cell saved by someone else since this page was loaded, the ones this admin also
    changed first (those are the real clashes)."""
    lines = []
    for change in sorted(conflict.cells, key=lambda change: tuple(change.key) not in posted.changed):
        who = getattr(change.user, "username", None) or str(change.user or _("someone"))
        line = _("%(cell)s, saved by %(user)s at %(when)s") % {
            "cell": change.label, "user": who, "when": date_format(localtime(change.when), "H:i:s") if change.when else "?",
        }
        if tuple(change.key) in posted.changed:
            line += " · " + _("you changed it too")
        lines.append(line)
    return lines


def _grid_page(request: HttpRequest, award_round: AwardRound, *, grid: presentation.Grid,
               expert_form: ExpertForm | None = None, conflict: list[str] | None = None,
               status: int = 200) -> HttpResponse:
    return render(request, "awards/grid.html", {
        "round": award_round,
        "grid": grid,
        "errors": grid.errors,
        "conflict": conflict,
        "editable": award_round.accepts_scores,
        "expert_form": expert_form or ExpertForm(),
        "candidate_label": _("City") if award_round.kind == AwardRound.Kind.CITY else _("Account"),
    }, status=status)
