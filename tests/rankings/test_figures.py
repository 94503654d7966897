"""The ranking chart: a pure function from a DataFrame to a Plotly figure (no database, no Django)."""
from __future__ import annotations

import math

import pandas as pd

from rankings.presentation import figures

LABELS = figures.CityChartLabels(score="Score", rank="Rank", interval="5-95 %", median="Median rank")


def _cities(**extra: list) -> pd.DataFrame:
    return pd.DataFrame({figures.CITY: ["长沙", "株洲", "武汉"], figures.SCORE: [81.234, 64.5, 40.0],
                         figures.RANK: [1, 2, 3], **extra})


def test_scores_are_horizontal_bars_best_at_the_top_and_no_interval_panel_without_uncertainty():
    figure = figures.city_scores_figure(_cities(), labels=LABELS)

    (bars,) = figure.data
    assert bars.type == "bar" and bars.orientation == "h"
    assert list(bars.y) == ["长沙", "株洲", "武汉"] and list(bars.x) == [81.234, 64.5, 40.0]
    assert figure.layout.yaxis.autorange == "reversed"
    assert figure.layout.showlegend is False


def test_rank_intervals_are_error_bars_around_the_median_rank():
    figure = figures.city_scores_figure(
        _cities(median_rank=[1.0, 2.0, 3.0], rank_p05=[1.0, 1.0, 2.0], rank_p95=[2.0, 3.0, 3.0]),
        labels=LABELS,
    )

    bars, intervals = figure.data
    assert intervals.type == "scatter" and list(intervals.x) == [1.0, 2.0, 3.0]
    assert list(intervals.error_x.array) == [1.0, 1.0, 0.0]
    assert list(intervals.error_x.arrayminus) == [0.0, 1.0, 1.0]
    assert intervals.xaxis == "x2" and list(figure.layout.xaxis2.range) == [0.5, 3.5]


def test_missing_intervals_draw_only_the_scores():
    cities = _cities(rank_p05=[math.nan] * 3, rank_p95=[math.nan] * 3)

    figure = figures.city_scores_figure(cities, labels=LABELS)

    assert len(figure.data) == 1


def test_the_chart_module_imports_no_django():
    source = figures.__loader__.get_source(figures.__name__)
    assert "django" not in source


def test_the_score_distribution_is_a_histogram_of_every_city_score():
    scores = pd.Series([81.234, 64.5, 40.0, 40.5])

    figure = figures.score_distribution_figure(scores, score_label="Score", count_label="Cities", bins=5)

    (histogram,) = figure.data
    assert histogram.type == "histogram" and list(histogram.x) == [81.234, 64.5, 40.0, 40.5]
    assert histogram.nbinsx == 5
    assert figure.layout.xaxis.title.text == "Score" and figure.layout.yaxis.title.text == "Cities"
