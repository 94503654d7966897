"""The ends of a run: complete it (publishing it when asked), publish it later, or mark it failed.

Publishing swaps the published run of a (scheme, period) in one transaction, so pages see either the
old ranking or the new one, never a mix and never nothing. What may be published is one rule,
ScoreRun.can_be_published (publishing any other run is a RunStateError, a 409 conflict); who may
publish is rankings.permissions.user_can_run_scores. The run records who published it (published_by):
the user who asked (`by`), or for a run published when done, the user who started it.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rankings.models import AccountScore, CityCategoryScore, CityScore, ScoreRun, ScoringScheme
from rankings.services.errors import RunStateError

logger = logging.getLogger(__name__)


def score_run_complete(*, run: ScoreRun, timings: dict | None = None) -> ScoreRun:
    """The last step: publish when asked, and mark succeeded, in one transaction."""
    started = time.perf_counter()
    with transaction.atomic():
        locked = ScoreRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != ScoreRun.Status.RUNNING:
            return locked
        if locked.publish:
            _publish(locked, by=locked.created_by)
        locked.timings = {**locked.timings, **(timings or {}),
                          ScoreRun.Stage.PUBLISHING: round((time.perf_counter() - started) * 1000)}
        locked.status, locked.stage, locked.progress = ScoreRun.Status.SUCCEEDED, ScoreRun.Stage.DONE, 100
        locked.finished_at = locked.heartbeat_at = timezone.now()
        locked.uncertainty_input = None
        locked.save()
    logger.info("task=score_run_execute run_id=%s status=succeeded published=%s timings=%s",
                run.pk, locked.is_published, json.dumps(locked.timings))
    return locked


def score_run_publish(*, run: ScoreRun, by: Any = None) -> ScoreRun:
    """Publish a succeeded run: it replaces the published run of the same scheme and period, atomically,
    and records `by` (the user who asks; None for the system) as its publisher. Publishing the published
    run again changes nothing. A run that did not succeed raises RunStateError (409 conflict)."""
    with transaction.atomic():
        locked = ScoreRun.objects.select_for_update().get(pk=run.pk)
        if locked.is_published:
            return locked
        if not locked.can_be_published:
            raise RunStateError(_("Only a run that succeeded can be published; run #%(id)s is %(status)s.")
                                % {"id": locked.pk, "status": locked.status_label})
        _publish(locked, by=by)
        locked.save(update_fields=["is_published", "published_at", "published_by"])
    return locked


def _publish(run: ScoreRun, *, by: Any) -> None:
    """Inside the caller's transaction: lock the scheme row so two publications of the same scheme
    queue up, unpublish the period's current run, publish this one by `by` (the caller saves it)."""
    ScoringScheme.objects.select_for_update().filter(pk=run.scheme_id).first()
    (ScoreRun.objects.filter(scheme=run.scheme_id, is_published=True).for_period(run.period)
     .exclude(pk=run.pk).update(is_published=False))
    run.is_published, run.published_at = True, timezone.now()
    run.published_by = by if getattr(by, "pk", None) is not None else None  # an anonymous user is nobody


def score_run_fail(*, run_id: int, reason: str) -> ScoreRun:
    """Mark a run failed with its reason and drop any results it wrote. Published runs are untouched."""
    with transaction.atomic():
        run = ScoreRun.objects.select_for_update().get(pk=run_id)
        if run.status in ScoreRun.FINISHED:
            return run
        for model in (AccountScore, CityCategoryScore, CityScore):
            model.objects.filter(run=run).delete()
        run.status, run.error = ScoreRun.Status.FAILED, reason[:4000]
        run.finished_at = run.heartbeat_at = timezone.now()
        run.uncertainty_input = None
        run.save()
    logger.warning("task=score_run_execute run_id=%s status=failed reason=%r", run_id, reason[:200])
    return run
