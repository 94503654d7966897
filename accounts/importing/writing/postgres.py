"""PostgreSQL bulk path: binary COPY of each chunk into a temp staging table, then set-based upserts.

Steps (all inside the import's transaction; the temp tables are dropped on commit or rollback):
1. begin: take a transaction-level advisory lock (two imports at once would race on "created on first
   sight"), create the snapshot staging table.
2. stage: COPY each validated chunk in PostgreSQL's binary format. Every staged column is fixed-width,
   so a chunk becomes one numpy structured array: no text formatting, no per-row Python.
3. finish: COPY the file's cities and accounts (a few hundred thousand rows at most), then
   INSERT … ON CONFLICT for cities, UPDATE + INSERT for accounts; then snapshots: a plain INSERT … SELECT
   for accounts created by this import (none of their snapshots can exist, and a plain insert is cheaper
   than ON CONFLICT's speculative insertion), and INSERT … SELECT … ON CONFLICT DO UPDATE for the rest,
   counting created rows with the `xmax = 0` test of RETURNING.
"""
from __future__ import annotations

import io
import struct

import numpy as np
import pandas as pd
from django.db import connection

from accounts.importing.validation import NOT_GIVEN
from accounts.importing.writing import WriteCounts
from accounts.models import SNAPSHOT_COUNT_FIELDS

IMPORT_LOCK = 4_204_001  # pg_advisory_xact_lock key shared by every import
_PG_EPOCH_DAYS = 10_957  # 2000-01-01 (PostgreSQL's date epoch) in days since 1970-01-01
_NO_DATE = np.iinfo(np.int32).min
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_COPY_TRAILER = struct.pack(">h", -1)

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


def binary_copy(columns: list[tuple[np.ndarray, str]]) -> bytes:
    """PostgreSQL binary COPY data for fixed-width, non-null columns: [(values, numpy type), …]."""
    layout = [("fields", ">i2")]
    for number, (_values, kind) in enumerate(columns):
        layout += [(f"size_{number}", ">i4"), (f"value_{number}", kind)]
    rows = np.empty(len(columns[0][0]) if columns else 0, dtype=np.dtype(layout))
    rows["fields"] = len(columns)
    for number, (values, kind) in enumerate(columns):
        rows[f"size_{number}"] = np.dtype(kind).itemsize
        rows[f"value_{number}"] = values
    return _COPY_HEADER + rows.tobytes() + _COPY_TRAILER


class PostgresWriter:
    def __init__(self) -> None:
        self.metric_names: list[str] = []
        self.rows = 0

    def begin(self, metric_names: list[str]) -> None:
        self.metric_names = metric_names
        columns = [f"{name} {sql_type} NOT NULL" for name, sql_type, _ in _STAGED]
        columns += [f"metric_{number} float8 NOT NULL" for number in range(len(metric_names))]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
            cursor.execute(f"CREATE TEMP TABLE import_snapshots ({', '.join(columns)}) ON COMMIT DROP")

    def stage(self, snapshots: pd.DataFrame) -> None:
        columns = []
        for name, _sql_type, kind in _STAGED:
            values = snapshots[name].to_numpy()
            columns.append((_days(values) if values.dtype.kind == "M" else values, kind))
        # NaN (an empty metric cell) is a float8 value PostgreSQL can store; finish() turns it into "absent".
        columns += [(snapshots[f"metric_{number}"].to_numpy(), ">f8") for number in range(len(self.metric_names))]
        names = [name for name, _, _ in _STAGED] + [f"metric_{n}" for n in range(len(self.metric_names))]
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY import_snapshots ({', '.join(names)}) FROM STDIN WITH (FORMAT binary)",
                io.BytesIO(binary_copy(columns)),
            )
        self.rows += len(snapshots)

    def finish(self, cities: pd.DataFrame, accounts: pd.DataFrame) -> WriteCounts:
        with connection.cursor() as cursor:
            cities_created = self._upsert_cities(cursor, cities)
            accounts_created = self._upsert_accounts(cursor, cities, accounts)
            snapshots_created = self._upsert_snapshots(cursor)
            # ON COMMIT DROP only fires at the outermost commit; when the import runs inside a caller's
            # transaction (a test, a command importing several files) the next import needs the names free.
            cursor.execute(f"DROP TABLE {', '.join(_TEMP_TABLES)}")
        return WriteCounts(cities_created, accounts_created, snapshots_created, self.rows - snapshots_created)

    @staticmethod
    def _copy_csv(cursor, table: str, frame: pd.DataFrame) -> None:
        text = io.StringIO()
        # None/NaN are written as nothing, which COPY's csv format reads as NULL.
        frame.to_csv(text, index=False, header=False, na_rep="")
        text.seek(0)
        cursor.copy_expert(f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN WITH (FORMAT csv)", text)

    def _upsert_cities(self, cursor, cities: pd.DataFrame) -> int:
        cursor.execute(
            "CREATE TEMP TABLE import_cities (gid int4 PRIMARY KEY, province text NOT NULL, name text NOT NULL,"
            " level text, admin_code text, name_en text) ON COMMIT DROP"
        )
        staged = cities[["province", "name", "level", "admin_code", "name_en"]].replace({"": None})
        self._copy_csv(cursor, "import_cities", staged.assign(gid=np.arange(len(cities)))[
            ["gid", "province", "name", "level", "admin_code", "name_en"]])
        cursor.execute(
            "INSERT INTO accounts_city (name, name_en, province, level, admin_code)"
            " SELECT name, COALESCE(name_en, ''), province, COALESCE(level, 'prefecture'), COALESCE(admin_code, '')"
            " FROM import_cities ORDER BY gid ON CONFLICT (province, name) DO NOTHING"
        )
        created = cursor.rowcount
        cursor.execute(
            "CREATE TEMP TABLE import_city_ids ON COMMIT DROP AS SELECT s.gid, c.id FROM import_cities s"
            " JOIN accounts_city c ON c.province = s.province AND c.name = s.name"
        )
        return created

    def _upsert_accounts(self, cursor, cities: pd.DataFrame, accounts: pd.DataFrame) -> int:
        cursor.execute(
            "CREATE TEMP TABLE import_accounts (gid int4 PRIMARY KEY, platform text NOT NULL,"
            " screen_name text NOT NULL, city_gid int4 NOT NULL, category text NOT NULL, level text NOT NULL,"
            " uid text, verified boolean, opened_on date) ON COMMIT DROP"
        )
        staged = pd.DataFrame({
            "gid": np.arange(len(accounts)),
            "platform": accounts["platform"], "screen_name": accounts["screen_name"],
            "city_gid": accounts["city_gid"], "category": accounts["category"], "level": accounts["level"],
            "uid": accounts["uid"].replace({"": None}),
            "verified": accounts["verified"].map({True: "t", False: "f"}),
            "opened_on": pd.to_datetime(accounts["opened_on"]).dt.strftime("%Y-%m-%d"),
        })
        self._copy_csv(cursor, "import_accounts", staged)
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
        cursor.execute("CREATE TEMP TABLE import_new_accounts (id int8 PRIMARY KEY) ON COMMIT DROP")
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
        # is_new: the account was created by this import, so none of its snapshots can exist yet.
        cursor.execute(
            "CREATE TEMP TABLE import_account_ids ON COMMIT DROP AS"
            " SELECT s.gid, a.id, (n.id IS NOT NULL) AS is_new FROM import_accounts s"
            " JOIN accounts_govaccount a ON a.platform = s.platform AND a.screen_name = s.screen_name"
            " LEFT JOIN import_new_accounts n ON n.id = a.id"
        )
        return created

    def _metrics_sql(self) -> tuple[str, list[str]]:
        if not self.metric_names:
            return "'{}'::jsonb", []
        pairs = ", ".join(f"%s::text, NULLIF(s.metric_{n}, 'NaN'::float8)" for n in range(len(self.metric_names)))
        return f"jsonb_strip_nulls(jsonb_build_object({pairs}))", list(self.metric_names)

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
        cursor.execute("ANALYZE import_snapshots")  # temp tables are never auto-analyzed; the joins need stats
        insert, params = self._snapshot_select(new_accounts=True)
        cursor.execute(insert, params)
        created = cursor.rowcount
        cursor.execute("SELECT EXISTS (SELECT 1 FROM import_account_ids WHERE NOT is_new)")
        if not cursor.fetchone()[0]:
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
