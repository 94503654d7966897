"""All the post indicators of a period at once (post_indicators), with the topic shares and the reply
templates that come out of the same work. The definitions are in the package's docstring."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

import pandas as pd

from posts.indicators.activity import activity_indicators
from posts.indicators.boilerplate import TEMPLATES_SHOWN, boilerplate_rate, reply_groups, templates
from posts.indicators.columns import (
    BOILERPLATE_REPLY_RATE,
    INDICATORS,
    POST_COLUMNS,
    REPLY_COLUMNS,
    SERVICE_CONTENT_RATE,
)
from posts.indicators.content import service_content
from posts.indicators.frames import account_index, period_days, require_columns
from posts.indicators.responses import response_indicators
from posts.indicators.topics import TopicDictionary, topic_dictionary_read


@dataclass(frozen=True)
class PostIndicators:
    """indicators: one row per account (index ACCOUNT_ID, the accounts in the order given), the columns
    columns.INDICATORS. topic_shares: one row per account, one column per topic key (the dictionary's
    order). reply_templates: boilerplate.templates' frame (ACCOUNT_ID, RANK, TEMPLATE, COUNT).
    dictionary_version: the topic dictionary's version, to keep with the figures."""

    indicators: pd.DataFrame
    topic_shares: pd.DataFrame
    reply_templates: pd.DataFrame
    dictionary_version: int


def post_indicators(posts: pd.DataFrame, replies: pd.DataFrame, *, accounts: pd.Index | list[int],
                    start: datetime.date, end: datetime.date, topics: TopicDictionary | None = None,
                    templates_shown: int = TEMPLATES_SHOWN) -> PostIndicators:
    """posts: columns.POST_COLUMNS; replies: columns.REPLY_COLUMNS; the period start..end (dates, both
    included, China time); accounts: the accounts to report on, each covered (its posts and replies
    collected for the period); topics: the topic dictionary (the built-in one by default). Rows of other
    accounts, and posts outside the period, are ignored.

    Each account's figures depend on its own rows only, so a caller may read the accounts in chunks (bounded
    memory: a national month's post texts alone take 1.4 to 2 GiB as Python strings) and concatenate the
    chunks' frames."""
    require_columns(posts, POST_COLUMNS, "posts")
    require_columns(replies, REPLY_COLUMNS, "replies")
    period_days(start, end)
    index = account_index(accounts)
    dictionary = topics if topics is not None else topic_dictionary_read()
    period = {"accounts": index, "start": start, "end": end}
    groups = reply_groups(replies, **period)
    service_rate, shares = service_content(posts, **period, dictionary=dictionary)
    indicators = pd.concat(
        [activity_indicators(posts, **period), response_indicators(replies, **period),
         boilerplate_rate(groups, accounts=index).rename(BOILERPLATE_REPLY_RATE),
         service_rate.rename(SERVICE_CONTENT_RATE)],
        axis=1,
    )[list(INDICATORS)]
    return PostIndicators(indicators=indicators, topic_shares=shares,
                          reply_templates=templates(groups, top=templates_shown),
                          dictionary_version=dictionary.version)
