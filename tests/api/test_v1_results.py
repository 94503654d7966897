"""Published results: CSV and XLSX downloads, ETag and Cache-Control, 304 on a current copy, drafts
hidden from everyone but those who may see them, scheme versions."""
from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.core.cache import cache
from django.utils import timezone

from rankings.models import ScoreRun
from rankings.selectors.visibility import run_memo_key
from tests.api.conftest import token_headers
from tests.rankings.factories import ScoreRunFactory, ScoringSchemeFactory, ranking_build, scheme_make_default

pytestmark = pytest.mark.django_db


def test_the_city_ranking_downloads_as_csv_with_flat_category_columns(client):
    run = ranking_build(published=True)

    response = client.get(f"/api/v1/runs/{run.pk}/cities/?format=csv")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="city-ranking.csv"'
    header, *rows = response.content.decode("utf-8").lstrip("\ufeff").splitlines()
    columns = header.split(",")
    assert columns[:6] == ["rank", "city_id", "city", "city_en", "province", "score"]
    assert "category_scores.police" in columns and "indicators.fans" in columns
    first = dict(zip(columns, rows[0].split(","), strict=True))
    assert (first["rank"], first["city"], first["score"], first["category_scores.police"]) == (
        "1", "长沙", "81.234", "85.555")
    assert first["category_scores.youth"] == "" and len(rows) == 3


def test_the_published_ranking_downloads_as_xlsx(client):
    scheme_make_default(ScoringSchemeFactory(slug="demo"))
    from rankings.models import ScoringScheme

    ranking_build(scheme=ScoringScheme.objects.get(slug="demo"), published=True)

    response = client.get("/api/v1/ranking/?format=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:3] == ["rank", "city_id", "city"]
    assert [sheet.cell(row=row, column=3).value for row in (2, 3, 4)] == ["长沙", "株洲", "武汉"]


def test_a_published_result_has_an_etag_and_a_current_copy_gets_304(client):
    run = ranking_build(published=True)
    url = f"/api/v1/runs/{run.pk}/cities/"

    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    other_list = client.get(url, HTTP_IF_NONE_MATCH='W/"something-else", ' + first["ETag"])
    stale = client.get(url, HTTP_IF_NONE_MATCH='W/"something-else"')
    as_csv = client.get(url + "?format=csv")
    in_english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert first["Cache-Control"] == "public, max-age=3600"
    assert "Accept" in first["Vary"] and "Accept-Language" in first["Vary"]
    assert again.status_code == other_list.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert stale.status_code == 200 and stale.json() == first.json()
    assert len({first["ETag"], as_csv["ETag"], in_english["ETag"]}) == 3  # per format and language
    detail = client.get(f"/api/v1/runs/{run.pk}/")
    assert client.get(f"/api/v1/runs/{run.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304


def test_the_latest_ranking_is_cached_briefly_and_its_etag_changes_with_a_new_publication(client):
    scheme = scheme_make_default(ScoringSchemeFactory(slug="demo"))
    march = ranking_build(scheme=scheme, published=True)
    first = client.get("/api/v1/ranking/")

    assert first["Cache-Control"] == "public, max-age=60"
    assert client.get("/api/v1/ranking/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    april = ScoreRunFactory(scheme=scheme, published=True, period_start=date(2012, 4, 1),
                            period_end=date(2012, 4, 30))
    cache.clear()  # what "the latest" means is trusted for API_RUN_STATE_SECONDS (5 s)
    newer = client.get("/api/v1/ranking/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert newer.status_code == 200 and newer.json()["run"]["id"] == april.pk != march.pk


def test_a_draft_is_never_cached_and_no_etag_makes_it_304(client, staff):
    draft = ranking_build()  # succeeded, not published
    headers = token_headers(staff)

    response = client.get(f"/api/v1/runs/{draft.pk}/cities/", **headers)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store" and "ETag" not in response
    assert client.get(f"/api/v1/runs/{draft.pk}/cities/", HTTP_IF_NONE_MATCH="*", **headers).status_code == 200


@pytest.mark.parametrize("role, sees_drafts", [
    ("anonymous", False), ("runner", True), ("staff", True), ("admin_user_", True), ("plain", False),
])
def test_drafts_are_seen_only_by_those_who_may_run_scores_and_staff(client, request, role, sees_drafts):
    from django.contrib.auth.models import User

    published = ranking_build(published=True)
    failed = ScoreRunFactory(scheme=published.scheme, status=ScoreRun.Status.FAILED, error="boom")
    if role == "anonymous":
        headers = {}
    else:
        user = User.objects.create_user("plain") if role == "plain" else request.getfixturevalue(role)
        headers = token_headers(user)

    listed = [row["id"] for row in client.get("/api/v1/runs/", **headers).json()["results"]]
    detail = client.get(f"/api/v1/runs/{failed.pk}/", **headers)
    cities = client.get(f"/api/v1/runs/{failed.pk}/cities/", **headers)
    csv = client.get("/api/v1/runs/?format=csv", **headers).content.decode("utf-8")

    assert (failed.pk in listed) is sees_drafts and published.pk in listed
    assert detail.status_code == cities.status_code == (200 if sees_drafts else 404)
    assert ("boom" in csv) is sees_drafts


def test_a_schemes_versions_list_the_runs_that_used_each_and_its_document(client, runner):
    scheme = ScoringSchemeFactory(slug="versioned", version=1)
    old = ScoreRunFactory(scheme=scheme, published=True)
    scheme.version = 3
    scheme.document = {**scheme.document, "name": "renamed"}
    scheme.save()
    ScoreRunFactory(scheme=scheme)  # a draft of version 3

    anonymous = client.get("/api/v1/schemes/versioned/versions/").json()
    client.force_login(runner)
    seen_by_runner = client.get("/api/v1/schemes/versioned/versions/").json()

    assert [(row["version"], row["current"], row["runs"]) for row in anonymous] == [(3, True, 0), (1, False, 1)]
    assert anonymous[0]["document"]["name"] == "renamed" and anonymous[1]["document"] == old.document
    assert [(row["version"], row["runs"]) for row in seen_by_runner] == [(3, 1), (1, 1)]
    assert client.get("/api/v1/schemes/nope/versions/").status_code == 404


def test_a_repeated_published_answer_is_served_from_the_cache_without_a_query(
    client, settings, django_assert_num_queries
):
    run = ranking_build(published=True, finished_at=timezone.now())  # finished: cacheable (visibility)
    url = f"/api/v1/runs/{run.pk}/cities/?page_size=2"
    first = client.get(url)

    with django_assert_num_queries(0):  # the run's stamp and the answer are both kept
        again = client.get(url)
    client.get(url + "&format=csv")  # another format: another answer, kept too
    with django_assert_num_queries(0):
        as_csv = client.get(url + "&format=csv")
    cache.delete(run_memo_key(f"run:{run.pk}"))  # the memo expires after API_RUN_STATE_SECONDS
    with django_assert_num_queries(1):  # the run, to check it is still published; the answer is kept
        assert client.get(url).json() == first.json()

    assert again.json() == first.json() and again["Link"] == first["Link"] and again["X-Total-Count"] == "3"
    assert as_csv.content.decode("utf-8").lstrip("\ufeff").startswith("rank,city_id,city,")


def test_a_replaced_run_is_hidden_again_once_its_stamp_expires(client, settings):
    settings.API_RUN_STATE_SECONDS = 0  # ask the database every time
    run = ranking_build(published=True)
    url = f"/api/v1/runs/{run.pk}/cities/"
    assert client.get(url).status_code == 200

    ScoreRun.objects.filter(pk=run.pk).update(is_published=False)  # replaced: a draft again

    assert client.get(url).status_code == 404


def test_the_browsable_api_page_is_never_kept_or_shared(client, staff, django_assert_max_num_queries):
    run = ranking_build(published=True)
    client.force_login(staff)

    page = client.get(f"/api/v1/runs/{run.pk}/cities/", HTTP_ACCEPT="text/html")

    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert page["Cache-Control"] == "private, no-store" and "ETag" not in page
    assert b"staffer" in page.content  # the page names its user: it must not reach anyone else
    client.logout()
    anonymous = client.get(f"/api/v1/runs/{run.pk}/cities/", HTTP_ACCEPT="text/html")
    assert b"staffer" not in anonymous.content


def test_a_kept_csv_download_keeps_its_file_name(client):
    run = ranking_build(published=True)
    url = f"/api/v1/runs/{run.pk}/cities/?format=csv"

    first, again = client.get(url), client.get(url)

    assert again.content == first.content
    assert again["Content-Disposition"] == first["Content-Disposition"] == 'attachment; filename="city-ranking.csv"'
    assert again["Content-Type"] == "text/csv; charset=utf-8" and again["ETag"] == first["ETag"]


def test_a_published_answer_carries_its_publication_time_and_django_judges_the_preconditions(client):
    run = ranking_build(published=True)
    url = f"/api/v1/runs/{run.pk}/cities/"

    first = client.get(url)
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    refused = client.get(url, HTTP_IF_MATCH='"something-else"', HTTP_ACCEPT_LANGUAGE="en")

    assert first["Last-Modified"] and by_date.status_code == 304 and by_date["ETag"] == first["ETag"]
    assert by_date["Cache-Control"] == "public, max-age=3600"
    assert refused.status_code == 412 and refused.json()["error"]["code"] == "precondition_failed"
    assert refused.json()["error"]["message"].startswith("The results do not meet the request's preconditions")
