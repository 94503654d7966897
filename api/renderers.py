"""CSV and XLSX for every list of the API: `?format=csv` or `Accept: text/csv` (xlsx likewise).

A list's rows (a page's `results`) become one table row each; nested objects become dotted columns
(`category_scores.police`), lists become JSON text. Every file goes through core/spreadsheets.py, so a
cell starting with = + - @ is escaped against formula injection. CSV is UTF-8 with a byte-order mark
(Excel on Chinese Windows reads UTF-8 without one as GBK). Errors are never rendered as tables: the
views answer them in JSON (ExportableMixin).
"""
from __future__ import annotations

import json
from typing import Any

import pandas as pd
from rest_framework import renderers
from rest_framework.response import Response

from core.spreadsheets import csv_bytes, xlsx_bytes
from core.throttling import ExportRateThrottle

EXPORT_FORMATS = ("csv", "xlsx")


def rows_frame(data: Any, *, columns: list[str] | None = None) -> pd.DataFrame:
    """The rows of a list answer (a page, or a bare list) as a flat table."""
    rows = data.get("results", []) if isinstance(data, dict) else data
    if isinstance(rows, dict):
        rows = [rows]
    table = pd.json_normalize(list(rows), sep=".") if rows else pd.DataFrame(columns=columns or [])
    for column in table.columns:
        if table[column].map(lambda value: isinstance(value, (list, dict))).any():
            table[column] = table[column].map(
                lambda value: json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value)
    return table


def _columns(renderer_context: dict[str, Any] | None) -> list[str]:
    """The serializer's field names, to head an empty table."""
    view = (renderer_context or {}).get("view")
    try:
        return list(view.get_serializer().fields)
    except Exception:  # noqa: BLE001 - a view without a serializer: an empty table has no header
        return []


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: dict[str, Any] | None = None) -> bytes:
        if data is None:
            return b""
        return csv_bytes(rows_frame(data, columns=_columns(renderer_context)), bom=True)


class XLSXRenderer(renderers.BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: dict[str, Any] | None = None) -> bytes:
        if data is None:
            return b""
        return xlsx_bytes(rows_frame(data, columns=_columns(renderer_context)), sheet_name="govweibo")


class ExportableMixin:
    """For list views: JSON, the browsable API and CSV (XLSX where `xlsx` is set); errors always in JSON,
    a download named after the list (`export_name`), and downloads counted against their own, lower rate
    (API_THROTTLE_EXPORT) on top of the usual ones."""

    export_name = "govweibo"
    xlsx = False

    def get_renderers(self) -> list[renderers.BaseRenderer]:
        chosen = [renderers.JSONRenderer(), renderers.BrowsableAPIRenderer(), CSVRenderer()]
        return [*chosen, XLSXRenderer()] if self.xlsx else chosen

    def get_throttles(self) -> list[Any]:
        throttles = super().get_throttles()
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is not None and renderer.format in EXPORT_FORMATS:
            throttles.append(ExportRateThrottle())
        return throttles

    def export_headers(self, response: Any) -> dict[str, str]:
        """A download's file name, for a table format."""
        renderer = getattr(response, "accepted_renderer", None)
        if renderer is None or renderer.format not in EXPORT_FORMATS or response.status_code != 200:
            return {}
        return {"Content-Disposition": f'attachment; filename="{self.export_name}.{renderer.format}"'}

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if not isinstance(response, Response):
            return response  # an answer kept in the cache (api/caching.py): already rendered, headers kept
        if response.accepted_renderer.format in EXPORT_FORMATS and response.status_code >= 400:
            response.accepted_renderer = renderers.JSONRenderer()
            response.accepted_media_type = response.accepted_renderer.media_type
        for name, value in self.export_headers(response).items():
            response[name] = value
        return response
