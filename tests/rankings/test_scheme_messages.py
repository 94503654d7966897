"""What a refused scheme document tells its author, in the user's language (services.scheme_*)."""
from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from rankings import services
from rankings.services import ScoringError
from tests.rankings.scoring.frames import document


def _refusal(text_or_document: str | dict) -> str:
    with pytest.raises(ScoringError) as raised:
        if isinstance(text_or_document, str):
            services.scheme_document_parse(text_or_document)
        else:
            services.scheme_validate(text_or_document)
    return "\n".join(raised.value.messages)


def test_an_undeclared_custom_metric_is_refused_with_how_to_declare_it_in_chinese():
    scheme = document(indicators=[{"key": "s", "label": "满意度", "expr": "satisfaction", "normalize": "minmax",
                                   "weight": 1}])

    with translation.override("zh-hans"):
        message = _refusal(scheme)

    assert "未知名称 satisfaction" in message
    assert "请先在 custom_metrics 中声明其名称，如 custom_metrics: [satisfaction]" in message


def test_a_yaml_alias_is_refused_before_it_is_expanded_with_where_it_is():
    text = "a: &a [x, x]\nb: [*a, *a]\n"

    with translation.override("en"):
        assert _refusal(text) == ("The scheme uses a YAML alias (*name) (line 2, column 5); aliases are not "
                                  "allowed in a scheme document: write the value out in full.")
    with translation.override("zh-hans"):
        assert "不允许使用别名" in _refusal(text)


def test_a_document_nested_deeper_than_20_levels_is_refused():
    with translation.override("en"):
        assert "more than 20 levels deep" in _refusal("a: " + "[" * 21 + "]" * 21)
    assert services.scheme_document_parse("a: " + "[" * 19 + "]" * 19)  # a deep but allowed one


def test_a_document_over_64000_characters_is_refused_unread():
    with translation.override("en"):
        assert _refusal("#" * 64_001) == "The scheme document has 64001 characters; at most 64000 are allowed."


@pytest.mark.parametrize("text", ["a: " + "9" * 5000, "a: 2012-13-45", "a: !!float x", "a: 2012-02-30",
                                  "a: !!float ''", "a: !!int ''"])
def test_a_value_yaml_accepts_but_python_cannot_build_is_a_yaml_error(text):
    with translation.override("en"):
        message = _refusal(text)
    assert message.startswith("The scheme is not valid YAML or JSON (line 1, column 4): cannot read the value")
    assert len(message) < 400


YAML_PIECES = st.sampled_from(["[", "]", "{", "}", ": ", ", ", "- ", "\n", "  ", "&a ", "*a", "!!int ", "!!float ",
                               "!!python/name:os.system ", "? ", "'", '"', "#", "|", "%YAML 1.1\n", "---\n", "<<: ",
                               "slug", "indicators", "expr", "fans", "1e999", "9" * 5000, "2012-13-45", "0x1F",
                               "\t", "\x00", "…", "粉丝"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(YAML_PIECES, max_size=200).map("".join), st.text(max_size=500)))
def test_any_text_is_a_scheme_or_a_scoring_error(text):
    try:
        services.scheme_validate(services.scheme_document_parse(text))
    except ScoringError as error:
        assert all(len(message) < 2000 for message in error.messages)


def test_a_custom_metric_of_the_wrong_shape_or_kind_is_refused_with_its_path_in_either_language():
    scheme = document(custom_metrics=[["videos"], {"name": "followers", "kind": "last"}])

    with translation.override("zh-hans"):
        message = _refusal(scheme)
    assert "custom_metrics[0]：必须是指标名称，或形如 {name: videos, kind: latest} 的映射" in message
    assert "custom_metrics[1].kind：last 不是" in message and "sum, latest" in message
    with translation.override("en"):
        message = _refusal(scheme)
    assert "custom_metrics[0]: must be a metric name, or a mapping such as {name: videos, kind: latest}" in message
    assert "custom_metrics[1].kind: last is not one of sum, latest" in message
