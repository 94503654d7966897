"""Request-wide rules: Chinese first; the client's address; the largest body the app reads; no NUL bytes.

Refusals made here come before any view: API paths and JSON clients get the one error shape
(core.responses), pages a 400 or 413 page that says why.
"""
from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions

from api.authentication import ApiTokenAuthentication
from api.errors import nul_message, wants_json
from core.responses import json_error
from core.text import echo

# The two doors of a snapshot file, one limit (GOVWEIBO_MAX_UPLOAD_BYTES): the upload page and the API.
UPLOAD_URL_NAMES = ("posts:upload", "api:import-list")
# Multipart framing and the form's other fields around the file: a file just over the import limit
# still reaches the form, which explains the limit; far bigger bodies are refused unread.
UPLOAD_MARGIN_BYTES = 1024 * 1024


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is not consulted for pages.

    govweibo's users are Chinese analysts, many on machines with an English-language browser; they get
    Chinese until they choose English (the language cookie set by the switch in base.html). REST
    clients (paths under /api/) still negotiate with Accept-Language, as HTTP clients expect.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(language) if language else None
        except LookupError:
            language = None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the one the proxy appended to X-Forwarded-For when BEHIND_PROXY, else the peer.

    Only the last entry is the proxy's own; earlier ones are whatever the client sent. Used by the login
    lockout (AXES_CLIENT_IP_CALLABLE) and matching DRF's throttles (NUM_PROXIES).
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


class RequestSizeLimitMiddleware:
    """Refuses (413) a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE before anything reads it.

    Django limits form fields held in memory but still streams uploaded files to disk, whoever sends
    them; here only a signed-in user's import upload may be larger (up to the import limit). The
    declared Content-Length is checked: the WSGI server never hands Django more than it declares.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body for a malformed length
        # The larger limit is looked for only past the common one: it may ask the database for a token.
        if length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return self.get_response(request)
        limit, margin = request_size_limit(request)
        if length > limit + margin:
            message = _("The request is too large (%(size)s); at most %(limit)s is accepted here.") % {
                "size": filesizeformat(length), "limit": filesizeformat(limit)}
            if wants_json(request):
                return json_error(status=413, code="request_too_large", message=message,
                                  details={"size": length, "limit": limit})
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def request_size_limit(request: HttpRequest) -> tuple[int, int]:
    """(the limit, a margin over it): the upload limit and the multipart margin for a signed-in user's (or
    a token's) snapshot upload, else the request limit and none. Messages name the limit itself."""
    if request.path_info in {reverse(name) for name in UPLOAD_URL_NAMES} and _signed_in(request):
        return settings.GOVWEIBO_MAX_UPLOAD_BYTES, UPLOAD_MARGIN_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE, 0


def _signed_in(request: HttpRequest) -> bool:
    """A session user, or a valid API token (DRF authenticates the token only later, in the view)."""
    if request.user.is_authenticated:
        return True
    try:
        return ApiTokenAuthentication().authenticate(request) is not None  # type: ignore[arg-type]
    except exceptions.AuthenticationFailed:
        return False  # the view will say why; meanwhile the request limit applies


NUL = "\x00"


class RefuseNulMiddleware:
    """Refuses (400) a query string or form whose field names or values hold a NUL character.

    PostgreSQL refuses NUL in text (the query would fail with a 500), SQLite stores it; no name, search
    or score has a reason to hold one, so it is refused at one place, for every page, the admin and the
    API, before any view or filter sees it. Uploaded files are read by the importers, which refuse
    control characters cell by cell (core.tables.errors.CONTROL_CHARACTER).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = _field_with_nul(request)
        if field is None:
            return self.get_response(request)
        message = nul_message(field)
        if wants_json(request):
            return json_error(status=400, code="invalid", message=message,
                              details={echo(field.replace(NUL, "\\x00")): [message]})
        return render(request, "400.html", {"message": message}, status=400)


def _field_with_nul(request: HttpRequest) -> str | None:
    """The first field (of the query string, then of a form body) whose name or values hold NUL."""
    if NUL in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
        if (found := _nul_in(request.GET)) is not None:
            return found
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method == "POST" and content_type.startswith(("application/x-www-form-urlencoded",
                                                             "multipart/form-data")):
        return _nul_in(request.POST)
    return None


def _nul_in(data: QueryDict) -> str | None:
    for key, values in data.lists():
        if NUL in key or any(NUL in value for value in values):
            return key
    return None
