"""The home page: an overview of what has been imported, Chinese first."""
from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import City, GovAccount, Snapshot, SnapshotImport
from core.provinces import province_names

pytestmark = pytest.mark.django_db


def _city(name: str, province: str) -> City:
    return City.objects.create(name=name, province_id=province)


def _account(screen_name: str, city: City, category: str) -> GovAccount:
    return GovAccount.objects.create(screen_name=screen_name, city=city, category=category)


def _snapshot(account: GovAccount, start: date, end: date) -> Snapshot:
    return Snapshot.objects.create(account=account, period_start=start, period_end=end, fans=10, posts=2)


@pytest.fixture
def hunan_and_hubei() -> dict[str, GovAccount]:
    """3 cities in 2 provinces, 4 accounts, 5 snapshots from 2012-01-01 to 2012-03-31."""
    changsha, zhuzhou, wuhan = _city("长沙", "湖南"), _city("株洲", "湖南"), _city("武汉", "湖北")
    accounts = {
        "长沙警事": _account("长沙警事", changsha, GovAccount.Category.POLICE),
        "长沙发布": _account("长沙发布", changsha, GovAccount.Category.PRESS),
        "株洲交警": _account("株洲交警", zhuzhou, GovAccount.Category.TRAFFIC),
        "武汉发布": _account("武汉发布", wuhan, GovAccount.Category.PRESS),
    }
    _snapshot(accounts["长沙警事"], date(2012, 1, 1), date(2012, 1, 31))
    _snapshot(accounts["长沙警事"], date(2012, 2, 1), date(2012, 2, 29))
    _snapshot(accounts["长沙发布"], date(2012, 1, 1), date(2012, 1, 31))
    _snapshot(accounts["株洲交警"], date(2012, 3, 1), date(2012, 3, 31))
    _snapshot(accounts["武汉发布"], date(2012, 2, 1), date(2012, 2, 29))
    return accounts


def test_the_home_page_counts_cities_accounts_snapshots_and_the_periods_covered(client, hunan_and_hubei):
    response = client.get(reverse("home"))

    overview = response.context["overview"]
    assert (overview.cities, overview.accounts, overview.snapshots) == (3, 4, 5)
    assert (overview.first_period_start, overview.last_period_end) == (date(2012, 1, 1), date(2012, 3, 31))
    html = response.content.decode()
    assert '<span class="stat-value" id="overview-snapshots">5</span>' in html
    assert '<span class="nowrap">2012-01-01</span> – <span class="nowrap">2012-03-31</span>' in html


def test_accounts_by_category_lists_every_category_in_order_with_its_share(client, hunan_and_hubei):
    overview = client.get(reverse("home")).context["overview"]

    # 4 accounts: police 1, traffic 1, press 2; the other three categories are shown with zero.
    assert [(item.category, item.accounts, item.percent) for item in overview.by_category] == [
        ("police", 1, 25.0),
        ("traffic", 1, 25.0),
        ("press", 2, 50.0),
        ("youth", 0, 0.0),
        ("tourism", 0, 0.0),
        ("other", 0, 0.0),
    ]


def test_provinces_are_listed_by_account_count_and_only_the_top_ten(client):
    # The nth of twelve provinces has n accounts (spread over two cities each).
    provinces = province_names()[:12]
    for number, province in enumerate(provinces, start=1):
        cities = [_city(f"{province}甲", province), _city(f"{province}乙", province)]
        for index in range(number):
            _account(f"{province}-{index}", cities[index % 2], GovAccount.Category.OTHER)

    top = client.get(reverse("home")).context["overview"].top_provinces

    assert [(item.province, item.accounts) for item in top] == [(provinces[n - 1], n) for n in range(12, 2, -1)]
    # The 12th's 12 accounts sit in 2 cities; the first (1 account) would count only the one city that has it.
    assert top[0].cities == 2


def test_the_last_import_is_named_on_the_home_page(client, hunan_and_hubei):
    SnapshotImport.objects.create(source=SnapshotImport.Source.COMMAND, file_name="march.csv", row_count=1234)

    response = client.get(reverse("home"))

    assert response.context["overview"].last_import.file_name == "march.csv"
    assert "march.csv" in response.content.decode()


def test_an_empty_database_renders_the_page_with_zeros(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    overview = response.context["overview"]
    assert (overview.cities, overview.accounts, overview.snapshots, overview.last_import) == (0, 0, 0, None)
    assert overview.top_provinces == []


def test_the_home_page_needs_the_same_few_queries_however_much_data_there_is(
    client, hunan_and_hubei, django_assert_num_queries
):
    # The page body's cache key (1: rankings.pagecache; no run is published here, so the body is not
    # kept), the newest ids (1), counts, period span, last import, by category, top provinces (6), the
    # schemes and the default scheme's published runs (2): 10 queries.
    with django_assert_num_queries(10):
        client.get(reverse("home"))
    for number in range(30):
        _account(f"more-{number}", City.objects.get(name="武汉"), GovAccount.Category.YOUTH)
    with django_assert_num_queries(10):
        client.get(reverse("home"))
    # Nothing changed since: the overview is kept, only the newest ids are asked for (1 + 1 + 2).
    with django_assert_num_queries(4):
        client.get(reverse("home"))


def test_the_kept_overview_is_counted_again_as_soon_as_a_snapshot_account_or_import_arrives(
    client, hunan_and_hubei
):
    assert client.get(reverse("home")).context["overview"].snapshots == 5
    _snapshot(hunan_and_hubei["武汉发布"], date(2012, 4, 1), date(2012, 4, 30))
    overview = client.get(reverse("home")).context["overview"]
    assert (overview.snapshots, overview.last_period_end) == (6, date(2012, 4, 30))
    _account("武汉交警", City.objects.get(name="武汉"), GovAccount.Category.TRAFFIC)
    assert client.get(reverse("home")).context["overview"].accounts == 5


def test_the_kept_overview_is_kept_per_language(client, hunan_and_hubei):
    assert client.get(reverse("home")).context["overview"].by_category[0].label == "公安"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(reverse("home")).context["overview"].by_category[0].label == "Police"


def test_the_home_page_is_chinese_by_default(client, hunan_and_hubei):
    html = client.get(reverse("home")).content.decode()

    assert '<html lang="zh-hans">' in html
    assert "政务账号" in html
    assert "公安" in html
