"""The Markdown tables of bench/score_run.py and the goals, met or missed."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from datetime import UTC, datetime

import import_snapshots

from scorerun.common import (
    GOAL_CLI_RATIO,
    GOAL_DAILY_MEMORY_MIB,
    GOAL_DAILY_RATIO,
    GOAL_DRAWS_SECONDS,
    GOAL_MEMORY_MIB,
    GOAL_RATIO,
    GOAL_SECONDS,
    GOAL_STARTUP_SECONDS,
    STAGES,
    period_text,
)

median = statistics.median


def markdown(results: dict, arguments: argparse.Namespace) -> str:
    lines = _header(results, arguments)
    if results["runs"]:
        lines += _runs_table(results["runs"]) + _stages_table(results["runs"])
    if results.get("cli"):
        lines += _cli_table(results["cli"])
    if results["uncertainty"]:
        lines += _uncertainty_table(results["uncertainty"], arguments)
    lines += ["", "Goals: " + "; ".join(_goals(results, arguments)) + "."]
    return "\n".join(lines)


def _header(results: dict, arguments: argparse.Namespace) -> list[str]:
    data = results["data"]
    return [
        f"Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (load average {os.getloadavg()[0]:.1f}).",
        f"Data: {data['snapshots']:,} snapshots, {data['accounts']:,} accounts, {data['cities']} cities; "
        f"period {period_text(arguments)}; run: publish=True, draws=0, eager (no REDIS_URL). {arguments.repeats} "
        "floor/run pairs per scheme, alternating in one process (run, floor, run, …); best and median of each.",
        f"Machine: {os.cpu_count()} cores, {import_snapshots._memory_gib():.0f} GiB RAM, Python "
        f"{sys.version.split()[0]}, {import_snapshots._postgres_version()}.",
    ]


def _runs_table(runs: dict) -> list[str]:
    lines = ["", "| scheme | accounts | cities | floor best / median (s) | run best / median (s) "
             "| run ÷ floor (best, median) | every pair (floor → run, s) | peak RSS: the first run / whole child (MiB) |",
             "|---|---:|---:|---:|---:|---:|---|---:|"]
    for slug, child in runs.items():
        floors = [floor["seconds"] for floor in child["floors"]]
        seconds = [run["seconds"] for run in child["runs"]]
        pairs = ", ".join(f"{f:.1f} → {r:.1f}" for f, r in zip(floors, seconds, strict=True))
        run_rss = child["rss_after"][0][1]  # after the first step, the first run: the run's own peak
        lines.append(
            f"| {slug} | {child['runs'][0]['accounts']:,} | {child['runs'][0]['cities']} | "
            f"{min(floors):.1f} / {median(floors):.1f} | {min(seconds):.1f} / {median(seconds):.1f} | "
            f"**{min(seconds) / min(floors):.2f}**, {median(seconds) / median(floors):.2f} | {pairs} | "
            f"{run_rss:,.0f} / {child['peak_rss_mib']:,.0f} |")
    return lines


def _floor_steps(floors: list[dict]) -> dict[str, float]:
    return {step: median(f["timings"][step] for f in floors) for step in ("read", "compute", "write", "commit")}


def _stages_table(runs: dict) -> list[str]:
    lines = ["", "Where the time goes (seconds, median over the pairs; run stages from ScoreRun.timings, "
             "'other' = wall time not in a stage: creating, claiming and locking the run):", "",
             "| scheme | | read | compute | write | commit / publish | other | total |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for slug, child in runs.items():
        floor = _floor_steps(child["floors"])
        lines.append(f"| {slug} | floor | {floor['read']:.2f} | {floor['compute']:.2f} | {floor['write']:.2f} | "
                     f"{floor['commit']:.2f} | | {median(f['seconds'] for f in child['floors']):.2f} |")
        stage = {name: median(r["timings"].get(name, 0) / 1000 for r in child["runs"]) for name in STAGES}
        other = median(r["seconds"] - sum(r["timings"].get(name, 0) for name in STAGES) / 1000
                       for r in child["runs"])
        lines.append(f"| | run | {stage['reading']:.2f} | {stage['scoring']:.2f} | {stage['writing']:.2f} | "
                     f"{stage['publishing']:.2f} | {other:.2f} | {median(r['seconds'] for r in child['runs']):.2f} |")
    return lines


def cli_figures(child: dict) -> dict[str, float]:
    """Medians of the CLI phase: the floor (read + write + commit), the CLI, the start-up, the ratio."""
    floor = _floor_steps(child["floors"])
    floor_rw = median(f["timings"]["read"] + f["timings"]["write"] + f["timings"]["commit"] for f in child["floors"])
    cli = median(c["seconds"] for c in child["clis"])
    return {"read": floor["read"], "compute": floor["compute"], "write": floor["write"] + floor["commit"],
            "floor": floor_rw, "cli": cli, "ratio": cli / floor_rw, "startup": median(child["startups"]),
            "before_run": median(c["before_run"] for c in child["clis"]),
            "after_run": median(c["after_run"] for c in child["clis"]),
            "stages": median(sum(c["timings"].values()) / 1000 for c in child["clis"])}


def _cli_table(cli: dict) -> list[str]:
    lines = ["", "The run through the command line (issue 19): `manage.py compute_scores --publish` "
             "(--inline unless noted) end to end, against the floor's SQL aggregate read + logged COPY of the "
             "results (read + write + commit); start-up = `manage.py compute_scores --help`. Medians (s):", "",
             "| scheme | floor: read + write = total | floor's compute | CLI end to end | **CLI ÷ floor** "
             "| start-up (--help) | CLI: before the run row / run stages / after the run | every CLI run (s) |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for slug, child in cli.items():
        f = cli_figures(child)
        every = ", ".join(f"{c['seconds']:.2f}" for c in child["clis"])
        mode = "" if child["inline"] else " (eager, no --inline)"
        lines.append(f"| {slug}{mode} | {f['read']:.2f} + {f['write']:.2f} = {f['floor']:.2f} | {f['compute']:.2f} | "
                     f"{f['cli']:.2f} | **{f['ratio']:.2f}** | {f['startup']:.2f} | "
                     f"{f['before_run']:.2f} / {f['stages']:.2f} / {f['after_run']:.2f} | {every} |")
    return lines


def _uncertainty_table(uncertainty: dict, arguments: argparse.Namespace) -> list[str]:
    lines = ["", f"Monte Carlo, {arguments.draws:,} draws, one core, one BLAS thread (seconds):", "",
             "| scheme | cities | rows → prepared | run's uncertainty stage | build input | prepare | "
             f"simulate all draws | {arguments.chunks} chunks: simulate (sum) | chunks ÷ all "
             "| chunks: load input (sum) | input size | identical | peak RSS (MiB) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for slug, r in uncertainty.items():
        simulate = sum(chunk["simulate"] for chunk in r["chunks"])
        load = sum(chunk["load"] for chunk in r["chunks"])
        lines.append(
            f"| {slug} | {r['cities']} | {r['rows']:,} → {r['rows_prepared']:,} | "
            f"**{r['timings']['uncertainty'] / 1000:.2f}** | {r['build']:.2f} | {r['prepare']:.2f} | "
            f"{r['whole']:.3f} | {simulate:.3f} | {simulate / r['whole']:.2f} | {load:.3f} | "
            f"{r['input_bytes'] / 2**10:,.0f} KiB | {r['split_identical'] and r['matches_run']} | "
            f"{r['peak_rss_mib']:,.0f} |")
    return lines


def _verdict(value: float, goal: float, *, below: bool = False) -> str:
    return "met" if (value < goal if below else value <= goal) else "missed"


def _goals(results: dict, arguments: argparse.Namespace) -> list[str]:
    goals, runs = [], results["runs"].values()
    if runs:
        worst = max(median(r["seconds"] for r in c["runs"]) / median(f["seconds"] for f in c["floors"])
                    for c in runs)
        ratio_goal = GOAL_DAILY_RATIO if arguments.daily else GOAL_RATIO
        goals.append(f"run ≤ {ratio_goal}× floor ({_verdict(worst, ratio_goal)}: worst median ratio {worst:.2f}×)")
        slowest = max(median(r["seconds"] for r in c["runs"]) for c in runs)
        if not arguments.daily:
            goals.append(f"run < {GOAL_SECONDS:.0f} s ({_verdict(slowest, GOAL_SECONDS, below=True)}: "
                         f"slowest median {slowest:.2f} s)")
        memory = max(child["rss_after"][0][1] for child in runs)
        memory_goal = GOAL_DAILY_MEMORY_MIB if arguments.daily else GOAL_MEMORY_MIB
        goals.append(f"a run's peak memory ≤ {memory_goal} MiB ({_verdict(memory, memory_goal)}: {memory:,.0f} MiB)")
    for slug, child in results.get("cli", {}).items():
        f = cli_figures(child)
        goals.append(f"{slug}: CLI ≤ {GOAL_CLI_RATIO}× read + write ({_verdict(f['ratio'], GOAL_CLI_RATIO)}: "
                     f"{f['ratio']:.2f}×), start-up ≤ {GOAL_STARTUP_SECONDS} s "
                     f"({_verdict(f['startup'], GOAL_STARTUP_SECONDS)}: {f['startup']:.2f} s)")
    if results["uncertainty"]:
        mc = max(r["timings"]["uncertainty"] / 1000 for r in results["uncertainty"].values())
        goals.append(f"{arguments.draws:,} draws ≤ {GOAL_DRAWS_SECONDS:.0f} s "
                     f"({_verdict(mc, GOAL_DRAWS_SECONDS)}: {mc:.2f} s)")
    return goals
