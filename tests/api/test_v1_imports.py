"""Uploading a snapshot file over the API: the upload page's import job, its status URL, line-numbered
problems in the request's language, permissions."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ImportJob, Snapshot
from tests.api.conftest import token_headers

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
HEADER = "city,province,account,category,level,period,fans,posts,original_posts,reposts,comments,likes,replies\n"
GOOD = HEADER + "长沙,湖南,长沙警事,police,city,2012-03,120000,300,200,5000,4000,9000,150\n"
BAD = GOOD + "长沙,湖南,长沙发布,press,city,2012-03,-3,300,200,5000,4000,9000,150\n"


@pytest.fixture(autouse=True)
def inline_jobs(settings, tmp_path, monkeypatch):
    from govweibo.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    settings.GOVWEIBO_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    def post(text: str, *, name: str = "march.csv", headers: dict | None = None, **fields: object):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/api/v1/imports/", {"file": SimpleUploadedFile(name, text.encode()), **fields},
                               **(headers or {}))
    return post


def test_an_importer_uploads_a_file_and_gets_202_with_the_jobs_status_url(client, upload, analyst):
    headers = token_headers(analyst)

    response = upload(GOOD, headers=headers)

    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/imports/{job.pk}/"
    status = client.get(response["Location"], **headers).json()
    assert (status["status"], status["rows_done"], status["snapshots_created"], status["created_by"]) == (
        "done", 1, 1, "analyst")
    assert status["links"]["page"] == f"http://testserver/accounts/import/jobs/{job.pk}/"
    assert Snapshot.objects.get().fans == 120000


def test_a_bad_file_fails_naming_line_and_column_in_the_requests_language(client, upload, analyst):
    headers = token_headers(analyst)
    job_url = upload(BAD, headers=headers)["Location"]

    english = client.get(job_url, **headers, **ENGLISH).json()
    chinese = client.get(job_url, **headers).json()

    assert (english["status"], english["problem_count"]) == ("failed", 1)
    [problem] = english["problems"]
    assert (problem["line"], problem["column"]) == (3, "fans") and "negative" in problem["message"]
    assert "负数" in chinese["problems"][0]["message"]
    assert english["error"] == "The file was rejected with 1 problem(s); nothing was imported."
    assert not Snapshot.objects.exists()  # all or nothing: the good first row is not imported either


def test_a_dry_run_checks_the_file_and_writes_nothing(client, upload, analyst):
    response = upload(GOOD, headers=token_headers(analyst), dry_run="true")

    assert response.status_code == 202
    assert ImportJob.objects.get().dry_run is True and not Snapshot.objects.exists()


def test_a_file_of_the_wrong_type_or_no_file_is_a_400_naming_the_field(client, upload, analyst):
    headers = {**token_headers(analyst), **ENGLISH}

    wrong = upload(GOOD, name="march.pdf", headers=headers)
    missing = client.post("/api/v1/imports/", {}, **headers)
    as_json = client.post("/api/v1/imports/", {"file": "x"}, content_type="application/json", **headers)

    assert wrong.status_code == 400
    assert wrong.json()["error"]["details"] == {"file": ["“march.pdf” is not a .csv, .txt or .xlsx file."]}
    assert missing.status_code == 400 and list(missing.json()["error"]["details"]) == ["file"]
    assert as_json.status_code == 415 and as_json.json()["error"]["code"] == "unsupported_media_type"
    assert not ImportJob.objects.exists()


def test_uploading_needs_the_import_permission(client, upload, staff, runner):
    anonymous = upload(GOOD)
    by_staff = upload(GOOD, headers=token_headers(staff))
    by_runner = upload(GOOD, headers={**token_headers(runner), **ENGLISH})

    assert anonymous.status_code == 401
    assert by_staff.status_code == by_runner.status_code == 403
    assert "Can import snapshot files" in by_runner.json()["error"]["message"]
    assert not ImportJob.objects.exists()


def test_a_job_is_seen_by_its_uploader_and_importers_only(client, upload, analyst, staff, admin_user_):
    job_url = upload(GOOD, headers=token_headers(analyst))["Location"]
    ImportJob.objects.create(file_name="someone-elses.csv", created_by=User.objects.create_user("other"))

    assert client.get(job_url).status_code == 401
    assert client.get(job_url, **token_headers(staff)).status_code == 404
    assert client.get(job_url, **token_headers(admin_user_)).status_code == 200
    mine = client.get("/api/v1/imports/", **token_headers(analyst)).json()["results"]
    assert {row["file_name"] for row in mine} == {"march.csv", "someone-elses.csv"}  # an importer sees all
    assert client.get("/api/v1/imports/", **token_headers(staff)).json()["results"] == []


def test_the_job_list_needs_the_same_few_queries_however_many_jobs(client, analyst, django_assert_max_num_queries):
    headers = token_headers(analyst)
    for number in range(25):
        ImportJob.objects.create(file_name=f"{number}.csv", created_by=User.objects.create_user(f"u{number}"))
    # token (with its owner), its last use, the permissions (user, groups), count, page (uploaders joined)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/imports/", **headers).json()["count"] == 25
