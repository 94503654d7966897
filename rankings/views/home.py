"""The home page: what has been imported, and the published city ranking of the chosen scheme and
period (rankings.selectors.resolution: a scheme or period that is not found falls back to the default,
and a notice says so and what is shown). The page's body is kept in the cache for a published run
(rankings.pagecache): a visit that finds it costs one query."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import selectors as account_selectors
from rankings import pagecache
from rankings.forms import RankingChoiceForm
from rankings.presentation import charts
from rankings.selectors.rankings import city_ranking_heading
from rankings.selectors.resolution import RunChoice, run_resolve
from rankings.selectors.visibility import run_is_cacheable
from rankings.views.common import ranking_table_get, table_chart
from rankings.views.exports import table_export_response
from rankings.views.whatif import whatif_context

# The query parameters whose bodies are kept (rankings.pagecache): not the free-text search (q), the
# what-if weights (w) or a download (export).
HOME_PARAMS = frozenset({"scheme", "period", "sort", "order", "province", "page"})


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The overview and the chosen ranking; ?export=csv|xlsx downloads the ranking table as shown."""
    if "export" in request.GET:
        choice = run_resolve(params=request.GET, user=request.user)
        if choice.run is not None:
            response = table_export_response(request, ranking_table_get(choice.run, request.GET))
            if response is not None:
                return response
    key = pagecache.body_key(request, params=HOME_PARAMS)
    body = pagecache.body_get(key, request, "rankings/home.html", lambda: _home_context(request))
    return render(request, "rankings/page.html", {"title": _("Overview"), "body": body})


def _home_context(request: HttpRequest) -> dict[str, object]:
    choice = run_resolve(params=request.GET, user=request.user)
    table = ranking_table_get(choice.run, request.GET) if choice.run else None
    if table is not None and "export" in request.GET:
        table_export_response(request, table)  # not a download format: it adds the notice
    return {
        "overview": account_selectors.data_overview(),
        "choice": choice,
        "ranking": city_ranking_heading(run=choice.run) if choice.run else None,
        "choice_form": _choice_form(choice),
        "notices": choice.notices,
        # rankings.pagecache: a published run's body is kept, not one with notices about made-up values.
        "keep_body": bool(run_is_cacheable(choice.run) and not choice.notices and not table.notices),
        "table": table,
        "whatif": whatif_context(table.run, table.ranking, request.GET) if table and table.total else None,
        "chart": table_chart(table) if table and len(table.frame) else "",
        "chart_cities": min(len(table.frame), charts.CHART_CITIES) if table else 0,
    }


def _choice_form(choice: RunChoice) -> RankingChoiceForm:
    return RankingChoiceForm(schemes=choice.schemes, periods=choice.periods, initial={
        "scheme": choice.scheme.slug if choice.scheme else "",
        "period": choice.period.label if choice.period else "",
    })
