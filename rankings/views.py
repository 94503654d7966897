"""The ranking pages: the home page with the published ranking, a run's page, the run list, and the
two writes (start a run, publish a run) for users with the permission “Can start score runs”.

Pages show only published rankings, except a run's own page, which shows any run asked for by id
(clearly labelled when it is not published, and refreshing itself while it runs).
"""
from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import selectors as account_selectors
from rankings import exporting, selectors, services
from rankings.forms import RankingChoiceForm, RunStartForm
from rankings.models import ScoreRun
from rankings.permissions import user_can_run_scores
from rankings.presentation.charts import CHART_CITIES, city_chart_html, score_distribution_html
from rankings.presentation.method import run_method_get

RUN_PERMISSION = "rankings.run_scores"
HOME_ROWS = 20
ACCOUNTS_PER_PAGE = 50
RUNS_PER_PAGE = 50
REFRESH_SECONDS = 3


def run_permission_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users go to the login page; signed-in users without “Can start score runs” get 403."""
    return login_required(permission_required(RUN_PERMISSION, raise_exception=True)(view))


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What has been imported, and the published city ranking of the chosen scheme and period."""
    choice = selectors.home_ranking_get(
        scheme_slug=request.GET.get("scheme", ""), period_label=request.GET.get("period", ""),
        limit=HOME_ROWS,
    )
    form = RankingChoiceForm(schemes=choice.schemes, periods=choice.periods, initial={
        "scheme": choice.scheme.slug if choice.scheme else "",
        "period": choice.period.label if choice.period else "",
    })
    return render(request, "rankings/home.html", {
        "overview": account_selectors.data_overview(),
        "choice": choice,
        "ranking": choice.ranking,
        "choice_form": form,
    })


@require_safe
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """Any run: its status (refreshing while it runs), method, chart, city and account rankings.

    `?province=` narrows the chart and the city table to one province (ranks stay national).
    `?format=csv|xlsx` (with `level=city|account`) downloads the ranking instead.
    """
    run = selectors.run_get(run_id=run_id)
    if run is None:
        raise Http404(_("There is no run #%(id)s.") % {"id": run_id})
    if "format" in request.GET:
        return _export_response(request, run)
    provinces = selectors.run_provinces(run=run)
    province = request.GET.get("province") if request.GET.get("province") in provinces else None
    ranking = selectors.city_ranking_get(run=run, province=province)
    categories = [category.value for category in ranking.categories]
    category = request.GET.get("category") if request.GET.get("category") in categories else None
    category = category or (categories[0] if categories else None)
    accounts = Paginator(selectors.account_ranking_list(run=run, category=category), ACCOUNTS_PER_PAGE)
    return render(request, "rankings/run_detail.html", {
        "run": run,
        "ranking": ranking,
        "provinces": provinces,
        "province": province,
        "method": run_method_get(run=run),
        "chart": city_chart_html(ranking) if ranking.rows else "",
        "distribution": score_distribution_html(ranking) if len(ranking.rows) > 1 else "",
        "chart_cities": min(len(ranking.rows), CHART_CITIES),
        "category": category,
        "accounts": accounts.get_page(request.GET.get("page")) if category else None,
        "refresh_seconds": None if run.finished else REFRESH_SECONDS,
        "can_publish": user_can_run_scores(request.user) and run.can_be_published,
        "export_formats": exporting.FORMATS,
    })


@require_safe
def run_list(request: HttpRequest) -> HttpResponse:
    """Recent runs with their status, newest first; the form to start one for those allowed to."""
    allowed = request.user.has_perm(RUN_PERMISSION)
    return _run_list_page(request, form=RunStartForm(initial=_start_initial()) if allowed else None)


@require_POST
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


@require_POST
@run_permission_required
def run_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    """Publish a run that succeeded: it becomes the ranking the home page and the API show."""
    run = selectors.run_get(run_id=run_id)
    if run is None:
        raise Http404(_("There is no run #%(id)s.") % {"id": run_id})
    try:
        run = services.score_run_publish(run=run)
    except services.ScoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Run #%(id)s is now the published ranking of %(period)s.")
                         % {"id": run.pk, "period": run.period_label})
    return redirect("rankings:run_detail", run_id=run_id)


# --- helpers ----------------------------------------------------------------------------------------------
def _run_list_page(request: HttpRequest, *, form: RunStartForm | None, status: int = 200) -> HttpResponse:
    runs = Paginator(selectors.run_list(), RUNS_PER_PAGE).get_page(request.GET.get("page"))
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
    body = exporting.ranking_export(run=run, level=level, file_format=file_format, bom=True)
    response = HttpResponse(body, content_type=exporting.CONTENT_TYPES[file_format])
    name = exporting.ranking_file_name(run=run, level=level, file_format=file_format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
