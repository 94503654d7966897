"""The indicator expression language: what it computes, what it counts, what it refuses."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rankings.scoring.columns import BUILTIN_METRICS
from rankings.scoring.errors import PROBLEM_CODES, ExpressionError
from rankings.scoring.expressions import MAX_DEPTH, MAX_LENGTH, parse_expression

FRAME = pd.DataFrame(
    {
        "fans": [0, 10, 100],
        "posts": [0, 2, 4],
        "comments": [3, 2, 1],
        "original_reposts": [np.nan, 1.0, 2.0],
        "days": [30, 30, 30],
        "satisfaction": [0.5, np.nan, 1.5],
    },
    index=pd.Index([7, 8, 9], name="account_id"),
)


def evaluate(text: str, **names: object) -> tuple[list[float], dict[str, int]]:
    values, warnings = parse_expression(text, names=["satisfaction"]).evaluate(FRAME)
    assert values.dtype == np.float64 and np.isfinite(values).all()
    pd.testing.assert_index_equal(values.index, FRAME.index)
    return values.tolist(), dict(warnings)


def codes(text: str) -> list[str]:
    with pytest.raises(ExpressionError) as raised:
        parse_expression(text, names=["satisfaction"])
    for problem in raised.value.problems:
        assert problem.message  # Every problem renders with its parameters.
    return raised.value.codes


def test_arithmetic_follows_python_precedence():
    # fans + posts * 2 - comments / 3 ** 1: 0+0-1 = -1; 10+4-2/3 = 13.333…; 100+8-1/3 = 107.666…
    values, warnings = evaluate("fans + posts * 2 - comments / 3 ** 1")
    assert values == pytest.approx([-1, 13 + 1 / 3, 107 + 2 / 3])
    assert warnings == {}


def test_unary_minus_and_parentheses():
    assert evaluate("-(fans - posts)")[0] == [0, -8, -96]


def test_log_is_natural_and_log1p_adds_one():
    assert evaluate("log(fans)")[0] == pytest.approx([0, math.log(10), math.log(100)])
    assert evaluate("log1p(fans)")[0] == pytest.approx([0, math.log(11), math.log(101)])


def test_sqrt():
    assert evaluate("sqrt(fans)")[0] == pytest.approx([0, math.sqrt(10), 10])


def test_min_and_max_are_elementwise_over_any_number_of_arguments():
    assert evaluate("min(fans, posts, 3)")[0] == [0, 2, 3]
    assert evaluate("max(fans, comments)")[0] == [3, 10, 100]


def test_clip_bounds_both_sides():
    assert evaluate("clip(fans, 1, 50)")[0] == [1, 10, 50]


def test_where_picks_per_row_and_takes_combined_conditions():
    assert evaluate("where(posts > 0, fans, -1)")[0] == [-1, 10, 100]
    # Row 1: 1 < 2 < 3 and not 10 >= 50 -> true. Row 2: 4 < 3 fails. Row 0: 0 > 1 fails.
    assert evaluate("where(1 < posts < 3 and not fans >= 50, 1, 0)")[0] == [0, 1, 0]
    assert evaluate("where(posts == 0 or fans != 10, 1, 0)")[0] == [1, 0, 1]
    assert evaluate("where(posts <= 2, 1, 0)")[0] == [1, 1, 0]


def test_days_and_custom_metrics_are_names_too():
    # satisfaction is NaN in row 1: read as 0 and counted.
    values, warnings = evaluate("posts / days + satisfaction")
    assert values == pytest.approx([0.5, 2 / 30, 4 / 30 + 1.5])
    assert warnings == {"missing_value": 1}


def test_division_by_zero_gives_zero_and_is_counted():
    values, warnings = evaluate("comments / posts")
    assert values == [0, 1, 0.25]
    assert warnings == {"division_by_zero": 1}


def test_a_branch_where_does_not_take_warns_about_nothing():
    values, warnings = evaluate("where(posts > 0, comments / posts, 0)")
    assert values == [0, 1, 0.25]
    assert warnings == {}


def test_invalid_math_gives_zero_and_is_counted():
    # log(0) in row 0; sqrt(-2), sqrt(-1) where posts < 3; log1p(-10) in row 0 only (-1 - 9 = -10 <= -1).
    values, warnings = evaluate("log(posts)")
    assert values == pytest.approx([0, math.log(2), math.log(4)])
    assert warnings == {"invalid_math": 1}
    assert evaluate("sqrt(posts - 3)") == ([0, 0, 1], {"invalid_math": 2})
    assert evaluate("log1p(posts - 10)")[1] == {"invalid_math": 3}
    assert evaluate("(posts - 3) ** 0.5") == ([0, 0, 1], {"invalid_math": 2})


def test_overflow_gives_zero_and_is_counted():
    assert evaluate("fans ** 400") == ([0, 0, 0], {"overflow": 2})


def test_missing_optional_metrics_read_as_zero_and_are_counted():
    values, warnings = evaluate("log1p(original_reposts)")
    assert values == pytest.approx([0, math.log(2), math.log(3)])
    assert warnings == {"missing_value": 1}


def test_line_breaks_are_spaces():
    assert evaluate("fans\n + posts")[0] == [0, 12, 104]


def test_names_lists_the_metrics_read():
    expression = parse_expression("log1p(posts / days) * max(fans, 1)", names=[])
    assert expression.names == frozenset({"posts", "days", "fans"})


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("__import__('os')", "unknown_function"),
        ("open('x')", "unknown_function"),
        ("exp(fans)", "unknown_function"),
        ("fans.real", "not_allowed"),
        ("fans[0]", "not_allowed"),
        ('"a"', "not_allowed"),
        ("lambda: 1", "not_allowed"),
        ("fans // 2", "not_allowed"),
        ("fans % 2", "not_allowed"),
        ("True", "not_allowed"),
        ("[fans]", "not_allowed"),
        ("fans if posts else 1", "not_allowed"),
        ("fans.__class__()", "not_allowed"),
        ("fanz + 1", "unknown_name"),
        ("log + 1", "unknown_name"),
        ("fans > 1", "comparison_outside_where"),
        ("where(fans, 1, 2)", "where_condition"),
        ("log(fans, 2)", "arity"),
        ("clip(fans, 1)", "arity"),
        ("max(fans)", "arity_at_least"),
        ("1e999", "bad_number"),
        ("fans +", "syntax"),
        ("fans\x00", "syntax"),
        ("", "empty"),
        ("fans + " * 80 + "1", "too_long"),
        ("-" * (MAX_DEPTH + 1) + "fans", "too_deep"),
    ],
)
def test_a_forbidden_expression_is_rejected_with_the_right_code(text, code):
    assert codes(text) == [code]


def test_keyword_arguments_are_not_allowed():
    assert codes("log1p(x=fans)") == ["not_allowed", "arity"]


def test_every_problem_in_an_expression_is_reported_at_once():
    assert codes("fanz + fans.real + open(1)") == ["unknown_name", "not_allowed", "unknown_function"]


def test_an_unknown_name_message_names_it_and_the_metrics():
    with pytest.raises(ExpressionError) as raised:
        parse_expression("fanz", names=[])
    assert "unknown name fanz" in str(raised.value)
    assert "original_posts" in str(raised.value)


def test_an_undeclared_custom_metric_is_refused_with_how_to_declare_it():
    with pytest.raises(ExpressionError) as raised:
        parse_expression("satisfaction * 2", names=[])
    assert "declare it under custom_metrics first, e.g. custom_metrics: [satisfaction]" in str(raised.value)


@pytest.mark.parametrize("text", [
    "-" * 350 + "fans", "+" * 499 + "1", "-+" * 248 + "fans", "1" + "+1" * 249, "2" + "**2" * 166,
    "not " * 124 + "1", "where(" * 80, "log(" * 99 + "1" + ")" * 99,
    "(" * 200 + "*fans)",  # CPython's parser raises MemoryError on this one
])
def test_a_long_deep_chain_is_refused_with_a_scheme_error_not_a_crash(text):
    assert len(text) <= MAX_LENGTH
    with pytest.raises(ExpressionError):
        parse_expression(text)


# The pieces of deep and long expressions: prefix operators, openers, names, binary operators.
PREFIXES = st.sampled_from(["-", "+", "not ", "(", "log(", "max(fans, ", "where(fans > 0, ", "~", "["])
INFIXES = st.sampled_from([" + ", "-", "*", "**", " / ", ", ", " < ", " and ", ")", "]", " if "])
ATOMS = st.sampled_from(["fans", "posts", "1", "1e999", "0", "days", "fanz", "x.y", "'s'", ""])


@st.composite
def hostile_expressions(draw) -> str:
    prefix = draw(PREFIXES) * draw(st.integers(min_value=0, max_value=600))
    body = "".join(draw(st.lists(st.tuples(ATOMS, INFIXES).map("".join), max_size=200)))
    closers = ")" * draw(st.integers(min_value=0, max_value=300))
    return prefix + body + draw(ATOMS) + closers


# Every name an expression may read without declaring it (a text like "days_covered" parses).
EVERY_NAME = FRAME.assign(**{name: 1.0 for name in (*BUILTIN_METRICS, "days", "days_covered") if name not in FRAME})


@settings(max_examples=300, deadline=None)
@given(st.one_of(hostile_expressions(), st.text(max_size=700)))
def test_any_text_either_parses_or_raises_the_schemes_own_error(text):
    try:
        expression = parse_expression(text)
    except ExpressionError as error:
        assert error.problems and all(problem.message for problem in error.problems)
    else:
        values, _ = expression.evaluate(EVERY_NAME)
        assert np.isfinite(values).all()


def test_the_length_limit_is_500_characters():
    assert MAX_LENGTH == 500
    text = "max(" + ", ".join(["fans"] * 82) + ")"  # 495 characters, nested 2 deep
    assert parse_expression(text).names == frozenset({"fans"})


def test_every_code_used_has_an_english_template():
    for code in ("unknown_name", "unknown_function", "syntax", "not_allowed", "too_long", "arity"):
        assert code in PROBLEM_CODES
