"""An analyst computes and publishes a ranking in a real browser, then reads it on the home page.

The run is computed through the real services on a small March 2012 data set. Celery runs eagerly in
this test whatever REDIS_URL says (no worker needed), and the uncertainty analysis stays inline.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User

from core.periods import parse_period
from govweibo.celery import app
from rankings import services
from rankings.models import CityScore, ScoreRun, ScoringScheme
from tests.factories import CityFactory, GovAccountFactory, SnapshotFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/ranking.png"
HOME_SCREENSHOT = "/tmp/ranking_home.png"
MARCH = parse_period("2012-03")
# (city, province, category, fans, posts, original posts, reposts, comments, likes, replies)
ACCOUNTS = [
    ("长沙", "湖南", "police", 812345, 420, 310, 15230, 8820, 20110, 1320),
    ("长沙", "湖南", "press", 90000, 200, 150, 3000, 1200, 4000, 300),
    ("株洲", "湖南", "traffic", 30000, 90, 60, 700, 500, 800, 0),
    ("株洲", "湖南", "police", 45000, 120, 80, 1500, 900, 1100, 60),
    ("武汉", "湖北", "press", 400000, 300, 200, 9000, 4000, 12000, 500),
    ("武汉", "湖北", "tourism", 1429, 0, 0, 0, 0, 0, 0),  # an empty shell
]


@pytest.fixture
def march_data() -> None:
    # The built-in schemes: a transactional test that ran before may have flushed what the migrations loaded.
    for path in sorted((Path(settings.BASE_DIR) / "rankings" / "builtin_schemes").glob("*.yaml")):
        services.scheme_load_file(path=path, make_default=path.stem == "shifan-2012")
    for number, (city, province, category, *counts) in enumerate(ACCOUNTS):
        account = GovAccountFactory(screen_name=f"{city}{category}{number}", category=category,
                                    city=CityFactory(name=city, province=province))
        fans, posts, original, reposts, comments, likes, replies = counts
        SnapshotFactory(account=account, period_start=MARCH.start, period_end=MARCH.end, fans=fans,
                        posts=posts, original_posts=original, reposts=reposts, comments=comments, likes=likes,
                        replies=replies)


@pytest.fixture
def eager_celery(monkeypatch: pytest.MonkeyPatch, settings) -> None:
    monkeypatch.setattr(app.conf, "task_always_eager", True)
    settings.GOVWEIBO_UNCERTAINTY_CHUNK_DRAWS = 1_000_000


@pytest.mark.slow
def test_an_analyst_computes_publishes_and_reads_a_ranking(
    live_server, browser_context, march_data, eager_celery
):
    analyst = User.objects.create_user("analyst", password="pw-for-browser-test")
    analyst.user_permissions.add(Permission.objects.get(codename="run_scores"))
    page = browser_context.new_page()

    # Nothing is published yet: the home page says so.
    page.goto(f"{live_server.url}/")
    assert page.locator("#no-ranking").is_visible()

    # The run list sends an anonymous visitor nowhere, but the compute form needs a login.
    page.goto(f"{live_server.url}/login/?next=/rankings/runs/")
    page.get_by_label("用户名").fill("analyst")
    page.get_by_label("密码").fill("pw-for-browser-test")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/rankings/runs/")

    # A bad period is refused in Chinese, nothing is started.
    page.fill("#id_period", "2012-13")
    page.click("#run-start button[type=submit]")
    assert "月份超出范围" in page.locator("#period-error").inner_text()
    assert not ScoreRun.objects.exists()

    # March 2012, published when done: the run page shows the published ranking and its chart.
    page.fill("#id_period", "2012-03")
    page.check("#id_publish")
    page.click("#run-start button[type=submit]")
    page.wait_for_url("**/rankings/*/")
    run = ScoreRun.objects.get()
    assert run.status == ScoreRun.Status.SUCCEEDED, run.error
    assert page.locator("#run-status").get_attribute("data-status") == "succeeded"
    assert page.locator("#published-badge").is_visible()
    page.locator("#city-chart .main-svg").first.wait_for()  # plotly.js (served locally) drew the chart
    first_city = CityScore.objects.get(run=run, rank=1).city.name
    assert page.locator("#city-ranking-table tbody tr").count() == 3
    assert page.locator("#city-ranking-table tbody tr").first.get_attribute("data-city") == first_city
    assert page.locator("#method code", has_text="log1p(fans)").count() == 1
    page.screenshot(path=SCREENSHOT, full_page=True)

    # The home page now shows that ranking.
    page.goto(f"{live_server.url}/")
    assert page.locator("#city-ranking-table tbody tr").count() == 3
    assert page.locator("#city-ranking-table tbody tr").first.get_attribute("data-city") == first_city
    page.screenshot(path=HOME_SCREENSHOT, full_page=True)

    # A second run of the same month, not yet computed: its page follows it until it finishes.
    scheme = ScoringScheme.objects.get(slug="shifan-2012")
    second = ScoreRun.objects.create(
        scheme=scheme, scheme_version=scheme.version, document=scheme.document, period_start=MARCH.start,
        period_end=MARCH.end, uncertainty_draws=0,
    )
    page.goto(f"{live_server.url}/rankings/{second.pk}/")
    assert page.locator("#run-progress-bar").is_visible()
    assert page.locator("#unpublished-badge").is_visible()
    services.score_run_execute(run_id=second.pk)
    page.locator("#city-ranking-table").wait_for()  # the page refreshed itself
    assert page.locator("#run-status").get_attribute("data-status") == "succeeded"
    assert page.locator("#not-published-note").is_visible()

    # Publishing it (a POST with its CSRF token) makes it the published ranking of March.
    page.click("#publish-form button")
    page.locator("#published-badge").wait_for()
    assert ScoreRun.objects.get(is_published=True).pk == second.pk

    # In English.
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("#city-ranking h2").inner_text() == "City ranking"
