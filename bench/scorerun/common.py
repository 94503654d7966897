"""Constants, goals and the data every phase of bench/score_run.py shares."""
from __future__ import annotations

import argparse
import resource
import sys

import import_snapshots  # bench/import_snapshots.py: data, database guard, children

ROOT, OUT = import_snapshots.ROOT, import_snapshots.OUT
GOAL_RATIO, GOAL_SECONDS, GOAL_MEMORY_MIB, GOAL_DRAWS_SECONDS = 1.3, 4.0, 300, 5.0
GOAL_CLI_RATIO, GOAL_STARTUP_SECONDS = 1.3, 0.4  # issue 19: the CLI run against read + write, start-up
PERIOD, DAILY_PERIOD = "2012", "2012-Q3"  # --daily: the quarter bench/import_snapshots.py --daily generates
GOAL_DAILY_RATIO, GOAL_DAILY_MEMORY_MIB = 2.0, 1024
SCHEMES = ("shifan-2012", "bci-v1", "rmw-2023")
RESULT_TABLES = (
    "rankings_accountscore", "rankings_citycategoryscore", "rankings_cityscore", "rankings_scorerun",
)
FLOOR_TABLES = {  # floor table -> the table it is like
    "bench_floor_accountscore": "rankings_accountscore",
    "bench_floor_citycategoryscore": "rankings_citycategoryscore",
    "bench_floor_cityscore": "rankings_cityscore",
}
STAGES = ("reading", "scoring", "writing", "publishing")


def period_text(arguments: argparse.Namespace) -> str:
    return DAILY_PERIOD if arguments.daily else PERIOD


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def load(arguments: argparse.Namespace) -> dict:
    """The national set, imported once: skipped when accounts_snapshot already holds rows."""
    rows = count("accounts_snapshot")
    if rows:
        print(f"data: reusing {rows:,} snapshots already in the database", file=sys.stderr, flush=True)
    else:
        _import(arguments)
        rows = count("accounts_snapshot")
    return {"snapshots": rows, "accounts": count("accounts_govaccount"), "cities": count("accounts_city")}


def _import(arguments: argparse.Namespace) -> None:
    """Generate (or reuse) the CSV, import it in a child process, then VACUUM ANALYZE the tables."""
    from django.db import connection

    options = import_snapshots._parser().parse_args(
        (["--keep-csv"] if arguments.keep_csv else []) + (["--daily"] if arguments.daily else []))
    csv, _accounts = import_snapshots.csv_path(options)
    import_snapshots._generated(csv, options, accounts=options.accounts)
    import_snapshots._child("import", csv, options)
    if not arguments.keep_csv:
        csv.unlink()
        import_snapshots._generate_figures(csv).unlink(missing_ok=True)
    with connection.cursor() as cursor:
        for table in ("accounts_snapshot", "accounts_govaccount", "accounts_city"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def empty_result_tables() -> None:
    """Every child starts from empty result tables (the runs of a child then accumulate, as in use)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(RESULT_TABLES)} RESTART IDENTITY CASCADE")
        for table in FLOOR_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
