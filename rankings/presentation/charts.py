"""The run page's charts as HTML: the figures of rankings/presentation/figures.py fed from a city ranking, with
their texts translated. plotly.js itself comes from the app's static files (offline intranets)."""
from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from rankings.labels import city_name
from rankings.presentation import figures
from rankings.presentation.tables import RankingTable
from rankings.selectors import cities as reads
from rankings.selectors.rankings import CityRanking

CHART_CITIES = 20
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


def city_chart_html(ranking: CityRanking) -> str:
    """The top cities' scores (and rank intervals) as a Plotly div."""
    top = ranking.rows[:CHART_CITIES]
    cities = pd.DataFrame({
        figures.CITY: [row.city.name for row in top],
        figures.SCORE: [row.score for row in top],
        figures.RANK: [row.rank for row in top],
        figures.MEDIAN_RANK: [row.median_rank for row in top],
        figures.RANK_P05: [row.rank_p05 for row in top],
        figures.RANK_P95: [row.rank_p95 for row in top],
    }).astype({figures.MEDIAN_RANK: "float64", figures.RANK_P05: "float64", figures.RANK_P95: "float64"})
    labels = figures.CityChartLabels(
        score=_("Score"), rank=_("Rank (5th–95th percentile)"),
        interval=_("Rank interval (5th–95th percentile)"), median=_("Median rank"),
    )
    figure = figures.city_scores_figure(cities, labels=labels)
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id="city-chart", config=PLOTLY_CONFIG)


def score_distribution_html(ranking: CityRanking) -> str:
    """Every shown city's score as a histogram (Plotly div)."""
    figure = figures.score_distribution_figure(
        pd.Series([row.score for row in ranking.rows], dtype="float64"),
        score_label=_("Score"), count_label=_("Cities"),
    )
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id="score-distribution",
                          config=PLOTLY_CONFIG)


def table_chart_html(table: RankingTable) -> str:
    """The first CHART_CITIES cities of the table as it is filtered and sorted (so a search, a province
    or a sort changes the chart as it changes the table), with their rank intervals."""
    top = table.frame.head(CHART_CITIES)
    cities = pd.DataFrame({
        figures.CITY: [city_name(name, name_en) for name, name_en in zip(top[reads.CITY], top[reads.CITY_EN],
                                                                          strict=True)],
        figures.SCORE: top[reads.SCORE].to_numpy(dtype="float64"),
        figures.RANK: top[reads.RANK].to_numpy(),
        figures.MEDIAN_RANK: top[reads.MEDIAN_RANK].to_numpy(dtype="float64"),
        figures.RANK_P05: top[reads.RANK_P05].to_numpy(dtype="float64"),
        figures.RANK_P95: top[reads.RANK_P95].to_numpy(dtype="float64"),
    })
    figure = figures.city_scores_figure(cities, labels=_city_chart_labels())
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id="city-chart", config=PLOTLY_CONFIG)


def table_distribution_html(table: RankingTable) -> str:
    """Every city of the (filtered) table as a histogram of scores."""
    figure = figures.score_distribution_figure(
        table.frame[reads.SCORE].astype("float64"), score_label=_("Score"), count_label=_("Cities"),
    )
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id="score-distribution",
                          config=PLOTLY_CONFIG)


def _city_chart_labels() -> figures.CityChartLabels:
    return figures.CityChartLabels(
        score=_("Score"), rank=_("Rank (5th–95th percentile)"),
        interval=_("Rank interval (5th–95th percentile)"), median=_("Median rank"),
    )
