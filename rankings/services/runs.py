"""Score runs: start one, execute it (the Celery task's body), publish it, mark it failed.

A run moves pending → running → succeeded | failed. score_run_execute is idempotent: it claims the
run with a conditional UPDATE that only the run's own task (first delivery, retry or redelivery after
a worker died) can win, and writes the run's results in one transaction that first deletes whatever
an interrupted attempt might have left. Publishing swaps the published run of a (scheme, period) in
one transaction, so pages see either the old ranking or the new one, never a mix and never nothing.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pandas as pd
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import snapshots_frame
from core.periods import Period
from rankings.models import CityScore, ScoreRun, ScoringScheme
from rankings.scoring.inputs import period_totals
from rankings.scoring.pipeline import ScoreResult, score
from rankings.scoring.schemes import Scheme
from rankings.services.errors import ScoringError
from rankings.services.results import results_write

logger = logging.getLogger(__name__)

MAX_DRAWS = 100_000
RUN_LOCK_NAMESPACE = 4_204_002  # pg_advisory_lock(namespace, run id); the import uses 4_204_001
# Errors of the infrastructure (database gone, connection dropped): the task retries them.
INFRASTRUCTURE_ERRORS = (OperationalError, InterfaceError)


# --- Starting ------------------------------------------------------------------------------------------
def score_run_start(
    *,
    scheme: ScoringScheme,
    period: Period,
    publish: bool = False,
    user=None,
    draws: int | None = None,
    seed: int | None = None,
    enqueue: bool = True,
) -> ScoreRun:
    """Create a pending run of the scheme's current version over the period and enqueue its task once
    the transaction commits (with no Redis the task runs inline, right then). draws/seed default to the
    scheme document's `uncertainty` section. enqueue=False leaves the run for the caller to execute
    in its own process (score_run_execute with the run's task_id)."""
    uncertainty = scheme.document.get("uncertainty") or {}
    draws = uncertainty.get("draws", 0) if draws is None else draws
    seed = uncertainty.get("seed", 0) if seed is None else seed
    if not 0 <= draws <= MAX_DRAWS:
        raise ScoringError(_("The number of Monte Carlo draws must be between 0 and %(max)s.") % {"max": f"{MAX_DRAWS:,}"})
    with transaction.atomic():
        run = ScoreRun.objects.create(
            scheme=scheme, scheme_version=scheme.version, document=scheme.document,
            period_start=period.start, period_end=period.end, publish=publish,
            uncertainty_draws=draws, uncertainty_seed=seed, created_by=user if user and user.is_authenticated else None,
            task_id=str(uuid.uuid4()),
        )
        if enqueue:
            transaction.on_commit(lambda: _enqueue(run))
    return run


def _enqueue(run: ScoreRun) -> None:
    """Send the run's task. If it cannot be sent (broker or result store unreachable after Celery's own
    retries: kombu's OperationalError, or the Redis result backend's RuntimeError), the run fails with
    the reason rather than staying pending forever."""
    from rankings.tasks import score_run_execute

    try:
        score_run_execute.apply_async(args=[run.pk], task_id=run.task_id)
    except Exception as error:  # noqa: BLE001 - whatever stops the send, the run must not wait for it
        logger.exception("task=score_run_execute run_id=%s enqueue=failed", run.pk)
        score_run_fail(run_id=run.pk, reason=_("The task queue could not be reached: %(error)s") % {"error": error})


def score_runs_start_monthly(*, today: date | None = None) -> list[ScoreRun]:
    """The beat job: a published run of each configured scheme (default: the default scheme) for the
    month before `today`. A scheme that already has a published or unfinished run for that month is
    skipped, so a beat that fires twice starts nothing twice."""
    today = today or timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    period = Period(last_month_end.replace(day=1), last_month_end)
    slugs = settings.GOVWEIBO_MONTHLY_SCHEMES
    schemes = ScoringScheme.objects.filter(slug__in=slugs) if slugs else ScoringScheme.objects.filter(is_default=True)
    started = []
    for scheme in schemes:
        busy = scheme.runs.filter(period_start=period.start, period_end=period.end).filter(
            Q(is_published=True) | Q(status__in=[ScoreRun.Status.PENDING, ScoreRun.Status.RUNNING]))
        if not busy.exists():
            started.append(score_run_start(scheme=scheme, period=period, publish=True))
    logger.info("task=score_runs_start_monthly period=%s started=%s", period.label, [run.pk for run in started])
    return started


# --- Executing -------------------------------------------------------------------------------------------
def score_run_execute(*, run_id: int, task_id: str | None = None, subtasks: bool = True) -> ScoreRun | None:
    """Compute a run. Steps: claim → read snapshots → period totals + score → write results (one
    transaction) → uncertainty (inline, or handed to Celery subtasks that finish the run) → publish if
    asked → succeeded. Returns None when the run was not claimable (finished, or owned by another task).
    subtasks=False keeps a large uncertainty analysis in this process instead of a chord of Celery
    subtasks (compute_scores --inline, setup_demo: no worker needed).

    Infrastructure errors propagate (the task retries them); any other error marks the run failed
    with its reason and leaves every published ranking as it was.
    """
    with _run_lock(run_id):
        run = _claim(run_id=run_id, task_id=task_id)
        if run is None:
            logger.info("task=score_run_execute run_id=%s claimed=false", run_id)
            return None
        try:
            return _execute(run, subtasks=subtasks)
        except INFRASTRUCTURE_ERRORS:
            raise
        except Exception as error:  # noqa: BLE001 - a bug or bad data: the run fails visibly, the task ends
            logger.exception("task=score_run_execute run_id=%s failed", run_id)
            return score_run_fail(run_id=run_id, reason=_failure_reason(error))


class ScoreRunBusy(Exception):
    """Another process is executing this run right now (its database session holds the run's lock).
    The task retries later: if that process dies, PostgreSQL releases the lock with its session."""


@contextmanager
def _run_lock(run_id: int) -> Iterator[None]:
    """A PostgreSQL session-level advisory lock on the run, so that two deliveries of the same task
    (a redelivery while the first worker still lives) never execute at once. SQLite has no such lock
    and needs none: the embedded default runs tasks inline, one at a time."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [RUN_LOCK_NAMESPACE, run_id])
        if not cursor.fetchone()[0]:
            raise ScoreRunBusy(f"run {run_id} is being executed by another process")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK_NAMESPACE, run_id])


def _claim(*, run_id: int, task_id: str | None) -> ScoreRun | None:
    """pending → running, or running → running again for the run's own task (a retry, or a redelivery
    after the worker died). Zero rows updated: finished, or another task's."""
    now = timezone.now()
    claimable = Q(status=ScoreRun.Status.PENDING)
    if task_id:
        claimable |= Q(status=ScoreRun.Status.RUNNING, task_id=task_id)
    updated = ScoreRun.objects.filter(claimable, pk=run_id).update(
        status=ScoreRun.Status.RUNNING, stage=ScoreRun.Stage.READING, progress=0, started_at=now,
        heartbeat_at=now, attempts=F("attempts") + 1, error="",
    )
    return ScoreRun.objects.select_related("scheme").get(pk=run_id) if updated else None


def _execute(run: ScoreRun, *, subtasks: bool) -> ScoreRun | None:
    from rankings.services.uncertainty import uncertainty_input_build, uncertainty_run

    timer = _StageTimer(run)
    scheme = Scheme.from_document(run.document)
    with timer.stage(ScoreRun.Stage.READING, progress=5):
        snapshots = snapshots_frame(period_start=run.period_start, period_end=run.period_end,
                                    custom_metrics=list(scheme.custom_metrics))
    with timer.stage(ScoreRun.Stage.SCORING, progress=30):
        totals = period_totals(snapshots, period_start=pd.Timestamp(run.period_start),
                               period_end=pd.Timestamp(run.period_end))
        result = score(totals, scheme, period_end=pd.Timestamp(run.period_end))
        fingerprint = _fingerprint(run, totals)
        input_rows = len(snapshots)
        del snapshots
    if result.cities.empty:
        raise ScoringError(_("No snapshot of a scored account lies inside %(period)s; import data for it first.")
                           % {"period": run.period_label})
    with timer.stage(ScoreRun.Stage.WRITING, progress=55):
        results_write(run=run, result=result, previous_ranks=_previous_ranks(run))
        _save_summary(run, result, fingerprint=fingerprint, input_rows=input_rows)
    if run.uncertainty_draws:
        with timer.stage(ScoreRun.Stage.UNCERTAINTY, progress=70):
            inputs = uncertainty_input_build(totals=totals, scheme=scheme, result=result)
            handed_over = uncertainty_run(run=run, inputs=inputs, subtasks=subtasks)
        if handed_over:  # Celery subtasks finish the run (score_run_uncertainty_finish)
            return run
    return score_run_complete(run=run, timings=timer.timings)


def score_run_complete(*, run: ScoreRun, timings: dict | None = None) -> ScoreRun:
    """The last step: publish when asked, and mark succeeded, in one transaction."""
    started = time.perf_counter()
    with transaction.atomic():
        locked = ScoreRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != ScoreRun.Status.RUNNING:
            return locked
        if locked.publish:
            _publish(locked)
        locked.timings = {**locked.timings, **(timings or {}),
                          ScoreRun.Stage.PUBLISHING: round((time.perf_counter() - started) * 1000)}
        locked.status, locked.stage, locked.progress = ScoreRun.Status.SUCCEEDED, ScoreRun.Stage.DONE, 100
        locked.finished_at = locked.heartbeat_at = timezone.now()
        locked.uncertainty_input = None
        locked.save()
    logger.info("task=score_run_execute run_id=%s status=succeeded published=%s timings=%s",
                run.pk, locked.is_published, json.dumps(locked.timings))
    return locked


def _save_summary(run: ScoreRun, result: ScoreResult, *, fingerprint: str, input_rows: int) -> None:
    run.fingerprint, run.input_rows = fingerprint, input_rows
    run.accounts_scored, run.cities_scored = len(result.accounts), len(result.cities)
    run.weights = {key: {name: float(value) for name, value in row.items()}
                   for key, row in result.weights.to_dict(orient="index").items()}
    run.warnings = {key: int(value) for key, value in result.warnings.items()}
    run.save(update_fields=["fingerprint", "input_rows", "accounts_scored", "cities_scored", "weights", "warnings"])


def _fingerprint(run: ScoreRun, totals: pd.DataFrame) -> str:
    """sha256 of the scheme document, the period and the period totals the scores were computed from:
    two runs with the same fingerprint had the same inputs."""
    digest = hashlib.sha256(json.dumps(run.document, sort_keys=True, ensure_ascii=False).encode())
    digest.update(f"{run.period_start}/{run.period_end}".encode())
    digest.update(pd.util.hash_pandas_object(totals.reset_index(), index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _previous_ranks(run: ScoreRun) -> pd.Series:
    """city id → rank in the previous published run of the same scheme and the same kind of period
    (the month before, the quarter before …), empty when there is none."""
    kind = _period_kind(run.period_start, run.period_end)
    candidates = ScoreRun.objects.filter(scheme=run.scheme_id, is_published=True, period_end__lt=run.period_start)
    for previous in candidates.order_by("-period_end").only("pk", "period_start", "period_end"):
        if _period_kind(previous.period_start, previous.period_end) == kind:
            ranks = CityScore.objects.filter(run=previous).values_list("city_id", "rank")
            return pd.Series(dict(ranks), dtype="int64")
    return pd.Series(dtype="int64")


def _period_kind(start: date, end: date) -> str:
    label = Period(start, end).label
    if "/" in label:
        return f"days:{(end - start).days + 1}"
    if "W" in label:
        return "week"
    if "Q" in label:
        return "quarter"
    return "month" if "-" in label else "year"


# --- Publishing and failing -----------------------------------------------------------------------------
def score_run_publish(*, run: ScoreRun) -> ScoreRun:
    """Publish a succeeded run: it replaces the published run of the same scheme and period, atomically."""
    with transaction.atomic():
        locked = ScoreRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != ScoreRun.Status.SUCCEEDED:
            raise ScoringError(_("Only a run that succeeded can be published; run #%(id)s is %(status)s.")
                               % {"id": locked.pk, "status": locked.get_status_display()})
        if not locked.is_published:
            _publish(locked)
            locked.save(update_fields=["is_published", "published_at"])
    return locked


def _publish(run: ScoreRun) -> None:
    """Inside the caller's transaction: lock the scheme row so two publications of the same scheme
    queue up, unpublish the period's current run, publish this one (the caller saves it)."""
    ScoringScheme.objects.select_for_update().filter(pk=run.scheme_id).first()
    ScoreRun.objects.filter(scheme=run.scheme_id, period_start=run.period_start, period_end=run.period_end,
                            is_published=True).exclude(pk=run.pk).update(is_published=False)
    run.is_published, run.published_at = True, timezone.now()


def score_run_fail(*, run_id: int, reason: str) -> ScoreRun:
    """Mark a run failed with its reason and drop any results it wrote. Published runs are untouched."""
    from rankings.models import AccountScore, CityCategoryScore

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


def _failure_reason(error: Exception) -> str:
    if isinstance(error, ScoringError):
        return str(error)
    if isinstance(error, DatabaseError):
        return _("Database error: %(error)s") % {"error": error}
    return _("Unexpected error (%(type)s): %(error)s") % {"type": type(error).__name__, "error": error}


# --- Progress ---------------------------------------------------------------------------------------------
class _StageTimer:
    """Records each stage's duration and writes stage/progress/heartbeat to the run row as it starts,
    outside the result transaction, so pages and the API can poll it."""

    def __init__(self, run: ScoreRun) -> None:
        self.run = run
        self.timings: dict[str, int] = {}

    @contextmanager
    def stage(self, stage: str, *, progress: int) -> Iterator[None]:
        ScoreRun.objects.filter(pk=self.run.pk).update(stage=stage, progress=progress, heartbeat_at=timezone.now())
        logger.info("task=score_run_execute run_id=%s stage=%s", self.run.pk, stage)
        started = time.perf_counter()
        yield
        self.timings[stage] = round((time.perf_counter() - started) * 1000)
        ScoreRun.objects.filter(pk=self.run.pk).update(timings=self.timings)
