"""Benchmark: a score run at national scale on PostgreSQL, against a floor measured in the same process.

    createdb -h 127.0.0.1 -U postgres govweibo_bench_score
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govweibo_bench_score \
        .venv/bin/python bench/score_run.py --keep-csv
    # one scheme, more repeats:  ... bench/score_run.py --schemes shifan-2012 --repeats 5
    # with cProfile of one extra run per scheme into bench/out/profile_run_<scheme>.txt:  ... --profile
    # daily data (issue 12): one quarter of daily snapshots, 2012-Q3, run over that quarter; use a
    # database of its own, loaded by (or reusing) bench/import_snapshots.py --daily:  ... --daily

The script migrates the database and, when accounts_snapshot is empty, loads the national set with
bench/import_snapshots.py's own steps (generate the CSV, or reuse the one --keep-csv kept; import it
through accounts.services.snapshots_import in a child process), then VACUUM ANALYZEs it. It then runs,
each in its own child process (so each peak RSS, ru_maxrss, is that child's alone) and with no
REDIS_URL (Celery runs the task eagerly, inside score_run_start's on_commit):

  run          per scheme (default shifan-2012, bci-v1, rmw-2023), period 2012, alternating --repeats times
               floor: the period totals PostgreSQL aggregates (the SELECT of
                      accounts.selectors.snapshot_totals_frame, captured from it: one row per account)
                      COPYed out into pandas with the same dtypes; the same arithmetic
                      (rankings.scoring.inputs.period_totals_finish + rankings.scoring.pipeline.score);
                      the result rows binary-COPYed into plain tables LIKE rankings_accountscore /
                      _citycategoryscore / _cityscore (their indexes and checks, no foreign keys), with
                      one float column per indicator instead of the two float lists, committed;
               run:   services.score_run_start(publish=True, draws=0) until it returns a succeeded run,
                      with the stage timings the run row recorded.
               Each floor's city ranks are checked against the run's published ones.
               (Before issue #12 the floor COPYed every snapshot out and summed it in pandas, and its
               tables carried the result tables' deferred foreign keys: docs/benchmarks.md, section 3.)
  uncertainty  1,000 draws (--draws) on one core and one BLAS thread ("one worker"): a run with draws
               through the service path, its `uncertainty` stage from ScoreRun.timings; then the same
               input built, prepared and simulated whole and in 4 chunks (simulate_ranks start/count, as
               the Celery chord splits it), checked identical to each other and to the run's summary.

Prints a Markdown table. Goals (issue 12): run <= 1.3x the floor and under 4 s, peak memory <= 300 MiB;
(issue 3) 1,000 draws for 330 cities <= 5 s on one worker. Results go to docs/benchmarks.md.

The script empties the rankings result tables, so it refuses a database whose name lacks "bench".
"""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import import_snapshots  # noqa: E402  - bench/import_snapshots.py: data, database guard, children

ROOT, OUT = import_snapshots.ROOT, import_snapshots.OUT
GOAL_RATIO, GOAL_SECONDS, GOAL_MEMORY_MIB, GOAL_DRAWS_SECONDS = 1.3, 4.0, 300, 5.0
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


def main() -> None:
    arguments = _parser().parse_args()
    if arguments.phase:
        _django()
        result = _run_phase(arguments) if arguments.phase == "run" else _uncertainty_phase(arguments)
        result["peak_rss_mib"] = _peak_rss_mib()
        print(json.dumps(result))
        return
    import_snapshots._require_bench_database()
    import_snapshots._migrate()
    data = _load(arguments)
    results = {"data": data, "runs": {}, "uncertainty": {}}
    for slug in arguments.schemes:
        _empty_result_tables()
        results["runs"][slug] = _child("run", arguments, slug)
    for slug in arguments.uncertainty_schemes:
        _empty_result_tables()
        results["uncertainty"][slug] = _child("uncertainty", arguments, slug)
    _empty_result_tables()
    (OUT / "score_run.json").write_text(json.dumps(results, indent=1))
    print(_markdown(results, arguments))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schemes", nargs="*", default=list(SCHEMES), help="schemes to run (slugs)")
    parser.add_argument("--repeats", type=int, default=5, help="floor/run pairs per scheme")
    parser.add_argument("--draws", type=int, default=1000, help="Monte Carlo draws")
    parser.add_argument("--chunks", type=int, default=4, help="the draws split into this many chunks")
    parser.add_argument("--uncertainty-schemes", nargs="*", default=list(SCHEMES),
                        help="schemes whose Monte Carlo stage is measured")
    parser.add_argument("--keep-csv", action="store_true", help="keep the generated CSV in bench/out/")
    parser.add_argument("--daily", action="store_true",
                        help=f"daily data: load bench/import_snapshots.py --daily's quarter, run {DAILY_PERIOD}")
    parser.add_argument("--profile", action="store_true",
                        help="profile one extra run per scheme (cProfile) into "
                             "bench/out/profile_run_<slug>.txt")
    parser.add_argument("--phase", choices=("run", "uncertainty"), help=argparse.SUPPRESS)
    parser.add_argument("--scheme", help=argparse.SUPPRESS)
    return parser


def _period_text(arguments: argparse.Namespace) -> str:
    return DAILY_PERIOD if arguments.daily else PERIOD


def _django() -> None:
    import_snapshots._django()


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# Data ----------------------------------------------------------------------------------------------


def _load(arguments: argparse.Namespace) -> dict:
    """The national set, imported once: skipped when accounts_snapshot already holds rows."""
    from django.db import connection

    rows = _count("accounts_snapshot")
    if not rows:
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
        rows = _count("accounts_snapshot")
    else:
        print(f"data: reusing {rows:,} snapshots already in the database", file=sys.stderr, flush=True)
    return {"snapshots": rows, "accounts": _count("accounts_govaccount"), "cities": _count("accounts_city")}


def _count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def _empty_result_tables() -> None:
    """Every child starts from empty result tables (the runs of a child then accumulate, as in use)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(RESULT_TABLES)} RESTART IDENTITY CASCADE")
        for table in FLOOR_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _child(phase: str, arguments: argparse.Namespace, slug: str) -> dict:
    command = [sys.executable, __file__, "--phase", phase, "--scheme", slug,
               "--repeats", str(arguments.repeats), "--draws", str(arguments.draws),
               "--chunks", str(arguments.chunks)]
    if arguments.profile:
        command.append("--profile")
    if arguments.daily:
        command.append("--daily")
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}  # eager Celery
    if phase == "uncertainty":  # one worker: one core, one BLAS thread
        env |= dict.fromkeys(("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"), "1")
    print(f"phase={phase} scheme={slug} ...", file=sys.stderr, flush=True)
    finished = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    if finished.returncode:
        sys.exit(f"phase={phase} scheme={slug} failed:\n{finished.stderr[-4000:]}")
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    print(f"phase={phase} scheme={slug} peak_rss_mib={result['peak_rss_mib']:.0f}", file=sys.stderr,
          flush=True)
    return result


# The run and its floor -----------------------------------------------------------------------------


def _run_phase(arguments: argparse.Namespace) -> dict:
    from core.periods import parse_period
    from rankings.models import ScoringScheme
    from rankings.scoring.schemes import Scheme

    period = parse_period(_period_text(arguments))
    scheme_row = ScoringScheme.objects.get(slug=arguments.scheme)
    scheme = Scheme.from_document(scheme_row.document)
    sql, names, dtypes = _totals_sql(period, scheme.custom_metrics, scheme.latest_metrics)
    _floor_tables(scheme)
    floors, runs, rss = [], [], []
    for _repeat in range(arguments.repeats):
        # The run first: the peak after the first step is the run's own (a user's run is one per task).
        run = _run(scheme_row, period)
        runs.append(run)
        rss.append(("run", _peak_rss_mib()))
        floor, cities = _floor(scheme_row, scheme, period, sql, names, dtypes)
        floors.append(floor)
        rss.append(("floor", _peak_rss_mib()))
        _check_ranks(run["id"], cities)
        del cities
    if arguments.profile:
        _profile_run(scheme_row, period, OUT / f"profile_run_{arguments.scheme}.txt")
    return {"scheme": arguments.scheme, "floors": floors, "runs": runs, "rss_after": rss}


def _totals_sql(period, custom_metrics, latest_metrics=()) -> tuple[str, list[str], dict]:
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


def _floor_tables(scheme) -> None:
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


def _floor(scheme_row, scheme, period, sql: str, names: list[str], dtypes: dict) -> tuple[dict, object]:
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
        aggregated = _floor_read(cursor, sql, names, dtypes)
    read = time.perf_counter()
    totals = period_totals_finish(aggregated, period_start=start, period_end=end)
    del aggregated
    result = score(totals, scheme, period_end=end)
    del totals
    computed = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        _floor_write(cursor, run.pk, result, scheme)
        written = time.perf_counter()
    committed = time.perf_counter()
    timings = {"read": read - began, "compute": computed - read, "write": written - computed,
               "commit": committed - written}
    floor = {"seconds": committed - began, "timings": timings, "accounts": len(result.accounts),
             "cities": len(result.cities)}
    return floor, result.cities["rank"]


def _floor_read(cursor, sql: str, names: list[str], dtypes: dict):
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


def _floor_write(cursor, run_id: int, result, scheme) -> None:
    import numpy as np

    from rankings.scoring import columns as col

    accounts, cities, categories = result.accounts, result.cities, result.city_categories
    keys = list(scheme.indicator_keys)
    run = np.full(len(accounts), run_id, dtype=np.int64)
    inactive = accounts[col.INACTIVE]
    reply_rate = accounts[col.REPLY_RATE].to_numpy(dtype=np.float64)
    account_columns = [
        ("run_id", ">i8", run, None),
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
    indicators = result.city_indicators.reindex(cities.index)
    city_columns = [
        ("run_id", ">i8", np.full(len(cities), run_id, dtype=np.int64), None),
        ("city_id", ">i8", cities.index.to_numpy(dtype=np.int64), None),
        ("score", ">f8", cities[col.SCORE].to_numpy(dtype=np.float64), None),
        ("rank", ">i4", cities[col.RANK].to_numpy(dtype=np.int64), None),
        ("accounts", ">i4", cities[col.ACCOUNTS].to_numpy(dtype=np.int64), None),
        *((f"ind_{k}", ">f8", indicators[key].to_numpy(dtype=np.float64), None)
          for k, key in enumerate(keys)),
    ]
    category_columns = [
        ("run_id", ">i8", np.full(len(categories), run_id, dtype=np.int64), None),
        ("city_id", ">i8", categories[col.CITY_ID].to_numpy(dtype=np.int64), None),
        ("category", "text", categories[col.CATEGORY].to_numpy(), None),
        ("score", ">f8", categories[col.SCORE].to_numpy(dtype=np.float64), None),
        ("accounts", ">i4", categories[col.ACCOUNTS].to_numpy(dtype=np.int64), None),
    ]
    for table, columns in (("bench_floor_accountscore", account_columns),
                           ("bench_floor_citycategoryscore", category_columns),
                           ("bench_floor_cityscore", city_columns)):
        names = ", ".join(name for name, _kind, _values, _nulls in columns)
        data = _binary_rows([(kind, values, nulls) for _name, kind, values, nulls in columns])
        cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT binary)", io.BytesIO(data))


def _binary_rows(columns: list) -> bytes:
    """PostgreSQL binary COPY data for [(numpy type | "text", values, NULL mask or None), …].

    core.bulk.binary_copy does fixed-width, non-null columns: one numpy
    structured array. Here a NULL field or a text makes a row's length vary, so the rows are grouped by
    shape (which fields are NULL, which text each text field holds: a few dozen shapes) and each shape
    is one such array. Rows come out grouped, not in order; a COPY needs no order.
    """
    import numpy as np
    import pandas as pd

    from core.bulk import COPY_HEADER as _COPY_HEADER
    from core.bulk import COPY_TRAILER as _COPY_TRAILER

    rows = len(columns[0][1])
    key_parts, texts = [], {}
    for number, (kind, values, nulls) in enumerate(columns):
        if kind == "text":
            codes, uniques = pd.factorize(values)
            texts[number] = [str(value).encode() for value in uniques]
            key_parts.append(codes)
        elif nulls is not None:
            key_parts.append(nulls.astype(np.int64))
    key = np.column_stack(key_parts) if key_parts else np.zeros((rows, 1), dtype=np.int64)
    shapes, inverse = np.unique(key, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    parts = [_COPY_HEADER]
    for number, shape in enumerate(shapes):
        members = np.flatnonzero(inverse == number)
        layout, fill, part = [("fields", ">i2")], [], 0
        for position, (kind, values, nulls) in enumerate(columns):
            if kind == "text":
                text = texts[position][shape[part]]
                part += 1
                layout += [(f"size_{position}", ">i4"), (f"value_{position}", f"S{max(len(text), 1)}")]
                fill.append((position, len(text), text))
                continue
            if nulls is not None:
                is_null = bool(shape[part])
                part += 1
                if is_null:
                    layout.append((f"size_{position}", ">i4"))
                    fill.append((position, -1, None))
                    continue
            layout += [(f"size_{position}", ">i4"), (f"value_{position}", kind)]
            fill.append((position, np.dtype(kind).itemsize, values[members]))
        block = np.empty(len(members), dtype=np.dtype(layout))
        block["fields"] = len(columns)
        for position, size, value in fill:
            block[f"size_{position}"] = size
            if size >= 0:
                block[f"value_{position}"] = value
        parts.append(block.tobytes())
    parts.append(_COPY_TRAILER)
    return b"".join(parts)


def _run(scheme_row, period) -> dict:
    """The run as a user starts it: score_run_start → (eager task) score_run_execute → succeeded."""
    from rankings import services
    from rankings.models import ScoreRun

    began = time.perf_counter()
    run = services.score_run_start(scheme=scheme_row, period=period, publish=True, draws=0, seed=0)
    seconds = time.perf_counter() - began
    run.refresh_from_db()
    if run.status != ScoreRun.Status.SUCCEEDED or not run.is_published:
        raise SystemExit(f"run #{run.pk} ended {run.status} (published={run.is_published}): {run.error}")
    return {"id": run.pk, "seconds": seconds, "timings": run.timings, "input_rows": run.input_rows,
            "accounts": run.accounts_scored, "cities": run.cities_scored}


def _check_ranks(run_id: int, floor_ranks) -> None:
    from rankings.models import CityScore

    stored = dict(CityScore.objects.filter(run_id=run_id).values_list("city_id", "rank"))
    if stored != {int(city): int(rank) for city, rank in floor_ranks.items()}:
        raise SystemExit(f"the floor's city ranks differ from run #{run_id}'s")


def _profile_run(scheme_row, period, target: Path) -> None:
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    _run(scheme_row, period)
    profiler.disable()
    import_snapshots._write_profile(profiler, target)


# Monte Carlo ---------------------------------------------------------------------------------------


def _uncertainty_phase(arguments: argparse.Namespace) -> dict:
    import numpy as np
    import pandas as pd

    from core.periods import parse_period
    from rankings import selectors, services
    from rankings.models import CityScore, ScoreRun, ScoringScheme
    from rankings.scoring.pipeline import score
    from rankings.scoring.schemes import Scheme
    from rankings.scoring.uncertainty import UncertaintyInput, prepare, simulate_ranks, summarise
    from rankings.services.uncertainty import uncertainty_input_build

    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    period = parse_period(_period_text(arguments))
    scheme_row = ScoringScheme.objects.get(slug=arguments.scheme)
    seed = scheme_row.definition.uncertainty.seed
    began = time.perf_counter()
    run = services.score_run_start(scheme=scheme_row, period=period, publish=False, draws=arguments.draws,
                                   seed=seed)
    seconds = time.perf_counter() - began
    run.refresh_from_db()
    if run.status != ScoreRun.Status.SUCCEEDED:
        raise SystemExit(f"run #{run.pk} ended {run.status}: {run.error}")
    result = {"scheme": arguments.scheme, "draws": arguments.draws, "run_seconds": seconds,
              "timings": run.timings, "rss_after_run": _peak_rss_mib()}

    # The stage's parts, on the same input.
    scheme = Scheme.from_document(run.document)
    end = pd.Timestamp(period.end)
    totals = selectors.period_totals_read(period=period, custom_metrics=list(scheme.custom_metrics),
                                          latest_metrics=list(scheme.latest_metrics)).totals
    scored = score(totals, scheme, period_end=end)
    clock = time.perf_counter()
    inputs = uncertainty_input_build(totals=totals, scheme=scheme, result=scored)
    result["build"] = time.perf_counter() - clock
    del totals
    clock = time.perf_counter()
    prepared = prepare(inputs)
    result["prepare"] = time.perf_counter() - clock
    result["rows"], result["rows_prepared"] = inputs.accounts, prepared.accounts
    result["cities"] = len(prepared.city_ids)
    options = {"draws": arguments.draws, "seed": run.uncertainty_seed, "spread": run.definition.uncertainty.spread}
    clock = time.perf_counter()
    data = prepared.to_bytes()  # what the run row carries to the chunk tasks
    result["to_bytes"], result["input_bytes"] = time.perf_counter() - clock, len(data)
    size = -(-arguments.draws // arguments.chunks)
    wholes, splits, identical = [], [], True
    for _attempt in range(3):  # all draws at once, then in chunks, three times: the best of each
        clock = time.perf_counter()
        whole = simulate_ranks(prepared, **options)
        wholes.append(time.perf_counter() - clock)
        parts, chunks = [], []
        for first in range(0, arguments.draws, size):
            # What each chunk task does: load the stored input, then simulate its slice of the draws.
            clock = time.perf_counter()
            stored = UncertaintyInput.from_bytes(data)
            loaded = time.perf_counter()
            count = min(size, arguments.draws - first)
            parts.append(simulate_ranks(stored, start=first, count=count, **options))
            chunks.append({"load": loaded - clock, "simulate": time.perf_counter() - loaded})
        splits.append(chunks)
        identical &= bool((np.concatenate(parts, axis=1) == whole).all())
    result["whole"], result["whole_all"] = min(wholes), wholes
    result["chunks"] = min(splits, key=lambda chunks: sum(chunk["simulate"] for chunk in chunks))
    result["chunks_all"], result["split_identical"] = splits, identical
    summary = summarise(whole, prepared.city_ids).set_index("city_id")
    stored = pd.DataFrame.from_records(
        CityScore.objects.filter(run=run).values("city_id", "median_rank", "rank_p05", "rank_p95"),
        index="city_id")
    result["matches_run"] = bool(np.allclose(summary.sort_index().to_numpy(dtype=float),
                                             stored.loc[summary.index].sort_index().to_numpy(dtype=float)))
    return result


# Report --------------------------------------------------------------------------------------------


def _markdown(results: dict, arguments: argparse.Namespace) -> str:
    data = results["data"]
    lines = [
        f"Data: {data['snapshots']:,} snapshots, {data['accounts']:,} accounts, {data['cities']} cities; "
        f"period {_period_text(arguments)}; run: publish=True, draws=0, eager (no REDIS_URL). {arguments.repeats} floor/run "
        "pairs per scheme, alternating in one process (run, floor, run, …); best and median of each.",
        f"Machine: {os.cpu_count()} cores, {import_snapshots._memory_gib():.0f} GiB RAM, Python "
        f"{sys.version.split()[0]}, {import_snapshots._postgres_version()}.",
        "",
        "| scheme | accounts | cities | floor best / median (s) | run best / median (s) "
        "| run ÷ floor (best, median) | every pair (floor → run, s) | peak RSS: the first run / whole child (MiB) |",
        "|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for slug, child in results["runs"].items():
        floors = [floor["seconds"] for floor in child["floors"]]
        runs = [run["seconds"] for run in child["runs"]]
        pairs = ", ".join(f"{f:.1f} → {r:.1f}" for f, r in zip(floors, runs, strict=True))
        run_rss = child["rss_after"][0][1]  # after the first step, the first run: the run's own peak
        lines.append(
            f"| {slug} | {child['runs'][0]['accounts']:,} | {child['runs'][0]['cities']} | "
            f"{min(floors):.1f} / {statistics.median(floors):.1f} | "
            f"{min(runs):.1f} / {statistics.median(runs):.1f} | "
            f"**{min(runs) / min(floors):.2f}**, {statistics.median(runs) / statistics.median(floors):.2f} | "
            f"{pairs} | "
            f"{run_rss:,.0f} / {child['peak_rss_mib']:,.0f} |"
        )
    lines += ["", "Where the time goes (seconds, median over the pairs; run stages from ScoreRun.timings, "
              "'other' = wall time not in a stage: creating, claiming and locking the run):", "",
              "| scheme | | read | compute | write | commit / publish | other | total |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    for slug, child in results["runs"].items():
        floor = {step: statistics.median(f["timings"][step] for f in child["floors"])
                 for step in ("read", "compute", "write", "commit")}
        floor_total = statistics.median(f["seconds"] for f in child["floors"])
        lines.append(f"| {slug} | floor | {floor['read']:.2f} | {floor['compute']:.2f} | "
                     f"{floor['write']:.2f} | {floor['commit']:.2f} | | {floor_total:.2f} |")
        stage = {name: statistics.median(r["timings"].get(name, 0) / 1000 for r in child["runs"])
                 for name in STAGES}
        other = statistics.median(r["seconds"] - sum(r["timings"].get(name, 0) for name in STAGES) / 1000
                                  for r in child["runs"])
        lines.append(f"| | run | {stage['reading']:.2f} | {stage['scoring']:.2f} | {stage['writing']:.2f} | "
                     f"{stage['publishing']:.2f} | {other:.2f} | "
                     f"{statistics.median(r['seconds'] for r in child['runs']):.2f} |")
    if results["uncertainty"]:
        lines += ["", f"Monte Carlo, {arguments.draws:,} draws, one core, one BLAS thread (seconds):", "",
                  "| scheme | cities | rows → prepared | run's uncertainty stage | build input | prepare | "
                  f"simulate all draws | {arguments.chunks} chunks: simulate (sum) | chunks ÷ all "
                  "| chunks: load input (sum) | input size | identical | peak RSS (MiB) |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
        for slug, r in results["uncertainty"].items():
            simulate = sum(chunk["simulate"] for chunk in r["chunks"])
            load = sum(chunk["load"] for chunk in r["chunks"])
            lines.append(
                f"| {slug} | {r['cities']} | {r['rows']:,} → {r['rows_prepared']:,} | "
                f"**{r['timings']['uncertainty'] / 1000:.2f}** | {r['build']:.2f} | {r['prepare']:.2f} | "
                f"{r['whole']:.3f} | {simulate:.3f} | {simulate / r['whole']:.2f} | {load:.3f} | "
                f"{r['input_bytes'] / 2**10:,.0f} KiB | {r['split_identical'] and r['matches_run']} | "
                f"{r['peak_rss_mib']:,.0f} |")
    worst = max((statistics.median(r["seconds"] for r in c["runs"])
                 / statistics.median(f["seconds"] for f in c["floors"]) for c in results["runs"].values()),
                default=float("nan"))
    memory = max((child["rss_after"][0][1] for child in results["runs"].values()), default=0)
    slowest = max((statistics.median(r["seconds"] for r in c["runs"]) for c in results["runs"].values()),
                  default=float("nan"))
    goals = []
    ratio_goal = GOAL_DAILY_RATIO if arguments.daily else GOAL_RATIO
    memory_goal = GOAL_DAILY_MEMORY_MIB if arguments.daily else GOAL_MEMORY_MIB
    if results["runs"]:
        goals.append(f"run ≤ {ratio_goal}× floor ({'met' if worst <= ratio_goal else 'missed'}: "
                     f"worst median ratio {worst:.2f}×)")
    if results["runs"] and not arguments.daily:
        goals.append(f"run < {GOAL_SECONDS:.0f} s ({'met' if slowest < GOAL_SECONDS else 'missed'}: "
                     f"slowest median {slowest:.2f} s)")
    goals.append(f"a run's peak memory ≤ {memory_goal} MiB ({'met' if memory <= memory_goal else 'missed'}: "
                 f"{memory:,.0f} MiB)")
    if results["uncertainty"]:
        mc = max(r["timings"]["uncertainty"] / 1000 for r in results["uncertainty"].values())
        goals.append(f"{arguments.draws:,} draws ≤ {GOAL_DRAWS_SECONDS:.0f} s "
                     f"({'met' if mc <= GOAL_DRAWS_SECONDS else 'missed'}: {mc:.2f} s)")
    lines += ["", "Goals: " + "; ".join(goals)]
    lines[-1] += "."
    return "\n".join(lines)


if __name__ == "__main__":
    main()
