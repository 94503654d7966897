"""python manage.py load_scheme FILE [--default] [--lang zh-hans|en]

Creates or updates the scoring scheme in a YAML or JSON document (the same document the admin shows).
A changed document becomes the scheme's next version; an invalid one is rejected with every problem
listed and the command exits with status 1.
"""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.commands import LANGUAGES, LocalizedCommand
from rankings import services
from rankings.services import ScoringError


class Command(LocalizedCommand):
    help = gettext_lazy("Create or update a scoring scheme from a YAML or JSON file.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("a .yaml, .yml or .json scheme document"))
        parser.add_argument("--default", action="store_true", help=_("make it the default scheme"))
        parser.add_argument("--lang", choices=LANGUAGES, help=_("language of the messages (default: from LANG)"))

    def handle(self, *args, file: Path, default: bool, **options) -> None:
        try:
            scheme, outcome = services.scheme_load_file(path=file, make_default=default)
        except ScoringError as error:
            raise CommandError("\n".join([_("The scheme was not loaded:"), *error.messages])) from None
        text = {
            "created": _("Created scheme “%(slug)s” (version %(version)s)."),
            "updated": _("Updated scheme “%(slug)s” to version %(version)s."),
            "unchanged": _("Scheme “%(slug)s” is unchanged (version %(version)s)."),
        }[outcome]
        self.stdout.write(self.style.SUCCESS(text % {"slug": scheme.slug, "version": scheme.version}))
