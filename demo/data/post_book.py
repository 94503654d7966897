"""Every post, question and reply template compiled once, and the vectorised choice of templates.

`BOOK` holds the templates (demo.data.post_templates, demo.data.reply_templates) by id. The choice
functions take one code and one uniform number per text and return template ids, topic by topic in
proportion to the weights of the data modules. Pure Python and numpy; no Django.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from demo.data.names import CATEGORIES
from demo.data.post_templates import POST_TOPICS, REPOST_OPTIONS, REPOST_TEMPLATE
from demo.data.post_texts import SOURCE_CATEGORIES, TemplateBook
from demo.data.reply_templates import (
    BOILERPLATE_OPTIONS,
    BOILERPLATE_VARIANTS,
    EXCHANGES,
    REPLY_PREFIX,
)


@dataclass(frozen=True)
class _Weighted:
    """Template ids with cumulative probabilities, for `choose`."""

    ids: np.ndarray
    cumulative: np.ndarray

    @classmethod
    def of(cls, pairs: list[tuple[int, float]]) -> _Weighted:
        ids, weights = zip(*pairs, strict=True)
        cumulative = np.cumsum(weights) / np.sum(weights)
        return cls(np.array(ids, dtype=np.int64), cumulative)

    def choose(self, share: np.ndarray) -> np.ndarray:
        """Template ids for uniform numbers in [0, 1)."""
        return self.ids[np.minimum(np.searchsorted(self.cumulative, share, side="right"), len(self.ids) - 1)]


@dataclass(frozen=True)
class Book:
    book: TemplateBook
    posts: tuple[_Weighted, ...]  # by category (CATEGORIES order): every topic
    services: tuple[_Weighted, ...]  # by category: government-service topics only (reposted bodies)
    questions: tuple[_Weighted, ...]  # by category: question templates of every exchange
    answers: dict[int, _Weighted]  # question template id -> the answers of its exchange
    boilerplate: _Weighted
    repost: int
    prefix: int


def _topic_templates(book: TemplateBook, category: str) -> list[tuple[int, float, bool]]:
    """(template id, weight, service topic?) for every template of a category's topics."""
    return [(book.add(text, topic.options), topic.weight / len(topic.templates), topic.service)
            for topic in POST_TOPICS[category] for text in topic.templates]


@cache
def template_book() -> Book:
    """The compiled templates (built on first use: a few thousand small string tables)."""
    book = TemplateBook()
    posts, services, questions, answers = [], [], [], {}
    for category in CATEGORIES:
        templates = _topic_templates(book, category)
        posts.append(_Weighted.of([(i, weight) for i, weight, _ in templates]))
        services.append(_Weighted.of([(i, weight) for i, weight, service in templates if service]))
        asked = []
        for exchange in EXCHANGES[category]:
            replies = _Weighted.of([(book.add(text, exchange.options), 1.0) for text in exchange.answers])
            for text in exchange.questions:
                question = book.add(text, exchange.options)
                answers[question] = replies
                asked.append((question, exchange.weight / len(exchange.questions)))
        questions.append(_Weighted.of(asked))
    boilerplate = _Weighted.of([(book.add(text, BOILERPLATE_OPTIONS), weight)
                                for text, weight in BOILERPLATE_VARIANTS])
    return Book(book, tuple(posts), tuple(services), tuple(questions), answers, boilerplate,
                book.add(REPOST_TEMPLATE, REPOST_OPTIONS), book.add(REPLY_PREFIX, {}))


def by_category(weighted: tuple[_Weighted, ...], category: np.ndarray, share: np.ndarray) -> np.ndarray:
    """A template id per row from its category's table (`category`: codes into CATEGORIES)."""
    ids = np.empty(len(category), dtype=np.int64)
    for code, table in enumerate(weighted):
        rows = category == code
        ids[rows] = table.choose(share[rows])
    return ids


def answers_for(questions: np.ndarray, share: np.ndarray) -> np.ndarray:
    """An answer template id per question template id, from the question's own exchange."""
    book = template_book()
    ids = np.empty(len(questions), dtype=np.int64)
    for question in np.unique(questions):
        rows = questions == question
        ids[rows] = book.answers[int(question)].choose(share[rows])
    return ids


def source_position(category: np.ndarray) -> np.ndarray:
    """Position in SOURCE_CATEGORIES of a category code; the 'other' category maps to press."""
    positions = np.array([SOURCE_CATEGORIES.index(c) if c in SOURCE_CATEGORIES
                          else SOURCE_CATEGORIES.index("press") for c in CATEGORIES])
    return positions[category]
