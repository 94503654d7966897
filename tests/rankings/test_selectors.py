"""Reading rankings: which run is shown, and the rows in a fixed number of queries."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from core.periods import Period
from rankings import selectors
from rankings.models import ScoreRun, ScoringScheme
from rankings.presentation.method import run_method_get
from rankings.selectors.resolution import run_resolve
from tests.factories import CityFactory
from tests.rankings.factories import (
    CityCategoryScoreFactory,
    CityScoreFactory,
    ScoreRunFactory,
    ScoringSchemeFactory,
    ranking_build,
    scheme_make_default,
)

pytestmark = pytest.mark.django_db

MARCH = Period(date(2012, 3, 1), date(2012, 3, 31))
APRIL = Period(date(2012, 4, 1), date(2012, 4, 30))
Q1 = Period(date(2012, 1, 1), date(2012, 3, 31))


def _run(scheme, period: Period, **fields) -> ScoreRun:
    return ScoreRunFactory(scheme=scheme, period_start=period.start, period_end=period.end, **fields)


def test_the_default_scheme_is_the_marked_one_else_the_builtin_shifan_2012_else_none():
    assert selectors.scheme_default_get().slug == "shifan-2012"  # installed and marked by the migrations
    marked = ScoringSchemeFactory(slug="a-scheme")
    scheme_make_default(marked)
    assert selectors.scheme_default_get() == marked

    ScoringScheme.objects.update(is_default=False)  # none marked: the built-in stands in, not "a-scheme"
    assert selectors.scheme_default_get().slug == "shifan-2012"
    ScoringScheme.objects.filter(slug="shifan-2012").update(builtin=False)  # a user's scheme of that slug
    assert selectors.scheme_default_get() is None
    assert selectors.scheme_default_get(among=list(ScoringScheme.objects.all())) is None


def test_the_default_scheme_is_found_among_schemes_already_read_without_a_query(django_assert_num_queries):
    schemes = list(selectors.scheme_list())
    with django_assert_num_queries(0):
        assert selectors.scheme_default_get(among=schemes).slug == "shifan-2012"


def test_the_home_page_ranking_falls_back_to_the_builtin_default_never_to_the_first_scheme_by_slug():
    builtin = ScoringScheme.objects.get(slug="shifan-2012")
    run = ranking_build(scheme=builtin, is_published=True)
    ScoringScheme.objects.update(is_default=False)
    ScoringSchemeFactory(slug="a-first-by-slug")

    choice = run_resolve(params={}, user=None)

    assert choice.scheme == builtin and choice.run == run
    assert run_resolve(params={"scheme": "a-first-by-slug"}, user=None).scheme.slug == "a-first-by-slug"


def test_the_published_run_is_the_latest_period_and_unpublished_runs_are_never_chosen():
    scheme = ScoringSchemeFactory()
    march = _run(scheme, MARCH, published=True)
    _run(scheme, APRIL)  # succeeded but not published
    _run(scheme, APRIL, status=ScoreRun.Status.RUNNING)
    _run(ScoringSchemeFactory(), APRIL, published=True)  # another scheme's

    assert selectors.run_published_get(scheme=scheme) == march
    assert selectors.run_published_get(scheme=scheme, period=APRIL) is None
    assert selectors.run_published_get(scheme=scheme, period=MARCH) == march


def test_when_two_published_periods_end_the_same_day_the_later_publication_wins():
    scheme = ScoringSchemeFactory()
    now = timezone.now()
    quarter = _run(scheme, Q1, is_published=True, published_at=now)
    march = _run(scheme, MARCH, is_published=True, published_at=now - timedelta(hours=1))

    assert selectors.run_published_get(scheme=scheme) == quarter
    assert selectors.run_published_get(scheme=scheme, period=MARCH) == march
    assert selectors.run_periods_published(scheme=scheme) == [Q1, MARCH]


def test_published_periods_are_listed_latest_first():
    scheme = ScoringSchemeFactory()
    _run(scheme, MARCH, published=True)
    _run(scheme, APRIL, published=True)
    _run(scheme, Period(date(2012, 5, 1), date(2012, 5, 31)))  # not published

    assert selectors.run_periods_published(scheme=scheme) == [APRIL, MARCH]


def test_the_city_ranking_comes_in_rank_order_with_each_citys_category_scores():
    run = ranking_build()

    rows = list(selectors.city_ranking_list(run=run))

    assert [(row.rank, row.city.name, row.score) for row in rows] == [
        (1, "长沙", 81.234), (2, "株洲", 64.5), (3, "武汉", 40.0),
    ]
    none = dict.fromkeys(["youth", "tourism", "other"])
    assert rows[0].category_scores == {"police": 85.555, "traffic": None, "press": 75.0, **none}
    assert rows[2].category_scores == {"police": 0.0, "traffic": None, "press": 40.0, **none}


def test_the_city_ranking_filters_by_province_and_never_mixes_in_another_runs_rows():
    run = ranking_build()
    other = ScoreRunFactory(scheme=run.scheme)
    CityScoreFactory(run=other, city=CityFactory(name="长沙", province="湖南"), rank=9)
    CityCategoryScoreFactory(run=other, city=CityFactory(name="长沙", province="湖南"), category="youth")

    rows = list(selectors.city_ranking_list(run=run, province="湖南"))

    assert [row.city.name for row in rows] == ["长沙", "株洲"]
    assert rows[0].category_scores["youth"] is None
    assert selectors.city_provinces(run=run) == ["湖北", "湖南"]


def test_the_city_ranking_is_one_query_however_many_cities(django_assert_num_queries):
    run = ranking_build()
    with django_assert_num_queries(1):
        assert len(list(selectors.city_ranking_list(run=run))) == 3
    for number in range(40):
        city = CityFactory()
        CityScoreFactory(run=run, city=city, rank=4 + number)
        CityCategoryScoreFactory(run=run, city=city, category="youth")
    with django_assert_num_queries(1):
        assert len(list(selectors.city_ranking_list(run=run))) == 43


def test_accounts_come_by_category_in_declared_order_then_by_rank(django_assert_num_queries):
    run = ranking_build()

    with django_assert_num_queries(1):
        rows = [(row.category, row.rank_in_category, row.account.screen_name, row.city.name)
                for row in selectors.account_ranking_list(run=run)]

    assert rows == [
        ("police", 1, "长沙警事", "长沙"),
        ("police", 2, "武汉公安空壳", "武汉"),
        ("traffic", 1, "株洲交警", "株洲"),
        ("press", 1, "长沙发布", "长沙"),
        ("press", 2, "武汉发布", "武汉"),
    ]


def test_accounts_filter_by_category_and_by_city_id_or_name():
    run = ranking_build()
    wuhan_id = run.city_scores.get(city__name="武汉").city_id

    def names(**filters) -> list[str]:
        return [row.account.screen_name for row in selectors.account_ranking_list(run=run, **filters)]

    assert names(category="press") == ["长沙发布", "武汉发布"]
    assert names(city="武汉") == ["武汉公安空壳", "武汉发布"]
    assert names(city=wuhan_id) == names(city=str(wuhan_id)) == ["武汉公安空壳", "武汉发布"]
    assert names(category="police", city="长沙") == ["长沙警事"]


def test_the_method_reads_indicators_weights_and_settings_in_the_active_language():
    run = ScoreRunFactory(warnings={"spread:missing_value": 3, "activity:division_by_zero": 1})

    with translation.override("zh-hans"):
        method = run_method_get(run=run)
    with translation.override("en"):
        english = run_method_get(run=run)

    assert method.scheme_name == "政务微博综合指数" and english.scheme_name == "Government microblog index"
    assert [(item.key, item.label) for item in method.indicators] == [
        ("fans", "粉丝量"), ("activity", "发博积极性"), ("spread", "转评总量"),
    ]
    assert english.indicators[2].label == "Reposts and comments"
    fans = method.indicators[0]
    assert (fans.expr, fans.normalize, fans.weight_manual, fans.weight_entropy, fans.weight_used) == (
        "log1p(fans)", "minmax", 0.3, 0.2, 0.3,
    )
    assert [(item.category, item.weight) for item in method.category_weights][:2] == [
        ("police", 0.25), ("traffic", 0.25),
    ]
    assert english.category_weights[0].label == "Police"
    assert ("Aggregation of indicators", "weighted arithmetic mean") in english.settings
    assert ("Weights", "the scheme's own (manual) weights") in english.settings
    assert [(item.indicator, item.count) for item in method.warnings] == [("发博积极性", 1), ("转评总量", 3)]
    assert english.warnings[0].reason == "division by zero, counted as 0"


def test_the_method_of_a_builtin_scheme_names_its_aggregation_choices_and_uncertainty():
    scheme = ScoringScheme.objects.get(slug="shifan-2012")
    run = ScoreRunFactory(scheme=scheme, uncertainty_draws=1000, uncertainty_seed=2012, weights={})

    with translation.override("en"):
        method = run_method_get(run=run)

    assert dict(method.settings)["From accounts to a city's category score"] == "the best account's score"
    assert dict(method.settings)["A city with no account in a category"] == "scores 0 in that category"
    assert method.uncertainty.startswith(
        "1,000 Monte Carlo draws (seed 2012): each draw varies every weight by up to ±25%"
    )
    assert "minmax, rank" in method.uncertainty
    assert [item.weight_manual for item in method.indicators] == [0.25, 0.25, 0.25, 0.25]


def test_a_pending_run_without_weights_shows_the_manual_weights_of_its_document():
    run = ScoreRunFactory(status=ScoreRun.Status.PENDING, weights={})

    method = run_method_get(run=run)

    assert [(item.weight_manual, item.weight_entropy, item.weight_used) for item in method.indicators] == [
        (0.3, None, None), (0.3, None, None), (0.4, None, None),
    ]
