"""Benchmark: a score run at national scale on PostgreSQL, against a floor measured in the same process.

    createdb -h 127.0.0.1 -U postgres govweibo_bench_score
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govweibo_bench_score \
        .venv/bin/python bench/score_run.py --keep-csv
    # one scheme, more repeats:  ... bench/score_run.py --schemes shifan-2012 --repeats 5
    # with cProfile of one extra run per scheme into bench/out/profile_run_<scheme>.txt:  ... --profile
    # the CLI run and start-up only (issue 19):  ... --schemes --uncertainty-schemes --cli-schemes shifan-2012
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
               tables carried the result tables' deferred foreign keys: docs/benchmarks.md, “National score run, monthly data”.)
  uncertainty  1,000 draws (--draws) on one core and one BLAS thread ("one worker"): a run with draws
               through the service path, its `uncertainty` stage from ScoreRun.timings; then the same
               input built, prepared and simulated whole and in 4 chunks (simulate_ranks start/count, as
               the Celery chord splits it), checked identical to each other and to the run's summary.

Prints Markdown tables. Goals (issue 12): run <= 1.3x the floor and under 4 s, peak memory <= 300 MiB;
(issue 3) 1,000 draws for 330 cities <= 5 s on one worker; (issue 19) the CLI run <= 1.3x the floor's
read + write, start-up <= 0.4 s. Results go to docs/benchmarks.md. The parts live in bench/scorerun/.

The script empties the rankings result tables, so it refuses a database whose name lacks "bench".
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import import_snapshots  # noqa: E402  - bench/import_snapshots.py: data, database guard, children
from scorerun import common  # noqa: E402
from scorerun.report import markdown  # noqa: E402

PHASES = ("run", "uncertainty", "cli")


def main() -> None:
    arguments = _parser().parse_args()
    if arguments.phase:
        print(json.dumps(_phase(arguments)))
        return
    import_snapshots._require_bench_database()
    import_snapshots._migrate()
    results = {"data": common.load(arguments), "runs": {}, "uncertainty": {}, "cli": {}}
    for key, phase, schemes in (("runs", "run", arguments.schemes),
                                ("uncertainty", "uncertainty", arguments.uncertainty_schemes),
                                ("cli", "cli", arguments.cli_schemes)):
        for slug in schemes:
            common.empty_result_tables()
            results[key][slug] = _child(phase, arguments, slug)
    common.empty_result_tables()
    common.OUT.mkdir(parents=True, exist_ok=True)  # bench/out/ is not in the repository
    (common.OUT / "score_run.json").write_text(json.dumps(results, indent=1))
    print(markdown(results, arguments))


def _phase(arguments: argparse.Namespace) -> dict:
    """One child's work (--phase), with the child's peak memory."""
    import_snapshots._django()
    if arguments.phase == "run":
        from scorerun.runs import run_phase as measure
    elif arguments.phase == "uncertainty":
        from scorerun.uncertainty import uncertainty_phase as measure
    else:
        from scorerun.cli import cli_phase as measure
    result = measure(arguments)
    result["peak_rss_mib"] = common.peak_rss_mib()
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schemes", nargs="*", default=list(common.SCHEMES), help="schemes to run (slugs)")
    parser.add_argument("--repeats", type=int, default=5, help="floor/run pairs per scheme")
    parser.add_argument("--draws", type=int, default=1000, help="Monte Carlo draws")
    parser.add_argument("--chunks", type=int, default=4, help="the draws split into this many chunks")
    parser.add_argument("--uncertainty-schemes", nargs="*", default=list(common.SCHEMES),
                        help="schemes whose Monte Carlo stage is measured")
    parser.add_argument("--cli-schemes", nargs="*", default=["shifan-2012"],
                        help="schemes run through manage.py compute_scores beside the floor (issue 19)")
    parser.add_argument("--startup-repeats", type=int, default=7, help="timings of manage.py compute_scores --help")
    parser.add_argument("--cli-root", help="run this checkout's manage.py instead (same database)")
    parser.add_argument("--cli-eager", action="store_true", help="run the CLI without --inline (eager Celery)")
    parser.add_argument("--keep-csv", action="store_true", help="keep the generated CSV in bench/out/")
    parser.add_argument("--daily", action="store_true",
                        help=f"daily data: load bench/import_snapshots.py --daily's quarter, run {common.DAILY_PERIOD}")
    parser.add_argument("--profile", action="store_true",
                        help="profile one extra run per scheme (cProfile) into bench/out/profile_run_<slug>.txt")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--scheme", help=argparse.SUPPRESS)
    return parser


def _child(phase: str, arguments: argparse.Namespace, slug: str) -> dict:
    """Run one phase for one scheme in a child process (its own peak memory); its JSON result."""
    command = [sys.executable, __file__, "--phase", phase, "--scheme", slug, "--repeats", str(arguments.repeats),
               "--draws", str(arguments.draws), "--chunks", str(arguments.chunks),
               "--startup-repeats", str(arguments.startup_repeats)]
    command += [flag for flag, on in (("--profile", arguments.profile), ("--daily", arguments.daily),
                                      ("--cli-eager", arguments.cli_eager)) if on]
    command += ["--cli-root", arguments.cli_root] if arguments.cli_root else []
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}  # eager Celery
    if phase == "uncertainty":  # one worker: one core, one BLAS thread
        env |= dict.fromkeys(("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"), "1")
    print(f"phase={phase} scheme={slug} ...", file=sys.stderr, flush=True)
    finished = subprocess.run(command, capture_output=True, text=True, cwd=common.ROOT, env=env)
    if finished.returncode:
        sys.exit(f"phase={phase} scheme={slug} failed:\n{finished.stderr[-4000:]}")
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    print(f"phase={phase} scheme={slug} peak_rss_mib={result['peak_rss_mib']:.0f}", file=sys.stderr, flush=True)
    return result


if __name__ == "__main__":
    main()
