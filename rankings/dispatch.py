"""The rankings' Celery tasks by name, and how a run and its Monte Carlo chord are sent (through
core.dispatch), so that services never import rankings.tasks. core.dispatch imports every app's
tasks module before it sends one (Celery's autodiscovery), so a name always finds its task.
"""
from __future__ import annotations

from core.dispatch import task_send, task_signature

# Task names: rankings.tasks registers each task under the same constant.
SCORE_RUN_EXECUTE = "rankings.score_run_execute"
SCORE_RUN_UNCERTAINTY_CHUNK = "rankings.score_run_uncertainty_chunk"
SCORE_RUN_UNCERTAINTY_FINISH = "rankings.score_run_uncertainty_finish"
SCORE_RUN_UNCERTAINTY_FAILED = "rankings.score_run_uncertainty_failed"
SCORE_RUNS_START_MONTHLY = "rankings.score_runs_start_monthly"


def score_run_execute_send(*, run_id: int, task_id: str) -> None:
    """Send a run's task under the run's own task id (the id that may claim the run). Raises whatever
    stops the send (broker unreachable …): the caller decides what that means for the run."""
    task_send(SCORE_RUN_EXECUTE, run_id, task_id=task_id)


def score_run_uncertainty_send(*, run_id: int, chunks: list[tuple[int, int]], dispatched_at: float) -> None:
    """The Monte Carlo chord: one chunk task per (start, count), then the finishing task, which is
    told to fail the run if a chunk fails for good."""
    from celery import chord

    header = [task_signature(SCORE_RUN_UNCERTAINTY_CHUNK, run_id, start, count) for start, count in chunks]
    finish = task_signature(SCORE_RUN_UNCERTAINTY_FINISH, run_id, dispatched_at).on_error(
        task_signature(SCORE_RUN_UNCERTAINTY_FAILED, run_id))
    chord(header)(finish)
