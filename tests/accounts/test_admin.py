"""Admin pages for cities, accounts, snapshots and the import log: search, filters, bounded queries."""
from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from accounts.models import City, GovAccount, Snapshot, SnapshotImport

pytestmark = pytest.mark.django_db

# A changelist page costs a fixed number of queries whatever the number of rows: session, user,
# the filtered COUNT (plus the full COUNT on the small city table), the page of rows with their
# related rows, and one query for a filter's choices. An N+1 over the 25 extra rows would blow it.
MAX_CHANGELIST_QUERIES = 6


@pytest.fixture
def admin_client_zh(client) -> object:
    user = User.objects.create_superuser("boss", "boss@example.org", "pw-for-tests-only")
    client.force_login(user)
    return client


@pytest.fixture
def data() -> dict[str, object]:
    """Two provinces, three cities, accounts in several categories, snapshots over 2012 and 2013."""
    changsha = City.objects.create(
        name="长沙", name_en="Changsha", province_id="湖南", level=City.Level.SUB_PROVINCIAL
    )
    zhuzhou = City.objects.create(name="株洲", name_en="Zhuzhou", province_id="湖南", admin_code="430200")
    wuhan = City.objects.create(name="武汉", name_en="Wuhan", province_id="湖北", level=City.Level.SUB_PROVINCIAL)
    police = GovAccount.objects.create(screen_name="长沙警事", uid="1001", city=changsha, category="police")
    traffic = GovAccount.objects.create(screen_name="株洲交警", city=zhuzhou, category="traffic", verified=False)
    press = GovAccount.objects.create(screen_name="武汉发布", city=wuhan, category="press", level="county")
    for account in (police, traffic, press):
        for year in (2012, 2013):
            for month in (1, 2, 3, 4):
                Snapshot.objects.create(
                    account=account,
                    period_start=date(year, month, 1),
                    period_end=date(year, month, 28),
                    posts=month,
                )
    return {"changsha": changsha, "police": police, "traffic": traffic, "press": press}


def _more_accounts(city: City, count: int) -> None:
    """Extra rows, to show the query count does not grow with the page."""
    for number in range(count):
        account = GovAccount.objects.create(screen_name=f"extra-{number}", city=city, category="youth")
        Snapshot.objects.create(account=account, period_start=date(2013, 1, 1), period_end=date(2013, 1, 31))


def _changelist(model_name: str) -> str:
    return reverse(f"admin:accounts_{model_name}_changelist")


def test_the_city_list_searches_filters_and_counts_accounts_in_one_page_query(
    admin_client_zh, data, django_assert_max_num_queries
):
    _more_accounts(data["changsha"], 25)
    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES):
        response = admin_client_zh.get(_changelist("city"), {"q": "Chang", "province": "湖南"})

    assert response.status_code == 200
    cities = list(response.context["cl"].result_list)
    assert [city.name for city in cities] == ["长沙"]
    assert cities[0].account_count == 26  # 长沙警事 + 25 extra accounts


def test_the_city_list_filters_by_level_and_searches_the_administrative_code(admin_client_zh, data):
    by_level = admin_client_zh.get(_changelist("city"), {"level__exact": "sub_provincial"})
    by_code = admin_client_zh.get(_changelist("city"), {"q": "430200"})

    assert sorted(city.name for city in by_level.context["cl"].result_list) == ["武汉", "长沙"]
    assert [city.name for city in by_code.context["cl"].result_list] == ["株洲"]


def test_the_account_list_searches_by_city_name_and_filters_by_province_and_category(
    admin_client_zh, data, django_assert_max_num_queries
):
    _more_accounts(data["changsha"], 25)
    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES):
        response = admin_client_zh.get(
            _changelist("govaccount"),
            {"q": "长沙", "city__province": "湖南", "category__exact": "police", "_facets": "1"},
        )

    assert response.status_code == 200
    assert [account.screen_name for account in response.context["cl"].result_list] == ["长沙警事"]


def test_the_account_list_finds_an_account_by_its_exact_uid_and_filters_unverified(admin_client_zh, data):
    by_uid = admin_client_zh.get(_changelist("govaccount"), {"q": "1001"})
    unverified = admin_client_zh.get(_changelist("govaccount"), {"verified__exact": "0"})

    assert [account.screen_name for account in by_uid.context["cl"].result_list] == ["长沙警事"]
    assert [account.screen_name for account in unverified.context["cl"].result_list] == ["株洲交警"]


def test_the_snapshot_list_filters_by_year_and_category_without_an_n_plus_one(
    admin_client_zh, data, django_assert_max_num_queries
):
    _more_accounts(data["changsha"], 25)
    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES):
        # _facets asks for a count beside every filter choice; on this table the admin must refuse.
        response = admin_client_zh.get(
            _changelist("snapshot"),
            {"q": "交警", "year": "2012", "account__category__exact": "traffic", "_facets": "1"},
        )

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    # 株洲交警 has four 2012 snapshots, newest period first.
    assert [(row.account.screen_name, row.period_start) for row in rows] == [
        ("株洲交警", date(2012, month, 1)) for month in (4, 3, 2, 1)
    ]


def test_the_snapshot_year_filter_offers_each_year_from_first_to_last(admin_client_zh, data):
    response = admin_client_zh.get(_changelist("snapshot"))

    year_filter = next(spec for spec in response.context["cl"].filter_specs if spec.parameter_name == "year")
    assert year_filter.lookup_choices == [("2013", "2013"), ("2012", "2012")]


def test_the_import_log_lists_and_searches_but_cannot_be_added_to_or_edited(admin_client_zh):
    record = SnapshotImport.objects.create(
        source=SnapshotImport.Source.UPLOAD, file_name="march.csv", row_count=3
    )
    SnapshotImport.objects.create(source=SnapshotImport.Source.COMMAND, file_name="april.csv", row_count=5)

    listing = admin_client_zh.get(_changelist("snapshotimport"), {"q": "march", "source__exact": "upload"})
    add = admin_client_zh.get(reverse("admin:accounts_snapshotimport_add"))
    change = admin_client_zh.post(
        reverse("admin:accounts_snapshotimport_change", args=[record.pk]), {"file_name": "renamed.csv"}
    )

    assert [item.file_name for item in listing.context["cl"].result_list] == ["march.csv"]
    assert add.status_code == 403
    assert change.status_code == 403
    record.refresh_from_db()
    assert record.file_name == "march.csv"


def test_the_account_form_picks_its_city_by_autocomplete(admin_client_zh, data):
    response = admin_client_zh.get(
        reverse("admin:autocomplete"),
        {"app_label": "accounts", "model_name": "govaccount", "field_name": "city", "term": "株"},
    )

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["株洲"]


def test_staff_without_model_permissions_cannot_open_the_snapshot_list(client, data):
    clerk = User.objects.create_user("clerk", password="pw-for-tests-only", is_staff=True)
    client.force_login(clerk)

    assert client.get(_changelist("snapshot")).status_code == 403


def test_staff_with_view_permission_can_read_but_not_change_snapshots(client, data):
    reader = User.objects.create_user("reader", password="pw-for-tests-only", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_snapshot"))
    client.force_login(reader)
    snapshot = Snapshot.objects.first()

    assert client.get(_changelist("snapshot")).status_code == 200
    response = client.post(reverse("admin:accounts_snapshot_change", args=[snapshot.pk]), {"posts": 999})
    snapshot.refresh_from_db()
    assert snapshot.posts != 999
    assert response.status_code == 403


def test_admin_column_labels_are_chinese_by_default(admin_client_zh, data):
    html = admin_client_zh.get(_changelist("govaccount")).content.decode()

    assert "政务账号" in html  # the model's verbose name
    assert "类别" in html  # the category column and filter
    assert "账号名称" in html  # the screen name column
