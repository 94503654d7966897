"""A real browser for the browser tests: Debian's Chromium driven by Playwright's sync API.

Playwright cannot download its own browsers here (nor in CI), so the system Chromium is launched by
path. Each test gets a fresh profile directory under tmp_path: Playwright refuses a --user-data-dir
argument to launch() and wants it as launch_persistent_context's first parameter instead.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # containers and CI run as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No calls home: the tests must not depend on (or wait for) the network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A Chinese-speaking browser (Accept-Language zh-CN), as the site's users have."""
    yield from browser_context_open(tmp_path, monkeypatch, viewport={"width": 1280, "height": 900})


def browser_context_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> Iterator[object]:
    """browser_context's browser with other context options (a viewport, java_script_enabled=False…),
    for a test module's own fixture to yield from."""
    # The sync API runs an asyncio loop in this thread; Django would otherwise refuse ORM calls here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, locale="zh-CN",
            **options,
        )
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            context.close()
            # While Playwright's event loop counts as running, asgiref keeps Django's connections in
            # context-local storage, apart from the thread's usual ones: the test's ORM calls opened a
            # second connection that nothing else closes, and an open session would stop pytest-django
            # dropping the PostgreSQL test database.
            connections.close_all()
