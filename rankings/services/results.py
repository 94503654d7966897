"""Writing a run's results: delete whatever the run had, insert the new rows, in one transaction.

Per-account rows (180,000 at national scale) go through PostgreSQL's binary COPY into a temporary
table and one INSERT … SELECT that gathers each row's indicator values into its two float8[] lists
(rankings.fields) in the database; no Python loop per row, no float printed as text.
The city tables are small (≈330 cities × 6 categories) and use bulk_create on every database.

Integrity without per-row foreign-key checks. The result tables' keys to the run, the account and the
city have no database constraint (rankings/models.py, migration 0003), because PostgreSQL checked
them one row at a time at commit: 180,000 × 3 checks, 2.3 s of a national run. Instead:
  - the writer (_check_references), inside its transaction and before inserting, takes the *shared*
    advisory lock REFERENCES_LOCK and then asks once, set-based, whether every run, account and city
    the rows name exists; a missing one fails the run (nothing written, the ids named);
  - on PostgreSQL, every DELETE or TRUNCATE of accounts, cities or runs fires a statement trigger
    (migration 0003) that takes the same lock *exclusively* and then refuses the statement if result
    rows still reference a deleted row (the constraint's own error code, foreign_key_violation).
The two locks order any writer and any deleter: a deleter that got the lock first makes the writer wait
until it commits, and the writer's check (a new statement, hence a new snapshot) then sees the rows
gone; a writer that got it first makes the deleter's trigger wait until the writer commits, and the
trigger's check then sees the new result rows and refuses. One lock per transaction replaces 180,000
row locks. The ORM's on_delete=CASCADE deletes result rows before their account as before. On SQLite
one transaction writes at a time and this one holds the write lock from its first DELETE to its
commit, so the check alone settles it. The full argument: docs/architecture.md, "Result rows are
checked once, not per row".
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.utils.translation import gettext as _

from accounts.models import City, GovAccount
from core.bulk import binary_copy_file
from rankings.models import AccountScore, CityCategoryScore, CityScore, ScoreRun
from rankings.scoring import columns as col
from rankings.scoring.aggregate import counts_for_city
from rankings.scoring.pipeline import ScoreResult
from rankings.scoring.ranks import rank_change
from rankings.scoring.schemes import Scheme
from rankings.services.errors import ScoringError

_CATEGORY_CODES = {name: code for code, name in enumerate(col.CATEGORIES)}
_NULL_BOOL = -1


def results_write(*, run: ScoreRun, scheme: Scheme, result: ScoreResult, previous_ranks: pd.Series) -> None:
    """Replace the run's results with `result`. Rank change is previous rank − rank (null: new city).
    `scheme` is the run's own document (run.definition): its indicators' order is the stored lists' order."""
    keys = list(scheme.indicator_keys)  # the lists' order: the run's document's indicators
    with transaction.atomic():
        for model in (AccountScore, CityCategoryScore, CityScore):
            model.objects.filter(run=run).delete()
        city_ids = np.unique(np.concatenate([
            result.accounts[col.CITY_ID].to_numpy(dtype=np.int64),
            result.city_categories[col.CITY_ID].to_numpy(dtype=np.int64),
            result.cities.index.to_numpy(dtype=np.int64),
        ]))
        if connection.vendor == "postgresql":
            _accounts_copy(run, result.accounts, keys, city_ids=city_ids)
        else:
            _check_references(run, accounts=result.accounts.index.to_numpy(dtype=np.int64), cities=city_ids)
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


# --- The set-based reference check ----------------------------------------------------------------------
# pg_advisory_xact_lock key pair: writers of result rows share it, the delete triggers of migration 0003
# take it exclusively (the literal 4204003 there must stay equal). Imports use 4_204_001, runs 4_204_002.
REFERENCES_LOCK = (4_204_003, 0)
_MISSING_SHOWN = 5


def _check_references(run: ScoreRun, *, accounts: np.ndarray | None, cities: np.ndarray) -> None:
    """Every run, account and city the rows will name exists: one query per table, inside the writing
    transaction, after taking the shared REFERENCES_LOCK on PostgreSQL (see the module text).
    accounts=None: they were staged in the temporary table run_account_scores (PostgreSQL) and are
    checked there. Raises ScoringError naming the first missing ids (the run then fails, writes nothing)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", list(REFERENCES_LOCK))
    if not ScoreRun.objects.filter(pk=run.pk).exists():
        raise ScoringError(_("Score run #%(id)s was deleted while it was being written.") % {"id": run.pk})
    missing_cities = np.setdiff1d(cities, _existing(City, cities))
    if len(missing_cities):
        raise ScoringError(_("Some cities this run scored were deleted while it ran (ids %(ids)s); start the run "
                             "again.") % {"ids": _shown(missing_cities)})
    missing_accounts = _staged_accounts_missing() if accounts is None else np.setdiff1d(
        accounts, _existing(GovAccount, accounts))
    if len(missing_accounts):
        raise ScoringError(_("Some accounts this run scored were deleted while it ran (ids %(ids)s); start the "
                             "run again.") % {"ids": _shown(missing_accounts)})


def _existing(model: type, ids: np.ndarray) -> np.ndarray:
    """The ids that have a row, asked in chunks (SQLite limits a query's parameters)."""
    found = [np.empty(0, dtype=np.int64)]
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000].tolist()
        found.append(np.fromiter(model.objects.filter(pk__in=chunk).values_list("pk", flat=True), dtype=np.int64))
    return np.concatenate(found)


def _staged_accounts_missing() -> np.ndarray:
    """PostgreSQL: the first staged account ids that have no account row (one anti-join)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.account_id FROM run_account_scores s WHERE NOT EXISTS (SELECT 1 FROM "
            f"{GovAccount._meta.db_table} a WHERE a.id = s.account_id) ORDER BY s.account_id LIMIT {_MISSING_SHOWN + 1}"
        )
        return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)


def _shown(missing: np.ndarray) -> str:
    shown = ", ".join(str(number) for number in missing[:_MISSING_SHOWN])
    return shown + ", …" if len(missing) > _MISSING_SHOWN else shown


# --- Writing the account rows ----------------------------------------------------------------------------
def _accounts_copy(run: ScoreRun, accounts: pd.DataFrame, keys: list[str], *, city_ids: np.ndarray) -> None:
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

    def list_of(prefix: str) -> str:
        items = ", ".join(f"{prefix}_{n}" for n in range(len(keys)))
        return f"ARRAY[{items}]::float8[]" if keys else "'{}'::float8[]"

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE run_account_scores ("
            + ", ".join(f"{name} {kind} NOT NULL" for name, kind, _values in staged) + ") ON COMMIT DROP"
        )
        cursor.copy_expert(
            f"COPY run_account_scores ({', '.join(name for name, _k, _v in staged)}) FROM STDIN WITH (FORMAT binary)",
            binary_copy_file([(values, big_endian[kind]) for _name, kind, values in staged]),
        )
        _check_references(run, accounts=None, cities=city_ids)
        cursor.execute(
            f"INSERT INTO {AccountScore._meta.db_table} (run_id, account_id, city_id, category, composite, "
            "rank_in_category, raw_values, normalized_values, empty_shell, inactive, broadcast_only, reply_rate) "
            f"SELECT %s, account_id, city_id, (ARRAY[{categories}])[category + 1], composite, rank_in_category, "
            f"{list_of('raw')}, {list_of('norm')}, empty_shell = 1, "
            f"CASE inactive WHEN {_NULL_BOOL} THEN NULL ELSE inactive = 1 END, broadcast_only = 1, "
            "NULLIF(reply_rate, 'NaN'::float8) FROM run_account_scores",
            [run.pk],
        )
        cursor.execute("DROP TABLE run_account_scores")


def _accounts_bulk_create(run: ScoreRun, accounts: pd.DataFrame, keys: list[str]) -> None:
    """The embedded (SQLite) path: laptop-sized data, plain bulk_create in batches."""
    flags = _flag_columns(accounts)
    raw = accounts[[col.raw_column(key) for key in keys]].to_numpy(dtype=np.float64).tolist()
    norm = accounts[[col.norm_column(key) for key in keys]].to_numpy(dtype=np.float64).tolist()
    rows = (
        AccountScore(
            run=run, account_id=int(account_id), city_id=int(city_id), category=category,
            composite=float(composite), rank_in_category=int(rank), raw_values=raw[n], normalized_values=norm[n],
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
