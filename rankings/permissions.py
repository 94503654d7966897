"""Who may do what with score runs: the one place the pages, the API and the admin ask.

Starting and publishing a run needs the permission “Can start score runs” (rankings.run_scores);
staff status alone is not enough. Drafts (runs not published, and their failure reasons) are seen by
the same users and by staff; everyone else, anonymous users included, sees published results only.
"""
from __future__ import annotations

from typing import Any

RUN_PERMISSION = "rankings.run_scores"


def user_can_run_scores(user: Any) -> bool:
    """May start score runs and publish them (page, API and admin alike)."""
    return bool(user and getattr(user, "is_active", False) and user.has_perm(RUN_PERMISSION))


def user_can_see_drafts(user: Any) -> bool:
    """May read runs that are not published (pending, running, failed, succeeded but unpublished)."""
    return user_can_run_scores(user) or bool(user and getattr(user, "is_active", False) and user.is_staff)
