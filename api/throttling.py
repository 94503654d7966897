"""Request rates for the API: per address for anonymous clients, per user once signed in.

The rates are settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], from API_THROTTLE_ANON and
API_THROTTLE_USER), read at each request rather than once at import as DRF's own classes do, so a
deployment (or a test) that changes them is obeyed. The counters live in Django's default cache: Redis
when REDIS_URL is set (shared by every web process), the in-process cache otherwise. Over the rate the
client gets 429 with Retry-After (api.errors).
"""
from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings


class _RateFromSettings:
    scope: str

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Anonymous clients, by address (the proxy's X-Forwarded-For entry only when BEHIND_PROXY)."""


class UserRateThrottle(_RateFromSettings, throttling.UserRateThrottle):
    """Signed-in users, by user."""
