"""The topic dictionary: the built-in file, and documents refused with every problem named."""
from __future__ import annotations

import pytest

from posts.indicators import TopicDictionaryError, topic_dictionary_from_document, topic_dictionary_read


def test_the_built_in_dictionary_is_versioned_and_holds_the_issue_s_topics():
    dictionary = topic_dictionary_read()
    assert dictionary.version == 1
    names = {topic.name for topic in dictionary.topics}
    assert {"通知公告", "便民服务", "警情通报", "路况", "辟谣", "招聘", "文旅推介"} <= names
    assert dictionary.keys[:3] == ("notice", "convenience", "police_report")


def test_a_term_of_two_topics_carries_both_bits():
    dictionary = topic_dictionary_from_document({"version": 3, "topics": [
        {"key": "a", "name": "甲", "name_en": "A", "terms": ["通知", "停水"]},
        {"key": "b", "name": "乙", "name_en": "B", "terms": ["停水"]},
    ]})
    assert dictionary.term_masks() == {"通知": 0b01, "停水": 0b11}


def test_a_bad_document_is_refused_with_every_problem_and_where_it_is():
    with pytest.raises(TopicDictionaryError) as caught:
        topic_dictionary_from_document({"version": "one", "topics": [
            {"key": "notice", "name": "通知公告", "name_en": "Notices", "terms": ["通知", "告", "路 况", "ABC",
                                                                            "通知"]},
            {"key": "Notice!", "name": "", "name_en": "x", "terms": []},
            {"key": "notice", "name": "重复", "name_en": "Again", "terms": [12]},
        ]})
    assert caught.value.problems == [
        "version: a positive integer, got 'one'",
        "topics[0].terms[1]: '告' must have 2 to 16 characters",
        "topics[0].terms[2]: '路 况' must hold Chinese characters (letters, digits and +#&._%- may join them), "
        "no space or punctuation",
        "topics[0].terms[3]: 'ABC' must hold Chinese characters (letters, digits and +#&._%- may join them), "
        "no space or punctuation",
        "topics[0].terms: repeated 通知",
        "topics[1].key: a lowercase identifier (a-z, 0-9, _), got 'Notice!'",
        "topics[1].name: a non-empty text",
        "topics[1].terms: a list of at least one term",
        "topics[2].terms[0]: a text, got 12",
    ]


def test_an_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "topics.yaml"
    path.write_text("version: [1\n", encoding="utf-8")
    with pytest.raises(TopicDictionaryError, match="topics.yaml"):
        topic_dictionary_read(path)
    path.write_text("- 1\n", encoding="utf-8")
    with pytest.raises(TopicDictionaryError, match="a mapping with version and topics"):
        topic_dictionary_read(path)
