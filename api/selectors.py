"""Reads of the api app: which tokens a user may see."""
from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from api.models import ApiToken

ADMIN_PERMISSION = "api.change_apitoken"  # admins list and revoke everyone's tokens


def user_is_token_admin(user: Any) -> bool:
    return bool(user and getattr(user, "is_active", False) and user.has_perm(ADMIN_PERMISSION))


def tokens_visible_to(user: Any) -> QuerySet[ApiToken]:
    """Every token for token admins, the user's own otherwise. One query with the owner."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    return tokens if user_is_token_admin(user) else tokens.filter(user=user)
