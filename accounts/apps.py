from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Cities and accounts")

    def ready(self) -> None:
        # The 34 provinces are reference data every city points at: seeded by migration 0003, and again
        # after a flush (which empties every table, then sends post_migrate), as tests that use real
        # transactions do after each test.
        post_migrate.connect(_provinces_ensure, sender=self)


def _provinces_ensure(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    from django.db import connections

    from accounts.models import Province
    from accounts.services import provinces_ensure

    # Not after a migration back to before the table (migrate accounts 0002).
    if Province._meta.db_table in connections[using].introspection.table_names():
        provinces_ensure(using=using)
