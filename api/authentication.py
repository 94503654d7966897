"""Token authentication for scripts: `Authorization: Token gw_…` (or `Bearer gw_…`).

The token is looked up by its SHA-256 hash (api.models); a revoked token or one whose owner is inactive
is refused with 401, and counted against the caller's address like an anonymous request (guessing tokens
is throttled: over the anonymous rate the answer is 429). A request with a token acts as the token's owner,
with exactly the owner's permissions. last_used_at is written at most once a minute per token, not on every request.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from api.models import ApiToken
from api.services import token_hash
from core.throttling import failed_authentication_allowed

KEYWORDS = (b"token", b"bearer")
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # no token: other authentication (the session) may apply
        if len(parts) != 2:
            raise _refused(request, _("Invalid token header: send “Authorization: Token <token>”."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise _refused(request, _("Invalid token.")) from None
        token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(key)).first()
        if token is None or token.revoked_at is not None or not token.user.is_active:
            raise _refused(request, _("Invalid or revoked token."))
        self._touch(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword  # unauthenticated requests get 401 with WWW-Authenticate: Token

    @staticmethod
    def _touch(token: ApiToken) -> None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def _refused(request: Request, message: str) -> exceptions.APIException:
    """401 for bad credentials, counted as an anonymous request from that address: 429 once over the rate.
    (DRF checks throttles after authentication, so without this a bad token was never throttled.)"""
    throttle = failed_authentication_allowed(request)
    if throttle is not None:
        return exceptions.Throttled(wait=throttle.wait())
    return exceptions.AuthenticationFailed(message)
