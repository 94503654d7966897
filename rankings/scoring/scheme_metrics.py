"""The metric lists of a scheme document: custom_metrics (names and kinds) and post_indicators (issue 20).
rankings.scoring.schemes' reader calls these with itself (a DocumentReader collecting the problems)."""
from __future__ import annotations

import re
from collections.abc import Mapping

from rankings.scoring.columns import (
    ACCOUNT_ID,
    BUILTIN_METRICS,
    CATEGORY,
    CITY_ID,
    DAYS,
    DAYS_COVERED,
    LAST_POST_ON,
    METRIC_KINDS,
    PERIOD_END,
    PERIOD_START,
    POST_INDICATORS,
    SNAPSHOTS,
    SUM,
)
from rankings.scoring.documents import DocumentReader

KEY = re.compile(r"[a-z_][a-z0-9_]{0,49}")
CUSTOM_METRIC_KEYS = ("name", "kind")
# Names a custom metric may not take: they already mean something in the totals frame.
RESERVED_NAMES = frozenset(
    (*BUILTIN_METRICS, *POST_INDICATORS, DAYS, DAYS_COVERED, SNAPSHOTS, ACCOUNT_ID, CITY_ID, CATEGORY, LAST_POST_ON,
     PERIOD_START, PERIOD_END)
)


def custom_metrics_read(self: DocumentReader, value: object) -> dict[str, str]:
    """Each custom metric's name and kind, in the document's order. An entry is a name (kind sum) or
    a mapping {name, kind}."""
    if value is None:
        return {}
    if not isinstance(value, list):
        self.add("custom_metrics", "not_list")
        return {}
    kinds: dict[str, str] = {}
    for index, entry in enumerate(value):
        path = f"custom_metrics[{index}]"
        name, kind, name_path = entry, SUM, path
        if isinstance(entry, Mapping):
            self.unknown_keys(entry, CUSTOM_METRIC_KEYS, path)
            name_path = f"{path}.name"
            name = entry.get("name")
            kind = self.choice(entry, "kind", METRIC_KINDS, SUM, path=f"{path}.kind")
            if name is None:
                self.add(name_path, "required")
                continue
        elif isinstance(entry, list):
            self.add(path, "bad_custom_metric")
            continue
        if not isinstance(name, str) or not KEY.fullmatch(name):
            self.add(name_path, "bad_key", value=name)
        elif name in RESERVED_NAMES:
            self.add(name_path, "reserved_metric", value=name)
        elif name in kinds:
            self.add(name_path, "duplicate_key", value=name)
        else:
            kinds[name] = kind if kind in METRIC_KINDS else SUM  # a wrong kind is reported once, above
    return kinds


def post_indicators_read(self: DocumentReader, value: object) -> tuple[str, ...]:
    """The post indicators named, in the document's order: each one of POST_INDICATORS, once."""
    if value is None:
        return ()
    if not isinstance(value, list):
        self.add("post_indicators", "not_list")
        return ()
    names: list[str] = []
    for index, name in enumerate(value):
        if name not in POST_INDICATORS:
            self.add(f"post_indicators[{index}]", "bad_choice", value=name, choices=", ".join(POST_INDICATORS))
        elif name in names:
            self.add(f"post_indicators[{index}]", "duplicate_key", value=name)
        else:
            names.append(name)
    return tuple(names)

