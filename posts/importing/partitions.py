"""The monthly partitions of posts_post on PostgreSQL, created on demand (the import, before it writes a
month it has not seen).

posts_post is PARTITION BY RANGE (posted_at) (migration 0001) with a DEFAULT partition for rows of months
without one. A month is a China-time month: [first day 00:00+08:00, next month's first day 00:00+08:00),
so a post at 2012-04-01 00:30 China time (2012-03-31 16:30 UTC) is in posts_post_y2012m04. Creating a
partition locks the parent table until the transaction ends: the import does it once per new month,
inside its own transaction, so a failed import leaves no partition behind either. Rows of the month
already in the DEFAULT partition (written by something other than the import) are moved into the new one
first, as PostgreSQL refuses to create a partition whose rows sit in the default one.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import numpy as np
from django.db import connection

from posts.importing.cells import CHINA

PARENT = "posts_post"
DEFAULT = "posts_post_default"


def partition_name(month: date) -> str:
    return f"{PARENT}_y{month.year:04d}m{month.month:02d}"


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's, in China time."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return (datetime(month.year, month.month, 1, tzinfo=CHINA),
            datetime(following.year, following.month, 1, tzinfo=CHINA))


def months_of(micros: np.ndarray) -> list[date]:
    """The distinct China-time months of times given as microseconds since 1970 UTC, in order."""
    if not len(micros):
        return []
    local = (np.unique(micros) + 8 * 3_600_000_000).astype("datetime64[us]").astype("datetime64[M]")
    return [date(int(str(month)[:4]), int(str(month)[5:7]), 1) for month in np.unique(local)]


def partitions_existing() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = %s::regclass", [PARENT])
        return {row[0] for row in cursor.fetchall()}


def partitions_ensure(months: Iterable[date], *, existing: set[str] | None = None) -> list[str]:
    """Create the partitions of these months that do not exist yet (PostgreSQL only); their names."""
    existing = partitions_existing() if existing is None else existing
    created = []
    with connection.cursor() as cursor:
        for month in sorted(set(months)):
            name = partition_name(month)
            if name in existing:
                continue
            start, end = month_bounds(month)
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE posted_at >= %s AND posted_at < %s)",
                           [start, end])
            if cursor.fetchone()[0]:
                _create_moving_rows(cursor, name, start, end)
            else:
                cursor.execute(f"CREATE TABLE {name} PARTITION OF {PARENT} FOR VALUES FROM (%s) TO (%s)", [start, end])
            existing.add(name)
            created.append(name)
    return created


def _create_moving_rows(cursor, name: str, start: datetime, end: datetime) -> None:
    """The month's rows leave the default partition for a new table, which then becomes the partition."""
    cursor.execute(f"CREATE TABLE {name} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute(f"WITH moved AS (DELETE FROM {DEFAULT} WHERE posted_at >= %s AND posted_at < %s RETURNING *) "
                   f"INSERT INTO {name} SELECT * FROM moved", [start, end])
    cursor.execute(f"ALTER TABLE {PARENT} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)", [start, end])
