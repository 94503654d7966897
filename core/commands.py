"""Commands that speak the user's language: Chinese by default, English on request.

The language is --lang where a command offers it, else the first of LANGUAGE, LC_ALL and LANG that
names English ("en…") or Chinese ("zh…"). Both --help and everything the command prints follow it.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

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


def _lang_after_subcommands(parser: argparse.ArgumentParser) -> None:
    """Let --lang follow a subcommand too (`award_round list --lang en` as `award_round --lang en list`):
    every subparser of a command that offers --lang gets it as well. Its default is SUPPRESS, so a
    subcommand without it leaves the value given before the subcommand alone."""
    lang = next((action for action in parser._actions if "--lang" in action.option_strings), None)
    if lang is not None:
        _lang_to_subparsers(parser, lang)


def _lang_to_subparsers(parser: argparse.ArgumentParser, lang: argparse.Action) -> None:
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for subparser in dict.fromkeys(action.choices.values()):
            if not any("--lang" in item.option_strings for item in subparser._actions):
                subparser.add_argument("--lang", choices=lang.choices, help=lang.help, default=argparse.SUPPRESS)
            _lang_to_subparsers(subparser, lang)


class LocalizedCommand(BaseCommand):
    """A BaseCommand whose help and output are in the user's language.

    Give `help` as gettext_lazy and argument helps as gettext in add_arguments: the parser is built
    inside run_from_argv's translation, and argparse needs plain strings.

    Before it runs, a command checks the models only (its tables must match them). The other system
    checks (URLs, admin, templates) load every URL module and view, about a second, and check nothing
    a command uses: `manage.py check`, runserver and the test suite run them all.
    """

    requires_system_checks = [Tags.models]

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        self.help = str(self.help)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _lang_after_subcommands(parser)
        return parser

    def run_from_argv(self, argv: list[str]) -> None:
        # Covers argument parsing, so that --help and argument errors are translated too.
        with translation.override(language_from_environment()):
            super().run_from_argv(argv)

    def execute(self, *args, **options):
        with translation.override(options.get("lang") or language_from_environment()):
            return super().execute(*args, **options)

    def export_check(self, file_format: str, output: Path | None) -> None:
        """Refuse XLSX to the terminal: it is binary and goes to a file (-o FILE)."""
        if file_format == "xlsx" and output is None:
            raise CommandError(_("XLSX is a binary format: give a file with -o FILE."))

    def export_write(self, data: bytes, output: Path | None) -> bool:
        """Write an export to the file `output`, or as text to stdout without one. True when a file was
        written (the caller then says so on stderr); an unwritable file is a CommandError with the reason."""
        if output is None:
            self.stdout.write(data.decode("utf-8"), ending="")
            return False
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(_("Cannot write %(path)s: %(reason)s")
                               % {"path": output, "reason": error.strerror}) from None
        return True
