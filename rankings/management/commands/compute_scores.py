"""python manage.py compute_scores --scheme SLUG --period PERIOD [--publish] [--draws N] [--seed S]

Starts a score run, waits for it with a progress bar (a Celery worker computes it; with no REDIS_URL,
or with --inline, this process does), then prints the run id and the top 10 cities. Exits with status 1 and the reason when
the run fails, or when no worker picks it up within --timeout seconds.
PERIOD takes the import's forms: 2012-03, 2012-Q1, 2012, 2012-W05, 2012-01-01/2012-01-15.
"""
from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from core.commands import LANGUAGES, LocalizedCommand
from core.periods import PeriodError, parse_period
from rankings import selectors, services
from rankings.models import CityScore, ScoreRun, ScoringScheme
from rankings.services import ScoringError

TOP = 10
POLL_SECONDS = 0.5
QUIETED_LOGGERS = ("rankings", "celery")


@contextmanager
def _quiet_logs(*, enabled: bool) -> Iterator[None]:
    """Raise the run's loggers to WARNING for the duration, then restore them."""
    loggers = [logging.getLogger(name) for name in QUIETED_LOGGERS] if enabled else []
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(LocalizedCommand):
    help = gettext_lazy("Compute a city ranking for a scheme and period, and optionally publish it.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scheme", help=_("scheme slug (default: the default scheme)"))
        parser.add_argument("--period", required=True, help=_("e.g. 2012-03, 2012-Q1, 2012, 2012-W05"))
        parser.add_argument("--publish", action="store_true", help=_("publish the ranking when the run succeeds"))
        parser.add_argument("--draws", type=int, help=_("Monte Carlo draws (default: the scheme's)"))
        parser.add_argument("--seed", type=int, help=_("Monte Carlo seed (default: the scheme's)"))
        parser.add_argument("--inline", action="store_true",
                            help=_("compute in this process instead of handing the run to a Celery worker"))
        parser.add_argument("--timeout", type=float, default=3600,
                            help=_("give up waiting after this many seconds (default 3600)"))
        parser.add_argument("--progress", action="store_true", help=_("show a progress bar even when not on a terminal"))
        parser.add_argument("--lang", choices=LANGUAGES, help=_("language of the messages (default: from LANG)"))

    def handle(self, *args, verbosity: int = 1, **options) -> None:
        # The run's key=value log lines are for workers' logs; on a terminal they would break up the
        # progress bar. -v 2 shows them.
        with _quiet_logs(enabled=verbosity < 2):
            self._compute(**options)

    def _compute(self, *, scheme: str | None, period: str, publish: bool, draws: int | None, seed: int | None,
                 inline: bool, timeout: float, progress: bool, **options) -> None:
        chosen = self._scheme(scheme)
        try:
            run = services.score_run_start(scheme=chosen, period=parse_period(period), publish=publish,
                                           draws=draws, seed=seed, enqueue=not inline)
        except (PeriodError, ScoringError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("Run #%(id)s: scheme %(scheme)s v%(version)s, period %(period)s")
                          % {"id": run.pk, "scheme": chosen.slug, "version": run.scheme_version,
                             "period": run.period_label})
        if inline:
            services.score_run_execute(run_id=run.pk, task_id=run.task_id, subtasks=False)
        run = self._wait(run, timeout=timeout, show=progress or sys.stderr.isatty())
        if run.is_failed:
            raise CommandError(_("Run #%(id)s failed: %(error)s") % {"id": run.pk, "error": run.error})
        self._report(run)

    def _scheme(self, slug: str | None) -> ScoringScheme:
        if not slug:
            found = selectors.scheme_default_get()
            if found is None:
                raise CommandError(str(selectors.NO_DEFAULT_SCHEME))
            return found
        found = selectors.scheme_get(slug=slug)
        if found is None:
            known = ", ".join(scheme.slug for scheme in selectors.scheme_list()) or "—"
            raise CommandError(_("No scheme “%(slug)s”; the schemes are: %(known)s") % {"slug": slug, "known": known})
        return found

    def _wait(self, run: ScoreRun, *, timeout: float, show: bool) -> ScoreRun:
        deadline = time.monotonic() + timeout
        with tqdm(total=100, unit="%", file=sys.stderr, disable=not show, leave=False) as bar:
            while True:
                run.refresh_from_db()
                bar.set_description(run.get_stage_display())
                bar.update(run.progress - bar.n)
                if run.finished:
                    return run
                if time.monotonic() > deadline:
                    raise CommandError(
                        _("Run #%(id)s is still %(status)s after %(seconds)s s; is a Celery worker running? "
                          "(celery -A govweibo worker)") % {"id": run.pk, "status": run.status_label,
                                                           "seconds": f"{timeout:g}"})
                time.sleep(POLL_SECONDS)

    def _report(self, run: ScoreRun) -> None:
        # Wall time: stages may overlap (the Monte Carlo runs while the results are written).
        seconds = (run.finished_at - run.started_at).total_seconds() if run.started_at and run.finished_at else 0
        self.stdout.write(self.style.SUCCESS(
            _("Run #%(id)s succeeded: %(cities)s cities, %(accounts)s accounts from %(rows)s snapshots in %(seconds).1f s%(published)s.")
            % {"id": run.pk, "cities": f"{run.cities_scored:,}", "accounts": f"{run.accounts_scored:,}",
               "rows": f"{run.input_rows:,}", "seconds": seconds,
               "published": _("; published") if run.is_published else _("; not published (use --publish)")}))
        from rankings.presentation.method import (
            run_method_get,  # the engine (pandas): only once a run is done
        )

        for warning in run_method_get(run=run).warnings:  # as the run page words them
            self.stdout.write(self.style.WARNING(
                _("warning: %(indicator)s: %(reason)s (%(code)s × %(count)s)")
                % {"indicator": warning.indicator, "reason": warning.reason, "code": warning.code,
                   "count": warning.count}))
        rows = CityScore.objects.filter(run=run).select_related("city").order_by("rank", "city_id")[:TOP]
        self.stdout.write(_("Top %(n)s cities:") % {"n": TOP})
        for row in rows:
            interval = (f"  [{row.rank_p05:g}–{row.rank_p95:g}]" if row.rank_p05 is not None else "")
            self.stdout.write(f"{row.rank:>4}  {row.city.name}（{row.city.province_id}）  {row.score:.2f}{interval}")
