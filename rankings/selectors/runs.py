"""Reads of score runs: any run by id, the published runs of a scheme, and whether a period has data.

Pages show only published runs; a run that is still running, failed or was never published is read
only when its id is asked for (run_get).
"""
from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Snapshot
from accounts.selectors import data_marks_sql
from core.periods import Period
from rankings.models import ScoreRun, ScoringScheme


def run_list() -> QuerySet[ScoreRun]:
    """Runs newest first, with their scheme and who started and published them (no query per row).

    The Monte Carlo input (a blob only the uncertainty stage reads) is never loaded.
    """
    return (
        ScoreRun.objects.select_related("scheme", "created_by", "published_by").defer("uncertainty_input")
        .order_by("-created_at", "-id")
    )


def run_get(*, run_id: int) -> ScoreRun | None:
    """Any run by id, published or not (the run page and the API ask for runs by id)."""
    return run_list().filter(pk=run_id).first()


def run_published_get(*, scheme: ScoringScheme, period: Period | None = None) -> ScoreRun | None:
    """The published run of a scheme: for that exact period, or else the latest period's. One query.

    Latest means the greatest period end, then the latest publication (two periods may end on the
    same day: a month and the quarter it closes).
    """
    runs = run_published_list(scheme=scheme)
    if period is not None:
        runs = runs.for_period(period)
    return runs.first()


def no_published_ranking_message(*, scheme: ScoringScheme, period: Period | None) -> str:
    """Why there is nothing to show, in the active language (the API's 404, the export's error)."""
    if period is None:
        return _("Scheme “%(scheme)s” has no published ranking yet.") % {"scheme": scheme.slug}
    return _("Scheme “%(scheme)s” has no published ranking for %(period)s.") % {
        "scheme": scheme.slug, "period": period.label,
    }


def run_published_list(*, scheme: ScoringScheme) -> QuerySet[ScoreRun]:
    """A scheme's published runs (one per period), latest period first."""
    return (
        ScoreRun.objects.select_related("scheme").defer("uncertainty_input")
        .filter(scheme=scheme, is_published=True)
        .order_by("-period_end", "-published_at", "-id")
    )


def run_periods_published(*, scheme: ScoringScheme) -> list[Period]:
    """The periods a scheme has a published ranking for, latest first. One query."""
    runs = run_published_list(scheme=scheme).select_related(None).only("period_start", "period_end")
    return list(dict.fromkeys(run.period for run in runs))


def snapshots_exist(*, period: Period) -> bool:
    """Whether any snapshot lies inside the period: the snapshots a run of it would score
    (accounts.selectors.snapshots_frame reads the same ones). One query."""
    return Snapshot.objects.filter(period_start__gte=period.start, period_end__lte=period.end).exists()


def page_marks() -> str:
    """What the analyst pages of published runs are drawn from, as one text that changes when any of
    it does (rankings.pagecache's keys). One query:
    - the published runs: how many, the sum of their ids and the newest publication and finish
      (publishing sets published_at to now; withdrawing one changes the count);
    - the schemes: how many, the sum of their versions, the newest edit and the default scheme;
    - the newest city, account, snapshot and import ids (accounts.selectors.data_marks_sql)."""
    runs, schemes = ScoreRun._meta.db_table, ScoringScheme._meta.db_table
    sql = (
        "SELECT (SELECT COUNT(*) || '/' || COALESCE(SUM(id), 0) || '/' || COALESCE(CAST(MAX(published_at) AS TEXT), '')"
        f" || '/' || COALESCE(CAST(MAX(finished_at) AS TEXT), '') FROM {runs} WHERE is_published = %s), "
        "(SELECT COUNT(*) || '/' || COALESCE(SUM(version), 0) || '/' || COALESCE(CAST(MAX(updated_at) AS TEXT), '')"
        f" || '/' || COALESCE(MAX(CASE WHEN is_default = %s THEN id END), 0) FROM {schemes}), "
        f"{data_marks_sql()}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, True])  # noqa: S608 - table names from the models, no input
        return "-".join(str(mark) for mark in cursor.fetchone())
