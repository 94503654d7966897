"""Plotly figures of rankings. Pure: a DataFrame and plain labels in, a Figure out; imports no Django.

The page renders a figure with fig.to_html(full_html=False, include_plotlyjs=False) and loads
plotly.min.js from the app's own static files, so charts work on an offline intranet.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# The columns city_scores_figure reads.
CITY = "city"
SCORE = "score"
RANK = "rank"
MEDIAN_RANK = "median_rank"
RANK_P05 = "rank_p05"
RANK_P95 = "rank_p95"

RED = "#b71c1c"
FONT = "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"
GREY = "#52606d"


@dataclass(frozen=True)
class CityChartLabels:
    """The figure's texts, already translated by the caller."""

    score: str
    rank: str
    interval: str  # legend of the 5-95 % rank interval
    median: str  # legend of the median rank


def city_scores_figure(cities: pd.DataFrame, *, labels: CityChartLabels) -> go.Figure:
    """Scores of the given cities as horizontal bars, best at the top; beside them, when the ranking
    has an uncertainty analysis, each city's median rank with its 5-95 % rank interval.

    Column contract: CITY (str), SCORE (float), RANK (int); MEDIAN_RANK, RANK_P05, RANK_P95 (float,
    NaN or absent without uncertainty analysis). Rows come in rank order; the caller picks how many.
    """
    has_intervals = bool(RANK_P05 in cities and cities[RANK_P05].notna().any())
    names = cities[CITY].tolist()
    figure = make_subplots(
        rows=1, cols=2 if has_intervals else 1, shared_yaxes=True, horizontal_spacing=0.04,
        column_widths=[0.6, 0.4] if has_intervals else None,
        subplot_titles=(labels.score, labels.rank) if has_intervals else None,
    )
    figure.add_trace(
        go.Bar(
            x=cities[SCORE], y=names, orientation="h", marker_color=RED, name=labels.score,
            text=cities[SCORE].round(1), textposition="auto",
            customdata=cities[RANK], hovertemplate="%{y}: %{x:.2f} (#%{customdata})<extra></extra>",
        ),
        row=1, col=1,
    )
    if has_intervals:
        _add_rank_intervals(figure, cities, names=names, labels=labels)
    figure.update_yaxes(autorange="reversed", row=1, col=1)
    figure.update_layout(
        height=max(260, 28 * len(cities) + 90), margin={"l": 10, "r": 10, "t": 40, "b": 30},
        showlegend=has_intervals, legend={"orientation": "h", "y": -0.08},
        plot_bgcolor="#fff", bargap=0.25, font={"family": FONT},
    )
    figure.update_xaxes(gridcolor="#e4e7eb")
    return figure


def _add_rank_intervals(figure: go.Figure, cities: pd.DataFrame, *, names: list[str],
                        labels: CityChartLabels) -> None:
    """Median rank as a dot, the 5-95 % interval as an asymmetric error bar; rank 1 on the left."""
    median = cities[MEDIAN_RANK] if MEDIAN_RANK in cities else cities[RANK]
    figure.add_trace(
        go.Scatter(
            x=median, y=names, mode="markers", marker={"color": GREY, "size": 8},
            name=f"{labels.median} · {labels.interval}",
            error_x={"type": "data", "symmetric": False, "array": cities[RANK_P95] - median,
                     "arrayminus": median - cities[RANK_P05], "color": GREY, "thickness": 1.5, "width": 4},
            customdata=cities[[RANK_P05, RANK_P95]].to_numpy(),
            hovertemplate="%{y}: %{x:.0f} [%{customdata[0]:.0f}–%{customdata[1]:.0f}]<extra>"
            + labels.interval + "</extra>",
        ),
        row=1, col=2,
    )
    figure.update_xaxes(range=[0.5, float(cities[RANK_P95].max()) + 0.5], row=1, col=2)


def score_distribution_figure(
    scores: pd.Series, *, score_label: str, count_label: str, bins: int = 20
) -> go.Figure:
    """How the cities' scores spread: a histogram of `scores` (one float per city) in about `bins`
    bands, so an analyst sees whether rank 10 and rank 40 are far apart or nearly tied."""
    figure = go.Figure(go.Histogram(
        x=scores, nbinsx=bins, marker_color=RED, marker_line={"color": "#fff", "width": 1},
        hovertemplate=f"{score_label} %{{x}}: %{{y}}<extra></extra>",
    ))
    figure.update_layout(
        height=260, margin={"l": 10, "r": 10, "t": 10, "b": 40}, plot_bgcolor="#fff", bargap=0.05,
        font={"family": FONT}, xaxis_title=score_label, yaxis_title=count_label,
    )
    figure.update_yaxes(gridcolor="#e4e7eb")
    return figure
