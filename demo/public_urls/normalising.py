"""What may differ between two requests for the same answer, and nothing else, replaced by a fixed mark:

- the CSRF token of each form (csrfmiddlewaretoken), masked afresh for every request, and the token
  anywhere else a page carries it (a meta tag, a script);
- an XLSX download's creation and modification times (openpyxl writes the current time into
  docProps/core.xml, and the zip's own entry times): a workbook is recorded as the text of its parts,
  in name order, with those two times marked. That text is also what a difference is shown from.
"""
from __future__ import annotations

import io
import re
import zipfile

CSRF_MARK = b"CSRF-TOKEN"
TIME_MARK = b"XLSX-TIME"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A masked CSRF token is 64 letters and digits (Django 4.1+), after the form field's name or a csrf key.
CSRF_PATTERNS = [
    re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")'),
    re.compile(rb'(value=")[A-Za-z0-9]{32,64}(" name="csrfmiddlewaretoken")'),
    re.compile(rb'''(csrf[A-Za-z_-]*["']?\]?\s*[:=]\s*["']|name="csrf-token" content=")[A-Za-z0-9]{32,64}(["'])''',
               re.IGNORECASE),
]
XLSX_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def body_normalised(body: bytes, content_type: str) -> bytes:
    """`body` with its per-request values replaced (module docstring); an XLSX as the text of its parts."""
    if content_type.split(";")[0].strip() == XLSX:
        return xlsx_text(body)
    if b"csrf" not in body.lower():
        return body
    for pattern in CSRF_PATTERNS:
        body = pattern.sub(rb"\g<1>" + CSRF_MARK + rb"\g<2>", body)
    return body


def xlsx_text(body: bytes) -> bytes:
    """The workbook's parts, each under a `== name ==` line, in name order, with its times marked; the
    bytes unchanged when they are not a zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except zipfile.BadZipFile:
        return body
    parts = []
    with archive:
        for name in sorted(archive.namelist()):
            content = XLSX_TIMES.sub(rb"\g<1>" + TIME_MARK + rb"\g<2>", archive.read(name))
            parts.append(b"== " + name.encode() + b" ==\n" + content + b"\n")
    return b"".join(parts)
