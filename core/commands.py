"""Commands that speak the user's language: Chinese by default, English on request.

The language is --lang where a command offers it, else the first of LANGUAGE, LC_ALL and LANG that
names English ("en…") or Chinese ("zh…"). Both --help and everything the command prints follow it.
"""
from __future__ import annotations

import os

from django.core.management.base import BaseCommand
from django.utils import translation

LANGUAGES = ("zh-hans", "en")


def language_from_environment(environ: os._Environ | dict = os.environ) -> str:
    """LANGUAGE, LC_ALL, then LANG: the first that names English ("en…") or Chinese ("zh…") decides.

    Values naming neither (C, POSIX, C.UTF-8, often set by containers) are skipped; Chinese is the default.
    """
    for name in ("LANGUAGE", "LC_ALL", "LANG"):
        value = environ.get(name, "").split(":")[0].lower()
        if value.startswith("en"):
            return "en"
        if value.startswith("zh"):
            return "zh-hans"
    return "zh-hans"


class LocalizedCommand(BaseCommand):
    """A BaseCommand whose help and output are in the user's language.

    Give `help` as gettext_lazy and argument helps as gettext in add_arguments: the parser is built
    inside run_from_argv's translation, and argparse needs plain strings.
    """

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def run_from_argv(self, argv: list[str]) -> None:
        # Covers argument parsing, so that --help and argument errors are translated too.
        with translation.override(language_from_environment()):
            super().run_from_argv(argv)

    def execute(self, *args, **options):
        with translation.override(options.get("lang") or language_from_environment()):
            return super().execute(*args, **options)
