"""A category's leaderboard (/categories/<category>/): its accounts ranked nationally or in one
province of the chosen published run (rankings.selectors.resolution), sortable, searchable, paged and
downloadable (?export=csv|xlsx). What cannot be honoured (a province, a sort, a page) is named in a
notice and the default shown."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import GovAccount
from core.names import place_sort_key
from core.provinces import province_or_none
from core.text import echo
from rankings.labels import city_name, province_name
from rankings.models import ScoreRun
from rankings.presentation import city as words
from rankings.selectors import accounts as account_reads
from rankings.selectors.resolution import run_resolve
from rankings.selectors.visibility import run_is_cacheable
from rankings.views.common import MAX_QUERY, page_get, page_render
from rankings.views.exports import city_column_label, leaderboard_table, table_download

LEADERBOARD_PER_PAGE = 50
# The query parameters whose page bodies are kept (rankings.pagecache): never a free-text search (q) or a
# download (export).
CATEGORY_PARAMS = frozenset({"scheme", "period", "province", "sort", "order", "page"})
FIRST_ASCENDING = ("rank", "account", "city")  # the columns that sort ascending when first clicked


@require_safe
def category_detail(request: HttpRequest, category: str) -> HttpResponse:
    """A category's accounts ranked nationally or in one province: sortable, searchable, exportable."""
    if category not in GovAccount.Category.values:
        raise Http404(_("There is no category “%(value)s”.") % {"value": echo(category)})
    if request.GET.get("export") in ("csv", "xlsx"):
        run = run_resolve(params=request.GET, user=request.user).run
        if run is not None:
            board = _leaderboard_get(request, run, category)
            return table_download(leaderboard_table(board.frame, keys=board.keys, labels=board.labels),
                                  file_format=request.GET["export"],
                                  name=f"govweibo_{run.scheme.slug}_{run.period_label.replace('/', '~')}_{category}")
    return page_render(request, "rankings/category_detail.html", title=words.category_label(category),
                       params=CATEGORY_PARAMS, context=lambda: _category_context(request, category))


@dataclass
class Leaderboard:
    """A category's leaderboard as asked for: filtered, searched and sorted, with what could not be honoured."""

    board: pd.DataFrame  # every account of the category in the run
    frame: pd.DataFrame  # the rows shown, in order
    provinces: list[str]
    province: str
    query: str
    sort: str
    order: str
    keys: list[str]
    labels: dict[str, str]
    notices: list[str]


def _leaderboard_get(request: HttpRequest, run: ScoreRun, category: str) -> Leaderboard:
    board = account_reads.category_leaderboard_frame(run=run, category=category)
    notices: list[str] = []
    provinces = sorted(board["province"].dropna().unique().tolist(), key=place_sort_key)
    province = request.GET.get("province", "").strip()
    province = province_or_none(province) or province  # any spelling: the canonical name
    if province and province not in provinces:
        notices.append(_("There is no province “%(value)s” in this ranking: showing every province.")
                       % {"value": echo(province)})
        province = ""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    keys = list(run.definition.indicator_keys)
    sorts = {"rank": "rank_in_category", "account": "screen_name", "city": "city", "score": "composite",
             "reply_rate": "reply_rate", **{key: key for key in keys}}
    sort = request.GET.get("sort", "") or "rank"
    if sort not in sorts:
        notices.append(_("The ranking cannot be sorted by “%(value)s”: sorted by rank instead.") % {"value": echo(sort)})
        sort = "rank"
    order = request.GET.get("order", "")
    if order not in ("asc", "desc"):
        order = "asc" if sort in FIRST_ASCENDING else "desc"
    frame = _searched(board, province=province, query=query)
    frame = frame.sort_values([sorts[sort], "rank_in_category", "screen_name"],
                              ascending=[order == "asc", True, True], na_position="last", kind="stable",
                              key=lambda column: column.map(place_sort_key) if column.name == "city" else column)
    return Leaderboard(board=board, frame=frame, provinces=provinces, province=province, query=query, sort=sort,
                       order=order, keys=keys, labels=words.indicator_names(run), notices=notices)


def _searched(board: pd.DataFrame, *, province: str, query: str) -> pd.DataFrame:
    frame = board[board["province"] == province] if province else board
    if query:
        needle = query.casefold()
        frame = frame[frame["screen_name"].str.casefold().str.contains(needle, regex=False)
                      | frame["city"].str.casefold().str.contains(needle, regex=False)]
    return frame


def _category_context(request: HttpRequest, category: str) -> dict[str, object]:
    choice = run_resolve(params=request.GET, user=request.user)
    notices = list(choice.notices)
    context: dict[str, object] = {"category": category, "category_label": words.category_label(category),
                                  "categories": list(GovAccount.Category), "choice": choice, "notices": notices}
    if choice.run is None:
        return context
    found = _leaderboard_get(request, choice.run, category)
    notices += found.notices
    if "export" in request.GET:
        notices.append(_("“%(value)s” is not a download format (csv or xlsx).") % {"value": echo(request.GET["export"])})
    params = {"scheme": choice.run.scheme.slug, "period": choice.run.period_label, "province": found.province,
              "q": found.query, "sort": found.sort if found.sort != "rank" else "",
              "order": found.order if found.sort != "rank" else ""}
    params = {key: value for key, value in params.items() if value}
    page = page_get(Paginator(range(len(found.frame)), LEADERBOARD_PER_PAGE), request.GET.get("page"), notices)
    shown = found.frame.iloc[page.start_index() - 1:page.end_index()] if len(found.frame) else found.frame
    rows = [{**item, "city_label": city_name(item["city"], item["city_en"]), "flags": words.account_flags(item),
             "indicators": [item[key] for key in found.keys]} for item in shown.to_dict("records")]
    return context | {
        "run": choice.run, "provinces": [(name, province_name(name)) for name in found.provinces],
        "province": found.province, "query": found.query, "headers": _headers(found, params), "rows": rows,
        "page": page, "params": params, "page_query": urlencode(params) + "&" if params else "",
        "total": len(found.board), "shown": len(found.frame),
        "export_csv": "?" + urlencode({**params, "export": "csv"}),
        "export_xlsx": "?" + urlencode({**params, "export": "xlsx"}),
        "keep_body": run_is_cacheable(choice.run) and not notices,  # rankings.pagecache
    }


def _headers(found: Leaderboard, params: dict[str, str]) -> list[dict[str, object]]:
    """The table's column headers, each with the link that sorts by it (the other way when it is sorted)."""
    columns = [("rank", _("Rank"), True), ("account", _("Account"), False), ("city", city_column_label(), False),
               ("score", _("Score"), True), *[(key, found.labels.get(key, key), True) for key in found.keys],
               ("flags", _("Diagnostics"), False), ("reply_rate", _("Reply rate"), True)]
    headers = []
    for key, label, numeric in columns:
        current = found.order if found.sort == key else ""
        next_order = ("desc" if current == "asc" else "asc") if current else (
            "asc" if key in FIRST_ASCENDING else "desc")
        headers.append({"key": key, "label": label, "numeric": numeric, "sorted": current,
                        "sortable": key != "flags", "url": "?" + urlencode({**params, "sort": key, "order": next_order})})
    return headers
