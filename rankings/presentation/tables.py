"""The city ranking as a table a visitor can page, sort, search and filter by province, and the same
rows as a download: what the home page and a run's page show, shaped in pandas from the ranking the
view reads (rankings.selectors.cities.city_ranking_frame). Presentation only: no query, no request.

What is asked (TableAsked, read from the query by the view): q (part of a city's name, Chinese or
English), province, sort (a column key: rank, city, province, score, change, interval or a category),
order (asc | desc), page. What cannot be honoured is ignored and named in a notice, never an error page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
import pandas as pd
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import GovAccount
from core.names import place_name_en, place_sort_key
from core.spreadsheets import csv_bytes, xlsx_bytes
from core.text import echo
from rankings.labels import city_name, province_name, scheme_name
from rankings.models import ScoreRun
from rankings.selectors import cities as reads

PER_PAGE = 50
FIXED_SORTS = ("rank", "city", "province", "score", "change", "interval")
# The direction a column sorts in when first clicked: names A→Z, ranks from the top, scores from the best.
FIRST_ORDER = {"rank": "asc", "city": "asc", "province": "asc", "interval": "asc"}
EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool
    extra: bool  # hidden at phone width until asked for
    sort_url: str
    sorted: str  # "asc", "desc" or ""
    title: str = ""


@dataclass(frozen=True)
class Row:
    city_id: int
    city: str
    city_zh: str
    province: str
    rank: int
    score: float
    categories: list[float | None]
    change: str  # "up", "down", "same", "new" or "" (no previous ranking)
    change_by: int
    previous_rank: int | None
    interval: str  # "2–5", or ""


@dataclass
class RankingTable:
    run: ScoreRun
    scheme_name: str
    frame: pd.DataFrame  # filtered and sorted, every page
    columns: list[Column]
    page: Page
    rows: list[Row]
    categories: list[tuple[str, str]]  # (value, label)
    provinces: list[tuple[str, str]]  # (stored name, shown name)
    province: str
    query: str
    sort: str
    order: str
    total: int  # cities in the run
    has_previous: bool
    has_intervals: bool
    notices: list[str] = field(default_factory=list)
    ranking: pd.DataFrame | None = None  # every city of the run, unfiltered (city_ranking_frame)
    params: dict[str, str] = field(default_factory=dict)  # the honoured parameters, page excluded

    def url(self, **changes: str) -> str:
        """This table's query string with `changes` (an empty value drops the parameter)."""
        params = {**self.params, **changes}
        return "?" + urlencode({key: value for key, value in params.items() if value})

    @property
    def export_csv_url(self) -> str:
        return self.url(export="csv")

    @property
    def export_xlsx_url(self) -> str:
        return self.url(export="xlsx")

    @property
    def page_query(self) -> str:
        """The parameters to keep on the pager's links, ending in "&" (templates/_pager.html)."""
        query = urlencode({key: value for key, value in self.params.items() if value})
        return query + "&" if query else ""


@dataclass(frozen=True)
class TableAsked:
    """What the visitor asked of the table, as read from the query by the view (rankings.views.common
    .table_asked): trimmed texts, a province in its canonical spelling when it is one, "" for none."""

    scheme: str = ""
    period: str = ""
    province: str = ""
    query: str = ""
    sort: str = ""
    order: str = ""
    page: str = "1"


def ranking_table_build(*, run: ScoreRun, ranking: pd.DataFrame, categories: list[str], asked: TableAsked,
                        per_page: int = PER_PAGE) -> RankingTable:
    """The run's city ranking (`ranking`: rankings.selectors.cities.city_ranking_frame; `categories`: its
    run_categories) filtered, sorted and paged as `asked`; what cannot be honoured is named in a notice."""
    notices: list[str] = []
    provinces = sorted(ranking[reads.PROVINCE].unique().tolist(), key=place_sort_key)
    province = asked.province
    if province and province not in provinces:
        notices.append(_("There is no province “%(value)s” in this ranking: showing every province.")
                       % {"value": echo(province)})
        province = ""
    sort, order = _sort_choice(asked, categories, notices)
    frame = _sorted(_filtered(ranking, province=province, query=asked.query), sort=sort, order=order)
    page = _page(Paginator(range(len(frame)), per_page), asked.page, notices)
    shown = frame.iloc[page.start_index() - 1:page.end_index()] if len(frame) else frame
    usual = sort == "rank" and order == "asc"
    kept = {"scheme": asked.scheme, "period": asked.period, "q": asked.query, "province": province,
            "sort": "" if usual else sort, "order": "" if usual else order}
    has_previous = bool(ranking[reads.PREVIOUS_RANK].notna().any())
    table = RankingTable(
        run=run, scheme_name=scheme_name(run), frame=frame, columns=[], page=page,
        rows=[_row(record, categories, has_previous) for record in shown.to_dict("records")],
        categories=[(value, str(GovAccount.Category(value).label)) for value in categories],
        provinces=[(name, province_name(name)) for name in provinces], province=province, query=asked.query,
        sort=sort, order=order, total=len(ranking), has_previous=has_previous,
        has_intervals=bool(ranking[reads.RANK_P05].notna().any()),
        notices=notices, params={key: value for key, value in kept.items() if value}, ranking=ranking,
    )
    table.columns = _columns(table)
    return table


def _page(paginator: Paginator, number: str, notices: list[str]) -> Page:
    if not number.isdigit() or not 1 <= int(number) <= max(paginator.num_pages, 1):
        notices.append(_("There is no page “%(value)s”: showing page 1.") % {"value": echo(number)})
        number = "1"
    return paginator.get_page(number)


def ranking_table_export(table: RankingTable, *, file_format: str) -> bytes:
    """Every row the table's filters and sort select (all pages), with the columns it shows."""
    frame = ranking_table_frame(table)
    if file_format == "xlsx":
        return xlsx_bytes(frame, sheet_name=f"{table.run.scheme.slug} {table.run.period_label}".replace("/", "~"))
    return csv_bytes(frame, bom=True)


def ranking_table_file_name(table: RankingTable, *, file_format: str) -> str:
    period = table.run.period_label.replace("/", "~")
    return f"govweibo_{table.run.scheme.slug}_{period}_cities_run{table.run.pk}.{file_format}"


def ranking_table_frame(table: RankingTable) -> pd.DataFrame:
    """The table's rows (all pages) as the page shows them: headed like its columns, scores rounded to
    2 decimals, the rank change as ▲n / ▼n / ＝ / new and the interval as “lo–hi”."""
    categories = [value for value, _label in table.categories]
    rows = [_row(record, categories, table.has_previous) for record in table.frame.to_dict("records")]
    data: dict[str, list[object]] = {
        "rank": [row.rank for row in rows],
        "city": [row.city for row in rows],
        "province": [row.province for row in rows],
        "score": [round(row.score, 2) for row in rows],
    }
    for index, value in enumerate(categories):
        data[value] = [None if row.categories[index] is None else round(row.categories[index], 2) for row in rows]
    data["change"] = [change_text(row) for row in rows]
    if table.has_intervals:
        data["interval"] = [row.interval for row in rows]
    labels = {column.key: column.label for column in table.columns}
    frame = pd.DataFrame(data)
    for value in categories:
        frame[value] = frame[value].astype("float64")
    return frame.rename(columns=labels)


def change_text(row: Row) -> str:
    """The rank change as the table shows it."""
    if row.change == "up":
        return f"▲{row.change_by}"
    if row.change == "down":
        return f"▼{row.change_by}"
    if row.change == "same":
        return "＝"
    if row.change == "new":
        return pgettext("rank change", "new")
    return ""


# --- helpers ----------------------------------------------------------------------------------------------
def _sort_choice(asked: TableAsked, categories: list[str], notices: list[str]) -> tuple[str, str]:
    sort = asked.sort or "rank"
    if sort not in (*FIXED_SORTS, *categories):
        notices.append(_("The ranking cannot be sorted by “%(value)s”: sorted by rank instead.")
                       % {"value": echo(sort)})
        sort = "rank"
    order = asked.order or FIRST_ORDER.get(sort, "desc")
    if order not in ("asc", "desc"):
        notices.append(_("“%(value)s” is not an order (asc or desc): sorted the usual way.") % {"value": echo(order)})
        order = FIRST_ORDER.get(sort, "desc")
    return sort, order


def _filtered(ranking: pd.DataFrame, *, province: str, query: str) -> pd.DataFrame:
    frame = ranking
    if province:
        frame = frame[frame[reads.PROVINCE] == province]
    if query:
        needle = query.casefold()
        names = frame[reads.CITY].str.casefold().str.contains(needle, regex=False)
        # The English name as pages show it (name_en, else pinyin: core.names), so "changsha" finds 长沙.
        english = pd.Series([place_name_en(name, name_en or None).casefold()
                             for name, name_en in zip(frame[reads.CITY], frame[reads.CITY_EN].fillna(""), strict=True)],
                            index=frame.index, dtype="object").str.contains(needle, regex=False)
        frame = frame[names | english]
    return frame


def _sorted(frame: pd.DataFrame, *, sort: str, order: str) -> pd.DataFrame:
    """Sorted by the column, missing values last whatever the order, ties by rank then city name."""
    ascending = order == "asc"
    key = {"change": reads.RANK_CHANGE, "interval": reads.RANK_P05}.get(sort, sort)
    by = [key, reads.RANK, reads.CITY] if key != reads.RANK else [reads.RANK, reads.CITY]
    if sort == "interval":
        by = [reads.RANK_P05, reads.RANK_P95, reads.RANK, reads.CITY]
    if sort == "change":
        # New entries sort with the climbers (above every ranked change when descending).
        frame = frame.assign(_change=frame[reads.RANK_CHANGE].where(~frame[reads.IS_NEW], np.inf))
        by = ["_change", reads.RANK, reads.CITY]
    ascending_list = [ascending] + [True] * (len(by) - 1)
    if sort == "interval":
        ascending_list = [ascending, ascending, True, True]
    frame = frame.sort_values(by, ascending=ascending_list, na_position="last", kind="stable", key=_by_pinyin)
    return frame.drop(columns=["_change"], errors="ignore")


def _by_pinyin(column: pd.Series) -> pd.Series:
    """City and province names sort by their pinyin (core.names), other columns as they are."""
    return column.map(place_sort_key) if column.name in (reads.CITY, reads.PROVINCE) else column


def _row(record: dict[str, object], categories: list[str], has_previous: bool) -> Row:
    change, change_by = "", 0
    rank_change = record[reads.RANK_CHANGE]
    if has_previous:
        if record[reads.IS_NEW]:
            change = "new"
        elif rank_change is not None and not pd.isna(rank_change):
            change_by = abs(int(rank_change))
            change = "up" if rank_change > 0 else "down" if rank_change < 0 else "same"
    low, high = record[reads.RANK_P05], record[reads.RANK_P95]
    previous = record[reads.PREVIOUS_RANK]
    return Row(
        city_id=int(record[reads.CITY_ID]), city=city_name(record[reads.CITY], record[reads.CITY_EN]),
        city_zh=str(record[reads.CITY]), province=province_name(str(record[reads.PROVINCE])),
        rank=int(record[reads.RANK]), score=float(record[reads.SCORE]),
        categories=[None if pd.isna(record[value]) else float(record[value]) for value in categories],
        change=change, change_by=change_by,
        previous_rank=None if previous is None or pd.isna(previous) else int(previous),
        interval="" if low is None or pd.isna(low) else f"{low:.0f}–{high:.0f}",
    )


def _columns(table: RankingTable) -> list[Column]:
    specs = [
        ("rank", _("Rank"), True, False, ""),
        ("city", pgettext("ranking column", "City"), False, False, ""),
        ("province", _("Province"), False, True, ""),
        ("score", _("Score"), True, False, ""),
        *[(value, label, True, True, "") for value, label in table.categories],
        ("change", pgettext("rank", "Change"), True, False,
         _("Change against the previous period of the same length: ▲ up, ▼ down, new = not ranked then")),
    ]
    if table.has_intervals:
        specs.append(("interval", _("Rank interval (5–95 %)"), True, True,
                      _("Ranks between which the city falls in 90 per cent of the Monte Carlo draws over weights and "
                        "normalisations")))
    columns = []
    for key, label, numeric, extra, title in specs:
        current = table.order if table.sort == key else ""
        next_order = ("desc" if current == "asc" else "asc") if current else FIRST_ORDER.get(key, "desc")
        columns.append(Column(key=key, label=str(label), numeric=numeric, extra=extra, title=str(title),
                              sort_url=table.url(sort=key, order=next_order) + "#city-ranking", sorted=current))
    return columns
