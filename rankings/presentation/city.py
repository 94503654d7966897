"""What the city, compare, category and account pages show beside the data: texts in the active
language (rank in words, flags explained), and the charts as HTML with their tables. Reads only what
rankings.selectors return and the run's frozen scheme; no query of its own.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.io as pio
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import GovAccount
from core.periods import PeriodKind
from rankings.labels import indicator_labels
from rankings.models import ScoreRun
from rankings.presentation import figures
from rankings.presentation.charts import PLOTLY_CONFIG
from rankings.scoring.diagnostics import INACTIVE_AFTER_DAYS
from rankings.selectors import cities as reads


def rank_in_words(*, rank: int, cities: int, low: float | None, high: float | None) -> str:
    """“Rank 3 of 337, 90 % interval 2–5” (第 3 名，90% 区间 2–5), the interval only when known."""
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return _("Rank %(rank)s of %(cities)s") % {"rank": rank, "cities": cities}
    return _("Rank %(rank)s of %(cities)s, 90%% interval %(low)s–%(high)s") % {
        "rank": rank, "cities": cities, "low": f"{low:.0f}", "high": f"{high:.0f}",
    }


def change_in_words(*, rank_change: float | None, is_new: bool) -> str:
    if is_new:
        return _("new in the ranking this period")
    if rank_change is None or math.isnan(rank_change):
        return ""
    change = int(rank_change)
    if change > 0:
        return _("▲ up %(places)s since the previous period") % {"places": change}
    if change < 0:
        return _("▼ down %(places)s since the previous period") % {"places": -change}
    return _("＝ unchanged since the previous period")


@dataclass(frozen=True)
class Flag:
    css: str
    label: str
    explanation: str


def account_flags(row: dict[str, object]) -> list[Flag]:
    """The diagnostic flags of an account row (empty_shell, inactive, broadcast_only, reply_rate), each
    with the rule behind it in words."""
    flags = []
    if row.get("empty_shell") is True:
        flags.append(Flag("flag-empty", _("empty shell"), _("Posted nothing in the period (空壳微博).")))
    if row.get("inactive") is True:
        flags.append(Flag("flag-inactive", _("inactive"), _(
            "No post in the %(days)s days before the period's end: the inspections of 国办秘函〔2019〕19号 "
            "fail an account not updated for two weeks.") % {"days": INACTIVE_AFTER_DAYS}))
    if row.get("broadcast_only") is True:
        flags.append(Flag("flag-broadcast", _("broadcast only"),
                          _("Received comments but wrote no reply (只发不回).")))
    return flags


def reply_rate_in_words(rate: object) -> str:
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return _("No comments received, so no reply rate.")
    return _("Replied %(replies)s times per 100 comments received.") % {
        "replies": number_format(100 * float(rate), decimal_pos=0)}


PERIOD_KINDS = {
    PeriodKind.YEAR: gettext_lazy("years"), PeriodKind.HALF: gettext_lazy("half-years"),
    PeriodKind.QUARTER: gettext_lazy("quarters"), PeriodKind.MONTH: gettext_lazy("months"),
    PeriodKind.WEEK: gettext_lazy("weeks"), PeriodKind.DAY: gettext_lazy("days"),
    PeriodKind.RANGE: gettext_lazy("other periods"),
}


def period_kind_label(kind: PeriodKind) -> str:
    """The kind of period in words (months, quarters …), for a series that holds one kind only."""
    return str(PERIOD_KINDS.get(kind, kind))


def figure_html(figure: object, div_id: str) -> str:
    """A figure (a go.Figure, or a plain dict from rankings.presentation.figures, not validated again)
    as a <div> and its script; plotly.js comes from the app's static files."""
    return pio.to_html(figure, full_html=False, include_plotlyjs=False, div_id=div_id, config=PLOTLY_CONFIG,
                       validate=False)


def category_label(value: str) -> str:
    try:
        return str(GovAccount.Category(value).label)
    except ValueError:
        return value


def categories_chart_html(categories: pd.DataFrame) -> str:
    """The city's category scores against the national and province medians (grouped bars)."""
    values = pd.DataFrame({
        _("This city"): categories[reads.SCORE].to_numpy(dtype="float64"),
        _("National median"): categories[reads.NATIONAL_MEDIAN].to_numpy(dtype="float64"),
        _("Province median"): categories[reads.PROVINCE_MEDIAN].to_numpy(dtype="float64"),
    }, index=[category_label(value) for value in categories[reads.CATEGORY]])
    return figure_html(figures.grouped_bars_figure(values, value_title=_("Score")), "category-chart")


def history_chart_html(history: pd.DataFrame) -> str:
    figure = figures.history_figure(history, period=reads.PERIOD, score=reads.SCORE, rank=reads.RANK,
                                    score_label=_("Score"), rank_label=_("Rank"))
    return figure_html(figure, "history-chart")


def indicator_names(run: ScoreRun) -> dict[str, str]:
    return indicator_labels(run=run)
