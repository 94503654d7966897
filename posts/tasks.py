"""Celery tasks: thin interfaces over posts.services, named after the service they wrap.

The upload task runs like the snapshot import task it generalises (accounts/tasks.py: every option
explicit, the same reasons): acks_late + reject_on_worker_lost, since an import is all-or-nothing and the
job is claimed by its own task id; only infrastructure errors are retried, a bounded number of times; the
time limits are the snapshot import's, below the broker's visibility timeout.
"""
from __future__ import annotations

from celery import shared_task

from accounts.services import IMPORT_SOFT_TIME_LIMIT, IMPORT_TIME_LIMIT
from accounts.tasks import ImportJobTask
from core.dispatch import celery_app
from core.errors import INFRASTRUCTURE_ERRORS
from posts import services

celery_app()  # the project's app becomes Celery's current one, which the shared tasks below bind to


@shared_task(
    name=services.UPLOAD_TASK, bind=True, base=ImportJobTask,
    acks_late=True, reject_on_worker_lost=True,
    autoretry_for=INFRASTRUCTURE_ERRORS, retry_backoff=True, retry_backoff_max=300, max_retries=3,
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT, time_limit=IMPORT_TIME_LIMIT,
)
def file_import_execute(self, job_id: int) -> None:
    services.file_import_execute(job_id=job_id, task_id=self.request.id)
