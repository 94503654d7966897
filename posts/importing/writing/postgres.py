"""PostgreSQL: each batch is COPYed (CSV) into a temporary staging table, then written by set-based statements.

Steps per batch of posts (inside the import's transaction; the staging tables are dropped at the end):
1. the partitions of the batch's China-time months are created if missing (posts.importing.partitions);
2. COPY into import_posts (times travel as microseconds since 1970 UTC: integers, no text to parse);
3. INSERT … SELECT … ON CONFLICT (platform, post_id, posted_at) DO UPDATE, skipping rows whose values are
   unchanged (no dead rows on a re-import). A partitioned table cannot return xmax, so the created rows
   are told by their ids: above the id sequence's value taken just before the statement (imports hold
   the import lock, so no other import takes ids in between);
4. the batch's keys are kept (import_post_keys) for the end.
At the end, moved posts in one statement: a stored row of a post id the import wrote, at another time than
the import's last row of that post id and within MOVE_WINDOW of the import's times, is deleted (a post
moved by a crawler re-run; its new row is already written). One hash join for the whole import rather than
one per batch, and the time bounds are constants: only those months' partitions are read.
Replies: COPY into import_replies, then one INSERT … ON CONFLICT (account_id, asked_at, question_key)
(question_key = md5(question), computed by the database), counting created rows with `xmax = 0`.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
from django.db import connection

from posts.importing.cells import NO_TIME
from posts.importing.partitions import months_of, partitions_ensure, partitions_existing
from posts.importing.writing import MOVE_WINDOW, POST_FIELDS, PostCounts

_TIME = "(TIMESTAMPTZ 'epoch' + {column} * INTERVAL '1 microsecond')"
_POST_COLUMNS = ("account_id", "platform", "post_id", "posted_at", "text", "original", "reposts", "comments",
                 "likes", "media")
_REPLY_COLUMNS = ("account_id", "asked_at", "question", "replied_at", "reply", "post_id", "asker_hash")
_REPLY_FIELDS = ("replied_at", "reply", "post_id", "asker_hash")


def _copy(cursor, table: str, frame: pd.DataFrame, text_columns: tuple[str, ...]) -> None:
    """COPY the frame's columns (in order) as CSV; text columns read an empty cell as "", never NULL."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=False)
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN WITH (FORMAT csv, "
                       f"FORCE_NOT_NULL ({', '.join(text_columns)}))", buffer)


class PostgresPostWriter:
    def __init__(self) -> None:
        self.counts = PostCounts()
        self.partitions: set[str] = set()
        self.analysed: set[str] = set()

    def begin(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE import_posts (account_id int8 NOT NULL, platform text NOT NULL,"
                " post_id text NOT NULL, posted_at int8 NOT NULL, text text NOT NULL, original boolean NOT NULL,"
                " reposts int4 NOT NULL, comments int4 NOT NULL, likes int4 NOT NULL, media text NOT NULL)"
                " ON COMMIT DROP")
            cursor.execute(
                "CREATE TEMP TABLE import_replies (account_id int8 NOT NULL, asked_at int8 NOT NULL,"
                " question text NOT NULL, replied_at int8 NOT NULL, reply text NOT NULL, post_id text NOT NULL,"
                " asker_hash text NOT NULL) ON COMMIT DROP")
            # seq: the order rows were written in, so that the last row of a post id is the one kept.
            cursor.execute("CREATE TEMP TABLE import_post_keys (seq bigserial, platform text NOT NULL,"
                           " post_id text NOT NULL, posted_at int8 NOT NULL) ON COMMIT DROP")
        self.partitions = partitions_existing()
        self.first_time: int | None = None
        self.last_time: int | None = None

    def posts(self, staged: pd.DataFrame) -> None:
        if staged.empty:
            return
        times = staged["posted_at"].to_numpy(dtype=np.int64)
        partitions_ensure(months_of(times), existing=self.partitions)
        with connection.cursor() as cursor:
            _copy(cursor, "import_posts", staged[list(_POST_COLUMNS)], ("platform", "post_id", "text", "media"))
            self._analyse(cursor, "import_posts")
            created, changed = self._upsert_posts(cursor)
            cursor.execute("INSERT INTO import_post_keys (platform, post_id, posted_at)"
                           " SELECT platform, post_id, posted_at FROM import_posts")
            cursor.execute("TRUNCATE import_posts")
        self.first_time = min(int(times.min()), self.first_time if self.first_time is not None else times.min())
        self.last_time = max(int(times.max()), self.last_time if self.last_time is not None else times.max())
        self.counts.posts_created += created
        self.counts.posts_updated += changed - created
        self.counts.posts_unchanged += len(staged) - changed

    def _analyse(self, cursor, table: str) -> None:
        """Temp tables are never auto-analysed and the joins need statistics: once, on the first batch
        (TRUNCATE keeps them, and the planner scales the row count to the table's size)."""
        if table not in self.analysed:
            cursor.execute(f"ANALYZE {table}")
            self.analysed.add(table)

    def _delete_moved(self, cursor) -> int:
        """Delete the moved posts' old rows (see the module's docstring); how many."""
        if self.first_time is None:
            return 0
        window = MOVE_WINDOW // pd.Timedelta(microseconds=1)
        cursor.execute("ANALYZE import_post_keys")
        cursor.execute(
            "DELETE FROM posts_post p USING (SELECT DISTINCT ON (platform, post_id) platform, post_id, posted_at"
            " FROM import_post_keys ORDER BY platform, post_id, seq DESC) k"
            " WHERE p.platform = k.platform AND p.post_id = k.post_id"
            f" AND p.posted_at <> {_TIME.format(column='k.posted_at')}"
            f" AND p.posted_at >= {_TIME.format(column='%s')} AND p.posted_at <= {_TIME.format(column='%s')}",
            [self.first_time - window, self.last_time + window])
        return cursor.rowcount

    @staticmethod
    def _upsert_posts(cursor) -> tuple[int, int]:
        """(created, created or changed) by one INSERT … ON CONFLICT."""
        cursor.execute("SELECT nextval(pg_get_serial_sequence('posts_post', 'id'))")
        before = cursor.fetchone()[0]
        values = [_TIME.format(column=name) if name == "posted_at" else name for name in _POST_COLUMNS]
        cursor.execute(
            f"WITH written AS (INSERT INTO posts_post ({', '.join(_POST_COLUMNS)})"
            f" SELECT {', '.join(values)} FROM import_posts"
            " ON CONFLICT (platform, post_id, posted_at) DO UPDATE SET "
            + ", ".join(f"{name} = EXCLUDED.{name}" for name in POST_FIELDS)
            + " WHERE (" + ", ".join(f"posts_post.{name}" for name in POST_FIELDS) + ") IS DISTINCT FROM ("
            + ", ".join(f"EXCLUDED.{name}" for name in POST_FIELDS) + ")"
            " RETURNING id) SELECT count(*) FILTER (WHERE id > %s), count(*) FROM written", [before])
        return cursor.fetchone()

    def replies(self, staged: pd.DataFrame) -> None:
        if staged.empty:
            return
        with connection.cursor() as cursor:
            _copy(cursor, "import_replies", staged[list(_REPLY_COLUMNS)], ("question", "reply", "post_id", "asker_hash"))
            self._analyse(cursor, "import_replies")
            replied = f"CASE WHEN replied_at = {NO_TIME} THEN NULL ELSE {_TIME.format(column='replied_at')} END"
            cursor.execute(
                "WITH written AS (INSERT INTO posts_reply (account_id, asked_at, question, question_key, replied_at,"
                " reply, post_id, asker_hash)"
                f" SELECT account_id, {_TIME.format(column='asked_at')}, question, md5(question), {replied}, reply,"
                " post_id, asker_hash FROM import_replies"
                " ON CONFLICT (account_id, asked_at, question_key) DO UPDATE SET replied_at = EXCLUDED.replied_at,"
                " reply = EXCLUDED.reply,"
                " post_id = COALESCE(NULLIF(EXCLUDED.post_id, ''), posts_reply.post_id),"
                " asker_hash = COALESCE(NULLIF(EXCLUDED.asker_hash, ''), posts_reply.asker_hash)"
                " WHERE (posts_reply.replied_at, posts_reply.reply, posts_reply.post_id, posts_reply.asker_hash)"
                " IS DISTINCT FROM (EXCLUDED.replied_at, EXCLUDED.reply,"
                " COALESCE(NULLIF(EXCLUDED.post_id, ''), posts_reply.post_id),"
                " COALESCE(NULLIF(EXCLUDED.asker_hash, ''), posts_reply.asker_hash))"
                " RETURNING (xmax = 0) AS created) SELECT count(*) FILTER (WHERE created), count(*) FROM written")
            created, changed = cursor.fetchone()
            cursor.execute("TRUNCATE import_replies")
        self.counts.replies_created += created
        self.counts.replies_updated += changed - created
        self.counts.replies_unchanged += len(staged) - changed

    def finish(self) -> PostCounts:
        with connection.cursor() as cursor:
            moved = self._delete_moved(cursor)
            # ON COMMIT DROP fires only at the outermost commit; a caller's transaction may import again.
            cursor.execute("DROP TABLE import_posts, import_replies, import_post_keys")
        # A moved post's new row was counted as created: it is an update of the post.
        self.counts.posts_created -= moved
        self.counts.posts_updated += moved
        return self.counts
