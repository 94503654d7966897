"""PostgreSQL bulk path: per validated chunk, binary COPY into a temp staging table and set-based upserts.

Steps (all inside the import's transaction; the temp tables are dropped on commit or rollback):
1. begin: take a transaction-level advisory lock (two imports at once would race on "created on first
   sight"), create the staging tables.
2. stage, once per validated chunk, while the pipeline validates the next one:
   a. the cities and accounts first seen in the chunk (the registries' rows past those already written)
      are COPYed and upserted: INSERT … ON CONFLICT for cities, UPDATE + INSERT for accounts; their
      gid -> id pairs are added to import_city_ids / import_account_ids, which grow for the whole file;
   b. the chunk's snapshots are COPYed in PostgreSQL's binary format (every staged column is fixed-width,
      so a chunk becomes one numpy structured array: no text formatting, no per-row Python), then a plain
      INSERT … SELECT for accounts created by this import (none of their snapshots can exist, and a plain
      insert is cheaper than ON CONFLICT's speculative insertion), and INSERT … SELECT … ON CONFLICT DO
      UPDATE for the rest, counting created rows with the `xmax = 0` test of RETURNING. A snapshot key
      appears once per file (validation rejects repeats), so chunks never touch each other's rows.
3. finish: write any registry rows not written yet, drop the staging tables, return the counts.
A later error still undoes everything: the pipeline raises inside the transaction, which rolls back.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
from django.db import connection

from accounts.importing.validation import NOT_GIVEN
from accounts.importing.writing import WriteCounts
from accounts.models import SNAPSHOT_COUNT_FIELDS
from core.bulk import binary_copy

IMPORT_LOCK = 4_204_001  # pg_advisory_xact_lock key shared by every import
_PG_EPOCH_DAYS = 10_957  # 2000-01-01 (PostgreSQL's date epoch) in days since 1970-01-01
_NO_DATE = np.iinfo(np.int32).min

# (staged column, SQL type, numpy big-endian type). Dates travel as int4 days since 2000-01-01, which
# is exactly the binary form of a PostgreSQL date; last_post_on keeps an int4 with a "no date" sentinel.
_STAGED = (
    ("account_gid", "int4", ">i4"),
    ("period_start", "date", ">i4"),
    ("period_end", "date", ">i4"),
    *((name, "int8", ">i8") for name in SNAPSHOT_COUNT_FIELDS),
    ("original_reposts", "int8", ">i8"),
    ("original_comments", "int8", ">i8"),
    ("last_post_on", "int4", ">i4"),
)
_TEMP_TABLES = (
    "import_snapshots", "import_cities", "import_city_ids", "import_accounts", "import_new_accounts",
    "import_account_ids",
)
_UPDATED = (*SNAPSHOT_COUNT_FIELDS, "original_reposts", "original_comments", "last_post_on", "custom_metrics")


def _days(values: np.ndarray) -> np.ndarray:
    days = values.astype("datetime64[D]").astype(np.int64) - _PG_EPOCH_DAYS
    return np.where(np.isnat(values), _NO_DATE, days)


class PostgresWriter:
    """Writes each validated chunk as it comes, so PostgreSQL works while the next chunk is validated.

    Per chunk: the cities and accounts first seen in it are upserted, then its snapshots are inserted.
    The gid -> id maps (import_city_ids, import_account_ids) grow chunk by chunk; the other staging
    tables hold one chunk at a time.
    """

    def __init__(self) -> None:
        self.metric_names: list[str] = []
        self.rows = 0
        self.cities_flushed = 0
        self.accounts_flushed = 0
        self.cities_created = 0
        self.accounts_created = 0
        self.snapshots_created = 0
        self.existing_accounts = False  # any account of the file existed before: its snapshots need ON CONFLICT
        self.account_ids = np.zeros(0, dtype=np.int64)  # by gid, as far as registries_write has read them

    def begin(self, metric_names: list[str]) -> None:
        self.metric_names = metric_names
        columns = [f"{name} {sql_type} NOT NULL" for name, sql_type, _ in _STAGED]
        columns += [f"metric_{number} float8 NOT NULL" for number in range(len(metric_names))]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
            cursor.execute(f"CREATE TEMP TABLE import_snapshots ({', '.join(columns)}) ON COMMIT DROP")
            cursor.execute(
                "CREATE TEMP TABLE import_cities (gid int4 PRIMARY KEY, province text NOT NULL, name text NOT NULL,"
                " level text, admin_code text, name_en text) ON COMMIT DROP"
            )
            cursor.execute("CREATE TEMP TABLE import_city_ids (gid int4 PRIMARY KEY, id int8 NOT NULL) ON COMMIT DROP")
            cursor.execute(
                "CREATE TEMP TABLE import_accounts (gid int4 PRIMARY KEY, platform text NOT NULL,"
                " screen_name text NOT NULL, city_gid int4 NOT NULL, category text NOT NULL, level text NOT NULL,"
                " uid text, verified boolean, opened_on date) ON COMMIT DROP"
            )
            cursor.execute("CREATE TEMP TABLE import_new_accounts (id int8 PRIMARY KEY) ON COMMIT DROP")
            # is_new: the account was created by this import, so none of its snapshots can exist yet.
            cursor.execute(
                "CREATE TEMP TABLE import_account_ids (gid int4 PRIMARY KEY, id int8 NOT NULL,"
                " is_new boolean NOT NULL) ON COMMIT DROP"
            )

    def stage(self, snapshots: pd.DataFrame, cities: pd.DataFrame, accounts: pd.DataFrame) -> None:
        """Write one chunk: cities/accounts past those already written (row i of a registry has gid i), then
        the chunk's snapshots (which only refer to accounts registered by now)."""
        with connection.cursor() as cursor:
            self._flush_registries(cursor, cities, accounts)
            self._copy_snapshots(cursor, snapshots)
            self.snapshots_created += self._upsert_snapshots(cursor)
            cursor.execute("TRUNCATE import_snapshots")
        self.rows += len(snapshots)

    def finish(self, cities: pd.DataFrame, accounts: pd.DataFrame) -> WriteCounts:
        with connection.cursor() as cursor:
            self._flush_registries(cursor, cities, accounts)
            # ON COMMIT DROP only fires at the outermost commit; when the import runs inside a caller's
            # transaction (a test, a command importing several files) the next import needs the names free.
            cursor.execute(f"DROP TABLE {', '.join(_TEMP_TABLES)}")
        return WriteCounts(self.cities_created, self.accounts_created, self.snapshots_created,
                           self.rows - self.snapshots_created)

    def registries_write(self, cities: pd.DataFrame, accounts: pd.DataFrame) -> np.ndarray:
        """Write the registry rows not written yet (row i of a registry has gid i) and return every
        account's id by gid. Also for importers of other records that name accounts as snapshot files do:
        they call begin([]) first and finish() at the end, as the snapshot import does."""
        with connection.cursor() as cursor:
            self._flush_registries(cursor, cities, accounts)
            if len(self.account_ids) < self.accounts_flushed:
                cursor.execute("SELECT id FROM import_account_ids WHERE gid >= %s ORDER BY gid", [len(self.account_ids)])
                fresh = np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
                self.account_ids = np.concatenate([self.account_ids, fresh])
        return self.account_ids

    def _flush_registries(self, cursor, cities: pd.DataFrame, accounts: pd.DataFrame) -> None:
        new_cities = cities.iloc[self.cities_flushed:]
        if len(new_cities):
            self.cities_created += self._upsert_cities(cursor, new_cities, first_gid=self.cities_flushed)
            self.cities_flushed = len(cities)
        new_accounts = accounts.iloc[self.accounts_flushed:]
        if len(new_accounts):
            self.accounts_created += self._upsert_accounts(cursor, new_accounts, first_gid=self.accounts_flushed)
            self.accounts_flushed = len(accounts)
            cursor.execute("ANALYZE import_account_ids")  # temp tables are never auto-analyzed; the joins need stats

    def _copy_snapshots(self, cursor, snapshots: pd.DataFrame) -> None:
        columns = []
        for name, _sql_type, kind in _STAGED:
            values = snapshots[name].to_numpy()
            columns.append((_days(values) if values.dtype.kind == "M" else values, kind))
        # NaN (an empty metric cell) is a float8 value PostgreSQL can store; the insert turns it into "absent".
        columns += [(snapshots[f"metric_{number}"].to_numpy(), ">f8") for number in range(len(self.metric_names))]
        names = [name for name, _, _ in _STAGED] + [f"metric_{n}" for n in range(len(self.metric_names))]
        cursor.copy_expert(
            f"COPY import_snapshots ({', '.join(names)}) FROM STDIN WITH (FORMAT binary)",
            io.BytesIO(binary_copy(columns)),
        )

    @staticmethod
    def _copy_csv(cursor, table: str, frame: pd.DataFrame) -> None:
        text = io.StringIO()
        # None/NaN are written as nothing, which COPY's csv format reads as NULL.
        frame.to_csv(text, index=False, header=False, na_rep="")
        text.seek(0)
        cursor.copy_expert(f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN WITH (FORMAT csv)", text)

    def _upsert_cities(self, cursor, cities: pd.DataFrame, *, first_gid: int) -> int:
        cursor.execute("TRUNCATE import_cities")
        staged = cities[["province", "name", "level", "admin_code", "name_en"]].replace({"": None})
        self._copy_csv(cursor, "import_cities", staged.assign(gid=np.arange(first_gid, first_gid + len(cities)))[
            ["gid", "province", "name", "level", "admin_code", "name_en"]])
        cursor.execute(
            "INSERT INTO accounts_city (name, name_en, province, level, admin_code)"
            " SELECT name, COALESCE(name_en, ''), province, COALESCE(level, 'prefecture'), COALESCE(admin_code, '')"
            " FROM import_cities ORDER BY gid ON CONFLICT (province, name) DO NOTHING"
        )
        created = cursor.rowcount
        cursor.execute(
            "INSERT INTO import_city_ids (gid, id) SELECT s.gid, c.id FROM import_cities s"
            " JOIN accounts_city c ON c.province = s.province AND c.name = s.name"
        )
        cursor.execute("ANALYZE import_city_ids")
        return created

    def _upsert_accounts(self, cursor, accounts: pd.DataFrame, *, first_gid: int) -> int:
        cursor.execute("TRUNCATE import_accounts, import_new_accounts")
        staged = pd.DataFrame({
            "gid": np.arange(first_gid, first_gid + len(accounts)),
            "platform": accounts["platform"].to_numpy(), "screen_name": accounts["screen_name"].to_numpy(),
            "city_gid": accounts["city_gid"].to_numpy(), "category": accounts["category"].to_numpy(),
            "level": accounts["level"].to_numpy(),
            "uid": accounts["uid"].replace({"": None}).to_numpy(),
            "verified": accounts["verified"].map({True: "t", False: "f"}).to_numpy(),
            "opened_on": pd.to_datetime(accounts["opened_on"]).dt.strftime("%Y-%m-%d").to_numpy(),
        })
        self._copy_csv(cursor, "import_accounts", staged)
        cursor.execute("ANALYZE import_accounts")
        cursor.execute(
            "UPDATE accounts_govaccount a SET category = s.category, level = s.level, city_id = c.id,"
            " uid = COALESCE(s.uid, a.uid), verified = COALESCE(s.verified, a.verified),"
            " opened_on = COALESCE(s.opened_on, a.opened_on)"
            " FROM import_accounts s JOIN import_city_ids c ON c.gid = s.city_gid"
            " WHERE a.platform = s.platform AND a.screen_name = s.screen_name"
            # Unchanged accounts are not rewritten: a re-import then costs no dead rows.
            " AND (a.category, a.level, a.city_id, a.uid, a.verified, a.opened_on) IS DISTINCT FROM"
            " (s.category, s.level, c.id, COALESCE(s.uid, a.uid), COALESCE(s.verified, a.verified),"
            "  COALESCE(s.opened_on, a.opened_on))"
        )
        cursor.execute(
            "WITH inserted AS ("
            " INSERT INTO accounts_govaccount (platform, uid, screen_name, category, level, city_id, verified, opened_on)"
            " SELECT s.platform, COALESCE(s.uid, ''), s.screen_name, s.category, s.level, c.id,"
            " COALESCE(s.verified, true), s.opened_on"
            " FROM import_accounts s JOIN import_city_ids c ON c.gid = s.city_gid ORDER BY s.gid"
            " ON CONFLICT (platform, screen_name) DO NOTHING RETURNING id"
            ") INSERT INTO import_new_accounts SELECT id FROM inserted"
        )
        created = cursor.rowcount
        cursor.execute(
            "INSERT INTO import_account_ids (gid, id, is_new)"
            " SELECT s.gid, a.id, (n.id IS NOT NULL) FROM import_accounts s"
            " JOIN accounts_govaccount a ON a.platform = s.platform AND a.screen_name = s.screen_name"
            " LEFT JOIN import_new_accounts n ON n.id = a.id"
        )
        self.existing_accounts = self.existing_accounts or created < len(accounts)
        return created

    def _metrics_sql(self) -> tuple[str, list[str]]:
        if not self.metric_names:
            return "'{}'::jsonb", []
        pairs = [f"%s::text, NULLIF(s.metric_{n}, 'NaN'::float8)" for n in range(len(self.metric_names))]
        # A function takes at most 100 arguments: objects of 50 pairs each, concatenated.
        objects = " || ".join(f"jsonb_build_object({', '.join(pairs[start:start + 50])})"
                              for start in range(0, len(pairs), 50))
        return f"jsonb_strip_nulls({objects})", list(self.metric_names)

    def _snapshot_select(self, *, new_accounts: bool) -> tuple[str, list[str]]:
        metrics, params = self._metrics_sql()
        counts = ", ".join(f"s.{name}" for name in SNAPSHOT_COUNT_FIELDS)
        sql = (
            "INSERT INTO accounts_snapshot (account_id, period_start, period_end, " + ", ".join(_UPDATED) + ")"
            " SELECT ids.id, s.period_start, s.period_end, " + counts + ","
            f" NULLIF(s.original_reposts, {NOT_GIVEN}), NULLIF(s.original_comments, {NOT_GIVEN}),"
            f" CASE WHEN s.last_post_on = {_NO_DATE} THEN NULL ELSE DATE '2000-01-01' + s.last_post_on END,"
            f" {metrics}"
            " FROM import_snapshots s JOIN import_account_ids ids ON ids.gid = s.account_gid"
            f" WHERE {'' if new_accounts else 'NOT '}ids.is_new"
        )
        return sql, params

    def _upsert_snapshots(self, cursor) -> int:
        """Snapshots of new accounts are plainly inserted; the others are upserted. Returns how many were created."""
        if not self.rows:
            # Temp tables are never auto-analyzed and the joins need stats. The first chunk's are kept for
            # the later chunks (TRUNCATE keeps them; the planner scales the row count to the table's size),
            # which saves an ANALYZE per chunk.
            cursor.execute("ANALYZE import_snapshots")
        insert, params = self._snapshot_select(new_accounts=True)
        cursor.execute(insert, params)
        created = cursor.rowcount
        if not self.existing_accounts:
            return created
        upsert, params = self._snapshot_select(new_accounts=False)
        cursor.execute(
            "WITH upserted AS (" + upsert
            + " ON CONFLICT (account_id, period_start, period_end) DO UPDATE SET "
            + ", ".join(f"{name} = EXCLUDED.{name}" for name in _UPDATED)
            # An identical snapshot is not rewritten (no dead row); it still counts as replaced.
            + " WHERE (" + ", ".join(f"accounts_snapshot.{name}" for name in _UPDATED) + ") IS DISTINCT FROM ("
            + ", ".join(f"EXCLUDED.{name}" for name in _UPDATED) + ")"
            " RETURNING (xmax = 0) AS created"
            ") SELECT count(*) FILTER (WHERE created) FROM upserted",
            params,
        )
        return created + cursor.fetchone()[0]
