"""414 for an API URL longer than API_MAX_URL_LENGTH, in the API's error shape.

Every server has a limit on the request line (gunicorn 4094 bytes, Django's development server 65,536),
and answers past it in its own words (gunicorn a plain 400, the development server an HTML 414). The API
refuses a long URL itself, below those limits, so a client gets the documented answer: 414 with
{"error": {"code": "uri_too_long", …}}. No API parameter needs more than a few hundred characters.
"""
from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from core.responses import json_error


class ApiUrlLengthMiddleware:
    """Refuses (414) an API URL longer than API_MAX_URL_LENGTH, in the one error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            length = len(request.get_full_path())
            if length > settings.API_MAX_URL_LENGTH:
                message = _("The URL is too long (%(length)s characters); at most %(limit)s are accepted.") % {
                    "length": length, "limit": settings.API_MAX_URL_LENGTH}
                return json_error(status=414, code="uri_too_long", message=message)
        return self.get_response(request)
