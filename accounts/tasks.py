"""Celery tasks: thin interfaces over accounts.services, named after the service they wrap.

Every option is explicit, as in rankings/tasks.py. acks_late + reject_on_worker_lost: a task whose
worker dies is delivered again, which is safe because the import is all-or-nothing (the dead worker's
transaction is rolled back with its connection) and the job is claimed by its own task id. Only
infrastructure errors are retried, a bounded number of times; the time limits stay below the broker's
visibility timeout (settings.CELERY_BROKER_TRANSPORT_OPTIONS, one hour by default) so a task that is
still running is never handed to a second worker.
"""
from __future__ import annotations

from celery import Task, shared_task

from accounts import services
from core.dispatch import celery_app
from core.errors import INFRASTRUCTURE_ERRORS

celery_app()  # the project's app becomes Celery's current one, which the shared tasks below bind to


class ImportJobTask(Task):
    """Marks the job failed once Celery gives up on it (retries spent, time limit hit)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        job_id = kwargs.get("job_id", args[0] if args else None)
        if job_id is not None:
            services.snapshots_import_fail(job_id=job_id, reason=services.import_failure_reason(exc))


@shared_task(
    name=services.IMPORT_TASK, bind=True, base=ImportJobTask,
    acks_late=True, reject_on_worker_lost=True,
    autoretry_for=INFRASTRUCTURE_ERRORS, retry_backoff=True, retry_backoff_max=300, max_retries=3,
    soft_time_limit=services.IMPORT_SOFT_TIME_LIMIT, time_limit=services.IMPORT_TIME_LIMIT,
)
def snapshots_import_execute(self, job_id: int) -> None:
    services.snapshots_import_execute(job_id=job_id, task_id=self.request.id)
