"""manage.py import_posts: files and folders, --account, --dry-run, the summary and the problems it prints."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from posts.models import Post, PostImport, Reply
from tests.factories import GovAccountFactory
from tests.posts.files import (
    POSTS_HEADER,
    comment,
    crawled_post,
    crawler_comment_files,
    crawler_posts_file,
    write,
)

pytestmark = pytest.mark.django_db

POSTS = POSTS_HEADER + "长沙,湖南,长沙发布,发布,市,A1,2012-04-01 00:30,早,1,1,2,3\n"


def test_the_command_imports_files_and_a_crawler_folder_and_prints_what_it_did(tmp_path: Path, capsys) -> None:
    account = GovAccountFactory(screen_name="某县公安")
    folder = tmp_path / "crawled"  # named otherwise: --account settles whose files they are
    crawler_posts_file(folder, "42", [crawled_post(1, "2012-04-05T10:00:00", "一条")])
    crawler_comment_files(folder, "某县公安", [comment(7, 1, "Apr 05 10:05:00", "网友", "问一下")])

    call_command("import_posts", str(write(tmp_path / "posts.csv", POSTS)), str(folder), "--account", str(account.pk),
                 "--lang", "en")

    assert capsys.readouterr().out.strip() == (
        "Imported 4 rows of “posts.csv, crawled”: posts: 2 created, 0 updated, 0 unchanged; replies: 1 created, "
        "0 updated, 0 unchanged; 1 new accounts, 1 new cities.")
    assert Post.objects.filter(account=account).count() == 1 and Reply.objects.get().account == account
    record = PostImport.objects.get()
    assert (record.source, record.files, record.row_count, record.posts_created) == ("command", 4, 4, 2)


def test_a_dry_run_says_what_it_would_do_in_chinese_by_default(tmp_path: Path, capsys, monkeypatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)
    call_command("import_posts", str(write(tmp_path / "posts.csv", POSTS)), "--dry-run")

    assert capsys.readouterr().out.strip() == (
        "检查通过：“posts.csv”的 1 行均有效；导入将得到博文：新增 1 条，更新 0 条，未变 0 条；回复：新增 0 条，更新 0 条，"
        "未变 0 条；新账号 1 个，新城市 1 个。未写入任何数据。")
    assert not Post.objects.exists()


def test_a_rejected_import_prints_each_problem_with_its_file_and_fails(tmp_path: Path, capsys) -> None:
    good = write(tmp_path / "good.csv", POSTS)
    bad = write(tmp_path / "bad.csv", POSTS.replace("2012-04-01 00:30", "yesterday"))

    with pytest.raises(CommandError) as raised:
        call_command("import_posts", str(good), str(bad), "--lang", "en")

    assert str(raised.value) == "The file was rejected with 1 problem(s); nothing was imported."
    assert capsys.readouterr().err.splitlines() == [
        "bad.csv: line 2, column 发布时间: “yesterday” is not a time; write it as 2012-04-01 08:30 (China time) or "
        "with its offset, e.g. 2012-04-01T08:30:00+08:00"]
    assert not Post.objects.exists()


def test_a_missing_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="nothing.csv"):
        call_command("import_posts", str(tmp_path / "nothing.csv"), "--lang", "en")
