"""One error shape for every API error, in the request's language (Chinese unless it asks otherwise).

    {"error": {"code": "not_found", "message": "未找到。", "details": {}}}

`code` is stable for programs (DRF's codes: not_found, method_not_allowed, unsupported_media_type,
throttled, not_authenticated, permission_denied, invalid, conflict, parse_error, and request_too_large for
a 413); `message` is for
people; `details` holds a validation error's messages by field, or a throttle's retry_after (seconds).
Django's own 404 texts (“No ScoreRun matches the given query.”) are English only and name models, so
a 404 from get_object_or_404 says DRF's translated “Not found.” instead.
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.responses import json_error  # noqa: F401 - the one error shape (re-exported for the middleware)
from core.text import echo

NOT_ACCEPTED = _("“%(value)s” is not accepted here; use one of: %(accepted)s.")


def not_accepted(value: object, accepted: list[str]) -> str:
    """The message for a parameter whose value is not among the accepted ones, naming them."""
    return str(NOT_ACCEPTED) % {"value": echo(value), "accepted": ", ".join(accepted)}


def invalid_parameter(name: str, value: object, accepted: list[str]) -> exceptions.ValidationError:
    """A 400 naming the parameter (error.details) with the accepted values."""
    return exceptions.ValidationError({name: [not_accepted(value, accepted)]})


class Conflict(exceptions.APIException):
    """The request is valid but the resource's state refuses it (e.g. publishing a failed run)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the resource's current state.")
    default_code = "conflict"


class _ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Stable code for programs, e.g. not_found, invalid, throttled"))
    message = serializers.CharField(help_text=_("What went wrong, in the request's language"))
    details = serializers.DictField(help_text=_(
        "A validation error's messages by field, or a throttle's retry_after in seconds; else empty"))


class ErrorSerializer(serializers.Serializer):
    """The schema of every error answer (documentation only: error_body builds the answers)."""

    error = _ErrorBodySerializer()


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response  # an unexpected error: a 500, logged as usual
    response.data = {"error": error_body(exc)}
    return response


def error_body(exc: exceptions.APIException) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return {"code": "invalid", "message": str(exceptions.ValidationError.default_detail), "details": detail}
    codes = exc.get_codes()
    details = {"retry_after": exc.wait} if getattr(exc, "wait", None) is not None else {}
    return {"code": codes if isinstance(codes, str) else exc.default_code, "message": str(exc.detail),
            "details": details}


def nul_message(field: str) -> str:
    """Why a field holding a NUL character is refused (query strings, forms, JSON bodies): one text."""
    return _("The field “%(field)s” holds a NUL character (U+0000), which text cannot contain; remove it.") % {
        "field": echo(field.replace("\x00", "\\x00"))}


def wants_json(request: HttpRequest) -> bool:
    """The API's paths, and any client that asks for JSON or sends it, get errors in the error shape."""
    return (request.path_info.startswith("/api/") or "json" in request.META.get("HTTP_ACCEPT", "")
            or "json" in request.META.get("CONTENT_TYPE", ""))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 handler (govweibo.urls.handler404): a URL under /api/ that matches nothing gets the
    API's error shape like any other API 404; pages keep templates/404.html."""
    if not request.path_info.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    return JsonResponse({"error": error_body(exceptions.NotFound())}, status=404)
