"""Column names of the post indicators: the input contract and the output. Frames are keyed by these
constants, never by literals.

Input (what the posts app's selectors return):

    posts    ACCOUNT_ID int64, POST_ID str, POSTED_AT datetime64[ns, Asia/Shanghai], TEXT str,
             ORIGINAL bool, REPOSTS int64, COMMENTS int64, LIKES int64
    replies  ACCOUNT_ID int64, ASKED_AT datetime64[ns, Asia/Shanghai], QUESTION str,
             REPLIED_AT datetime64[ns, Asia/Shanghai] (NaT: unanswered), REPLY str or None

The period is two plain `datetime.date`s, start and end, both included, as calendar days in China time.
"""
from __future__ import annotations

CHINA_TIME = "Asia/Shanghai"

# Input: posts.
ACCOUNT_ID = "account_id"
POST_ID = "post_id"
POSTED_AT = "posted_at"
TEXT = "text"
ORIGINAL = "original"
REPOSTS = "reposts"
COMMENTS = "comments"
LIKES = "likes"
POST_COLUMNS = (ACCOUNT_ID, POST_ID, POSTED_AT, TEXT, ORIGINAL, REPOSTS, COMMENTS, LIKES)
# Optional: the post's topics under the dictionary in use (content.topic_masks, int64 bit mask), when the
# caller keeps them (computed once at import): then the text is not segmented again.
TOPIC_MASK = "topic_mask"

# Input: replies (one row per question asked of the account, with the account's answer if any).
ASKED_AT = "asked_at"
QUESTION = "question"
REPLIED_AT = "replied_at"
REPLY = "reply"
REPLY_COLUMNS = (ACCOUNT_ID, ASKED_AT, QUESTION, REPLIED_AT, REPLY)

# Output: one row per account (index ACCOUNT_ID), these columns in this order.
POST_COUNT = "post_count"
ORIGINAL_RATE = "original_rate"
ACTIVE_DAYS = "active_days"
LONGEST_SILENCE_DAYS = "longest_silence_days"
POSTS_PER_DAY = "posts_per_day"
REPLY_RATE = "reply_rate"
MEDIAN_RESPONSE_MINUTES = "median_response_minutes"
ANSWERED_WITHIN_1H_RATE = "answered_within_1h_rate"
ANSWERED_WITHIN_24H_RATE = "answered_within_24h_rate"
BOILERPLATE_REPLY_RATE = "boilerplate_reply_rate"
SERVICE_CONTENT_RATE = "service_content_rate"
ACTIVITY_INDICATORS = (POST_COUNT, ORIGINAL_RATE, ACTIVE_DAYS, LONGEST_SILENCE_DAYS, POSTS_PER_DAY)
RESPONSE_INDICATORS = (REPLY_RATE, MEDIAN_RESPONSE_MINUTES, ANSWERED_WITHIN_1H_RATE, ANSWERED_WITHIN_24H_RATE)
INDICATORS = (*ACTIVITY_INDICATORS, *RESPONSE_INDICATORS, BOILERPLATE_REPLY_RATE, SERVICE_CONTENT_RATE)

# Output: the reply templates an account repeats (boilerplate.reply_templates).
TEMPLATE = "template"
COUNT = "count"
RANK = "rank"

# Output: hot posts (hot.hot_posts): the posts' columns plus these.
INTERACTIONS = "interactions"
