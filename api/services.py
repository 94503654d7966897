"""Writes of the api app: creating and revoking API tokens."""
from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from core.errors import AppError

# A token reads "gw_" then 43 URL-safe characters (32 random bytes); scripts send it as
# `Authorization: Token gw_…`.
TOKEN_START = "gw_"
PREFIX_LENGTH = 10  # "gw_" and 7 characters: enough to tell tokens apart, useless to guess one
NAME_MAX = 64


class TokenError(AppError):
    """A token request refused (an empty name, an inactive owner)."""


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def token_create(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`: the stored row and the token itself, which is never shown again."""
    name = name.strip()
    if not name:
        raise TokenError(_("A token needs a name (what it is for)."))
    if len(name) > NAME_MAX:
        raise TokenError(_("A token's name has at most %(max)d characters.") % {"max": NAME_MAX})
    if not user.is_active:
        raise TokenError(_("User “%(user)s” is inactive.") % {"user": user.get_username()})
    key = TOKEN_START + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=key[:PREFIX_LENGTH], key_hash=token_hash(key))
    return token, key


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke the token: from now on it authenticates nobody. Revoking twice keeps the first date."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token
