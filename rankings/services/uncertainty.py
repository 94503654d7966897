"""The Monte Carlo stage of a run: each city's median rank and 5–95 % rank interval when the weights
(and optionally the normalisation method) vary.

Small jobs, and every job without a broker, run inline inside score_run_execute, on a second thread
while the results are written (uncertainty_begin, uncertainty_finish). Larger ones are split
into chunks of draws that Celery workers compute in parallel (a chord): the prepared input travels in
the run row (a few MB at most), each chunk returns its ranks, and the chord's callback writes the
summary and completes the run. Draw j depends only on (seed, j), so the split never changes a result.
"""
from __future__ import annotations

import logging
import time
from concurrent.futures import Executor, Future
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from rankings import dispatch
from rankings.models import CityScore, ScoreRun
from rankings.scoring import columns as col
from rankings.scoring.aggregate import counts_for_city
from rankings.scoring.pipeline import ScoreResult, normalised_matrix
from rankings.scoring.schemes import Scheme
from rankings.scoring.uncertainty import UncertaintyInput, prepare, simulate_ranks, summarise
from rankings.services.publishing import score_run_complete

logger = logging.getLogger(__name__)
OWN_METHOD = "scheme"  # the scheme's own normalisation of each indicator
UNCERTAINTY_SHARE, UNCERTAINTY_END = 25, 95  # progress % the chunks cover, and where they stop


def uncertainty_input_build(*, totals: pd.DataFrame, scheme: Scheme, result: ScoreResult) -> UncertaintyInput:
    """The accounts that count for cities, their normalised indicators under the scheme's own and each
    alternative normalisation, and the weights actually used."""
    accounts = result.accounts[counts_for_city(result.accounts[col.CATEGORY], scheme.category_weights)]
    keys = list(result.weights.index)
    methods = {OWN_METHOD: None, **{name: name for name in scheme.uncertainty.normalizations}}
    matrices = {
        name: normalised_matrix(totals, scheme, method=method).reindex(accounts.index)[keys].to_numpy(dtype=np.float64)
        for name, method in methods.items()
    }
    city_codes, city_ids = pd.factorize(accounts[col.CITY_ID], sort=True)
    category_codes = accounts[col.CATEGORY].map({name: n for n, name in enumerate(col.CATEGORIES)}).to_numpy()
    category_weights = None
    if scheme.category_weights:
        category_weights = np.array([scheme.category_weights.get(name, np.nan) for name in col.CATEGORIES], dtype=float)
    return UncertaintyInput(
        matrices=matrices, city_codes=city_codes.astype(np.int64), category_codes=category_codes.astype(np.int64),
        city_ids=np.asarray(city_ids, dtype=np.int64), indicator_weights=result.weights["used"].to_numpy(dtype=float),
        category_weights=category_weights, account_to_city=scheme.account_to_city,
        missing_category=scheme.missing_category, aggregation=scheme.aggregation, scale=float(scheme.scale),
    )


@dataclass(frozen=True)
class Analysis:
    """What uncertainty_begin's thread computed: the prepared input, the ranks (cities × draws) when
    the draws run in this process (None: Celery subtasks will draw them), and its own seconds."""
    prepared: UncertaintyInput
    ranks: np.ndarray | None
    seconds: float


def uncertainty_begin(executor: Executor, *, run: ScoreRun, totals: pd.DataFrame, scheme: Scheme,
                      result: ScoreResult, subtasks: bool = True) -> Future[Analysis]:
    """Start the analysis on the executor's thread: build its input, prepare it and, when it runs in this
    process, draw the ranks. That work is numpy and pandas only (no database, and numpy releases the
    GIL), so it runs while the calling thread writes the results and PostgreSQL stores them: at
    national scale the two overlap almost wholly. `totals` and `result` must not change meanwhile.
    Inline: when not `subtasks`, without a broker, or when the draws fit one chunk."""
    draws, seed, spread = run.uncertainty_draws, run.uncertainty_seed, run.definition.uncertainty.spread
    inline = not subtasks or settings.CELERY_TASK_ALWAYS_EAGER or draws <= settings.GOVWEIBO_UNCERTAINTY_CHUNK_DRAWS

    def compute() -> Analysis:
        started = time.perf_counter()
        prepared = prepare(uncertainty_input_build(totals=totals, scheme=scheme, result=result))
        ranks = simulate_ranks(prepared, draws=draws, seed=seed, spread=spread) if inline else None
        return Analysis(prepared=prepared, ranks=ranks, seconds=time.perf_counter() - started)

    return executor.submit(compute)


def uncertainty_finish(*, run: ScoreRun, analysis: Analysis) -> bool:
    """After the results are written: store the summary (inline), or hand the draws to Celery subtasks.
    True when handed over (the chord's callback then completes the run)."""
    if analysis.ranks is not None:
        _summary_write(run=run, ranks=analysis.ranks, city_ids=analysis.prepared.city_ids)
        return False
    draws, chunk = run.uncertainty_draws, settings.GOVWEIBO_UNCERTAINTY_CHUNK_DRAWS
    ScoreRun.objects.filter(pk=run.pk).update(uncertainty_input=analysis.prepared.to_bytes(), heartbeat_at=timezone.now())
    chunks = [(start, min(chunk, draws - start)) for start in range(0, draws, chunk)]
    dispatch.score_run_uncertainty_send(run_id=run.pk, chunks=chunks, dispatched_at=time.time())
    logger.info("task=score_run_execute run_id=%s stage=uncertainty chunks=%s", run.pk, len(chunks))
    return True


def score_run_uncertainty_chunk(*, run_id: int, start: int, count: int) -> list[list[int]] | None:
    """Ranks (cities × count) for draws [start, start + count); None when the run is no longer running."""
    run = ScoreRun.objects.filter(pk=run_id, status=ScoreRun.Status.RUNNING).first()
    if run is None or run.uncertainty_input is None:
        return None
    inputs = UncertaintyInput.from_bytes(bytes(run.uncertainty_input))
    ranks = simulate_ranks(inputs, draws=run.uncertainty_draws, seed=run.uncertainty_seed, spread=run.definition.uncertainty.spread,
                           start=start, count=count)
    # Each chunk moves the bar through the stage's share (70 → 95 %), whichever worker finishes it.
    step = max(1, round(UNCERTAINTY_SHARE * count / run.uncertainty_draws))
    ScoreRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now(),
                                              progress=Least(F("progress") + step, UNCERTAINTY_END))
    return ranks.tolist()


def score_run_uncertainty_finish(*, run_id: int, chunks: list, dispatched_at: float) -> ScoreRun | None:
    """The chord's callback: join the chunks (in draw order), write the summary, complete the run."""
    run = ScoreRun.objects.filter(pk=run_id, status=ScoreRun.Status.RUNNING).first()
    if run is None or run.uncertainty_input is None or any(part is None for part in chunks):
        return None
    inputs = UncertaintyInput.from_bytes(bytes(run.uncertainty_input))
    ranks = np.concatenate([np.asarray(part, dtype=np.int32).reshape(len(inputs.city_ids), -1) for part in chunks],
                           axis=1)
    _summary_write(run=run, ranks=ranks, city_ids=inputs.city_ids)
    elapsed = round((time.time() - dispatched_at) * 1000)
    return score_run_complete(run=run, timings={**run.timings, ScoreRun.Stage.UNCERTAINTY: elapsed})


def _summary_write(*, run: ScoreRun, ranks: np.ndarray, city_ids: np.ndarray) -> None:
    summary = summarise(ranks, city_ids).set_index("city_id")
    with transaction.atomic():
        rows = list(CityScore.objects.filter(run=run, city_id__in=summary.index.tolist()))
        for row in rows:
            median, low, high = summary.loc[row.city_id, ["median_rank", "rank_p05", "rank_p95"]]
            row.median_rank, row.rank_p05, row.rank_p95 = float(median), float(low), float(high)
        CityScore.objects.bulk_update(rows, ["median_rank", "rank_p05", "rank_p95"], batch_size=1000)
