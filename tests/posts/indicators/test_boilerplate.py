"""boilerplate_reply_rate and the reply templates: near-duplicates just above and below 0.7, the
leading 回复@name: removed, the period's replies counted, the LSH path equal to comparing every pair."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from posts.indicators import boilerplate_reply_rate, reply_core, reply_templates
from posts.indicators.boilerplate import boilerplate_rate, reply_groups
from posts.indicators.columns import ACCOUNT_ID, COUNT, RANK, TEMPLATE
from posts.indicators.nearduplicates import THRESHOLD, jaccard, near_duplicate_labels, shingles

from .frames import MARCH, replies

START, END = MARCH
# Ten distinct characters: nine bigrams. B = A[:m] + n new characters shares m - 1 of them, so its
# Jaccard similarity with A is (m - 1) / (9 + n).
A = "您好关于此事我们已经"
AT_THRESHOLD = "您好关于此事我们感"  # m = 8, n = 1: 7 / 10 = 0.7
JUST_ABOVE = "您好关于此事我们已感谢"  # m = 9, n = 2: 8 / 11 ≈ 0.727
JUST_BELOW = "您好关于此事我们已经感谢支持"  # m = 10, n = 4: 9 / 13 ≈ 0.692


def test_the_hand_built_texts_have_the_similarities_claimed():
    assert jaccard(shingles(A), shingles(AT_THRESHOLD)) == 7 / 10 == THRESHOLD
    assert jaccard(shingles(A), shingles(JUST_ABOVE)) == 8 / 11
    assert jaccard(shingles(A), shingles(JUST_BELOW)) == 9 / 13


def test_reply_core_removes_one_leading_address_and_the_outer_spaces():
    texts = pd.Series(["回复@市民小王:已转交。", " 回复@abc_1-2：  已转交。 ", "已转交，回复@某人:好", None, "回复@某人:"])
    assert reply_core(texts).tolist() == ["已转交。", "已转交。", "已转交，回复@某人:好", "", ""]


def _answered(account: int, *texts: str, asked: str = "2012-03-10 10:00") -> list[tuple]:
    return [(account, asked, "2012-03-10 12:00", text) for text in texts]


FRAME = replies([
    *_answered(10, A, AT_THRESHOLD),  # exactly 0.7: near-duplicates
    *_answered(11, A, JUST_ABOVE),
    *_answered(12, A, JUST_BELOW),  # 0.692: not
    *_answered(13, "回复@市民小王:" + A, "回复@张三：  " + A, "这是完全不同的一句话"),  # the same once unaddressed
    # Account 14: a February reply is compared with, but only March's two replies are counted; the
    # unanswered March question is not a reply.
    *_answered(14, A, asked="2012-02-20 10:00"),
    *_answered(14, JUST_ABOVE, "另外一个回答的内容"),
    (14, "2012-03-11 10:00", None, None),
    (15, "2012-03-11 10:00", None, None),  # no reply at all: no data
    *_answered(16, A),  # a single reply: nothing to repeat
])
ACCOUNTS = [10, 11, 12, 13, 14, 15, 16]
RATES = [1.0, 1.0, 0.0, 2 / 3, 1 / 2, np.nan, 0.0]


def test_boilerplate_rate_by_hand():
    result = boilerplate_reply_rate(FRAME, accounts=ACCOUNTS, start=START, end=END)
    expected = pd.Series(RATES, index=pd.Index(ACCOUNTS, name=ACCOUNT_ID), name="boilerplate_reply_rate")
    pd.testing.assert_series_equal(result, expected)


def test_the_lsh_path_gives_the_same_rates():
    groups = reply_groups(FRAME, accounts=ACCOUNTS, start=START, end=END, exact_up_to=0)
    assert boilerplate_rate(groups, accounts=ACCOUNTS).tolist() == pytest.approx(RATES, nan_ok=True)


def test_reply_templates_by_hand():
    other = "请您拨打12345热线反映"
    frame = replies([
        *_answered(20, "回复@甲:" + A, "回复@乙:" + A, A, JUST_ABOVE, other, "回复@丙:" + other, "谢谢您的建议"),
        *_answered(20, other, asked="2012-02-01 09:00"),  # compared with, not counted
        *_answered(21, "不重复的回答"),
    ])
    result = reply_templates(frame, accounts=[20, 21], start=START, end=END)
    expected = pd.DataFrame({
        ACCOUNT_ID: np.array([20, 20], dtype=np.int64),
        RANK: np.array([1, 2], dtype=np.int64),
        TEMPLATE: [A, other],
        COUNT: np.array([4, 2], dtype=np.int64),
    })
    pd.testing.assert_frame_equal(result, expected)
    assert reply_templates(frame, accounts=[20], start=START, end=END, top=1)[TEMPLATE].tolist() == [A]


def _template_texts(rng: np.random.Generator, count: int) -> list[str]:
    templates = ["您好，关于{}的问题已转交{}处理，请耐心等待。", "感谢您对{}的关注，{}将尽快核实。",
                 "您反映的{}情况我们已记录，{}会联系您。", "{}的事请直接拨打{}电话咨询。"]
    places = ["人民路", "解放西路", "五一大道", "芙蓉中路", "湘江北路", "东风路", "韶山南路", "桐梓坡路"]
    offices = ["交警支队", "城管局", "住建局", "市场监管局", "社区居委会", "街道办事处"]
    texts = {templates[rng.integers(len(templates))].format(places[rng.integers(len(places))],
                                                            offices[rng.integers(len(offices))])
             for _ in range(count)}
    noise = {"".join(rng.choice(list("天地人你我他上下左右前后东西南北春夏秋冬"), size=15)) for _ in range(count)}
    return sorted(texts | noise)


def test_minhash_lsh_finds_the_same_groups_as_comparing_every_pair():
    texts = _template_texts(np.random.default_rng(20), 150)
    assert len(texts) > 150
    exact = near_duplicate_labels(texts, exact_up_to=10**9)
    through_lsh = near_duplicate_labels(texts, exact_up_to=0)
    assert (exact != np.arange(len(texts))).sum() > 50  # the data does hold near-duplicates
    np.testing.assert_array_equal(through_lsh, exact)
