"""The API's JSON parser: a body nested too deep or too large is refused (400, 413) before json.loads sees it.

Python's json module recurses once per nesting level: a body of 10,000 "[" raises RecursionError (a 500)
and a slightly smaller one can still exhaust the stack of a worker thread. No request of this API nests
past a few levels (a cell list is {"scores": [{…}]}: 3), so MAX_JSON_DEPTH leaves a wide margin. The depth
is found without recursion: strings are cut out with one regular expression (brackets inside them do not
count), then the running count of opening minus closing brackets is taken with numpy, in C. The body's
size is bounded first (DATA_UPLOAD_MAX_MEMORY_SIZE, the limit RequestSizeLimitMiddleware applies to the
declared length), so the scan costs at most a few milliseconds.
"""
from __future__ import annotations

import re
from typing import IO, Any

import numpy as np
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status
from rest_framework.settings import api_settings
from rest_framework.utils import json

from core.text import echo

MAX_JSON_DEPTH = 64
# A JSON string, escapes included: the unrolled form runs in linear time without backtracking.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_OPEN, _CLOSE = np.frombuffer(b"[{", dtype=np.uint8), np.frombuffer(b"]}", dtype=np.uint8)


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (brackets inside strings do not count)."""
    outside = _STRING.sub("", text).encode("utf-8", "surrogatepass")
    codes = np.frombuffer(outside, dtype=np.uint8)
    steps = np.isin(codes, _OPEN).astype(np.int32) - np.isin(codes, _CLOSE).astype(np.int32)
    return int(np.cumsum(steps).max(initial=0))


class BoundedJSONParser(parsers.JSONParser):
    """DRF's JSONParser, with the body's size and nesting depth bounded and messages translated."""

    def parse(self, stream: IO[bytes] | None, media_type: str | None = None,
              parser_context: dict[str, Any] | None = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise RequestTooLarge(_("The request is too large; at most %(limit)s is accepted here.")
                                  % {"limit": filesizeformat(limit)})
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise exceptions.ParseError(_("The body is not JSON text in %(encoding)s.")
                                        % {"encoding": encoding[:20]}) from None
        depth = json_depth(text)
        if depth > MAX_JSON_DEPTH:
            raise exceptions.ParseError(_("The JSON body is nested %(depth)s levels deep; at most %(limit)s "
                                          "levels are accepted.") % {"depth": depth, "limit": MAX_JSON_DEPTH})
        try:
            parse_constant = json.strict_constant if api_settings.STRICT_JSON else None
            data = json.loads(text, parse_constant=parse_constant)
        except ValueError as error:
            raise exceptions.ParseError(_("The body is not valid JSON: %(reason)s") % {"reason": str(error)[:200]}) \
                from None
        if "\\u0000" in text.lower() and (field := nul_field(data)) is not None:
            # Imported here: api.errors imports DRF's views, which import this parser.
            from api.errors import nul_message

            shown = echo(field.replace("\x00", "\\x00"))
            raise exceptions.ValidationError({shown: [nul_message(field)]})
        return data


def nul_field(data: Any, path: str = "") -> str | None:
    """The path (scores.0.comment) of the first key or string holding a NUL character, or None. PostgreSQL
    refuses NUL in text: refused here as the middleware refuses it in query strings and forms."""
    if isinstance(data, str):
        return (path or "non_field_errors") if "\x00" in data else None
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        inner = f"{path}.{key}" if path else str(key)
        if "\x00" in inner or (inner := nul_field(value, inner)) is not None:
            return inner
    return None
