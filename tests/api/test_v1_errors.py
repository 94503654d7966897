"""Every error the API gives has the one shape, in Chinese by default and English on request, in JSON even
when CSV was asked for; the unversioned /api/ paths redirect to /api/v1/."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.api.conftest import token_headers
from tests.rankings.factories import ScoreRunFactory

pytestmark = pytest.mark.django_db


def _shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def test_each_kind_of_error_has_the_one_shape_in_chinese_by_default(client, settings, staff, runner):
    run = ScoreRunFactory(status="running")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": None}}
    from django.core.cache import cache

    cache.clear()
    errors = {
        400: _shape(client.get("/api/v1/snapshots/?format=csv&period=2012-13", **token_headers(staff)), 400),
        401: _shape(client.get("/api/v1/tokens/", HTTP_AUTHORIZATION="Token nope"), 401),
        403: _shape(client.post("/api/v1/runs/", {}, content_type="application/json", **token_headers(staff)), 403),
        404: _shape(client.get("/api/v1/cities/999999/", **token_headers(staff)), 404),
        405: _shape(client.put("/api/v1/cities/", {}, content_type="application/json", **token_headers(staff)), 405),
        406: _shape(client.get("/api/v1/cities/", HTTP_ACCEPT="application/xml", **token_headers(staff)), 406),
        409: _shape(client.post(f"/api/v1/runs/{run.pk}/publish/", **token_headers(runner)), 409),
        415: _shape(client.post("/api/v1/imports/", "{}", content_type="application/json",
                                **token_headers(User.objects.create_superuser("root"))), 415),
    }
    client.get("/api/v1/cities/")
    errors[429] = _shape(client.get("/api/v1/cities/?format=csv"), 429)

    assert {status: error["code"] for status, error in errors.items()} == {
        400: "invalid", 401: "authentication_failed", 403: "permission_denied", 404: "not_found",
        405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 415: "unsupported_media_type",
        429: "throttled",
    }
    assert errors[404]["message"] == "未找到。" and errors[406]["message"] == "无法满足Accept HTTP头的请求。"
    assert errors[401]["message"] == "令牌无效或已被吊销。"
    assert errors[429]["details"]["retry_after"] > 0


def test_the_unversioned_api_redirects_to_v1_keeping_method_and_query(client):
    response = client.get("/api/ranking/?period=2012")
    posted = client.post("/api/runs/", {}, content_type="application/json")

    assert response.status_code == posted.status_code == 308
    assert response["Location"] == "/api/v1/ranking/?period=2012" and posted["Location"] == "/api/v1/runs/"
