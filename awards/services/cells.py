"""Saving scores and tallies: the grid's bulk save (all-or-nothing, with an optimistic version check),
an expert's own scores and their submission. File import and corrections reuse `cells_apply`.

Every write keeps its history (who, when, old → new, entry path), bulk writes included
(bulk_create_with_history / bulk_update_with_history); deletions go one by one so each leaves a
history row. Each write records the round version it created (`round_version`), which is how a
conflict names the cells someone else changed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from awards.models import AwardRound, Candidate, EntryPath, Expert, ExpertScore, NetizenTally
from awards.permissions import user_can_score
from awards.selectors.rounds import expert_entry_closed
from awards.services.common import (
    audited,
    bump_version,
    history_user,
    lock_round,
    require_inputs_open,
    require_manager,
    require_status,
)
from awards.services.errors import (
    AwardError,
    AwardPermissionDenied,
    CellChange,
    CellError,
    CellErrors,
    VersionConflict,
    shown,
)
from awards.services.validation import (
    CellProblem,
    check_not_recused,
    is_blank,
    parse_comment,
    parse_score,
    parse_source,
    parse_votes,
)


@dataclass(frozen=True)
class ScoreCell:
    """One expert × candidate cell. score: the raw value (text or number); blank deletes the score.
    comment: None keeps the stored comment."""

    candidate_id: int
    expert_id: int
    score: object
    comment: str | None = None

    @property
    def key(self) -> tuple:
        return ("score", self.candidate_id, self.expert_id)


@dataclass(frozen=True)
class TallyCell:
    """One candidate × source cell. votes: the raw value; blank deletes the tally."""

    candidate_id: int
    source: str
    votes: object

    @property
    def key(self) -> tuple:
        return ("tally", self.candidate_id, " ".join(str(self.source or "").split()))


@dataclass(frozen=True)
class CellsSaved:
    version: int
    created: int = 0
    updated: int = 0
    deleted: int = 0


@dataclass
class _Plan:
    """What a save will write, once every cell passed."""

    create: list
    update_scores: list
    update_tallies: list
    delete: list


class _RoundCells:
    """The round's candidates, experts and current inputs, read once (four queries)."""

    def __init__(self, award_round: AwardRound) -> None:
        self.candidates = {c.pk: c for c in Candidate.objects.filter(round=award_round)}
        self.experts = {e.pk: e for e in Expert.objects.filter(round=award_round)}
        self.scores = {(s.candidate_id, s.expert_id): s for s in ExpertScore.objects.filter(round=award_round)}
        self.tallies = {(t.candidate_id, t.source): t for t in NetizenTally.objects.filter(round=award_round)}

    def score_label(self, candidate_id: int, expert_id: int) -> str:
        candidate = self.candidates.get(_id(candidate_id))
        expert = self.experts.get(_id(expert_id))
        candidate_name = candidate.name if candidate else f"#{shown(candidate_id)}"
        return f"{candidate_name} × {expert.name if expert else f'#{shown(expert_id)}'}"

    def tally_label(self, candidate_id: int, source: str) -> str:
        candidate = self.candidates.get(_id(candidate_id))
        return f"{candidate.name if candidate else f'#{shown(candidate_id)}'} × {shown(source)}"


def _error(label: str, reason: object, key: tuple) -> CellError:
    return CellError(key=key, message=_("%(cell)s: %(reason)s.") % {"cell": label, "reason": reason})


def cells_plan(award_round: AwardRound, state: _RoundCells, scores: list[ScoreCell], tallies: list[TallyCell], *,
               via: str) -> tuple[_Plan, list[CellError]]:
    """Validate every cell against the round (one validation for all entry paths) and plan the writes."""
    plan, errors, seen = _Plan([], [], [], []), [], set()
    for cell in scores:
        label = state.score_label(cell.candidate_id, cell.expert_id)
        try:
            candidate, expert = _known(state, cell.candidate_id, cell.expert_id)
            key = ("score", candidate.pk, expert.pk)
            if key in seen:
                raise CellProblem(_("the cell appears twice"))
            seen.add(key)
            check_not_recused(expert, candidate)
            _plan_score(plan, state, award_round, candidate, expert, cell, via)
        except CellProblem as problem:
            errors.append(_error(label, problem, cell.key))
    for cell in tallies:
        try:
            source = parse_source(cell.source)
            candidate = _known(state, cell.candidate_id, None)[0]
            key = ("tally", candidate.pk, source)
            if key in seen:
                raise CellProblem(_("the cell appears twice"))
            seen.add(key)
            _plan_tally(plan, state, award_round, candidate, source, cell.votes, via)
        except CellProblem as problem:
            errors.append(_error(state.tally_label(cell.candidate_id, cell.source), problem, cell.key))
    return plan, errors


def _id(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _known(state: _RoundCells, candidate_id: Any, expert_id: Any) -> tuple[Candidate, Expert | None]:
    candidate = state.candidates.get(_id(candidate_id))
    if candidate is None:
        raise CellProblem(_("no such candidate in this round"))
    if expert_id is None:
        return candidate, None
    expert = state.experts.get(_id(expert_id))
    if expert is None:
        raise CellProblem(_("no such expert in this round"))
    return candidate, expert


def _plan_score(plan: _Plan, state: _RoundCells, award_round: AwardRound, candidate: Candidate, expert: Expert,
                cell: ScoreCell, via: str) -> None:
    existing = state.scores.get((candidate.pk, expert.pk))
    if is_blank(cell.score):
        if existing is not None:
            plan.delete.append(existing)
        return
    score = parse_score(cell.score)
    comment = parse_comment(cell.comment) if cell.comment is not None else None
    if existing is None:
        plan.create.append(ExpertScore(round=award_round, expert=expert, candidate=candidate, score=score,
                                       comment=comment or "", entered_via=via))
    elif existing.score != score or (comment is not None and comment != existing.comment):
        existing.score = score
        existing.comment = existing.comment if comment is None else comment
        existing.entered_via = via
        plan.update_scores.append(existing)


def _plan_tally(plan: _Plan, state: _RoundCells, award_round: AwardRound, candidate: Candidate, source: str,
                votes: object, via: str) -> None:
    existing = state.tallies.get((candidate.pk, source))
    if is_blank(votes):
        if existing is not None:
            plan.delete.append(existing)
        return
    number = parse_votes(votes)
    if existing is None:
        plan.create.append(NetizenTally(round=award_round, candidate=candidate, source=source, votes=number,
                                        entered_via=via))
    elif existing.votes != number:
        existing.votes, existing.entered_via = number, via
        plan.update_tallies.append(existing)


def cells_write(award_round: AwardRound, plan: _Plan, *, user: Any, via: str,
                reason: str | None = None) -> CellsSaved:
    """Inside the caller's transaction, with the round locked: write the plan under a new version.
    The history records `reason` (default: the entry path `via`)."""
    via = (reason or via)[:100]
    if not (plan.create or plan.update_scores or plan.update_tallies or plan.delete):
        return CellsSaved(version=award_round.version)
    version = bump_version(award_round)
    recorder, now = history_user(user), timezone.now()
    for model in (ExpertScore, NetizenTally):
        rows = [row for row in plan.create if isinstance(row, model)]
        for row in rows:
            row.round_version = version
        if rows:
            bulk_create_with_history(rows, model, default_user=recorder, default_change_reason=via)
    for model, rows, fields in ((ExpertScore, plan.update_scores, ["score", "comment"]),
                                (NetizenTally, plan.update_tallies, ["votes"])):
        for row in rows:
            row.round_version, row.updated_at = version, now
        if rows:
            bulk_update_with_history(rows, model, [*fields, "entered_via", "round_version", "updated_at"],
                                     default_user=recorder, default_change_reason=via)
    for row in plan.delete:
        # One by one, so that each deletion leaves a history row carrying this version.
        row.round_version = version
        audited(row, user=recorder, via=via).delete()
    return CellsSaved(version=version, created=len(plan.create),
                      updated=len(plan.update_scores) + len(plan.update_tallies), deleted=len(plan.delete))


def cells_apply(award_round: AwardRound, scores: list[ScoreCell], tallies: list[TallyCell], *, user: Any,
                via: str, reason: str | None = None) -> CellsSaved:
    """Validate and write, inside the caller's transaction with the round locked; CellErrors if any cell
    is refused (then nothing is written)."""
    if via not in EntryPath.values:
        raise ValueError(f"unknown entry path {via!r}: use an awards.models.EntryPath value")
    state = _RoundCells(award_round)
    plan, errors = cells_plan(award_round, state, list(scores), list(tallies), via=via)
    if errors:
        raise CellErrors(errors)
    return cells_write(award_round, plan, user=user, via=via, reason=reason)


def cells_save(*, user: Any, award_round: AwardRound, expected_version: int, scores: list[ScoreCell] = (),
               tallies: list[TallyCell] = (), via: str) -> CellsSaved:
    """The grid's save: all cells or none, and only if nobody changed the round's inputs since
    `expected_version` (else VersionConflict naming the cells changed since)."""
    require_manager(user)
    try:
        expected_version = int(expected_version)
    except (TypeError, ValueError):
        raise AwardError(_("The version of the grid you loaded is missing; reload the page.")) from None
    with transaction.atomic():
        locked = lock_round(award_round)
        require_inputs_open(locked)
        if expected_version != locked.version:
            raise _conflict(locked, expected_version)
        saved = cells_apply(locked, scores, tallies, user=user, via=via)
    award_round.version = saved.version
    return saved


def _conflict(award_round: AwardRound, expected: int) -> VersionConflict:
    """The cells written or deleted after version `expected`, newest first, one entry per cell."""
    state = _RoundCells(award_round)
    changes: dict[tuple, CellChange] = {}
    score_history = (ExpertScore.history.filter(round_id=award_round.pk, round_version__gt=expected)
                     .select_related("history_user").order_by("-history_date"))
    for row in score_history:
        key = ("score", row.candidate_id, row.expert_id)
        changes.setdefault(key, CellChange(key=key, label=state.score_label(row.candidate_id, row.expert_id),
                                           user=row.history_user, when=row.history_date))
    tally_history = (NetizenTally.history.filter(round_id=award_round.pk, round_version__gt=expected)
                     .select_related("history_user").order_by("-history_date"))
    for row in tally_history:
        key = ("tally", row.candidate_id, row.source)
        changes.setdefault(key, CellChange(key=key, label=state.tally_label(row.candidate_id, row.source),
                                           user=row.history_user, when=row.history_date))
    cells = sorted(changes.values(), key=lambda change: change.when, reverse=True)
    if cells:
        message = _("Someone else saved this round after you opened it (version %(expected)s, now %(version)s); "
                    "nothing was saved. Changed since: %(cells)s. Reload and enter your changes again.") % {
            "expected": expected, "version": award_round.version, "cells": "; ".join(c.label for c in cells)}
    else:
        message = _("This round's experts or settings changed after you opened it (version %(expected)s, now "
                    "%(version)s); nothing was saved. Reload and enter your changes again.") % {
            "expected": expected, "version": award_round.version}
    return VersionConflict(message, cells=cells, version=award_round.version)


def expert_scores_save(*, user: Any, expert: Expert, scores: list[ScoreCell], via: str = "expert") -> CellsSaved:
    """An expert's own scores from their page: only their cells, while voting and before they submit."""
    if user is not None and not user_can_score(user, expert):
        raise AwardPermissionDenied(_("Only the expert may enter their own scores."))
    if any(_id(cell.expert_id) != expert.pk for cell in scores):
        raise AwardPermissionDenied(_("An expert may enter only their own scores."))
    with transaction.atomic():
        locked = lock_round(expert.round)
        expert = Expert.objects.get(pk=expert.pk)
        closed = expert_entry_closed(expert=expert, award_round=locked)
        if closed:
            raise AwardError(closed)
        return cells_apply(locked, scores, [], user=user, via=via)


def expert_submit(*, user: Any, expert: Expert) -> Expert:
    """Submit: refused while a candidate the expert may score has no score (named). After submitting,
    the expert sees the other experts' scores (sealed scoring) and can no longer change theirs."""
    if user is not None and not user_can_score(user, expert):
        raise AwardPermissionDenied(_("Only the expert may submit their own scores."))
    with transaction.atomic():
        locked = lock_round(expert.round)
        require_status(locked, AwardRound.Status.VOTING, action=_("submitting scores"))
        expert = Expert.objects.select_for_update().get(pk=expert.pk)
        if expert.submitted_at is not None:
            return expert
        scored = set(ExpertScore.objects.filter(expert=expert).values_list("candidate_id", flat=True))
        missing = [candidate.name for candidate in Candidate.objects.filter(round=locked).order_by("rank", "id")
                   if candidate.pk not in scored and not expert.is_recused_from(candidate)]
        if missing:
            raise AwardError(_("Score every candidate before submitting; still to score: %(names)s.")
                             % {"names": "、".join(missing)})
        expert.submitted_at = timezone.now()
        audited(expert, user=history_user(user), via="expert").save()
    return expert

