"""Properties that must hold for any data: monotonicity and independence from row order."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from rankings.scoring.columns import CATEGORIES
from rankings.scoring.normalise import METHODS
from rankings.scoring.pipeline import normalised_matrix, score

from .frames import PERIOD_END, builtin_scheme, scheme, totals

EXAMPLES = settings(max_examples=50, deadline=None)
# Small values make ties (the hard case for order independence); large ones exercise the logs.
counts = st.one_of(st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=10**7))


@st.composite
def accounts_and_a_raise(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    fans = draw(st.lists(counts, min_size=n, max_size=n))
    categories = draw(st.lists(st.sampled_from(CATEGORIES[:2]), min_size=n, max_size=n))
    who = draw(st.integers(min_value=0, max_value=n - 1))
    by = draw(st.integers(min_value=0, max_value=10**7))
    return fans, categories, who, by


@EXAMPLES
@given(accounts_and_a_raise(), st.sampled_from(METHODS), st.booleans())
def test_raising_a_metric_never_lowers_that_accounts_indicator_score(case, method, grouped):
    fans, categories, who, by = case
    by_category = {"group_by_category": True, "category_weights": {"police": 0.5, "traffic": 0.5}}
    log_fans = scheme(
        indicators=[{"key": "fans", "label": "粉丝", "expr": "log1p(fans)", "normalize": method, "weight": 1}],
        **(by_category if grouped else {}),
    )
    before = totals(len(fans), fans=fans, category=categories)
    after = before.copy()
    after.iloc[who, after.columns.get_loc("fans")] += by
    account = before.index[who]
    old = normalised_matrix(before, log_fans).loc[account, "fans"]
    new = normalised_matrix(after, log_fans).loc[account, "fans"]
    assert new >= old - 1e-9


@st.composite
def accounts(draw):
    n = draw(st.integers(min_value=0, max_value=12))
    column = st.lists(counts, min_size=n, max_size=n)
    return totals(
        n,
        city_id=draw(st.lists(st.integers(min_value=1, max_value=4), min_size=n, max_size=n)),
        category=draw(st.lists(st.sampled_from(CATEGORIES), min_size=n, max_size=n)),
        fans=draw(column), posts=draw(column), original_posts=draw(column), reposts=draw(column),
        comments=draw(column), likes=draw(column), replies=draw(column),
    )


@EXAMPLES
@given(accounts(), st.sampled_from(["shifan-2012", "bci-v1", "rmw-2023"]), st.randoms(use_true_random=False))
def test_permuting_the_rows_never_changes_the_result(frame, slug, random):
    chosen = builtin_scheme(slug)
    order = list(range(len(frame)))
    random.shuffle(order)
    expected = score(frame, chosen, period_end=PERIOD_END)
    shuffled = score(frame.iloc[order], chosen, period_end=PERIOD_END)
    for name in ("accounts", "cities", "city_indicators", "weights"):
        got, wanted = getattr(shuffled, name), getattr(expected, name)
        pd.testing.assert_frame_equal(got.sort_index(), wanted.sort_index())
    pd.testing.assert_frame_equal(shuffled.city_categories, expected.city_categories)
    assert shuffled.warnings == expected.warnings
    assert np.isfinite(expected.accounts.select_dtypes("number").drop(columns="reply_rate")).all().all()
