"""The import job's status page in a real browser: its script follows the job to the end, and an upload
at phone width lands on it."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from accounts.models import ImportJob
from tests.browser.test_upload_flow import GOOD_ROWS, _csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 800}


@pytest.fixture(autouse=True)
def inline_tasks(monkeypatch, settings, tmp_path) -> None:
    from govweibo.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    settings.GOVWEIBO_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def analyst_page(live_server, browser_context):
    analyst = User.objects.create_user("analyst", password="pw-for-browser-test")
    analyst.user_permissions.add(Permission.objects.get(codename="import_snapshots"))
    page = browser_context.new_page()
    page.goto(f"{live_server.url}/accounts/import/")  # to the login form first
    page.get_by_label("用户名").fill("analyst")
    page.get_by_label("密码").fill("pw-for-browser-test")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/import/")
    page.analyst = analyst
    return page


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
@pytest.mark.slow
def test_the_job_page_moves_its_progress_bar_and_shows_the_result_when_the_job_ends(
    live_server, analyst_page, viewport
):
    page = analyst_page
    if viewport:
        page.set_viewport_size(viewport)
    job = ImportJob.objects.create(file_name="三月.csv", created_by=page.analyst, status="validating",
                                   progress=40, rows_done=1234)

    page.goto(f"{live_server.url}/accounts/import/jobs/{job.pk}/")
    assert page.locator("#job-status").inner_text() == "校验中"
    assert page.locator("#job-percent").inner_text() == "40%"
    assert page.locator("#job-rows").inner_text() == "1,234"
    assert _fits(page)

    # The task moves on: the page follows by itself (the script polls status.json).
    ImportJob.objects.filter(pk=job.pk).update(status="writing", progress=90, rows_done=150_000)
    page.wait_for_function("document.getElementById('job-percent').textContent === '90%'")
    assert page.locator("#job-status").inner_text() == "写入中"
    assert page.locator("#job-rows").inner_text() == "150,000"

    ImportJob.objects.filter(pk=job.pk).update(status="done", progress=100, rows_done=3, snapshots_created=3,
                                               accounts_created=3, cities_created=2)
    summary = page.locator("#job-summary")
    summary.wait_for()  # the page reloaded itself once the job ended
    assert "已从“三月.csv”导入 3 行" in summary.inner_text()
    assert page.locator("#job-status").inner_text() == "完成"
    assert page.locator("#job-progress").count() == 0
    assert _fits(page)


def test_an_upload_at_phone_width_lands_on_its_job_page_done(live_server, analyst_page):
    page = analyst_page
    page.set_viewport_size(PHONE)

    page.set_input_files("input[type=file]", _csv("三月.csv", GOOD_ROWS))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_url("**/accounts/import/jobs/*/")

    assert page.locator("#job-status").inner_text() == "完成"
    assert "导入 3 行" in page.locator("#job-summary").inner_text()
    assert _fits(page)
    page.screenshot(path="/tmp/import-job-phone.png", full_page=True)

    # Back on the upload page, the recent uploads and imports (nine columns) scroll inside their boxes.
    page.get_by_role("link", name="上传另一个文件").click()
    page.wait_for_url("**/accounts/import/")
    assert page.locator("#recent-imports td").first.is_visible()
    assert _fits(page)
