"""The award combination: pure pandas/numpy, no Django (checked by import-linter).

The names below load `combine` (and pandas) on first use (PEP 562), so that a module needing only the
award defaults (awards.models imports awards.scoring.defaults at start-up) loads no pandas: every
manage.py command imports the models.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["MEAN", "TRIMMED", "Method", "below_quorum", "combine"]

if TYPE_CHECKING:  # the names as static tools see them
    from awards.scoring.combine import MEAN, TRIMMED, Method, below_quorum, combine


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("awards.scoring.combine"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
