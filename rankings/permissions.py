"""Who may do what with score runs: the one place the pages, the API and the admin ask.

Starting and publishing a run needs the permission “Can start score runs” (rankings.run_scores);
staff status alone is not enough. Drafts (runs not published, and their failure reasons) are seen by
the same users and by staff; everyone else, anonymous users included, sees published results only.
"""
from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from rankings.models import ScoreRun

RUN_PERMISSION = "rankings.run_scores"


def user_can_run_scores(user: Any) -> bool:
    """May start score runs and publish them (page, API and admin alike)."""
    return bool(user and getattr(user, "is_active", False) and user.has_perm(RUN_PERMISSION))


def user_can_see_drafts(user: Any) -> bool:
    """May read runs that are not published (pending, running, failed, succeeded but unpublished)."""
    return user_can_run_scores(user) or bool(user and getattr(user, "is_active", False) and user.is_staff)


def user_can_see_run(user: Any, run: ScoreRun) -> bool:
    """May read this run: a published one is public, any other is a draft."""
    return run.is_published or user_can_see_drafts(user)


def runs_visible_to(user: Any, runs: QuerySet[ScoreRun]) -> QuerySet[ScoreRun]:
    """The runs of `runs` this user may read: all of them for those who see drafts, else the published.

    A run that was published and then replaced by another run of its period is no longer published,
    so it is hidden again, like any draft: only the current published ranking of a period is public.
    """
    return runs if user_can_see_drafts(user) else runs.filter(is_published=True)
