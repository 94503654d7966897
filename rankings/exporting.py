"""Exporting a run's ranking as a table: CSV or XLSX, city or account level, headers in the user's language.

The table is built with pandas from one bulk read of the run's rows (selectors.city_ranking_list /
account_ranking_list as dictionaries), never by looping over model instances.

CSV encoding: UTF-8. Files written to disk and downloads start with a byte-order mark, because Excel on
Chinese Windows otherwise reads UTF-8 as GBK and garbles every Chinese cell; CSV written to stdout has
no BOM, because it is read by programs (pipes, pandas, csvkit) that would take the BOM as part of the
first header.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import GovAccount
from core.bulk import query_frame
from core.spreadsheets import csv_bytes, xlsx_bytes
from rankings import selectors
from rankings.fields import ListItem
from rankings.labels import indicator_labels
from rankings.models import ScoreRun

FORMATS = ("csv", "xlsx")
LEVELS = ("city", "account")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DECIMALS = 2  # scores and indicator values
RATE_DECIMALS = 4  # reply rates (a share between 0 and 1)


def ranking_frame(*, run: ScoreRun, level: str) -> pd.DataFrame:
    """The run's ranking at `level` ("city" or "account"), columns headed in the active language."""
    if level == "account":
        return account_ranking_frame(run=run)
    return city_ranking_frame(run=run)


def city_ranking_frame(*, run: ScoreRun) -> pd.DataFrame:
    """Columns: rank, city, province, score, one per category with a score, one per indicator.

    Scores and indicator values are rounded to 2 decimals. One query.
    """
    records = list(
        selectors.city_ranking_list(run=run).values(
            "rank", "city__name", "city__province", "score", "category_scores", "indicators"
        )
    )
    cities = pd.DataFrame.from_records(
        records, columns=["rank", "city__name", "city__province", "score", "category_scores", "indicators"]
    )
    categories = _expand(cities.pop("category_scores"), keys=list(GovAccount.Category.values),
                         index=cities.index).dropna(axis="columns", how="all")
    indicators = _expand(cities.pop("indicators"), keys=_indicator_keys(run), index=cities.index)
    table = pd.concat([cities, categories, indicators], axis="columns")
    table = table.round({column: DECIMALS for column in ["score", *categories.columns, *indicators.columns]})
    return table.rename(columns={
        "rank": _("rank"), "city__name": _("city"), "city__province": _("province"), "score": _("score"),
        **_category_headers(categories.columns), **_indicator_headers(run, indicators.columns),
    })


def account_ranking_frame(*, run: ScoreRun) -> pd.DataFrame:
    """Columns: rank in category, account, city, province, category, score, one per indicator (its
    normalised value, then its expression's value before normalisation), flags, reply rate. Rows by category, then rank. One query.

    The indicators come out of the lists in the database (one float column per key), so that 180,000
    rows are not decoded one list at a time in Python.
    """
    fields = ["rank_in_category", "account__screen_name", "city__name", "city__province", "category",
              "composite", "empty_shell", "inactive", "broadcast_only", "reply_rate"]
    keys = list(run.definition.indicator_keys)  # the stored lists' order
    values = {f"norm_{n}": ListItem("normalized_values", n) for n in range(len(keys))}
    values |= {f"raw_{n}": ListItem("raw_values", n) for n in range(len(keys))}
    rows = selectors.account_ranking_list(run=run).annotate(**values).values_list(*fields, *values)
    accounts = _frame(rows, columns=[*fields, *values])
    indicators = pd.DataFrame(index=accounts.index)
    for n, key in enumerate(keys):
        indicators[key] = accounts[f"norm_{n}"].astype("float64")
        indicators[f"raw__{key}"] = accounts[f"raw_{n}"].astype("float64")
    labels = {value: str(label) for value, label in GovAccount.Category.choices}
    table = pd.concat([accounts[fields[:6]], indicators], axis="columns").assign(
        category=accounts["category"].map(labels).fillna(accounts["category"]),
        flags=_flags(accounts),
        reply_rate=accounts["reply_rate"].astype("float64").round(RATE_DECIMALS),
    )
    table = table.round({column: DECIMALS for column in ["composite", *indicators.columns]})
    indicator_names = indicator_labels(run=run)
    return table.rename(columns={
        "rank_in_category": _("rank in category"), "account__screen_name": _("account"),
        "city__name": _("city"), "city__province": _("province"), "category": _("category"),
        "composite": _("score"),
        **{key: indicator_names.get(key, key) for key in keys},
        # The value of the indicator's expression (log1p(fans) for 粉丝量), not the metric it reads.
        **{f"raw__{key}": _("%(indicator)s (expression value)") % {"indicator": indicator_names.get(key, key)}
           for key in keys},
        "flags": _("flags"), "reply_rate": _("reply rate"),
    })


def ranking_csv(frame: pd.DataFrame, *, bom: bool) -> bytes:
    """The table as UTF-8 CSV (CRLF line ends, as Excel writes them); with a BOM for Excel when asked.
    Text that a spreadsheet would run as a formula is escaped (core.spreadsheets)."""
    return csv_bytes(frame, bom=bom)


def ranking_xlsx(frame: pd.DataFrame, *, sheet_name: str) -> bytes:
    """The table as an XLSX workbook of one sheet (openpyxl), header row frozen, text never a formula."""
    return xlsx_bytes(frame, sheet_name=sheet_name)


def ranking_export(*, run: ScoreRun, level: str, file_format: str, bom: bool = True) -> bytes:
    """The run's ranking as the bytes of a CSV or XLSX file."""
    frame = ranking_frame(run=run, level=level)
    if file_format == "xlsx":
        return ranking_xlsx(frame, sheet_name=f"{run.scheme.slug} {run.period_label}".replace("/", "~"))
    return ranking_csv(frame, bom=bom)


def ranking_file_name(*, run: ScoreRun, level: str, file_format: str) -> str:
    """govweibo_<scheme>_<period>_<level>_run<id>.<format>; a date range's slash becomes a tilde."""
    period = run.period_label.replace("/", "~")
    return f"govweibo_{run.scheme.slug}_{period}_{level}_run{run.pk}.{file_format}"


# --- helpers ----------------------------------------------------------------------------------------------
def _expand(dicts: pd.Series, *, keys: list[str], index: pd.Index) -> pd.DataFrame:
    """A Series of dicts as one float column per key: every one of `keys` (in order, NaN where a dict
    lacks it), then any other key seen."""
    frame = pd.DataFrame.from_records([item or {} for item in dicts], index=index)
    columns = [*keys, *[key for key in frame.columns if key not in keys]]
    return frame.reindex(columns=columns).astype("float64")


def _indicator_keys(run: ScoreRun) -> list[str]:
    return list(indicator_labels(run=run))


def _category_headers(columns: pd.Index) -> dict[str, str]:
    labels = dict(GovAccount.Category.choices)
    return {column: str(labels.get(column, column)) for column in columns}


def _indicator_headers(run: ScoreRun, columns: pd.Index) -> dict[str, str]:
    names = indicator_labels(run=run)
    return {column: names.get(column, column) for column in columns}


def _frame(rows: QuerySet, *, columns: list[str]) -> pd.DataFrame:
    """A values_list queryset as a DataFrame, through one bulk read on PostgreSQL (core.bulk),
    whose "t"/"f" booleans become True/False/None; elsewhere the rows as Django returns them."""
    if connection.vendor != "postgresql":
        return pd.DataFrame.from_records(list(rows), columns=columns)
    sql, params = rows.query.sql_with_params()
    frame = query_frame(sql, params, columns=columns,
                        text_columns=["account__screen_name", "city__name", "city__province", "category"])
    for column in ("empty_shell", "inactive", "broadcast_only"):
        frame[column] = frame[column].map({"t": True, "f": False}).astype("object")
    return frame


def _flags(accounts: pd.DataFrame) -> pd.Series:
    """The diagnostic flags of each account as one text (空壳、断更 …); empty when none applies."""
    separator = pgettext("list separator", ", ")
    flags = pd.Series("", index=accounts.index, dtype="object")
    for column, label in [("empty_shell", _("empty shell")), ("inactive", _("inactive")),
                          ("broadcast_only", _("broadcast only"))]:
        flags = flags + np.where(accounts[column].eq(True).to_numpy(dtype=bool), label + separator, "")
    return flags.str.removesuffix(separator)
