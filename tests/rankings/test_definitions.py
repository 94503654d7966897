"""The one owner of each concept: the typed scheme of a stored document, the rule for categories
without a weight, the default spread, a run's period and what may be published."""
from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from django.utils import translation

from core.periods import Period, PeriodKind
from rankings.models import ScoreRun
from rankings.presentation.method import run_method_get
from rankings.presentation.methodology import versions_compare
from rankings.scoring.aggregate import counts_for_city
from rankings.scoring.schemes import Scheme, Uncertainty
from tests.rankings.factories import ScoreRunFactory, scheme_document


def test_a_stored_document_reads_as_a_typed_scheme_with_the_defaults_it_leaves_out():
    scheme = Scheme.read(scheme_document())

    assert scheme.name_en == "Government microblog index"
    assert scheme.manual_weights == {"fans": 0.3, "activity": 0.3, "spread": 0.4}
    assert scheme.account_to_city == "mean" and scheme.uncertainty == Uncertainty()


def test_a_document_that_later_rules_refuse_still_reads_so_an_old_run_stays_readable():
    old = scheme_document(retired_key=True, indicators=[
        {"key": "fans", "label": "粉丝量", "expr": "log1p(fans)", "normalize": "minmax", "weight": "heavy"},
    ])

    scheme = Scheme.read(old)

    assert [indicator.key for indicator in scheme.indicators] == ["fans"]
    assert math.isnan(scheme.indicators[0].weight)
    assert Scheme.read("not a mapping").indicators == ()


@pytest.mark.django_db
def test_a_run_without_a_spread_in_its_document_varies_weights_by_the_one_default():
    run = ScoreRunFactory(document=scheme_document(uncertainty={"draws": 10}), uncertainty_draws=10)

    assert run.definition.uncertainty.spread == Uncertainty.spread == 0.25
    with translation.override("en"):
        assert "by up to ±25%" in run_method_get(run=run).uncertainty


def test_categories_without_a_weight_count_for_no_city_and_every_category_counts_without_weights():
    categories = pd.Series(["police", "other", "press"])

    assert counts_for_city(categories, {"police": 0.5, "press": 0.5}).tolist() == [True, False, True]
    assert counts_for_city(categories, None).tolist() == [True, True, True]


@pytest.mark.django_db
def test_a_run_returns_its_period_and_the_queryset_finds_runs_of_exactly_that_period():
    march = ScoreRunFactory(period_start=date(2012, 3, 1), period_end=date(2012, 3, 31))
    ScoreRunFactory(scheme=march.scheme, period_start=date(2012, 1, 1), period_end=date(2012, 3, 31))

    assert march.period == Period.of_month(2012, 3) and march.period.kind == PeriodKind.MONTH
    assert list(ScoreRun.objects.for_period(Period.of_month(2012, 3))) == [march]


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "published", "publishable"), [
    (ScoreRun.Status.SUCCEEDED, False, True),
    (ScoreRun.Status.SUCCEEDED, True, False),  # already the published one
    (ScoreRun.Status.PENDING, False, False),
    (ScoreRun.Status.RUNNING, False, False),
    (ScoreRun.Status.FAILED, False, False),
])
def test_only_a_succeeded_unpublished_run_can_be_published(status, published, publishable):
    run = ScoreRunFactory(status=status, is_published=published)

    assert run.can_be_published is publishable
    assert (run.is_succeeded, run.is_failed) == (status == "succeeded", status == "failed")


KINDS_DOCUMENT = scheme_document(
    custom_metrics=["hotline", {"name": "followers", "kind": "latest"}],
    indicators=[{"key": "fans", "label": "粉丝量", "expr": "log1p(fans + followers + hotline)",
                 "normalize": "minmax", "weight": 1}],
)


@pytest.mark.django_db
def test_the_method_names_each_custom_metric_with_its_kind_in_either_language():
    run = ScoreRunFactory(document=KINDS_DOCUMENT)

    settings = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            settings[language] = dict(run_method_get(run=run).settings)
    assert settings["en"]["Custom metrics"] == (
        "hotline (summed over the period), followers (taken at the latest snapshot that has it)")
    assert settings["zh-hans"]["自定义指标"] == "hotline（按统计周期累计求和）, followers（取含该指标的最新一期数据快照的值）"


def test_a_changed_kind_is_a_change_between_two_versions():
    old = Scheme.read(KINDS_DOCUMENT)
    new = Scheme.read({**KINDS_DOCUMENT, "custom_metrics": ["hotline", "followers"]})

    with translation.override("en"):
        changes = [(change.what, change.before, change.after) for change in versions_compare(old, new)]
    assert changes == [("Custom metrics",
                        "hotline (summed over the period), followers (taken at the latest snapshot that has it)",
                        "hotline (summed over the period), followers (summed over the period)")]
