"""How a run stores each account's indicator values: one list of floats per row, in the order of the
run's indicators (ScoreRun.definition.indicator_keys), paired with those keys only when read.

PostgreSQL keeps the list as float8[]: the writer builds it from float8 columns without printing a
float, and every value comes back exact. JSON objects (jsonb) cost a national run's write 0.25–0.4 s:
each float went to text and then to numeric, 180,000 rows × 2 columns × each indicator, and the table
was twice the size (docs/benchmarks.md, national score run). SQLite, the embedded default, keeps JSON text;
JSON has no NaN or infinity, so NaN is written as null and read back as NaN, and ±infinity as ±1e999
(a number JSON accepts and every reader, Python's and SQLite's, turns back into ±infinity).
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from django.db.models import F, FloatField, Func

_INFINITY_TEXT = "1e999"


class FloatListField(models.Field):
    """A list of floats (NaN allowed): float8[] on PostgreSQL, JSON text on SQLite."""

    description = "a list of floats"

    def db_type(self, connection: Any) -> str:
        return "double precision[]" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        values = [float(item) for item in value]
        return values if connection.vendor == "postgresql" else floats_json(values)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> list[float] | None:
        return None if value is None else self.to_python(value)

    def to_python(self, value: Any) -> list[float] | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = json.loads(value)
        return [math.nan if item is None else float(item) for item in value]

    def value_to_string(self, obj: Any) -> str:  # serialisation (dumpdata)
        return floats_json(self.value_from_object(obj) or [])


def floats_json(values: Iterable[float]) -> str:
    """The JSON text SQLite keeps: shortest exact digits, NaN as null, ±infinity as ±1e999."""
    def text(value: float) -> str:
        if math.isnan(value):
            return "null"
        if math.isinf(value):
            return _INFINITY_TEXT if value > 0 else "-" + _INFINITY_TEXT
        return repr(value)

    return "[" + ",".join(text(float(value)) for value in values) + "]"


class ListItem(Func):
    """The float at `position` (0-based) of a FloatListField, NULL past its end: one float column per
    indicator in a query, so that 180,000 rows are never decoded one list at a time in Python."""

    output_field = FloatField()

    def __init__(self, field: str, position: int) -> None:
        if not isinstance(position, int) or position < 0:
            raise ValueError(f"position must be an int ≥ 0, not {position!r}")
        super().__init__(F(field))
        self.position = position

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Sequence[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"json_extract({sql}, '$[{self.position}]')", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Sequence[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql})[{self.position + 1}]", params


def keyed(keys: Sequence[str], values: Sequence[float] | None) -> dict[str, float]:
    """The values under their indicator keys (a row's stored list and its run's document's keys). A run
    writes one value per key; a shorter list (a row written by hand) gives the keys it has values for."""
    return dict(zip(keys, values or (), strict=False))
