"""A spreadsheet cell as text, the one way every table reader and importer reads it."""
from __future__ import annotations

from datetime import date, datetime


def cell_text(value: object) -> str:
    """How a cell reads as text: 12.0 -> "12", a date -> "2012-03-01", empty (None) -> ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
