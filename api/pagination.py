"""Page numbers with a stable order, a client-chosen page size, and bigger pages for CSV/XLSX.

Every list orders by a unique key last (its id), so a row never appears on two pages or on none while
the data stays the same. JSON pages hold 100 rows (page_size up to 1000); a CSV or XLSX download holds
up to 10,000, so a city ranking downloads as one file. Every page also says where the next one is in a
`Link` header (RFC 8288), which CSV clients can follow.
"""
from __future__ import annotations

from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from api.renderers import EXPORT_FORMATS

EXPORT_PAGE_SIZE = 10_000


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request: Request) -> int | None:
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is not None and renderer.format in EXPORT_FORMATS:
            return EXPORT_PAGE_SIZE
        return super().get_page_size(request)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        links = [f'<{url}>; rel="{rel}"' for rel, url in
                 (("next", self.get_next_link()), ("prev", self.get_previous_link())) if url]
        if links:
            response["Link"] = ", ".join(links)
        response["X-Total-Count"] = str(self.page.paginator.count)
        return response
