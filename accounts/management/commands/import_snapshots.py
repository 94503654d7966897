"""python manage.py import_snapshots FILE [--dry-run] [--encoding NAME] [--lang zh-hans|en] [--progress]

Imports a CSV/XLSX file of account snapshots, all-or-nothing. On a rejected file every problem is
printed to stderr as "line N, column C: reason", then a summary, and the command exits with status 1.
Messages are Chinese by default; English with --lang en or an English LANG/LC_ALL/LANGUAGE.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import SnapshotImport
from core.commands import LANGUAGES, LocalizedCommand, language_from_environment  # noqa: F401
from core.progress import ImportProgress
from core.tables.errors import ImportFailed

if TYPE_CHECKING:
    from accounts.importing import ImportResult


class Command(LocalizedCommand):
    help = gettext_lazy("Import a CSV, tab-separated .txt or XLSX file of account snapshots (all or nothing).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("a .csv or .txt (UTF-8, GB18030 or UTF-16) or .xlsx file"))
        parser.add_argument("--dry-run", action="store_true", help=_("check the file and report, write nothing"))
        parser.add_argument("--lang", choices=LANGUAGES, help=_("language of the messages (default: from LANG)"))
        parser.add_argument("--encoding", help=_(
            "the CSV file's encoding, e.g. latin-1 or gb18030 (default: detected; UTF-8, GB18030 or UTF-16)"))
        parser.add_argument("--progress", action="store_true", help=_("show a progress bar even when not on a terminal"))

    def handle(self, *args, **options) -> None:
        self._import(options["file"], dry_run=options["dry_run"], show_progress=options["progress"],
                     encoding=options["encoding"])

    def _import(self, path: Path, *, dry_run: bool, show_progress: bool, encoding: str | None) -> None:
        # The import (pandas, the readers) is loaded when a file is imported, not at --help.
        from accounts.services import DatabaseConnectionLost, connection_loss_detected, snapshots_import

        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            with ImportProgress(label=path.name, force=show_progress) as progress, connection_loss_detected():
                result = snapshots_import(
                    source=path, file_name=path.name, origin=SnapshotImport.Source.COMMAND, dry_run=dry_run,
                    progress=progress, encoding=encoding,
                )
        except ImportFailed as failure:
            for line in failure.lines():
                self.stderr.write(line)
            raise CommandError(failure.summary()) from None
        except DatabaseConnectionLost as lost:
            # The import's transaction died with the connection: say so instead of a traceback.
            raise CommandError(str(lost)) from None
        self.stdout.write(self._summary(result))

    @staticmethod
    def _summary(result: ImportResult) -> str:
        values = {
            "rows": result.rows, "cities": result.cities_created, "accounts": result.accounts_created,
            "created": result.snapshots_created, "replaced": result.snapshots_replaced,
            "encoding": result.encoding, "seconds": f"{result.duration_ms / 1000:.1f}",
        }
        if result.dry_run:
            return _(
                "Dry run: %(rows)d rows are valid; importing would create %(cities)d cities, %(accounts)d accounts "
                "and %(created)d snapshots and replace %(replaced)d snapshots (encoding %(encoding)s, "
                "%(seconds)s s). Nothing was written."
            ) % values
        return _(
            "Imported %(rows)d rows: %(cities)d cities and %(accounts)d accounts created, %(created)d snapshots "
            "created, %(replaced)d replaced (encoding %(encoding)s, %(seconds)s s)."
        ) % values
