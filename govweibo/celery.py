"""The Celery application. Configuration lives in settings under the CELERY_ namespace; the beat
schedule is built here from settings.GOVWEIBO_MONTHLY_RUN, so that loading the settings imports no
Celery (the crontab class alone costs a command about 0.2 s of start-up)."""
import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govweibo.settings")

app = Celery("govweibo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule(monthly_run: dict[str, int]) -> dict[str, dict]:
    """Celery beat: the monthly ranking of the previous month (rankings.services.score_runs_start_monthly)
    at the day of the month, hour and minute of settings.GOVWEIBO_MONTHLY_RUN.
    https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#crontab-schedules"""
    return {
        "monthly-ranking": {
            "task": "rankings.score_runs_start_monthly",
            "schedule": crontab(minute=monthly_run["minute"], hour=monthly_run["hour"],
                                day_of_month=monthly_run["day_of_month"]),
        },
    }


def _beat_schedule_configure(**_kwargs: object) -> None:
    from django.conf import settings

    app.conf.beat_schedule = beat_schedule(settings.GOVWEIBO_MONTHLY_RUN)


app.on_after_configure.connect(_beat_schedule_configure, weak=False)
