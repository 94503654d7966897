"""Phase "uncertainty": 1,000 draws (--draws) on one core and one BLAS thread ("one worker"): a run with
draws through the service path, its `uncertainty` stage from ScoreRun.timings; then the same input
built, prepared and simulated whole and in chunks (simulate_ranks start/count, as the Celery chord
splits it), checked identical to each other and to the run's summary."""
from __future__ import annotations

import argparse
import os
import time

from scorerun.common import peak_rss_mib, period_text


def uncertainty_phase(arguments: argparse.Namespace) -> dict:
    from core.periods import parse_period
    from rankings.models import ScoringScheme

    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    period = parse_period(period_text(arguments))
    scheme_row = ScoringScheme.objects.get(slug=arguments.scheme)
    run, result = _run_with_draws(scheme_row, period, arguments)
    prepared, data, options = _prepared(run, period, arguments, result)
    whole = _simulations(prepared, data, options, arguments, result)
    result["matches_run"] = _matches_run(run, whole, prepared)
    return result


def _run_with_draws(scheme_row, period, arguments: argparse.Namespace) -> tuple:
    from rankings import services
    from rankings.models import ScoreRun

    began = time.perf_counter()
    run = services.score_run_start(scheme=scheme_row, period=period, publish=False, draws=arguments.draws,
                                   seed=scheme_row.definition.uncertainty.seed)
    seconds = time.perf_counter() - began
    run.refresh_from_db()
    if run.status != ScoreRun.Status.SUCCEEDED:
        raise SystemExit(f"run #{run.pk} ended {run.status}: {run.error}")
    return run, {"scheme": arguments.scheme, "draws": arguments.draws, "run_seconds": seconds,
                 "timings": run.timings, "rss_after_run": peak_rss_mib()}


def _prepared(run, period, arguments: argparse.Namespace, result: dict) -> tuple:
    """The stage's parts on the run's input: build, prepare, serialise (timed into `result`)."""
    import pandas as pd

    from rankings import selectors
    from rankings.scoring.pipeline import score
    from rankings.scoring.schemes import Scheme
    from rankings.scoring.uncertainty import prepare
    from rankings.services.uncertainty import uncertainty_input_build

    scheme = Scheme.from_document(run.document)
    totals = selectors.period_totals_read(period=period, custom_metrics=list(scheme.custom_metrics),
                                          latest_metrics=list(scheme.latest_metrics)).totals
    scored = score(totals, scheme, period_end=pd.Timestamp(period.end))
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
    return prepared, data, options


def _simulations(prepared, data: bytes, options: dict, arguments: argparse.Namespace, result: dict):
    """All draws at once, then in chunks, three times: the best of each (into `result`). Returns the
    whole simulation's ranks."""
    import numpy as np

    from rankings.scoring.uncertainty import UncertaintyInput, simulate_ranks

    size = -(-arguments.draws // arguments.chunks)
    wholes, splits, identical = [], [], True
    for _attempt in range(3):
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
    return whole


def _matches_run(run, whole, prepared) -> bool:
    import numpy as np
    import pandas as pd

    from rankings.models import CityScore
    from rankings.scoring.uncertainty import summarise

    summary = summarise(whole, prepared.city_ids).set_index("city_id")
    stored = pd.DataFrame.from_records(
        CityScore.objects.filter(run=run).values("city_id", "median_rank", "rank_p05", "rank_p95"),
        index="city_id")
    return bool(np.allclose(summary.sort_index().to_numpy(dtype=float),
                            stored.loc[summary.index].sort_index().to_numpy(dtype=float)))
