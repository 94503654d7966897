"""A static-files finder for the one file of the plotly package the pages need.

plotly.js ships inside the Python plotly package (package_data/plotly.min.js), so the charts' JS always
matches the library that draws the figures and nothing is fetched from a CDN (the app works on an
offline intranet). Listing the whole package_data folder in STATICFILES_DIRS would also collect its
widget bundle and sample data sets (~10 MB); this finder exposes plotly.min.js alone.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor/plotly"
FILE_NAME = "plotly.min.js"
PUBLIC_PATH = f"{PREFIX}/{FILE_NAME}"


def _package_data() -> Path:
    # find_spec locates the package without importing it (plotly's import is slow and not needed here).
    return Path(importlib.util.find_spec("plotly").origin).parent / "package_data"


class PlotlyFinder(BaseFinder):
    def check(self, **kwargs) -> list:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs) -> str | list[str]:
        if path != PUBLIC_PATH:
            return [] if find_all else None
        found = str(_package_data() / FILE_NAME)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        storage = FileSystemStorage(location=_package_data())
        storage.prefix = PREFIX
        yield FILE_NAME, storage
