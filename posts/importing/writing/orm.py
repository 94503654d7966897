"""The portable path (SQLite, the embedded default): batches are kept until the import is valid, then
written with bulk_create in batches, after reading what exists in batches of BATCH keys.

The rules are those of writing/__init__.py. Files of demo size take this path; national-scale imports go
to PostgreSQL's COPY path.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pandas as pd
from django.db.models import Q

from posts.importing.cells import NO_TIME
from posts.importing.writing import MOVE_WINDOW, POST_FIELDS, PostCounts
from posts.models import Post, Reply

BATCH = 500
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _moment(micros: int) -> datetime | None:
    return None if micros == NO_TIME else _EPOCH + timedelta(microseconds=int(micros))


def _micros(moment: datetime | None) -> int:
    return NO_TIME if moment is None else (moment - _EPOCH) // timedelta(microseconds=1)


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def question_key(question: str) -> str:
    """The reply key's digest of a question: MD5 of its UTF-8 text, as PostgreSQL's md5(text) computes it."""
    return hashlib.md5(question.encode(), usedforsecurity=False).hexdigest()


class OrmPostWriter:
    def __init__(self) -> None:
        self.post_batches: list[pd.DataFrame] = []
        self.reply_batches: list[pd.DataFrame] = []

    def begin(self) -> None:
        pass

    def posts(self, staged: pd.DataFrame) -> None:
        self.post_batches.append(staged)

    def replies(self, staged: pd.DataFrame) -> None:
        self.reply_batches.append(staged)

    def finish(self) -> PostCounts:
        counts = PostCounts()
        for staged in self.post_batches:
            self._write_posts(staged, counts)
        for staged in self.reply_batches:
            self._write_replies(staged, counts)
        return counts

    @staticmethod
    def _stored_posts(staged: pd.DataFrame) -> dict[tuple[str, str], list[Post]]:
        """The stored posts of the batch's post ids within MOVE_WINDOW of its times, by (platform, post id)."""
        window = MOVE_WINDOW // timedelta(microseconds=1)
        lower = _moment(int(staged["posted_at"].min()) - window)
        upper = _moment(int(staged["posted_at"].max()) + window)
        stored: dict[tuple[str, str], list[Post]] = {}
        for platform, group in staged.groupby("platform"):
            for batch in _batches(sorted(set(group["post_id"]))):
                for post in Post.objects.filter(platform=platform, post_id__in=batch, posted_at__gte=lower,
                                                posted_at__lte=upper):
                    stored.setdefault((post.platform, post.post_id), []).append(post)
        return stored

    def _write_posts(self, staged: pd.DataFrame, counts: PostCounts) -> None:
        stored, moved, written = self._stored_posts(staged), [], []
        for row in staged.itertuples(index=False):
            post = Post(account_id=int(row.account_id), platform=row.platform, post_id=row.post_id,
                        posted_at=_moment(row.posted_at), text=row.text, original=bool(row.original),
                        reposts=int(row.reposts), comments=int(row.comments), likes=int(row.likes), media=row.media)
            olds = stored.get((row.platform, row.post_id), [])
            same = next((old for old in olds if _micros(old.posted_at) == row.posted_at), None)
            others = [old.pk for old in olds if old is not same]
            moved += others
            if same is not None and all(getattr(same, name) == getattr(post, name) for name in POST_FIELDS):
                counts.posts_unchanged += 1
                continue
            created = same is None and not others
            counts.posts_created += created
            counts.posts_updated += not created
            written.append(post)
        for batch in _batches(moved):
            Post.objects.filter(pk__in=batch).delete()
        Post.objects.bulk_create(written, batch_size=BATCH, update_conflicts=True,
                                 unique_fields=["platform", "post_id", "posted_at"], update_fields=list(POST_FIELDS))

    @staticmethod
    def _stored_replies(staged: pd.DataFrame, keys: list[str]) -> dict[tuple[int, int, str], Reply]:
        stored = {}
        for account_id, group in pd.DataFrame({"account_id": staged["account_id"], "key": keys}).groupby("account_id"):
            for batch in _batches(sorted(set(group["key"]))):
                for reply in Reply.objects.filter(Q(account_id=int(account_id)) & Q(question_key__in=batch)):
                    stored[(reply.account_id, _micros(reply.asked_at), reply.question_key)] = reply
        return stored

    def _write_replies(self, staged: pd.DataFrame, counts: PostCounts) -> None:
        keys = [question_key(question) for question in staged["question"]]
        stored, written = self._stored_replies(staged, keys), []
        for row, key in zip(staged.itertuples(index=False), keys, strict=True):
            old = stored.get((int(row.account_id), int(row.asked_at), key))
            reply = Reply(account_id=int(row.account_id), asked_at=_moment(row.asked_at), question=row.question,
                          question_key=key, replied_at=_moment(row.replied_at), reply=row.reply,
                          post_id=row.post_id or (old.post_id if old else ""),
                          asker_hash=row.asker_hash or (old.asker_hash if old else ""))
            if old is not None and all(getattr(old, name) == getattr(reply, name)
                                       for name in ("replied_at", "reply", "post_id", "asker_hash")):
                counts.replies_unchanged += 1
                continue
            counts.replies_created += old is None
            counts.replies_updated += old is not None
            written.append(reply)
        Reply.objects.bulk_create(written, batch_size=BATCH, update_conflicts=True,
                                  unique_fields=["account", "asked_at", "question_key"],
                                  update_fields=["replied_at", "reply", "post_id", "asker_hash"])

