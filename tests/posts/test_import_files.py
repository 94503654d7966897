"""Files of posts and replies (CSV in three encodings, XLSX, JSON Lines; Chinese or English headers):
accounts named and created as snapshot files do, China time, idempotent re-imports, dry runs."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from accounts.models import City, GovAccount
from posts.models import CHINA, Post, PostImport, Reply
from posts.selectors import china_month, posts_frame
from posts.services import posts_import
from tests.factories import GovAccountFactory
from tests.posts.files import POSTS_HEADER, REPLIES_HEADER, write

pytestmark = pytest.mark.django_db

POSTS = POSTS_HEADER + (
    "长沙,湖南省,长沙发布,发布,市,A1,2012-04-01 00:30,四月的第一条,是,1,2,3\n"
    "长沙,湖南,长沙发布,发布,市,A2,2012-03-31 23:59:59,三月的最后一条,否,0,0,0\n"
    "株洲,Hunan,株洲交警,交警,县,A3,2012-04-01T00:30:00+00:00,有时区的,1,10,20,30\n"
)


def _posts() -> dict[str, tuple]:
    return {post.post_id: (post.account.screen_name, post.posted_at, post.original, post.reposts, post.comments,
                           post.likes, post.text) for post in Post.objects.select_related("account")}


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_a_posts_csv_creates_its_accounts_as_a_snapshot_import_would_in_any_encoding(tmp_path, encoding) -> None:
    result = posts_import(paths=[write(tmp_path / "posts.csv", POSTS, encoding)])

    assert _posts() == {
        "A1": ("长沙发布", datetime(2012, 4, 1, 0, 30, tzinfo=CHINA), True, 1, 2, 3, "四月的第一条"),
        "A2": ("长沙发布", datetime(2012, 3, 31, 23, 59, 59, tzinfo=CHINA), False, 0, 0, 0, "三月的最后一条"),
        "A3": ("株洲交警", datetime(2012, 4, 1, 8, 30, tzinfo=CHINA), True, 10, 20, 30, "有时区的"),
    }
    # The province in any spelling is its canonical short name, as in snapshot imports.
    assert sorted(City.objects.values_list("province", "name")) == [("湖南", "株洲"), ("湖南", "长沙")]
    accounts = {account.screen_name: (account.category, account.level) for account in GovAccount.objects.all()}
    assert accounts == {"长沙发布": ("press", "city"), "株洲交警": ("traffic", "county")}
    assert (result.cities_created, result.accounts_created, result.counts.posts_created) == (2, 2, 3)
    assert result.encoding == {"utf-8": "utf-8", "gb18030": "gb18030", "utf-16": "utf-16"}[encoding]


def test_a_post_at_half_past_midnight_on_1_april_without_an_offset_belongs_to_april(tmp_path: Path) -> None:
    posts_import(paths=[write(tmp_path / "posts.csv", POSTS)])

    april = posts_frame(start=china_month(2012, 4)[0], end=china_month(2012, 4)[1])
    march = posts_frame(start=china_month(2012, 3)[0], end=china_month(2012, 3)[1])

    assert sorted(april["post_id"]) == ["A1", "A3"] and list(march["post_id"]) == ["A2"]
    assert str(april.loc[april["post_id"] == "A1", "posted_at"].iloc[0]) == "2012-04-01 00:30:00+08:00"


def test_english_headers_xlsx_with_date_cells_and_json_lines_read_alike(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["city", "province", "account", "platform", "category", "level", "post_id", "posted_at", "text",
                  "original", "reposts", "comments", "likes", "media"])
    sheet.append(["长沙", "湖南", "长沙发布", "新浪微博", "press", "city", "X1", datetime(2012, 4, 1, 0, 30), "表格", 1, 1, 2,
                  3, "图片"])
    book.save(tmp_path / "posts.xlsx")
    line = {"city": "长沙", "province": "湖南", "account": "长沙发布", "category": "press", "level": "city",
            "post_id": 3440000000000005, "posted_at": "2012-04-02 08:00", "text": "JSON", "original": False,
            "reposts": 0, "comments": 0, "likes": 7}
    write(tmp_path / "posts.jsonl", json.dumps(line, ensure_ascii=False) + "\n\n")

    result = posts_import(paths=[tmp_path / "posts.xlsx", tmp_path / "posts.jsonl"])

    assert result.counts.posts_created == 2 and result.accounts_created == 1
    assert Post.objects.get(post_id="X1").posted_at == datetime(2012, 4, 1, 0, 30, tzinfo=CHINA)
    assert Post.objects.get(post_id="X1").media == "image"
    jsonl = Post.objects.get(post_id="3440000000000005")  # a JSON number kept whole
    assert (jsonl.original, jsonl.likes, jsonl.media) == (False, 7, "")


def test_a_replies_file_keeps_answered_and_unanswered_questions(tmp_path: Path) -> None:
    replies = REPLIES_HEADER + (
        "长沙,湖南,长沙发布,press,city,2012-04-01 09:00,几点开门？,2012-04-01 10:00,九点,A1\n"
        "长沙,湖南,长沙发布,press,city,2012-04-01 09:30,在吗,,,\n"
    )
    result = posts_import(paths=[write(tmp_path / "replies.csv", replies)])

    rows = list(Reply.objects.order_by("asked_at").values_list("asked_at", "question", "replied_at", "reply", "post_id"))
    assert rows == [
        (datetime(2012, 4, 1, 9, 0, tzinfo=CHINA), "几点开门？", datetime(2012, 4, 1, 10, 0, tzinfo=CHINA), "九点", "A1"),
        (datetime(2012, 4, 1, 9, 30, tzinfo=CHINA), "在吗", None, "", ""),
    ]
    assert result.counts.replies_created == 2 and Reply.objects.get(question="在吗").asker_hash == ""


def test_importing_the_same_file_twice_changes_nothing_and_a_changed_post_is_updated(tmp_path: Path) -> None:
    path = write(tmp_path / "posts.csv", POSTS)
    posts_import(paths=[path])
    stored = list(Post.objects.order_by("pk").values())

    again = posts_import(paths=[path])
    assert list(Post.objects.order_by("pk").values()) == stored
    assert (again.counts.posts_created, again.counts.posts_updated, again.counts.posts_unchanged) == (0, 0, 3)

    changed = posts_import(paths=[write(tmp_path / "later.csv", POSTS.replace("是,1,2,3", "是,100,2,3"))])
    assert (changed.counts.posts_created, changed.counts.posts_updated, changed.counts.posts_unchanged) == (0, 1, 2)
    assert Post.objects.get(post_id="A1").reposts == 100 and Post.objects.count() == 3


def test_a_post_met_again_at_another_time_within_two_days_is_moved_not_doubled(tmp_path: Path) -> None:
    posts_import(paths=[write(tmp_path / "posts.csv", POSTS)])

    moved = posts_import(paths=[write(tmp_path / "again.csv", POSTS.replace("2012-04-01 00:30", "2012-04-01 01:10"))])

    assert Post.objects.filter(post_id="A1").count() == 1
    assert Post.objects.get(post_id="A1").posted_at == datetime(2012, 4, 1, 1, 10, tzinfo=CHINA)
    assert (moved.counts.posts_created, moved.counts.posts_updated, moved.counts.posts_unchanged) == (0, 1, 2)


def test_within_one_import_the_later_files_time_of_a_post_wins(tmp_path: Path) -> None:
    first = write(tmp_path / "a.csv", POSTS)
    second = write(tmp_path / "b.csv", POSTS_HEADER + "长沙,湖南,长沙发布,发布,市,A1,2012-04-01 09:00,改,是,5,5,5\n")

    posts_import(paths=[first, second])

    assert list(Post.objects.filter(post_id="A1").values_list("posted_at", "text")) == [
        (datetime(2012, 4, 1, 9, 0, tzinfo=CHINA), "改")]
    assert Post.objects.count() == 3


def test_an_existing_account_takes_the_files_city_and_category_as_in_snapshot_imports(tmp_path: Path) -> None:
    account = GovAccountFactory(screen_name="长沙发布", category="police")

    posts_import(paths=[write(tmp_path / "posts.csv", POSTS)])

    account.refresh_from_db()
    assert (account.category, account.city.name) == ("press", "长沙")
    assert set(Post.objects.filter(post_id__in=["A1", "A2"]).values_list("account_id", flat=True)) == {account.pk}


def test_a_dry_run_counts_what_it_would_write_and_writes_nothing(tmp_path: Path) -> None:
    result = posts_import(paths=[write(tmp_path / "posts.csv", POSTS)], dry_run=True)

    assert (result.dry_run, result.counts.posts_created, result.accounts_created, result.record) == (True, 3, 2, None)
    assert not (Post.objects.exists() or GovAccount.objects.exists() or PostImport.objects.exists())
