"""On PostgreSQL the post table is partitioned by China-time month: partitions are made on demand by the
import, the keys include the partition key, and accounts cannot be deleted from under their posts."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import GovAccount
from posts.importing.partitions import month_bounds, months_of, partition_name, partitions_ensure
from posts.models import CHINA, Post, Reply
from posts.services import posts_import
from tests.factories import GovAccountFactory
from tests.posts.files import POSTS_HEADER, write

pytestmark = pytest.mark.django_db

ROWS = POSTS_HEADER + (
    "长沙,湖南,长沙发布,发布,市,A1,2012-04-01 00:30,四月,1,0,0,0\n"
    "长沙,湖南,长沙发布,发布,市,A2,2012-03-31 23:59,三月,1,0,0,0\n"
    "长沙,湖南,长沙发布,发布,市,A3,2013-01-15 12:00,一月,1,0,0,0\n"
)


def _partition_of() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT post_id, tableoid::regclass::text FROM posts_post")
        return dict(cursor.fetchall())


def _partitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = 'posts_post'::regclass ORDER BY 1")
        return [row[0] for row in cursor.fetchall()]


def test_months_are_china_time_months() -> None:
    # 2012-03-31 16:30 UTC is 2012-04-01 00:30 in China.
    micros = int(datetime(2012, 4, 1, 0, 30, tzinfo=CHINA).timestamp()) * 1_000_000
    assert months_of([micros, micros - 60 * 60 * 1_000_000]) == [date(2012, 3, 1), date(2012, 4, 1)]
    assert month_bounds(date(2012, 12, 1)) == (datetime(2012, 12, 1, tzinfo=CHINA), datetime(2013, 1, 1, tzinfo=CHINA))


@pytest.mark.postgres
def test_the_import_makes_a_partition_for_each_month_of_the_file_and_the_rows_land_in_them(tmp_path) -> None:
    assert _partitions() == ["posts_post_default"]

    posts_import(paths=[write(tmp_path / "posts.csv", ROWS)])

    assert _partitions() == ["posts_post_default", "posts_post_y2012m03", "posts_post_y2012m04", "posts_post_y2013m01"]
    assert _partition_of() == {"A1": "posts_post_y2012m04", "A2": "posts_post_y2012m03", "A3": "posts_post_y2013m01"}


@pytest.mark.postgres
def test_the_keys_of_the_partitioned_table_include_the_partition_key() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = 'posts_post'::regclass AND contype IN ('p', 'u') ORDER BY 1")
        keys = cursor.fetchall()
    assert keys == [("post_unique_platform_id_time", "UNIQUE (platform, post_id, posted_at)"),
                    ("posts_post_pkey", "PRIMARY KEY (id, posted_at)")]


@pytest.mark.postgres
def test_rows_of_a_month_in_the_default_partition_move_into_its_new_partition() -> None:
    account = GovAccountFactory()
    Post.objects.create(account=account, post_id="D1", posted_at=datetime(2011, 7, 1, 0, 5, tzinfo=CHINA))
    assert _partition_of() == {"D1": "posts_post_default"}

    assert partitions_ensure([date(2011, 7, 1)]) == [partition_name(date(2011, 7, 1))]

    assert _partition_of() == {"D1": "posts_post_y2011m07"}
    assert partitions_ensure([date(2011, 7, 1)]) == []  # made once


@pytest.mark.postgres
def test_deleting_an_account_with_posts_by_sql_is_refused_and_the_orm_cascades(tmp_path) -> None:
    posts_import(paths=[write(tmp_path / "posts.csv", ROWS)])
    account = GovAccount.objects.get(screen_name="长沙发布")
    Reply.objects.create(account=account, asked_at=datetime(2012, 4, 1, tzinfo=CHINA), question="?", question_key="x")

    with pytest.raises(IntegrityError, match="would leave posts or replies"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_govaccount WHERE id = %s", [account.pk])

    account.delete()
    assert not (Post.objects.exists() or Reply.objects.exists() or GovAccount.objects.exists())
