"""The analyst pages in a real browser (Debian Chromium) at 1366 px and at 390 px: every page loads with
no console error and draws its charts; sorting, search and the province change the table and the
chart; the download equals the table; the phone shows rank, city, score and change without wrapping a
name; the language switch turns the labels English."""
from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings

from accounts.models import City, GovAccount
from tests.rankings.factories import ScoringSchemeFactory, ranking_build, scheme_make_default

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def run():
    scheme = scheme_make_default(ScoringSchemeFactory(slug="demo", name="演示方案"))
    return ranking_build(scheme=scheme, published=True)


def _page(browser_context, viewport):
    page = browser_context.new_page()
    page.set_viewport_size(viewport)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def _table_cities(page) -> list[str]:
    return page.locator("#city-ranking-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.city)")


def _chart_cities(page) -> list[str]:
    """The city names on the chart's bars, top first (the bar trace's y values)."""
    return page.evaluate("document.getElementById('city-chart').data[0].y")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "390px"])
@pytest.mark.slow
def test_every_analyst_page_loads_without_console_errors_and_draws_its_charts(live_server, browser_context, run,
                                                                              viewport):
    page, errors = _page(browser_context, viewport)
    changsha = City.objects.get(name="长沙")
    wuhan = City.objects.get(name="武汉")
    account = GovAccount.objects.get(screen_name="长沙警事")
    pages = {
        "/": ["#city-chart"],
        f"/rankings/{run.pk}/": ["#city-chart", "#score-distribution"],
        f"/cities/{changsha.pk}/": ["#category-chart"],
        f"/cities/compare/?cities={changsha.pk},{wuhan.pk}": ["#compare-chart"],
        "/categories/press/": [],
        f"/accounts/{account.pk}/": [],
        "/methodology/": [],
        "/?w=police:100,traffic:0,press:0,youth:0,tourism:0": [],
    }
    for path, charts in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        for chart in charts:
            page.locator(f"{chart} .main-svg").first.wait_for()
        if "w=" in path:  # the what-if explorer, opened by its weights: police alone puts 长沙 first
            page.locator("#whatif[data-ready=true]").wait_for(state="attached")
            assert page.locator("#whatif-table tbody tr").first.get_attribute("data-rank") == "1"
            assert page.locator("#whatif-table tbody .w-city").first.inner_text() == "长沙"
        # Nothing wider than the screen: tables scroll inside their boxes.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
        name = "_".join(part for part in path.split("?")[0].split("/") if part) or "home"
        page.screenshot(path=f"/tmp/pages_{name}_{viewport['width']}.png", full_page=True)
    assert errors == []


@pytest.mark.slow
def test_sort_search_and_province_change_the_table_and_the_chart(live_server, browser_context, run):
    page, errors = _page(browser_context, DESKTOP)
    page.goto(live_server.url + "/")
    page.locator("#city-chart .main-svg").first.wait_for()
    assert _table_cities(page) == ["长沙", "株洲", "武汉"] == _chart_cities(page)

    page.click("th[data-column=score] a")  # first click: best score first (as it is)
    page.click("th[data-column=score] a")  # second: lowest first
    page.locator("#city-chart .main-svg").first.wait_for()
    assert _table_cities(page) == ["武汉", "株洲", "长沙"] == _chart_cities(page)
    assert page.locator("th[data-column=score]").get_attribute("aria-sort") == "ascending"

    page.select_option("#province", "湖南")
    page.click("#ranking-filter button[type=submit]")
    page.locator("#city-chart .main-svg").first.wait_for()
    assert _table_cities(page) == ["株洲", "长沙"] == _chart_cities(page)  # the sort is kept

    page.fill("#city-search", "长")
    page.click("#ranking-filter button[type=submit]")
    page.locator("#city-chart .main-svg").first.wait_for()
    assert _table_cities(page) == ["长沙"] == _chart_cities(page)

    # The download is the table: same rows, same order, same cells.
    href = page.locator("#export-csv").get_attribute("href")
    body = page.request.get(live_server.url + "/" + href).body().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    cells = page.locator("#city-ranking-table tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))")
    assert [row[:2] for row in rows[1:]] == [cell[:2] for cell in cells]
    assert [float(row[3]) for row in rows[1:]] == [float(cell[3]) for cell in cells]
    assert [row[-2:] for row in rows[1:]] == [cell[-2:] for cell in cells]  # change and interval
    assert errors == []


def test_at_phone_width_rank_city_score_and_change_show_and_other_columns_on_demand(live_server, browser_context,
                                                                                     run):
    page, errors = _page(browser_context, PHONE)
    page.goto(live_server.url + "/")
    visible = page.locator("#city-ranking-table thead th").evaluate_all(
        "cells => cells.filter(c => c.offsetParent !== null).map(c => c.dataset.column)")
    assert visible == ["rank", "city", "score", "change"]
    # One line per name: the city cell is no taller than the rank cell.
    row = page.locator("#city-ranking-table tbody tr").first
    assert row.locator("th").bounding_box()["height"] <= row.locator("td.rank").bounding_box()["height"] + 1
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 110, header

    page.click("#columns-toggle")
    visible = page.locator("#city-ranking-table thead th").evaluate_all(
        "cells => cells.filter(c => c.offsetParent !== null).map(c => c.dataset.column)")
    assert "province" in visible and "interval" in visible
    page.screenshot(path="/tmp/pages_home_phone.png", full_page=True)
    assert errors == []


def test_the_language_switch_turns_the_labels_english(live_server, browser_context, run):
    page, errors = _page(browser_context, DESKTOP)
    changsha = City.objects.get(name="长沙")
    page.goto(f"{live_server.url}/cities/{changsha.pk}/")
    assert "第 1 名（共 3 个城市），90% 区间 1–2" == page.locator("#city-rank").inner_text()
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("#city-rank").inner_text() == "Rank 1 of 3, 90% interval 1–2"
    assert page.locator("#city-name").inner_text().startswith("Changsha")
    legend = page.evaluate("document.getElementById('category-chart').data.map(t => t.name)")
    assert legend == ["This city", "National median", "Province median"]
    page.goto(live_server.url + "/")
    assert _table_cities(page) == ["长沙", "株洲", "武汉"]  # data-city keeps the stored name
    assert page.locator("#city-ranking-table tbody th").all_inner_texts() == ["Changsha", "Zhuzhou", "Wuhan"]
    assert page.locator("th[data-column=police]").inner_text().startswith("Police")
    assert page.locator("#id_scheme option:checked").inner_text() == "Government microblog index"
    page.goto(live_server.url + "/methodology/")
    assert page.locator("#method-title").inner_text().startswith("Government microblog index")
    assert page.locator("#indicator-table tbody th").first.inner_text().startswith("Fans")
    assert errors == []


def test_in_english_at_phone_width_a_long_scheme_name_does_not_widen_the_home_page(live_server, browser_context, run):
    # The built-in schemes' English names are long ("Government microblog demonstration award …"): the
    # scheme choice once pushed the English home page to 557 px on a 390 px phone.
    long_name = "A government microblog demonstration scheme with a long English name, " * 2
    ScoringSchemeFactory(slug="long", document={**run.scheme.document, "name_en": long_name.strip()})
    browser_context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page, errors = _page(browser_context, PHONE)

    page.goto(live_server.url + "/")
    assert long_name.strip() in page.locator("#id_scheme").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []
