"""service_content_rate and the topic shares; the fast matcher against jieba itself."""
from __future__ import annotations

import numpy as np
import pandas as pd

from posts.indicators import service_content, topic_dictionary_read, topic_masks
from posts.indicators.segmentation import topic_matcher

from .frames import MARCH, post, posts

START, END = MARCH
DICTIONARY = topic_dictionary_read()
BIT = {key: 1 << position for position, key in enumerate(DICTIONARY.keys)}


def test_a_topic_term_matches_and_a_term_across_two_words_does_not():
    texts = pd.Series([
        "【路况信息】今天早高峰五一大道车多",  # 路况: traffic
        "这条道路况且不好走",  # 道路/况且: 路况 is not a word here
        "市公安局警情通报：昨日抓获一名犯罪嫌疑人",  # 警情通报 is not in jieba's own dictionary: added
        "交通知识竞赛开始了",  # 交通/知识: not 通知
        "欢迎来到旅游景点",  # 旅游景点 is one jieba word holding 旅游
        "今天天气不错",
    ])
    assert topic_masks(texts, DICTIONARY).tolist() == [
        BIT["traffic"], 0, BIT["police_report"], 0, BIT["tourism"], 0]


def test_service_content_by_hand():
    frame = posts([
        post(1, "2012-03-02 10:00", "停水通知：明日八点至十八点停水"),  # notice and convenience
        post(1, "2012-03-03 10:00", "网传我市出现疫情系谣言"),  # rumour
        post(1, "2012-03-04 10:00", "这条道路况且不好走"),
        post(1, "2012-03-05 10:00", "早上好"),
        post(1, "2012-02-28 10:00", "停水通知"),  # February: not counted
        post(3, "2012-03-05 10:00", "早上好"),
    ])
    rate, shares = service_content(frame, accounts=[1, 2, 3], start=START, end=END, dictionary=DICTIONARY)
    index = pd.Index([1, 2, 3], name="account_id")
    pd.testing.assert_series_equal(rate, pd.Series([2 / 4, np.nan, 0.0], index=index, name="service_content_rate"))
    assert list(shares.columns) == list(DICTIONARY.keys)
    expected = pd.DataFrame(0.0, index=index, columns=list(DICTIONARY.keys))
    expected.loc[1, ["notice", "convenience", "rumour"]] = 1 / 4
    expected.loc[2] = np.nan  # no post: no data, not 0
    pd.testing.assert_frame_equal(shares, expected)


def _random_texts(count: int, seed: int) -> list[str]:
    """Texts made of the dictionary's terms, words that overlap them or hold them, their characters
    and punctuation: every place where a shortcut could differ from jieba."""
    terms = [term for topic in DICTIONARY.topics for term in topic.terms]
    neighbours = ["道路", "况且", "交通", "知识", "通知书", "普通", "高速", "公路", "旅游景点", "办事处", "指南针",
                  "社保局", "应急管理局", "大风车", "面试官", "停电了", "人民", "群众", "的", "了", "在", "市",
                  "12", "A", "热线电话", "公告栏", "澄清楚", "报名时", "间隔"]
    pieces = terms + neighbours + sorted({character for term in terms for character in term})
    rng = np.random.default_rng(seed)
    punctuation = ["，", "。", "【", "】", " ", "#", "！"]
    texts = []
    for _ in range(count):
        parts = [pieces[i] for i in rng.integers(len(pieces), size=rng.integers(2, 12))]
        for position in rng.integers(len(parts), size=rng.integers(0, 3)):
            parts[position] += punctuation[rng.integers(len(punctuation))]
        texts.append("".join(parts))
    return texts


def test_the_shortcut_gives_jieba_s_answer_on_every_text():
    matcher = topic_matcher(DICTIONARY)
    texts = _random_texts(3000, seed=3)
    fast = [matcher.text_mask(text) for text in texts]
    slow = [matcher.jieba_mask(text) for text in texts]
    assert sum(mask != 0 for mask in slow) > 2000
    assert [text for text, a, b in zip(texts, fast, slow, strict=True) if a != b] == []


def test_topic_masks_kept_with_the_posts_are_used_instead_of_the_text():
    frame = posts([post(1, "2012-03-02 10:00", "停水通知"), post(1, "2012-03-03 10:00", "早上好")])
    frame["topic_mask"] = topic_masks(frame["text"], DICTIONARY)
    frame["text"] = "早上好"  # the kept masks win: the text is not segmented again
    rate, shares = service_content(frame, accounts=[1], start=START, end=END, dictionary=DICTIONARY)
    assert rate.tolist() == [0.5]
    assert shares.loc[1, "notice"] == 0.5 and shares.loc[1, "traffic"] == 0.0
