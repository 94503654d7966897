"""The analyst pages: the ranking table (sort, search, province, pages, downloads of what is shown), the
city page, the compare view, category leaderboards and the account page — against the hand-built
ranking of tests/rankings/factories.ranking_build, in a fixed number of queries."""
from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import City, GovAccount
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


@pytest.fixture
def run():
    scheme = scheme_make_default(ScoringSchemeFactory(slug="demo", name="演示方案"))
    return ranking_build(scheme=scheme, published=True)


def _english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _cities(response) -> list[str]:
    return [row.city for row in response.context["table"].rows]


def _more_cities(run, count: int) -> None:
    for number in range(count):
        city = CityFactory()
        CityScoreFactory(run=run, city=city, rank=4 + number, score=30.0 - number / 10)
        CityCategoryScoreFactory(run=run, city=city, category="police")
        AccountScoreFactory(run=run, account__city=city, category="police", rank_in_category=3 + number)


# --- the ranking table -----------------------------------------------------------------------------------
def test_the_ranking_sorts_by_any_column_both_ways(client, run):
    assert _cities(client.get("/", {"sort": "score", "order": "asc"})) == ["武汉", "株洲", "长沙"]
    # Names sort by pinyin (Changsha, Wuhan, Zhuzhou), not by code point (株 < 武 < 长).
    assert _cities(client.get("/", {"sort": "city"})) == ["长沙", "武汉", "株洲"]
    assert _cities(client.get("/", {"sort": "city", "order": "desc"})) == ["株洲", "武汉", "长沙"]
    # Police: 长沙 85.555, 武汉 0.0, 株洲 none (missing values last whatever the order).
    assert _cities(client.get("/", {"sort": "police"})) == ["长沙", "武汉", "株洲"]
    assert _cities(client.get("/", {"sort": "police", "order": "asc"})) == ["武汉", "长沙", "株洲"]
    # Change: new entries first when descending, then ▲2, then ▼1.
    assert _cities(client.get("/", {"sort": "change"})) == ["武汉", "长沙", "株洲"]
    assert _cities(client.get("/", {"sort": "province"})) == ["武汉", "长沙", "株洲"]  # 湖北 < 湖南


def test_the_ranking_searches_cities_in_chinese_or_english_and_filters_a_province(client, run):
    assert _cities(client.get("/", {"q": "株"})) == ["株洲"]
    assert _cities(client.get("/", {"q": "WUH"})) == ["武汉"]
    hunan = client.get("/", {"province": "湖南"})
    assert _cities(hunan) == ["长沙", "株洲"]
    assert [row.rank for row in hunan.context["table"].rows] == [1, 2]
    assert _cities(client.get("/", {"province": "湖南", "q": "zz"})) == []
    for spelling in ("湖南省", "Hunan", "HUNAN PROVINCE"):  # any spelling names the one province
        assert _cities(client.get("/", {"province": spelling})) == ["长沙", "株洲"]


def test_bad_table_parameters_are_ignored_with_a_visible_notice(client, run):
    _english(client)
    response = client.get("/", {"sort": "x" * 80, "order": "sideways", "province": "火星", "page": "9"})

    html = response.content.decode()
    assert _cities(response) == ["Changsha", "Zhuzhou", "Wuhan"]
    assert html.count('class="notice warning table-notice"') == 4  # sort, order, province, page
    assert "There is no province “火星” in this ranking" in html
    assert "cannot be sorted by “" + "x" * 50 + "…”" in html
    assert "There is no page “9”" in html
    assert 'class="notice warning table-notice"' in client.get("/", {"export": "pdf"}).content.decode()


def test_the_ranking_is_paged_and_the_pager_keeps_the_filters(client, run):
    _more_cities(run, 60)  # 63 cities, 50 a page
    first = client.get("/", {"province": "湖南", "sort": "score"})
    assert len(first.context["table"].rows) == 50
    html = first.content.decode()
    assert "?province=%E6%B9%96%E5%8D%97&amp;sort=score&amp;order=desc&amp;page=2" in html
    second = client.get("/", {"province": "湖南", "sort": "score", "page": "2"})
    assert len(second.context["table"].rows) == 62 - 50


def test_the_csv_download_is_exactly_the_filtered_sorted_table(client, run):
    response = client.get("/", {"province": "湖南", "sort": "score", "order": "asc", "export": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0] == ["排名", "城市", "省份", "得分", "公安", "交警", "发布", "团委", "旅游", "排名变化", "排名区间（5–95%）"]
    assert rows[1:] == [
        ["2", "株洲", "湖南", "64.5", "", "64.5", "", "", "", "▼1", "1–3"],
        ["1", "长沙", "湖南", "81.23", "85.56", "", "75.0", "", "", "▲2", "1–2"],
    ]


def test_the_xlsx_download_holds_the_same_rows_with_english_headers_in_english(client, run):
    _english(client)
    response = client.get("/", {"q": "wuhan", "export": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:4] == ("Rank", "City", "Province", "Score") and values[0][-2:] == ("Change", "Rank interval (5–95 %)")
    assert values[1][:4] == (3, "Wuhan", "Hubei", 40) and values[1][-2:] == ("new", "2–3")


def test_the_ranking_table_needs_the_same_queries_for_3_or_63_cities(client, run, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(11):
        client.get("/", {"sort": "score"})
    _more_cities(run, 60)  # new city ids: the data overview is counted again (7 of the 11 queries)
    with django_assert_max_num_queries(11):
        client.get("/", {"sort": "score", "q": "城市"})


def test_in_english_cities_and_provinces_have_english_names(client, run):
    _english(client)
    response = client.get("/")
    assert _cities(response) == ["Changsha", "Zhuzhou", "Wuhan"]
    assert [row.province for row in response.context["table"].rows] == ["Hunan", "Hunan", "Hubei"]
    assert "Government microblog index" in response.content.decode()


# --- the city page ---------------------------------------------------------------------------------------
def test_the_city_page_gives_rank_and_interval_in_words_and_categories_against_medians(
    client, run, django_assert_max_num_queries
):
    zhuzhou = City.objects.get(name="株洲")
    url = reverse("city_detail", args=[zhuzhou.pk])
    client.get(url)
    with django_assert_max_num_queries(10):  # 9 and the body cache key (pagecache.body_key)
        response = client.get(url)

    html = response.content.decode()
    assert '<span class="stat-value small" id="city-rank">第 2 名（共 3 个城市），90% 区间 1–3</span>' in html
    assert "▼ 比上期下降 1 名" in html
    assert response.context["categories"][1] == {"label": "交警", "score": 64.5, "national": 0.0, "province": 32.25}
    assert 'id="category-chart"' in html and 'id="category-table"' in html
    # 长沙 is the only other prefecture-level city nearer than 武汉.
    assert [item["name"] for item in response.context["similar"]] == ["长沙", "武汉"]
    assert '<tr data-account="株洲交警">' in html and "只发不回" in html


def test_the_city_page_in_english_and_for_a_city_not_ranked(client, run):
    _english(client)
    changsha = City.objects.get(name="长沙")
    html = client.get(reverse("city_detail", args=[changsha.pk])).content.decode()
    assert "Rank 1 of 3, 90% interval 1–2" in html and "▲ up 2 since the previous period" in html

    other = CityFactory(name="岳阳")
    html = client.get(reverse("city_detail", args=[other.pk])).content.decode()
    assert 'id="not-ranked"' in html
    assert client.get(reverse("city_detail", args=[10**9])).status_code == 404


def test_the_city_page_notices_a_bad_scheme_or_period_and_shows_the_default(client, run):
    changsha = City.objects.get(name="长沙")
    _english(client)
    response = client.get(reverse("city_detail", args=[changsha.pk]), {"scheme": "nope", "period": "2011-13"})
    html = response.content.decode()
    # The notices of rankings.selectors.resolution, the same on every page that picks a published run.
    assert "There is no scoring scheme “nope”: showing “演示方案” instead." in html
    assert ("“2011-13” is not a period (e.g. 2012-03, 2012-Q1 or 2012): showing the latest published period, "
            "2012-03, instead.") in html
    assert response.context["breakdown"].run == run


def test_the_city_history_lists_the_same_schemes_months(client, run):
    changsha = City.objects.get(name="长沙")
    february = ScoreRunFactory(scheme=run.scheme, period_start=date(2012, 2, 1), period_end=date(2012, 2, 29),
                               published=True)
    CityScoreFactory(run=february, city=changsha, score=70.0, rank=3, rank_change=-1, previous_rank=2)
    response = client.get(reverse("city_detail", args=[changsha.pk]))
    assert [(item["period"], item["rank"]) for item in response.context["history"]] == [("2012-02", 3), ("2012-03", 1)]
    assert 'id="history-chart"' in response.content.decode()


def test_the_compare_view_shows_two_to_four_cities_side_by_side(client, run, django_assert_max_num_queries):
    ids = [City.objects.get(name=name).pk for name in ("长沙", "武汉")]
    url = reverse("city_compare")
    with django_assert_max_num_queries(6):
        response = client.get(url, {"cities": f"{ids[0]},{ids[1]},999999"})
    html = response.content.decode()
    assert [item["name"] for item in response.context["cities"]] == ["长沙", "武汉"]
    assert 'id="compare-chart"' in html and "999999" in html
    assert "两到四个" in client.get(url, {"cities": str(ids[0])}).content.decode()


# --- category leaderboards and the account page ---------------------------------------------------------
def test_a_category_leaderboard_ranks_sorts_searches_and_downloads(client, run, django_assert_max_num_queries):
    url = reverse("category_detail", args=["press"])
    client.get(url)
    with django_assert_max_num_queries(4):
        response = client.get(url)
    assert [row["screen_name"] for row in response.context["rows"]] == ["长沙发布", "武汉发布"]
    assert [row["screen_name"] for row in client.get(url, {"sort": "rank", "order": "desc"}).context["rows"]] == [
        "武汉发布", "长沙发布"]
    assert [row["screen_name"] for row in client.get(url, {"q": "武汉"}).context["rows"]] == ["武汉发布"]
    assert [row["screen_name"] for row in client.get(url, {"province": "湖北"}).context["rows"]] == ["武汉发布"]
    body = client.get(url, {"province": "湖北", "export": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][:5] == ["2", "武汉发布", "武汉", "湖北", "40.0"]
    assert client.get(reverse("category_detail", args=["weather"])).status_code == 404
    assert "排名不能按“nope”排序" in client.get(url, {"sort": "nope"}).content.decode()


def test_the_account_page_shows_metrics_indicators_rank_history_and_the_rules_behind_flags(
    client, run, django_assert_max_num_queries
):
    account = GovAccount.objects.get(screen_name="武汉公安空壳")
    SnapshotFactory(account=account, period_start=date(2012, 3, 1), period_end=date(2012, 3, 31), posts=0,
                    original_posts=0, fans=77)
    url = reverse("account_detail", args=[account.pk])
    client.get(url)
    with django_assert_max_num_queries(7):
        response = client.get(url)
    html = response.content.decode()
    assert "空壳微博" in html and "国办秘函〔2019〕19号" in html and "14" in html
    assert response.context["metrics"][0]["period"] == "2012-03"
    assert 'id="metrics-chart"' in html
    assert [(item["period"], item["rank"], item["of"]) for item in response.context["rank_history"]] == [
        ("2012-03", 2, 2)]
    assert response.context["indicators"][0]["raw"] == 1000.0
    assert client.get(reverse("account_detail", args=[10**9])).status_code == 404
    assert client.get("/accounts/import/").status_code in (200, 302)  # the import page is still there


# --- the method page -------------------------------------------------------------------------------------
def test_the_method_page_is_generated_from_the_scheme_document(client, run, django_assert_max_num_queries):
    _english(client)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("methodology"))
    html = response.content.decode()
    assert response.context["scheme"].slug == "demo"
    assert "<code>log1p(reposts + comments)</code>" in html and "0.400" in html
    assert 'id="award-combination"' in html
    assert [label for label, _weight in response.context["category_weights"]] == [
        "Police", "Traffic police", "Press release", "Youth league", "Tourism"]
    assert client.get(reverse("methodology_scheme", args=["shifan-2012"])).status_code == 200
    assert client.get(reverse("methodology_scheme", args=["nope"])).status_code == 404
    run_page = client.get(reverse("rankings:run_detail", args=[run.pk])).content.decode()
    assert f'href="/methodology/demo/v{run.scheme_version}/"' in run_page


def test_two_versions_of_a_scheme_can_be_compared(client, run):
    scheme = run.scheme
    document = dict(scheme.document)
    document["indicators"] = [dict(item) for item in document["indicators"]]
    document["indicators"][2]["expr"] = "log1p(reposts + 2 * comments)"
    document["aggregation"] = "geometric"
    scheme.document, scheme.version = document, 2
    scheme.save()

    _english(client)
    response = client.get(reverse("methodology_version", args=["demo", 2]), {"compare": "1"})
    changes = [(change.what, change.before, change.after) for change in response.context["changes"]]
    assert ("Indicator spread: expression", "log1p(reposts + comments)", "log1p(reposts + 2 * comments)") in changes
    assert ("Aggregation of indicators", "weighted arithmetic mean", "weighted geometric mean") in changes
    # Version 1 is still readable, from the document the run froze.
    old = client.get(reverse("methodology_version", args=["demo", 1])).content.decode()
    assert "<code>log1p(reposts + comments)</code>" in old
    assert "has no version 7" in client.get(reverse("methodology_version", args=["demo", 2]),
                                            {"compare": "7"}).content.decode()
