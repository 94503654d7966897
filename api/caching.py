"""ETag and Cache-Control for published results, 304 for conditional requests, and answers kept in the cache.

A published run's results never change, so an answer built from one is identified by the run, its
publication time and what was asked (the full URL, the format, the language): the ETag is computed from
those before any row is read, and a matching If-None-Match is answered 304 with no body. Answers naming
no run explicitly (/ranking/: "the latest published") may change when another run is published, so
they are cached for a shorter time (settings API_CACHE_SECONDS, API_LATEST_CACHE_SECONDS).

Two things are kept in Django's cache (Redis when REDIS_URL is set, shared by the web processes; else
per process):
- the publication stamp of a run (its id and publication time, for the run named in the URL or for "the
  latest published" of a scheme and period), for API_RUN_STATE_SECONDS (5): a repeated request needs no
  query to know what it asks for. A run replaced by a newer publication (a draft again) may so be
  served for those few seconds more, as proxies may serve it until max-age runs out;
- the answer itself (its rendered bytes, content type and headers) under its ETag, for API_CACHE_SECONDS:
  a repeated request neither reads nor serialises nor renders the rows again.
Drafts are never kept: they are read, checked against the user and built on every request. Nor is the
browsable API's HTML page (it names the user and holds their CSRF token): it is `private, no-store`.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from rankings.models import ScoreRun

SHAREABLE_FORMATS = ("json", "csv", "xlsx")  # the same bytes for everyone
CACHED_HEADERS = ("Content-Type", "Content-Disposition", "Link", "X-Total-Count")
Stamp = tuple[int, str]  # (run id, publication time)


def _stamp(run: ScoreRun) -> Stamp:
    return run.pk, run.published_at.isoformat() if run.published_at else ""


def published_etag(request: Request, stamp: Stamp) -> str:
    renderer = getattr(request, "accepted_renderer", None)
    asked = "|".join([request.build_absolute_uri(), getattr(renderer, "format", "") or "", get_language() or ""])
    digest = hashlib.sha256(f"{stamp[0]}|{stamp[1]}|{asked}".encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def _matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2): W/"x" matches "x"; `*` matches anything."""
    wanted = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == wanted for tag in (tag.strip() for tag in header.split(",")))


def _headers(response: HttpResponse, etag: str, *, latest: bool) -> HttpResponse:
    seconds = settings.API_LATEST_CACHE_SECONDS if latest else settings.API_CACHE_SECONDS
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={seconds}"
    patch_vary_headers(response, ["Accept", "Accept-Language"])
    return response


def published_answer(view: Any, request: Request, *, key: str, load_run: Callable[[], ScoreRun],
                     build: Callable[[ScoreRun], Response], latest: bool = False) -> HttpResponse:
    """The answer about the run that load_run() finds (it raises 404 for a run this user may not see).

    key names what the URL asks for ("run:7", or "latest:<scheme>:<period>") and keeps its publication
    stamp for a few seconds. A published run's answer is 304 when the client's copy is current, else
    the kept answer, else build(run) (then kept), with ETag and Cache-Control. A draft's answer is built
    every time, `private, no-store`.
    """
    if getattr(request.accepted_renderer, "format", None) not in SHAREABLE_FORMATS:
        response = build(load_run())
        response["Cache-Control"] = "private, no-store"
        return response
    stamp_key = f"api:stamp:{key}"
    stamp = cache.get(stamp_key)
    run = None
    if stamp is None:
        run = load_run()
        if not run.is_published:
            response = build(run)
            response["Cache-Control"] = "private, no-store"
            return response
        stamp = _stamp(run)
        cache.set(stamp_key, stamp, settings.API_RUN_STATE_SECONDS)
    etag = published_etag(request, stamp)
    header = request.headers.get("If-None-Match")
    if header and _matches(header, etag):
        return _headers(Response(status=status.HTTP_304_NOT_MODIFIED), etag, latest=latest)
    answer_key = "api:answer:" + etag
    kept = cache.get(answer_key)
    if kept is not None:
        content, headers = kept
        return _headers(HttpResponse(content, headers=headers), etag, latest=latest)
    run = run or load_run()
    if _stamp(run) != stamp or not run.is_published:  # changed since the stamp was kept: start again
        cache.delete(stamp_key)
        return published_answer(view, request, key=key, load_run=lambda: run, build=build, latest=latest)
    response = build(run)
    if response.status_code != status.HTTP_200_OK:
        return response
    _render(view, request, response)
    cache.set(answer_key, (response.content, {name: response[name] for name in CACHED_HEADERS
                                              if response.has_header(name)}), settings.API_CACHE_SECONDS)
    return _headers(response, etag, latest=latest)


def _render(view: Any, request: Request, response: Response) -> None:
    """Render now, as DRF would once the view returns (finalize_response), to keep the bytes."""
    response.accepted_renderer = request.accepted_renderer
    response.accepted_media_type = request.accepted_media_type
    response.renderer_context = view.get_renderer_context()
    for name, value in getattr(view, "export_headers", lambda _response: {})(response).items():
        response[name] = value
    response.render()
