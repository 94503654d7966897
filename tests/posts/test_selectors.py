"""posts_frame and replies_frame: the post indicators' input, its columns and types, its bounds and filters."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from posts.models import CHINA, Post, Reply
from posts.selectors import POST_FRAME_COLUMNS, REPLY_FRAME_COLUMNS, china_month, posts_frame, replies_frame
from tests.factories import GovAccountFactory

pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0, month: int = 4) -> datetime:
    return datetime(2012, month, day, hour, minute, tzinfo=CHINA)


@pytest.fixture
def accounts():
    first, second = GovAccountFactory(), GovAccountFactory()
    Post.objects.create(account=first, post_id="3", posted_at=at(2, 9), text="二号", original=False, reposts=1,
                        comments=2, likes=3)
    Post.objects.create(account=first, post_id="1", posted_at=at(1, 0, 30), text="", reposts=4)
    Post.objects.create(account=second, post_id="2", posted_at=at(30, 23, 59), text="月末")
    Post.objects.create(account=second, post_id="4", posted_at=at(1, 0, 0, month=5), text="五月")  # the end: excluded
    Post.objects.create(account=second, post_id="0", posted_at=at(31, 23, 59, month=3), text="三月")
    Reply.objects.create(account=first, asked_at=at(1, 9), question="几点？", question_key="a", replied_at=at(3, 9),
                         reply="九点")
    Reply.objects.create(account=second, asked_at=at(2, 9), question="在吗", question_key="b")
    Reply.objects.create(account=second, asked_at=at(1, 9, month=5), question="五月", question_key="c")
    return first, second


def test_posts_frame_holds_the_months_posts_sorted_by_account_and_time_with_the_contracted_types(accounts) -> None:
    first, second = accounts
    posts = posts_frame(start=china_month(2012, 4)[0], end=china_month(2012, 4)[1])

    assert tuple(posts.columns) == POST_FRAME_COLUMNS
    assert {name: str(dtype) for name, dtype in posts.dtypes.items()} == {
        "account_id": "int64", "post_id": "str", "posted_at": "datetime64[ns, Asia/Shanghai]", "text": "str",
        "original": "bool", "reposts": "int64", "comments": "int64", "likes": "int64"}
    assert posts[["account_id", "post_id", "text", "original", "reposts", "comments", "likes"]].values.tolist() == [
        [first.pk, "1", "", True, 4, 0, 0], [first.pk, "3", "二号", False, 1, 2, 3], [second.pk, "2", "月末", True, 0, 0, 0]]
    assert list(posts["posted_at"]) == [pd.Timestamp("2012-04-01 00:30", tz="Asia/Shanghai"),
                                        pd.Timestamp("2012-04-02 09:00", tz="Asia/Shanghai"),
                                        pd.Timestamp("2012-04-30 23:59", tz="Asia/Shanghai")]


def test_posts_frame_filters_accounts_and_is_empty_but_typed_when_nothing_matches(accounts) -> None:
    first, _second = accounts
    start, end = china_month(2012, 4)

    assert list(posts_frame(account_ids=[first.pk], start=start, end=end)["post_id"]) == ["1", "3"]
    empty = posts_frame(account_ids=[], start=start, end=end)
    assert empty.empty and str(empty["posted_at"].dtype) == "datetime64[ns, Asia/Shanghai]"
    assert str(empty["account_id"].dtype) == "int64"


def test_replies_frame_has_the_questions_asked_in_the_period_with_answers_wherever_they_fall(accounts) -> None:
    first, second = accounts
    replies = replies_frame(start=china_month(2012, 4)[0], end=china_month(2012, 4)[1])

    assert tuple(replies.columns) == REPLY_FRAME_COLUMNS
    assert replies[["account_id", "question", "reply"]].values.tolist() == [[first.pk, "几点？", "九点"],
                                                                           [second.pk, "在吗", None]]
    assert replies["replied_at"].iloc[0] == pd.Timestamp("2012-04-03 09:00", tz="Asia/Shanghai")
    assert pd.isna(replies["replied_at"].iloc[1])
    assert str(replies["asked_at"].dtype) == str(replies["replied_at"].dtype) == "datetime64[ns, Asia/Shanghai]"


def test_naive_bounds_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        posts_frame(start=datetime(2012, 4, 1), end=datetime(2012, 5, 1))
