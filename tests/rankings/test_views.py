"""The ranking pages: the published ranking on the home page, a run's page, the run list, and the
permission-checked forms that start and publish runs."""
from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rankings.models import ScoreRun
from tests.factories import CityFactory, SnapshotFactory
from tests.rankings.factories import (
    AccountScoreFactory,
    CityCategoryScoreFactory,
    CityScoreFactory,
    ScoreRunFactory,
    ScoringSchemeFactory,
    ranking_build,
    scheme_make_default,
)

pytestmark = pytest.mark.django_db

APRIL = {"period_start": date(2012, 4, 1), "period_end": date(2012, 4, 30)}


@pytest.fixture
def scheme():
    return scheme_make_default(ScoringSchemeFactory(slug="demo", name="演示方案"))


def _english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _queries(client, url: str) -> int:
    """The queries of a GET, once per-connection checks (SQLite's JSON support …) have run."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _more_cities(run: ScoreRun, count: int) -> None:
    for number in range(count):
        city = CityFactory()
        CityScoreFactory(run=run, city=city, rank=4 + number)
        CityCategoryScoreFactory(run=run, city=city, category="police")
        AccountScoreFactory(run=run, account__city=city, category="police", rank_in_category=3 + number)


# --- home ----------------------------------------------------------------------------------------------
def test_the_home_page_says_there_is_no_published_ranking_yet(client, scheme):
    ScoreRunFactory(scheme=scheme)  # succeeded but not published

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.context["ranking"] is None
    assert 'id="no-ranking"' in html and 'id="city-ranking-table"' not in html


def test_the_home_page_shows_the_latest_published_ranking_of_the_default_scheme(client, scheme):
    run = ranking_build(scheme=scheme, published=True)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.context["ranking"].run == run
    table = response.context["table"]
    assert [row.city for row in table.rows] == ["长沙", "株洲", "武汉"]
    # Every category the scheme weighs is a column, even one no city has an account in.
    assert [value for value, _label in table.categories] == ["police", "traffic", "press", "youth", "tourism"]
    assert table.rows[0].categories == [85.555, None, 75.0, None, None]
    assert "城市排行榜" in html
    assert '<td class="num score">81.23</td>' in html
    assert 'data-column="police"' in html and ">公安</a>" in html
    assert "▲2" in html and "▼1" in html and 'class="rank-new"' in html
    assert '<td class="num interval col-extra">1–2</td>' in html
    assert f'href="/cities/{table.rows[0].city_id}/?scheme=demo&amp;period=2012-03"' in html
    assert f'href="/rankings/{run.pk}/"' in html


def test_the_home_page_never_shows_an_unpublished_run_even_a_newer_one(client, scheme):
    published = ranking_build(scheme=scheme, published=True)
    newer = ScoreRunFactory(scheme=scheme, **APRIL)
    CityScoreFactory(run=newer, city=CityFactory(name="岳阳"), rank=1)

    response = client.get(reverse("home"))

    assert response.context["ranking"].run == published
    assert "岳阳" not in [row.city for row in response.context["table"].rows]


def test_the_home_page_form_chooses_another_scheme_and_an_earlier_published_period(client, scheme):
    march = ranking_build(scheme=scheme, published=True)
    april = ScoreRunFactory(scheme=scheme, published=True, **APRIL)
    other = ScoreRunFactory(scheme=ScoringSchemeFactory(slug="other"), published=True)

    assert client.get(reverse("home")).context["ranking"].run == april
    assert client.get(reverse("home"), {"period": "2012-03"}).context["ranking"].run == march
    assert client.get(reverse("home"), {"scheme": "other"}).context["ranking"].run == other
    # An unknown scheme or period falls back to the default scheme's latest ranking.
    response = client.get(reverse("home"), {"scheme": "nope", "period": "2011-01"})
    assert response.context["ranking"].run == april
    html = response.content.decode()
    assert '<option value="2012-03">2012-03</option>' in html and '<option value="other">' in html


def _notices(response) -> list[str]:
    html = response.content.decode()
    return [part.split("</p>")[0] for part in html.split('<p class="notice warning choice-notice" role="status">')[1:]]


def test_the_home_page_shows_no_notice_when_what_was_asked_for_is_shown(client, scheme):
    ranking_build(scheme=scheme, published=True)

    assert _notices(client.get(reverse("home"))) == []
    assert _notices(client.get(reverse("home"), {"scheme": "demo", "period": "2012-03"})) == []


def test_an_unknown_scheme_on_the_home_page_says_so_and_names_the_scheme_shown_instead(client, scheme):
    ranking_build(scheme=scheme, published=True)

    chinese = client.get(reverse("home"), {"scheme": "nope"})
    _english(client)
    english = client.get(reverse("home"), {"scheme": "nope"})

    assert chinese.context["ranking"].run.scheme == scheme
    assert _notices(chinese) == ["评分方案“nope”不存在，现显示“演示方案”。"]
    assert _notices(english) == ["There is no scoring scheme “nope”: showing “演示方案” instead."]


def test_a_home_page_period_that_is_not_a_period_says_so_and_names_the_period_shown(client, scheme):
    ranking_build(scheme=scheme, published=True)
    garbage = "garbage" * 20  # echoed back cut to 50 characters and “…”

    chinese = client.get(reverse("home"), {"period": garbage})
    _english(client)
    english = client.get(reverse("home"), {"period": "garbage"})

    assert _notices(chinese) == [f"“{garbage[:50]}…”不是统计周期（例如 2012-03、2012-Q1 或 2012），现显示最新发布的统计周期 2012-03。"]
    assert _notices(english) == [
        "“garbage” is not a period (e.g. 2012-03, 2012-Q1 or 2012): showing the latest published period, "
        "2012-03, instead."
    ]


def test_a_home_page_period_without_a_published_ranking_says_so_and_names_the_period_shown(client, scheme):
    ranking_build(scheme=scheme, published=True)
    _english(client)

    response = client.get(reverse("home"), {"scheme": "nope", "period": "2011-01"})

    assert response.context["ranking"].run.period_label == "2012-03"
    assert _notices(response) == [
        "There is no scoring scheme “nope”: showing “演示方案” instead.",
        "“演示方案” has no published ranking for 2011-01: showing the latest published period, 2012-03, instead.",
    ]


def test_the_home_page_takes_a_period_in_any_spelling_the_import_accepts(client, scheme):
    march = ranking_build(scheme=scheme, published=True)
    ScoreRunFactory(scheme=scheme, published=True, **APRIL)

    response = client.get(reverse("home"), {"period": "2012年3月"})

    assert response.context["ranking"].run == march and _notices(response) == []


def test_the_home_page_needs_the_same_queries_for_3_or_43_cities(client, scheme):
    run = ranking_build(scheme=scheme, published=True)
    few = _queries(client, reverse("home"))
    _more_cities(run, 40)

    # the overview's, then schemes, runs, the cities and their category scores
    assert _queries(client, reverse("home")) == few <= 6 + 4


# --- a run's page ------------------------------------------------------------------------------------------
def test_any_run_has_a_page_and_an_unpublished_one_says_so(client, runner, scheme):
    run = ranking_build(scheme=scheme)
    client.force_login(runner)  # drafts are for users who may see them (tests/rankings/test_visibility.py)

    response = client.get(reverse("rankings:run_detail", args=[run.pk]))

    html = response.content.decode()
    assert 'id="unpublished-badge"' in html and 'id="not-published-note"' in html
    assert 'http-equiv="refresh"' not in html
    assert [row.city for row in response.context["table"].rows] == ["长沙", "株洲", "武汉"]
    assert client.get(reverse("rankings:run_detail", args=[999999])).status_code == 404


def test_a_running_run_shows_its_stage_and_progress_and_refreshes_itself(client, runner):
    run = ScoreRunFactory(status=ScoreRun.Status.RUNNING, stage=ScoreRun.Stage.SCORING, progress=30)
    client.force_login(runner)
    _english(client)

    html = client.get(reverse("rankings:run_detail", args=[run.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="3">' in html
    assert '<progress id="run-progress-bar" max="100" value="30">' in html
    assert "scoring" in html and 'id="city-ranking-table"' not in html


def test_a_failed_run_shows_its_error(client, runner):
    run = ScoreRunFactory(status=ScoreRun.Status.FAILED, error="No snapshot lies inside 2012-03.")
    client.force_login(runner)

    html = client.get(reverse("rankings:run_detail", args=[run.pk])).content.decode()

    assert 'id="run-error"' in html and "No snapshot lies inside 2012-03." in html
    assert 'http-equiv="refresh"' not in html


def test_the_run_page_shows_the_method_indicators_weights_and_warnings(client):
    run = ranking_build(published=True, warnings={"activity:division_by_zero": 4})
    _english(client)

    html = client.get(reverse("rankings:run_detail", args=[run.pk])).content.decode()

    assert "<code>log1p(reposts + comments)</code>" in html
    assert '<tr data-indicator="activity">' in html
    # manual 0.3, entropy 0.45, used 0.3
    row = html.split('<tr data-indicator="activity">')[1].split("</tr>")[0]
    assert ["0.300", "0.450", "0.300"] == [cell for cell in ("0.300", "0.450", "0.300") if cell in row]
    assert "weighted arithmetic mean" in html
    assert "Posting activity" in html and "division by zero, counted as 0 (4 accounts)" in html


def test_the_run_page_names_a_warning_about_the_input_as_such(client):
    run = ranking_build(published=True, warnings={"*:overlapping_snapshots": 1})
    _english(client)

    html = client.get(reverse("rankings:run_detail", args=[run.pk])).content.decode()

    warnings = html.split('id="run-warnings"')[1].split("</ul>")[0]
    assert "<strong>input data</strong>" in warnings and "counted more than once" in warnings
    assert "(1 account)" in warnings


def test_the_run_page_draws_the_chart_with_the_local_plotly_never_a_cdn(client):
    run = ranking_build(published=True)

    html = client.get(reverse("rankings:run_detail", args=[run.pk])).content.decode()

    assert '<script src="/static/vendor/plotly/plotly-cartesian.min.js"></script>' in html
    assert 'id="city-chart"' in html and "Plotly.newPlot" in html
    assert 'id="score-distribution"' in html  # the histogram of every city's score
    assert "cdn.plot.ly" not in html and "cdn.jsdelivr" not in html
    assert finders.find("vendor/plotly/plotly-cartesian.min.js")


def test_the_run_page_lists_accounts_per_category_with_diagnostic_badges(client):
    run = ranking_build(published=True)
    url = reverse("rankings:run_detail", args=[run.pk])

    police = client.get(url).content.decode()
    traffic = client.get(url, {"category": "traffic"}).content.decode()

    assert '<tr data-account="长沙警事">' in police and '<tr data-account="株洲交警">' not in police
    shell = police.split('<tr data-account="武汉公安空壳">')[1].split("</tr>")[0]
    assert "flag-empty" in shell and "flag-inactive" in shell and "flag-broadcast" not in shell
    assert "25%" in police.split('<tr data-account="长沙警事">')[1].split("</tr>")[0]
    assert "flag-broadcast" in traffic.split('<tr data-account="株洲交警">')[1].split("</tr>")[0]


def test_the_run_page_needs_the_same_queries_for_3_or_43_cities(client):
    run = ranking_build(published=True)
    url = reverse("rankings:run_detail", args=[run.pk])
    few = _queries(client, url)
    _more_cities(run, 40)

    # run, cities, their category scores, category sizes, account count, account page
    assert _queries(client, url) == few <= 6


def test_the_run_page_narrows_the_city_ranking_to_a_province_keeping_national_ranks(client):
    run = ranking_build(published=True)  # 长沙 1 and 株洲 2 in 湖南, 武汉 3 in 湖北
    url = reverse("rankings:run_detail", args=[run.pk])

    hubei = client.get(url, {"province": "湖北"})
    rows = [(row.rank, row.city) for row in hubei.context["table"].rows]
    assert rows == [(3, "武汉")]
    assert '<option value="湖北" selected>' in hubei.content.decode()
    unknown = client.get(url, {"province": "火星"})  # not a province of this run: the whole ranking, and a notice
    assert [row.city for row in unknown.context["table"].rows] == ["长沙", "株洲", "武汉"]
    assert "火星" in unknown.context["table"].notices[0]


def test_only_users_allowed_to_run_scores_see_the_publish_button(client, runner):
    run = ranking_build()
    url = reverse("rankings:run_detail", args=[run.pk])

    client.force_login(User.objects.create_user("staff", is_staff=True))  # sees drafts, may not publish
    assert 'id="not-published-note"' in (staff := client.get(url).content.decode())
    assert 'id="publish-form"' not in staff
    client.force_login(runner)
    assert 'id="publish-form"' in client.get(url).content.decode()
    run.is_published = True
    run.save()
    assert 'id="publish-form"' not in client.get(url).content.decode()


# --- downloads ---------------------------------------------------------------------------------------------
def test_the_run_page_downloads_its_ranking_as_csv_with_a_bom_or_as_xlsx(client):
    run = ranking_build(published=True)
    url = reverse("rankings:run_detail", args=[run.pk])

    csv = client.get(url, {"format": "csv"})
    xlsx = client.get(url, {"format": "xlsx", "level": "account"})

    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    name = f"govweibo_{run.scheme.slug}_2012-03_city_run{run.pk}.csv"
    assert csv["Content-Disposition"] == f'attachment; filename="{name}"'
    text = csv.content.decode("utf-8")
    assert text.startswith("\ufeff") and "长沙,湖南,81.23" in text
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"


def test_a_bad_download_request_is_refused(client, runner):
    run = ranking_build()
    pending = ScoreRunFactory(status=ScoreRun.Status.PENDING)
    client.force_login(runner)  # who may see the pending run: it is a 404 because it has no ranking yet

    url = reverse("rankings:run_detail", args=[run.pk])

    assert client.get(url, {"format": "pdf"}).status_code == 400
    assert client.get(url, {"format": "csv", "level": "x"}).status_code == 400
    assert client.get(reverse("rankings:run_detail", args=[pending.pk]), {"format": "csv"}).status_code == 404


# --- the run list and starting a run ---------------------------------------------------------------------
def test_the_run_list_shows_recent_runs_with_their_status_in_a_fixed_number_of_queries(client):
    ScoreRunFactory(status=ScoreRun.Status.RUNNING, stage=ScoreRun.Stage.READING, progress=5)
    client.force_login(User.objects.create_user("staff", is_staff=True))  # who sees drafts but not the form
    few = _queries(client, reverse("rankings:run_list"))
    for number in range(30):
        ScoreRunFactory(created_by=User.objects.create_user(f"user{number}"))

    response = client.get(reverse("rankings:run_list"))

    html = response.content.decode()
    assert len(response.context["runs"]) == 31
    assert 'data-status="running"' in html and 'class="badge status-succeeded"' in html
    assert 'id="run-start"' not in html  # staff without the permission: no form
    # count and page, after the session, the user and their permissions
    assert _queries(client, reverse("rankings:run_list")) == few <= 2 + 4


def test_the_compute_form_is_shown_to_users_allowed_to_run_scores(client, runner):
    client.force_login(User.objects.create_user("reader"))
    assert 'id="run-start"' not in client.get(reverse("rankings:run_list")).content.decode()
    client.force_login(runner)
    html = client.get(reverse("rankings:run_list")).content.decode()
    assert 'id="run-start"' in html and '<option value="shifan-2012" selected>' in html


def test_starting_a_run_needs_login_and_the_permission(client):
    body = {"scheme": "shifan-2012", "period": "2012-03"}

    anonymous = client.post(reverse("rankings:run_start"), body)
    client.force_login(User.objects.create_user("reader"))
    reader = client.post(reverse("rankings:run_start"), body)

    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert reader.status_code == 403
    assert not ScoreRun.objects.exists()


def test_following_a_link_to_the_start_address_lands_on_the_compute_form_not_a_blank_page(client, runner):
    anonymous = client.get(reverse("rankings:run_start"))
    client.force_login(runner)
    response = client.get(reverse("rankings:run_start"), follow=True)

    assert anonymous.status_code == 302 and anonymous["Location"] == "/rankings/runs/#run-start"
    assert response.redirect_chain == [("/rankings/runs/#run-start", 302)]
    assert 'id="run-start"' in response.content.decode()
    assert client.head(reverse("rankings:run_start")).status_code == 302
    assert not ScoreRun.objects.exists()


def test_a_user_allowed_to_run_scores_starts_a_run_and_lands_on_its_page(client, runner):
    client.force_login(runner)
    SnapshotFactory(period_start=date(2012, 3, 1), period_end=date(2012, 3, 31))

    response = client.post(reverse("rankings:run_start"), {"scheme": "shifan-2012", "period": "2012年3月",
                                                           "publish": "on"})

    run = ScoreRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rankings:run_detail", args=[run.pk])
    assert (run.scheme.slug, run.period_label, run.publish, run.created_by) == (
        "shifan-2012", "2012-03", True, runner,
    )


def test_starting_a_run_for_a_period_without_data_is_refused_on_the_form_with_the_reason(client, runner):
    client.force_login(runner)
    _english(client)

    response = client.post(reverse("rankings:run_start"), {"scheme": "shifan-2012", "period": "2013-03"})

    assert response.status_code == 400
    assert "No snapshot of a scored account lies inside 2013-03" in response.content.decode()
    assert not ScoreRun.objects.exists()


def test_a_bad_period_is_a_form_error_in_the_users_language(client, runner):
    client.force_login(runner)
    body = {"scheme": "shifan-2012", "period": "March"}

    chinese = client.post(reverse("rankings:run_start"), body)
    _english(client)
    english = client.post(reverse("rankings:run_start"), body)

    assert chinese.status_code == english.status_code == 400
    assert "“March”不是有效的统计周期" in chinese.content.decode()
    assert "“March” is not a period" in english.content.decode()
    assert not ScoreRun.objects.exists()


# --- publishing ------------------------------------------------------------------------------------------
def test_publishing_from_the_page_needs_the_permission_and_a_post(client, runner):
    run = ranking_build()
    url = reverse("rankings:run_publish", args=[run.pk])

    assert client.post(url).status_code == 302  # to the login page
    client.force_login(User.objects.create_user("reader"))
    assert client.post(url).status_code == 403
    client.force_login(runner)
    followed = client.get(url)  # a followed link is sent to the run page, which holds the button
    assert followed.status_code == 302 and followed["Location"] == reverse("rankings:run_detail", args=[run.pk])
    assert client.put(url).status_code == 405
    run.refresh_from_db()
    assert not run.is_published


def test_publishing_a_run_makes_it_the_home_pages_ranking(client, runner, scheme):
    old = ranking_build(scheme=scheme, published=True)
    new = ScoreRunFactory(scheme=scheme)
    client.force_login(runner)

    response = client.post(reverse("rankings:run_publish", args=[new.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("rankings:run_detail", args=[new.pk])
    assert 'id="published-badge"' in response.content.decode()
    old.refresh_from_db()
    assert not old.is_published
    assert client.get(reverse("home")).context["ranking"].run == new


def test_publishing_a_run_that_has_not_succeeded_shows_why_not(client, runner):
    run = ScoreRunFactory(status=ScoreRun.Status.FAILED)
    client.force_login(runner)
    _english(client)

    response = client.post(reverse("rankings:run_publish", args=[run.pk]), follow=True)

    assert "Only a run that succeeded can be published" in response.content.decode()
    run.refresh_from_db()
    assert not run.is_published
