"""Writing a run's results: delete whatever the run had, insert the new rows, in one transaction.

Per-account rows (180,000 at national scale) go through PostgreSQL's binary COPY into a temporary
table and one INSERT … SELECT that builds the JSON columns in the database; no Python loop per row.
The city tables are small (≈330 cities × 6 categories) and use bulk_create on every database.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
from django.db import connection, transaction

from core.bulk import binary_copy
from rankings.models import AccountScore, CityCategoryScore, CityScore, ScoreRun
from rankings.scoring import columns as col
from rankings.scoring.aggregate import counts_for_city
from rankings.scoring.pipeline import ScoreResult
from rankings.scoring.ranks import rank_change
from rankings.scoring.schemes import Scheme

_CATEGORY_CODES = {name: code for code, name in enumerate(col.CATEGORIES)}
_NULL_BOOL = -1


def results_write(*, run: ScoreRun, scheme: Scheme, result: ScoreResult, previous_ranks: pd.Series) -> None:
    """Replace the run's results with `result`. Rank change is previous rank − rank (null: new city)."""
    keys = [column.removeprefix("raw__") for column in result.accounts.columns if column.startswith("raw__")]
    with transaction.atomic():
        for model in (AccountScore, CityCategoryScore, CityScore):
            model.objects.filter(run=run).delete()
        if connection.vendor == "postgresql":
            _accounts_copy(run, result.accounts, keys)
        else:
            _accounts_bulk_create(run, result.accounts, keys)
        city_categories = result.city_categories
        city_categories = city_categories[counts_for_city(city_categories[col.CATEGORY], scheme.category_weights)]
        CityCategoryScore.objects.bulk_create(
            CityCategoryScore(run=run, city_id=int(row.city_id), category=row.category, score=float(row.score),
                              accounts=int(row.accounts))
            for row in city_categories.itertuples(index=False)
        )
        CityScore.objects.bulk_create(_city_rows(run, result, previous_ranks), batch_size=1000)


def _city_rows(run: ScoreRun, result: ScoreResult, previous_ranks: pd.Series) -> list[CityScore]:
    cities = result.cities
    changes = rank_change(cities[col.RANK], previous_ranks)
    previous = previous_ranks.reindex(cities.index)
    indicators = result.city_indicators.reindex(cities.index).astype(float).round(6).to_dict(orient="index")
    return [
        CityScore(
            run=run, city_id=int(city_id), score=float(row[col.SCORE]), rank=int(row[col.RANK]),
            previous_rank=None if pd.isna(previous[city_id]) else int(previous[city_id]),
            rank_change=None if pd.isna(changes[city_id]) else int(changes[city_id]),
            accounts=int(row[col.ACCOUNTS]), indicators=indicators.get(city_id, {}),
        )
        for city_id, row in cities.iterrows()
    ]


def _flag_columns(accounts: pd.DataFrame) -> dict[str, np.ndarray]:
    inactive = accounts[col.INACTIVE].astype("Int8").fillna(_NULL_BOOL).to_numpy(dtype=np.int16)
    return {
        "empty_shell": accounts[col.EMPTY_SHELL].astype(bool).to_numpy(dtype=np.int16),
        "inactive": inactive,
        "broadcast_only": accounts[col.BROADCAST_ONLY].astype(bool).to_numpy(dtype=np.int16),
        "reply_rate": accounts[col.REPLY_RATE].astype(float).to_numpy(),
    }


def _accounts_copy(run: ScoreRun, accounts: pd.DataFrame, keys: list[str]) -> None:
    flags = _flag_columns(accounts)
    staged = [
        ("account_id", "int8", accounts.index.to_numpy(dtype=np.int64)),
        ("city_id", "int8", accounts[col.CITY_ID].to_numpy(dtype=np.int64)),
        ("category", "int2", accounts[col.CATEGORY].map(_CATEGORY_CODES).to_numpy(dtype=np.int16)),
        ("composite", "float8", accounts[col.COMPOSITE].to_numpy(dtype=np.float64)),
        ("rank_in_category", "int8", accounts[col.RANK_IN_CATEGORY].to_numpy(dtype=np.int64)),
        *((f"raw_{n}", "float8", accounts[col.raw_column(key)].to_numpy(dtype=np.float64)) for n, key in enumerate(keys)),
        *((f"norm_{n}", "float8", accounts[col.norm_column(key)].to_numpy(dtype=np.float64))
          for n, key in enumerate(keys)),
        ("empty_shell", "int2", flags["empty_shell"]),
        ("inactive", "int2", flags["inactive"]),
        ("broadcast_only", "int2", flags["broadcast_only"]),
        ("reply_rate", "float8", flags["reply_rate"]),
    ]
    big_endian = {"int8": ">i8", "int2": ">i2", "float8": ">f8"}
    categories = ", ".join(f"'{name}'" for name in col.CATEGORIES)

    def json_of(prefix: str) -> str:
        if not keys:
            return "'{}'::jsonb"
        pairs = ", ".join(f"%s, {prefix}_{n}" for n in range(len(keys)))
        return f"jsonb_build_object({pairs})"

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE run_account_scores ("
            + ", ".join(f"{name} {kind} NOT NULL" for name, kind, _values in staged) + ") ON COMMIT DROP"
        )
        cursor.copy_expert(
            f"COPY run_account_scores ({', '.join(name for name, _k, _v in staged)}) FROM STDIN WITH (FORMAT binary)",
            io.BytesIO(binary_copy([(values, big_endian[kind]) for _name, kind, values in staged])),
        )
        cursor.execute(
            f"INSERT INTO {AccountScore._meta.db_table} (run_id, account_id, city_id, category, composite, "
            "rank_in_category, raw, normalized, empty_shell, inactive, broadcast_only, reply_rate) "
            f"SELECT %s, account_id, city_id, (ARRAY[{categories}])[category + 1], composite, rank_in_category, "
            f"{json_of('raw')}, {json_of('norm')}, empty_shell = 1, "
            f"CASE inactive WHEN {_NULL_BOOL} THEN NULL ELSE inactive = 1 END, broadcast_only = 1, "
            "NULLIF(reply_rate, 'NaN'::float8) FROM run_account_scores",
            [run.pk, *keys, *keys],
        )
        cursor.execute("DROP TABLE run_account_scores")


def _accounts_bulk_create(run: ScoreRun, accounts: pd.DataFrame, keys: list[str]) -> None:
    """The embedded (SQLite) path: laptop-sized data, plain bulk_create in batches."""
    flags = _flag_columns(accounts)
    raw = accounts[[col.raw_column(key) for key in keys]].set_axis(keys, axis=1).to_dict(orient="records")
    norm = accounts[[col.norm_column(key) for key in keys]].set_axis(keys, axis=1).to_dict(orient="records")
    rows = (
        AccountScore(
            run=run, account_id=int(account_id), city_id=int(city_id), category=category,
            composite=float(composite), rank_in_category=int(rank), raw=raw[n], normalized=norm[n],
            empty_shell=bool(flags["empty_shell"][n]),
            inactive=None if flags["inactive"][n] == _NULL_BOOL else bool(flags["inactive"][n]),
            broadcast_only=bool(flags["broadcast_only"][n]),
            reply_rate=None if np.isnan(flags["reply_rate"][n]) else float(flags["reply_rate"][n]),
        )
        for n, (account_id, city_id, category, composite, rank) in enumerate(zip(
            accounts.index, accounts[col.CITY_ID], accounts[col.CATEGORY], accounts[col.COMPOSITE],
            accounts[col.RANK_IN_CATEGORY], strict=True))
    )
    AccountScore.objects.bulk_create(rows, batch_size=2000)
