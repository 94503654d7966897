"""Scheme documents: defaults, round trips, and every rule that rejects one."""
from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rankings.scoring.errors import PROBLEM_CODES, SchemeError
from rankings.scoring.schemes import INDICATOR_KEYS, TOP_LEVEL_KEYS, Scheme, Uncertainty

from .frames import document, scheme


def problems(**overrides) -> list[tuple[str, str]]:
    with pytest.raises(SchemeError) as raised:
        Scheme.from_document(document(**overrides))
    for problem in raised.value.problems:
        assert PROBLEM_CODES[problem.code] % dict(problem.params)  # renders with its own params
    return [(problem.path, problem.code) for problem in raised.value.problems]


def indicator(**fields) -> dict:
    base = {"key": "fans", "label": "粉丝", "expr": "log1p(fans)", "normalize": "minmax", "weight": 1}
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def test_missing_fields_take_their_defaults():
    built = scheme()
    assert (built.group_by_category, built.category_weights, built.account_to_city) == (False, None, "mean")
    assert (built.missing_category, built.aggregation, built.weighting) == ("zero", "arithmetic", "manual")
    assert (built.scale, built.custom_metrics, built.uncertainty) == (1.0, (), Uncertainty(draws=0))
    assert built.manual_weights == {"fans": 0.5, "posts": 0.5}


def test_a_document_round_trips():
    full = document(
        name_en="Test", description="说明", group_by_category=True,
        category_weights={"police": 0.5, "press": 0.5}, account_to_city="top3_mean",
        missing_category="renormalize", aggregation="geometric", weighting="entropy", scale=160,
        custom_metrics=["satisfaction"],
        indicators=[
            indicator(label_en="Fans", weight=0.5), indicator(key="sat", expr="satisfaction", weight=0.5),
        ],
        uncertainty={"draws": 1000, "spread": 0.25, "seed": 7, "normalizations": ["minmax", "rank"]},
    )
    built = Scheme.from_document(full)
    assert built.to_document() == {**full, "scale": 160.0, "indicators": [
        {**item, "weight": 0.5} for item in full["indicators"]]}
    assert Scheme.from_document(built.to_document()) == built


def test_indicator_weights_that_do_not_sum_to_1_are_rejected_with_their_sum():
    with pytest.raises(SchemeError) as raised:
        Scheme.from_document(document(indicators=[indicator(weight=0.6), indicator(key="b", weight=0.3)]))
    assert raised.value.codes == ["weights_sum"]
    assert raised.value.problems[0].params == {"sum": 0.9}
    assert str(raised.value) == "indicators: indicator weights sum to 0.9; they must sum to 1"


def test_weights_within_a_millionth_of_1_are_accepted():
    built = scheme(indicators=[indicator(weight=0.3), indicator(key="b", weight=0.35),
                               indicator(key="c", weight=0.35 + 5e-7)])
    assert len(built.indicators) == 3


def test_unknown_keys_are_rejected_everywhere():
    assert problems(weights=[1], indicators=[indicator(scale=2)], uncertainty={"runs": 5}) == [
        ("weights", "unknown_key"),
        ("indicators[0].scale", "unknown_key"),
        ("uncertainty.runs", "unknown_key"),
    ]


def test_a_bad_normalize_is_rejected():
    assert problems(indicators=[indicator(normalize="log")]) == [("indicators[0].normalize", "bad_choice")]


def test_geometric_aggregation_rejects_normalisations_that_can_go_negative():
    assert problems(aggregation="geometric", indicators=[indicator(normalize="zscore", weight=0.5),
                                                         indicator(key="b", normalize="none", weight=0.5)],
                    uncertainty={"normalizations": ["rank", "zscore"]}) == [
        ("indicators[0].normalize", "geometric_needs_positive"),
        ("indicators[1].normalize", "geometric_needs_positive"),
        ("uncertainty.normalizations[1]", "geometric_needs_positive")]


def test_geometric_aggregation_says_why():
    with pytest.raises(SchemeError) as raised:
        Scheme.from_document(document(aggregation="geometric", indicators=[indicator(normalize="zscore")]))
    assert "multiplies indicator scores, so they must be 0 or more" in str(raised.value)


def test_all_problems_are_collected_at_once():
    assert problems(
        slug="Not A Slug", name=None, account_to_city="median", scale=0, custom_metrics=["fans"],
        indicators=[indicator(key="Bad", expr="fanz", weight=-1), indicator(label=None, weight=0.5)],
        category_weights={"police": 0.7, "fire": 0.3}, group_by_category="yes",
    ) == [
        ("slug", "bad_slug"),
        ("name", "required"),
        ("custom_metrics[0]", "reserved_metric"),
        ("indicators[0].key", "bad_key"),
        ("indicators[0].expr", "unknown_name"),
        ("indicators[0].weight", "negative"),
        ("indicators[1].label", "required"),
        ("group_by_category", "not_boolean"),
        ("category_weights.fire", "unknown_category"),
        ("category_weights", "category_weights_sum"),
        ("account_to_city", "bad_choice"),
        ("scale", "not_positive"),
    ]


def test_group_by_category_needs_category_weights():
    assert problems(group_by_category=True) == [("group_by_category", "group_needs_category_weights")]


def test_duplicate_indicator_keys_are_rejected():
    assert problems(indicators=[indicator(weight=0.5), indicator(weight=0.5)]) == [
        ("indicators[1].key", "duplicate_key")]


def test_a_scheme_needs_between_1_and_20_indicators():
    assert problems(indicators=[]) == [("indicators", "indicator_count")]
    many = [indicator(key=f"k{n}", weight=0.05) for n in range(21)]
    assert ("indicators", "indicator_count") in problems(indicators=many)


def test_expressions_may_use_only_declared_custom_metrics():
    assert problems(indicators=[indicator(expr="satisfaction")]) == [("indicators[0].expr", "unknown_name")]
    built = scheme(custom_metrics=["satisfaction"], indicators=[indicator(expr="satisfaction")])
    assert built.indicators[0].expression.names == frozenset({"satisfaction"})


def test_uncertainty_settings_are_range_checked():
    wrong = {"draws": 100_001, "spread": 0.95, "seed": -1, "normalizations": ["mad"]}
    assert problems(uncertainty=wrong) == [
        ("uncertainty.draws", "out_of_range"), ("uncertainty.spread", "out_of_range"),
        ("uncertainty.seed", "out_of_range"), ("uncertainty.normalizations[0]", "bad_choice")]


def test_wrong_types_are_named():
    assert problems(scale="big", indicators="fans", custom_metrics="x", uncertainty=[1]) == [
        ("custom_metrics", "not_list"), ("indicators", "not_list"), ("scale", "not_number"),
        ("uncertainty", "not_mapping")]
    with pytest.raises(SchemeError) as raised:
        Scheme.from_document(["not", "a", "mapping"])
    assert raised.value.codes == ["not_mapping"]


def test_weights_may_be_whole_numbers():
    built = scheme(indicators=[indicator(weight=1)])
    assert built.indicators[0].weight == 1.0 and isinstance(built.indicators[0].weight, float)


def test_a_scheme_survives_pickling_with_working_expressions():
    built = scheme(custom_metrics=["satisfaction"], indicators=[indicator(expr="log1p(satisfaction)")])
    copy = pickle.loads(pickle.dumps(built))
    assert copy == built
    assert copy.indicators[0].expression.names == frozenset({"satisfaction"})


def test_values_the_document_supplied_are_cut_to_50_characters_in_every_message():
    long = "x" * 10_000
    with pytest.raises(SchemeError) as raised:
        Scheme.from_document(document(custom_metrics=[long], aggregation=long, category_weights={long: 1},
                                      **{long: 1}, indicators=[indicator(expr="f" * 499)]))
    lines = str(raised.value).split("; ")
    assert max(len(line) for line in lines) < 400
    assert "x" * 50 + "…" in str(raised.value) and "x" * 51 not in str(raised.value)
    assert "f" * 50 + "…" in str(raised.value) and "f" * 51 not in str(raised.value)


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    | st.sampled_from(["minmax", "fans", "log1p(fans)", "police", "-" * 400 + "fans", "x" * 600]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=25,
)
INDICATORS = st.lists(st.dictionaries(st.sampled_from([*INDICATOR_KEYS, "extra"]), VALUES, max_size=7), max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*TOP_LEVEL_KEYS, "extra"]), VALUES, max_size=10), INDICATORS)
@pytest.mark.slow
def test_any_document_is_a_scheme_or_a_scheme_error_with_short_messages(fields, indicators):
    try:
        Scheme.from_document({**fields, "indicators": indicators})
    except SchemeError as error:
        assert all(len(str(problem)) < 2000 for problem in error.problems)


def test_a_custom_metric_is_a_name_summed_or_a_mapping_with_its_kind():
    built = scheme(custom_metrics=["satisfaction", {"name": "followers", "kind": "latest"},
                                   {"name": "videos", "kind": "sum"}, {"name": "visits"}],
                   indicators=[indicator(expr="followers + satisfaction + videos + visits")])
    assert built.custom_metrics == ("satisfaction", "followers", "videos", "visits")
    assert built.latest_metrics == ("followers",)
    assert [built.custom_metric_kind(name) for name in built.custom_metrics] == ["sum", "latest", "sum", "sum"]
    # A summed metric is written back as its plain name: the same document as before kinds existed.
    assert built.to_document()["custom_metrics"] == ["satisfaction", {"name": "followers", "kind": "latest"},
                                                     "videos", "visits"]
    assert Scheme.from_document(built.to_document()) == built


def test_a_document_of_plain_custom_metric_names_keeps_its_exact_form():
    """Stored scheme versions are compared by their normalised document: one written before kinds
    existed must normalise to itself, or saving it again would look like a new version."""
    full = document(custom_metrics=["satisfaction", "videos"],
                    indicators=[indicator(expr="satisfaction + videos")])
    assert Scheme.from_document(full).to_document()["custom_metrics"] == ["satisfaction", "videos"]
    assert Scheme.from_document(full).latest_metrics == ()


def test_custom_metric_entries_are_checked_with_their_path():
    assert problems(custom_metrics=[
        {"name": "followers", "kind": "last"}, {"kind": "latest"}, {"name": "Bad Name"},
        {"name": "fans", "kind": "latest"}, {"name": "x", "unit": "个"}, ["nested"], "days_covered",
        {"name": "x", "kind": "latest"},
    ]) == [
        ("custom_metrics[0].kind", "bad_choice"), ("custom_metrics[1].name", "required"),
        ("custom_metrics[2].name", "bad_key"), ("custom_metrics[3].name", "reserved_metric"),
        ("custom_metrics[4].unit", "unknown_key"), ("custom_metrics[5]", "bad_custom_metric"),
        ("custom_metrics[6]", "reserved_metric"), ("custom_metrics[7].name", "duplicate_key"),
    ]


def test_a_wrong_kind_is_reported_once_and_the_metric_stays_declared_for_the_expressions():
    assert problems(custom_metrics=[{"name": "followers", "kind": 3}],
                    indicators=[indicator(expr="followers")]) == [("custom_metrics[0].kind", "bad_choice")]


def test_expressions_may_read_the_days_covered():
    built = scheme(indicators=[indicator(expr="posts / max(days_covered, 1)")])
    assert built.indicators[0].expression.names == frozenset({"posts", "days_covered"})
