"""The OpenAPI schema tells the truth: schemathesis calls every endpoint of a live test server over HTTP
(middleware, URL patterns, the API) with generated parameters, anonymously and with a staff token, and
checks each response's status code, content type and body against the schema: no 5xx, nothing
undocumented."""
from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rankings.models import ScoreRun
from tests.api.conftest import token_headers
from tests.factories import SnapshotFactory
from tests.rankings.factories import ScoreRunFactory, ranking_build

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 20  # per operation: the GET operations in well under a minute
WRITE_EXAMPLES = 10


@pytest.fixture
def api_schema(transactional_db, live_server):
    """Demo-like data: a published ranking with cities and accounts, a draft, a failed run without a user;
    committed (transactional_db), so the live server's threads see it."""
    run = ranking_build(published=True)
    ScoreRunFactory(scheme=run.scheme, status=ScoreRun.Status.FAILED, error="boom", created_by=None)
    ScoreRunFactory(scheme=run.scheme, status=ScoreRun.Status.PENDING, created_by=None)
    SnapshotFactory(custom_metrics={"videos": 3})
    api = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    # Valid requests only: a path that does not match the URL patterns (/runs/2.5e-67/) never reaches
    # the API; Django answers it with the site's HTML 404 page.
    api.config.generation.update(modes=[GenerationMode.POSITIVE])
    return api


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.include(method="GET").parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_get_endpoint_answers_as_its_schema_says(case):
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def staff_token(transactional_db):
    from django.contrib.auth.models import User

    return token_headers(User.objects.create_user("schema-staff", is_staff=True))["HTTP_AUTHORIZATION"]


@schema.include(method="GET").parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_get_endpoint_answers_a_staff_token_as_its_schema_says(case, staff_token):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": staff_token})


# Writes with a staff token (staff may read drafts but neither run scores nor import: 403s, 400s, 404s).
# DELETE is left out: revoking its own token would turn the rest of the run anonymous.
@schema.include(method="POST").parametrize()
@settings(max_examples=WRITE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_write_answers_a_staff_token_as_its_schema_says(case, staff_token):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": staff_token})


def test_the_schema_says_a_run_may_have_no_user_and_the_ranking_answers_city_or_account_pages(client, db):
    document = client.get("/api/v1/schema/?format=json").json()

    assert document["components"]["schemas"]["Run"]["properties"]["created_by"]["nullable"] is True
    ranking = document["paths"]["/api/v1/ranking/"]["get"]["responses"]
    assert ranking["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/RankingPage"}
    page = document["components"]["schemas"]["RankingPage"]
    assert page["discriminator"]["propertyName"] == "level"
    assert sorted(page["discriminator"]["mapping"]) == ["account", "city"]
    assert {"400", "403", "404"} <= set(ranking)


def test_the_main_endpoints_have_examples_and_the_docs_page_loads_nothing_from_the_internet(client, db):
    document = client.get("/api/v1/schema/?format=json").json()
    docs = client.get("/api/v1/docs/").content.decode()

    def examples(path: str, method: str = "get", status: str = "200") -> dict:
        return document["paths"][path][method]["responses"][status]["content"]["application/json"]["examples"]

    assert "TheLatestPublishedCityRanking" in examples("/api/v1/ranking/")
    assert examples("/api/v1/runs/{run_id}/cities/")
    assert examples("/api/v1/ranking/cities/{city_id}/")
    assert examples("/api/v1/imports/{id}/")
    assert examples("/api/v1/tokens/", "post", "201")
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    # Every script and style the page loads is served by the app itself. (Not a search for "cdn" in the
    # whole page: the page's random CSRF token once held those three letters and failed CI.)
    loaded = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]*)"', docs)
    assert loaded and all(url.startswith("/static/") for url in loaded), loaded
    assert "https://" not in docs and "http://" not in docs and "//cdn" not in docs.lower()
