"""The floor of a run: the period totals PostgreSQL aggregates (the SELECT of
accounts.selectors.snapshot_totals_frame, captured from it) COPYed out into pandas with the run's dtypes;
the same arithmetic (period_totals_finish + score); the result rows binary-COPYed into plain tables LIKE
the result tables (their indexes and checks, no foreign keys), one float column per indicator instead of
the two float lists, committed. Its timings: read, compute, write, commit."""
from __future__ import annotations

import io
import time

from scorerun.common import FLOOR_TABLES


def totals_sql(period, custom_metrics, latest_metrics=()) -> tuple[str, list[str], dict]:
    """The exact COPY source snapshot_totals_frame reads (its SELECT, parameters bound), its column names
    and dtypes: captured by calling it with its COPY step replaced, so the floor reads what the run reads."""
    from unittest import mock

    import pandas as pd
    from django.db import connection

    from accounts import selectors

    captured = {}

    def capture(sql, params, *, columns, text_columns=(), dtypes=None):
        with connection.cursor() as cursor:
            captured.update(sql=cursor.mogrify(sql, params).decode(), names=list(columns), dtypes=dict(dtypes))
        return pd.DataFrame(columns=list(columns)).astype(dtypes)

    with mock.patch.object(selectors, "query_frame", capture):
        selectors.snapshot_totals_frame(period_start=period.start, period_end=period.end,
                                        custom_metrics=list(custom_metrics), latest_metrics=list(latest_metrics))
    return captured["sql"], captured["names"], captured["dtypes"]


def floor_tables(scheme) -> None:
    """Plain tables like the result tables (INCLUDING ALL: indexes, checks, identity; no foreign keys,
    like the real ones since issue #12), with one float column per indicator where the real ones hold
    two lists of floats."""
    from django.db import connection

    keys = range(len(scheme.indicators))
    list_columns = {
        "bench_floor_accountscore": (
            ["raw_values", "normalized_values"],
            [f"raw_{n} float8 NOT NULL" for n in keys] + [f"norm_{n} float8 NOT NULL" for n in keys],
        ),
        "bench_floor_cityscore": (["indicators"], [f"ind_{n} float8" for n in keys]),
        "bench_floor_citycategoryscore": ([], []),
    }
    with connection.cursor() as cursor:
        for table, like in FLOOR_TABLES.items():
            dropped, added = list_columns[table]
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"CREATE TABLE {table} (LIKE {like} INCLUDING ALL)")
            changes = [f"DROP COLUMN {name}" for name in dropped]
            changes += [f"ADD COLUMN {column}" for column in added]
            if changes:
                cursor.execute(f"ALTER TABLE {table} {', '.join(changes)}")


def floor(scheme_row, scheme, period, sql: str, names: list[str], dtypes: dict) -> tuple[dict, object]:
    """COPY out → the same arithmetic → COPY in, committed. Returns the timings and the city ranks."""
    import pandas as pd
    from django.db import connection, transaction

    from rankings.models import ScoreRun
    from rankings.scoring.inputs import period_totals_finish
    from rankings.scoring.pipeline import score

    run = ScoreRun.objects.create(  # the floor's rows need a run to reference, like the real ones
        scheme=scheme_row, scheme_version=scheme_row.version, document=scheme_row.document,
        period_start=period.start, period_end=period.end, status=ScoreRun.Status.FAILED, error="bench floor")
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    began = time.perf_counter()
    with connection.cursor() as cursor:
        aggregated = floor_read(cursor, sql, names, dtypes)
    read = time.perf_counter()
    totals = period_totals_finish(aggregated, period_start=start, period_end=end)
    del aggregated
    result = score(totals, scheme, period_end=end)
    del totals
    computed = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        floor_write(cursor, run.pk, result, scheme)
        written = time.perf_counter()
    committed = time.perf_counter()
    timings = {"read": read - began, "compute": computed - read, "write": written - computed,
               "commit": committed - written}
    found = {"seconds": committed - began, "timings": timings, "accounts": len(result.accounts),
             "cities": len(result.cities)}
    return found, result.cities["rank"]


def floor_read(cursor, sql: str, names: list[str], dtypes: dict):
    """The aggregate's rows into pandas with the dtypes the run's selector gives them: counts int64,
    optional counts and custom metrics float64, category a Categorical from its code, last post a date."""
    import pandas as pd

    from accounts.selectors import ACCOUNT_CATEGORIES, _dates

    buffer = io.BytesIO()
    cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", buffer)
    buffer.seek(0)
    frame = pd.read_csv(buffer, header=None, names=names, dtype=dtypes, engine="c")
    del buffer
    frame["category"] = pd.Categorical.from_codes(frame["category"].fillna(-1).to_numpy(dtype="int64"),
                                                  categories=list(ACCOUNT_CATEGORIES))
    frame["last_post_on"] = _dates(frame["last_post_on"])
    return frame.set_index("account_id")


def floor_write(cursor, run_id: int, result, scheme) -> None:
    """The three result tables' rows, binary-COPYed into the floor's tables."""
    from core.bulk import binary_copy_shaped

    for table, columns in (("bench_floor_accountscore", _account_columns(run_id, result, scheme)),
                           ("bench_floor_citycategoryscore", _category_columns(run_id, result)),
                           ("bench_floor_cityscore", _city_columns(run_id, result, scheme))):
        names = ", ".join(name for name, _kind, _values, _nulls in columns)
        data = binary_copy_shaped([(kind, values, nulls) for _name, kind, values, nulls in columns])
        cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT binary)", data)


def _account_columns(run_id: int, result, scheme) -> list[tuple]:
    import numpy as np

    from rankings.scoring import columns as col

    accounts, keys = result.accounts, list(scheme.indicator_keys)
    inactive = accounts[col.INACTIVE]
    reply_rate = accounts[col.REPLY_RATE].to_numpy(dtype=np.float64)
    return [
        ("run_id", ">i8", np.full(len(accounts), run_id, dtype=np.int64), None),
        ("account_id", ">i8", accounts.index.to_numpy(dtype=np.int64), None),
        ("city_id", ">i8", accounts[col.CITY_ID].to_numpy(dtype=np.int64), None),
        ("category", "text", accounts[col.CATEGORY].to_numpy(), None),
        ("composite", ">f8", accounts[col.COMPOSITE].to_numpy(dtype=np.float64), None),
        ("rank_in_category", ">i4", accounts[col.RANK_IN_CATEGORY].to_numpy(dtype=np.int64), None),
        *((f"raw_{k}", ">f8", accounts[col.raw_column(key)].to_numpy(dtype=np.float64), None)
          for k, key in enumerate(keys)),
        *((f"norm_{k}", ">f8", accounts[col.norm_column(key)].to_numpy(dtype=np.float64), None)
          for k, key in enumerate(keys)),
        ("empty_shell", "?", accounts[col.EMPTY_SHELL].to_numpy(dtype=bool), None),
        ("inactive", "?", inactive.fillna(False).to_numpy(dtype=bool), inactive.isna().to_numpy()),
        ("broadcast_only", "?", accounts[col.BROADCAST_ONLY].to_numpy(dtype=bool), None),
        ("reply_rate", ">f8", reply_rate, np.isnan(reply_rate)),
    ]


def _city_columns(run_id: int, result, scheme) -> list[tuple]:
    import numpy as np

    from rankings.scoring import columns as col

    cities = result.cities
    indicators = result.city_indicators.reindex(cities.index)
    return [
        ("run_id", ">i8", np.full(len(cities), run_id, dtype=np.int64), None),
        ("city_id", ">i8", cities.index.to_numpy(dtype=np.int64), None),
        ("score", ">f8", cities[col.SCORE].to_numpy(dtype=np.float64), None),
        ("rank", ">i4", cities[col.RANK].to_numpy(dtype=np.int64), None),
        ("accounts", ">i4", cities[col.ACCOUNTS].to_numpy(dtype=np.int64), None),
        *((f"ind_{k}", ">f8", indicators[key].to_numpy(dtype=np.float64), None)
          for k, key in enumerate(scheme.indicator_keys)),
    ]


def _category_columns(run_id: int, result) -> list[tuple]:
    import numpy as np

    from rankings.scoring import columns as col

    categories = result.city_categories
    return [
        ("run_id", ">i8", np.full(len(categories), run_id, dtype=np.int64), None),
        ("city_id", ">i8", categories[col.CITY_ID].to_numpy(dtype=np.int64), None),
        ("category", "text", categories[col.CATEGORY].to_numpy(), None),
        ("score", ">f8", categories[col.SCORE].to_numpy(dtype=np.float64), None),
        ("accounts", ">i4", categories[col.ACCOUNTS].to_numpy(dtype=np.int64), None),
    ]
