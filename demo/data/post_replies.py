"""Citizen questions on a block's posts, and the accounts' replies: who is asked, when, and what.

Questions are distinct comments of the account-month's posts (a post gets at most as many questions as
it has comments), asked after the post (median 40 minutes, within its month), a few by @mention outside
any post (no post_id). The answered ones are a random subset of the month's questions of the size the
counts say; the answer comes after a delay by the account's speed (fast: median 15 minutes, ~94% within
the hour; normal: median 4 hours; slow: median 2 days) and, except for fast accounts, in office hours:
an answer that would fall between 22:00 and 08:00 waits for 08:00-10:00. Pure pandas/numpy; no Django.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from demo.data.post_accounts import identity_columns
from demo.data.post_book import answers_for, by_category, source_position, template_book
from demo.data.post_counts import FAST, NORMAL, SLOW
from demo.data.post_plan import Groups, Plan
from demo.data.post_texts import Context

_ASK_MINUTES, _ASK_SIGMA = 40.0, 1.3
# Answer delay in minutes by speed code (FAST, NORMAL, SLOW): lognormal median and sigma.
_ANSWER_MINUTES = {FAST: (15.0, 0.9), NORMAL: (240.0, 1.4), SLOW: (2880.0, 0.7)}
_OFFICE_OPENS, _OFFICE_CLOSES = 8, 22
_MENTION_SHARE = 0.08  # questions asked by @mention, outside any post
_BOILERPLATE_USE = 0.85  # share of a boilerplate account's answers that are 套话
_PREFIX_SHARE = 0.5  # answers that begin 回复@<name>:
_DAY = 86_400


def text_keys(rng: np.random.Generator, size: int) -> np.ndarray:
    """One random uint64 per text: the seed of all its slot choices (demo.data.post_texts)."""
    return rng.integers(np.iinfo(np.uint64).max, size=size, dtype=np.uint64)


def calendar(seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Month (1-12) and day of the month of seconds since 1970 (wall-clock time)."""
    days = (seconds // _DAY).astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    return (months.astype(np.int64) % 12 + 1,
            (days - months.astype("datetime64[D]")).astype(np.int64) + 1)


def replies_frame(plan: Plan, flat: dict[str, np.ndarray], posts: dict[str, np.ndarray],
                  rng: np.random.Generator) -> pd.DataFrame:
    """The block's questions, in account then time order, with their answers (REPLY_COLUMNS)."""
    question_post = _asked_posts(flat, posts, rng)
    group = posts["group"][question_post]
    answered = Groups(group, np.cumsum(flat["questions"]) - flat["questions"]).ranks(rng) < flat["answered"][group]
    account = posts["account"][question_post]
    asked = _asked_at(plan, posts["seconds"][question_post], posts["month"][question_post], rng)
    replied = asked + _answer_delays(plan.speed[account], asked, rng)
    order = np.lexsort((asked, account))
    account, asked, replied, answered = account[order], asked[order], replied[order], answered[order]
    post_id = posts["post_id"][question_post][order]
    question, reply = _texts(plan, account, asked, answered, rng)
    replied_at = replied.astype("datetime64[s]")
    replied_at[~answered] = np.datetime64("NaT")
    mention = rng.random(len(account)) < _MENTION_SHARE
    return pd.DataFrame({
        **identity_columns(plan.table, account),
        "asked_at": asked.astype("datetime64[s]"),
        "question": pd.Series(question, dtype="str"),
        "replied_at": replied_at,
        "reply": pd.Series(reply, dtype="str"),
        "post_id": pd.arrays.IntegerArray(post_id, mention),
    })


def _asked_posts(flat: dict[str, np.ndarray], posts: dict[str, np.ndarray],
                 rng: np.random.Generator) -> np.ndarray:
    """The post of each question: distinct comments drawn per account-month, in post order."""
    comment_post = np.repeat(np.arange(len(posts["comments"])), posts["comments"])
    comment_group = posts["group"][comment_post]
    comments = Groups(comment_group, np.cumsum(flat["comments"]) - flat["comments"])
    return comment_post[comments.ranks(rng) < flat["questions"][comment_group]]


def _asked_at(plan: Plan, posted: np.ndarray, month: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """After the post, lognormal delay; a question that would fall past the month end is asked within
    the rest of the month instead (it belongs to the post's month, as the counts say)."""
    delay = np.maximum(30, np.rint(rng.lognormal(np.log(_ASK_MINUTES * 60), _ASK_SIGMA, len(posted))))
    month_end = (plan.periods + 1).astype("datetime64[D]").astype(np.int64)[month] * _DAY
    inside = posted + np.floor((month_end - 1 - posted) * rng.random(len(posted)))
    return np.where(posted + delay < month_end, posted + delay, inside).astype(np.int64)


def _answer_delays(speed: np.ndarray, asked: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Seconds from question to answer by the account's speed, office hours for all but fast accounts."""
    median, sigma = np.ones(len(speed)), np.ones(len(speed))
    for code, (minutes, spread) in _ANSWER_MINUTES.items():
        median, sigma = np.where(speed == code, minutes, median), np.where(speed == code, spread, sigma)
    delay = np.maximum(60, np.rint(rng.lognormal(np.log(median * 60), sigma))).astype(np.int64)
    replied = asked + delay
    hour = replied % _DAY // 3600
    closed = (speed != FAST) & ((hour >= _OFFICE_CLOSES) | (hour < _OFFICE_OPENS))
    opening = (replied // _DAY + (hour >= _OFFICE_CLOSES)) * _DAY + _OFFICE_OPENS * 3600
    return np.where(closed, opening + rng.integers(7200, size=len(speed)), replied) - asked


def _texts(plan: Plan, account: np.ndarray, asked: np.ndarray, answered: np.ndarray,
           rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Question texts, and answer texts (None for the unanswered) from the question's exchange, 套话
    for most of a boilerplate account's answers, some beginning 回复@<name>:."""
    book, count = template_book(), len(account)
    category, city = plan.table.category[account], plan.table.city[account]
    questions = by_category(book.questions, category, rng.random(count))
    answers = answers_for(questions, rng.random(count))
    pasted = plan.boilerplate[account] & (rng.random(count) < _BOILERPLATE_USE)
    answers = np.where(pasted, book.boilerplate.choose(rng.random(count)), answers)
    prefix = np.where(rng.random(count) < _PREFIX_SHARE, book.prefix, -1)
    month, day = calendar(asked)
    context = Context(key=text_keys(rng, count), city=city, month=month, day=day,
                      source=city * 5 + source_position(category))
    reply = np.full(count, None, dtype=object)
    rows = np.flatnonzero(answered)
    reply[rows] = book.book.render(np.stack([prefix, answers], axis=1)[rows], _subset(context, rows))
    return book.book.render(questions, context), reply


def _subset(context: Context, rows: np.ndarray) -> Context:
    return Context(key=context.key[rows], city=context.city[rows], month=context.month[rows],
                   day=context.day[rows], source=context.source[rows])
