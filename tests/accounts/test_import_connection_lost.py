"""Issue #8 item 12: the database connection dies in the middle of an import.

No mock: another PostgreSQL session terminates the import's backend (pg_terminate_backend) once the
import has begun writing inside its transaction. The command says what happened instead of printing a
traceback, the upload's job fails with that reason in the reader's language, and nothing is written.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.db import connection

from accounts.models import City, ImportJob, Snapshot, SnapshotImport
from accounts.services import import_job_start
from tests.accounts.import_files import generated_csv, import_backend_killed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _nothing_written() -> bool:
    return not (City.objects.exists() or Snapshot.objects.exists() or SnapshotImport.objects.exists())


def _command(path, *arguments: str) -> subprocess.CompletedProcess:
    """import_snapshots in a process of its own, on the test database, as an operator runs it."""
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    return subprocess.run([sys.executable, "manage.py", "import_snapshots", str(path), *arguments],
                          cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)


def test_the_command_says_the_connection_was_lost_and_nothing_was_imported_instead_of_a_traceback(tmp_path):
    path = generated_csv(tmp_path / "big.csv")

    with import_backend_killed() as killed:
        result = _command(path, "--lang", "en")

    assert killed, "the import's backend was never seen holding the import lock"
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    assert "The database connection was lost during the import; nothing was imported." in result.stderr
    assert _nothing_written()


def test_the_command_says_it_in_chinese_by_default(tmp_path):
    path = generated_csv(tmp_path / "big.csv")

    with import_backend_killed() as killed:
        result = _command(path, "--lang", "zh-hans")

    assert killed and result.returncode == 1
    assert "导入过程中与数据库的连接断开；未导入任何数据。" in result.stderr and "Traceback" not in result.stderr


def test_an_upload_job_fails_with_the_reason_in_the_readers_language_and_writes_nothing(
    tmp_path, settings, client, monkeypatch
):
    from govweibo.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)  # the task runs right here, as with no REDIS_URL
    settings.GOVWEIBO_IMPORT_DIR = tmp_path / "imports"
    analyst = User.objects.create_user("analyst", password="pw-for-tests-only")
    analyst.user_permissions.add(Permission.objects.get(codename="import_snapshots"))
    path = generated_csv(tmp_path / "big.csv")

    with import_backend_killed() as killed, path.open("rb") as source:
        job = import_job_start(source=source, file_name="big.csv", user=analyst)

    assert killed
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert job.error == {
        "zh-hans": "导入过程中与数据库的连接断开；未导入任何数据。",
        "en": "The database connection was lost during the import; nothing was imported.",
    }
    assert list(settings.GOVWEIBO_IMPORT_DIR.iterdir()) == []  # the stored upload is gone too
    assert _nothing_written()
    client.force_login(analyst)
    assert "导入过程中与数据库的连接断开" in client.get(f"/accounts/import/jobs/{job.pk}/").content.decode()
