"""A run's pages: the run list, a run's page (its status, refreshing while it runs; method, chart, city
and account rankings, downloads), and the two writes (start a run, publish a run) for users with the
permission “Can start score runs”.

Drafts (runs not published) are shown only to users who may see them (rankings.selectors.visibility):
to everyone else a draft's page and downloads are a 404, the same as a run that does not exist, so
draft ids do not leak, and the run list shows published runs only. A draft's page is clearly labelled.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import GovAccount
from core.responses import error_status
from core.views import post_else_redirect
from rankings import exporting, permissions, selectors, services
from rankings.forms import RunStartForm
from rankings.labels import scheme_name
from rankings.models import ScoreRun
from rankings.presentation import charts
from rankings.presentation.method import run_method_get
from rankings.selectors import cities as city_reads
from rankings.selectors.visibility import runs_visible_to
from rankings.views.common import ranking_table_get, run_or_404, run_permission_required, table_chart
from rankings.views.exports import run_export_response, table_export_response
from rankings.views.whatif import whatif_context

ACCOUNTS_PER_PAGE = 50
RUNS_PER_PAGE = 50
REFRESH_SECONDS = 3


@require_safe
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """Any run: its status (refreshing while it runs), method, chart, city and account rankings.

    `?province=` narrows the chart and the city table to one province (ranks stay national).
    `?format=csv|xlsx` (with `level=city|account`) downloads the ranking instead.
    """
    run = run_or_404(request, run_id)
    if "format" in request.GET:
        return run_export_response(request, run)
    table = ranking_table_get(run, request.GET) if run.is_succeeded else None
    if table is not None and "export" in request.GET:
        response = table_export_response(request, table)
        if response is not None:
            return response
    shown = len(table.frame) if table else 0
    return render(request, "rankings/run_detail.html", {
        "run": run,
        "table": table,
        "scheme_name": scheme_name(run),
        "method": run_method_get(run=run),
        "chart": table_chart(table) if shown else "",
        "distribution": charts.table_distribution_html(table) if shown > 1 else "",
        "whatif": whatif_context(run, table.ranking, request.GET) if table and table.total else None,
        "chart_cities": min(shown, charts.CHART_CITIES),
        "refresh_seconds": None if run.finished else REFRESH_SECONDS,
        "can_publish": permissions.user_can_run_scores(request.user) and run.can_be_published,
        "export_formats": exporting.FORMATS,
    } | _accounts_context(request, run))


def _accounts_context(request: HttpRequest, run: ScoreRun) -> dict[str, object]:
    """The account ranking's tabs (the categories the run ranked) and the page of the chosen one."""
    sizes = city_reads.category_sizes(run=run) if run.is_succeeded else {}
    account_categories = [item for item in GovAccount.Category if item.value in sizes]
    categories = [item.value for item in account_categories]
    category = request.GET.get("category") if request.GET.get("category") in categories else None
    category = category or (categories[0] if categories else None)
    accounts = Paginator(selectors.account_ranking_list(run=run, category=category), ACCOUNTS_PER_PAGE)
    return {"account_categories": account_categories, "category": category,
            "accounts": accounts.get_page(request.GET.get("page")) if category else None}


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
    status = 400  # a form that is not valid
    if form.is_valid():
        try:
            run = services.score_run_start(
                scheme=form.cleaned_data["scheme"], period=form.cleaned_data["period"],
                publish=form.cleaned_data["publish"], user=request.user,
            )
        except services.ScoringError as error:
            status, _code = error_status(error)
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Run #%(id)s started.") % {"id": run.pk})
            return redirect("rankings:run_detail", run_id=run.pk)
    return _run_list_page(request, form=form, status=status)


@post_else_redirect(lambda run_id: reverse("rankings:run_detail", args=[run_id]))
@run_permission_required
def run_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    """Publish a run that succeeded: it becomes the ranking the home page and the API show, and names
    who published it."""
    run = run_or_404(request, run_id)
    try:
        run = services.score_run_publish(run=run, by=request.user)
    except services.ScoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Run #%(id)s is now the published ranking of %(period)s.")
                         % {"id": run.pk, "period": run.period_label})
    return redirect("rankings:run_detail", run_id=run_id)


def _run_list_page(request: HttpRequest, *, form: RunStartForm | None, status: int = 200) -> HttpResponse:
    visible = runs_visible_to(request.user, selectors.run_list())
    runs = Paginator(visible, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rankings/run_list.html", {"runs": runs, "form": form}, status=status)


def _start_initial() -> dict[str, object]:
    scheme = selectors.scheme_default_get()
    return {"scheme": scheme.slug if scheme else None}
