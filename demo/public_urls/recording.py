"""Fetching the public URLs with django.test.Client and recording what they answered.

Each URL is fetched in each language (the language cookie, which pages follow, and Accept-Language,
which the API follows) by a new anonymous client: first with every cache emptied, so the answer is
computed, then once more with the cache as that first request left it, so the kept answer (page
bodies, API answers, charts) is compared too. Per answer: status, Content-Type, Location,
Content-Disposition and the sha256 of the normalised body (normalising), the body itself in a file
named by a hash of the language and URL, and everything in index.json.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.test import Client
from django.utils import translation

from demo.public_urls.normalising import body_normalised

LANGUAGES = ("zh-hans", "en")
INDEX = "index.json"
HEADERS = ("Content-Type", "Location", "Content-Disposition")


def caches_clear() -> None:
    for cache in caches.all():
        cache.clear()


def response_fetch(url: str, language: str) -> HttpResponse:
    """The answer to an anonymous GET of `url` in `language` (a 500 is recorded, not raised). The
    command's own language is restored afterwards (the site's locale middleware activates the page's)."""
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(translation.get_language()):
        return client.get(url)


def answer_of(response: HttpResponse) -> tuple[dict[str, Any], bytes]:
    """The recorded fields of an answer, and its normalised body."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = body_normalised(raw, response.get("Content-Type", ""))
    fields: dict[str, Any] = {"status": response.status_code}
    fields |= {name.lower(): response.get(name, "") for name in HEADERS}
    return fields | {"sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)}, body


def entry_record(url: str, language: str, out: Path) -> dict[str, Any]:
    """Fetch `url` fresh and then from the cache; write the bodies; the index entry."""
    stem = hashlib.sha256(f"{language} {url}".encode()).hexdigest()[:24]
    caches_clear()
    started = time.monotonic()
    fresh, body = answer_of(response_fetch(url, language))
    fresh["ms"] = round(1000 * (time.monotonic() - started))  # for the record only: never compared
    (out / "bodies" / f"{stem}.body").write_bytes(body)
    cached, cached_body = answer_of(response_fetch(url, language))
    if cached_body != body:
        (out / "bodies" / f"{stem}.cached.body").write_bytes(cached_body)
    return {"url": url, "language": language, "file": f"bodies/{stem}.body", **fresh, "cached": cached}


def recording_make(urls: list[str], out: Path, *, meta: dict[str, Any],
                   progress: Callable[[int, int], None] = lambda done, total: None) -> dict[str, Any]:
    """Fetch every URL in every language into `out` (bodies/ and index.json); the index."""
    (out / "bodies").mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    entries = []
    quiet = logging.getLogger("django.request"), logging.getLogger("django.security")
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.CRITICAL)  # every 404 and 400 asked for on purpose would be logged
    try:
        for number, url in enumerate(urls, 1):
            entries += [entry_record(url, language, out) for language in LANGUAGES]
            progress(number, len(urls))
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)
    index = {**meta, "urls": len(urls), "answers": len(entries), "seconds": round(time.monotonic() - started, 1),
             "entries": entries}
    (out / INDEX).write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return index
