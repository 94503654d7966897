"""weibo-crawler's output imported as it is: a `<screen name>/` folder with `<uid>.csv` (BOM, tabbed ids,
short rows for original posts, a re-run appended) and the comment files that repeat the same comments."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone, translation

from core.tables.errors import ImportFailed
from posts.importing.askers import asker_hash
from posts.models import CHINA, Post, PostImport, Reply
from posts.services import posts_import
from tests.factories import GovAccountFactory
from tests.posts.files import comment, crawled_post, crawler_comment_files, crawler_posts_file

pytestmark = pytest.mark.django_db

UID, NAME = "1234567890", "长沙警事"
P1, P2, P3 = 3440000000000001, 3440000000000002, 3440000000000003


def china(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=CHINA)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The folder of 长沙警事 as the crawler leaves it after two runs."""
    folder = tmp_path / "weibo" / NAME
    crawler_posts_file(folder, UID, [
        crawled_post(P1, "2012-05-02T08:00:00", "【交通管制】五一路今晚封闭", likes=5, comments=4, reposts=1,
                     images="https://wx1.sinaimg.cn/large/a.jpg"),
        crawled_post(P2, "2012-04-01T00:30:00", "转发微博", video="https://video.weibo.com/1", repost_of=3430000000000000),
        crawled_post(P3, "2012-05-03T10:00:00", "头条文章", article="https://weibo.com/ttarticle/p/show?id=1"),
    ])
    # The second run appends: P1 again, with the counts it has by then.
    crawler_posts_file(folder, UID, [crawled_post(P1, "2012-05-02T08:00:00", "【交通管制】五一路今晚封闭", likes=9,
                                                  comments=6, reposts=2, images="https://wx1.sinaimg.cn/large/a.jpg")],
                       append=True)
    crawler_comment_files(folder, NAME, [
        comment(9001, P1, "May 02 09:00:00", "市民甲", "请问管制到几点？"),
        comment(9009, P1, "May 02 09:05:00", NAME, "回复@市民乙:稍等"),  # before 市民乙 asks: answers nothing
        comment(9002, P1, "May 02 09:30:00", NAME, "回复@市民甲:到晚上十点"),
        comment(9003, P1, "May 02 09:40:00", "市民乙", "没人管吗"),
        comment(9004, P1, "May 02 10:00:00", "市民丙", "回复@市民甲:我也想知道"),  # a citizen's reply: no question
        comment(9005, P1, "May 02 10:30:00", NAME, "感谢关注"),  # the account's, not an answer
        comment(9006, P1, "May 02 11:00:00", "市民甲", "还有别的路吗"),
        comment(9007, P1, "May 02 12:00:00", NAME, "回复@市民甲：走二环"),  # full-width colon
        comment(9008, P3, "May 03 10:10:00", "市民乙", "文章在哪"),
        comment(9010, P3, "May 03 10:20:00", NAME, "回复@市民乙:见原文链接"),  # answers on P3 only
    ])
    return folder


def _replies() -> list[tuple]:
    return [(timezone.localtime(reply.asked_at, CHINA).strftime("%m-%d %H:%M"), reply.question,
             reply.replied_at and timezone.localtime(reply.replied_at, CHINA).strftime("%m-%d %H:%M"), reply.reply,
             reply.post_id) for reply in Reply.objects.order_by("asked_at")]


def test_a_crawler_folder_imports_its_posts_and_the_questions_and_answers_of_its_comments(folder: Path) -> None:
    account = GovAccountFactory(screen_name=NAME)

    result = posts_import(paths=[folder])

    posts = {post.post_id: post for post in Post.objects.all()}
    assert sorted(posts) == [str(P1), str(P2), str(P3)]  # ids whole, without their tab
    assert {post.account_id for post in posts.values()} == {account.pk}
    # 日期 is China time: P2 at 00:30 on 1 April is 16:30 UTC on 31 March.
    assert posts[str(P2)].posted_at == china("2012-04-01 00:30")
    assert (posts[str(P1)].likes, posts[str(P1)].comments, posts[str(P1)].reposts) == (9, 6, 2)  # the re-run's row
    assert [(posts[str(p)].original, posts[str(p)].media) for p in (P1, P2, P3)] == [
        (True, "image"), (False, "video"), (True, "article")]
    assert _replies() == [
        ("05-02 09:00", "请问管制到几点？", "05-02 09:30", "回复@市民甲:到晚上十点", str(P1)),
        ("05-02 09:40", "没人管吗", None, "", str(P1)),
        ("05-02 11:00", "还有别的路吗", "05-02 12:00", "回复@市民甲：走二环", str(P1)),
        ("05-03 10:10", "文章在哪", "05-03 10:20", "回复@市民乙:见原文链接", str(P3)),
    ]
    hashes = list(Reply.objects.order_by("asked_at").values_list("asker_hash", flat=True))
    assert hashes == [asker_hash("市民甲"), asker_hash("市民乙"), asker_hash("市民甲"), asker_hash("市民乙")]
    assert hashes[0] != hashes[1] and "市民" not in "".join(hashes) and len(hashes[0]) == 32
    # 4 post rows, 10 comments in the summary file and 8 + 2 in the per-post files (counted once for replies).
    assert (result.rows, result.files) == (24, 4)
    assert (result.counts.posts_created, result.counts.replies_created) == (3, 4)
    assert PostImport.objects.get().files == 4


def test_importing_the_folder_again_changes_nothing(folder: Path) -> None:
    GovAccountFactory(screen_name=NAME)
    posts_import(paths=[folder])
    before = list(Post.objects.order_by("pk").values()), list(Reply.objects.order_by("pk").values())

    again = posts_import(paths=[folder])

    assert (list(Post.objects.order_by("pk").values()), list(Reply.objects.order_by("pk").values())) == before
    counts = again.counts
    assert (counts.posts_created, counts.posts_updated, counts.posts_unchanged) == (0, 0, 3)
    assert (counts.replies_created, counts.replies_updated, counts.replies_unchanged) == (0, 0, 4)


def test_the_account_is_found_by_the_uid_of_the_posts_file_before_the_folder_name(folder: Path) -> None:
    GovAccountFactory(screen_name=NAME)  # the folder's name
    renamed = GovAccountFactory(screen_name="长沙公安", uid=UID)  # the uid: it wins

    posts_import(paths=[folder])

    assert set(Post.objects.values_list("account_id", flat=True)) == {renamed.pk}
    # The account answers under the folder's name (its name when crawled): its comments are still its own.
    assert Reply.objects.filter(replied_at__isnull=False).count() == 3


def test_files_given_one_by_one_are_grouped_by_their_folder(folder: Path) -> None:
    account = GovAccountFactory(screen_name=NAME)

    posts_import(paths=sorted(folder.iterdir()))

    assert Post.objects.filter(account=account).count() == 3 and Reply.objects.count() == 4


def test_an_unknown_account_is_refused_with_the_reason_and_nothing_is_written(folder: Path) -> None:
    GovAccountFactory(screen_name="别的账号")

    with pytest.raises(ImportFailed) as refused:
        posts_import(paths=[folder])

    with translation.override("zh-hans"):
        lines = refused.value.lines()
    assert lines == [
        f"{NAME}: 没有平台 uid 为 {UID} 或名称为“{NAME}”的账号：请先用快照文件导入该账号，或指明账号（import_posts --account ID）"]
    assert not (Post.objects.exists() or Reply.objects.exists() or PostImport.objects.exists())


def test_a_uid_shared_by_two_accounts_is_refused_and_account_settles_it(folder: Path) -> None:
    first, second = GovAccountFactory(uid=UID), GovAccountFactory(uid=UID)

    with pytest.raises(ImportFailed) as refused:
        posts_import(paths=[folder])
    with translation.override("zh-hans"):
        assert f"ID {first.pk}, {second.pk}" in refused.value.lines()[0]

    posts_import(paths=[folder], account_id=second.pk)
    assert set(Post.objects.values_list("account_id", flat=True)) == {second.pk}


def test_a_bad_crawler_row_is_reported_by_file_line_and_column(folder: Path) -> None:
    GovAccountFactory(screen_name=NAME)
    crawler_posts_file(folder, UID, [crawled_post(3440000000000009, "2012-05-0X", "坏日期")], append=True)

    with pytest.raises(ImportFailed) as refused:
        posts_import(paths=[folder])

    with translation.override("zh-hans"):
        lines = refused.value.lines()
    assert lines == [
        f"{UID}.csv: 第 6 行，日期 列：“2012-05-0X”不是时间；请写成 2012-04-01 08:30（北京时间）或带时区，如 "
        "2012-04-01T08:30:00+08:00"]
    assert not Post.objects.exists()
