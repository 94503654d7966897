"""Downloads of what the ranking pages show: a run's whole ranking (?format=csv|xlsx&level=city|account
on its page), the city ranking table as filtered and sorted (?export=csv|xlsx on the home page and a
run's page) and a category's leaderboard (?export= on its page). Downloads share the API's rate
(core.throttling.page_export_refused, API_THROTTLE_EXPORT)."""
from __future__ import annotations

import pandas as pd
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.spreadsheets import csv_bytes, xlsx_bytes
from core.text import echo
from core.throttling import page_export_refused
from rankings import exporting
from rankings.labels import city_name, province_name
from rankings.models import ScoreRun
from rankings.presentation import city as words
from rankings.presentation import tables


def run_export_response(request: HttpRequest, run: ScoreRun) -> HttpResponse:
    """The run's whole ranking at ?level= (city or account) as ?format= (csv or xlsx)."""
    file_format, level = request.GET.get("format"), request.GET.get("level", "city")
    if file_format not in exporting.FORMATS or level not in exporting.LEVELS:
        return HttpResponseBadRequest(_("Unknown export: use format=csv or xlsx and level=city or account."))
    if not run.is_succeeded:
        raise Http404(_("Run #%(id)s has no ranking to export: it is %(status)s.")
                      % {"id": run.pk, "status": run.status_label})
    refused = page_export_refused(request)
    if refused is not None:
        return refused
    body = exporting.ranking_export(run=run, level=level, file_format=file_format, bom=True)
    name = exporting.ranking_file_name(run=run, level=level, file_format=file_format)
    return _attachment(body, file_format=file_format, file_name=name)


def table_export_response(request: HttpRequest, table: tables.RankingTable) -> HttpResponse | None:
    """The table's rows as a CSV (UTF-8 with a BOM) or XLSX download; None (and a notice on the page)
    for a format that is neither."""
    file_format = request.GET.get("export", "")
    if file_format not in tables.EXPORT_FORMATS:
        table.notices.append(_("“%(value)s” is not a download format (csv or xlsx).") % {"value": echo(file_format)})
        return None
    refused = page_export_refused(request)
    if refused is not None:
        return refused
    body = tables.ranking_table_export(table, file_format=file_format)
    return _attachment(body, file_format=file_format,
                       file_name=tables.ranking_table_file_name(table, file_format=file_format))


def table_download(table: pd.DataFrame, *, file_format: str, name: str) -> HttpResponse:
    """A table as `name`.csv (with a BOM) or `name`.xlsx."""
    body = csv_bytes(table, bom=True) if file_format == "csv" else xlsx_bytes(table, sheet_name=name[-31:])
    return _attachment(body, file_format=file_format, file_name=f"{name}.{file_format}")


def leaderboard_table(frame: pd.DataFrame, *, keys: list[str], labels: dict[str, str]) -> pd.DataFrame:
    """A category's leaderboard as the page shows it (all pages), for download."""
    table = pd.DataFrame({
        _("Rank"): frame["rank_in_category"].to_numpy(),
        _("Account"): frame["screen_name"].to_numpy(),
        city_column_label(): [city_name(name, name_en) for name, name_en in zip(frame["city"], frame["city_en"],
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


def city_column_label() -> str:
    return pgettext("ranking column", "City")


def _attachment(body: bytes, *, file_format: str, file_name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=exporting.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
