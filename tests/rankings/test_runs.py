"""Score runs through the services, on the test database (SQLite and PostgreSQL): the results written
match the pure engine, ranks and rank changes, publishing, failures that never disturb what is
published, and re-execution that replaces rather than duplicates."""
from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.utils import translation

from accounts.models import Snapshot
from accounts.selectors import snapshots_frame
from core.periods import parse_period
from rankings import services
from rankings.models import AccountScore, CityCategoryScore, CityScore, ScoreRun, ScoringScheme
from rankings.services import ScoringError
from tests.factories import CityFactory, GovAccountFactory, SnapshotFactory

pytestmark = pytest.mark.django_db

BCI_VECTORS = [  # (posts, reposts, comments, likes) -> BCI v1, from ../shared/domain.md
    ((0, 0, 0, 0), 0.00),
    ((1, 0, 0, 0), 22.18),
    ((100, 1000, 1000, 5000), 1073.19),
    ((145, 4000, 2000, 9000), 1206.43),
    ((1000, 20000, 20000, 100000), 1529.93),
]


def _snapshot(account, month: int, **counts) -> None:
    period = parse_period(f"2012-{month:02d}")
    SnapshotFactory(account=account, period_start=period.start, period_end=period.end, **counts)


@pytest.fixture
def bci_cities() -> dict[str, object]:
    """Five cities, one press account each, one snapshot in 2012-03 with a BCI test vector."""
    accounts = {}
    for n, ((posts, reposts, comments, likes), _bci) in enumerate(BCI_VECTORS):
        city = CityFactory(name=f"城{n}", province="湖南")
        account = GovAccountFactory(city=city, category="press", screen_name=f"发布{n}")
        _snapshot(account, 3, fans=10, posts=posts, original_posts=0, reposts=reposts, comments=comments,
                  likes=likes, replies=0)
        accounts[f"城{n}"] = account
    return accounts


def _run(slug: str, period: str, **options) -> ScoreRun:
    run = services.score_run_start(scheme=ScoringScheme.objects.get(slug=slug), period=parse_period(period), **options)
    services.score_run_execute(run_id=run.pk, task_id=run.task_id, subtasks=False)
    return ScoreRun.objects.get(pk=run.pk)


def test_the_builtin_schemes_exist_with_shifan_2012_the_default():
    assert set(ScoringScheme.objects.values_list("slug", flat=True)) >= {"shifan-2012", "bci-v1", "bci-v2", "rmw-2023"}
    assert ScoringScheme.objects.get(is_default=True).slug == "shifan-2012"


def test_a_bci_v1_run_stores_the_published_test_vectors_per_account(bci_cities):
    run = _run("bci-v1", "2012-03", draws=0)

    assert run.status == ScoreRun.Status.SUCCEEDED, run.error
    scores = {row.account.screen_name: round(row.composite, 2)
              for row in AccountScore.objects.filter(run=run).select_related("account")}
    assert scores == {f"发布{n}": bci for n, (_vector, bci) in enumerate(BCI_VECTORS)}
    # One account per city: the city score is the account's, so the cities rank in BCI order.
    ranking = list(CityScore.objects.filter(run=run).order_by("rank").values_list("city__name", "rank"))
    assert ranking == [("城4", 1), ("城3", 2), ("城2", 3), ("城1", 4), ("城0", 5)]
    assert (run.input_rows, run.accounts_scored, run.cities_scored) == (5, 5, 5)
    assert len(run.fingerprint) == 64 and run.progress == 100 and run.stage == ScoreRun.Stage.DONE


def test_results_in_the_database_equal_the_pure_engine(bci_cities):
    import pandas as pd

    from rankings.scoring.inputs import period_totals
    from rankings.scoring.pipeline import score
    from rankings.scoring.schemes import Scheme

    run = _run("shifan-2012", "2012-03", draws=0)
    period = parse_period("2012-03")
    totals = period_totals(snapshots_frame(period_start=period.start, period_end=period.end),
                           period_start=pd.Timestamp(period.start), period_end=pd.Timestamp(period.end))
    expected = score(totals, Scheme.from_document(run.document), period_end=pd.Timestamp(period.end))

    stored = dict(CityScore.objects.filter(run=run).values_list("city_id", "score"))
    assert stored == pytest.approx(expected.cities["score"].to_dict())
    categories = {(row.city_id, row.category): row.score for row in CityCategoryScore.objects.filter(run=run)}
    assert categories == pytest.approx(
        {(row.city_id, row.category): row.score for row in expected.city_categories.itertuples()})


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    for name, posts in (("甲", 50), ("乙", 20), ("丙", 20), ("丁", 5)):
        account = GovAccountFactory(city=CityFactory(name=name), category="press", screen_name=f"{name}发布")
        _snapshot(account, 3, fans=10, posts=posts, original_posts=0, reposts=0, comments=0, likes=0, replies=0)

    run = _run("bci-v1", "2012-03", draws=0)

    assert dict(CityScore.objects.filter(run=run).values_list("city__name", "rank")) == {
        "甲": 1, "乙": 2, "丙": 2, "丁": 4}


def test_publishing_replaces_the_published_run_of_the_same_period_atomically(bci_cities):
    first = _run("bci-v1", "2012-03", publish=True, draws=0)
    second = _run("bci-v1", "2012-03", draws=0)

    assert first.is_published and not second.is_published
    services.score_run_publish(run=second)

    published = ScoreRun.objects.filter(scheme__slug="bci-v1", is_published=True)
    assert list(published.values_list("pk", flat=True)) == [second.pk]


def test_rank_change_compares_with_the_previous_published_period_of_the_same_kind(bci_cities):
    for n, account in enumerate(bci_cities.values()):  # April reverses March's order
        posts, reposts, comments, likes = BCI_VECTORS[len(BCI_VECTORS) - 1 - n][0]
        _snapshot(account, 4, fans=10, posts=posts, original_posts=0, reposts=reposts, comments=comments,
                  likes=likes, replies=0)
    _run("bci-v1", "2012-03", publish=True, draws=0)
    _run("bci-v1", "2012-Q1", publish=True, draws=0)  # another kind of period: not April's baseline

    april = _run("bci-v1", "2012-04", draws=0)

    changes = dict(CityScore.objects.filter(run=april).values_list("city__name", "rank_change"))
    # March ranks 城4..城0 = 1..5; April ranks 城0..城4 = 1..5: previous − current.
    assert changes == {"城0": 4, "城1": 2, "城2": 0, "城3": -2, "城4": -4}


def test_a_failed_run_keeps_the_published_ranking_and_drops_its_own_rows(bci_cities):
    published = _run("bci-v1", "2012-03", publish=True, draws=0)

    # The data disappears between the start and the execution: the run fails with the reason.
    started = services.score_run_start(scheme=ScoringScheme.objects.get(slug="bci-v1"),
                                       period=parse_period("2012-03"), publish=True, draws=0, enqueue=False)
    Snapshot.objects.all().delete()
    services.score_run_execute(run_id=started.pk, task_id=started.task_id, subtasks=False)
    empty = ScoreRun.objects.get(pk=started.pk)

    assert empty.status == ScoreRun.Status.FAILED
    assert "2012-03" in empty.error and CityScore.objects.filter(run=published).exists()
    assert not CityScore.objects.filter(run=empty).exists()
    assert ScoreRun.objects.get(pk=published.pk).is_published
    assert CityScore.objects.filter(run=published).count() == 5


def test_executing_a_run_again_for_its_own_task_replaces_its_results_instead_of_duplicating(bci_cities):
    run = services.score_run_start(scheme=ScoringScheme.objects.get(slug="bci-v1"), period=parse_period("2012-03"),
                                   draws=0)
    services.score_run_execute(run_id=run.pk, task_id=run.task_id)
    ScoreRun.objects.filter(pk=run.pk).update(status=ScoreRun.Status.RUNNING)  # as if the worker died at the end

    services.score_run_execute(run_id=run.pk, task_id=run.task_id)

    run.refresh_from_db()
    assert (run.status, run.attempts) == (ScoreRun.Status.SUCCEEDED, 2)
    assert AccountScore.objects.filter(run=run).count() == 5
    assert CityScore.objects.filter(run=run).count() == 5


def test_a_run_is_not_claimed_by_another_task_or_once_finished(bci_cities):
    run = _run("bci-v1", "2012-03", draws=0)

    assert services.score_run_execute(run_id=run.pk, task_id=run.task_id) is None
    ScoreRun.objects.filter(pk=run.pk).update(status=ScoreRun.Status.RUNNING)
    assert services.score_run_execute(run_id=run.pk, task_id="someone-else") is None


def test_the_uncertainty_analysis_gives_every_city_a_median_rank_inside_its_interval(bci_cities):
    run = _run("shifan-2012", "2012-03", draws=200, seed=7)

    rows = list(CityScore.objects.filter(run=run))
    assert len(rows) == 5
    for row in rows:
        assert 1 <= row.rank_p05 <= row.median_rank <= row.rank_p95 <= 5
    again = _run("shifan-2012", "2012-03", draws=200, seed=7)
    assert sorted(CityScore.objects.filter(run=again).values_list("city_id", "median_rank", "rank_p05", "rank_p95")) \
        == sorted((row.city_id, row.median_rank, row.rank_p05, row.rank_p95) for row in rows)


def test_the_diagnostics_flags_are_stored_with_the_run():
    city = CityFactory(name="长沙")
    shell = GovAccountFactory(city=city, category="youth", screen_name="空壳团委")
    broadcaster = GovAccountFactory(city=city, category="police", screen_name="只发不回")
    _snapshot(shell, 3, fans=100, posts=0, original_posts=0, reposts=0, comments=0, likes=0, replies=0)
    SnapshotFactory(account=broadcaster, period_start=date(2012, 3, 1), period_end=date(2012, 3, 31), fans=100,
                    posts=40, original_posts=10, reposts=5, comments=8, likes=3, replies=0,
                    last_post_on=date(2012, 3, 2))

    run = _run("shifan-2012", "2012-03", draws=0)

    flags = {row.account.screen_name: (row.empty_shell, row.inactive, row.broadcast_only, row.reply_rate)
             for row in AccountScore.objects.filter(run=run).select_related("account")}
    assert flags["空壳团委"][0] is True and flags["空壳团委"][2] is False
    assert flags["只发不回"] == (False, True, True, 0.0)  # last post 29 days before the period end


def test_without_a_broker_a_run_is_sent_by_name_on_commit_and_runs_inline(bci_cities,
                                                                         django_capture_on_commit_callbacks):
    """No REDIS_URL: the task, sent by name through rankings.dispatch, finds its registered task and
    runs eagerly when the transaction commits, as it did when services imported the task."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("with a broker the task is queued for a worker: see test_worker.py")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = services.score_run_start(scheme=ScoringScheme.objects.get(slug="bci-v1"),
                                       period=parse_period("2012-03"), draws=0)
        assert ScoreRun.objects.get(pk=run.pk).status == ScoreRun.Status.PENDING

    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == ScoreRun.Status.SUCCEEDED, run.error
    assert CityScore.objects.filter(run=run).count() == 5


def test_a_bad_draw_count_is_refused_before_anything_is_created():
    with pytest.raises(ScoringError):
        services.score_run_start(scheme=ScoringScheme.objects.get(slug="bci-v1"), period=parse_period("2012"),
                                 draws=-1)
    assert not ScoreRun.objects.exists()


@pytest.mark.parametrize("period", ["2013-03", "2012-04", "2012-02-01/2012-03-30"])
def test_a_run_for_a_period_without_data_is_refused_before_anything_is_created(bci_cities, period):
    """Only snapshots lying wholly inside the period count: March's data says nothing of a range that
    ends before March does."""
    with translation.override("en"), pytest.raises(ScoringError) as refused:
        services.score_run_start(scheme=ScoringScheme.objects.get(slug="bci-v1"), period=parse_period(period))

    assert str(refused.value) == f"No snapshot of a scored account lies inside {period}; import data for it first."
    assert not ScoreRun.objects.exists()


def test_the_monthly_job_skips_a_month_without_data_and_starts_nothing(bci_cities):
    assert services.score_runs_start_monthly(today=date(2013, 4, 2)) == []
    assert not ScoreRun.objects.exists()


def test_the_monthly_job_runs_the_builtin_default_when_no_scheme_is_marked_default(bci_cities):
    ScoringScheme.objects.update(is_default=False)

    started = services.score_runs_start_monthly(today=date(2012, 4, 1))

    assert [(run.scheme.slug, run.period_label) for run in started] == [("shifan-2012", "2012-03")]


def test_the_monthly_job_starts_the_previous_month_once(bci_cities):
    started = services.score_runs_start_monthly(today=date(2012, 4, 2))
    again = services.score_runs_start_monthly(today=date(2012, 4, 2))

    assert [(run.scheme.slug, run.period_label, run.publish) for run in started] == [("shifan-2012", "2012-03", True)]
    assert again == []


def test_celery_beat_schedules_the_monthly_job_on_a_registered_task():
    from govweibo.celery import app

    app.loader.import_default_modules()  # what a worker or beat does at start: autodiscover the tasks
    entry = app.conf.beat_schedule["monthly-ranking"]
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert (schedule.day_of_month, schedule.hour, schedule.minute) == ({2}, {3}, {0})


def test_a_scheme_over_a_custom_metric_reads_it_from_the_snapshots_json_and_sums_it_exactly():
    """normalize: none and weights 0.7/0.3: the score is exactly 0.7·hotline + 0.3·replies, summed per
    city; a snapshot without the custom metric counts as 0 and is reported as a warning."""
    scheme, _outcome = services.scheme_save(document={
        "slug": "hotline", "name": "热线",
        "custom_metrics": ["hotline"],
        "indicators": [
            {"key": "hotline", "label": "热线回复", "expr": "hotline", "normalize": "none", "weight": 0.7},
            {"key": "replies", "label": "回复", "expr": "replies", "normalize": "none", "weight": 0.3},
        ],
        "account_to_city": "sum",
    })
    city = CityFactory(name="长沙")
    for name, hotline, replies in (("甲", 10, 4), ("乙", None, 6)):
        account = GovAccountFactory(city=city, category="police", screen_name=name)
        for month in (3, 4):
            period = parse_period(f"2012-{month:02d}")
            SnapshotFactory(account=account, period_start=period.start, period_end=period.end, replies=replies,
                            custom_metrics={} if hotline is None else {"hotline": hotline + month})

    run = _run("hotline", "2012-Q2", draws=0)  # April only: March lies outside the quarter

    assert run.status == ScoreRun.Status.SUCCEEDED, run.error
    # 甲: 0.7·14 + 0.3·4 = 11.0; 乙: 0.7·0 + 0.3·6 = 1.8; the city: their sum, 12.8.
    composites = dict(AccountScore.objects.filter(run=run).values_list("account__screen_name", "composite"))
    assert composites == pytest.approx({"甲": 11.0, "乙": 1.8})
    assert CityScore.objects.get(run=run).score == pytest.approx(12.8)
    assert run.warnings == {"hotline:missing_value": 1}


def test_a_monte_carlo_chunk_gives_its_slice_of_the_inline_draws_and_moves_the_progress(bci_cities):
    import numpy as np
    import pandas as pd

    from rankings.scoring.inputs import period_totals
    from rankings.scoring.pipeline import score
    from rankings.scoring.schemes import Scheme
    from rankings.scoring.uncertainty import prepare, simulate_ranks
    from rankings.services.uncertainty import uncertainty_input_build

    run = services.score_run_start(scheme=ScoringScheme.objects.get(slug="shifan-2012"),
                                   period=parse_period("2012-03"), draws=100, seed=5)
    period, scheme = parse_period("2012-03"), Scheme.from_document(run.document)
    totals = period_totals(snapshots_frame(period_start=period.start, period_end=period.end),
                           period_start=pd.Timestamp(period.start), period_end=pd.Timestamp(period.end))
    inputs = prepare(uncertainty_input_build(totals=totals, scheme=scheme,
                                             result=score(totals, scheme, period_end=pd.Timestamp(period.end))))
    ScoreRun.objects.filter(pk=run.pk).update(status=ScoreRun.Status.RUNNING, progress=70,
                                              uncertainty_input=inputs.to_bytes())

    chunk = services.score_run_uncertainty_chunk(run_id=run.pk, start=50, count=50)

    everything = simulate_ranks(inputs, draws=100, seed=5, spread=0.25)
    assert np.array_equal(np.asarray(chunk), everything[:, 50:])
    assert ScoreRun.objects.get(pk=run.pk).progress == 70 + round(25 * 50 / 100)
    ScoreRun.objects.filter(pk=run.pk).update(status=ScoreRun.Status.FAILED)
    assert services.score_run_uncertainty_chunk(run_id=run.pk, start=0, count=50) is None  # no longer running
