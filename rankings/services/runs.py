"""Score runs: start one, start the monthly ones, execute one (the Celery task's body).

A run moves pending → running → succeeded | failed. score_run_execute is idempotent: it claims the
run with a conditional UPDATE that only the run's own task (first delivery, retry or redelivery after
a worker died) can win, and writes the run's results in one transaction that first deletes whatever
an interrupted attempt might have left. Completing, publishing and failing: services/publishing.py.
The task is sent by name (rankings.dispatch): this module never imports rankings.tasks.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date

import pandas as pd
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import INFRASTRUCTURE_ERRORS
from core.periods import Period
from rankings import dispatch, selectors
from rankings.models import CityScore, ScoreRun, ScoringScheme
from rankings.scoring.pipeline import ScoreResult, score
from rankings.scoring.schemes import Scheme
from rankings.services.errors import ScoringError
from rankings.services.publishing import score_run_complete, score_run_fail
from rankings.services.results import results_write
from rankings.services.uncertainty import uncertainty_begin, uncertainty_finish

logger = logging.getLogger(__name__)

MAX_DRAWS = 100_000
RUN_LOCK_NAMESPACE = 4_204_002  # pg_advisory_lock(namespace, run id); the import uses 4_204_001


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
    in its own process (score_run_execute with the run's task_id).

    Refused (ScoringError, nothing created) when the draws are out of range or no snapshot lies inside
    the period: such a run could only fail."""
    uncertainty = scheme.definition.uncertainty
    draws = uncertainty.draws if draws is None else draws
    seed = uncertainty.seed if seed is None else seed
    if not 0 <= draws <= MAX_DRAWS:
        raise ScoringError(_("The number of Monte Carlo draws must be between 0 and %(max)s.") % {"max": f"{MAX_DRAWS:,}"})
    if not selectors.snapshots_exist(period=period):
        raise ScoringError(_no_data_message(period))
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


def _no_data_message(period: Period) -> str:
    return _("No snapshot of a scored account lies inside %(period)s; import data for it first.") % {
        "period": period.label}


def _enqueue(run: ScoreRun) -> None:
    """Send the run's task. If it cannot be sent (broker or result store unreachable after Celery's own
    retries: kombu's OperationalError, or the Redis result backend's RuntimeError), the run fails with
    the reason rather than staying pending forever."""
    try:
        dispatch.score_run_execute_send(run_id=run.pk, task_id=run.task_id)
    except Exception as error:  # noqa: BLE001 - whatever stops the send, the run must not wait for it
        logger.exception("task=score_run_execute run_id=%s enqueue=failed", run.pk)
        score_run_fail(run_id=run.pk, reason=_("The task queue could not be reached: %(error)s") % {"error": error})


def score_runs_start_monthly(*, today: date | None = None) -> list[ScoreRun]:
    """The beat job: a published run of each configured scheme (default: the default scheme,
    selectors.scheme_default_get) for the month before `today`. A scheme that already has a published
    or unfinished run for that month is skipped, so a beat that fires twice starts nothing twice; so is
    a month with no data (logged)."""
    today = today or timezone.localdate()
    period = Period.of_month(today.year, today.month).previous()
    started = []
    for scheme in _monthly_schemes():
        busy = scheme.runs.for_period(period).filter(
            Q(is_published=True) | Q(status__in=[ScoreRun.Status.PENDING, ScoreRun.Status.RUNNING]))
        if busy.exists():
            continue
        try:
            started.append(score_run_start(scheme=scheme, period=period, publish=True))
        except ScoringError as error:
            logger.warning("task=score_runs_start_monthly scheme=%s period=%s skipped=%r",
                           scheme.slug, period.label, str(error))
    logger.info("task=score_runs_start_monthly period=%s started=%s", period.label, [run.pk for run in started])
    return started


def _monthly_schemes() -> list[ScoringScheme]:
    if settings.GOVWEIBO_MONTHLY_SCHEMES:
        return list(ScoringScheme.objects.filter(slug__in=settings.GOVWEIBO_MONTHLY_SCHEMES))
    default = selectors.scheme_default_get()
    if default is None:
        logger.warning("task=score_runs_start_monthly skipped=%r", str(selectors.NO_DEFAULT_SCHEME))
    return [default] if default else []


# --- Executing -------------------------------------------------------------------------------------------
def score_run_execute(*, run_id: int, task_id: str | None = None, subtasks: bool = True) -> ScoreRun | None:
    """Compute a run. Steps: claim → read period totals (aggregated in the database on PostgreSQL) → score → write results (one
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
    timer = _StageTimer(run)
    scheme = Scheme.from_document(run.document)
    with timer.stage(ScoreRun.Stage.READING, progress=5):
        read = selectors.period_totals_read(period=run.period, custom_metrics=list(scheme.custom_metrics),
                                           latest_metrics=list(scheme.latest_metrics))
    with timer.stage(ScoreRun.Stage.SCORING, progress=30):
        result = score(read.totals, scheme, period_end=pd.Timestamp(run.period_end))
        fingerprint = _fingerprint(run, read.totals)
    if result.cities.empty:  # the data was deleted after the run was started
        raise ScoringError(_no_data_message(run.period))
    # The Monte Carlo's arithmetic runs on a second thread while this one writes (services/uncertainty.py);
    # leaving the block waits for it, also when the write fails.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"run-{run.pk}-uncertainty") as beside:
        analysis = uncertainty_begin(beside, run=run, totals=read.totals, scheme=scheme, result=result,
                                     subtasks=subtasks) if run.uncertainty_draws else None
        with timer.stage(ScoreRun.Stage.WRITING, progress=55):
            results_write(run=run, scheme=scheme, result=result, previous_ranks=_previous_ranks(run))
            _save_summary(run, result, fingerprint=fingerprint, input_rows=read.snapshots)
        if analysis is not None:
            computed = analysis.result()  # waits if the write finished first; raises what the thread raised
            with timer.stage(ScoreRun.Stage.UNCERTAINTY, progress=70, earlier_seconds=computed.seconds):
                handed_over = uncertainty_finish(run=run, analysis=computed)
            if handed_over:  # Celery subtasks finish the run (score_run_uncertainty_finish)
                return run
    return score_run_complete(run=run, timings=timer.timings)


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
    (the month before, the quarter before …: Period.is_like), empty when there is none."""
    candidates = ScoreRun.objects.filter(scheme=run.scheme_id, is_published=True, period_end__lt=run.period_start)
    for previous in candidates.order_by("-period_end").only("pk", "period_start", "period_end"):
        if previous.period.is_like(run.period):
            ranks = CityScore.objects.filter(run=previous).values_list("city_id", "rank")
            return pd.Series(dict(ranks), dtype="int64")
    return pd.Series(dtype="int64")


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
    def stage(self, stage: str, *, progress: int, earlier_seconds: float = 0.0) -> Iterator[None]:
        """earlier_seconds: this stage's work done before it began on another thread (the Monte Carlo's
        arithmetic, while the results were written), added to its recorded time; stages may overlap."""
        ScoreRun.objects.filter(pk=self.run.pk).update(stage=stage, progress=progress, heartbeat_at=timezone.now())
        logger.info("task=score_run_execute run_id=%s stage=%s", self.run.pk, stage)
        started = time.perf_counter()
        yield
        self.timings[stage] = round((time.perf_counter() - started + earlier_seconds) * 1000)
        ScoreRun.objects.filter(pk=self.run.pk).update(timings=self.timings)
