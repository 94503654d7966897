"""Content negotiation that refuses a `?format=` it cannot honour: empty or unknown, it is a 400 naming
the parameter and the view's formats. DRF ignores an empty one and answers an unknown one with a 404,
which says "no such resource" about a resource that exists. The Accept header keeps DRF's rules (406
when nothing matches)."""
from __future__ import annotations

from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer


class StrictContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request: Any, renderers: list[Any], format_suffix: str | None = None) -> Any:
        name = self.settings.URL_FORMAT_OVERRIDE
        if not format_suffix and name and name in request.query_params:
            value = request.query_params.get(name)
            formats = [renderer.format for renderer in renderers]
            if value not in formats:
                if getattr(request, "_format_refused", False):
                    # DRF asks again to render the refusal: in JSON, not in the view's first format.
                    return JSONRenderer(), JSONRenderer.media_type
                request._format_refused = True
                # Imported here: api.errors imports rest_framework.views, whose APIView reads this class
                # from the settings at import time (a module-level import is circular when api.errors is
                # imported first, as the NUL middleware does on a page's first request).
                from api.errors import invalid_parameter

                raise invalid_parameter(name, value, formats)
        return super().select_renderer(request, renderers, format_suffix)
