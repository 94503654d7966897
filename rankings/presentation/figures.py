"""Plotly figures of rankings. Pure: a DataFrame and plain labels in, a Figure out; imports no Django.

The page renders a figure with fig.to_html(full_html=False, include_plotlyjs=False) and loads
plotly.min.js from the app's own static files, so charts work on an offline intranet.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
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


# The figures of the city, compare and account pages are built as plain dicts (Figure is the type:
# {"data": [...traces], "layout": {...}}), which plotly.io.to_html(..., validate=False) renders as a
# go.Figure would: a page is often a first visit (337 cities, 180,000 accounts), and building and
# validating graph objects took 8-19 ms a chart. The tests validate each dict with go.Figure(figure).
# Each carries Plotly's default template, as a go.Figure does, so both kinds of chart look the same.
Figure = dict


@cache
def _template() -> dict:
    """Plotly's default template as a dict (read once: converting it takes about 0.1 s)."""
    return pio.templates[pio.templates.default].to_plotly_json()


def grouped_bars_figure(values: pd.DataFrame, *, value_title: str, height: int | None = None) -> Figure:
    """One group of horizontal bars per row of `values` (its index: the row labels, top first), one bar
    per column (its name: the legend). Used for a city's categories against the national and province
    medians, and for the compare view's cities side by side."""
    palette = [RED, GREY, "#9aa5b1", "#e07a5f", "#3d5a80"]
    labels = [str(label) for label in values.index]
    data = [
        {"type": "bar", "x": _values(values[column]), "y": labels, "orientation": "h", "name": str(column),
         "marker": {"color": palette[number % len(palette)]},
         "hovertemplate": "%{y} · " + str(column) + ": %{x:.2f}<extra></extra>"}
        for number, column in enumerate(values.columns)
    ]
    return {"data": data, "layout": {
        "template": _template(), "barmode": "group", "height": height or max(240, 30 * len(values) * max(1, len(values.columns)) // 2 + 110),
        "margin": {"l": 10, "r": 10, "t": 10, "b": 40}, "plot_bgcolor": "#fff", "font": {"family": FONT},
        "legend": {"orientation": "h", "y": -0.15},
        "xaxis": {"title": {"text": value_title}, "gridcolor": "#e4e7eb"},
        "yaxis": {"autorange": "reversed"},
    }}


def history_figure(history: pd.DataFrame, *, period: str, score: str, rank: str,
                   score_label: str, rank_label: str) -> Figure:
    """A score line (left axis) and a rank line (right axis, rank 1 at the top) over periods.

    Column contract: `period` (str labels, oldest first), `score` (float), `rank` (int)."""
    periods = [str(item) for item in history[period]]
    data = [
        {"type": "scatter", "x": periods, "y": _values(history[score]), "mode": "lines+markers", "name": score_label,
         "line": {"color": RED}, "yaxis": "y"},
        {"type": "scatter", "x": periods, "y": _values(history[rank]), "mode": "lines+markers", "name": rank_label,
         "line": {"color": GREY, "dash": "dot"}, "yaxis": "y2"},
    ]
    return {"data": data, "layout": {
        "template": _template(), "height": 280, "margin": {"l": 10, "r": 10, "t": 10, "b": 40}, "plot_bgcolor": "#fff",
        "font": {"family": FONT}, "legend": {"orientation": "h", "y": -0.25},
        "xaxis": {"type": "category", "anchor": "y", "domain": [0.0, 0.94]},  # as make_subplots(secondary_y)
        "yaxis": {"title": {"text": score_label}, "gridcolor": "#e4e7eb", "anchor": "x"},
        "yaxis2": {"title": {"text": rank_label}, "autorange": "reversed", "showgrid": False, "anchor": "x",
                   "overlaying": "y", "side": "right", **rank_ticks(history[rank])},
    }}


def rank_ticks(ranks: pd.Series) -> dict[str, object]:
    """Axis settings that put ticks on whole ranks only (a rank is an integer: never 2.5): a whole step
    giving about five ticks, starting at rank 1, printed without decimals."""
    known = ranks.dropna()
    span = float(known.max() - known.min()) if len(known) else 0.0
    return {"tickmode": "linear", "tick0": 1, "dtick": max(1, math.ceil(span / 5)), "tickformat": "d"}


def metrics_figure(metrics: pd.DataFrame, *, period: str, columns: dict[str, str]) -> Figure:
    """One line per metric over periods (`columns`: column -> legend label), log scale when the
    metrics differ by orders of magnitude (fans against replies)."""
    periods = [str(item) for item in metrics[period]]
    data = [{"type": "scatter", "x": periods, "y": _values(metrics[column]), "mode": "lines+markers", "name": label}
            for column, label in columns.items()]
    values = metrics[list(columns)].to_numpy(dtype="float64")
    positive = values[values > 0]
    log = bool(len(positive) and positive.max() / positive.min() > 1000)
    return {"data": data, "layout": {
        "template": _template(), "height": 300, "margin": {"l": 10, "r": 10, "t": 10, "b": 40}, "plot_bgcolor": "#fff",
        "font": {"family": FONT}, "legend": {"orientation": "h", "y": -0.2},
        "xaxis": {"type": "category"}, "yaxis": {"type": "log" if log else "linear", "gridcolor": "#e4e7eb"},
    }}


def _values(column: pd.Series) -> list[float | None]:
    """A column as JSON numbers, NaN as null (a gap in the chart)."""
    return [None if pd.isna(value) else float(value) for value in column]
