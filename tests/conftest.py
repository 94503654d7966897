"""Shared test fixtures.

CI runs the suite twice: on PostgreSQL + Redis (DATABASE_URL, REDIS_URL set) and on the embedded
default (SQLite, eager Celery). Tests that need the real services are marked and skipped only where
the service is not configured; with GOVWEIBO_REQUIRE_SERVICES=1 (set by .ci/run) a missing service
fails instead of skipping, so CI can never pass by skipping.
"""
from __future__ import annotations

import os
import shutil

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection

REQUIRE_SERVICES = os.environ.get("GOVWEIBO_REQUIRE_SERVICES") == "1"


def _skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _service_markers(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-only behaviour; DATABASE_URL is not set")
    if request.node.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL")
    if request.node.get_closest_marker("browser") and not shutil.which("chromium"):
        _skip_or_fail("chromium is not installed (apt-get install -y chromium)")


@pytest.fixture
def celery_workers(transactional_db):
    """Start real Celery worker processes on the Redis broker, using this test run's database.

    Returns start(**env) -> Popen; each worker consumes a queue private to this test (all workers of
    one test share it, so a second worker can take over a dead one's tasks), and a stray worker
    elsewhere on the machine cannot take them. `env` adds environment variables for that worker.
    Workers still alive at the end are stopped.
    """
    import subprocess
    import sys
    import time
    import uuid
    from pathlib import Path

    from django.conf import settings

    from govweibo.celery import app

    if not os.environ.get("REDIS_URL"):
        _skip_or_fail("needs REDIS_URL")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    processes: list[subprocess.Popen] = []
    db = connection.settings_dict

    def start(**extra_env: str) -> subprocess.Popen:
        import tempfile

        name = f"{queue}-{len(processes)}@localhost"
        # A file, not a pipe: a pipe nobody reads fills up and blocks the worker's logging.
        log = tempfile.TemporaryFile()
        env = {**os.environ, "GOVWEIBO_CELERY_QUEUE": queue, **extra_env}  # subtasks stay on the queue too
        if connection.vendor == "postgresql":
            env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "govweibo", "worker", "--pool=solo", "-Q", queue,
             "-n", name, "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=Path(settings.BASE_DIR), env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        process.log = log
        processes.append(process)
        deadline = time.monotonic() + 30
        while not app.control.ping(destination=[name], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"the Celery worker did not start: {log.read().decode()[-2000:]}")
        return process

    app.conf.task_default_queue = queue
    try:
        yield start
    finally:
        app.conf.task_default_queue = "celery"
        for process in processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


@pytest.fixture
def celery_worker_process(celery_workers):
    """One real Celery worker (see celery_workers)."""
    return celery_workers()


@pytest.fixture
def runner() -> User:
    """A user with the permission “Can start score runs” (and nothing else)."""
    user = User.objects.create_user("runner", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="run_scores"))
    return user


@pytest.fixture(autouse=True)
def _api_cache_empty() -> None:
    """The API keeps published answers and run stamps in the cache (api/caching.py). Test databases reuse
    ids from test to test, so each test starts with an empty cache (a run #1 of an earlier test is not this
    test's run #1)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """New passwords are hashed with MD5 in tests (Django's advice for a faster suite), not with PBKDF2's
    million rounds: about 0.5 s a hash, over 2 s on a busy machine, and an award page test makes a dozen
    users. No test is about the hash's strength; production keeps Django's default hashers, which stay
    listed here so a hash made by them still checks."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _api_unthrottled(settings) -> None:
    """The API's request rates are off in tests: the whole suite calls it from one address within a minute.

    tests/test_security.py turns them back on where it tests them.
    """
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
