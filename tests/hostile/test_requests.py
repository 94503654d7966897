"""Hostile requests answer a clear 400 or 413, never a 500: NUL bytes in queries and forms, JSON nested
10,000 levels deep, bodies over the limit. API paths and JSON clients get the API's error shape."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from api.parsers import MAX_JSON_DEPTH, json_depth
from awards import services
from awards.models import AwardRound, EntryPath, ExpertScore
from tests.api.conftest import token_headers
from tests.awards import pages_data
from tests.awards.pages_data import default_language_after_each_test  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db
DEEP = "[" * 10_000 + "]" * 10_000
MIB = 1024 * 1024


@pytest.fixture
def people():
    return pages_data.users()


@pytest.fixture
def voting(people) -> AwardRound:
    award_round = pages_data.round_build(expert_user=people["expert"])
    services.round_open_voting(user=None, award_round=award_round, via=EntryPath.COMMAND)
    award_round.refresh_from_db()
    return award_round


def _client(people, role: str, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(people[role])
    return client


def _api_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    return error


# --- NUL bytes ------------------------------------------------------------------------------------------
def test_a_nul_in_the_expert_pages_form_is_a_400_page_naming_the_field(people, voting):
    client = _client(people, "expert")
    candidate = voting.candidates.first()
    response = client.post(f"/awards/{voting.slug}/my-scores/", {f"comment-{candidate.pk}": "好\x00"})
    assert response.status_code == 400
    assert f"comment-{candidate.pk}" in response.content.decode() and "NUL" in response.content.decode()
    assert not ExpertScore.objects.exists()


def test_a_nul_in_the_vote_grid_form_and_query_is_a_400(people, voting):
    client = _client(people, "panel")
    assert client.post(f"/awards/{voting.slug}/grid/", {"version": "1\x00"}).status_code == 400
    assert client.get(f"/awards/{voting.slug}/grid/?q=%00").status_code == 400


@pytest.mark.parametrize("query", ["q=%00", "status=%00", "round__id__exact=1%00", "%00=1"])
def test_a_nul_in_an_admin_changelist_search_or_filter_is_a_400(people, voting, query):
    response = _client(people, "superuser").get(f"/admin/awards/awardround/?{query}")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_page_query_is_a_400_in_chinese_by_default(people, voting):
    client = Client()
    client.force_login(people["panel"])
    body = client.get(f"/awards/{voting.slug}/?province=%00").content.decode()
    assert "NUL" in body and "字段" in body


def test_a_nul_in_an_api_query_or_form_answers_the_error_shape(people, voting):
    client = _client(people, "panel")
    error = _api_error(client.get("/api/v1/cities/?province=%E6%B9%96%00"), 400, "invalid")
    assert "province" in error["details"] and "province" in error["message"]
    form = client.post(f"/api/v1/awards/rounds/{voting.slug}/status/", {"action": "open\x00"})
    _api_error(form, 400, "invalid")


def test_an_overlong_field_name_with_a_nul_is_echoed_truncated(people):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    error = _api_error(client.get("/api/v1/cities/?" + "k" * 5000 + "%00=1"), 400, "invalid")
    assert len(error["message"]) < 300 and "…" in error["message"]


# --- deep JSON ---------------------------------------------------------------------------------------------
def test_json_depth_counts_brackets_outside_strings_only():
    assert json_depth('{"a": [1, {"b": "[[[[{{"}]}') == 3
    assert json_depth('"\\"[[["') == 0
    assert json_depth(DEEP) == 10_000


@pytest.mark.parametrize("path", ["/api/v1/tokens/", "/api/v1/runs/", "/api/v1/awards/rounds/{slug}/cells/",
                                  "/api/v1/awards/rounds/{slug}/status/"])
def test_a_json_body_nested_10000_levels_is_a_400_on_the_token_run_and_cell_endpoints(people, voting, path):
    client = _client(people, "superuser")
    error = _api_error(client.post(path.format(slug=voting.slug), DEEP, content_type="application/json"),
                       400, "parse_error")
    assert str(MAX_JSON_DEPTH) in error["message"] and "10000" in error["message"]


def test_a_deep_json_body_with_a_token_is_a_400_too(people, voting):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", **token_headers(people["panel"]))
    body = '{"version": 1, "scores": ' + DEEP + "}"
    error = _api_error(client.post(f"/api/v1/awards/rounds/{voting.slug}/cells/", body,
                                   content_type="application/json"), 400, "parse_error")
    assert "层" in error["message"]


def test_a_json_body_at_the_depth_limit_is_parsed(people, voting):
    body = '{"version": 1, "scores": ' + "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1) + "}"
    response = _client(people, "panel").post(f"/api/v1/awards/rounds/{voting.slug}/cells/", body,
                                              content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"  # parsed, then refused by the serializer


# --- 413 and the one upload limit ----------------------------------------------------------------------------
def test_a_body_over_the_limit_answers_413_in_the_error_shape_on_the_api(people, voting):
    client = _client(people, "panel")
    body = '{"version": 1, "scores": [], "x": "' + "a" * (6 * MIB) + '"}'
    error = _api_error(client.post(f"/api/v1/awards/rounds/{voting.slug}/cells/", body,
                                   content_type="application/json"), 413, "request_too_large")
    assert error["details"]["limit"] == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert "5.0\xa0MB" in error["message"]


def _multipart(size: int) -> tuple[bytes, str]:
    boundary = "BOUNDARY"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_the_api_upload_takes_the_same_limit_as_the_upload_page(people, settings):
    settings.GOVWEIBO_MAX_UPLOAD_BYTES = 7 * MIB
    body, content_type = _multipart(6 * MIB)  # over the request limit (5 MiB), under the upload limit
    client = Client(HTTP_ACCEPT_LANGUAGE="en", **token_headers(people["superuser"]))
    accepted = client.generic("POST", "/api/v1/imports/", body, content_type=content_type)
    assert accepted.status_code != 413  # the form reads the file (not a table: a job that fails, or a 400)

    body, content_type = _multipart(9 * MIB)
    error = _api_error(client.generic("POST", "/api/v1/imports/", body, content_type=content_type),
                       413, "request_too_large")
    assert "at most 7.0\xa0MB" in error["message"] and error["details"]["limit"] == 7 * MIB  # the upload limit
    anonymous = Client().generic("POST", "/api/v1/imports/", *_multipart(6 * MIB))
    assert anonymous.status_code == 413


@pytest.mark.parametrize("body", [
    {"version": 1, "scores": [{"candidate_id": 1, "expert_id": 1, "score": "80", "comment": "好\u0000"}]},
    {"version": 1, "scores": [], "k\u0000": 1},
])
def test_a_nul_in_a_json_body_is_a_400_naming_its_path(people, voting, body):
    response = _client(people, "panel").post(f"/api/v1/awards/rounds/{voting.slug}/cells/", body,
                                             content_type="application/json")
    error = _api_error(response, 400, "invalid")
    assert list(error["details"]) in (["scores.0.comment"], ["k\\x00"])
    assert not ExpertScore.objects.exists()
