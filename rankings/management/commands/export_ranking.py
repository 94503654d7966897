"""python manage.py export_ranking [--run ID | --scheme SLUG --period PERIOD] [--format csv|xlsx]
                                 [--level city|account] [-o FILE] [--lang zh-hans|en]

Writes a run's ranking as CSV (to stdout, or FILE) or XLSX (FILE only). Without --run: the published
ranking of --scheme (default: the default scheme) for --period (default: its latest published period).
Headers are in the user's language (Chinese by default; English with --lang en or an English LANG).
CSV is UTF-8; a file gets a byte-order mark so that Excel opens the Chinese correctly, stdout does not.
"""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.commands import LANGUAGES, LocalizedCommand
from core.periods import PeriodError, parse_period
from rankings import exporting, selectors
from rankings.models import ScoreRun


class Command(LocalizedCommand):
    help = gettext_lazy("Export a city or account ranking as CSV or XLSX.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--run", type=int, help=_("the run to export (any run that succeeded)"))
        parser.add_argument("--scheme", help=_("scheme slug (default: the default scheme)"))
        parser.add_argument("--period", help=_("e.g. 2012-03, 2012-Q1, 2012 (default: the latest published)"))
        parser.add_argument("--format", choices=exporting.FORMATS, default="csv",
                            help=_("file format (default csv)"))
        parser.add_argument("--level", choices=exporting.LEVELS, default="city",
                            help=_("one row per city or per account (default city)"))
        parser.add_argument("-o", "--output", type=Path, help=_("write to this file instead of stdout"))
        parser.add_argument("--lang", choices=LANGUAGES,
                            help=_("language of the messages (default: from LANG)"))

    def handle(self, *args, run: int | None, scheme: str | None, period: str | None,
               format: str, level: str, output: Path | None, **options) -> None:  # noqa: A002
        self.export_check(format, output)
        chosen = self._run(run_id=run, slug=scheme, period_text=period)
        data = exporting.ranking_export(run=chosen, level=level, file_format=format, bom=output is not None)
        if not self.export_write(data, output):
            return
        written = (_("Run #%(id)s (%(scheme)s, %(period)s): city ranking written to %(path)s") if level == "city"
                   else _("Run #%(id)s (%(scheme)s, %(period)s): account ranking written to %(path)s"))
        self.stderr.write(written % {"id": chosen.pk, "scheme": chosen.scheme.slug, "period": chosen.period_label,
                                     "path": output})

    def _run(self, *, run_id: int | None, slug: str | None, period_text: str | None) -> ScoreRun:
        if run_id is not None:
            if slug or period_text:
                raise CommandError(_("Give either --run or --scheme/--period, not both."))
            run = selectors.run_get(run_id=run_id)
            if run is None:
                raise CommandError(_("There is no run #%(id)s.") % {"id": run_id})
            if not run.is_succeeded:
                raise CommandError(_("Run #%(id)s has no ranking to export: it is %(status)s.")
                                   % {"id": run.pk, "status": run.status_label})
            return run
        scheme = selectors.scheme_get(slug=slug) if slug else selectors.scheme_default_get()
        if scheme is None and not slug:
            raise CommandError(str(selectors.NO_DEFAULT_SCHEME))
        if scheme is None:
            known = ", ".join(item.slug for item in selectors.scheme_list()) or "—"
            raise CommandError(_("No scheme “%(slug)s”; the schemes are: %(known)s")
                               % {"slug": slug or "(default)", "known": known})
        try:
            period = parse_period(period_text) if period_text else None
        except PeriodError as error:
            raise CommandError(str(error)) from None
        run = selectors.run_published_get(scheme=scheme, period=period)
        if run is None:
            raise CommandError(selectors.no_published_ranking_message(scheme=scheme, period=period))
        return run
