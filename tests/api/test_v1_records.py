"""Cities, accounts and snapshots: open reads, filters, ordering, stable pages, CSV."""
from __future__ import annotations

from datetime import date

import pytest

from accounts.models import City, GovAccount
from tests.api.conftest import token_headers
from tests.factories import CityFactory, GovAccountFactory, SnapshotFactory

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def records():
    changsha = CityFactory(name="长沙", name_en="Changsha", province="湖南", level=City.Level.SUB_PROVINCIAL)
    zhuzhou = CityFactory(name="株洲", name_en="Zhuzhou", province="湖南")
    wuhan = CityFactory(name="武汉", name_en="Wuhan", province="湖北", level=City.Level.SUB_PROVINCIAL)
    police = GovAccountFactory(screen_name="长沙警事", city=changsha, category="police")
    press = GovAccountFactory(screen_name="长沙发布", city=changsha, category="press",
                              level=GovAccount.Level.COUNTY)
    wuhan_press = GovAccountFactory(screen_name="武汉发布", city=wuhan, category="press")
    SnapshotFactory(account=police, fans=100)
    SnapshotFactory(account=police, fans=120, period_start=date(2012, 4, 1), period_end=date(2012, 4, 30))
    SnapshotFactory(account=press, fans=50)
    SnapshotFactory(account=wuhan_press, fans=70, custom_metrics={"videos": 3})
    return {"changsha": changsha, "zhuzhou": zhuzhou, "wuhan": wuhan, "police": police, "press": press}


def _names(response, key="name"):
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def test_cities_are_listed_by_province_then_name_with_their_account_count_and_filter(client, records):
    listed = client.get("/api/v1/cities/").json()

    assert [row["name"] for row in listed["results"]] == ["武汉", "株洲", "长沙"]  # 湖北 < 湖南, then by name
    changsha = listed["results"][2]
    assert changsha == {"id": records["changsha"].pk, "name": "长沙", "name_en": "Changsha", "province": "湖南",
                        "level": "sub_provincial", "admin_code": "", "account_count": 2}
    assert _names(client.get("/api/v1/cities/?province=湖南")) == ["株洲", "长沙"]
    assert _names(client.get("/api/v1/cities/?level=sub_provincial")) == ["武汉", "长沙"]
    assert _names(client.get("/api/v1/cities/?ordering=-account_count,name")) == ["长沙", "武汉", "株洲"]
    assert client.get(f"/api/v1/cities/{records['wuhan'].pk}/").json()["account_count"] == 1


def test_accounts_filter_by_city_id_or_name_province_category_and_level(client, records):
    assert _names(client.get("/api/v1/accounts/"), "screen_name") == ["武汉发布", "长沙警事", "长沙发布"]
    assert _names(client.get("/api/v1/accounts/?city=长沙"), "screen_name") == ["长沙警事", "长沙发布"]
    assert _names(client.get(f"/api/v1/accounts/?city={records['wuhan'].pk}"), "screen_name") == ["武汉发布"]
    assert _names(client.get("/api/v1/accounts/?province=湖南&category=press"), "screen_name") == ["长沙发布"]
    assert _names(client.get("/api/v1/accounts/?level=county"), "screen_name") == ["长沙发布"]
    row = client.get(f"/api/v1/accounts/{records['police'].pk}/").json()
    assert (row["city"], row["province"], row["category"], row["city_id"]) == (
        "长沙", "湖南", "police", records["changsha"].pk)


def test_snapshots_filter_by_city_province_category_level_and_period(client, records):
    def fans(query: str) -> list[int]:
        return _names(client.get(f"/api/v1/snapshots/?{query}"), "fans")

    assert sorted(fans("")) == [50, 70, 100, 120]
    assert fans("city=长沙&period=2012-03&ordering=-fans") == [100, 50]
    assert fans("period=2012-04") == [120]
    assert sorted(fans("period=2012-Q1")) == [50, 70, 100]  # the snapshots inside the quarter
    assert sorted(fans("province=湖北")) == [70]
    assert sorted(fans("category=press")) == [50, 70]
    assert sorted(fans("level=county")) == [50]
    wuhan = client.get("/api/v1/snapshots/?city=武汉").json()["results"][0]
    assert (wuhan["period"], wuhan["account"], wuhan["custom_metrics"]) == ("2012-03", "武汉发布", {"videos": 3.0})


@pytest.mark.parametrize("query, field", [
    ("period=2012-13", "period"), ("category=mayor", "category"), ("level=province", "level"),
    ("account=x", "account"),
])
def test_a_bad_filter_is_a_400_naming_it(client, records, query, field):
    response = client.get(f"/api/v1/snapshots/?{query}", **ENGLISH)

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == [field]


def test_pages_are_stable_and_page_size_is_bounded(client):
    for number in range(7):
        CityFactory(name=f"同名{number}", province="江西")  # equal province: the id breaks ties

    first = client.get("/api/v1/cities/?page_size=3&ordering=province")
    second = client.get("/api/v1/cities/?page_size=3&ordering=province&page=2").json()
    third = client.get("/api/v1/cities/?page_size=3&ordering=province&page=3").json()

    ids = [row["id"] for page in (first.json(), second, third) for row in page["results"]]
    assert ids == sorted(ids) and len(ids) == 7
    assert first["X-Total-Count"] == "7"
    assert first["Link"] == ('<http://testserver/api/v1/cities/?ordering=province&page=2&page_size=3>; rel="next"')
    assert client.get("/api/v1/cities/?page=9").status_code == 404
    too_big = client.get("/api/v1/cities/?page_size=5000")  # not silently capped: the client is told
    assert too_big.status_code == 400 and "1000" in too_big.json()["error"]["details"]["page_size"][0]


def test_a_list_is_served_as_csv_with_a_bom_and_formula_cells_escaped(client, records):
    CityFactory(name="=HYPERLINK(\"http://evil\")", province="湖南")

    by_format = client.get("/api/v1/cities/?format=csv&province=湖南")
    by_accept = client.get("/api/v1/cities/?province=湖南", HTTP_ACCEPT="text/csv")

    assert by_format.status_code == by_accept.status_code == 200
    assert by_format["Content-Type"] == "text/csv; charset=utf-8"
    assert by_format["Content-Disposition"] == 'attachment; filename="cities.csv"'
    assert by_format.content == by_accept.content
    text = by_format.content.decode("utf-8")
    assert text.startswith("\ufeffid,name,name_en,province,level,admin_code,account_count\r\n")
    lines = text.splitlines()
    assert len(lines) == 4
    assert any(line.split(",", 2)[1] == '"\'=HYPERLINK(""http://evil"")"' for line in lines)
    assert any(line.endswith(",长沙,Changsha,湖南,sub_provincial,,2") for line in lines)


def test_an_empty_csv_list_still_has_its_header_and_an_error_stays_json(client, records):
    empty = client.get("/api/v1/cities/?format=csv&province=西藏")
    bad = client.get("/api/v1/snapshots/?format=csv&period=2012-13")

    assert empty.content.decode("utf-8") == "\ufeffid,name,name_en,province,level,admin_code,account_count\r\n"
    assert bad.status_code == 400 and bad["Content-Type"] == "application/json"
    assert list(bad.json()["error"]["details"]) == ["period"]


def test_nested_values_become_dotted_columns_in_csv(client, records):
    text = client.get("/api/v1/snapshots/?format=csv&city=武汉").content.decode("utf-8")

    header, row = text.lstrip("\ufeff").splitlines()
    assert header.endswith(",last_post_on,custom_metrics.videos")
    assert row.endswith(",,3.0")


@pytest.mark.parametrize("role", ["anonymous", "analyst", "staff", "admin"])
def test_every_role_reads_the_records_and_none_writes_them(client, records, role, request):
    headers = {} if role == "anonymous" else token_headers(request.getfixturevalue(
        {"analyst": "analyst", "staff": "staff", "admin": "admin_user_"}[role]))
    for path in ("/api/v1/cities/", "/api/v1/accounts/", "/api/v1/snapshots/"):
        assert client.get(path, **headers).status_code == 200
        refused = client.post(path, {}, content_type="application/json", **headers)
        assert refused.status_code == (401 if role == "anonymous" else 405)
        assert set(refused.json()["error"]) == {"code", "message", "details"}


def test_record_lists_need_the_same_few_queries_however_many_rows(client, records, django_assert_max_num_queries):
    for _number in range(30):
        SnapshotFactory()
    for path in ("/api/v1/cities/", "/api/v1/accounts/", "/api/v1/snapshots/"):
        with django_assert_max_num_queries(2):  # count + page
            assert client.get(path).status_code == 200
