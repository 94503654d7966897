from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingsConfig(AppConfig):
    name = "rankings"
    verbose_name = _("Rankings")

    def ready(self) -> None:
        # Services send tasks by name (rankings.dispatch); registering them here lets a name find its
        # task in every process, so that with no broker (eager mode) the task runs inline.
        from rankings import tasks  # noqa: F401
