"""Who sees a score run, and what may be kept of it: the one rule, for pages, exports, the what-if
endpoint and the API alike.

    A published run is public; a finished published run is cacheable; a draft (any run not published:
    pending, running, failed, succeeded but unpublished, or replaced by a newer publication of its
    period) is seen only by users who may see drafts (rankings.permissions.user_can_see_drafts: those who
    may start runs, and staff), and nothing derived from it is ever kept.

Everything kept in a cache that is derived from a run, or from the set of published runs, is kept under
`run_cache_key` (the one key scheme): a run's key names the run, when it finished and when it was
published, so re-executing or re-publishing it changes the key; a key without a run names the published
set (rankings.selectors.runs.page_marks), so publishing, withdrawing or replacing any run changes it.
HTTP validators (ETag, Last-Modified) come from `run_etag` and `run_last_modified`, shaped for Django's
`django.views.decorators.http.condition(etag_func=…, last_modified_func=…)`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from rankings.models import ScoreRun
from rankings.permissions import user_can_see_drafts
from rankings.selectors.runs import page_marks

KEY_PREFIX = "govweibo:run:1:"
MEMO_PREFIX = "govweibo:run-named:1:"
PUBLISHED_PREFIX = "govweibo:published:1:"


def run_is_public(run: ScoreRun | None) -> bool:
    """Anyone, anonymous visitors included, may read a published run."""
    return bool(run is not None and run.is_published)


def run_is_cacheable(run: ScoreRun | None) -> bool:
    """What is derived from this run may be kept: it is published and finished (stage done, finished and
    published times set), so its results never change until it is re-published or withdrawn."""
    return bool(run_is_public(run) and run.stage == ScoreRun.Stage.DONE and run.finished_at and run.published_at)


def run_visible_to(user: Any, run: ScoreRun) -> bool:
    """This user may read this run: a published run is public, any other is a draft."""
    return run_is_public(run) or user_can_see_drafts(user)


def runs_visible_to(user: Any, runs: QuerySet[ScoreRun]) -> QuerySet[ScoreRun]:
    """The runs of `runs` this user may read: all of them for those who see drafts, else the published.

    A run that was published and then replaced by another run of its period is no longer published,
    so it is hidden again, like any draft: only the current published ranking of a period is public.
    """
    return runs if user_can_see_drafts(user) else runs.filter(is_published=True)


@dataclass(frozen=True)
class RunStamp:
    """What identifies a run's published results: its id and its publication time (ISO text, "" for a
    draft). Small enough to be kept in a cache itself, so that a repeated request needs no query to
    compute its validators."""

    run_id: int
    published_at: str


def run_stamp(run: ScoreRun) -> RunStamp:
    """The run's publication stamp (see RunStamp)."""
    return RunStamp(run.pk, run.published_at.isoformat() if run.published_at else "")


def run_cache_key(*parts: object, run: ScoreRun | None = None) -> str:
    """The one cache key of anything derived from `run` (or, without a run, from the published set).

    parts: what was derived and how it was asked for (a name, a path, a language, parameters…), any
    values with a stable repr. With a run: its id, finish and publication times are part of the key,
    so re-executing or re-publishing it changes the key (keep only what run_is_cacheable allows).
    Without a run: the published set's marks (page_marks: one query) are, so publishing, withdrawing
    or replacing any run, editing a scheme or importing data changes the key.
    """
    if run is None:
        return PUBLISHED_PREFIX + _digest(page_marks(), parts)
    finished = run.finished_at.timestamp() if run.finished_at else ""
    published = run.published_at.timestamp() if run.published_at else ""
    return f"{KEY_PREFIX}{run.pk}:" + _digest(finished, published, parts)


def run_memo_key(*names: object) -> str:
    """The key of a short-lived memo of which run a request names ("run 7", or "the latest published
    of scheme S and period P"), looked up before the run is known and so without a query: the memo
    holds the run's stamp, whose own keys (run_cache_key, run_etag) then follow the rule above."""
    return MEMO_PREFIX + _digest(names)


def run_etag(run: ScoreRun | RunStamp, *parts: object) -> str | None:
    """A weak ETag for an answer derived from a public run and `parts` (the URL, the format, the
    language…): W/"<32 hex digits>". None for a draft: a draft's answer carries no validator (it may
    change at any time, and it is private), as Django's `condition` expects when there is none."""
    if isinstance(run, ScoreRun) and not run_is_public(run):
        return None
    stamp = run if isinstance(run, RunStamp) else run_stamp(run)
    if not stamp.published_at:
        return None
    asked = "|".join(str(part) for part in parts)
    digest = hashlib.sha256(f"{stamp.run_id}|{stamp.published_at}|{asked}".encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def run_last_modified(run: ScoreRun) -> datetime | None:
    """When a public run's results last changed: its publication time. None for a draft."""
    return run.published_at if run_is_public(run) else None


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()
