"""Writing staged posts and replies: PostgreSQL (COPY into a staging table, then INSERT … ON CONFLICT) or any
other database (bulk_create), inside the import's transaction.

    writer.begin()           once
    writer.posts(frame)      per batch of staged posts: validation.STAGED_POSTS with account_id for account_gid
    writer.replies(frame)    per batch of staged replies: validation.STAGED_REPLIES, the same
    writer.finish()          once, when every file is valid -> PostCounts

What the upsert does, on every backend:
- a post is keyed by (platform, post_id, posted_at) (the partitioned table's unique key): an existing post
  takes the file's account, text, original flag, counts and media, and is not rewritten when nothing
  changed, so importing a file twice changes nothing. A post id already stored at another time within
  MOVE_WINDOW of the batch's times is the same post moved (see Post): its old row is replaced;
- a reply is keyed by (account, asked_at, question): an existing one takes the file's answer (replied_at,
  reply) and, when the file gives them, the post id and the asker's hash.
Within one batch a key appears once (validation refuses repeats, the crawler keeps the last of a post);
across batches a later row updates an earlier one, as a second import would.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import pandas as pd
from django.db import connection

# A crawler dates its newest posts relative to the crawl ("3小时前", "昨天"), so a re-run may give them
# another time, off by up to a day; a time-zone slip is 8 hours. Two days covers both.
MOVE_WINDOW = timedelta(days=2)
POST_FIELDS = ("account_id", "text", "original", "reposts", "comments", "likes", "media")


@dataclass
class PostCounts:
    posts_created: int = 0
    posts_updated: int = 0
    posts_unchanged: int = 0
    replies_created: int = 0
    replies_updated: int = 0
    replies_unchanged: int = 0


class PostWriter(Protocol):
    def begin(self) -> None: ...

    def posts(self, staged: pd.DataFrame) -> None: ...

    def replies(self, staged: pd.DataFrame) -> None: ...

    def finish(self) -> PostCounts: ...


def post_writer_for_connection() -> PostWriter:
    """COPY and set-based upserts on PostgreSQL; bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        from posts.importing.writing.postgres import PostgresPostWriter

        return PostgresPostWriter()
    from posts.importing.writing.orm import OrmPostWriter

    return OrmPostWriter()
