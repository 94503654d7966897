"""The upload page hands the import to a real Celery worker over Redis, on PostgreSQL.

The test holds locks that stop the worker's import at known points: first at its start (the page has
answered; the job is claimed), then at its commit, when every row is validated and written inside the
worker's transaction: the job's progress is visible to others meanwhile, the rows are not.
"""
from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection

from accounts.importing.writing.postgres import IMPORT_LOCK
from accounts.models import ImportJob, Snapshot, SnapshotImport
from tests.accounts.import_files import generated_csv, server_session

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def _wait_for(predicate, *, worker, seconds: float = 120, what: str = ""):
    deadline = time.monotonic() + seconds
    while not (value := predicate()):
        if time.monotonic() > deadline:
            worker.log.seek(0)
            pytest.fail(f"timed out waiting for {what}; worker log:\n{worker.log.read().decode()[-3000:]}")
        time.sleep(0.1)
    return value


@pytest.mark.slow
def test_the_upload_page_answers_at_once_and_a_real_worker_imports_the_file_showing_progress(
    celery_workers, client, settings, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("holds a PostgreSQL table lock to stop the worker at a known point")
    settings.GOVWEIBO_IMPORT_DIR = tmp_path / "imports"
    worker = celery_workers(GOVWEIBO_IMPORT_DIR=str(settings.GOVWEIBO_IMPORT_DIR))
    analyst = User.objects.create_user("analyst", password="pw-for-tests-only")
    analyst.user_permissions.add(Permission.objects.get(codename="import_snapshots"))
    client.force_login(analyst)
    path = generated_csv(tmp_path / "big.csv")  # 150,000 rows
    blocker = server_session()
    blocker.autocommit = False
    cursor = blocker.cursor()
    cursor.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK])  # a session lock: the import waits at its start
    blocker.commit()
    try:
        with path.open("rb") as upload:
            response = client.post("/accounts/import/", {"file": upload})

        job = ImportJob.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/accounts/import/jobs/{job.pk}/"
        assert not job.finished  # the page answered; the import cannot have ended
        status_url = response["Location"] + "status.json"
        _wait_for(lambda: client.get(status_url).json()["status"] == "validating", worker=worker,
                  what="the worker to claim the job")
        # Now let the import run up to its commit, where the deferred check of the import record's user
        # waits for this row lock: every row is written by then, inside the worker's transaction.
        cursor.execute("SELECT id FROM auth_user WHERE id = %s FOR UPDATE", [analyst.pk])
        cursor.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK])
        writing = _wait_for(lambda: (status := client.get(status_url).json())["status"] == "writing" and status,
                            worker=worker, what="the job to reach the writing stage")
        assert writing["progress"] == 90 and writing["rows_done"] >= 100_000 and not writing["finished"]
        time.sleep(0.5)
        assert not Snapshot.objects.exists()  # written inside the worker's transaction, not committed yet
    finally:
        blocker.rollback()  # the worker's import goes on
        blocker.close()
    done = _wait_for(lambda: (status := client.get(status_url).json())["finished"] and status,
                     worker=worker, what="the job to finish")

    assert (done["status"], done["progress"], done["rows_done"]) == ("done", 100, 150_000)
    assert Snapshot.objects.count() == 150_000
    job.refresh_from_db()
    assert job.result == SnapshotImport.objects.get() and job.attempts == 1
    assert list(settings.GOVWEIBO_IMPORT_DIR.iterdir()) == []
    assert "已从“big.csv”导入 150000 行" in client.get(response["Location"]).content.decode()
