"""Benchmark: Monte Carlo rank uncertainty, national scale, on one core, against a naive pandas loop.

    .venv/bin/python bench/uncertainty.py [--draws 1000] [--baseline-draws 5]

Builds synthetic national-scale data (330 cities, 180,000 accounts, 4 indicators, 5 categories; city
sizes and indicators heavy-tailed, indicators correlated), normalised two ways (min-max of log1p and
percentile rank, per category). For each account_to_city x aggregation it runs, in a fresh child
process pinned to one core with one BLAS thread: prepare() then simulate_ranks() for --draws draws
(spread 0.25, both methods), and reports prepare time, rows left, wall time, draws/s and the child's
peak RSS, then simulate_ranks on the unprepared input (same ranks, slower). The baseline is the
obvious per-draw pandas loop (composite, groupby, weighted sum, rank) on --baseline-draws draws of the
same data, checked to give the same ranks; the ratio compares draws per second.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rankings.scoring.uncertainty import (  # noqa: E402
    RANK_P05,
    RANK_P95,
    STREAM_CATEGORY_WEIGHTS,
    STREAM_INDICATOR_WEIGHTS,
    UncertaintyInput,
    method_draws,
    prepare,
    simulate_ranks,
    summarise,
    weight_draws,
)

CITIES, ACCOUNTS, CATEGORY_SHARES = 330, 180_000, (0.35, 0.25, 0.2, 0.12, 0.08)
INDICATOR_WEIGHTS = np.array([0.4, 0.2, 0.2, 0.2])
CATEGORY_WEIGHTS = np.array([0.3, 0.25, 0.2, 0.15, 0.1])
SPREAD, SEED = 0.25, 42
CONFIGS = [(how, agg) for agg in ("arithmetic", "geometric") for how in ("max", "top3_mean", "mean", "sum")]


def synthetic(seed: int = SEED) -> UncertaintyInput:
    rng = np.random.default_rng(seed)
    city_size = rng.pareto(1.1, CITIES) + 0.2  # a few provincial capitals hold thousands of accounts
    city = rng.choice(CITIES, size=ACCOUNTS, p=city_size / city_size.sum())
    city[:CITIES] = np.arange(CITIES)  # every city has an account
    category = rng.choice(len(CATEGORY_SHARES), size=ACCOUNTS, p=CATEGORY_SHARES)
    activity = rng.normal(size=ACCOUNTS)
    raw = np.column_stack(
        [
            np.exp(2.2 * activity + 1.2 * rng.normal(size=ACCOUNTS) + 6),  # fans: very heavy tail
            rng.pareto(1.5, ACCOUNTS) * np.exp(0.8 * activity) * 20,  # posts
            rng.pareto(1.2, ACCOUNTS) * np.exp(1.0 * activity) * 3,  # reposts
            rng.pareto(1.3, ACCOUNTS) * np.exp(1.0 * activity) * 2,  # comments
        ]
    )
    raw[rng.random(raw.shape) < 0.05] = 0  # silent accounts
    frame = pd.DataFrame(np.log1p(raw)).assign(category=category)
    by_category = frame.groupby("category")
    low, high = by_category.transform("min"), by_category.transform("max")
    minmax = 100 * (frame.drop(columns="category") - low) / (high - low)
    rank = 100 * by_category.rank(pct=True)
    return UncertaintyInput(
        matrices={"minmax": minmax.to_numpy(), "rank": rank.to_numpy()},
        city_codes=city,
        category_codes=category,
        city_ids=np.arange(CITIES) + 1000,
        indicator_weights=INDICATOR_WEIGHTS,
        category_weights=CATEGORY_WEIGHTS,
        account_to_city="max",
        missing_category="renormalize",
        aggregation="arithmetic",
        scale=1.0,
    )


def naive_ranks(inp: UncertaintyInput, *, draws: int, seed: int, spread: float) -> np.ndarray:
    """The baseline: one pandas groupby pass per draw (category weights, renormalize; data >= 0)."""
    streams = {"seed": seed, "spread": spread, "draws": draws}
    w = weight_draws(inp.indicator_weights, stream=STREAM_INDICATOR_WEIGHTS, **streams)
    v = weight_draws(inp.category_weights, stream=STREAM_CATEGORY_WEIGHTS, **streams)
    method = method_draws(len(inp.matrices), draws=draws, seed=seed)
    frames = [pd.DataFrame(x) for x in inp.matrices.values()]
    how = inp.account_to_city
    aggregate = (lambda s: s.nlargest(3).mean()) if how == "top3_mean" else how
    ranks = []
    for j in range(draws):
        frame = frames[method[j]]
        if inp.aggregation == "arithmetic":
            composite = frame @ w[j]
        else:
            composite = (frame ** w[j]).prod(axis=1).where(~(frame == 0).any(axis=1), 0.0)
        accounts = pd.DataFrame(
            {"city": inp.city_codes, "category": inp.category_codes, "c": composite * inp.scale}
        )
        groups = accounts.groupby(["city", "category"])["c"].agg(aggregate).rename("s").reset_index()
        groups["v"] = v[j][groups["category"]]
        by_city = groups["city"]
        score = (groups["s"] * groups["v"]).groupby(by_city).sum() / groups["v"].groupby(by_city).sum()
        score = score.reindex(range(len(inp.city_ids)))
        ranks.append(score.round(9).rank(method="min", ascending=False, na_option="bottom").to_numpy())
    return np.column_stack(ranks).astype(np.int32)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: str, how: str, aggregation: str, draws: int, baseline_draws: int) -> None:
    """One configuration, in a fresh process on one core: prints a JSON line."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    stored = UncertaintyInput.from_bytes(Path(path).read_bytes())
    inp = replace(stored, account_to_city=how, aggregation=aggregation)
    result = {"loaded_rss": peak_rss_mb()}
    started = time.perf_counter()
    prepared = prepare(inp)
    result["prepare_s"] = time.perf_counter() - started
    result["rows"] = prepared.accounts
    started = time.perf_counter()
    ranks = simulate_ranks(prepared, draws=draws, seed=SEED, spread=SPREAD)
    result["seconds"] = time.perf_counter() - started
    result["peak_rss"] = peak_rss_mb()
    summary = summarise(ranks, inp.city_ids)
    result["median_width"] = float((summary[RANK_P95] - summary[RANK_P05]).median())
    started = time.perf_counter()
    raw = simulate_ranks(inp, draws=draws, seed=SEED, spread=SPREAD)
    result["raw_s"] = time.perf_counter() - started
    result["agrees"] = bool((raw == ranks).all())
    if baseline_draws:
        started = time.perf_counter()
        naive = naive_ranks(inp, draws=baseline_draws, seed=SEED, spread=SPREAD)
        result["baseline_s"] = time.perf_counter() - started
        result["agrees"] &= bool((naive == ranks[:, :baseline_draws]).all())
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--baseline-draws", type=int, default=5)
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        path, how, aggregation, draws, baseline = arguments.child
        child(path, how, aggregation, int(draws), int(baseline))
        return

    started = time.perf_counter()
    inp = synthetic()
    data = inp.to_bytes()
    sizes = np.bincount(inp.city_codes)
    print(
        f"synthetic: {CITIES} cities, {inp.accounts:,} accounts (per city: median {np.median(sizes):.0f}, "
        f"max {sizes.max():,}), K={len(INDICATOR_WEIGHTS)}, G={len(CATEGORY_WEIGHTS)}, methods "
        f"{list(inp.matrices)}, spread {SPREAD}; built in {time.perf_counter() - started:.1f} s, "
        f"to_bytes {len(data) / 2**20:.1f} MB; {arguments.draws} draws, one core, one BLAS thread"
    )
    header = (
        f"{'account_to_city':<15} {'aggregation':<11} {'rows':>7} {'prepare':>8} {'wall':>7} {'draws/s':>8} "
        f"{'RSS load':>8} {'peak':>7} {'raw wall':>8} {'naive/s':>8} {'ratio':>6}  agree  p95-p05"
    )
    print(header)
    with tempfile.NamedTemporaryFile(suffix=".npz") as file:
        file.write(data)
        file.flush()
        for how, aggregation in CONFIGS:
            command = [sys.executable, __file__, "--child", file.name, how, aggregation]
            command += [str(arguments.draws), str(arguments.baseline_draws)]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            r = json.loads(output.splitlines()[-1])
            rate = arguments.draws / r["seconds"]
            naive = arguments.baseline_draws / r["baseline_s"] if arguments.baseline_draws else float("nan")
            print(
                f"{how:<15} {aggregation:<11} {r['rows']:>7,} {r['prepare_s']:>7.2f}s {r['seconds']:>6.2f}s "
                f"{rate:>8.0f} {r['loaded_rss']:>5.0f} MB {r['peak_rss']:>4.0f} MB {r['raw_s']:>7.2f}s "
                f"{naive:>8.1f} {rate / naive:>5.0f}x  {str(r['agrees']):<5}  {r['median_width']:>5.1f}"
            )
    print(
        "rows: after prepare(); wall: simulate_ranks on the prepared input (prepare runs once);\n"
        "RSS load: the child's peak after loading the raw input; peak: after prepare and the draws\n"
        "(whole process: interpreter, numpy, pandas); raw wall: simulate_ranks on the unprepared input;\n"
        f"naive/s: the pandas loop on {arguments.baseline_draws} draws; ratio: draws/s against it;\n"
        "agree: prepared, raw and naive ranks identical; p95-p05: the median city's rank interval width."
    )


if __name__ == "__main__":
    main()
