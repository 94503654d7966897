"""factory_boy factories for scoring schemes, score runs and their results."""
from __future__ import annotations

import copy
from datetime import date
from typing import Any

import factory
from django.db import connection
from django.utils import timezone

from accounts.models import GovAccount
from rankings.models import AccountScore, CityCategoryScore, CityScore, ScoreRun, ScoringScheme
from tests.factories import CityFactory, GovAccountFactory

SCHEME_DOCUMENT: dict[str, Any] = {
    "name": "政务微博综合指数",
    "name_en": "Government microblog index",
    "indicators": [
        {"key": "fans", "label": "粉丝量", "label_en": "Fans", "expr": "log1p(fans)",
         "normalize": "minmax", "weight": 0.3},
        {"key": "activity", "label": "发博积极性", "label_en": "Posting activity", "expr": "log1p(posts)",
         "normalize": "minmax", "weight": 0.3},
        {"key": "spread", "label": "转评总量", "label_en": "Reposts and comments",
         "expr": "log1p(reposts + comments)", "normalize": "minmax", "weight": 0.4},
    ],
    "category_weights": {"police": 0.25, "traffic": 0.25, "press": 0.2, "youth": 0.15, "tourism": 0.15},
    "aggregation": "arithmetic",
    "weighting": "manual",
}

RUN_WEIGHTS = {
    "fans": {"manual": 0.3, "entropy": 0.2, "used": 0.3},
    "activity": {"manual": 0.3, "entropy": 0.45, "used": 0.3},
    "spread": {"manual": 0.4, "entropy": 0.35, "used": 0.4},
}


def scheme_document(**changes: Any) -> dict[str, Any]:
    """A valid scheme document (three indicators, five category weights); keywords replace keys."""
    document = copy.deepcopy(SCHEME_DOCUMENT)
    document.update(changes)
    return document


class ScoringSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoringScheme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"scheme-{n}")
    name = factory.Sequence(lambda n: f"评估方案{n}")
    document = factory.LazyFunction(scheme_document)
    version = 1
    is_default = False


class ScoreRunFactory(factory.django.DjangoModelFactory):
    """A succeeded, unpublished run of March 2012; `published=True` publishes it."""

    class Meta:
        model = ScoreRun

    class Params:
        published = factory.Trait(is_published=True, published_at=factory.LazyFunction(timezone.now))

    scheme = factory.SubFactory(ScoringSchemeFactory)
    scheme_version = factory.LazyAttribute(lambda run: run.scheme.version)
    document = factory.LazyAttribute(lambda run: copy.deepcopy(run.scheme.document))
    period_start = date(2012, 3, 1)
    period_end = date(2012, 3, 31)
    status = ScoreRun.Status.SUCCEEDED
    stage = ScoreRun.Stage.DONE
    progress = 100
    weights = factory.LazyFunction(lambda: copy.deepcopy(RUN_WEIGHTS))


class CityScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityScore

    run = factory.SubFactory(ScoreRunFactory)
    city = factory.SubFactory(CityFactory)
    score = 50.0
    rank = factory.Sequence(lambda n: n + 1)
    accounts = 1
    indicators = factory.LazyFunction(dict)


class CityCategoryScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityCategoryScore

    run = factory.SubFactory(ScoreRunFactory)
    city = factory.SubFactory(CityFactory)
    category = "police"
    score = 50.0
    accounts = 1


class AccountScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountScore

    run = factory.SubFactory(ScoreRunFactory)
    account = factory.SubFactory(GovAccountFactory)
    city = factory.LazyAttribute(lambda score: score.account.city)
    category = factory.LazyAttribute(lambda score: score.account.category)
    composite = 50.0
    rank_in_category = factory.Sequence(lambda n: n + 1)
    raw_values = factory.LazyFunction(list)  # one value per key of the run's document, in its order
    normalized_values = factory.LazyFunction(list)


def ranking_build(**run_fields: Any) -> ScoreRun:
    """A small finished ranking with hand-chosen values (the run is created from `run_fields`).

    ====  ====  ======  =====  ======  ==========================  ===================
    rank  city  prov.   score  change  category scores             interval (5-95 %)
    ====  ====  ======  =====  ======  ==========================  ===================
    1     长沙  湖南    81.234  ▲2     police 85.555, press 75.0    1-2
    2     株洲  湖南    64.5    ▼1     traffic 64.5                 1-3
    3     武汉  湖北    40.0    new    press 40.0, police 0.0       2-3
    ====  ====  ======  =====  ======  ==========================  ===================

    Accounts: 长沙警事 (police 1), 长沙发布 (press 1), 株洲交警 (traffic 1, broadcast only), 武汉发布
    (press 2), 武汉公安空壳 (police 2, empty shell and inactive).
    """
    run = ScoreRunFactory(**run_fields)
    changsha = CityFactory(name="长沙", province="湖南", name_en="Changsha")
    zhuzhou = CityFactory(name="株洲", province="湖南", name_en="Zhuzhou")
    wuhan = CityFactory(name="武汉", province="湖北", name_en="Wuhan")
    CityScoreFactory(run=run, city=changsha, score=81.234, rank=1, previous_rank=3, rank_change=2, accounts=2,
                     indicators={"fans": 90.126, "activity": 70.0, "spread": 80.555},
                     median_rank=1.0, rank_p05=1.0, rank_p95=2.0)
    CityScoreFactory(run=run, city=zhuzhou, score=64.5, rank=2, previous_rank=1, rank_change=-1, accounts=1,
                     indicators={"fans": 50.0, "activity": 64.5, "spread": 77.004},
                     median_rank=2.0, rank_p05=1.0, rank_p95=3.0)
    CityScoreFactory(run=run, city=wuhan, score=40.0, rank=3, previous_rank=None, rank_change=None,
                     accounts=2, indicators={"fans": 10.0, "activity": 40.0, "spread": 60.0},
                     median_rank=3.0, rank_p05=2.0, rank_p95=3.0)
    for city, category, score, accounts in [
        (changsha, "police", 85.555, 1), (changsha, "press", 75.0, 1), (zhuzhou, "traffic", 64.5, 1),
        (wuhan, "press", 40.0, 1), (wuhan, "police", 0.0, 1),
    ]:
        CityCategoryScoreFactory(run=run, city=city, category=category, score=score, accounts=accounts)
    for name, city, category, composite, rank, flags in [
        ("长沙警事", changsha, "police", 85.555, 1, {"reply_rate": 0.25, "inactive": False}),
        ("长沙发布", changsha, "press", 75.0, 1, {"reply_rate": 0.5, "inactive": False}),
        ("株洲交警", zhuzhou, "traffic", 64.5, 1, {"broadcast_only": True, "reply_rate": 0.0, "inactive": False}),
        ("武汉发布", wuhan, "press", 40.0, 2, {"reply_rate": 0.125, "inactive": False}),
        ("武汉公安空壳", wuhan, "police", 0.0, 2, {"empty_shell": True, "inactive": True}),
    ]:
        account = (GovAccount.objects.filter(screen_name=name).first()
                   or GovAccountFactory(screen_name=name, city=city, category=category))
        AccountScoreFactory(run=run, account=account, category=category, composite=composite,
                            rank_in_category=rank, raw_values=[1000.0, 30.0, 150.0],  # fans, activity, spread
                            normalized_values=[composite] * 3, **flags)
    # SQLite checks its JSON support with a few queries the first time a connection needs it (the
    # rankings' JSONObject does); check it here so that tests counting queries count only their own.
    assert connection.features.supports_json_field
    return run


def scheme_make_default(scheme: ScoringScheme) -> ScoringScheme:
    """Make `scheme` the default (the migrations install shifan-2012 as the default scheme)."""
    ScoringScheme.objects.exclude(pk=scheme.pk).update(is_default=False)
    scheme.is_default = True
    scheme.save(update_fields=["is_default"])
    return scheme
