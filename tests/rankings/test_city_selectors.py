"""The read functions behind the city, category and account pages (and the API's breakdowns): hand-built
rankings (tests/rankings/factories.ranking_build) against values computed by hand, in a fixed number
of queries."""
from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from accounts.models import City, GovAccount
from rankings.selectors import accounts as account_reads
from rankings.selectors import cities as city_reads
from tests.factories import CityFactory, SnapshotFactory
from tests.rankings.factories import AccountScoreFactory, CityScoreFactory, ScoreRunFactory, ranking_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    return ranking_build(published=True)


def _city(name: str) -> City:
    return City.objects.get(name=name)


def test_the_ranking_frame_has_every_city_with_its_category_scores_in_two_queries(run, django_assert_num_queries):
    with django_assert_num_queries(2):
        ranking = city_reads.city_ranking_frame(run=run)

    assert ranking["city"].tolist() == ["长沙", "株洲", "武汉"]
    assert ranking["rank"].tolist() == [1, 2, 3]
    assert ranking["police"].tolist()[0] == 85.555 and math.isnan(ranking["police"][1])
    assert ranking["police"][2] == 0.0
    assert ranking["press"].tolist()[::2] == [75.0, 40.0]
    assert ranking["is_new"].tolist() == [False, False, True]
    assert ranking["rank_change"].tolist()[:2] == [2.0, -1.0]
    assert list(ranking.columns[-5:]) == ["police", "traffic", "press", "youth", "tourism"]


def test_the_ranking_frame_of_one_province_keeps_national_ranks(run):
    ranking = city_reads.city_ranking_frame(run=run, province="湖北")
    assert ranking[["city", "rank", "press"]].values.tolist() == [["武汉", 3, 40.0]]


def test_category_medians_count_a_missing_category_as_zero(run):
    ranking = city_reads.city_ranking_frame(run=run)
    frame = city_reads.city_categories_frame(ranking=ranking, run=run, city_id=_city("株洲").pk)

    by_category = frame.set_index("category")
    # police: 长沙 85.555, 株洲 0 (none), 武汉 0 -> national median 0; Hunan (长沙, 株洲) median 42.7775.
    assert by_category.loc["police"].tolist() == [0.0, 0.0, pytest.approx(42.7775)]
    # traffic: only 株洲 64.5; national median of (0, 64.5, 0) is 0, Hunan's of (0, 64.5) is 32.25.
    assert by_category.loc["traffic"].tolist() == [64.5, 0.0, 32.25]
    assert by_category.loc["press"].tolist() == [0.0, 40.0, 37.5]


def test_indicator_percentiles_rank_the_city_among_all_cities_best_first(run, django_assert_num_queries):
    zhuzhou = _city("株洲").pk
    with django_assert_num_queries(1):
        frame = city_reads.city_indicators_frame(run=run, city_id=zhuzhou)

    # 株洲: fans 50 (2nd of 10, 50, 90 -> 50th percentile), activity 64.5 (2nd of 70, 64.5, 40 -> 50),
    # spread 77.004 (2nd of 80.555, 77.004, 60 -> 50): all tie at 50, ordered by key.
    assert frame["indicator"].tolist() == ["activity", "fans", "spread"]
    assert frame["percentile"].tolist() == [50.0, 50.0, 50.0]
    changsha = city_reads.city_indicators_frame(run=run, city_id=_city("长沙").pk)
    assert changsha["percentile"].tolist() == [100.0, 100.0, 100.0]
    strengths, weaknesses = city_reads.strengths_and_weaknesses(changsha, count=1)
    # At the 100th percentile everywhere: strengths only, never a weakness.
    assert strengths["indicator"].tolist() == ["activity"] and weaknesses["indicator"].tolist() == []


def test_strengths_are_the_top_third_and_weaknesses_the_bottom_third_by_percentile():
    indicators = pd.DataFrame({
        city_reads.INDICATOR: ["fans", "activity", "quality", "spread", "replies"],
        city_reads.VALUE: [1.0, 2.0, 3.0, 4.0, 5.0],
        city_reads.PERCENTILE: [98.0, 92.0, 50.0, 33.0, 10.0],
        city_reads.NATIONAL_MEDIAN: [0.0] * 5,
    })
    strengths, weaknesses = city_reads.strengths_and_weaknesses(indicators)
    assert strengths[city_reads.INDICATOR].tolist() == ["fans", "activity"]
    # Worst first; the 92nd and the 50th percentile are never weaknesses.
    assert weaknesses[city_reads.INDICATOR].tolist() == ["replies", "spread"]
    high = indicators.assign(**{city_reads.PERCENTILE: [99.0, 98.0, 95.0, 93.0, 92.0]})
    assert city_reads.strengths_and_weaknesses(high)[1].empty


def test_history_lists_published_runs_of_the_same_period_kind_oldest_first(run):
    changsha = _city("长沙")
    february = ScoreRunFactory(scheme=run.scheme, period_start=date(2012, 2, 1), period_end=date(2012, 2, 29),
                               published=True)
    CityScoreFactory(run=february, city=changsha, score=70.0, rank=3)
    quarter = ScoreRunFactory(scheme=run.scheme, period_start=date(2012, 1, 1), period_end=date(2012, 3, 31),
                              published=True)
    CityScoreFactory(run=quarter, city=changsha, score=99.0, rank=1)
    draft = ScoreRunFactory(scheme=run.scheme, period_start=date(2012, 1, 1), period_end=date(2012, 1, 31))
    CityScoreFactory(run=draft, city=changsha, score=10.0, rank=9)

    history = city_reads.city_history_frame(city_id=changsha.pk, scheme=run.scheme, period=run.period)

    assert history[["period", "score", "rank"]].values.tolist() == [["2012-02", 70.0, 3], ["2012-03", 81.234, 1]]


def test_similar_cities_are_of_the_same_level_and_nearest_in_score(run):
    CityScoreFactory(run=run, city=CityFactory(name="县级市", province="湖南", level=City.Level.COUNTY),
                     score=81.0, rank=2)
    ranking = city_reads.city_ranking_frame(run=run)
    similar = city_reads.similar_cities_frame(ranking=ranking, city_id=_city("长沙").pk)

    # The county-level city is nearest (81.0) but of another level: 株洲 (16.734 away), then 武汉.
    assert similar["city"].tolist() == ["株洲", "武汉"]
    assert similar["distance"].tolist() == [pytest.approx(16.734), pytest.approx(41.234)]


def test_a_citys_accounts_come_with_their_category_size_and_flags(run, django_assert_num_queries):
    wuhan = _city("武汉").pk
    with django_assert_num_queries(2):
        accounts = city_reads.city_accounts_frame(run=run, city_id=wuhan)

    assert accounts[["screen_name", "category", "rank_in_category", "category_accounts"]].values.tolist() == [
        ["武汉公安空壳", "police", 2, 2], ["武汉发布", "press", 2, 2],
    ]
    assert accounts["empty_shell"].tolist() == [True, False]
    assert accounts["inactive"].tolist() == [True, False]


def test_the_city_breakdown_reads_everything_in_a_fixed_number_of_queries(run, django_assert_num_queries):
    changsha = _city("长沙").pk
    with django_assert_num_queries(6):
        breakdown = city_reads.city_breakdown_get(run=run, city_id=changsha)
    assert breakdown.row["rank"] == 1
    assert city_reads.city_breakdown_get(run=run, city_id=10**9) is None


def test_a_category_leaderboard_ranks_accounts_with_their_indicators_in_one_query(run, django_assert_num_queries):
    with django_assert_num_queries(1):
        board = account_reads.category_leaderboard_frame(run=run, category="press")

    assert board[["screen_name", "city", "rank_in_category", "composite"]].values.tolist() == [
        ["长沙发布", "长沙", 1, 75.0], ["武汉发布", "武汉", 2, 40.0],
    ]
    assert board["fans"].tolist() == [75.0, 40.0]
    assert board["reply_rate"].tolist() == [0.5, 0.125]
    hubei = account_reads.category_leaderboard_frame(run=run, category="press", province="湖北")
    assert hubei[["screen_name", "rank_in_category"]].values.tolist() == [["武汉发布", 2]]


def test_an_accounts_history_and_metrics_come_per_period(run, django_assert_num_queries):
    score = run.account_scores.get(account__screen_name="长沙警事")
    SnapshotFactory(account=score.account, period_start=date(2012, 3, 1), period_end=date(2012, 3, 31), fans=1200)
    SnapshotFactory(account=score.account, period_start=date(2012, 2, 1), period_end=date(2012, 2, 29), fans=1000)

    with django_assert_num_queries(3):  # the runs, the scores, the size of each run's category
        history = account_reads.account_history_frame(account_id=score.account_id, scheme=run.scheme)
    with django_assert_num_queries(1):
        metrics = account_reads.account_metrics_frame(account_id=score.account_id)

    assert history[["period", "composite", "rank_in_category", "category_accounts", "raw__fans", "fans"]
                   ].values.tolist() == [["2012-03", 85.555, 1, 2, 1000.0, 85.555]]
    assert metrics[["period", "fans"]].values.tolist() == [["2012-02", 1000], ["2012-03", 1200]]
    assert isinstance(metrics, pd.DataFrame)


def test_an_accounts_history_counts_category_sizes_once_for_every_run_then_reads_them_from_the_cache(
    django_assert_num_queries
):
    from django.utils import timezone

    march = ranking_build(published=True, finished_at=timezone.now())
    april = ScoreRunFactory(scheme=march.scheme, period_start=date(2012, 4, 1), period_end=date(2012, 4, 30),
                            published=True, finished_at=timezone.now())
    account = march.account_scores.get(account__screen_name="长沙警事").account
    for other in GovAccount.objects.filter(category="police").exclude(pk=account.pk):
        AccountScoreFactory(run=april, account=other, category="police")
    AccountScoreFactory(run=april, account=account, category="police", rank_in_category=2)

    with django_assert_num_queries(3):  # the runs, the scores, both runs' sizes in one query
        first = account_reads.account_history_frame(account_id=account.pk, scheme=march.scheme)
    with django_assert_num_queries(2):  # the sizes of published, finished runs are kept
        again = account_reads.account_history_frame(account_id=account.pk, scheme=march.scheme)

    assert first["category_accounts"].tolist() == again["category_accounts"].tolist() == [2, 2]
    assert city_reads.category_sizes(run=april) == {"police": 2}


def test_a_published_finished_runs_ranking_is_read_once_then_cached_and_a_draft_never(django_assert_num_queries):
    from django.utils import timezone

    published = ranking_build(published=True, finished_at=timezone.now())
    with django_assert_num_queries(2):
        first = city_reads.city_ranking_frame(run=published)
    with django_assert_num_queries(0):
        again = city_reads.city_ranking_frame(run=published)
    pd.testing.assert_frame_equal(first, again)

    draft = ScoreRunFactory(finished_at=timezone.now())  # succeeded, not published
    CityScoreFactory(run=draft, city=CityFactory(name="岳阳"), rank=1)
    city_reads.city_ranking_frame(run=draft)
    with django_assert_num_queries(2):
        city_reads.city_ranking_frame(run=draft)
