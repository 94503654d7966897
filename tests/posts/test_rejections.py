"""Hostile and mistaken post files are refused whole: every problem by line and column, nothing written (also
what earlier chunks of the file, or earlier files of the import, had written), the shared reader's bounds."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import translation

from accounts.models import City, GovAccount
from core.tables.errors import ImportFailed
from posts.importing import plan_import, run_posts_import
from posts.models import Post, PostImport, Reply
from posts.services import posts_import
from tests.posts.files import POSTS_HEADER, REPLIES_HEADER, write

pytestmark = pytest.mark.django_db

GOOD = "长沙,湖南,长沙发布,发布,市,G{n},2012-04-0{day} 08:00,好,1,1,1,1\n"


@pytest.fixture
def earlier(tmp_path: Path) -> tuple[int, ...]:
    """A good import before: a refused file must leave it as it is."""
    posts_import(paths=[write(tmp_path / "good.csv", POSTS_HEADER + GOOD.format(n=0, day=1))])
    return _counts()


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (City, GovAccount, Post, Reply, PostImport))


def _refused(*paths: Path, **options) -> list[str]:
    with translation.override("en"), pytest.raises(ImportFailed) as refused:
        posts_import(paths=list(paths), **options)
    with translation.override("en"):
        return refused.value.lines()


def test_every_bad_cell_is_reported_by_line_and_column_and_nothing_is_written(tmp_path, earlier) -> None:
    body = POSTS_HEADER + (
        "长沙,火星,长沙发布,发布,市,B1,2012-04-01 08:00,x,1,1,1,1\n"
        "长沙,湖南,长沙发布,发布,市,B 2,2012-13-01 08:00,x,也许,-1,3000000000,1.5\n"
        "长沙,湖南,长沙发布,发布,市,B3,1999-12-31 23:00,x,1,1,1,1\n"
        "长沙,湖南,长沙发布,发布,市,,2102-01-01 00:00,x,1,1,1,\n"
    )
    lines = _refused(write(tmp_path / "bad.csv", body))

    assert lines[0].startswith("line 2, column 省份: “火星” is not one of China's 34 province-level divisions")
    assert lines[1:] == [
        "line 3, column 微博ID: “B 2” is not a post id: it holds spaces",
        "line 3, column 发布时间: “2012-13-01 08:00” is not a time; write it as 2012-04-01 08:30 (China time) or with "
        "its offset, e.g. 2012-04-01T08:30:00+08:00",
        "line 3, column 原创: “也许” is not a known original value; use one of: 1 / 是 / true / 原创, 0 / 否 / false / 转发",
        "line 3, column 转发数: “-1” is negative; counts must be 0 or more",
        "line 3, column 评论数: “3000000000” is too large for a count of reposts, comments or likes",
        "line 3, column 点赞数: “1.5” is not a whole number; counts cannot have a fractional part",
        "line 4, column 发布时间: “1999-12-31 23:00” is before 2000 or in the future; check the year",
        "line 5, column 微博ID: this cell is empty; a value is required",
        "line 5, column 发布时间: “2102-01-01 00:00” is before 2000 or in the future; check the year",
        "line 5, column 点赞数: this cell is empty; a value is required",
    ]
    assert _counts() == earlier


def test_a_repeated_post_and_a_conflicting_account_name_their_first_line(tmp_path, earlier) -> None:
    body = POSTS_HEADER + GOOD.format(n=1, day=1) + GOOD.format(n=2, day=2) + GOOD.format(n=1, day=3) + (
        "长沙,湖南,长沙发布,公安,市,G4,2012-04-04 08:00,x,1,1,1,1\n")
    assert _refused(write(tmp_path / "twice.csv", body)) == [
        "line 4, column 微博ID: the post “G1” is already on line 2; a post has one row in a file",
        "line 5, column 类别: the account “长沙发布” has 类别 “police” here but “press” on line 2; an account has one "
        "city, category and level in a file",
    ]
    assert _counts() == earlier


def test_a_problem_in_a_later_chunk_undoes_what_the_earlier_chunks_wrote(tmp_path, earlier) -> None:
    body = POSTS_HEADER + "".join(GOOD.format(n=n, day=n % 9 + 1) for n in range(1, 7)) + (
        "新城,湖南,新账号,发布,市,Z1,2012-04-09 08:00,x,1,1,1,oops\n")
    plan = plan_import([(write(tmp_path / "late.csv", body), "late.csv")])

    with translation.override("en"), pytest.raises(ImportFailed) as refused:
        run_posts_import(plan=plan, origin="command", chunk_rows=2)  # three chunks written before the bad one

    with translation.override("en"):
        assert refused.value.lines() == ["line 8, column 点赞数: “oops” is not a number; counts are whole numbers such "
                                         "as 1234 or 1,234"]
    assert _counts() == earlier


def test_a_bad_file_among_several_names_its_file_and_the_good_ones_are_not_written(tmp_path, earlier) -> None:
    good = write(tmp_path / "more.csv", POSTS_HEADER + GOOD.format(n=5, day=5))
    bad = write(tmp_path / "replies.csv", REPLIES_HEADER + "长沙,湖南,长沙发布,press,city,2012-04-01 09:00,问,"
                                                          "2012-04-01 08:00,答,\n")
    assert _refused(good, bad) == [
        "replies.csv: line 2, column replied_at: the reply time 2012-04-01 08:00:00 is before the question's time"]
    assert _counts() == earlier


def test_a_reply_without_its_time_is_refused(tmp_path, earlier) -> None:
    bad = write(tmp_path / "replies.csv", REPLIES_HEADER + "长沙,湖南,长沙发布,press,city,2012-04-01 09:00,问,,答,\n")
    assert _refused(bad) == [
        "line 2, column replied_at: a reply needs its time (回复时间), and a reply time its reply (回复内容)"]


@pytest.mark.parametrize(("text", "expected"), [
    ("", "the file is empty"),
    (POSTS_HEADER, "the file has a header but no data rows"),
    ("城市,省份,账号,类别,级别,发布时间\n长沙,湖南,a,发布,市,2012-04-01\n",
     "line 1: the required column “post_id” is missing; accepted headers for it: post_id, 微博ID"),
    ("city,province,account\n长沙,湖南,a\n", "line 1: this is not a file of posts or replies: its headers name neither "
                                          "posted_at (发布时间) nor asked_at (提问时间), and it is not a weibo-crawler file"),
    (POSTS_HEADER + '长沙,湖南,a,发布,市,"X1,2012\n', "the quoted value that starts on line 2 is never closed"),
    (POSTS_HEADER + "长沙," * 1500 + "\n", "line 2: this line has more than 1000 values"),
])
def test_broken_files_are_refused_with_the_readers_reason(tmp_path, earlier, text: str, expected: str) -> None:
    lines = _refused(write(tmp_path / "broken.csv", text))
    assert len(lines) >= 1 and expected in lines[0]
    assert _counts() == earlier


@pytest.mark.parametrize(("line", "expected"), [
    ('{"city": "长沙", "text": ["a"]}', "line 2, column text: the value of “text” is a list or an object"),
    ('{"city": "长沙"', "line 2: this line is not JSON: Expecting"),
    ('["长沙"]', "line 2: this line is not a JSON object"),
    ('{"city": "长沙", "extra": 1}', "line 2: the key “extra” is not among the keys of the first line"),
    ('{"city": ' + "[" * 100_000 + "]" * 100_000 + "}", "line 2: this line nests lists or objects too deeply"),
    ('{"city": NaN}', "line 2: this line is not JSON"),
])
def test_hostile_json_lines_are_refused_by_line(tmp_path, earlier, line: str, expected: str) -> None:
    first = {"city": "长沙", "province": "湖南", "account": "a", "category": "press", "level": "city", "post_id": "J1",
             "posted_at": "2012-04-01 08:00", "text": "", "original": 1, "reposts": 0, "comments": 0, "likes": 0}
    lines = _refused(write(tmp_path / "posts.jsonl", json.dumps(first) + "\n" + line + "\n"))
    assert lines[0].startswith(expected)
    assert _counts() == earlier


def test_a_json_line_past_the_bound_ends_the_reading_without_holding_it(tmp_path, earlier) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as out:
        out.write(b'{"posted_at": "2012-04-01", "text": "' + b"x" * (5 * 1024 * 1024) + b'"}\n')
    assert _refused(path) == [
        "line 1: this line is longer than 4 MB, far more than one row of a table needs; check that the file is JSON "
        "Lines, one object per line"]
    assert _counts() == earlier
