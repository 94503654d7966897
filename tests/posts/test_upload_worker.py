"""The upload page hands a posts file to a real Celery worker over Redis, which routes it by its headers to
the post import and writes it into the monthly partitions (PostgreSQL)."""
from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ImportJob
from posts.models import Post, PostImport
from tests.posts.files import POSTS_HEADER

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def test_a_real_worker_imports_an_uploaded_posts_file(celery_workers, client, settings, tmp_path) -> None:
    settings.GOVWEIBO_IMPORT_DIR = tmp_path / "imports"
    worker = celery_workers(GOVWEIBO_IMPORT_DIR=str(settings.GOVWEIBO_IMPORT_DIR))
    user = User.objects.create_user("analyst", password="pw-for-tests-only")
    user.user_permissions.add(Permission.objects.get(codename="import_snapshots"))
    client.force_login(user)
    body = POSTS_HEADER + "".join(f"长沙,湖南,长沙发布,发布,市,W{n},2012-0{n % 3 + 4}-01 00:30,第{n}条,1,{n},0,0\n"
                                  for n in range(30))

    response = client.post("/accounts/import/", {"file": SimpleUploadedFile("posts.csv", body.encode())})

    job = ImportJob.objects.get()
    assert response["Location"] == f"/accounts/import/jobs/{job.pk}/"
    deadline = time.monotonic() + 60
    while not (status := client.get(response["Location"] + "status.json").json())["finished"]:
        if time.monotonic() > deadline:
            worker.log.seek(0)
            pytest.fail(f"the job did not finish; worker log:\n{worker.log.read().decode()[-3000:]}")
        time.sleep(0.1)
    assert (status["status"], status["progress"], status["rows_done"]) == ("done", 100, 30)
    assert Post.objects.count() == 30 and PostImport.objects.get().created_by == user
    job.refresh_from_db()
    assert job.attempts == 1 and "30 created" in job.summary["en"] and "新增 30 条" in job.summary["zh-hans"]
    assert list(settings.GOVWEIBO_IMPORT_DIR.iterdir()) == []
