"""The page figures built as plain dicts (rankings.presentation.figures) are valid Plotly figures:
rendered without validation on the pages, so validated here, with the values and axes they must show."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from rankings.presentation import figures


def test_grouped_bars_are_a_valid_figure_with_one_trace_per_column_and_gaps_as_null():
    values = pd.DataFrame({"本市": [80.5, math.nan], "全国中位数": [60.0, 10.0]}, index=["公安", "交警"])
    figure = figures.grouped_bars_figure(values, value_title="得分")

    checked = go.Figure(figure)  # raises on any property Plotly does not know
    assert [trace.name for trace in checked.data] == ["本市", "全国中位数"]
    assert figure["data"][0]["x"] == [80.5, None] and figure["data"][0]["y"] == ["公安", "交警"]
    assert checked.layout.yaxis.autorange == "reversed" and checked.layout.xaxis.title.text == "得分"


def test_the_history_has_the_rank_on_a_reversed_right_axis():
    history = pd.DataFrame({"period": ["2012-11", "2012-12"], "score": [70.0, 72.5], "rank": [5, 3]})
    figure = go.Figure(figures.history_figure(history, period="period", score="score", rank="rank",
                                              score_label="得分", rank_label="名次"))

    assert list(figure.data[1].y) == [5.0, 3.0] and figure.data[1].yaxis == "y2"
    assert figure.layout.yaxis2.overlaying == "y" and figure.layout.yaxis2.autorange == "reversed"
    assert figure.layout.xaxis.type == "category"


def test_metrics_switch_to_a_log_scale_when_they_differ_by_more_than_a_thousand_times():
    metrics = pd.DataFrame({"period": ["2012-11", "2012-12"], "fans": [200_000.0, 210_000.0], "replies": [3.0, 0.0]})
    wide = go.Figure(figures.metrics_figure(metrics, period="period", columns={"fans": "粉丝", "replies": "回复"}))
    narrow = go.Figure(figures.metrics_figure(metrics, period="period", columns={"replies": "回复"}))

    assert wide.layout.yaxis.type == "log" and narrow.layout.yaxis.type == "linear"
    assert [trace.name for trace in wide.data] == ["粉丝", "回复"]
