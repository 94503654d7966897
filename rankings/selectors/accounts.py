"""Reads of accounts in runs, as plain DataFrames (no HTML): a category's leaderboard (national or one
province) and one account's history across the published runs of a scheme, with its metrics per period.

Pages (rankings.views) and the REST API both build on these; each issues a fixed number of queries
whatever the number of accounts (one bulk read, shaped in pandas).
"""
from __future__ import annotations

import pandas as pd
from django.db import connection
from django.db.models import QuerySet

from accounts.models import SNAPSHOT_COUNT_FIELDS, SNAPSHOT_OPTIONAL_COUNT_FIELDS, GovAccount, Snapshot
from core.bulk import query_frame
from core.periods import Period
from rankings.fields import ListItem, keyed
from rankings.models import AccountScore, ScoreRun, ScoringScheme
from rankings.selectors.cities import category_sizes_of_runs, run_cached

FLAG_COLUMNS = ("empty_shell", "inactive", "broadcast_only", "reply_rate")
LEADERBOARD_COLUMNS = ("account_id", "screen_name", "city_id", "city", "city_en", "province", "composite",
                       "rank_in_category", *FLAG_COLUMNS)
HISTORY_COLUMNS = ("run_id", "period", "period_start", "period_end", "composite", "rank_in_category",
                   "category_accounts")
METRIC_COLUMNS = (*SNAPSHOT_COUNT_FIELDS, *SNAPSHOT_OPTIONAL_COUNT_FIELDS)


def category_leaderboard_frame(*, run: ScoreRun, category: str, province: str | None = None) -> pd.DataFrame:
    """The run's accounts of `category`, see _category_leaderboard_frame; a published run's national
    leaderboard comes from the cache after its first read (cities.run_cached)."""
    if province:
        return _category_leaderboard_frame(run=run, category=category, province=province)
    return run_cached(run, f"leaderboard:{category}", lambda: _category_leaderboard_frame(run=run, category=category))


def _category_leaderboard_frame(*, run: ScoreRun, category: str, province: str | None = None) -> pd.DataFrame:
    """The run's accounts of `category` by rank in category (national ranks, kept when a province is
    chosen), then screen name. LEADERBOARD_COLUMNS, then one float column per indicator key of the
    scheme (its normalised value). inactive is None when unknown, reply_rate NaN without comments.
    One query (a bulk COPY read on PostgreSQL)."""
    keys = list(run.definition.indicator_keys)
    rows = AccountScore.objects.filter(run=run, category=category)
    if province:
        rows = rows.filter(city__province=province)
    values = {f"norm_{n}": ListItem("normalized_values", n) for n in range(len(keys))}
    fields = ["account_id", "account__screen_name", "city_id", "city__name", "city__name_en", "city__province",
              "composite", "rank_in_category", *FLAG_COLUMNS]
    rows = rows.annotate(**values).order_by("rank_in_category", "account__screen_name", "id")
    frame = _frame(rows.values_list(*fields, *values), columns=[*LEADERBOARD_COLUMNS, *values],
                   text_columns=["screen_name", "city", "city_en", "province"])
    frame = frame.rename(columns={f"norm_{n}": key for n, key in enumerate(keys)})
    for column in ("composite", "reply_rate", *keys):
        frame[column] = frame[column].astype("float64")
    frame["city_en"] = frame["city_en"].fillna("")
    return frame


def account_history_frame(*, account_id: int, scheme: ScoringScheme,
                          runs: list[ScoreRun] | None = None) -> pd.DataFrame:
    """The account's score and rank in category in every published run of `scheme`, oldest period
    first: HISTORY_COLUMNS, then raw__<key> and <key> (normalised) for each indicator key of the
    runs' documents (each run's stored lists paired with its own document's keys), and the flags. Two
    queries (the runs, unless the caller has read them: `runs`, the scheme's published runs, documents
    included; the scores) and the size of each run's category
    (cities.category_sizes_of_runs: kept in the cache for published runs, else one query)."""
    if runs is None:
        runs = list(ScoreRun.objects.filter(scheme=scheme, is_published=True)
                    .only("id", "is_published", "stage", "finished_at", "published_at", "document"))
    # Through the run ids, so that the unique (run, account) index finds each row.
    rows = list(AccountScore.objects.filter(run_id__in=[run.pk for run in runs], account_id=account_id)
                .order_by("run__period_start", "run__period_end")
                .values_list("run_id", "run__period_start", "run__period_end", "category", "composite",
                             "rank_in_category", "raw_values", "normalized_values", *FLAG_COLUMNS))
    scored = {row[0] for row in rows}
    keys = {run.pk: run.definition.indicator_keys for run in runs if run.pk in scored}
    sizes = category_sizes_of_runs([run for run in runs if run.pk in scored])
    records = []
    for run_id, start, end, category, composite, rank, raw, normalized, *flags in rows:
        record = {"run_id": run_id, "period": Period(start, end).label, "period_start": start, "period_end": end,
                  "composite": composite, "rank_in_category": rank,
                  "category_accounts": sizes.get((run_id, category))}
        record |= {f"raw__{key}": value for key, value in keyed(keys[run_id], raw).items()}
        record |= keyed(keys[run_id], normalized)
        record |= dict(zip(FLAG_COLUMNS, flags, strict=True))
        records.append(record)
    return pd.DataFrame.from_records(records, columns=_history_columns(records))


def account_metrics_frame(*, account_id: int) -> pd.DataFrame:
    """The account's snapshots, oldest first: period (label), period_start, period_end, the counts of
    METRIC_COLUMNS (optional ones NaN when absent) and last_post_on. One query."""
    rows = list(Snapshot.objects.filter(account_id=account_id).order_by("period_start", "period_end")
                .values_list("period_start", "period_end", *METRIC_COLUMNS, "last_post_on"))
    frame = pd.DataFrame.from_records(rows, columns=["period_start", "period_end", *METRIC_COLUMNS, "last_post_on"])
    frame.insert(0, "period", [Period(start, end).label for start, end in zip(frame["period_start"],
                                                                               frame["period_end"], strict=True)])
    for column in SNAPSHOT_OPTIONAL_COUNT_FIELDS:
        frame[column] = frame[column].astype("float64")
    return frame


def account_get(*, account_id: int) -> GovAccount | None:
    """The account with its city, or None. One query."""
    return GovAccount.objects.select_related("city").filter(pk=account_id).first()


def _history_columns(records: list[dict[str, object]]) -> list[str]:
    columns = list(HISTORY_COLUMNS)
    for record in records:
        columns += [key for key in record if key not in columns and key not in FLAG_COLUMNS]
    return [*columns, *FLAG_COLUMNS]


def _frame(rows: QuerySet, *, columns: list[str], text_columns: list[str]) -> pd.DataFrame:
    """A values_list queryset as a DataFrame: a bulk COPY read on PostgreSQL (its "t"/"f" booleans made
    True/False/None), the plain rows elsewhere."""
    if connection.vendor != "postgresql":
        return pd.DataFrame.from_records(list(rows), columns=columns)
    sql, params = rows.query.sql_with_params()
    frame = query_frame(sql, params, columns=columns, text_columns=text_columns)
    for column in ("empty_shell", "inactive", "broadcast_only"):
        frame[column] = frame[column].map({"t": True, "f": False}).astype("object")
    for column in text_columns:
        frame[column] = frame[column].astype("object")
    return frame
