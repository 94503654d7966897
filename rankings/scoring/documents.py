"""Reading a document (parsed YAML/JSON) field by field, collecting every problem instead of stopping
at the first. schemes.py builds its scheme reader on this."""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from rankings.scoring.errors import Problem

MAX_NAME_LENGTH = 200


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class DocumentReader:
    """Typed field readers. Each records a Problem and returns a stand-in when the value is wrong."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, code: str, **params: object) -> None:
        self.problems.append(Problem(path, code, params))

    def unknown_keys(self, document: Mapping[str, Any], allowed: tuple[str, ...], path: str) -> None:
        for key in document:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                self.add(where, "unknown_key", key=key, allowed=", ".join(allowed))

    def text(self, document: Mapping[str, Any], key: str, *, path: str | None = None, required: bool = True,
             limit: int = MAX_NAME_LENGTH) -> str | None:
        """A non-empty text, stripped; None when absent or wrong."""
        path = path or key
        value = document.get(key)
        if value is None:
            if required:
                self.add(path, "required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(path, "not_text")
            return None
        if len(value.strip()) > limit:
            self.add(path, "text_too_long", limit=limit)
            return None
        return value.strip()

    def choice(self, document: Mapping[str, Any], key: str, choices: tuple[str, ...], default: str | None,
               *, path: str | None = None) -> str:
        """One of `choices`; `default` when absent (required if the default is None)."""
        path = path or key
        value = document.get(key)
        if value is None and default is not None:
            return default
        if value is None:
            self.add(path, "required")
            return ""
        if value not in choices:
            self.add(path, "bad_choice", value=value, choices=", ".join(choices))
            return str(value)
        return value

    def boolean(self, document: Mapping[str, Any], key: str, *, default: bool) -> bool:
        value = document.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.add(key, "not_boolean")
            return default
        return value

    def number(self, document: Mapping[str, Any], key: str, *, path: str | None = None,
               default: float | None = None, minimum: float | None = None, maximum: float | None = None,
               positive: bool = False) -> float:
        """A finite number; NaN when it is wrong (so sums over it are skipped), `default` when absent."""
        path = path or key
        value = document.get(key)
        if value is None:
            if default is None:
                self.add(path, "required")
                return math.nan
            return float(default)
        if not _is_number(value):
            self.add(path, "not_number")
            return math.nan
        value = float(value)
        if positive and value <= 0:
            self.add(path, "not_positive", value=value)
        elif minimum == 0 and maximum is None and value < 0:
            self.add(path, "negative", value=value)
        elif (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.add(path, "out_of_range", value=value, min=minimum, max=maximum)
        else:
            return value
        return math.nan

    def integer(self, document: Mapping[str, Any], key: str, *, path: str | None = None, default: int,
                maximum: int) -> int:
        """A whole number in [0, maximum]; `default` when absent or wrong."""
        path = path or key
        value = document.get(key)
        if value is None:
            return default
        if not _is_number(value) or float(value) != int(value):
            self.add(path, "not_integer")
            return default
        if not 0 <= int(value) <= maximum:
            self.add(path, "out_of_range", value=int(value), min=0, max=maximum)
            return default
        return int(value)
