"""The upload's import job as a service: claiming, rerunning, failing, the stored file, the problems in
every language. The task runs inline here (as with no REDIS_URL); test_import_worker.py runs it on a
real worker."""
from __future__ import annotations

import io

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth.models import User

from accounts import services
from accounts.models import ImportJob, Snapshot, SnapshotImport
from accounts.tasks import snapshots_import_execute

pytestmark = pytest.mark.django_db

HEADER = "city,province,account,category,level,period,fans,posts,original_posts,reposts,comments,likes,replies\n"
GOOD = HEADER + "长沙,湖南,长沙警事,police,city,2012-03,120000,300,200,5000,4000,9000,150\n"
BAD = HEADER + "长沙,湖南,长沙警事,police,city,2012-03,-3,300,200,5000,4000,9000,150\n"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path, monkeypatch):
    from govweibo.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    settings.GOVWEIBO_IMPORT_DIR = tmp_path / "imports"
    return settings.GOVWEIBO_IMPORT_DIR


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """import_job_start on a CSV text; run=False keeps the job queued (its task is never sent)."""

    def start_job(text: str, *, run: bool = True, dry_run: bool = False) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=run):
            job = services.import_job_start(source=io.BytesIO(text.encode()), file_name="march.csv",
                                            user=User.objects.get_or_create(username="analyst")[0], dry_run=dry_run)
        job.refresh_from_db()
        return job

    return start_job


def test_starting_a_job_stores_the_file_and_queues_the_job_until_the_transaction_commits(start, import_dir):
    job = start(GOOD, run=False)

    assert (job.status, job.progress, job.file_name, job.file_size) == ("queued", 0, "march.csv", len(GOOD.encode()))
    stored = import_dir / job.stored_file
    assert stored.suffix == ".csv" and stored.read_text() == GOOD
    assert not Snapshot.objects.exists()


def test_the_job_imports_the_file_links_the_record_and_deletes_the_file(start, import_dir):
    job = start(GOOD)

    assert (job.status, job.progress, job.rows_done, job.snapshots_created, job.attempts) == ("done", 100, 1, 1, 1)
    assert job.result == SnapshotImport.objects.get() and job.result.source == "upload"
    assert job.started_at <= job.finished_at
    assert job.stored_file == "" and list(import_dir.iterdir()) == []


def test_a_finished_job_is_not_run_again(start):
    job = start(GOOD)

    assert services.snapshots_import_execute(job_id=job.pk, task_id=job.task_id) is None
    assert SnapshotImport.objects.count() == 1
    assert ImportJob.objects.get(pk=job.pk).attempts == 1


def test_a_redelivered_task_resumes_its_own_job_and_no_other_task_can_take_it(start):
    job = start(GOOD, run=False)
    # As a worker that died mid-import leaves it: claimed, its transaction rolled back with its connection.
    ImportJob.objects.filter(pk=job.pk).update(status="validating", attempts=1)

    assert services.snapshots_import_execute(job_id=job.pk, task_id="another-task") is None
    assert services.snapshots_import_execute(job_id=job.pk, task_id=job.task_id).status == "done"
    job.refresh_from_db()
    assert (job.status, job.attempts, Snapshot.objects.count()) == ("done", 2, 1)


def test_a_rejected_file_keeps_its_problems_in_every_language_and_writes_nothing(start, import_dir):
    job = start(BAD)

    assert (job.status, job.problem_count) == ("failed", 1)
    [problem] = job.problems
    assert (problem["line"], problem["column"]) == (2, "fans")
    assert set(problem["message"]) == {"zh-hans", "en"}
    assert "negative" in problem["message"]["en"] and "负数" in problem["message"]["zh-hans"]
    assert job.error["en"] == "The file was rejected with 1 problem(s); nothing was imported."
    assert not Snapshot.objects.exists() and not SnapshotImport.objects.exists()
    assert list(import_dir.iterdir()) == []


def test_a_dry_run_job_counts_what_it_would_write_and_writes_nothing(start):
    job = start(GOOD, dry_run=True)

    assert (job.status, job.dry_run, job.snapshots_created, job.result) == ("done", True, 1, None)
    assert not Snapshot.objects.exists()


def test_a_job_whose_file_is_gone_fails_saying_the_directory_must_be_shared(start, import_dir):
    job = start(GOOD, run=False)
    (import_dir / job.stored_file).unlink()  # a worker on another machine, without the shared directory

    job = services.snapshots_import_execute(job_id=job.pk, task_id=job.task_id)

    assert job.status == "failed"
    assert "GOVWEIBO_IMPORT_DIR" in job.error["en"] and "GOVWEIBO_IMPORT_DIR" in job.error["zh-hans"]
    assert job.error["en"] != job.error["zh-hans"]


def test_the_task_marks_its_job_failed_and_deletes_the_file_when_celery_gives_up(start, import_dir):
    job = start(GOOD, run=False)

    snapshots_import_execute.on_failure(SoftTimeLimitExceeded("time limit"), job.task_id, [job.pk], {}, None)

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error["en"] == "The import took more than 25 minutes and was stopped; nothing was imported."
    assert list(import_dir.iterdir()) == []


def test_failing_an_ended_job_changes_nothing(start):
    job = start(GOOD)

    services.snapshots_import_fail(job_id=job.pk, reason="late")

    assert ImportJob.objects.get(pk=job.pk).status == "done"


def test_import_jobs_are_listed_read_only_in_the_admin(client, start):
    job = start(GOOD)
    client.force_login(User.objects.create_superuser("root", password="pw-for-tests-only"))

    assert job.file_name in client.get("/admin/accounts/importjob/").content.decode()
    assert client.get("/admin/accounts/importjob/add/").status_code == 403
    page = client.get(f"/admin/accounts/importjob/{job.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
