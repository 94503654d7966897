"""Reads of rounds for pages and the API: visible rounds, the score matrix, experts' progress."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from awards import permissions
from awards.models import AwardRound, Candidate, Expert, ExpertScore, NetizenTally


def expert_label(position: int) -> str:
    """A, B, … Z, AA, AB …: the anonymous letter of the expert at this 0-based position (by id)."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def rounds_visible_to(*, user: Any) -> QuerySet[AwardRound]:
    """Published rounds for everyone; every round for drafts readers; their own rounds for experts."""
    return permissions.rounds_visible_to(user).select_related("run")


def round_get_visible(*, user: Any, slug: str) -> AwardRound:
    """The round with this slug if the user may see it; AwardRound.DoesNotExist otherwise (views: 404)."""
    return rounds_visible_to(user=user).get(slug=slug)


def expert_for_user(*, award_round: AwardRound, user: Any) -> Expert | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Expert.objects.filter(round=award_round, user=user).first()


@dataclass(frozen=True)
class ExpertColumn:
    id: int
    label: str          # 专家 A … (translated prefix left to the template: this is the letter)
    name: str | None    # None unless the viewer may see names
    province: str
    submitted: bool


@dataclass(frozen=True)
class MatrixCell:
    expert_id: int
    score: Decimal | None
    comment: str
    recused: bool


@dataclass
class MatrixRow:
    candidate: Candidate
    cells: list[MatrixCell] = field(default_factory=list)
    tallies: dict[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoreMatrix:
    experts: list[ExpertColumn]
    sources: list[str]
    rows: list[MatrixRow]
    version: int


def score_matrix(*, award_round: AwardRound, user: Any) -> ScoreMatrix:
    """Candidates × experts (+ one column per netizen source), four queries. Experts are letters unless
    the round discloses names or the viewer reads drafts; recused cells are marked (回避)."""
    experts = list(Expert.objects.filter(round=award_round).order_by("id"))
    names = permissions.user_can_see_expert_names(user, award_round)
    columns = [ExpertColumn(id=expert.pk, label=expert_label(position), name=expert.name if names else None,
                            province=expert.province_id, submitted=expert.submitted_at is not None)
               for position, expert in enumerate(experts)]
    scores = {(s.candidate_id, s.expert_id): s for s in ExpertScore.objects.filter(round=award_round)}
    tallies = {(t.candidate_id, t.source): t.votes for t in NetizenTally.objects.filter(round=award_round)}
    sources = sorted({source for _, source in tallies})
    rows = []
    for candidate in Candidate.objects.filter(round=award_round).select_related("city", "account").order_by("rank", "id"):
        cells = []
        for expert in experts:
            score = scores.get((candidate.pk, expert.pk))
            cells.append(MatrixCell(expert_id=expert.pk, score=score.score if score else None,
                                    comment=score.comment if score else "", recused=expert.is_recused_from(candidate)))
        rows.append(MatrixRow(candidate=candidate, cells=cells,
                              tallies={source: tallies.get((candidate.pk, source)) for source in sources}))
    return ScoreMatrix(experts=columns, sources=sources, rows=rows, version=award_round.version)


@dataclass(frozen=True)
class ExpertProgress:
    expert: Expert
    scored: int
    to_score: int
    recused: int
    submitted_at: datetime | None


def expert_progress(*, award_round: AwardRound) -> list[ExpertProgress]:
    """Per expert: scores given, candidates still to score, candidates recused from (three queries)."""
    candidates = list(Candidate.objects.filter(round=award_round).only("id", "province"))
    scored: dict[int, set[int]] = {}
    for expert_id, candidate_id in ExpertScore.objects.filter(round=award_round).values_list("expert_id",
                                                                                          "candidate_id"):
        scored.setdefault(expert_id, set()).add(candidate_id)
    progress = []
    for expert in Expert.objects.filter(round=award_round).select_related("user").order_by("id"):
        recused = sum(1 for candidate in candidates if expert.is_recused_from(candidate))
        done = len(scored.get(expert.pk, ()))
        progress.append(ExpertProgress(expert=expert, scored=done, to_score=len(candidates) - recused - done,
                                       recused=recused, submitted_at=expert.submitted_at))
    return progress


def expert_candidates(*, expert: Expert) -> list[tuple[Candidate, ExpertScore | None, bool]]:
    """The expert page: every candidate with the expert's own score (or None) and whether recused."""
    own = {score.candidate_id: score for score in ExpertScore.objects.filter(expert=expert)}
    return [(candidate, own.get(candidate.pk), expert.is_recused_from(candidate))
            for candidate in Candidate.objects.filter(round_id=expert.round_id).select_related("city", "account")
            .order_by("rank", "id")]


def expert_can_see_others(*, expert: Expert | None) -> bool:
    """Sealed scoring (as HotCRP): an expert sees other experts' scores only after submitting their own."""
    return expert is not None and expert.submitted_at is not None


def expert_entry_closed(*, expert: Expert, award_round: AwardRound) -> str | None:
    """Why this expert cannot enter scores on their own page now (translated), or None while they can.

    The one rule of the expert page: scores are entered only while the round is voting and before the
    expert submits (a panel admin may reopen them). The page shows the reason as a read-only notice;
    services.expert_scores_save refuses with it.
    """
    if award_round.status == AwardRound.Status.DRAFT:
        return _("Voting on this round has not opened yet: you can read the candidates now and score them once a "
                 "panel admin opens the voting.")
    if award_round.status != AwardRound.Status.VOTING:
        return _("The round is %(status)s: scores can no longer be changed.") % {
            "status": award_round.get_status_display()}
    if expert.submitted_at is not None:
        return _("You submitted your scores on %(when)s; they can no longer change. If one must be corrected, ask a "
                 "panel admin to reopen your scores while the voting is open.") % {
            "when": timezone.localtime(expert.submitted_at).strftime("%Y-%m-%d %H:%M")}
    return None
