"""A round's results as a table (CSV or XLSX) for `award_round export` and the page's downloads.

Columns (issue #9, item 7): rank, candidate, province, final, ranking_score, expert_score,
netizen_score, experts, shortlisted; headed in the active language (Chinese: 名次, 城市/账号, 省份, 总分,
排行得分, 专家得分, 网民得分, 专家人数, 入围); numbers to 4 decimals; shortlisted yes/no (是/否).
The rows are the one results frame (awards.selectors.round_results), so the file shows the page's numbers.
"""
from __future__ import annotations

import pandas as pd
from django.utils.translation import pgettext

from awards.models import AwardRound
from awards.selectors.results import round_results
from core.spreadsheets import csv_bytes, xlsx_bytes

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DECIMALS = 4
SCORE_COLUMNS = ("final", "ranking_score", "expert_score", "netizen_score")


def _headers(award_round: AwardRound) -> dict[str, str]:
    return {
        "rank": pgettext("award export", "rank"),
        "candidate": (pgettext("award export", "city") if award_round.kind == AwardRound.Kind.CITY
                      else pgettext("award export", "account")),
        "province": pgettext("award export", "province"),
        "final": pgettext("award export", "final"),
        "ranking_score": pgettext("award export", "ranking_score"),
        "expert_score": pgettext("award export", "expert_score"),
        "netizen_score": pgettext("award export", "netizen_score"),
        "experts": pgettext("award export", "experts"),
        "shortlisted": pgettext("award export", "shortlisted"),
    }


def round_export_frame(*, award_round: AwardRound) -> pd.DataFrame:
    """The export table, headed in the active language."""
    results = round_results(award_round=award_round)
    headers = _headers(award_round)
    table = results[list(headers)].copy()
    for column in SCORE_COLUMNS:
        table[column] = table[column].round(DECIMALS)
    yes, no = pgettext("award export", "yes"), pgettext("award export", "no")
    table["shortlisted"] = table["shortlisted"].map({True: yes, False: no})
    return table.rename(columns=headers)


def round_export(*, award_round: AwardRound, file_format: str, bom: bool) -> bytes:
    table = round_export_frame(award_round=award_round)
    if file_format == "xlsx":
        return xlsx_bytes(table, sheet_name=award_round.slug)
    return _csv(table, bom=bom)


def _csv(table: pd.DataFrame, *, bom: bool) -> bytes:
    """Numbers written with exactly 4 decimals (as text formatting only: the values are already rounded)."""
    formatted = table.copy()
    for position, dtype in enumerate(table.dtypes):
        if pd.api.types.is_float_dtype(dtype):
            formatted.isetitem(position, table.iloc[:, position].map(
                lambda value: "" if pd.isna(value) else f"{value:.{DECIMALS}f}").astype(object))
    return csv_bytes(formatted, bom=bom)
