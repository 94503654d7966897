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
    """Kept for callers not yet moved: rankings.selectors.visibility.run_visible_to owns the rule."""
    from rankings.selectors.visibility import run_visible_to  # noqa: PLC0415 - visibility imports this module

    return run_visible_to(user, run)


def runs_visible_to(user: Any, runs: QuerySet[ScoreRun]) -> QuerySet[ScoreRun]:
    """Kept for callers not yet moved: rankings.selectors.visibility.runs_visible_to owns the rule."""
    from rankings.selectors import visibility  # noqa: PLC0415 - visibility imports this module

    return visibility.runs_visible_to(user, runs)
