"""A staff member imports a spreadsheet through the upload page, in a real browser."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from accounts.models import Snapshot, SnapshotImport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/upload.png"
HEADER = "城市,省份,账号,类别,级别,统计周期,粉丝数,发博数,原创数,转发数,评论数,点赞数,回复数\n"
GOOD_ROWS = (
    "长沙,湖南,长沙警事,公安,市,2012-03,120000,300,200,5000,4000,9000,150\n"
    "长沙,湖南,长沙发布,发布,市,2012-03,80000,150,100,2000,1000,3000,20\n"
    "株洲,湖南,株洲交警,交警,市,2012-03,30000,90,60,700,500,800,0\n"
)
# Line 4 (the header is line 1): 原创数 410 is more than 发博数 90.
BAD_ROWS = GOOD_ROWS.replace(",90,60,", ",90,410,")


def _csv(name: str, rows: str) -> dict[str, object]:
    return {"name": name, "mimeType": "text/csv", "buffer": (HEADER + rows).encode("utf-8")}


@pytest.fixture(autouse=True)
def inline_tasks(monkeypatch, settings, tmp_path) -> None:
    """The import task runs inside the upload request, as with no REDIS_URL (also when the suite runs
    against Redis: tests/accounts/test_import_worker.py covers the worker)."""
    from govweibo.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    settings.GOVWEIBO_IMPORT_DIR = tmp_path / "imports"


@pytest.mark.slow
def test_staff_fix_a_rejected_file_import_it_and_read_the_page_in_english(live_server, browser_context):
    analyst = User.objects.create_user("analyst", password="pw-for-browser-test", is_staff=True)
    analyst.user_permissions.add(Permission.objects.get(codename="import_snapshots"))
    page = browser_context.new_page()

    # Anonymous: the upload page sends the visitor to the login form first.
    page.goto(f"{live_server.url}/accounts/import/")
    page.get_by_label("用户名").fill("analyst")
    page.get_by_label("密码").fill("pw-for-browser-test")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/import/")

    # A file with one bad row is rejected as a whole, the problem named by line and column, on the job's page.
    page.set_input_files("input[type=file]", _csv("三月.csv", BAD_ROWS))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_url("**/accounts/import/jobs/*/")
    errors = page.locator("#import-errors")
    errors.wait_for()
    assert "文件未导入" in errors.inner_text()
    first_row = errors.locator("tbody tr").first.inner_text()
    assert first_row.startswith("4\t原创数")
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert Snapshot.objects.count() == 0

    # The corrected file goes in, and the job's page says what was written.
    page.get_by_role("link", name="上传另一个文件").click()
    page.set_input_files("input[type=file]", _csv("三月.csv", GOOD_ROWS))
    page.get_by_role("button", name="上传并导入").click()
    success = page.locator("#job-summary")
    success.wait_for()
    assert "导入 3 行" in success.inner_text()
    assert page.locator("#job-status").inner_text() == "完成"
    assert Snapshot.objects.count() == 3
    assert SnapshotImport.objects.get().file_name == "三月.csv"

    # The language switch turns the upload page English.
    page.get_by_role("link", name="上传另一个文件").click()
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("h1").inner_text() == "Import data"
    assert page.get_by_label("Check only (dry run)").is_visible()
    assert page.get_by_role("link", name="Download the template CSV").is_visible()
