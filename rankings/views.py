"""The ranking pages: the home page with the published ranking, a run's page, the run list, and the
two writes (start a run, publish a run) for users with the permission “Can start score runs”.

Drafts (runs not published: pending, running, failed, or succeeded but unpublished) are shown only to
users who may see them (rankings.permissions.user_can_see_drafts): to everyone else a draft's page and
downloads are a 404, the same as a run that does not exist, so draft ids do not leak, and the run list
shows published runs only. A draft's page is clearly labelled and refreshes itself while it runs.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts import selectors as account_selectors
from accounts.models import GovAccount
from core.periods import Period, PeriodError, parse_period
from core.throttling import page_export_refused
from rankings import exporting, pagecache, permissions, selectors, services
from rankings.forms import RankingChoiceForm, RunStartForm
from rankings.labels import scheme_name
from rankings.models import ScoreRun, ScoringScheme
from rankings.presentation import charts, tables, whatif
from rankings.presentation.method import run_method_get
from rankings.selectors import cities as city_reads

ACCOUNTS_PER_PAGE = 50
# The home page's query parameters whose bodies are kept (rankings.pagecache): not the free-text search
# (q), the what-if weights (w) or a download (export).
HOME_PARAMS = frozenset({"scheme", "period", "sort", "order", "province", "page"})
RUNS_PER_PAGE = 50
REFRESH_SECONDS = 3
ECHO_CHARS = 50  # a value echoed back in a notice is cut there, and “…” added


View = Callable[..., HttpResponse]


def run_permission_required(view: View) -> View:
    """Anonymous users go to the login page; signed-in users without “Can start score runs” get 403."""
    return login_required(permission_required(permissions.RUN_PERMISSION, raise_exception=True)(view))


def post_else_redirect(page: Callable[..., str]) -> Callable[[View], View]:
    """POST runs the view; GET or HEAD (a followed link, a bookmark, a reload after a refused form) is
    sent to `page(**url_kwargs)`, the page holding the form, instead of a blank 405."""
    def decorator(view: View) -> View:
        @wraps(view)
        @require_http_methods(["GET", "HEAD", "POST"])
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            return view(request, *args, **kwargs) if request.method == "POST" else redirect(page(**kwargs))
        return wrapper
    return decorator


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What has been imported, and the published city ranking of the chosen scheme and period.

    A scheme or period that is not found falls back to the default; a notice says so, and what is shown.
    The page's body is kept in the cache for a published run (rankings.pagecache): a visit that finds
    it costs one query.
    """
    if "export" in request.GET:
        choice, _period = _home_choice(request)
        if choice.ranking:
            table = tables.ranking_table_get(run=choice.ranking.run, params=request.GET)
            response = _table_export_response(request, table)
            if response is not None:
                return response
    key = pagecache.body_key(request, params=HOME_PARAMS)
    body = pagecache.body_get(key, request, "rankings/home.html", lambda: _home_context(request))
    return render(request, "rankings/page.html", {"title": _("Overview"), "body": body})


def _home_choice(request: HttpRequest) -> tuple[selectors.HomeRanking, Period | None]:
    period = _period_or_none(request.GET.get("period", "").strip())
    choice = selectors.home_ranking_get(
        scheme_slug=request.GET.get("scheme", "").strip(), period_label=period.label if period else "", rows=False,
    )
    return choice, period


def _home_context(request: HttpRequest) -> dict[str, object]:
    choice, period = _home_choice(request)
    scheme_slug, period_text = request.GET.get("scheme", "").strip(), request.GET.get("period", "").strip()
    table = tables.ranking_table_get(run=choice.ranking.run, params=request.GET) if choice.ranking else None
    if table is not None and "export" in request.GET:
        _table_export_response(request, table)  # not a download format: it adds the notice
    form = RankingChoiceForm(schemes=choice.schemes, periods=choice.periods, initial={
        "scheme": choice.scheme.slug if choice.scheme else "",
        "period": choice.period.label if choice.period else "",
    })
    notices = _home_notices(choice, scheme_slug=scheme_slug, period_text=period_text, period=period)
    return {
        "overview": account_selectors.data_overview(),
        "choice": choice,
        "ranking": choice.ranking,
        "choice_form": form,
        "notices": notices,
        # rankings.pagecache: a published run's body is kept, not one with notices about made-up values.
        "keep_body": bool(choice.ranking and pagecache.keepable(choice.ranking.run) and not notices
                          and not table.notices),
        "table": table,
        "whatif": whatif.whatif_data(run=table.run, ranking=table.ranking, params=request.GET) if table and table.total else None,
        "chart": _table_chart(table) if table and len(table.frame) else "",
        "chart_cities": min(len(table.frame), charts.CHART_CITIES) if table else 0,
    }


@require_safe
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """Any run: its status (refreshing while it runs), method, chart, city and account rankings.

    `?province=` narrows the chart and the city table to one province (ranks stay national).
    `?format=csv|xlsx` (with `level=city|account`) downloads the ranking instead.
    """
    run = _run_or_404(request, run_id)
    if "format" in request.GET:
        return _export_response(request, run)
    table = tables.ranking_table_get(run=run, params=request.GET) if run.is_succeeded else None
    if table is not None and "export" in request.GET:
        response = _table_export_response(request, table)
        if response is not None:
            return response
    sizes = city_reads.category_sizes(run=run) if run.is_succeeded else {}
    account_categories = [item for item in GovAccount.Category if item.value in sizes]
    categories = [item.value for item in account_categories]
    category = request.GET.get("category") if request.GET.get("category") in categories else None
    category = category or (categories[0] if categories else None)
    accounts = Paginator(selectors.account_ranking_list(run=run, category=category), ACCOUNTS_PER_PAGE)
    shown = len(table.frame) if table else 0
    return render(request, "rankings/run_detail.html", {
        "run": run,
        "table": table,
        "scheme_name": scheme_name(run),
        "account_categories": account_categories,
        "method": run_method_get(run=run),
        "chart": _table_chart(table) if shown else "",
        "distribution": charts.table_distribution_html(table) if shown > 1 else "",
        "whatif": whatif.whatif_data(run=run, ranking=table.ranking, params=request.GET) if table and table.total else None,
        "chart_cities": min(shown, charts.CHART_CITIES),
        "category": category,
        "accounts": accounts.get_page(request.GET.get("page")) if category else None,
        "refresh_seconds": None if run.finished else REFRESH_SECONDS,
        "can_publish": permissions.user_can_run_scores(request.user) and run.can_be_published,
        "export_formats": exporting.FORMATS,
    })


@require_safe
def run_list(request: HttpRequest) -> HttpResponse:
    """Recent runs with their status, newest first; the form to start one for those allowed to."""
    allowed = permissions.user_can_run_scores(request.user)
    return _run_list_page(request, form=RunStartForm(initial=_start_initial()) if allowed else None)


@post_else_redirect(lambda: reverse("rankings:run_list") + "#run-start")
@run_permission_required
def run_start(request: HttpRequest) -> HttpResponse:
    """Start a run from the “compute a ranking” form, then show its page (which follows its progress)."""
    form = RunStartForm(request.POST)
    if form.is_valid():
        try:
            run = services.score_run_start(
                scheme=form.cleaned_data["scheme"], period=form.cleaned_data["period"],
                publish=form.cleaned_data["publish"], user=request.user,
            )
        except services.ScoringError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Run #%(id)s started.") % {"id": run.pk})
            return redirect("rankings:run_detail", run_id=run.pk)
    return _run_list_page(request, form=form, status=400)


@post_else_redirect(lambda run_id: reverse("rankings:run_detail", args=[run_id]))
@run_permission_required
def run_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    """Publish a run that succeeded: it becomes the ranking the home page and the API show."""
    run = _run_or_404(request, run_id)
    try:
        run = services.score_run_publish(run=run)
    except services.ScoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Run #%(id)s is now the published ranking of %(period)s.")
                         % {"id": run.pk, "period": run.period_label})
    return redirect("rankings:run_detail", run_id=run_id)


# --- helpers ----------------------------------------------------------------------------------------------
def _run_or_404(request: HttpRequest, run_id: int) -> ScoreRun:
    """The run, if this user may see it. A draft is a 404 for others, not a 403: its id stays secret."""
    run = selectors.run_get(run_id=run_id)
    if run is None or not permissions.user_can_see_run(request.user, run):
        raise Http404(_("There is no run #%(id)s.") % {"id": run_id})
    return run


def _period_or_none(text: str) -> Period | None:
    """The period the text names, in any spelling the import accepts (2012-03, 2012年3月 …), else None."""
    try:
        return parse_period(text) if text else None
    except PeriodError:
        return None


def _home_notices(
    choice: selectors.HomeRanking, *, scheme_slug: str, period_text: str, period: Period | None
) -> list[str]:
    """What the visitor asked for and did not get, each with what the page shows instead."""
    notices = []
    if scheme_slug and (choice.scheme is None or choice.scheme.slug != scheme_slug):
        notices.append(_scheme_notice(scheme_slug, shown=choice.scheme))
    if period_text and choice.period is None and choice.ranking is not None:  # no ranking: the page says so
        notices.append(_period_notice(period_text, period=period, choice=choice))
    return notices


def _echo(value: str) -> str:
    return value if len(value) <= ECHO_CHARS else value[:ECHO_CHARS] + "…"


def _scheme_notice(slug: str, *, shown: ScoringScheme | None) -> str:
    value = _echo(slug)
    if shown is None:
        return _("There is no scoring scheme “%(value)s”.") % {"value": value}
    return _("There is no scoring scheme “%(value)s”: showing “%(scheme)s” instead.") % {
        "value": value, "scheme": shown.name,
    }


def _period_notice(text: str, *, period: Period | None, choice: selectors.HomeRanking) -> str:
    latest = choice.ranking.run.period_label
    if period is None:
        return _("“%(value)s” is not a period (e.g. 2012-03, 2012-Q1 or 2012): showing the latest published "
                 "period, %(latest)s, instead.") % {"value": _echo(text), "latest": latest}
    return _("“%(scheme)s” has no published ranking for %(period)s: showing the latest published period, "
             "%(latest)s, instead.") % {"scheme": choice.scheme.name, "period": period.label, "latest": latest}


def _run_list_page(request: HttpRequest, *, form: RunStartForm | None, status: int = 200) -> HttpResponse:
    visible = permissions.runs_visible_to(request.user, selectors.run_list())
    runs = Paginator(visible, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rankings/run_list.html", {"runs": runs, "form": form}, status=status)


def _start_initial() -> dict[str, object]:
    scheme = selectors.scheme_default_get()
    return {"scheme": scheme.slug if scheme else None}


def _export_response(request: HttpRequest, run: ScoreRun) -> HttpResponse:
    file_format, level = request.GET.get("format"), request.GET.get("level", "city")
    if file_format not in exporting.FORMATS or level not in exporting.LEVELS:
        return HttpResponseBadRequest(_("Unknown export: use format=csv or xlsx and level=city or account."))
    if not run.is_succeeded:
        raise Http404(_("Run #%(id)s has no ranking to export: it is %(status)s.")
                      % {"id": run.pk, "status": run.status_label})
    refused = page_export_refused(request)  # the API's download rate (API_THROTTLE_EXPORT)
    if refused is not None:
        return refused
    body = exporting.ranking_export(run=run, level=level, file_format=file_format, bom=True)
    response = HttpResponse(body, content_type=exporting.CONTENT_TYPES[file_format])
    name = exporting.ranking_file_name(run=run, level=level, file_format=file_format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _table_export_response(request: HttpRequest, table: tables.RankingTable) -> HttpResponse | None:
    """The table's rows as a CSV (UTF-8 with a BOM) or XLSX download; None (and a notice on the page)
    for a format that is neither."""
    file_format = request.GET.get("export", "")
    if file_format not in tables.EXPORT_FORMATS:
        table.notices.append(_("“%(value)s” is not a download format (csv or xlsx).") % {"value": _echo(file_format)})
        return None
    refused = page_export_refused(request)  # the API's download rate (API_THROTTLE_EXPORT)
    if refused is not None:
        return refused
    body = tables.ranking_table_export(table, file_format=file_format)
    response = HttpResponse(body, content_type=exporting.CONTENT_TYPES[file_format])
    name = tables.ranking_table_file_name(table, file_format=file_format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _table_chart(table: tables.RankingTable) -> str:
    """The table's chart, cached for a published run (city_reads.run_cached) per language and per the
    parameters that choose its rows: rendering a Plotly figure costs more than reading the ranking."""
    chosen = json.dumps([get_language(), table.sort, table.order, table.province, table.query], ensure_ascii=False)
    key = "chart:" + hashlib.sha256(chosen.encode()).hexdigest()
    return city_reads.run_cached(table.run, key, lambda: charts.table_chart_html(table))
