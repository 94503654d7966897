"""Score runs on real Celery workers over Redis, with the test database (PostgreSQL in CI).

The second test kills the worker in the middle of a run (SIGKILL: no clean shutdown, no ack) and shows
the broker redelivering the task to a new worker, which finishes the run exactly once, while the
ranking published before stays visible the whole time.
"""
from __future__ import annotations

import os
import signal
import time
from datetime import date
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from core.periods import parse_period
from rankings import services
from rankings.models import AccountScore, CityCategoryScore, CityScore, ScoreRun, ScoringScheme
from tests.factories import CityFactory, GovAccountFactory, SnapshotFactory

pytestmark = [pytest.mark.redis]
CITIES = 6


@pytest.fixture
def march_data() -> None:
    """The built-in schemes (a transactional test starts from empty tables) and six cities with a
    police and a press account each, one snapshot each in 2012-03."""
    for path in sorted((Path(settings.BASE_DIR) / "rankings" / "builtin_schemes").glob("*.yaml")):
        services.scheme_load_file(path=path, make_default=path.stem == "shifan-2012")
    for n in range(CITIES):
        city = CityFactory(name=f"城{n}", province="湖南")
        for category in ("police", "press"):
            account = GovAccountFactory(city=city, category=category, screen_name=f"{category}{n}")
            SnapshotFactory(account=account, period_start=date(2012, 3, 1), period_end=date(2012, 3, 31),
                            fans=1000 * (n + 1), posts=10 + n, original_posts=5, reposts=20 * n, comments=7 * n,
                            likes=3, replies=n)


def _wait_for(predicate, *, workers=(), seconds: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            logs = []
            for worker in workers:
                worker.log.seek(0)
                logs.append(worker.log.read().decode(errors="replace")[-3000:])
            pytest.fail(f"timed out waiting for {what}; worker logs:\n" + "\n---\n".join(logs))
        time.sleep(0.1)


def _published_ranking() -> list[tuple[int, int]]:
    run = ScoreRun.objects.get(scheme__slug="shifan-2012", is_published=True, period_start=date(2012, 3, 1))
    return list(CityScore.objects.filter(run=run).values_list("city_id", "rank"))


@pytest.mark.slow
def test_a_score_run_goes_through_a_real_worker_with_its_monte_carlo_split_into_subtasks(celery_workers,
                                                                                            march_data):
    worker = celery_workers(GOVWEIBO_UNCERTAINTY_CHUNK_DRAWS="50")
    run = services.score_run_start(scheme=ScoringScheme.objects.get(slug="shifan-2012"),
                                   period=parse_period("2012-03"), publish=True, draws=200, seed=11)

    _wait_for(lambda: ScoreRun.objects.get(pk=run.pk).finished, workers=[worker], what="the run to finish")

    run.refresh_from_db()
    assert run.status == ScoreRun.Status.SUCCEEDED, run.error
    assert run.is_published and run.progress == 100
    assert set(run.timings) >= {"reading", "scoring", "writing", "uncertainty", "publishing"}
    rows = list(CityScore.objects.filter(run=run))
    assert len(rows) == CITIES and all(row.median_rank is not None for row in rows)
    # The chord's four chunks of 50 draws give exactly what one inline call of 200 draws gives.
    # (Created directly rather than through score_run_start, which would enqueue it for the worker.)
    inline = ScoreRun.objects.create(scheme=run.scheme, scheme_version=run.scheme_version, document=run.document,
                                     period_start=run.period_start, period_end=run.period_end,
                                     uncertainty_draws=200, uncertainty_seed=11, task_id="inline")
    services.score_run_execute(run_id=inline.pk, task_id=inline.task_id)
    assert sorted(CityScore.objects.filter(run=inline).values_list("city_id", "median_rank", "rank_p05", "rank_p95")) \
        == sorted((row.city_id, row.median_rank, row.rank_p05, row.rank_p95) for row in rows)


@pytest.mark.postgres
@pytest.mark.slow
def test_a_worker_killed_mid_run_is_replaced_and_the_run_finishes_exactly_once(celery_workers, march_data):
    if connection.vendor != "postgresql":
        pytest.skip("holds a PostgreSQL table lock to stop the worker at a known point")
    scheme = ScoringScheme.objects.get(slug="shifan-2012")
    first = services.score_run_start(scheme=scheme, period=parse_period("2012-03"), publish=True, draws=0)
    services.score_run_execute(run_id=first.pk, task_id=first.task_id)  # published before the workers start
    published = _published_ranking()
    assert len(published) == CITIES

    # Hold the account results table so the worker stops inside its write transaction.
    db = connection.settings_dict
    blocker = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"])
    blocker.cursor().execute(f"LOCK TABLE {AccountScore._meta.db_table} IN ACCESS EXCLUSIVE MODE")
    visibility = {"GOVWEIBO_BROKER_VISIBILITY_TIMEOUT": "3"}
    doomed = celery_workers(**visibility)
    second = services.score_run_start(scheme=scheme, period=parse_period("2012-03"), publish=True, draws=0)
    _wait_for(lambda: ScoreRun.objects.filter(pk=second.pk, stage=ScoreRun.Stage.WRITING).exists(),
              workers=[doomed], what="the worker to reach the writing stage")
    time.sleep(0.5)  # it is now waiting for the lock, inside its transaction
    assert _published_ranking() == published

    os.killpg(doomed.pid, signal.SIGKILL)
    doomed.wait(timeout=10)
    blocker.rollback()  # the dead worker's transaction is rolled back by PostgreSQL
    blocker.close()
    assert ScoreRun.objects.get(pk=second.pk).status == ScoreRun.Status.RUNNING
    assert _published_ranking() == published
    time.sleep(3.5)  # past the visibility timeout: the next worker restores the unacknowledged task

    successor = celery_workers(**visibility)
    seen_published = []

    def finished() -> bool:
        seen_published.append(len(_published_ranking()))
        return ScoreRun.objects.get(pk=second.pk).finished

    _wait_for(finished, workers=[successor], what="the redelivered run to finish")

    second.refresh_from_db()
    assert second.status == ScoreRun.Status.SUCCEEDED, second.error
    assert second.attempts == 2  # the killed delivery and the redelivery
    assert second.is_published and not ScoreRun.objects.get(pk=first.pk).is_published
    assert AccountScore.objects.filter(run=second).count() == 2 * CITIES
    assert CityCategoryScore.objects.filter(run=second).count() == 2 * CITIES
    assert CityScore.objects.filter(run=second).count() == CITIES
    assert set(seen_published) == {CITIES}  # a whole ranking was published at every moment
    assert sorted(_published_ranking()) == sorted(published)  # same data, same ranking


@pytest.mark.postgres
@pytest.mark.slow
def test_a_run_whose_task_cannot_be_queued_fails_with_the_reason_instead_of_waiting_forever(transactional_db,
                                                                                         march_data):
    """compute_scores in its own process, with a broker address where nothing listens: the run is
    marked failed with the reason and the command exits 1 at once, instead of waiting for a worker."""
    import subprocess
    import sys

    if connection.vendor != "postgresql":
        pytest.skip("the command runs in another process, which needs the test database on a server")
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "REDIS_URL": "redis://127.0.0.1:1/0", "LANG": "en_US.UTF-8"}  # port 1: connection refused
    result = subprocess.run(
        [sys.executable, "manage.py", "compute_scores", "--period", "2012-03", "--draws", "0", "--timeout", "60"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 1
    assert "The task queue could not be reached" in result.stderr
    run = ScoreRun.objects.get()
    assert run.status == ScoreRun.Status.FAILED and run.error.startswith("The task queue could not be reached")
