"""Request-wide rules: Chinese first; the client's address; the largest body the app reads."""
from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

UPLOAD_URL_NAME = "accounts:snapshot_upload"
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
        limit = request_size_limit(request)
        if length > limit:
            message = _("The request is too large (%(size)s); at most %(limit)s is accepted here.") % {
                "size": filesizeformat(length), "limit": filesizeformat(limit)}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def request_size_limit(request: HttpRequest) -> int:
    if request.path_info == reverse(UPLOAD_URL_NAME) and request.user.is_authenticated:
        return settings.GOVWEIBO_IMPORT_MAX_UPLOAD_BYTES + UPLOAD_MARGIN_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE
