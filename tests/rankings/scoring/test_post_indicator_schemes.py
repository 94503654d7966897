"""A scheme may read post indicators (issue 20) once it names them under post_indicators."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from rankings.scoring.columns import POST_INDICATORS
from rankings.scoring.errors import SchemeError
from rankings.scoring.pipeline import raw_matrix
from rankings.scoring.schemes import Scheme

from .frames import document, scheme, totals

REPLY = [{"key": "reply", "label": "回复", "expr": "reply_rate * 100", "normalize": "minmax", "weight": 1}]


def codes(**overrides) -> list[tuple[str, str]]:
    with pytest.raises(SchemeError) as raised:
        Scheme.from_document(document(**overrides))
    return [(problem.path, problem.code) for problem in raised.value.problems]


def test_a_post_indicator_is_read_only_once_named():
    assert ("indicators[0].expr", "unknown_name") in codes(indicators=REPLY)
    built = scheme(indicators=REPLY, post_indicators=["reply_rate", "longest_silence_days"])
    assert built.post_indicators == ("reply_rate", "longest_silence_days")
    assert built.expression_names == ("reply_rate", "longest_silence_days")


def test_unknown_repeated_or_misshapen_post_indicators_are_refused():
    assert codes(post_indicators=["reply_rate", "replyrate", "reply_rate"]) == [
        ("post_indicators[1]", "bad_choice"), ("post_indicators[2]", "duplicate_key")]
    assert codes(post_indicators="reply_rate") == [("post_indicators", "not_list")]


def test_a_custom_metric_cannot_take_a_post_indicators_name():
    assert codes(custom_metrics=["boilerplate_reply_rate"]) == [("custom_metrics[0]", "reserved_metric")]


def test_the_key_is_written_back_only_when_a_scheme_uses_it():
    assert "post_indicators" not in scheme().to_document()  # every older document saves unchanged
    built = scheme(indicators=REPLY, post_indicators=["reply_rate"])
    assert built.to_document()["post_indicators"] == ["reply_rate"]
    assert Scheme.from_document(built.to_document()) == built


def test_an_account_without_post_data_reads_0_and_is_counted_never_silently():
    built = scheme(indicators=REPLY, post_indicators=["reply_rate"])
    frame = totals(3).assign(reply_rate=[0.5, np.nan, 1.0])
    warnings: Counter[str] = Counter()
    raw = raw_matrix(frame, built, warnings=warnings)
    assert raw["reply"].tolist() == [50.0, 0.0, 100.0]
    assert warnings == {"reply:missing_value": 1}
    # Totals read without any post data (a snapshot-only data set): every account is counted.
    warnings.clear()
    assert raw_matrix(totals(3), built, warnings=warnings)["reply"].tolist() == [0.0, 0.0, 0.0]
    assert warnings == {"reply:missing_value": 3}


def test_the_names_are_the_issues():
    assert set(POST_INDICATORS) == {
        "post_count", "original_rate", "active_days", "longest_silence_days", "posts_per_day", "reply_rate",
        "median_response_minutes", "answered_within_1h_rate", "answered_within_24h_rate",
        "boilerplate_reply_rate", "service_content_rate"}
