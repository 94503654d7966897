"""What the rankings views share: a page body kept in the cache, a run by id for this user, the city
ranking table as the query asks for it, and a page of a list with its notice."""
from __future__ import annotations

import json
from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.provinces import province_or_none
from core.text import echo
from rankings import pagecache, permissions, selectors
from rankings.models import ScoreRun
from rankings.presentation import charts, tables
from rankings.selectors import cities as city_reads
from rankings.selectors.visibility import run_visible_to

View = Callable[..., HttpResponse]
MAX_QUERY = 100  # a free-text search is cut there


def run_permission_required(view: View) -> View:
    """Anonymous users go to the login page; signed-in users without “Can start score runs” get 403."""
    return login_required(permission_required(permissions.RUN_PERMISSION, raise_exception=True)(view))


def run_or_404(request: HttpRequest, run_id: int) -> ScoreRun:
    """The run, if this user may see it. A draft is a 404 for others, not a 403: its id stays secret."""
    run = selectors.run_get(run_id=run_id)
    if run is None or not run_visible_to(request.user, run):
        raise Http404(_("There is no run #%(id)s.") % {"id": run_id})
    return run


def page_render(request: HttpRequest, template: str, *, title: str, params: frozenset[str],
                context: Callable[[], dict[str, object]]) -> HttpResponse:
    """`template` (a page body) inside base.html. The body is read from the cache, or rendered from
    `context()` and kept when that context says so (rankings.pagecache: a published run, no notice)."""
    body = pagecache.body_get(pagecache.body_key(request, params=params), request, template, context)
    return render(request, "rankings/page.html", {"title": title, "body": body})


def page_get(paginator: Paginator, number: str | None, notices: list[str]) -> Page:
    """The page `number` of `paginator`; the first, and a notice, for a number that is not one of its pages."""
    if number not in (None, "") and not (number.isdigit() and 1 <= int(number) <= paginator.num_pages):
        notices.append(_("There is no page “%(value)s”: showing page 1.") % {"value": echo(number)})
        number = "1"
    return paginator.get_page(number)


def table_asked(params: QueryDict) -> tables.TableAsked:
    """What the query asks of the city ranking table (rankings.presentation.tables): any spelling of a
    province (湖南省, Hunan) as its canonical name, the search cut to MAX_QUERY characters."""
    province = params.get("province", "").strip()
    return tables.TableAsked(
        scheme=params.get("scheme", ""), period=params.get("period", ""),
        province=province_or_none(province) or province, query=params.get("q", "").strip()[:MAX_QUERY],
        sort=params.get("sort", "").strip(), order=params.get("order", "").strip(), page=params.get("page", "1"),
    )


def ranking_table_get(run: ScoreRun, params: QueryDict) -> tables.RankingTable:
    """The run's city ranking as the query asks. Two queries (the cities, their category scores), none
    for a published run already in the cache."""
    return tables.ranking_table_build(run=run, ranking=city_reads.city_ranking_frame(run=run),
                                      categories=city_reads.run_categories(run), asked=table_asked(params))


def table_chart(table: tables.RankingTable) -> str:
    """The table's chart, cached for a published run (city_reads.run_cached) per language and per the
    parameters that choose its rows: rendering a Plotly figure costs more than reading the ranking."""
    chosen = json.dumps([get_language(), table.sort, table.order, table.province, table.query], ensure_ascii=False)
    return city_reads.run_cached(table.run, "chart:" + chosen, lambda: charts.table_chart_html(table))
