"""Reads of cities, accounts and snapshots.

Every function here issues a fixed number of aggregate queries, whatever the size of the data
(the national set has about 180,000 accounts and 2M+ snapshots): counting happens in the database,
never by looping over model instances.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min, QuerySet

from accounts.models import City, GovAccount, Snapshot, SnapshotImport

PROVINCES_SHOWN = 10


@dataclass(frozen=True)
class CategoryCount:
    category: str  # a GovAccount.Category value
    label: str  # its translated label
    accounts: int
    percent: float  # share of all accounts, 0-100


@dataclass(frozen=True)
class ProvinceCount:
    province: str
    cities: int  # cities of the province that have at least one account
    accounts: int


@dataclass(frozen=True)
class DataOverview:
    cities: int
    accounts: int
    snapshots: int
    first_period_start: date | None
    last_period_end: date | None
    last_import: SnapshotImport | None
    by_category: list[CategoryCount]
    top_provinces: list[ProvinceCount]


def data_overview() -> DataOverview:
    """What has been imported so far, for the home page. Six queries."""
    span = Snapshot.objects.aggregate(n=Count("id"), first=Min("period_start"), last=Max("period_end"))
    return DataOverview(
        cities=City.objects.count(),
        accounts=GovAccount.objects.count(),
        snapshots=span["n"],
        first_period_start=span["first"],
        last_period_end=span["last"],
        last_import=SnapshotImport.objects.select_related("created_by").first(),
        by_category=accounts_by_category(),
        top_provinces=accounts_by_province(limit=PROVINCES_SHOWN),
    )


def accounts_by_category() -> list[CategoryCount]:
    """Every category in its declared order (zeros included), with its account count. One query."""
    counts = dict(GovAccount.objects.order_by().values_list("category").annotate(n=Count("id")))
    total = sum(counts.values())
    return [
        CategoryCount(
            category=category.value,
            label=str(category.label),
            accounts=counts.get(category.value, 0),
            percent=100 * counts.get(category.value, 0) / total if total else 0.0,
        )
        for category in GovAccount.Category
    ]


def accounts_by_province(*, limit: int) -> list[ProvinceCount]:
    """The provinces with the most accounts, most first (ties by name). One query."""
    rows = (
        GovAccount.objects.order_by()
        .values("city__province")
        .annotate(accounts=Count("id"), cities=Count("city", distinct=True))
        .order_by("-accounts", "city__province")[:limit]
    )
    return [
        ProvinceCount(province=row["city__province"], cities=row["cities"], accounts=row["accounts"])
        for row in rows
    ]


def snapshot_imports_recent(*, limit: int) -> QuerySet[SnapshotImport]:
    """The latest imports, newest first, with who ran them. One query."""
    return SnapshotImport.objects.select_related("created_by").order_by("-created_at", "-id")[:limit]
