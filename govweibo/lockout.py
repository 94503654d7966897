"""The page django-axes shows (AXES_LOCKOUT_CALLABLE) when a username is locked from an address.

Axes' own page is an English sentence; this one is the site's page, translated, and says how long the
lock lasts in words (“1 hour”) rather than axes' ISO 8601 duration.
"""
from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    cool_off, now = get_cool_off(request), timezone.now()
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "wait": timeuntil(now + cool_off, now=now) if cool_off else None,
    }
    return render(request, "registration/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
