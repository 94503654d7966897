"""Conditional GET and answers kept in the cache, for the answers about one score run.

The rules are not written here: rankings.selectors.visibility owns them (who sees a run, what may be
kept, the cache key and the validators), Django's conditional-view machinery
(django.utils.cache.get_conditional_response, as `condition` uses it) evaluates the request's
preconditions. This module applies them to the API's answers:

- a published run's results never change, so an answer about one carries the run's ETag (run_etag, of the
  run and what was asked: the full URL, the format, the language) and Last-Modified (run_last_modified),
  `public, max-age=API_CACHE_SECONDS` (API_LATEST_CACHE_SECONDS for answers naming no run explicitly,
  such as /ranking/, "the latest published", which changes when another run is published), and
  `Vary: Accept, Accept-Language`; a current copy (If-None-Match, weak comparison; If-Modified-Since) is
  answered 304 with no body, before any row is read;
- a draft's answer (and the browsable API's HTML page, which names the user and holds their CSRF token)
  is `private, no-store`, without validators, built on every request and never kept.

Two things are kept in Django's cache (Redis when REDIS_URL is set, shared by the web processes; else per
process):
- which run a URL names (the run of /runs/7/…, or "the latest published" of a scheme and period), as the
  few fields the validators and the key are made of, for API_RUN_STATE_SECONDS (5): a repeated request
  needs no query to know what it asks for. A run replaced by a newer publication (a draft again) may so be
  served for those few seconds more, as proxies may serve it until max-age runs out. This memo is looked
  up by what the URL names, before the run is known: its key is run_memo_key (the owner module's, no query);
- the answer itself (its rendered bytes, content type and headers) under run_cache_key, for
  API_CACHE_SECONDS, when run_is_cacheable allows: a repeated request neither reads nor serialises nor
  renders the rows again.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from core.responses import json_error
from rankings.models import ScoreRun
from rankings.selectors.visibility import (
    run_cache_key,
    run_etag,
    run_is_cacheable,
    run_is_public,
    run_last_modified,
    run_memo_key,
)

SHAREABLE_FORMATS = ("json", "csv", "xlsx")  # the same bytes for everyone
CACHED_HEADERS = ("Content-Type", "Content-Disposition", "Link", "X-Total-Count")


def published_answer(view: Any, request: Request, *, names: str, load_run: Callable[[], ScoreRun],
                     build: Callable[[ScoreRun], Response], latest: bool = False) -> HttpResponse:
    """The answer about the run that load_run() finds (it raises 404 for a run this user may not see).

    `names` says which run the URL names ("run:7", or "latest:<digest of scheme and period>"). A public
    run's answer is 304 when the client's copy is current, else the kept answer, else build(run) (then
    kept when the run is cacheable), with its validators and Cache-Control. A draft's answer is built
    every time, `private, no-store`.
    """
    if getattr(request.accepted_renderer, "format", None) not in SHAREABLE_FORMATS:
        return _private(build(load_run()))
    run, loaded = _run_named(names, load_run)
    if not run_is_public(run):
        return _private(build(loaded or run))
    asked = _asked(request)
    headers = _validators(HttpResponse(), run, asked, latest=latest)
    conditional = get_conditional_response(request, etag=headers["ETag"], last_modified=_timestamp(run),
                                           response=headers)
    if conditional is not headers:
        return _conditional(conditional)
    kept = cache.get(_answer_key(run, asked)) if run_is_cacheable(run) else None
    if kept is not None:
        content, kept_headers = kept
        return _validators(HttpResponse(content, headers=kept_headers), run, asked, latest=latest)
    return _fresh(view, request, names=names, run=loaded or load_run(), stamp=run, build=build, latest=latest)


def _fresh(view: Any, request: Request, *, names: str, run: ScoreRun, stamp: ScoreRun,
           build: Callable[[ScoreRun], Response], latest: bool) -> HttpResponse:
    """Build the answer from the run as it is now (it may have changed since its memo was kept: then
    start again from it), render it and keep it when the run is cacheable."""
    if _fields(run) != _fields(stamp):
        cache.delete(run_memo_key(names))
        return published_answer(view, request, names=names, load_run=lambda: run, build=build, latest=latest)
    response = build(run)
    if response.status_code != status.HTTP_200_OK:
        return response
    _render(view, request, response)
    asked = _asked(request)
    if run_is_cacheable(run):
        cache.set(_answer_key(run, asked), (response.content, {
            name: response[name] for name in CACHED_HEADERS if response.has_header(name)}), settings.API_CACHE_SECONDS)
    return _validators(response, run, asked, latest=latest)


def _run_named(names: str, load_run: Callable[[], ScoreRun]) -> tuple[ScoreRun, ScoreRun | None]:
    """(the run the URL names, as its memo or as loaded; the loaded run, None when the memo served).
    Only a public run's memo is kept: a draft is read, checked against the user and built every time."""
    memo = cache.get(run_memo_key(names))
    if memo is not None:
        return memo, None
    run = load_run()
    if run_is_public(run):
        cache.set(run_memo_key(names), _memo(run), settings.API_RUN_STATE_SECONDS)
    return run, run


def _fields(run: ScoreRun) -> tuple[Any, ...]:
    return run.pk, run.is_published, run.stage, run.finished_at, run.published_at


def _memo(run: ScoreRun) -> ScoreRun:
    """The run reduced to what the visibility rules read (small to keep, nothing to query)."""
    return ScoreRun(pk=run.pk, is_published=run.is_published, stage=run.stage, finished_at=run.finished_at,
                    published_at=run.published_at)


def _asked(request: Request) -> tuple[str, str, str]:
    """What an answer is made of besides its run: the full URL, the format and the language."""
    renderer = getattr(request, "accepted_renderer", None)
    return request.build_absolute_uri(), getattr(renderer, "format", "") or "", get_language() or ""


def _answer_key(run: ScoreRun, asked: tuple[str, str, str]) -> str:
    return run_cache_key("api-answer", *asked, run=run)


def _timestamp(run: ScoreRun) -> int | None:
    modified = run_last_modified(run)
    return int(modified.timestamp()) if modified else None


def _validators(response: HttpResponse, run: ScoreRun, asked: tuple[str, str, str], *, latest: bool) -> HttpResponse:
    """A public answer's ETag, Last-Modified, Cache-Control and Vary."""
    seconds = settings.API_LATEST_CACHE_SECONDS if latest else settings.API_CACHE_SECONDS
    response["ETag"] = run_etag(run, *asked)
    if (timestamp := _timestamp(run)) is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = f"public, max-age={seconds}"
    patch_vary_headers(response, ["Accept", "Accept-Language"])
    return response


def _conditional(conditional: HttpResponse) -> HttpResponse:
    """Django's answer to the preconditions: a 304 (with the validators, Cache-Control and Vary it copied
    from the headers it was given), or a 412 for a failed If-Match or If-Unmodified-Since, in the one
    error shape."""
    if conditional.status_code != status.HTTP_412_PRECONDITION_FAILED:
        return conditional
    return json_error(status=412, code="precondition_failed", message=_(
        "The results do not meet the request's preconditions (If-Match, If-Unmodified-Since)."))


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _render(view: Any, request: Request, response: Response) -> None:
    """Render now, as DRF would once the view returns (finalize_response), to keep the bytes."""
    response.accepted_renderer = request.accepted_renderer
    response.accepted_media_type = request.accepted_media_type
    response.renderer_context = view.get_renderer_context()
    for name, value in getattr(view, "export_headers", lambda _response: {})(response).items():
        response[name] = value
    response.render()
