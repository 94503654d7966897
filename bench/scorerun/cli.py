"""Phase "cli" (issue 19): the run as an operator types it, `manage.py compute_scores --scheme S --period P
--publish --inline`, a subprocess timed end to end, alternating with the floor in one process; and the
start-up alone, `manage.py compute_scores --help` (Django set up, the command loaded, its arguments
built), timed --startup-repeats times.

The floor here is the physical one of the issue: the SQL aggregate read plus the logged COPY of the
results and its commit (the floor's read + write + commit; its compute is reported beside it). Each
CLI run's own record splits its time: before the run row exists (start-up, checks, the scheme looked
up), the run's stages, and after it finished (the report of the top cities, the process's exit)."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from scorerun.common import ROOT, period_text
from scorerun.floor import floor
from scorerun.runs import check_ranks, scheme_and_floor


def cli_phase(arguments: argparse.Namespace) -> dict:
    period, scheme_row, scheme, source = scheme_and_floor(arguments)
    root = Path(arguments.cli_root or ROOT)
    startups = [startup_seconds(root) for _repeat in range(arguments.startup_repeats)]
    clis, floors = [], []
    for _repeat in range(arguments.repeats):
        clis.append(cli_run(root, arguments.scheme, period_text(arguments), inline=not arguments.cli_eager))
        measured, cities = floor(scheme_row, scheme, period, *source)
        floors.append(measured)
        check_ranks(clis[-1]["id"], cities)
        del cities
    return {"scheme": arguments.scheme, "root": str(root), "inline": not arguments.cli_eager,
            "startups": startups, "clis": clis, "floors": floors}


def _environment() -> dict[str, str]:
    """No REDIS_URL: without --inline the task runs eagerly in the command's process."""
    return {key: value for key, value in os.environ.items() if key != "REDIS_URL"}


def startup_seconds(root: Path) -> float:
    """Wall time of `manage.py compute_scores --help`: start-up and nothing else."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "compute_scores", "--help"], cwd=root, env=_environment(),
                   capture_output=True, check=True)
    return time.perf_counter() - began


def cli_run(root: Path, slug: str, period: str, *, inline: bool) -> dict:
    """One `manage.py compute_scores … --publish` run, timed from spawn to exit, with the run row's split."""
    from rankings.models import ScoreRun

    command = [sys.executable, "manage.py", "compute_scores", "--scheme", slug, "--period", period, "--publish"]
    spawned = time.time()
    began = time.perf_counter()
    finished = subprocess.run(command + (["--inline"] if inline else []), cwd=root, env=_environment(),
                              capture_output=True, text=True)
    seconds = time.perf_counter() - began
    exited = spawned + seconds
    if finished.returncode:
        raise SystemExit(f"compute_scores failed:\n{finished.stderr[-4000:]}")
    run = ScoreRun.objects.exclude(error="bench floor").latest("pk")
    if run.status != ScoreRun.Status.SUCCEEDED or not run.is_published:
        raise SystemExit(f"run #{run.pk} ended {run.status}: {run.error}")
    return {"id": run.pk, "seconds": seconds, "timings": run.timings,
            "before_run": run.created_at.timestamp() - spawned,
            "after_run": exited - run.finished_at.timestamp()}
