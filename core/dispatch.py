"""Sending Celery tasks by name, so that services never import a tasks module (tasks import services,
never the reverse; an import-linter contract checks it). Each app keeps its task names beside its
services (accounts.services.IMPORT_TASK, rankings.dispatch); this module is how they are sent.

With no REDIS_URL (CELERY_TASK_ALWAYS_EAGER) a task sent by name runs inline, right then; with a broker
it is queued. Loading the apps' task modules first makes sure an eager send finds the task registered.

Celery is imported here only when a task is sent (celery_app): a process that sends none, such as most
management commands, never loads it. settings.GOVWEIBO_CELERY_APP names the project's application.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from celery import Celery
    from celery.canvas import Signature


def celery_app() -> Celery:
    """The project's Celery application (settings.GOVWEIBO_CELERY_APP, a dotted path), loaded on first
    use; loading it makes it Celery's current app, the one @shared_task binds to."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    return import_string(settings.GOVWEIBO_CELERY_APP)


def task_signature(name: str, *args: object) -> Signature:
    """The registered task `name` with its arguments, for sending now or composing (chord, on_error).
    Every app's task modules are imported first, so that a task sent by name finds its task."""
    app = celery_app()
    app.loader.import_default_modules()
    return app.signature(name, args=args)


def task_send(name: str, *args: object, task_id: str) -> None:
    """Send `name` under `task_id` (the id that may claim the work). Raises whatever stops the send
    (broker unreachable …): the caller decides what that means for its row."""
    task_signature(name, *args).apply_async(task_id=task_id)
