"""The one JSON error shape, for every JSON answer of govweibo (the API, the what-if endpoint, the
middleware that refuses a request before any view sees it):

    {"error": {"code": "not_found", "message": "未找到。", "details": {}}}

`code` is stable for programs (not_found, invalid, throttled, conflict, …); `message` is for people, in
the request's language; `details` holds a validation error's messages by field (`{"w": ["…"]}`), or a
throttle's retry_after in seconds, else nothing. Only this module writes the shape: the API's exception
handler (api.errors) and every other JSON view build their answers with `error_payload`/`json_error`.
"""
from __future__ import annotations

from typing import Any

from django.http import JsonResponse

from core.errors import AppError


def error_payload(*, code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """The body of an error answer: {"error": {"code", "message", "details"}}."""
    return {"error": {"code": code, "message": str(message), "details": details or {}}}


def json_error(*, status: int, code: str, message: str, details: dict[str, Any] | None = None) -> JsonResponse:
    """An error answer in the one shape, its message unescaped (Chinese stays readable)."""
    return JsonResponse(error_payload(code=code, message=message, details=details), status=status,
                        json_dumps_params={"ensure_ascii": False})


def error_status(error: AppError) -> tuple[int, str]:
    """The one mapping of an application error to an answer's (status, code), for pages and the API."""
    return error.status, error.code


def app_error_response(error: AppError, *, details: dict[str, Any] | None = None) -> JsonResponse:
    """An application error as a JSON answer in the one shape, with its status and code."""
    status, code = error_status(error)
    return json_error(status=status, code=code, message=str(error), details=details)
