"""python manage.py import_posts FILE [FILE ...] [--account ID] [--dry-run] [--encoding NAME] [--lang zh-hans|en]

Imports files of posts or replies (CSV, tab-separated .txt, XLSX, JSON Lines) and weibo-crawler output
(a folder `<screen name>/`, or its files one by one), all in one transaction: all or nothing. On a rejected
import every problem is printed to stderr as "FILE: line N, column C: reason", then a summary, and the
command exits with status 1. --account ID names the account of the weibo-crawler files (otherwise found by
the uid in the posts file's name, or by the folder's screen name). Messages are Chinese by default;
English with --lang en or an English LANG/LC_ALL/LANGUAGE.
"""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.commands import LANGUAGES, LocalizedCommand
from core.progress import ImportProgress
from core.tables.errors import ImportFailed


class Command(LocalizedCommand):
    help = gettext_lazy("Import files of posts or replies, or weibo-crawler folders (all or nothing).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help=_(
            "files (.csv, .txt, .xlsx, .jsonl) of posts or replies, or weibo-crawler folders or files"))
        parser.add_argument("--account", type=int, metavar="ID", help=_(
            "the id of the account the weibo-crawler files belong to"))
        parser.add_argument("--dry-run", action="store_true", help=_("check the files and report, write nothing"))
        parser.add_argument("--encoding", help=_(
            "the CSV files' encoding, e.g. gb18030 (default: detected; UTF-8, GB18030 or UTF-16)"))
        parser.add_argument("--lang", choices=LANGUAGES, help=_("language of the messages (default: from LANG)"))
        parser.add_argument("--progress", action="store_true", help=_("show a progress bar even when not on a terminal"))

    def handle(self, *args, **options) -> None:
        # The import (pandas, the readers) is loaded when files are imported, not at --help.
        from accounts.services import DatabaseConnectionLost, connection_loss_detected
        from posts.services import import_summary, posts_import

        paths: list[Path] = options["files"]
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(_("No such file or folder: %(path)s") % {"path": ", ".join(missing)})
        try:
            with ImportProgress(label=paths[0].name, force=options["progress"]) as progress, \
                    connection_loss_detected():
                result = posts_import(paths=paths, dry_run=options["dry_run"], progress=progress,
                                      account_id=options["account"], encoding=options["encoding"])
        except ImportFailed as failure:
            for line in failure.lines():
                self.stderr.write(line)
            raise CommandError(failure.summary()) from None
        except DatabaseConnectionLost as lost:
            raise CommandError(str(lost)) from None
        name = paths[0].name if len(paths) == 1 else ", ".join(path.name for path in paths)
        self.stdout.write(import_summary(result, file_name=name))
