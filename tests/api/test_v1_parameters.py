"""Query parameters the API cannot use are refused with a 400 naming the parameter and what it accepts
(never silently ignored); a URL too long is a 414; both in the API's error shape and documented in the
schema, with fields that may be null marked nullable; timestamps are ISO 8601 in China time (+08:00)."""
from __future__ import annotations

import re

import pytest

from rankings.models import ScoreRun
from tests.rankings.factories import ranking_build, scheme_make_default

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def run() -> ScoreRun:
    run = ranking_build(published=True)
    scheme_make_default(run.scheme)
    return run


def _refused(client, url: str, **headers) -> tuple[str, str]:
    """(the parameter error.details names, its message) of a 400."""
    response = client.get(url, **headers)
    assert response.status_code == 400, (url, response.status_code, response.content[:300])
    error = response.json()["error"]
    assert error["code"] == "invalid"
    [(name, [message])] = error["details"].items()
    return name, message


@pytest.mark.parametrize(("url", "parameter", "accepted"), [
    ("/api/v1/ranking/?format=", "format", "json, api, csv, xlsx"),
    ("/api/v1/ranking/?format=pdf", "format", "json, api, csv, xlsx"),
    ("/api/v1/cities/?format=xlsx", "format", "json, api, csv"),
    ("/api/v1/awards/rounds/?format=csv", "format", "json, api"),
    ("/api/v1/ranking/?level=", "level", "city, account"),
    ("/api/v1/ranking/?level=province", "level", "city, account"),
    ("/api/v1/ranking/?level=account&category=", "category", "police, traffic, press, youth, tourism, other"),
    ("/api/v1/ranking/?province=", "province", "北京, 天津, 河北"),
    ("/api/v1/ranking/?province=火星", "province", "北京, 天津, 河北"),
    ("/api/v1/runs/{run}/cities/?province=", "province", "北京, 天津, 河北"),
    ("/api/v1/runs/{run}/leaderboards/police/?province=湖南省x", "province", "北京, 天津, 河北"),
    ("/api/v1/cities/?province=", "province", "北京, 天津, 河北"),
    ("/api/v1/accounts/?province=火星", "province", "北京, 天津, 河北"),
    ("/api/v1/cities/?level=", "level", "municipality, sub_provincial, prefecture, county"),
    ("/api/v1/accounts/?platform=twitter", "platform", "sina, tencent"),
    ("/api/v1/snapshots/?category=", "category", "police, traffic"),
    ("/api/v1/runs/?status=done", "status", "pending"),
    ("/api/v1/runs/?is_published=", "is_published", "true, false"),
    ("/api/v1/accounts/?verified=yes please", "verified", "true, false"),
    ("/api/v1/cities/?ordering=", "ordering", "id, name, province, level, account_count"),
    ("/api/v1/cities/?ordering=name,bogus", "ordering", "id, name, province, level, account_count"),
    ("/api/v1/snapshots/?ordering=-fans;drop", "ordering", "id, period_start"),
    ("/api/v1/cities/?page_size=", "page_size", "1 to 1000"),
    ("/api/v1/cities/?page=", "page", "from 1"),
    ("/api/v1/runs/{run}/leaderboards/police/?page=-1", "page", "from 1"),
    ("/api/v1/accounts/?platform=%25r%25s", "platform", "sina, tencent"),
    ("/api/v1/cities/?page_size=0", "page_size", "1 to 1000"),
    ("/api/v1/cities/?page_size=1001", "page_size", "1 to 1000"),
    ("/api/v1/runs/{run}/cities/?page_size=ten&format=csv", "page_size", "1 to 1000"),
])
def test_an_empty_or_unknown_parameter_is_refused_naming_it_and_the_accepted_values(client, run, url, parameter,
                                                                                     accepted):
    name, message = _refused(client, url.format(run=run.pk), **ENGLISH)

    assert name == parameter
    assert accepted in message


def test_the_refusal_is_in_chinese_by_default_and_echoes_a_long_value_cut_short(client, run):
    _name, message = _refused(client, "/api/v1/ranking/?province=" + "火" * 100)
    _name, ordering = _refused(client, "/api/v1/cities/?ordering=" + "x" * 300)

    assert message.startswith("不接受“" + "火" * 50 + "…”") and "湖南" in message and "西藏" in message
    assert "不是可排序的字段" in ordering and "x" * 51 not in ordering


def test_good_values_still_choose_the_rows(client, run):
    assert client.get("/api/v1/ranking/?province=湖北").json()["count"] == 1
    assert client.get("/api/v1/ranking/?level=account&category=police&format=json").status_code == 200
    assert [row["name"] for row in client.get("/api/v1/cities/?ordering=-name,id&page_size=2").json()["results"]] \
        == ["长沙", "武汉"]
    assert client.get("/api/v1/runs/?is_published=true").json()["count"] == 1


def test_a_url_over_the_limit_is_a_414_in_the_error_shape(client, settings):
    settings.API_MAX_URL_LENGTH = 100

    response = client.get("/api/v1/cities/?name=" + "a" * 100, **ENGLISH)
    chinese = client.get("/api/v1/cities/?name=" + "a" * 100)

    assert response.status_code == 414 and response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "uri_too_long"
    assert "at most 100" in response.json()["error"]["message"]
    assert "URL 过长" in chinese.json()["error"]["message"]
    assert client.get("/api/v1/cities/?name=" + "a" * 50).status_code == 200


def test_the_schema_marks_null_ranks_nullable_and_documents_413_414_and_bounded_pages(client):
    document = client.get("/api/v1/schema/?format=json").json()
    schemas = document["components"]["schemas"]

    assert schemas["ResultRow"]["properties"]["rank"]["nullable"] is True
    assert schemas["ResultRow"]["properties"]["final"]["nullable"] is True
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for code in ("400", "413", "414", "429"):
                content = operation["responses"][code]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/Error"}, (method, path, code)
    cities = {parameter["name"]: parameter["schema"] for parameter in document["paths"]["/api/v1/cities/"]["get"]
              ["parameters"]}
    assert cities["page_size"] == {"type": "integer", "minimum": 1, "maximum": 1000}


def test_timestamps_are_iso_8601_in_china_time(client, run):
    answer = client.get(f"/api/v1/runs/{run.pk}/").json()

    stamps = [answer[name] for name in ("created_at", "published_at") if answer[name]]
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00", stamp) for stamp in stamps)


def test_a_province_parameter_takes_any_spelling_and_filters_as_the_canonical_name(client, db):
    from accounts.models import City

    City.objects.create(name="长沙", province_id="湖南")
    City.objects.create(name="南宁", province_id="广西")
    for spelling in ("湖南", "湖南省", "Hunan", "hunan"):
        response = client.get("/api/v1/cities/", {"province": spelling})
        assert response.status_code == 200, (spelling, response.content)
        assert [row["name"] for row in response.json()["results"]] == ["长沙"], spelling
    refused = client.get("/api/v1/cities/", {"province": "火星"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "湖南" in refused.content.decode()
