"""ETag and Cache-Control for published results, and 304 for conditional requests.

A published run's results never change, so an answer built from one is identified by the run, its
publication time and what was asked (the full URL, the format, the language): the ETag is computed from
those before any row is read, and a matching If-None-Match is answered 304 with no body. Answers naming
no run explicitly (/ranking/: "the latest published") may change when another run is published, so
they are cached for a shorter time (settings API_CACHE_SECONDS, API_LATEST_CACHE_SECONDS).
A run that is replaced by a newer publication of its period becomes a draft again; caches may serve it
until max-age runs out.

The answer itself (the serialised data and its paging headers) is also kept in Django's cache under its
ETag, so a repeated request for a published result costs one query (the run, whose visibility must be
checked each time) instead of reading and serialising its rows again. Redis shares it between web
processes; without Redis each process keeps its own.
"""
from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from rankings.models import ScoreRun


def published_etag(request: Request, run: ScoreRun) -> str:
    published = run.published_at.isoformat() if run.published_at else ""
    renderer = getattr(request, "accepted_renderer", None)
    asked = "|".join([request.build_absolute_uri(), getattr(renderer, "format", "") or "", get_language() or ""])
    digest = hashlib.sha256(f"{run.pk}|{published}|{asked}".encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def _matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2): W/"x" matches "x"; `*` matches anything."""
    wanted = etag.removeprefix("W/")
    tags = [tag.strip() for tag in header.split(",")]
    return any(tag == "*" or tag.removeprefix("W/") == wanted for tag in tags)


def not_modified(request: Request, run: ScoreRun) -> Response | None:
    """A 304 when the client already has this answer, for a published run; None otherwise."""
    if not run.is_published:
        return None
    header = request.headers.get("If-None-Match")
    etag = published_etag(request, run)
    if header and _matches(header, etag):
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
        _headers(response, etag, latest=False)
        return response
    return None


def cache_published(request: Request, response: Response, run: ScoreRun, *, latest: bool = False) -> Response:
    """Give a successful answer built from a published run its ETag and Cache-Control; drafts get
    `private, no-store`."""
    if response.status_code != status.HTTP_200_OK:
        return response
    if not run.is_published:
        response["Cache-Control"] = "private, no-store"
        return response
    _headers(response, published_etag(request, run), latest=latest)
    return response


def _headers(response: Response, etag: str, *, latest: bool) -> None:
    seconds = settings.API_LATEST_CACHE_SECONDS if latest else settings.API_CACHE_SECONDS
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={seconds}"
    patch_vary_headers(response, ["Accept", "Accept-Language"])


CACHED_HEADERS = ("Link", "X-Total-Count")


def conditional(view: Any, request: Request, run: ScoreRun, build: Any, *, latest: bool = False) -> Response:
    """304 if the client's copy is current; else the answer kept under its ETag, or build() (then kept),
    with the caching headers. Drafts are always built, never kept."""
    if not run.is_published:
        return cache_published(request, build(), run, latest=latest)
    unchanged = not_modified(request, run)
    if unchanged is not None:
        return unchanged
    key = "api:answer:" + published_etag(request, run)
    kept = cache.get(key)
    if kept is not None:
        data, headers = kept
        return cache_published(request, Response(data, headers=headers), run, latest=latest)
    response = build()
    if response.status_code == status.HTTP_200_OK:
        headers = {name: response[name] for name in CACHED_HEADERS if response.has_header(name)}
        cache.set(key, (response.data, headers), settings.API_CACHE_SECONDS)
    return cache_published(request, response, run, latest=latest)
