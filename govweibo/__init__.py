"""The govweibo project package.

The Celery application (govweibo.celery.app) is not imported here: a management command or a web
process that sends no task never pays for Celery. It is loaded where it is needed: by
`celery -A govweibo` (which finds govweibo.celery.app), by core.dispatch before any task is sent, and
by the tasks modules. `govweibo.celery_app` still names it, loaded on first use.
"""
from __future__ import annotations

__all__ = ("celery_app",)


def __getattr__(name: str) -> object:
    if name == "celery_app":
        from govweibo.celery import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
