"""Sending Celery tasks by name, so that services never import a tasks module (tasks import services,
never the reverse; an import-linter contract checks it). Each app keeps its task names beside its
services (accounts.services.IMPORT_TASK, rankings.dispatch); this module is how they are sent.

With no REDIS_URL (CELERY_TASK_ALWAYS_EAGER) a task sent by name runs inline, right then; with a broker
it is queued. Loading the apps' task modules first makes sure an eager send finds the task registered.
"""
from __future__ import annotations

from celery import current_app
from celery.canvas import Signature


def task_signature(name: str, *args: object) -> Signature:
    """The registered task `name` with its arguments, for sending now or composing (chord, on_error)."""
    current_app.loader.import_default_modules()
    return current_app.signature(name, args=args)


def task_send(name: str, *args: object, task_id: str) -> None:
    """Send `name` under `task_id` (the id that may claim the work). Raises whatever stops the send
    (broker unreachable …): the caller decides what that means for its row."""
    task_signature(name, *args).apply_async(task_id=task_id)
