"""The rendered body of an analyst page showing a published run, kept in the cache (Redis in
production), so that the pages people open most (the ranking, a city, a category, an account) cost one
small query and one cache read instead of pandas, plotly and template work on every request.

Only the page's body (what is inside <main>) is kept. The header around it is rendered on every
request: it holds the viewer's name and the CSRF token of the language and logout forms, which must
never be shared between visitors.

A body is kept under a key made of everything it is drawn from:
- the page (its path), the active language and its query parameters. Only pages whose parameters all
  belong to the page's known names, each given once and at most MAX_VALUE_CHARS long, are looked up:
  a free-text search or what-if weights (the callers leave those names out) are rendered each time;
- the published set (rankings.selectors.visibility.run_cache_key without a run: page_marks, one query): the published runs (publishing, withdrawing or replacing
  one changes the key: the period choices, history and trend lines read them all), the schemes (an
  edit, a new default), and the newest city, account, snapshot and import ids (an import, a new city
  or account shows at once; an admin's edit of single rows within PAGE_CACHE_SECONDS);
- what the viewer may do (BODY_PERMISSIONS, the permissions a body's links depend on).

A body is stored only when its context says `"keep_body": True`: the page shows a published, finished
run (keepable) and carries no notice about a parameter it could not honour (an unknown scheme, sort,
province or page…), so that made-up values are rendered each time and never stored. Drafts never are.
"""
from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from rankings.models import ScoreRun
from rankings.selectors.visibility import run_cache_key, run_is_cacheable

PAGE_CACHE_SECONDS = 300
MAX_VALUE_CHARS = 100
# The permissions a cached body's links depend on (the home page's “Import a file” and “Compute a ranking”).
BODY_PERMISSIONS = ("accounts.import_snapshots", "rankings.run_scores")


def body_key(request: HttpRequest, *, params: Collection[str]) -> str | None:
    """The cache key of this request's page body, or None when it must be rendered afresh: a query
    parameter the page does not keep (not in `params`, repeated, or longer than MAX_VALUE_CHARS).
    One query (page_marks)."""
    query = request.GET
    if any(name not in params or len(query.getlist(name)) > 1 or len(query[name]) > MAX_VALUE_CHARS
           for name in query):
        return None
    user = request.user
    permissions = [bool(user.is_active and user.has_perm(name)) for name in BODY_PERMISSIONS]
    return run_cache_key("page-body", request.path, get_language(), sorted(query.items()), permissions)


def keepable(run: ScoreRun | None) -> bool:
    """Whether a body showing `run` may be stored: the run is published and finished (its results
    never change then; run_cached keeps its frames on the same condition)."""
    return run_is_cacheable(run)


def body_get(key: str | None, request: HttpRequest, template: str, context: Callable[[], dict[str, Any]]) -> SafeString:
    """The page body: `template` rendered with `context()` (called only when the body is not kept),
    kept under `key` for PAGE_CACHE_SECONDS when the context says `"keep_body": True`; rendered every
    time when key is None."""
    html = cache.get(key) if key is not None else None
    if html is None:
        shown = context()
        html = render_to_string(template, shown, request=request)
        if key is not None and shown.get("keep_body"):
            cache.set(key, html, PAGE_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - a template's own output, escaped by the template engine
