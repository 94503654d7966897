"""The demo tests' fixtures: English command output, and the demo built once for a module.

setup_demo imports 10,845 snapshots, scores three periods and publishes an award round: seconds each time.
The tests that only start from the finished demo (tests/demo/test_demo_built.py) share one build,
`demo_built`, instead of running it each.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from tests.demo.commands import setup_demo, speak_english


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands of this test speak English (speak_english)."""
    speak_english(monkeypatch)


@pytest.fixture(scope="module")
def demo_built(django_db_setup: None, django_db_blocker) -> Iterator[str]:
    """setup_demo run once, in English, on the empty test database; yields what it printed.

    The build is held in a transaction opened here and rolled back when the module ends, so no other
    module ever sees the demo. Each test of the module (pytest-django's `db`) runs in a savepoint inside
    it that is rolled back after the test: every test starts from the same freshly built demo, whatever
    the order, and changes nothing for the next. Only for non-transactional tests: a transactional test
    (live_server, transactional_db) commits and flushes, and must build its own demo.
    """
    with django_db_blocker.unblock():
        build = transaction.atomic()
        build.__enter__()
    try:
        with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
            speak_english(patch)
            output = setup_demo()
        yield output
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            build.__exit__(None, None, None)
