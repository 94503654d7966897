"""The pages touched by the drafts and notices work, on a phone (375 px wide) in a real browser: the
home page's “not found, showing … instead” notices fit the screen, a draft is a 404 to a visitor and
readable by an analyst, a link to the start address lands on the compute form, and the icon loads."""
from __future__ import annotations

import pytest

from tests.rankings.factories import ScoringSchemeFactory, ranking_build, scheme_make_default

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
SCREENSHOT = "/tmp/views_home_phone.png"
RUN_SCREENSHOT = "/tmp/views_run_phone.png"


def _fits_the_screen(page, selector: str) -> None:
    """Every element matched is visible and inside the 375 px wide viewport (nothing cut off)."""
    elements = page.locator(selector)
    assert elements.count() > 0, selector
    for index in range(elements.count()):
        element = elements.nth(index)
        assert element.is_visible()
        box = element.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (selector, box)


@pytest.mark.slow
def test_notices_drafts_the_start_link_and_the_icon_on_a_phone(live_server, browser_context, runner):
    scheme = scheme_make_default(ScoringSchemeFactory(slug="demo", name="演示方案"))
    published = ranking_build(scheme=scheme, published=True)
    draft = ranking_build(scheme=scheme, period_start=published.period_start.replace(month=4),
                          period_end=published.period_end.replace(month=4, day=30))
    page = browser_context.new_page()
    page.set_viewport_size(PHONE)

    # An unknown scheme and a period that is not one: two notices say what is shown instead.
    page.goto(f"{live_server.url}/?scheme=nope&period={'garbage' * 20}")
    _fits_the_screen(page, ".choice-notice")
    notices = page.locator(".choice-notice").all_inner_texts()
    assert notices[0] == "评分方案“nope”不存在，现显示“演示方案”。"
    assert notices[1].endswith("现显示最新发布的统计周期 2012-03。") and "…" in notices[1]
    _fits_the_screen(page, "#city-ranking .table-scroll")  # the table scrolls inside it, the page does not
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=SCREENSHOT, full_page=True)

    # The published run's page is public; the draft is a 404 to a visitor, as a missing run is.
    assert page.goto(f"{live_server.url}/rankings/{published.pk}/").status == 200
    _fits_the_screen(page, "#run-status-badge")
    assert page.goto(f"{live_server.url}/rankings/{draft.pk}/").status == 404

    # The icon: linked from the page, and /favicon.ico answers with it.
    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.status == 200 and icon.body()[:4] == b"\x00\x00\x01\x00"

    # An analyst follows a link to the start address: the compute form, not a blank page.
    page.goto(f"{live_server.url}/login/?next=/rankings/runs/start/")
    page.get_by_label("用户名").fill("runner")
    page.get_by_label("密码").fill("pw")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/rankings/runs/#run-start")
    _fits_the_screen(page, "#run-start")

    # The draft's page is theirs to read, labelled as not published.
    page.goto(f"{live_server.url}/rankings/{draft.pk}/")
    _fits_the_screen(page, "#not-published-note")
    _fits_the_screen(page, "#publish-form button")
    page.screenshot(path=RUN_SCREENSHOT, full_page=True)
