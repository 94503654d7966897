"""Government-service content per account and period: service_content_rate (政务内容占比) and each topic's
share, from the topic dictionary (topics.py) and jieba (segmentation.py).

- service_content_rate: the period's posts on at least one topic of the dictionary ÷ the period's posts.
- the share of topic t: the period's posts on topic t ÷ the period's posts (a post may be on several
  topics, so the shares may add up to more than service_content_rate).

NaN for an account with no post in the period ("no data", never a silent 0).
"""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from posts.indicators.activity import period_posts
from posts.indicators.columns import ACCOUNT_ID, SERVICE_CONTENT_RATE, TEXT, TOPIC_MASK
from posts.indicators.frames import account_index
from posts.indicators.segmentation import topic_matcher
from posts.indicators.topics import TopicDictionary


def topic_masks(texts: pd.Series, dictionary: TopicDictionary) -> np.ndarray:
    """One int64 per text: bit i set when the text is on the dictionary's i-th topic. Pure and per post,
    so a caller may also compute it once when posts are imported and keep it."""
    return topic_matcher(dictionary).masks(texts.to_numpy(dtype=object))


def service_content(posts: pd.DataFrame, *, accounts: pd.Index | list[int], start: datetime.date,
                    end: datetime.date, dictionary: TopicDictionary) -> tuple[pd.Series, pd.DataFrame]:
    """posts: columns.POST_COLUMNS (ACCOUNT_ID, POSTED_AT and TEXT are read; when the frame has TOPIC_MASK,
    the masks kept for this dictionary's version, they are used and TEXT is not). Returns, for each account of
    `accounts` (index ACCOUNT_ID, in that order), SERVICE_CONTENT_RATE (a Series) and the topic shares (a
    frame with one float64 column per topic key, in the dictionary's order), as the module defines them."""
    index = account_index(accounts)
    selected = period_posts(posts, accounts=index, start=start, end=end)
    if TOPIC_MASK in selected:
        masks = selected[TOPIC_MASK].to_numpy(dtype=np.int64)
    else:
        masks = topic_masks(selected[TEXT], dictionary)
    positions = index.get_indexer(selected[ACCOUNT_ID])
    counts = np.bincount(positions, minlength=len(index)).astype(np.float64)
    counts[counts == 0] = np.nan  # no post: no data
    on_any = np.bincount(positions, weights=masks != 0, minlength=len(index))
    shares = {topic.key: np.bincount(positions, weights=(masks >> bit) & 1, minlength=len(index)) / counts
              for bit, topic in enumerate(dictionary.topics)}
    rate = pd.Series(on_any / counts, index=index, name=SERVICE_CONTENT_RATE, dtype=np.float64)
    return rate, pd.DataFrame(shares, index=index, columns=list(dictionary.keys), dtype=np.float64)
