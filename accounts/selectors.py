"""Reads of cities, accounts and snapshots.

Every function here issues a fixed number of aggregate queries, whatever the size of the data
(the national set has about 180,000 accounts and 2M+ snapshots): counting happens in the database,
never by looping over model instances.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Min, QuerySet
from django.utils import translation

from accounts.models import (
    SNAPSHOT_COUNT_FIELDS,
    SNAPSHOT_OPTIONAL_COUNT_FIELDS,
    City,
    GovAccount,
    Snapshot,
    SnapshotImport,
)
from core.bulk import query_frame

PROVINCES_SHOWN = 10
OVERVIEW_CACHE_SECONDS = 300  # how long an admin's edit of single rows may take to show on the home page


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
    """What has been imported so far, for the home page: one query when kept, seven when counted.

    Counting 2M+ snapshots takes about 0.4 s at national scale, on every visit of the home page, so the
    answer is kept in the cache under the newest city, account, snapshot and import ids (one query of
    four index lookups). An import, a new city or account shows at once; an admin's edit or deletion
    of single rows shows within OVERVIEW_CACHE_SECONDS. The labels are translated: the language is
    part of the key.
    """
    key = f"accounts:overview:{data_marks()}:{translation.get_language()}"
    return cache.get_or_set(key, _data_overview_count, OVERVIEW_CACHE_SECONDS)


def data_marks() -> str:
    """The newest id of each table the overview counts, as one text: it changes on every import and
    every new city or account (the overview's cache key). One query."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {data_marks_sql()}")  # noqa: S608 - table names from the models, no input
        return "-".join(str(mark) for mark in cursor.fetchone())


def data_marks_sql() -> str:
    """data_marks as a list of SQL expressions, for a query that reads other marks beside them."""
    tables = (City, GovAccount, Snapshot, SnapshotImport)
    return ", ".join(f"(SELECT MAX(id) FROM {model._meta.db_table})" for model in tables)


def _data_overview_count() -> DataOverview:
    """The overview counted afresh. Six queries."""
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


# --- The scoring input --------------------------------------------------------------------------------
SNAPSHOT_FRAME_COLUMNS = (
    "account_id", "city_id", "category", "period_start", "period_end", *SNAPSHOT_COUNT_FIELDS,
    *SNAPSHOT_OPTIONAL_COUNT_FIELDS, "last_post_on",
)
_DATE_COLUMNS = ("period_start", "period_end", "last_post_on")
_DAYS_SINCE_EPOCH = {
    # A date as whole days since 1970-01-01: integers travel and parse far faster than date text.
    "postgresql": "({column} - DATE '1970-01-01')",
    "sqlite": "CAST(julianday({column}) - 2440587.5 AS INTEGER)",
}
_CUSTOM_METRIC = {
    "postgresql": "(s.custom_metrics ->> {key})::float8",
    "sqlite": "CAST(json_extract(s.custom_metrics, '$.' || json_quote({key})) AS REAL)",
}


def snapshots_frame(*, period_start: date, period_end: date, custom_metrics: Sequence[str] = ()) -> pd.DataFrame:
    """Every snapshot whose dates lie inside [period_start, period_end], with its account's city and
    category, as one DataFrame read in bulk (COPY … TO STDOUT on PostgreSQL; one query on SQLite).

    Columns: SNAPSHOT_FRAME_COLUMNS (category a pandas Categorical; dates as datetime64, NaT for an
    unknown last post; the optional
    counts as float with NaN when absent) plus one float column per requested custom metric (NaN when a
    snapshot lacks it). This is the input contract of rankings.scoring.inputs.period_totals.
    """
    vendor = connection.vendor
    days = _DAYS_SINCE_EPOCH.get(vendor, _DAYS_SINCE_EPOCH["sqlite"])
    select = [
        "s.account_id", "a.city_id", "a.category",
        *(days.format(column=f"s.{name}") + f" AS {name}" for name in ("period_start", "period_end")),
        *(f"s.{name}" for name in (*SNAPSHOT_COUNT_FIELDS, *SNAPSHOT_OPTIONAL_COUNT_FIELDS)),
        days.format(column="s.last_post_on") + " AS last_post_on",
        *(_CUSTOM_METRIC.get(vendor, _CUSTOM_METRIC["sqlite"]).format(key="%s") + f' AS "custom_{n}"'
          for n in range(len(custom_metrics))),
    ]
    sql = (
        f"SELECT {', '.join(select)} FROM {Snapshot._meta.db_table} s "
        f"JOIN {GovAccount._meta.db_table} a ON a.id = s.account_id "
        "WHERE s.period_start >= %s AND s.period_end <= %s ORDER BY s.account_id, s.period_end, s.period_start"
    )
    params = [*custom_metrics, period_start, period_end]
    snapshots = query_frame(sql, params, columns=[*SNAPSHOT_FRAME_COLUMNS, *custom_metrics],
                            dtypes={"category": "category"})
    return _typed(snapshots, custom_metrics)


# --- Period totals in the database (PostgreSQL) ---------------------------------------------------------
SNAPSHOT_TOTALS_COLUMNS = (
    "account_id", "city_id", "category", *SNAPSHOT_COUNT_FIELDS, *SNAPSHOT_OPTIONAL_COUNT_FIELDS,
    "last_post_on", "snapshots", "days_covered",
)
# The categories travel as their position in this tuple (a small integer), never as text per row.
ACCOUNT_CATEGORIES = tuple(GovAccount.Category.values)


def snapshot_totals_frame(*, period_start: date, period_end: date, custom_metrics: Sequence[str] = (),
                          latest_metrics: Sequence[str] = ()) -> pd.DataFrame:
    """PostgreSQL only: each account's totals over the snapshots lying inside [period_start, period_end],
    computed by one GROUP BY in the database and copied out (COPY … TO STDOUT) as one row per account.

    Same rows and rules as rankings.scoring.inputs.period_totals over snapshots_frame (tested equal):
    fans of the latest snapshot (greatest period_end, then greatest period_start), the other counts summed
    (int64), the optional counts and custom metrics summed (float64, NaN when every snapshot lacks them)
    except latest_metrics (of custom_metrics: the value of the latest snapshot that has one, NaN if none),
    last_post_on the latest (datetime64[s], NaT unknown), snapshots = how many were counted, days_covered
    = their days added up (period_end - period_start + 1 each; overlapping snapshots both count), category as
    a pandas Categorical of ACCOUNT_CATEGORIES. Indexed by account_id, sorted; no `days` column (the
    caller knows the period). The snapshot table is aggregated alone (PostgreSQL may do it in parallel
    workers), then joined to the accounts for city and category.
    """
    if connection.vendor != "postgresql":
        raise NotImplementedError("snapshot_totals_frame needs PostgreSQL; use snapshots_frame elsewhere")
    epoch = "DATE '1970-01-01'"
    # max() over arrays compares element by element: [end, start, fans] of the latest snapshot wins.
    latest_fans = (f"(max(ARRAY[(period_end - {epoch})::int8, (period_start - {epoch})::int8, fans]))[3]")
    summed = [f"sum({name})::int8 AS {name}" for name in SNAPSHOT_COUNT_FIELDS if name != "fans"]
    optional = [f"sum({name})::float8 AS {name}" for name in SNAPSHOT_OPTIONAL_COUNT_FIELDS]
    custom, params = _custom_metric_columns(custom_metrics, latest_metrics, epoch=epoch)
    inner = ", ".join([
        "account_id", f"{latest_fans} AS fans", *summed, *optional,
        f"max(last_post_on) - {epoch} AS last_post_on", "count(*) AS snapshots",
        "sum(period_end - period_start + 1)::int8 AS days_covered", *custom,
    ])
    categories = ", ".join(f"'{name}'" for name in ACCOUNT_CATEGORIES)
    outer = ", ".join([
        "t.account_id", "a.city_id", f"array_position(ARRAY[{categories}]::varchar[], a.category) - 1",
        *(f"t.{name}" for name in (*SNAPSHOT_COUNT_FIELDS, *SNAPSHOT_OPTIONAL_COUNT_FIELDS, "last_post_on",
                                   "snapshots", "days_covered")),
        *(f't."custom_{n}"' for n in range(len(custom_metrics))),
    ])
    sql = (
        f"SELECT {outer} FROM (SELECT {inner} FROM {Snapshot._meta.db_table} "
        "WHERE period_start >= %s AND period_end <= %s GROUP BY account_id) t "
        f"JOIN {GovAccount._meta.db_table} a ON a.id = t.account_id"
    )
    names = [*SNAPSHOT_TOTALS_COLUMNS, *custom_metrics]
    dtypes = {name: "int64" for name in ("account_id", "city_id", *SNAPSHOT_COUNT_FIELDS, "snapshots", "days_covered")}
    dtypes |= dict.fromkeys((*SNAPSHOT_OPTIONAL_COUNT_FIELDS, "last_post_on", *custom_metrics), "float64")
    dtypes["category"] = "float64"  # NULL (-1 never happens: an unknown category is NULL) stays visible
    totals = query_frame(sql, [*params, period_start, period_end], columns=names, dtypes=dtypes)
    codes = totals["category"].fillna(-1).to_numpy(dtype="int64")
    totals["category"] = pd.Categorical.from_codes(codes, categories=list(ACCOUNT_CATEGORIES))
    totals["last_post_on"] = _dates(totals["last_post_on"])
    return totals.set_index("account_id").sort_index()


def _custom_metric_columns(custom_metrics: Sequence[str], latest_metrics: Sequence[str], *,
                           epoch: str) -> tuple[list[str], list[str]]:
    """The aggregate of each custom metric ("custom_<n>": summed, or the latest snapshot's value for
    latest_metrics) and the query parameters it takes (the metric's name, once per use)."""
    unknown = [name for name in latest_metrics if name not in custom_metrics]
    if unknown:
        raise ValueError(f"latest_metrics must be among custom_metrics: {', '.join(unknown)}")
    custom, params = [], []
    for n, name in enumerate(custom_metrics):
        value = "(custom_metrics ->> %s)::float8"
        if name in latest_metrics:
            # The same array pattern as fans, over the snapshots that carry the metric (a NULL would
            # sort above every number). Whole days since 1970 are exact in float8.
            custom.append(f"(max(ARRAY[(period_end - {epoch})::float8, (period_start - {epoch})::float8, {value}])"
                          f' FILTER (WHERE {value} IS NOT NULL))[3] AS "custom_{n}"')
            params += [name, name]
        else:
            custom.append(f'sum({value}) AS "custom_{n}"')
            params.append(name)
    return custom, params


def _dates(days: pd.Series) -> pd.Series:
    """Whole days since 1970-01-01 (float, NaN unknown) → datetime64[s] (NaT unknown), without Python objects."""
    values = days.to_numpy(dtype="float64")
    known = ~np.isnan(values)
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[s]")
    out[known] = values[known].astype("int64").astype("datetime64[D]")
    return pd.Series(out, index=days.index, name=days.name)


def _typed(snapshots: pd.DataFrame, custom_metrics: Sequence[str]) -> pd.DataFrame:
    for name in ("account_id", "city_id", *SNAPSHOT_COUNT_FIELDS):
        snapshots[name] = snapshots[name].astype("int64")
    for name in (*SNAPSHOT_OPTIONAL_COUNT_FIELDS, *custom_metrics):
        snapshots[name] = pd.to_numeric(snapshots[name], errors="coerce").astype("float64")
    for name in _DATE_COLUMNS:
        snapshots[name] = pd.to_datetime(
            pd.to_numeric(snapshots[name], errors="coerce").astype("Float64"), unit="D"
        ).astype("datetime64[s]")
    # One code per row and six strings, not a Python string per snapshot (2.1M at national scale).
    snapshots["category"] = snapshots["category"].astype("category")
    return snapshots
