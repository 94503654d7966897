"""A city (/cities/<id>/) and two to four cities side by side (/cities/compare/), in the published run
the query chooses (rankings.selectors.resolution). Selectors read (rankings.selectors.cities, as
DataFrames), presentation words and draws (rankings.presentation.city), these views join them."""
from __future__ import annotations

import pandas as pd
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import City
from rankings.labels import city_name, province_name, scheme_name
from rankings.presentation import city as words
from rankings.selectors import cities as reads
from rankings.selectors.resolution import run_resolve
from rankings.selectors.visibility import run_is_cacheable
from rankings.views.common import page_get, page_render

CITY_ACCOUNTS_PER_PAGE = 50
# The query parameters whose page bodies are kept (rankings.pagecache).
CITY_PARAMS = frozenset({"scheme", "period", "page"})


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
        choice = run_resolve(params=request.GET, user=request.user)
        breakdown = reads.city_breakdown_get(run=choice.run, city_id=city.pk) if choice.run else None
        shown = {"city": city, "city_label": label, "province_label": province_name(city.province_id),
                 "choice": choice, "breakdown": breakdown}
        if breakdown is not None:
            shown |= _city_context(breakdown, accounts_page=request.GET.get("page"))
        notices = [*choice.notices, *shown.get("notices", [])]
        return shown | {"notices": notices, "keep_body": run_is_cacheable(choice.run) and not notices}

    return page_render(request, "rankings/city_detail.html", title=label, params=CITY_PARAMS, context=context)


def _city_context(breakdown: reads.CityBreakdown, *, accounts_page: str | None) -> dict[str, object]:
    run, row = breakdown.run, breakdown.row
    indicators = _indicator_rows(breakdown)
    notices: list[str] = []
    page = page_get(Paginator(range(len(breakdown.accounts)), CITY_ACCOUNTS_PER_PAGE), accounts_page, notices)
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
    history = breakdown.history
    return {
        "scheme_name": scheme_name(run),
        "score": row[reads.SCORE],
        "rank_words": words.rank_in_words(rank=int(row[reads.RANK]), cities=len(breakdown.ranking),
                                          low=row[reads.RANK_P05], high=row[reads.RANK_P95]),
        "change_words": words.change_in_words(rank_change=row[reads.RANK_CHANGE], is_new=bool(row[reads.IS_NEW])),
        "categories": categories,
        "category_chart": words.categories_chart_html(breakdown.categories) if categories else "",
        "indicators": indicators,
        "strengths": [item for item in indicators if item["key"] in set(breakdown.strengths[reads.INDICATOR])],
        "weaknesses": [item for key in breakdown.weaknesses[reads.INDICATOR] for item in indicators
                       if item["key"] == key],
        "history": [{**item, "change": words.change_in_words(rank_change=item[reads.RANK_CHANGE], is_new=False)}
                    for item in history.to_dict("records")],
        "history_chart": words.history_chart_html(history) if len(history) > 1 else "",
        "accounts": _account_rows(breakdown.accounts, page),
        "accounts_page": page,
        "similar": similar,
        "compare_ids": ",".join(str(item["city_id"]) for item in similar[:3]),
        "notices": notices,
    }


def _indicator_rows(breakdown: reads.CityBreakdown) -> list[dict[str, object]]:
    names = words.indicator_names(breakdown.run)
    return [
        {"key": item[reads.INDICATOR], "label": names.get(item[reads.INDICATOR], item[reads.INDICATOR]),
         "value": item[reads.VALUE], "percentile": item[reads.PERCENTILE], "median": item[reads.NATIONAL_MEDIAN]}
        for item in breakdown.indicators.to_dict("records")
    ]


def _account_rows(accounts: pd.DataFrame, page: object) -> list[dict[str, object]]:
    """The city's accounts on the shown page, with their category, flags and reply rate in words."""
    shown = accounts.iloc[page.start_index() - 1:page.end_index()] if len(accounts) else []
    return [{**item, "category_label": words.category_label(item["category"]), "flags": words.account_flags(item),
             "reply_words": words.reply_rate_in_words(item["reply_rate"])}
            for item in (shown.to_dict("records") if len(shown) else [])]
