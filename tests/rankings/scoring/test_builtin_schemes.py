"""The built-in schemes validate, round-trip and reproduce their published formulas."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from rankings.scoring.columns import CATEGORIES, COMPOSITE
from rankings.scoring.pipeline import ScoreResult, score
from rankings.scoring.schemes import Scheme

from .frames import BUILTIN_SCHEMES, PERIOD_END, builtin_document, builtin_scheme, totals

SLUGS = ("shifan-2012", "bci-v1", "bci-v2", "rmw-2023")


def test_the_four_builtin_schemes_are_there():
    assert sorted(path.stem for path in BUILTIN_SCHEMES.glob("*.yaml")) == sorted(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_builtin_scheme_validates_and_round_trips(slug):
    scheme = builtin_scheme(slug)
    assert scheme.slug == slug
    assert scheme.name and scheme.name_en and scheme.description
    assert all(indicator.label and indicator.label_en for indicator in scheme.indicators)
    assert Scheme.from_document(scheme.to_document()) == scheme


# domain.md section 2: (posts, reposts, comments, likes) -> BCI v1, computed from the formula.
BCI_V1_VECTORS = [
    ((0, 0, 0, 0), 0.00),
    ((1, 0, 0, 0), 22.18),
    ((100, 1000, 1000, 5000), 1073.19),
    ((145, 4000, 2000, 9000), 1206.43),
    ((1000, 20000, 20000, 100000), 1529.93),
]


def test_bci_v1_reproduces_the_published_formula():
    posts, reposts, comments, likes = zip(*(vector for vector, _ in BCI_V1_VECTORS), strict=True)
    accounts = totals(5, posts=posts, reposts=reposts, comments=comments, likes=likes)
    result = score_with("bci-v1", accounts)
    expected = pd.Series([bci for _, bci in BCI_V1_VECTORS], index=accounts.index, name=COMPOSITE)
    pd.testing.assert_series_equal(result.accounts[COMPOSITE].round(2), expected)


def test_bci_v1_cities_take_the_mean_of_their_best_three_accounts():
    posts, reposts, comments, likes = zip(*(vector for vector, _ in BCI_V1_VECTORS), strict=True)
    accounts = totals(5, posts=posts, reposts=reposts, comments=comments, likes=likes)
    # One city: the best three are 1529.93, 1206.43 and 1073.19.
    assert score_with("bci-v1", accounts).cities["score"].round(2).tolist() == [1269.85]


def test_bci_v2_adds_original_content():
    accounts = totals(1, posts=[10], original_posts=[4], reposts=[100], comments=[50], likes=[200],
                      original_reposts=[60.0], original_comments=[30.0])
    ln = math.log1p
    w1 = 0.3 * ln(10) + 0.7 * ln(4)
    w2 = 0.2 * ln(100) + 0.2 * ln(50) + 0.25 * ln(60) + 0.25 * ln(30) + 0.1 * ln(200)
    bci = score_with("bci-v2", accounts).accounts[COMPOSITE].iloc[0]
    assert bci == pytest.approx((0.2 * w1 + 0.8 * w2) * 160)


def test_bci_v2_reads_missing_original_counts_as_zero_and_says_so():
    result = score_with("bci-v2", totals(2, posts=[1, 2]))
    assert result.warnings == {"spread:missing_value": 4}


def test_shifan_2012_scores_five_categories_equally_and_says_its_weights_are_assumed():
    scheme = builtin_scheme("shifan-2012")
    assert scheme.indicator_keys == ("fans", "activity", "quality", "engagement")
    assert set(scheme.manual_weights.values()) == {0.25}
    assert scheme.category_weights == dict.fromkeys(CATEGORIES[:5], 0.2)
    assert scheme.group_by_category
    assert (scheme.account_to_city, scheme.missing_category) == ("max", "zero")
    assert "no weights" in scheme.description_en and "没有公布权重" in scheme.description
    uncertainty = scheme.uncertainty
    assert (uncertainty.draws, uncertainty.spread, uncertainty.seed) == (1000, 0.25, 2012)
    assert uncertainty.normalizations == ("minmax", "rank")


def test_shifan_2012_activity_by_hand():
    # 30 posts in a 366-day period, 15 original: log1p(30/366) * (0.5 + 0.5 * 15/30)
    accounts = totals(1, posts=[30], original_posts=[15])
    raw = score_with("shifan-2012", accounts).accounts["raw__activity"].iloc[0]
    assert raw == pytest.approx(math.log1p(30 / 366) * 0.75)


def test_rmw_2023_weights_reach_service_and_interaction_030_035_035():
    scheme = builtin_scheme("rmw-2023")
    assert scheme.manual_weights == {"reach": 0.30, "service": 0.35, "interaction": 0.35}
    assert (scheme.account_to_city, scheme.category_weights) == ("mean", None)


def test_rmw_2023_own_replies_count_more_than_comments_received():
    # Same total activity, but account 1 wrote the replies and account 2 only received comments.
    accounts = totals(2, replies=[10, 0], comments=[0, 10])
    raw = score_with("rmw-2023", accounts).accounts["raw__interaction"]
    assert raw.iloc[0] > raw.iloc[1]


def score_with(slug: str, accounts: pd.DataFrame) -> ScoreResult:
    return score(accounts, Scheme.from_document(builtin_document(slug)), period_end=PERIOD_END)
