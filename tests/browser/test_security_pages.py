"""The login lockout page, in a real browser at phone width."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import User

# Named to run after test_ranking_page.py: the flush after a live-server test also empties what the
# migrations wrote (the built-in scoring schemes), which that test needs.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/lockout-phone.png"


@pytest.mark.slow
def test_five_wrong_passwords_show_the_lockout_page_readably_on_a_phone(live_server, browser_context):
    User.objects.create_user("analyst", password="the-right-password-4417")
    page = browser_context.new_page()
    page.set_viewport_size({"width": 375, "height": 740})

    page.goto(f"{live_server.url}/login/")
    for guess in range(5):
        page.get_by_label("用户名").fill("analyst")
        page.get_by_label("密码").fill(f"wrong-guess-{guess}")
        with page.expect_navigation():
            page.get_by_role("button", name="登录").click()

    alert = page.get_by_role("alert")
    assert page.get_by_role("heading", name="登录已锁定").is_visible()
    assert "连续 5 次" in alert.inner_text() and "请管理员提前解锁" in alert.inner_text()
    box = alert.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # no sideways scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.get_by_role("link", name="返回登录页").click()
    page.wait_for_url("**/login/")
