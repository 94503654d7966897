"""The what-if explorer's arithmetic equals what a real score run with those weights publishes: a run
of the scheme, then a run of the same scheme with other weights, on the same data; the explorer's
Python mirror (the same steps as static/js/whatif.js) recomputes the second from the first's stored
scores. tests/browser/test_whatif.py checks the JavaScript itself against the same kind of run."""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from core.periods import parse_period
from rankings import services
from rankings.models import CityScore, ScoreRun, ScoringScheme
from rankings.scoring.whatif import weighted_city_scores, weights_from_shares
from rankings.selectors import cities as reads
from rankings.views.whatif import whatif_context
from tests.factories import CityFactory, GovAccountFactory, SnapshotFactory
from tests.rankings.factories import ScoringSchemeFactory

pytestmark = pytest.mark.django_db

MARCH = parse_period("2012-03")
CATEGORIES = ("police", "traffic", "press", "youth", "tourism")


def whatif_accounts(cities: int = 9, seed: int = 7) -> None:
    """`cities` cities in two provinces; each has accounts in some categories (so some categories are
    missing), with counts drawn from a fixed seed."""
    rng = np.random.default_rng(seed)
    for number in range(cities):
        city = CityFactory(name=f"试点{number}", name_en=f"Pilot {number}", province="湖南" if number % 2 else "湖北")
        for category in CATEGORIES:
            if rng.random() < 0.25:
                continue
            for copy_number in range(int(rng.integers(1, 3))):
                account = GovAccountFactory(city=city, category=category,
                                            screen_name=f"试点{number}{category}{copy_number}")
                posts = int(rng.integers(0, 400))
                comments = int(rng.integers(0, 5000))
                SnapshotFactory(account=account, period_start=MARCH.start, period_end=MARCH.end,
                                fans=int(rng.integers(10, 10**6)), posts=posts, original_posts=posts // 2,
                                reposts=int(rng.integers(0, 9000)), comments=comments,
                                likes=int(rng.integers(0, 20000)), replies=int(rng.integers(0, comments + 1)))


def scheme_variant(slug: str, base: str, **changes) -> ScoringScheme:
    document = copy.deepcopy(ScoringScheme.objects.get(slug=base).document)
    document.update(slug=slug, uncertainty={"draws": 0}, **changes)
    return ScoringSchemeFactory(slug=slug, name=slug, document=document)


def run_of(scheme: ScoringScheme, *, publish: bool = False) -> ScoreRun:
    run = services.score_run_start(scheme=scheme, period=MARCH, publish=publish)
    services.score_run_execute(run_id=run.pk, task_id=run.task_id, subtasks=False)
    run = ScoreRun.objects.get(pk=run.pk)
    assert run.is_succeeded, run.error
    return run


def published_scores(run: ScoreRun) -> dict[int, tuple[float, int]]:
    return {city: (score, rank) for city, score, rank in CityScore.objects.filter(run=run)
            .values_list("city_id", "score", "rank")}


def page_scores(run: ScoreRun, weights: dict[str, float]) -> tuple[dict[str, object], pd.DataFrame]:
    """The what-if data the page carries for `run`, and the ranking its arithmetic (the script's, in
    rankings.scoring.whatif) computes from it with these weights."""
    data = whatif_context(run, reads.city_ranking_frame(run=run), {})
    values = pd.DataFrame([[np.nan if value is None else value for value in city["values"]] for city in data["cities"]],
                          index=[city["id"] for city in data["cities"]], columns=data["keys"], dtype="float64")
    renormalize = data["mode"] == "categories" and data["missing"] == "renormalize"
    return data, weighted_city_scores(values, weights, renormalize=renormalize, scale=data["scale"])


@pytest.mark.parametrize("missing", ["zero", "renormalize"])
def test_category_weights_recompute_exactly_what_a_run_with_those_weights_publishes(missing):
    whatif_accounts()
    shares = {"police": 40, "traffic": 5, "press": 30, "youth": 0, "tourism": 25}
    weights = weights_from_shares(shares)
    published = run_of(scheme_variant("base", "shifan-2012", missing_category=missing))
    other = run_of(scheme_variant("other", "shifan-2012", missing_category=missing, category_weights=weights))

    _data, recomputed = page_scores(published, weights)

    expected = published_scores(other)
    assert set(recomputed.index) == set(expected)
    for city, (score, rank) in expected.items():
        assert recomputed.loc[city, "score"] == pytest.approx(score, abs=1e-9)
        assert recomputed.loc[city, "rank"] == rank
    # And the ranking did move: the exploration is not the published ranking.
    assert published_scores(published) != expected


def test_indicator_weights_recompute_a_mean_scheme_without_categories():
    whatif_accounts()
    weights = weights_from_shares({"reach": 10, "service": 60, "interaction": 30})
    published = run_of(scheme_variant("rmw-base", "rmw-2023"))
    document = copy.deepcopy(published.document)
    for indicator in document["indicators"]:
        indicator["weight"] = weights[indicator["key"]]
    other = run_of(scheme_variant("rmw-other", "rmw-2023", indicators=document["indicators"]))

    data, recomputed = page_scores(published, weights)
    assert data["mode"] == "indicators"

    # The run stores city indicators to 6 decimals: the scores agree to about 1e-6.
    for city, (score, rank) in published_scores(other).items():
        assert recomputed.loc[city, "score"] == pytest.approx(score, abs=1e-5)
        assert recomputed.loc[city, "rank"] == rank


def test_shares_become_weights_summing_to_one():
    assert weights_from_shares({"a": 30, "b": 10}) == {"a": 0.75, "b": 0.25}
    assert weights_from_shares({"a": 0, "b": 0}) == {"a": 0.5, "b": 0.5}
