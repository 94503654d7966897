"""Reads of cities, accounts and snapshots."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Min

from accounts.models import City, GovAccount, Snapshot, SnapshotImport


@dataclass(frozen=True)
class DataOverview:
    cities: int
    accounts: int
    snapshots: int
    first_period_start: object
    last_period_end: object
    last_import: SnapshotImport | None


def data_overview() -> DataOverview:
    span = Snapshot.objects.aggregate(n=Count("id"), first=Min("period_start"), last=Max("period_end"))
    return DataOverview(
        cities=City.objects.count(),
        accounts=GovAccount.objects.count(),
        snapshots=span["n"],
        first_period_start=span["first"],
        last_period_end=span["last"],
        last_import=SnapshotImport.objects.select_related("created_by").first(),
    )
