"""What the award pages show, built from the selectors' data: the entry grid (and reading its form back
into the cells services.cells_save takes), the stacked chart of each candidate's weighted components, the
round's settings, and the method in words (method_lines, written by awards-core: one text for the round
page, the method page and the API). The downloads are awards.exporting's.

Pages and the API read the same frame (selectors.round_results), so the numbers agree everywhere.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from awards.models import AwardRound
from awards.services import ScoreCell, TallyCell
from core.names import place_name, province_name

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
RED, BLUE, GOLD = "#b71c1c", "#1565c0", "#f9a825"
FONT = "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"

_FULL_WIDTH_DIGITS = {0xFF10 + digit: str(digit) for digit in range(10)}
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
_SCORE_NAME = re.compile(r"^score-(\d+)-(\d+)$")
_TALLY_NAME = re.compile(r"^tally-([A-Za-z0-9]+)-(\d+)$")
_SOURCE_NAME = re.compile(r"^source-([A-Za-z0-9]+)$")
SOURCE_CHARS = 128  # NetizenTally.source


# --- cell values ---------------------------------------------------------------------------------------
def cell_text(value: Decimal | float | int | None) -> str:
    """A stored score or tally as the grid shows it: 85, 85.5 (no trailing zeros), '' when absent."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def normalise(text: str, *, kind: str) -> str:
    """What a person typed or pasted, as the services read it: full-width digits (８５．５) become ASCII,
    surrounding spaces go, and a tally's thousands separators (12,345, as Excel copies it) are dropped.
    The grid's script does the same before it sends the form."""
    value = text.translate(_FULL_WIDTH_DIGITS).replace("\uff0e", ".").replace("\u3002", ".").strip()
    value = value.strip("\u3000\u00a0 ")
    if kind == "tally" and _THOUSANDS.match(value):
        value = value.replace(",", "")
    return value


# --- the grid ------------------------------------------------------------------------------------------
@dataclass
class GridColumn:
    key: str  # the expert's id, or the source's key in the form
    kind: str  # "score" or "tally"
    label: str
    title: str = ""


@dataclass
class GridCell:
    name: str  # the form field's name; "" for a recused cell
    kind: str
    label: str  # "长沙 × 专家 A", for error messages and screen readers
    key: tuple = ()  # ("score", candidate_id, expert_id) or ("tally", candidate_id, source): CellError's key
    value: str = ""
    original: str = ""
    recused: bool = False
    error: str = ""


@dataclass
class GridRow:
    candidate_id: int
    name: str
    province: str
    cells: list[GridCell]


@dataclass
class Grid:
    columns: list[GridColumn]
    rows: list[GridRow]
    version: int
    sources: list[tuple[str, str]]  # (key in the form, source name)
    errors: list[str] = field(default_factory=list)

    @property
    def original_json(self) -> str:
        return json.dumps({cell.name: cell.original for row in self.rows for cell in row.cells if cell.name},
                          ensure_ascii=False, separators=(",", ":"))

    def cells(self) -> dict[tuple, GridCell]:
        return {cell.key: cell for row in self.rows for cell in row.cells if cell.key}


def grid_build(matrix: Any, *, extra_sources: list[str] = ()) -> Grid:
    """The grid of a selectors.score_matrix (as a panel admin sees it: names, not letters), with a column
    per source plus `extra_sources` (columns added in the page but not saved yet)."""
    names = list(matrix.sources) + [name for name in extra_sources if name not in matrix.sources]
    sources = [(f"s{number}", name) for number, name in enumerate(names, start=1)]
    columns = [
        GridColumn(key=str(expert.id), kind="score", label=expert.name or expert.label,
                   title=_("%(label)s · home province %(province)s") % {"label": expert.label,
                                                                     "province": province_name(expert.province)})
        for expert in matrix.experts
    ] + [GridColumn(key=key, kind="tally", label=name, title=_("Netizen votes")) for key, name in sources]
    rows = []
    for row in matrix.rows:
        candidate = row.candidate
        cells = []
        for expert, cell in zip(matrix.experts, row.cells, strict=True):
            label = f"{candidate.name} × {expert.name or expert.label}"
            if cell.recused:
                cells.append(GridCell(name="", kind="score", label=label, recused=True))
            else:
                text = cell_text(cell.score)
                cells.append(GridCell(name=f"score-{expert.id}-{candidate.pk}", kind="score", label=label,
                                      key=("score", candidate.pk, expert.id), value=text, original=text))
        for key, name in sources:
            text = cell_text(row.tallies.get(name))
            cells.append(GridCell(name=f"tally-{key}-{candidate.pk}", kind="tally",
                                  label=f"{candidate.name} × {name}", key=("tally", candidate.pk, name),
                                  value=text, original=text))
        rows.append(GridRow(candidate_id=candidate.pk, name=candidate.name, province=candidate.province_id,
                            cells=cells))
    return Grid(columns=columns, rows=rows, version=matrix.version, sources=sources)


@dataclass
class GridPost:
    """A posted grid read back: the cells that differ from what the page was loaded with."""

    version: int | None
    values: dict[tuple, str]  # every posted cell by its key, normalised
    new_sources: list[str]  # source names in the order of the form's columns
    scores: list[ScoreCell]
    tallies: list[TallyCell]
    changed: set[tuple]  # keys of the changed cells


def grid_read(post: Any) -> GridPost:
    """The changed cells of a posted grid. A cell counts as changed when its value differs from the one
    the page showed (the form's `original`), so two admins who edit different cells do not clash."""
    try:
        version: int | None = int(post.get("version", ""))
    except ValueError:
        version = None
    try:
        original = json.loads(post.get("original") or "{}")
    except ValueError:
        original = {}
    if not isinstance(original, dict):
        original = {}
    sources = {match.group(1): str(value).strip()[:SOURCE_CHARS] for name, value in post.items()
               if (match := _SOURCE_NAME.match(name)) and str(value).strip()}
    values: dict[tuple, str] = {}
    scores, tallies, changed = [], [], set()
    for name, raw in post.items():
        if match := _SCORE_NAME.match(name):
            key = ("score", int(match.group(2)), int(match.group(1)))
            values[key] = value = normalise(raw, kind="score")
            if value != str(original.get(name, "")):
                changed.add(key)
                scores.append(ScoreCell(candidate_id=key[1], expert_id=key[2], score=value))
        elif (match := _TALLY_NAME.match(name)) and match.group(1) in sources:
            key = ("tally", int(match.group(2)), sources[match.group(1)])
            values[key] = value = normalise(raw, kind="tally")
            if value != str(original.get(name, "")):
                changed.add(key)
                tallies.append(TallyCell(candidate_id=key[1], source=key[2], votes=value))
    return GridPost(version=version, values=values, new_sources=list(sources.values()), scores=scores,
                    tallies=tallies, changed=changed)


def grid_overlay(grid: Grid, posted: GridPost) -> Grid:
    """The grid with the cells this admin changed on top (after a refused save, nothing typed is lost).
    Only changed cells: the others keep the saved values, which another admin may have just changed."""
    for key, cell in grid.cells().items():
        if key in posted.changed:
            cell.value = posted.values[key]
    return grid


def grid_mark_errors(grid: Grid, errors: list[Any]) -> Grid:
    """Mark the services' CellErrors on their cells; each also goes into the list above the grid."""
    cells = grid.cells()
    for error in errors:
        cell = cells.get(tuple(error.key) if error.key else ())
        if cell is not None:
            cell.error = str(error.message)
            grid.errors.append(f"{cell.label}: {error.message}")
        else:
            grid.errors.append(str(error.message))
    return grid


# --- the round page ------------------------------------------------------------------------------------
def weighted_frame(results: pd.DataFrame, award_round: AwardRound) -> pd.DataFrame:
    """results with each component multiplied by its weight: w_r·R, w_e·E, w_n·N (they add up to final)."""
    w_r, w_e, w_n = (float(weight) for weight in award_round.weights)
    return results.assign(
        ranking_part=results["ranking_score"].fillna(0) * w_r,
        expert_part=results["expert_score"].fillna(0) * w_e,
        netizen_part=results["netizen_score"].fillna(0) * w_n,
    )


def components_chart_html(results: pd.DataFrame, award_round: AwardRound) -> str:
    """Each candidate's final score as a stacked horizontal bar of its three weighted parts, best on top."""
    if results.empty:
        return ""
    parts = weighted_frame(results, award_round)
    names = [place_name(name) if award_round.kind == AwardRound.Kind.CITY else name for name in parts["candidate"]]
    w_r, w_e, w_n = weights_text(award_round)
    figure = go.Figure()
    for column, label, colour in (
        ("ranking_part", _("Ranking × %(weight)s") % {"weight": w_r}, RED),
        ("expert_part", _("Experts × %(weight)s") % {"weight": w_e}, BLUE),
        ("netizen_part", _("Netizens × %(weight)s") % {"weight": w_n}, GOLD),
    ):
        figure.add_trace(go.Bar(
            x=parts[column].round(2), y=names, orientation="h", name=label, marker_color=colour,
            hovertemplate="%{y}: %{x:.2f}<extra>" + label + "</extra>",
        ))
    figure.update_yaxes(autorange="reversed")
    figure.update_layout(
        barmode="stack", height=max(260, 26 * len(names) + 110), margin={"l": 10, "r": 10, "t": 10, "b": 30},
        legend={"orientation": "h", "y": -0.06}, plot_bgcolor="#fff", font={"family": FONT},
        xaxis_title=_("Final score"),
    )
    figure.update_xaxes(gridcolor="#e4e7eb")
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id="components-chart", config=PLOTLY_CONFIG)


def weights_text(award_round: AwardRound) -> tuple[str, str, str]:
    """The round's three weights as written: 0.6, 0.25, 0.15 (no trailing zeros)."""
    return tuple(cell_text(Decimal(str(weight))) for weight in award_round.weights)


def method_facts(award_round: AwardRound) -> list[tuple[str, str]]:
    """The round's settings as (label, value) pairs, for the method section."""
    if award_round.aggregation == AwardRound.Aggregation.TRIMMED:
        aggregation = _("trimmed mean: the %(k)s highest and %(k)s lowest scores dropped (needs at least "
                        "%(n)s scores)") % {"k": award_round.trim, "n": 2 * award_round.trim + 1}
    else:
        aggregation = _("mean of the expert scores")
    return [
        (_("Weights (ranking / experts / netizens)"), " / ".join(weights_text(award_round))),
        (_("Expert score E"), aggregation),
        (_("Quorum"), _("%(n)s expert scores per candidate") % {"n": award_round.quorum}),
        (_("Candidates"), _("chosen from the ranking by name") if award_round.candidates_from_list else
         _("every candidate ranked %(n)s or better (ties all in)") % {"n": award_round.candidates_n}),
        (_("Shortlist"), _("the first %(n)s by final score") % {"n": award_round.shortlist_size}),
    ]


@dataclass
class MatrixLine:
    candidate: Any
    cells: list[Any]
    votes: list[str]


def matrix_lines(matrix: Any) -> list[MatrixLine]:
    """The score matrix's rows with the tallies in the order of matrix.sources (for a template)."""
    return [MatrixLine(candidate=row.candidate, cells=row.cells,
                       votes=[cell_text(row.tallies.get(source)) for source in matrix.sources])
            for row in matrix.rows]


# --- the method in words (awards-core) -----------------------------------------------------------------
def _number(value: object) -> str:
    """0.6000 → 0.6: weights as people write them."""
    text = f"{value:f}" if not isinstance(value, str) else value
    return text.rstrip("0").rstrip(".") if "." in text else text


def method_lines(*, award_round: AwardRound) -> list[str]:
    """The combination, step by step, with the round's weights, aggregation, quorum and shortlist size."""
    if award_round.aggregation == AwardRound.Aggregation.TRIMMED and award_round.trim:
        expert = _("Expert score E = the mean of the candidate's expert scores after dropping the %(k)s highest "
                   "and the %(k)s lowest (at least %(n)s scores are needed).") % {
            "k": award_round.trim, "n": 2 * award_round.trim + 1}
    else:
        expert = _("Expert score E = the mean of the candidate's expert scores.")
    return [
        _("Ranking score R = the candidate's composite score ÷ the best candidate's composite score × 100."),
        expert,
        _("Netizen score N = for each vote source, the candidate's votes ÷ that source's largest tally × 100 "
          "(0 where the candidate has no votes in it), then the mean over the sources."),
        _("Final score = %(wr)s × R + %(we)s × E + %(wn)s × N; equal final scores are ordered by R, then by E.")
        % {"wr": _number(award_round.weight_ranking), "we": _number(award_round.weight_experts),
           "wn": _number(award_round.weight_netizens)},
        _("The shortlist is the first %(size)s. Voting closes only when every candidate has at least %(quorum)s "
          "expert scores. An expert never scores a candidate from their home province (回避).")
        % {"size": award_round.shortlist_size, "quorum": award_round.quorum},
    ]
