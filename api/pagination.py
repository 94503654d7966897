"""Page numbers with a stable order, a client-chosen page size, and bigger pages for CSV/XLSX.

Every list orders by a unique key last (its id), so a row never appears on two pages or on none while
the data stays the same. JSON pages hold 100 rows (page_size from 1 to 1000; anything else is a 400 that
says so, not silently the default); a CSV or XLSX download holds up to 10,000, so a city ranking downloads
as one file. Every page also says where the next one is in a
`Link` header (RFC 8288), which CSV clients can follow.
"""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from api.renderers import EXPORT_FORMATS
from core.text import echo

EXPORT_PAGE_SIZE = 10_000
BAD_PAGE = _("“%(value)s” is not a page number; use a whole number from 1, or “last”.")
BAD_PAGE_SIZE = _("“%(value)s” is not a page size; use a whole number from 1 to %(max)s.")


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request: Request) -> int | None:
        size = self._asked_size(request)
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is not None and renderer.format in EXPORT_FORMATS:
            return EXPORT_PAGE_SIZE
        return size or self.page_size

    def _asked_size(self, request: Request) -> int | None:
        """?page_size= as a number from 1 to max_page_size; 400 otherwise (DRF ignored a bad one)."""
        if self.page_size_query_param not in request.query_params:
            return None
        value = request.query_params.get(self.page_size_query_param, "")
        if value.isascii() and value.isdigit() and 1 <= int(value) <= self.max_page_size:
            return int(value)
        raise ValidationError({self.page_size_query_param: [
            str(BAD_PAGE_SIZE) % {"value": echo(value), "max": self.max_page_size}]})

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        """?page= as a whole number from 1 or `last`; 400 otherwise (DRF read an empty one as 1). A page
        past the last is still a 404."""
        value = request.query_params.get(self.page_query_param)
        if value is not None and value not in self.last_page_strings and not (
                value.isascii() and value.isdigit() and int(value) >= 1):
            raise ValidationError({self.page_query_param: [str(BAD_PAGE) % {"value": echo(value)}]})
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1)
        return parameters

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        links = [f'<{url}>; rel="{rel}"' for rel, url in
                 (("next", self.get_next_link()), ("prev", self.get_previous_link())) if url]
        if links:
            response["Link"] = ", ".join(links)
        response["X-Total-Count"] = str(self.page.paginator.count)
        return response
