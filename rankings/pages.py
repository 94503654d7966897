"""The analyst pages below the ranking: a city (/cities/<id>/), two to four cities side by side
(/cities/compare/), a category's leaderboard (/categories/<category>/) and an account
(/accounts/<id>/: an integer, so it never meets the accounts app's /accounts/import/ pages).

Each page shows a published run only: the scheme (?scheme=, default the default scheme) and the period
(?period=, default the latest published) choose it. A parameter that cannot be honoured falls back to
the default and a notice on the page says so. Views are thin: selectors read (rankings.selectors.cities
and .accounts, DataFrames), presentation words and draws (rankings.presentation.city).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_safe

from accounts.models import City, GovAccount
from core.names import place_name_en, place_sort_key
from core.periods import Period, PeriodError, parse_period
from core.provinces import province_or_none
from core.spreadsheets import csv_bytes, xlsx_bytes
from rankings import exporting, pagecache, selectors
from rankings.labels import city_name, in_language, province_name, scheme_name
from rankings.models import ScoreRun, ScoringScheme
from rankings.presentation import city as words
from rankings.presentation import figures
from rankings.presentation import methodology as methods
from rankings.selectors import accounts as account_reads
from rankings.selectors import cities as reads

ECHO_CHARS = 50
LEADERBOARD_PER_PAGE = 50
CITY_ACCOUNTS_PER_PAGE = 50
MAX_COMPARE = 4
# The query parameters whose page bodies are kept (rankings.pagecache): never a free-text search (q) or a
# download (export).
CITY_PARAMS = frozenset({"scheme", "period", "page"})
CATEGORY_PARAMS = frozenset({"scheme", "period", "province", "sort", "order", "page"})
ACCOUNT_PARAMS = frozenset({"scheme", "period"})
METRIC_LABELS = {
    "posts": gettext_lazy("posts"), "original_posts": gettext_lazy("original posts"),
    "reposts": gettext_lazy("reposts"), "comments": gettext_lazy("comments"), "likes": gettext_lazy("likes"),
    "replies": gettext_lazy("replies"), "fans": gettext_lazy("fans"),
}


@dataclass
class RunChoice:
    """The published run a page shows, the choices of its form, and what was asked for and not found."""

    schemes: list[ScoringScheme]
    scheme: ScoringScheme | None
    periods: list[str]
    run: ScoreRun | None
    notices: list[str] = field(default_factory=list)
    runs: list[ScoreRun] = field(default_factory=list)  # the scheme's published runs, latest period first

    @property
    def query(self) -> str:
        """scheme=…&period=… of the shown run, for links to the other analyst pages."""
        if self.run is None:
            return ""
        return urlencode({"scheme": self.run.scheme.slug, "period": self.run.period_label})


def run_choice_get(params: QueryDict) -> RunChoice:
    """The published run of ?scheme= and ?period= (defaults: the default scheme, its latest period).
    Three queries: the schemes, the scheme's published runs, nothing more."""
    slug, period_text = params.get("scheme", "").strip(), params.get("period", "").strip()
    schemes = list(selectors.scheme_list())
    notices = []
    scheme = next((item for item in schemes if item.slug == slug), None)
    if slug and scheme is None:
        notices.append(_("There is no scoring scheme “%(value)s”: showing the default scheme.") % {"value": _echo(slug)})
    scheme = scheme or selectors.scheme_default_get(among=schemes)
    if scheme is None:
        return RunChoice(schemes=schemes, scheme=None, periods=[], run=None, notices=notices)
    runs = list(selectors.run_published_list(scheme=scheme))
    run = runs[0] if runs else None
    if period_text:
        try:
            period = parse_period(period_text)
        except PeriodError:
            period = None
        chosen = next((item for item in runs if period is not None and item.period == period), None)
        if chosen is None and run is not None:
            notices.append(_("“%(value)s” is not a published period of this scheme: showing the latest, %(latest)s.")
                           % {"value": _echo(period_text), "latest": run.period_label})
        run = chosen or run
    periods = list(dict.fromkeys(item.period_label for item in runs))
    return RunChoice(schemes=schemes, scheme=scheme, periods=periods, run=run, notices=notices, runs=runs)


# --- the city page ----------------------------------------------------------------------------------------
@require_safe
def city_detail(request: HttpRequest, city_id: int) -> HttpResponse:
    """One city in the chosen published run: composite and rank (with its interval) in words, its
    categories against the national and province medians, strengths and weaknesses, history,
    accounts with their flags explained, and the most similar cities."""
    city = City.objects.filter(pk=city_id).first()
    if city is None:
        raise Http404(_("There is no city #%(id)s.") % {"id": city_id})
    label = city_name(city.name, city.name_en)

    def context() -> dict[str, object]:
        choice = run_choice_get(request.GET)
        breakdown = reads.city_breakdown_get(run=choice.run, city_id=city.pk) if choice.run else None
        shown = {"city": city, "city_label": label, "province_label": province_name(city.province_id),
                 "choice": choice, "breakdown": breakdown}
        if breakdown is not None:
            shown |= _city_context(breakdown, accounts_page=request.GET.get("page"))
        notices = [*choice.notices, *shown.get("notices", [])]
        return shown | {"notices": notices, "keep_body": pagecache.keepable(choice.run) and not notices}

    return _page(request, "rankings/city_detail.html", title=label, params=CITY_PARAMS, context=context)


def _page(request: HttpRequest, template: str, *, title: str, params: frozenset[str],
          context: Callable[[], dict[str, object]]) -> HttpResponse:
    """`template` (a page body) inside base.html. The body is read from the cache, or rendered from
    `context()` and kept when that context says so (rankings.pagecache: a published run, no notice)."""
    body = pagecache.body_get(pagecache.body_key(request, params=params), request, template, context)
    return render(request, "rankings/page.html", {"title": title, "body": body})


def _city_context(breakdown: reads.CityBreakdown, *, accounts_page: str | None) -> dict[str, object]:
    run, row = breakdown.run, breakdown.row
    names = words.indicator_names(run)
    indicators = [
        {"key": item[reads.INDICATOR], "label": names.get(item[reads.INDICATOR], item[reads.INDICATOR]),
         "value": item[reads.VALUE], "percentile": item[reads.PERCENTILE], "median": item[reads.NATIONAL_MEDIAN]}
        for item in breakdown.indicators.to_dict("records")
    ]
    history = breakdown.history
    history_rows = [
        {**item, "change": words.change_in_words(rank_change=item[reads.RANK_CHANGE], is_new=False)}
        for item in history.to_dict("records")
    ]
    accounts, notices = [], []
    page = _page_get(Paginator(range(len(breakdown.accounts)), CITY_ACCOUNTS_PER_PAGE), accounts_page, notices)
    shown = breakdown.accounts.iloc[page.start_index() - 1:page.end_index()] if len(breakdown.accounts) else []
    for item in (shown.to_dict("records") if len(shown) else []):
        accounts.append({**item, "category_label": words.category_label(item["category"]),
                         "flags": words.account_flags(item), "reply_words": words.reply_rate_in_words(item["reply_rate"])})
    similar = [
        {"city_id": item[reads.CITY_ID], "name": city_name(item[reads.CITY], item[reads.CITY_EN]),
         "province": province_name(item[reads.PROVINCE]), "score": item[reads.SCORE], "rank": item[reads.RANK]}
        for item in breakdown.similar.to_dict("records")
    ]
    categories = [
        {"label": words.category_label(item[reads.CATEGORY]), "score": item[reads.SCORE],
         "national": item[reads.NATIONAL_MEDIAN], "province": item[reads.PROVINCE_MEDIAN]}
        for item in breakdown.categories.to_dict("records")
    ]
    low, high = row[reads.RANK_P05], row[reads.RANK_P95]
    return {
        "scheme_name": scheme_name(run),
        "score": row[reads.SCORE],
        "rank_words": words.rank_in_words(rank=int(row[reads.RANK]), cities=len(breakdown.ranking), low=low, high=high),
        "change_words": words.change_in_words(rank_change=row[reads.RANK_CHANGE], is_new=bool(row[reads.IS_NEW])),
        "categories": categories,
        "category_chart": words.categories_chart_html(breakdown.categories) if categories else "",
        "indicators": indicators,
        "strengths": [item for item in indicators if item["key"] in set(breakdown.strengths[reads.INDICATOR])],
        "weaknesses": [item for key in breakdown.weaknesses[reads.INDICATOR] for item in indicators
                       if item["key"] == key],
        "history": history_rows,
        "history_chart": words.history_chart_html(history) if len(history) > 1 else "",
        "accounts": accounts,
        "accounts_page": page,
        "similar": similar,
        "compare_ids": ",".join(str(item["city_id"]) for item in similar[:3]),
        "notices": notices,
    }


# --- compare ----------------------------------------------------------------------------------------------
@require_safe
def city_compare(request: HttpRequest) -> HttpResponse:
    """Two to four cities side by side in the chosen run: ?cities=1,2,3 (ids), or ?city=1&city=2 from the
    page's picker (checkboxes of the run's cities, narrowed by ?q=, a name in Chinese, English or pinyin)."""
    choice = run_choice_get(request.GET)
    ids = _compare_ids(request.GET)
    query = request.GET.get("q", "").strip()[:ECHO_CHARS]
    notices = list(choice.notices)
    if len(ids) > MAX_COMPARE:
        notices.append(_("At most %(count)s cities can be compared: showing the first %(count)s.") % {"count": MAX_COMPARE})
        ids = ids[:MAX_COMPARE]
    context: dict[str, object] = {"choice": choice, "notices": notices, "cities": [], "rows": [], "chart": "",
                                  "keep": [("cities", ",".join(str(item) for item in ids))], "query": query,
                                  "picker": [], "max_compare": MAX_COMPARE}
    if choice.run is not None:
        ranking = reads.city_ranking_frame(run=choice.run)
        chosen = ranking.set_index(reads.CITY_ID).reindex([item for item in ids if item in set(ranking[reads.CITY_ID])])
        missing = [str(item) for item in ids if item not in set(ranking[reads.CITY_ID])]
        if missing:
            notices.append(_("Not ranked in this run, left out: %(ids)s.") % {"ids": _echo(", ".join(missing))})
        if len(chosen) < 2:
            notices.append(_("Choose two to four cities to compare (e.g. from a city's similar cities)."))
        context |= _compare_context(choice.run, chosen, ranking)
        context["picker"] = _compare_picker(ranking, chosen=list(chosen.index), query=query)
    return render(request, "rankings/city_compare.html", context)


def _compare_ids(params: QueryDict) -> list[int]:
    """The cities asked for, in order and once each: ?cities=1,2 then every ?city= (the picker's boxes)."""
    parts = params.get("cities", "").replace(" ", "").split(",") + params.getlist("city")
    return list(dict.fromkeys(int(part) for part in parts if part.strip().isdigit()))


def _compare_picker(ranking: pd.DataFrame, *, chosen: list[int], query: str) -> list[dict[str, object]]:
    """The picker's cities, sorted by pinyin: the chosen ones always, the others when they match `query`
    (in Chinese, or in English as the page names them) or when there is no query."""
    needle = query.casefold()  # "" is in every name
    rows = []
    for item in ranking.to_dict("records"):
        city_id = int(item[reads.CITY_ID])
        name = city_name(item[reads.CITY], item[reads.CITY_EN])
        words = f"{item[reads.CITY]} {place_name_en(item[reads.CITY], item[reads.CITY_EN])}".casefold()
        if city_id in chosen or needle in words:
            rows.append({"city_id": city_id, "name": name, "province": province_name(item[reads.PROVINCE]),
                         "rank": int(item[reads.RANK]), "checked": city_id in chosen, "key": item[reads.CITY],
                         "words": words})
    return sorted(rows, key=lambda row: (not row["checked"], place_sort_key(row["key"])))


def _compare_context(run: ScoreRun, chosen: pd.DataFrame, ranking: pd.DataFrame) -> dict[str, object]:
    names = [city_name(row[reads.CITY], row[reads.CITY_EN]) for _id, row in chosen.iterrows()]
    categories = reads.run_categories(run)
    indicators = reads.indicators_frame(run=run).reindex(chosen.index)
    labels = words.indicator_names(run)
    rows = [(_("Score"), [row[reads.SCORE] for _id, row in chosen.iterrows()], 2),
            (_("Rank"), [row[reads.RANK] for _id, row in chosen.iterrows()], 0)]
    rows += [(words.category_label(value), [row[value] for _id, row in chosen.iterrows()], 2) for value in categories]
    rows += [(labels.get(key, key), indicators[key].tolist(), 2) for key in indicators.columns]
    chart = ""
    if len(chosen) >= 2 and categories:
        values = pd.DataFrame({name: chosen[categories].fillna(0.0).iloc[number].to_numpy(dtype="float64")
                               for number, name in enumerate(names)},
                              index=[words.category_label(value) for value in categories])
        chart = words.figure_html(figures.grouped_bars_figure(values, value_title=_("Score")), "compare-chart")
    cities = [{"city_id": city_id, "name": name, "rank_words": words.rank_in_words(
        rank=int(row[reads.RANK]), cities=len(ranking), low=row[reads.RANK_P05], high=row[reads.RANK_P95])}
        for (city_id, row), name in zip(chosen.iterrows(), names, strict=True)]
    return {"cities": cities, "rows": rows, "chart": chart}


# --- category leaderboards --------------------------------------------------------------------------------
@require_safe
def category_detail(request: HttpRequest, category: str) -> HttpResponse:
    """A category's accounts ranked nationally or in one province: sortable, searchable, exportable."""
    if category not in GovAccount.Category.values:
        raise Http404(_("There is no category “%(value)s”.") % {"value": _echo(category)})
    if request.GET.get("export") in ("csv", "xlsx"):
        run = run_choice_get(request.GET).run
        if run is not None:
            board = _leaderboard_get(request, run, category)
            return _download(_leaderboard_table(board.frame, keys=board.keys, labels=board.labels),
                             file_format=request.GET["export"],
                             name=f"govweibo_{run.scheme.slug}_{run.period_label.replace('/', '~')}_{category}")
    return _page(request, "rankings/category_detail.html", title=words.category_label(category),
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
    notices = []
    provinces = sorted(board["province"].dropna().unique().tolist(), key=place_sort_key)
    province = request.GET.get("province", "").strip()
    province = province_or_none(province) or province  # any spelling: the canonical name
    if province and province not in provinces:
        notices.append(_("There is no province “%(value)s” in this ranking: showing every province.")
                       % {"value": _echo(province)})
        province = ""
    query = request.GET.get("q", "").strip()[:100]
    keys = list(run.definition.indicator_keys)
    sorts = {"rank": "rank_in_category", "account": "screen_name", "city": "city", "score": "composite",
             "reply_rate": "reply_rate", **{key: key for key in keys}}
    sort = request.GET.get("sort", "") or "rank"
    if sort not in sorts:
        notices.append(_("The ranking cannot be sorted by “%(value)s”: sorted by rank instead.") % {"value": _echo(sort)})
        sort = "rank"
    order = request.GET.get("order", "") or ("asc" if sort in ("rank", "account", "city") else "desc")
    if order not in ("asc", "desc"):
        order = "asc" if sort in ("rank", "account", "city") else "desc"
    frame = board
    if province:
        frame = frame[frame["province"] == province]
    if query:
        needle = query.casefold()
        frame = frame[frame["screen_name"].str.casefold().str.contains(needle, regex=False)
                      | frame["city"].str.casefold().str.contains(needle, regex=False)]
    frame = frame.sort_values([sorts[sort], "rank_in_category", "screen_name"],
                              ascending=[order == "asc", True, True], na_position="last", kind="stable",
                              key=lambda column: column.map(place_sort_key) if column.name == "city" else column)
    return Leaderboard(board=board, frame=frame, provinces=provinces, province=province, query=query, sort=sort,
                       order=order, keys=keys, labels=words.indicator_names(run), notices=notices)


def _category_context(request: HttpRequest, category: str) -> dict[str, object]:
    choice = run_choice_get(request.GET)
    notices = list(choice.notices)
    context: dict[str, object] = {"category": category, "category_label": words.category_label(category),
                                  "categories": list(GovAccount.Category), "choice": choice, "notices": notices}
    if choice.run is None:
        return context
    found = _leaderboard_get(request, choice.run, category)
    notices += found.notices
    frame, keys, labels, sort, order = found.frame, found.keys, found.labels, found.sort, found.order
    if "export" in request.GET:
        notices.append(_("“%(value)s” is not a download format (csv or xlsx).") % {"value": _echo(request.GET["export"])})
    params = {"scheme": choice.run.scheme.slug, "period": choice.run.period_label, "province": found.province,
              "q": found.query, "sort": sort if sort != "rank" else "", "order": order if sort != "rank" else ""}
    params = {key: value for key, value in params.items() if value}
    page = _page_get(Paginator(range(len(frame)), LEADERBOARD_PER_PAGE), request.GET.get("page"), notices)
    shown = frame.iloc[page.start_index() - 1:page.end_index()] if len(frame) else frame
    columns = [("rank", _("Rank"), True), ("account", _("Account"), False), ("city", pgettext_city(), False),
               ("score", _("Score"), True), *[(key, labels.get(key, key), True) for key in keys],
               ("flags", _("Diagnostics"), False), ("reply_rate", _("Reply rate"), True)]
    headers = []
    for key, label, numeric in columns:
        current = order if sort == key else ""
        next_order = ("desc" if current == "asc" else "asc") if current else (
            "asc" if key in ("rank", "account", "city") else "desc")
        headers.append({"key": key, "label": label, "numeric": numeric, "sorted": current,
                        "sortable": key != "flags",
                        "url": "?" + urlencode({**params, "sort": key, "order": next_order})})
    rows = [{**item, "city_label": city_name(item["city"], item["city_en"]), "flags": words.account_flags(item),
             "indicators": [item[key] for key in keys]} for item in shown.to_dict("records")]
    return context | {
        "run": choice.run, "provinces": [(name, province_name(name)) for name in found.provinces],
        "province": found.province, "query": found.query, "headers": headers, "rows": rows, "page": page,
        "params": params, "page_query": urlencode(params) + "&" if params else "", "total": len(found.board),
        "shown": len(frame),
        "export_csv": "?" + urlencode({**params, "export": "csv"}),
        "export_xlsx": "?" + urlencode({**params, "export": "xlsx"}),
        "keep_body": pagecache.keepable(choice.run) and not notices,  # rankings.pagecache
    }


def pgettext_city() -> str:
    return pgettext("ranking column", "City")


def _leaderboard_table(frame: pd.DataFrame, *, keys: list[str], labels: dict[str, str]) -> pd.DataFrame:
    """The leaderboard as the page shows it (all pages), for download."""
    table = pd.DataFrame({
        _("Rank"): frame["rank_in_category"].to_numpy(),
        _("Account"): frame["screen_name"].to_numpy(),
        pgettext_city(): [city_name(name, name_en) for name, name_en in zip(frame["city"], frame["city_en"],
                                                                           strict=True)],
        _("Province"): [province_name(name) for name in frame["province"]],
        _("Score"): frame["composite"].round(2).to_numpy(),
    })
    for key in keys:
        table[labels.get(key, key)] = frame[key].round(2).to_numpy()
    table[_("Diagnostics")] = [", ".join(flag.label for flag in words.account_flags(item))
                               for item in frame.to_dict("records")]
    table[_("Reply rate")] = frame["reply_rate"].round(4).to_numpy()
    return table


def _download(table: pd.DataFrame, *, file_format: str, name: str) -> HttpResponse:
    body = csv_bytes(table, bom=True) if file_format == "csv" else xlsx_bytes(table, sheet_name=name[-31:])
    response = HttpResponse(body, content_type=exporting.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


# --- the account page -------------------------------------------------------------------------------------
@require_safe
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    """An account: its metrics per period (chart and table), its indicator scores (raw and normalised)
    and rank history in the chosen scheme, and its diagnostics with the rule behind each."""
    account = account_reads.account_get(account_id=account_id)
    if account is None:
        raise Http404(_("There is no account #%(id)s.") % {"id": account_id})

    def context() -> dict[str, object]:
        choice = run_choice_get(request.GET)
        metrics = account_reads.account_metrics_frame(account_id=account.pk)
        labels = {column: str(label) for column, label in METRIC_LABELS.items()}
        history = (account_reads.account_history_frame(account_id=account.pk, scheme=choice.scheme, runs=choice.runs)
                   if choice.scheme else pd.DataFrame())
        shown: dict[str, object] = {
            "account": account, "choice": choice, "city_label": city_name(account.city.name, account.city.name_en),
            "category_label": words.category_label(account.category),
            "metric_labels": list(labels.values()),
            "metrics": [{"period": item["period"], "values": [item[column] for column in labels]}
                        for item in metrics.to_dict("records")],
            "metrics_chart": words.figure_html(figures.metrics_figure(metrics, period="period", columns=labels),
                                               "metrics-chart") if len(metrics) else "",
        }
        if len(history):
            shown |= _account_history_context(choice, history)
        return shown | {"keep_body": pagecache.keepable(choice.run) and not choice.notices}

    return _page(request, "rankings/account_detail.html", title=account.screen_name, params=ACCOUNT_PARAMS,
                 context=context)


def _account_history_context(choice: RunChoice, history: pd.DataFrame) -> dict[str, object]:
    names = words.indicator_names(choice.run) if choice.run else {}
    current = history[history["run_id"] == choice.run.pk] if choice.run else history.tail(1)
    current = current if len(current) else history.tail(1)
    latest = current.iloc[0].to_dict()
    keys = [key for key in names if key in history.columns]
    indicators = [{"label": names[key], "key": key, "raw": latest.get(f"raw__{key}"), "normalised": latest.get(key)}
                  for key in keys]
    # Months, quarters and years are not one series: the chart follows the shown run's kind of period, the
    # table lists every kind, each under its name (the shown kind first).
    shown_kind = Period(latest["period_start"], latest["period_end"])
    like = [Period(start, end).is_like(shown_kind) for start, end in zip(history["period_start"],
                                                                           history["period_end"], strict=True)]
    rank_history = [{"period": item["period"], "composite": item["composite"], "rank": item["rank_in_category"],
                     "of": item["category_accounts"], "kind": words.period_kind_label(Period(
                         item["period_start"], item["period_end"]).kind), "like": alike}
                    for item, alike in zip(history.to_dict("records"), like, strict=True)]
    rank_history.sort(key=lambda item: not item["like"])
    chart, series = "", history[like]
    if len(series) > 1:
        chart = words.figure_html(figures.history_figure(
            series, period="period", score="composite", rank="rank_in_category",
            score_label=_("Score"), rank_label=_("Rank in category")), "history-chart")
    return {"latest": latest, "latest_period": latest["period"], "indicators": indicators,
            "history_kind": words.period_kind_label(shown_kind.kind),
            "rank_history": rank_history, "history_chart": chart, "flags": words.account_flags(latest),
            "reply_words": words.reply_rate_in_words(latest.get("reply_rate")),
            "scheme_name": in_language(choice.run.definition.name, choice.run.definition.name_en)
            if choice.run else ""}


def _page_get(paginator: Paginator, number: str | None, notices: list[str]) -> Page:
    """The page `number` of `paginator`; the first, and a notice, for a number that is not one of its pages."""
    if number not in (None, "") and not (number.isdigit() and 1 <= int(number) <= paginator.num_pages):
        notices.append(_("There is no page “%(value)s”: showing page 1.") % {"value": _echo(number)})
        number = "1"
    return paginator.get_page(number)


def _echo(value: str) -> str:
    return value if len(value) <= ECHO_CHARS else value[:ECHO_CHARS] + "…"



# --- the method page --------------------------------------------------------------------------------------
@require_safe
def methodology(request: HttpRequest, slug: str = "", version: int | None = None) -> HttpResponse:
    """A scheme version's method, generated from its document: /methodology/ (the default scheme),
    /methodology/<slug>/ (its current version), /methodology/<slug>/v<version>/; ?compare=<version>
    lists what changed from that version to this one."""
    schemes = list(selectors.scheme_list())
    scheme = (next((item for item in schemes if item.slug == slug), None) if slug
              else selectors.scheme_default_get(among=schemes))
    if scheme is None:
        raise Http404(_("There is no scoring scheme “%(value)s”.") % {"value": _echo(slug)})
    versions = methods.scheme_versions(scheme=scheme)
    shown = methods.scheme_version_get(scheme=scheme, version=scheme.version if version is None else version)
    if shown is None:
        raise Http404(_("Scheme “%(scheme)s” has no version %(version)s.") % {"scheme": scheme.slug, "version": version})
    notices, changes, compared = [], None, None
    other = request.GET.get("compare", "").strip().removeprefix("v")
    if other:
        compared = methods.scheme_version_get(scheme=scheme, version=int(other)) if other.isdigit() else None
        if compared is None:
            notices.append(_("Scheme “%(scheme)s” has no version %(version)s.") % {"scheme": scheme.slug,
                                                                                   "version": _echo(other)})
        else:
            changes = methods.versions_compare(compared.definition, shown.definition)
    definition = shown.definition
    return render(request, "rankings/methodology.html", {
        "schemes": schemes, "scheme": scheme, "shown": shown, "versions": versions, "notices": notices,
        "indicators": methods.indicator_rows(definition),
        "category_weights": methods.category_weight_rows(definition),
        "settings": methods.settings_rows(definition),
        "uncertainty": methods.uncertainty_text(definition),
        "changes": changes, "compared": compared,
    })
