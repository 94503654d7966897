"""The dictionary of government-service topics (政务内容), versioned and editable: service_topics.yaml
beside this module, or any file of the same shape.

    version: 1                      # a positive integer; raise it whenever a term changes
    topics:
      - key: notice                 # a lowercase identifier, unique (the column of the topic shares)
        name: 通知公告                # the topic's name, Chinese
        name_en: Notices and announcements
        terms: [通知, 公告, …]        # at least one; see TERM rules below

A term has two characters or more (at most MAX_TERM_LENGTH), at least one of them Chinese, and only
characters jieba keeps in one word block (Chinese, letters, digits, +#&._%-): no space, no punctuation.
A term may belong to several topics. Every problem is reported at once, each with where it is
("topics[2].terms[5]") and why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from core.text import echo

DEFAULT_PATH = Path(__file__).with_name("service_topics.yaml")
MAX_TERM_LENGTH = 16
MAX_TOPICS = 63  # one bit each in an int64 per post
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# jieba's word-block characters (jieba.re_han_default): a term outside them could never be cut whole.
TERM = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")
CHINESE = re.compile(r"[\u4E00-\u9FD5]")


class TopicDictionaryError(ValueError):
    """A dictionary document that cannot be used; `problems` lists each "where: why"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Topic:
    key: str
    name: str
    name_en: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class TopicDictionary:
    version: int
    topics: tuple[Topic, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(topic.key for topic in self.topics)

    def term_masks(self) -> dict[str, int]:
        """Each term and the bit mask of its topics (bit i: the i-th topic)."""
        masks: dict[str, int] = {}
        for bit, topic in enumerate(self.topics):
            for term in topic.terms:
                masks[term] = masks.get(term, 0) | (1 << bit)
        return masks


def topic_dictionary_read(path: Path | str = DEFAULT_PATH) -> TopicDictionary:
    """Read and check a dictionary file (by default the built-in service_topics.yaml)."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise TopicDictionaryError([f"{Path(path).name}: {echo(str(error))}"]) from error
    return topic_dictionary_from_document(document)


def topic_dictionary_from_document(document: Any) -> TopicDictionary:
    """Check a parsed document (see the module) and build the dictionary, or raise TopicDictionaryError
    listing every problem."""
    if not isinstance(document, dict):
        raise TopicDictionaryError([f"document: a mapping with version and topics, got {type(document).__name__}"])
    problems: list[str] = []
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(f"version: a positive integer, got {echo(repr(version))}")
    entries = document.get("topics")
    if not isinstance(entries, list) or not entries or len(entries) > MAX_TOPICS:
        problems.append(f"topics: a list of 1 to {MAX_TOPICS} topics")
        entries = []
    topics = [_topic(entry, f"topics[{position}]", problems) for position, entry in enumerate(entries)]
    keys = [topic.key for topic in topics if topic is not None]
    for key in sorted({key for key in keys if keys.count(key) > 1}):
        problems.append(f"topics: the key {key!r} is used more than once")
    if problems:
        raise TopicDictionaryError(problems)
    return TopicDictionary(version=version, topics=tuple(topics))


def _topic(entry: Any, where: str, problems: list[str]) -> Topic | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: a mapping with key, name, name_en and terms")
        return None
    key, name, name_en, terms = (entry.get(field) for field in ("key", "name", "name_en", "terms"))
    before = len(problems)
    if not isinstance(key, str) or not KEY.match(key):
        problems.append(f"{where}.key: a lowercase identifier (a-z, 0-9, _), got {echo(repr(key))}")
    for field, value in (("name", name), ("name_en", name_en)):
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}.{field}: a non-empty text")
    if not isinstance(terms, list) or not terms:
        problems.append(f"{where}.terms: a list of at least one term")
        terms = []
    for position, term in enumerate(terms):
        _check_term(term, f"{where}.terms[{position}]", problems)
    repeated = sorted({term for term in terms if isinstance(term, str) and terms.count(term) > 1})
    if repeated:
        problems.append(f"{where}.terms: repeated {', '.join(echo(term) for term in repeated)}")
    if len(problems) > before:
        return None
    return Topic(key=key, name=name.strip(), name_en=name_en.strip(), terms=tuple(terms))


def _check_term(term: Any, where: str, problems: list[str]) -> None:
    if not isinstance(term, str):
        problems.append(f"{where}: a text, got {echo(repr(term))}")
    elif not 2 <= len(term) <= MAX_TERM_LENGTH:
        problems.append(f"{where}: {echo(term)!r} must have 2 to {MAX_TERM_LENGTH} characters")
    elif not TERM.match(term) or not CHINESE.search(term):
        problems.append(f"{where}: {echo(term)!r} must hold Chinese characters (letters, digits and +#&._%- "
                        "may join them), no space or punctuation")
