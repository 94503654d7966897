"""The API's error answers: every error, in the one shape of core.responses, in the request's language
(Chinese unless it asks otherwise).

    {"error": {"code": "not_found", "message": "未找到。", "details": {}}}

`code` is stable for programs (DRF's codes: not_found, method_not_allowed, unsupported_media_type,
throttled, not_authenticated, permission_denied, invalid, parse_error; conflict; request_too_large for a
413); `message` is for people; `details` holds a validation error's messages by field, or a throttle's
retry_after (seconds). Django's own 404 texts (“No ScoreRun matches the given query.”) are English only and
name models, so a 404 from get_object_or_404 says DRF's translated “Not found.” instead.

Application errors (core.errors.AppError: what a service refuses) reach the exception handler as they
are, and are mapped to a status in this one place, through core.responses.error_status: a 400 `invalid`
is reported as a validation error (“Invalid input.”, its messages under non_field_errors), any other kind
(NotFoundError 404, ConflictError 409) with its own message and its `details` if it carries any. Views
catch a service's error only to say more than its kind does (the field a refusal names, say).
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.errors import AppError
from core.responses import error_payload, error_status
from core.text import echo  # the one truncation of echoed values

NOT_ACCEPTED = _("“%(value)s” is not accepted here; use one of: %(accepted)s.")


def not_accepted(value: object, accepted: list[str]) -> str:
    """The message for a parameter whose value is not among the accepted ones, naming them."""
    return str(NOT_ACCEPTED) % {"value": echo(value), "accepted": ", ".join(accepted)}


def invalid_parameter(name: str, value: object, accepted: list[str]) -> exceptions.ValidationError:
    """A 400 naming the parameter (error.details) with the accepted values."""
    return exceptions.ValidationError({name: [not_accepted(value, accepted)]})


class _ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Stable code for programs, e.g. not_found, invalid, throttled"))
    message = serializers.CharField(help_text=_("What went wrong, in the request's language"))
    details = serializers.DictField(help_text=_(
        "A validation error's messages by field, or a throttle's retry_after in seconds; else empty"))


class ErrorSerializer(serializers.Serializer):
    """The schema of every error answer (documentation only: error_body builds the answers)."""

    error = _ErrorBodySerializer()


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK's EXCEPTION_HANDLER: DRF's errors and the application's, in the one shape."""
    if isinstance(exc, AppError):
        return app_error_answer(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response  # an unexpected error: a 500, logged as usual
    response.data = error_body(exc)
    return response


def app_error_answer(error: AppError) -> Response:
    """An application error's answer: the one mapping of its kind to a status (see the module's docstring).
    The request's transaction, if any, is rolled back, as for DRF's own errors."""
    status, code = error_status(error)
    set_rollback()
    if status == 400:
        return Response(invalid_body(error.messages, code=code), status=status)
    return Response(error_payload(code=code, message=str(error), details=getattr(error, "details", None)),
                    status=status)


def invalid_body(messages: list[str], *, code: str = "invalid") -> dict[str, Any]:
    """A refusal of the request as a whole: the body of a validation error without a field."""
    return error_payload(code=code, message=str(exceptions.ValidationError.default_detail),
                         details={"non_field_errors": messages})


def error_body(exc: exceptions.APIException) -> dict[str, Any]:
    """A DRF error's body: a validation error's messages by field, a throttle's retry_after."""
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return error_payload(code="invalid", message=str(exceptions.ValidationError.default_detail), details=detail)
    codes = exc.get_codes()
    details = {"retry_after": exc.wait} if getattr(exc, "wait", None) is not None else {}
    return error_payload(code=codes if isinstance(codes, str) else exc.default_code, message=str(exc.detail),
                         details=details)


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
    return JsonResponse(error_body(exceptions.NotFound()), status=404)
