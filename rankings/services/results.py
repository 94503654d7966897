"""Writing a run's results: delete whatever the run had, insert the new rows, in one transaction.

Per-account rows (180,000 at national scale) go through one PostgreSQL binary COPY straight into
their table, NULLs, category texts and the two float8[] lists (rankings.fields) encoded by numpy
(core.bulk.binary_copy_shaped); no Python loop per row, no float printed as text. (Until issue 19 they
went through a temporary table and an INSERT … SELECT that built the lists: 0.5 s more at national scale.)
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
from core.bulk import binary_copy_shaped
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
    accounts=None: they were copied into the account score table already (PostgreSQL, inside this
    transaction, after taking the lock) and are checked there. Raises ScoringError naming the first missing ids (the run then fails, writes nothing)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", list(REFERENCES_LOCK))
    if not ScoreRun.objects.filter(pk=run.pk).exists():
        raise ScoringError(_("Score run #%(id)s was deleted while it was being written.") % {"id": run.pk})
    missing_cities = np.setdiff1d(cities, _existing(City, cities))
    if len(missing_cities):
        raise ScoringError(_("Some cities this run scored were deleted while it ran (ids %(ids)s); start the run "
                             "again.") % {"ids": _shown(missing_cities)})
    missing_accounts = _staged_accounts_missing(run.pk) if accounts is None else np.setdiff1d(
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


def _staged_accounts_missing(run_id: int) -> np.ndarray:
    """PostgreSQL: the first account ids among the run's copied rows that have no account row (one anti-join)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.account_id FROM {AccountScore._meta.db_table} s WHERE s.run_id = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {GovAccount._meta.db_table} a WHERE a.id = s.account_id) ORDER BY s.account_id "
            f"LIMIT {_MISSING_SHOWN + 1}", [run_id])
        return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)


def _shown(missing: np.ndarray) -> str:
    shown = ", ".join(str(number) for number in missing[:_MISSING_SHOWN])
    return shown + ", …" if len(missing) > _MISSING_SHOWN else shown


# --- Writing the account rows ----------------------------------------------------------------------------
def _accounts_copy(run: ScoreRun, accounts: pd.DataFrame, keys: list[str], *, city_ids: np.ndarray) -> None:
    """PostgreSQL: the rows binary-COPYed straight into the account score table (their NULLs, category
    texts and float8[] lists encoded by core.bulk.binary_copy_shaped), then checked set-based."""
    flags = _flag_columns(accounts)
    columns = [
        ("run_id", ">i8", np.full(len(accounts), run.pk, dtype=np.int64), None),
        ("account_id", ">i8", accounts.index.to_numpy(dtype=np.int64), None),
        ("city_id", ">i8", accounts[col.CITY_ID].to_numpy(dtype=np.int64), None),
        ("category", "text", accounts[col.CATEGORY].to_numpy(dtype=object), None),
        ("composite", ">f8", accounts[col.COMPOSITE].to_numpy(dtype=np.float64), None),
        ("rank_in_category", ">i4", accounts[col.RANK_IN_CATEGORY].to_numpy(dtype=np.int32), None),
        ("raw_values", "float8[]", _matrix(accounts, [col.raw_column(key) for key in keys]), None),
        ("normalized_values", "float8[]", _matrix(accounts, [col.norm_column(key) for key in keys]), None),
        ("empty_shell", "?", flags["empty_shell"].astype(bool), None),
        ("inactive", "?", flags["inactive"] == 1, flags["inactive"] == _NULL_BOOL),
        ("broadcast_only", "?", flags["broadcast_only"].astype(bool), None),
        ("reply_rate", ">f8", flags["reply_rate"], np.isnan(flags["reply_rate"])),
    ]
    # The reference check below takes REFERENCES_LOCK before it reads: what it must order against the
    # delete triggers is the check, not the COPY (the module text).
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {AccountScore._meta.db_table} ({', '.join(name for name, *_rest in columns)}) "
            "FROM STDIN WITH (FORMAT binary)",
            binary_copy_shaped([(kind, values, nulls) for _name, kind, values, nulls in columns]),
        )
    _check_references(run, accounts=None, cities=city_ids)


def _matrix(accounts: pd.DataFrame, names: list[str]) -> np.ndarray:
    """The columns as one n × k float array (k may be 0)."""
    if not names:
        return np.empty((len(accounts), 0), dtype=np.float64)
    return accounts[names].to_numpy(dtype=np.float64)


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
