"""The run page's charts as HTML: the figures of rankings/presentation/figures.py fed from a city ranking, with
their texts translated. plotly.js itself comes from the app's static files (offline intranets)."""
from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from rankings.presentation import figures
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
