"""Issue 18's page defects in a real browser: the menu button on a 390 px phone (with and without
JavaScript), no page scrolling sideways at 1366 px in English nor at 390 px, English place names, and
the compare page's city picker (without JavaScript, and enhanced)."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import City, GovAccount
from tests.browser.conftest import browser_context_open
from tests.rankings.factories import ScoringSchemeFactory, ranking_build, scheme_make_default

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def run():
    scheme = scheme_make_default(ScoringSchemeFactory(slug="demo", name="演示方案"))
    return ranking_build(scheme=scheme, published=True)


@pytest.fixture
def no_script_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    yield from browser_context_open(tmp_path / "noscript", monkeypatch, java_script_enabled=False, viewport=PHONE)


def _page(context, viewport):
    page = context.new_page()
    page.set_viewport_size(viewport)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def _english(context, live_server) -> None:
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])


def _pages(run) -> list[str]:
    changsha, wuhan = City.objects.get(name="长沙"), City.objects.get(name="武汉")
    account = GovAccount.objects.get(screen_name="长沙警事")
    return ["/", f"/rankings/{run.pk}/", "/rankings/runs/", f"/cities/{changsha.pk}/",
            f"/cities/compare/?cities={changsha.pk},{wuhan.pk}", "/categories/police/", "/categories/press/",
            f"/accounts/{account.pk}/", "/methodology/", "/awards/", "/login/"]


def _sideways(page) -> list[str]:
    """What scrolls sideways: the page itself, or a table wider than its box."""
    return page.evaluate("""() => {
        const out = [];
        if (document.documentElement.scrollWidth > window.innerWidth) out.push('page ' + document.documentElement.scrollWidth);
        for (const box of document.querySelectorAll('.table-scroll')) {
            if (box.scrollWidth > box.clientWidth + 1) out.push((box.querySelector('table') || box).id + ' ' + box.scrollWidth);
        }
        return out; }""")


@pytest.mark.slow
def test_on_a_phone_the_menu_is_a_button_that_opens_it(live_server, browser_context, run):
    page, errors = _page(browser_context, PHONE)
    page.goto(live_server.url + "/")
    button = page.locator("#site-menu > summary")
    assert button.is_visible() and button.inner_text().strip() == "菜单"
    assert not page.locator("#site-menu nav").get_by_role("link", name="评分批次").is_visible()
    button.click()
    assert page.locator("#site-menu nav").get_by_role("link", name="评分批次").is_visible()
    assert page.locator("#site-menu").get_attribute("open") is not None
    # Opened, the menu lists its links one under another, inside the screen.
    for link in page.locator("#site-menu nav a").all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    button.click()
    assert not page.locator("#site-menu nav").get_by_role("link", name="评分批次").is_visible()
    page.screenshot(path="/tmp/pages_menu_phone.png")
    assert errors == []


def test_without_javascript_the_phone_menu_is_open_and_wraps(live_server, no_script_context, run):
    page = no_script_context.new_page()
    page.goto(live_server.url + "/")
    assert page.locator("#site-menu nav").get_by_role("link", name="评分批次").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_desktop_the_menu_shows_without_a_button(live_server, browser_context, run):
    page, errors = _page(browser_context, DESKTOP)
    page.goto(live_server.url + "/")
    assert not page.locator("#site-menu > summary").is_visible()
    assert page.locator("#site-menu nav").get_by_role("link", name="评分批次").is_visible()
    assert errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "390px"])
@pytest.mark.slow
def test_no_page_scrolls_sideways_in_english(live_server, browser_context, run, viewport):
    _english(browser_context, live_server)
    page, errors = _page(browser_context, viewport)
    for path in _pages(run):
        page.goto(live_server.url + path)
        wide = _sideways(page)
        if viewport is PHONE:  # on a phone, wide tables scroll inside their box: the page does not
            wide = [item for item in wide if item.startswith("page")]
        assert wide == [], (path, wide)
    assert errors == []


def test_in_english_places_are_named_in_english(live_server, browser_context, run):
    _english(browser_context, live_server)
    page, errors = _page(browser_context, DESKTOP)
    page.goto(live_server.url + "/categories/police/")
    cities = page.locator("#leaderboard-table tbody td.city, #leaderboard-table tbody td:nth-child(3)").all_inner_texts()
    assert "Changsha" in cities
    page.goto(f"{live_server.url}/rankings/{run.pk}/")
    assert page.locator("#city-ranking-table tbody th").all_inner_texts() == ["Changsha", "Zhuzhou", "Wuhan"]
    assert errors == []


@pytest.mark.slow
def test_the_compare_picker_works_without_javascript(live_server, no_script_context, run):
    page = no_script_context.new_page()
    page.goto(live_server.url + "/cities/compare/")
    page.fill("#compare-search", "zhu")
    with page.expect_navigation():
        page.click("#compare-search-button")
    assert page.locator(".compare-choice").all_inner_texts()[0].strip().startswith("株洲")
    page.check(".compare-choice input >> nth=0")
    page.fill("#compare-search", "wu")
    with page.expect_navigation():
        page.click("#compare-search-button")
    names = [text.split()[0] for text in page.locator(".compare-choice").all_inner_texts()]
    assert names == ["株洲", "武汉"]  # the ticked city stays in the list
    page.check(".compare-choice input >> nth=1")
    with page.expect_navigation():
        page.click("#compare-submit")
    assert [text.strip() for text in page.locator("#compare-table thead th a").all_inner_texts()] == ["株洲", "武汉"]


def test_the_compare_picker_filters_as_one_types(live_server, browser_context, run):
    _english(browser_context, live_server)
    page, errors = _page(browser_context, PHONE)
    page.goto(live_server.url + "/cities/compare/")
    page.fill("#compare-search", "wu")
    visible = [text.split()[0] for text in page.locator(".compare-choice:visible").all_inner_texts()]
    assert visible == ["Wuhan"]
    page.fill("#compare-search", "")
    boxes = page.locator(".compare-choice input")
    boxes.nth(0).check()
    boxes.nth(2).check()
    with page.expect_navigation():
        page.click("#compare-submit")
    assert [text.strip() for text in page.locator("#compare-table thead th a").all_inner_texts()] == [
        "Changsha", "Zhuzhou"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []
