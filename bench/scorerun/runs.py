"""Phase "run": the run as a user starts it (services.score_run_start, publish, no draws), alternating
with its floor in one process; each floor's city ranks checked against the run's."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import import_snapshots

from scorerun.common import OUT, peak_rss_mib, period_text
from scorerun.floor import floor, floor_tables, totals_sql


def scheme_and_floor(arguments: argparse.Namespace) -> tuple:
    """The period, the scheme's row and document, and the floor's SQL with its tables made."""
    from core.periods import parse_period
    from rankings.models import ScoringScheme
    from rankings.scoring.schemes import Scheme

    period = parse_period(period_text(arguments))
    scheme_row = ScoringScheme.objects.get(slug=arguments.scheme)
    scheme = Scheme.from_document(scheme_row.document)
    sql, names, dtypes = totals_sql(period, scheme.custom_metrics, scheme.latest_metrics)
    floor_tables(scheme)
    return period, scheme_row, scheme, (sql, names, dtypes)


def run_phase(arguments: argparse.Namespace) -> dict:
    period, scheme_row, scheme, source = scheme_and_floor(arguments)
    floors, runs, rss = [], [], []
    for _repeat in range(arguments.repeats):
        # The run first: the peak after the first step is the run's own (a user's run is one per task).
        found = run(scheme_row, period)
        runs.append(found)
        rss.append(("run", peak_rss_mib()))
        measured, cities = floor(scheme_row, scheme, period, *source)
        floors.append(measured)
        rss.append(("floor", peak_rss_mib()))
        check_ranks(found["id"], cities)
        del cities
    if arguments.profile:
        _profile_run(scheme_row, period, OUT / f"profile_run_{arguments.scheme}.txt")
    return {"scheme": arguments.scheme, "floors": floors, "runs": runs, "rss_after": rss}


def run(scheme_row, period) -> dict:
    """The run as a user starts it: score_run_start → (eager task) score_run_execute → succeeded."""
    from rankings import services
    from rankings.models import ScoreRun

    began = time.perf_counter()
    started = services.score_run_start(scheme=scheme_row, period=period, publish=True, draws=0, seed=0)
    seconds = time.perf_counter() - began
    started.refresh_from_db()
    if started.status != ScoreRun.Status.SUCCEEDED or not started.is_published:
        raise SystemExit(f"run #{started.pk} ended {started.status} (published={started.is_published}): "
                         f"{started.error}")
    return {"id": started.pk, "seconds": seconds, "timings": started.timings, "input_rows": started.input_rows,
            "accounts": started.accounts_scored, "cities": started.cities_scored}


def check_ranks(run_id: int, floor_ranks) -> None:
    from rankings.models import CityScore

    stored = dict(CityScore.objects.filter(run_id=run_id).values_list("city_id", "rank"))
    if stored != {int(city): int(rank) for city, rank in floor_ranks.items()}:
        raise SystemExit(f"the floor's city ranks differ from run #{run_id}'s")


def _profile_run(scheme_row, period, target: Path) -> None:
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    run(scheme_row, period)
    profiler.disable()
    import_snapshots._write_profile(profiler, target)
