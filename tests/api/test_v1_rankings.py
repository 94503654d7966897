"""The REST API: open reads, permission-checked writes, filters, errors in the request's language."""
from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from rankings.models import AccountScore, ScoreRun
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

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def runner_client(client, runner):
    client.force_login(runner)
    return client


# --- schemes -------------------------------------------------------------------------------------------
def test_schemes_are_listed_with_their_version_and_weights_and_one_shows_its_document(client):
    ScoringSchemeFactory(slug="test-scheme", version=3)

    listed = client.get("/api/v1/schemes/").json()
    detail = client.get("/api/v1/schemes/test-scheme/").json()

    slugs = [item["slug"] for item in listed["results"]]
    assert slugs[0] == "shifan-2012"  # the default first
    assert "test-scheme" in slugs and "document" not in listed["results"][0]
    assert detail["version"] == 3
    assert detail["indicator_weights"] == {"fans": 0.3, "activity": 0.3, "spread": 0.4}
    assert detail["category_weights"]["police"] == 0.25
    assert detail["document"]["indicators"][0]["expr"] == "log1p(fans)"
    assert client.get("/api/v1/schemes/no-such-scheme/").status_code == 404


# --- runs ----------------------------------------------------------------------------------------------
def test_a_run_shows_status_progress_counts_weights_warnings_and_links(runner_client):
    client = runner_client  # a running run is a draft: for those who may see drafts
    run = ScoreRunFactory(status=ScoreRun.Status.RUNNING, stage=ScoreRun.Stage.SCORING, progress=30,
                          input_rows=1200, accounts_scored=400, cities_scored=60, fingerprint="ab" * 32,
                          warnings={"fans:missing_value": 2}, timings={"reading": 120})

    data = client.get(f"/api/v1/runs/{run.pk}/").json()

    assert (data["status"], data["stage"], data["progress"]) == ("running", "scoring", 30)
    assert (data["input_rows"], data["accounts_scored"], data["cities_scored"]) == (1200, 400, 60)
    assert data["period"] == "2012-03" and data["scheme"] == run.scheme.slug
    assert data["weights"]["activity"] == {"manual": 0.3, "entropy": 0.45, "used": 0.3}
    assert data["warnings"] == {"fans:missing_value": 2} and data["timings"] == {"reading": 120}
    assert data["links"]["page"] == f"http://testserver/rankings/{run.pk}/"
    assert data["links"]["cities"] == f"http://testserver/api/v1/runs/{run.pk}/cities/"
    assert client.get("/api/v1/runs/999999/").status_code == 404


def test_runs_filter_by_scheme_status_publication_and_period(runner_client):
    client = runner_client  # who sees the drafts too
    scheme = ScoringSchemeFactory(slug="filtered")
    march = ScoreRunFactory(scheme=scheme, published=True)
    april = ScoreRunFactory(scheme=scheme, period_start=date(2012, 4, 1), period_end=date(2012, 4, 30),
                            status=ScoreRun.Status.FAILED)
    ScoreRunFactory()

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/runs/?{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    assert ids("scheme=filtered") == [april.pk, march.pk]
    assert ids("scheme=filtered&status=failed") == [april.pk]
    assert ids("scheme=filtered&is_published=true") == [march.pk]
    assert ids("scheme=filtered&period=2012-04") == [april.pk]
    assert ids("scheme=filtered&period=2012年3月") == [march.pk]


def test_a_bad_period_filter_is_a_400_naming_the_field_in_the_request_language(client):
    chinese = client.get("/api/v1/runs/?period=2012-13")
    english = client.get("/api/v1/runs/?period=2012-13", **ENGLISH)

    assert chinese.status_code == english.status_code == 400
    assert chinese.json()["error"] == {"code": "invalid", "message": "无效的输入。",
                                       "details": {"period": ["统计周期“2012-13”中的月份超出范围"]}}
    assert english.json()["error"]["details"] == {"period": ["month out of range in period “2012-13”"]}


def test_a_period_filter_holding_a_percent_sign_is_a_400_not_a_500(client):
    response = client.get("/api/v1/runs/", {"period": "2012-%s%Q"}, **ENGLISH)

    assert response.status_code == 400
    assert "2012-%s%Q" in response.json()["error"]["details"]["period"][0]


def test_the_run_list_needs_the_same_few_queries_however_many_runs(client, django_assert_max_num_queries):
    for _number in range(3):
        ScoreRunFactory(published=True)
    with django_assert_max_num_queries(2):  # count + page (scheme and user joined)
        assert client.get("/api/v1/runs/").status_code == 200
    for _number in range(30):
        ScoreRunFactory(published=True, created_by=User.objects.create_user(f"user{_number}"))
    with django_assert_max_num_queries(2):
        assert len(client.get("/api/v1/runs/").json()["results"]) == 33


# --- starting and publishing ------------------------------------------------------------------------------
def test_anonymous_users_and_users_without_the_permission_cannot_start_or_publish_runs(client):
    run = ScoreRunFactory()
    body = {"scheme": "shifan-2012", "period": "2012-03"}

    assert client.post("/api/v1/runs/", body, content_type="application/json").status_code == 401
    assert client.post(f"/api/v1/runs/{run.pk}/publish/").status_code == 401
    client.force_login(User.objects.create_user("reader"))
    refused = client.post("/api/v1/runs/", body, content_type="application/json", **ENGLISH)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert "Can start score runs" in refused.json()["error"]["message"]
    assert client.post(f"/api/v1/runs/{run.pk}/publish/").status_code == 403
    assert ScoreRun.objects.count() == 1
    assert not ScoreRun.objects.get().is_published


def test_a_user_with_the_permission_starts_a_run_and_gets_202_with_the_pending_run(runner_client, runner):
    # Inside the test's transaction the run's task (queued on commit) does not run: the run stays pending.
    SnapshotFactory(period_start=date(2012, 3, 1), period_end=date(2012, 3, 31))
    body = {"scheme": "shifan-2012", "period": "2012-Q1", "publish": True, "draws": 0}
    response = runner_client.post("/api/v1/runs/", body, content_type="application/json")

    assert response.status_code == 202, response.content
    data = response.json()
    run = ScoreRun.objects.get()
    assert data["id"] == run.pk and data["status"] == "pending" and data["period"] == "2012-Q1"
    assert response["Location"] == f"http://testserver/api/v1/runs/{run.pk}/"
    assert (run.period_start, run.period_end, run.publish, run.created_by) == (
        date(2012, 1, 1), date(2012, 3, 31), True, runner,
    )


# Every message here must differ in Chinese (the default) from English; the scheme's message is this
# app's own, so it needs the zh_Hans catalogue to be up to date.
@pytest.mark.parametrize("body, field, english", [
    ({"scheme": "shifan-2012", "period": "2012-13"}, "period", "month out of range in period “2012-13”"),
    ({"scheme": "shifan-2012", "period": ""}, "period", "the period is empty"),
    ({"scheme": "no-such-scheme", "period": "2012-03"}, "scheme",
     "There is no scoring scheme “no-such-scheme”."),
    ({"period": "2012-03"}, "scheme", "This field is required."),
    ({"scheme": "shifan-2012", "period": "2012-03", "draws": -1}, "draws",
     "Ensure this value is greater than or equal to 0."),
])
def test_bad_input_is_a_400_naming_the_field_in_english_or_chinese(runner_client, body, field, english):
    in_english = runner_client.post("/api/v1/runs/", body, content_type="application/json", **ENGLISH)
    in_chinese = runner_client.post("/api/v1/runs/", body, content_type="application/json")

    assert in_english.status_code == in_chinese.status_code == 400
    assert in_english.json()["error"]["details"] == {field: [english]}
    assert list(in_chinese.json()["error"]["details"]) == [field]
    assert in_chinese.json()["error"]["details"][field] != [english]  # translated (Chinese is the default)
    assert not ScoreRun.objects.exists()


def test_starting_a_run_for_a_period_without_data_is_a_400_with_the_reason(runner_client):
    body = {"scheme": "shifan-2012", "period": "2013-03"}
    response = runner_client.post("/api/v1/runs/", body, content_type="application/json", **ENGLISH)

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"non_field_errors": [
        "No snapshot of a scored account lies inside 2013-03; import data for it first."]}
    assert not ScoreRun.objects.exists()


def test_a_request_the_service_refuses_is_a_400_with_its_message(runner_client):
    body = {"scheme": "shifan-2012", "period": "2012-03", "draws": 10**9}
    response = runner_client.post("/api/v1/runs/", body, content_type="application/json", **ENGLISH)

    assert response.status_code == 400
    assert "Monte Carlo draws" in response.json()["error"]["details"]["non_field_errors"][0]


def test_publishing_a_succeeded_run_replaces_the_published_run_of_its_period_and_records_who(runner_client, runner):
    scheme = ScoringSchemeFactory()
    old = ScoreRunFactory(scheme=scheme, published=True)
    new = ScoreRunFactory(scheme=scheme)

    response = runner_client.post(f"/api/v1/runs/{new.pk}/publish/")

    assert response.status_code == 200, response.content
    assert response.json()["is_published"] is True
    old.refresh_from_db()
    new.refresh_from_db()
    assert not old.is_published and new.published_by == runner


def test_publishing_a_run_that_has_not_succeeded_is_a_409(runner_client):
    run = ScoreRunFactory(status=ScoreRun.Status.RUNNING)

    response = runner_client.post(f"/api/v1/runs/{run.pk}/publish/", **ENGLISH)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert "Only a run that succeeded can be published" in response.json()["error"]["message"]


# --- results -------------------------------------------------------------------------------------------
def test_the_city_ranking_of_a_run_has_ranks_scores_category_scores_and_intervals(client):
    run = ranking_build(published=True)

    data = client.get(f"/api/v1/runs/{run.pk}/cities/").json()

    assert data["count"] == 3
    first = data["results"][0]
    assert {key: first[key] for key in ("rank", "city", "city_en", "province", "score", "rank_change",
                                         "median_rank", "rank_p05", "rank_p95")} == {
        "rank": 1, "city": "长沙", "city_en": "Changsha", "province": "湖南", "score": 81.234, "rank_change": 2,
        "median_rank": 1.0, "rank_p05": 1.0, "rank_p95": 2.0,
    }
    assert first["category_scores"]["police"] == 85.555 and first["category_scores"]["youth"] is None
    assert first["indicators"] == {"fans": 90.126, "activity": 70.0, "spread": 80.555}
    assert data["results"][2]["rank_change"] is None  # new in the ranking
    hubei = client.get(f"/api/v1/runs/{run.pk}/cities/?province=湖北").json()
    assert [row["city"] for row in hubei["results"]] == ["武汉"]
    assert client.get("/api/v1/runs/999999/cities/").status_code == 404


def test_the_city_ranking_needs_the_same_few_queries_however_many_cities(
    client, django_assert_max_num_queries
):
    run = ranking_build(published=True)
    with django_assert_max_num_queries(3):  # run, count, page
        client.get(f"/api/v1/runs/{run.pk}/cities/")
    for number in range(50):
        city = CityFactory()
        CityScoreFactory(run=run, city=city, rank=4 + number)
        CityCategoryScoreFactory(run=run, city=city, category="tourism")
    cache.clear()  # a published run's answer is kept under its ETag: these rows came after publication
    with django_assert_max_num_queries(3):
        assert client.get(f"/api/v1/runs/{run.pk}/cities/").json()["count"] == 53


def test_the_account_ranking_filters_by_category_and_city_and_shows_the_flags(client):
    run = ranking_build(published=True)

    police = client.get(f"/api/v1/runs/{run.pk}/accounts/?category=police").json()["results"]
    wuhan = client.get(f"/api/v1/runs/{run.pk}/accounts/?city=武汉").json()["results"]

    assert [(row["rank_in_category"], row["account"]) for row in police] == [(1, "长沙警事"), (2, "武汉公安空壳")]
    shell = police[1]
    assert (shell["empty_shell"], shell["inactive"], shell["broadcast_only"], shell["reply_rate"]) == (
        True, True, False, None,
    )
    assert [row["account"] for row in wuhan] == ["武汉公安空壳", "武汉发布"]
    bad = client.get(f"/api/v1/runs/{run.pk}/accounts/?category=mayor", **ENGLISH)
    assert bad.status_code == 400 and list(bad.json()["error"]["details"]) == ["category"]


def test_an_accounts_indicators_come_out_keyed_by_the_runs_indicators_and_nan_or_infinity_as_null(client):
    """The stored lists (fans, activity, spread: the run's document's order) become objects, through the
    run's account list and the published ranking alike; JSON has no NaN or infinity: null."""
    run = ranking_build(published=True)
    scheme_make_default(run.scheme)
    AccountScore.objects.filter(run=run, account__screen_name="长沙发布").update(
        raw_values=[1000.0, float("nan"), float("inf")], normalized_values=[0.1 + 0.2, 1.0, -float("inf")])

    listed = client.get(f"/api/v1/runs/{run.pk}/accounts/?category=press").json()["results"]
    ranked = client.get("/api/v1/ranking/?level=account&category=press").json()["results"]

    for rows in (listed, ranked):
        press = next(row for row in rows if row["account"] == "长沙发布")
        assert press["raw"] == {"fans": 1000.0, "activity": None, "spread": None}
        assert press["normalized"] == {"fans": 0.1 + 0.2, "activity": 1.0, "spread": None}
        assert next(row for row in rows if row["account"] == "武汉发布")["raw"] == {
            "fans": 1000.0, "activity": 30.0, "spread": 150.0}


def test_the_account_ranking_needs_the_same_few_queries_however_many_accounts(
    client, django_assert_max_num_queries
):
    run = ranking_build(published=True)
    for _number in range(40):
        AccountScoreFactory(run=run)
    with django_assert_max_num_queries(3):
        assert client.get(f"/api/v1/runs/{run.pk}/accounts/").json()["count"] == 45


# --- the published ranking --------------------------------------------------------------------------------
def test_the_ranking_endpoint_serves_the_latest_published_run_never_a_newer_unpublished_one(client):
    scheme = scheme_make_default(ScoringSchemeFactory(slug="demo"))
    published = ranking_build(scheme=scheme, published=True)
    newer = ScoreRunFactory(scheme=scheme, period_start=date(2012, 4, 1), period_end=date(2012, 4, 30))
    CityScoreFactory(run=newer, rank=1)

    data = client.get("/api/v1/ranking/").json()
    accounts = client.get("/api/v1/ranking/?scheme=demo&period=2012-03&level=account&category=press").json()

    assert data["run"]["id"] == published.pk and data["level"] == "city"
    assert [row["city"] for row in data["results"]] == ["长沙", "株洲", "武汉"]
    assert accounts["level"] == "account"
    assert [row["account"] for row in accounts["results"]] == ["长沙发布", "武汉发布"]


def test_the_ranking_endpoint_says_clearly_when_there_is_no_published_ranking(client):
    scheme = ScoringSchemeFactory(slug="empty-scheme")
    ScoreRunFactory(scheme=scheme)  # succeeded, not published

    none_yet = client.get("/api/v1/ranking/?scheme=empty-scheme", **ENGLISH)
    no_period = client.get("/api/v1/ranking/?scheme=empty-scheme&period=2012-04", **ENGLISH)
    unknown = client.get("/api/v1/ranking/?scheme=nope", **ENGLISH)
    bad_level = client.get("/api/v1/ranking/?level=province", **ENGLISH)

    assert none_yet.status_code == 404
    assert none_yet.json()["error"]["message"] == "Scheme “empty-scheme” has no published ranking yet."
    assert no_period.json()["error"]["message"] == "Scheme “empty-scheme” has no published ranking for 2012-04."
    assert unknown.status_code == 400
    assert unknown.json()["error"]["details"] == {"scheme": ["There is no scoring scheme “nope”."]}
    assert bad_level.status_code == 400 and list(bad_level.json()["error"]["details"]) == ["level"]


def test_the_ranking_endpoint_serves_the_builtin_default_when_none_is_marked_and_says_when_there_is_none(client):
    from rankings.models import ScoringScheme

    builtin = ScoringScheme.objects.get(slug="shifan-2012")
    run = ranking_build(scheme=builtin, is_published=True)
    ScoringScheme.objects.update(is_default=False)
    ScoringSchemeFactory(slug="a-first-by-slug")

    assert client.get("/api/v1/ranking/").json()["run"]["id"] == run.pk
    ScoringScheme.objects.filter(slug="shifan-2012").update(builtin=False)
    missing = client.get("/api/v1/ranking/", **ENGLISH)
    assert missing.status_code == 404 and missing.json()["error"]["message"].startswith("No scheme is marked as the default")


def test_the_openapi_schema_and_its_documentation_page_are_served(client):
    schema = client.get("/api/v1/schema/")
    docs = client.get("/api/v1/docs/")

    assert schema.status_code == 200 and b"/api/v1/runs/{id}/publish/" in schema.content
    assert docs.status_code == 200


# --- errors: one shape, in the request's language ---------------------------------------------------------
def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message", "details"}
    return body["error"]


@pytest.mark.parametrize("language, not_found, method, media_type", [
    ("zh-hans", "未找到。", "方法 “DELETE” 不被允许。", "不支持请求中的媒体类型 “text/plain”。"),
    ("en", "Not found.", "Method \"DELETE\" not allowed.", "Unsupported media type \"text/plain\" in request."),
])
def test_every_api_error_has_one_shape_in_the_requests_language(runner_client, language, not_found, method,
                                                                 media_type):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}

    missing = _error(runner_client.get("/api/v1/runs/999999/", **headers), 404)
    no_such_url = _error(runner_client.get("/api/v1/no-such-thing/", **headers), 404)
    wrong_method = _error(runner_client.delete("/api/v1/runs/", **headers), 405)
    wrong_type = _error(runner_client.post("/api/v1/runs/", "x", content_type="text/plain", **headers), 415)

    assert missing == no_such_url == {"code": "not_found", "message": not_found, "details": {}}
    assert wrong_method == {"code": "method_not_allowed", "message": method, "details": {}}
    assert wrong_type == {"code": "unsupported_media_type", "message": media_type, "details": {}}


def test_an_anonymous_write_is_refused_in_chinese_by_default(client):
    response = client.post("/api/v1/runs/", {}, content_type="application/json")
    error = _error(response, 401)
    assert response["WWW-Authenticate"] == "Token"

    assert error == {"code": "not_authenticated", "message": "身份认证信息未提供。", "details": {}}
