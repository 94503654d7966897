from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingsConfig(AppConfig):
    name = "rankings"
    verbose_name = _("Rankings")
    # No ready(): the tasks (rankings.tasks) are registered by core.dispatch before any task is sent,
    # and by the worker at its start; a process that sends none loads neither them nor Celery.
