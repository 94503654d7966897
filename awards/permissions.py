"""Who may do what with award rounds: the one place services, pages, the API and the admin ask.

Roles are Django groups created by awards/migrations/0002_roles.py:
- 分析员 analyst: read only (view permissions): sees rounds in every status, their inputs and audit log;
- 评审专家 expert (`awards.score_rounds`): enters their own scores on the rounds they are an expert of;
- 评审管理员 panel admin (`awards.manage_rounds`): rounds, experts, every entry path, status changes;
- superuser: everything.
Everyone else, anonymous users included, sees published rounds only.

Services take `user=None` for the command line (`manage.py award_round`): whoever has a shell on the
server is trusted; pages and the API always pass the request's user.
"""
from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from awards.models import AwardRound, Expert

MANAGE_PERMISSION = "awards.manage_rounds"
SCORE_PERMISSION = "awards.score_rounds"
EXPERT_GROUP = "评审专家"  # the group awards/migrations/0002_roles.py gives SCORE_PERMISSION
VIEW_PERMISSION = "awards.view_awardround"


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_active", False))


def user_can_manage_rounds(user: Any) -> bool:
    """May create and change rounds and experts, enter any score or tally, close, publish, correct."""
    return _active(user) and user.has_perm(MANAGE_PERMISSION)


def user_can_see_drafts(user: Any) -> bool:
    """May read rounds that are not published, with their inputs and audit log (read only)."""
    return _active(user) and (user.is_staff or user.has_perm(MANAGE_PERMISSION) or user.has_perm(VIEW_PERMISSION))


def user_is_expert_of(user: Any, award_round: AwardRound) -> bool:
    return _active(user) and award_round.experts.filter(user_id=user.pk).exists()


def user_can_see_round(user: Any, award_round: AwardRound) -> bool:
    """A published round is public; any other is seen by drafts readers and by the round's experts."""
    return award_round.is_published or user_can_see_drafts(user) or user_is_expert_of(user, award_round)


def user_can_score(user: Any, expert: Expert) -> bool:
    """May enter this expert's scores on the expert page: the expert's own login, with the expert role."""
    return _active(user) and expert.user_id == user.pk and user.has_perm(SCORE_PERMISSION)


def user_can_see_score_matrix(user: Any, award_round: AwardRound) -> bool:
    """Everyone's scores: public once published; drafts readers always; an expert of the round only after
    submitting their own (sealed scoring, as HotCRP does); nobody else."""
    if award_round.is_published or user_can_see_drafts(user):
        return True
    return _active(user) and award_round.experts.filter(user_id=user.pk, submitted_at__isnull=False).exists()


# Why a round's results are refused before publication (pages and the API say the same).
SEALED = gettext_lazy("Until the round is published, its results are shown to staff and the panel only: an expert "
                      "would otherwise see the other experts' scores.")


def results_visible(user: Any, award_round: AwardRound) -> bool:
    """A round's results (live until publication) are public once published, else for drafts readers
    only: the round's experts see its page, but not the other experts' scores through the results."""
    return award_round.is_published or user_can_see_drafts(user)


def user_can_see_audit(user: Any, award_round: AwardRound) -> bool:
    return user_can_see_drafts(user)


def user_can_see_expert_names(user: Any, award_round: AwardRound) -> bool:
    """Names behind 专家 A, B, C…: public when the round discloses them, else drafts readers only."""
    return award_round.disclose_experts or user_can_see_drafts(user)


def rounds_visible_to(user: Any, rounds: QuerySet[AwardRound] | None = None) -> QuerySet[AwardRound]:
    """The rounds of `rounds` (all by default) this user may read."""
    rounds = AwardRound.objects.all() if rounds is None else rounds
    if user_can_see_drafts(user):
        return rounds
    if _active(user):
        return rounds.filter(Q(status=AwardRound.Status.PUBLISHED) | Q(experts__user_id=user.pk)).distinct()
    return rounds.filter(status=AwardRound.Status.PUBLISHED)
