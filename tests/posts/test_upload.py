"""The upload page takes every kind of file: posts, replies and weibo-crawler files go to the post import and
snapshot files to accounts' import, told apart by their headers in the job's task (inline here, as with no
REDIS_URL; test_upload_worker.py runs a real worker)."""
from __future__ import annotations

import codecs

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ImportJob, Snapshot, SnapshotImport
from posts.models import Post, PostImport, Reply
from tests.factories import GovAccountFactory
from tests.posts.files import POST_HEADERS, POSTS_HEADER, crawled_post

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/accounts/import/"
POSTS = POSTS_HEADER + "长沙,湖南,长沙发布,发布,市,A1,2012-04-01 00:30,早,1,1,2,3\n"
SNAPSHOTS = ("city,province,account,category,level,period,fans,posts,original_posts,reposts,comments,likes,replies\n"
             "长沙,湖南,长沙警事,police,city,2012-03,120000,300,200,5000,4000,9000,150\n")


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path, monkeypatch):
    from govweibo.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    settings.GOVWEIBO_IMPORT_DIR = tmp_path / "imports"
    return settings.GOVWEIBO_IMPORT_DIR


@pytest.fixture
def importer(client) -> User:
    user = User.objects.create_user("analyst", password="pw-for-tests-only")
    user.user_permissions.add(Permission.objects.get(codename="import_snapshots"))
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    def post(name: str, body: bytes, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, body), **fields})
        return response, (client.get(response["Location"]) if response.status_code == 302 else None)

    return post


def test_the_page_explains_post_and_reply_files_and_links_their_templates(client, importer) -> None:
    html = client.get(UPLOAD_URL).content.decode()

    assert "/accounts/import/posts-template.csv" in html and "/accounts/import/replies-template.csv" in html
    assert "/accounts/import/template.csv" in html  # the snapshot template still
    assert "<code>posted_at</code>" in html and "<code>提问时间</code>" in html
    assert 'accept=".csv,.txt,.xlsx,.jsonl,.ndjson"' in html


def test_the_templates_hold_the_chinese_headers_after_a_byte_order_mark(client, importer) -> None:
    posts = client.get("/accounts/import/posts-template.csv")
    replies = client.get("/accounts/import/replies-template.csv")

    assert posts["Content-Disposition"] == 'attachment; filename="govweibo_posts_template.csv"'
    assert posts.content == codecs.BOM_UTF8 + "城市,省份,账号,平台,类别,级别,微博ID,发布时间,内容,原创,转发数,评论数,点赞数,媒体\r\n".encode()
    assert replies.content.decode("utf-8-sig").strip() == "城市,省份,账号,平台,类别,级别,提问时间,提问内容,回复时间,回复内容,微博ID"


def test_a_posts_file_becomes_a_job_of_the_post_import(importer, upload, import_dir) -> None:
    response, page = upload("posts.csv", POSTS.encode())

    job = ImportJob.objects.get()
    assert response["Location"] == f"/accounts/import/jobs/{job.pk}/"
    assert (job.status, job.rows_done, job.accounts_created, job.result) == ("done", 1, 1, None)
    assert Post.objects.get().post_id == "A1" and not Snapshot.objects.exists()
    record = PostImport.objects.get()
    assert (record.source, record.created_by, record.file_name) == ("upload", importer, "posts.csv")
    assert ("Imported 1 row of “posts.csv”: posts: 1 created, 0 updated, 0 unchanged; replies: 0 created, 0 updated, "
            "0 unchanged; 1 new accounts, 1 new cities.") in page.content.decode()
    assert list(import_dir.iterdir()) == []


def test_a_snapshot_file_still_goes_to_the_snapshot_import(importer, upload) -> None:
    _response, page = upload("march.csv", SNAPSHOTS.encode())

    job = ImportJob.objects.get()
    assert (job.status, job.snapshots_created, job.result) == ("done", 1, SnapshotImport.objects.get())
    assert not Post.objects.exists()
    assert "1 snapshots created" in page.content.decode()


def test_a_crawler_posts_file_finds_its_account_by_the_uid_in_its_name(importer, upload) -> None:
    account = GovAccountFactory(uid="1234567890")
    body = ",".join(POST_HEADERS) + "\r\n" + ",".join(
        str(cell) for cell in crawled_post(3440000000000001, "2012-05-02T08:00:00", "一条")) + "\r\n"

    upload("1234567890.csv", codecs.BOM_UTF8 + body.encode())

    assert Post.objects.get().account == account and ImportJob.objects.get().status == "done"


def test_a_bad_posts_file_fails_its_job_with_its_problems_and_writes_nothing(importer, upload) -> None:
    _response, page = upload("posts.csv", POSTS.replace("早,1,1,2,3", "早,1,1,2,many").encode())

    job = ImportJob.objects.get()
    assert (job.status, job.problem_count) == ("failed", 1)
    assert [(problem["line"], problem["column"]) for problem in page.context["problems"]] == [(2, "点赞数")]
    assert not (Post.objects.exists() or Reply.objects.exists() or PostImport.objects.exists())


def test_json_lines_are_accepted_and_other_files_refused_by_the_form(client, importer, upload) -> None:
    line = ('{"city": "长沙", "province": "湖南", "account": "长沙发布", "category": "press", "level": "city", '
            '"asked_at": "2012-04-01 09:00", "question": "在吗", "replied_at": null, "reply": null}\n')
    upload("replies.jsonl", line.encode())
    assert Reply.objects.get().question == "在吗"

    response = client.post(UPLOAD_URL, {"file": SimpleUploadedFile("posts.pdf", b"%PDF")})
    assert response.status_code == 200
    assert "“posts.pdf” is not a .csv, .txt, .xlsx or .jsonl file." in response.content.decode()
