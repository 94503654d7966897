"""Content indicators measured from posts and replies (issue 20, item 3): pure pandas/numpy with jieba
(Chinese word segmentation) and datasketch (MinHash), no Django and no app (contract
post-indicators-are-pure). Functions take DataFrames and plain parameters and return new DataFrames.

Input (columns.py): posts (account_id, post_id, posted_at in Asia/Shanghai, text, original, reposts,
comments, likes), replies (account_id, asked_at, question, replied_at or NaT, reply or None), the
period as two dates start and end (both included, calendar days in China time) and the accounts to
report on. Output: one row per account, in the order given.

The definitions, for the method page:

- post_count: the number of the account's posts in the period (counted by their time in China, UTC+8:
  a post at 00:30 on 1 April belongs to April).
- original_rate (原创率): original posts ÷ all posts of the period.
- active_days: the number of calendar days of the period on which the account posted.
- longest_silence_days (最长断更天数): the longest run of consecutive calendar days of the period with
  no post, counting the days before the first post and after the last; an account that did not post in
  the period was silent for the whole period.
- posts_per_day (日均发布): post_count ÷ the number of days in the period.
- reply_rate (回复率): the questions asked of the account in the period that it answered (at any time,
  even after the period) ÷ the questions asked in the period.
- median_response_minutes (响应时长): the median time from question to answer, in minutes, over the
  period's answered questions.
- answered_within_1h_rate, answered_within_24h_rate: the period's questions answered within 60 minutes
  (24 hours), inclusive ÷ the period's questions (unanswered ones included). An answer exactly 60
  minutes after the question is within the hour; one second later is not.
- boilerplate_reply_rate (套话率): the share of the account's replies to the period's questions that are
  near-duplicates of another of its replies: the same text, or a Jaccard similarity of their character
  bigrams of 0.7 or more, after removing a leading "回复@name:". Found with MinHash (datasketch) and
  every candidate pair checked exactly. The replies it repeats most are shown as its templates.
- service_content_rate (政务内容占比): the share of the period's posts on at least one topic of the
  government-service dictionary (通知公告, 便民服务, 警情通报, 路况, 辟谣, 招聘, 文旅推介, 预警与应急,
  政策解读; versioned and editable): a post is on a topic when one of the words jieba cuts its text into
  (the dictionary's terms added to jieba's, so that they are never split) is, or contains, one of the
  topic's terms: 道路况且 (道路/况且) is not about 路况. Each topic's own share is kept too.
- hot posts (热文榜): the period's posts with the most interactions (reposts + comments + likes) per
  account, city or category; equal interactions: the earlier post first, then the smaller post id.

No data is never a silent 0: an account with no post in the period has post_count 0, active_days 0 and
the whole period as its silence (it was covered and did not post), but NaN for original_rate and
service_content_rate (no post to measure); with no question asked, the four response figures are NaN;
with no answered question, boilerplate_reply_rate and the median are NaN. An account whose posts were
not collected must not be passed in: the caller reports it as "no data" in coverage.

Modules: columns, frames (checks, China-time days), activity, responses, nearduplicates, boilerplate,
topics (the dictionary and its reader), segmentation (jieba), content, hot, compute (post_indicators).
"""
from posts.indicators.activity import activity_indicators
from posts.indicators.boilerplate import boilerplate_reply_rate, reply_core, reply_templates
from posts.indicators.compute import PostIndicators, post_indicators
from posts.indicators.content import service_content, topic_masks
from posts.indicators.hot import hot_posts
from posts.indicators.responses import response_indicators
from posts.indicators.topics import (
    Topic,
    TopicDictionary,
    TopicDictionaryError,
    topic_dictionary_from_document,
    topic_dictionary_read,
)

__all__ = [
    "PostIndicators", "Topic", "TopicDictionary", "TopicDictionaryError", "activity_indicators",
    "boilerplate_reply_rate", "hot_posts", "post_indicators", "reply_core", "reply_templates",
    "response_indicators", "service_content", "topic_dictionary_from_document", "topic_dictionary_read",
    "topic_masks",
]
