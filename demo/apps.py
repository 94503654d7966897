from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data and `setup_demo`: the top layer, which may import every app."""

    name = "demo"
    verbose_name = _("Demo data")
