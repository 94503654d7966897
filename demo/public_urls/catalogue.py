"""The list of public URLs: every named pattern of the URLconf, filled with the database's ids by the
filler of its name (fillers_pages, fillers_other, fillers_api). A pattern without a filler is reported,
never silently left out, so a new page shows up in the report until it gets one."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from demo.public_urls.data import DemoData
from demo.public_urls.fillers_api import API_FILLERS
from demo.public_urls.fillers_other import OTHER_FILLERS
from demo.public_urls.fillers_pages import PAGE_FILLERS

FILLERS = {**PAGE_FILLERS, **OTHER_FILLERS, **API_FILLERS}
# Patterns left out on purpose, by the start of their route, and why.
SKIPPED_ROUTES = {
    "admin/": "the staff-only admin site: an anonymous GET redirects to its login page; /admin/ and "
              "/admin/login/ (admin:index) are recorded for the whole family",
}


@dataclass
class Catalogue:
    """The URLs to fetch, in URLconf order, and the patterns that got none, with why."""

    urls: list[str] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)  # URL names with a filler
    skipped: dict[str, str] = field(default_factory=dict)  # "name (route)": reason


def patterns(resolvers: list | None = None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(name with its namespaces, route) of every pattern of the URLconf, in its order."""
    for item in get_resolver().url_patterns if resolvers is None else resolvers:
        if isinstance(item, URLResolver):
            inner = namespace + (f"{item.namespace}:" if item.namespace else "")
            yield from patterns(item.url_patterns, prefix + str(item.pattern), inner)
        elif isinstance(item, URLPattern):
            yield (f"{namespace}{item.name}" if item.name else ""), prefix + str(item.pattern)


def catalogue_build(data: DemoData) -> Catalogue:
    """Every URL the fillers make of the URLconf's patterns (each once, first place kept)."""
    found = Catalogue()
    seen: set[str] = set()
    urls: dict[str, None] = {}
    for name, route in patterns():
        if name in seen and name in FILLERS:
            continue  # a router's format-suffix twin: its filler covers both spellings
        seen.add(name)
        if name in FILLERS:
            found.covered.append(name)
            urls.update(dict.fromkeys(FILLERS[name](data)))
            continue
        start = next((start for start in SKIPPED_ROUTES if route.startswith(start)), None)
        if start is None:
            found.skipped[f"{name or '(unnamed)'} ({route})"] = "no filler in demo/public_urls: add one"
        else:
            found.skipped[f"{start}*"] = SKIPPED_ROUTES[start]
    found.urls = list(urls)
    return found
