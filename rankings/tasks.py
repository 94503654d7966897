"""Celery tasks: thin interfaces over rankings.services, named after the service they wrap.

Every option is explicit. acks_late + reject_on_worker_lost: a task whose worker dies is delivered
again, which is safe because the services are idempotent (a run is claimed by its own task id and its
results are replaced, never appended). Only infrastructure errors are retried, a bounded number of
times; time limits stay below the broker's visibility timeout (settings.CELERY_BROKER_TRANSPORT_OPTIONS)
so a task that is still running is never handed to a second worker.
"""
from __future__ import annotations

from celery import Task, shared_task

from core.dispatch import celery_app
from core.errors import INFRASTRUCTURE_ERRORS
from rankings import dispatch, services
from rankings.services.runs import ScoreRunBusy

celery_app()  # the project's app becomes Celery's current one, which the shared tasks below bind to

TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (*INFRASTRUCTURE_ERRORS, ScoreRunBusy),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


class ScoreRunTask(Task):
    """Marks the run failed once Celery gives up on it (retries spent, time limit hit)."""

    run_id_arg = 0  # the position of run_id among the task's arguments

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        run_id = kwargs.get("run_id", args[self.run_id_arg] if len(args) > self.run_id_arg else None)
        if run_id is not None:
            services.score_run_fail(run_id=run_id, reason=f"{type(exc).__name__}: {exc}")


@shared_task(name=dispatch.SCORE_RUN_EXECUTE, bind=True, base=ScoreRunTask,
             soft_time_limit=1500, time_limit=1800, **TASK_OPTIONS)
def score_run_execute(self, run_id: int) -> None:
    services.score_run_execute(run_id=run_id, task_id=self.request.id)


@shared_task(name=dispatch.SCORE_RUN_UNCERTAINTY_CHUNK, soft_time_limit=600, time_limit=660, **TASK_OPTIONS)
def score_run_uncertainty_chunk(run_id: int, start: int, count: int) -> list[list[int]] | None:
    return services.score_run_uncertainty_chunk(run_id=run_id, start=start, count=count)


@shared_task(name=dispatch.SCORE_RUN_UNCERTAINTY_FINISH, base=ScoreRunTask, run_id_arg=1,
             soft_time_limit=600, time_limit=660, **TASK_OPTIONS)
def score_run_uncertainty_finish(chunks: list, run_id: int, dispatched_at: float) -> None:
    services.score_run_uncertainty_finish(run_id=run_id, chunks=chunks, dispatched_at=dispatched_at)


@shared_task(name=dispatch.SCORE_RUN_UNCERTAINTY_FAILED, soft_time_limit=60, time_limit=90, **TASK_OPTIONS)
def score_run_uncertainty_failed(request, exc, traceback, run_id: int) -> None:
    """The chord's error callback: a chunk failed for good, so the run fails with the chunk's error."""
    services.score_run_fail(run_id=run_id, reason=f"{type(exc).__name__}: {exc}")


@shared_task(name=dispatch.SCORE_RUNS_START_MONTHLY, soft_time_limit=60, time_limit=90, **TASK_OPTIONS)
def score_runs_start_monthly() -> list[int]:
    return [run.pk for run in services.score_runs_start_monthly()]
