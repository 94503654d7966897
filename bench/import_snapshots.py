"""Benchmark: the snapshot import against a plain COPY of the same CSV, on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres govweibo_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govweibo_bench .venv/bin/python bench/import_snapshots.py
    # a quick run:  ... bench/import_snapshots.py --rows 100000
    # daily snapshots (issue 12): 180,000 accounts x 92 days of 2012-Q3, no re-import step:  ... --daily

Steps, each in its own child process (so each one's peak memory, ru_maxrss of that process, is its own):
  generate  the national-scale CSV (337 cities, 180,000 accounts x 12 months, Chinese headers, as the
            monitoring platforms export them) into bench/out/ (gitignored). With --keep-csv the file and
            its generate figures (a .json beside it) are kept, and a later run with the same parameters
            reuses them instead of generating again;
  copy      the baseline: COPY of that CSV into a plain table with the CSV's own columns (text, bigint,
            date; no constraints, no indexes), timed, then dropped;
  import    the real import through accounts.services.snapshots_import into empty tables;
  reimport  the same file again: every snapshot is replaced (the idempotent path);
  floor     the issue's "plain COPY of the same CSV into the same table": the CSV's rows can only enter
            accounts_snapshot once their names are resolved to account ids, so this is a binary COPY of
            the imported (resolved) rows, in the file's order, into a table like accounts_snapshot.
Prints a Markdown table (rows/s, seconds, ratio to the floor and to the bare-table COPY, peak RSS of each
step's child process). Goal (issue 2): the import takes at most 2x the floor and stays under 1 GiB of
memory; the bare-table COPY is printed as an extra reference. Results go to docs/benchmarks.md.

The script empties the accounts tables, so it refuses a database whose name does not contain "bench".
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
GOAL_RATIO, GOAL_MEMORY_MIB = 2.0, 1024
# --daily: one quarter of daily snapshots, 2012-Q3 (July to September: 92 days). Goal (issue 12): the
# import at most 1.5x the floor, peak memory <= 1 GiB.
DAILY_START, DAILY_MONTHS, DAILY_DAYS, DAILY_GOAL_RATIO = "2012-07", 3, 92, 1.5
APP_TABLES = ("accounts_snapshot", "accounts_govaccount", "accounts_city", "accounts_snapshotimport")
# Emptied with them: the result tables reference accounts and cities without a constraint, so a TRUNCATE
# CASCADE no longer reaches them and a trigger refuses to orphan them (rankings migration 0003).
RESULT_TABLES = ("rankings_accountscore", "rankings_citycategoryscore", "rankings_cityscore")

# The baseline table: the CSV's own columns, in file order, with the narrowest honest types.
BASELINE_COLUMNS = (
    "city text, province text, account text, platform text, category text, level text, period text, "
    "fans bigint, posts bigint, original_posts bigint, reposts bigint, comments bigint, likes bigint, "
    "replies bigint, original_reposts bigint, original_comments bigint, last_post_on date, opened_on date, "
    "city_level text, admin_code text, name_en text"
)


def main() -> None:
    arguments = _parser().parse_args()
    if arguments.phase:
        _report(_run_phase(arguments.phase, Path(arguments.csv), arguments))
        return
    _require_bench_database()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govweibo.settings")
    csv, accounts = csv_path(arguments)
    _migrate()
    results = {"generate": _generated(csv, arguments, accounts=accounts)}
    results["copy"] = _child("copy", csv, arguments)
    _empty_app_tables()
    results["import"] = _child("import", csv, arguments)
    if not arguments.daily:
        results["reimport"] = _child("reimport", csv, arguments)
    results["floor"] = _child("floor", csv, arguments)
    print(_markdown(results, csv))
    if not arguments.keep_csv:
        csv.unlink()
        _generate_figures(csv).unlink(missing_ok=True)


def csv_path(arguments: argparse.Namespace) -> tuple[Path, int]:
    """The generated CSV's path for these arguments, and its number of accounts."""
    rows_per_account = DAILY_DAYS if arguments.daily else arguments.months
    accounts = math.ceil(arguments.rows / rows_per_account) if arguments.rows else arguments.accounts
    span = f"{DAILY_DAYS}d" if arguments.daily else f"{arguments.months}m"
    return OUT / f"national_{arguments.cities}c_{accounts}a_{span}_seed{arguments.seed}.csv", accounts


def _generate_figures(csv: Path) -> Path:
    return csv.with_suffix(".json")


def _generated(csv: Path, arguments: argparse.Namespace, *, accounts: int) -> dict:
    """The generate step's figures: from the kept CSV's .json when both exist, else by generating."""
    figures = _generate_figures(csv)
    if csv.exists() and figures.exists():
        print(f"phase=generate reusing {csv.name}", file=sys.stderr, flush=True)
        return {**json.loads(figures.read_text()), "reused": True}
    result = _child("generate", csv, arguments, accounts=accounts)
    if arguments.keep_csv:
        figures.write_text(json.dumps(result))
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=180_000, help="accounts in the national set")
    parser.add_argument("--rows", type=int, default=None, help="about this many rows instead (a quick run)")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--cities", type=int, default=337)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--daily", action="store_true",
                        help="daily snapshots (period YYYY-MM-DD) over one quarter, 2012-Q3 (92 days), instead "
                             "of monthly ones over --months; no re-import step")
    parser.add_argument("--keep-csv", action="store_true", help="keep bench/out/*.csv afterwards")
    parser.add_argument("--profile", action="store_true",
                        help="also profile the import (cProfile) into bench/out/profile_<step>.txt")
    parser.add_argument("--phase", choices=("generate", "copy", "import", "reimport", "floor"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--phase-accounts", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--phase-profile", action="store_true", help=argparse.SUPPRESS)
    return parser


def _require_bench_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        sys.exit("DATABASE_URL must point to PostgreSQL, e.g. "
                 "postgres://postgres@127.0.0.1:5432/govweibo_bench")
    if "bench" not in parsed.path:
        sys.exit(f"refusing {parsed.path.lstrip('/')!r}: this script empties the accounts tables; use a "
                 "database whose name contains 'bench' (createdb -h 127.0.0.1 -U postgres govweibo_bench)")


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govweibo.settings")
    import django

    django.setup()


def _migrate() -> None:
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _empty_app_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join((*APP_TABLES, *RESULT_TABLES))} RESTART IDENTITY CASCADE")


# Children ------------------------------------------------------------------------------------------


def _child(phase: str, csv: Path, arguments: argparse.Namespace, *, accounts: int | None = None) -> dict:
    command = [sys.executable, __file__, "--phase", phase, "--csv", str(csv),
               "--months", str(arguments.months), "--cities", str(arguments.cities),
               "--seed", str(arguments.seed)]
    if accounts is not None:
        command += ["--phase-accounts", str(accounts)]
    if arguments.daily:
        command.append("--daily")
    if arguments.profile and phase in ("import", "reimport"):
        command += ["--phase-profile"]
    print(f"phase={phase} ...", file=sys.stderr, flush=True)
    finished = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    print(f"phase={phase} seconds={result['seconds']:.1f} rows={result['rows']} "
          f"peak_rss_mib={result['peak_rss_mib']:.0f}", file=sys.stderr, flush=True)
    return result


def _report(result: dict) -> None:
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(json.dumps(result))


def _run_phase(phase: str, csv: Path, arguments: argparse.Namespace) -> dict:
    if phase == "generate":
        return _generate(csv, arguments)
    if phase == "copy":
        return _copy(csv)
    if phase == "floor":
        return _floor()
    return _import(csv, profile_to=OUT / f"profile_{phase}.txt" if arguments.phase_profile else None)


def _generate(csv: Path, arguments: argparse.Namespace) -> dict:
    sys.path.insert(0, str(ROOT))
    from demo.data import generate_snapshots
    from demo.data.output import write_snapshots_csv

    began = time.perf_counter()
    if arguments.daily:
        return _generate_daily(csv, arguments, began)
    snapshots = generate_snapshots(cities=arguments.cities, months=arguments.months, start="2012-01",
                                   seed=arguments.seed, accounts=arguments.phase_accounts)
    generated = time.perf_counter() - began
    csv.parent.mkdir(parents=True, exist_ok=True)
    write_snapshots_csv(snapshots, csv, headers="zh")
    return {"rows": len(snapshots), "seconds": time.perf_counter() - began, "generate_seconds": generated,
            "accounts": arguments.phase_accounts, "bytes": csv.stat().st_size}


def _generate_daily(csv: Path, arguments: argparse.Namespace, began: float) -> dict:
    """Daily rows from the monthly generator: each month's counts spread over its days (day i of n gets
    count // n, plus one while i < count % n, so the days sum to the month and original posts stay within
    posts), fans as the month's, the last post on the day itself when it has posts. Written one day at a
    time (180,000 rows), so memory stays that of the three months."""
    import numpy as np
    import pandas as pd

    from demo.data import generate_snapshots
    from demo.data.output import snapshots_in_chinese

    monthly = generate_snapshots(cities=arguments.cities, months=DAILY_MONTHS, start=DAILY_START,
                                 seed=arguments.seed, accounts=arguments.phase_accounts)
    generated = time.perf_counter() - began
    counts = ("posts", "original_posts", "reposts", "comments", "likes", "replies", "original_reposts",
              "original_comments")
    csv.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    with csv.open("w", encoding="utf-8", newline="") as file:
        for month in monthly["period"].cat.categories:
            rows_of_month = monthly[monthly["period"] == month].reset_index(drop=True)
            first = pd.Timestamp(f"{month}-01")
            days = first.days_in_month
            for index in range(days):
                day = first + pd.Timedelta(days=index)
                daily = rows_of_month.copy()
                for name in counts:
                    values = rows_of_month[name].to_numpy()
                    daily[name] = values // days + (index < values % days)
                daily["period"] = pd.Categorical([day.strftime("%Y-%m-%d")] * len(daily))
                daily["last_post_on"] = np.where(daily["posts"].to_numpy() > 0, np.datetime64(day, "s"),
                                                 np.datetime64("NaT", "s"))
                snapshots_in_chinese(daily).to_csv(file, index=False, header=rows == 0, date_format="%Y-%m-%d",
                                                   lineterminator="\n")
                rows += len(daily)
    return {"rows": rows, "seconds": time.perf_counter() - began, "generate_seconds": generated,
            "accounts": arguments.phase_accounts, "bytes": csv.stat().st_size}


def _copy(csv: Path) -> dict:
    _django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_baseline")
        cursor.execute(f"CREATE TABLE bench_copy_baseline ({BASELINE_COLUMNS})")
    began = time.perf_counter()
    with connection.cursor() as cursor, csv.open("rb") as file:
        cursor.copy_expert("COPY bench_copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true)", file)
    seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_copy_baseline")
        rows = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_copy_baseline")
    return {"rows": rows, "seconds": seconds}


def _floor() -> dict:
    """The database's own floor for the import's write: a binary COPY of the imported, already resolved
    snapshot rows into a table like accounts_snapshot (its checks, unique and period indexes, and a
    deferred foreign key to the accounts), committed. No import can write these rows faster."""
    _django()
    import tempfile

    from django.db import connection, transaction

    columns = ("account_id, period_start, period_end, fans, posts, original_posts, reposts, comments, likes, "
               "replies, original_reposts, original_comments, last_post_on, custom_metrics")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_snapshot_like")
        cursor.execute("CREATE TABLE bench_snapshot_like (LIKE accounts_snapshot INCLUDING ALL)")
        cursor.execute("ALTER TABLE bench_snapshot_like ADD FOREIGN KEY (account_id) REFERENCES "
                       "accounts_govaccount (id) DEFERRABLE INITIALLY DEFERRED")
    with tempfile.TemporaryFile(dir=OUT) as rows, connection.cursor() as cursor:
        # id order is the import's insert order, which is the file's order.
        cursor.copy_expert(f"COPY (SELECT {columns} FROM accounts_snapshot ORDER BY id) TO STDOUT WITH "
                           "(FORMAT binary)", rows)
        rows.seek(0)
        began = time.perf_counter()
        with transaction.atomic():
            cursor.copy_expert(f"COPY bench_snapshot_like ({columns}) FROM STDIN WITH (FORMAT binary)", rows)
            copied = time.perf_counter()
        seconds = time.perf_counter() - began  # includes the commit, where the deferred FK checks run
        cursor.execute("SELECT count(*) FROM bench_snapshot_like")
        count = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_snapshot_like")
    copy_seconds = copied - began
    timings = {"copy": copy_seconds, "commit": seconds - copy_seconds}
    return {"rows": count, "seconds": seconds, "timings": timings}


def _import(csv: Path, *, profile_to: Path | None) -> dict:
    _django()
    from accounts.models import SnapshotImport
    from accounts.services import snapshots_import

    profiler = None
    if profile_to is not None:  # profiling slows the run: its seconds are not the benchmark's
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    began = time.perf_counter()
    result = snapshots_import(source=csv, file_name=csv.name, origin=SnapshotImport.Source.COMMAND)
    seconds = time.perf_counter() - began
    if profiler is not None:
        profiler.disable()
        _write_profile(profiler, profile_to)
    return {"rows": result.rows, "seconds": seconds, "cities_created": result.cities_created,
            "accounts_created": result.accounts_created, "snapshots_created": result.snapshots_created,
            "snapshots_replaced": result.snapshots_replaced, "encoding": result.encoding,
            "timings": getattr(result, "timings", {})}


def _write_profile(profiler, target: Path) -> None:
    import io
    import pstats

    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(30)
    target.write_text(text.getvalue())


# Report --------------------------------------------------------------------------------------------


def _markdown(results: dict, csv: Path) -> str:
    floor_seconds, copy_seconds = results["floor"]["seconds"], results["copy"]["seconds"]
    generated = "reused from an earlier run" if results["generate"].get("reused") else "this run"
    lines = [
        f"Data: {results['generate']['rows']:,} rows, {results['generate']['accounts']:,} accounts, "
        f"{results['generate']['bytes'] / 2**20:,.0f} MiB CSV ({csv.name}); "
        f"generated in {results['generate']['generate_seconds']:.1f} s, written in "
        f"{results['generate']['seconds'] - results['generate']['generate_seconds']:.1f} s ({generated}; peak RSS {results['generate']['peak_rss_mib']:,.0f} MiB).",
        f"Machine: {os.cpu_count()} cores, {_memory_gib():.0f} GiB RAM, {platform.platform()}, "
        f"Python {platform.python_version()}, {_postgres_version()}.",
        "",
        "| step | rows | seconds | rows/s | × floor | × bare COPY | peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for phase, label in (("floor", "floor: COPY of the resolved rows into a table like accounts_snapshot"),
                         ("import", "import into empty tables"),
                         ("reimport", "re-import (replace every snapshot)"),
                         ("copy", "reference: COPY of the CSV into a bare table of its own columns")):
        if phase not in results:
            continue
        result = results[phase]
        lines.append(f"| {label} | {result['rows']:,} | {result['seconds']:.1f} | "
                     f"{result['rows'] / result['seconds']:,.0f} | {result['seconds'] / floor_seconds:.2f} | "
                     f"{result['seconds'] / copy_seconds:.2f} | {result['peak_rss_mib']:,.0f} |")
    floor_timings = results["floor"].get("timings", {})
    lines += ["", f"Floor: COPY {floor_timings.get('copy', 0):.1f} s + commit (deferred foreign-key checks) "
              f"{floor_timings.get('commit', 0):.1f} s."]
    phases = [phase for phase in ("import", "reimport") if phase in results]
    steps = sorted({step for phase in phases for step in results[phase].get("timings", {})},
                   key=list(results["import"].get("timings", {})).index)
    if steps:
        lines += ["", "Where the import's time goes (seconds, from ImportResult.timings):", "",
                  "| step | " + " | ".join(steps) + " |", "|---|" + "---:|" * len(steps)]
        for phase in phases:
            timings = results[phase]["timings"]
            lines.append(f"| {phase} | " + " | ".join(f"{timings.get(step, 0):.1f}" for step in steps) + " |")
    worst = max(results[phase]["seconds"] for phase in phases) / floor_seconds
    memory = max(results[phase]["peak_rss_mib"] for phase in phases)
    goal = DAILY_GOAL_RATIO if "reimport" not in results else GOAL_RATIO
    lines += ["", f"Goal: import ≤ {goal}× the floor ({'met' if worst <= goal else 'missed'}: "
              f"{worst:.2f}×), peak memory ≤ {GOAL_MEMORY_MIB} MiB "
              f"({'met' if memory <= GOAL_MEMORY_MIB else 'missed'}: {memory:,.0f} MiB)."]
    return "\n".join(lines)


def _memory_gib() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def _postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


if __name__ == "__main__":
    main()
